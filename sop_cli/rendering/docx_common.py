"""The one .docx writer shared by the official documents and the report: Thai typography on A4.

Both kinds of document use the regulation's typography (docs/thai-official-documents.md): the
office's Thai font with its complex-script properties on every run, 16 pt single spacing, A4 with
3 cm and 2 cm side margins, Thai digits, page numbers from page 2, and text that a Thai reader
accepts where a line breaks (`keep_whole`, `whole_name`). python-docx is imported inside the
functions: `sop status` must not pay for it.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sop_cli.storage.atomic import write_bytes_atomic
from sop_cli.thai_calendar import MONTHS, MONTHS_SHORT, thai_digits

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.shared import Length
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

TEXT_WIDTH_CM = 16.0  # A4 21 cm less the 3 cm left and 2 cm right margins
BODY_PT = 16.0
SPACE_BEFORE_PT = 6.0  # "one Enter plus 6 pt" before เรื่อง, เรียน, อ้างถึง, … and body paragraphs
FIRST_LINE_CM = 2.5

NBSP = "\u00a0"  # a space no line breaks at
WORD_JOINER = "\u2060"  # no line breaks here either; invisible, and pdftotext leaves it out
ZERO_WIDTH_SPACE = "\u200b"  # a line may break here: Thai's own word boundary, invisible

Align = Literal["left", "center", "right", "thai"]

# E-mail addresses and URLs keep their Latin digits (the reference, section 2).
_KEEP_DIGITS = re.compile(r"[^\s@]+@[^\s@]+|(?:https?://|www\.)\S+")
_DIGIT = "[0-9๐-๙]"
_MONTH = "|".join(re.escape(m) for m in sorted((*MONTHS, *MONTHS_SHORT), key=len, reverse=True))
# Words that count a number after them, and units counted before them: the two stay on one line.
_BEFORE_NUMBER = (
    "พ.ศ.", "ค.ศ.", "ที่", "ข้อ", "จำนวน", "เขต", "หมู่", "มาตรา", "ร้อยละ", "เวลา", "โทร.", "โทรศัพท์", "โทรสาร",
    "ศธ", "ครั้งที่", "ลำดับที่", "ตารางที่", "แผนภูมิที่", "ขั้นตอนที่", "รอบที่", "ไตรมาสที่", "เรื่องที่", "หน้า",
    "ฉบับที่", "วันที่", "ภายในวันที่",
)  # fmt: skip
_UNITS = (
    "บาท", "ฉบับ", "ชุด", "ราย", "คน", "ชั่วโมง", "วัน", "เล่ม", "แห่ง", "ครั้ง", "รายการ", "ขั้นตอน", "เดือน", "ปี",
    "นาที", "หน้า", "แผ่น", "เรื่อง", "โรงเรียน", "น.", "ไบต์", "ข้อ", "รอบ", "ท่าน", "องค์กร", "หน่วยงาน",
)  # fmt: skip
_RULES = (
    re.compile(rf"(?<={_DIGIT}) (?={_DIGIT})"),  # telephone numbers: ๐ ๕๓๑๗ ๕๑๒๓
    re.compile(rf"(?<={_DIGIT}) (?=(?:{_MONTH}))"),  # ๒๕ พฤศจิกายน, ๓๑ ธ.ค.
    re.compile(rf"(?<={_DIGIT}) (?=(?:{'|'.join(re.escape(u) for u in _UNITS)}))"),  # ๙๘,๐๐๐ บาท
)
# A word and the number after it: พฤศจิกายน ๒๕๖๙, ธ.ค. ๒๕๖๙, พ.ศ. ๒๕๗๐, ข้อ ๖.๑, ลงวันที่ ๑ (Thai
# runs words together, so the word may end a longer one).
_WORD_BEFORE_NUMBER = re.compile(
    rf"({_MONTH}|{'|'.join(re.escape(w) for w in sorted(_BEFORE_NUMBER, key=len, reverse=True))}) (?={_DIGIT})"
)
# Compounds that a dictionary line breaker cuts in two ("หน่วย/งาน", "ดำเนิน/การ", "ประจำ/ปีงบประมาณ"):
# each half is a word of its own, but a Thai reader sees one word cut.
_COMPOUNDS = (
    "ประจำปีงบประมาณ", "ปีงบประมาณ", "หน่วยงาน", "ดำเนินการ", "ดำเนินงาน", "ผู้ตรวจราชการ", "ตรวจราชการ",
    "สถานศึกษา", "ขั้นตอน", "ดังกล่าว", "พระราชบัญญัติ", "เพิ่มเติม", "ประเมินผล", "ศึกษาธิการ", "ศึกษานิเทศก์",
    "คณะกรรมการ", "เลขานุการ", "ผู้อำนวยการ", "ยุทธศาสตร์", "การศึกษา", "ผู้แทน", "มีหน้าที่", "เรียบร้อย",
    "ประสิทธิภาพ", "วัตถุประสงค์", "ปฏิบัติงาน", "ปฏิบัติราชการ", "รักษาราชการแทน", "ข้อเสนอแนะ", "อุปสรรค",
    "ผู้รายงาน", "ความเห็น", "หลักฐาน", "ติดตาม", "จัดการศึกษา", "กระทรวง",
)  # fmt: skip
_LEADING_VOWELS = "เแโใไ"
_REPEATED_MARK = re.compile("\u200b{2,}")
_NEEDLESS_MARK = re.compile(r"(^|\s)\u200b|\u200b($|\s)")  # a space already allows the break
_COMPOUND_PATTERN = re.compile("|".join(re.escape(w) for w in sorted(_COMPOUNDS, key=len, reverse=True)))


def office_digits(text: str, thai: bool) -> str:
    """Write `text` as the documents print it: Thai digits when `thai`, except in e-mails and URLs."""
    if not thai:
        return text
    parts, last = [], 0
    for match in _KEEP_DIGITS.finditer(text):
        parts += [thai_digits(text[last : match.start()]), match.group()]
        last = match.end()
    return "".join([*parts, thai_digits(text[last:])])


def _clusters(word: str) -> list[str]:
    """The word cut into what a reader sees as one letter: a base with its marks (and ำ)."""
    out: list[str] = []
    for ch in word:
        joins_previous = ch in "\u0e31\u0e33" or "\u0e34" <= ch <= "\u0e3a" or "\u0e47" <= ch <= "\u0e4e"
        after_leading_vowel = bool(out) and out[-1][-1] in _LEADING_VOWELS
        if out and (joins_previous or after_leading_vowel):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def joined(word: str) -> str:
    """`word` with a word joiner between its letters: no line break falls inside it.

    The joiner never separates a Thai mark (or ำ, or a leading vowel) from its letter, so the
    shaping of the word is not disturbed.
    """
    return WORD_JOINER.join(_clusters(word))


def whole_name(name: str, *, breakable: bool = False) -> str:
    """A person's name that no line break cuts: its words joined, the words glued by no-break spaces.

    With `breakable`, the words stay joined but a line may break between them (a narrow column).
    """
    words = [joined(w) for w in name.split()]
    return (" " if breakable else NBSP).join(words)


def keep_whole(text: str) -> str:
    """`text` with no-break spaces and joiners where a Thai reader does not accept a line break.

    Inside "พ.ศ. ๒๕๗๐", a date ("๒๕ พฤศจิกายน ๒๕๖๙", "๓๑ ธ.ค. ๒๕๖๙"), a number and its unit
    ("๙๘,๐๐๐ บาท"), a word and the number it counts ("ข้อ ๖.๑", "เขต ๑", "โทร. ๐ ๕๓๑๗ ๕๑๒๓"), a
    telephone number, and a few compounds a dictionary breaker cuts in two ("หน่วย/งาน").
    """
    for rule in _RULES:
        text = rule.sub(NBSP, text)
    text = _WORD_BEFORE_NUMBER.sub(lambda m: m.group(1) + NBSP, text)
    # A joined compound is marked as a word of its own on both sides: the dictionary breaker then
    # segments its neighbours as whole words too (without the marks it cut "กระทร/วงศึกษาธิการ").
    text = _COMPOUND_PATTERN.sub(lambda m: ZERO_WIDTH_SPACE + joined(m.group()) + ZERO_WIDTH_SPACE, text)
    return _NEEDLESS_MARK.sub(r"\1\2", _REPEATED_MARK.sub(ZERO_WIDTH_SPACE, text))


def plain_text(text: str) -> str:
    """`text` without the joiners, word marks and no-break spaces `keep_whole` and `whole_name` put in it."""
    return text.replace(WORD_JOINER, "").replace(ZERO_WIDTH_SPACE, "").replace(NBSP, " ")


def cm(value: float) -> Length:
    """A length in centimetres, as python-docx wants it."""
    from docx.shared import Cm

    return Cm(value)


def twips(value_cm: float) -> str:
    """A length in twentieths of a point, as the XML writes it."""
    return str(round(value_cm / 2.54 * 1440))


@dataclass(frozen=True)
class Tab:
    """A tab stop: position from the left margin, alignment, dotted leader or not."""

    at_cm: float
    kind: Literal["left", "center", "right"] = "left"
    dots: bool = False


@dataclass(frozen=True)
class Properties:
    """What File > Properties shows: the document's title and subject, who made it and when."""

    title: str
    subject: str
    author: str  # the office
    created: dt.date  # the day of issue


