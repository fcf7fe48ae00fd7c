"""Read the office's settings from `sop.toml`, with every problem placed."""

from __future__ import annotations

import datetime as dt
import re
import struct
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sop_cli.errors import InvalidFilesError, Problem
from sop_cli.i18n import _
from sop_cli.models.settings import OfficeTable, Settings
from sop_cli.workspace import Workspace

SETTINGS_FILE = "sop.toml"
_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _line_of(text: str, loc: tuple[Any, ...]) -> tuple[int, int]:
    # tomllib keeps no positions: find the key's line, inside its [table] when there is one.
    loc = tuple(part for part in loc if isinstance(part, str))  # an array item: its key's line
    table, key = (str(loc[0]), str(loc[-1])) if len(loc) > 1 else (None, str(loc[0]) if loc else "")
    in_table = table is None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            if table is None and stripped.strip("[] ") == key:
                return number, 1  # a problem of a whole table: its [header]
            in_table = table is not None and stripped.strip("[] ") == table
            continue
        if in_table and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number, line.index(key) + 1
    return 1, 1


def _read(ws: Workspace) -> tuple[Settings, list[Problem], str]:
    """The settings, the problems of the file's syntax and keys, and its text."""
    path = ws.root / SETTINGS_FILE
    if not path.is_file():
        return Settings(), [], ""
    shown = ws.relative(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        place = _TOML_PLACE.search(str(exc))
        line, column = (int(place.group(1)), int(place.group(2))) if place else (1, 1)
        message = _TOML_PLACE.sub("", str(exc)).strip()
        return Settings(), [Problem(shown, line, column, f"TOML syntax: {message}")], text
    try:
        return Settings.model_validate(data), [], text
    except ValidationError as exc:
        from sop_cli.loading.yaml_files import message_of

        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            line, column = _line_of(text, loc if error["type"] != "missing" else loc[:-1])
            problems.append(Problem(shown, line, column, message_of(error)))
        return Settings(), problems, text


def emblem_problem(path: Path) -> str | None:
    """Why the Garuda emblem at `path` cannot be placed in a document, or None when it can."""
    if not path.exists():
        return _("the Garuda emblem {path} does not exist").format(path=path)
    if not path.is_file():
        return _("the Garuda emblem {path} is not a file").format(path=path)
    try:
        blob = path.read_bytes()
    except OSError as exc:
        return _("cannot read the Garuda emblem {path}: {value}").format(path=path, value=exc.strerror or exc)
    # python-docx is imported only when an emblem is configured: the same parser places it later.
    from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
    from docx.image.image import Image

    try:
        Image.from_blob(blob)
    except (InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError, struct.error, ValueError):
        return _("the Garuda emblem {path} is not a PNG, JPEG, GIF, BMP or TIFF image").format(path=path)
    return None


def _office_problems(ws: Workspace, office: OfficeTable, text: str) -> list[Problem]:
    path = office.garuda_path(ws.root)
    if path is None:
        return []
    problem = emblem_problem(path)
    if problem is None:
        return []
    line, column = _line_of(text, ("office", "garuda"))
    return [Problem(ws.relative(ws.root / SETTINGS_FILE), line, column, f"office.garuda: {problem}")]


def settings_problems(ws: Workspace) -> tuple[Settings, list[Problem]]:
    """The workspace's settings (defaults when there is no file) and every problem of the file.

    Besides the file's syntax and keys, the Garuda emblem it names must be an image that exists.
    """
    settings, problems, text = _read(ws)
    if not problems:
        problems = _office_problems(ws, settings.office, text)
    return settings, problems


def load_settings(ws: Workspace) -> Settings:
    """The workspace's settings, or an error listing every problem of `sop.toml`'s syntax and keys."""
    settings, problems, _ = _read(ws)
    if problems:
        raise InvalidFilesError(problems)
    return settings


def load_office(ws: Workspace) -> OfficeTable:
    """The [office] table, refused while `sop.toml` has a problem or its Garuda is not an image."""
    settings, problems = settings_problems(ws)
    if problems:
        raise InvalidFilesError(problems)
    return settings.office


def academic_year_end(ws: Workspace, fy: int) -> dt.date:
    """The end of the academic year in fiscal year `fy`, from sop.toml [calendar].

    While sop.toml has a problem (which `sop check` reports with its line), the default date is
    used, so that deadlines and status still show.
    """
    settings, _, _ = _read(ws)
    return settings.calendar.academic_year_end_in(fy)
