"""Model the office's settings file `sop.toml`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from sop_cli.i18n import _
from sop_cli.models.base import Frozen, Text
from sop_cli.models.documents import SIGNATORY_PLACEHOLDER, Acting, OfficeSettings
from sop_cli.thai_calendar import BE_OFFSET, fiscal_year, fiscal_year_bounds, parse_date

Lines = Annotated[tuple[Text, ...], Field(min_length=1)]

# Defaults the office must replace before a document goes out: `sop memo`, `sop letter` and
# `sop order` warn while a value is still one of these.
TELEPHONE_PLACEHOLDER = "(หมายเลขโทรศัพท์)"
EMAIL_PLACEHOLDER = "(อีเมลของกลุ่ม)"
AUTHORITY_PLACEHOLDER = "อาศัยอำนาจตาม (ระบุกฎหมายหรือคำสั่งที่ให้อำนาจออกคำสั่ง)"


class EvidenceSettings(Frozen):
    """Limits on evidence files."""

    max_mb: float = Field(default=50, gt=0, le=2048)

    @property
    def max_bytes(self) -> int:
        """The size limit in bytes."""
        return int(self.max_mb * 1024 * 1024)


class OfficeTable(Frozen):
    """The [office] table: the office's own facts, printed on the documents sop generates."""

    name: Text = "สำนักงานศึกษาธิการจังหวัดเชียงราย"
    unit: Text = "กลุ่มนิเทศ ติดตาม และประเมินผล"
    # The address the office publishes on its website (cripeo.moe.go.th).
    address: Lines = ("๕๗/๓๓ หมู่ ๒๒ ถนนเวียงบูรพา", "ตำบลรอบเวียง อำเภอเมือง", "จังหวัดเชียงราย ๕๗๐๐๐")
    telephone: Text = TELEPHONE_PLACEHOLDER
    fax: Text | None = None
    email: Text = EMAIL_PLACEHOLDER
    # The office's code before the running number of ที่ (the regulation leaves it to the office).
    document_code: Text = "ศธ ๐๒๘๘"
    addressee: Text = "ศึกษาธิการจังหวัดเชียงราย"
    signatory: Text = SIGNATORY_PLACEHOLDER
    signatory_positions: Lines = ("ศึกษาธิการจังหวัดเชียงราย",)
    # When the signatory signs for the head: how, and the head's position (printed under theirs).
    signatory_acting: Acting | None = None
    signatory_acting_for: Text | None = None
    # Who signs memos; without it, the acting staff member (sops/staff.yaml) signs.
    memo_signatory: Text | None = None
    memo_signatory_positions: tuple[Text, ...] = ()
    order_authority: Text = AUTHORITY_PLACEHOLDER
    font: Text = "TH SarabunPSK"
    thai_digits: bool = True
    garuda: Text | None = None  # a path; relative paths are relative to the workspace

    @model_validator(mode="after")
    def _memo_signatory_has_a_position(self) -> OfficeTable:
        if self.memo_signatory is not None and not self.memo_signatory_positions:
            raise ValueError(_("memo_signatory needs memo_signatory_positions (the position lines under the name)"))
        if (self.signatory_acting is None) != (self.signatory_acting_for is None):
            raise ValueError(
                _("signatory_acting and signatory_acting_for go together: how the signatory signs, and for whom")
            )
        return self

    def garuda_path(self, root: Path) -> Path | None:
        """The emblem's file, relative paths taken from the workspace root."""
        if self.garuda is None:
            return None
        path = Path(self.garuda)
        return path if path.is_absolute() else root / path

    def placeholders(self) -> list[str]:
        """Keys still holding a placeholder instead of the office's value."""
        values = {
            "signatory": (self.signatory, SIGNATORY_PLACEHOLDER),
            "telephone": (self.telephone, TELEPHONE_PLACEHOLDER),
            "email": (self.email, EMAIL_PLACEHOLDER),
            "order_authority": (self.order_authority, AUTHORITY_PLACEHOLDER),
        }
        return [key for key, (value, placeholder) in values.items() if value == placeholder]

    def document_settings(self, root: Path) -> OfficeSettings:
        """The settings the document builder reads: the author, the font, the digits, the emblem."""
        return OfficeSettings(
            office_name=self.name, font=self.font, thai_digits=self.thai_digits, garuda_path=self.garuda_path(root)
        )


class DocumentsSettings(Frozen):
    """The [documents] table: how `sop memo`, `sop letter` and `sop order` write their files."""

    # Also write a PDF/A-2b beside every .docx (as e-saraban systems take it), through LibreOffice.
    # A computer without LibreOffice still issues the .docx, with a warning; `--pdf` insists.
    pdf: bool = False


class UiSettings(Frozen):
    """The [ui] table: how `sop` speaks to the person."""

    # Thai unless the office asks otherwise; --lang and $SOP_LANG still win for one person.
    lang: Literal["th", "en"] = "th"


# The end of the academic year when sop.toml says nothing: 31 March, the last day of the second
# term in the ministry's usual calendar (the term ends at the turn of March and April).
DEFAULT_ACADEMIC_YEAR_END = "03-31"


