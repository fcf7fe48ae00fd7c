"""View-models: what actions hand to the renderers."""

from __future__ import annotations

from dataclasses import dataclass

from sop_cli.errors import Problem


@dataclass(frozen=True)
class ProcedureSummary:
    """One line of `sop list`."""

    number: int
    short_title: str
    title: str
    work_unit: str
    steps: int
    hours: float


@dataclass(frozen=True)
class CheckResult:
    """Outcome of `sop check`: every problem, or what was found valid."""

    problems: list[Problem]
    procedures: int
    staff: int
    bodies: int
    agencies: int

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems
