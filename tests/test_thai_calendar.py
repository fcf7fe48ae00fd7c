"""Thai dates: digits, Buddhist Era formatting, fiscal years, quarters and user date parsing."""

from __future__ import annotations

import datetime as dt

import pytest

from sop_cli.thai_calendar import (
    arabic_digits,
    fiscal_quarter,
    fiscal_year,
    fiscal_year_bounds,
    format_long,
    format_short,
    parse_date,
    quarter_bounds,
    thai_digits,
)

D = dt.date


def test_digits_both_ways() -> None:
    """Arabic and Thai digits convert both ways and leave other text alone."""
    assert thai_digits("ที่ 12/2570") == "ที่ ๑๒/๒๕๗๐"
    assert arabic_digits("๒๕ พ.ย. ๒๕๖๙") == "25 พ.ย. 2569"
    assert thai_digits(1234567890) == "๑๒๓๔๕๖๗๘๙๐"


@pytest.mark.parametrize(
    ("date", "short", "long"),
    [
        (D(2026, 11, 25), "25 พ.ย. 2569", "๒๕ พฤศจิกายน ๒๕๖๙"),
        (D(2027, 1, 1), "1 ม.ค. 2570", "๑ มกราคม ๒๕๗๐"),
        (D(2024, 10, 1), "1 ต.ค. 2567", "๑ ตุลาคม ๒๕๖๗"),
        (D(2025, 9, 30), "30 ก.ย. 2568", "๓๐ กันยายน ๒๕๖๘"),
    ],
)
def test_formats(date: dt.date, short: str, long: str) -> None:
    """Terminal and document forms of a date in the Buddhist Era."""
    assert format_short(date) == short
    assert format_long(date) == long
    assert format_long(date, digits=False) == arabic_digits(long)


@pytest.mark.parametrize(
    ("date", "fy", "quarter"),
    [
        (D(2026, 9, 30), 2569, 4),  # last day of FY 2569
        (D(2026, 10, 1), 2570, 1),  # FY 2570 starts 1 Oct 2026
        (D(2026, 12, 31), 2570, 1),
        (D(2027, 1, 1), 2570, 2),
        (D(2027, 3, 31), 2570, 2),  # the six-month round ends here
        (D(2027, 4, 1), 2570, 3),
        (D(2027, 7, 1), 2570, 4),
        (D(2027, 9, 30), 2570, 4),
    ],
)
def test_fiscal_year_and_quarter(date: dt.date, fy: int, quarter: int) -> None:
    """Fiscal year and quarter around their boundaries (the half-year report ends with quarter 2)."""
    assert (fiscal_year(date), fiscal_quarter(date)) == (fy, quarter)


def test_bounds() -> None:
    """FY 2570 runs 1 Oct 2026 to 30 Sep 2027; its quarters cover it without gaps."""
    assert fiscal_year_bounds(2570) == (D(2026, 10, 1), D(2027, 9, 30))
    quarters = [quarter_bounds(2570, q) for q in (1, 2, 3, 4)]
    assert quarters == [
        (D(2026, 10, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 3, 31)),
        (D(2027, 4, 1), D(2027, 6, 30)),
        (D(2027, 7, 1), D(2027, 9, 30)),
    ]
    with pytest.raises(ValueError, match="1 to 4"):
        quarter_bounds(2570, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25", D(2026, 11, 25)),
        ("2569-11-25", D(2026, 11, 25)),
        ("๒๕๖๙-๑๑-๒๕", D(2026, 11, 25)),
        ("2570-02-15", D(2027, 2, 15)),
        (" 2024-2-29 ", D(2024, 2, 29)),
    ],
)
def test_parse_date(text: str, expected: dt.date) -> None:
    """Users may type CE or BE years, Arabic or Thai digits."""
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2570-02-30", "is not a day of the calendar"),
        ("25690-01-01", "has a year that cannot be meant"),
        ("1500-01-01", "has a year that cannot be meant"),
        ("25/11/2569", "is not a date"),
        ("tomorrow", "is not a date"),
    ],
)
def test_parse_date_refuses(text: str, message: str) -> None:
    """Impossible days and years that cannot be meant are refused with a reason."""
    with pytest.raises(ValueError, match=message):
        parse_date(text)
