"""Draw the report's progress chart with matplotlib, in a Thai font found on the machine itself.

matplotlib builds its list of fonts once and caches it: a Thai font installed after its first run
stays invisible to it, and the chart came out with numbers only. So the font's file is looked for
among the machine's font files (not the cache) and registered with `fontManager.addfont`.
matplotlib is imported inside the functions: `sop status` must not pay for it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from sop_cli.rendering.docx_common import TEXT_WIDTH_CM
from sop_cli.thai_calendar import thai_digits
from sop_cli.views.report import SummaryRow

CHART_WIDTH_CM = TEXT_WIDTH_CM
# Thai fonts by their file's name, best first: the office's own (TH SarabunPSK, TH Sarabun New),
# Google's Sarabun, those of Debian's fonts-thai-tlwg and fonts-noto, then Windows' own.
THAI_FONT_FILES = (
    "thsarabun", "thsarabunnew", "thsarabunit๙", "sarabun-regular", "laksaman", "loma", "garuda", "norasi",
    "kinnari", "waree", "umpush", "tlwgtypo", "notosansthai-regular", "notoserifthai-regular", "leelawui",
    "leelawad", "tahoma",
)  # fmt: skip


def find_thai_font(extra: Sequence[Path] = ()) -> Path | None:
    """The file of a Thai font on this machine, best first, registered with matplotlib; None if none.

    `extra` folders are searched too (a font kept beside the workspace).
    """
    from matplotlib import font_manager

    files = [Path(f) for f in font_manager.findSystemFonts(fontext="ttf")]
    for folder in extra:
        files += [Path(f) for f in font_manager.findSystemFonts(fontpaths=[str(folder)], fontext="ttf")]
    by_name: dict[str, Path] = {}
    for path in files:
        by_name.setdefault(path.stem.lower(), path)
    for name in THAI_FONT_FILES:
        found = by_name.get(name)
        if found is not None and _has_thai(found):
            font_manager.fontManager.addfont(str(found))
            return found
    return None


def _has_thai(path: Path) -> bool:
    from matplotlib import ft2font

    try:
        return 0x0E01 in ft2font.FT2Font(str(path)).get_charmap()  # ก: the font has Thai letters
    except (OSError, RuntimeError):
        return False


def _clip(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def progress_chart(rows: Sequence[SummaryRow], font: Path | None, thai: bool = True) -> bytes:
    """A PNG bar chart of the share of steps done per procedure.

    With a Thai font the bars are labelled with the procedures' numbers and short titles in Thai;
    without one only with their numbers (in Latin digits: a font without Thai has no Thai digits).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    def digits(text: str) -> str:
        return thai_digits(text) if thai and font else text

    size = 15.0 if font else 9.0  # TH Sarabun is drawn small: 15 pt of it reads as 10 pt of DejaVu
    props = FontProperties(fname=str(font), size=size) if font else FontProperties(size=size)
    height = 0.75 + 0.3 * max(len(rows), 1)
    fig = Figure(figsize=(CHART_WIDTH_CM / 2.54, height), dpi=200)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ordered = list(reversed(rows))  # the first procedure on top
    shares = [100 * r.share_done for r in ordered]
    positions = range(len(ordered))
    ax.barh(positions, [100.0] * len(ordered), color="#e6e6e6", height=0.6)
    ax.barh(positions, shares, color="#2f5597", height=0.6)
    if font:
        # Short titles cut at a space, never inside a word.
        labels = [digits(f"{r.procedure}. {_title(r.short_title, 34)}") for r in ordered]
    else:
        labels = [str(r.procedure) for r in ordered]
    ax.set_yticks(list(positions), labels)
    for label in ax.get_yticklabels():
        label.set_fontproperties(props)
    for y, r in zip(positions, ordered, strict=True):
        ax.text(101, y, digits(f"{r.steps_done}/{r.steps_total}"), va="center", ha="left", fontproperties=props)
    ax.set_xlim(0, 118)  # room on the right for the counts
    ax.spines["bottom"].set_bounds(0, 100)
    ticks = [0, 25, 50, 75, 100]
    ax.set_xticks(ticks, [digits(f"{t}") + ("" if font else "%") for t in ticks])
    for label in ax.get_xticklabels():
        label.set_fontproperties(props)
    if font:
        ax.set_xlabel("ร้อยละของขั้นตอนที่ดำเนินการแล้ว", fontproperties=props)
    ax.set_ylim(-0.6, len(ordered) - 0.4)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    fig.tight_layout(pad=0.3)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _title(text: str, length: int) -> str:
    """`text` cut to about `length` characters at a space (a Thai word is never cut), with …"""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return (cut if len(cut) >= length // 2 else _clip(text, length).rstrip("…")) + "…"
