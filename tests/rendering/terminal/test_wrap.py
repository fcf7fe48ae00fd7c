"""Thai line breaking: at spaces, then between words, never inside a cluster; numbers and URLs whole."""

from __future__ import annotations

import re
import time

import pytest
from rich.cells import cell_len
from rich.text import Text

from sop_cli.rendering.terminal import wrap
from sop_cli.rendering.terminal.wrap import cluster_breaks, hanging, segment, wrap_lines, wrap_text
from tests.conftest import PROJECT

URL = "https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOpQrStUvWxYz"
# Never the first character of a line, and never the last: Thai's dependent signs, leading vowels.
NOT_FIRST = re.compile(r"^[\u0e30-\u0e3a\u0e45-\u0e4e\u0e2f]")
NOT_LAST = re.compile(r"[\u0e40-\u0e44]$")


def _manual_sentences() -> list[str]:
    """Every Thai run of 20 letters or more in the shipped procedures: real text to break."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((PROJECT / "sops").glob("*.yaml")))
    return sorted(set(re.findall(r"[\u0e01-\u0e4f][\u0e01-\u0e4f ]{19,}", text)))


def test_segment_finds_the_words_of_an_official_title() -> None:
    """A title without spaces splits into its dictionary words."""
    assert segment("ประสานและสนับสนุนการตรวจราชการ") == ["ประสาน", "และ", "สนับสนุน", "การ", "ตรวจราชการ"]
    assert segment("ปรับตัวชี้วัดให้ตรงบริบทจังหวัด") == ["ปรับ", "ตัวชี้วัด", "ให้", "ตรง", "บริบท", "จังหวัด"]


def test_repetition_and_abbreviation_marks_stay_with_their_word() -> None:
    """ๆ and ฯ are never the start of a piece."""
    assert segment("สิ่งต่างๆที่เกี่ยวข้อง")[1] == "ต่างๆ"
    assert segment("แต่งตั้งคณะทำงานฯเสนอ") == ["แต่งตั้ง", "คณะทำงานฯ", "เสนอ"]


def test_cluster_breaks_never_split_a_consonant_from_its_signs() -> None:
    """Break offsets fall before a consonant or a leading vowel, never before a mark or after เ แ โ ใ ไ."""
    text = "เกี่ยวกับการพัฒนาระบบที่สำคัญๆ"
    for offset in cluster_breaks(text):
        assert not NOT_FIRST.match(text[offset:]) and not NOT_LAST.search(text[:offset])


@pytest.mark.parametrize("width", [6, 9, 14, 23, 40])
def test_manual_text_wraps_without_losing_or_splitting_anything(width: int) -> None:
    """Every line fits (or is one unbreakable piece); joined back, the lines give the text; no cluster is split."""
    for sentence in _manual_sentences():
        lines = wrap_lines(sentence, width, fold=True)
        assert "".join(lines).replace(" ", "") == sentence.replace(" ", "")
        for line in lines:
            assert cell_len(line) <= width, (width, line)
            assert not NOT_FIRST.match(line), (width, line)
            assert not NOT_LAST.search(line), (width, line)


def test_thai_breaks_between_words_when_a_word_fits() -> None:
    """In a narrow column a Thai title breaks at a word boundary, not in the middle of a word."""
    lines = wrap_lines("ศึกษาวิเคราะห์ข้อมูลและแผนการตรวจราชการ", 16)
    words = set(wrap.words())
    for line in lines:
        assert all(piece in words for piece in segment(line)), lines


def test_spaces_are_preferred_to_word_boundaries() -> None:
    """Text with spaces breaks at its spaces when the pieces fit."""
    assert wrap_lines("สั่งการ กำกับ ดูแล เร่งรัด", 11) == ["สั่งการ กำกับ", "ดูแล เร่งรัด"]
    assert wrap_lines("สิ่งต่าง ๆ ที่เกี่ยวข้อง", 9) == ["สิ่งต่าง ๆ", "ที่เกี่ยวข้อง"]


def test_numbers_dates_and_file_names_are_never_broken() -> None:
    """A date, an amount of hours and a file name move to the next line whole."""
    text = "ครบกำหนด 31 ธ.ค. 2569 ใช้ไป 1188 ชม. ไฟล์ memo-step02-ศธ0288-4-2569.docx"
    lines = wrap_lines(text, 12)
    assert "31 ธ.ค. 2569" in lines and any("1188 ชม." in line for line in lines)
    assert "memo-step02-ศธ0288-4-2569.docx" in lines


def test_a_url_has_a_line_of_its_own_and_is_never_cut() -> None:
    """The URL is alone on its line, whole, even when wider than the line."""
    lines = wrap_lines(f"แบบฟอร์มอยู่ที่ {URL} ตามลิงก์", 30)
    assert URL in lines
    assert lines[lines.index(URL) - 1] == "แบบฟอร์มอยู่ที่"


def test_in_a_table_cell_a_url_folds_rather_than_being_cut() -> None:
    """wrap_text folds a URL wider than the cell: every character is still there."""
    folded = wrap_text(f"ดู {URL}", 20)
    assert folded.plain.replace("\n", "").replace("ดู", "").strip() == URL
    assert all(cell_len(line) <= 20 for line in folded.plain.split("\n"))


def test_styles_survive_wrapping() -> None:
    """A coloured word keeps its colour on whatever line it lands."""
    text = Text("ประสานและสนับสนุน")
    text.append("การตรวจราชการ", style="red")
    wrapped = wrap_text(text, 10)
    red = [wrapped.plain[span.start : span.end] for span in wrapped.spans if span.style == "red"]
    assert "".join(red).replace("\n", "") == "การตรวจราชการ"


def test_hanging_lines_start_under_the_text() -> None:
    """Continuation lines of `label text` start under the text, not at column 0."""
    lines = hanging("หลักฐาน: ", "จัดทำหนังสือราชการแจ้งเรื่องการติดตามต่อหน่วยงานการศึกษา", 30).plain.split("\n")
    assert len(lines) > 1
    assert all(line.startswith(" " * cell_len("หลักฐาน: ")) for line in lines[1:])


def test_the_word_list_is_small_and_quick() -> None:
    """The word list ships under 200 kB and loads in well under 100 ms (measured: about 6 ms)."""
    assert wrap.WORDS_FILE.stat().st_size < 200_000
    wrap.words.cache_clear()
    start = time.perf_counter()
    assert len(wrap.words()) > 20_000
    assert time.perf_counter() - start < 0.1


def test_word_breaks_are_remembered_between_runs_and_a_tampered_store_is_ignored() -> None:
    """A run segmented once is handed to the next run's store; a stored segmentation is used as is
    when it spells the run, and ignored when it does not (a damaged or foreign cache cannot change text)."""
    run = "ประสานงานการตรวจราชการ"
    try:
        wrap.remember(lambda: {})
        fresh = wrap.segment(run)
        assert len(fresh) > 1 and wrap.learned() == {run: fresh}
        wrap.remember(lambda: {run: ["ประสาน", "งานการตรวจราชการ"]})
        assert wrap.segment(run) == ["ประสาน", "งานการตรวจราชการ"]
        assert wrap.learned() is None  # nothing new to save
        wrap.remember(lambda: {run: ["ประสาน", "งานXXX"]})
        assert wrap.segment(run) == fresh
    finally:
        wrap.remember(None)
