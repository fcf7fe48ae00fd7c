"""`sop dossier verify`: check a dossier folder or its zip against its manifest (no workspace needed).

The manifest's hashes are a consistency check: they show accidental change (a file altered,
lost or added, a copy cut short), not a forger who rewrites the manifest too. The anchors
outside the dossier are the manifest's SHA-256 recorded elsewhere (`--manifest-sha256`, as
written in the covering memo) and a signature by a key the office keeps (SSH or GPG).
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from typing import Any

from sop_cli.i18n import _
from sop_cli.storage.dossier_files import (
    GPG_SIGNATURE,
    MANIFEST,
    MANIFEST_HASH,
    SSH_SIGNATURE,
    Found,
    Small,
    canonical,
    dossier_contents,
    parse_manifest,
)
from sop_cli.views.dossier import Verification


def check_dossier(
    path: Path, *, allowed_signers: Path | None = None, manifest_sha256: str | None = None
) -> Verification:
    """Check a dossier folder or zip: every file missing, added, altered or odd; the manifest; its anchors.

    `allowed_signers` (an OpenSSH allowed-signers file) requires a good SSH signature;
    `manifest_sha256` requires the manifest to be the one whose hash was recorded.
    """
    found, odd, small = dossier_contents(path.expanduser())
    result = Verification()
    manifest_bytes = small.get(MANIFEST)
    if isinstance(manifest_bytes, str):
        result.problems += [f"{MANIFEST}: {manifest_bytes}", *odd]
        return result
    if manifest_bytes is None:
        missing = _("{name}: missing: this is not a sop dossier, or its manifest was deleted")
        result.problems += [missing.format(name=MANIFEST), *odd]
        return result
    parsed = parse_manifest(manifest_bytes)
    if parsed is None:
        unreadable = _("{name}: altered: it is no longer a manifest sop can read").format(name=MANIFEST)
        result.problems += [unreadable, *odd]
        return result
    manifest, listed = parsed
    result.manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
    result.problems += _manifest_problems(manifest, result.manifest_sha256, small.get(MANIFEST_HASH))
    if manifest_sha256 is not None and manifest_sha256.strip().lower() != result.manifest_sha256:
        result.problems.append(
            _("{name}: its SHA-256 is {actual}…, not the {recorded}… recorded for it: it was rewritten").format(
                name=MANIFEST, actual=result.manifest_sha256[:16], recorded=manifest_sha256.strip()[:16]
            )
        )
    result.problems += _file_problems(listed, found)
    result.problems += odd
    _signatures(result, manifest_bytes, small, allowed_signers)
    return result


def _manifest_problems(manifest: dict[str, Any], actual: str, recorded: bytes | str | None) -> list[str]:
    claimed = manifest.get("self_sha256")
    rest = {k: v for k, v in manifest.items() if k != "self_sha256"}
    if claimed != hashlib.sha256(canonical(rest)).hexdigest():
        return [_("{name}: altered: its contents no longer match the self_sha256 it records").format(name=MANIFEST)]
    if recorded is None:
        return [_("{name}: missing").format(name=MANIFEST_HASH)]
    if isinstance(recorded, str):
        return [f"{MANIFEST_HASH}: {recorded}"]
    if recorded.decode("utf-8", "replace").split()[:1] != [actual]:
        return [
            _("{hash}: altered, or {name} rewritten: the SHA-256 of {name} is {actual}…").format(
                hash=MANIFEST_HASH, name=MANIFEST, actual=actual[:16]
            )
        ]
    return []


def _file_problems(listed: Found, found: Found) -> list[str]:
    problems = []
    for name, (size, sha) in sorted(listed.items()):
        posix = PurePosixPath(name)
        if posix.is_absolute() or ".." in posix.parts:
            outside = _("{manifest}: altered: it lists {name}, a path outside the dossier")
            problems.append(outside.format(manifest=MANIFEST, name=name))
        elif name not in found:
            problems.append(_("missing: {name}").format(name=name))
        elif found[name] != (size, sha):
            now_size, now_sha = found[name]
            altered = _(
                "altered: {name} (now {now_size} bytes, SHA-256 {now_sha}…; the manifest says {size} bytes, {sha}…)"
            )
            problems.append(altered.format(name=name, now_size=now_size, now_sha=now_sha[:16], size=size, sha=sha[:16]))
    for name in sorted(set(found) - set(listed)):
        problems.append(_("added: {name} (not in {manifest})").format(name=name, manifest=MANIFEST))
    return problems


def _signatures(result: Verification, manifest: bytes, small: Small, allowed_signers: Path | None) -> None:
    from sop_cli.storage.signatures import verify_gpg, verify_ssh

    ssh, gpg = small.get(SSH_SIGNATURE), small.get(GPG_SIGNATURE)
    for name, data in ((SSH_SIGNATURE, ssh), (GPG_SIGNATURE, gpg)):
        if isinstance(data, str):
            result.problems.append(f"{name}: {data}")
    if isinstance(ssh, bytes):
        if allowed_signers is None:
            result.unchecked.append(
                _("{name}: signed with an SSH key; pass --allowed-signers FILE to check the signature").format(
                    name=SSH_SIGNATURE
                )
            )
        else:
            who, problem = verify_ssh(manifest, ssh, allowed_signers)
            if who is not None:
                result.signed_by.append(_("the SSH key of {who}").format(who=who))
            else:
                result.problems.append(f"{SSH_SIGNATURE}: {problem}")
    elif allowed_signers is not None and ssh is None:
        unsigned = _("{name}: missing: the dossier is not signed with an SSH key")
        result.problems.append(unsigned.format(name=SSH_SIGNATURE))
    if isinstance(gpg, bytes):
        who, problem = verify_gpg(manifest, gpg)
        if who is not None:
            result.signed_by.append(_("the GPG key of {who}").format(who=who))
        else:
            result.problems.append(f"{GPG_SIGNATURE}: {problem}")
