"""Members files of an order (YAML or CSV): read, and every problem placed with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sop_cli.errors import SopError
from sop_cli.loading.members import MembersFileError, load_members
from sop_cli.models.members import CommitteeRole
from tests.conftest import WriteTree


def load(root: Path, name: str) -> tuple[str, ...]:
    """(name, role) pairs read from `root/name`, flattened."""
    return tuple(f"{m.name}|{m.position}|{m.role}|{m.duties}" for m in load_members(root / name, name))


def problems(root: Path, name: str) -> list[str]:
    """The problems of a bad members file, as printed."""
    with pytest.raises(MembersFileError) as caught:
        load_members(root / name, name)
    return [str(p) for p in caught.value.problems]


def test_yaml_with_or_without_the_members_key(write_tree: WriteTree) -> None:
    """`members:` and a list, or a bare list; duties optional; names stripped."""
    root = write_tree(
        {
            "a.yaml": "members:\n  - {name: ' นายก ข ', position: ศึกษาธิการจังหวัด, role: ประธานกรรมการ}\n",
            "b.yml": "- name: นางค\n  position: ศึกษานิเทศก์\n  role: กรรมการและเลขานุการ\n  duties: จดรายงาน\n",
        }
    )
    assert load(root, "a.yaml") == ("นายก ข|ศึกษาธิการจังหวัด|ประธานกรรมการ|",)
    assert load(root, "b.yml") == ("นางค|ศึกษานิเทศก์|กรรมการและเลขานุการ|จดรายงาน",)


def test_csv_with_english_or_thai_columns_and_a_bom(write_tree: WriteTree) -> None:
    """A CSV saved by Excel (BOM, Thai column titles, a blank line) reads the same."""
    root = write_tree(
        {
            "en.csv": "name,position,role,duties\nนายก,ศึกษาธิการ,ประธานกรรมการ,\n\nนางข,ศน.,กรรมการ,ติดตาม\n",
            "th.csv": "\ufeffชื่อ-สกุล,ตำแหน่ง,ตำแหน่งในคณะกรรมการ\nนายก,ศึกษาธิการ,ที่ปรึกษา\n",
        }
    )
    assert load(root, "en.csv") == ("นายก|ศึกษาธิการ|ประธานกรรมการ|", "นางข|ศน.|กรรมการ|ติดตาม")
    assert load(root, "th.csv") == ("นายก|ศึกษาธิการ|ที่ปรึกษา|",)


def test_the_fixed_list_of_roles() -> None:
    """The six roles an order appointing a committee may give."""
    assert [r.value for r in CommitteeRole] == [
        "ที่ปรึกษา",
        "ประธานกรรมการ",
        "รองประธานกรรมการ",
        "กรรมการ",
        "กรรมการและเลขานุการ",
        "กรรมการและผู้ช่วยเลขานุการ",
    ]


def test_csv_missing_column_and_empty_name(write_tree: WriteTree) -> None:
    """A missing column is reported at line 1; an empty name at its own line and column."""
    root = write_tree(
        {
            "nocol.csv": "name,position\nนายก,ศึกษาธิการ\n",
            "empty.csv": "name,position,role\nนายก,ศึกษาธิการ,ประธานกรรมการ\n  ,ศน.,กรรมการ\n",
            "extra.csv": "name,position,role,ลำดับ\nนายก,ก,กรรมการ,1\n",
        }
    )
    assert problems(root, "nocol.csv") == [
        "nocol.csv:1:1: missing column 'role' (columns: name, position, role, duties)"
    ]
    assert problems(root, "empty.csv") == ["empty.csv:3:1: name: must not be empty"]
    assert problems(root, "extra.csv") == [
        "extra.csv:1:4: unknown column 'ลำดับ' (columns: name, position, role, duties)"
    ]


def test_unknown_role_placed_in_yaml_and_csv(write_tree: WriteTree) -> None:
    """A role outside the fixed list names the allowed ones, at its line."""
    root = write_tree(
        {
            "m.yaml": "members:\n  - name: นายก\n    position: ศึกษาธิการ\n    role: ประธาน\n",
            "m.csv": "name,position,role\nนายก,ศึกษาธิการ,ประธาน\n",
        }
    )
    (yaml_problem,) = problems(root, "m.yaml")
    assert yaml_problem.startswith("m.yaml:4:11: members[0].role: must be one of 'ที่ปรึกษา', 'ประธานกรรมการ'")
    assert yaml_problem.endswith("got 'ประธาน'")
    (csv_problem,) = problems(root, "m.csv")
    assert csv_problem.startswith("m.csv:2:3: role: must be one of")


def test_missing_yaml_field_and_empty_list(write_tree: WriteTree) -> None:
    """A member without a position, and a file with no member, are each one placed problem."""
    root = write_tree({"a.yaml": "- name: นายก\n  role: กรรมการ\n", "b.yaml": "members: []\n"})
    assert problems(root, "a.yaml") == ["a.yaml:1:3: members[0].position: missing required field"]
    assert problems(root, "b.yaml") == ["b.yaml:1:10: members: must not be empty"]


def test_file_that_does_not_exist_or_is_not_yaml_or_csv(tmp_path: Path) -> None:
    """One sentence for a missing file and for a file of another kind."""
    with pytest.raises(SopError, match=r"^members file x\.yaml does not exist$"):
        load_members(tmp_path / "x.yaml", "x.yaml")
    (tmp_path / "m.xlsx").write_bytes(b"PK")
    with pytest.raises(SopError, match=r"must be \.yaml, \.yml or \.csv"):
        load_members(tmp_path / "m.xlsx", "m.xlsx")
