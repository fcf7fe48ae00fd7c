"""Model the questions for the office: what the manual leaves open, the reading sop uses meanwhile."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from sop_cli.models.base import Frozen, Id, Text


class Answer(Frozen):
    """The office's answer, which closes a question."""

    text: Text
    by: Text  # who gave it (a name, or a staff id of sops/staff.yaml)
    date: dt.date


class Question(Frozen):
    """One point the manual cannot settle, with the reading chosen until the office answers."""

    id: Id
    procedures: tuple[Annotated[int, Field(ge=1, le=99)], ...] = Field(min_length=1)
    pages: Text  # the manual's page(s), as printed in its headers: ๓/๗๘
    lines: Text | None = None  # lines of the manual's OCR text, for whoever edits sops/
    question: Text
    reading: Text  # what sop does now
    alternatives: tuple[Text, ...] = Field(min_length=1)
    where: tuple[Text, ...] = ()  # the files and keys that hold the reading
    answer: Answer | None = None

    @property
    def is_open(self) -> bool:
        """Not answered yet."""
        return self.answer is None


class Questions(Frozen):
    """The file `sops/questions.yaml`."""

    schema_version: Literal[1]
    questions: tuple[Question, ...] = ()
