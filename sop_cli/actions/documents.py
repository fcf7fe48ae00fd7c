"""Issue the Thai official documents of a step: memo, external letter, committee order; list the register.

Every input is checked, and every document is worded and laid out once with a trial number,
before a number is taken: a mistake costs no number. The number is then taken, the .docx
written, the register entry created and the document recorded as evidence of the step, all
under the records lock; if any of it fails, everything written is removed again before the lock
is released, so no number is consumed and no file is left behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sop_cli.actions.runs import Actor, attach_document, resolve_actor, run_for_document
from sop_cli.errors import SopError
from sop_cli.loading.catalog import load_catalog
from sop_cli.loading.members import load_members
from sop_cli.loading.settings import load_office
from sop_cli.models.catalog import Catalog
from sop_cli.models.documents import ExternalLetter, Memo, OfficeSettings, Order
from sop_cli.models.members import MemberRow
from sop_cli.models.procedure import Procedure, Step
from sop_cli.models.records import EvidenceDocument
from sop_cli.models.register import DocKind, RegisterEntry, printed_number, series_of
from sop_cli.models.settings import OfficeTable
from sop_cli.models.vocabulary import Agency
from sop_cli.rendering.docx_official import build_letter, build_memo, build_order, office_digits
from sop_cli.rendering.templates import (
    ADDRESSEE,
    ENCLOSURE,
    REFERENCE,
    SUBJECT,
    Wording,
    paragraphs,
    parse_wording,
    render_text,
    template_names,
)
from sop_cli.storage.atomic import write_bytes_atomic
from sop_cli.storage.outputs import output_place, refuse_existing
from sop_cli.storage.records import RunFolder, records_lock, safe_file_name
from sop_cli.storage.register import (
    list_register,
    next_number,
    register_folder,
    unregistered_documents_folder,
    write_entry,
)
from sop_cli.thai_calendar import MONTHS, arabic_digits, be_year, fiscal_year, format_long
from sop_cli.views.documents import IssuedDocument, IssueResult, RegisterListing, RegisterRow
from sop_cli.workspace import Workspace

if TYPE_CHECKING:
    from docx.document import Document

DocumentModel = Memo | ExternalLetter | Order
KIND_NAMES: dict[str, DocKind] = {"memo": "memo", "letter": "external_letter", "order": "order"}
# The [office] keys each kind prints (a memo is signed by the acting staff member by default).
_PRINTED_SETTINGS: dict[str, tuple[str, ...]] = {
    "memo": ("telephone",),
    "external_letter": ("signatory", "telephone", "email"),
    "order": ("signatory", "order_authority"),
}
_THAI_KIND = {"memo": "บันทึกข้อความ", "external_letter": "หนังสือภายนอก", "order": "คำสั่ง"}


# --- where a document belongs --------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """The procedure, fiscal year, run (None with --no-run) and step a document belongs to."""

    ws: Workspace
    catalog: Catalog
    proc: Procedure
    fy: int
    folder: RunFolder | None
    step: Step | None
    who: str
    today: dt.date
    now: dt.datetime
    office: OfficeTable

    @property
    def settings(self) -> OfficeSettings:
        return self.office.document_settings(self.ws.root)

    @property
    def year(self) -> int:
        return be_year(self.today)


def _target(
    ws: Workspace,
    number: int,
    actor: Actor,
    *,
    fy: int | None,
    run: str | None,
    step: int | None,
    no_run: bool,
) -> _Target:
    catalog = load_catalog(ws)
    proc = catalog.procedure(number)
    who = resolve_actor(ws, catalog, actor.by)
    office = load_office(ws)
    today = actor.now.date()
    year = fy if fy is not None else fiscal_year(today)
    folder: RunFolder | None = None
    if no_run:
        if run is not None:
            raise SopError("--run and --no-run exclude each other")
        if step is not None and step not in {s.number for s in proc.steps}:
            raise SopError(f"procedure {number} has no step {step}; its steps are 1 to {len(proc.steps)}")
    else:
        folder, step = run_for_document(ws, number, fy=year, run=run, step=step)
    return _Target(
        ws, catalog, proc, year, folder, proc.step(step) if step is not None else None, who, today, actor.now, office
    )


# --- wording -------------------------------------------------------------------------------------


def _context(target: _Target, kind: DocKind, **extra: Any) -> dict[str, Any]:
    """The values a template may use (listed in templates/README.md)."""
    proc, step, office = target.proc, target.step, target.office
    member = next(m for m in target.catalog.roster.staff if m.id == target.who)
    step_view = None
    if step is not None:
        row = proc.row_of(step.number)
        step_view = {
            "number": step.number,
            "label": step.label or str(step.number),
            "text": step.text,
            "row": row.label,
            "documents": [{"kind": str(d.kind), "title": d.title} for d in row.documents],
            "standards": list(row.standard),
        }
    return {
        "kind": kind,
        "office": {
            "name": office.name,
            "unit": office.unit,
            "address": list(office.address),
            "telephone": office.telephone,
            "fax": office.fax,
            "email": office.email,
            "document_code": office.document_code,
            "addressee": office.addressee,
            "signatory": office.signatory,
            "signatory_positions": list(office.signatory_positions),
            "order_authority": office.order_authority,
        },
        "procedure": {
            "number": proc.number,
            "title": proc.header.title,
            "short_title": proc.short_title,
            "objectives": list(proc.objectives),
            "references": list(proc.references),
        },
        "step": step_view,
        "run": {"id": target.folder.run, "fy": target.folder.fy} if target.folder else None,
        "fy": target.fy,
        "year": target.year,
        "today": target.today,
        "date": format_long(target.today, digits=False),
        "by": {"id": member.id, "name": member.display_name, "position": member.position},
        "subject": None,
        "addressee": None,
        "agency": None,
        "recipients": [],
        "copies_to": [],
        "enclosures": [],
        "members": [],
        **extra,
    }


def _agency_view(agency: Agency) -> dict[str, Any]:
    return {
        "id": agency.id,
        "name": agency.name,
        "short_name": agency.short_name,
        "affiliation": str(agency.affiliation),
    }


def _word(target: _Target, kind: DocKind, labels: Sequence[str], **extra: Any) -> Wording:
    names = template_names(kind, target.proc.number, target.step.number if target.step else None)
    shown, text = render_text(target.ws.templates, names, _context(target, kind, **extra))
    return parse_wording(text, shown, labels=labels, closing=kind == "order")


def _body_from_file(body_file: Path | None) -> tuple[str, ...] | None:
    if body_file is None:
        return None
    from sop_cli.loading.yaml_files import FileProblems, read_text

    if not body_file.is_file():
        raise SopError(
            f"body file {body_file} does not exist" if not body_file.exists() else f"{body_file} is not a file"
        )
    try:
        text = read_text(body_file, str(body_file)).removeprefix("\ufeff")
    except FileProblems as exc:
        raise SopError(str(exc.problems[0])) from None
    found = tuple(paragraphs(text.splitlines()))
    if not found:
        raise SopError(f"body file {body_file} is empty; write the paragraphs separated by blank lines")
    return found


def _plain(value: Any, thai: bool) -> Any:
    """Arabic digits in every text when the office turned Thai digits off ("nowhere when off")."""
    if thai:
        return value  # the builder writes every digit in Thai
    if isinstance(value, str):
        return arabic_digits(value)
    if isinstance(value, tuple | list):
        return type(value)(_plain(v, thai) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v, thai) for k, v in value.items()}
    return value


def _printed(text: str, thai: bool) -> str:
    """`text` with the digits the documents print: Thai (not in e-mails and URLs), or Arabic."""
    return office_digits(text, True) if thai else arabic_digits(text)


# --- drafts: one document before it has a number -------------------------------------------------


@dataclass(frozen=True)
class _Draft:
    """A worded document waiting for its number: `model(number)` lays it out once it has one."""

    kind: DocKind
    wording: Wording
    subject: str
    addressee: str | None
    model: Callable[[str], DocumentModel]
    name: Callable[[int], str]  # the file name, given the number
    path: Path | None = None  # an explicit file from --out
    folder: Path | None = None  # else this folder, with `name`
    preview: dict[str, Any] = field(default_factory=dict)


def _build(model: DocumentModel, settings: OfficeSettings) -> Document:
    if isinstance(model, Memo):
        return build_memo(model, settings)
    if isinstance(model, ExternalLetter):
        return build_letter(model, settings)
    return build_order(model, settings)


def _docx_bytes(model: DocumentModel, settings: OfficeSettings) -> bytes:
    buffer = io.BytesIO()
    _build(model, settings).save(buffer)
    return buffer.getvalue()


def _number_text(target: _Target, kind: DocKind, number: int) -> str:
    return printed_number(series_of(kind), number, target.year, target.office.document_code)


def _file_code(target: _Target) -> str:
    return arabic_digits(target.office.document_code).replace(" ", "")


def _step_part(target: _Target) -> str:
    return f"-step{target.step.number:02d}" if target.step else ""


def _output(target: _Target, out: Path | None, count: int) -> tuple[Path | None, Path]:
    """(explicit file or None, folder) of the output, checked before any number is taken."""
    if out is None:
        return None, _default_folder(target)
    place = output_place(target.ws, out, (".docx",), folder_ok=True)
    if place.is_dir():
        return None, place
    if count > 1:
        raise SopError(f"{count} documents are generated: --out must be an existing folder, and {out} is not one")
    refuse_existing(target.ws, [place], force=False, replaceable=False)
    return place, place.parent


def _is_evidence(target: _Target, path: Path) -> bool:
    folder = target.folder
    return folder is not None and path.resolve().is_relative_to(folder.documents.resolve())


def _warnings(target: _Target, kind: DocKind) -> tuple[str, ...]:
    printed = _PRINTED_SETTINGS[kind]
    found = [
        f"sop.toml [office] {key} is still a placeholder: put the office's value in before sending"
        for key in target.office.placeholders()
        if key in printed
    ]
    if target.step is not None:
        row = target.proc.row_of(target.step.number)
        if row.documents and all(str(d.kind) != kind for d in row.documents):
            listed = ", ".join(d.title for d in row.documents)
            found.append(f"the manual lists no {_THAI_KIND[kind]} for step {target.step.number} (it lists: {listed})")
    return tuple(found)


# --- issuing -------------------------------------------------------------------------------------


def _view(target: _Target, draft: _Draft, number: str, path: Path, **done: Any) -> IssuedDocument:
    thai = target.office.thai_digits

    def show(text: str) -> str:
        return _printed(text, thai)

    header = [(label, show(value)) for label, value in draft.preview.get("header", ())]
    return IssuedDocument(
        kind=draft.kind,
        number=show(number),
        path=target.ws.relative(path),
        subject=show(draft.subject),
        addressee=show(draft.addressee) if draft.addressee else None,
        template=draft.wording.template,
        evidence=_is_evidence(target, path),
        header=tuple(header),
        body=tuple(show(p) for p in draft.preview.get("body", ())),
        members=tuple(show(m) for m in draft.preview.get("members", ())),
        closing=show(draft.preview["closing"]) if draft.preview.get("closing") else None,
        **done,
    )


def _path_of(target: _Target, draft: _Draft, number: int) -> Path:
    if draft.path is not None:
        return draft.path
    assert draft.folder is not None
    return draft.folder / safe_file_name(draft.name(number))


def _issue(target: _Target, drafts: Sequence[_Draft], dry_run: bool) -> IssueResult:
    settings = target.settings
    # Lay every document out once with the number it would take now: an emblem that is not an
    # image, or anything else the builder refuses, fails here, before a number is taken.
    previews = []
    for i, draft in enumerate(drafts):
        series = series_of(draft.kind)
        trial = next_number(target.ws, series, target.year) + sum(1 for d in drafts[:i] if series_of(d.kind) is series)
        number = _number_text(target, draft.kind, trial)
        _docx_bytes(draft.model(number), settings)
        # The name is only a preview: another process may take this number first (under the lock).
        previews.append(_view(target, draft, number, _path_of(target, draft, trial)))
    result = IssueResult(
        procedure=target.proc.number,
        step=target.step.number if target.step else None,
        run=target.folder.run if target.folder else None,
        fy=target.fy,
        dry_run=dry_run,
        documents=tuple(previews),
        warnings=_warnings(target, drafts[0].kind),
    )
    if dry_run:
        return result
    with records_lock(target.ws), _undo_on_failure(target) as written:
        issued = [_issue_one(target, draft, settings, written) for draft in drafts]
    return replace(result, documents=tuple(issued))


@contextlib.contextmanager
def _undo_on_failure(target: _Target) -> Iterator[list[Path]]:
    """Collect the files written; if anything fails (even Ctrl-C), remove them all again.

    Runs under the records lock, so no other process has taken a number or written an event of
    the run in between: removing the files gives the number back without leaving a gap.
    """
    written: list[Path] = []
    events = target.folder.events if target.folder else None
    before = set(events.iterdir()) if events is not None and events.is_dir() else set()
    year_folder = register_folder(target.ws, target.year)
    documents = _default_folder(target)
    folders = (year_folder, year_folder.parent, documents, documents.parent)
    created = [p for p in folders if not p.exists()]  # deepest first: removed again if left empty
    try:
        yield written
    except BaseException:
        if events is not None and events.is_dir():
            written += [p for p in events.iterdir() if p not in before]
        for path in reversed(written):
            path.unlink(missing_ok=True)
        for folder in created:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: we created it
        raise


def _default_folder(target: _Target) -> Path:
    return target.folder.documents if target.folder else unregistered_documents_folder(target.ws, target.year)


def _issue_one(target: _Target, draft: _Draft, settings: OfficeSettings, written: list[Path]) -> IssuedDocument:
    """Take the next number, write the .docx and the register entry, record the evidence (under the lock)."""
    ws = target.ws
    number = next_number(ws, series_of(draft.kind), target.year)
    printed = _number_text(target, draft.kind, number)
    data = _docx_bytes(draft.model(printed), settings)
    sha = hashlib.sha256(data).hexdigest()
    path = _path_of(target, draft, number)
    try:
        write_bytes_atomic(path, data, exclusive=True)
    except FileExistsError:
        raise SopError(f"{ws.relative(path)} already exists; sop never replaces a document") from None
    written.append(path)
    as_printed = _printed(printed, settings.thai_digits)
    inside = path.resolve().is_relative_to(ws.root.resolve())
    entry = RegisterEntry(
        schema_version=1,
        series=series_of(draft.kind),
        year=target.year,
        number=number,
        printed=as_printed,
        kind=draft.kind,
        subject=_printed(draft.subject, settings.thai_digits),
        to=_printed(draft.addressee, settings.thai_digits) if draft.addressee else None,
        issued=target.today,
        at=target.now,
        by=target.who,
        procedure=target.proc.number,
        fy=target.fy,
        run=target.folder.run if target.folder else None,
        step=target.step.number if target.step else None,
        document=path.resolve().relative_to(ws.root.resolve()).as_posix() if inside else str(path.resolve()),
        sha256=sha,
        size=len(data),
    )
    entry_path = write_entry(ws, entry)
    written.append(entry_path)
    evidence = _is_evidence(target, path)
    if evidence:
        assert target.folder is not None and target.step is not None
        document = EvidenceDocument(
            kind="document",
            doc_type=draft.kind,
            number=as_printed,
            name=path.name,
            stored=path.resolve().relative_to(target.folder.path.resolve()).as_posix(),
            sha256=sha,
            size=len(data),
        )
        attach_document(
            ws,
            target.proc.number,
            Actor(by=target.who, now=target.now),
            document,
            fy=target.folder.fy,
            run=target.folder.run,
            step=target.step.number,
        )
    return _view(
        target,
        draft,
        printed,
        path,
        sha256=sha,
        size=len(data),
        register_file=ws.relative(entry_path),
    )


# --- the three kinds -----------------------------------------------------------------------------


def _name(text: str) -> str:
    """A signatory's name without the parentheses the layout puts around it (typed by habit)."""
    return text[1:-1].strip() if text.startswith("(") and text.endswith(")") and len(text) > 2 else text


