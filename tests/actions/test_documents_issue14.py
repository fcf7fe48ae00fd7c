"""Documents as the office sends them: PDF/A beside the .docx, circulars ว, corrected versions, acting signatures."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from sop_cli.actions.check import check_workspace
from sop_cli.actions.documents import Signing, issue_letter, issue_memo, issue_order
from sop_cli.actions.register import register_listing, withdraw_number
from sop_cli.errors import SopError
from sop_cli.models.register import Series
from sop_cli.rendering.pdf import pdf_facts
from sop_cli.storage.register import list_register, load_register, next_number
from sop_cli.workspace import Workspace
from tests.actions.test_documents import at, document_events, members_file, read, settings, started
from tests.conftest import files_under
from tests.rendering.pdf_pages import FONT, needs_libreoffice, page_count, pages
from tests.rendering.test_docx_official import all_text, texts
from tests.values import ME

LOCAL_OFFICES = ["cr_pesa1", "cr_pesa2", "cr_pesa3", "cr_pesa4", "cr_sesa", "cr_vocational", "cr_learning"]


def sha(path: Path) -> str:
    """The SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- PDF/A beside the .docx ---------------------------------------------------------------------


@needs_libreoffice
def test_pdf_beside_the_memo_recorded_with_its_hash(workspace: Workspace) -> None:
    """--pdf: a PDF/A-2b with the Thai font beside the .docx, in the register and the evidence with its hash."""
    started(workspace)
    result = issue_memo(workspace, 3, ME, step=1, pdf=True)
    (issued,) = result.documents
    assert issued.pdf == issued.path.removesuffix(".docx") + ".pdf"
    pdf = workspace.root / issued.pdf
    data = pdf.read_bytes()
    part, fonts = pdf_facts(data)
    assert part == 2 and any(f.startswith(FONT.replace(" ", "")) for f in fonts)
    assert page_count(pdf) == 1
    text = "\n".join(line for page in pages(pdf) for line in page)
    assert "ศธ ๐๒๘๘/๑" in text and "๒๕ พฤศจิกายน ๒๕๖๙" in text
    (entry,) = list_register(workspace, 2569)
    assert entry.pdf is not None and (entry.pdf.document, entry.pdf.sha256) == (issued.pdf, sha(pdf))
    formats = {e.format: (e.name, e.sha256) for _step, e in document_events(workspace)}
    assert formats == {"docx": (Path(issued.path).name, issued.sha256), "pdf": (pdf.name, sha(pdf))}
    assert issued.pdf in result.written
    assert check_workspace(workspace).ok


