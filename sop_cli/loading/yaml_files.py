"""Read YAML files safely and validate them into models, reporting every problem with its place."""

from __future__ import annotations

import functools
import os
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
# Control characters but tab and line breaks: no text file of sop holds them, and they break
# terminals (escape sequences), .docx and .xlsx.
_FILE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
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


def _workspace_of(path: Path, shown: str) -> Path | None:
    """The folder `shown` is relative to, when `path` is that folder joined with `shown`.

    Files of the workspace are shown relative to it (sops/02-….yaml): such a file must really be
    in it. A file the user named (--members, --body-file) is shown as given and may be anywhere.
    """
    # Strings, not Path objects: `sop status` asks this for 5,000 event files.
    tail = os.path.normpath(shown)
    full = str(path)
    if tail.startswith((os.sep, "..")) or ":" in tail[:2] or not full.endswith(os.sep + tail):
        return None  # shown as an absolute path, or not the end of `path`
    return _folder(full[: -len(tail) - 1])


@functools.lru_cache(maxsize=64)
def _folder(text: str) -> Path:
    return Path(text)


def read_text(path: Path, shown: str, *, inside: Path | None = None) -> str:
    """Return the UTF-8 text of `path`, refusing what is not a regular file, too large, or not UTF-8.

    A file of the workspace (shown relative to it) must resolve inside it, links followed, or
    inside `inside` when given: a link out of the workspace is refused without reading it.
    """
    from sop_cli.storage.paths import UnreadableFile, read_regular

    try:
        data = read_regular(path, MAX_FILE_BYTES, inside=inside or _workspace_of(path, shown))
    except UnreadableFile as exc:
        raise FileProblems([Problem(shown, 1, 1, str(exc))]) from None
    except OSError as exc:
        raise FileProblems(
            [Problem(shown, 1, 1, _("cannot read the file: {strerror}").format(strerror=exc.strerror))]
        ) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileProblems(
            [
                Problem(
                    shown,
                    line,
                    column,
                    _("not UTF-8 text (byte 0x{data:02x}); save the file as UTF-8").format(data=data[exc.start]),
                )
            ]
        ) from exc
    control = _FILE_CONTROLS.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        code = f"U+{ord(control.group()):04X}"
        message = _("a control character ({code}) in the text; remove it").format(code=code)
        raise FileProblems([Problem(shown, line, column, message)])
    return text


def _yaml_error(shown: str, exc: YAMLError) -> Problem:
    if isinstance(exc, MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        what = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        return Problem(
            shown, mark.line + 1, mark.column + 1, _("YAML syntax: {what}{context}").format(what=what, context=context)
        )
    return Problem(shown, 1, 1, f"YAML syntax: {exc}")


def _expanded_size(data: Any, limit: int) -> int:
    """Count nodes as if aliases were copied, stopping once past `limit`.

    Iterative (a stack, not recursion): a deeply nested file must not break the counting. A
    collection that contains itself (`&a [*a]`) expands without end: past any limit.
    """
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        obj, children_done = stack.pop()
        if not isinstance(obj, dict | list) or id(obj) in sizes:
            continue
        children = [*obj.keys(), *obj.values()] if isinstance(obj, dict) else obj
        if children_done:
            visiting.discard(id(obj))
            sizes[id(obj)] = min(1 + sum(sizes.get(id(c), 1) for c in children), limit + 1)
            continue
        visiting.add(id(obj))
        stack.append((obj, True))
        for child in children:
            if isinstance(child, dict | list) and id(child) not in sizes:
                if id(child) in visiting:
                    return limit + 1
                stack.append((child, False))
    return sizes.get(id(data), 1)


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


# Collections nested deeper than this are refused before they are built: the C composer and
# the parser that finds positions recurse, and a few thousand levels crash the process.
MAX_DEPTH = 100


def _too_deep(text: str, limit: int = MAX_DEPTH) -> tuple[int, int] | None:
    """Where `text` nests collections more than `limit` levels deep (1-based line, column), or None.

    Reads the C parser's event stream, which keeps its own stack (no recursion), and stops at
    the first level too deep: a millisecond for a procedure file, as little for a hostile one.
    """
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    depth = 0
    try:
        for event in _fast_yaml().parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > limit:
                    mark = event.start_mark
                    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        return None  # a syntax error: the parser reports it with its place
    return None


def parse_yaml(text: str, shown: str) -> Any:
    """Parse `text` with the fast C loader; refuse git conflicts, deep nesting, YAML errors and alias bombs."""
    conflict = conflict_problem(text, shown)
    if conflict is not None:
        raise FileProblems([conflict])
    deep = _too_deep(text)
    if deep is not None:
        line, column = deep
        message = _("nested more than {limit} levels deep; refusing to load the file").format(limit=MAX_DEPTH)
        raise FileProblems([Problem(shown, line, column, message)])
    try:
        data = _fast_yaml().load(text)
    except YAMLError as exc:
        raise FileProblems([_yaml_error(shown, exc)]) from exc
    if _expanded_size(data, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
        line, column = _first_alias(text)
        raise FileProblems(
            [
                Problem(
                    shown,
                    line,
                    column,
                    _("aliases expand to more than {MAX_EXPANDED_NODES} nodes; refusing to load").format(
                        MAX_EXPANDED_NODES=MAX_EXPANDED_NODES
                    ),
                )
            ]
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
        return _("{field_path}: missing required field").format(field_path=field_path(loc))
    if kind == "extra_forbidden":
        return _("{field_path}: unknown key '{loc}'").format(field_path=field_path(loc), loc=loc[-1])
    if kind == "value_error":
        text = str(error["msg"]).removeprefix("Value error, ")
        return f"{field_path(loc)}: {text}"
    ctx = error.get("ctx") or {}
    if kind == "union_tag_not_found":
        key = ctx.get("discriminator", "type")
        what = _("no {key} key, which says what kind of record this is (is it a sop file?)").format(key=key)
        return f"{field_path(loc)}: {what}"
    if kind in _BOUNDS:
        plain = _BOUNDS[kind].format(**ctx)
    elif kind in ("literal_error", "enum"):
        plain = _("must be one of {get}").format(get=ctx.get("expected", ""))
    elif kind == "union_tag_invalid":
        plain = _("unknown kind {get!r}; use one of {get2}").format(
            get=ctx.get("tag", ""), get2=ctx.get("expected_tags", "")
        )
    elif kind == "string_pattern_mismatch":
        plain = (
            _("must be lowercase letters, digits and _ (an id such as inspection_visit)")
            if "a-z" in str(ctx.get("pattern", ""))
            else _("must be an http:// or https:// address without spaces")
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
        return None, [Problem(shown, 1, 1, _("the file is empty"))]
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