def _signature_of_memo(target: _Target) -> tuple[str, tuple[str, ...]]:
    office = target.office
    if office.memo_signatory is not None:
        return _name(office.memo_signatory), office.memo_signatory_positions
    member = next(m for m in target.catalog.roster.staff if m.id == target.who)
    return member.display_name, (member.position,)


def issue_memo(
    ws: Workspace,
    number: int,
    actor: Actor,
    *,
    fy: int | None = None,
    run: str | None = None,
    step: int | None = None,
    to: str | None = None,
    subject: str | None = None,
    body_file: Path | None = None,
    out: Path | None = None,
    dry_run: bool = False,
    no_run: bool = False,
) -> IssueResult:
    """Write a memo (บันทึกข้อความ) of a step, numbered from the outgoing register, as evidence of the step."""
    target = _target(ws, number, actor, fy=fy, run=run, step=step, no_run=no_run)
    office, thai = target.office, target.office.thai_digits
    to = _given(to, "--to")
    subject = _given(subject, "--subject")
    addressee = to or office.addressee
    wording = _word(target, "memo", (SUBJECT, ADDRESSEE), subject=subject, addressee=addressee)
    body = _body_from_file(body_file) or wording.body
    final_subject = subject or wording.subject
    final_addressee = to or wording.addressee or office.addressee
    signatory, positions = _signature_of_memo(target)
    path, folder = _output(target, out, 1)
    date = format_long(target.today, digits=False)

    def model(printed: str) -> Memo:
        data = {
            "unit": f"{office.name} {office.unit} โทร. {office.telephone}",
            "number": printed,
            "date": date,
            "subject": final_subject,
            "addressee": final_addressee,
            "body": body,
            "signatory": signatory,
            "positions": positions,
        }
        return Memo.model_validate(_plain(data, thai))

    draft = _Draft(
        kind="memo",
        wording=wording,
        subject=final_subject,
        addressee=final_addressee,
        model=model,
        name=lambda n: f"memo{_step_part(target)}-{_file_code(target)}-{n}-{target.year}.docx",
        path=path,
        folder=folder,
        preview={
            "header": [("วันที่", date), ("เรื่อง", final_subject), ("เรียน", final_addressee)],
            "body": body,
        },
    )
    return _issue(target, [draft], dry_run)


