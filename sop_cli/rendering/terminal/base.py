"""Own the Rich consoles: standard output for results, standard error for problems, JSON for scripts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape


def _console(stderr: bool = False) -> Console:
    # Thai needs UTF-8 even where the terminal's code page says otherwise (cp874 on Windows).
    stream = sys.stderr if stderr else sys.stdout
    if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
        stream.reconfigure(encoding="utf-8")
    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None
    return Console(file=stream, width=width, highlight=False, soft_wrap=False, emoji=False)


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
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


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
