"""Fit the command-line parser to the person: help and usage errors in their language.

Typer builds click's command tree from the registered commands each time `sop` runs. Before the
tree parses anything, `localise` translates every help text in it (the texts stay English message
ids in the code, so the same process can speak either language), gives every command the shared
options `--root`, `--lang` and `-h/--help`, and replaces click's help page with ours, which wraps
Thai. The parser's own mistakes ("No such option", "Missing argument", "Invalid value", "Did you
mean") are plain English inside typer's vendored click: `usage_error` rebuilds each from the
exception's fields, in the person's language.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from difflib import get_close_matches
from enum import Enum
from typing import Any

# typer 0.26 and later vendor click as `typer._click`: its classes are the ones the parser raises.
from typer._click import core as click_core
from typer._click import exceptions as click_errors
from typer._click import types as click_types
from typer.core import TyperArgument, TyperGroup, TyperOption

from sop_cli.cli.values import OptionValueError
from sop_cli.i18n import LANGUAGES, N_, _, normalise
from sop_cli.rendering.terminal.help import HelpEntry, HelpPage, render_help

ARGUMENTS, OPTIONS, COMMANDS = N_("Arguments"), N_("Options"), N_("Commands")
HELP_TEXT = N_("Show this help and exit.")
ROOT_HELP = N_("Workspace folder (default: $SOP_ROOT, else the nearest folder above with sops/).")
LANG_HELP = N_("Language of the messages: th (the default) or en; also $SOP_LANG or [ui] lang in sop.toml.")

UsageError = click_errors.UsageError
Command = click_core.Command


def localise(command: click_core.Command, set_root: Any) -> None:
    """Translate the help of `command` and every subcommand; add the shared options to each."""
    for cmd in _walk(command):
        if cmd.help:
            cmd.help = _(cmd.help)
        if cmd.short_help:
            cmd.short_help = _(cmd.short_help)
        for param in cmd.params:
            if isinstance(param, TyperOption | TyperArgument) and param.help:
                param.help = _(param.help)
        cmd.add_help_option = False
        names = {name for param in cmd.params for name in param.opts}
        if "--root" not in names:
            cmd.params.append(_option(["--root"], ROOT_HELP, _remember_root(set_root), metavar=_("PATH")))
        if "--lang" not in names:
            cmd.params.append(_option(["--lang"], LANG_HELP, _check_language, metavar="|".join(LANGUAGES)))
        cmd.params.append(_option(["-h", "--help"], HELP_TEXT, _show_help, flag=True))


def _walk(command: click_core.Command) -> Iterator[click_core.Command]:
    yield command
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            yield from _walk(sub)


def _option(
    names: list[str], help_text: str, callback: Any, flag: bool = False, metavar: str | None = None
) -> TyperOption:
    return TyperOption(
        param_decls=names,
        type=click_types.BOOL if flag else click_types.STRING,
        is_flag=flag or None,
        default=False if flag else None,
        expose_value=False,
        is_eager=flag,
        callback=callback,
        metavar=metavar,
        help=_(help_text),
    )


def _check_language(ctx: click_core.Context, param: click_core.Parameter, value: str | None) -> None:
    # The language was chosen from the command line before parsing (cli.main); this only refuses
    # a language sop does not speak, in the language it fell back to.
    if value is not None and normalise(value) is None:
        message = _("'{value}' is not one of {choices}").format(value=value, choices=", ".join(LANGUAGES))
        raise click_errors.BadParameter(message, ctx=ctx, param=param)


def _remember_root(set_root: Any) -> Any:
    def remember(ctx: click_core.Context, param: click_core.Parameter, value: str | None) -> None:
        if value is not None:
            set_root(value)

    return remember


def _show_help(ctx: click_core.Context, param: click_core.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        render_help(help_page(ctx))
        ctx.exit()


def usage_line(path: str, command: click_core.Command) -> str:
    """`sop status [OPTIONS] [NUMBER]`: how `command`, called as `path`, is written."""
    pieces = [path]
    if any(isinstance(p, TyperOption) for p in command.params):
        pieces.append(_("[OPTIONS]"))
    for param in command.params:
        if isinstance(param, TyperArgument):
            pieces.append(_argument_name(param, usage=True))
    if isinstance(command, TyperGroup):
        pieces.append(_("COMMAND [ARGS]..."))
    return " ".join(pieces)


def failed_command(
    exc: click_errors.UsageError, root: click_core.Command, argv: list[str]
) -> tuple[str, click_core.Command]:
    """The path and command a mistake belongs to: its context's, else the command names in `argv`.

    The parser raises some mistakes (an option missing its value) without a context.
    """
    if exc.ctx is not None:
        return exc.ctx.command_path, exc.ctx.command
    path, command = "sop", root
    for arg in argv:
        sub = command.commands.get(arg) if isinstance(command, TyperGroup) else None
        if sub is not None:
            path, command = f"{path} {arg}", sub
    return path, command


def _argument_name(param: click_core.Parameter, usage: bool = False) -> str:
    name = (param.name or "").upper()
    if param.nargs != 1:
        name += "..."
    return f"[{name}]" if usage and not param.required else name


def _metavar(param: click_core.Parameter) -> str:
    if param.metavar:
        return param.metavar
    kind = param.type
    if hasattr(kind, "choices"):
        return "|".join(_plain(choice) for choice in kind.choices)
    if isinstance(kind, click_types.IntParamType | click_types.FloatParamType):
        return "N"
    if kind.name in ("path", "file", "directory", "filename"):
        return _("PATH")
    return _("TEXT")


def _plain(value: object) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def help_page(ctx: click_core.Context) -> HelpPage:
    """The help of the command of `ctx`, as the renderer draws it."""
    command = ctx.command
    arguments: list[HelpEntry] = []
    options: list[HelpEntry] = []
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        text = getattr(param, "help", None) or ""
        if isinstance(param, TyperArgument):
            arguments.append(HelpEntry(_argument_name(param), text))
            continue
        term = ", ".join(param.opts)
        if not getattr(param, "is_flag", False):
            term += " " + _metavar(param)
        default = param.default
        if param.required:
            text += "  " + _("[required]")
        elif default not in (None, False, (), []) and not callable(default) and param.expose_value:
            text += "  " + _("[default: {value}]").format(value=_plain(default))
        options.append(HelpEntry(term, text.strip()))
    commands: list[HelpEntry] = []
    if isinstance(command, TyperGroup):
        for name, sub in command.commands.items():
            if not sub.hidden:
                commands.append(HelpEntry(name, (sub.help or "").split("\n\n")[0].replace("\n", " ")))
    return HelpPage(
        usage=usage_line(ctx.command_path, ctx.command),
        text=inspect.cleandoc(command.help or ""),
        sections=((_(ARGUMENTS), tuple(arguments)), (_(OPTIONS), tuple(options)), (_(COMMANDS), tuple(commands))),
    )


def show_help_for(exc: click_errors.UsageError) -> bool:
    """Print the help page when the parser asks for it instead of an error (a group without command)."""
    if isinstance(exc, click_errors.NoArgsIsHelpError) and exc.ctx is not None:
        render_help(help_page(exc.ctx))
        return True
    return False


def _hint(exc: click_errors.BadParameter) -> str:
    if exc.param_hint is not None:
        hint = exc.param_hint
        return hint if isinstance(hint, str) else " / ".join(hint)
    param = exc.param
    if param is None:
        return ""
    if isinstance(param, TyperArgument):
        return _argument_name(param)
    return param.opts[0] if param.opts else (param.name or "")


_NOT_ONE_OF = re.compile(r"^'?(?P<value>.*?)'? is not one of (?P<choices>.+)\.$", re.S)
_NOT_NUMBER = re.compile(r"^'?(?P<value>.*?)'? is not a valid (?P<kind>int|integer|float)(?: range)?\.?$", re.S)
_OUT_OF_RANGE = re.compile(r"^(?P<value>.+?) is not in the range (?P<range>.+?)\.?$", re.S)
_NO_COMMAND = re.compile(r"^No such command '(?P<name>.*?)'\.?(?: Did you mean (?P<suggestions>.+)\?)?$", re.S)
_EXTRA = re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<words>.*)\)$", re.S)
_NEEDS_VALUE = re.compile(r"^Option '(?P<option>.+)' requires (?:an argument|(?P<count>\d+) arguments)\.$")
_NO_VALUE = re.compile(r"^Option '(?P<option>.+)' does not take a value\.$")


def usage_error(exc: click_errors.UsageError) -> str:
    """The parser's mistake as one sentence in the person's language, rebuilt from its fields."""
    if isinstance(exc, click_errors.NoSuchOption):
        message = _("there is no option {option}").format(option=exc.option_name)
        if exc.possibilities:
            message += " " + _("(did you mean {options}?)").format(options=", ".join(sorted(exc.possibilities)))
        return message
    if isinstance(exc, click_errors.MissingParameter):
        return _missing(exc)
    if isinstance(exc, OptionValueError):
        return exc.message
    if isinstance(exc, click_errors.BadParameter):
        return _("invalid value for {name}: {problem}").format(name=_hint(exc), problem=_bad_value(exc))
    if isinstance(exc, click_errors.BadOptionUsage):
        if found := _NEEDS_VALUE.match(exc.message):
            return _("option {option} needs a value").format(option=exc.option_name)
        if _NO_VALUE.match(exc.message):
            return _("option {option} takes no value").format(option=exc.option_name)
        return _("option {option} is not used correctly").format(option=exc.option_name)
    if found := _NO_COMMAND.match(exc.message):
        return _no_command(exc, found.group("name"))
    if found := _EXTRA.match(exc.message):
        words = found.group("words")
        return _("too many values: {words} (put text with spaces in quotes)").format(words=words)
    if exc.message.startswith("Missing command"):
        return _("which command? Choose one of the commands below")
    return exc.message


def _missing(exc: click_errors.MissingParameter) -> str:
    param = exc.param
    what = (getattr(param, "help", None) or "").rstrip(".") if param is not None else ""
    if isinstance(param, TyperArgument):
        name = _argument_name(param)
        message = _("{name} is missing").format(name=name)
    else:
        name = _hint(exc)
        message = _("option {option} is missing").format(option=name)
    return f"{message}: {what}" if what else message


def _bad_value(exc: click_errors.BadParameter) -> str:
    param = exc.param
    if found := _NOT_ONE_OF.match(exc.message):
        choices = getattr(param.type, "choices", ()) if param is not None else ()
        listed = ", ".join(_plain(c) for c in choices) or found.group("choices")
        return _("'{value}' is not one of {choices}").format(value=found.group("value"), choices=listed)
    if found := _NOT_NUMBER.match(exc.message):
        if found.group("kind") == "float":
            return _("'{value}' is not a number").format(value=found.group("value"))
        return _("'{value}' is not a whole number").format(value=found.group("value"))
    if found := _OUT_OF_RANGE.match(exc.message):
        return _("{value} is not in the range {range}").format(**found.groupdict())
    return exc.message


def _no_command(exc: click_errors.UsageError, name: str) -> str:
    message = _("there is no command {name}").format(name=name)
    group = exc.ctx.command if exc.ctx is not None else None
    known = list(group.commands) if isinstance(group, TyperGroup) else []
    suggestions = get_close_matches(name, known)
    if suggestions:
        message += " " + _("(did you mean {commands}?)").format(commands=", ".join(suggestions))
    return message