def issue_letter(
    ws: Workspace,
    number: int,
    actor: Actor,
    *,
    fy: int | None = None,
    run: str | None = None,
    step: int | None = None,
    to_agencies: Sequence[str],
    subject: str | None = None,
    enclosures: Sequence[str] = (),
    copies: bool = False,
    out: Path | None = None,
    dry_run: bool = False,
    no_run: bool = False,
) -> IssueResult:
    """Write external letters (หนังสือภายนอก) to agencies: one per agency, or one with สำเนาส่ง (`copies`)."""
    target = _target(ws, number, actor, fy=fy, run=run, step=step, no_run=no_run)
    agencies = _agencies(target.catalog, to_agencies)
    subject = _given(subject, "--subject")
    extra = tuple(_given(e, "--enclosure") or "" for e in enclosures)
    groups = [(agencies[0], agencies[1:])] if copies else [(a, []) for a in agencies]
    path, folder = _output(target, out, len(groups))
    recipients = [_agency_view(a) for a in agencies]
    drafts = []
    for agency, copied in groups:
        copies_to = [a.name for a in copied]
        wording = _word(
            target,
            "external_letter",
            (SUBJECT, ADDRESSEE, REFERENCE, ENCLOSURE),
            subject=subject,
            addressee=agency.name,
            agency=_agency_view(agency),
            recipients=recipients,
            copies_to=copies_to,
            enclosures=list(extra),
        )
        drafts.append(_letter_draft(target, agency, copies_to, wording, subject, extra, path, folder))
    return _issue(target, drafts, dry_run)


