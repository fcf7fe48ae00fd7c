"""Lay out the Thai official documents (memo, external letter, order) as .docx files.

The layout follows docs/thai-official-documents.md (the 2526 regulation on official correspondence
and the 2010 typing explanation). python-docx is imported inside the functions: `sop status` must
not pay for it.

Page 1 and the later pages start at different heights: the Garuda's top edge is 1.5 cm below the
sheet's top on page 1, the text of later pages starts 2.5 cm below it. One section cannot have two
top margins, so the top margin is 2.5 cm (later pages) and page 1 gets its own header
("different first page"): the header starts 1.5 cm from the top (the header distance) and holds
the emblem, so page 1's body begins right under the emblem's foot, where Word and LibreOffice push
it when a header is taller than the margin. The header of the later pages holds the page number,
also at 1.5 cm, above their 2.5 cm text line.

What ends a document is one block that a page break never cuts: the last two paragraphs of text,
the closing formula, the signature and, in a letter, the drafting unit, its telephone and e-mail
and สำเนาส่ง (keep with next, keep lines together; widow control leaves two lines of a split
paragraph on each page). So the last page always carries text above the signature.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.models.documents import CommitteeMember, ExternalLetter, Memo, OfficeSettings, Order, Signed
from sop_cli.rendering.docx_common import (
    BODY_PT,
    FIRST_LINE_CM,
    SPACE_BEFORE_PT,
    TEXT_WIDTH_CM,
    Properties,
    Tab,
    Writer,
    cm,
    joined,
    office_digits,
    save_document,
    twips,
    whole_name,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

__all__ = ["GarudaImageError", "build_letter", "build_memo", "build_order", "office_digits", "save_document"]

MEMO_LABEL_PT = 20.0
MEMO_TITLE_PT = 29.0
SIGNATURE_AXIS_CM = 9.8  # the closing formula, the name and the positions are centred here
MEMO_DATE_CM = 8.0  # วันที่ starts about the middle of the text width
LETTER_ADDRESS_CM = 10.0
LETTER_DATE_CM = 8.0
MEMO_EMBLEM_CM = 1.5
MEMO_TITLE_RAISE_CM = 0.4  # lifts บันทึกข้อความ from the emblem's foot to the middle of its band
EMBLEM_CM = 3.0
SIGNATURE_ROOM_LINES = 3
GARUDA_PLACEHOLDER = "ตำแหน่งตราครุฑ (placeholder)"
# Clause 11: when the copy list is long, print "ส่งไปตามรายชื่อที่แนบ" and attach the list. Up to
# this many agencies (a line each) stay under สำเนาส่ง: with the closing block they fit on a page.
COPIES_IN_LETTER = 5
COPIES_ATTACHED = "ส่งไปตามรายชื่อที่แนบ"
TEXT_LINES_BEFORE_SIGNATURE = 2  # paragraphs of text kept with the signature (widow control: 2+ lines)

# Value columns of the letter's labelled lines: the label, then the value from this indent.
_LABEL_COLUMN_CM = {"เรื่อง": 1.25, "เรียน": 1.25, "อ้างถึง": 1.5, "สิ่งที่ส่งมาด้วย": 2.75, "สำเนาส่ง": 2.0}
# Value columns of the memo's header lines (labels in 20 pt bold): continuation lines align here.
_MEMO_VALUE_CM = {"ส่วนราชการ": 2.6, "เรื่อง": 1.25}
# The committee: the number (right-aligned, so ๙. and ๑๐. end together), the full name, the
# position in the office, the role. From the left margin, 16 cm in all: a name of 4.7 cm (with
# its title, 16 pt TH SarabunPSK) fits on one line, a position of 5.7 cm, and every role but
# กรรมการและผู้ช่วยเลขานุการ (4.4 cm), which breaks after "และ".
MEMBER_COLUMNS_CM = (1.0, 4.9, 5.9, 4.2)
MEMBER_GAP_CM = 0.15  # between columns (the right padding of each cell)
_EFFECTIVE = re.compile(r"\s*(ทั้งนี้\s*ตั้งแต่.*)$")


class GarudaImageError(SopError):
    """The configured Garuda emblem is missing or not an image python-docx can place."""


def _properties(settings: OfficeSettings, kind: str, number: str, doc: Signed, subject: str) -> Properties:
    title = office_digits(f"{kind} ที่ {number}", settings.thai_digits)
    return Properties(title, office_digits(subject, settings.thai_digits), settings.office_name, doc.issued)


def build_memo(memo: Memo, settings: OfficeSettings) -> Document:
    """Lay out an internal memo (บันทึกข้อความ)."""
    w = _Writer(settings)
    w.properties(_properties(settings, "บันทึกข้อความ", memo.number, memo, memo.subject))
    w.memo_band()
    w.memo_field("ส่วนราชการ", memo.unit)
    w.memo_number_and_date(memo.number, memo.date)
    w.memo_field("เรื่อง", memo.subject, before=SPACE_BEFORE_PT)
    w.run(w.para(before=SPACE_BEFORE_PT), f"เรียน  {memo.addressee}")
    w.body(memo.body)
    end = w.closing_block_start()
    w.signature(memo)
    w.keep_together_from(end)
    return w.doc


def build_letter(letter: ExternalLetter, settings: OfficeSettings) -> Document:
    """Lay out an external letter (หนังสือภายนอก)."""
    w = _Writer(settings)
    w.properties(_properties(settings, "หนังสือ", letter.number, letter, letter.subject))
    w.centred_emblem()
    w.letter_number_and_address(letter.number, letter.office_address)
    w.run(w.para(left=LETTER_DATE_CM), letter.date)
    w.labelled("เรื่อง", [letter.subject])
    w.labelled("เรียน", [letter.addressee])
    w.labelled("อ้างถึง", letter.references)
    w.labelled("สิ่งที่ส่งมาด้วย", letter.enclosures)
    w.body(letter.body)
    end = w.closing_block_start()
    w.on_axis(letter.closing, before=BODY_PT)
    w.signature(letter)
    w.letter_contact(letter)
    attached = len(letter.copies_to) > COPIES_IN_LETTER
    w.labelled("สำเนาส่ง", [COPIES_ATTACHED] if attached else letter.copies_to)
    w.keep_together_from(end)
    if attached:
        w.copies_page(letter)
    if len(letter.distribution) > COPIES_IN_LETTER:
        w.list_page("รายชื่อส่วนราชการที่ส่ง", letter, letter.distribution)
    return w.doc


def build_order(order: Order, settings: OfficeSettings) -> Document:
    """Lay out an order (คำสั่ง), with its committee members when it appoints one."""
    w = _Writer(settings)
    w.properties(_properties(settings, "คำสั่ง", order.number, order, order.subject))
    w.centred_emblem()
    w.run(w.para(align="center"), order.issuer, bold=True)
    w.run(w.para(align="center"), f"ที่ {order.number}")
    w.run(w.para(align="center"), f"เรื่อง {order.subject}")
    w.short_rule()
    w.body(order.preamble)
    w.members(order.ordered_members())
    after_members = len(w.doc.paragraphs)
    # "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป" is a paragraph of its own, after the committee's duties.
    w.body(closing_paragraphs(order.closing))
    # The block starts after the members: their table keeps its own rows together.
    end = max(after_members, w.closing_block_start()) if order.members else w.closing_block_start()
    w.on_axis(f"สั่ง ณ วันที่ {order.signed_on}", before=BODY_PT)
    w.signature(order)
    w.keep_together_from(end)
    return w.doc


def closing_paragraphs(text: str) -> list[str]:
    """An order's closing as its paragraphs: the duties, then "ทั้งนี้ ตั้งแต่…" on its own."""
    match = _EFFECTIVE.search(text)
    if match is None or match.start() == 0:
        return [text]
    return [text[: match.start()].rstrip(), match.group(1)]


