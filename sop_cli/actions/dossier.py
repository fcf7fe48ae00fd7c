"""`sop dossier`: the fiscal year's audit folder (report, files, index, events, manifest) and its check.

The folder, as an inspector receives it:

    README.txt                       what is here and how to check it
    รายงานผลการติดตาม-2570-1ปี.docx   the year's monitoring report
    ดัชนีหลักฐาน-2570.docx            the index of the files, with their SHA-256
    index.csv                        the same index, for a spreadsheet
    events.csv, events.json          every event of the year
    files/NN-<run>/evidence/…        the evidence files of each run, as stored in records/
    files/NN-<run>/documents/…       the documents sop generated for each run
    files/documents-<BE year>/…      documents generated without a run (from the register)
    manifest.json                    every file above with its size and SHA-256
    manifest.sha256                  the SHA-256 of manifest.json (`sha256sum -c manifest.sha256`)

manifest.json also records `self_sha256`, the SHA-256 of its own canonical JSON without that
field: `verify` can then tell an edited manifest from an edited manifest.sha256.

The folder is built beside its target under a temporary name and renamed into place, so a
reader sees no dossier or a whole one. An existing folder is replaced only with `force`, and
only if it is empty or a dossier (it holds a manifest.json): never some other folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sop_cli import __version__
from sop_cli.actions.report import default_report_path, evidence_rows, write_report
from sop_cli.actions.runs import event_log
from sop_cli.actions.year import YearData, gather_year
from sop_cli.errors import SopError
from sop_cli.models.records import EvidenceLink, Voided
from sop_cli.rendering.tables import csv_table
from sop_cli.storage.atomic import copy_file_atomic, write_bytes_atomic
from sop_cli.storage.records import safe_file_name, sha256_of
from sop_cli.thai_calendar import format_long, format_short
from sop_cli.views.report import EvidenceRow
from sop_cli.workspace import Workspace

MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
FILES = "files"
DOSSIER_KIND = "sop-dossier"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class _Copy:
    """A file of the records to copy into the dossier, and the SHA-256 recorded for it."""

    source: Path
    target: str  # path inside the dossier
    sha256: str


def zip_path_of(folder: Path) -> Path:
    """Where `build_dossier(..., zip=True)` writes the zip: beside the folder, DIR.zip."""
    return folder.with_name(folder.name + ".zip")


def build_dossier(
    ws: Workspace, fy: int, out_dir: Path, today: dt.date, zip: bool = False, force: bool = False
) -> Path:
    """Write the dossier of fiscal year `fy` into `out_dir` (and DIR.zip with `zip`); return the folder."""
    out_dir = out_dir.expanduser().resolve()
    _check_target(ws, out_dir, force)
    archive = zip_path_of(out_dir)
    if zip and archive.exists() and not force:
        raise SopError(f"{archive} already exists; pass --force to replace it")
    data = gather_year(ws, fy, today)
    if not any(not isinstance(s.event, Voided) for s in data.events):
        raise SopError(f"fiscal year {fy} has no records: there is nothing to put in a dossier")
    copies, rows = _files(ws, data)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _building(out_dir) as tmp:
        report = default_report_path(ws, fy, "year").name
        write_report(ws, fy, "year", [], tmp / report, today, force=True)
        for copy in copies:
            sha, _ = copy_file_atomic(copy.source, tmp / copy.target)
            if sha != copy.sha256:
                raise SopError(f"{ws.relative(copy.source)} changed while the dossier was being written; try again")
        _write_index(ws, fy, tmp, rows, today)
        _write_events(ws, fy, tmp, data)
        _write_text(tmp / "README.txt", _readme(fy, report, today))
        _write_manifest(tmp, fy, today, ws)
    if zip:
        _write_zip(out_dir, archive)
    return out_dir


# --- what goes in ---------------------------------------------------------------------------------


def _check_target(ws: Workspace, out_dir: Path, force: bool) -> None:
    root = ws.root.resolve()
    resolved = out_dir.resolve()
    if resolved == root or root.is_relative_to(resolved) or resolved.is_relative_to(ws.records.resolve()):
        raise SopError(f"{out_dir} is the workspace or its records: choose a folder of its own for the dossier")
    if out_dir.exists() and not out_dir.is_dir():
        raise SopError(f"{out_dir} exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not force:
            raise SopError(f"{out_dir} is not empty; pass --force to replace the dossier in it")
        if not (out_dir / MANIFEST).is_file():
            raise SopError(f"{out_dir} is not empty and holds no {MANIFEST}: sop replaces only a dossier it wrote")


def _files(ws: Workspace, data: YearData) -> tuple[list[_Copy], list[EvidenceRow]]:
    """The files to copy (each once) and the index rows (every evidence item and register document)."""
    by_event = {item.event: item for item in data.evidence}
    copies: dict[Path, _Copy] = {}
    rows: list[EvidenceRow] = []
    problems: list[str] = []
    for row in evidence_rows(ws, data):
        item = by_event[row.event]
        if isinstance(item.proof, EvidenceLink) or item.path is None:
            rows.append(row)
            continue
        source = item.path
        target = f"{FILES}/{item.path.parent.parent.name}/{item.proof.stored}"
        copies.setdefault(source.resolve(), _Copy(source, target, item.proof.sha256))
        problems += _source_problems(ws, source, item.proof.sha256)
        rows.append(replace(row, stored=target))
    problems += _register_documents(ws, data, copies, rows)
    if problems:
        listed = "; ".join(dict.fromkeys(problems))
        raise SopError(f"the dossier needs every file as it was recorded: {listed} (see `sop check`)")
    return list(copies.values()), rows


def _source_problems(ws: Workspace, path: Path, sha: str) -> list[str]:
    if not path.is_file():
        return [f"{ws.relative(path)} is missing"]
    if sha256_of(path) != sha:
        return [f"{ws.relative(path)} was altered after it was recorded"]
    return []


def _register_documents(ws: Workspace, data: YearData, copies: dict[Path, _Copy], rows: list[EvidenceRow]) -> list[str]:
    """Documents of the year that are in the register but not evidence of a run (--no-run, --out)."""
    from sop_cli.storage.register import load_register

    stored, _ = load_register(ws)  # `sop check` reports the register's problems
    problems: list[str] = []
    number = len(rows)
    for item in sorted(stored, key=lambda s: (s.entry.issued, s.entry.at)):
        entry = item.entry
        document = Path(entry.document)
        if entry.fy != data.fy or document.is_absolute():
            continue  # another year's, or written outside the workspace where other clones cannot see it
        source = ws.root / document
        if source.resolve() in copies:
            continue  # already there as the evidence of its step
        problems += _source_problems(ws, source, entry.sha256)
        target = f"{FILES}/documents-{entry.year}/{safe_file_name(source.name)}"
        copies[source.resolve()] = _Copy(source, target, entry.sha256)
        number += 1
        rows.append(
            EvidenceRow(
                number=number,
                procedure=entry.procedure,
                run=entry.run or "-",
                run_label=None,
                step=entry.step,
                date=entry.issued,
                by=data.catalog.staff_name(entry.by),
                kind="document",
                name=source.name,
                doc_number=entry.printed,
                size=entry.size,
                sha256=entry.sha256,
                stored=target,
                event="",
            )
        )
    return problems


# --- the files written ------------------------------------------------------------------------------


INDEX_COLUMNS = (
    "ที่", "ไฟล์ในแฟ้ม", "เรื่อง", "run", "ชื่อ run", "ขั้นตอน", "วันที่", "วันที่ (พ.ศ.)", "ผู้บันทึก",
    "ชนิด", "ชื่อไฟล์หรือลิงก์", "เลขที่หนังสือ", "ขนาด (ไบต์)", "SHA-256", "เหตุการณ์",
)  # fmt: skip


def _write_index(ws: Workspace, fy: int, folder: Path, rows: list[EvidenceRow], today: dt.date) -> None:
    table = [
        [
            r.number,
            r.stored or "",
            r.procedure,
            r.run,
            r.run_label or "",
            r.step or "",
            r.date.isoformat(),
            format_short(r.date),
            r.by,
            r.kind,
            r.name,
            r.doc_number or "",
            "" if r.size is None else r.size,
            r.sha256 or "",
            r.event,
        ]
        for r in rows
    ]
    write_bytes_atomic(folder / "index.csv", csv_table(INDEX_COLUMNS, table))
    from sop_cli.loading.settings import load_settings
    from sop_cli.rendering.docx_official import save_document
    from sop_cli.rendering.docx_report import build_index

    office = load_settings(ws).office
    files = sum(1 for r in rows if r.stored)
    lines = [
        f"แฟ้มหลักฐานการปฏิบัติงานตามคู่มือการปฏิบัติงานของ{office.unit} {office.name} ปีงบประมาณ พ.ศ. {fy} "
        f"มีหลักฐาน {len(rows)} รายการ เป็นไฟล์ {files} รายการ และลิงก์ {len(rows) - files} รายการ "
        "ไฟล์ทุกไฟล์อยู่ในโฟลเดอร์ files ตามเส้นทางที่ระบุ พร้อมค่า SHA-256 สำหรับตรวจสอบว่าไม่ถูกแก้ไข",
        f"จัดทำเมื่อ {format_long(today, digits=False)}",
    ]
    doc = build_index(
        f"ดัชนีหลักฐาน ปีงบประมาณ พ.ศ. {fy}", lines, rows, font=office.font, thai=office.thai_digits, paths=True
    )
    save_document(doc, folder / f"ดัชนีหลักฐาน-{fy}.docx")


EVENT_COLUMNS = ("id", "type", "procedure", "run", "date", "at", "by", "by_name", "voided", "summary", "file")


def _write_events(ws: Workspace, fy: int, folder: Path, data: YearData) -> None:
    """Every event of the year (voided ones too, marked), oldest first, as CSV and JSON."""
    log = {entry.event: entry for entry in event_log(ws, fy)}
    records = []
    for stored in data.events:
        event = stored.event
        entry = log[event.id]
        records.append(
            {
                "id": event.id,
                "type": event.type,
                "procedure": event.procedure,
                "run": event.run,
                "date": event.date.isoformat(),
                "at": event.at.isoformat(),
                "by": event.by,
                "by_name": entry.by,
                "voided": event.id in data.voided,
                "summary": entry.summary,
                "file": entry.path,
                "event": event.model_dump(mode="json", exclude_none=True),
            }
        )
    table = [[str(r[c]).lower() if c == "voided" else r[c] for c in EVENT_COLUMNS] for r in records]
    write_bytes_atomic(folder / "events.csv", csv_table(EVENT_COLUMNS, table))
    document = {"fy": fy, "events": records}
    write_bytes_atomic(folder / "events.json", (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode())


def _write_text(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.replace("\n", "\r\n").encode("utf-8-sig"))  # Notepad reads it as Thai


def _readme(fy: int, report: str, today: dt.date) -> str:
    return (
        f"แฟ้มหลักฐาน (dossier) ปีงบประมาณ พ.ศ. {fy} จัดทำโดย sop {__version__} เมื่อ {format_short(today)}\n"
        "\n"
        f"{report}  รายงานผลการติดตามและประเมินผล รอบ 1 ปี\n"
        f"ดัชนีหลักฐาน-{fy}.docx, index.csv  ดัชนีไฟล์และลิงก์ทุกรายการ พร้อมขนาดและค่า SHA-256\n"
        "events.csv, events.json  เหตุการณ์ทุกรายการของปี (รายการที่ถูกยกเลิกมี voided = true)\n"
        "files/  ไฟล์หลักฐานและหนังสือราชการ แยกตามเรื่องและรอบการดำเนินงาน (NN-run)\n"
        f"{MANIFEST}  รายชื่อไฟล์ทั้งหมดพร้อมขนาดและค่า SHA-256\n"
        f"{MANIFEST_HASH}  ค่า SHA-256 ของ {MANIFEST}\n"
        "\n"
        "การตรวจสอบ: sop dossier verify <โฟลเดอร์นี้> หรือ sha256sum -c manifest.sha256\n"
        "แล้วเทียบค่า SHA-256 ของแต่ละไฟล์กับ manifest.json\n"
    )


def _canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _listing(folder: Path) -> Iterator[tuple[str, Path]]:
    """(path inside the dossier, file) of every file, the manifest's two files excepted."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() or path.is_symlink():
            name = path.relative_to(folder).as_posix()
            if name not in (MANIFEST, MANIFEST_HASH):
                yield name, path


Reader = Callable[[str], bytes | None]  # the bytes of a file of the dossier, None when it is missing


def _digest(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _write_manifest(folder: Path, fy: int, today: dt.date, ws: Workspace) -> None:
    files = []
    for name, path in _listing(folder):
        with path.open("rb") as f:
            sha, size = _digest(f)
        files.append({"path": name, "size": size, "sha256": sha})
    manifest: dict[str, Any] = {
        "kind": DOSSIER_KIND,
        "schema_version": 1,
        "fy": fy,
        "created": today.isoformat(),
        "generator": f"sop {__version__}",
        "files": files,
    }
    manifest["self_sha256"] = hashlib.sha256(_canonical(manifest)).hexdigest()
    text = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    write_bytes_atomic(folder / MANIFEST, text)
    write_bytes_atomic(folder / MANIFEST_HASH, f"{hashlib.sha256(text).hexdigest()}  {MANIFEST}\n".encode())


def _umask_mode(mode: int) -> int:
    # mkdtemp and mkstemp create 0700 folders and 0600 files: colleagues on a shared drive need the
    # permissions the umask gives anything else.
    umask = os.umask(0)
    os.umask(umask)
    return mode & ~umask


@contextlib.contextmanager
def _building(out_dir: Path) -> Iterator[Path]:
    """A temporary folder beside `out_dir`, renamed onto it when the block succeeds, removed if not."""
    tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".tmp-{out_dir.name}-"))
    tmp.chmod(_umask_mode(0o777))
    try:
        yield tmp
        old = None
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".old-{out_dir.name}-"))
            out_dir.replace(old / "dossier")
        tmp.replace(out_dir)
        if old is not None:
            shutil.rmtree(old)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def _write_zip(folder: Path, archive: Path) -> None:
    """Zip the folder (its files under the folder's name) into a temporary file, then rename it."""
    fd, name = tempfile.mkstemp(dir=archive.parent, prefix=".tmp-", suffix=".zip")
    os.close(fd)
    tmp = Path(name)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    z.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
        tmp.chmod(_umask_mode(0o666))
        tmp.replace(archive)
    finally:
        tmp.unlink(missing_ok=True)