def _letter_draft(
    target: _Target,
    agency: Agency,
    copies_to: list[str],
    wording: Wording,
    subject: str | None,
    extra: tuple[str, ...],
    path: Path | None,
    folder: Path,
) -> _Draft:
    office, thai = target.office, target.office.thai_digits
    final_subject = subject or wording.subject
    addressee = wording.addressee or agency.name
    enclosures = (*wording.enclosures, *extra)
    date = format_long(target.today, digits=False)

    def model(printed: str) -> ExternalLetter:
        data = {
            "number": printed,
            "office_address": (office.name, *office.address),
            "date": date,
            "subject": final_subject,
            "addressee": addressee,
            "references": wording.references,
            "enclosures": enclosures,
            "body": wording.body,
            "signatory": _name(office.signatory),
            "positions": office.signatory_positions,
            "drafting_unit": office.unit,
            "telephone": office.telephone,
            "fax": office.fax,
            "email": office.email,
            "copies_to": tuple(copies_to),
        }
        return ExternalLetter.model_validate(_plain(data, thai))

    header = [("วันที่", date), ("เรื่อง", final_subject), ("เรียน", addressee)]
    header += [("อ้างถึง", r) for r in wording.references] + [("สิ่งที่ส่งมาด้วย", e) for e in enclosures]
    header += [("สำเนาส่ง", c) for c in copies_to]
    return _Draft(
        kind="external_letter",
        wording=wording,
        subject=final_subject,
        addressee=addressee,
        model=model,
        name=lambda n: f"letter{_step_part(target)}-{_file_code(target)}-{n}-{target.year}-{agency.id}.docx",
        path=path,
        folder=folder,
        preview={"header": header, "body": wording.body},
    )


