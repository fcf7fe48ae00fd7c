"""The registers: `register/<BE year>/<series>-<number>-<random>.yaml`, one file per number (or version).

A number is taken under the records lock as the highest number of its series and year in this
checkout plus one, and its file is created exclusively, so one checkout never issues a number
twice. When the workspace shares an office server, the entry is also committed and pushed before
the document is written (`register_entry`): a number the server has is the office's; when a
colleague's push came first, the next free number is taken. The random part of the name lets two
clones that took the same number without a server merge in git without a conflict;
`register_problems` then names both documents.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sop_cli.errors import Problem, SopError
from sop_cli.i18n import N_, _
from sop_cli.models.register import (
    INTERRUPTED,
    REGISTER_SCHEMA_VERSION,
    ReceivedEntry,
    RegisterEntry,
    Series,
    Withdrawal,
)
from sop_cli.storage.atomic import write_text_atomic
from sop_cli.storage.records import new_id, sha256_of
from sop_cli.workspace import Workspace

if TYPE_CHECKING:
    from sop_cli.models.register import DocKind
    from sop_cli.storage.git import Author

REGISTER = "register"
DOCUMENTS = "documents"  # documents generated without a run: documents/<BE year>/
RECEIVED = "received"  # copies of received letters without a run: documents/<BE year>/received/
_SERIES = "|".join(s.value for s in Series)
_NAME = re.compile(rf"^({_SERIES})-(\d{{1,6}})-([a-z0-9]{{4,12}})\.yaml$")
_WITHDRAWN = re.compile(rf"^withdrawn-({_SERIES})-(\d{{1,6}})-([a-z0-9]{{4,12}})\.yaml$")
_FIRST = ("schema_version", "series", "year", "number", "printed")
_LATER_KEYS: dict[str, object] = {
    "distribution": [],
    "pdf": None,
    "version": 1,
    "corrects": None,
    "reason": None,
    "started": False,
}
# A claim refused because a colleague's came first is tried again with the next number, this often.
MAX_CLAIMS = 8

Entry = RegisterEntry | ReceivedEntry


@dataclass(frozen=True)
class StoredEntry:
    """A register entry of an issued document with the file it came from, and what became of it."""

    entry: RegisterEntry
    path: Path
    shown: str  # the path as users see it, relative to the workspace
    withdrawn: Withdrawal | None = None
    replaced_by: str | None = None  # the register file of the corrected version that replaces it

    @property
    def current(self) -> bool:
        """The document of its number: neither withdrawn nor replaced by a corrected version."""
        return self.withdrawn is None and self.replaced_by is None


@dataclass(frozen=True)
class StoredReceived:
    """An entry of the incoming register with the file it came from."""

    entry: ReceivedEntry
    path: Path
    shown: str
    withdrawn: Withdrawal | None = None


@dataclass
class _Loaded:
    stored: list[StoredEntry]
    received: list[StoredReceived]
    gaps: list[Withdrawal]  # withdrawals of numbers no entry holds
    problems: list[Problem]
    named: set[str]  # documents named by an entry (even an invalid one)


def register_folder(ws: Workspace, year: int) -> Path:
    """The folder of the numbers issued in Buddhist Era year `year`."""
    return ws.root / REGISTER / str(year)


def unregistered_documents_folder(ws: Workspace, year: int) -> Path:
    """Where documents generated without a run go by default."""
    return ws.root / DOCUMENTS / str(year)


def received_folder(ws: Workspace, year: int) -> Path:
    """Where copies of received letters recorded without a run go."""
    return ws.root / DOCUMENTS / str(year) / RECEIVED


def register_years(ws: Workspace) -> list[int]:
    """Years that have a register folder, oldest first."""
    root = ws.root / REGISTER
    if not root.is_dir():
        return []
    return sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit())


def next_number(ws: Workspace, series: Series, year: int) -> int:
    """The next number of `series` in `year`: the highest in this checkout plus one (hold the records lock)."""
    folder = register_folder(ws, year)
    highest = 0
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME.match(path.name) or _WITHDRAWN.match(path.name)
            if match and match.group(1) == series.value:
                highest = max(highest, int(match.group(2)))
    return highest + 1


def entry_yaml(entry: Entry | Withdrawal) -> str:
    """The text of an entry file: one key per line, every value in JSON form (which is also YAML)."""
    data = entry.model_dump(mode="json")
    # Keys added later are written only when they say something: older entries read the same.
    for key, default in _LATER_KEYS.items():
        if key in data and data[key] == default:
            del data[key]
    first = [k for k in _FIRST if k in data]
    ordered = {k: data[k] for k in first} | {k: v for k, v in data.items() if k not in first}
    return "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in ordered.items())


def write_entry(ws: Workspace, entry: Entry, before: Callable[[Path], None] | None = None) -> Path:
    """Create the entry's file once, never replacing one (the caller holds the records lock).

    `before` is told each path just before it is created (the journal's list of files to undo).
    """
    folder = register_folder(ws, entry.year)
    for _attempt in range(5):
        path = folder / f"{entry.series.value}-{entry.number:04d}-{new_id(6)}.yaml"
        if before is not None:
            before(path)
        try:
            write_text_atomic(path, entry_yaml(entry), exclusive=True)
        except FileExistsError:
            continue  # the same random part: draw another
        return path
    raise SopError(_("could not create a register file in {folder}; try again").format(folder=ws.relative(folder)))


def withdrawal_path(ws: Workspace, withdrawal: Withdrawal) -> Path:
    """A new file name for a withdrawal: `register/2569/withdrawn-out-0012-abcdef.yaml`."""
    folder = register_folder(ws, withdrawal.year)
    return folder / f"withdrawn-{withdrawal.series.value}-{withdrawal.number:04d}-{new_id(6)}.yaml"


# --- the office's number: claimed on its server -------------------------------------------------


class OfflineClaimError(SopError):
    """The office's server could not be reached: no number can be promised, nothing was written."""


@dataclass(frozen=True)
class Claimer:
    """How a new entry becomes the office's: committed and pushed to its server, as `author`."""

    author: Author | None
    message: Callable[[Entry], str]  # the commit message of an entry
    by: str  # the staff id who acts (for a withdrawal after an interruption)
    now: dt.datetime


@dataclass(frozen=True)
class Hooks:
    """The transaction's hooks: a path about to be created, one created, one the undo must leave alone."""

    will_create: Callable[[Path], None]
    created: Callable[[Path], None]
    keep: Callable[[Path], None]


def sharing(ws: Workspace) -> bool:
    """Whether numbers are claimed on an office server: the workspace is in git and git knows a remote."""
    from sop_cli.storage import git

    try:
        return git.has_remote(ws)
    except git.GitMissingError:
        return False  # a repository on a computer without git: nothing is shared (a warning says so)


def register_entry(
    ws: Workspace, make: Callable[[], Entry], hooks: Hooks, claimer: Claimer | None
) -> tuple[Entry, Path]:
    """Write the entry `make()` builds; with a `claimer`, claim it on the office's server first.

    `make` is called again after a colleague's claim came first (this copy then has the office's
    entries, so the next free number differs). Offline, nothing is written and the number is not
    promised (`OfflineClaimError`). From the claim on, the entry is left alone by the undo: if the
    command fails after the server has it, the caller withdraws it (`withdraw_interrupted`).
    """
    from sop_cli.storage import git

    for _attempt in range(MAX_CLAIMS):
        entry = make()
        path = write_entry(ws, entry, before=hooks.will_create)
        if claimer is None:
            hooks.created(path)
            return entry, path
        hooks.keep(path)  # the claim decides from here what becomes of the file
        try:
            claim = git.push_claim(ws, [path], claimer.message(entry), claimer.author)
        except BaseException:
            _settle(ws, entry, path, claimer)
            raise
        if claim.outcome in (git.ClaimOutcome.CLAIMED, git.ClaimOutcome.LOCAL):
            return entry, path
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # taken back from git: nobody else has it
        if claim.outcome is git.ClaimOutcome.OFFLINE:
            raise OfflineClaimError(
                _(
                    "the office's server cannot be reached ({detail}), so no number can be promised: nothing was "
                    "written; issue it again when online (`--dry-run` shows the document meanwhile)"
                ).format(detail=claim.detail or _("no answer"))
            )
    raise SopError(_("colleagues kept taking the next number on the office's server; nothing was written: try again"))


def _committed(ws: Workspace, path: Path) -> bool:
    """Whether the branch's last commit holds `path` (then the office's server may have it)."""
    from sop_cli.storage import git

    repo = git.find_repo(ws)
    if repo is None:
        return False
    try:
        (rel,) = git.workspace_paths(repo, [path])
        done = git.run_git(repo.top, ["cat-file", "-e", f"HEAD:{rel}"], check=False)
    except git.GitError:
        return True  # cannot tell: keep it, withdrawn, rather than risk giving a number twice
    return done.returncode == 0


def _settle(ws: Workspace, entry: Entry, path: Path, claimer: Claimer) -> None:
    """After a claim that failed half way: withdraw the entry if it was committed, else remove it."""
    if _committed(ws, path):
        withdraw_interrupted(ws, [(entry, path)], claimer.by, claimer.now, claimer.author)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def withdraw_interrupted(
    ws: Workspace, claimed: list[tuple[Entry, Path]], by: str, now: dt.datetime, author: Author | None
) -> list[Path]:
    """Withdraw numbers the office's server has but whose command failed: never reused, never lost.

    Each gets a withdrawal with the reason "interrupted", committed here (the next `sop sync` sends
    it); a commit that fails leaves the file for `sop sync` to commit.
    """
    from sop_cli.storage import git

    written = []
    for entry, path in claimed:
        withdrawal = Withdrawal(
            schema_version=REGISTER_SCHEMA_VERSION,
            series=entry.series,
            year=entry.year,
            number=entry.number,
            entry=path.name,
            reason=INTERRUPTED,
            at=now,
            by=by,
        )
        target = withdrawal_path(ws, withdrawal)
        write_text_atomic(target, entry_yaml(withdrawal), exclusive=True)
        written.append(target)
    if written:
        name = author.name if author is not None else by
        message = git.commit_message(name, "withdrawn", detail=", ".join(e.printed for e, _p in claimed))
        with contextlib.suppress(git.GitError, OSError):
            git.commit_paths(ws, written, message, author)
    return written


# --- reading -----------------------------------------------------------------------------------


def _parse_withdrawal(path: Path, shown: str) -> tuple[Withdrawal | None, list[Problem]]:
    from pydantic import ValidationError

    from sop_cli.loading.yaml_files import FileProblems, message_of, parse_yaml, read_text

    try:
        data = parse_yaml(read_text(path, shown), shown)
        return Withdrawal.model_validate(data), []
    except FileProblems as exc:
        return None, exc.problems
    except ValidationError as exc:
        return None, [Problem(shown, 1, 1, message_of(e)) for e in exc.errors(include_url=False)]


def _parse(path: Path, shown: str, named: set[str], incoming: bool) -> tuple[Entry | None, list[Problem]]:
    from pydantic import ValidationError

    from sop_cli.loading.yaml_files import FileProblems, Locator, message_of, parse_yaml, read_text

    try:
        text = read_text(path, shown)
        data = parse_yaml(text, shown)
    except FileProblems as exc:
        return None, exc.problems
    if not isinstance(data, dict):
        return None, [Problem(shown, 1, 1, _("expected a mapping of keys to values"))]
    # Even an invalid entry keeps its documents from looking stray.
    if isinstance(data.get("document"), str):
        named.add(data["document"])
    pdf = data.get("pdf")
    if isinstance(pdf, dict) and isinstance(pdf.get("document"), str):
        named.add(pdf["document"])
    try:
        model: type[Entry] = ReceivedEntry if incoming else RegisterEntry
        return model.model_validate(data), []
    except ValidationError as exc:
        locator = Locator(text)
        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            line, column = locator.find(loc[:-1] if error["type"] == "missing" else loc)
            problems.append(Problem(shown, line, column, message_of(error)))
        return None, sorted(problems, key=lambda p: (p.line, p.column))


def load_register(ws: Workspace) -> tuple[list[StoredEntry], list[Problem]]:
    """Every valid entry of an issued document, and a problem for each register file that is not valid."""
    loaded = _load(ws)
    return loaded.stored, loaded.problems


def load_received(ws: Workspace) -> list[StoredReceived]:
    """Every valid entry of the incoming register (`register_problems` reports the invalid ones)."""
    return _load(ws).received


def _load(ws: Workspace) -> _Loaded:
    loaded = _Loaded([], [], [], [], set())
    withdrawals: dict[str, Withdrawal] = {}
    for year in register_years(ws):
        for path in sorted(register_folder(ws, year).iterdir()):
            _load_file(ws, year, path, loaded, withdrawals)
    replaced: dict[str, str] = {}
    for item in loaded.stored:
        if item.entry.corrects is not None:
            replaced.setdefault(item.entry.corrects, item.path.name)
    loaded.stored = [
        replace(item, withdrawn=withdrawals.get(item.path.name), replaced_by=replaced.get(item.path.name))
        for item in loaded.stored
    ]
    loaded.received = [replace(item, withdrawn=withdrawals.get(item.path.name)) for item in loaded.received]
    return loaded


def _load_file(ws: Workspace, year: int, path: Path, loaded: _Loaded, withdrawals: dict[str, Withdrawal]) -> None:
    shown = ws.relative(path)
    if path.name.startswith(".tmp-"):
        loaded.problems.append(
            Problem(shown, 1, 1, _("left over by an interrupted write: the next sop command that writes removes it"))
        )
        return
    if _WITHDRAWN.match(path.name) and path.is_file():
        withdrawal, found = _parse_withdrawal(path, shown)
        loaded.problems += found
        if withdrawal is not None and withdrawal.entry is None:
            loaded.gaps.append(withdrawal)
        elif withdrawal is not None and withdrawal.entry is not None:
            withdrawals[withdrawal.entry] = withdrawal
        return
    match = _NAME.match(path.name)
    if match is None or not path.is_file():
        loaded.problems.append(
            Problem(shown, 1, 1, _("unexpected file in the register (entries are named like out-0123-abcdef.yaml)"))
        )
        return
    entry, found = _parse(path, shown, loaded.named, match.group(1) == Series.incoming.value)
    loaded.problems += found
    if entry is None:
        return
    if (entry.series.value, entry.number, entry.year) != (match.group(1), int(match.group(2)), year):
        loaded.problems.append(
            Problem(
                shown,
                1,
                1,
                _(
                    "the file says {value} number {number} of {year}, but its name and folder say {group} number "
                    "{int} of {year2}"
                ).format(
                    value=entry.series.value,
                    number=entry.number,
                    year=entry.year,
                    group=match.group(1),
                    int=int(match.group(2)),
                    year2=year,
                ),
            )
        )
        return
    if isinstance(entry, ReceivedEntry):
        loaded.received.append(StoredReceived(entry, path, shown))
    else:
        loaded.stored.append(StoredEntry(entry, path, shown))


# --- the register's problems -------------------------------------------------------------------


_SERIES_WORDS = {
    Series.outgoing: N_("outgoing register"),
    Series.circular: N_("circulars"),
    Series.order: N_("order register"),
    Series.incoming: N_("incoming register"),
}


def _describe(item: StoredEntry | StoredReceived) -> str:
    e = item.entry
    if isinstance(e, ReceivedEntry):
        received = e.received.isoformat()
        return _("received letter '{subject}' from {sender} ({document}, received {received}; {shown})").format(
            subject=e.subject, sender=e.sender, document=e.document, received=received, shown=item.shown
        )
    return _("{kind} '{subject}' ({document}, issued {isoformat} by {by}; {shown})").format(
        kind=e.kind, subject=e.subject, document=e.document, isoformat=e.issued.isoformat(), by=e.by, shown=item.shown
    )


def register_problems(ws: Workspace) -> list[Problem]:
    """Every problem of the register: bad files, numbers issued twice, gaps, missing or altered documents."""
    loaded = _load(ws)
    problems = loaded.problems
    problems += _duplicates(loaded)
    problems += _gaps(ws, loaded)
    problems += _corrections(loaded)
    for item in loaded.stored:
        if item.withdrawn is None:
            problems += _document_problems(ws, item.shown, item.entry.document, item.entry.sha256)
            if item.entry.pdf is not None:
                problems += _document_problems(ws, item.shown, item.entry.pdf.document, item.entry.pdf.sha256)
    for received in loaded.received:
        if received.withdrawn is None:
            problems += _document_problems(ws, received.shown, received.entry.document, received.entry.sha256)
    named = {(ws.root / d).resolve() for d in loaded.named if not Path(d).is_absolute()}
    problems += _stray_documents(ws, named)
    return problems


def _duplicates(loaded: _Loaded) -> list[Problem]:
    by_number: dict[tuple[Series, int, int], list[StoredEntry | StoredReceived]] = defaultdict(list)
    for item in loaded.stored:
        if item.current:
            by_number[(item.entry.series, item.entry.year, item.entry.number)].append(item)
    for received in loaded.received:
        if received.withdrawn is None:
            by_number[(received.entry.series, received.entry.year, received.entry.number)].append(received)
    problems = []
    for (series, year, number), items in sorted(by_number.items()):
        if len(items) > 1:
            listed = " and ".join(_describe(i) for i in items)
            problems.append(
                Problem(
                    items[-1].shown,
                    1,
                    1,
                    _(
                        "number {number} of {year} of the {series} ({printed}) was issued {count} times, after a "
                        "merge of two clones: {listed}; keep one, withdraw the others with `sop register withdraw "
                        "'{printed}' --year {year} --entry FILE --reason TEXT` and issue their documents again"
                    ).format(
                        number=number,
                        year=year,
                        series=_(_SERIES_WORDS[series]),
                        printed=items[0].entry.printed,
                        count=len(items),
                        listed=listed,
                    ),
                )
            )
    return problems


def _gaps(ws: Workspace, loaded: _Loaded) -> list[Problem]:
    """Numbers below the highest of their series that no entry holds and no withdrawal explains."""
    held: dict[tuple[Series, int], set[int]] = defaultdict(set)
    printed: dict[tuple[Series, int], str] = {}
    items: list[StoredEntry | StoredReceived] = [*loaded.stored, *loaded.received]
    for item in items:
        key = (item.entry.series, item.entry.year)
        held[key].add(item.entry.number)
        printed[key] = item.entry.printed
    for gap in loaded.gaps:
        held[(gap.series, gap.year)].add(gap.number)
    problems = []
    for (series, year), numbers in sorted(held.items()):
        missing = sorted(set(range(1, max(numbers) + 1)) - numbers)
        if not missing:
            continue
        example = _printed_like(printed[(series, year)], series, missing[0], year)
        listed = ", ".join(str(n) for n in missing)
        problems.append(
            Problem(
                ws.relative(register_folder(ws, year)),
                1,
                1,
                _(
                    "the {series} of {year} has a gap: {listed} below the highest ({highest}) never issued here; "
                    "if a copy took them and lost them, withdraw each with `sop register withdraw '{example}' "
                    "--year {year} --gap --reason TEXT` (or `sop sync` first, when a colleague's copy has them)"
                ).format(
                    series=_(_SERIES_WORDS[series]),
                    year=year,
                    listed=listed,
                    highest=max(numbers),
                    example=example,
                ),
            )
        )
    return problems


def _printed_like(printed: str, series: Series, number: int, year: int) -> str:
    """Number `number` written as `printed` writes its series' numbers (Arabic digits, easy to type)."""
    from sop_cli.thai_calendar import arabic_digits

    if series is Series.order:
        return f"{number}/{year}"
    return re.sub(r"\d+$", str(number), arabic_digits(printed))


def _corrections(loaded: _Loaded) -> list[Problem]:
    """Corrected versions that name no entry of their number, or two versions replacing one."""
    by_name = {item.path.name: item for item in loaded.stored}
    replacing: dict[str, list[StoredEntry]] = defaultdict(list)
    problems = []
    for item in loaded.stored:
        corrects = item.entry.corrects
        if corrects is None:
            continue
        replacing[corrects].append(item)
        old = by_name.get(corrects)
        if old is None or (old.entry.series, old.entry.year, old.entry.number) != (
            item.entry.series,
            item.entry.year,
            item.entry.number,
        ):
            problems.append(
                Problem(
                    item.shown,
                    1,
                    1,
                    _("corrects: {file} is not an entry of number {printed}").format(
                        file=corrects, printed=item.entry.printed
                    ),
                )
            )
    for corrects, items in sorted(replacing.items()):
        live = [i for i in items if i.withdrawn is None]
        if len(live) > 1:
            listed = " and ".join(_describe(i) for i in live)
            problems.append(
                Problem(
                    live[-1].shown,
                    1,
                    1,
                    _(
                        "{file} was corrected twice, in two clones: {listed}; keep one, withdraw the other with "
                        "`sop register withdraw '{printed}' --year {year} --entry FILE --reason TEXT`"
                    ).format(file=corrects, listed=listed, printed=live[0].entry.printed, year=live[0].entry.year),
                )
            )
    return problems


def _document_problems(ws: Workspace, shown: str, document: str, sha256: str) -> list[Problem]:
    path = Path(document)
    if path.is_absolute():
        return []  # written outside the workspace with --out: another clone cannot see it
    full = ws.root / path
    if not full.resolve().is_relative_to(ws.root.resolve()):
        return [Problem(shown, 1, 1, _("document: {path} points outside the workspace").format(path=document))]
    if not full.is_file():
        return [Problem(shown, 1, 1, _("document: {path} is missing").format(path=document))]
    if sha256_of(full) != sha256:
        return [
            Problem(
                ws.relative(full), 1, 1, _("the document was altered after {entry} registered it").format(entry=shown)
            )
        ]
    return []


def _stray_documents(ws: Workspace, named: set[Path]) -> list[Problem]:
    root = ws.root / DOCUMENTS
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.resolve() not in named:
            message = (
                _("left over by an interrupted write; safe to delete")
                if path.name.startswith(".tmp-")
                else _("unexpected file: no register entry names it")
            )
            found.append(Problem(ws.relative(path), 1, 1, message))
    return found


def register_items(ws: Workspace, year: int | None = None, kind: DocKind | None = None) -> list[StoredEntry]:
    """The valid entries of a year (or every year) and kind, with their withdrawals, by year, series and number."""
    stored, _ = load_register(ws)
    items = [s for s in stored if (year is None or s.entry.year == year) and (kind is None or s.entry.kind == kind)]
    return sorted(
        items, key=lambda s: (s.entry.year, s.entry.series.value, s.entry.number, s.entry.version, s.entry.at)
    )


def received_items(ws: Workspace, year: int | None = None) -> list[StoredReceived]:
    """The valid entries of the incoming register of a year (or every year), by number."""
    items = [r for r in load_received(ws) if year is None or r.entry.year == year]
    return sorted(items, key=lambda r: (r.entry.year, r.entry.number, r.entry.at))


def gap_withdrawals(ws: Workspace, series: Series, year: int) -> list[Withdrawal]:
    """The withdrawals of numbers of `series` in `year` that no entry holds (gaps explained)."""
    return [g for g in _load(ws).gaps if g.series is series and g.year == year]


def list_register(ws: Workspace, year: int | None = None, kind: DocKind | None = None) -> list[RegisterEntry]:
    """The valid entries of a year (or every year) and kind, by year, series and number."""
    return [item.entry for item in register_items(ws, year, kind)]
