"""Model the record files: one small, immutable event per file, and the evidence they carry."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from sop_cli.i18n import _
from sop_cli.models.base import Frozen, Id, Line, Text

EVENT_SCHEMA_VERSION = 1
RunId = Annotated[str, Field(pattern=r"^[a-z0-9]{4,12}$")]
EventId = Annotated[str, Field(pattern=r"^[a-z0-9]{8,16}$")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


def stored_path_problem(stored: str) -> str | None:
    """Why a path recorded in an event cannot name a file inside its run folder, or None."""
    if "\\" in stored or stored.startswith("/") or stored[1:2] == ":":
        return _("must be a relative path inside the run folder, with / between folders")
    if any(part in ("", ".", "..") for part in stored.split("/")):
        return _("must not contain '..', '.' or an empty part: it has to stay inside the run folder")
    return None


def _stored_path(stored: str) -> str:
    problem = stored_path_problem(stored)
    if problem is not None:
        raise ValueError(problem)
    return stored


# Where a copy lives in the run folder: evidence/1a2b3c4d-minutes.pdf. A record may come from a
# colleague's clone: `..` or an absolute path would make `sop dossier` read or write elsewhere.
StoredPath = Annotated[Line, AfterValidator(_stored_path)]


class EvidenceFile(Frozen):
    """A local file copied into the run's evidence folder."""

    kind: Literal["file"]
    name: Text  # the original file name, as the user had it
    stored: StoredPath  # path inside the run folder, such as evidence/1a2b3c4d-minutes.pdf
    sha256: Sha256
    size: int = Field(ge=0)


class EvidenceLink(Frozen):
    """A web address (Google Drive, e-Inspection) recorded as evidence."""

    kind: Literal["link"]
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]


class EvidenceDocument(Frozen):
    """An official document of the run, with its number: one sop generated, or a letter the office received."""

    kind: Literal["document"]
    # "received": a letter from outside, copied in by `sop receive`; `number` is the sender's.
    doc_type: Literal["memo", "external_letter", "order", "received"]
    number: Text  # as printed: ศธ ๐๒๘๘/๑๒๓, or ๑๒/๒๕๗๐ for an order
    name: Text
    stored: StoredPath  # path inside the run folder, such as documents/memo-1-ศธ0288-123.docx
    sha256: Sha256
    size: int = Field(ge=0)
    # Fields added later; records written before them read with these defaults.
    format: Literal["docx", "pdf", "copy"] = "docx"  # the .docx, the PDF/A beside it, a received file
    version: int = Field(default=1, ge=1)  # a corrected document reissued under the same number: 2, 3 …
    reason: Text | None = None  # why this version corrects the one before
    received: Text | None = None  # the office's incoming number of a received letter: รับ ๑๒


Evidence = Annotated[EvidenceFile | EvidenceLink | EvidenceDocument, Field(discriminator="kind")]


class EventBase(Frozen):
    """Fields every event carries."""

    schema_version: Literal[1]
    id: EventId
    procedure: int = Field(ge=1, le=99)
    run: RunId
    at: dt.datetime  # when it was recorded (orders the replay)
    date: dt.date  # the day it happened, as the user said (--date) or today
    by: Id  # staff id of the actor
    # Why `date` lies outside the run's fiscal year or before its start (`--date-reason`): sop
    # refuses such a date unless the person says why.
    date_reason: Text | None = None


class Started(EventBase):
    """A run of a procedure was opened for a fiscal year."""

    type: Literal["started"]
    fy: int = Field(ge=2500, le=2700)
    label: Text | None = None


class StepCompleted(EventBase):
    """A step was done."""

    type: Literal["step_completed"]
    step: int = Field(ge=1)
    round: int = Field(default=1, ge=1)  # the decision round it belongs to (1 + rejections before it)
    # The inspection cycle it belongs to (procedures ๑ and ๒ repeat steps twice a year); absent in
    # older files and then taken to be the run's cycle when the event is replayed.
    cycle: int | None = Field(default=None, ge=1)
    note: Text | None = None
    forced: bool = False
    reason: Text | None = None

    @model_validator(mode="after")
    def _forced_needs_reason(self) -> StepCompleted:
        if self.forced and not self.reason:
            raise ValueError(_("an out-of-order step needs a reason"))
        return self


