"""Parse the text of an option into the typed value the actions take (`models/values.py`).

Each parser is a click parameter type: a mistake is a usage error of its option (exit 2, the
person's language, the usage line below it), raised before any workspace is read. The sentence
is complete, so `parsing.usage_error` prints it as it is.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from typer._click import core as click_core
from typer._click import exceptions as click_errors
from typer._click import types as click_types

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.models.values import Count, DeadlineRef, Evidence
from sop_cli.thai_calendar import arabic_digits

_COUNT = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


class OptionValueError(click_errors.BadParameter):
    """A value its option cannot take, said in one whole sentence (no "invalid value for" around it)."""


def count(text: str) -> Count:
    """`42/50` (Thai digits too) as a count of responses: received of expected."""
    match = _COUNT.fullmatch(arabic_digits(text))
    if match is None:
        raise ValueError(_("--count {text!r} is not a count such as 42/50 (received/expected)").format(text=text))
    received, expected = int(match.group(1)), int(match.group(2))
    if expected == 0 or received > expected:
        raise ValueError(
            _("--count {text}: received must be between 0 and expected, and expected at least 1").format(text=text)
        )
    return Count(received, expected)


def deadline_ref(text: str) -> DeadlineRef:
    """`6.4` or `๖.๔` as a rule's ref in Arabic digits; the procedure it belongs to checks it exists."""
    return DeadlineRef(arabic_digits(text.strip()))


def evidence(text: str) -> Evidence:
    """A file that exists and is a regular file, or an http(s) link (the size limit is the workspace's)."""
    from sop_cli.journal import evidence_item  # only commands given --evidence pay for the journal

    try:
        return evidence_item(text)
    except SopError as exc:
        raise ValueError(str(exc)) from None


class _Parsed(click_types.ParamType):
    """A click type that calls one of the parsers above; its ValueError is the option's usage error."""

    name = "text"  # the help shows TEXT, as before the values were typed

    def __init__(self, parse: Any, kind: type) -> None:
        self.parse, self.kind = parse, kind

    def convert(self, value: Any, param: click_core.Parameter | None, ctx: click_core.Context | None) -> Any:
        if isinstance(value, self.kind):
            return value
        _refuse_controls(param, str(value))
        try:
            return self.parse(str(value))
        except ValueError as exc:
            self._refuse(str(exc), param, ctx)

    @staticmethod
    def _refuse(message: str, param: click_core.Parameter | None, ctx: click_core.Context | None) -> NoReturn:
        raise OptionValueError(message, ctx=ctx, param=param)


def _refuse_controls(param: click_core.Parameter | None, text: str) -> None:
    # The same refusal (and exit 1) as the one-line options of cli/common.py: a control character
    # is a pasted mistake, told by name, not a malformed value.
    from sop_cli.models.base import control_character

    found = control_character(text, multiline=False)
    if found is not None:
        option = param.opts[0] if param is not None and param.opts else "text"
        raise SopError(_("{option} contains {what}; type it without").format(option=option, what=found))


COUNT = _Parsed(count, Count)
DEADLINE_REF = _Parsed(deadline_ref, DeadlineRef)
EVIDENCE = _Parsed(evidence, Evidence)
