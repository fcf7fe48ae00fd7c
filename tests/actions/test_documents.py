"""Issuing memos, letters and orders: read back from .docx, numbered, registered, recorded as evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.shared import Cm

from sop_cli.actions.check import check_workspace
from sop_cli.actions.documents import issue_letter, issue_memo, issue_order
from sop_cli.actions.register import register_listing
from sop_cli.actions.runs import Actor, start_run
from sop_cli.errors import SopError
from sop_cli.journal import Transaction
from sop_cli.models.records import EvidenceAdded, EvidenceDocument
from sop_cli.models.register import Series
from sop_cli.rendering.docx_common import plain_text
from sop_cli.storage.records import load_events
from sop_cli.storage.register import list_register, next_number, write_entry
from sop_cli.thai_calendar import BANGKOK
from sop_cli.views.documents import IssueResult
from sop_cli.workspace import Workspace
from tests.conftest import files_under
from tests.rendering.test_docx_official import (
    ARABIC_DIGIT,
    THAI_DIGIT,
    all_text,
    emblem_extent,
    member_rows,
    png,
    texts,
)
from tests.storage.test_register import entry
from tests.values import ME, NOW

EMAIL = "nitet2@chiangraipeo.go.th"


def plain_name(path: str) -> str:
    """A document's file name without the run id and the random part that keep names unique across clones."""
    return re.sub(r"(-[a-z0-9]{6})?-[a-z0-9]{4}\.docx$", ".docx", Path(path).name)


MEMBERS = """\
members:
  - name: นายประเสริฐ ใจงาม
    position: ศึกษาธิการจังหวัดเชียงราย
    role: ประธานกรรมการ
    duties: มีหน้าที่ อำนวยการ กำกับ และให้คำปรึกษา
  - name: นางนันทนา จันทร์ฝั้น
    position: ศึกษานิเทศก์
    role: กรรมการและเลขานุการ
"""


def at(year: int, month: int, day: int) -> Actor:
    """Nanthana acting at nine o'clock on a day in Asia/Bangkok."""
    return Actor(by="nanthana", now=dt.datetime(year, month, day, 9, 0, tzinfo=BANGKOK))


def started(ws: Workspace) -> str:
    """Open a run of procedure ๓ in fiscal year 2570 and return its id."""
    return start_run(ws, 3, ME).run


def members_file(ws: Workspace, text: str = MEMBERS, name: str = "members.yaml") -> Path:
    """Write a members file next to the workspace (not inside it)."""
    path = ws.root.parent / name
    path.write_text(text, encoding="utf-8")
    return path


def read(ws: Workspace, result: IssueResult, index: int = 0) -> Document:
    """The generated .docx, read back with python-docx."""
    return docx.Document(str(ws.root / result.documents[index].path))


def settings(ws: Workspace, text: str) -> None:
    """Write the workspace's sop.toml."""
    (ws.root / "sop.toml").write_text(text, encoding="utf-8")


def document_events(ws: Workspace) -> list[tuple[int | None, EvidenceDocument]]:
    """(step, evidence) of every generated document recorded in the records."""
    stored, problems = load_events(ws, 2570)
    assert problems == []
    found = []
    for item in stored:
        event = item.event
        if isinstance(event, EvidenceAdded) and isinstance(event.evidence, EvidenceDocument):
            found.append((event.step, event.evidence))
    return found


def seed(ws: Workspace, kind: str, issued: dt.date, number: int) -> None:
    """Register `number` of a kind's series, as if issued before, so the next one is number + 1."""
    write_entry(ws, entry(ws, number, kind=kind, issued=issued))


# --- the issue's story --------------------------------------------------------------------------


