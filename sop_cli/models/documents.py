"""View-models of the Thai official documents: everything the document builder lays out, worded.

Values are final text (dates formatted, names spelt, numbers given). The builder adds only the
fixed words of the regulation's forms: the labels ส่วนราชการ, ที่, วันที่, เรื่อง, เรียน, อ้างถึง,
สิ่งที่ส่งมาด้วย, สำเนาส่ง, โทร., โทรสาร, อีเมล, "สั่ง ณ วันที่", the parentheses around the
signatory's name and the numbering of lists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field

from sop_cli.models.base import Frozen

Text = Annotated[str, Field(min_length=1)]
Lines = Annotated[tuple[Text, ...], Field(min_length=1)]


class OfficeSettings(Frozen):
    """The office's own facts and the layout choices it made (read from the workspace settings)."""

    office_name: Text  # สำนักงานศึกษาธิการจังหวัดเชียงราย
    unit_name: Text  # the ส่วนราชการ that drafts: กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา
    address_lines: Lines
    telephone: Text
    fax: Text | None = None
    email: Text
    document_code: Text  # the office's code before the running number: ศธ ๐๒๘๘
    default_addressee: Text  # ศึกษาธิการจังหวัดเชียงราย
    signatory_name: Text
    signatory_positions: Lines
    font: Text = "TH SarabunPSK"
    thai_digits: bool = True
    garuda_path: Path | None = None


class Memo(Frozen):
    """An internal memo (บันทึกข้อความ, form 2 of the regulation)."""

    unit: Text  # value of ส่วนราชการ, with the telephone: "สำนักงาน… กลุ่ม… โทร. ๐ ๕๓๑๕ ๐๑๒๓"
    number: Text  # value of ที่: "ศธ ๐๒๘๘/๑๒๓"
    date: Text  # value of วันที่: "๒๕ พฤศจิกายน ๒๕๖๙"
    subject: Text
    addressee: Text  # after เรียน: "ศึกษาธิการจังหวัดเชียงราย"
    body: Lines  # paragraphs; references and enclosures are written inside them
    signatory: Text  # the name, without parentheses
    positions: Lines


class ExternalLetter(Frozen):
    """An external letter (หนังสือภายนอก, form 1 of the regulation)."""

    number: Text  # value of ที่: "ศธ ๐๒๘๘/๑๒๓๔"
    office_address: Lines  # the block on the right: office name, then address lines
    date: Text  # "๒๕ พฤศจิกายน ๒๕๖๙": no วันที่, no พ.ศ.
    subject: Text
    addressee: Text
    references: tuple[Text, ...] = ()  # อ้างถึง, numbered when several
    enclosures: tuple[Text, ...] = ()  # สิ่งที่ส่งมาด้วย, numbered when several
    body: Lines
    closing: Text = "ขอแสดงความนับถือ"
    signatory: Text
    positions: Lines
    drafting_unit: Text  # ส่วนราชการเจ้าของเรื่อง, bottom left
    telephone: Text
    fax: Text | None = None
    email: Text | None = None
    copies_to: tuple[Text, ...] = ()  # สำเนาส่ง


class CommitteeMember(Frozen):
    """One numbered member of an order that appoints a committee."""

    name: Text
    position: Text  # position in the office: "ศึกษานิเทศก์ชำนาญการพิเศษ"
    role: Text  # position in the committee: "ประธานกรรมการ", "กรรมการและเลขานุการ"
    duties: str = ""  # written under the member when given


class Order(Frozen):
    """An order (คำสั่ง, form 4 of the regulation), for example appointing a committee."""

    issuer: Text  # "คำสั่งสำนักงานศึกษาธิการจังหวัดเชียงราย"
    number: Text  # after ที่: "๑๒/๒๕๗๐"
    subject: Text
    preamble: Lines  # the reason, the legal authority, what is ordered
    members: tuple[CommitteeMember, ...] = ()
    closing: Text = "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"
    signed_on: Text  # after "สั่ง ณ วันที่": "๒๕ พฤศจิกายน พ.ศ. ๒๕๖๙"
    signatory: Text
    positions: Lines