def test_pdf_asked_without_libreoffice_writes_nothing_and_takes_no_number(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """--pdf on a computer without LibreOffice: one sentence, nothing written, the number still free."""
    started(workspace)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    before = files_under(workspace.root)
    for dry_run in (True, False):
        with pytest.raises(SopError, match="--pdf needs LibreOffice, which is not installed: nothing was written"):
            issue_memo(workspace, 3, ME, step=1, pdf=True, dry_run=dry_run)
    assert files_under(workspace.root) == before
    assert next_number(workspace, Series.outgoing, 2569) == 1


def test_pdf_setting_without_libreoffice_issues_the_docx_with_a_warning(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """[documents] pdf = true on a computer without LibreOffice: the .docx is issued, a warning says why no PDF."""
    started(workspace)
    settings(workspace, "[documents]\npdf = true\n")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    result = issue_memo(workspace, 3, ME, step=1)
    (issued,) = result.documents
    assert issued.pdf is None and not list(workspace.root.rglob("*.pdf"))
    assert any("LibreOffice is not installed" in w and "without it" in w for w in result.warnings)
    assert list_register(workspace, 2569)[0].pdf is None
    # --no-pdf silences the setting for one command.
    assert not any("LibreOffice" in w for w in issue_memo(workspace, 3, ME, step=1, pdf=False).warnings)


# --- one letter to many: the circular series ว --------------------------------------------------


def test_a_circular_to_three_agencies_takes_one_number_of_its_own_series(workspace: Workspace) -> None:
    """--circular: one letter numbered ศธ ๐๒๘๘/ว ๑, addressed to the three heads; the outgoing series is untouched."""
    started(workspace)
    result = issue_letter(workspace, 3, ME, step=8, to_agencies=["obec", "ovec", "opec"], circular=True)
    (issued,) = result.documents
    assert issued.number == "ศธ ๐๒๘๘/ว ๑"
    assert issued.distribution == (
        "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
        "สำนักงานคณะกรรมการการอาชีวศึกษา",
        "สำนักงานคณะกรรมการส่งเสริมการศึกษาเอกชน",
    )
    lines = texts(read(workspace, result))
    assert lines[0].startswith("ที่ ศธ ๐๒๘๘/ว ๑\t")
    (to,) = [line for line in lines if line.startswith("เรียน")]
    assert to == (
        "เรียน\tเลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน เลขาธิการคณะกรรมการการอาชีวศึกษา และเลขาธิการคณะกรรมการส่งเสริมการศึกษาเอกชน"
    )
    assert "ส่งไปตามรายชื่อที่แนบ" not in all_text(read(workspace, result))
    (entry,) = list_register(workspace, 2569)
    assert (entry.series, entry.number, entry.distribution) == (Series.circular, 1, issued.distribution)
    assert issue_memo(workspace, 3, ME, step=8).documents[0].number == "ศธ ๐๒๘๘/๑"
    assert issue_letter(workspace, 3, ME, step=8, to_agencies=["obec", "ovec"], circular=True).documents[0].number == (
        "ศธ ๐๒๘๘/ว ๒"
    )
    listing = register_listing(workspace, ME.now.date(), kind="circular")
    assert [r.printed for r in listing.rows] == ["ศธ ๐๒๘๘/ว ๑", "ศธ ๐๒๘๘/ว ๒"]
    assert check_workspace(workspace).ok


def test_a_long_distribution_list_is_attached(workspace: Workspace) -> None:
    """Seven agencies: เรียน says ส่งไปตามรายชื่อที่แนบ and the numbered list follows on a page of its own."""
    started(workspace)
    result = issue_letter(workspace, 3, ME, step=8, to_agencies=LOCAL_OFFICES, circular=True)
    doc = read(workspace, result)
    lines = texts(doc)
    assert "เรียน\tหัวหน้าส่วนราชการ (ส่งไปตามรายชื่อที่แนบ)" in lines
    start = lines.index("รายชื่อส่วนราชการที่ส่ง")
    assert lines[start + 1] == "แนบท้ายหนังสือ ที่ ศธ ๐๒๘๘/ว ๑ ลงวันที่ ๒๕ พฤศจิกายน ๒๕๖๙"
    assert lines[start + 2 : start + 9] == [
        "๑.\tสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต ๑",
        "๒.\tสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต ๒",
        "๓.\tสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต ๓",
        "๔.\tสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต ๔",
        "๕.\tสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาเชียงราย",
        "๖.\tสำนักงานอาชีวศึกษาจังหวัดเชียงราย",
        "๗.\tสำนักงานส่งเสริมการเรียนรู้ประจำจังหวัดเชียงราย",
    ]
    title = next(p for p in doc.paragraphs if p.text == "รายชื่อส่วนราชการที่ส่ง")
    assert title.paragraph_format.page_break_before
    # Unconfirmed local offices: a warning each, so that the สารบรรณ checks them before sending.
    assert sum("is not yet confirmed in sops/agencies.yaml" in w for w in result.warnings) == len(LOCAL_OFFICES)
    named = issue_letter(
        workspace, 3, ME, step=8, to_agencies=LOCAL_OFFICES, circular=True, addressee="ผู้อำนวยการสถานศึกษาทุกแห่ง"
    )
    assert "เรียน\tผู้อำนวยการสถานศึกษาทุกแห่ง" in texts(read(workspace, named))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"to_agencies": ["obec", "ovec"], "circular": True, "copies": True}, "--copies and --circular exclude"),
        ({"to_agencies": ["obec"], "circular": True}, "give --to at least twice"),
        ({"to_agencies": ["obec"], "addressee": "ผู้อำนวยการ"}, "--addressee is for a circular"),
    ],
)
def test_circular_mistakes_are_refused(workspace: Workspace, kwargs: dict[str, object], message: str) -> None:
    """A circular with copies, to one agency, or an addressee without a circular: refused, nothing written."""
    started(workspace)
    before = files_under(workspace.root)
    with pytest.raises(SopError, match=message):
        issue_letter(workspace, 3, ME, step=8, **kwargs)  # type: ignore[arg-type]
    assert files_under(workspace.root) == before


