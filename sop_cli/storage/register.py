"""The register of issued numbers: `register/<BE year>/<series>-<number>-<random>.yaml`, one per number.

A number is taken under the records lock as the highest number of its series and year in this
checkout plus one, and its file is created exclusively, so one checkout never issues a number
twice. The random part of the name lets two clones that took the same number merge in git
without a conflict; `register_problems` then names both documents.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sop_cli.errors import Problem, SopError
from sop_cli.models.register import DocKind, RegisterEntry, Series, Withdrawal
from sop_cli.storage.atomic import write_text_atomic
from sop_cli.storage.records import new_id, sha256_of
from sop_cli.workspace import Workspace

REGISTER = "register"
DOCUMENTS = "documents"  # documents generated without a run: documents/<BE year>/
_NAME = re.compile(r"^(out|order)-(\d{1,6})-([a-z0-9]{4,12})\.yaml$")
_WITHDRAWN = re.compile(r"^withdrawn-(out|order)-(\d{1,6})-([a-z0-9]{4,12})\.yaml$")
_FIRST = ("schema_version", "series", "year", "number", "printed")


@dataclass(frozen=True)
class StoredEntry:
    """A register entry with the file it came from."""

    entry: RegisterEntry
    path: Path
    shown: str  # the path as users see it, relative to the workspace
    withdrawn: Withdrawal | None = None


def register_folder(ws: Workspace, year: int) -> Path:
    """The folder of the numbers issued in Buddhist Era year `year`."""
    return ws.root / REGISTER / str(year)


def unregistered_documents_folder(ws: Workspace, year: int) -> Path:
    """Where documents generated without a run go by default."""
    return ws.root / DOCUMENTS / str(year)


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
            match = _NAME.match(path.name)
            if match and match.group(1) == series.value:
                highest = max(highest, int(match.group(2)))
    return highest + 1


def entry_yaml(entry: RegisterEntry | Withdrawal) -> str:
    """The text of an entry file: one key per line, every value in JSON form (which is also YAML)."""
    data = entry.model_dump(mode="json")
    first = [k for k in _FIRST if k in data]
    ordered = {k: data[k] for k in first} | {k: v for k, v in data.items() if k not in first}
    return "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in ordered.items())


def write_entry(ws: Workspace, entry: RegisterEntry, before: Callable[[Path], None] | None = None) -> Path:
    """Create the entry's file once, never replacing one (the caller holds the records lock).

    `before` is told each path just before it is created (the journal's list of files to undo).
    """
    folder = register_folder(ws, entry.year)
    for _ in range(5):
        path = folder / f"{entry.series.value}-{entry.number:04d}-{new_id(6)}.yaml"
        if before is not None:
            before(path)
        try:
            write_text_atomic(path, entry_yaml(entry), exclusive=True)
        except FileExistsError:
            continue  # the same random part: draw another
        return path
    raise SopError(f"could not create a register file in {ws.relative(folder)}; try again")


def withdrawal_path(ws: Workspace, withdrawal: Withdrawal) -> Path:
    """A new file name for a withdrawal: `register/2569/withdrawn-out-0012-abcdef.yaml`."""
    folder = register_folder(ws, withdrawal.year)
    return folder / f"withdrawn-{withdrawal.series.value}-{withdrawal.number:04d}-{new_id(6)}.yaml"


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


def _parse(path: Path, shown: str, named: set[str]) -> tuple[RegisterEntry | None, list[Problem]]:
    from pydantic import ValidationError

    from sop_cli.loading.yaml_files import FileProblems, Locator, message_of, parse_yaml, read_text

    try:
        text = read_text(path, shown)
        data = parse_yaml(text, shown)
    except FileProblems as exc:
        return None, exc.problems
    if not isinstance(data, dict):
        return None, [Problem(shown, 1, 1, "expected a mapping of keys to values")]
    if isinstance(data.get("document"), str):
        named.add(data["document"])  # even an invalid entry keeps its document from looking stray
    try:
        return RegisterEntry.model_validate(data), []
    except ValidationError as exc:
        locator = Locator(text)
        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            line, column = locator.find(loc[:-1] if error["type"] == "missing" else loc)
            problems.append(Problem(shown, line, column, message_of(error)))
        return None, sorted(problems, key=lambda p: (p.line, p.column))


def load_register(ws: Workspace) -> tuple[list[StoredEntry], list[Problem]]:
    """Every valid entry of the register, and a problem for each file that is not one."""
    stored, problems, _ = _load(ws)
    return stored, problems


def _load(ws: Workspace) -> tuple[list[StoredEntry], list[Problem], set[str]]:
    named: set[str] = set()
    stored: list[StoredEntry] = []
    problems: list[Problem] = []
    withdrawals: dict[str, Withdrawal] = {}
    for year in register_years(ws):
        for path in sorted(register_folder(ws, year).iterdir()):
            shown = ws.relative(path)
            if path.name.startswith(".tmp-"):
                problems.append(
                    Problem(
                        shown, 1, 1, "left over by an interrupted write: the next sop command that writes removes it"
                    )
                )
                continue
            if _WITHDRAWN.match(path.name) and path.is_file():
                withdrawal, found = _parse_withdrawal(path, shown)
                problems += found
                if withdrawal is not None:
                    withdrawals[withdrawal.entry] = withdrawal
                continue
            match = _NAME.match(path.name)
            if match is None or not path.is_file():
                problems.append(
                    Problem(
                        shown, 1, 1, "unexpected file in the register (entries are named like out-0123-abcdef.yaml)"
                    )
                )
                continue
            entry, found = _parse(path, shown, named)
            problems += found
            if entry is None:
                continue
            if (entry.series.value, entry.number, entry.year) != (match.group(1), int(match.group(2)), year):
                problems.append(
                    Problem(
                        shown,
                        1,
                        1,
                        f"the file says {entry.series.value} number {entry.number} of {entry.year}, "
                        f"but its name and folder say {match.group(1)} number {int(match.group(2))} of {year}",
                    )
                )
                continue
            stored.append(StoredEntry(entry, path, shown))
    stored = [replace(item, withdrawn=withdrawals.get(item.path.name)) for item in stored]
    return stored, problems, named


def _describe(item: StoredEntry) -> str:
    e = item.entry
    return f"{e.kind} '{e.subject}' ({e.document}, issued {e.issued.isoformat()} by {e.by}; {item.shown})"


def register_problems(ws: Workspace) -> list[Problem]:
    """Every problem of the register: bad files, numbers issued twice, missing or altered documents."""
    stored, problems, documents = _load(ws)
    by_number: dict[tuple[Series, int, int], list[StoredEntry]] = defaultdict(list)
    for item in stored:
        if item.withdrawn is None:
            by_number[(item.entry.series, item.entry.year, item.entry.number)].append(item)
    for (series, year, number), items in sorted(by_number.items()):
        if len(items) > 1:
            what = "order" if series is Series.order else "outgoing"
            listed = " and ".join(_describe(i) for i in items)
            problems.append(
                Problem(
                    items[-1].shown,
                    1,
                    1,
                    f"{what} number {number} of {year} ({items[0].entry.printed}) was issued {len(items)} times, "
                    f"after a merge of two clones: {listed}; keep one, withdraw the others with "
                    f"`sop register withdraw {items[0].entry.printed} --entry FILE --reason TEXT` "
                    "and issue their documents again",
                )
            )
    for item in stored:
        if item.withdrawn is None:
            problems += _document_problems(ws, item)
    named = {(ws.root / d).resolve() for d in documents if not Path(d).is_absolute()}
    problems += _stray_documents(ws, named)
    return problems


def _document_problems(ws: Workspace, item: StoredEntry) -> list[Problem]:
    document = Path(item.entry.document)
    if document.is_absolute():
        return []  # written outside the workspace with --out: another clone cannot see it
    path = ws.root / document
    if not path.resolve().is_relative_to(ws.root.resolve()):
        return [Problem(item.shown, 1, 1, f"document: {document} points outside the workspace")]
    if not path.is_file():
        return [Problem(item.shown, 1, 1, f"document: {document} is missing")]
    if sha256_of(path) != item.entry.sha256:
        return [Problem(ws.relative(path), 1, 1, f"the document was altered after {item.shown} registered it")]
    return []


def _stray_documents(ws: Workspace, named: set[Path]) -> list[Problem]:
    root = ws.root / DOCUMENTS
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.resolve() not in named:
            message = (
                "left over by an interrupted write; safe to delete"
                if path.name.startswith(".tmp-")
                else "unexpected file: no register entry names it"
            )
            found.append(Problem(ws.relative(path), 1, 1, message))
    return found


def register_items(ws: Workspace, year: int | None = None, kind: DocKind | None = None) -> list[StoredEntry]:
    """The valid entries of a year (or every year) and kind, with their withdrawals, by year, series and number."""
    stored, _ = load_register(ws)
    items = [s for s in stored if (year is None or s.entry.year == year) and (kind is None or s.entry.kind == kind)]
    return sorted(items, key=lambda s: (s.entry.year, s.entry.series.value, s.entry.number, s.entry.issued))


def list_register(ws: Workspace, year: int | None = None, kind: DocKind | None = None) -> list[RegisterEntry]:
    """The valid entries of a year (or every year) and kind, by year, series and number."""
    return [item.entry for item in register_items(ws, year, kind)]
