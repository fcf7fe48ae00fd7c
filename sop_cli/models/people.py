"""Model the people's records: a period of leave with its substitute, and the cancelling of one.

Each is one small immutable file under `records/people/leave/<BE year>/`, written once by `sop
leave` and never edited: two people recording leave in two clones merge without a conflict, and
a leave recorded by mistake is taken back by a second file that cancels it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sop_cli.i18n import _
from sop_cli.models.base import Frozen, Id, Text
from sop_cli.models.documents import Acting

LEAVE_SCHEMA_VERSION = 1
LeaveId = Annotated[str, Field(pattern=r"^[a-z0-9]{8,16}$")]


class Leave(Frozen):
    """A staff member is away from `start` to `end` (both included); `substitute` stands in for them."""

    schema_version: Literal[1]
    type: Literal["leave"]
    id: LeaveId
    person: Id
    start: dt.date
    end: dt.date
    substitute: Id | None = None
    # How the substitute signs the absent person's documents (the regulation's two forms);
    # None leaves it to the office's setting ([people] substitute_acting).
    acting: Acting | None = None
    reason: Text | None = None
    recorded_by: Id
    recorded_at: dt.datetime

    @model_validator(mode="after")
    def _a_real_period(self) -> Leave:
        if self.end < self.start:
            raise ValueError(_("the leave ends before it starts"))
        if self.substitute == self.person:
            raise ValueError(_("a person cannot stand in for themselves"))
        return self


class LeaveCancelled(Frozen):
    """A leave recorded earlier does not happen (or was recorded by mistake)."""

    schema_version: Literal[1]
    type: Literal["leave_cancelled"]
    id: LeaveId
    target: LeaveId
    reason: Text
    recorded_by: Id
    recorded_at: dt.datetime


LeaveRecord = Annotated[Leave | LeaveCancelled, Field(discriminator="type")]