def test_memo_of_procedure_3_step_1(workspace: Workspace) -> None:
    """`sop memo 3 --step 1`: a memo to the director about appointing the committee, numbered, dated in
    Thai, in the run's documents/, recorded as evidence of step ๑ with its SHA-256, and registered."""
    run = started(workspace)
    result = issue_memo(workspace, 3, ME, step=1)
    (issued,) = result.documents
    assert re.fullmatch(
        rf"records/2570/03-{run}/documents/memo-step01-ศธ0288-1-2569-{run}-[a-z0-9]{{4}}\.docx", issued.path
    )
    assert (issued.number, issued.evidence, result.step, result.run) == ("ศธ ๐๒๘๘/๑", True, 1, run)
    assert issued.template == "sop_cli/templates/memo-03-01.txt.j2"
    lines = texts(read(workspace, result))
    assert lines[0] == ("ส่วนราชการ\tสำนักงานศึกษาธิการจังหวัดเชียงราย กลุ่มนิเทศ ติดตาม และประเมินผล โทร. (หมายเลขโทรศัพท์)\t")
    assert lines[1] == "ที่  ศธ ๐๒๘๘/๑\tวันที่  ๒๕ พฤศจิกายน ๒๕๖๙\t"
    assert lines[2] == (
        "เรื่อง\tขออนุมัติแต่งตั้งคณะกรรมการกำกับ ดูแล เร่งรัด ติดตามและประเมินผลการปฏิบัติงาน"
        "ของหน่วยงานการศึกษาและสถานศึกษาทุกสังกัด ประจำปีงบประมาณ พ.ศ. ๒๕๗๐\t"
    )
    assert lines[3] == "เรียน  ศึกษาธิการจังหวัดเชียงราย"
    assert lines[4].startswith("ด้วยสำนักงานศึกษาธิการจังหวัดเชียงราย มีภารกิจในการสั่งการ กำกับ ดูแล")
    assert lines[5].endswith("รายละเอียดตามร่างคำสั่งที่แนบมาพร้อมนี้")
    assert lines[6] == "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบโปรดลงนามในคำสั่งที่แนบมาพร้อมนี้"
    assert lines[-2:] == ["(นันทนา จันทร์ฝั้น)", "ศึกษานิเทศก์"]  # the acting staff member signs a memo

    path = workspace.root / issued.path
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert issued.sha256 == sha
    ((step, evidence),) = document_events(workspace)
    assert (step, evidence.doc_type, evidence.number, evidence.sha256) == (1, "memo", "ศธ ๐๒๘๘/๑", sha)
    assert evidence.stored == "documents/" + Path(issued.path).name
    (registered,) = list_register(workspace, 2569)
    assert (registered.series, registered.number, registered.printed) == (Series.outgoing, 1, "ศธ ๐๒๘๘/๑")
    assert (registered.run, registered.step, registered.fy, registered.by) == (run, 1, 2570, "nanthana")
    assert (registered.document, registered.sha256) == (issued.path, sha)
    assert registered.to == "ศึกษาธิการจังหวัดเชียงราย"
    assert issued.register_file is not None and issued.register_file.startswith("register/2569/out-0001-")
    assert check_workspace(workspace).ok


def test_order_of_procedure_3_step_1(workspace: Workspace) -> None:
    """`sop order 3 --step 1 --members FILE`: centred title, ที่ ๑/๒๕๖๙, members, duties, closing, date."""
    started(workspace)
    result = issue_order(workspace, 3, ME, step=1, members_file=members_file(workspace))
    (issued,) = result.documents
    assert plain_name(issued.path) == "order-step01-1-2569.docx"
    assert issued.number == "๑/๒๕๖๙"
    doc = read(workspace, result)
    lines = texts(doc)
    assert lines[:3] == [
        "คำสั่งสำนักงานศึกษาธิการจังหวัดเชียงราย",
        "ที่ ๑/๒๕๖๙",
        "เรื่อง แต่งตั้งคณะกรรมการกำกับ ดูแล เร่งรัด ติดตามและประเมินผลการปฏิบัติงานของหน่วยงานการศึกษา"
        "และสถานศึกษาทุกสังกัด ประจำปีงบประมาณ พ.ศ. ๒๕๗๐",
    ]
    assert lines[4].endswith("จึงแต่งตั้งคณะกรรมการ ดังนี้")
    assert "อาศัยอำนาจตาม (ระบุกฎหมายหรือคำสั่งที่ให้อำนาจออกคำสั่ง)" in lines[4]
    rows = member_rows(doc)
    assert rows[0] == ["๑.", "นายประเสริฐ ใจงาม", "ศึกษาธิการจังหวัดเชียงราย", "ประธานกรรมการ"]
    assert rows[1] == ["", "มีหน้าที่ อำนวยการ กำกับ และให้คำปรึกษา"]
    assert rows[2] == ["๒.", "นางนันทนา จันทร์ฝั้น", "ศึกษานิเทศก์", "กรรมการและเลขานุการ"]
    closing = next(line for line in lines if line.startswith("ให้คณะกรรมการมีหน้าที่"))
    assert closing.endswith("สรุปรายงานผลต่อศึกษาธิการจังหวัดเชียงราย")
    at = lines.index(closing)
    assert lines[at + 1 : at + 3] == ["ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป", "สั่ง ณ วันที่ ๒๕ พฤศจิกายน พ.ศ. ๒๕๖๙"]
    assert lines[-2:] == ["(ชื่อผู้ลงนาม)", "ศึกษาธิการจังหวัดเชียงราย"]  # the placeholder's own parentheses
    assert [(s, e.doc_type, e.number) for s, e in document_events(workspace)] == [(1, "order", "๑/๒๕๖๙")]
    assert result.warnings == (
        "sop.toml [office] signatory is still a placeholder: put the office's value in before sending",
        "sop.toml [office] order_authority is still a placeholder: put the office's value in before sending",
    )


