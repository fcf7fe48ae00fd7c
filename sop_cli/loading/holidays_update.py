"""Write the workspace's holiday calendar from the `holidays` package, keeping the office's overrides."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from sop_cli.errors import InvalidFilesError
from sop_cli.i18n import _
from sop_cli.loading.holidays import holiday_file_path
from sop_cli.models.holidays import HOLIDAYS_SCHEMA_VERSION, HolidayFile
from sop_cli.storage.atomic import write_text_atomic
from sop_cli.thai_calendar import BE_OFFSET, arabic_digits
from sop_cli.working_days import MAX_YEARS, update_command
from sop_cli.workspace import Workspace

# A government office closes on public holidays and on the government ones (วันพืชมงคล). Never
# `workday`: those are observances on which offices stay open. `school` holds วันครู, not a day off.
CATEGORIES = ("public", "government")
_LOWEST_BE, _HIGHEST_BE = 2400, 2700

DEFAULT_HEADER = f"""\
# Days off of the Chiang Rai Provincial Education Office, used to count working days.
# Written by `{update_command()}` from the `holidays` package: `generated` and `days`
# are rewritten by every update, so do not edit them. `overrides` at the end is edited by hand
# and kept as it is by every update.
"""

DEFAULT_OVERRIDES = """\
# Office overrides, edited by hand and kept by `sop holidays update`; each applies to `days` above.
#   action: add     a day off that `days` does not have yet: a Cabinet special holiday
#                   (วันหยุดพิเศษ by มติคณะรัฐมนตรี) announced after the last update, or a closure of the
#                   province's offices (ประกาศจังหวัดเชียงราย). Give its name.
#   action: remove  a day in `days` that is not a day off after all (the Cabinet moved a lunar holiday).
# Every override needs a reason: the resolution or announcement and its date, so a colleague can check it.
# To add one, replace [] with a list, for example:
#   overrides:
#     - {date: 2027-01-04, action: add, name: วันหยุดพิเศษ, reason: มติคณะรัฐมนตรี ลงวันที่ ... เรื่อง ...}
#     - {date: 2027-05-07, action: add, name: วันหยุดราชการจังหวัดเชียงราย, reason: ประกาศจังหวัดเชียงราย ลงวันที่ ...}
#     - {date: 2027-02-22, action: remove, reason: มติคณะรัฐมนตรี ลงวันที่ ... ให้ย้ายวันหยุดชดเชย ...}
overrides: []
"""

_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+)\s*)?$")


def parse_year_range(text: str) -> list[int]:
    """Read a range of Buddhist Era years such as `2568-2572` (or one year, `2569`) into its years."""
    match = _RANGE.match(arabic_digits(text))
    if match is None:
        raise ValueError(
            _("'{text}' is not a range of years; write it as 2568-2572 (Buddhist Era years)").format(text=text)
        )
    start = int(match.group(1))
    end = int(match.group(2) or start)
    for year in (start, end):
        if not _LOWEST_BE < year < _HIGHEST_BE:
            hint = (
                _(" (write {value} for {year})").format(value=year + BE_OFFSET, year=year)
                if 1900 <= year <= 2200
                else ""
            )
            raise ValueError(_("{year} is not a Buddhist Era year such as 2569{hint}").format(year=year, hint=hint))
    if start > end:
        raise ValueError(
            _("'{text}' ends before it starts; write the earlier year first: {end}-{start}").format(
                text=text, end=end, start=start
            )
        )
    if end - start + 1 > MAX_YEARS:
        raise ValueError(
            _("'{text}' spans {value} years; update at most {MAX_YEARS} years at a time").format(
                text=text, value=end - start + 1, MAX_YEARS=MAX_YEARS
            )
        )
    return list(range(start, end + 1))


def generate_days(years_be: list[int]) -> list[tuple[dt.date, str]]:
    """Days off of Thai government offices in the given Buddhist Era years, with their Thai names."""
    # Imported here: it loads every country's module (~110 ms), and only this command needs it.
    from holidays.utils import country_holidays

    # country_holidays("TH") builds holidays.Thailand through a typed signature (Thailand's own
    # __init__ is untyped). The language is explicit because, when it is not given, holidays picks
    # it from the locale (LANG, LC_ALL): under C.UTF-8 the names come out in English.
    calendar = country_holidays(
        "TH", years=[year - BE_OFFSET for year in years_be], categories=CATEGORIES, language="th"
    )
    return sorted(calendar.items())


def source_description() -> str:
    """Name the package and version that generated the days, for the file's `generated.source`."""
    from holidays.version import __version__

    return f"holidays {__version__}, Thailand, categories {' and '.join(CATEGORIES)}"


