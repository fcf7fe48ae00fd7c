"""Issue the Thai official documents of a step: memo, external letter (one, or a circular ว), committee order.

Every input is checked and every document worded before a number is taken. Then, in one journal
transaction (under the records lock), the number is taken, the register entry created and, when
the workspace shares an office server, committed and pushed at once (the number is the office's
only once the server has it; when a colleague's came first, the next free number is taken). Then
the .docx (and the PDF/A beside it) is written and recorded as evidence of the step. If any of it
fails, even Ctrl-C, everything written is removed again: a number this copy alone had is given
back, and one the server has already stays registered, withdrawn as "interrupted", so that it is
never reused and never lost. Offline with a server, no number can be promised: nothing is written.

A corrected document is reissued under the number it corrects (`correct`): the new version is
the document of the number, the first stays in the register and the evidence as history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sop_cli.engine import RunState, holder_ids
from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.journal import Actor, Journal, Transaction
from sop_cli.models.catalog import Catalog
from sop_cli.models.document_kinds import DOCUMENTS
from sop_cli.models.documents import ExternalLetter, Memo, OfficeSettings, Order
from sop_cli.models.procedure import Procedure, Step
from sop_cli.models.records import EvidenceAdded, EvidenceDocument
from sop_cli.models.register import (
    REGISTER_SCHEMA_VERSION,
    DocKind,
    PdfCopy,
    RegisterEntry,
    Series,
    parse_number,
    printed_number,
)
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
    Claimer,
    Entry,
    Hooks,
    StoredEntry,
    next_number,
    register_entry,
    register_items,
    sharing,
    unregistered_documents_folder,
    withdraw_interrupted,
)
from sop_cli.thai_calendar import MONTHS, arabic_digits, be_year, format_long
from sop_cli.views.documents import IssuedDocument, IssueResult
from sop_cli.views.people import LeavePeriod
from sop_cli.workspace import Workspace

if TYPE_CHECKING:
    from docx.document import Document

    from sop_cli.models.members import MemberRow
    from sop_cli.rendering.pdf import Pdf

DocumentModel = Memo | ExternalLetter | Order
# `--acting`: the regulation's words, or the English names a keyboard without Thai can type.
ACTING_WORDS = {
    "ปฏิบัติราชการแทน": "ปฏิบัติราชการแทน",
    "รักษาราชการแทน": "รักษาราชการแทน",
    "on-behalf": "ปฏิบัติราชการแทน",
    "acting": "รักษาราชการแทน",
}
# A circular to more agencies than this attaches its distribution list (as สำเนาส่ง does).
LONG_LIST = 5
ALL_HEADS = "หัวหน้าส่วนราชการ (ส่งไปตามรายชื่อที่แนบ)"


@dataclass(frozen=True)
class Signing:
    """How a document is signed, when the command line says otherwise than sop.toml."""

    acting: str | None = None  # ปฏิบัติราชการแทน or รักษาราชการแทน (on-behalf, acting)
    acting_for: str | None = None  # the position signed for: ศึกษาธิการจังหวัดเชียงราย
    signatory: str | None = None  # who signs, with the title before the name
    positions: tuple[str, ...] = ()  # the signatory's position lines


@dataclass(frozen=True)
class _Correction:
    """The register entry a corrected document replaces (the current version of its number), and why."""

    stored: StoredEntry
    reason: str

    @property
    def entry(self) -> RegisterEntry:
        return self.stored.entry


@dataclass(frozen=True)
class _How:
    """What every document of one command shares: the PDF beside it, a correction, warnings so far."""

    pdf: bool = False
    program: Path | None = None  # LibreOffice
    correction: _Correction | None = None
    warnings: tuple[str, ...] = ()


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
    # The leave in which the author stands in for the step's holder (sop leave --substitute).
    stands_in: LeavePeriod | None = None

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
    day: dt.date | None = None,
) -> _Target:
    journal = Journal(ws, actor.now, actor.by)
    proc = journal.procedure(number)
    who = journal.actor
    office = journal.office
    year = journal.fiscal_year(fy)
    folder: RunFolder | None = None
    state: RunState | None = None
    if step is not None and step < 1:
        raise SopError(_("--step must be 1 or more, not {step}").format(step=step))
    if no_run:
        if run is not None:
            raise SopError(_("--run and --no-run exclude each other"))
    else:
        loaded = journal.run(number, year, run)
        folder, state = loaded.folder, loaded.state
        step = step if step is not None else loaded.state.current
        if step is None:
            raise SopError(
                _("run {run} of procedure {number} has no current step; give --step K").format(
                    run=folder.run, number=number
                )
            )
    if step is not None and step not in {s.number for s in proc.steps}:
        raise SopError(
            _("procedure {number} has no step {step}; its steps are 1 to {steps}").format(
                number=number, step=step, steps=len(proc.steps)
            )
        )
    holders: tuple[str, ...] = ()
    if step is not None:
        holders = holder_ids(proc, state, step) if state is not None else proc.row_of(step).responsible
    today = day or actor.now.date()
    return _Target(
        ws,
        journal.catalog,
        proc,
        year,
        folder,
        proc.step(step) if step is not None else None,
        who,
        today,
        actor.now,
        office,
        journal,
        _stands_in(ws, who, today, holders),
    )


def _stands_in(ws: Workspace, who: str, day: dt.date, holders: Sequence[str]) -> LeavePeriod | None:
    """The leave in which `who` stands in, on `day`, for a holder of the step (None: the work is their own)."""
    if not holders or who in holders:
        return None
    from sop_cli.storage.people import acting_for

    return next((period for period in acting_for(ws, who, day) if period.person in holders), None)


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
        "distribution": [],
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
            _("body file {path} does not exist").format(path=body_file)
            if not body_file.exists()
            else _("{path} is not a file").format(path=body_file)
        )
    try:
        text = read_text(body_file, str(body_file)).removeprefix("\ufeff")
    except FileProblems as exc:
        raise SopError(str(exc.problems[0])) from None
    found = tuple(paragraphs(text.splitlines()))
    if not found:
        raise SopError(
            _("body file {path} is empty; write the paragraphs separated by blank lines").format(path=body_file)
        )
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
    series: Series
    wording: Wording
    subject: str
    addressee: str | None
    model: Callable[[str], DocumentModel]
    name: Callable[[int], str]  # the file name, given the number
    path: Path | None = None  # an explicit file from --out
    folder: Path | None = None  # else this folder, with `name`
    preview: dict[str, Any] = field(default_factory=dict)
    distribution: tuple[str, ...] = ()  # a circular: the agencies it goes to


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


def _number_text(target: _Target, series: Series, number: int) -> str:
    return printed_number(series, number, target.year, target.office.document_code)


def _file_code(target: _Target) -> str:
    return arabic_digits(target.office.document_code).replace(" ", "")


def _step_part(target: _Target) -> str:
    return f"-step{target.step.number:02d}" if target.step else ""


def _output(target: _Target, out: Path | None, count: int, pdf: bool = False) -> tuple[Path | None, Path]:
    """(explicit file or None, folder) of the output, checked before any number is taken."""
    if out is None:
        return None, _default_folder(target)
    place = output_place(target.ws, out, (".docx",), folder_ok=True)
    if place.is_dir():
        return None, place
    if count > 1:
        raise SopError(
            _("{count} documents are generated: --out must be an existing folder, and {out} is not one").format(
                count=count, out=out
            )
        )
    refuse_existing(target.ws, [place, *([place.with_suffix(".pdf")] if pdf else [])], force=False, replaceable=False)
    return place, place.parent


def _is_evidence(target: _Target, path: Path) -> bool:
    folder = target.folder
    return folder is not None and path.resolve().is_relative_to(folder.documents.resolve())


def _warnings(target: _Target, kind: DocKind) -> tuple[str, ...]:
    printed = DOCUMENTS[kind].printed_settings
    found = [
        _("sop.toml [office] {key} is still a placeholder: put the office's value in before sending").format(key=key)
        for key in target.office.placeholders()
        if key in printed
    ]
    if target.step is not None:
        row = target.proc.row_of(target.step.number)
        if row.documents and all(str(d.kind) != kind for d in row.documents):
            listed = ", ".join(d.title for d in row.documents)
            found.append(
                _("the manual lists no {kind} for step {step} (it lists: {listed})").format(
                    kind=DOCUMENTS[kind].thai, step=target.step.number, listed=listed
                )
            )
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
        distribution=tuple(show(d) for d in draft.distribution),
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


def _trial_number(target: _Target, drafts: Sequence[_Draft], i: int, how: _How) -> int:
    """The number draft `i` would take now: another process may take it first (under the lock)."""
    if how.correction is not None:
        return how.correction.entry.number
    series = drafts[i].series
    return next_number(target.ws, series, target.year) + sum(1 for d in drafts[:i] if d.series is series)


def _issue(target: _Target, drafts: Sequence[_Draft], dry_run: bool, how: _How) -> IssueResult:
    previews = []
    layout_warnings: list[str] = []
    version = how.correction.entry.version + 1 if how.correction else 1
    for i, draft in enumerate(drafts):
        trial = _trial_number(target, drafts, i, how)
        number = _number_text(target, draft.series, trial)
        # Validated with the number it would take now: a mistake is refused before one is taken.
        laid_out = draft.model(number)
        layout_warnings += [w for w in laid_out.warnings() if w not in layout_warnings]
        path = _path_of(target, draft, trial)
        pdf = target.ws.relative(path.with_suffix(".pdf")) if how.pdf else None
        previews.append(_view(target, draft, number, path, pdf=pdf, version=version))
    result = IssueResult(
        procedure=target.proc.number,
        step=target.step.number if target.step else None,
        run=target.folder.run if target.folder else None,
        fy=target.fy,
        dry_run=dry_run,
        documents=tuple(previews),
        warnings=(*_warnings(target, drafts[0].kind), *layout_warnings, *how.warnings),
    )
    if dry_run:
        return result
    # A correction takes no new number: it is recorded as any other file, and shared by `sop sync`.
    claimer, git_warnings = _claimer(target) if how.correction is None else (None, [])
    journal = target.journal
    if target.folder is not None:
        transaction = journal.write(target.proc.number, target.folder.fy, target.folder.run)
    else:
        transaction = journal.write_without_run()
    claimed: list[tuple[Entry, Path]] = []
    try:
        with transaction as tx:
            issued = [_issue_one(target, draft, tx, how, claimer, claimed) for draft in drafts]
            tx.describe(
                drafts[0].kind,
                "\n".join(f"{doc.number}: {doc.subject}" for doc in issued),
                target.proc.number,
                target.step.number if target.step else None,
            )
    except BaseException:
        if claimed and claimer is not None:
            # The office's server has these numbers: they stay, withdrawn, never to be issued again.
            withdraw_interrupted(target.ws, claimed, target.who, target.now, claimer.author)
        raise
    written = [*tx.written, *(path for _entry, path in claimed)]
    return replace(
        result,
        documents=tuple(issued),
        written=tuple(target.ws.relative(p) for p in written),
        warnings=(*result.warnings, *git_warnings, *journal.warnings),
        claimed=claimer is not None,
    )


def _claimer(target: _Target) -> tuple[Claimer | None, list[str]]:
    """How numbers are claimed on the office's server (None without one), and git's warnings."""
    if not sharing(target.ws):
        return None, []
    from sop_cli.storage import git

    # A merge or rebase in progress, or a conflict in a file sop reads: no number is claimed.
    warnings = git.require_clean_git_state(target.ws)
    name = target.catalog.staff_name(target.who)
    author = git.author_for(target.ws, target.who, name)

    def message(entry: Entry) -> str:
        return git.commit_message(
            name, "claim", entry.procedure, entry.step, detail=f"{entry.printed}: {entry.subject}"
        )

    return Claimer(author, message, target.who, target.now), warnings


def _default_folder(target: _Target) -> Path:
    return target.folder.documents if target.folder else unregistered_documents_folder(target.ws, target.year)


@dataclass
class _Built:
    """One document laid out with its number: the .docx, the PDF beside it, where they go."""

    number: int
    printed: str
    path: Path
    data: bytes
    pdf: bytes | None = None
    pdf_facts: Pdf | None = None


def _entry_path(ws: Workspace, path: Path) -> str:
    """A path as an entry records it: relative to the workspace when inside it, else absolute."""
    inside = path.resolve().is_relative_to(ws.root.resolve())
    return path.resolve().relative_to(ws.root.resolve()).as_posix() if inside else str(path.resolve())


def _issue_one(
    target: _Target,
    draft: _Draft,
    tx: Transaction,
    how: _How,
    claimer: Claimer | None,
    claimed: list[tuple[Entry, Path]],
) -> IssuedDocument:
    """Take the number (claimed on the office's server when there is one), then write and record the document."""
    ws = target.ws
    settings = target.settings
    thai = settings.thai_digits
    built: list[_Built] = []
    correction = how.correction

    def make() -> RegisterEntry:
        # Called again when a colleague's claim came first: the next free number differs then.
        if correction is not None:
            _still_current(ws, correction)
        number = correction.entry.number if correction else next_number(ws, draft.series, target.year)
        printed = _number_text(target, draft.series, number)
        data = _docx_bytes(draft.model(printed), settings)
        path = _path_of(target, draft, number)
        one = _Built(number, printed, path, data)
        if how.pdf:
            from sop_cli.rendering.pdf import pdf_of_bytes

            one.pdf, one.pdf_facts = pdf_of_bytes(data, path.name, how.program)
        built[:] = [one]
        pdf = None
        if one.pdf is not None:
            pdf = PdfCopy(
                document=_entry_path(ws, path.with_suffix(".pdf")),
                sha256=hashlib.sha256(one.pdf).hexdigest(),
                size=len(one.pdf),
            )
        return RegisterEntry(
            schema_version=REGISTER_SCHEMA_VERSION,
            series=draft.series,
            year=target.year,
            number=number,
            printed=_printed(printed, thai),
            kind=draft.kind,
            subject=_printed(draft.subject, thai),
            to=_printed(draft.addressee, thai) if draft.addressee else None,
            issued=target.today,
            at=target.now,
            by=target.who,
            stands_in_for=target.stands_in.person if target.stands_in else None,
            procedure=target.proc.number,
            fy=target.fy,
            run=target.folder.run if target.folder else None,
            step=target.step.number if target.step else None,
            document=_entry_path(ws, path),
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            distribution=tuple(_printed(d, thai) for d in draft.distribution),
            pdf=pdf,
            version=correction.entry.version + 1 if correction else 1,
            corrects=correction.stored.path.name if correction else None,
            reason=correction.reason if correction else None,
        )

    entry, entry_path = register_entry(ws, make, Hooks(tx.will_create, tx.created, tx.keep), claimer)
    if claimer is not None:
        claimed.append((entry, entry_path))
    assert isinstance(entry, RegisterEntry)
    one = built[0]
    path = tx.create_file(one.path, one.data)
    pdf_path = tx.create_file(one.path.with_suffix(".pdf"), one.pdf) if one.pdf is not None else None
    if _is_evidence(target, path):
        _record_evidence(target, tx, entry, path, one.data, "docx")
        if pdf_path is not None and one.pdf is not None:
            _record_evidence(target, tx, entry, pdf_path, one.pdf, "pdf")
    return _view(
        target,
        draft,
        one.printed,
        path,
        sha256=entry.sha256,
        size=entry.size,
        register_file=ws.relative(entry_path),
        pdf=ws.relative(pdf_path) if pdf_path is not None else None,
        pdf_sha256=entry.pdf.sha256 if entry.pdf else None,
        version=entry.version,
    )


def _record_evidence(
    target: _Target, tx: Transaction, entry: RegisterEntry, path: Path, data: bytes, form: Literal["docx", "pdf"]
) -> None:
    """Record a written file (the .docx or the PDF beside it) as evidence of the step, with its hash."""
    assert target.folder is not None and target.step is not None
    document = EvidenceDocument(
        kind="document",
        doc_type=entry.kind,
        number=entry.printed,
        name=path.name,
        stored=path.resolve().relative_to(target.folder.path.resolve()).as_posix(),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        format=form,
        version=entry.version,
        reason=entry.reason,
    )
    tx.add(EvidenceAdded(**tx.base(), type="evidence_added", evidence=document, step=target.step.number))


# --- how: the PDF, a correction ---------------------------------------------------------------------


def _how(
    journal: Journal,
    pdf: bool | None,
    correction: _Correction | None,
    warnings: Sequence[str] = (),
) -> _How:
    """The PDF choice (checked before any number is taken) and the correction, for every document of a command."""
    from sop_cli.rendering.pdf import find_libreoffice

    wanted = pdf if pdf is not None else journal.settings.documents.pdf
    found = [*warnings]
    program = find_libreoffice() if wanted else None
    if wanted and program is None:
        if pdf:
            raise SopError(
                _(
                    "--pdf needs LibreOffice, which is not installed: nothing was written and no number taken; "
                    "install it (libreoffice.org, or apt-get install libreoffice-writer-nogui), or issue the "
                    ".docx alone without --pdf"
                )
            )
        found.append(
            _(
                "sop.toml [documents] pdf asks for a PDF beside each document, but LibreOffice is not installed "
                "on this computer: the .docx was issued without it (install LibreOffice, or use a computer that has it)"
            )
        )
        wanted = False
    return _How(pdf=wanted, program=program, correction=correction, warnings=tuple(found))


def _find_correction(
    ws: Workspace, today: dt.date, kind: DocKind, procedure: int, correct: str | None, reason: str | None
) -> _Correction | None:
    """The current version of the number `correct` names (`--correct`), checked against the command."""
    if correct is None:
        if reason is not None:
            raise SopError(_("--reason goes with --correct NUMBER: the reason a document is corrected"))
        return None
    if reason is None or not reason.strip():
        raise SopError(_("--correct needs --reason TEXT: why the document is corrected"))
    found = parse_number(correct)
    if found is None or found[0] is Series.incoming:
        raise SopError(
            _("{text!r} is not a number this office issued: write it as printed, such as 'ศธ 0288/12'").format(
                text=correct
            )
        )
    series, number, year = found
    items = [i for i in register_items(ws, year) if i.entry.series is series and i.entry.number == number]
    if year is None and items:
        latest = max(i.entry.year for i in items)  # numbers restart each year: the latest year's
        items = [i for i in items if i.entry.year == latest]
    if not items:
        raise SopError(_("{number} was never issued (see `sop register`)").format(number=correct))
    current = [i for i in items if i.current]
    if not current:
        raise SopError(_("{number} is withdrawn: a withdrawn number is never issued again").format(number=correct))
    if len(current) > 1:
        raise SopError(
            _("{number} was issued more than once: settle it first (`sop check` says how)").format(number=correct)
        )
    stored = current[0]
    if stored.entry.kind != kind:
        raise SopError(
            _("{number} is a {kind}: correct it with the command that issued it").format(
                number=correct, kind=DOCUMENTS[stored.entry.kind].thai
            )
        )
    if stored.entry.procedure != procedure:
        raise SopError(
            _("{number} belongs to procedure {procedure}: run `sop {command} {procedure} --correct …`").format(
                number=correct, procedure=stored.entry.procedure, command=DOCUMENTS[kind].command
            )
        )
    return _Correction(stored, reason.strip())


def _still_current(ws: Workspace, correction: _Correction) -> None:
    """Refuse when the version being corrected was corrected or withdrawn meanwhile (read under the lock)."""
    for item in register_items(ws, correction.entry.year):
        if item.path.name == correction.stored.path.name:
            if item.current:
                return
            break
    raise SopError(
        _("{number} changed meanwhile (corrected again or withdrawn): look at `sop register`, then try again").format(
            number=correction.entry.printed
        )
    )


def _placed(
    correction: _Correction | None, run: str | None, step: int | None, no_run: bool, fy: int | None
) -> tuple[str | None, int | None, bool, int | None]:
    """(run, step, no_run, fy) of a document: a correction goes where the version it corrects went."""
    if correction is None:
        return run, step, no_run, fy
    entry = correction.entry
    if run is not None and run != entry.run:
        raise SopError(_("--run: {number} belongs to run {run}").format(number=entry.printed, run=entry.run))
    if step is not None and step != entry.step:
        raise SopError(_("--step: {number} belongs to step {step}").format(number=entry.printed, step=entry.step))
    if no_run and entry.run is not None:
        raise SopError(_("--no-run: {number} belongs to run {run}").format(number=entry.printed, run=entry.run))
    return entry.run, entry.step, entry.run is None, entry.fy if entry.fy is not None else fy


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


def _acting_of_substitute(target: _Target) -> tuple[str | None, str | None]:
    """How a substitute signs the absent holder's memo: ปฏิบัติราชการแทน (or as recorded) and the holder's position."""
    period = target.stands_in
    if period is None or target.office.memo_signatory is not None:
        return None, None
    absent = next((m for m in target.catalog.roster.staff if m.id == period.person), None)
    if absent is None:
        return None, None
    return period.acting or target.journal.settings.people.substitute_acting, absent.position


def _signature(target: _Target, kind: DocKind, signing: Signing | None) -> dict[str, Any]:
    """Who signs and how: sop.toml's signatory (a memo: the acting supervisor), or the command line's."""
    office = target.office
    if kind == "memo":
        name, positions = _signature_of_memo(target)
        acting, acting_for = _acting_of_substitute(target)
    else:
        name, positions = _name(office.signatory), office.signatory_positions
        acting, acting_for = office.signatory_acting, office.signatory_acting_for
    signing = signing or Signing()
    if signing.signatory is not None:
        if not signing.positions:
            raise SopError(_("--signatory needs --position: the position lines printed under the name"))
        name = _name(_given(signing.signatory, "--signatory") or name)
    if signing.positions:
        positions = tuple(_given(p, "--position") or "" for p in signing.positions)
    if signing.acting is None:
        if signing.acting_for is not None:
            raise SopError(_("--acting-for goes with --acting ปฏิบัติราชการแทน or รักษาราชการแทน"))
        return {"signatory": name, "positions": positions, "acting": acting, "acting_for": acting_for}
    word = ACTING_WORDS.get(signing.acting.strip())
    if word is None:
        raise SopError(
            _("--acting must be ปฏิบัติราชการแทน (on-behalf) or รักษาราชการแทน (acting), not {value!r}").format(
                value=signing.acting
            )
        )
    for_whom = _given(signing.acting_for, "--acting-for")
    if for_whom is None and kind != "memo":
        # Signing for the head of the office: the position sop.toml names, else the office's head.
        for_whom = office.signatory_acting_for or office.addressee
    if for_whom is None:
        raise SopError(_("--acting on a memo needs --acting-for POSITION: the position signed for"))
    return {"signatory": name, "positions": positions, "acting": word, "acting_for": for_whom}


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
    pdf: bool | None = None,
    correct: str | None = None,
    reason: str | None = None,
    signing: Signing | None = None,
) -> IssueResult:
    """Write a memo (บันทึกข้อความ) of a step, numbered from the outgoing register, as evidence of the step."""
    correction = _find_correction(ws, actor.now.date(), "memo", number, correct, reason)
    run, step, no_run, fy = _placed(correction, run, step, no_run, fy)
    day = correction.entry.issued if correction else None
    target = _target(ws, number, actor, fy=fy, run=run, step=step, no_run=no_run, day=day)
    how = _how(target.journal, pdf, correction)
    office, thai = target.office, target.office.thai_digits
    to = _given(to, "--to")
    subject = _given(subject, "--subject")
    addressee = to or office.addressee
    wording = _word(target, "memo", (SUBJECT, ADDRESSEE), subject=subject, addressee=addressee)
    body = _body_from_file(body_file) or wording.body
    final_subject = subject or wording.subject
    final_addressee = to or wording.addressee or office.addressee
    signature = _signature(target, "memo", signing)
    path, folder = _output(target, out, 1, how.pdf)
    date = format_long(target.today, digits=False)

    def model(printed: str) -> Memo:
        data = {
            "unit": f"{office.name} {office.unit} โทร. {office.telephone}",
            "number": printed,
            "date": date,
            "subject": final_subject,
            "addressee": final_addressee,
            "body": body,
            **signature,
            "issued": target.today,
        }
        return Memo.model_validate(_plain(data, thai))

    draft = _Draft(
        kind="memo",
        series=Series.outgoing,
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
    return _issue(target, [draft], dry_run, how)


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
    circular: bool = False,
    addressee: str | None = None,
    out: Path | None = None,
    dry_run: bool = False,
    no_run: bool = False,
    pdf: bool | None = None,
    correct: str | None = None,
    reason: str | None = None,
    signing: Signing | None = None,
) -> IssueResult:
    """Write external letters (หนังสือภายนอก) to agencies.

    One per agency; one with the others under สำเนาส่ง (`copies`); or one circular (`circular`,
    numbered ว from its own series) with a distribution list.
    """
    correction = _find_correction(ws, actor.now.date(), "external_letter", number, correct, reason)
    run, step, no_run, fy = _placed(correction, run, step, no_run, fy)
    day = correction.entry.issued if correction else None
    target = _target(ws, number, actor, fy=fy, run=run, step=step, no_run=no_run, day=day)
    agencies = _agencies(target.catalog, to_agencies)
    if copies and circular:
        raise SopError(_("--copies and --circular exclude each other: a circular goes to every --to alike"))
    if circular and len(agencies) < 2:
        raise SopError(_("a circular goes to several agencies: give --to at least twice"))
    if addressee is not None and not circular:
        raise SopError(_("--addressee is for a circular; a letter is addressed to its agency's head"))
    series = Series.circular if circular else Series.outgoing
    if correction is not None and correction.entry.series is not series:
        raise SopError(
            _("{number} was {what}: give the same kind of letter to correct it").format(
                number=correction.entry.printed,
                what=_("a circular (add --circular)")
                if correction.entry.series is Series.circular
                else _("not a circular"),
            )
        )
    unconfirmed = [
        _(
            "{agency} ({name}) is not yet confirmed in sops/agencies.yaml: check its name and addressee with the "
            "office's สารบรรณ before sending"
        ).format(agency=a.id, name=a.name)
        for a in agencies
        if not a.confirmed
    ]
    how = _how(target.journal, pdf, correction, unconfirmed)
    subject = _given(subject, "--subject")
    extra = tuple(_given(e, "--enclosure") or "" for e in enclosures)
    recipients = [_agency_view(a) for a in agencies]
    signature = _signature(target, "external_letter", signing)
    if circular:
        heads = _circular_addressee(agencies, _given(addressee, "--addressee"))
        names = [a.name for a in agencies]
        path, folder = _output(target, out, 1, how.pdf)
        wording = _word(
            target,
            "external_letter",
            (SUBJECT, ADDRESSEE, REFERENCE, ENCLOSURE),
            subject=subject,
            addressee=heads,
            recipients=recipients,
            distribution=names,
            enclosures=list(extra),
        )
        letter = _Letter(None, [], names, wording, subject, extra, signature)
        drafts = [_letter_draft(target, letter, series, path, folder)]
    else:
        groups = [(agencies[0], agencies[1:])] if copies else [(a, []) for a in agencies]
        if correction is not None and len(groups) > 1:
            raise SopError(_("a correction replaces one letter: give its one --to (with --copies for its copies)"))
        path, folder = _output(target, out, len(groups), how.pdf)
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
            letter = _Letter(agency, copies_to, [], wording, subject, extra, signature)
            drafts.append(_letter_draft(target, letter, series, path, folder))
    return _issue(target, drafts, dry_run, how)