def test_letters_of_procedure_3_step_8_one_per_agency(workspace: Workspace) -> None:
    """`sop letter 3 --step 8 --to obec --to ovec`: two letters, consecutive numbers, each its addressee."""
    started(workspace)
    result = issue_letter(
        workspace, 3, ME, step=8, to_agencies=["obec", "ovec"], enclosures=["สรุปรายงานผล จำนวน 1 ฉบับ"]
    )
    assert [d.number for d in result.documents] == ["ศธ ๐๒๘๘/๑", "ศธ ๐๒๘๘/๒"]
    assert [plain_name(d.path) for d in result.documents] == [
        "letter-step08-ศธ0288-1-2569-obec.docx",
        "letter-step08-ศธ0288-2-2569-ovec.docx",
    ]
    first, second = texts(read(workspace, result, 0)), texts(read(workspace, result, 1))
    assert first[0] == "ที่ ศธ ๐๒๘๘/๑\tสำนักงานศึกษาธิการจังหวัดเชียงราย"
    assert first[1:5] == [
        "๕๗/๓๓ หมู่ ๒๒ ถนนเวียงบูรพา",
        "ตำบลรอบเวียง อำเภอเมือง",
        "จังหวัดเชียงราย ๕๗๐๐๐",
        "๒๕ พฤศจิกายน ๒๕๖๙",
    ]
    first = first[1:]  # one address line more than the index below counts
    assert first[4] == "เรื่อง\tแจ้งผลการกำกับ ดูแล เร่งรัด ติดตามและประเมินผลการปฏิบัติงานตามข้อสั่งการ ประจำปีงบประมาณ พ.ศ. ๒๕๗๐"
    assert first[5] == "เรียน\tเลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน"  # the head's position
    assert first[6] == "สิ่งที่ส่งมาด้วย\tสรุปรายงานผล จำนวน ๑ ฉบับ"
    assert "รายละเอียดตามสิ่งที่ส่งมาด้วย" in first[8]
    assert "ขอแสดงความนับถือ" in first
    assert second[0] == "ที่ ศธ ๐๒๘๘/๒\tสำนักงานศึกษาธิการจังหวัดเชียงราย"
    assert second[6] == "เรียน\tเลขาธิการคณะกรรมการการอาชีวศึกษา"
    assert [(s, e.number) for s, e in document_events(workspace)] == [(8, "ศธ ๐๒๘๘/๑"), (8, "ศธ ๐๒๘๘/๒")]
    assert [e.to for e in list_register(workspace, 2569)] == [
        "เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน",
        "เลขาธิการคณะกรรมการการอาชีวศึกษา",
    ]
    assert check_workspace(workspace).ok


def test_signature_block_stays_with_the_text_before_it(workspace: Workspace) -> None:
    """A page break never leaves the signature alone: the block keeps with the closing words before it."""
    started(workspace)
    order = read(workspace, issue_order(workspace, 3, ME, step=1, members_file=members_file(workspace)))
    kept = [plain_text(p.text) for p in order.paragraphs if p.paragraph_format.keep_with_next]
    assert kept[0].startswith("ให้คณะกรรมการมีหน้าที่") and kept[1] == "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"
    assert kept[2].startswith("สั่ง ณ วันที่")
    assert kept[3:] == ["", "", "", "(ชื่อผู้ลงนาม)"]
    assert not order.paragraphs[-1].paragraph_format.keep_with_next