# --- verify ------------------------------------------------------------------------------------------


def verify_dossier(path: Path) -> list[str]:
    """Check a dossier folder (or its zip) against its manifest; return one line per problem.

    Reports the manifest itself altered, and every file missing, added or altered.
    """
    path = path.expanduser()
    if not path.exists():
        raise SopError(f"{path} does not exist")
    if path.is_dir():
        found = _folder_digests(path)
        read = _folder_reader(path)
    elif zipfile.is_zipfile(path):
        found, read = _zip_digests(path)
    else:
        raise SopError(f"{path} is neither a dossier folder nor a zip of one")
    manifest_bytes = read(MANIFEST)
    if manifest_bytes is None:
        return [f"{MANIFEST}: missing: this is not a sop dossier, or its manifest was deleted"]
    try:
        manifest = json.loads(manifest_bytes)
        listed = {str(f["path"]): (int(f["size"]), str(f["sha256"])) for f in manifest["files"]}
    except (ValueError, KeyError, TypeError):
        return [f"{MANIFEST}: altered: it is no longer a manifest sop can read"]
    problems = _manifest_problems(manifest, manifest_bytes, read(MANIFEST_HASH))
    for name, (size, sha) in sorted(listed.items()):
        posix = PurePosixPath(name)
        if posix.is_absolute() or ".." in posix.parts:
            problems.append(f"{MANIFEST}: altered: it lists {name}, a path outside the dossier")
        elif name not in found:
            problems.append(f"missing: {name}")
        elif found[name] != (size, sha):
            now_size, now_sha = found[name]
            problems.append(
                f"altered: {name} (now {now_size} bytes, SHA-256 {now_sha[:16]}…; "
                f"the manifest says {size} bytes, {sha[:16]}…)"
            )
    for name in sorted(set(found) - set(listed)):
        problems.append(f"added: {name} (not in {MANIFEST})")
    return problems


