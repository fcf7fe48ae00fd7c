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
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sop_cli.errors import SopError
from sop_cli.models.documents import CommitteeMember, ExternalLetter, Memo, OfficeSettings, Order
from sop_cli.storage.atomic import write_bytes_atomic
from sop_cli.thai_calendar import thai_digits

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.shared import Length
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

TEXT_WIDTH_CM = 16.0  # A4 21 cm less the 3 cm left and 2 cm right margins
BODY_PT = 16.0
MEMO_LABEL_PT = 20.0
MEMO_TITLE_PT = 29.0
SPACE_BEFORE_PT = 6.0  # "one Enter plus 6 pt" before เรื่อง, เรียน, อ้างถึง, … and body paragraphs
FIRST_LINE_CM = 2.5
SIGNATURE_AXIS_CM = 9.8  # the closing formula, the name and the positions are centred here
MEMO_DATE_CM = 8.0  # วันที่ starts about the middle of the text width
LETTER_ADDRESS_CM = 10.0
LETTER_DATE_CM = 8.0
MEMO_EMBLEM_CM = 1.5
MEMO_TITLE_RAISE_CM = 0.4  # lifts บันทึกข้อความ from the emblem's foot to the middle of its band
EMBLEM_CM = 3.0
SIGNATURE_ROOM_LINES = 3
GARUDA_PLACEHOLDER = "ตำแหน่งตราครุฑ (placeholder)"

# E-mail addresses and URLs keep their Latin digits (the reference, section 2).
_KEEP_DIGITS = re.compile(r"[^\s@]+@[^\s@]+|(?:https?://|www\.)\S+")
# Value columns of the letter's labelled lines: the label, then the value from this indent.
_LABEL_COLUMN_CM = {"เรื่อง": 1.25, "เรียน": 1.25, "อ้างถึง": 1.5, "สิ่งที่ส่งมาด้วย": 2.75, "สำเนาส่ง": 2.0}
_MEMBER_COLUMNS_CM = (4.6, 4.9, 4.0)  # name, position, role; the table starts at FIRST_LINE_CM
_NUMBER_HANG_CM = 0.6

_Align = Literal["left", "center", "thai"]


class GarudaImageError(SopError):
    """The configured Garuda emblem is missing or not an image python-docx can place."""


@dataclass(frozen=True)
class _Tab:
    """A tab stop: position from the left margin, alignment, dotted leader or not."""

    at_cm: float
    kind: Literal["left", "center", "right"] = "left"
    dots: bool = False


def build_memo(memo: Memo, settings: OfficeSettings) -> Document:
    """Lay out an internal memo (บันทึกข้อความ)."""
    w = _Writer(settings, memo.subject)
    w.memo_band()
    w.memo_field("ส่วนราชการ", memo.unit)
    w.memo_number_and_date(memo.number, memo.date)
    w.memo_field("เรื่อง", memo.subject, before=SPACE_BEFORE_PT)
    w.run(w.para(before=SPACE_BEFORE_PT), f"เรียน  {memo.addressee}")
    w.body(memo.body)
    w.signature(memo.signatory, memo.positions)
    return w.doc


def build_letter(letter: ExternalLetter, settings: OfficeSettings) -> Document:
    """Lay out an external letter (หนังสือภายนอก)."""
    w = _Writer(settings, letter.subject)
    w.centred_emblem()
    w.letter_number_and_address(letter.number, letter.office_address)
    w.run(w.para(left=LETTER_DATE_CM), letter.date)
    w.labelled("เรื่อง", [letter.subject])
    w.labelled("เรียน", [letter.addressee])
    w.labelled("อ้างถึง", letter.references)
    w.labelled("สิ่งที่ส่งมาด้วย", letter.enclosures)
    w.body(letter.body)
    w.on_axis(letter.closing, before=BODY_PT)
    w.signature(letter.signatory, letter.positions)
    w.letter_contact(letter)
    w.labelled("สำเนาส่ง", letter.copies_to)
    return w.doc


