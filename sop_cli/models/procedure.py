"""Model the manual's ten-part procedure form as frozen, strict pydantic models."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sop_cli.i18n import _
from sop_cli.models.base import Frozen, Id, Text
from sop_cli.thai_calendar import arabic_digits, fiscal_year_bounds, thai_digits

PROCEDURE_SCHEMA_VERSION = 1


class Section(StrEnum):
    """The parts of the manual's procedure form, by what they hold."""

    objectives = "objectives"
    scope = "scope"
    definitions = "definitions"
    responsibilities = "responsibilities"
    steps = "steps"
    standards = "standards"
    monitoring = "monitoring"
    references = "references"
    forms = "forms"
    related_laws = "related_laws"
    records = "records"


# The ten parts of the form in the order most procedures print them; procedure ๑๒ adds its laws
# as part ๑๐ and moves its records to ๑๑ (`Procedure.sections`).
FORM_ORDER: tuple[Section, ...] = (
    Section.objectives,
    Section.scope,
    Section.definitions,
    Section.responsibilities,
    Section.steps,
    Section.standards,
    Section.monitoring,
    Section.references,
    Section.forms,
    Section.records,
)
# The headings of the form as most procedures print them: Thai text of the manual, not interface
# wording. A procedure that prints another heading says so in `headings`.
FORM_HEADINGS: dict[Section, str] = {
    Section.objectives: "วัตถุประสงค์",
    Section.scope: "ขอบเขตงาน",
    Section.definitions: "คำจำกัดความ",
    Section.responsibilities: "หน้าที่ความรับผิดชอบ",
    Section.steps: "ขั้นตอนการปฏิบัติหรือระเบียบปฏิบัติราชการ",
    Section.standards: "มาตรฐานงาน",
    Section.monitoring: "ระบบการติดตามประเมินผล",
    Section.references: "เอกสารอ้างอิง",
    Section.forms: "แบบฟอร์มที่ใช้",
    Section.related_laws: "ข้อกฎหมายที่เกี่ยวข้อง",
    Section.records: "เอกสารบันทึก",
}


class Numbering(StrEnum):
    """How the manual numbers the items of a list."""

    section = "section"  # ๖.๑, ๖.๒ …: the section's number, then the item's
    plain = "plain"  # ๑., ๒. …: the item's number alone (the standards of ๘–๑๐)
    bullet = "bullet"  # "-" before each item, no number
    none = "none"  # no mark at all: a paragraph, or one line per item


class DocumentKind(StrEnum):
    """Kinds of working document, so later commands know what to generate."""

    memo = "memo"
    external_letter = "external_letter"
    order = "order"
    announcement = "announcement"
    agenda = "agenda"
    minutes = "minutes"
    report = "report"
    form = "form"
    other = "other"


class Header(Frozen):
    """The box at the top of each procedure."""

    title: Text
    work_unit: Text
    page: Text
    effective_date: dt.date
    revision: Text


class AgencyGroup(Frozen):
    """A numbered sub-list of a definition (๓.๕.๑ หน่วยงานในสังกัด…, ๓.๕.๒ หน่วยงานนอกสังกัด…)."""

    label: Text  # as printed: ๓.๕.๑
    heading: Text
    agencies: tuple[Id, ...] = Field(min_length=1)


class Definition(Frozen):
    """One term of section 3, with the agencies it enumerates where it lists them."""

    term: Text | None = None  # None where the manual prints a meaning with no term (procedure ๑๑)
    meaning: Text
    # The agencies it lists: flat, or in the manual's numbered sub-lists (not both).
    agencies: tuple[Id, ...] = ()
    groups: tuple[AgencyGroup, ...] = ()

    @model_validator(mode="after")
    def _agencies_once(self) -> Definition:
        if self.agencies and self.groups:
            raise ValueError(_("list the agencies either flat or in groups, not both"))
        return self


class Responsibility(Frozen):
    """One duty of section 4, with the roles it names."""

    # The number as printed where the manual nests its duties (๔.๒.๑ in procedure ๕); without
    # it the duty is numbered in order.
    label: Text | None = None
    text: Text
    bodies: tuple[Id, ...] = ()


class Document(Frozen):
    """A working document named in the step table."""

    kind: DocumentKind
    title: Text


