"""View-models of `sop dossier` and `sop dossier verify`: what was written, what was found."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Dossier:
    """A dossier written: its folder, its zip, the manifest's SHA-256 to record elsewhere, its signature."""

    folder: Path
    archive: Path | None
    manifest_sha256: str
    signature: Path | None


@dataclass
class Verification:
    """What `verify` found: the problems (none: the dossier matches), and what vouches for the manifest."""

    problems: list[str] = field(default_factory=list)
    manifest_sha256: str | None = None
    signed_by: list[str] = field(default_factory=list)  # "the SSH key of …", "the GPG key of …"
    unchecked: list[str] = field(default_factory=list)  # signatures present but not checked
