"""Model the office's settings file `sop.toml`."""

from __future__ import annotations

from pydantic import Field

from sop_cli.models.procedure import Frozen


class EvidenceSettings(Frozen):
    """Limits on evidence files."""

    max_mb: float = Field(default=50, gt=0, le=2048)

    @property
    def max_bytes(self) -> int:
        """The size limit in bytes."""
        return int(self.max_mb * 1024 * 1024)


class Settings(Frozen):
    """Everything `sop.toml` may hold; every key is optional and has a default."""

    # A factory, not an instance: building a model at import time would cost every command its schema.
    evidence: EvidenceSettings = Field(default_factory=EvidenceSettings)