def _scalar(text: str) -> str:
    # Plain when it cannot be misread in a flow mapping (Thai first, no YAML indicator), else quoted.
    plain = text[:1] > "\x7f" and text == text.strip() and not re.search(r"[,:\[\]{}#\x00-\x1f]", text)
    return text if plain else json.dumps(text, ensure_ascii=False)


def render_generated(years_be: list[int], days: list[tuple[dt.date, str]], source: str) -> str:
    """Write the generated part of the file: `schema_version`, `generated` and `days`."""
    years = ", ".join(str(y) for y in years_be)
    lines = [
        f"schema_version: {HOLIDAYS_SCHEMA_VERSION}",
        "generated:",
        f"  years: [{years}]  # Buddhist Era calendar years covered",
        f"  source: {_scalar(source)}",
        "days:" if days else "days: []",
        *(f"  - {{date: {date.isoformat()}, name: {_scalar(name)}}}" for date, name in days),
    ]
    return "\n".join(lines) + "\n"


def _is_top_comment(line: str) -> bool:
    return line.startswith("#") or not line.strip()


def _kept_parts(text: str, model: HolidayFile) -> tuple[str, str | None]:
    """Return the file's top comment and its `overrides` section with the comment just above it, verbatim."""
    from sop_cli.loading.yaml_files import Locator

    lines = text.splitlines(keepends=True)
    header_end = 0
    while header_end < len(lines) and _is_top_comment(lines[header_end]):
        header_end += 1
    comments_end = header_end
    while comments_end and not lines[comments_end - 1].strip():
        comments_end -= 1
    header = "".join(lines[:comments_end])
    if "overrides" not in model.model_fields_set:
        return header, None
    locator = Locator(text)
    starts = {key: locator.find((key,), on_key=True)[0] - 1 for key in model.model_fields_set}

    def block_start(line: int) -> int:
        # A comment at the left margin just above a key belongs to that key.
        while line > header_end and _is_top_comment(lines[line - 1]):
            line -= 1
        return line

    first = starts["overrides"]
    later = [start for start in starts.values() if start > first]
    end = block_start(min(later)) if later else len(lines)
    section = "".join(lines[block_start(first) : end]).lstrip("\r\n")
    return header, section if section.endswith("\n") else section + "\n"


def update_holiday_file(ws: Workspace, years_be: list[int]) -> Path:
    """Regenerate the days off of `years_be` in `calendar/holidays.yaml`, keeping its top comment and overrides.

    A file that cannot be read as a holiday calendar is refused, not overwritten. The overrides are
    kept even when they no longer fit the new days (a removed day that is gone): `sop check` says so.
    """
    from sop_cli.loading.yaml_files import load_model

    years = sorted(set(years_be))
    path = holiday_file_path(ws)
    header, overrides = DEFAULT_HEADER, DEFAULT_OVERRIDES
    if path.exists():
        loaded, problems = load_model(HolidayFile, path, ws.relative(path))
        if loaded is None:
            raise InvalidFilesError(problems)
        header, kept = _kept_parts(loaded.text, loaded.model)
        overrides = kept if kept is not None else DEFAULT_OVERRIDES
    body = render_generated(years, generate_days(years), source_description())
    separator = "\n" if header else ""
    write_text_atomic(path, f"{header}{separator}{body}\n{overrides}")
    return path
