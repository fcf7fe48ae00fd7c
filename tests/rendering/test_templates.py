"""Templates: look-up order, strict variables with file and line, the text convention."""

from __future__ import annotations

from pathlib import Path

import pytest

from sop_cli.rendering.templates import (
    LABELS,
    PACKAGE_TEMPLATES,
    TemplateProblem,
    paragraphs,
    parse_wording,
    render_text,
    template_names,
)

CONTEXT = {"fy": 2570, "addressee": "ศึกษาธิการจังหวัดเชียงราย", "step": None}


def test_names_most_specific_first() -> None:
    """memo-03-01 before memo; letters are letter-…; without a step only the general name."""
    assert template_names("memo", 3, 1) == ["memo-03-01.txt.j2", "memo.txt.j2"]
    assert template_names("external_letter", 12, 10) == ["letter-12-10.txt.j2", "letter.txt.j2"]
    assert template_names("order", 3, None) == ["order.txt.j2"]


def test_package_ships_the_defaults() -> None:
    """The three general templates and procedure ๓'s step templates are inside the package."""
    names = {p.name for p in PACKAGE_TEMPLATES.glob("*.txt.j2")}
    assert {"memo.txt.j2", "letter.txt.j2", "order.txt.j2", "memo-03-01.txt.j2", "letter-03-08.txt.j2"} <= names


def test_workspace_template_wins_over_the_package(tmp_path: Path) -> None:
    """A file of the same name in the workspace's templates/ is used instead of the package's."""
    (tmp_path / "memo-03-01.txt.j2").write_text("เรื่อง ของสำนักงานเอง {{ fy }}\n\nย่อหน้า\n", encoding="utf-8")
    shown, text = render_text(tmp_path, template_names("memo", 3, 1), CONTEXT)
    assert shown == "templates/memo-03-01.txt.j2"
    assert text.startswith("เรื่อง ของสำนักงานเอง 2570")
    office = {"name": "สำนักงาน", "unit": "กลุ่ม"}
    shown, _ = render_text(tmp_path / "none", template_names("memo", 3, 1), {**CONTEXT, "office": office})
    assert shown == "sop_cli/templates/memo-03-01.txt.j2"


def test_a_specific_package_template_wins_over_a_general_workspace_one(tmp_path: Path) -> None:
    """Names are tried in order, each in the workspace then the package: memo-03-01 beats memo."""
    (tmp_path / "memo.txt.j2").write_text("เรื่อง ทั่วไป\n\nก\n", encoding="utf-8")
    shown, _ = render_text(tmp_path, template_names("memo", 3, 2), CONTEXT)
    assert shown == "templates/memo.txt.j2"
    shown, _ = render_text(tmp_path, template_names("memo", 3, 1), {**CONTEXT, "office": {"name": "x", "unit": "y"}})
    assert shown == "sop_cli/templates/memo-03-01.txt.j2"


def test_missing_variable_names_the_template_and_line(tmp_path: Path) -> None:
    """StrictUndefined: a value that does not exist fails with templates/<name>:<line>."""
    (tmp_path / "memo.txt.j2").write_text("เรื่อง ก\n\nข\n{{ office.nmae }}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem) as caught:
        render_text(tmp_path, ["memo.txt.j2"], {"office": {"name": "x"}})
    assert str(caught.value) == "templates/memo.txt.j2:4: 'dict object' has no attribute 'nmae'"
    (tmp_path / "memo.txt.j2").write_text("เรื่อง ก\n\n{{ nothing }}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"^templates/memo\.txt\.j2:3: 'nothing' is undefined$"):
        render_text(tmp_path, ["memo.txt.j2"], {})


def test_syntax_error_names_the_template_and_line(tmp_path: Path) -> None:
    """A template that does not parse fails with its file and line, before anything is rendered."""
    (tmp_path / "letter.txt.j2").write_text("เรื่อง ก\n\nข\n{{ fy }\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"^templates/letter\.txt\.j2:4: template syntax error: unexpected '}'"):
        render_text(tmp_path, ["letter.txt.j2"], {"x": 1})


def test_header_lines_then_paragraphs() -> None:
    """เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย first; a header value may continue; then paragraphs."""
    text = (
        "\nเรื่อง ขออนุมัติแต่งตั้งคณะกรรมการ ประจำปี\nงบประมาณ 2570\nเรียน  ศึกษาธิการจังหวัด\n"
        "อ้างถึง หนังสือที่ 1\nสิ่งที่ส่งมาด้วย ก\nสิ่งที่ส่งมาด้วย ข\n\n"
        "ด้วยสำนักงาน\nมีภารกิจ (กศจ.)\nและ 2570\n\n\nจึงเรียนมาเพื่อโปรดพิจารณา\n"
    )
    wording = parse_wording(text, "t", labels=LABELS)
    assert wording.subject == "ขออนุมัติแต่งตั้งคณะกรรมการ ประจำปีงบประมาณ 2570"
    assert wording.addressee == "ศึกษาธิการจังหวัด"
    assert wording.references == ("หนังสือที่ 1",)
    assert wording.enclosures == ("ก", "ข")
    assert wording.body == ("ด้วยสำนักงานมีภารกิจ (กศจ.) และ 2570", "จึงเรียนมาเพื่อโปรดพิจารณา")
    assert wording.closing is None


def test_thai_lines_join_without_a_space_others_with_one() -> None:
    """Between two Thai letters a line break joins directly; next to anything else, with one space."""
    assert paragraphs(["การปฏิบัติงาน", "ของส่วนราชการ", "(กศจ.)", "และ", "2570", "x  y"]) == [
        "การปฏิบัติงานของส่วนราชการ (กศจ.) และ 2570 x y"
    ]


def test_order_paragraph_after_the_closing_mark() -> None:
    """In an order, the paragraph after --- is the closing below the members."""
    wording = parse_wording("เรื่อง ก\n\nข\n\nค\n---\nง จ\n", "t", labels=("เรื่อง",), closing=True)
    assert wording.body == ("ข", "ค")
    assert wording.closing == "ง จ"
    with pytest.raises(TemplateProblem, match="only one paragraph may follow '---'"):
        parse_wording("เรื่อง ก\n\nข\n---\nค\n\nง\n", "t", labels=("เรื่อง",), closing=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ด้วย\n\nข\n", "must start with 'เรื่อง …', not 'ด้วย'"),
        ("เรียน ก\n\nข\n", "has no 'เรื่อง …' line"),
        ("เรื่อง ก\nเรื่อง ข\n\nค\n", "has more than one 'เรื่อง …' line"),
        ("เรื่อง ก\n", "has no paragraph after its header lines"),
        ("เรื่อง ก\nอ้างถึง ข\n\nค\n", "the line 'อ้างถึง …' has no place in this kind of document"),
    ],
)
def test_text_that_breaks_the_convention_names_the_template(text: str, message: str) -> None:
    """Each way of breaking the convention is one sentence naming the template."""
    with pytest.raises(TemplateProblem) as caught:
        parse_wording(text, "templates/memo.txt.j2", labels=("เรื่อง", "เรียน"))
    assert str(caught.value).startswith("templates/memo.txt.j2: ")
    assert message in str(caught.value)
