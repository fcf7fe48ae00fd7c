"""The `sop` command line: each command parses its options, calls one action and renders the result.

Commands live in one module per subject; importing them registers them on the app, in the order
`sop --help` lists them. `main` is the one error boundary.
"""

from __future__ import annotations

import sys
import traceback

# Importing a command module registers its commands, in this order in `sop --help`.
# isort: off
from sop_cli.cli import procedures  # noqa: F401
from sop_cli.cli import runs  # noqa: F401
from sop_cli.cli import deadlines  # noqa: F401
from sop_cli.cli import documents  # noqa: F401
from sop_cli.cli import outputs  # noqa: F401
from sop_cli.cli import sharing  # noqa: F401

# isort: on
from sop_cli.cli.common import app
from sop_cli.errors import ExitCode, SopError
from sop_cli.rendering.terminal import base as console

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run `sop`: the one place that turns errors into messages and exit codes."""
    try:
        app(args=argv, prog_name="sop")  # Typer ends usage errors and --help with SystemExit
        code = int(ExitCode.OK)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(ExitCode.USER_ERROR if exc.code else ExitCode.OK)
    except SopError as exc:
        console.print_error(str(exc))
        code = int(exc.exit_code)
    except KeyboardInterrupt:
        code = int(ExitCode.INTERRUPTED)
    except Exception:  # noqa: BLE001 - the last line of defence: a bug, never a user's mistake
        traceback.print_exc()
        console.print_error("internal error in sop (a bug): please report the traceback above.")
        code = int(ExitCode.INTERNAL)
    if argv is None:
        sys.exit(code)
    return code
