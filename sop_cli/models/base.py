"""The base of every model read from a file, and the small types they share."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """Base for every model read from a file: immutable, unknown keys rejected."""

    # defer_build: a command served from the cache never validates, so it never pays for the schema.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
