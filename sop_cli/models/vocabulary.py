"""Model the shared vocabularies: staff roster, bodies and committees, educational agencies."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from sop_cli.models.base import Frozen, Id, Text


class StaffMember(Frozen):
    """A person of the group, under the canonical spelling, with the manual's misspellings."""

    id: Id
    title: Text | None = None
    name: Text
    position: Text
    work_unit: Text
    aliases: tuple[Text, ...] = ()

    @property
    def display_name(self) -> str:
        """Name as written in documents: title glued to the name, as Thai usage has it."""
        return f"{self.title}{self.name}" if self.title else self.name


class Roster(Frozen):
    """The file `sops/staff.yaml`."""

    schema_version: Literal[1]
    staff: tuple[StaffMember, ...] = Field(min_length=1)


class Body(Frozen):
    """An office role, body or committee that decides or acts in a procedure."""

    id: Id
    name: Text
    short_name: Text | None = None


class Bodies(Frozen):
    """The file `sops/bodies.yaml`."""

    schema_version: Literal[1]
    bodies: tuple[Body, ...] = Field(min_length=1)


class Affiliation(StrEnum):
    """Whether an agency is under the Ministry of Education."""

    ministry = "ministry"
    outside = "outside"


class Agency(Frozen):
    """An educational agency from the definitions or one the office writes to, addressee of letters."""

    id: Id
    name: Text  # printed under สำเนาส่ง
    short_name: Text | None = None
    affiliation: Affiliation
    # The head's position, printed after เรียน (clause 11: a letter is addressed to a position).
    # None for a kind of agency ("อื่น ๆ", every local administration): no letter can go to it.
    addressee: Text | None = None
    # False until the office's สารบรรณ has checked the name and the addressee.
    confirmed: bool = True


class Agencies(Frozen):
    """The file `sops/agencies.yaml`."""

    schema_version: Literal[1]
    agencies: tuple[Agency, ...] = Field(min_length=1)

    @property
    def unconfirmed(self) -> tuple[Agency, ...]:
        """The agencies whose name and addressee the office has still to check."""
        return tuple(a for a in self.agencies if not a.confirmed)