def test_one_letter_with_copies(workspace: Workspace) -> None:
    """--copies: one letter to the first agency, the others under สำเนาส่ง, one number."""
    started(workspace)
    result = issue_letter(workspace, 3, ME, step=8, to_agencies=["obec", "police", "opec"], copies=True)
    (issued,) = result.documents
    lines = texts(read(workspace, result))
    assert lines[6] == "เรียน\tเลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน"
    assert lines[-2:] == ["สำเนาส่ง\t๑. สำนักงานตำรวจแห่งชาติ", "๒. สำนักงานคณะกรรมการส่งเสริมการศึกษาเอกชน"]
    assert issued.number == "ศธ ๐๒๘๘/๑"


# --- numbers --------------------------------------------------------------------------------------


def test_number_formats_as_printed(workspace: Workspace) -> None:
    """The outgoing register prints ที่ ศธ ๐๒๘๘/๑๒๓; orders ที่ ๑๒/๒๕๗๐ in the next calendar year."""
    started(workspace)
    seed(workspace, "memo", dt.date(2026, 11, 1), 122)
    memo = issue_memo(workspace, 3, ME, step=1)
    assert texts(read(workspace, memo))[1] == "ที่  ศธ ๐๒๘๘/๑๒๓\tวันที่  ๒๕ พฤศจิกายน ๒๕๖๙\t"
    seed(workspace, "order", dt.date(2027, 1, 5), 11)
    order = issue_order(workspace, 3, at(2027, 1, 10), step=1, members_file=members_file(workspace))
    lines = texts(read(workspace, order))
    assert lines[1] == "ที่ ๑๒/๒๕๗๐"
    assert "สั่ง ณ วันที่ ๑๐ มกราคม พ.ศ. ๒๕๗๐" in lines
    assert plain_name(order.documents[0].path) == "order-step01-12-2570.docx"


def test_numbers_restart_on_1_january(workspace: Workspace) -> None:
    """31 December 2569 takes 1 and 2; 1 January 2570 starts again at 1 (not on 1 October)."""
    started(workspace)
    numbers = [issue_memo(workspace, 3, at(2026, 12, 31), step=1).documents[0].number for _ in range(2)]
    numbers.append(issue_memo(workspace, 3, at(2027, 1, 1), step=1).documents[0].number)
    assert numbers == ["ศธ ๐๒๘๘/๑", "ศธ ๐๒๘๘/๒", "ศธ ๐๒๘๘/๑"]
    orders = [
        issue_order(workspace, 3, who, step=1, members_file=members_file(workspace)).documents[0].number
        for who in (at(2026, 12, 31), at(2027, 1, 1))
    ]
    assert orders == ["๑/๒๕๖๙", "๑/๒๕๗๐"]
    assert [(e.year, e.number) for e in list_register(workspace, 2570, "memo")] == [(2570, 1)]
    assert len(list_register(workspace, 2569)) == 3
    assert check_workspace(workspace).ok


WRITER = """
import datetime as dt, sys
from pathlib import Path
from sop_cli.actions.runs import Actor
from sop_cli.actions.documents import issue_memo
from sop_cli.workspace import Workspace
from sop_cli.thai_calendar import BANGKOK
ws = Workspace(Path(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    now = dt.datetime(2026, 11, 25, 10, 0, tzinfo=BANGKOK)
    issue_memo(ws, 3, Actor("saowapha", now), step=1)
"""


@pytest.mark.slow
def test_eight_processes_issue_eighty_distinct_consecutive_numbers(workspace: Workspace) -> None:
    """8 processes × 10 memos at once: numbers 1 to 80, each once, 80 documents and 80 evidence events."""
    started(workspace)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(workspace.root), "10"]) for _ in range(8)]
    assert [w.wait(timeout=600) for w in writers] == [0] * 8
    entries = list_register(workspace, 2569)
    assert sorted(e.number for e in entries) == list(range(1, 81))
    assert len({e.document for e in entries}) == 80
    assert sorted(e.number for e in entries) == sorted(int(Path(e.document).stem.split("-")[3]) for e in entries)
    assert len(document_events(workspace)) == 80
    assert check_workspace(workspace).ok


# --- digits and settings ------------------------------------------------------------------------

OFFICE = f"""[office]
telephone = "0 5317 5123"
email = "{EMAIL}"
signatory = "นายประเสริฐ ใจงาม"
document_code = "ศธ 0288"
"""


def issue(kind: str, ws: Workspace) -> IssueResult:
    """Issue one document of `kind` for procedure ๓ step ๑."""
    if kind == "memo":
        return issue_memo(ws, 3, ME, step=1)
    if kind == "letter":
        return issue_letter(ws, 3, ME, step=1, to_agencies=["obec"], enclosures=["แบบรายงาน 2 ฉบับ"])
    return issue_order(ws, 3, ME, step=1, members_file=members_file(ws))


