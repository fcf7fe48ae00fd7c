"""`sop status`, `sop status N`, `sop due` and `sop log` drawn at 60, 80, 120 and 200 columns, as recorded.

The recorded drawings are `tests/data/terminal/<name>-<width>.txt`. After a deliberate change to
the drawing, look at the new output and record it again:

    SOP_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/rendering/terminal/test_golden.py
"""

from __future__ import annotations

import os

import pytest
from rich.cells import cell_len

from tests.conftest import PROJECT
from tests.rendering.terminal.conftest import History, run_sop

GOLDEN = PROJECT / "tests" / "data" / "terminal"
CASES = {"status": ["status"], "status-2": ["status", "2"], "due": ["due"], "log": ["log"], "show-1": ["show", "1"]}
WIDTHS = (60, 80, 120, 200)
UPDATE = os.environ.get("SOP_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(CASES))
def test_drawn_as_recorded(history: History, name: str, width: int) -> None:
    """The command draws exactly the recorded text at this width (random ids replaced)."""
    drawn = run_sop(history.root, CASES[name], width)
    assert drawn.code == 0, drawn.err
    text = history.text(drawn.out)
    path = GOLDEN / f"{name}-{width}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no recording {path.name}: run with SOP_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(CASES))
def test_every_line_fits_and_nothing_is_cut(history: History, name: str, width: int) -> None:
    """No line is wider than the terminal (a URL may be), none ends in an ellipsis or a space."""
    drawn = run_sop(history.root, CASES[name], width).out
    for line in drawn.splitlines():
        assert "…" not in line
        assert line == line.rstrip(), "trailing spaces in piped output"
        if "https://" not in line:
            assert cell_len(line) <= width, line