def build_order(order: Order, settings: OfficeSettings) -> Document:
    """Lay out an order (คำสั่ง), with its committee members when it appoints one."""
    w = _Writer(settings, order.subject)
    w.centred_emblem()
    w.run(w.para(align="center"), order.issuer, bold=True)
    w.run(w.para(align="center"), f"ที่ {order.number}")
    w.run(w.para(align="center"), f"เรื่อง {order.subject}")
    w.short_rule()
    w.body(order.preamble)
    w.members(order.members)
    w.body([order.closing])
    # With สั่ง ณ วันที่ and the signature: the last page carries text, not a signature alone.
    w.doc.paragraphs[-1].paragraph_format.keep_with_next = True
    w.on_axis(f"สั่ง ณ วันที่ {order.signed_on}", before=BODY_PT)
    w.signature(order.signatory, order.positions)
    return w.doc


def save_document(doc: Document, path: Path) -> None:
    """Write `doc` to `path` atomically: readers see the old file or the new one, never a part."""
    buffer = io.BytesIO()
    doc.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())


def office_digits(text: str, thai: bool) -> str:
    """Write `text` as the documents print it: Thai digits when `thai`, except in e-mails and URLs."""
    if not thai:
        return text
    parts, last = [], 0
    for match in _KEEP_DIGITS.finditer(text):
        parts += [thai_digits(text[last : match.start()]), match.group()]
        last = match.end()
    return "".join([*parts, thai_digits(text[last:])])