@pytest.mark.parametrize("kind", ["memo", "letter", "order"])
def test_thai_digits_everywhere_when_on(workspace: Workspace, kind: str) -> None:
    """thai_digits = true: no Arabic digit in the document but in the e-mail address."""
    settings(workspace, OFFICE)
    started(workspace)
    doc = read(workspace, issue(kind, workspace))
    text = all_text(doc).replace(EMAIL, "")
    assert ARABIC_DIGIT.findall(text) == []
    assert "๒๕๖๙" in text


@pytest.mark.parametrize("kind", ["memo", "letter", "order"])
def test_no_thai_digit_when_off(workspace: Workspace, kind: str) -> None:
    """thai_digits = false: not one Thai digit, not even from the defaults or the manual's text."""
    settings(workspace, OFFICE.replace('"ศธ 0288"', '"ศธ ๐๒๘๘"') + "thai_digits = false\n")
    started(workspace)
    result = issue(kind, workspace)
    text = all_text(read(workspace, result))
    assert THAI_DIGIT.findall(text) == []
    assert "2569" in text
    assert THAI_DIGIT.findall(result.documents[0].number) == []
    assert (
        THAI_DIGIT.findall(list_register(workspace, 2569)[0].printed + list_register(workspace, 2569)[0].subject) == []
    )


def test_emblem_from_the_settings(workspace: Workspace) -> None:
    """The office's Garuda (sop.toml, relative to the workspace) is placed 1.5 cm high in a memo."""
    (workspace.root / "garuda.png").write_bytes(png(40, 50))
    settings(workspace, '[office]\ngaruda = "garuda.png"\n')
    started(workspace)
    _, height, description = emblem_extent(read(workspace, issue_memo(workspace, 3, ME, step=1)))
    assert height == Cm(1.5) and description != "ตำแหน่งตราครุฑ (placeholder)"


def test_memo_signatory_and_command_line_wording(workspace: Workspace, tmp_path: Path) -> None:
    """--to, --subject and --body-file win over the template; memo_signatory signs instead of the actor."""
    settings(
        workspace,
        '[office]\nmemo_signatory = "นางสาวก ข"\nmemo_signatory_positions = ["ผู้อำนวยการกลุ่มนิเทศ ติดตาม และประเมินผล"]\n',
    )
    body = tmp_path / "body.txt"
    body.write_text("\ufeffย่อหน้าแรก\nต่อบรรทัด\n\nจึงเรียนมาเพื่อโปรดทราบ\n", encoding="utf-8")
    started(workspace)
    result = issue_memo(workspace, 3, ME, step=2, to="รองศึกษาธิการจังหวัดเชียงราย", subject="ขอเชิญประชุม", body_file=body)
    lines = texts(read(workspace, result))
    assert lines[2:6] == [
        "เรื่อง\tขอเชิญประชุม\t",
        "เรียน  รองศึกษาธิการจังหวัดเชียงราย",
        "ย่อหน้าแรกต่อบรรทัด",
        "จึงเรียนมาเพื่อโปรดทราบ",
    ]
    assert lines[-2:] == ["(นางสาวก ข)", "ผู้อำนวยการกลุ่มนิเทศ ติดตาม และประเมินผล"]
    assert result.documents[0].template == "sop_cli/templates/memo.txt.j2"


def test_warns_when_the_manual_lists_no_such_document(workspace: Workspace) -> None:
    """A memo for step ๔ (whose row lists only a form) is written, with a warning."""
    started(workspace)
    result = issue_memo(workspace, 3, ME, step=4)
    assert any("the manual lists no บันทึกข้อความ for step 4" in w for w in result.warnings)


# --- templates ------------------------------------------------------------------------------------


def test_template_in_the_workspace_wins(workspace: Workspace) -> None:
    """templates/memo-03-01.txt.j2 of the workspace words the memo instead of the package's."""
    (workspace.templates).mkdir()
    (workspace.templates / "memo-03-01.txt.j2").write_text(
        "เรื่อง ถ้อยคำของสำนักงาน ปีงบประมาณ {{ fy }}\nเรียน {{ addressee }}\n\n"
        "ขั้นตอนที่ {{ step.number }} แถว {{ step.row }} โดย {{ by.name }}\n",
        encoding="utf-8",
    )
    started(workspace)
    result = issue_memo(workspace, 3, ME, step=1)
    assert result.documents[0].template == "templates/memo-03-01.txt.j2"
    lines = texts(read(workspace, result))
    assert lines[2] == "เรื่อง\tถ้อยคำของสำนักงาน ปีงบประมาณ ๒๕๗๐\t"
    assert lines[4] == "ขั้นตอนที่ ๑ แถว ๑ โดย นันทนา จันทร์ฝั้น"


