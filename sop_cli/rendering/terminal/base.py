"""Own the Rich consoles: standard output for results, standard error for problems, JSON for scripts.

Tables are laid out here (`table`): columns of numbers, dates and ids get the width of their
widest line, so they are never cut, and the text columns share what the terminal has left, their
Thai wrapped at word boundaries by `wrap`. Output that goes to a file or a pipe loses the spaces
Rich pads every line with.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal

from rich import box
from rich.cells import cell_len
from rich.console import Console, HighlighterType, JustifyMethod, OverflowMethod
from rich.markup import escape
from rich.style import Style
from rich.table import Table
from rich.text import Text

from sop_cli.i18n import _
from sop_cli.rendering.terminal.wrap import UNPRINTABLE, printable, safe, widest_unbroken, widest_word, wrap_text

MIN_TEXT = 10  # the narrowest a text column gets, whatever the terminal's width


class _TrimmedLines:
    """A text stream that drops the spaces at the end of every line (Rich pads table lines)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._spaces = ""

    def write(self, text: str) -> int:
        text = self._spaces + text
        lines = text.split("\n")
        last = lines.pop()
        body = "".join(line.rstrip(" ") + "\n" for line in lines)
        kept = last.rstrip(" ")
        self._spaces = last[len(kept) :]
        self._stream.write(body + kept)
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Console(Console):
    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(safe(o) if isinstance(o, Text) else o for o in objects), **kwargs)

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
    terminal = stream.isatty() if hasattr(stream, "isatty") else False
    file: Any = stream if terminal else _TrimmedLines(stream)
    return _Console(file=file, width=width, highlight=False, soft_wrap=False, emoji=False)


def out() -> Console:
    """The console for results (standard output)."""
    return _console()


def err() -> Console:
    """The console for messages about failures (standard error)."""
    return _console(stderr=True)


def print_error(message: str) -> None:
    """Print one error sentence to standard error."""
    prefix = _("error:")
    err().print(f"[bold red]{escape(prefix)}[/] {escape(message)}", soft_wrap=True)


def print_json(data: Any) -> None:
    """Print `data` as indented JSON, Thai left readable."""
    text = json.dumps(data, ensure_ascii=False, indent=2)  # escapes C0 controls, not DEL, C1 or bidi marks
    sys.stdout.write(UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


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


@dataclass(frozen=True)
class Column:
    """A column of `table`: a fixed one is as wide as its widest line; a text one is wrapped."""

    header: str
    justify: Literal["left", "right"] = "left"
    text: bool = False  # wrapped to share the terminal's remaining width
    ratio: int = 1  # share of the remaining width among the text columns


Cell = Text | str


def _text(cell: Cell) -> Text:
    return safe(Text.from_markup(printable(cell)) if isinstance(cell, str) else cell)


def _widest_line(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


def table(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int, title: str | None = None, lines: bool = False
) -> Table:
    """A table that fits `width` cells and loses nothing: numbers whole, Thai text wrapped.

    Rich shrinks every column of a table too wide for the terminal, numbers included, and cuts
    text with an ellipsis; here the fixed columns take exactly what their content needs and the
    text columns share the rest (at least `MIN_TEXT` cells each), each cell wrapped by `wrap`.
    Cells are Rich markup strings or `Text`. Continuation lines of a wrapped cell are not indented.
    `lines` draws a rule between rows (for rows of several paragraphs).
    """
    cells = [[_text(cell) for cell in row] for row in rows]
    headers = [Text(column.header, style="bold") for column in columns]
    overhead = 3 * len(columns) - 3  # one space of padding each side, one divider between columns
    fixed = {
        i: max([_widest_line(headers[i])] + [_widest_line(row[i]) for row in cells])
        for i, column in enumerate(columns)
        if not column.text
    }
    flexible = [i for i, column in enumerate(columns) if column.text]
    natural = {i: max([_widest_line(row[i]) for row in cells] + [_widest_line(headers[i])]) for i in flexible}
    least = {i: max(MIN_TEXT, max([widest_unbroken(row[i].plain) for row in cells], default=0)) for i in flexible}
    # A heading keeps its words whole, however narrow the terminal.
    floor = {i: widest_word(headers[i].plain) for i in flexible}
    widths = dict(fixed)
    widths.update(_share(width - sum(fixed.values()) - overhead, flexible, columns, natural, least, floor))
    out_table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        title_style="bold",
        show_lines=lines,
    )
    for i, column in enumerate(columns):
        header = wrap_text(headers[i], widths[i]) if column.text else headers[i]
        out_table.add_column(header, justify=column.justify, width=widths[i], no_wrap=True, overflow="fold")
    for row in cells:
        out_table.add_row(*(wrap_text(cell, widths[i]) if i in natural else cell for i, cell in enumerate(row)))
    return out_table


def _share(
    room: int,
    flexible: list[int],
    columns: Sequence[Column],
    natural: dict[int, int],
    least: dict[int, int],
    floor: dict[int, int],
) -> dict[int, int]:
    """Split `room` cells between the text columns: each gets its least, then the rest by ratio, none
    more than its natural width (a narrow terminal can leave them only their least)."""
    widths = {i: min(least[i], natural[i]) for i in flexible}
    if sum(widths.values()) > room:
        # Too narrow for every unbroken word: the text columns shrink in proportion and their long
        # words fold, so that the numbers of the fixed columns stay whole.
        total = sum(widths.values())
        widths = {i: max(floor[i], room * width // total) for i, width in widths.items()}
    spare = room - sum(widths.values())
    while spare > 0:
        hungry = [i for i in flexible if widths[i] < natural[i]]
        if not hungry:
            break
        total = sum(columns[i].ratio for i in hungry)
        given = 0
        for i in hungry:
            share = min(max(spare * columns[i].ratio // total, 1), natural[i] - widths[i], spare - given)
            widths[i] += share
            given += share
        spare -= given
        if given == 0:
            break
    return widths
