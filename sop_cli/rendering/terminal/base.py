"""Own the Rich consoles: standard output for results, standard error for problems, JSON for scripts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import sys
from typing import Any

from rich.console import Console, HighlighterType, JustifyMethod, OverflowMethod
from rich.markup import escape
from rich.style import Style
from rich.text import Text

# Control characters (but tab and line break) and the marks that reorder a line: a note, label,
# reason or file name holding them could clear the screen, fake coloured text, add a link or
# retitle the window. Rich removes only a few of them.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character written as its escape (`\\x1b`), so none reaches the terminal raw."""
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)


class _Console(Console):
    """A console that shows control characters in every string it prints (tables and titles too) as escapes."""

    def render_str(
        self,
        text: str,
        *,
        style: str | Style = "",
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        emoji: bool | None = None,
        markup: bool | None = None,
        highlight: bool | None = None,
        highlighter: HighlighterType | None = None,
    ) -> Text:
        return super().render_str(
            printable(text),
            style=style,
            justify=justify,
            overflow=overflow,
            emoji=emoji,
            markup=markup,
            highlight=highlight,
            highlighter=highlighter,
        )


def _console(stderr: bool = False) -> Console:
    # Thai needs UTF-8 even where the terminal's code page says otherwise (cp874 on Windows).
    stream = sys.stderr if stderr else sys.stdout
    if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
        stream.reconfigure(encoding="utf-8")
    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None
    return _Console(file=stream, width=width, highlight=False, soft_wrap=False, emoji=False)


def out() -> Console:
    """The console for results (standard output)."""
    return _console()


def err() -> Console:
    """The console for messages about failures (standard error)."""
    return _console(stderr=True)


def print_error(message: str) -> None:
    """Print one error sentence to standard error."""
    err().print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)


def print_json(data: Any) -> None:
    """Print `data` as indented JSON, Thai left readable."""
    text = json.dumps(data, ensure_ascii=False, indent=2)  # escapes C0 controls, not DEL, C1 or bidi marks
    sys.stdout.write(_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def hours_text(hours: float) -> str:
    """Hours without a useless decimal: 180, 1.5."""
    return f"{hours:g}"


def as_json(items: Any) -> Any:
    """Dataclass view-models as JSON-ready data (dates as ISO strings)."""
    if dataclasses.is_dataclass(items) and not isinstance(items, type):
        return {k: as_json(v) for k, v in dataclasses.asdict(items).items()}
    if isinstance(items, dict):
        return {k: as_json(v) for k, v in items.items()}
    if isinstance(items, list | tuple):
        return [as_json(v) for v in items]
    if isinstance(items, dt.date | dt.datetime):
        return items.isoformat()
    return items