class DecisionKind(StrEnum):
    """What a rejection leads to."""

    # The work goes back to `reject_to` and is submitted for a new decision.
    resubmit = "resubmit"
    # "ดำเนินการปรับปรุงตามข้อ ๗ แล้วดำเนินการต่อไปตามข้อ …": the work is revised at `revise` (or at
    # the deciding step itself) and then continues, without a second decision.
    revise = "revise"


class DecisionSource(StrEnum):
    """Where the manual states a decision."""

    text = "text"  # the step's own text states both branches
    flowchart = "flowchart"  # only a diamond of the flowchart column draws it
    standard = "standard"  # only a work standard implies it ("ที่ผ่านการพิจารณาเห็นชอบจาก กศจ.")


class Decision(Frozen):
    """An approve-or-reject point: who decides, what a rejection leads to, where approval goes."""

    by: tuple[Id, ...] = Field(min_length=1)
    wording: Text  # the manual's words for the branches (or the box or standard that implies them)
    kind: DecisionKind = DecisionKind.resubmit
    reject_to: int | None = Field(default=None, ge=1)  # resubmit: where a rejection loops back
    revise: int | None = Field(default=None, ge=1)  # revise: the step redone (None: this step itself)
    approve_to: int | None = Field(default=None, ge=1)  # where approval (and a revision) continues
    # The branches as the manual labels them: "ไม่เป็นที่ยอมรับ / เป็นที่ยอมรับ", "เสนอแนะ/สั่งการ / เห็นชอบ".
    reject_label: Text = "ไม่เห็นชอบ"
    approve_label: Text = "เห็นชอบ"
    source: DecisionSource = DecisionSource.text

    @model_validator(mode="after")
    def _targets_of_its_kind(self) -> Decision:
        if self.kind is DecisionKind.resubmit and self.reject_to is None:
            raise ValueError(_("a resubmitting decision needs reject_to, the step a rejection goes back to"))
        if self.kind is DecisionKind.resubmit and self.revise is not None:
            raise ValueError(_("revise belongs to a decision of kind revise"))
        if self.kind is DecisionKind.revise and self.reject_to is not None:
            raise ValueError(_("a decision of kind revise continues after the revision: give revise, not reject_to"))
        return self


class SubStep(Frozen):
    """An item printed inside a step's text: ๒.๑ … ๒.๕ of procedure ๖, or a bullet."""

    label: Text | None = None  # as printed (๒.๑); None for a bullet
    text: Text


class Step(Frozen):
    """A numbered step inside a row of the step table."""

    number: int = Field(ge=1)
    # The number as printed, where the manual numbers steps per row (๒.๔ in procedure ๘).
    label: Text | None = None
    text: Text
    substeps: tuple[SubStep, ...] = ()
    hours: float | None = Field(default=None, gt=0)
    decision: Decision | None = None

    @model_validator(mode="after")
    def _decision_loops_back(self) -> Step:
        d = self.decision
        if d is None:
            return self
        if d.reject_to is not None and d.reject_to > self.number:
            raise ValueError(
                _(
                    "a rejection at step {number} must go back to this step or an earlier one, not to {reject_to}"
                ).format(number=self.number, reject_to=d.reject_to)
            )
        if d.approve_to is not None and d.approve_to <= self.number:
            raise ValueError(
                _("an approval at step {number} must continue at a later step, not at {approve_to}").format(
                    number=self.number, approve_to=d.approve_to
                )
            )
        if d.revise is not None and d.revise > self.number and d.approve_to is None:
            raise ValueError(
                _("a revision after the decision (step {revise}) needs approve_to beyond it").format(revise=d.revise)
            )
        if d.revise is not None and d.approve_to is not None and d.revise >= d.approve_to:
            raise ValueError(
                _("the revision at step {revise} must come before the step the work continues at ({target})").format(
                    revise=d.revise, target=d.approve_to
                )
            )
        return self

    @property
    def revision_step(self) -> int | None:
        """The step a rejection sends the work back to for revision (revise decisions only)."""
        if self.decision is None or self.decision.kind is not DecisionKind.revise:
            return None
        return self.decision.revise or self.number


