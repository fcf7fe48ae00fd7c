"""The frozen models: unknown keys refused, Thai text kept exactly, schema versions, one table of document kinds."""

from __future__ import annotations

import datetime as dt
from typing import get_args

import pydantic
import pytest

from sop_cli.models.document_kinds import DOCUMENTS, DocKind, RegisterKind
from sop_cli.models.records import EVENT_SCHEMA_VERSION, NoteAdded
from sop_cli.models.register import series_of
from sop_cli.rendering.templates import PACKAGE_TEMPLATES
from sop_cli.thai_calendar import BANGKOK

NOTE: dict[str, object] = {
    "schema_version": EVENT_SCHEMA_VERSION,
    "id": "a1b2c3d4",
    "procedure": 3,
    "run": "r1s2",
    "at": dt.datetime(2026, 11, 25, 9, 0, tzinfo=BANGKOK),
    "date": dt.date(2026, 11, 25),
    "by": "nanthana",
    "type": "note",
    "text": "ประชุมคณะทำงานครั้งที่ ๑ ณ ห้องประชุมเชียงแสน",
}


def test_a_misspelt_key_is_refused() -> None:
    """extra="forbid": a key the model does not know is an error, never silently dropped."""
    with pytest.raises(pydantic.ValidationError, match="steps"):
        NoteAdded.model_validate({**NOTE, "steps": 2})


def test_thai_text_round_trips_exactly() -> None:
    """Thai text (tone marks, Thai digits) comes back byte for byte through JSON."""
    note = NoteAdded.model_validate(NOTE)
    again = NoteAdded.model_validate_json(note.model_dump_json())
    assert again.text.encode() == str(NOTE["text"]).encode() and again == note


def test_models_are_frozen_and_versioned() -> None:
    """A model cannot be changed after validation, and an unknown schema version is refused."""
    note = NoteAdded.model_validate(NOTE)
    with pytest.raises(pydantic.ValidationError):
        note.text = "แก้"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError, match="schema_version"):
        NoteAdded.model_validate({**NOTE, "schema_version": EVENT_SCHEMA_VERSION + 1})


def test_every_document_kind_has_one_row_with_its_templates() -> None:
    """DOCUMENTS names every kind once: its default templates exist, its series and register word follow."""
    assert set(DOCUMENTS) == set(get_args(DocKind))
    for kind, spec in DOCUMENTS.items():
        assert spec.kind == kind
        assert (PACKAGE_TEMPLATES / f"{spec.command}.txt.j2").is_file()
        assert series_of(kind) is spec.series[0]
        assert RegisterKind(spec.command).document == kind
    assert {k.document for k in RegisterKind} == set(DOCUMENTS) | {None}
