"""sop.toml's [office] table: defaults, the shipped example, unknown keys and the Garuda, placed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sop_cli.actions.check import check_workspace
from sop_cli.errors import InvalidFilesError
from sop_cli.loading.settings import load_office, load_settings, settings_problems
from sop_cli.workspace import Workspace
from tests.conftest import PROJECT
from tests.rendering.test_docx_official import png


def write(ws: Workspace, text: str) -> None:
    """Write the workspace's sop.toml."""
    (ws.root / "sop.toml").write_text(text, encoding="utf-8")


def test_without_a_file_every_key_has_its_default(workspace: Workspace) -> None:
    """No sop.toml: the Chiang Rai office's name, unit, code and addressee; TH SarabunPSK; Thai digits."""
    office = load_office(workspace)
    assert office.name == "สำนักงานศึกษาธิการจังหวัดเชียงราย"
    assert office.unit == "กลุ่มนิเทศ ติดตาม และประเมินผล"
    assert office.document_code == "ศธ ๐๒๘๘"
    assert office.addressee == "ศึกษาธิการจังหวัดเชียงราย"
    assert (office.font, office.thai_digits, office.garuda) == ("TH SarabunPSK", True, None)
    assert office.placeholders() == ["signatory", "telephone", "email", "order_authority"]
    settings = office.document_settings(workspace.root)
    assert settings.office_name == office.name and settings.garuda_path is None


def test_the_shipped_example_validates(workspace: Workspace) -> None:
    """The commented sop.toml at the project's root has no problem and the office's values."""
    shutil.copy(PROJECT / "sop.toml", workspace.root / "sop.toml")
    settings, problems = settings_problems(workspace)
    assert problems == []
    assert settings.office.address[-1] == "จังหวัดเชียงราย ๕๗๐๐๐"
    assert settings.evidence.max_mb == 50
    assert check_workspace(workspace).ok


def test_unknown_and_wrong_keys_are_placed(workspace: Workspace) -> None:
    """A misspelt key and a wrong type in [office] are reported at their line and column."""
    write(
        workspace, '[evidence]\nmax_mb = 5\n\n[office]\nname = "ก"\n  nmae = "ข"\nthai_digits = "maybe"\naddress = []\n'
    )
    _, problems = settings_problems(workspace)
    found = sorted(str(p) for p in problems)
    assert found[0] == "sop.toml:6:3: office.nmae: unknown key 'nmae'"
    assert found[1].startswith("sop.toml:7:1: office.thai_digits: ") and found[1].endswith("got 'maybe'")
    assert found[2] == "sop.toml:8:1: office.address: must not be empty"


def test_memo_signatory_needs_its_positions(workspace: Workspace) -> None:
    """memo_signatory without memo_signatory_positions is refused at the [office] line."""
    write(workspace, '[office]\nmemo_signatory = "นายก"\n')
    _, problems = settings_problems(workspace)
    assert [str(p) for p in problems] == [
        "sop.toml:1:1: office: memo_signatory needs memo_signatory_positions (the position lines under the name)"
    ]


def test_garuda_relative_to_the_workspace(workspace: Workspace) -> None:
    """A relative garuda path is taken from the workspace root; a real PNG has no problem."""
    (workspace.root / "assets").mkdir()
    (workspace.root / "assets" / "garuda.png").write_bytes(png(30, 40))
    write(workspace, '[office]\ngaruda = "assets/garuda.png"\n')
    assert settings_problems(workspace)[1] == []
    assert load_office(workspace).garuda_path(workspace.root) == workspace.root / "assets" / "garuda.png"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"not a picture", "is not a PNG, JPEG, GIF, BMP or TIFF image"),
    ],
)
def test_garuda_missing_or_not_an_image(workspace: Workspace, content: bytes | None, message: str) -> None:
    """`sop check` reports a garuda that does not exist or is not an image; generation refuses it."""
    if content is not None:
        (workspace.root / "garuda.png").write_bytes(content)
    write(workspace, '[office]\nname = "ก"\n  garuda = "garuda.png"\n')
    (problem,) = settings_problems(workspace)[1]
    assert (problem.path, problem.line, problem.column) == ("sop.toml", 3, 3)
    assert problem.message.startswith("office.garuda: the Garuda emblem ")
    assert problem.message.endswith(message)
    assert [p.message for p in check_workspace(workspace).problems] == [problem.message]
    with pytest.raises(InvalidFilesError):
        load_office(workspace)
    assert load_settings(workspace).evidence.max_mb == 50  # evidence commands still work


def test_garuda_absolute_path(workspace: Workspace, tmp_path: Path) -> None:
    """An absolute path is used as it is."""
    garuda = tmp_path / "elsewhere.png"
    garuda.write_bytes(png(10, 10))
    write(workspace, f'[office]\ngaruda = "{garuda}"\n')
    assert load_office(workspace).garuda_path(workspace.root) == garuda
