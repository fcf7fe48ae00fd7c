"""View-models of the questions for the office (`sop questions`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionView:
    """One question for the office, with the reading sop uses until it is answered."""

    id: str
    procedures: tuple[int, ...]
    pages: str
    lines: str | None
    question: str
    reading: str
    alternatives: tuple[str, ...]
    where: tuple[str, ...]
    answer: str | None = None
    answered_by: str | None = None
    answered_on: dt.date | None = None

    @property
    def is_open(self) -> bool:
        """Not answered yet."""
        return self.answer is None
