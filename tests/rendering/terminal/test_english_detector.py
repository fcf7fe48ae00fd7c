"""The detector of English sentences finds sop's English messages and lets names and ids through."""

from __future__ import annotations

import pytest

from tests.rendering.terminal.english import english_sentences


@pytest.mark.parametrize(
    "english",
    [
        "next: step 2: จัดทำแนวทาง",
        "error: there is no option --hour (did you mean --force, --hours?)",
        "no events",
        "25 พ.ย. 2569   ev000037   1 hours on step 7",
        "Status of the work, fiscal year 2570",
        "Error: Missing argument 'number'.",
        "Try 'sop advance --help' for help.",
        "Usage: sop status [OPTIONS] [NUMBER]",
        "✓ evidence added: minutes.pdf (46 bytes, sha256 40c89525776a)",
        "ok: 14 procedures checked, no problems",
        "deadlines not shown: the calendar has no year 2571",
        "wrote exports/2570/sop-2570.xlsx",
        "รอบ 1: done 25 พ.ย. 2569",
    ],
)
def test_finds_english(english: str) -> None:
    """Each of these lines holds an English sentence or word of sop's messages."""
    assert english_sentences(english), english


@pytest.mark.parametrize(
    "thai",
    [
        "ข้อผิดพลาด: ไม่มีตัวเลือก --hour (หมายถึง --force, --hours หรือไม่)",
        "วิธีใช้: sop advance [ตัวเลือก] NUMBER",
        "ดูวิธีใช้: sop advance --help",
        "หลักฐาน: https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOpQrStUvWxYz · 25 พ.ย. 2569",
        "✓ บันทึกข้อความ ที่ ศธ ๐๒๘๘/๑ → records/2570/03-4e4tja/documents/memo-step01-ศธ0288-1-2569.docx",
        "  --format table|json   table (ตาราง) หรือ json  [ถ้าไม่ระบุ: table]",
        "ภาษาของข้อความ: th (ค่าเริ่มต้น) หรือ en ตั้งได้ด้วย $SOP_LANG หรือ [ui] lang ใน sop.toml",
        "ศึกษาบทบาทหน้าที่ และตัวชี้วัด (KPI) ตามประเด็นนโยบาย",
        "การดำเนินงาน m9sphy · งานที่ 2 · ปีงบประมาณ 2570",
        "⏰ รอวันที่ของ inspection_visit · ข้อ 6.4",
        "ทำไฟล์ปฏิทิน (iCalendar) สำหรับ Google Calendar",
        "เป็นหลักฐานของขั้นตอนที่ 1 (sha256 02e860d4c1f4)",
        "แฟ้มหลักฐาน: `sop dossier --out DIR` เพื่อจัดทำ",
    ],
)
def test_lets_names_ids_and_paths_through(thai: str) -> None:
    """Thai with URLs, paths, options, ids and product names holds no English sentence."""
    assert english_sentences(thai) == []
