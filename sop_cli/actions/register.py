"""The office's registers: list what was issued and received, withdraw a number (ยกเลิกเลข) or explain a gap."""

from __future__ import annotations

import datetime as dt

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.journal import FIRST_FY, LAST_FY, Actor, Journal
from sop_cli.models.document_kinds import RegisterKind
from sop_cli.models.register import REGISTER_SCHEMA_VERSION, Series, Withdrawal, parse_number
from sop_cli.storage.register import (
    StoredEntry,
    StoredReceived,
    entry_yaml,
    gap_withdrawals,
    next_number,
    received_items,
    register_items,
    withdrawal_path,
)
from sop_cli.thai_calendar import be_year
from sop_cli.views.documents import ReceivedRow, RegisterListing, RegisterRow, Withdrawn
from sop_cli.workspace import Workspace


def _year(year: int | None, today: dt.date) -> int:
    if year is not None and not FIRST_FY <= year <= LAST_FY:
        raise SopError(_("year {year} cannot be meant: write the Buddhist Era year, such as 2569").format(year=year))
    return year if year is not None else be_year(today)


def _wanted(item: StoredEntry, kind: RegisterKind | None) -> bool:
    """Whether `sop register --kind` lists this entry: a circular is a letter of the circular series."""
    entry = item.entry
    if kind is None:
        return True
    if kind is RegisterKind.circular:
        return entry.series is Series.circular
    if kind is RegisterKind.letter:
        return entry.kind == "external_letter" and entry.series is Series.outgoing
    return entry.kind == kind.document


def register_listing(
    ws: Workspace, today: dt.date, *, year: int | None = None, kind: RegisterKind | str | None = None
) -> RegisterListing:
    """The registers of a calendar year (default: today's): numbers issued and letters received, or one kind."""
    if kind is not None and kind not in set(RegisterKind):
        kinds = ", ".join(RegisterKind)
        raise SopError(_("--kind must be one of {kinds}, not {kind!r}").format(kinds=kinds, kind=str(kind)))
    wanted = RegisterKind(kind) if kind is not None else None
    chosen = _year(year, today)
    catalog = Journal(ws).catalog
    items = [i for i in register_items(ws, chosen) if wanted is not RegisterKind.incoming and _wanted(i, wanted)]
    versions: dict[tuple[Series, int], int] = {}
    for item in items:
        key = (item.entry.series, item.entry.number)
        versions[key] = max(versions.get(key, 0), item.entry.version)
    rows = tuple(_row(item, catalog.staff_name(item.entry.by), versions) for item in items if item.replaced_by is None)
    received: tuple[ReceivedRow, ...] = ()
    if wanted in (None, RegisterKind.incoming):
        received = tuple(_received_row(r, catalog.staff_name(r.entry.by)) for r in received_items(ws, chosen))
    return RegisterListing(chosen, wanted.value if wanted else None, rows, received)


def _row(item: StoredEntry, by: str, versions: dict[tuple[Series, int], int]) -> RegisterRow:
    e = item.entry
    return RegisterRow(
        year=e.year,
        series=e.series.value,
        number=e.number,
        printed=e.printed,
        kind=e.kind,
        subject=e.subject,
        to=e.to,
        issued=e.issued,
        by=by,
        procedure=e.procedure,
        run=e.run,
        step=e.step,
        document=e.document,
        withdrawn=item.withdrawn.reason if item.withdrawn else None,
        version=e.version,
        versions=versions.get((e.series, e.number), 1),
        corrected=e.reason,
        distribution=e.distribution,
        pdf=e.pdf.document if e.pdf else None,
    )


def _received_row(item: StoredReceived, by: str) -> ReceivedRow:
    e = item.entry
    return ReceivedRow(
        year=e.year,
        number=e.number,
        printed=e.printed,
        received=e.received,
        sender=e.sender,
        their_number=e.their_number,
        their_date=e.their_date,
        subject=e.subject,
        by=by,
        procedure=e.procedure,
        run=e.run,
        step=e.step,
        document=e.document,
        withdrawn=item.withdrawn.reason if item.withdrawn else None,
    )


