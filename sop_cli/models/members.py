"""Model the members file of an order that appoints a committee (YAML or CSV)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from sop_cli.models.base import Frozen

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class CommitteeRole(StrEnum):
    """The positions in a committee that an order may give (ตำแหน่งในคณะกรรมการ)."""

    adviser = "ที่ปรึกษา"
    chair = "ประธานกรรมการ"
    vice_chair = "รองประธานกรรมการ"
    member = "กรรมการ"
    secretary = "กรรมการและเลขานุการ"
    assistant_secretary = "กรรมการและผู้ช่วยเลขานุการ"


class MemberRow(Frozen):
    """One member: name, position in the office, role in the committee, duties (optional)."""

    name: Name
    position: Name
    role: CommitteeRole
    duties: Annotated[str, StringConstraints(strip_whitespace=True)] = ""


class MembersFile(Frozen):
    """A YAML members file: `members:` and the list (a bare list is accepted too)."""

    members: tuple[MemberRow, ...] = Field(min_length=1)
