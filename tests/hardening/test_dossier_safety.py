"""`sop dossier` writes only where it is told and copies only files of the workspace; `verify` is bounded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from sop_cli.workspace import Workspace
from tests.hardening.conftest import RunSop, run_folder, sop_command

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and symbolic links need a POSIX system")


@pytest.fixture
def recorded(office: Workspace, run_sop: RunSop, tmp_path: Path) -> Workspace:
    """Procedure 2 started, with a note and an evidence file."""
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes")
    assert run_sop("start", "2").returncode == 0
    assert run_sop("note", "2", "ประชุมแล้ว", "--evidence", str(minutes)).returncode == 0
    return office


def _dossier(run_sop: RunSop, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_sop("dossier", "--out", str(out), *args)
    assert result.returncode == 0, result.stderr
    return result


# --- --force replaces only sop's own dossier ------------------------------------------------------


def test_force_never_deletes_a_foreign_folder_with_a_manifest(
    recorded: Workspace, run_sop: RunSop, tmp_path: Path
) -> None:
    """A browser extension's folder (it holds a manifest.json) is refused with --force; nothing in it is lost."""
    ext = tmp_path / "ext"
    (ext / "src").mkdir(parents=True)
    (ext / "manifest.json").write_text('{"manifest_version": 3}', encoding="utf-8")
    (ext / "src" / "main.js").write_text("code", encoding="utf-8")
    result = run_sop("dossier", "--out", str(ext), "--force")
    assert result.returncode == 1
    assert "is not empty and not a dossier sop wrote (it holds no manifest.json of kind sop-dossier)" in result.stderr
    assert (ext / "src" / "main.js").read_text(encoding="utf-8") == "code"


