"""Sign a dossier's manifest with an SSH or GPG key, and check such a signature.

The manifest's hashes only show that the files match the manifest: whoever can rewrite a file
can rewrite the manifest too. A signature made with a key the office keeps (or the manifest's
SHA-256 written in the covering memo) is the anchor outside the dossier. The work is done by
`ssh-keygen -Y sign/verify` (OpenSSH 8.0 or later, also on Windows 10 and later) or `gpg`.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from sop_cli.errors import SopError
from sop_cli.i18n import _

NAMESPACE = "sop-dossier"  # ssh-keygen's namespace: a signature made for another purpose does not count
_TIMEOUT_S = 300  # time to type a key's passphrase


def _run(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, input=data, capture_output=True, timeout=_TIMEOUT_S, check=False)
    except FileNotFoundError:
        missing = _("{tool} is not installed: it is needed to sign or check a signature")
        raise SopError(missing.format(tool=args[0])) from None
    except subprocess.TimeoutExpired:
        raise SopError(_("{tool} did not finish in {seconds} s").format(tool=args[0], seconds=_TIMEOUT_S)) from None


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    lines = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else _("exit status {code}").format(code=result.returncode)


def sign_ssh(manifest: Path, key: Path) -> Path:
    """Sign `manifest` with the SSH private key `key`; return the signature file beside it (.sig)."""
    if not key.expanduser().is_file():
        raise SopError(_("the SSH key {key} does not exist").format(key=key))
    result = _run(["ssh-keygen", "-q", "-Y", "sign", "-f", str(key.expanduser()), "-n", NAMESPACE, str(manifest)])
    if result.returncode != 0:
        raise SopError(_("ssh-keygen could not sign with {key}: {said}").format(key=key, said=_said(result)))
    return manifest.with_name(manifest.name + ".sig")


def sign_gpg(manifest: Path, key_id: str) -> Path:
    """Sign `manifest` with the GPG key `key_id`; return the armoured signature beside it (.asc)."""
    signature = manifest.with_name(manifest.name + ".asc")
    args = ["gpg", "--yes", "--local-user", key_id, "--armor", "--detach-sign", "--output", str(signature)]
    result = _run([*args, str(manifest)])
    if result.returncode != 0:
        raise SopError(_("gpg could not sign with the key {key}: {said}").format(key=key_id, said=_said(result)))
    return signature


def verify_ssh(manifest: bytes, signature: bytes, allowed_signers: Path) -> tuple[str | None, str | None]:
    """(who signed, None) when `signature` is a good SSH signature of `manifest` by a key of `allowed_signers`.

    Otherwise (None, why not).
    """
    if not allowed_signers.expanduser().is_file():
        raise SopError(_("the allowed signers file {path} does not exist").format(path=allowed_signers))
    allowed = str(allowed_signers.expanduser())
    with tempfile.TemporaryDirectory(prefix="sop-sig-") as folder:
        sig = Path(folder) / "manifest.json.sig"
        sig.write_bytes(signature)
        found = _run(["ssh-keygen", "-Y", "find-principals", "-s", str(sig), "-f", allowed])
        principals = found.stdout.decode("utf-8", "replace").split() if found.returncode == 0 else []
        if not principals:
            return None, _("made with a key that is not in {path}").format(path=allowed_signers)
        for principal in principals:
            args = ["ssh-keygen", "-Y", "verify", "-f", allowed, "-I", principal, "-n", NAMESPACE, "-s", str(sig)]
            if _run(args, manifest).returncode == 0:
                return principal, None
    return None, _("does not match manifest.json: the manifest was changed after it was signed")


def verify_gpg(manifest: bytes, signature: bytes) -> tuple[str | None, str | None]:
    """(who signed, None) when `signature` is a good GPG signature of `manifest` by a key of the keyring.

    Otherwise (None, why not).
    """
    with tempfile.TemporaryDirectory(prefix="sop-sig-") as folder:
        data, sig = Path(folder) / "manifest.json", Path(folder) / "manifest.json.asc"
        data.write_bytes(manifest)
        sig.write_bytes(signature)
        result = _run(["gpg", "--batch", "--status-fd", "1", "--verify", str(sig), str(data)])
    status = result.stdout.decode("utf-8", "replace").splitlines()
    for line in status:
        if line.startswith("[GNUPG:] GOODSIG ") and result.returncode == 0:
            return line.split(" ", 3)[3] if line.count(" ") >= 3 else line.split()[2], None
    if any(line.startswith("[GNUPG:] BADSIG ") for line in status):
        return None, _("does not match manifest.json: the manifest was changed after it was signed")
    if any(line.startswith("[GNUPG:] NO_PUBKEY ") for line in status):
        return None, _("made with a key that is not in your GPG keyring")
    return None, _("gpg cannot check it: {said}").format(said=_said(result))
