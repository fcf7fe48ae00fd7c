"""The shipped procedures match the manual: step counts and hour figures read off the manual by hand."""

from __future__ import annotations

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

# Decision points stated in the manual ("กรณี… ดำเนินการปรับปรุงตามข้อ X แล้วดำเนินการต่อไปตามข้อ Y"):
# procedure → {step: (reject_to, approve_to)}.
DECISIONS: dict[int, dict[int, tuple[int, int | None]]] = {
    1: {6: (6, 7)},
    2: {8: (7, 10), 13: (12, 14)},
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
    """Exactly the manual's decision points are encoded, with their loop-back and continuation."""
    found = {
        s.number: (s.decision.reject_to, s.decision.approve_to)
        for s in catalog.procedure(number).steps
        if s.decision is not None
    }
    assert found == DECISIONS.get(number, {})


def test_steps_are_numbered_one_to_n(catalog: Catalog) -> None:
    """Step numbers run 1..n in every procedure, so `--step K` means the same everywhere."""
    for proc in catalog.procedures.values():
        assert [s.number for s in proc.steps] == list(range(1, len(proc.steps) + 1)), proc.number


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
