"""Name every error a user can cause, and the exit codes `sop` returns."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from sop_cli.i18n import _


class ExitCode(IntEnum):
    """Exit codes of every `sop` command."""

    OK = 0
    USER_ERROR = 1
    USAGE = 2
    INTERNAL = 3
    INTERRUPTED = 130


# A place in a file as a path of keys and list indexes: ("rows", 3, "steps", 1, "hours").
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem found in a file, with its place."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class SopError(Exception):
    """A mistake of the user's or of their files: one clear sentence, exit 1."""

    exit_code = ExitCode.USER_ERROR


class NotAWorkspaceError(SopError):
    """No workspace found from the current folder upwards."""


class InvalidFilesError(SopError):
    """One or more files under the workspace are invalid."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0] if problems else "no detail"
        more = (
            _(" (and {value} more problems: run `sop check`)").format(value=len(problems) - 1)
            if len(problems) > 1
            else ""
        )
        super().__init__(f"{first}{more}")


class UnknownProcedureError(SopError):
    """A procedure number that is not one of the workspace's procedures."""