def test_missing_template_value_names_the_file_and_line(workspace: Workspace) -> None:
    """A template naming a value that does not exist fails with templates/<name>:<line>; nothing written."""
    workspace.templates.mkdir()
    (workspace.templates / "memo.txt.j2").write_text(
        "เรื่อง ก\nเรียน {{ addressee }}\n\n{{ step.titel }}\n", encoding="utf-8"
    )
    started(workspace)
    before = files_under(workspace.root)
    with pytest.raises(SopError, match=r"^templates/memo\.txt\.j2:4: 'dict object' has no attribute 'titel'$"):
        issue_memo(workspace, 3, ME, step=2)
    assert files_under(workspace.root) == before


def test_shipped_templates_word_every_procedure(workspace: Workspace) -> None:
    """The general templates render for the first step of every procedure, and without a step."""
    members = members_file(workspace)
    before = files_under(workspace.root)
    for number in range(1, 15):
        for step in (1, None):
            memo = issue_memo(workspace, number, ME, step=step, no_run=True, dry_run=True)
            letter = issue_letter(workspace, number, ME, step=step, to_agencies=["obec"], no_run=True, dry_run=True)
            order = issue_order(workspace, number, ME, step=step, members_file=members, no_run=True, dry_run=True)
            for result in (memo, letter, order):
                (document,) = result.documents
                assert document.body and document.subject
                assert "  " not in " ".join(document.body)
    assert files_under(workspace.root) == before


# --- dry runs, no run, --out ----------------------------------------------------------------------


def test_dry_run_writes_nothing(workspace: Workspace) -> None:
    """--dry-run returns the wording and the number it would take, and writes no file at all."""
    started(workspace)
    before = files_under(workspace.root)
    result = issue_memo(workspace, 3, ME, step=1, dry_run=True)
    assert files_under(workspace.root) == before
    (preview,) = result.documents
    assert result.dry_run and preview.sha256 is None and preview.register_file is None
    assert preview.number == "ศธ ๐๒๘๘/๑"
    assert preview.header[0] == ("วันที่", "๒๕ พฤศจิกายน ๒๕๖๙")
    assert preview.body[-1] == "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบโปรดลงนามในคำสั่งที่แนบมาพร้อมนี้"
    order = issue_order(workspace, 3, ME, step=1, members_file=members_file(workspace), dry_run=True)
    assert order.documents[0].members == ("๑. นายประเสริฐ ใจงาม ศึกษาธิการจังหวัดเชียงราย ประธานกรรมการ",
                                          "๒. นางนันทนา จันทร์ฝั้น ศึกษานิเทศก์ กรรมการและเลขานุการ")  # fmt: skip
    assert files_under(workspace.root) == before
    assert issue_memo(workspace, 3, ME, step=1).documents[0].number == "ศธ ๐๒๘๘/๑"


def test_without_a_run_still_registered(workspace: Workspace) -> None:
    """--no-run: written to documents/<BE year>/, registered without run, not evidence; check is clean."""
    result = issue_memo(workspace, 3, ME, no_run=True)
    (issued,) = result.documents
    assert issued.path.startswith("documents/2569/") and plain_name(issued.path) == "memo-ศธ0288-1-2569.docx"
    assert (issued.evidence, result.run, result.step) == (False, None, None)
    (registered,) = list_register(workspace, 2569)
    assert (registered.run, registered.step, registered.fy) == (None, None, 2570)
    with_step = issue_memo(workspace, 3, ME, step=1, no_run=True)
    assert plain_name(with_step.documents[0].path) == "memo-step01-ศธ0288-2-2569.docx"
    assert check_workspace(workspace).ok


