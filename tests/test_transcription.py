"""The shipped procedures match the manual: step counts and hour figures read off the manual by hand."""

from __future__ import annotations

import re

import pytest

from sop_cli.loading.catalog import load_catalog
from sop_cli.models.catalog import Catalog
from sop_cli.workspace import Workspace
from tests.conftest import PROJECT

# Read off ../shared/manual/000_45d35a204f4b331e.txt, section 5 of each procedure: the hour
# figures in the order the manual prints them ("ระยะเวลาดำเนินการ", one per row, or one per
# sub-step where the manual gives that), and the number of numbered steps. Not generated from
# the YAML: a transcription slip in sops/ makes this test fail.
MANUAL: dict[int, tuple[int, list[int]]] = {
    1: (8, [100, 360, 12]),  # rows ๑-๒ (steps ๑–๓), ๔-๗ (๔–๗), ๘
    2: (14, [60, 48, 180, 180, 240, 240, 240]),  # rows ๑-๒ … ๑๔
    3: (8, [45, 257, 350, 105, 36, 34]),  # rows ๑, ๒-๓, ๔-๕, ๖, ๗, ๘
    4: (5, [365, 1260, 630, 240, 420]),  # one row ๑-๒, one figure per step ๑–๕
    5: (6, [80, 100]),  # rows ๑, ๒-๕; row ๖ prints no duration
    6: (4, [80, 360, 120]),  # steps ๑, ๒, ๓ and the lone ๓.๘ row
    7: (6, [360, 70, 630, 210, 420, 34]),  # one row ๑-๖, one figure per step
    8: (15, [95, 180, 240, 2100, 320, 340, 40, 120, 180, 40, 140, 1440, 1200, 240, 180]),  # 4 rows, per sub-step
    9: (11, [180, 180, 360, 1400, 180, 1000, 180, 180, 180, 1000, 180]),
    10: (15, [95, 180, 240, 2100, 320, 340, 40, 120, 180, 40, 140, 1440, 1200, 240, 180]),
    11: (6, [180, 180, 360, 280, 1200, 180]),  # one row ๑, sub-steps ๑.๑–๑.๖
    12: (6, [180, 180, 360, 280, 1200, 180]),
    13: (7, [180, 180, 360, 280, 1200, 180, 240]),
    14: (6, [180, 180, 360, 280, 1200, 180]),
}

# Decision points: procedure → {step: (kind, the step a rejection sends the work to, the step the
# work continues at, where the manual states it)}. The text of ๑ ๖, ๒ ๘ and ๒ ๑๓ says "กรณี…
# ดำเนินการปรับปรุงตามข้อ X แล้วดำเนินการต่อไปตามข้อ Y" (revise, then continue: no second decision);
# ๒ ๘ prints "ข้อ ๑๐" but its flowchart goes on to step ๙ (sops/questions.yaml, step_after_2_8). ๖'s
# and ๘'s diamonds are drawn only in the flowchart; ๕ and ๑๐ imply theirs in a work standard.
DECISIONS: dict[int, dict[int, tuple[str, int, int, str]]] = {
    1: {6: ("revise", 6, 7, "text")},
    2: {8: ("revise", 7, 9, "text"), 13: ("revise", 12, 14, "text")},
    5: {3: ("revise", 3, 4, "standard")},
    6: {3: ("revise", 3, 4, "flowchart")},
    8: {7: ("revise", 8, 9, "flowchart")},
    10: {7: ("revise", 8, 9, "standard")},
}
# The branch labels the manual prints where they are not ไม่เห็นชอบ / เห็นชอบ.
BRANCH_LABELS: dict[tuple[int, int], tuple[str, str]] = {
    (1, 6): ("ไม่เป็นที่ยอมรับ", "เป็นที่ยอมรับ"),
    (2, 13): ("เสนอแนะ/สั่งการ", "เห็นชอบ"),
    (6, 3): ("ปรับปรุงตามข้อเสนอแนะ", "รับทราบ"),
}
# Steps done only when the decision before them rejects (๒.๔ "ปรับปรุงแก้ไขตามที่ … เสนอแนะ").
CONDITIONAL: dict[int, dict[int, int]] = {8: {8: 7}, 10: {8: 7}}

# The inspection rounds of ๒.๒ ("ครั้งที่ ๑ เดือนกุมภาพันธ์ ครั้งที่ ๒ เดือนสิงหาคม"): the months, the
# steps done again in each round, and the deadline refs owed again in each round.
CYCLES: dict[int, tuple[tuple[int, ...], tuple[int, int] | None, list[str]]] = {
    1: ((2, 8), None, ["6.4", "6.5", "6.6", "2.2"]),
    2: ((2, 8), (10, 14), ["2.2"]),
}

