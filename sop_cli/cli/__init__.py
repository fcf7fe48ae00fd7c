"""The `sop` command line: each command parses its options, calls one action and renders the result.

Commands live in one module per subject; importing them registers them on the app, in the order
`sop --help` lists them. `main` is the one error boundary.
"""

from __future__ import annotations

import errno
import sys
import traceback
from pathlib import Path

# Importing a command module registers its commands, in this order in `sop --help`.
# isort: off
from sop_cli.cli import procedures  # noqa: F401
from sop_cli.cli import runs  # noqa: F401
from sop_cli.cli import deadlines  # noqa: F401
from sop_cli.cli import documents  # noqa: F401
from sop_cli.cli import outputs  # noqa: F401

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
    except OSError as exc:  # a full disk, a read-only one, no permission: the person's situation
        code = _file_system_refusal(exc)
    except Exception:  # noqa: BLE001 - the last line of defence: a bug, never a user's mistake
        traceback.print_exc()
        console.print_error("internal error in sop (a bug): please report the traceback above.")
        code = int(ExitCode.INTERNAL)
    if argv is None:
        sys.exit(code)
    return code


def _refusal_sentence(exc: OSError) -> str | None:
    """What to tell the person when the file system refuses (None: not such a refusal, a bug)."""
    from sop_cli.i18n import _

    path = exc.filename or _("a file of the workspace")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("no space left on the disk while writing {path}; free some space and try again").format(path=path)
    if exc.errno == errno.EROFS:
        return _(
            "{path} is on a read-only disk; sop can only read there: copy the workspace to a writable disk"
        ).format(path=path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _("permission denied for {path}; ask for access to the folder, or work in your own copy").format(
            path=path
        )
    if exc.errno == errno.EISDIR:
        return _("{path} is a folder where sop needs a file: move it away or delete it").format(path=path)
    # mkdir(exist_ok=True) says "exists" when a file stands where the folder should be.
    in_the_way = exc.errno == errno.EEXIST and Path(path).is_file()
    if exc.errno == errno.ENOTDIR or in_the_way:
        return _("{path} is a file where sop needs a folder: move it away or delete it").format(path=path)
    if exc.errno == errno.ELOOP:
        return _("{path} is a symbolic link where sop needs its own file: delete the link").format(path=path)
    return None


def _file_system_refusal(exc: OSError) -> int:
    """Say in one sentence why the file system refused (exit 1); any other OSError is a bug (exit 3)."""
    sentence = _refusal_sentence(exc)
    if sentence is None:
        traceback.print_exc()
        console.print_error("internal error in sop (a bug): please report the traceback above.")
        return int(ExitCode.INTERNAL)
    console.print_error(sentence)
    return int(ExitCode.USER_ERROR)
