"""Record a letter the office received (ทะเบียนหนังสือรับ): its incoming number, its copy, the run and step it concerns.

The incoming number restarts on 1 January and is unique by the same rule as the outgoing numbers:
taken under the records lock, and claimed on the office's server when the workspace shares one
(offline, no number is promised and nothing is written). The letter's file is copied with its
SHA-256 into the run's evidence (or `documents/<year>/received/` without a run) and recorded as
evidence of the step it starts or answers; `--start` opens the run it starts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.journal import Actor, Journal, Transaction, check_evidence_sizes, evidence_item
from sop_cli.models.records import EvidenceAdded, EvidenceDocument, Started
from sop_cli.models.register import REGISTER_SCHEMA_VERSION, ReceivedEntry, Series, printed_number
from sop_cli.storage.records import EVIDENCE, safe_file_name
from sop_cli.storage.register import (
    Claimer,
    Entry,
    Hooks,
    next_number,
    received_folder,
    register_entry,
    sharing,
    withdraw_interrupted,
)
from sop_cli.thai_calendar import be_year, format_short, thai_digits
from sop_cli.views.documents import ReceiveResult
from sop_cli.workspace import Workspace


@dataclass(frozen=True)
class Letter:
    """What the received letter says of itself: who sent it, their number and date, the subject, the file."""

    file: str
    sender: str
    their_number: str
    their_date: dt.date
    subject: str


@dataclass(frozen=True)
class Where:
    """The run and step the letter concerns: an existing run, a run it starts, or none."""

    fy: int | None = None
    run: str | None = None
    step: int | None = None
    start: bool = False
    label: str | None = None
    no_run: bool = False


def _text(value: str, option: str) -> str:
    if not value.strip():
        raise SopError(_("{option} must not be empty").format(option=option))
    return value.strip()


def _check(where: Where, steps: int, number: int) -> None:
    if where.start and where.run is not None:
        raise SopError(_("--start opens a new run: leave out --run"))
    if where.no_run and (where.start or where.run is not None):
        raise SopError(_("--no-run excludes --run and --start"))
    if where.label is not None and not where.start:
        raise SopError(_("--label names the run --start opens"))
    if where.step is not None and not 1 <= where.step <= steps:
        raise SopError(
            _("procedure {number} has no step {step}; its steps are 1 to {steps}").format(
                number=number, step=where.step, steps=steps
            )
        )


def receive_letter(
    ws: Workspace,
    number: int,
    actor: Actor,
    letter: Letter,
    where: Where,
    *,
    date: dt.date | None = None,
    date_reason: str | None = None,
    dry_run: bool = False,
) -> ReceiveResult:
    """Give a received letter the office's incoming number and record it with the run and step it concerns."""
    journal = Journal(ws, actor.now, actor.by)
    proc = journal.procedure(number)
    year = journal.fiscal_year(where.fy)
    _check(where, len(proc.steps), number)
    sender = _text(letter.sender, "--from")
    their_number = _text(letter.their_number, "--their-number")
    subject = _text(letter.subject, "--subject")
    limits = journal.settings.evidence
    proof = evidence_item(letter.file)
    check_evidence_sizes([proof], limits.max_bytes, limits.max_mb)
    if proof.source is None:
        raise SopError(_("give the letter's file (a PDF or a scan), not a link: the register keeps a copy"))
    received_on = date or actor.now.date()
    if letter.their_date > received_on:
        raise SopError(
            _("the letter is dated {dated}, after the day it was received ({received})").format(
                dated=format_short(letter.their_date), received=format_short(received_on)
            )
        )
    data = proof.source.read_bytes()
    if len(data) > limits.max_bytes:
        raise SopError(_("{file} grew above the size limit while it was read").format(file=letter.file))
    if not data:
        raise SopError(_("{file} is empty (0 bytes): give the file of the letter").format(file=letter.file))
    who = journal.actor
    thai = journal.office.thai_digits
    code = journal.office.document_code
    facts = _Facts(sender, their_number, letter.their_date, subject, proof.source.name, data, thai, code)
    if dry_run:
        trial = next_number(ws, Series.incoming, be_year(received_on))
        return ReceiveResult(
            number=facts.show(printed_number(Series.incoming, trial, be_year(received_on), code)),
            path=None,
            procedure=number,
            run=where.run,
            step=where.step,
            fy=year,
            dry_run=True,
            started=where.start,
        )
    claimer = _claimer(ws, journal, who, actor.now)
    claimed: list[tuple[Entry, Path]] = []
    try:
        if where.start:
            with journal.start(number, year, where.label, date=date, date_reason=date_reason) as tx:
                assert tx.folder is not None
                tx.add(Started(**tx.base(), type="started", fy=year, label=where.label))
                result = _record(ws, tx, facts, where.step or 1, claimer, claimed, started=True)
        elif where.no_run:
            with journal.write_without_run() as tx:
                tx.set_date(date, date_reason)
                result = _record(ws, tx, facts, where.step, claimer, claimed, procedure=number, fy=year)
        else:
            with journal.write(number, year, where.run, date=date, date_reason=date_reason) as tx:
                assert tx.state is not None and tx.folder is not None
                step = where.step if where.step is not None else tx.state.current
                if step is None:
                    raise SopError(
                        _("run {run} of procedure {number} has no current step; give --step K").format(
                            run=tx.folder.run, number=number
                        )
                    )
                result = _record(ws, tx, facts, step, claimer, claimed)
    except BaseException:
        if claimed and claimer is not None:
            withdraw_interrupted(ws, claimed, who, actor.now, claimer.author)
        raise
    written = [*tx.written, *(path for _entry, path in claimed)]
    return replace(result, written=tuple(ws.relative(p) for p in written), warnings=tuple(journal.warnings))


