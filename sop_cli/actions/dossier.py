"""`sop dossier`: the fiscal year's audit folder (report, files, index, events, manifest).

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
    manifest.json.sig / .asc         a signature of manifest.json, when an SSH or GPG key was given

manifest.json also records `self_sha256`, the SHA-256 of its own canonical JSON without that
field: `verify` (actions/dossier_verify.py) can then tell an edited manifest from an edited
manifest.sha256. The files themselves are written by storage/dossier_files.py.

The folder is built beside its target under a temporary name and renamed into place, so a
reader sees no dossier or a whole one. An existing folder is replaced only with `force`, and
only if sop wrote it and nothing else is in it. Every file copied must be a regular file inside
the workspace, as it was recorded: a record pointing elsewhere stops the dossier.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from sop_cli import __version__
from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.journal import EvidenceItem, Journal, YearData
from sop_cli.models.records import EvidenceLink, Voided
from sop_cli.models.register import RegisterEntry
from sop_cli.models.values import Period
from sop_cli.rendering import words
from sop_cli.rendering.tables import csv_table
from sop_cli.report_content import default_report_path, evidence_rows, report_office, report_view
from sop_cli.storage.atomic import copy_file_atomic, write_bytes_atomic
from sop_cli.storage.dossier_files import (
    FILES,
    GPG_SIGNATURE,
    MANIFEST,
    MANIFEST_HASH,
    SSH_SIGNATURE,
    building,
    foreign_content,
    write_manifest,
    write_zip,
)
from sop_cli.storage.outputs import protected_folder, refuse_existing
from sop_cli.storage.paths import file_problem
from sop_cli.storage.records import safe_file_name, sha256_of
from sop_cli.thai_calendar import format_long, format_short
from sop_cli.views.dossier import Dossier
from sop_cli.views.report import Companion, EvidenceRow
from sop_cli.workspace import Workspace


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
    ws: Workspace,
    fy: int,
    out_dir: Path,
    today: dt.date,
    zip: bool = False,
    force: bool = False,
    *,
    ssh_key: Path | None = None,
    gpg_key: str | None = None,
) -> Dossier:
    """Write the dossier of fiscal year `fy` into `out_dir` (and DIR.zip with `zip`), signed with a key if given."""
    from sop_cli.rendering.docx_report import save_report
    from sop_cli.storage.signatures import sign_gpg, sign_ssh

    out_dir = out_dir.expanduser().resolve()
    _check_target(ws, out_dir, force)
    archive = zip_path_of(out_dir)
    if zip:
        refuse_existing(ws, [archive], force=force)
    data = Journal.for_day(ws, today).year(fy)
    if not any(not isinstance(s.event, Voided) for s in data.events):
        raise SopError(_("fiscal year {fy} has no records: there is nothing to put in a dossier").format(fy=fy))
    copies, rows = _files(ws, data)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    signature = None
    with building(out_dir) as tmp:
        report = default_report_path(ws, fy, Period.year).name
        save_report(report_view(ws, fy, Period.year, [], today), tmp / report, report_office(ws))
        for copy in copies:
            target = tmp / copy.target
            if not target.resolve().is_relative_to(tmp.resolve()):  # names are checked; this is the last guard
                raise SopError(_("{path} would be copied outside the dossier").format(path=ws.relative(copy.source)))
            sha, _size = copy_file_atomic(copy.source, target)
            if sha != copy.sha256:
                raise SopError(
                    _("{source} changed while the dossier was being written; try again").format(
                        source=ws.relative(copy.source)
                    )
                )
        _write_index(ws, fy, tmp, rows, today)
        _write_events(ws, fy, tmp, data)
        _write_text(tmp / "README.txt", _readme(fy, report, today))
        fields = {"fy": fy, "created": today.isoformat(), "generator": f"sop {__version__}"}
        manifest_sha = write_manifest(tmp, fields)
        if ssh_key is not None:
            signature = out_dir / sign_ssh(tmp / MANIFEST, ssh_key).name
        if gpg_key is not None:
            signature = out_dir / sign_gpg(tmp / MANIFEST, gpg_key).name
    if zip:
        write_zip(out_dir, archive)
    return Dossier(out_dir, archive if zip else None, manifest_sha, signature)


# --- what goes in ---------------------------------------------------------------------------------


def _check_target(ws: Workspace, out_dir: Path, force: bool) -> None:
    root = ws.root.resolve()
    if out_dir == root or root.is_relative_to(out_dir):
        raise SopError(
            _("{out_dir} is the workspace or holds it: choose a folder of its own for the dossier").format(
                out_dir=out_dir
            )
        )
    folder = protected_folder(ws, out_dir)
    if folder is not None:
        raise SopError(
            _("{path} is inside the workspace's {folder}/ folder: choose a folder of its own for the dossier").format(
                path=out_dir, folder=folder
            )
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise SopError(_("{out_dir} exists and is not a folder").format(out_dir=out_dir))
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not force:
            raise SopError(
                _("{out_dir} is not empty; pass --force to replace the dossier in it").format(out_dir=out_dir)
            )
        foreign = foreign_content(out_dir)
        if foreign is not None:
            raise SopError(
                _("{path} is not empty and not a dossier sop wrote ({why}): sop replaces only its own dossier").format(
                    path=out_dir, why=foreign
                )
            )


def _files(ws: Workspace, data: YearData) -> tuple[list[_Copy], list[EvidenceRow]]:
    """The files to copy (each once) and the index rows (every evidence item and register document).

    A document is one row; its PDF/A and earlier versions are copied too and named in that row.
    """
    by_event = {item.event: item for item in data.evidence}
    copies: dict[Path, _Copy] = {}
    rows: list[EvidenceRow] = []
    problems: list[str] = []

    def copy(item: EvidenceItem) -> str:
        """Plan the copy of an evidence file; its path in the dossier."""
        assert item.path is not None and not isinstance(item.proof, EvidenceLink)
        target = f"{FILES}/{item.path.parent.parent.name}/{item.proof.stored}"
        copies.setdefault(item.path.resolve(), _Copy(item.path, target, item.proof.sha256))
        problems.extend(_source_problems(ws, item.path, item.proof.sha256))
        return target

    for row in evidence_rows(ws, data):
        item = by_event[row.event]
        if isinstance(item.proof, EvidenceLink) or item.path is None:
            rows.append(row)
            continue
        companions = tuple(replace(c, stored=copy(by_event[c.event])) for c in row.companions)
        rows.append(replace(row, stored=copy(item), companions=companions))
    problems += _register_documents(ws, data, copies, rows)
    if problems:
        listed = "; ".join(dict.fromkeys(problems))
        raise SopError(
            _("the dossier needs every file as it was recorded: {listed} (see `sop check`)").format(listed=listed)
        )
    return list(copies.values()), rows


def _source_problems(ws: Workspace, path: Path, sha: str) -> list[str]:
    problem = file_problem(path, ws.root)  # the shared test: a regular file, no link out of the workspace
    if problem is not None:
        return [f"{ws.relative(path)} {problem}"]
    if sha256_of(path) != sha:
        return [_("{path} was altered after it was recorded").format(path=ws.relative(path))]
    return []


def _register_documents(ws: Workspace, data: YearData, copies: dict[Path, _Copy], rows: list[EvidenceRow]) -> list[str]:
    """Documents of the year that are in the register but not evidence of a run (--no-run, --out).

    The versions of one number are one row: the latest, with its PDF/A and the earlier versions.
    """
    from sop_cli.storage.register import load_register

    stored, _ = load_register(ws)  # `sop check` reports the register's problems
    problems: list[str] = []
    versions: dict[tuple[str, int, int], list[RegisterEntry]] = {}
    for item in sorted(stored, key=lambda s: (s.entry.issued, s.entry.at)):
        entry = item.entry
        document = Path(entry.document)
        if entry.fy != data.fy or document.is_absolute():
            continue  # another year's, or written outside the workspace where other clones cannot see it
        if (ws.root / document).resolve() in copies:
            continue  # already there as the evidence of its step
        versions.setdefault((entry.series.value, entry.year, entry.number), []).append(entry)

    def copy(document: str, sha256: str, year: int) -> str:
        source = ws.root / document
        problems.extend(_source_problems(ws, source, sha256))
        target = f"{FILES}/documents-{year}/{safe_file_name(source.name)}"
        copies[source.resolve()] = _Copy(source, target, sha256)
        return target

    number = len(rows)
    for entries in versions.values():
        latest = max(entries, key=lambda e: (e.version, e.at))
        companions = []
        for entry in sorted(entries, key=lambda e: (e.version, e.at)):
            current = entry is latest
            if not current:
                target = copy(entry.document, entry.sha256, entry.year)
                companions.append(
                    Companion("earlier", entry.version, Path(entry.document).name, target, entry.sha256, entry.size, "")
                )
            if entry.pdf is not None and not Path(entry.pdf.document).is_absolute():
                target = copy(entry.pdf.document, entry.pdf.sha256, entry.year)
                name = Path(entry.pdf.document).name
                role: Literal["pdf", "earlier"] = "pdf" if current else "earlier"
                companions.append(Companion(role, entry.version, name, target, entry.pdf.sha256, entry.pdf.size, ""))
        number += 1
        rows.append(
            EvidenceRow(
                number=number,
                procedure=latest.procedure,
                run=latest.run or "-",
                run_label=None,
                step=latest.step,
                date=latest.issued,
                by=data.catalog.staff_name(latest.by),
                kind="document",
                name=Path(latest.document).name,
                doc_number=latest.printed,
                size=latest.size,
                sha256=latest.sha256,
                stored=copy(latest.document, latest.sha256, latest.year),
                event="",
                doc_type=latest.kind,
                version=latest.version,
                companions=tuple(companions),
            )
        )
    return problems


# --- the files written ------------------------------------------------------------------------------


INDEX_COLUMNS = (
    "ที่", "ไฟล์ในแฟ้ม", "เรื่อง", "run", "ชื่อ run", "ขั้นตอน", "วันที่", "วันที่ (พ.ศ.)", "ผู้บันทึก",
    "ชนิด", "ชื่อไฟล์หรือลิงก์", "เลขที่หนังสือ", "ขนาด (ไบต์)", "SHA-256", "เหตุการณ์",
    "ฉบับที่", "PDF/A", "SHA-256 ของ PDF/A", "ฉบับก่อนแก้ไข",
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
            r.version if r.kind == "document" else "",
            r.pdf.stored or "" if r.pdf else "",
            r.pdf.sha256 if r.pdf else "",
            "; ".join(f"{c.stored} (ฉบับที่ {c.version}, SHA-256 {c.sha256})" for c in r.earlier),
        ]
        for r in rows
    ]
    write_bytes_atomic(folder / "index.csv", csv_table(INDEX_COLUMNS, table))
    from sop_cli.rendering.docx_report import save_index

    office = report_office(ws)
    files = sum(1 for r in rows if r.stored)
    lines = [
        f"แฟ้มหลักฐานการปฏิบัติงานตามคู่มือการปฏิบัติงานของ{office.unit} {office.name} ปีงบประมาณ พ.ศ. {fy} "
        f"มีหลักฐาน {len(rows)} รายการ เป็นไฟล์ {files} รายการ และลิงก์ {len(rows) - files} รายการ "
        "ไฟล์ทุกไฟล์อยู่ในโฟลเดอร์ files ตามเส้นทางที่ระบุ พร้อมค่า SHA-256 สำหรับตรวจสอบว่าไม่ถูกแก้ไข",
        f"จัดทำเมื่อ {format_long(today, digits=False)}",
    ]
    if any(r.companions for r in rows):
        lines.insert(
            1,
            "หนังสือที่มีฉบับ PDF/A หรือมีการแก้ไข นับเป็นรายการเดียว (ฉบับล่าสุด) "
            "ไฟล์ PDF/A และฉบับก่อนแก้ไขอยู่ในโฟลเดอร์ files ด้วย ตามเส้นทางที่ระบุในรายการนั้น",
        )
    save_index(folder / f"ดัชนีหลักฐาน-{fy}.docx", f"ดัชนีหลักฐาน ปีงบประมาณ พ.ศ. {fy}", lines, rows, office)


EVENT_COLUMNS = ("id", "type", "procedure", "run", "date", "at", "by", "by_name", "voided", "summary", "file")


def _write_events(ws: Workspace, fy: int, folder: Path, data: YearData) -> None:
    """Every event of the year (voided ones too, marked), oldest first, as CSV and JSON."""
    records = []
    for stored in data.events:
        event = stored.event
        records.append(
            {
                "id": event.id,
                "type": event.type,
                "procedure": event.procedure,
                "run": event.run,
                "date": event.date.isoformat(),
                "at": event.at.isoformat(),
                "by": event.by,
                "by_name": data.catalog.staff_name(event.by),
                "voided": event.id in data.voided,
                "summary": words.event_summary(event, "th"),  # the dossier is the office's: always Thai
                "file": ws.relative(stored.path),
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
        f"{SSH_SIGNATURE} หรือ {GPG_SIGNATURE}  ลายมือชื่อดิจิทัลของ {MANIFEST} (ถ้ามี)\n"
        "\n"
        "การตรวจสอบ: sop dossier verify <โฟลเดอร์นี้> หรือ sha256sum -c manifest.sha256\n"
        "แล้วเทียบค่า SHA-256 ของแต่ละไฟล์กับ manifest.json\n"
        "\n"
        "ค่า SHA-256 แสดงเพียงว่าไฟล์ตรงกับ manifest.json ผู้ที่แก้ไขไฟล์ได้ย่อมแก้ manifest.json ได้ด้วย\n"
        "จึงต้องเทียบกับค่า SHA-256 ของ manifest.json ที่บันทึกไว้ในหนังสือนำส่ง หรือกับลายมือชื่อดิจิทัล:\n"
        "sop dossier verify <โฟลเดอร์นี้> --manifest-sha256 <ค่าที่บันทึกไว้>\n"
    )