# The heading of every part, in the manual's order and numbering (lines 110–1505 of the OCR text).
FORM = [
    "วัตถุประสงค์",
    "ขอบเขตงาน",
    "คำจำกัดความ",
    "หน้าที่ความรับผิดชอบ",
    "ขั้นตอนการปฏิบัติหรือระเบียบปฏิบัติราชการ",
    "มาตรฐานงาน",
    "ระบบการติดตามประเมินผล",
    "เอกสารอ้างอิง",
    "แบบฟอร์มที่ใช้",
    "เอกสารบันทึก",
]


def _form(**changed: str) -> list[str]:
    """The form's headings with some parts printed otherwise (by their 1-based number)."""
    headings = list(FORM)
    for number, heading in changed.items():
        headings[int(number.lstrip("_")) - 1] = heading
    return headings


HEADINGS: dict[int, list[str]] = {
    1: FORM,
    2: FORM,
    3: FORM,
    4: _form(_2="ขอบเขต"),
    5: _form(_8="เอกสารอ้างอิง ข้อกฎหมายที่เกี่ยวข้อง"),
    6: _form(_2="ขอบเขต", _5="ขั้นตอนการปฏิบัติระเบียบปฏิบัติราชการ"),
    7: _form(_7="ระบบติดตามประเมินผล"),
    8: _form(_2="ขอบเขต"),
    9: _form(_2="ขอบเขต"),
    10: _form(_2="ขอบเขต"),
    11: _form(_2="ขอบเขต"),
    # Procedure ๑๒ has eleven parts: ๑๐ its laws, ๑๑ its records.
    12: [*_form(_2="ขอบเขต")[:9], "ข้อกฎหมายที่เกี่ยวข้อง", "เอกสารบันทึก"],
    13: _form(_2="ขอบเขต"),
    14: _form(_2="ขอบเขต"),
}

