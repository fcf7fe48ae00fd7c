"""What a user can ask of `sop`, one function per intent; the CLI only parses and renders.

Each name is imported from its module on first use, so that a command loads only what it needs:
`sop list` does not pay for the run engine, `sop status` not for documents.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sop_cli.actions.procedures import list_procedures as list_procedures
    from sop_cli.actions.procedures import show_procedure as show_procedure
    from sop_cli.actions.runs import Actor as Actor
    from sop_cli.actions.runs import add_note as add_note
    from sop_cli.actions.runs import advance as advance
    from sop_cli.actions.runs import cancel_run as cancel_run
    from sop_cli.actions.runs import event_log as event_log
    from sop_cli.actions.runs import resolve_actor as resolve_actor
    from sop_cli.actions.runs import run_timeline as run_timeline
    from sop_cli.actions.runs import schedule as schedule
    from sop_cli.actions.runs import start_run as start_run
    from sop_cli.actions.runs import void_event as void_event
    from sop_cli.actions.status import status_overview as status_overview

_HOMES = {
    "list_procedures": "procedures",
    "show_procedure": "procedures",
    "status_overview": "status",
    "Actor": "runs",
    "add_note": "runs",
    "advance": "runs",
    "cancel_run": "runs",
    "event_log": "runs",
    "resolve_actor": "runs",
    "run_timeline": "runs",
    "schedule": "runs",
    "start_run": "runs",
    "void_event": "runs",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'sop_cli.actions' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"sop_cli.actions.{home}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value