class _Writer:
    """A document under construction, with the office's font, digits and emblem."""

    def __init__(self, settings: OfficeSettings, title: str) -> None:
        import docx

        self.settings = settings
        self.doc = docx.Document()
        self._emblem = _read_emblem(settings.garuda_path)
        set_up_page(self.doc, settings.thai_digits)
        set_up_styles(self.doc, settings.font)
        set_compatibility_mode(self.doc)
        self.doc.core_properties.title = title[:255]  # the limit of the .docx core properties
        self.doc.core_properties.author = settings.office_name
        self._page_number_header()

    # -- text and paragraphs shared by the three kinds --

    def digits(self, text: str) -> str:
        """Write `text` with Thai digits when the office wants them, except in e-mails and URLs."""
        return office_digits(text, self.settings.thai_digits)

    def run(self, paragraph: Paragraph, text: str, size: float = BODY_PT, bold: bool = False) -> Run:
        """Add a run with the full Thai (complex-script) font, size and bold properties."""
        run = paragraph.add_run(self.digits(text))
        run._r.insert(0, run_properties(self.settings.font, size, bold))
        return run

    def para(
        self,
        where: Paragraph | None = None,
        *,
        align: _Align = "left",
        before: float = 0.0,
        left: float = 0.0,
        first: float = 0.0,
        tabs: Sequence[_Tab] = (),
    ) -> Paragraph:
        """Format `where` (or a new body paragraph): alignment, space before (pt), indents (cm), tabs."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        p = self.doc.add_paragraph() if where is None else where
        fmt = p.paragraph_format
        if align != "left":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.THAI_JUSTIFY
        if before:
            fmt.space_before = Pt(before)
        if left:
            fmt.left_indent = cm(left)
        if first:
            fmt.first_line_indent = cm(first)
        _add_tabs(p, tabs)
        return p

    def blank(self, count: int = 1) -> None:
        """Add empty lines (their height comes from the Normal style's 16 pt)."""
        for _ in range(count):
            self.para()

    def body(self, paragraphs: Iterable[str]) -> None:
        """Add body paragraphs: 6 pt before, 2.5 cm first line, Thai distributed justification."""
        for text in paragraphs:
            self.run(self.para(align="thai", before=SPACE_BEFORE_PT, first=FIRST_LINE_CM), text)

    def on_axis(self, text: str, before: float = 0.0) -> Paragraph:
        """Add a line centred on the signature axis (indent so the centre falls on the axis)."""
        p = self.para(align="center", before=before, left=2 * SIGNATURE_AXIS_CM - TEXT_WIDTH_CM)
        self.run(p, text)
        return p

    def signature(self, name: str, positions: Sequence[str]) -> None:
        """Add the signature room, then "(name)" and each position line on the signature axis.

        The block is kept on one page with the line before it (the last paragraph of a memo,
        ขอแสดงความนับถือ, สั่ง ณ วันที่): a page break never leaves a signature without its text.
        """
        before = self.doc.paragraphs[-1]
        self.blank(SIGNATURE_ROOM_LINES)
        self.on_axis(f"({name})")
        for position in positions:
            self.on_axis(position)
        block = self.doc.paragraphs
        for paragraph in [before, *block[len(block) - SIGNATURE_ROOM_LINES - len(positions) - 1 : -1]]:
            paragraph.paragraph_format.keep_with_next = True

    def labelled(self, label: str, items: Sequence[str]) -> None:
        """Add a label and its values in a column (numbered when several): เรื่อง, อ้างถึง, …"""
        column = _LABEL_COLUMN_CM[label]
        numbered = [f"{i}. {item}" for i, item in enumerate(items, 1)] if len(items) > 1 else list(items)
        for i, item in enumerate(numbered):
            if i == 0:
                p = self.para(before=SPACE_BEFORE_PT, left=column, first=-column, tabs=[_Tab(column)])
                self.run(p, f"{label}\t{item}")
            else:
                self.run(self.para(left=column), item)

    # -- headers: the emblem on page 1, the page number on the others --

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

    def first_page_header(self) -> Paragraph:
        """Return the emptied paragraph of page 1's own header, in the Normal style."""
        p: Paragraph = self.doc.sections[0].first_page_header.paragraphs[0]
        p.style = self.doc.styles["Normal"]
        return p

    def centred_emblem(self) -> None:
        """Put the 3 cm Garuda centred at the top of page 1 (letter, order)."""
        self.emblem(self.para(self.first_page_header(), align="center"), EMBLEM_CM)

    def _page_number_header(self) -> None:
        # Word draws a PAGE field without a format switch in the section's page-number format,
        # w:pgNumType w:fmt="thaiNumbers" (set in set_up_page): Thai digits, and Word's own
        # "Format Page Numbers" dialog shows the same choice. The switch `\* ThaiArabic` would do
        # it in Word too, but LibreOffice reads it as Thai letters (page 2 printed as "ข"); with
        # the section format LibreOffice prints Latin digits instead. The cached result is
        # written in the office's digits for readers that do not update fields.
        p = self.doc.sections[0].header.paragraphs[0]
        p.style = self.doc.styles["Normal"]
        self.para(p, align="center")
        self.run(p, "- ")
        self._field(p, " PAGE ", "2")
        self.run(p, " -")

    def _field(self, paragraph: Paragraph, instruction: str, cached: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        for kind in ("begin", "instr", "separate", "result", "end"):
            run = self.run(paragraph, cached if kind == "result" else "")
            if kind == "instr":
                code = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
                code.text = instruction
                run._r.append(code)
            elif kind != "result":
                run._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))

    # -- pieces of one kind each --

    def memo_band(self) -> None:
        """Put the 1.5 cm Garuda at the left margin and บันทึกข้อความ centred on the same band."""
        p = self.para(self.first_page_header(), tabs=[_Tab(TEXT_WIDTH_CM / 2, "center")])
        self.emblem(p, MEMO_EMBLEM_CM)
        self.run(p, "\t")
        _raise(self.run(p, "บันทึกข้อความ", MEMO_TITLE_PT, bold=True), MEMO_TITLE_RAISE_CM)

    def memo_field(self, label: str, value: str, before: float = 0.0) -> None:
        """Add a memo header line: 20 pt bold label, 16 pt value, dots to the right margin."""
        p = self.para(before=before, tabs=[_Tab(TEXT_WIDTH_CM, "right", dots=True)])
        self.run(p, label, MEMO_LABEL_PT, bold=True)
        self.run(p, f"  {value}\t")

    def memo_number_and_date(self, number: str, date: str) -> None:
        """Add ที่ and, on the same line from the middle, วันที่, each followed by dots."""
        tabs = [_Tab(MEMO_DATE_CM, dots=True), _Tab(TEXT_WIDTH_CM, "right", dots=True)]
        p = self.para(tabs=tabs)
        self.run(p, "ที่", MEMO_LABEL_PT, bold=True)
        self.run(p, f"  {number}\t")
        self.run(p, "วันที่", MEMO_LABEL_PT, bold=True)
        self.run(p, f"  {date}\t")

    def letter_number_and_address(self, number: str, address: Sequence[str]) -> None:
        """Add ที่ at the left and the office's address block from 10 cm, on the same top line."""
        first = self.para(left=LETTER_ADDRESS_CM, first=-LETTER_ADDRESS_CM, tabs=[_Tab(LETTER_ADDRESS_CM)])
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
        self.para(p, align="center", left=side)
        p.paragraph_format.right_indent = cm(side)
        p.paragraph_format.line_spacing = Pt(SPACE_BEFORE_PT)

    def members(self, members: Sequence[CommitteeMember]) -> None:
        """Add the numbered committee members: name, position, role, and duties under them."""
        if not members:
            return
        table = _borderless_table(self.doc, FIRST_LINE_CM, _MEMBER_COLUMNS_CM)
        for number, member in enumerate(members, 1):
            cells = _add_row(table)
            hang = _NUMBER_HANG_CM
            name = self.para(cells[0].paragraphs[0], left=hang, first=-hang, tabs=[_Tab(hang)])
            self.run(name, f"{number}.\t{member.name}")
            self.run(cells[1].paragraphs[0], member.position)
            self.run(cells[2].paragraphs[0], member.role)
            if member.duties:
                row = _add_row(table)
                duties = self.para(row[0].merge(row[-1]).paragraphs[0], left=_NUMBER_HANG_CM)
                self.run(duties, member.duties)


