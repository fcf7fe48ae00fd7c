"""Read the members of a committee from a YAML or CSV file, every problem placed at its line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import ValidationError

from sop_cli.errors import Problem, SopError
from sop_cli.i18n import _
from sop_cli.models.members import MemberRow, MembersFile

COLUMNS = ("name", "position", "role", "duties")
REQUIRED = ("name", "position", "role")
# Column titles an office types in Thai (in a spreadsheet saved as CSV) mean the same keys.
_THAI_COLUMNS = {
    "ชื่อ": "name",
    "ชื่อ-สกุล": "name",
    "ชื่อ - สกุล": "name",
    "ตำแหน่ง": "position",
    "ตำแหน่งในคณะกรรมการ": "role",
    "หน้าที่": "duties",
}


class MembersFileError(SopError):
    """The members file of an order has problems; every one is listed with its line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_members(path: Path, shown: str) -> tuple[MemberRow, ...]:
    """The members listed in `path` (.yaml, .yml or .csv), or an error naming every problem."""
    if not path.is_file():
        raise SopError(
            _("members file {shown} does not exist").format(shown=shown)
            if not path.exists()
            else _("{shown} is not a file").format(shown=shown)
        )
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _from_yaml(path, shown)
    if suffix == ".csv":
        return _from_csv(path, shown)
    raise SopError(
        _("members file {shown} must be .yaml, .yml or .csv (columns: {COLUMNS})").format(
            shown=shown, COLUMNS=", ".join(COLUMNS)
        )
    )


def _from_yaml(path: Path, shown: str) -> tuple[MemberRow, ...]:
    from sop_cli.loading.yaml_files import FileProblems, Locator, message_of, parse_yaml, read_text

    try:
        text = read_text(path, shown)
        data = parse_yaml(text, shown)
    except FileProblems as exc:
        raise MembersFileError(exc.problems) from None
    wrapped = isinstance(data, list)
    try:
        return MembersFile.model_validate({"members": data} if wrapped else data).members
    except ValidationError as exc:
        locator = Locator(text)
        problems = []
        errors = exc.errors(include_url=False)
        if len(errors) > 1:
            # pydantic also calls a list "too short" when an item of it is invalid: say the real problem.
            errors = [e for e in errors if e["type"] != "too_short"]
        for error in errors:
            loc = tuple(error["loc"])
            if error["type"] == "missing":
                loc = loc[:-1]
            found = loc[1:] if wrapped else loc  # a bare list has no `members` key in the file
            line, column = locator.find(found, on_key=error["type"] == "extra_forbidden")
            problems.append(Problem(shown, line, column, message_of(error)))
        raise MembersFileError(sorted(problems, key=lambda p: (p.line, p.column))) from None


def _from_csv(path: Path, shown: str) -> tuple[MemberRow, ...]:
    from sop_cli.loading.yaml_files import FileProblems, message_of, read_text

    try:
        # A BOM is what Excel writes at the start of "CSV UTF-8".
        text = read_text(path, shown).removeprefix("\ufeff")
    except FileProblems as exc:
        raise MembersFileError(exc.problems) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise MembersFileError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    _("the file is empty; the first line names the columns: {COLUMNS}").format(
                        COLUMNS=", ".join(COLUMNS)
                    ),
                )
            ]
        )
    keys = [_THAI_COLUMNS.get(cell.strip(), cell.strip()) for cell in header]
    problems = []
    for i, key in enumerate(keys):
        if key not in COLUMNS:
            problems.append(
                Problem(
                    shown,
                    1,
                    i + 1,
                    _("unknown column '{strip}' (columns: {COLUMNS})").format(
                        strip=header[i].strip(), COLUMNS=", ".join(COLUMNS)
                    ),
                )
            )
    for key in REQUIRED:
        if key not in keys:
            problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    _("missing column '{key}' (columns: {COLUMNS})").format(key=key, COLUMNS=", ".join(COLUMNS)),
                )
            )
    if problems:
        raise MembersFileError(problems)
    members = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        row = {key: cells[i] if i < len(cells) else "" for i, key in enumerate(keys)}
        try:
            members.append(MemberRow.model_validate(row))
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                key = str(error["loc"][0])
                column = keys.index(key) + 1 if key in keys else 1
                problems.append(Problem(shown, line, column, message_of(error)))
    if not members and not problems:
        problems.append(Problem(shown, 2, 1, _("no members: add one line per member under the column names")))
    if problems:
        raise MembersFileError(problems)
    return tuple(members)