class Writer:
    """A Thai document under construction: font, digits, page, styles, fields and properties."""

    def __init__(self, font: str, thai: bool, digits: Callable[[str], str]) -> None:
        import docx

        self.font, self.thai = font, thai
        self._digits = digits
        self._properties: dict[tuple[float, bool], BaseOxmlElement] = {}
        self._bookmarks = 0
        self.doc = docx.Document()
        set_up_page(self.doc, thai)
        set_up_styles(self.doc, font)
        set_compatibility_mode(self.doc)

    # -- text --

    def text(self, text: str, raw: bool = False) -> str:
        """`text` as printed: the office's digits, and no line break where a reader refuses one."""
        return text if raw else keep_whole(self._digits(text))

    def rpr(self, size: float, bold: bool) -> BaseOxmlElement:
        """A copy of the run properties of this size and weight (built once: thousands of cells)."""
        if (size, bold) not in self._properties:
            self._properties[size, bold] = run_properties(self.font, size, bold)
        return copy.deepcopy(self._properties[size, bold])

    def run(self, paragraph: Paragraph, text: str, size: float = BODY_PT, bold: bool = False, raw: bool = False) -> Run:
        """Add a run with the full Thai (complex-script) font, size and bold; `raw` keeps the text as is."""
        run = paragraph.add_run(self.text(text, raw))
        run._r.insert(0, self.rpr(size, bold))
        return run

    def para(
        self,
        where: Paragraph | None = None,
        *,
        align: Align = "left",
        before: float = 0.0,
        left: float = 0.0,
        first: float = 0.0,
        right: float = 0.0,
        tabs: Sequence[Tab] = (),
        keep: bool = False,
        whole: bool = False,
        new_page: bool = False,
    ) -> Paragraph:
        """Format `where` (or a new body paragraph): alignment, space before (pt), indents (cm), tabs.

        `keep` keeps it on the page of the next paragraph, `whole` keeps its lines on one page.
        """
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        p = self.doc.add_paragraph() if where is None else where
        fmt = p.paragraph_format
        alignments = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "thai": WD_ALIGN_PARAGRAPH.THAI_JUSTIFY,
        }
        if align in alignments:
            fmt.alignment = alignments[align]
        if before:
            fmt.space_before = Pt(before)
        if left:
            fmt.left_indent = cm(left)
        if first:
            fmt.first_line_indent = cm(first)
        if right:
            fmt.right_indent = cm(right)
        if keep:
            fmt.keep_with_next = True
        if whole:
            fmt.keep_together = True
        if new_page:
            fmt.page_break_before = True
        add_tabs(p, tabs)
        return p

    def blank(self, count: int = 1, keep: bool = False) -> list[Paragraph]:
        """Add empty lines (their height comes from the Normal style's 16 pt)."""
        return [self.para(keep=keep) for _ in range(count)]

    # -- fields, bookmarks, headers --

    def field(self, paragraph: Paragraph, instruction: str, cached: str, size: float = BODY_PT) -> None:
        """Add a field (PAGE, PAGEREF …) with `cached` as the result readers show before updating it."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        for kind in ("begin", "instr", "separate", "result", "end"):
            run = self.run(paragraph, cached if kind == "result" else "", size)
            if kind == "instr":
                code = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
                code.text = instruction
                run._r.append(code)
            elif kind != "result":
                run._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))

    def bookmark(self, paragraph: Paragraph, name: str) -> None:
        """Mark `paragraph` with a bookmark that a PAGEREF field can point at."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self._bookmarks += 1
        ident = str(self._bookmarks)
        ppr = paragraph._p.find(qn("w:pPr"))
        start = OxmlElement("w:bookmarkStart", {qn("w:id"): ident, qn("w:name"): name})
        if ppr is not None:
            ppr.addnext(start)
        else:
            paragraph._p.insert(0, start)
        paragraph._p.append(OxmlElement("w:bookmarkEnd", {qn("w:id"): ident}))

    def page_number_header(self) -> None:
        """Put "- n -" centred at the top of pages 2 on; page 1 has a header of its own."""
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
        self.field(p, " PAGE ", "2")
        self.run(p, " -")

    def first_page_header(self) -> Paragraph:
        """Return the emptied paragraph of page 1's own header, in the Normal style."""
        p: Paragraph = self.doc.sections[0].first_page_header.paragraphs[0]
        p.style = self.doc.styles["Normal"]
        return p

    def properties(self, properties: Properties) -> None:
        """Fill File > Properties; drop python-docx's leftovers (its description and blank thumbnail)."""
        set_properties(self.doc, properties)


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
    """Give the document defaults and the Normal style the Thai font, size, spacing and widow control."""
    # The defaults (w:docDefaults) and the Normal style both carry the Thai font and size, so a
    # paragraph typed later in Word inherits them; the template's theme fonts would win otherwise.
    # Widow and orphan control: a paragraph split by a page leaves at least two lines on each page,
    # so a signature kept with its paragraph always has two lines of text above it.
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
    normal.paragraph_format.widow_control = True
    _insert(styles, _doc_defaults(font), ("w:latentStyles", "w:style"))


