"""`sop dossier` and `sop dossier verify`: the year's audit folder, its zip, and tampering found."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import docx
import pytest

from sop_cli.actions.documents import issue_memo
from sop_cli.actions.dossier import build_dossier, zip_path_of
from sop_cli.actions.dossier_verify import check_dossier
from sop_cli.errors import SopError
from sop_cli.workspace import Workspace
from tests.actions.conftest import ME, TODAY, History


def verify_dossier(path: Path) -> list[str]:
    """The problems `sop dossier verify` finds in a dossier folder or zip, one line each."""
    return check_dossier(path).problems


@pytest.fixture
def dossier(history: History, tmp_path: Path) -> Path:
    """The dossier of fiscal year 2570, written to tmp_path/dossier-2570."""
    return build_dossier(history.ws, 2570, tmp_path / "dossier-2570", TODAY).folder


def files_of(folder: Path) -> set[str]:
    """Every file under `folder`, as paths relative to it."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_the_dossier_holds_the_report_files_index_events_and_manifest(history: History, dossier: Path) -> None:
    """Every evidence file is copied byte for byte under files/NN-run/; the manifest lists every file."""
    names = files_of(dossier)
    assert {
        "README.txt",
        "รายงานผลการติดตาม-2570-1ปี.docx",
        "ดัชนีหลักฐาน-2570.docx",
        "index.csv",
        "events.csv",
        "events.json",
        "manifest.json",
        "manifest.sha256",
    } <= names
    copied = {p for p in names if p.startswith("files/")}
    assert len(copied) == len(history.files) == 4
    for name, data in history.files.items():
        (path,) = [p for p in copied if p.endswith(name)]
        assert (dossier / path).read_bytes() == data
    assert f"files/02-{history.runs['p2']}/evidence/" in next(p for p in copied if p.endswith("after-april.pdf"))

    manifest = json.loads((dossier / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["fy"] == 2570 and manifest["kind"] == "sop-dossier"
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == names - {"manifest.json", "manifest.sha256"}
    for name, entry in listed.items():
        data = (dossier / name).read_bytes()
        assert (entry["size"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    digest = hashlib.sha256((dossier / "manifest.json").read_bytes()).hexdigest()
    assert (dossier / "manifest.sha256").read_text() == f"{digest}  manifest.json\n"
    assert verify_dossier(dossier) == []


def test_index_and_events_list_everything_with_hashes(history: History, dossier: Path) -> None:
    """index.csv has a row per file and link with its SHA-256; events hold all 31 events of the year."""
    rows = list(csv.DictReader(io.StringIO((dossier / "index.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 5
    for name, data in history.files.items():
        (row,) = [r for r in rows if r["ชื่อไฟล์หรือลิงก์"] == name]
        assert row["SHA-256"] == hashlib.sha256(data).hexdigest()
        assert (dossier / row["ไฟล์ในแฟ้ม"]).read_bytes() == data
    (link,) = [r for r in rows if r["ชนิด"] == "link"]
    assert (link["ชื่อไฟล์หรือลิงก์"], link["ไฟล์ในแฟ้ม"], link["SHA-256"]) == (history.links[0], "", "")

    events = json.loads((dossier / "events.json").read_text(encoding="utf-8"))["events"]
    assert len(events) == 31 and events[0]["type"] == "started"
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)  # in the order they were recorded
    table = list(csv.DictReader(io.StringIO((dossier / "events.csv").read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in table] == [e["id"] for e in events]
    rejected = next(e for e in events if e["event"].get("outcome") == "rejected")
    assert rejected["summary"].startswith("ขั้นตอนที่ 8 ไม่เห็นชอบ: ")

    index = docx.Document(str(dossier / "ดัชนีหลักฐาน-2570.docx"))
    hashes = {c.text.replace("\n", "") for row in index.tables[0].rows for c in row.cells}
    assert {hashlib.sha256(d).hexdigest() for d in history.files.values()} <= hashes


def test_documents_issued_without_a_run_are_in_the_dossier(history: History, tmp_path: Path) -> None:
    """A memo of the run is there as the evidence of its step; one issued with --no-run from the register."""
    issue_memo(history.ws, 2, ME, fy=2570, subject="แจ้งปฏิทินการตรวจราชการ")
    issue_memo(history.ws, 5, ME, fy=2570, no_run=True, subject="เชิญประชุมคณะอนุกรรมการ")
    folder = build_dossier(history.ws, 2570, tmp_path / "d", TODAY).folder
    copied = sorted(p for p in files_of(folder) if p.startswith("files/"))
    assert len(copied) == 6
    assert any(p.startswith(f"files/02-{history.runs['p2']}/documents/memo") for p in copied)
    assert any(p.startswith("files/documents-2570/memo") for p in copied)
    assert verify_dossier(folder) == []


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        ("change", ["altered: {file} (now "]),
        ("delete", ["missing: {file}"]),
        ("add", ["added: files/extra.pdf (not in manifest.json)"]),
        ("manifest-file", ["manifest.json: altered: its contents no longer match", "altered: {file} (now "]),
        ("manifest-format", ["manifest.sha256: altered, or manifest.json rewritten"]),
        ("manifest-hash", ["manifest.sha256: altered, or manifest.json rewritten"]),
        ("no-manifest", ["manifest.json: missing"]),
    ],
)
def test_verify_names_exactly_what_was_tampered_with(dossier: Path, tamper: str, expected: list[str]) -> None:
    """A byte changed, a file deleted or added, the manifest or its hash edited: one line each."""
    file = next(p for p in sorted(files_of(dossier)) if p.startswith("files/"))
    manifest_path = dossier / "manifest.json"
    if tamper == "change":
        data = bytearray((dossier / file).read_bytes())
        data[3] ^= 1
        (dossier / file).write_bytes(bytes(data))
    elif tamper == "delete":
        (dossier / file).unlink()
    elif tamper == "add":
        (dossier / "files" / "extra.pdf").write_bytes(b"%PDF-1.4 slipped in")
    elif tamper == "manifest-file":  # someone "fixes" a hash in the manifest
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        entry = next(f for f in manifest["files"] if f["path"] == file)
        entry["sha256"] = "0" * 64
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    elif tamper == "manifest-format":  # the same contents written again in another layout
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    elif tamper == "manifest-hash":
        (dossier / "manifest.sha256").write_text("f" * 64 + "  manifest.json\n")
    elif tamper == "no-manifest":
        manifest_path.unlink()
    problems = verify_dossier(dossier)
    assert len(problems) == len(expected)
    for line, start in zip(problems, expected, strict=True):
        assert line.startswith(start.format(file=file)), line


def test_two_changes_give_two_lines(dossier: Path) -> None:
    """Every problem is reported, not only the first."""
    (dossier / "events.csv").write_text("nothing", encoding="utf-8")
    (dossier / "README.txt").unlink()
    assert [line.split(" (")[0] for line in verify_dossier(dossier)] == ["missing: README.txt", "altered: events.csv"]


def test_the_zip_holds_the_folder_and_verifies_too(history: History, tmp_path: Path) -> None:
    """DIR.zip holds the folder under its name, both readable by colleagues; verify reads it and sees a change."""
    built = build_dossier(history.ws, 2570, tmp_path / "dossier-2570", TODAY, zip=True)
    folder, archive = built.folder, zip_path_of(built.folder)
    assert archive == built.archive == tmp_path / "dossier-2570.zip"
    umask = os.umask(0)
    os.umask(umask)
    assert (folder.stat().st_mode & 0o777, archive.stat().st_mode & 0o777) == (0o777 & ~umask, 0o666 & ~umask)
    with zipfile.ZipFile(archive) as z:
        assert {n.removeprefix("dossier-2570/") for n in z.namelist()} == files_of(folder)
    assert verify_dossier(archive) == []
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(altered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data + b" " if info.filename.endswith("events.csv") else data)
    assert [p.split(" (")[0] for p in verify_dossier(altered)] == ["altered: events.csv"]


def test_an_existing_folder_is_replaced_only_when_forced_and_only_a_dossier(history: History, tmp_path: Path) -> None:
    """A non-empty folder is refused; --force replaces a dossier sop wrote and nothing else."""
    out = tmp_path / "dossier-2570"
    build_dossier(history.ws, 2570, out, TODAY)
    with pytest.raises(SopError, match="is not empty; pass --force"):
        build_dossier(history.ws, 2570, out, TODAY)
    build_dossier(history.ws, 2570, out, TODAY, force=True)
    assert verify_dossier(out) == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".tmp-", ".old-"))]

    (out / "files" / "notes.txt").write_text("added by hand after the dossier was made", encoding="utf-8")
    with pytest.raises(SopError, match=r"it holds files/notes\.txt, which its manifest does not list"):
        build_dossier(history.ws, 2570, out, TODAY, force=True)
    assert (out / "files" / "notes.txt").exists()

    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(SopError, match=r"it holds no manifest\.json of kind sop-dossier\): sop replaces only its own"):
        build_dossier(history.ws, 2570, other, TODAY, force=True)
    assert (other / "holiday.jpg").exists()
    with pytest.raises(SopError, match="is the workspace or holds it"):
        build_dossier(history.ws, 2570, history.ws.root, TODAY, force=True)
    with pytest.raises(SopError, match="is inside the workspace's records/ folder"):
        build_dossier(history.ws, 2570, history.ws.records / "dossier", TODAY)


def test_an_altered_evidence_file_stops_the_dossier(history: History, tmp_path: Path) -> None:
    """The dossier copies files as recorded: one altered in records/ is an error, and nothing is written."""
    stored = next((history.ws.records / "2570").glob("02-*/evidence/*after-april.pdf"))
    stored.write_bytes(b"changed later")
    with pytest.raises(SopError, match=r"after-april\.pdf was altered after it was recorded"):
        build_dossier(history.ws, 2570, tmp_path / "d", TODAY)
    assert not (tmp_path / "d").exists() and not list(tmp_path.glob(".tmp-*"))


def test_a_year_without_records_has_no_dossier(workspace: Workspace, tmp_path: Path) -> None:
    """Nothing recorded: a clear error, no folder."""
    with pytest.raises(SopError, match="fiscal year 2570 has no records: there is nothing to put in a dossier"):
        build_dossier(workspace, 2570, tmp_path / "d", TODAY)
    assert not (tmp_path / "d").exists()


def test_verify_refuses_what_is_not_a_dossier(tmp_path: Path) -> None:
    """A missing path or a plain file is an error; a folder without a manifest is one problem."""
    with pytest.raises(SopError, match="does not exist"):
        verify_dossier(tmp_path / "nothing")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SopError, match="neither a dossier folder nor a zip"):
        verify_dossier(tmp_path / "notes.txt")
    (tmp_path / "empty").mkdir()
    assert verify_dossier(tmp_path / "empty") == [
        "manifest.json: missing: this is not a sop dossier, or its manifest was deleted"
    ]