class Row(Frozen):
    """A row of the step table as printed, grouping one or more numbered steps."""

    label: Text
    flowchart: tuple[Text, ...] = ()
    steps: tuple[Step, ...] = Field(min_length=1)
    hours: float | None = Field(default=None, gt=0)
    standard: tuple[Text, ...] = ()
    documents: tuple[Document, ...] = ()
    responsible: tuple[Id, ...] = ()
    responsible_bodies: tuple[Id, ...] = ()

    @model_validator(mode="after")
    def _hours_at_one_level(self) -> Row:
        per_step = [s.hours for s in self.steps if s.hours is not None]
        if self.hours is not None and per_step:
            raise ValueError(_("give the hours either for the row or for each step, not both"))
        if per_step and len(per_step) != len(self.steps):
            raise ValueError(_("when hours are given per step, every step of the row needs them"))
        return self

    @property
    def total_hours(self) -> float:
        """Hours of the row, from the row figure or the sum of its steps (0 when none is printed)."""
        if self.hours is not None:
            return self.hours
        return sum(s.hours or 0.0 for s in self.steps)

    @property
    def has_hours(self) -> bool:
        """Whether the manual prints an hour figure for the row (or its steps)."""
        return self.hours is not None or any(s.hours is not None for s in self.steps)


# Timing rules: the machine-readable form of a work standard's deadline.


class WithinQuarters(Frozen):
    """Done within the given fiscal quarters (1 = Oct–Dec … 4 = Jul–Sep)."""

    kind: Literal["within_quarters"]
    quarters: tuple[Annotated[int, Field(ge=1, le=4)], ...] = Field(min_length=1)


class InMonths(Frozen):
    """Done in the given calendar months (2 = February, 8 = August)."""

    kind: Literal["in_months"]
    months: tuple[Annotated[int, Field(ge=1, le=12)], ...] = Field(min_length=1)


class WithinFiscalYear(Frozen):
    """Done before the fiscal year ends."""

    kind: Literal["within_fiscal_year"]


class BeforeEvent(Frozen):
    """Done at least N working (or calendar) days before a named event of the run."""

    kind: Literal["before_event"]
    event: Id
    working_days: int | None = Field(default=None, ge=0)
    days: int | None = Field(default=None, ge=0)
    # The step that is the event (๖.๑ of procedure ๑: the coordination meeting is step ๕): the day
    # the step is done stands for the event's date; until then a scheduled date does.
    step: int | None = Field(default=None, ge=1)
    # A completeness condition: met only when this share of the units is reached ("ครบทุกหน่วย
    # รับตรวจ (ร้อยละ ๑๐๐)"), counted with `sop note N --count M/M --ref REF`.
    percent: float | None = Field(default=None, gt=0, le=100)

    @model_validator(mode="after")
    def _one_unit(self) -> BeforeEvent:
        if (self.working_days is None) == (self.days is None):
            raise ValueError(_("give exactly one of working_days or days"))
        return self


class AfterEvent(Frozen):
    """Done within N working days after a named event of the run."""

    kind: Literal["after_event"]
    event: Id
    working_days: int = Field(ge=0)


class AfterStep(Frozen):
    """Done within N working days after a step is completed."""

    kind: Literal["after_step"]
    step: int = Field(ge=1)
    working_days: int = Field(ge=0)


class EachQuarter(Frozen):
    """Done once in every fiscal quarter ("รายไตรมาส ทุกๆ ๓ เดือน")."""

    kind: Literal["each_quarter"]


class EachMonth(Frozen):
    """Done once in every month of the fiscal year ("ประชุมวางแผนรายเดือน")."""

    kind: Literal["each_month"]


class CountPerYear(Frozen):
    """A number of outputs per fiscal year (one research report)."""

    kind: Literal["count_per_year"]
    count: int = Field(ge=1)
    what: Text


class ResponseShare(Frozen):
    """At least a share of responses returned within N working days of an event."""

    kind: Literal["response_share"]
    percent: float = Field(gt=0, le=100)
    working_days: int = Field(ge=1)
    event: Id


TimingRule = Annotated[
    WithinQuarters
    | InMonths
    | WithinFiscalYear
    | BeforeEvent
    | AfterEvent
    | AfterStep
    | EachQuarter
    | EachMonth
    | CountPerYear
    | ResponseShare,
    Field(discriminator="kind"),
]