def test_out_elsewhere_is_registered_but_not_evidence(workspace: Workspace, tmp_path: Path) -> None:
    """--out FILE outside the run: written there and registered (absolute path), not evidence."""
    started(workspace)
    target = tmp_path / "ร่างบันทึก.docx"
    result = issue_memo(workspace, 3, ME, step=1, out=target)
    assert target.is_file() and result.documents[0].evidence is False
    assert list_register(workspace, 2569)[0].document == str(target.resolve())
    assert document_events(workspace) == []
    folder = tmp_path / "out"
    folder.mkdir()
    letters = issue_letter(workspace, 3, ME, step=8, to_agencies=["obec", "ovec"], out=folder)
    assert sorted(plain_name(p.name) for p in folder.iterdir()) == [
        "letter-step08-ศธ0288-2-2569-obec.docx",
        "letter-step08-ศธ0288-3-2569-ovec.docx",
    ]
    assert [d.evidence for d in letters.documents] == [False, False]
    assert check_workspace(workspace).ok


# --- bad input: a clear message, no number consumed, no file left ---------------------------------


def _bad_members(ws: Workspace, text: str, name: str) -> Callable[[], object]:
    path = members_file(ws, text, name)
    return lambda: issue_order(ws, 3, ME, step=1, members_file=path)


BAD: dict[str, tuple[Callable[[Workspace], Callable[[], object]], str]] = {
    "unknown step": (lambda ws: lambda: issue_memo(ws, 3, ME, step=99), "procedure 3 has no step 99"),
    "unknown step without a run": (
        lambda ws: lambda: issue_memo(ws, 3, ME, step=9, no_run=True),
        "procedure 3 has no step 9; its steps are 1 to 8",
    ),
    "unknown agency": (
        lambda ws: lambda: issue_letter(ws, 3, ME, step=8, to_agencies=["obec", "nowhere"]),
        "unknown agency 'nowhere' (sops/agencies.yaml); known ids: obec, ",
    ),
    "bad role": (
        lambda ws: _bad_members(ws, MEMBERS.replace("role: ประธานกรรมการ", "role: ประธาน"), "m.yaml"),
        "m.yaml:4:11: members[0].role: must be one of 'ที่ปรึกษา', 'ประธานกรรมการ'",
    ),
    "missing column": (
        lambda ws: _bad_members(ws, "name,position\nนายก,ศึกษาธิการ\n", "m.csv"),
        "m.csv:1:1: missing column 'role'",
    ),
    "empty name": (
        lambda ws: _bad_members(ws, "name,position,role\nนายก,ก,ประธานกรรมการ\n,ข,กรรมการ\n", "m.csv"),
        "m.csv:3:1: name: must not be empty",
    ),
    "output folder missing": (
        lambda ws: lambda: issue_memo(ws, 3, ME, step=1, out=ws.root / "nowhere" / "x.docx"),
        "the folder",
    ),
    "output exists": (lambda ws: _existing(ws), "already exists; sop never replaces a document"),
    "template syntax error": (
        lambda ws: _template(ws, "เรื่อง ก\n\n{{ fy }\n"),
        "templates/memo-03-01.txt.j2:3: template syntax error: ",
    ),
    "garuda not an image": (lambda ws: _garuda(ws), "office.garuda: the Garuda emblem "),
    "run and no run": (
        lambda ws: lambda: issue_memo(ws, 3, ME, step=1, run="abc123", no_run=True),
        "--run and --no-run exclude each other",
    ),
    "no run": (lambda ws: lambda: issue_memo(ws, 4, ME, step=1), "procedure 4 has no run in fiscal year 2570"),
    "body file missing": (
        lambda ws: lambda: issue_memo(ws, 3, ME, step=1, body_file=ws.root / "body.txt"),
        "body.txt does not exist",
    ),
    "unknown actor": (
        lambda ws: lambda: issue_memo(ws, 3, Actor("nobody", NOW), step=1),
        "'nobody' is not in the staff roster",
    ),
}


def _existing(ws: Workspace) -> Callable[[], object]:
    (ws.root.parent / "old.docx").write_bytes(b"PK")
    return lambda: issue_memo(ws, 3, ME, step=1, out=ws.root.parent / "old.docx")


def _template(ws: Workspace, text: str) -> Callable[[], object]:
    ws.templates.mkdir(exist_ok=True)
    (ws.templates / "memo-03-01.txt.j2").write_text(text, encoding="utf-8")
    return lambda: issue_memo(ws, 3, ME, step=1)


def _garuda(ws: Workspace) -> Callable[[], object]:
    (ws.root / "garuda.png").write_text("not a picture", encoding="utf-8")
    settings(ws, '[office]\ngaruda = "garuda.png"\n')
    return lambda: issue_memo(ws, 3, ME, step=1)