def academic_year_end_on(month_day: str, fy: int) -> dt.date:
    """The day `month_day` (MM-DD) falls on in fiscal year `fy` (Buddhist Era)."""
    month, day = (int(part) for part in month_day.split("-"))
    year = fy - BE_OFFSET - (1 if month >= 10 else 0)
    return dt.date(year, month, day)


def default_academic_year_end(fy: int) -> dt.date:
    """The default end of the academic year that falls in fiscal year `fy`."""
    return academic_year_end_on(DEFAULT_ACADEMIC_YEAR_END, fy)


class CalendarSettings(Frozen):
    """The [calendar] table: dates of the school year that the manual's timing refers to."""

    # "เมื่อสิ้นปีการศึกษา" (procedure ๑๓): the end of the academic year, which the Ministry of
    # Education sets each year. MM-DD, taken in every fiscal year …
    academic_year_end: Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")] = (
        DEFAULT_ACADEMIC_YEAR_END
    )
    # … unless the ministry's date of a particular fiscal year is given: {2570 = "2570-04-01"}.
    academic_year_ends: dict[int, dt.date] = Field(default_factory=dict)

    @field_validator("academic_year_end")
    @classmethod
    def _a_real_day(cls, value: str) -> str:
        try:
            academic_year_end_on(value, 2571)  # its February has 29 days: 02-29 passes
        except ValueError:
            message = _("'{value}' is not a day of the calendar (write MM-DD, such as 03-31)")
            raise ValueError(message.format(value=value)) from None
        return value

    @field_validator("academic_year_ends", mode="before")
    @classmethod
    def _read_dates(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        # Written in the Buddhist Era as the office writes dates ("2570-04-01"), or as a TOML date.
        return {k: parse_date(v) if isinstance(v, str) else v for k, v in value.items()}

    @model_validator(mode="after")
    def _each_in_its_year(self) -> CalendarSettings:
        for fy, day in self.academic_year_ends.items():
            if fiscal_year(day) != fy:
                first, last = fiscal_year_bounds(fy)
                raise ValueError(
                    _("academic_year_ends: {fy} = {day} is not in fiscal year {fy} ({first} to {last})").format(
                        fy=fy, day=day.isoformat(), first=first.isoformat(), last=last.isoformat()
                    )
                )
        return self

    def academic_year_end_in(self, fy: int) -> dt.date:
        """The end of the academic year that falls in fiscal year `fy`."""
        return self.academic_year_ends.get(fy) or academic_year_end_on(self.academic_year_end, fy)


class SharingSettings(Frozen):
    """The [sharing] table: how sop shares the office's records through git."""

    # Each command that writes records commits exactly the files it wrote, with a Thai message.
    # False: the files stay uncommitted until `sop sync` commits them (or the person does).
    commit: bool = True


# A Thai civil servant's office day, 08.30 to 16.30 with an hour for lunch: seven working hours,
# which over the some 243 working days of a fiscal year gives the roughly 1,700 hours a year that
# the plan's capacity is measured against.
DEFAULT_HOURS_A_DAY = 7.0
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class PeopleSettings(Frozen):
    """The [people] table: working hours, how the manual's hours are read, reminders, substitutes."""

    hours_a_day: float = Field(default=DEFAULT_HOURS_A_DAY, gt=0, le=24)
    # The manual does not say whether a row's hours are the work of all its holders together
    # (person-hours, shared among them) or the time the row lasts (elapsed, each holder busy all of
    # it). Person-hours is the default: read as elapsed hours, procedure ๔'s first row alone
    # (2,915 hours, 416 working days of seven hours) would outlast the fiscal year.
    hours_are: Literal["person", "elapsed"] = "person"
    # Calendar alarms ring this many working days before a deadline (`sop calendar`).
    remind_days_before: int = Field(default=3, ge=0, le=60)
    # A digest lists what is due within this many working days (as "due soon" in `sop status`).
    remind_within: int = Field(default=5, ge=0, le=60)
    # How a substitute signs the absent person's documents when the leave does not say.
    substitute_acting: Acting = "ปฏิบัติราชการแทน"
    # Each person's e-mail address for `sop remind`: nanthana = "nanthana@example.go.th".
    email: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], Annotated[str, Field(pattern=_EMAIL)]] = Field(
        default_factory=dict
    )


class MailSettings(Frozen):
    """The [mail] table: the office's SMTP server for `sop remind --send` (the password never lives here).

    Without `host`, digests are written to files instead of being sent. The password comes from
    the SOP_SMTP_PASSWORD environment variable or the system keyring.
    """

    host: Text | None = None
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    user: Text | None = None
    sender: Annotated[str, Field(pattern=_EMAIL)] | None = Field(default=None, alias="from")
    timeout: float = Field(default=30, gt=0, le=600)


class Settings(Frozen):
    """Everything `sop.toml` may hold; every key is optional and has a default."""

    # A factory, not an instance: building a model at import time would cost every command its schema.
    evidence: EvidenceSettings = Field(default_factory=EvidenceSettings)
    office: OfficeTable = Field(default_factory=OfficeTable)
    ui: UiSettings = Field(default_factory=UiSettings)
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    documents: DocumentsSettings = Field(default_factory=DocumentsSettings)
    sharing: SharingSettings = Field(default_factory=SharingSettings)
    people: PeopleSettings = Field(default_factory=PeopleSettings)
    mail: MailSettings = Field(default_factory=MailSettings)
