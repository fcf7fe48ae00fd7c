"""Draw what `sop dossier` wrote and what `sop dossier verify` found."""

from __future__ import annotations

from pathlib import Path

from sop_cli.i18n import _, ngettext
from sop_cli.rendering.terminal.base import err, out
from sop_cli.views.dossier import Dossier, Verification


def render_dossier(dossier: Dossier) -> None:
    """The folder (and zip) written, and the manifest's SHA-256 to record in the covering memo."""
    console = out()
    if dossier.archive is not None:
        wrote = _("wrote the dossier {folder} and {archive}").format(folder=dossier.folder, archive=dossier.archive)
    else:
        wrote = _("wrote the dossier {folder}").format(folder=dossier.folder)
    console.print(wrote, markup=False, soft_wrap=True)
    console.print(_("manifest SHA-256: {sha}").format(sha=dossier.manifest_sha256), markup=False, soft_wrap=True)
    hint = _("  record it in the covering memo: `sop dossier verify DIR --manifest-sha256 HASH` then finds any change")
    console.print(hint, markup=False, soft_wrap=True)
    if dossier.signature is not None:
        console.print(_("signed: {path}").format(path=dossier.signature), markup=False, soft_wrap=True)


def render_verification(path: Path, result: Verification) -> None:
    """`ok` with what vouches for the manifest, or one line per problem on standard error."""
    if result.problems:
        console = err()
        for line in result.problems:
            console.print(line, markup=False, soft_wrap=True)
        count = len(result.problems)
        console.print(ngettext("{count} problem found", "{count} problems found", count).format(count=count))
        return
    console = out()
    console.print(_("ok: {path} matches its manifest").format(path=path), markup=False, soft_wrap=True)
    if result.manifest_sha256:
        console.print(_("manifest SHA-256: {sha}").format(sha=result.manifest_sha256), markup=False, soft_wrap=True)
    for who in result.signed_by:
        console.print(_("signed by {who}: good signature").format(who=who), markup=False, soft_wrap=True)
    for note in result.unchecked:
        console.print(_("note: {note}").format(note=note), markup=False, soft_wrap=True)
