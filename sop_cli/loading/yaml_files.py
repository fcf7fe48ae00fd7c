"""Read YAML files safely and validate them into models, reporting every problem with its place."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import ScalarNode

from sop_cli.errors import Loc, Problem
from sop_cli.i18n import _

MAX_FILE_BYTES = 5 * 1024 * 1024
# A procedure file has a few thousand nodes; far more means an alias bomb or a mistake.
MAX_EXPANDED_NODES = 200_000

M = TypeVar("M", bound=BaseModel)


class _SafeStringDates(SafeConstructor):
    """Keep timestamps as strings so that pydantic reports an impossible date with its place."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)


class _RoundTripStringDates(RoundTripConstructor):
    """Round-trip twin of `_SafeStringDates`, used only to find positions."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        assert isinstance(node, ScalarNode)
        return self.construct_scalar(node)


_SafeStringDates.add_constructor("tag:yaml.org,2002:timestamp", _SafeStringDates.construct_yaml_timestamp)
_RoundTripStringDates.add_constructor("tag:yaml.org,2002:timestamp", _RoundTripStringDates.construct_yaml_timestamp)


class FileProblems(Exception):
    """Problems that stop a file from being read at all (not UTF-8, too large, bad YAML)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]))
        self.problems = problems


@functools.cache
def _fast_yaml() -> YAML:
    yaml = YAML(typ="safe", pure=False)
    yaml.Constructor = _SafeStringDates
    return yaml


def _positions_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _RoundTripStringDates
    return yaml


def read_text(path: Path, shown: str) -> str:
    """Return the UTF-8 text of `path`, refusing files that are too large or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileProblems(
                [
                    Problem(
                        shown,
                        1,
                        1,
                        f"file is {size / 1048576:.1f} MB, above the limit of {MAX_FILE_BYTES // 1048576} MB",
                    )
                ]
            )
        data = path.read_bytes()
    except OSError as exc:
        raise FileProblems([Problem(shown, 1, 1, f"cannot read the file: {exc.strerror}")]) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileProblems(
            [Problem(shown, line, column, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8")]
        ) from exc


def _yaml_error(shown: str, exc: YAMLError) -> Problem:
    if isinstance(exc, MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        what = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        return Problem(shown, mark.line + 1, mark.column + 1, f"YAML syntax: {what}{context}")
    return Problem(shown, 1, 1, f"YAML syntax: {exc}")


def _expanded_size(data: Any, limit: int) -> int:
    """Count nodes as if aliases were copied, stopping once past `limit`."""
    memo: dict[int, int] = {}

    def size(obj: Any) -> int:
        key = id(obj)
        if key in memo:
            return memo[key]
        if isinstance(obj, dict):
            total = 1 + sum(size(k) + size(v) for k, v in obj.items())
        elif isinstance(obj, list):
            total = 1 + sum(size(v) for v in obj)
        else:
            return 1
        total = min(total, limit + 1)
        memo[key] = total
        return total

    return size(data)


def _first_alias(text: str) -> tuple[int, int]:
    for event in YAML(typ="rt").parse(text):
        if isinstance(event, AliasEvent) and event.start_mark is not None:
            return event.start_mark.line + 1, event.start_mark.column + 1
    return 1, 1


_CONFLICT_START = re.compile(r"^<{7}(?: |$)", re.MULTILINE)
_CONFLICT_END = re.compile(r"^>{7}(?: |$)", re.MULTILINE)


def conflict_problem(text: str, shown: str) -> Problem | None:
    """A problem at the first git conflict marker of `text`, or None when it has none."""
    if "<<<<<<<" not in text:
        return None
    start = _CONFLICT_START.search(text)
    if start is None or _CONFLICT_END.search(text, start.end()) is None:
        return None
    line = text.count("\n", 0, start.start()) + 1
    return Problem(
        shown,
        line,
        1,
        _(
            "git conflict: the file still holds the marker lines of a merge (<<<<<<<, =======, >>>>>>>); run "
            "`sop sync --abort` to go back to before the merge, or keep one side and delete the marker lines"
        ),
    )


def parse_yaml(text: str, shown: str) -> Any:
    """Parse `text` with the fast C loader; refuse git conflicts, YAML errors and alias bombs."""
    conflict = conflict_problem(text, shown)
    if conflict is not None:
        raise FileProblems([conflict])
    try:
        data = _fast_yaml().load(text)
    except YAMLError as exc:
        raise FileProblems([_yaml_error(shown, exc)]) from exc
    if _expanded_size(data, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
        line, column = _first_alias(text)
        raise FileProblems(
            [Problem(shown, line, column, f"aliases expand to more than {MAX_EXPANDED_NODES} nodes; refusing to load")]
        )
    return data


def field_path(loc: Loc) -> str:
    """Write a pydantic location the way a user reads it: rows[3].steps[1].hours."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(top level)"