# --- a corrected document under the same number --------------------------------------------------


def test_a_corrected_memo_keeps_its_number_date_and_history(workspace: Workspace) -> None:
    """--correct: same number and date, version 2 in the register and the evidence; version 1 stays, both hashed."""
    started(workspace)
    first = issue_memo(workspace, 3, ME, step=1).documents[0]
    later = at(2026, 11, 27)
    corrected = issue_memo(
        workspace, 3, later, correct="ศธ ๐๒๘๘/๑", reason="แก้ชื่อเรื่อง", subject="ขออนุมัติแต่งตั้งคณะกรรมการ (แก้ไข)"
    )
    (second,) = corrected.documents
    assert (second.number, second.version, corrected.step) == ("ศธ ๐๒๘๘/๑", 2, 1)
    assert second.path != first.path and (workspace.root / first.path).is_file()
    lines = texts(read(workspace, corrected))
    assert lines[1] == "ที่  ศธ ๐๒๘๘/๑\tวันที่  ๒๕ พฤศจิกายน ๒๕๖๙\t"  # the date of the number, not of the fix
    assert lines[2] == "เรื่อง\tขออนุมัติแต่งตั้งคณะกรรมการ (แก้ไข)\t"
    stored, _ = load_register(workspace)
    by_version = {s.entry.version: s for s in stored}
    assert by_version[1].entry.sha256 == first.sha256 and by_version[2].entry.sha256 == second.sha256
    assert by_version[2].entry.corrects == by_version[1].path.name and by_version[2].entry.reason == "แก้ชื่อเรื่อง"
    assert [(e.version, e.sha256) for _step, e in document_events(workspace)] == [
        (1, first.sha256),
        (2, second.sha256),
    ]
    (row,) = register_listing(workspace, later.now.date()).rows
    assert (row.version, row.versions, row.corrected, row.document) == (2, 2, "แก้ชื่อเรื่อง", second.path)
    assert check_workspace(workspace).ok
    # A correction takes no number; a correction of the correction is version 3.
    assert issue_memo(workspace, 3, later, step=1).documents[0].number == "ศธ ๐๒๘๘/๒"
    third = issue_memo(workspace, 3, later, correct="1", reason="แก้อีกครั้ง").documents[0]
    assert (third.number, third.version) == ("ศธ ๐๒๘๘/๑", 3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"correct": "ศธ ๐๒๘๘/๑"}, "--correct needs --reason TEXT"),
        ({"reason": "แก้"}, "--reason goes with --correct NUMBER"),
        ({"correct": "ศธ ๐๒๘๘/๙", "reason": "แก้"}, "was never issued"),
        ({"correct": "๑/๒๕๖๙", "reason": "แก้"}, "is a คำสั่ง: correct it with the command that issued it"),
        ({"correct": "ศธ ๐๒๘๘/๑", "reason": "แก้", "step": 2}, "--step: ศธ ๐๒๘๘/๑ belongs to step 1"),
    ],
)
def test_correction_mistakes_are_refused(workspace: Workspace, kwargs: dict[str, object], message: str) -> None:
    """No reason, an unknown number, another kind's number, another step: refused, nothing written."""
    started(workspace)
    issue_memo(workspace, 3, ME, step=1)
    issue_order(workspace, 3, ME, step=1, members_file=members_file(workspace))
    before = files_under(workspace.root)
    with pytest.raises(SopError, match=message):
        issue_memo(workspace, 3, ME, **kwargs)  # type: ignore[arg-type]
    assert files_under(workspace.root) == before


