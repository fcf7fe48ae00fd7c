"""Thai dates: Buddhist Era years, month names, Thai digits, fiscal years and quarters (pure)."""

from __future__ import annotations

import datetime as dt
import re

from sop_cli.i18n import _

BE_OFFSET = 543
# Thailand keeps UTC+7 all year (no daylight saving): a fixed offset needs no tz database.
BANGKOK = dt.timezone(dt.timedelta(hours=7), "Asia/Bangkok")
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip


def thai_digits(text: str | int) -> str:
    """Write every Arabic digit of `text` as a Thai digit."""
    return str(text).translate(_TO_THAI)


def arabic_digits(text: str) -> str:
    """Write every Thai digit of `text` as an Arabic digit."""
    return text.translate(_TO_ARABIC)


def be_year(date: dt.date) -> int:
    """Buddhist Era year of `date`."""
    return date.year + BE_OFFSET


def format_short(date: dt.date) -> str:
    """Terminal form: `25 พ.ย. 2569`."""
    return f"{date.day} {MONTHS_SHORT[date.month - 1]} {be_year(date)}"


def format_long(date: dt.date, digits: bool = True) -> str:
    """Document form: `๒๕ พฤศจิกายน ๒๕๖๙` (Thai digits unless `digits` is False)."""
    text = f"{date.day} {MONTHS[date.month - 1]} {be_year(date)}"
    return thai_digits(text) if digits else text


def fiscal_year(date: dt.date) -> int:
    """Thai fiscal year (Buddhist Era) holding `date`: 1 Oct 2026 → 2570."""
    return be_year(date) + (1 if date.month >= 10 else 0)


def fiscal_year_bounds(fy: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year `fy` (Buddhist Era)."""
    end_year = fy - BE_OFFSET
    return dt.date(end_year - 1, 10, 1), dt.date(end_year, 9, 30)


def fiscal_quarter(date: dt.date) -> int:
    """Fiscal quarter 1–4 of `date` (1 = October–December)."""
    return (date.month - 10) % 12 // 3 + 1


def quarter_bounds(fy: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of `quarter` (1–4) of fiscal year `fy`."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"a fiscal quarter is 1 to 4, not {quarter}")
    start, _ = fiscal_year_bounds(fy)
    first_month = start.month + 3 * (quarter - 1)
    year = start.year + (first_month - 1) // 12
    month = (first_month - 1) % 12 + 1
    first = dt.date(year, month, 1)
    next_month = month + 3
    after = dt.date(year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


_DATE = re.compile(r"^\s*(\d{4,})-(\d{1,2})-(\d{1,2})\s*$")
# A Buddhist Era year is told apart from a Common Era one by size: no CE year of use is above 2400.
_BE_THRESHOLD = 2400
_LATEST_CE = 2200


def parse_date(text: str) -> dt.date:
    """Read a user's date: ISO in the Common or Buddhist Era, Arabic or Thai digits."""
    match = _DATE.match(arabic_digits(text))
    if match is None:
        raise ValueError(
            _("'{text}' is not a date; write it as YYYY-MM-DD, for example 2569-11-25 or 2026-11-25").format(text=text)
        )
    year, month, day = (int(g) for g in match.groups())
    if year > _BE_THRESHOLD:
        year -= BE_OFFSET
    if not 1900 <= year <= _LATEST_CE:
        raise ValueError(
            _(
                "'{text}' has a year that cannot be meant; write a Buddhist Era year such as 2569 or a Common Era "
                "year such as 2026"
            ).format(text=text)
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("'{text}' is not a day of the calendar").format(text=text)) from None
