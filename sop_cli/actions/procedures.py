"""What a user can ask of `sop`, one function per intent; the CLI only parses and renders."""

from __future__ import annotations

from sop_cli.loading.catalog import load_catalog
from sop_cli.models.catalog import Catalog
from sop_cli.models.procedure import Procedure
from sop_cli.models.views import ProcedureSummary
from sop_cli.workspace import Workspace


def list_procedures(ws: Workspace) -> list[ProcedureSummary]:
    """Summarise every procedure of the workspace, in number order."""
    catalog = load_catalog(ws)
    return [
        ProcedureSummary(
            number=p.number,
            short_title=p.short_title,
            title=p.header.title,
            work_unit=p.header.work_unit,
            steps=len(p.steps),
            hours=p.total_hours,
        )
        for p in catalog.procedures.values()
    ]


def show_procedure(ws: Workspace, number: int) -> tuple[Procedure, Catalog]:
    """Return procedure `number` with the catalog that names its people and bodies."""
    catalog = load_catalog(ws)
    return catalog.procedure(number), catalog