def _manifest_problems(manifest: dict[str, Any], manifest_bytes: bytes, recorded: bytes | None) -> list[str]:
    claimed = manifest.get("self_sha256")
    rest = {k: v for k, v in manifest.items() if k != "self_sha256"}
    if claimed != hashlib.sha256(_canonical(rest)).hexdigest():
        return [f"{MANIFEST}: altered: its contents no longer match the self_sha256 it records"]
    if recorded is None:
        return [f"{MANIFEST_HASH}: missing"]
    actual = hashlib.sha256(manifest_bytes).hexdigest()
    if recorded.decode("utf-8", "replace").split()[:1] != [actual]:
        return [f"{MANIFEST_HASH}: altered, or {MANIFEST} rewritten: the SHA-256 of {MANIFEST} is {actual[:16]}…"]
    return []


def _folder_digests(folder: Path) -> dict[str, tuple[int, str]]:
    found = {}
    for name, path in _listing(folder):
        with path.open("rb") as f:
            sha, size = _digest(f)
        found[name] = (size, sha)
    return found


def _folder_reader(folder: Path) -> Reader:
    def read(name: str) -> bytes | None:
        path = folder / name
        return path.read_bytes() if path.is_file() else None

    return read


def _zip_digests(archive: Path) -> tuple[dict[str, tuple[int, str]], Reader]:
    with zipfile.ZipFile(archive) as z:
        infos = [i for i in z.infolist() if not i.is_dir()]
        tops = {i.filename.split("/", 1)[0] for i in infos}
        prefix = f"{tops.pop()}/" if len(tops) == 1 and all("/" in i.filename for i in infos) else ""
        found: dict[str, tuple[int, str]] = {}
        contents: dict[str, bytes] = {}
        for info in infos:
            name = info.filename.removeprefix(prefix)
            with z.open(info) as f:
                if name in (MANIFEST, MANIFEST_HASH):
                    contents[name] = f.read()
                else:
                    sha, size = _digest(f)
                    found[name] = (size, sha)
    return found, contents.get
