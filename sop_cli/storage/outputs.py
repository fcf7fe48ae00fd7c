"""Where a command may write a path the user named with `--out`: one rule for every command.

`sop calendar`, `sop export`, `sop report`, `sop dossier` and `sop memo/letter/order --out` all
take their target through here. A target is refused when it is a folder where a file is meant,
has the wrong suffix, sits in a folder that does not exist, already exists (unless `--force`,
and never for documents), or lies, links followed, inside the workspace's own data: `sops/`,
`records/`, `register/`, `calendar/` (and `.git/`), which only sop's own commands write.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.workspace import Workspace

# The workspace's data: an output written there would replace a procedure, an event or a
# register entry, or leave a file `sop check` calls unexpected.
PROTECTED = ("sops", "records", "register", "calendar", ".git")


def protected_folder(ws: Workspace, path: Path) -> str | None:
    """The workspace folder of sop's data that `path` (links followed) lies in, or None."""
    try:
        resolved = path.expanduser().resolve()
    except (OSError, RuntimeError):  # a loop of links
        return None
    for name in PROTECTED:
        folder = (ws.root / name).resolve()
        if resolved == folder or resolved.is_relative_to(folder):
            return name
    return None


def _refuse_protected(ws: Workspace, path: Path) -> None:
    name = protected_folder(ws, path)
    if name is not None:
        raise SopError(
            _(
                "{path} is inside the workspace's {folder}/ folder, which only sop's own commands write: "
                "choose a place outside sops/, records/, register/ and calendar/"
            ).format(path=path, folder=name)
        )


def output_place(ws: Workspace, out: Path, suffixes: Sequence[str], *, folder_ok: bool) -> Path:
    """`--out` checked: an existing folder (when `folder_ok`) or a file name with one of `suffixes`.

    The file's folder must exist; neither may lie in the workspace's data. The file may exist:
    see `refuse_existing`.
    """
    out = out.expanduser()
    wanted = " or ".join(suffixes)
    if out.is_dir():
        if not folder_ok:
            raise SopError(_("{path} is a folder: give a file name ending in {suffix}").format(path=out, suffix=wanted))
        _refuse_protected(ws, out)
        return out
    if out.suffix.lower() not in suffixes:
        if folder_ok and not out.suffix and not os.path.lexists(out):
            raise SopError(
                _("the folder {path} does not exist (or, for a file, end its name in {suffix})").format(
                    path=out, suffix=wanted
                )
            )
        if folder_ok:
            message = _("--out {path} is neither an existing folder nor a file name ending in {suffix}")
        else:
            message = _("--out {path} must name a {suffix} file")
        raise SopError(message.format(path=out, suffix=wanted))
    if not out.parent.is_dir():
        raise SopError(
            _("the folder {folder} does not exist; create it first or choose another --out").format(folder=out.parent)
        )
    _refuse_protected(ws, out)
    return out


def refuse_existing(ws: Workspace, paths: Sequence[Path], *, force: bool, replaceable: bool = True) -> None:
    """Refuse to write over existing files: without `force`, or ever when not `replaceable` (documents).

    A folder or a protected path among `paths` is refused even with `force`.
    """
    for path in paths:
        _refuse_protected(ws, path)
        if path.is_dir():
            raise SopError(_("{path} is a folder; choose another --out").format(path=ws.relative(path)))
    taken = [ws.relative(p) for p in paths if os.path.lexists(p)]
    if not taken:
        return
    if not replaceable:
        raise SopError(
            _("{path} already exists; sop never replaces a document (choose another name)").format(path=taken[0])
        )
    if not force:
        if len(taken) == 1:
            raise SopError(_("{path} already exists; pass --force to replace it").format(path=taken[0]))
        raise SopError(_("{paths} already exist; pass --force to replace them").format(paths=" and ".join(taken)))


def output_file(ws: Workspace, out: Path, suffixes: Sequence[str], *, force: bool) -> Path:
    """A single file named by `--out`: checked as `output_place` (no folder) and `refuse_existing`."""
    path = output_place(ws, out, suffixes, folder_ok=False)
    refuse_existing(ws, [path], force=force)
    return path
