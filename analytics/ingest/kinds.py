"""Every import kind by its kind string (the import_log and archive kind): rebuild, inbox, CLI and the
upload flow look an importer up here instead of branching per kind. A new kind is one module
implementing `base.Importer` plus one entry here."""

from __future__ import annotations

from analytics.ingest import interventions, population, registry, verval
from analytics.ingest.base import Importer

KINDS: dict[str, Importer] = {
    importer.kind: importer
    for importer in (registry.IMPORTER, interventions.IMPORTER, population.IMPORTER, verval.IMPORTER)
}


def importer(kind: str) -> Importer | None:
    """The importer of a kind, or None when no importer has that kind."""
    return KINDS.get(kind)