def read_number(text: str, year: int | None, today: dt.date) -> tuple[Series, int, int]:
    """(series, number, year) of a number as people write it: 12, ศธ ๐๒๘๘/๑๒, ศธ ๐๒๘๘/ว ๑๒, ๓/๒๕๖๙, รับ 12."""
    found = parse_number(text)
    if found is None:
        raise SopError(
            _(
                "{text!r} is not a number of the register: write 12, or as printed, such as 'ศธ 0288/12', "
                "a circular's 'ศธ 0288/ว 12', an order's 3/2569 or a received letter's 'รับ 12'"
            ).format(text=text)
        )
    series, number, named = found
    return series, number, _year(named if named is not None else year, today)


def withdraw_number(
    ws: Workspace,
    actor: Actor,
    number: str,
    reason: str,
    *,
    year: int | None = None,
    entry: str | None = None,
    gap: bool = False,
) -> Withdrawn:
    """Withdraw a number (ยกเลิกเลข), or explain a gap; say the number as printed, its subject and the file.

    The number stays in the register, marked, with the reason, and is never issued again. With
    `gap`, the number is one below the highest of its series that no entry holds: the withdrawal
    explains it, so that `sop check` no longer reports it.
    """
    if not reason.strip():
        raise SopError(_("--reason must not be empty"))
    journal = Journal(ws, actor.now, actor.by)
    series, value, chosen = read_number(number, year, actor.now.date())
    with journal.write_without_run() as tx:
        if gap:
            printed, subject = _gap(ws, series, value, chosen, entry)
            target_entry = None
        else:
            printed, subject, target_entry = _live_entry(ws, series, value, chosen, number, entry)
        withdrawal = Withdrawal(
            schema_version=REGISTER_SCHEMA_VERSION,
            series=series,
            year=chosen,
            number=value,
            entry=target_entry,
            reason=reason,
            at=actor.now,
            by=journal.actor,
        )
        path = tx.create_file(withdrawal_path(ws, withdrawal), entry_yaml(withdrawal).encode("utf-8"))
        tx.describe("withdrawn", f"{printed}: {reason}")
    return Withdrawn(printed, subject, ws.relative(path), tuple(journal.warnings))


def _live_entry(
    ws: Workspace, series: Series, value: int, year: int, number: str, entry: str | None
) -> tuple[str, str, str]:
    """(printed, subject, register file) of the one live entry of a number, or a clear error."""
    found: list[StoredEntry | StoredReceived]
    if series is Series.incoming:
        found = [i for i in received_items(ws, year) if i.entry.number == value]
        live: list[StoredEntry | StoredReceived] = [i for i in found if i.withdrawn is None]
    else:
        stored = [i for i in register_items(ws, year) if i.entry.series is series and i.entry.number == value]
        found = list(stored)
        live = [i for i in stored if i.current]
    if not found:
        raise SopError(
            _("number {number} was not issued in {year} (see `sop register --year {year}`)").format(
                number=number, year=year
            )
        )
    if entry is not None:
        live = [i for i in live if entry in (i.path.name, i.shown, i.entry.document)]
        if not live:
            raise SopError(
                _("no entry {entry} of number {number} that is not withdrawn already").format(
                    entry=entry, number=number
                )
            )
    if not live:
        raise SopError(_("number {number} of {year} is already withdrawn").format(number=number, year=year))
    if len(live) > 1:
        files = ", ".join(i.shown for i in live)
        raise SopError(
            _("number {number} of {year} was issued {count} times ({files}): say which with --entry FILE").format(
                number=number, year=year, count=len(live), files=files
            )
        )
    target = live[0]
    return target.entry.printed, target.entry.subject, target.path.name


def _gap(ws: Workspace, series: Series, value: int, year: int, entry: str | None) -> tuple[str, str]:
    """(printed, subject) of a gap to explain: a number below the highest that no entry holds."""
    if entry is not None:
        raise SopError(_("--gap and --entry exclude each other: a gap has no entry"))
    taken = [i.entry.number for i in register_items(ws, year) if i.entry.series is series]
    taken += [i.entry.number for i in received_items(ws, year)] if series is Series.incoming else []
    if any(g.number == value for g in gap_withdrawals(ws, series, year)):
        raise SopError(_("number {number} of {year} is already withdrawn").format(number=value, year=year))
    if value in taken:
        raise SopError(
            _("number {number} of {year} has an entry: withdraw it without --gap").format(number=value, year=year)
        )
    highest = next_number(ws, series, year) - 1
    if value > highest:
        raise SopError(
            _(
                "number {number} of {year} is above the highest issued ({highest}): it is not a gap, it is simply "
                "the next number"
            ).format(number=value, year=year, highest=highest)
        )
    return str(value), _("(a gap: never issued here)")