class Outcome(StrEnum):
    """What the deciding body said."""

    approved = "approved"
    rejected = "rejected"


class Decided(EventBase):
    """A decision step was closed with an approval or a rejection."""

    type: Literal["decision"]
    step: int = Field(ge=1)
    round: int = Field(default=1, ge=1)
    cycle: int | None = Field(default=None, ge=1)  # as StepCompleted.cycle
    outcome: Outcome
    note: Text | None = None
    reason: Text | None = None
    forced: bool = False

    @model_validator(mode="after")
    def _rejection_needs_reason(self) -> Decided:
        if self.outcome is Outcome.rejected and not self.reason:
            raise ValueError(_("a rejection needs a reason"))
        return self


class NoteKind(StrEnum):
    """What a note records: the report gathers problems, obstacles and recommendations."""

    plain = "plain"
    problem = "problem"  # ปัญหา
    obstacle = "obstacle"  # อุปสรรค
    recommendation = "recommendation"  # ข้อเสนอแนะ


class NoteAdded(EventBase):
    """A remark on the run (or one of its steps): a plain note, a problem, an obstacle or a recommendation."""

    type: Literal["note"]
    text: Text
    step: int | None = Field(default=None, ge=1)
    kind: NoteKind = NoteKind.plain  # notes written before kinds existed are plain


class EvidenceAdded(EventBase):
    """A file or link was attached as evidence (of a step, or of the run)."""

    type: Literal["evidence_added"]
    evidence: Evidence
    step: int | None = Field(default=None, ge=1)


class HoursLogged(EventBase):
    """Working hours spent on the run (or one of its steps)."""

    type: Literal["hours_logged"]
    hours: float = Field(gt=0, le=10_000)
    step: int | None = Field(default=None, ge=1)


class Scheduled(EventBase):
    """The date of a named event of the run (the inspection visit, the coordination meeting)."""

    type: Literal["scheduled"]
    event: Id
    on: dt.date


class StandardMet(EventBase):
    """A deadline of the procedure (a work standard, a monitoring round, a timing) was met."""

    type: Literal["standard_met"]
    ref: Text  # 6.4, 7.1, or the ref of a timing statement such as 2.2
    note: Text | None = None


class CountReported(EventBase):
    """How many responses came back, of how many expected ("sop note N --count 42/50")."""

    type: Literal["count"]
    ref: Text
    received: int = Field(ge=0)
    expected: int = Field(ge=1)

    @model_validator(mode="after")
    def _not_more_than_expected(self) -> CountReported:
        if self.received > self.expected:
            raise ValueError(
                _("{received} received is more than the {expected} expected").format(
                    received=self.received, expected=self.expected
                )
            )
        return self


class Cancelled(EventBase):
    """The run was abandoned."""

    type: Literal["cancelled"]
    reason: Text


class Assigned(EventBase):
    """The run, or one of its steps, is handed to people: they hold the work from now on.

    It changes nothing but who holds the work: a handing over of the whole run (no step) takes
    back the earlier handings over of single steps. Without any, the manual's responsible persons
    of each row hold it.
    """

    type: Literal["assigned"]
    persons: tuple[Id, ...] = Field(min_length=1)
    step: int | None = Field(default=None, ge=1)
    note: Text | None = None


class Voided(EventBase):
    """Another event of the run does not count (after a merge brought a contradiction)."""

    type: Literal["voided"]
    target: EventId
    reason: Text


Event = Annotated[
    Started
    | StepCompleted
    | Decided
    | NoteAdded
    | EvidenceAdded
    | HoursLogged
    | Scheduled
    | StandardMet
    | CountReported
    | Cancelled
    | Assigned
    | Voided,
    Field(discriminator="type"),
]
