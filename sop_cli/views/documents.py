"""View-models of the document commands: what `sop memo`, `letter`, `order` and `register` show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class IssuedDocument:
    """One generated document (or, in a dry run, the one that would be)."""

    kind: str  # memo, external_letter, order
    number: str  # as printed: ศธ ๐๒๘๘/๑๒๓, ๑๒/๒๕๗๐
    path: str  # where it was (would be) written, relative to the workspace when inside it
    subject: str
    addressee: str | None  # เรียน …, for memos and letters
    template: str  # the template that worded it: templates/… or sop_cli/templates/…
    evidence: bool  # recorded as evidence of the run's step
    sha256: str | None = None  # None in a dry run
    size: int | None = None
    register_file: str | None = None
    # The wording as printed, shown by a dry run: header lines, paragraphs, committee members.
    header: tuple[tuple[str, str], ...] = ()
    body: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    closing: str | None = None
    pdf: str | None = None  # the PDF/A beside the .docx (would be, in a dry run)
    pdf_sha256: str | None = None
    version: int = 1  # 2 and later: a corrected version reissued under the same number
    distribution: tuple[str, ...] = ()  # a circular: the agencies it goes to


@dataclass(frozen=True)
class IssueResult:
    """What `sop memo`, `sop letter` or `sop order` did, or would do with --dry-run."""

    procedure: int
    step: int | None
    run: str | None  # None with --no-run
    fy: int
    dry_run: bool
    documents: tuple[IssuedDocument, ...]
    warnings: tuple[str, ...] = ()
    written: tuple[str, ...] = ()  # the files created, relative to the workspace
    claimed: bool = False  # the numbers were claimed on the office's server before the documents were written


@dataclass(frozen=True)
class RegisterRow:
    """One issued number in `sop register`."""

    year: int
    series: str  # out, order
    number: int
    printed: str
    kind: str
    subject: str
    to: str | None
    issued: dt.date
    by: str  # the staff member's name
    procedure: int
    run: str | None
    step: int | None
    document: str
    withdrawn: str | None = None  # the reason, when the number was withdrawn (ยกเลิกเลข)
    version: int = 1  # the version that is the document of the number (2 and later: corrected)
    versions: int = 1  # how many versions the number has (the earlier ones stay as history)
    corrected: str | None = None  # why this version corrects the one before
    distribution: tuple[str, ...] = ()  # the agencies a circular goes to
    pdf: str | None = None  # the PDF/A written beside the .docx


@dataclass(frozen=True)
class ReceivedRow:
    """One letter of the incoming register (ทะเบียนหนังสือรับ)."""

    year: int
    number: int
    printed: str  # รับ ๑๒
    received: dt.date
    sender: str
    their_number: str
    their_date: dt.date
    subject: str
    by: str
    procedure: int
    run: str | None
    step: int | None
    document: str
    withdrawn: str | None = None


@dataclass(frozen=True)
class RegisterListing:
    """The registers of one calendar year (numbers issued, letters received), optionally of one kind."""

    year: int
    kind: str | None
    rows: tuple[RegisterRow, ...]
    received: tuple[ReceivedRow, ...] = ()


@dataclass(frozen=True)
class ReceiveResult:
    """What `sop receive` did (or, with --dry-run, would do)."""

    number: str  # the incoming number as the office writes it: รับ ๑๒
    path: str | None  # the copy of the letter, relative to the workspace (None in a dry run)
    procedure: int
    run: str | None
    step: int | None
    fy: int
    dry_run: bool
    started: bool = False  # the letter opened the run (--start)
    sha256: str | None = None
    register_file: str | None = None
    claimed: bool = False  # the number was claimed on the office's server
    written: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # what the person should know although it succeeded


@dataclass(frozen=True)
class Withdrawn:
    """What `sop register withdraw` did: the number as printed, its subject, the withdrawal's file."""

    number: str
    subject: str
    path: str
    warnings: tuple[str, ...] = ()
