"""`sop remind`: each person's Thai digest of the day, previewed, sent by e-mail, or written to files.

A digest lists what is overdue, what falls due within the office's threshold ([people]
remind_within working days), the decisions waiting for the person, and what others recorded on
their work since their last digest (the last week, the first time). During a leave the substitute's
digest holds the absent person's work. With `--send` each digest goes out through the [mail]
server of sop.toml, or, without a server, is written as an .eml file; a person gets at most one
digest a day from this machine (the state is kept in the user's state folder, not the workspace).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sop_cli import i18n
from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.journal import Journal
from sop_cli.rendering import digest as wording
from sop_cli.rendering import words
from sop_cli.storage.mail import remember_sent, send, sent_record
from sop_cli.storage.people import leave_periods
from sop_cli.views.people import Digest, DigestChange, Reminder, WorkYear
from sop_cli.work import person_work, resolve_person, year_work
from sop_cli.workspace import Workspace

FIRST_LOOK_BACK = dt.timedelta(days=7)  # the first digest reports the changes of the last week
REMINDERS = ("exports", "reminders")


@contextmanager
def _thai() -> Iterator[None]:
    """Word in Thai inside: the digest is the office's correspondence, whatever the terminal speaks."""
    before = i18n.language()
    i18n.set_language("th")
    try:
        yield
    finally:
        i18n.set_language(before)


def _changes(
    journal: Journal, fy: int, work: WorkYear, people: set[str], since: dt.datetime, names: dict[str, str]
) -> tuple[DigestChange, ...]:
    """What others recorded since `since` on the runs these people hold (by the time it was recorded)."""
    from sop_cli.engine import effective_voids

    held = {(d.procedure, d.run) for d in work.duties if people & set(d.holders)}
    numbers = {number for number, _run in held}
    found = []
    for number, runs in journal.runs(fy).items():
        if number not in numbers:
            continue
        title = journal.catalog.procedure(number).short_title
        for loaded in runs:
            if (number, loaded.folder.run) not in held and (number, None) not in held:
                continue
            voided = effective_voids(s.event for s in loaded.events)
            for stored in loaded.events:
                event = stored.event
                if event.at <= since or event.by in people or event.id in voided:
                    continue
                summary = words.event_summary(event, "th", names)
                found.append(DigestChange(event.date, event.at, number, title, names.get(event.by, event.by), summary))
    return tuple(sorted(found, key=lambda c: (c.at, c.procedure)))


def _digest(journal: Journal, work: WorkYear, person: str, since: dt.datetime | None, within: int) -> Digest:
    today = journal.today
    leaves = leave_periods(journal.ws)
    items, standing = person_work(work, person, leaves, today)
    names = {staff_id: display for staff_id, (_short, display, _names) in work.roster.items()}
    dated = [i for i in items if i.kind == "deadline" and i.days_left is not None]
    people = {person} | {leave.person for leave in standing}
    looked_from = since or journal.now - FIRST_LOOK_BACK
    return Digest(
        person=person,
        name=names[person],
        today=today,
        within=within,
        overdue=tuple(i for i in dated if i.days_left is not None and i.days_left < 0),
        soon=tuple(i for i in dated if i.days_left is not None and 0 <= i.days_left <= within),
        decisions=tuple(i for i in items if i.kind == "decision"),
        changes=_changes(journal, work.fy, work, people, looked_from, names),
        since=since,
        standing_in_for=tuple(standing),
        names=names,
    )


def _folder(ws: Workspace, out: Path | None, today: dt.date) -> Path:
    from sop_cli.storage.outputs import output_place

    if out is None:
        return ws.root.joinpath(*REMINDERS, today.isoformat())
    place = output_place(ws, out, (".eml",), folder_ok=True)
    if not place.is_dir():
        raise SopError(_("--out {path} must be an existing folder: one file is written per person").format(path=out))
    return place


def remind(
    ws: Workspace,
    now: dt.datetime,
    fy: int,
    person: str | None = None,
    *,
    deliver: bool = False,
    out: Path | None = None,
) -> list[Reminder]:
    """Each person's digest of `now`'s day: previewed, or (`deliver`) sent or written, at most once a day."""
    from sop_cli.storage.atomic import write_bytes_atomic

    journal = Journal(ws, now)
    settings = journal.settings
    today = journal.today
    work = year_work(ws, fy, today)
    people = [resolve_person(work.roster, person)] if person is not None else list(work.roster)
    sent = sent_record(ws.root)
    mail = settings.mail
    if deliver and mail.host is not None and mail.sender is None:
        raise SopError(_("[mail] from is needed to send: the address the reminders come from"))
    outcomes: list[Reminder] = []
    outgoing = []
    for staff_id in people:
        last = sent.get(staff_id)
        since = dt.datetime.fromisoformat(last["at"]) if last else None
        with _thai():
            digest = _digest(journal, work, staff_id, since, settings.people.remind_within)
            subject, text = wording.subject(digest), wording.body(digest)
        base = {"person": staff_id, "name": digest.name, "subject": subject, "body": text}
        address = settings.people.email.get(staff_id)
        # The next digest reports what was recorded after this one: after now, or after the latest
        # record it saw when the clock stands still ($SOP_NOW) and records carry later microseconds.
        seen = max([now, *(c.at for c in digest.changes)]).isoformat()
        if deliver and last is not None and last["day"] == today.isoformat():
            outcomes.append(Reminder(**base, outcome="already_sent", to=address))
        elif digest.empty:
            outcomes.append(Reminder(**base, outcome="nothing", to=address))
        elif not deliver:
            outcomes.append(Reminder(**base, outcome="preview", to=address))
        elif mail.host is not None and address is None:
            outcomes.append(Reminder(**base, outcome="no_address"))
        elif mail.host is not None:
            assert address is not None and mail.sender is not None
            outgoing.append((staff_id, wording.message(digest, mail.sender, address, now), base, address, seen))
        else:
            folder = _folder(ws, out, today)
            path = folder / f"{staff_id}.eml"
            sender = mail.sender or "sop@localhost"
            message = wording.message(digest, sender, address or f"{staff_id}@localhost", now)
            write_bytes_atomic(path, bytes(message))
            remember_sent(ws.root, staff_id, {"day": today.isoformat(), "at": seen})
            outcomes.append(Reminder(**base, outcome="written", to=address, path=ws.relative(path)))
    if outgoing:
        send(mail, [message for _id, message, _base, _to, _seen in outgoing])
        for staff_id, _message, base, address, seen in outgoing:
            remember_sent(ws.root, staff_id, {"day": today.isoformat(), "at": seen})
            outcomes.append(Reminder(**base, outcome="sent", to=address))
    order = {p: i for i, p in enumerate(people)}
    return sorted(outcomes, key=lambda r: order[r.person])
