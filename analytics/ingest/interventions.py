"""OPD interventions: the programme catalog, importing an OPD file, and keeping the summaries fresh.

Re-import rules (also stated on the Data & Impor page and in `analytics.cli intervensi --help`):
a file with the same SHA-256 as an earlier import is refused. A file's period runs from its first
to its last record date. When the same OPD already has a file whose period overlaps, the importer
must choose: mode "tambah" keeps the earlier file(s) and adds this one (refused if any record
repeats a stored one exactly), mode "ganti" removes the overlapping earlier file(s) and stores this
one, in the same transaction. Without a choice the import is refused.
"""

from __future__ import annotations

import getpass
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from analytics import formatting as fmt
from analytics import i18n
from analytics.access import real_data
from analytics.ingest import base
from analytics.ingest.base import ImportRefused
from analytics.ingest.intervention_file import PreparedInterventions, prepare
from analytics.store import archive
from analytics.store.catalog import CatalogError, catalog_paths, catalog_sha, read_catalog
from analytics.store.db import Store, load_query, no_progress, run

Progress = base.Progress
MODES = ("tambah", "ganti")
KIND = "intervensi"
_refused = ImportRefused.keyed


@dataclass
class ImportResult:
    """What a committed intervention import did."""

    kode_opd: str
    file_name: str
    rows: int
    delivered: int
    planned: int
    off_list: int
    replaced: list[str]
    warnings: int
    seconds: float


# --- the catalog of OPDs and programmes ---------------------------------------------------------


def _state(store: Store, key: str) -> str | None:
    return store.scalar(load_query("intervensi_state_value"), {"key": key})


def ensure_catalog(store: Store, paths: tuple[Path, Path] | None = None) -> bool:
    """Load the catalog files into the store when they changed; True when (re)loaded."""
    opd_path, program_path = paths or catalog_paths()
    sha = catalog_sha((opd_path, program_path))
    if _state(store, "katalog") == sha:
        return False
    opd_df, prog_df = read_catalog(opd_path, program_path)
    with store.transaction() as cur:
        cur.register("in_opd", opd_df)
        cur.register("in_program", prog_df)
        # entries gone from the files but still referenced by records stay, marked di_berkas = false
        run(cur, "catalog_replace")
        run(cur, "intervensi_state_put", key="katalog", value=sha)
        refresh(cur, None)
    return True


def catalog(store: Store) -> tuple[pd.DataFrame, dict[str, str]]:
    """(programmes indexed by kode_program, OPD names by code) as stored."""
    with store.cursor() as cur:
        programs = cur.execute(load_query("catalog_programs")).df()
        names = dict(cur.execute(load_query("catalog_opd_names")).fetchall())
    for col in ("mulai", "selesai"):
        programs[col] = programs[col].map(lambda v: v.date() if pd.notna(v) else None)
    return programs.set_index("kode_program"), names


# --- summaries ----------------------------------------------------------------------------------


def registry_token(cur: duckdb.DuckDBPyConnection) -> str:
    """A value that changes whenever a snapshot is added, replaced or removed."""
    row = cur.execute(load_query("snapshot_token")).fetchone()
    return hashlib.sha256(str(row[0]).encode()).hexdigest()


def refresh(cur: duckdb.DuckDBPyConnection, from_date: date | None, berkas_id: int | None = None) -> None:
    """Recompute matches and summaries inside the caller's transaction.

    berkas_id None re-matches every record (the list or catalog changed); otherwise only that file's
    records are matched. Snapshot summaries are rebuilt for snapshots on or after from_date
    (None = all).
    """
    if berkas_id is None:
        run(cur, "intervensi_cocok_clear")
    run(cur, "intervensi_incoming_create", berkas_id=berkas_id)
    cur.sql(load_query("intervensi_match")).create_view("intervensi_matched")
    run(cur, "intervensi_cocok_insert")
    start = from_date or date(1900, 1, 1)
    for query in ("intervensi_stats_delete", "intervensi_irisan_delete", "intervensi_terjangkau_delete"):
        run(cur, query, from_date=start)
    run(cur, "intervensi_harian_delete")
    run(cur, "intervensi_harian_insert")
    run(cur, "intervensi_onlist", from_date=start)
    run(cur, "intervensi_reach")
    run(cur, "intervensi_stats_insert", from_date=start)
    run(cur, "intervensi_irisan_insert")
    run(cur, "intervensi_terjangkau_insert")
    run(cur, "intervensi_refresh_done")
    run(cur, "intervensi_state_put", key="registri", value=registry_token(cur))


