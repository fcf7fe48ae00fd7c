"""Find the workspace: the folder that holds `sops/`, and the paths inside it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sop_cli.errors import NotAWorkspaceError
from sop_cli.i18n import _

ROOT_ENV = "SOP_ROOT"
USER_ENV = "SOP_USER"
LOCAL = ".sop"


@dataclass(frozen=True)
class Workspace:
    """Paths of one workspace."""

    root: Path

    @property
    def sops(self) -> Path:
        """Folder of procedure and vocabulary files."""
        return self.root / "sops"

    @property
    def records(self) -> Path:
        """Folder of per-fiscal-year records."""
        return self.root / "records"

    @property
    def templates(self) -> Path:
        """Folder of the office's document templates."""
        return self.root / "templates"

    @property
    def local(self) -> Path:
        """Folder of this checkout's own state (the records lock, unfinished writes), kept out of git."""
        return self.root / LOCAL

    def relative(self, path: Path) -> str:
        """Show `path` relative to the root when it is inside, as users see it."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


def environment_user() -> str | None:
    """The staff id in $SOP_USER, if it is set (who acts, when no --by was given)."""
    return os.environ.get(USER_ENV) or None


def find_workspace(start: Path, override: str | None = None) -> Workspace:
    """Return the workspace given by `override`, `SOP_ROOT`, or the nearest parent holding `sops/`."""
    explicit = override or os.environ.get(ROOT_ENV)
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not (root / "sops").is_dir():
            raise NotAWorkspaceError(_("{root} is not a sop workspace: it has no sops/ folder.").format(root=root))
        return Workspace(root)
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "sops").is_dir():
            return Workspace(folder)
    raise NotAWorkspaceError(
        _(
            "{here} is not inside a sop workspace (no sops/ folder here or above); run sop from the workspace or "
            "pass --root PATH."
        ).format(here=here)
    )
