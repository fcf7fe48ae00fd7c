"""Draw `--help` pages and the parser's usage errors, wrapped like every other text of `sop`."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from sop_cli.i18n import _
from sop_cli.rendering.terminal.base import err, out
from sop_cli.rendering.terminal.wrap import hanging, wrap_text

_GAP = 2  # cells between a term and its description


@dataclass(frozen=True)
class HelpEntry:
    """One line of a help section: an option, an argument or a command, and what it does."""

    term: str
    text: str


@dataclass(frozen=True)
class HelpPage:
    """Everything `--help` shows for one command, already in the person's language."""

    usage: str
    text: str
    sections: tuple[tuple[str, tuple[HelpEntry, ...]], ...]


def render_help(page: HelpPage) -> None:
    """Print a help page: usage, description, then arguments, options and commands."""
    console = out()
    width = max(console.width, 40)
    console.print(hanging(_("Usage:") + " ", page.usage, width), soft_wrap=True)
    if page.text:
        console.print()
        for paragraph in page.text.split("\n\n"):
            console.print("  ", wrap_text(" ".join(paragraph.split()), width - 2, indent=2, fold=False), sep="")
    for title, entries in page.sections:
        if not entries:
            continue
        console.print()
        console.print(Text(title + ":", style="bold"))
        column = min(max(cell_len(e.term) for e in entries), width // 3)
        for entry in entries:
            term = "  " + entry.term
            if cell_len(entry.term) > column:  # a long term gets its own line, the text under it
                console.print(term, soft_wrap=True)
                term = ""
            label = term + " " * (2 + column + _GAP - cell_len(term))
            console.print(hanging(Text(label), entry.text, width), soft_wrap=True)


def render_usage_error(message: str, usage: str | None, command: str | None) -> None:
    """Print a mistake on the command line: what is wrong, how the command is used, where help is."""
    console = err()
    width = max(console.width, 40)
    console.print(hanging(Text(_("error:") + " ", style="bold red"), message, width), soft_wrap=True)
    if usage:
        console.print(hanging(_("Usage:") + " ", usage, width), soft_wrap=True)
    if command:
        console.print(_("For help: {command} --help").format(command=command), soft_wrap=True, markup=False)