def _circular_addressee(agencies: Sequence[Agency], given: str | None) -> str:
    """เรียน of a circular: as given, the heads of a short list one after another, or the list attached."""
    if given is not None:
        return given
    if len(agencies) > LONG_LIST:
        return ALL_HEADS
    heads = [a.addressee or a.name for a in agencies]
    return " ".join(heads[:-1]) + " และ" + heads[-1]


@dataclass(frozen=True)
class _Letter:
    """What one letter says besides its template: to whom, copies, the circular's list, the signature."""

    agency: Agency | None  # None: a circular
    copies_to: list[str]
    distribution: list[str]
    wording: Wording
    subject: str | None
    extra: tuple[str, ...]
    signature: dict[str, Any]


def _letter_draft(target: _Target, letter: _Letter, series: Series, path: Path | None, folder: Path) -> _Draft:
    office, thai = target.office, target.office.thai_digits
    wording, agency = letter.wording, letter.agency
    final_subject = letter.subject or wording.subject
    addressee = wording.addressee or (agency.addressee or agency.name if agency else ALL_HEADS)
    enclosures = (*wording.enclosures, *letter.extra)
    date = format_long(target.today, digits=False)
    long_list = len(letter.distribution) > LONG_LIST

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
            **letter.signature,
            "issued": target.today,
            "drafting_unit": office.unit,
            "telephone": office.telephone,
            "fax": office.fax,
            "email": office.email,
            "copies_to": tuple(letter.copies_to),
            "distribution": tuple(letter.distribution) if long_list else (),
        }
        return ExternalLetter.model_validate(_plain(data, thai))

    header = [("วันที่", date), ("เรื่อง", final_subject), ("เรียน", addressee)]
    header += [("อ้างถึง", r) for r in wording.references] + [("สิ่งที่ส่งมาด้วย", e) for e in enclosures]
    header += [("สำเนาส่ง", c) for c in letter.copies_to]
    who = agency.id if agency else "circular"
    circular = "ว" if series is Series.circular else ""
    return _Draft(
        kind="external_letter",
        series=series,
        wording=wording,
        subject=final_subject,
        addressee=addressee,
        model=model,
        name=lambda n: f"letter{_step_part(target)}-{_file_code(target)}-{circular}{n}-{target.year}-{who}.docx",
        path=path,
        folder=folder,
        preview={"header": header, "body": wording.body},
        distribution=tuple(letter.distribution),
    )


