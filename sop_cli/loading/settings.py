"""Read the office's settings from `sop.toml`, with every problem placed."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from pydantic import ValidationError

from sop_cli.errors import InvalidFilesError, Problem
from sop_cli.models.settings import Settings
from sop_cli.workspace import Workspace

SETTINGS_FILE = "sop.toml"
_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _line_of(text: str, loc: tuple[Any, ...]) -> tuple[int, int]:
    # tomllib keeps no positions: find the key's line, inside its [table] when there is one.
    table, key = (str(loc[0]), str(loc[-1])) if len(loc) > 1 else (None, str(loc[0]) if loc else "")
    in_table = table is None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = table is not None and stripped.strip("[] ") == table
            if in_table and len(loc) == 1:
                return number, 1
            continue
        if in_table and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number, line.index(key) + 1
    return 1, 1


def settings_problems(ws: Workspace) -> tuple[Settings, list[Problem]]:
    """The workspace's settings (defaults when there is no file) and every problem of the file."""
    path = ws.root / SETTINGS_FILE
    if not path.is_file():
        return Settings(), []
    shown = ws.relative(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        place = _TOML_PLACE.search(str(exc))
        line, column = (int(place.group(1)), int(place.group(2))) if place else (1, 1)
        message = _TOML_PLACE.sub("", str(exc)).strip()
        return Settings(), [Problem(shown, line, column, f"TOML syntax: {message}")]
    try:
        return Settings.model_validate(data), []
    except ValidationError as exc:
        from sop_cli.loading.yaml_files import message_of

        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            line, column = _line_of(text, loc if error["type"] != "missing" else loc[:-1])
            problems.append(Problem(shown, line, column, message_of(error)))
        return Settings(), problems


def load_settings(ws: Workspace) -> Settings:
    """The workspace's settings, or an error listing every problem of `sop.toml`."""
    settings, problems = settings_problems(ws)
    if problems:
        raise InvalidFilesError(problems)
    return settings
