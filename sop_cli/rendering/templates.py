"""Word the documents from Jinja2 templates: the workspace's `templates/` first, then the package's.

A template renders plain text in a fixed convention (templates/README.md): the header lines
`เรื่อง …`, `เรียน …`, `อ้างถึง …`, `สิ่งที่ส่งมาด้วย …` first, then the body paragraphs separated by
blank lines (the lines of one paragraph joined directly between Thai letters, with a space
otherwise); in an order, a line `---` puts the paragraph after it below the list of members.
Jinja2 is imported inside the functions: `sop status` must not pay for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.models.base import control_character
from sop_cli.models.document_kinds import DOCUMENTS, DocKind

if TYPE_CHECKING:
    from jinja2 import Environment

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PACKAGE_SHOWN = "sop_cli/templates"
SUFFIX = ".txt.j2"
SUBJECT, ADDRESSEE, REFERENCE, ENCLOSURE = "เรื่อง", "เรียน", "อ้างถึง", "สิ่งที่ส่งมาด้วย"
LABELS = (SUBJECT, ADDRESSEE, REFERENCE, ENCLOSURE)
CLOSING_MARK = "---"
_HEADER = re.compile(rf"^({'|'.join(LABELS)})\s+(\S.*)$")
_SPACES = re.compile(r"[ \t]+")
_THAI = re.compile("[\u0e01-\u0e4f]")  # Thai letters, vowels and marks (not the Thai digits)


class TemplateProblem(SopError):
    """A template that cannot be read or rendered, or whose text breaks the convention."""


@dataclass(frozen=True)
class Wording:
    """What a template said: the header fields and the paragraphs, ready for a document model."""

    template: str  # the template used, as users find it: templates/memo.txt.j2
    subject: str
    addressee: str | None = None
    references: tuple[str, ...] = ()
    enclosures: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    closing: str | None = None  # an order's paragraph after the members (after `---`)


def template_names(kind: DocKind, procedure: int, step: int | None) -> list[str]:
    """Names to try, most specific first: `memo-03-01.txt.j2`, then `memo.txt.j2`."""
    base = DOCUMENTS[kind].command  # memo, letter, order
    specific = [f"{base}-{procedure:02d}-{step:02d}{SUFFIX}"] if step is not None else []
    return [*specific, f"{base}{SUFFIX}"]


def _environment(workspace_templates: Path) -> Environment:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    # Templates come from the shared repository: a committed template must not run code on every
    # colleague's machine. The sandbox refuses attributes such as __globals__ and __class__, and
    # (immutable) any method that changes a value.
    return ImmutableSandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(workspace_templates), FileSystemLoader(PACKAGE_TEMPLATES)]),
        undefined=StrictUndefined,  # a missing value is an error, never a silent blank
        autoescape=False,  # plain text, not HTML
        # No trim_blocks: it would also eat the line break after a tag that ends a line of text,
        # gluing `เรียน …` onto `เรื่อง …` or two paragraphs together.
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _shown(filename: str | None, workspace_templates: Path) -> str:
    if not filename:
        return "(template)"
    path = Path(filename).resolve()
    for folder, shown in ((workspace_templates, "templates"), (PACKAGE_TEMPLATES, PACKAGE_SHOWN)):
        if path.is_relative_to(folder.resolve()):
            return f"{shown}/{path.relative_to(folder.resolve()).as_posix()}"
    return str(path)


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    # Jinja2 rewrites the traceback so that frames of template code carry the template's file
    # name and line: the last such frame is where the template failed.
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_text(workspace_templates: Path, names: Sequence[str], context: Mapping[str, Any]) -> tuple[str, str]:
    """Render the first of `names` found; return (the template as users find it, the text)."""
    from jinja2 import TemplateError, TemplatesNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    env = _environment(workspace_templates)
    try:
        template = env.select_template(list(names))
    except TemplateSyntaxError as exc:
        where = _shown(exc.filename, workspace_templates)
        raise TemplateProblem(
            _("{where}:{lineno}: template syntax error: {message}").format(
                where=where, lineno=exc.lineno, message=exc.message
            )
        ) from None
    except TemplatesNotFound:
        raise TemplateProblem(
            _("no template {names} in templates/ or in the package (reinstall sop)").format(names=" or ".join(names))
        ) from None
    shown = _shown(template.filename, workspace_templates)
    try:
        text = template.render(**context)
    except SecurityError as exc:
        filename, line = _template_frame(exc)
        where = _shown(filename, workspace_templates) if filename else shown
        refused = _(
            "{where}:{line}: the template reaches into Python ({what}); a template may only use the values it is given"
        )
        what = str(exc.message or exc).rstrip(".")
        raise TemplateProblem(refused.format(where=where, line=line or 1, what=what)) from None
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
        filename, line = _template_frame(exc)
        where = _shown(filename, workspace_templates) if filename else shown
        message = exc.message if isinstance(exc, TemplateError) and exc.message else str(exc)
        raise TemplateProblem(f"{where}:{line or 1}: {message}") from None
    control = control_character(text)
    if control is not None:
        raise TemplateProblem(_("{where}: the text it gives contains {what}").format(where=shown, what=control))
    return shown, text


def parse_wording(text: str, shown: str, *, labels: Sequence[str], closing: bool = False) -> Wording:
    """Read a rendered template: header lines, paragraphs, and for an order the closing after `---`."""
    fields: dict[str, list[list[str]]] = {label: [] for label in LABELS}
    lines = text.splitlines()
    at = 0
    while at < len(lines) and not lines[at].strip():
        at += 1
    current: list[str] | None = None
    while at < len(lines) and lines[at].strip():
        line = lines[at].strip()
        match = _HEADER.match(line)
        if match is not None:
            label, value = match.groups()
            if label not in labels:
                raise TemplateProblem(
                    _("{shown}: the line '{label} …' has no place in this kind of document").format(
                        shown=shown, label=label
                    )
                )
            current = [value]
            fields[label].append(current)
        elif current is None:
            raise TemplateProblem(
                _("{shown}: the text must start with '{SUBJECT} …', not {line!r}").format(
                    shown=shown, SUBJECT=SUBJECT, line=line[:30]
                )
            )
        else:
            current.append(line)  # a long header value continues on the next line
        at += 1
    values = {label: [_join(parts) for parts in found] for label, found in fields.items()}
    if len(values[SUBJECT]) != 1:
        count = "no" if not values[SUBJECT] else _("more than one")
        raise TemplateProblem(
            _("{shown}: the text has {count} '{SUBJECT} …' line; it must start with exactly one").format(
                shown=shown, count=count, SUBJECT=SUBJECT
            )
        )
    if len(values[ADDRESSEE]) > 1:
        raise TemplateProblem(
            _("{shown}: the text has more than one '{ADDRESSEE} …' line").format(shown=shown, ADDRESSEE=ADDRESSEE)
        )
    before, after = _paragraphs(lines[at:], closing)
    if not before:
        raise TemplateProblem(
            _("{shown}: the text has no paragraph after its header lines and a blank line").format(shown=shown)
        )
    if len(after) > 1:
        raise TemplateProblem(
            _("{shown}: only one paragraph may follow '{CLOSING_MARK}' (it goes after the members)").format(
                shown=shown, CLOSING_MARK=CLOSING_MARK
            )
        )
    return Wording(
        template=shown,
        subject=values[SUBJECT][0],
        addressee=values[ADDRESSEE][0] if values[ADDRESSEE] else None,
        references=tuple(values[REFERENCE]),
        enclosures=tuple(values[ENCLOSURE]),
        body=tuple(before),
        closing=after[0] if after else None,
    )


def _join(lines: Sequence[str]) -> str:
    """Join the lines of one paragraph: directly between two Thai letters, with one space otherwise.

    Thai writes no space between words, so a line broken inside a phrase joins up without one;
    a space in the text (between phrases, around numbers and Latin text) stays on its line.
    """
    out = ""
    for line in lines:
        line = _SPACES.sub(" ", line.strip())
        if not line:
            continue
        if out and not (_THAI.match(out[-1]) and _THAI.match(line[0])):
            out += " "
        out += line
    return out


def paragraphs(lines: Sequence[str]) -> list[str]:
    """Paragraphs of plain text: separated by blank lines, the lines of one joined (see `_join`)."""
    return _paragraphs(lines, False)[0]


def _paragraphs(lines: Sequence[str], closing: bool) -> tuple[list[str], list[str]]:
    """Paragraphs before and after the closing mark."""
    parts: tuple[list[str], list[str]] = ([], [])
    side, current = 0, []
    for raw in [*lines, ""]:
        line = raw.strip()
        mark = closing and line == CLOSING_MARK
        if line and not mark:
            current.append(line)
            continue
        if current:
            parts[side].append(_join(current))
            current = []
        if mark:
            side = 1
    return parts
