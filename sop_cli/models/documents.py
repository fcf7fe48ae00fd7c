"""View-models of the Thai official documents: everything the document builder lays out, worded.

Values are final text (dates formatted, names spelt, numbers given). The builder adds only the
fixed words of the regulation's forms: the labels ส่วนราชการ, ที่, วันที่, เรื่อง, เรียน, อ้างถึง,
สิ่งที่ส่งมาด้วย, สำเนาส่ง, โทร., โทรสาร, อีเมล, "สั่ง ณ วันที่", the parentheses around the
signatory's name and the numbering of lists.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sop_cli.i18n import _
from sop_cli.models.base import Frozen

Text = Annotated[str, Field(min_length=1)]
Lines = Annotated[tuple[Text, ...], Field(min_length=1)]
# The two ways of signing for the head of the office (the regulation's clause on signing):
# รักษาราชการแทน while the post is vacant or its holder cannot act, ปฏิบัติราชการแทน by delegation.
Acting = Literal["รักษาราชการแทน", "ปฏิบัติราชการแทน"]

# The default signatory in sop.toml, which the office must replace (a warning says so).
SIGNATORY_PLACEHOLDER = "(ชื่อผู้ลงนาม)"
# What may stand before a signatory's name: คำนำหน้านาม, an academic title or a rank.
NAME_TITLES = (
    "นาย", "นาง", "นางสาว", "น.ส.", "ว่าที่", "ดร.", "ผู้ช่วยศาสตราจารย์", "รองศาสตราจารย์", "ศาสตราจารย์",
    "ผศ.", "รศ.", "ศ.", "พลเอก", "พลโท", "พลตรี", "พลตำรวจ", "พล.", "พันเอก", "พันโท", "พันตรี", "พันตำรวจ",
    "พ.อ.", "พ.ท.", "พ.ต.", "ร้อยเอก", "ร้อยโท", "ร้อยตรี", "ร้อยตำรวจ", "ร.อ.", "ร.ท.", "ร.ต.", "จ่าสิบ",
    "จ.ส.", "สิบเอก", "สิบโท", "สิบตรี", "ส.อ.", "ส.ท.", "ส.ต.", "ดาบตำรวจ", "ด.ต.", "คุณหญิง", "หม่อม", "ม.ล.",
    "ม.ร.ว.", "พระ",
)  # fmt: skip
# Civil-service positions that are printed with their level (ระดับ, วิทยฐานะ) after them.
GRADED_POSITIONS = (
    "ศึกษานิเทศก์", "นักวิชาการ", "นักจัดการงานทั่วไป", "นักทรัพยากรบุคคล", "นักวิเคราะห์", "นิติกร",
    "เจ้าพนักงาน", "นักประชาสัมพันธ์", "ครู",
)  # fmt: skip
LEVELS = (
    "ปฏิบัติการ", "ชำนาญการ", "เชี่ยวชาญ", "ปฏิบัติงาน", "ชำนาญงาน", "อาวุโส", "ทักษะพิเศษ", "ระดับ",
)  # fmt: skip


class OfficeSettings(Frozen):
    """What the document builder reads from the office's settings (sop.toml [office])."""

    office_name: Text  # the author of every document (File > Properties)
    font: Text = "TH SarabunPSK"
    thai_digits: bool = True
    garuda_path: Path | None = None


def signer_warnings(name: str, positions: tuple[str, ...]) -> list[str]:
    """What a สารบรรณ would correct in a signature: no title before the name, a position without its level."""
    found = []
    if name != SIGNATORY_PLACEHOLDER.strip("()") and not name.startswith(NAME_TITLES):
        found.append(
            _("the signatory {name} has no title before the name (นาย, นาง, นางสาว or a rank)").format(name=name)
        )
    first = positions[0] if positions else ""
    if first.startswith(GRADED_POSITIONS) and not any(level in first for level in LEVELS):
        found.append(
            _("the signatory's position {position} has no level (such as ชำนาญการพิเศษ)").format(position=first)
        )
    return found