def _agencies(catalog: Catalog, ids: Sequence[str]) -> list[Agency]:
    if not ids:
        raise SopError("give at least one --to AGENCY (ids are in sops/agencies.yaml)")
    known = {a.id: a for a in catalog.agencies.agencies}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise SopError(
            f"unknown agency {', '.join(repr(u) for u in unknown)} (sops/agencies.yaml); known ids: {', '.join(known)}"
        )
    if len(set(ids)) != len(ids):
        raise SopError("an agency is given twice in --to")
    return [known[i] for i in ids]


def issue_order(
    ws: Workspace,
    number: int,
    actor: Actor,
    *,
    fy: int | None = None,
    run: str | None = None,
    step: int | None = None,
    members_file: Path,
    subject: str | None = None,
    out: Path | None = None,
    dry_run: bool = False,
    no_run: bool = False,
) -> IssueResult:
    """Write an order (คำสั่ง) appointing a committee from a members file, numbered n/BE-year."""
    target = _target(ws, number, actor, fy=fy, run=run, step=step, no_run=no_run)
    office, thai = target.office, target.office.thai_digits
    members = load_members(members_file, str(members_file))
    subject = _given(subject, "--subject")
    wording = _word(target, "order", (SUBJECT,), subject=subject, members=[_member_view(m) for m in members])
    final_subject = subject or wording.subject
    closing = wording.closing or "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"
    path, folder = _output(target, out, 1)
    day = target.today
    signed_on = f"{day.day} {MONTHS[day.month - 1]} พ.ศ. {be_year(day)}"

    def model(printed: str) -> Order:
        data = {
            "issuer": f"คำสั่ง{office.name}",
            "number": printed,
            "subject": final_subject,
            "preamble": wording.body,
            "members": tuple(_member_view(m) for m in members),
            "closing": closing,
            "signed_on": signed_on,
            "signatory": _name(office.signatory),
            "positions": office.signatory_positions,
        }
        return Order.model_validate(_plain(data, thai))

    draft = _Draft(
        kind="order",
        wording=wording,
        subject=final_subject,
        addressee=None,
        model=model,
        name=lambda n: f"order{_step_part(target)}-{n}-{target.year}.docx",
        path=path,
        folder=folder,
        preview={
            "header": [("เรื่อง", final_subject), ("สั่ง ณ วันที่", signed_on)],
            "body": wording.body,
            "members": [f"{i}. {m.name} {m.position} {m.role}" for i, m in enumerate(members, 1)],
            "closing": closing,
        },
    )
    return _issue(target, [draft], dry_run)


