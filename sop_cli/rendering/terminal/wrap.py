"""Wrap text for the terminal without losing a word: Thai at word boundaries, URLs on their own line.

Rich breaks lines only at spaces and cuts the rest with an ellipsis; Thai writes no space between
words, so a Thai sentence in a narrow column used to lose its middle. Here a line breaks:

1. at spaces, where the text has them;
2. inside Thai, between words, found by maximal matching over a word list (`thai_words.txt.gz`,
   about 25,900 words in 111 kB, read in about 6 ms and only when a Thai run does not fit): the
   words of PyThaiNLP's public-domain `words_th.txt` that the Thai National Corpus uses, those of
   the same list that the manual (sops/*.yaml) and the messages use, and a few terms of the
   office (ตัวชี้วัด, ศึกษานิเทศก์, กศจ …). PyThaiNLP itself (68 MB) is not needed;
3. inside a Thai word the list does not know (or one wider than the whole line), between two
   character clusters, never inside one: a consonant keeps its vowels and tone marks, a leading
   vowel (เ แ โ ใ ไ) its consonant, and ะ า ำ ๅ ๆ ฯ never begin a line.

Numbers, dates, ids and file names are never broken: they move to the next line whole (in a table
cell narrower than one of them, where Rich would cut it, they fold). A URL gets a line of its own
and is never broken, so that it can be copied.

- `wrap_text(text, width, indent)`: a Rich `Text` (styles kept) with its lines joined by newlines,
  continuation lines indented; for table cells and free lines alike.
- `hanging(label, body, width)`: `label body`, the body's continuation lines under its first word.
- `wrap_lines(text, width)`: the plain lines.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text

WORDS_FILE = Path(__file__).resolve().parent / "thai_words.txt.gz"

_THAI = re.compile(r"[\u0e01-\u0e4f]+")  # letters, vowels, marks, ฯ, ๆ; Thai digits count as numbers
_PARTS = re.compile(r"[\u0e01-\u0e4f]+|[^\u0e01-\u0e4f]+")
_REPEAT = re.compile(r"([ๆฯ]+)")
_URL = re.compile(r"(?:https?://|www\.)\S+")
# A Thai short date (25 พ.ย. 2569) and an amount with its unit (1188 ชม.) are never split.
_WHOLE = r"\d{1,2} [\u0e01-\u0e2e]{1,2}\.[\u0e01-\u0e2e]{1,2}\.(?:[\u0e01-\u0e2e]\.)? \d{4}|\d[\d,./]* ชม\."
_CHUNK = re.compile(rf"(?:{_WHOLE})(?=[ \t]|$)|[^ \t]+")
# Never the first character of a line: ฯ, the following vowels ะ ั า ำ ิ ี ึ ื ุ ู ฺ ๅ, ๆ, and the marks ็ ่ ้ ๊ ๋ ์ ํ ๎.
_NO_BREAK_BEFORE = frozenset("\u0e2f\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45\u0e46") | {
    chr(c) for c in range(0x0E47, 0x0E4F)
}
_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")  # เ แ โ ใ ไ are written before their consonant
_MAX_WORD = 24  # longer entries of the list are compounds of shorter ones

# Control characters (but tab and line break) and the marks that reorder a line: a note, label,
# reason or file name holding them could clear the screen, fake coloured text, add a link or
# retitle the window. Rich removes only a few of them.
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: Text) -> Text:
    """`text` with every control character shown as its escape, its styles kept (see `printable`)."""
    if not UNPRINTABLE.search(text.plain):
        return text
    cuts = sorted({i for m in UNPRINTABLE.finditer(text.plain) for i in (m.start(), m.end())})
    result = Text(style=text.style, justify=text.justify, no_wrap=text.no_wrap, end=text.end)
    for piece in text.divide(cuts):
        if UNPRINTABLE.fullmatch(piece.plain):
            shown = Text(printable(piece.plain), style=piece.style)
            for span in piece.spans:
                shown.stylize(span.style, 0, len(shown))
            piece = shown
        result.append_text(piece)
    return result


def printable(text: str) -> str:
    """`text` with every control character written as its escape (`\\x1b`), so none reaches the terminal raw."""
    return UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)


@cache
def words() -> frozenset[str]:
    """The Thai word list, read once, the first time a Thai run has to be broken."""
    return frozenset(gzip.decompress(WORDS_FILE.read_bytes()).decode("utf-8").split("\n"))


def cluster_breaks(text: str) -> list[int]:
    """Offsets inside `text` where a line may break without splitting a character cluster."""
    return [
        i
        for i in range(1, len(text))
        if text[i] not in _NO_BREAK_BEFORE and text[i - 1] not in _LEADING_VOWELS and not unicodedata.combining(text[i])
    ]


class Remembered:
    """Segmentations of Thai runs kept between runs of sop: loading the word list costs more than
    `sop status` may spend (about 12 ms of ~150), and the manual's texts are the same every day.

    The command line installs a loader (`remember`) and saves what was learned (`learned`); the
    store is plain data in the user's cache folder, never code.
    """

    load: Callable[[], dict[str, list[str]]] | None = None
    runs: dict[str, list[str]] | None = None
    changed = False


def remember(load: Callable[[], dict[str, list[str]]] | None) -> None:
    """Take remembered segmentations from `load()` (called the first time a run is segmented)."""
    Remembered.load, Remembered.runs, Remembered.changed = load, None, False


def learned() -> dict[str, list[str]] | None:
    """Every segmentation known now, when this run learned new ones (else None: nothing to save)."""
    return Remembered.runs if Remembered.changed else None


def segment(run: str) -> list[str]:
    """Split a run of Thai letters into words: as few unknown clusters as possible, then as few words.

    An unknown stretch comes back as one piece; it is broken between clusters only if it does not
    fit on a line. ๆ and ฯ stay with the word before them.
    """
    if Remembered.runs is None:
        Remembered.runs = {}
        if Remembered.load is not None:
            loaded = Remembered.load()
            if isinstance(loaded, dict):
                Remembered.runs = {k: v for k, v in loaded.items() if isinstance(v, list) and "".join(map(str, v)) == k}
    known = Remembered.runs.get(run)
    if known is not None:
        return list(known)
    pieces = _segment_run(run)
    Remembered.runs[run] = pieces
    Remembered.changed = True
    return list(pieces)


def _segment_run(run: str) -> list[str]:
    pieces: list[str] = []
    for part in _REPEAT.split(run):
        if part and part[0] in "ๆฯ" and pieces:
            pieces[-1] += part
        elif part:
            pieces.extend(_segment(part))
    return pieces


def _segment(run: str) -> list[str]:
    known = words()
    allowed = [0, *cluster_breaks(run), len(run)]
    # best[k]: (unknown clusters, words, previous boundary, whether the last piece is a known word)
    best: list[tuple[int, int, int, bool] | None] = [None] * len(allowed)
    best[0] = (0, 0, -1, True)
    for k, start in enumerate(allowed[:-1]):
        here = best[k]
        if here is None:
            continue
        for end_k in range(k + 1, len(allowed)):
            end = allowed[end_k]
            if end - start > _MAX_WORD:
                break
            if run[start:end] in known:
                _better(best, end_k, (here[0], here[1] + 1, k, True))
        _better(best, k + 1, (here[0] + 1, here[1] + 1, k, False))
    pieces: list[tuple[str, bool]] = []
    k = len(allowed) - 1
    while k > 0:
        entry = best[k]
        assert entry is not None
        pieces.append((run[allowed[entry[2]] : allowed[k]], entry[3]))
        k = entry[2]
    merged: list[str] = []
    previous_known = True
    for piece, is_known in reversed(pieces):
        if not is_known and not previous_known:
            merged[-1] += piece  # neighbouring unknown clusters are one unknown word
        else:
            merged.append(piece)
        previous_known = is_known
    return merged


def _better(best: list[tuple[int, int, int, bool] | None], k: int, candidate: tuple[int, int, int, bool]) -> None:
    current = best[k]
    if current is None or candidate[:2] < current[:2]:
        best[k] = candidate


@dataclass(frozen=True)
class _Unit:
    """What stays on one line when it can: a word, a number, an id, a URL."""

    start: int
    end: int
    gap: int  # where the spaces before it start; equal to `start` between two Thai words
    url: bool = False
    thai: bool = False  # Thai only: broken between clusters when wider than a line
    coarse: bool = False  # holds Thai runs not split into words yet


def _units(text: str, begin: int = 0, end: int | None = None, fine: bool = False) -> list[_Unit]:
    """The units of text[begin:end]. Coarse (the default), a chunk between spaces is one unit:
    Thai runs are split into words (the word list is read) only for a unit that does not fit."""
    units: list[_Unit] = []
    previous_end = begin
    for chunk in _CHUNK.finditer(text, begin, len(text) if end is None else end):
        gap = previous_end
        previous_end = chunk.end()
        if _URL.fullmatch(chunk.group()):
            units.append(_Unit(chunk.start(), chunk.end(), gap, url=True))
            continue
        if " " in chunk.group():  # a date or an amount: one piece
            units.append(_Unit(chunk.start(), chunk.end(), gap))
            continue
        atoms: list[tuple[int, int, bool]] = []  # (start, end, is a Thai word)
        for part in _PARTS.finditer(chunk.group()):
            offset = chunk.start() + part.start()
            if _THAI.fullmatch(part.group()):
                split = fine and _long_enough(part.group())
                for word in segment(part.group()) if split else [part.group()]:
                    atoms.append((offset, offset + len(word), True))
                    offset += len(word)
            else:
                atoms.append((offset, offset + len(part.group()), False))
        start, stop, thai = atoms[0]
        previous_thai = thai
        for atom_start, atom_end, atom_thai in atoms[1:]:
            if previous_thai and atom_thai:  # a break between two Thai words needs no space
                units.append(_Unit(start, stop, gap, thai=thai))
                start, gap, thai = atom_start, atom_start, True
            thai, stop, previous_thai = thai and atom_thai, atom_end, atom_thai
        coarse = not fine and any(is_thai and _long_enough(text[a:b]) for a, b, is_thai in atoms)
        units.append(_Unit(start, stop, gap, thai=thai, coarse=coarse))
        if len(units) > 1 and text[units[-1].start] in _NO_BREAK_BEFORE:
            # "ต่าง ๆ": a ๆ or ฯ written after a space still never begins a line.
            first, last = units[-2], units.pop()
            units[-1] = _Unit(first.start, last.end, first.gap, thai=first.thai and last.thai, coarse=first.coarse)
    return units


def _long_enough(run: str) -> bool:
    # A Thai run shorter than any line we draw never needs breaking: skip the word list for it.
    return cell_len(run) > 8


def _fold(text: str, start: int, end: int, room: int) -> list[tuple[int, int]]:
    """text[start:end] in lines of at most `room` cells, broken between clusters."""
    body = text[start:end]
    lines: list[tuple[int, int]] = []
    line_start = last_fit = 0
    for offset in [*cluster_breaks(body), len(body)]:
        if cell_len(body[line_start:offset]) <= room or last_fit == line_start:
            last_fit = offset
            continue
        lines.append((start + line_start, start + last_fit))
        line_start = last_fit
        last_fit = offset
    lines.append((start + line_start, start + last_fit))
    return lines


def _wrap_paragraph(text: str, first: int, width: int, fold: bool) -> list[tuple[int, int]]:
    if cell_len(text) <= first and not _URL.search(text):
        return [(0, len(text))]
    lines: list[tuple[int, int]] = []
    start: int | None = None
    end = used = 0
    room = first

    def close() -> None:
        nonlocal start, used, room
        if start is not None:
            lines.append((start, end))
            room = width
        start, used = None, 0

    pending = _units(text)
    pending.reverse()
    while pending:
        unit = pending.pop()
        size = cell_len(text[unit.start : unit.end])
        gap = cell_len(text[unit.gap : unit.start]) if start is not None else 0
        if unit.coarse and (used + gap + size > room if start is not None else size > room):
            # It does not fit where it lands: split its Thai into words and place those.
            fine = _units(text, unit.start, unit.end, fine=True)
            fine[0] = _Unit(fine[0].start, fine[0].end, unit.gap, url=fine[0].url, thai=fine[0].thai)
            pending.extend(reversed(fine))
            continue
        if unit.url:
            close()
            parts = _fold(text, unit.start, unit.end, room) if fold and size > room else [(unit.start, unit.end)]
            lines.extend(parts)
            room = width
            continue
        gap = cell_len(text[unit.gap : unit.start])
        if start is not None and used + gap + size <= room:
            end, used = unit.end, used + gap + size
            continue
        close()
        if size <= room or not (unit.thai or fold):
            start, end, used = unit.start, unit.end, size
            continue
        parts = _fold(text, unit.start, unit.end, room)
        lines.extend(parts[:-1])
        room = width
        start, end = parts[-1]
        used = cell_len(text[start:end])
    close()
    return lines or [(0, 0)]


def line_spans(text: str, width: int, first: int | None = None, fold: bool = False) -> list[tuple[int, int]]:
    """The (start, end) offsets of each line of `text` wrapped at `width` cells.

    `first` is the room on the first line when it differs (after a label). Newlines in `text`
    are kept. With `fold`, a number, id or URL wider than a whole line is broken between
    characters (for table cells, where Rich would cut it); without, it overflows its line.
    """
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        room = first if first is not None and not spans else width
        for a, b in _wrap_paragraph(paragraph, max(room, 1), max(width, 1), fold):
            spans.append((offset + a, offset + b))
        offset += len(paragraph) + 1
    return spans


def wrap_lines(text: str, width: int, fold: bool = False) -> list[str]:
    """`text` as lines of at most `width` cells (a number or URL wider than a line stays whole)."""
    return [text[a:b] for a, b in line_spans(text, width, fold=fold)]


def wrap_text(text: Text | str, width: int, indent: int = 0, fold: bool = True) -> Text:
    """A Rich `Text` wrapped to `width` cells, its lines joined by newlines and its styles kept.

    Continuation lines start with `indent` spaces. Markup in a `str` is not interpreted.
    """
    text = Text(printable(text)) if isinstance(text, str) else safe(text)
    spans = line_spans(text.plain, max(width - indent, 1), first=width, fold=fold)
    return _join(text, spans, indent, Text(style=text.style, end=text.end, no_wrap=True))


def hanging(label: Text | str, body: Text | str, width: int, indent: int | None = None) -> Text:
    """`label` followed by `body` wrapped to `width`: continuation lines start under the body's first
    word, or at `indent` cells. Markup in a `str` label is interpreted, in a `str` body it is not."""
    head = Text.from_markup(printable(label)) if isinstance(label, str) else safe(label.copy())
    body = Text(printable(body)) if isinstance(body, str) else safe(body)
    under = head.cell_len if indent is None else indent
    spans = line_spans(body.plain, max(width - under, 1), first=max(width - head.cell_len, 1))
    head.no_wrap = True
    return _join(body, spans, under, head)


def _join(text: Text, spans: list[tuple[int, int]], indent: int, out: Text) -> Text:
    for number, (start, end) in enumerate(spans):
        if number:
            out.append("\n" + " " * indent)
        out.append_text(text[start:end])
    return out


def widest_word(text: str) -> int:
    """The width of the widest word of `text` (a heading): Thai runs count by their words, between
    which a heading may wrap; everything else by its space-separated pieces."""
    widest = 1
    for piece in text.split():
        for part in _PARTS.findall(piece):
            words = segment(part) if _THAI.fullmatch(part) else [part]
            widest = max(widest, *(cell_len(word) for word in words))
    return widest


def widest_unbroken(text: str) -> int:
    """The width of the widest piece of `text` that wrapping never breaks: a number, a date, an id.

    Thai words and URLs do not count: a Thai word too wide for its line breaks between clusters,
    and a URL has a line of its own.
    """
    return max(
        (
            cell_len(chunk.group())
            for line in text.split("\n")
            for chunk in _CHUNK.finditer(line)
            if (" " in chunk.group() or not _THAI.search(chunk.group())) and not _URL.fullmatch(chunk.group())
        ),
        default=0,
    )
