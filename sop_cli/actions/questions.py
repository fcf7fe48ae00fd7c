"""`sop questions`: what the office must confirm, as recorded in sops/questions.yaml."""

from __future__ import annotations

from sop_cli.loading.catalog import load_catalog
from sop_cli.views.questions import QuestionView
from sop_cli.workspace import Workspace


def list_questions(ws: Workspace, include_answered: bool = False) -> list[QuestionView]:
    """The questions for the office, open ones only unless `include_answered`, in file order."""
    catalog = load_catalog(ws)
    return [
        QuestionView(
            id=q.id,
            procedures=q.procedures,
            pages=q.pages,
            lines=q.lines,
            question=q.question,
            reading=q.reading,
            alternatives=q.alternatives,
            where=q.where,
            answer=q.answer.text if q.answer else None,
            answered_by=q.answer.by if q.answer else None,
            answered_on=q.answer.date if q.answer else None,
        )
        for q in catalog.questions
        if include_answered or q.is_open
    ]