def _member_view(member: MemberRow) -> dict[str, str]:
    return {"name": member.name, "position": member.position, "role": str(member.role), "duties": member.duties}


def _given(value: str | None, option: str) -> str | None:
    if value is not None and not value.strip():
        raise SopError(f"{option} must not be empty")
    return value.strip() if value is not None else None


# --- the register --------------------------------------------------------------------------------


def register_listing(
    ws: Workspace, today: dt.date, *, year: int | None = None, kind: str | None = None
) -> RegisterListing:
    """The numbers issued in a calendar year (default: today's), of one kind (memo, letter, order) or all."""
    if kind is not None and kind not in KIND_NAMES:
        raise SopError(f"--kind must be one of {', '.join(KIND_NAMES)}, not {kind!r}")
    if year is not None and not 2500 <= year <= 2700:
        raise SopError(f"year {year} cannot be meant: write the Buddhist Era year, such as 2569")
    chosen = year if year is not None else be_year(today)
    doc_kind = KIND_NAMES[kind] if kind is not None else None
    catalog = load_catalog(ws)
    rows = tuple(
        RegisterRow(
            year=e.year,
            series=e.series.value,
            number=e.number,
            printed=e.printed,
            kind=e.kind,
            subject=e.subject,
            to=e.to,
            issued=e.issued,
            by=catalog.staff_name(e.by),
            procedure=e.procedure,
            run=e.run,
            step=e.step,
            document=e.document,
        )
        for e in list_register(ws, chosen, doc_kind)
    )
    return RegisterListing(chosen, kind, rows)