class Standard(Frozen):
    """A work standard of section 6, with its deadline when the text states one."""

    text: Text
    timing: TimingRule | None = None
    # The step whose completion meets the deadline, where the manual makes it plain.
    step: int | None = Field(default=None, ge=1)
    # Owed again in every cycle of the year (the inspection rounds of `Procedure.cycles`).
    per_cycle: bool = False


class TimedStatement(Frozen):
    """A timing statement of the manual outside section 6 (the inspection months of the scope,
    the quarterly record keeping of section 10, the yearly research report of a step table)."""

    ref: Text  # where it is printed, such as ๒.๒ or ๑๐
    text: Text
    timing: TimingRule
    step: int | None = Field(default=None, ge=1)
    per_cycle: bool = False  # owed again in every cycle of the year


class MonitoringRound(Frozen):
    """One evaluation round of section 7: by the end of some fiscal quarters, or at a date of the
    office's calendar (`at: academic_year_end`, procedure ๑๓'s "เมื่อสิ้นปีการศึกษา")."""

    name: Text
    quarters: tuple[Annotated[int, Field(ge=1, le=4)], ...] = ()
    at: Literal["academic_year_end"] | None = None

    @model_validator(mode="after")
    def _one_anchor(self) -> MonitoringRound:
        if bool(self.quarters) == (self.at is not None):
            raise ValueError(_("give a round either quarters or at, not both and not neither"))
        return self


class Cycles(Frozen):
    """Work done more than once a fiscal year: the inspection rounds of procedures ๑ and ๒.

    "การตรวจราชการแบบปกติ ภาคเรียนละ ๑ ครั้ง (ครั้งที่ ๑ เดือนกุมภาพันธ์ ครั้งที่ ๒ เดือนสิงหาคม)": one run
    carries every cycle. The steps `first_step`…`last_step` are done again in each cycle, as are the
    standards and timing statements marked `per_cycle`; everything else is owed once a year.
    """

    ref: Text  # where the manual says so: ๒.๒
    months: tuple[Annotated[int, Field(ge=1, le=12)], ...] = Field(min_length=2)  # the month of each cycle
    first_step: int | None = Field(default=None, ge=1)
    last_step: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _a_range(self) -> Cycles:
        if (self.first_step is None) != (self.last_step is None):
            raise ValueError(_("give both first_step and last_step, or neither"))
        if self.first_step is not None and self.last_step is not None and self.first_step > self.last_step:
            raise ValueError(_("first_step must not come after last_step"))
        fiscal = [(m - 10) % 12 for m in self.months]
        if fiscal != sorted(set(fiscal)):
            raise ValueError(_("list the months of the cycles in fiscal-year order (October first), each once"))
        return self

    @property
    def count(self) -> int:
        """How many cycles a fiscal year has."""
        return len(self.months)

    def repeats(self, step: int) -> bool:
        """Whether `step` is done again in every cycle."""
        if self.first_step is None or self.last_step is None:
            return False
        return self.first_step <= step <= self.last_step

    def cycle_of(self, fy: int, date: dt.date) -> int:
        """The cycle a dated record belongs to: the one whose month is nearest the date.

        A month halfway between two cycles belongs to the later one (May, between February and
        August, starts the first term of the academic year, whose inspection is in August).
        """
        start, end = fiscal_year_bounds(fy)
        if date < start:
            return 1
        if date > end:
            return self.count
        month = (date.month - 10) % 12
        distances = [abs(month - (m - 10) % 12) for m in self.months]
        best = min(distances)
        return max(i for i, d in enumerate(distances, start=1) if d == best)


class Monitoring(Frozen):
    """Section 7: how the work is evaluated, and in which rounds."""

    text: Text
    # Empty where the manual states no round (procedures ๖, ๑๐, ๑๑, ๑๔ only say what is evaluated).
    rounds: tuple[MonitoringRound, ...] = ()
    # Where the manual gives a count of evaluations but no time ("๒ ครั้ง/ปีงบประมาณ", procedure ๗):
    # tracked as that many evaluations by the end of the fiscal year (deadline ref 7).
    times_per_year: int | None = Field(default=None, ge=1)


