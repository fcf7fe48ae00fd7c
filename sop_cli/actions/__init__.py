"""What a user can ask of `sop`, one function per intent; the CLI only parses and renders.

`sop_cli.actions.check` is not imported here: only `sop check` needs it and what it loads.
"""

from sop_cli.actions.procedures import list_procedures, show_procedure
from sop_cli.actions.runs import (
    Actor,
    add_note,
    advance,
    cancel_run,
    event_log,
    resolve_actor,
    run_timeline,
    schedule,
    start_run,
    void_event,
)
from sop_cli.actions.status import status_overview

__all__ = [
    "Actor",
    "add_note",
    "advance",
    "cancel_run",
    "event_log",
    "list_procedures",
    "resolve_actor",
    "run_timeline",
    "schedule",
    "show_procedure",
    "start_run",
    "status_overview",
    "void_event",
]