def test_force_keeps_a_dossier_someone_added_to(recorded: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """A dossier that now holds a file sop did not write is not replaced; one sop wrote alone is."""
    out = tmp_path / "d"
    _dossier(run_sop, out)
    _dossier(run_sop, out, "--force")
    (out / "covering-memo.docx").write_bytes(b"mine")
    refused = run_sop("dossier", "--out", str(out), "--force")
    assert refused.returncode == 1 and "it holds covering-memo.docx, which its manifest does not list" in refused.stderr
    assert (out / "covering-memo.docx").read_bytes() == b"mine"


# --- only files of the workspace go in -----------------------------------------------------------


def _plant_traversal(ws: Workspace) -> Path:
    """An evidence event (as a colleague might commit it) whose stored path climbs out of the run."""
    folder = run_folder(ws, 2)
    (ws.records / "2570" / ".bashrc").write_text("echo PWNED\n", encoding="utf-8")
    event = folder / "events" / "20261125T030000000000Z-nanthana-evilevil.yaml"
    event.write_text(
        'schema_version: 1\ntype: "evidence_added"\nid: "evilevil"\nprocedure: 2\n'
        f'run: "{folder.name[3:]}"\nat: "2026-11-25T10:00:00+07:00"\ndate: "2026-11-25"\nby: "nanthana"\n'
        'evidence:\n  kind: "file"\n  name: "minutes.pdf"\n  stored: "evidence/../../.bashrc"\n'
        f'  sha256: "{"0" * 64}"\n  size: 11\n',
        encoding="utf-8",
    )
    return event


def test_a_stored_path_with_dotdot_writes_nothing_outside(recorded: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """`evidence/../../.bashrc` is refused when events are validated (check places it); nothing is written outside."""
    event = _plant_traversal(recorded)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / ".bashrc").write_text("mine\n", encoding="utf-8")
    run_sop("dossier", "--out", str(victim / "dossier-2570"))
    assert (victim / ".bashrc").read_text(encoding="utf-8") == "mine\n"
    assert {p.name for p in victim.iterdir()} <= {".bashrc", "dossier-2570"}
    check = run_sop("check")
    assert check.returncode == 1
    place = f"{recorded.relative(event)}:12:11"
    assert f"{place}: evidence_added.evidence.file.stored: must not contain '..'" in check.stderr


@posix_only
def test_evidence_linked_out_of_the_workspace_is_not_copied(
    recorded: Workspace, run_sop: RunSop, tmp_path: Path
) -> None:
    """Evidence replaced by a link to a file outside (with the same hash) stops the dossier: nothing copied."""
    (stored,) = (run_folder(recorded, 2) / "evidence").iterdir()
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(stored.read_bytes())
    stored.unlink()
    stored.symlink_to(outside)
    result = run_sop("dossier", "--out", str(tmp_path / "d"))
    assert result.returncode == 1
    assert f"{recorded.relative(stored)} leads outside the workspace" in result.stderr
    assert not (tmp_path / "d").exists()
    assert "leads outside the workspace" in run_sop("check").stderr


# --- verify: links, FIFOs, devices, damaged and hostile zips -----------------------------------


@posix_only
@pytest.mark.parametrize("kind", ["dev-zero", "fifo-link", "fifo", "dangling", "folder-link", "files-link"])
def test_verify_names_what_is_not_a_regular_file(
    recorded: Workspace, run_sop: RunSop, tmp_path: Path, kind: str
) -> None:
    """Links (to /dev/zero, a FIFO, nowhere, a folder) and FIFOs are named at once, never followed: exit 1."""
    out = tmp_path / "d"
    _dossier(run_sop, out)
    odd = out / "odd.pdf"
    if kind == "dev-zero":
        odd.symlink_to("/dev/zero")
    elif kind == "fifo-link":
        os.mkfifo(tmp_path / "pipe")
        odd.symlink_to(tmp_path / "pipe")
    elif kind == "fifo":
        os.mkfifo(odd)
    elif kind == "dangling":
        odd.symlink_to(tmp_path / "nothing")
    elif kind == "folder-link":
        odd.symlink_to("/etc")
    else:
        (out / "files").rename(tmp_path / "files")
        (out / "files").symlink_to(tmp_path / "files")
        odd = out / "files"
    result = run_sop("dossier", "verify", str(out), timeout=20)
    assert result.returncode == 1
    assert f"{odd.name}: a " in result.stderr and ", not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


def _rezip(archive: Path, target: Path, change: dict[str, bytes | None], extra: Sequence[zipfile.ZipInfo] = ()) -> None:
    """Copy `archive` into `target`, replacing (or dropping, None) the entries in `change`, adding `extra`."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            short = info.filename.split("/", 1)[1]
            data = change.get(short, src.read(info))
            if data is not None:
                dst.writestr(info, data)
        for info in extra:
            dst.writestr(info, b"x")


def test_verify_a_zip_bomb_in_bounded_time_and_memory(tmp_path: Path) -> None:
    """A 256 KB zip whose manifest inflates to 256 MB is refused before reading: under 200 MB of memory."""
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z, z.open("d/manifest.json", "w", force_zip64=True) as f:
        for _ in range(256):
            f.write(b" " * (1 << 20))
    measure = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=20)\n"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(r.stderr)"
    )
    run = subprocess.run(
        [sys.executable, "-c", measure, *sop_command(), "dossier", "verify", str(bomb)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    code, max_kb = run.stdout.split("\n", 1)[0].split()
    assert int(code) == 1 and int(max_kb) < 200 * 1024
    assert "manifest.json: declares 268435456 bytes, more than a dossier holds; not read" in run.stdout


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_verify_names_odd_and_damaged_zip_entries(recorded: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """Duplicate names, entries outside the folder, links, a flipped deflated byte: each named, exit 1, no traceback."""
    out = tmp_path / "d"
    _dossier(run_sop, out, "--zip")
    archive = tmp_path / "d.zip"
    link = zipfile.ZipInfo("d/link.pdf")
    link.external_attr = 0o120777 << 16
    odd = tmp_path / "odd.zip"
    _rezip(archive, odd, {}, [zipfile.ZipInfo("d/index.csv"), zipfile.ZipInfo("/x/evil-abs.txt"), link])
    result = run_sop("dossier", "verify", str(odd))
    assert result.returncode == 1
    assert "index.csv: in the zip twice; extractors disagree on which copy they show" in result.stderr
    assert "/x/evil-abs.txt: an entry that points outside the dossier" in result.stderr
    assert "link.pdf: a symbolic link, not a regular file" in result.stderr
    assert "manifest.json: missing" not in result.stderr

    damaged = tmp_path / "damaged.zip"
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as z:
        info = z.getinfo("d/events.json")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    broken = run_sop("dossier", "verify", str(damaged))
    assert broken.returncode == 1 and "events.json: the zip is damaged here" in broken.stderr
    assert "Traceback" not in broken.stderr


# --- the anchors outside the dossier ----------------------------------------------------------------


def _rewrite_consistently(out: Path) -> None:
    """A forger's edit: a file changed, and the manifest, its self hash and manifest.sha256 rewritten to match."""
    import hashlib

    (out / "README.txt").write_text("forged", encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["path"] == "README.txt":
            data = (out / "README.txt").read_bytes()
            entry.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    manifest.pop("self_sha256")
    canonical = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    manifest["self_sha256"] = hashlib.sha256(canonical).hexdigest()
    text = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    (out / "manifest.json").write_bytes(text)
    (out / "manifest.sha256").write_text(f"{hashlib.sha256(text).hexdigest()}  manifest.json\n", encoding="utf-8")


def test_the_recorded_manifest_hash_catches_a_consistent_rewrite(
    recorded: Workspace, run_sop: RunSop, tmp_path: Path
) -> None:
    """The manifest alone passes a consistent forgery; the SHA-256 printed for the covering memo does not."""
    out = tmp_path / "d"
    made = _dossier(run_sop, out)
    sha = next(line.split(": ")[1] for line in made.stdout.splitlines() if line.startswith("manifest SHA-256: "))
    assert run_sop("dossier", "verify", str(out), "--manifest-sha256", sha).returncode == 0
    _rewrite_consistently(out)
    assert run_sop("dossier", "verify", str(out)).returncode == 0  # a consistency check, not a seal
    anchored = run_sop("dossier", "verify", str(out), "--manifest-sha256", sha)
    assert anchored.returncode == 1 and "manifest.json: its SHA-256 is " in anchored.stderr


def _ssh_key(tmp_path: Path) -> tuple[Path, Path]:
    key = tmp_path / "keys" / "office"
    key.parent.mkdir()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "office", "-f", str(key)], check=True)
    allowed = tmp_path / "keys" / "allowed_signers"
    public = key.with_suffix(".pub").read_text(encoding="utf-8").split()
    allowed.write_text(f'director@cripeo namespaces="sop-dossier" {public[0]} {public[1]}\n', encoding="utf-8")
    return key, allowed


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="no ssh-keygen (OpenSSH client)")
def test_an_ssh_signature_is_made_and_checked(recorded: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """`--ssh-key` signs the manifest; verify --allowed-signers checks it, and fails after a consistent rewrite."""
    key, allowed = _ssh_key(tmp_path)
    out = tmp_path / "d"
    made = _dossier(run_sop, out, "--ssh-key", str(key), "--zip")
    assert f"signed: {out / 'manifest.json.sig'}" in made.stdout
    for target in (out, tmp_path / "d.zip"):
        good = run_sop("dossier", "verify", str(target), "--allowed-signers", str(allowed))
        assert good.returncode == 0 and "signed by the SSH key of director@cripeo: good signature" in good.stdout
    plain = run_sop("dossier", "verify", str(out))
    assert plain.returncode == 0 and "pass --allowed-signers FILE to check the signature" in plain.stdout
    _rewrite_consistently(out)
    forged = run_sop("dossier", "verify", str(out), "--allowed-signers", str(allowed))
    assert forged.returncode == 1
    assert "manifest.json.sig: does not match manifest.json: the manifest was changed" in forged.stderr
    unsigned = tmp_path / "unsigned"
    _dossier(run_sop, unsigned)
    missing = run_sop("dossier", "verify", str(unsigned), "--allowed-signers", str(allowed))
    assert missing.returncode == 1 and "manifest.json.sig: missing" in missing.stderr
    (tmp_path / "other").mkdir()
    stranger, _ = _ssh_key(tmp_path / "other")
    foreign = tmp_path / "foreign"
    _dossier(run_sop, foreign, "--ssh-key", str(stranger))
    unknown = run_sop("dossier", "verify", str(foreign), "--allowed-signers", str(allowed))
    assert unknown.returncode == 1 and f"made with a key that is not in {allowed}" in unknown.stderr


@pytest.mark.skipif(shutil.which("gpg") is None, reason="no gpg")
def test_a_gpg_signature_is_made_and_checked(
    recorded: Workspace, run_sop: RunSop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--gpg-key` signs the manifest with a key made for the test; verify checks it against the keyring."""
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="g", dir="/tmp"))  # gpg-agent's socket path must stay short
    monkeypatch.setenv("GNUPGHOME", str(home))
    try:
        make_key = ["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Director <director@example.com>"]
        subprocess.run([*make_key, "ed25519", "sign", "never"], check=True, capture_output=True)
        out = tmp_path / "d"
        _dossier(run_sop, out, "--gpg-key", "director@example.com")
        good = run_sop("dossier", "verify", str(out))
        assert good.returncode == 0 and "signed by the GPG key of Director <director@example.com>" in good.stdout
        _rewrite_consistently(out)
        forged = run_sop("dossier", "verify", str(out))
        assert forged.returncode == 1 and "manifest.json.asc: does not match manifest.json" in forged.stderr
    finally:
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], capture_output=True, check=False)
        shutil.rmtree(home, ignore_errors=True)
