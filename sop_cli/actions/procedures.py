"""What a user can ask of `sop`, one function per intent; the CLI only parses and renders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sop_cli.loading.summaries import load_summaries
from sop_cli.views.runs import ProcedureSummary
from sop_cli.workspace import Workspace

if TYPE_CHECKING:
    from sop_cli.models.catalog import Catalog
    from sop_cli.models.procedure import Procedure


def list_procedures(ws: Workspace) -> list[ProcedureSummary]:
    """Summarise every procedure of the workspace, in number order."""
    return load_summaries(ws)


def show_procedure(ws: Workspace, number: int) -> tuple[Procedure, Catalog]:
    """Return procedure `number` with the catalog that names its people and bodies."""
    from sop_cli.loading.catalog import load_catalog

    catalog = load_catalog(ws)
    return catalog.procedure(number), catalog
