"""The validated procedures and vocabularies of one workspace, with lookups by id."""

from __future__ import annotations

from dataclasses import dataclass, field

from sop_cli.errors import UnknownProcedureError
from sop_cli.i18n import _
from sop_cli.models.procedure import Procedure
from sop_cli.models.questions import Question
from sop_cli.models.vocabulary import Agencies, Bodies, Roster


@dataclass(frozen=True)
class Catalog:
    """Every procedure of the workspace, by number, with the shared vocabularies."""

    procedures: dict[int, Procedure]
    roster: Roster
    bodies: Bodies
    agencies: Agencies
    files: dict[int, str] = field(default_factory=dict)
    # Identifies the state of the files it was read from: caches derived from it include it.
    stamp: object = ()
    # The questions for the office (sops/questions.yaml), answered or not.
    questions: tuple[Question, ...] = ()

    @property
    def open_questions(self) -> tuple[Question, ...]:
        """The questions the office has not answered yet."""
        return tuple(q for q in self.questions if q.is_open)

    def procedure(self, number: int) -> Procedure:
        """Return procedure `number`, or say which numbers exist."""
        try:
            return self.procedures[number]
        except KeyError:
            known = ", ".join(str(n) for n in sorted(self.procedures))
            raise UnknownProcedureError(
                _("There is no procedure {number}; the procedures are {known}.").format(number=number, known=known)
            ) from None

    def staff_name(self, staff_id: str) -> str:
        """Display name of a staff member by id (the id itself if unknown)."""
        for member in self.roster.staff:
            if member.id == staff_id:
                return member.display_name
        return staff_id

    def staff_short_name(self, staff_id: str) -> str:
        """Given name only, for narrow tables (the id itself if unknown)."""
        for member in self.roster.staff:
            if member.id == staff_id:
                return member.name.split()[0]
        return staff_id

    def body_name(self, body_id: str) -> str:
        """Display name of a body by id (the id itself if unknown)."""
        for body in self.bodies.bodies:
            if body.id == body_id:
                return body.short_name or body.name
        return body_id
