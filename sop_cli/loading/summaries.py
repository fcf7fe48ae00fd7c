"""The one-line summaries of `sop list`, cached apart so that listing needs no model classes."""

from __future__ import annotations

from sop_cli import __version__
from sop_cli.loading.cache import files_key, read_cache, write_cache
from sop_cli.views.runs import ProcedureSummary
from sop_cli.workspace import Workspace

SUMMARIES_CACHE = "summaries.pickle"
_PROCEDURE_SCHEMA_VERSION = 1  # as sop_cli.models.procedure.PROCEDURE_SCHEMA_VERSION


def load_summaries(ws: Workspace) -> list[ProcedureSummary]:
    """Summaries of every procedure: from the cache when no file of sops/ changed, else validated anew.

    The cache holds plain dataclasses, so a warm `sop list` never imports pydantic or the models.
    """
    key = (__version__, _PROCEDURE_SCHEMA_VERSION, files_key(ws.sops, (".yaml", ".yml")))
    cached = read_cache(ws.cache / SUMMARIES_CACHE, key)
    if isinstance(cached, list) and all(isinstance(item, ProcedureSummary) for item in cached):
        return cached
    from sop_cli.loading.catalog import load_catalog

    catalog = load_catalog(ws)
    summaries = [
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
    write_cache(ws.cache / SUMMARIES_CACHE, key, summaries)
    return summaries
