"""Convert a .docx to PDF/A through LibreOffice headless, its fonts embedded, as e-saraban systems take it.

LibreOffice (7.4 or later, for the JSON filter options) converts in about a second. Each
conversion runs with a profile of its own in a temporary folder, so it works while the person has
LibreOffice open and two conversions can run at once. The PDF is written atomically beside the
.docx (or where asked) only after its PDF/A marker has been found.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.storage.atomic import write_bytes_atomic

PdfA = Literal[1, 2]  # PDF/A-1b or PDF/A-2b
TIMEOUT_SECONDS = 180.0  # the first start of LibreOffice after installing it takes a while
_PROGRAMS = ("soffice", "libreoffice")
_PDFA_PART = re.compile(rb"pdfaid:part(?:>|=[\"'])\s*(\d)")
_FONT = re.compile(rb"/BaseFont\s*/([A-Za-z0-9+#._-]+)")


class ConverterMissing(SopError):
    """LibreOffice is not installed where sop can find it."""


@dataclass(frozen=True)
class Pdf:
    """A PDF written from a .docx: where, its PDF/A part, and the fonts embedded in it."""

    path: Path
    pdfa_part: int  # 1 for PDF/A-1b, 2 for PDF/A-2b
    fonts: tuple[str, ...]  # as the PDF names them, subset prefix removed: THSarabunPSK

    def embeds(self, font: str) -> bool:
        """Whether `font` ("TH SarabunPSK") is embedded, not replaced by another font."""
        wanted = font.replace(" ", "").lower()
        return any(name.replace(" ", "").lower().startswith(wanted) for name in self.fonts)


def find_libreoffice() -> Path | None:
    """The LibreOffice program on this machine: on the PATH, or where its installers put it."""
    for name in _PROGRAMS:
        found = shutil.which(name)
        if found:
            return Path(found)
    places: list[Path] = []
    if sys.platform == "win32":
        for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
            if base:
                places.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    elif sys.platform == "darwin":
        places.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return next((p for p in places if p.is_file()), None)


def pdf_facts(data: bytes) -> tuple[int | None, tuple[str, ...]]:
    """The PDF/A part its XMP metadata declares (None if none) and the names of its fonts."""
    part = _PDFA_PART.search(data)
    names = {m.group(1).decode("ascii", "replace").split("+", 1)[-1] for m in _FONT.finditer(data)}
    return (int(part.group(1)) if part else None), tuple(sorted(names))


def to_pdf(docx: Path, pdf: Path | None = None, *, pdfa: PdfA = 2, program: Path | None = None) -> Pdf:
    """Write `docx` as PDF/A-`pdfa`b (beside it, or at `pdf`) with its fonts embedded; describe the result.

    A missing LibreOffice is a `ConverterMissing`; a failed conversion, or a PDF without the PDF/A
    marker (LibreOffice older than 7.4), is a `SopError`. Nothing is written then.
    """
    exe = program or find_libreoffice()
    if exe is None:
        raise ConverterMissing(
            _(
                "LibreOffice is not installed, so no PDF was written: install it (libreoffice.org, or "
                "apt-get install libreoffice-writer-nogui) and run the command again"
            )
        )
    target = pdf if pdf is not None else docx.with_suffix(".pdf")
    options = f'{{"SelectPdfVersion":{{"type":"long","value":"{pdfa}"}}}}'
    with tempfile.TemporaryDirectory(prefix="sop-pdf-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        command = [
            str(exe),
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            f"pdf:writer_pdf_Export:{options}",
            "--outdir",
            str(folder / "out"),
            str(docx),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired:
            raise SopError(
                _("LibreOffice did not convert {path} within {seconds} seconds").format(
                    path=docx, seconds=int(TIMEOUT_SECONDS)
                )
            ) from None
        except OSError as exc:
            raise ConverterMissing(
                _("cannot run LibreOffice ({program}): {reason}").format(program=exe, reason=exc.strerror or exc)
            ) from None
        produced = folder / "out" / f"{docx.stem}.pdf"
        if not produced.is_file():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise SopError(
                _("LibreOffice could not convert {path} to PDF: {detail}").format(
                    path=docx, detail=detail[-1] if detail else _("no message")
                )
            )
        data = produced.read_bytes()
    part, fonts = pdf_facts(data)
    if part != pdfa:
        raise SopError(
            _("LibreOffice wrote {path} without the PDF/A-{part}b marker; LibreOffice 7.4 or later is needed").format(
                path=target, part=pdfa
            )
        )
    write_bytes_atomic(target, data)
    return Pdf(target, part, fonts)


def pdf_of_bytes(data: bytes, name: str, program: Path | None = None) -> tuple[bytes, Pdf]:
    """The PDF/A-2b of a .docx given as bytes, converted in a folder of its own (nothing of the workspace touched)."""
    with tempfile.TemporaryDirectory(prefix="sop-pdf-source-", ignore_cleanup_errors=True) as tmp:
        source = Path(tmp) / name
        source.write_bytes(data)
        made = to_pdf(source, source.with_suffix(".pdf"), pdfa=2, program=program)
        return made.path.read_bytes(), made
