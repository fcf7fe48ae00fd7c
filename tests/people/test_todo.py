"""`sop todo`: a person's work, most urgent first, with the next action, their substitute's share included."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from sop_cli.errors import ExitCode
from sop_cli.workspace import Workspace
from tests.conftest import Result
from tests.people.conftest import record

Run = Callable[..., Result]


def _todo(sop: Run, ws: Workspace, *args: str) -> dict[str, Any]:
    data = json.loads(record(sop, ws, "todo", "--format", "json", *args).out)
    assert isinstance(data, dict)
    return data


def _keys(data: dict[str, Any]) -> list[tuple[str, int, str | None, int | None, int | None]]:
    return [(i["kind"], i["procedure"], i["ref"], i["step"], i["days_left"]) for i in data["items"]]


def test_overdue_first_then_by_days_left_then_decisions_then_steps(busy: Workspace, sop: Run) -> None:
    """nanthana (SOP_USER) sees ๖.๑ late, ๖.๕ today, ๖.๔ in 3 days, the decision of step 8, then step 1."""
    data = _todo(sop, busy)
    assert data["person"] == "nanthana"
    assert _keys(data) == [
        ("deadline", 1, "6.1", None, -8),
        ("deadline", 1, "6.5", None, 0),
        ("deadline", 1, "6.4", None, 3),
        ("decision", 2, None, 8, None),
        ("step", 1, None, 1, None),
    ]
    actions = [i["action"] for i in data["items"]]
    assert actions[0] == "do it, then record it: sop note 1 --met 6.1"
    assert actions[3] == (
        "bring it to คณะอนุกรรมการบริหารราชการเชิงยุทธศาสตร์, กศจ. for a decision, then record it: "
        "sop advance 2 --approve (or --reject --reason TEXT)"
    )
    assert actions[4] == "do step 1, then record it: sop advance 1 --note TEXT"
    assert data["later"] > 0  # the quarter's deadlines and the procedures not started are counted


def test_all_lists_later_deadlines_and_dates_not_set(busy: Workspace, sop: Run) -> None:
    """--all adds the deadlines after the horizon (31 Dec, 23 working days), dates not set and starts."""
    data = _todo(sop, busy, "--all")
    kinds = [i["kind"] for i in data["items"]]
    assert data["later"] == 0 and kinds.count("start") == 2  # procedures 3 and 4 are nanthana's too
    lefts = [i["days_left"] for i in data["items"] if i["kind"] == "deadline" and i["days_left"] is not None]
    assert lefts == sorted(lefts) and 23 in lefts
    waiting = [i for i in data["items"] if i["kind"] == "deadline" and i["due"] is None]
    assert waiting and all(i["action"].startswith(("set the date of", "finish step", "record the")) for i in waiting)


def test_a_person_named_in_thai_sees_only_their_work(busy: Workspace, sop: Run) -> None:
    """--person takes a Thai name; warunee, on none of these procedures, has nothing within the fortnight."""
    mine = _todo(sop, busy, "--person", "เสาวลักษณ์ นันไชยบัว")
    assert mine["person"] == "saowalak" and _keys(mine)[0] == ("deadline", 1, "6.1", None, -8)
    theirs = _todo(sop, busy, "--person", "warunee")
    assert theirs["items"] == []
    unknown = sop("todo", "--person", "somchai", cwd=busy.root)
    assert unknown.code == ExitCode.USER_ERROR and "'somchai' is not in the staff roster" in unknown.err


def test_handing_over_changes_the_list_at_once(busy: Workspace, sop: Run) -> None:
    """After `sop assign 2 warunee`, the decision moves from nanthana's list to warunee's (the cache follows)."""
    assert ("decision", 2, None, 8, None) in _keys(_todo(sop, busy))
    record(sop, busy, "assign", "2", "warunee")
    assert ("decision", 2, None, 8, None) not in _keys(_todo(sop, busy))
    assert ("decision", 2, None, 8, None) in _keys(_todo(sop, busy, "--person", "warunee"))


def test_leave_moves_the_work_to_the_substitute_and_back(
    busy: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """During saowalak's leave warunee sees her items, marked; after it, or once it is cancelled, not."""
    record(sop, busy, "leave", "saowalak", "--from", "2569-11-24", "--to", "2569-11-27", "--substitute", "warunee")
    during = _todo(sop, busy, "--person", "warunee")
    assert _keys(during)[:3] == [("deadline", 1, "6.1", None, -8), ("deadline", 1, "6.5", None, 0),
                                 ("deadline", 1, "6.4", None, 3)]  # fmt: skip
    assert {i["for_person"] for i in during["items"]} == {"saowalak"}
    assert [leave["person"] for leave in during["standing_in_for"]] == ["saowalak"]
    table = record(sop, busy, "todo", "--person", "warunee").out
    assert "standing in for เสาวลักษณ์" in table and "for เสาวลักษณ์, on leave" in table
    away = _todo(sop, busy, "--person", "saowalak")
    assert away["away"]["substitute"] == "warunee"
    monkeypatch.setenv("SOP_NOW", "2026-11-30T09:00:00")  # the Monday after: she is back
    assert _todo(sop, busy, "--person", "warunee")["items"] == []
    monkeypatch.setenv("SOP_NOW", "2026-11-26T09:00:00")
    leave_id = during["standing_in_for"][0]["id"]
    assert _todo(sop, busy, "--person", "warunee")["items"] != []
    record(sop, busy, "leave", "--cancel", leave_id, "--reason", "ยกเลิกการลา")
    assert _todo(sop, busy, "--person", "warunee")["items"] == []


def test_todo_in_thai(busy: Workspace, sop: Run) -> None:
    """The table speaks Thai: headings, days late, the next action."""
    out = sop("todo", "--lang", "th", cwd=busy.root).out
    assert "งานของ นันทนา จันทร์ฝั้น ณ วันที่ 25 พ.ย. 2569" in out
    assert "เกินมา 8 วันทำการ" in out and "→ ดำเนินการ แล้วบันทึก:\n" in out
    assert "\n                        sop note 1 --met 6.1\n" in out  # the command on a line of its own
