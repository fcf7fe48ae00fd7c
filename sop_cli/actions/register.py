"""The office's register of numbers: list what was issued, withdraw a number (ยกเลิกเลข)."""

from __future__ import annotations

import datetime as dt
import re

from sop_cli.errors import SopError
from sop_cli.journal import FIRST_FY, LAST_FY, Actor, Journal
from sop_cli.models.register import DocKind, Series, Withdrawal
from sop_cli.storage.register import StoredEntry, entry_yaml, register_items, withdrawal_path
from sop_cli.thai_calendar import arabic_digits, be_year
from sop_cli.views.documents import RegisterListing, RegisterRow
from sop_cli.workspace import Workspace

KIND_NAMES: dict[str, DocKind] = {"memo": "memo", "letter": "external_letter", "order": "order"}


def _year(year: int | None, today: dt.date) -> int:
    if year is not None and not FIRST_FY <= year <= LAST_FY:
        raise SopError(f"year {year} cannot be meant: write the Buddhist Era year, such as 2569")
    return year if year is not None else be_year(today)


def register_listing(
    ws: Workspace, today: dt.date, *, year: int | None = None, kind: str | None = None
) -> RegisterListing:
    """The numbers issued in a calendar year (default: today's), of one kind (memo, letter, order) or all."""
    if kind is not None and kind not in KIND_NAMES:
        raise SopError(f"--kind must be one of {', '.join(KIND_NAMES)}, not {kind!r}")
    chosen = _year(year, today)
    doc_kind = KIND_NAMES[kind] if kind is not None else None
    catalog = Journal(ws).catalog
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
            withdrawn=item.withdrawn.reason if item.withdrawn else None,
        )
        for item in register_items(ws, chosen, doc_kind)
        for e in (item.entry,)
    )
    return RegisterListing(chosen, kind, rows)


def parse_number(text: str, year: int | None, today: dt.date) -> tuple[Series, int, int]:
    """(series, number, year) of a number as people write it: 12, ศธ ๐๒๘๘/๑๒, or an order's ๓/๒๕๖๙."""
    plain = arabic_digits(text).strip()
    order = re.fullmatch(r"(\d{1,6})\s*/\s*(\d{4})", plain)
    if order and int(order.group(2)) >= FIRST_FY:
        return Series.order, int(order.group(1)), _year(int(order.group(2)), today)
    outgoing = re.fullmatch(r"(?:.*/\s*)?(\d{1,6})", plain)
    if outgoing is None:
        raise SopError(
            f"{text!r} is not a number of the register: write 12, or as printed, "
            "such as 'ศธ 0288/12' or an order's 3/2569"
        )
    return Series.outgoing, int(outgoing.group(1)), _year(year, today)


def withdraw_number(
    ws: Workspace,
    actor: Actor,
    number: str,
    reason: str,
    *,
    year: int | None = None,
    entry: str | None = None,
) -> tuple[StoredEntry, str]:
    """Withdraw a number (ยกเลิกเลข): it stays in the register, marked, with the reason; return it and the file."""
    if not reason.strip():
        raise SopError("--reason must not be empty")
    journal = Journal(ws, actor.now, actor.by)
    series, value, chosen = parse_number(number, year, actor.now.date())
    with journal.write_without_run() as tx:
        items = [i for i in register_items(ws, chosen) if i.entry.series is series and i.entry.number == value]
        if not items:
            raise SopError(f"number {number} was not issued in {chosen} (see `sop register --year {chosen}`)")
        live = [i for i in items if i.withdrawn is None]
        if entry is not None:
            live = [i for i in live if entry in (i.path.name, i.shown, i.entry.document)]
            if not live:
                raise SopError(f"no entry {entry} of number {number} that is not withdrawn already")
        if not live:
            raise SopError(f"number {number} of {chosen} is already withdrawn")
        if len(live) > 1:
            files = ", ".join(i.shown for i in live)
            raise SopError(
                f"number {number} of {chosen} was issued {len(live)} times ({files}): say which with --entry FILE"
            )
        target = live[0]
        withdrawal = Withdrawal(
            schema_version=1,
            series=series,
            year=chosen,
            number=value,
            entry=target.path.name,
            reason=reason,
            at=actor.now,
            by=journal.actor,
        )
        path = tx.create_file(withdrawal_path(ws, withdrawal), entry_yaml(withdrawal).encode("utf-8"))
    return target, ws.relative(path)