class StoragePlace(Frozen):
    """Where a record is kept: a system, a folder, or a link."""

    place: Text
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None


class RecordKept(Frozen):
    """A row of section 10: what is kept, by whom, where, how long and how."""

    document: Text
    responsible: Text
    storage: tuple[StoragePlace, ...] = Field(min_length=1)
    period: Text
    method: Text


class Procedure(Frozen):
    """One of the fourteen standard operating procedures, all ten parts."""

    schema_version: Literal[1]
    number: int = Field(ge=1, le=14)
    short_title: Text
    header: Header
    objectives: tuple[Text, ...] = Field(min_length=1)
    scope: tuple[Text, ...] = Field(min_length=1)
    definitions: tuple[Definition, ...] = ()
    responsibilities: tuple[Responsibility, ...] = Field(min_length=1)
    rows: tuple[Row, ...] = Field(min_length=1)
    standards: tuple[Standard, ...] = Field(min_length=1)
    monitoring: Monitoring
    references: tuple[Text, ...] = ()
    forms: tuple[Text, ...] = ()
    records: tuple[RecordKept, ...] = ()
    related_laws: tuple[Text, ...] = ()
    timings: tuple[TimedStatement, ...] = ()
    cycles: Cycles | None = None
    # How the manual lays the parts out where it differs from the form: their order (procedure ๑๒
    # prints its laws as ๑๐ and its records as ๑๑), their printed headings, how each list is
    # numbered, a lead-in sentence before a list (๖'s objectives) and a note printed under a part
    # (๖'s "เอกสารอ้างอิง : …" under the step table).
    sections: tuple[Section, ...] = FORM_ORDER
    headings: dict[Section, Text] = Field(default_factory=dict)
    numbering: dict[Section, Numbering] = Field(default_factory=dict)
    intros: dict[Section, Text] = Field(default_factory=dict)
    notes: dict[Section, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _layout_covers_every_part(self) -> Procedure:
        wanted = set(FORM_ORDER) | ({Section.related_laws} if self.related_laws else set())
        if len(self.sections) != len(set(self.sections)) or set(self.sections) != wanted:
            names = ", ".join(s.value for s in FORM_ORDER)
            raise ValueError(
                _("sections must list each part once: {names}, and related_laws when there are laws").format(
                    names=names
                )
            )
        if self.cycles is None and (any(s.per_cycle for s in self.standards) or any(t.per_cycle for t in self.timings)):
            raise ValueError(_("per_cycle needs the procedure's cycles"))
        return self

    def heading(self, section: Section) -> str:
        """The part's heading as the manual prints it."""
        return self.headings.get(section, FORM_HEADINGS[section])

    def section_number(self, section: Section) -> int:
        """The number the manual gives the part (1 to 10, or 11 in procedure ๑๒)."""
        return self.sections.index(section) + 1

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every numbered step in order."""
        return tuple(step for row in self.rows for step in row.steps)

    @property
    def total_hours(self) -> float:
        """Planned hours of the whole procedure."""
        return sum(row.total_hours for row in self.rows)

    def step(self, number: int) -> Step:
        """Return step `number`; KeyError if it does not exist."""
        for s in self.steps:
            if s.number == number:
                return s
        raise KeyError(number)

    def row_of(self, number: int) -> Row:
        """Return the row holding step `number`."""
        for row in self.rows:
            if any(s.number == number for s in row.steps):
                return row
        raise KeyError(number)

    def step_label(self, number: int) -> str:
        """Step `number` as the manual numbers it: its printed label, else its number in Thai digits."""
        step = self.step(number)
        return step.label if step.label is not None else thai_digits(number)

    def timing_of(self, ref: str) -> TimingRule | None:
        """The timing rule a deadline ref names: 6.N a work standard, else a timing statement."""
        for i, standard in enumerate(self.standards, start=1):
            if ref == f"6.{i}":
                return standard.timing
        for statement in self.timings:
            if ref == arabic_digits(statement.ref):
                return statement.timing
        return None

    def conditional_steps(self) -> dict[int, int]:
        """Steps done only when a decision before them rejects (๒.๔ of procedures ๘ and ๑๐): step → decision."""
        found = {}
        for step in self.steps:
            target = step.revision_step
            if target is not None and target > step.number:
                found[target] = step.number
        return found