# -- document set-up --


def set_up_page(doc: Document, thai_numbers: bool) -> None:
    """A4 with the regulation's margins, a header of its own on page 1, Thai page numbers if asked."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section = doc.sections[0]
    section.page_width, section.page_height = cm(21.0), cm(29.7)
    section.left_margin, section.right_margin = cm(3.0), cm(2.0)
    section.top_margin, section.bottom_margin = cm(2.5), cm(2.0)
    section.header_distance, section.footer_distance = cm(1.5), cm(1.0)
    section.different_first_page_header_footer = True
    if thai_numbers:
        number_format = OxmlElement("w:pgNumType", {qn("w:fmt"): "thaiNumbers"})
        _insert(section._sectPr, number_format, _SECTPR_AFTER_PGNUMTYPE)


def set_up_styles(doc: Document, font: str) -> None:
    """Give the document defaults and the Normal style the Thai font, size and spacing."""
    # The defaults (w:docDefaults) and the Normal style both carry the Thai font and size, so a
    # paragraph typed later in Word inherits them; the template's theme fonts would win otherwise.
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    normal = doc.styles["Normal"]
    old = normal.element.find(qn("w:rPr"))
    if old is not None:
        normal.element.remove(old)
    normal.element.append(run_properties(font, BODY_PT, False))
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    _insert(styles, _doc_defaults(font), ("w:latentStyles", "w:style"))


def _doc_defaults(font: str) -> BaseOxmlElement:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    defaults = parse_xml(
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault/><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
    )
    defaults[0].append(run_properties(font, BODY_PT, False))
    return defaults


def set_compatibility_mode(doc: Document) -> None:
    """Lay the document out as Word 2013 and later do."""
    # Mode 15 (Word 2013 and later): the template's mode 14 lays out tables and Thai line breaks
    # in the old way and opens in "Compatibility Mode".
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        settings.append(compat)
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            compat.remove(setting)
    mode = {
        qn("w:name"): "compatibilityMode",
        qn("w:uri"): "http://schemas.microsoft.com/office/word",
        qn("w:val"): "15",
    }
    compat.append(OxmlElement("w:compatSetting", mode))


# -- XML helpers --

_SECTPR_AFTER_PGNUMTYPE = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
    "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip
_TBLPR_AFTER_TBLIND = ("w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
_TBLPR_AFTER_CELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription")


def cm(value: float) -> Length:
    """A length in centimetres, as python-docx wants it."""
    from docx.shared import Cm

    return Cm(value)


def _insert(parent: BaseOxmlElement, child: BaseOxmlElement, successors: Sequence[str]) -> None:
    """Insert `child` before the first of `successors` present (the schema's order)."""
    parent.insert_element_before(child, *successors)


def run_properties(font: str, size: float, bold: bool) -> BaseOxmlElement:
    """Return a w:rPr with the font for every script, the size for both, bold for both, Thai."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = OxmlElement("w:rPr")
    scripts = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
    rpr.append(OxmlElement("w:rFonts", {qn(attr): font for attr in scripts}))
    if bold:
        rpr.extend([OxmlElement("w:b"), OxmlElement("w:bCs")])
    half_points = str(round(size * 2))
    rpr.append(OxmlElement("w:sz", {qn("w:val"): half_points}))
    rpr.append(OxmlElement("w:szCs", {qn("w:val"): half_points}))
    rpr.append(OxmlElement("w:lang", {qn("w:bidi"): "th-TH"}))
    return rpr


def _raise(run: Run, by_cm: float) -> None:
    """Raise `run` above the baseline (w:position, half-points) to centre it on an emblem band."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    half_points = str(round(by_cm / 2.54 * 72 * 2))
    rpr = run._r.find(qn("w:rPr"))
    if rpr is not None:
        rpr.insert_element_before(OxmlElement("w:position", {qn("w:val"): half_points}), "w:sz")


def _add_tabs(paragraph: Paragraph, tabs: Sequence[_Tab]) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER

    kinds = {"left": WD_TAB_ALIGNMENT.LEFT, "center": WD_TAB_ALIGNMENT.CENTER, "right": WD_TAB_ALIGNMENT.RIGHT}
    for tab in tabs:
        leader = WD_TAB_LEADER.DOTS if tab.dots else WD_TAB_LEADER.SPACES
        paragraph.paragraph_format.tab_stops.add_tab_stop(cm(tab.at_cm), kinds[tab.kind], leader)


def _borderless_table(doc: Document, indent_cm: float, widths_cm: Sequence[float]) -> Table:
    """Return an empty fixed-width table without borders, starting `indent_cm` from the margin."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table: Table = doc.add_table(rows=0, cols=len(widths_cm))
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = cm(width)
    tbl_pr = table._tbl.tblPr
    twips = str(round(indent_cm / 2.54 * 1440))
    _insert(tbl_pr, OxmlElement("w:tblInd", {qn("w:w"): twips, qn("w:type"): "dxa"}), _TBLPR_AFTER_TBLIND)
    # No left padding, so the text starts exactly at the indent; a little on the right between columns.
    margins = OxmlElement("w:tblCellMar")
    for side, padding in (("w:left", "0"), ("w:right", "113")):
        margins.append(OxmlElement(side, {qn("w:w"): padding, qn("w:type"): "dxa"}))
    _insert(tbl_pr, margins, _TBLPR_AFTER_CELLMAR)
    return table


def _add_row(table: Table) -> list[_Cell]:
    # python-docx 1.2 leaves Table.add_row without annotations.
    return list(table.add_row().cells)  # type: ignore[no-untyped-call]


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
        raise GarudaImageError(f"Cannot read the Garuda emblem {path}: {e.strerror or e}.") from None
    except (InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError, struct.error, ValueError):
        raise GarudaImageError(
            f"The Garuda emblem {path} is not a readable PNG, JPEG, GIF, BMP or TIFF image."
        ) from None
    return blob


def _transparent_png() -> bytes:
    """Return a 1×1 fully transparent PNG: the placeholder that keeps the emblem's room."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)  # 1×1, 8-bit RGBA
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")  # filter byte, then one transparent pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
