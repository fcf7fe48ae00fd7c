"""Letters are addressed to the head of an agency (clause 11), from sops/agencies.yaml."""

from __future__ import annotations

import pytest

from sop_cli.actions.documents import issue_letter, issue_order
from sop_cli.errors import SopError
from sop_cli.loading.catalog import load_catalog
from sop_cli.rendering.docx_common import plain_text
from sop_cli.workspace import Workspace
from tests.actions.test_documents import members_file, read, settings, started
from tests.conftest import files_under
from tests.rendering.test_docx_official import texts
from tests.values import ME


def test_every_agency_a_letter_can_go_to_names_its_head(workspace: Workspace) -> None:
    """Each agency has the head's position as addressee, or none when it is a kind of agency."""
    agencies = load_catalog(workspace).agencies
    kinds = {a.id for a in agencies.agencies if a.addressee is None}
    assert kinds == {"local_administration", "provincial_local_administration_office", "others"}
    for agency in agencies.agencies:
        assert agency.addressee != agency.name
    local = {a.id for a in agencies.agencies if a.id.startswith("cr_")}
    assert {"cr_pesa1", "cr_pesa2", "cr_pesa3", "cr_pesa4", "cr_sesa", "cr_vocational", "cr_learning"} <= local
    assert local <= {a.id for a in agencies.unconfirmed}  # the office has still to check them
    assert "obec" not in {a.id for a in agencies.unconfirmed}


def test_a_letter_to_a_local_office_is_addressed_to_its_director(workspace: Workspace) -> None:
    """`--to cr_pesa1`: เรียน the director of the area office; its name under สำเนาส่ง of a copy."""
    started(workspace)
    result = issue_letter(workspace, 3, ME, step=8, to_agencies=["cr_pesa1", "cr_vocational"], copies=True)
    lines = texts(read(workspace, result))
    assert "เรียน\tผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต ๑" in lines
    assert lines[-1] == "สำเนาส่ง\tสำนักงานอาชีวศึกษาจังหวัดเชียงราย"
    assert result.documents[0].addressee == "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต ๑"


@pytest.mark.parametrize("agency", ["others", "local_administration"])
def test_a_kind_of_agency_is_refused_and_nothing_is_written(workspace: Workspace, agency: str) -> None:
    """ "อื่น ๆ" or every local administration has no head to write to: refused, no number taken."""
    started(workspace)
    before = files_under(workspace.root)
    with pytest.raises(SopError, match=rf"^{agency} \(.+\) is not one office with a head to address; add the office"):
        issue_letter(workspace, 3, ME, step=8, to_agencies=["obec", agency])
    assert files_under(workspace.root) == before


def test_a_bare_signer_and_a_committee_without_chair_are_warned_about(workspace: Workspace) -> None:
    """The order's signer without a title and a position without level, and no ประธาน: warnings, still written."""
    settings(workspace, '[office]\nsignatory = "สมชาย ใจดี"\nsignatory_positions = ["ศึกษานิเทศก์"]\n')
    started(workspace)
    text = "members:\n  - name: นายก ข\n    position: ครู\n    role: กรรมการและเลขานุการ\n"
    result = issue_order(workspace, 3, ME, step=1, members_file=members_file(workspace, text))
    assert result.warnings[-3:] == (
        "the signatory สมชาย ใจดี has no title before the name (นาย, นาง, นางสาว or a rank)",
        "the signatory's position ศึกษานิเทศก์ has no level (such as ชำนาญการพิเศษ)",
        "the committee has no ประธานกรรมการ",
    )
    assert plain_text(read(workspace, result).paragraphs[-2].text) == "(สมชาย ใจดี)"


def test_acting_signature_from_the_settings(workspace: Workspace) -> None:
    """sop.toml signatory_acting and signatory_acting_for print the acting lines under the signer's position."""
    settings(
        workspace,
        '[office]\nsignatory = "นายสมชาย ใจดี"\nsignatory_positions = ["รองศึกษาธิการจังหวัดเชียงราย"]\n'
        'signatory_acting = "ปฏิบัติราชการแทน"\nsignatory_acting_for = "ศึกษาธิการจังหวัดเชียงราย"\n',
    )
    started(workspace)
    result = issue_letter(workspace, 3, ME, step=8, to_agencies=["obec"])
    lines = texts(read(workspace, result))
    at = lines.index("(นายสมชาย ใจดี)")
    assert lines[at + 1 : at + 3] == ["รองศึกษาธิการจังหวัดเชียงราย ปฏิบัติราชการแทน", "ศึกษาธิการจังหวัดเชียงราย"]