# Numbers the manual prints inside steps: procedure → {step: [its number, its sub-steps' (None for
# a "-" item)…]}.
SUBSTEPS: dict[int, dict[int, list[str | None]]] = {
    5: {1: ["๑", None, None, None]},  # step ๑ and its three "-" items
    6: {
        1: ["๑", "๑.๑", "๑.๒"],
        2: ["๒", "๒.๑", "๒.๒", "๒.๓", "๒.๔", "๒.๕"],
        3: ["๓", "๓.๑", "๓.๒", "๓.๓", "๓.๔", "๓.๕", "๓.๖", "๓.๗"],
        4: ["๓.๘"],  # ๓.๘ alone in row ๖, with its own hours
    },
    7: {1: ["๑", None, None], 2: ["๒", None, None, None], 3: ["๓", None, None]},
    11: {n: [f"๑.{'๐๑๒๓๔๕๖'[n]}"] for n in range(1, 7)},
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The shipped catalog, loaded once."""
    return load_catalog(Workspace(PROJECT))


def _printed_hours(catalog: Catalog, number: int) -> list[float]:
    proc = catalog.procedure(number)
    figures: list[float] = []
    for row in proc.rows:
        if row.hours is not None:
            figures.append(row.hours)
        else:
            figures.extend(s.hours for s in row.steps if s.hours is not None)
    return figures


def test_all_fourteen_procedures_are_shipped(catalog: Catalog) -> None:
    """sops/ holds exactly the procedures 1 to 14."""
    assert sorted(catalog.procedures) == list(range(1, 15))


@pytest.mark.parametrize("number", sorted(MANUAL))
def test_step_count_matches_manual(catalog: Catalog, number: int) -> None:
    """Each procedure has the number of steps the manual numbers."""
    assert len(catalog.procedure(number).steps) == MANUAL[number][0]


@pytest.mark.parametrize("number", sorted(MANUAL))
def test_hour_figures_match_manual(catalog: Catalog, number: int) -> None:
    """Each procedure carries the manual's hour figures, in order, and their sum."""
    expected = MANUAL[number][1]
    assert _printed_hours(catalog, number) == expected
    assert catalog.procedure(number).total_hours == sum(expected)


@pytest.mark.parametrize("number", sorted(MANUAL))
def test_decisions_match_manual(catalog: Catalog, number: int) -> None:
    """Exactly the manual's decision points are encoded: their kind, revision step, continuation and source."""
    found = {}
    for step in catalog.procedure(number).steps:
        d = step.decision
        if d is not None:
            target = step.revision_step if d.kind == "revise" else d.reject_to
            found[step.number] = (d.kind.value, target, d.approve_to or step.number + 1, d.source.value)
    assert found == DECISIONS.get(number, {})


def test_branch_labels_are_the_manuals(catalog: Catalog) -> None:
    """Branches carry the words the manual prints: ไม่เป็นที่ยอมรับ, เสนอแนะ/สั่งการ, รับทราบ …"""
    for number, decisions in DECISIONS.items():
        for step in decisions:
            d = catalog.procedure(number).step(step).decision
            assert d is not None
            assert (d.reject_label, d.approve_label) == BRANCH_LABELS.get((number, step), (d.reject_label, "เห็นชอบ")), (
                number,
                step,
            )
    wording = catalog.procedure(2).step(8).decision
    assert wording is not None and "ดำเนินการต่อไปตามข้อ ๑๐" in wording.wording  # the printed text is kept


def test_conditional_steps(catalog: Catalog) -> None:
    """๒.๔ of procedures ๘ and ๑๐ is done only when the decision at ๒.๓ asks for changes."""
    for number in MANUAL:
        assert catalog.procedure(number).conditional_steps() == CONDITIONAL.get(number, {}), number


def test_inspection_rounds(catalog: Catalog) -> None:
    """Procedures ๑ and ๒ carry both inspection rounds; only the stated steps and rules repeat."""
    for number in MANUAL:
        proc = catalog.procedure(number)
        if number not in CYCLES:
            assert proc.cycles is None, number
            continue
        months, steps, refs = CYCLES[number]
        assert proc.cycles is not None
        assert proc.cycles.months == months
        span = (proc.cycles.first_step, proc.cycles.last_step)
        assert span == (steps if steps is not None else (None, None))
        repeated = [f"6.{i}" for i, s in enumerate(proc.standards, 1) if s.per_cycle]
        repeated += [t.ref.replace("๒", "2").replace("๑", "1") for t in proc.timings if t.per_cycle]
        assert repeated == refs, number


@pytest.mark.parametrize("number", sorted(MANUAL))
def test_parts_in_the_manuals_order_and_headings(catalog: Catalog, number: int) -> None:
    """Every part is printed under the manual's heading, in its order (๑๒ has eleven parts)."""
    proc = catalog.procedure(number)
    assert [proc.heading(s) for s in proc.sections] == HEADINGS[number]
    if number == 12:
        assert [proc.section_number(s) for s in ("related_laws", "records")] == [10, 11]  # type: ignore[arg-type]


def test_sub_steps_keep_the_manuals_numbers(catalog: Catalog) -> None:
    """Steps and sub-steps carry the numbers the manual prints (๖'s ๒.๑–๒.๕, ๑๑'s ๑.๑–๑.๖)."""
    for number, steps in SUBSTEPS.items():
        proc = catalog.procedure(number)
        for step_number, labels in steps.items():
            step = proc.step(step_number)
            printed = [proc.step_label(step_number), *(sub.label for sub in step.substeps)]
            assert printed == labels, (number, step_number)
    assert catalog.procedure(6).step_label(4) == "๓.๘" and catalog.procedure(2).step_label(9) == "๙"


def test_lead_ins_notes_and_nested_duties(catalog: Catalog) -> None:
    """๖'s objectives follow a lead-in; its note under the step table is no reference; ๕ and ๖ keep ๔.๒.๑ …"""
    six = catalog.procedure(6)
    assert six.intros["objectives"].endswith("ดังนี้")  # type: ignore[index]
    assert len(six.objectives) == 2 and six.references[-1] == "แผนการนิเทศประจำปี"
    assert six.notes["steps"] == "เอกสารอ้างอิง : คู่มือการนิเทศรายบุคคล แผนการนิเทศ"  # type: ignore[index]
    assert [r.label for r in six.responsibilities][:4] == ["๔.๑", "๔.๑.๑", "๔.๑.๒", "๔.๒"]
    assert len(six.responsibilities) == 18
    five = catalog.procedure(5)
    assert [r.label for r in five.responsibilities] == [
        "๔.๑", "๔.๒", *(f"๔.๒.{n}" for n in "๑๒๓๔๕๖๗๘๙"), "๔.๒.๑๐", "๔.๓", "๔.๔", "๔.๕", "๔.๖",
    ]  # fmt: skip
    groups = catalog.procedure(1).definitions[4].groups
    assert [(g.label, len(g.agencies)) for g in groups] == [("๓.๕.๑", 5), ("๓.๕.๒", 5)]


def test_rows_without_hours_say_so(catalog: Catalog) -> None:
    """Row ๖ of procedure ๕ prints no duration: it has none, rather than 0."""
    rows = catalog.procedure(5).rows
    assert [row.has_hours for row in rows] == [True, True, False]


def test_steps_are_numbered_one_to_n(catalog: Catalog) -> None:
    """Step numbers run 1..n in every procedure, so `--step K` means the same everywhere."""
    for proc in catalog.procedures.values():
        assert [s.number for s in proc.steps] == list(range(1, len(proc.steps) + 1)), proc.number


def test_persons_as_printed_where_the_manual_names_them(catalog: Catalog) -> None:
    """๑ rows ๑-๒ and ๔-๗ read the doubled เสาวภา as เสาวลักษณ์; ๑๓ rows ๑ and ๒ list whom they print."""
    one = catalog.procedure(1)
    assert [row.responsible for row in one.rows] == [("nanthana", "saowalak", "thidarat", "saowapha")] * 3
    thirteen = catalog.procedure(13)
    assert thirteen.rows[0].responsible == ("anurak", "phannaphat", "chomphunut")
    assert thirteen.rows[1].responsible == ("chomphunut", "kunjira")


def test_one_spelling_per_drive_folder(catalog: Catalog) -> None:
    """The folder printed three ways in ๑๑, ๑๓, ๑๔ (and two ways in ๘, ๙) has one address, of 33 characters."""
    folders: dict[int, set[str]] = {}
    for number, proc in catalog.procedures.items():
        folders[number] = {
            place.url.split("/folders/")[1].split("?")[0]
            for record in proc.records
            for place in record.storage
            if place.url and "/folders/" in place.url
        }
    assert folders[8] == folders[9] == {"1jyqgQK17HKSLZEoYhJLanyts52V27JFs"}
    assert folders[11] == folders[13] == folders[14] == {"1UaPLPDlWWXt1pgYaFFZmbrvGoWMEJHSK"}
    assert all(len(f) == 33 for fs in folders.values() for f in fs)


def test_every_procedure_names_who_is_responsible(catalog: Catalog) -> None:
    """Every row of every step table has a responsible person or body (merged cells filled in)."""
    for proc in catalog.procedures.values():
        for row in proc.rows:
            if proc.number == 5 and row.label == "๖":
                continue  # the manual leaves this closing row empty in every column but the text
            assert row.responsible or row.responsible_bodies, (proc.number, row.label)


def test_procedure_one_timing_rules(catalog: Catalog) -> None:
    """All eight work standards of procedure 1 carry their deadline in machine-readable form."""
    kinds = [s.timing.kind if s.timing else None for s in catalog.procedure(1).standards]
    assert kinds == [
        "before_event", "within_quarters", "within_quarters", "before_event",
        "before_event", "response_share", "within_fiscal_year", "within_quarters",
    ]  # fmt: skip


# Every point of ../shared/docs/findings/fidelity.md (66): each is answered in the header comment of
# the file it concerns, fixed or with the reason it stays.
FINDINGS = {
    1: 7, 2: 5, 3: 2, 4: 2, 5: 6, 6: 8, 7: 2, 8: 5, 9: 3, 10: 2, 11: 4, 12: 4, 13: 6, 14: 4,
}  # fmt: skip


def test_every_finding_of_the_review_is_answered() -> None:
    """P1-1 … P14-4 are answered in their procedure's file, S-1 … S-5 and V-1 in sops/staff.yaml."""
    sops = PROJECT / "sops"
    for number, count in FINDINGS.items():
        (path,) = sops.glob(f"{number:02d}-*.yaml")
        text = path.read_text(encoding="utf-8")
        for i in range(1, count + 1):
            assert re.search(rf"^#\s+P{number}-{i} ", text, re.MULTILINE), f"P{number}-{i} in {path.name}"
    staff = (sops / "staff.yaml").read_text(encoding="utf-8")
    for point in ("S-1", "S-2", "S-3", "S-4", "S-5", "V-1"):
        assert re.search(rf"^#\s+{point} ", staff, re.MULTILINE), point
    assert sum(FINDINGS.values()) + 6 == 66


def test_questions_named_in_the_files_exist(catalog: Catalog) -> None:
    """Every question a comment of sops/ names is in sops/questions.yaml, and every question is named."""
    ids = {q.id for q in catalog.questions}
    named: set[str] = set()
    for path in (PROJECT / "sops").glob("*.yaml"):
        if path.name != "questions.yaml":
            named |= set(re.findall(r"question ([a-z][a-z0-9]*_[a-z0-9_]+)", path.read_text(encoding="utf-8")))
    assert named <= ids and ids <= named
    for question in catalog.questions:
        for where in question.where:
            assert (PROJECT / where.split(":")[0]).is_file(), where
