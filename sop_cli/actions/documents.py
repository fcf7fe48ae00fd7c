"""Issue the Thai official documents of a step: memo, external letter, committee order; list the register.

Every input is checked and every document worded before a number is taken. Then, in one journal
transaction (under the records lock), the number is taken, the .docx laid out and written, the
register entry created and the document recorded as evidence of the step. If any of it fails,
even Ctrl-C, everything written is removed again and the number is given back; a command killed
outright is undone by the next one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.journal import Actor, Journal, Transaction
from sop_cli.models.catalog import Catalog
from sop_cli.models.documents import ExternalLetter, Memo, OfficeSettings, Order
from sop_cli.models.procedure import Procedure, Step
from sop_cli.models.records import EvidenceAdded, EvidenceDocument
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
from sop_cli.storage.outputs import output_place, refuse_existing
from sop_cli.storage.records import RunFolder, new_id, safe_file_name
from sop_cli.storage.register import (
    next_number,
    unregistered_documents_folder,
    write_entry,
)
from sop_cli.thai_calendar import MONTHS, arabic_digits, be_year, format_long
from sop_cli.views.documents import IssuedDocument, IssueResult
from sop_cli.workspace import Workspace

if TYPE_CHECKING:
    from docx.document import Document

    from sop_cli.models.members import MemberRow

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
    journal: Journal

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
    journal = Journal(ws, actor.now, actor.by)
    proc = journal.procedure(number)
    who = journal.actor
    office = journal.office
    year = journal.fiscal_year(fy)
    folder: RunFolder | None = None
    if step is not None and step < 1:
        raise SopError(f"--step must be 1 or more, not {step}")
    if no_run:
        if run is not None:
            raise SopError("--run and --no-run exclude each other")
    else:
        loaded = journal.run(number, year, run)
        folder = loaded.folder
        step = step if step is not None else loaded.state.current
        if step is None:
            raise SopError(f"run {folder.run} of procedure {number} has no current step; give --step K")
    if step is not None and step not in {s.number for s in proc.steps}:
        raise SopError(f"procedure {number} has no step {step}; its steps are 1 to {len(proc.steps)}")
    return _Target(
        ws,
        journal.catalog,
        proc,
        year,
        folder,
        proc.step(step) if step is not None else None,
        who,
        actor.now.date(),
        actor.now,
        office,
        journal,
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
        "addressee": agency.addressee,
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
    # The number, the run and a random part: two people who took the same number offline, in two
    # clones, never write the same path (git would stop on a binary conflict).
    run = f"-{target.folder.run}" if target.folder is not None else ""
    stem = draft.name(number).removesuffix(".docx")
    return draft.folder / safe_file_name(f"{stem}{run}-{new_id(4)}.docx")


def _issue(target: _Target, drafts: Sequence[_Draft], dry_run: bool) -> IssueResult:
    previews = []
    layout_warnings: list[str] = []
    for i, draft in enumerate(drafts):
        series = series_of(draft.kind)
        # The number it would take now: another process may take it first (under the lock).
        trial = next_number(target.ws, series, target.year) + sum(1 for d in drafts[:i] if series_of(d.kind) is series)
        number = _number_text(target, draft.kind, trial)
        # Validated with the number it would take now: a mistake is refused before one is taken.
        laid_out = draft.model(number)
        layout_warnings += [w for w in laid_out.warnings() if w not in layout_warnings]
        previews.append(_view(target, draft, number, _path_of(target, draft, trial)))
    result = IssueResult(
        procedure=target.proc.number,
        step=target.step.number if target.step else None,
        run=target.folder.run if target.folder else None,
        fy=target.fy,
        dry_run=dry_run,
        documents=tuple(previews),
        warnings=(*_warnings(target, drafts[0].kind), *layout_warnings),
    )
    if dry_run:
        return result
    settings = target.settings
    journal = target.journal
    if target.folder is not None:
        transaction = journal.write(target.proc.number, target.folder.fy, target.folder.run)
    else:
        transaction = journal.write_without_run()
    with transaction as tx:
        issued = [_issue_one(target, draft, settings, tx) for draft in drafts]
    return replace(result, documents=tuple(issued), written=tuple(target.ws.relative(p) for p in tx.written))


def _default_folder(target: _Target) -> Path:
    return target.folder.documents if target.folder else unregistered_documents_folder(target.ws, target.year)


def _issue_one(target: _Target, draft: _Draft, settings: OfficeSettings, tx: Transaction) -> IssuedDocument:
    """Take the next number, write the .docx and the register entry, record the evidence (under the lock)."""
    ws = target.ws
    number = next_number(ws, series_of(draft.kind), target.year)
    printed = _number_text(target, draft.kind, number)
    data = _docx_bytes(draft.model(printed), settings)
    sha = hashlib.sha256(data).hexdigest()
    path = tx.create_file(_path_of(target, draft, number), data)
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
    entry_path = write_entry(ws, entry, before=tx.will_create)
    tx.created(entry_path)
    if _is_evidence(target, path):
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
        tx.add(EvidenceAdded(**tx.base(), type="evidence_added", evidence=document, step=target.step.number))
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
            "issued": target.today,
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
            addressee=agency.addressee,
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
    addressee = wording.addressee or agency.addressee or agency.name
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
            "acting": office.signatory_acting,
            "acting_for": office.signatory_acting_for,
            "issued": target.today,
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
    # A letter is addressed to the head's position (clause 11): a kind of agency ("อื่น ๆ", every
    # local administration) has no one head to write to.
    general = [known[i] for i in ids if known[i].addressee is None]
    if general:
        raise SopError(
            _(
                "{agency} ({name}) is not one office with a head to address; add the office to sops/agencies.yaml "
                "with its addressee"
            ).format(agency=general[0].id, name=general[0].name)
        )
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
    from sop_cli.loading.members import load_members  # only orders read a members file

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
            "acting": office.signatory_acting,
            "acting_for": office.signatory_acting_for,
            "issued": target.today,
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
