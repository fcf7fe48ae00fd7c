"""Convert documents with the real LibreOffice and read the PDF back page by page with poppler.

Without LibreOffice, poppler or the TH SarabunPSK font (page counts and line breaks depend on its
metrics: Debian's Laksaman stands in for it 1.5 times larger) the tests that use this module are
skipped on a developer's machine, and fail in CI (`CI=true`), where `.ci/run` installs all three.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sop_cli.rendering.docx_common import plain_text
from sop_cli.rendering.pdf import Pdf, find_libreoffice, to_pdf

FONT = "TH SarabunPSK"


def _missing() -> str | None:
    if find_libreoffice() is None:
        return "LibreOffice is not installed"
    for tool in ("pdftotext", "pdfinfo", "pdffonts", "fc-match"):
        if shutil.which(tool) is None:
            return f"{tool} (poppler-utils, fontconfig) is not installed"
    found = subprocess.run(["fc-match", "-f", "%{family}", FONT], capture_output=True, text=True, check=False)
    if FONT not in found.stdout:
        return f"the font {FONT} is not installed (fc-match gives {found.stdout!r})"
    return None


MISSING = _missing()
if MISSING and os.environ.get("CI") == "true":
    raise RuntimeError(f"CI must convert real documents: {MISSING} (see .ci/run)")
needs_libreoffice = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


def convert(docx: Path) -> Pdf:
    """The PDF/A-2b of `docx`, beside it."""
    return to_pdf(docx)


def page_count(pdf: Path) -> int:
    """The number of pages, as pdfinfo reads it."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match is not None, info
    return int(match.group(1))


def pages(pdf: Path) -> list[list[str]]:
    """The lines of text of each page (pdftotext -layout), stripped, empty ones left out."""
    found = []
    for number in range(1, page_count(pdf) + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        found.append([" ".join(line.split()) for line in text.splitlines() if line.strip()])
    return found


def page_of(found: list[list[str]], text: str) -> int:
    """The 0-based page whose text holds `text` on one line (spaces as pdftotext lays them out)."""
    wanted = " ".join(plain_text(text).split())
    hits = [i for i, lines in enumerate(found) if any(wanted in line for line in lines)]
    assert hits, f"{wanted!r} is on no line of any page"
    return hits[0]


def fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(name without its subset prefix, embedded) of every font, as pdffonts lists them."""
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in listing.splitlines()[2:]:
        columns = line.split()
        emb = columns[-5]  # name type encoding emb sub uni object ID
        rows.append((columns[0].split("+", 1)[-1], emb == "yes"))
    return rows