def _agencies(catalog: Catalog, ids: Sequence[str]) -> list[Agency]:
    if not ids:
        raise SopError(_("give at least one --to AGENCY (ids are in sops/agencies.yaml)"))
    known = {a.id: a for a in catalog.agencies.agencies}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise SopError(
            _("unknown agency {agencies} (sops/agencies.yaml); known ids: {known}").format(
                agencies=", ".join(repr(u) for u in unknown), known=", ".join(known)
            )
        )
    if len(set(ids)) != len(ids):
        raise SopError(_("an agency is given twice in --to"))
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
    pdf: bool | None = None,
    correct: str | None = None,
    reason: str | None = None,
    signing: Signing | None = None,
) -> IssueResult:
    """Write an order (คำสั่ง) appointing a committee from a members file, numbered n/BE-year."""
    correction = _find_correction(ws, actor.now.date(), "order", number, correct, reason)
    run, step, no_run, fy = _placed(correction, run, step, no_run, fy)
    day = correction.entry.issued if correction else None
    target = _target(ws, number, actor, fy=fy, run=run, step=step, no_run=no_run, day=day)
    how = _how(target.journal, pdf, correction)
    office, thai = target.office, target.office.thai_digits
    from sop_cli.loading.members import load_members  # only orders read a members file

    members = load_members(members_file, str(members_file))
    subject = _given(subject, "--subject")
    wording = _word(target, "order", (SUBJECT,), subject=subject, members=[_member_view(m) for m in members])
    final_subject = subject or wording.subject
    closing = wording.closing or "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"
    signature = _signature(target, "order", signing)
    path, folder = _output(target, out, 1, how.pdf)
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
            **signature,
            "issued": target.today,
        }
        return Order.model_validate(_plain(data, thai))

    draft = _Draft(
        kind="order",
        series=Series.order,
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
    return _issue(target, [draft], dry_run, how)


def _member_view(member: MemberRow) -> dict[str, str]:
    return {"name": member.name, "position": member.position, "role": str(member.role), "duties": member.duties}


def _given(value: str | None, option: str) -> str | None:
    if value is not None and not value.strip():
        raise SopError(_("{option} must not be empty").format(option=option))
    return value.strip() if value is not None else None
