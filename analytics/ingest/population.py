"""Population table import (kode wilayah, penduduk, tahun, sumber): the denominator of per-1.000 rates.

Same rules as the registry import: messages in the user's language naming file, row, column and
value (logged in Indonesian); one transaction; the same file (SHA-256) is never imported twice; every
attempt is logged.
No population figures ship with the app.
"""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path

import pandas as pd

from analytics import formatting as fmt
from analytics import i18n
from analytics.access import real_data
from analytics.ingest import base, population_file
from analytics.ingest.base import ImportRefused
from analytics.ingest.issues import both
from analytics.ingest.population_file import TEMPLATE, PreparedPopulation
from analytics.maps.population import preview_table, stored_table  # the upload UI's tables (read side)
from analytics.store import archive, areas
from analytics.store.db import Store, load_query, no_progress, run

__all__ = [
    "TEMPLATE",
    "ImportRefused",
    "PreparedPopulation",
    "commit",
    "import_file",
    "prepare",
    "preview_table",
    "stored_table",
]
KIND = "penduduk"


def prepare(store: Store, data: bytes, file_name: str, user: str | None = None) -> PreparedPopulation:
    """Read and validate a population file; a refused file is logged with why.

    Population tables hold no NIK, but they are real data: a store that holds them is no longer the
    demo build, so they too need a real NIK key (the demo accounts go with the demo build).
    """
    real_data.import_secret(False, ImportRefused)
    kecamatan = set(store.query("map_kecamatan_codes")["kode_kecamatan"])
    prepared = population_file.read(data, file_name, areas.AreaResolver(store), kecamatan)
    if not prepared.ok:
        base.log_invalid(store, KIND, prepared, user or getpass.getuser())
    return prepared


def _log(store: Store, prepared: PreparedPopulation, outcome: str, message: str, user: str) -> None:
    base.log_import(store, KIND, prepared, outcome, message, user)


def replaced_rows(store: Store, prepared: PreparedPopulation) -> pd.DataFrame:
    """Stored rows (same area and year) that importing the file would replace."""
    with store.cursor() as cur:
        cur.register("incoming", prepared.rows)
        return cur.execute(load_query("population_existing")).df()


def commit(
    store: Store,
    prepared: PreparedPopulation,
    user: str | None = None,
    *,
    imported_at: datetime | None = None,
    progress: base.Progress = no_progress,
) -> int:
    """Import a validated population file in one transaction; return the number of rows stored.

    imported_at is given only when replaying the archive (the original import's time)."""
    user = user or getpass.getuser()
    real_data.import_secret(False, ImportRefused)
    if not prepared.ok:
        raise ImportRefused(*prepared.refusal())
    earlier = store.query("population_file_by_sha", sha256=prepared.sha256)
    if not earlier.empty:
        e = earlier.iloc[0]
        message, logged = both(
            lambda lang: i18n.text(
                lang,
                "impor_penduduk.same_file",
                file=prepared.file_name,
                source=e["file_name"],
                at=f"{e['imported_at']:%d-%m-%Y %H:%M}",
                by=e["imported_by"],
            )
        )
        _log(store, prepared, "ditolak", logged, user)
        raise ImportRefused(message, logged)
    replaced = len(replaced_rows(store, prepared))
    years = ", ".join(str(y) for y in sorted(prepared.rows["tahun"].unique()))
    message = f"{len(prepared.rows)} baris penduduk tahun {years}; {replaced} baris lama diganti"
    started = imported_at or datetime.now()
    staged = None
    try:
        with store.transaction() as cur, archive.staged(store.archive_dir) as staged:
            # archived after COMMIT, so a rebuild can replay this import
            staged.write(
                prepared.rows, archive.describe("penduduk", prepared, user=user, imported_at=started)
            )
            cur.register("incoming", prepared.rows)
            params = {"sha256": prepared.sha256}
            run(cur, "population_insert", **params)
            run(
                cur,
                "population_file_insert",
                **params,
                file_name=prepared.file_name,
                imported_at=started,
                imported_by=user,
                row_count=len(prepared.rows),
            )
            base.log_line(cur, KIND, prepared, "diimpor", message, user)
    except i18n.Refusal:
        raise
    except Exception as exc:  # rolled back
        raise base.unexpected_failure(store, KIND, prepared, user, exc, staged) from None
    store.checkpoint()
    staged.promote()
    real_data.retire_demo_accounts(store, user, prepared.file_name)
    progress(1.0, i18n.t("berkas.done"))
    return len(prepared.rows)


def import_file(store: Store, path: Path | str, user: str | None = None) -> int:
    """Read, validate and import one population file; raise ImportRefused with the reasons."""
    path = Path(path)
    return IMPORTER.import_bytes(store, path.read_bytes(), path.name, user=user)


class PopulationImporter(base.ImporterBase):
    """The population table import kind (base.Importer); it takes no options."""

    kind = KIND

    def prepare(
        self, store: Store, data: bytes, file_name: str, *, user: str | None = None
    ) -> PreparedPopulation:
        return prepare(store, data, file_name, user)

    def preview(self, store: Store, prepared: PreparedPopulation) -> pd.DataFrame:
        return preview_table(store, prepared)

    def commit(
        self,
        store: Store,
        prepared: PreparedPopulation,
        *,
        user: str | None = None,
        progress: base.Progress = no_progress,
        imported_at: datetime | None = None,
    ) -> int:
        return commit(store, prepared, user, imported_at=imported_at, progress=progress)

    def replay(self, store: Store, meta: archive.Meta, rows: pd.DataFrame) -> None:
        prepared = PreparedPopulation(meta.file_name, meta.sha256, rows, base.issues_of(meta), meta.row_count)
        commit(store, prepared, meta.user, imported_at=meta.imported_at_time)

    def ticket(self, spec: dict) -> dict:
        return {}

    def outcome(self, result: int) -> tuple[str, str, str, str]:
        return "diimpor", "", "", f"{fmt.number(result)} baris penduduk"


IMPORTER = PopulationImporter()