def ensure_fresh(store: Store) -> bool:
    """Load a changed catalog and recompute the summaries when the list changed; True if recomputed.

    A broken catalog file raises CatalogError, after the summaries were brought up to date with the
    list under the catalog already stored.
    """
    broken: CatalogError | None = None
    try:
        if ensure_catalog(store):
            return True
    except CatalogError as exc:
        broken = exc
    refreshed = False
    with store.cursor() as cur:
        current = registry_token(cur)
    if _state(store, "registri") != current:
        with store.transaction() as cur:
            if _state_in(cur, "registri") != registry_token(cur):  # another session may have done it
                refresh(cur, None)
                refreshed = True
    if broken is not None:
        raise broken
    return refreshed


def _state_in(cur: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = cur.execute(load_query("intervensi_state_value"), {"key": key}).fetchone()
    return row[0] if row else None


# --- importing one OPD file ---------------------------------------------------------------------


def log_import(store: Store, prepared: PreparedInterventions, outcome: str, message: str, user: str) -> None:
    """Append one line to the import log (kind 'intervensi', its own small transaction)."""
    base.log_import(store, KIND, prepared, outcome, message, user)


def prepare_file(
    store: Store,
    data: bytes,
    file_name: str,
    kode_opd: str,
    user: str | None = None,
    *,
    is_demo: bool = False,
) -> PreparedInterventions:
    """Validate an OPD file against the catalog; a refused file is logged with why.

    Raises ImportRefused before reading anything when a file that is not the demo build would be
    keyed with the public demo key.
    """
    secret = real_data.import_secret(is_demo, ImportRefused)
    ensure_catalog(store)
    programs, names = catalog(store)
    if kode_opd not in names:
        raise _refused("impor_intervensi.unknown_opd", opd=kode_opd)
    prepared = prepare(data, file_name, kode_opd, programs, names, secret)
    if not prepared.ok:
        base.log_invalid(store, KIND, prepared, user or getpass.getuser(), prefix=f"Intervensi {kode_opd}: ")
    return prepared


def preview(store: Store, prepared: PreparedInterventions) -> pd.DataFrame:
    """Per programme: rows, delivered and planned rows, beneficiaries and those not on the list at the
    record date, as the import would record them against the list stored now."""
    rows = prepared.rows.assign(berkas_id=0)
    with store.cursor() as cur:
        cur.register("incoming_intervensi", rows)
        cur.register("incoming_match", cur.execute(load_query("intervensi_match")).df())
        return cur.execute(load_query("intervensi_preview")).df()


def overlapping_files(store: Store, prepared: PreparedInterventions) -> pd.DataFrame:
    """The OPD's stored files whose period overlaps this file's period."""
    start, end = prepared.period
    return store.query("intervensi_berkas_overlap", kode_opd=prepared.kode_opd, dari=start, sampai=end)


def check_importable(
    store: Store, prepared: PreparedInterventions, mode: str | None, *, is_demo: bool = False
) -> pd.DataFrame:
    """Raise ImportRefused when the file must not be imported as asked; return the files it replaces."""
    if mode not in (None, *MODES):
        raise ValueError(f"mode must be None, 'tambah' or 'ganti', not {mode!r}")
    secret = real_data.import_secret(is_demo, ImportRefused)
    if not prepared.ok:
        raise ImportRefused(*prepared.refusal())
    found = store.query("intervensi_berkas_by_sha", sha256=prepared.sha256)
    earlier = None if found.empty else found.iloc[0].tolist()
    if earlier:
        raise _refused(
            "impor_intervensi.same_file",
            file=prepared.file_name,
            opd=earlier[0],
            source=earlier[1],
            at=f"{earlier[2]:%d-%m-%Y %H:%M}",
            by=earlier[3],
        )
    base.check_key(store, secret, "impor_intervensi.key_differs")
    overlap = overlapping_files(store, prepared)
    if overlap.empty:
        return overlap
    if mode is None:

        def overlapping(lang: str) -> str:
            files = "; ".join(
                i18n.text(
                    lang,
                    "impor_intervensi.earlier_file",
                    file=r.source_file,
                    start=f"{r.periode_dari:%d-%m-%Y}",
                    end=f"{r.periode_sampai:%d-%m-%Y}",
                    at=f"{r.imported_at:%d-%m-%Y %H:%M}",
                    by=r.imported_by,
                )
                for r in overlap.itertuples()
            )
            return i18n.text(
                lang, "impor_intervensi.overlap", file=prepared.file_name, opd=prepared.kode_opd, files=files
            )

        raise ImportRefused(overlapping(i18n.language()), overlapping(i18n.DEFAULT))
    if mode == "tambah":
        with store.cursor() as cur:
            cur.register("incoming", prepared.rows)
            dup = cur.execute(load_query("intervensi_duplicates"), {"kode_opd": prepared.kode_opd}).fetchall()
        if dup:
            raise _refused(
                "impor_intervensi.duplicates",
                file=prepared.file_name,
                n=len(dup),
                row=dup[0][0],
                source=dup[0][1],
                source_row=dup[0][2],
            )
        return overlap.iloc[0:0]
    return overlap


def commit(
    store: Store,
    prepared: PreparedInterventions,
    *,
    mode: str | None = None,
    user: str | None = None,
    is_demo: bool = False,
    progress: Progress = no_progress,
    imported_at: datetime | None = None,
) -> ImportResult:
    """Import a validated OPD file in one transaction: all of it, or nothing.

    imported_at is given only when replaying the archive (the original import's time)."""
    user = user or getpass.getuser()
    started = datetime.now()
    stamp = imported_at or started
    try:
        replaced = check_importable(store, prepared, mode, is_demo=is_demo)
    except ImportRefused as exc:
        if prepared.ok:  # validation refusals were logged when the file was checked
            log_import(store, prepared, "ditolak", exc.log_text, user)
        raise
    start, end = prepared.period
    from_date = min([start, *(pd.Timestamp(t).date() for t in replaced["periode_dari"])])
    rows = prepared.rows
    staged = None
    try:
        with store.transaction() as cur, archive.staged(store.archive_dir) as staged:
            progress(0.1, i18n.t("impor_intervensi.saving"))
            for berkas_id in replaced["berkas_id"]:
                for query in (
                    "intervensi_delete_cocok",
                    "intervensi_delete_records",
                    "intervensi_delete_berkas",
                ):
                    run(cur, query, berkas_id=int(berkas_id))
            berkas_id = cur.execute(load_query("intervensi_berkas_next_id")).fetchone()[0]
            meta = archive.describe(KIND, prepared, user=user, imported_at=stamp, as_of=start)
            meta.is_demo, meta.kode_opd, meta.mode, meta.berkas_id = (
                is_demo,
                prepared.kode_opd,
                mode,
                int(berkas_id),
            )
            staged.write(rows, meta)  # archived after COMMIT, so a rebuild can replay this import
            run(
                cur,
                "intervensi_berkas_insert",
                berkas_id=berkas_id,
                kode_opd=prepared.kode_opd,
                source_file=prepared.file_name,
                sha256=prepared.sha256,
                dari=start,
                sampai=end,
                imported_at=stamp,
                imported_by=user,
                row_count=prepared.row_count,
                is_demo=is_demo,
            )
            cur.register("incoming", rows)
            run(cur, "intervensi_insert", berkas_id=berkas_id, kode_opd=prepared.kode_opd)
            progress(0.3, i18n.t("impor_intervensi.matching"))
            if _state_in(cur, "registri") == registry_token(cur):
                refresh(cur, from_date, berkas_id)
            else:  # the list changed since the summaries were computed: recompute everything
                refresh(cur, None)
            off_list = cur.execute(
                load_query("intervensi_off_list_count"), {"berkas_id": berkas_id}
            ).fetchone()[0]
            delivered = int((rows["status"] == "tersalur").sum())
            # the import log keeps one language (Indonesian), whichever language the user reads
            note = f"; mengganti {', '.join(replaced['source_file'])}" if len(replaced) else ""
            base.log_line(
                cur,
                KIND,
                prepared,
                "diimpor",
                f"Intervensi {prepared.kode_opd} {start:%d-%m-%Y} s.d. {end:%d-%m-%Y}: {len(rows)} baris "
                f"({delivered} tersalur), {off_list} penerima di luar daftar, {len(prepared.warnings)} "
                f"peringatan{note}",
                user,
            )
            progress(0.95, i18n.t("berkas.finishing"))
    except i18n.Refusal:
        raise
    except Exception as exc:  # rolled back
        raise base.unexpected_failure(store, KIND, prepared, user, exc, staged) from None
    store.checkpoint()
    staged.promote()
    if not is_demo:
        real_data.retire_demo_accounts(store, user, prepared.file_name)
    progress(1.0, i18n.t("berkas.done"))
    return ImportResult(
        prepared.kode_opd,
        prepared.file_name,
        len(rows),
        delivered,
        len(rows) - delivered,
        int(off_list),
        list(replaced["source_file"]),
        len(prepared.warnings),
        (datetime.now() - started).total_seconds(),
    )


def import_file(
    store: Store,
    path: Path | str,
    kode_opd: str,
    *,
    mode: str | None = None,
    user: str | None = None,
    is_demo: bool = False,
    progress: Progress = no_progress,
) -> ImportResult:
    """Read, validate and import one OPD file; raise ImportRefused with the reasons."""
    path = Path(path)
    return IMPORTER.import_bytes(
        store,
        path.read_bytes(),
        path.name,
        kode_opd=kode_opd,
        mode=mode,
        user=user,
        is_demo=is_demo,
        progress=progress,
    )


class InterventionImporter(base.ImporterBase):
    """The OPD intervention file import kind (base.Importer): prepare takes `kode_opd`, commit takes
    `mode` (None, 'tambah' or 'ganti')."""

    kind = KIND
    prepare_options = ("kode_opd",)
    shared_options = ("is_demo",)

    def prepare(
        self,
        store: Store,
        data: bytes,
        file_name: str,
        *,
        user: str | None = None,
        kode_opd: str,
        is_demo: bool = False,
    ) -> PreparedInterventions:
        return prepare_file(store, data, file_name, kode_opd, user, is_demo=is_demo)

    def preview(self, store: Store, prepared: PreparedInterventions) -> pd.DataFrame:
        return preview(store, prepared)

    def commit(self, store: Store, prepared: PreparedInterventions, **options) -> ImportResult:
        return commit(store, prepared, **options)

    def replay(self, store: Store, meta: archive.Meta, rows: pd.DataFrame) -> None:
        if meta.berkas_id is not None:  # ids skipped by imports that rolled back stay skipped
            with store.transaction() as cur:
                _advance_berkas_id(cur, meta.berkas_id - 1)
        prepared = PreparedInterventions(
            meta.file_name, meta.sha256, meta.kode_opd, rows, base.issues_of(meta), meta.row_count
        )
        commit(
            store,
            prepared,
            mode=meta.mode,
            user=meta.user,
            is_demo=meta.is_demo,
            imported_at=meta.imported_at_time,
        )

    def ticket(self, spec: dict) -> dict:
        if not isinstance(spec.get("kode_opd"), str) or spec.get("mode") not in (None, *MODES):
            raise ValueError("tiket intervensi tidak menyebut kode OPD atau mode yang sah")
        return {"kode_opd": spec["kode_opd"], "mode": spec.get("mode")}

    def outcome(self, result: ImportResult) -> tuple[str, str, str, str]:
        message = f"{fmt.number(result.rows)} baris, {fmt.number(result.off_list)} di luar daftar"
        return "diimpor", "", result.kode_opd, message


def _advance_berkas_id(cur: duckdb.DuckDBPyConnection, to: int) -> None:
    """Make the next file id greater than `to` (DuckDB has no setval); the rebuild keeps the ids."""
    current = cur.execute(load_query("intervensi_berkas_current_id")).fetchone()[0]
    if to > current:
        cur.execute(
            load_query("sequence_skip"), {"sequence": "intervensi_berkas_id_seq", "n": to - current}
        ).fetchall()


IMPORTER = InterventionImporter()
