"""Model the workspace's calendar of days off, `calendar/holidays.yaml`, as frozen strict models."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sop_cli.i18n import _
from sop_cli.models.base import Frozen, Text

HOLIDAYS_SCHEMA_VERSION = 1

# A Buddhist Era year: a Common Era year written here (2026) is refused rather than read as 2026 BE.
BeYear = Annotated[int, Field(gt=2400, lt=2700)]


class OverrideAction(StrEnum):
    """What an office override does to the generated days."""

    add = "add"
    remove = "remove"


class Generated(Frozen):
    """How the `days` list was produced by `sop holidays update`."""

    years: tuple[BeYear, ...] = Field(min_length=1)
    source: Text


class DayOff(Frozen):
    """One day off of the national calendar, as generated."""

    date: dt.date
    name: Text


class Override(Frozen):
    """An office decision on top of the national calendar: a Cabinet special day, a provincial closure."""

    date: dt.date
    action: OverrideAction
    name: Text | None = None
    reason: Text

    @model_validator(mode="after")
    def _added_day_is_named(self) -> Override:
        if self.action is OverrideAction.add and self.name is None:
            raise ValueError(_("an override that adds a day off needs a name"))
        return self


class HolidayFile(Frozen):
    """The file `calendar/holidays.yaml`: generated days off, then the office's overrides."""

    schema_version: Literal[1]
    generated: Generated
    days: tuple[DayOff, ...] = ()
    overrides: tuple[Override, ...] = ()