@pytest.mark.parametrize("case", BAD)
def test_bad_input_consumes_no_number_and_leaves_no_file(workspace: Workspace, case: str) -> None:
    """Each bad input: one clear message, the next number unchanged, not one file added or changed."""
    started(workspace)
    make, message = BAD[case]
    call = make(workspace)
    before = {p: p.read_bytes() for p in files_under(workspace.root)}
    with pytest.raises(SopError) as caught:
        call()
    assert message in str(caught.value)
    assert {p: p.read_bytes() for p in files_under(workspace.root)} == before
    assert next_number(workspace, Series.outgoing, 2569) == 1
    assert next_number(workspace, Series.order, 2569) == 1


def _failing(times: int, error: BaseException) -> Callable[..., Any]:
    """Transaction.add that records `times` pieces of evidence, then raises `error`."""
    real = Transaction.add
    calls = {"n": 0}

    def add(self: Transaction, event: Any) -> Any:
        if isinstance(event, EvidenceAdded):
            calls["n"] += 1
            if calls["n"] > times:
                raise error
        return real(self, event)

    return add


@pytest.mark.parametrize("error", [SopError("the disk is full"), KeyboardInterrupt()])
def test_failure_after_the_number_is_taken_removes_everything(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    """Recording the evidence fails (or Ctrl-C): document and register entry removed, the number free again."""
    started(workspace)
    before = files_under(workspace.root)
    # Only the failure is undone afterwards (monkeypatch.undo() would also drop the fixtures' env).
    with monkeypatch.context() as patched, pytest.raises(type(error)):
        patched.setattr(Transaction, "add", _failing(0, error))
        issue_memo(workspace, 3, ME, step=1)
    assert files_under(workspace.root) == before
    assert not (workspace.root / "register").exists()
    assert issue_memo(workspace, 3, ME, step=1).documents[0].number == "ศธ ๐๒๘๘/๑"


def test_second_letter_failing_takes_back_the_first(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Letters to two agencies: the second fails, so the first letter, its entry and its event go too."""
    started(workspace)
    before = files_under(workspace.root)
    monkeypatch.setattr(Transaction, "add", _failing(1, SopError("no")))
    with pytest.raises(SopError):
        issue_letter(workspace, 3, ME, step=8, to_agencies=["obec", "ovec"])
    assert files_under(workspace.root) == before
    assert document_events(workspace) == []


def test_document_failing_removes_the_register_entry(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The .docx cannot be written after its number was registered here: the entry goes, the number is free."""
    started(workspace)
    before = files_under(workspace.root)

    def refuse(*args: object, **kwargs: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Transaction, "create_file", refuse)
    with pytest.raises(OSError, match="No space left"):
        issue_memo(workspace, 3, ME, step=1)
    assert files_under(workspace.root) == before
    assert next_number(workspace, Series.outgoing, 2569) == 1


# --- the register listing ---------------------------------------------------------------------


def test_register_listing_by_year_and_kind(workspace: Workspace) -> None:
    """`sop register`: this calendar year by default; --year and --kind narrow it; names, not ids."""
    started(workspace)
    issue_memo(workspace, 3, ME, step=1)
    issue_letter(workspace, 3, ME, step=8, to_agencies=["obec"])
    issue_memo(workspace, 3, at(2027, 1, 4), step=1)
    listing = register_listing(workspace, NOW.date())
    assert listing.year == 2569
    assert [(r.printed, r.kind, r.by) for r in listing.rows] == [
        ("ศธ ๐๒๘๘/๑", "memo", "นันทนา จันทร์ฝั้น"),
        ("ศธ ๐๒๘๘/๒", "external_letter", "นันทนา จันทร์ฝั้น"),
    ]
    assert [r.kind for r in register_listing(workspace, NOW.date(), kind="letter").rows] == ["external_letter"]
    assert [r.year for r in register_listing(workspace, NOW.date(), year=2570).rows] == [2570]
    with pytest.raises(SopError, match="--kind must be one of memo, letter, circular, order, incoming"):
        register_listing(workspace, NOW.date(), kind="minutes")
    with pytest.raises(SopError, match="Buddhist Era"):
        register_listing(workspace, NOW.date(), year=2026)
    assert re.fullmatch(r"register/2569/out-0002-[a-z2-9]{6}\.yaml", _register_files(workspace)[1])


def _register_files(ws: Workspace) -> list[str]:
    return sorted(ws.relative(p) for p in (ws.root / "register" / "2569").iterdir())