class Locator:
    """Find line and column of a location in a YAML text, parsing it with positions once."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._tree: Any = None

    def _root(self) -> Any:
        if self._tree is None:
            try:
                self._tree = _positions_yaml().load(self._text)
            except YAMLError:
                self._tree = {}
        return self._tree

    def find(self, loc: Loc, on_key: bool = False) -> tuple[int, int]:
        """Return 1-based (line, column) of `loc`, or of its nearest existing parent."""
        node = self._root()
        line, column = 0, 0
        if hasattr(node, "lc"):
            line, column = node.lc.line, node.lc.col
        for i, part in enumerate(loc):
            last = i == len(loc) - 1
            if isinstance(node, dict) and isinstance(part, str) and part in node:
                if hasattr(node, "lc"):
                    line, column = node.lc.key(part) if (on_key and last) else node.lc.value(part)
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                if hasattr(node, "lc"):
                    line, column = node.lc.item(part)
                node = node[part]
            elif isinstance(node, dict | list):
                # A name pydantic adds for a union branch: not in the file, skip it.
                continue
            else:
                break
        return line + 1, column + 1


_PLAIN_TYPES: dict[str, str] = {
    "missing": "missing required field",
    "extra_forbidden": "unknown key",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "string_type": "expected text",
    "bool_type": "expected true or false",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "dict_type": "expected a mapping of keys to values",
    "model_type": "expected a mapping of keys to values",
    "model_attributes_type": "expected a mapping of keys to values",
    "date_from_datetime_parsing": "not a valid date (write YYYY-MM-DD, a day that exists)",
    "date_parsing": "not a valid date (write YYYY-MM-DD, a day that exists)",
    "date_from_datetime_inexact": "not a valid date (write YYYY-MM-DD)",
    "date_type": "not a valid date (write YYYY-MM-DD)",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
}


_BOUNDS: dict[str, str] = {
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
}


def message_of(error: Any) -> str:
    """One plain line for one pydantic error: the field path, then what is wrong."""
    kind = error["type"]
    loc: Loc = tuple(error["loc"])
    if kind == "missing":
        return f"{field_path(loc)}: missing required field"
    if kind == "extra_forbidden":
        return f"{field_path(loc)}: unknown key '{loc[-1]}'"
    if kind == "value_error":
        text = str(error["msg"]).removeprefix("Value error, ")
        return f"{field_path(loc)}: {text}"
    ctx = error.get("ctx") or {}
    if kind in _BOUNDS:
        plain = _BOUNDS[kind].format(**ctx)
    elif kind in ("literal_error", "enum"):
        plain = f"must be one of {ctx.get('expected', '')}"
    elif kind == "union_tag_invalid":
        plain = f"unknown kind {ctx.get('tag', '')!r}; use one of {ctx.get('expected_tags', '')}"
    elif kind == "string_pattern_mismatch":
        plain = (
            "must be lowercase letters, digits and _ (an id such as inspection_visit)"
            if "a-z" in str(ctx.get("pattern", ""))
            else "must be an http:// or https:// address without spaces"
        )
    else:
        plain = _PLAIN_TYPES.get(kind, str(error["msg"]))
    value = error.get("input")
    shown = f", got {value!r}" if isinstance(value, str | int | float) and kind not in ("string_too_short",) else ""
    if isinstance(value, str) and len(value) > 40:
        shown = f", got {value[:40]!r}…"
    return f"{field_path(loc)}: {plain}{shown}"


def _error_loc(error: Any) -> Loc:
    loc: Loc = tuple(error["loc"])
    # A missing field is reported at the mapping that should hold it.
    return loc[:-1] if error["type"] == "missing" else loc


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated model with the text it came from, for locating later cross-file problems."""

    model: M
    path: Path
    shown: str
    text: str


def load_model(model: type[M], path: Path, shown: str) -> tuple[Loaded[M] | None, list[Problem]]:
    """Read and validate one file into `model`; return it, or every problem found."""
    try:
        text = read_text(path, shown)
        data = parse_yaml(text, shown)
    except FileProblems as exc:
        return None, exc.problems
    if data is None:
        return None, [Problem(shown, 1, 1, "the file is empty")]
    try:
        return Loaded(model.model_validate(data), path, shown, text), []
    except ValidationError as exc:
        locator = Locator(text)
        problems = []
        for error in exc.errors(include_url=False):
            line, column = locator.find(_error_loc(error), on_key=error["type"] == "extra_forbidden")
            problems.append(Problem(shown, line, column, message_of(error)))
        return None, sorted(problems, key=lambda p: (p.line, p.column))


def problems_at(loaded: Loaded[Any], findings: Iterable[tuple[Loc, str]]) -> list[Problem]:
    """Turn (location, message) findings about a loaded file into placed problems."""
    found = list(findings)
    if not found:
        return []
    locator = Locator(loaded.text)
    problems = []
    for loc, message in found:
        line, column = locator.find(loc)
        problems.append(Problem(loaded.shown, line, column, f"{field_path(loc)}: {message}"))
    return problems