def _doc_defaults(font: str) -> BaseOxmlElement:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    defaults = parse_xml(
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault/><w:pPrDefault><w:pPr><w:widowControl/>"
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


_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>sop</Application><Company>{company}</Company></Properties>"
)


def set_properties(doc: Document, properties: Properties) -> None:
    """Title, subject, author and dates in the core properties; nothing left from python-docx's template.

    The template says "generated by python-docx", was created on 2013-12-23, carries a blank
    thumbnail (a file browser shows an empty page) and names "Microsoft Macintosh Word".
    """
    from xml.sax.saxutils import escape

    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    core = doc.core_properties
    core.title = properties.title[:255]  # the limit of the .docx core properties
    core.subject = properties.subject[:255]
    core.author = properties.author
    core.last_modified_by = properties.author
    core.comments = ""
    core.keywords = ""
    core.category = ""
    core.revision = 1
    day = properties.created
    core.created = core.modified = dt.datetime(day.year, day.month, day.day)
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)  # an unreferenced part is not written
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _APP_XML.format(company=escape(properties.author)).encode()


def save_document(doc: Document, path: Path) -> None:
    """Write `doc` to `path` atomically: readers see the old file or the new one, never a part."""
    write_bytes_atomic(path, document_bytes(doc))


def document_bytes(doc: Document) -> bytes:
    """The .docx file of `doc`."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# -- XML helpers --

_SECTPR_AFTER_PGNUMTYPE = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
    "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip


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


def add_tabs(paragraph: Paragraph, tabs: Sequence[Tab]) -> None:
    """Add tab stops to a paragraph."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER

    kinds = {"left": WD_TAB_ALIGNMENT.LEFT, "center": WD_TAB_ALIGNMENT.CENTER, "right": WD_TAB_ALIGNMENT.RIGHT}
    for tab in tabs:
        leader = WD_TAB_LEADER.DOTS if tab.dots else WD_TAB_LEADER.SPACES
        paragraph.paragraph_format.tab_stops.add_tab_stop(cm(tab.at_cm), kinds[tab.kind], leader)
