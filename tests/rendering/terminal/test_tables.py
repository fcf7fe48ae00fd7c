"""No table cuts a number, a date or an id, at any width from 60 columns (B1, B10)."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len

from sop_cli.thai_calendar import format_short
from tests.rendering.terminal.conftest import History, run_sop

WIDTHS = list(range(60, 201, 7))


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\S+", text))


def _fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert "…" not in line, line
        if "https://" not in line:
            assert cell_len(line) <= width, line


@pytest.mark.parametrize("width", WIDTHS)
def test_status_keeps_every_number(history: History, width: int) -> None:
    """Procedure numbers 1-14, steps done of total and hours of planned all appear whole."""
    rows = json.loads(run_sop(history.root, ["status", "--format", "json"]).out)
    drawn = run_sop(history.root, ["status"], width).out
    _fits(drawn, width)
    starts = [int(m.group(1)) for m in re.finditer(r"^ ?(\d{1,2}) {3}\S", drawn, re.MULTILINE)]
    assert starts == list(range(1, 15))
    tokens = _tokens(drawn)
    for row in rows:
        assert f"{row['done']}/{row['total']}" in tokens
        assert f"{row['hours']:g}/{row['planned_hours']:g}" in tokens


@pytest.mark.parametrize("width", WIDTHS)
def test_due_keeps_dates_days_and_refs(history: History, width: int) -> None:
    """Every deadline's date, working days left, procedure and ref appear whole on its row."""
    deadlines = json.loads(run_sop(history.root, ["due", "--format", "json"]).out)
    drawn = run_sop(history.root, ["due"], width).out
    _fits(drawn, width)
    rows = [line for line in drawn.splitlines() if re.match(r"^(\d+ \S+ \d{4}|รอ)", line)]
    assert len(rows) == len(deadlines)
    for line, deadline in zip(rows, deadlines, strict=True):
        if deadline["due"]:
            import datetime as dt

            assert line.startswith(format_short(dt.date.fromisoformat(deadline["due"])))
            assert str(deadline["days_left"]) in line.split()
        assert str(deadline["procedure"]) in line.split() and deadline["ref"] in line.split()


@pytest.mark.parametrize("width", WIDTHS)
def test_log_keeps_every_event_and_run_id(history: History, width: int) -> None:
    """Every event id and run id of the log appears whole."""
    entries = json.loads(run_sop(history.root, ["log", "--format", "json"]).out)
    drawn = run_sop(history.root, ["log"], width).out
    _fits(drawn, width)
    tokens = _tokens(drawn)
    for entry in entries:
        assert entry["event"] in tokens and entry["run"] in tokens


@pytest.mark.parametrize("width", WIDTHS)
def test_list_and_holidays_keep_their_numbers(history: History, width: int) -> None:
    """`sop list` keeps numbers, steps and hours; `sop holidays list` every date."""
    items = json.loads(run_sop(history.root, ["list", "--format", "json"]).out)
    drawn = run_sop(history.root, ["list"], width).out
    _fits(drawn, width)
    for item in items:
        assert re.search(rf"^ *{item['number']} .* {item['steps']} +{item['hours']:g}$", drawn, re.MULTILINE)
    holidays = run_sop(history.root, ["holidays", "list"], width).out
    _fits(holidays, width)
    assert len(re.findall(r"^\d{1,2} \S+ 25\d\d ", holidays, re.MULTILINE)) >= 15