@dataclass(frozen=True)
class _Facts:
    """The letter, checked, with the bytes of its file."""

    sender: str
    their_number: str
    their_date: dt.date
    subject: str
    name: str
    data: bytes
    thai: bool
    code: str

    def show(self, text: str) -> str:
        return thai_digits(text) if self.thai else text


def _claimer(ws: Workspace, journal: Journal, who: str, now: dt.datetime) -> Claimer | None:
    if not sharing(ws):
        return None
    from sop_cli.storage import git

    git.require_clean_git_state(ws)
    name = journal.catalog.staff_name(who)
    author = git.author_for(ws, who, name)

    def message(entry: Entry) -> str:
        return git.commit_message(
            name, "ลงรับหนังสือ", entry.procedure, entry.step, detail=f"{entry.printed}: {entry.subject}"
        )

    return Claimer(author, message, who, now)


def _record(
    ws: Workspace,
    tx: Transaction,
    facts: _Facts,
    step: int | None,
    claimer: Claimer | None,
    claimed: list[tuple[Entry, Path]],
    *,
    started: bool = False,
    procedure: int | None = None,
    fy: int | None = None,
) -> ReceiveResult:
    """Take the incoming number (claimed on the server when there is one), copy the file, record the evidence."""
    sha = hashlib.sha256(facts.data).hexdigest()
    name = safe_file_name(facts.name)
    received = tx.date
    year = be_year(received)
    folder = tx.folder
    if folder is not None:
        path = folder.evidence / f"{sha[:8]}-{name}"
    else:
        path = received_folder(ws, year) / f"{sha[:8]}-{name}"
    if path.exists():
        raise SopError(
            _("this file was recorded already ({path}): the letter has its incoming number").format(
                path=ws.relative(path)
            )
        )
    number_of = procedure if procedure is not None else (tx.proc.number if tx.proc else 0)

    def make() -> ReceivedEntry:
        number = next_number(ws, Series.incoming, year)
        return ReceivedEntry(
            schema_version=REGISTER_SCHEMA_VERSION,
            series=Series.incoming,
            year=year,
            number=number,
            printed=facts.show(printed_number(Series.incoming, number, year, facts.code)),
            received=received,
            at=tx.now,
            by=tx.who,
            sender=facts.sender,
            their_number=facts.their_number,
            their_date=facts.their_date,
            subject=facts.subject,
            procedure=number_of,
            fy=tx.fy if tx.fy is not None else fy,
            run=folder.run if folder else None,
            step=step,
            started=started,
            name=facts.name,
            document=ws.relative(path).replace("\\", "/"),
            sha256=sha,
            size=len(facts.data),
        )

    entry, entry_path = register_entry(ws, make, Hooks(tx.will_create, tx.created, tx.keep), claimer)
    if claimer is not None:
        claimed.append((entry, entry_path))
    assert isinstance(entry, ReceivedEntry)
    tx.describe("received", f"{entry.printed}: {facts.subject}", number_of or None, step)
    tx.create_file(path, facts.data)
    if folder is not None:
        proof = EvidenceDocument(
            kind="document",
            doc_type="received",
            number=facts.their_number,
            name=facts.name,
            stored=f"{EVIDENCE}/{path.name}",
            sha256=sha,
            size=len(facts.data),
            format="copy",
            received=entry.printed,
        )
        tx.add(EvidenceAdded(**tx.base(), type="evidence_added", evidence=proof, step=step))
    return ReceiveResult(
        number=entry.printed,
        path=ws.relative(path),
        procedure=entry.procedure,
        run=entry.run,
        step=step,
        fy=entry.fy or 0,
        dry_run=False,
        started=started,
        sha256=sha,
        register_file=ws.relative(entry_path),
        claimed=claimer is not None,
    )
