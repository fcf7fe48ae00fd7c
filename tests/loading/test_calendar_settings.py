"""sop.toml's [calendar]: the end of the academic year, its default, its mistakes, and its deadlines."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable

import pytest

from sop_cli.loading.settings import academic_year_end, settings_problems
from sop_cli.workspace import Workspace
from tests.conftest import PROJECT, Result


def write(ws: Workspace, text: str) -> None:
    """Write the workspace's sop.toml."""
    (ws.root / "sop.toml").write_text(text, encoding="utf-8")


def test_the_default_is_the_end_of_march(workspace: Workspace) -> None:
    """Without sop.toml (and with the shipped one) the academic year of FY 2570 ends on 31 March 2027."""
    assert academic_year_end(workspace, 2570) == dt.date(2027, 3, 31)
    shutil.copy(PROJECT / "sop.toml", workspace.root / "sop.toml")
    assert settings_problems(workspace)[1] == []
    assert academic_year_end(workspace, 2571) == dt.date(2028, 3, 31)


def test_a_month_day_and_a_year_of_its_own(workspace: Workspace) -> None:
    """MM-DD applies to every fiscal year; a fiscal year's own date (Buddhist Era) wins for that year."""
    write(workspace, '[calendar]\nacademic_year_end = "04-01"\nacademic_year_ends = { 2570 = "2570-04-10" }\n')
    assert academic_year_end(workspace, 2570) == dt.date(2027, 4, 10)
    assert academic_year_end(workspace, 2571) == dt.date(2028, 4, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('academic_year_end = "31-03"', "sop.toml:2:1: calendar.academic_year_end: "),
        ('academic_year_end = "02-30"', "'02-30' is not a day of the calendar (write MM-DD, such as 03-31)"),
        ('academic_year_ends = { 2570 = "2571-04-01" }', "2570 = 2028-04-01 is not in fiscal year 2570"),
        ('acadmic_year_end = "03-31"', "sop.toml:2:1: calendar.acadmic_year_end: unknown key 'acadmic_year_end'"),
    ],
)
def test_mistakes_are_placed_and_leave_the_default(workspace: Workspace, text: str, expected: str) -> None:
    """A wrong date or key is a problem of sop.toml with its line; deadlines meanwhile use the default."""
    write(workspace, f"[calendar]\n{text}\n")
    _, problems = settings_problems(workspace)
    assert any(expected in str(p) for p in problems), problems
    assert academic_year_end(workspace, 2570) == dt.date(2027, 3, 31)


def test_the_setting_dates_procedure_thirteens_evaluation(
    office: Workspace, sop: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sop due` dates ๑๓'s "เมื่อสิ้นปีการศึกษา" on the office's date, and `sop status` follows a change."""

    def thirteen() -> dict[str, object]:
        data = json.loads(sop("due", "--format", "json", cwd=office.root).out)
        (found,) = [d for d in data if d["procedure"] == 13 and d["ref"] == "7.1"]
        return found

    def status_due() -> object:
        rows = json.loads(sop("status", "--format", "json", cwd=office.root).out)
        (row,) = [r for r in rows if r["procedure"] == 13]
        return row["next_deadline"]["due"]

    assert thirteen()["due"] == "2027-03-31" and status_due() == "2027-03-31"
    write(office, '[calendar]\nacademic_year_ends = { 2570 = "2570-04-02" }\n')
    assert thirteen()["due"] == "2027-04-02"
    assert status_due() == "2027-04-02"  # the cached status rows depend on sop.toml too
