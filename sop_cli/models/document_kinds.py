"""One table of the official documents `sop` issues: what differs from one kind to the next, in one place.

A new kind (ประกาศ, say) is a row here, a model in models/documents.py, a layout in
rendering/docx_official.py (dispatched on the model's type in actions/documents.py), its
templates and its command; the names, series, template names and checks below follow the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

DocKind = Literal["memo", "external_letter", "order"]


class Series(StrEnum):
    """The running series; each restarts on 1 January (the regulation, not the fiscal year)."""

    outgoing = "out"  # ทะเบียนหนังสือส่ง: memos and external letters share it
    circular = "circular"  # หนังสือเวียน: one letter to many agencies, ที่ ศธ ๐๒๘๘/ว ๑๒
    order = "order"  # คำสั่ง: numbered n/BE-year
    incoming = "in"  # ทะเบียนหนังสือรับ: letters the office received


@dataclass(frozen=True)
class DocumentSpec:
    """Everything about one kind of document that is not its layout."""

    kind: DocKind  # as the register and the evidence record it
    # The `sop` command that issues it; also the first part of its file names and of its templates'
    # names (memo-03-01.txt.j2) and its word for `sop register --kind`.
    command: str
    thai: str  # its name in the regulation
    cited: str  # how a report cites it before its number: "หนังสือ ที่ ศธ ๐๒๘๘/๑๒"
    series: tuple[Series, ...]  # the registers it takes its number from, the usual one first
    printed_settings: tuple[str, ...]  # the [office] keys of sop.toml it prints: a placeholder there is warned of


DOCUMENTS: dict[DocKind, DocumentSpec] = {
    "memo": DocumentSpec(
        kind="memo",
        command="memo",
        thai="บันทึกข้อความ",
        cited="บันทึกข้อความ",
        series=(Series.outgoing,),
        printed_settings=("telephone",),  # a memo is signed by the acting staff member by default
    ),
    "external_letter": DocumentSpec(
        kind="external_letter",
        command="letter",
        thai="หนังสือภายนอก",
        cited="หนังสือ",
        series=(Series.outgoing, Series.circular),
        printed_settings=("signatory", "telephone", "email"),
    ),
    "order": DocumentSpec(
        kind="order",
        command="order",
        thai="คำสั่ง",
        cited="คำสั่ง",
        series=(Series.order,),
        printed_settings=("signatory", "order_authority"),
    ),
}


class RegisterKind(StrEnum):
    """What `sop register --kind` lists: one kind of document, the circulars, or the letters received."""

    memo = "memo"
    letter = "letter"
    circular = "circular"
    order = "order"
    incoming = "incoming"

    @property
    def document(self) -> DocKind | None:
        """The kind of document it lists (None for the letters received)."""
        if self is RegisterKind.circular:
            return "external_letter"
        return next((kind for kind, spec in DOCUMENTS.items() if spec.command == self.value), None)
