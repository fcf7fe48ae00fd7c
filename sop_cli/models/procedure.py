"""Model the manual's ten-part procedure form as frozen, strict pydantic models."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sop_cli.models.base import Frozen, Id, Text

PROCEDURE_SCHEMA_VERSION = 1


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


class Definition(Frozen):
    """One term of section 3, with the agencies it enumerates where it lists them."""

    term: Text
    meaning: Text
    agencies: tuple[Id, ...] = ()


class Responsibility(Frozen):
    """One duty of section 4, with the roles it names."""

    text: Text
    bodies: tuple[Id, ...] = ()


class Document(Frozen):
    """A working document named in the step table."""

    kind: DocumentKind
    title: Text


class Decision(Frozen):
    """An approve-or-reject point: who decides, where a rejection loops, where approval goes."""

    by: tuple[Id, ...] = Field(min_length=1)
    wording: Text
    reject_to: int = Field(ge=1)
    approve_to: int | None = Field(default=None, ge=1)


class Step(Frozen):
    """A numbered step inside a row of the step table."""

    number: int = Field(ge=1)
    # The number as printed, where the manual numbers steps per row (๒.๔ in procedure ๘).
    label: Text | None = None
    text: Text
    hours: float | None = Field(default=None, gt=0)
    decision: Decision | None = None

    @model_validator(mode="after")
    def _decision_loops_back(self) -> Step:
        if self.decision is not None:
            if self.decision.reject_to > self.number:
                raise ValueError(
                    f"a rejection at step {self.number} must go back to this step or an earlier one, "
                    f"not to {self.decision.reject_to}"
                )
            if self.decision.approve_to is not None and self.decision.approve_to <= self.number:
                raise ValueError(
                    f"an approval at step {self.number} must continue at a later step, "
                    f"not at {self.decision.approve_to}"
                )
        return self


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
            raise ValueError("give the hours either for the row or for each step, not both")
        if per_step and len(per_step) != len(self.steps):
            raise ValueError("when hours are given per step, every step of the row needs them")
        return self

    @property
    def total_hours(self) -> float:
        """Hours of the row, from the row figure or the sum of its steps."""
        if self.hours is not None:
            return self.hours
        return sum(s.hours or 0.0 for s in self.steps)


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

    @model_validator(mode="after")
    def _one_unit(self) -> BeforeEvent:
        if (self.working_days is None) == (self.days is None):
            raise ValueError("give exactly one of working_days or days")
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


class TimedStatement(Frozen):
    """A timing statement of the manual outside section 6 (the inspection months of the scope,
    the quarterly record keeping of section 10, the yearly research report of a step table)."""

    ref: Text  # where it is printed, such as ๒.๒ or ๑๐
    text: Text
    timing: TimingRule
    step: int | None = Field(default=None, ge=1)


class MonitoringRound(Frozen):
    """One evaluation round of section 7."""

    name: Text
    quarters: tuple[Annotated[int, Field(ge=1, le=4)], ...] = Field(min_length=1)


class Monitoring(Frozen):
    """Section 7: how the work is evaluated, and in which rounds."""

    text: Text
    # Empty where the manual states no round (procedures ๖, ๑๐, ๑๑, ๑๓, ๑๔ only say what is evaluated).
    rounds: tuple[MonitoringRound, ...] = ()
    # Where the manual gives a count of evaluations but no quarters ("๒ ครั้ง/ปีงบประมาณ").
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