def test_a_withdrawn_number_cannot_be_corrected(workspace: Workspace) -> None:
    """A number withdrawn (ยกเลิกเลข) is never issued again, not even corrected."""
    started(workspace)
    issue_memo(workspace, 3, ME, step=1)
    withdraw_number(workspace, ME, "1", "ออกผิด")
    with pytest.raises(SopError, match="is withdrawn: a withdrawn number is never issued again"):
        issue_memo(workspace, 3, ME, correct="ศธ ๐๒๘๘/๑", reason="แก้")


# --- acting signatures ------------------------------------------------------------------------------


def test_a_letter_signed_on_behalf_of_the_head(workspace: Workspace) -> None:
    """--acting ปฏิบัติราชการแทน with a deputy: name, position + ปฏิบัติราชการแทน, then the head's position."""
    started(workspace)
    signing = Signing(acting="ปฏิบัติราชการแทน", signatory="นายสมชาย ใจดี", positions=("รองศึกษาธิการจังหวัดเชียงราย",))
    result = issue_letter(workspace, 3, ME, step=8, to_agencies=["obec"], signing=signing)
    lines = texts(read(workspace, result))
    at_name = lines.index("(นายสมชาย ใจดี)")
    assert lines[at_name + 1 : at_name + 3] == [
        "รองศึกษาธิการจังหวัดเชียงราย ปฏิบัติราชการแทน",
        "ศึกษาธิการจังหวัดเชียงราย",
    ]
    order = issue_order(
        workspace,
        3,
        ME,
        step=1,
        members_file=members_file(workspace),
        signing=Signing(acting="acting", acting_for="ศึกษาธิการจังหวัดเชียงราย"),
    )
    assert "รักษาราชการแทน" in all_text(read(workspace, order))


@pytest.mark.parametrize(
    ("signing", "message"),
    [
        (Signing(acting="แทน"), "--acting must be ปฏิบัติราชการแทน"),
        (Signing(acting_for="ศึกษาธิการจังหวัดเชียงราย"), "--acting-for goes with --acting"),
        (Signing(signatory="นายสมชาย ใจดี"), "--signatory needs --position"),
        (Signing(acting="ปฏิบัติราชการแทน"), "--acting on a memo needs --acting-for POSITION"),
    ],
)
def test_signing_mistakes_are_refused(workspace: Workspace, signing: Signing, message: str) -> None:
    """An unknown acting word, a position signed for without how, a name without position: refused."""
    started(workspace)
    with pytest.raises(SopError, match=message):
        issue_memo(workspace, 3, ME, step=1, signing=signing)


def test_a_memo_signed_for_the_director_of_the_group(workspace: Workspace) -> None:
    """A memo: --acting with --acting-for prints the position signed for under the supervisor's."""
    started(workspace)
    signing = Signing(acting="ปฏิบัติราชการแทน", acting_for="ผู้อำนวยการกลุ่มนิเทศ ติดตาม และประเมินผล")
    lines = texts(read(workspace, issue_memo(workspace, 3, ME, step=1, signing=signing)))
    assert lines[-3:] == [
        "(นันทนา จันทร์ฝั้น)",
        "ศึกษานิเทศก์ ปฏิบัติราชการแทน",
        "ผู้อำนวยการกลุ่มนิเทศ ติดตาม และประเมินผล",
    ]


def test_dates_in_the_corrected_order_follow_the_first(workspace: Workspace) -> None:
    """An order corrected two days later keeps "สั่ง ณ วันที่" of the first version."""
    started(workspace)
    issue_order(workspace, 3, ME, step=1, members_file=members_file(workspace))
    corrected = issue_order(
        workspace, 3, at(2026, 11, 27), members_file=members_file(workspace), correct="๑/๒๕๖๙", reason="แก้ชื่อกรรมการ"
    )
    assert corrected.documents[0].number == "๑/๒๕๖๙"
    assert "สั่ง ณ วันที่ ๒๕ พฤศจิกายน พ.ศ. ๒๕๖๙" in all_text(read(workspace, corrected))
    assert dt.date(2026, 11, 25) == list_register(workspace, 2569, "order")[-1].issued