def duties_text(duties: str) -> str:
    """A member's duties as orders write them: introduced by มีหน้าที่."""
    return duties if duties.startswith(("มีหน้าที่", "หน้าที่", "ให้มีหน้าที่")) else f"มีหน้าที่{duties}"


class _Writer(Writer):
    """An official document under construction, with the office's font, digits and emblem."""

    def __init__(self, settings: OfficeSettings) -> None:
        super().__init__(settings.font, settings.thai_digits, lambda text: office_digits(text, settings.thai_digits))
        self.settings = settings
        self._emblem = _read_emblem(settings.garuda_path)
        self.page_number_header()

    def body(self, paragraphs: Iterable[str]) -> None:
        """Add body paragraphs: 6 pt before, 2.5 cm first line, Thai distributed justification."""
        for text in paragraphs:
            self.run(self.para(align="thai", before=SPACE_BEFORE_PT, first=FIRST_LINE_CM), text)

    def on_axis(self, text: str, before: float = 0.0) -> Paragraph:
        """Add a line centred on the signature axis (indent so the centre falls on the axis)."""
        p = self.para(align="center", before=before, left=2 * SIGNATURE_AXIS_CM - TEXT_WIDTH_CM)
        self.run(p, text)
        return p

    def closing_block_start(self) -> int:
        """Where the block that ends the document starts: two paragraphs of text before what follows."""
        return max(len(self.doc.paragraphs) - TEXT_LINES_BEFORE_SIGNATURE, 0)

    def keep_together_from(self, start: int) -> None:
        """Keep the paragraphs from `start` to the end on one page.

        The paragraphs of text at its start may still split (widow control leaves two lines of
        each part); the lines of every other paragraph of the block stay together.
        """
        block = self.doc.paragraphs[start:]
        for index, paragraph in enumerate(block):
            if index >= TEXT_LINES_BEFORE_SIGNATURE or paragraph.paragraph_format.first_line_indent is None:
                paragraph.paragraph_format.keep_together = True
            if index < len(block) - 1:
                paragraph.paragraph_format.keep_with_next = True

    def signature(self, doc: Signed) -> None:
        """Add the signature room, "(name)", the position lines and, when acting, for whom."""
        self.blank(SIGNATURE_ROOM_LINES)
        self.on_axis(f"({whole_name(doc.signatory)})")
        positions = list(doc.positions)
        if doc.acting is not None and doc.acting_for is not None:
            positions[-1] = f"{positions[-1]} {doc.acting}"
            positions.append(doc.acting_for)
        for position in positions:
            self.on_axis(position)

    def labelled(self, label: str, items: Sequence[str]) -> None:
        """Add a label and its values in a column (numbered when several): เรื่อง, อ้างถึง, …"""
        column = _LABEL_COLUMN_CM[label]
        numbered = [f"{i}. {item}" for i, item in enumerate(items, 1)] if len(items) > 1 else list(items)
        for i, item in enumerate(numbered):
            if i == 0:
                p = self.para(before=SPACE_BEFORE_PT, left=column, first=-column, tabs=[Tab(column)])
                self.run(p, f"{label}\t{item}")
            else:
                self.run(self.para(left=column), item)

    # -- page 1's header: the emblem --

    def emblem(self, paragraph: Paragraph, height_cm: float) -> None:
        """Place the Garuda scaled to `height_cm` (aspect kept), or a transparent box that size."""
        run = self.run(paragraph, "")
        if self._emblem is None:
            shape = run.add_picture(io.BytesIO(_transparent_png()), width=cm(height_cm), height=cm(height_cm))
            shape._inline.docPr.set("descr", GARUDA_PLACEHOLDER)
        else:
            shape = run.add_picture(io.BytesIO(self._emblem), height=cm(height_cm))
        # Without explicit zero distances LibreOffice keeps 0.3 cm around an inline picture, which
        # moves the memo's emblem off the left margin.
        for side in ("distT", "distB", "distL", "distR"):
            shape._inline.set(side, "0")

    def centred_emblem(self) -> None:
        """Put the 3 cm Garuda centred at the top of page 1 (letter, order)."""
        self.emblem(self.para(self.first_page_header(), align="center"), EMBLEM_CM)

    # -- pieces of one kind each --

    def memo_band(self) -> None:
        """Put the 1.5 cm Garuda at the left margin and บันทึกข้อความ centred on the same band."""
        p = self.para(self.first_page_header(), tabs=[Tab(TEXT_WIDTH_CM / 2, "center")])
        self.emblem(p, MEMO_EMBLEM_CM)
        self.run(p, "\t")
        _raise(self.run(p, "บันทึกข้อความ", MEMO_TITLE_PT, bold=True), MEMO_TITLE_RAISE_CM)

    def memo_field(self, label: str, value: str, before: float = 0.0) -> None:
        """Add a memo header line: 20 pt bold label, 16 pt value, dots to the right margin.

        A value longer than a line continues under its first letter, as the letters' values do.
        """
        column = _MEMO_VALUE_CM[label]
        tabs = [Tab(column), Tab(TEXT_WIDTH_CM, "right", dots=True)]
        p = self.para(before=before, left=column, first=-column, tabs=tabs)
        self.run(p, label, MEMO_LABEL_PT, bold=True)
        self.run(p, f"\t{value}\t")

    def memo_number_and_date(self, number: str, date: str) -> None:
        """Add ที่ and, on the same line from the middle, วันที่, each followed by dots."""
        tabs = [Tab(MEMO_DATE_CM, dots=True), Tab(TEXT_WIDTH_CM, "right", dots=True)]
        p = self.para(tabs=tabs)
        self.run(p, "ที่", MEMO_LABEL_PT, bold=True)
        self.run(p, f"  {number}\t")
        self.run(p, "วันที่", MEMO_LABEL_PT, bold=True)
        self.run(p, f"  {date}\t")

    def letter_number_and_address(self, number: str, address: Sequence[str]) -> None:
        """Add ที่ at the left and the office's address block from 10 cm, on the same top line."""
        first = self.para(left=LETTER_ADDRESS_CM, first=-LETTER_ADDRESS_CM, tabs=[Tab(LETTER_ADDRESS_CM)])
        self.run(first, f"ที่ {number}\t{address[0]}")
        for line in address[1:]:
            self.run(self.para(left=LETTER_ADDRESS_CM), line)

    def letter_contact(self, letter: ExternalLetter) -> None:
        """Add the drafting unit, โทร., โทรสาร and อีเมล at the bottom left."""
        self.blank()
        lines = [
            letter.drafting_unit,
            f"โทร. {letter.telephone}",
            *([f"โทรสาร {letter.fax}"] if letter.fax else []),
            *([f"อีเมล {letter.email}"] if letter.email else []),
        ]
        for line in lines:
            self.run(self.para(), line)

    def copies_page(self, letter: ExternalLetter) -> None:
        """The list of agencies sent a copy, on a page of its own after the letter (clause 11)."""
        self.list_page("รายชื่อส่วนราชการที่ส่งสำเนา", letter, letter.copies_to)

    def list_page(self, title_text: str, letter: ExternalLetter, names: Sequence[str]) -> None:
        """A numbered list of agencies attached on a page of its own, naming the letter it belongs to."""
        title = self.para(align="center", new_page=True, keep=True)
        self.run(title, title_text, bold=True)
        self.run(self.para(align="center", keep=True), f"แนบท้ายหนังสือ ที่ {letter.number} ลงวันที่ {letter.date}")
        hang = 1.0
        for i, name in enumerate(names, 1):
            before = SPACE_BEFORE_PT if i == 1 else 0.0
            p = self.para(before=before, left=FIRST_LINE_CM, first=-hang, tabs=[Tab(FIRST_LINE_CM)])
            self.run(p, f"{i}.\t{name}")

    def short_rule(self) -> None:
        """Add the short centred rule under an order's title lines (a bottom border, 4 cm)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        p = self.doc.add_paragraph()
        border = OxmlElement("w:pBdr")
        attrs = {qn("w:val"): "single", qn("w:sz"): "6", qn("w:space"): "1", qn("w:color"): "auto"}
        border.append(OxmlElement("w:bottom", attrs))
        p._p.get_or_add_pPr().append(border)
        side = (TEXT_WIDTH_CM - 4.0) / 2
        self.para(p, align="center", left=side, right=side)
        p.paragraph_format.line_spacing = Pt(SPACE_BEFORE_PT)

    def members(self, members: Sequence[CommitteeMember]) -> None:
        """Add the numbered committee members: name, position, role, and their duties under them.

        A member's row never splits across pages, and the row of their duties stays on its page.
        """
        if not members:
            return
        table = self._member_table()
        for number, member in enumerate(members, 1):
            role = "".join(joined(part) for part in re.split(r"(?<=และ)", member.role) if part)
            cells = [f"{number}.", whole_name(member.name, breakable=True), member.position, role]
            self._member_row(table, cells, keep=bool(member.duties))
            if member.duties:
                self._member_row(table, ["", duties_text(member.duties)])

    def _member_table(self) -> Table:
        """An empty borderless table of the members' columns, fixed widths, from the left margin."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        table: Table = self.doc.add_table(rows=0, cols=len(MEMBER_COLUMNS_CM))
        table.autofit = False
        for column, width in zip(table.columns, MEMBER_COLUMNS_CM, strict=True):
            column.width = cm(width)
        tbl_pr = table._tbl.tblPr
        tbl_pr.insert_element_before(
            OxmlElement("w:tblW", {qn("w:w"): twips(sum(MEMBER_COLUMNS_CM)), qn("w:type"): "dxa"}),
            *_TBLPR_AFTER_TBLW,
        )
        tbl_pr.insert_element_before(OxmlElement("w:tblLayout", {qn("w:type"): "fixed"}), *_TBLPR_AFTER_LAYOUT)
        # No left padding, so each column's text starts at its edge; the gap is the right padding.
        margins = OxmlElement("w:tblCellMar")
        for side, padding in (("w:left", "0"), ("w:right", twips(MEMBER_GAP_CM))):
            margins.append(OxmlElement(side, {qn("w:w"): padding, qn("w:type"): "dxa"}))
        tbl_pr.insert_element_before(margins, *_TBLPR_AFTER_CELLMAR)
        return table

    def _member_row(self, table: Table, cells: Sequence[str], keep: bool = False) -> BaseOxmlElement:
        """Append a row that never splits; the last cell spans the columns left; `keep`: with the next row."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        tr = OxmlElement("w:tr")
        tr_pr = OxmlElement("w:trPr")
        tr_pr.append(OxmlElement("w:cantSplit"))
        tr.append(tr_pr)
        for index, text in enumerate(cells):
            spanned = MEMBER_COLUMNS_CM[index:] if index == len(cells) - 1 else (MEMBER_COLUMNS_CM[index],)
            tc = OxmlElement("w:tc")
            tc_pr = OxmlElement("w:tcPr")
            tc_pr.append(OxmlElement("w:tcW", {qn("w:w"): twips(sum(spanned)), qn("w:type"): "dxa"}))
            if len(spanned) > 1:
                tc_pr.append(OxmlElement("w:gridSpan", {qn("w:val"): str(len(spanned))}))
            tc.append(tc_pr)
            p = OxmlElement("w:p")
            p_pr = OxmlElement("w:pPr")
            if keep:
                p_pr.append(OxmlElement("w:keepNext"))
            p_pr.append(OxmlElement("w:keepLines"))
            if index == 0:
                p_pr.append(OxmlElement("w:jc", {qn("w:val"): "right"}))
            p.append(p_pr)
            r = OxmlElement("w:r")
            r.append(self.rpr(BODY_PT, False))
            t = OxmlElement("w:t", {qn("xml:space"): "preserve"})
            t.text = self.text(text)
            r.append(t)
            p.append(r)
            tc.append(p)
            tr.append(tc)
        table._tbl.append(tr)
        return tr


# -- XML helpers --

_TBLPR_AFTER_TBLW = ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
                     "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")  # fmt: skip
_TBLPR_AFTER_LAYOUT = ("w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_TBLPR_AFTER_CELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription")


def _raise(run: Run, by_cm: float) -> None:
    """Raise `run` above the baseline (w:position, half-points) to centre it on an emblem band."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    half_points = str(round(by_cm / 2.54 * 72 * 2))
    rpr = run._r.find(qn("w:rPr"))
    if rpr is not None:
        rpr.insert_element_before(OxmlElement("w:position", {qn("w:val"): half_points}), "w:sz")


# -- the emblem --


def _read_emblem(path: Path | None) -> bytes | None:
    """Return the emblem's bytes, checked to be an image python-docx can place, or None."""
    if path is None:
        return None
    from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
    from docx.image.image import Image

    try:
        blob = path.read_bytes()
        Image.from_blob(blob)
    except OSError as e:
        message = _("Cannot read the Garuda emblem {path}: {reason}.")
        raise GarudaImageError(message.format(path=path, reason=e.strerror or e)) from None
    except (InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError, struct.error, ValueError):
        message = _("The Garuda emblem {path} is not a readable PNG, JPEG, GIF, BMP or TIFF image.")
        raise GarudaImageError(message.format(path=path)) from None
    return blob


def _transparent_png() -> bytes:
    """Return a 1×1 fully transparent PNG: the placeholder that keeps the emblem's room."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)  # 1×1, 8-bit RGBA
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")  # filter byte, then one transparent pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
