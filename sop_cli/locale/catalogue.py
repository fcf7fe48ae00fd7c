"""Keep the message catalogues in step with the code: extract the ids, update the Thai .po, compile the .mo.

    .venv/bin/python -m sop_cli.locale.catalogue          # after adding or changing a message
    .venv/bin/python -m sop_cli.locale.catalogue --check  # what the tests check: nothing out of date

Messages are the string arguments of `_()`, `ngettext()` and `N_()` anywhere in `sop_cli`, and the
docstrings of the command functions in `sop_cli/cli/` (Typer shows them as the commands' help).
`sop.pot` lists them; `th/LC_MESSAGES/sop.po` holds the Thai; `sop.mo` is the compiled form that
ships in the package. File names are kept beside each message, line numbers are not, so that an
unrelated edit does not change the catalogues. This needs Babel (the `test` extra); running `sop`
does not: the standard library's gettext reads the `.mo`.
"""

from __future__ import annotations

import argparse
import ast
import gettext
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

LOCALE = Path(__file__).resolve().parent
PACKAGE = LOCALE.parent
TEMPLATE = LOCALE / "sop.pot"
LANGUAGES = ("th",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
WIDTH = 100
HEADER = """\
# Messages of sop, the tracker of the supervision group's procedures.
# Update with: python -m sop_cli.locale.catalogue (see CONTRIBUTING.md, "Adding or changing a message").
#"""


def po_path(lang: str) -> Path:
    """The translations of `lang`."""
    return LOCALE / lang / "LC_MESSAGES" / "sop.po"


def mo_path(lang: str) -> Path:
    """The compiled translations of `lang`, as the package ships them."""
    return LOCALE / lang / "LC_MESSAGES" / "sop.mo"


def _command_docstrings(path: Path) -> Iterator[tuple[int, str]]:
    """Docstrings of functions decorated with `<app>.command(...)` or `<app>.callback(...)`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(call, ast.Attribute) and call.attr in ("command", "callback"):
                doc = ast.get_docstring(node, clean=True)
                if doc:
                    yield node.lineno, doc
                break


def extract() -> Catalog:
    """Every message of the code, as a catalogue template."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract as extract_messages

    catalog = Catalog(project="sop", domain="sop", fuzzy=False)
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.resolve() == Path(__file__).resolve():
            continue
        shown = path.relative_to(PACKAGE.parent).as_posix()
        with path.open("rb") as handle:
            for lineno, message, _comments, _context in extract_messages("python", handle, keywords=KEYWORDS):
                catalog.add(message, locations=[(shown, lineno)])
        if path.parent.name == "cli":
            for lineno, doc in _command_docstrings(path):
                catalog.add(doc, locations=[(shown, lineno)])
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    from babel.messages.pofile import write_po

    catalog.fuzzy = False
    catalog.header_comment = HEADER
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, sort_output=True, include_lineno=False, omit_header=False)
    # Babel writes its own version into the header: leave it out, or every Babel release would
    # make the committed files look out of date.
    return re.sub(rb'"Generated-By: [^"]*"\n', b"", buffer.getvalue())


def _mo_bytes(catalog: Catalog) -> bytes:
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _read_po(path: Path, lang: str | None = None) -> Catalog:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain="sop")


def _fixed_dates(catalog: Catalog) -> None:
    # The header's dates would change the files at every run; the history is in git.
    import datetime as dt

    catalog.creation_date = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    catalog.revision_date = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def expected() -> dict[Path, bytes]:
    """What the template, every .po and every .mo should hold for the code as it is."""
    from babel.messages.catalog import Catalog

    template = extract()
    _fixed_dates(template)
    files = {TEMPLATE: _po_bytes(template)}
    for lang in LANGUAGES:
        path = po_path(lang)
        catalog = _read_po(path, lang) if path.exists() else Catalog(locale=lang, domain="sop", project="sop")
        catalog.update(template, update_header_comment=False)
        catalog.obsolete.clear()  # a message gone from the code leaves the catalogue (git keeps it)
        _fixed_dates(catalog)
        catalog.language_team = "กลุ่มนิเทศ ติดตาม และประเมินผล"
        catalog.last_translator = "sop"
        files[path] = _po_bytes(catalog)
        files[mo_path(lang)] = _mo_bytes(_read_po_bytes(files[path], lang))
    return files


def _read_po_bytes(data: bytes, lang: str) -> Catalog:
    from babel.messages.pofile import read_po

    return read_po(io.BytesIO(data), locale=lang, domain="sop")


def _messages(mo: bytes) -> dict[object, str]:
    # The compiled file's messages without its header (which names the Babel that wrote it).
    translations = gettext.GNUTranslations(io.BytesIO(mo))
    return {key: value for key, value in translations._catalog.items() if key != ""}  # type: ignore[attr-defined]


def _same(path: Path, data: bytes) -> bool:
    if not path.exists():
        return False
    if path.suffix == ".mo":
        return _messages(path.read_bytes()) == _messages(data)
    return path.read_bytes() == data


def out_of_date() -> list[str]:
    """The catalogue files that differ from what the code asks for (empty when all is in step)."""
    return [str(path.relative_to(PACKAGE.parent)) for path, data in expected().items() if not _same(path, data)]


def untranslated(lang: str) -> list[str]:
    """Message ids of `lang`'s catalogue with no translation, or a fuzzy one."""
    catalog = _read_po(po_path(lang), lang)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main(argv: list[str] | None = None) -> int:
    """Update the catalogues, or with --check say which are out of date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is out of date")
    args = parser.parse_args(argv)
    if args.check:
        stale = out_of_date()
        for name in stale:
            print(f"out of date: {name}")
        return 1 if stale else 0
    for path, data in expected().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not _same(path, data):
            path.write_bytes(data)
            print(f"wrote {path.relative_to(PACKAGE.parent)}")
    for lang in LANGUAGES:
        missing = untranslated(lang)
        if missing:
            where = po_path(lang).relative_to(PACKAGE.parent)
            print(f"{lang}: {len(missing)} messages still need a translation in {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
