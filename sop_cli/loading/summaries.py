"""The one-line summaries of `sop list`, cached apart so that listing needs no model classes."""

from __future__ import annotations

from typing import Any

from sop_cli.i18n import _
from sop_cli.storage import cache
from sop_cli.views.runs import ProcedureSummary
from sop_cli.workspace import Workspace

SUMMARIES_CACHE = "summaries"
_FIELDS = ("number", "short_title", "title", "work_unit", "steps", "hours")


def _compute(ws: Workspace) -> list[ProcedureSummary]:
    from sop_cli.loading.catalog import load_catalog

    return [
        ProcedureSummary(
            number=p.number,
            short_title=p.short_title,
            title=p.header.title,
            work_unit=p.header.work_unit,
            steps=len(p.steps),
            hours=p.total_hours,
        )
        for p in load_catalog(ws).procedures.values()
    ]


def _dump(items: list[ProcedureSummary]) -> list[list[Any]]:
    return [[getattr(item, name) for name in _FIELDS] for item in items]


def _load(data: list[list[Any]]) -> list[ProcedureSummary]:
    items = []
    for number, short_title, title, work_unit, steps, hours in data:
        if not (isinstance(number, int) and isinstance(steps, int) and isinstance(hours, int | float)):
            raise ValueError(_("not a summary"))
        items.append(ProcedureSummary(number, str(short_title), str(title), str(work_unit), steps, float(hours)))
    return items


def load_summaries(ws: Workspace) -> list[ProcedureSummary]:
    """Summaries of every procedure: from the cache when no file of sops/ changed, else validated anew.

    The cache holds plain values, so a warm `sop list` never imports pydantic or the models.
    """
    key = [1, cache.folder_stamp(ws.sops, (".yaml", ".yml"))]
    return cache.memo(cache.workspace_cache(ws.root), SUMMARIES_CACHE, key, lambda: _compute(ws), _dump, _load)