class Signed(Frozen):
    """A document with a signature: the name, the position lines, and whether it is signed for the head."""

    signatory: Text  # the name, without parentheses
    positions: Lines
    acting: Acting | None = None  # printed after the last position line
    acting_for: Text | None = None  # the head's position, on the line below: ศึกษาธิการจังหวัดเชียงราย
    issued: dt.date  # the day of issue: File > Properties shows it as the date the file was created

    @model_validator(mode="after")
    def _acting_names_whom(self) -> Signed:
        if (self.acting is None) != (self.acting_for is None):
            raise ValueError(_("acting and acting_for go together: how the signatory signs, and for which position"))
        return self

    def warnings(self) -> list[str]:
        """What a สารบรรณ would send back before the document is signed."""
        return signer_warnings(self.signatory, self.positions)


class Memo(Signed):
    """An internal memo (บันทึกข้อความ, form 2 of the regulation)."""

    unit: Text  # value of ส่วนราชการ, with the telephone: "สำนักงาน… กลุ่ม… โทร. ๐ ๕๓๑๕ ๐๑๒๓"
    number: Text  # value of ที่: "ศธ ๐๒๘๘/๑๒๓"
    date: Text  # value of วันที่: "๒๕ พฤศจิกายน ๒๕๖๙"
    subject: Text
    addressee: Text  # after เรียน: "ศึกษาธิการจังหวัดเชียงราย"
    body: Lines  # paragraphs; references and enclosures are written inside them


class ExternalLetter(Signed):
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
    drafting_unit: Text  # ส่วนราชการเจ้าของเรื่อง, bottom left
    telephone: Text
    fax: Text | None = None
    email: Text | None = None
    copies_to: tuple[Text, ...] = ()  # สำเนาส่ง
    # A circular (ว): the agencies it goes to. A long list is attached on a page of its own, and
    # the addressee line says so ("… (ส่งไปตามรายชื่อที่แนบ)"); a short one is the addressee line.
    distribution: tuple[Text, ...] = ()


ROLE_CHAIR = "ประธานกรรมการ"
ROLE_SECRETARY = "กรรมการและเลขานุการ"
ROLE_ORDER = ("ที่ปรึกษา", ROLE_CHAIR, "รองประธานกรรมการ", "กรรมการ", ROLE_SECRETARY, "กรรมการและผู้ช่วยเลขานุการ")


class CommitteeMember(Frozen):
    """One numbered member of an order that appoints a committee."""

    name: Text
    position: Text  # position in the office: "ศึกษานิเทศก์ชำนาญการพิเศษ"
    role: Text  # position in the committee: "ประธานกรรมการ", "กรรมการและเลขานุการ"
    duties: str = ""  # written under the member when given, introduced by มีหน้าที่


class Order(Signed):
    """An order (คำสั่ง, form 4 of the regulation), for example appointing a committee."""

    issuer: Text  # "คำสั่งสำนักงานศึกษาธิการจังหวัดเชียงราย"
    number: Text  # after ที่: "๑๒/๒๕๗๐"
    subject: Text
    preamble: Lines  # the reason, the legal authority, what is ordered
    members: tuple[CommitteeMember, ...] = ()
    closing: Text = "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"
    signed_on: Text  # after "สั่ง ณ วันที่": "๒๕ พฤศจิกายน พ.ศ. ๒๕๖๙"

    def warnings(self) -> list[str]:
        """The signature's warnings, and a committee without its chair or its secretary."""
        found = super().warnings()
        roles = {m.role for m in self.members}
        if self.members and ROLE_CHAIR not in roles:
            found.append(_("the committee has no {role}").format(role=ROLE_CHAIR))
        if self.members and ROLE_SECRETARY not in roles:
            found.append(_("the committee has no {role}").format(role=ROLE_SECRETARY))
        return found

    def ordered_members(self) -> list[CommitteeMember]:
        """The members in the order orders list them: advisers, chair, vice-chairs, members, secretaries."""
        rank = {role: i for i, role in enumerate(ROLE_ORDER)}
        return sorted(self.members, key=lambda m: rank.get(m.role, len(ROLE_ORDER)))
