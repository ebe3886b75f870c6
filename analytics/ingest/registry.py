"""Importing registry snapshots: the one function every entry point (CLI, page, demo) calls."""

from __future__ import annotations

import functools
import getpass
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa

from analytics import formatting as fmt
from analytics import i18n
from analytics.access import real_data
from analytics.ingest import base, dtsen_file, formats, interventions
from analytics.ingest.base import ImportRefused
from analytics.ingest.registry_file import PreparedSnapshot, prepare
from analytics.store import archive, manifest, privacy, settings
from analytics.store.areas import AreaResolver
from analytics.store.db import Store, load_query, no_progress, run

__all__ = ["ImportRefused", "ImportResult", "commit", "import_file", "prepare_file", "preview"]

Progress = base.Progress
KIND = "registri"
_refused = ImportRefused.keyed


@dataclass
class ImportResult:
    """What a committed import did."""

    as_of: date
    file_name: str
    people_active: int
    families_active: int
    replaced: bool
    changes: pd.DataFrame
    warnings: int
    seconds: float


def prepare_file(
    store: Store,
    data: bytes,
    file_name: str,
    as_of: date,
    user: str | None = None,
    *,
    is_demo: bool = False,
    format: str | None = None,  # noqa: A002 - the name the CLI (--format) and pages use
) -> PreparedSnapshot:
    """Validate a snapshot file against the store's areas; a refused file is logged with why.

    format names the source format (data/formats/<name>.toml, kind 'registri'); None detects it
    from the header. Raises ImportRefused before reading anything when a file that is not the
    demo build would be keyed with the public demo key.
    """
    secret = real_data.import_secret(is_demo, ImportRefused)
    finish = functools.partial(dtsen_file.finish, store)
    prepared = prepare(data, file_name, as_of, AreaResolver(store), secret, format or None, finish)
    if not prepared.ok:
        base.log_invalid(store, KIND, prepared, user or getpass.getuser(), as_of=as_of)
    return prepared


def existing_import(store: Store, sha256: str) -> pd.Series | None:
    """The snapshot already imported from a file with this SHA-256, if any."""
    df = store.query("snapshot_by_sha", sha256=sha256)
    return None if df.empty else df.iloc[0]


def snapshot_exists(store: Store, as_of: date) -> bool:
    """Whether a snapshot for this date is already stored."""
    return bool(store.scalar(load_query("snapshot_count_on"), {"as_of": as_of}))


def preview(store: Store, prepared: PreparedSnapshot) -> pd.DataFrame:
    """Counts by flow (keluar by reason, masuk_baru, masuk_kembali) the import would record."""
    with store.cursor() as cur:
        cur.register("incoming", prepared.rows)
        return cur.execute(load_query("import_preview"), {"as_of": prepared.as_of}).df()


def removal(store: Store, prepared: PreparedSnapshot) -> tuple[int, int]:
    """(people the snapshot would mark as leaving, people on the list before it), from preview."""
    changes = preview(store, prepared)
    leaving = int(changes.loc[changes["arus"] == "keluar", "orang"].sum())
    before = int(store.query("import_list_before", as_of=prepared.as_of)["orang"].iloc[0])
    return leaving, before


def needs_confirmation(store: Store, prepared: PreparedSnapshot) -> tuple[int, int] | None:
    """(leaving, on the list) when the snapshot would remove more than the set share of the people
    on the list (setting max_removed_percent, default 20), else None."""
    leaving, before = removal(store, prepared)
    if before and leaving * 100 > before * settings.max_removed_percent(store):
        return leaving, before
    return None


def check_importable(
    store: Store,
    prepared: PreparedSnapshot,
    replace: bool,
    *,
    is_demo: bool = False,
    confirmed: bool = False,
) -> None:
    """Raise ImportRefused when the file must not be imported as asked."""
    secret = real_data.import_secret(is_demo, ImportRefused)
    if not prepared.ok:
        raise ImportRefused(*prepared.refusal())
    earlier = existing_import(store, prepared.sha256)
    if earlier is not None:
        raise _refused(
            "impor.same_file",
            file=prepared.file_name,
            as_of=f"{earlier['as_of']:%d-%m-%Y}",
            source=earlier["source_file"],
            at=f"{earlier['imported_at']:%d-%m-%Y %H:%M}",
            by=earlier["imported_by"],
        )
    if snapshot_exists(store, prepared.as_of) and not replace:
        raise _refused("impor.date_exists", file=prepared.file_name, as_of=f"{prepared.as_of:%d-%m-%Y}")
    base.check_key(store, secret, "impor.key_differs")
    if not confirmed and (mass := needs_confirmation(store, prepared)):
        leaving, before = mass
        raise _refused(
            "h2.mass_exit",
            file=prepared.file_name,
            n=fmt.number(leaving),
            total=fmt.number(before),
            share=fmt.percent(leaving / before),
            limit=f"{settings.max_removed_percent(store):g}",
        )


def log_import(store: Store, prepared: PreparedSnapshot, outcome: str, message: str, user: str) -> None:
    """Append one line to the import log (its own small transaction)."""
    base.log_import(store, KIND, prepared, outcome, message, user, prepared.as_of)


def commit(
    store: Store,
    prepared: PreparedSnapshot,
    *,
    replace: bool = False,
    user: str | None = None,
    is_demo: bool = False,
    progress: Progress = no_progress,
    imported_at: datetime | None = None,
    confirmed: bool = False,
) -> ImportResult:
    """Import a validated snapshot in one transaction: all of it, or nothing.

    For a store file the import is durable when this returns: the rows are archived, the
    transaction committed and checkpointed, and the manifest records the new state. imported_at
    is given only when replaying the archive. A snapshot that would remove more than the set share
    of the people on the list is refused unless confirmed (the demo build and the archive replay
    confirm; a person must say so on the page or with --yakin).
    """
    user = user or getpass.getuser()
    started = datetime.now()
    stamp = imported_at or started
    try:
        check_importable(store, prepared, replace, is_demo=is_demo, confirmed=confirmed)
    except ImportRefused as exc:
        if prepared.ok:  # validation refusals were logged when the file was checked
            log_import(store, prepared, "ditolak", exc.log_text, user)
        raise
    try:
        pending, people, families, replaced = _commit(
            store, prepared, replace, user, is_demo, stamp, progress
        )
    except i18n.Refusal:
        raise
    except Exception as exc:  # rolled back
        raise base.unexpected_failure(store, KIND, prepared, user, exc, as_of=prepared.as_of) from None
    store.checkpoint()
    if pending is not None:
        archive.promote(store.archive_dir, pending)
    if store.path is not None:
        manifest.promote(store.path)
    changes = store.query("import_changes", as_of=prepared.as_of)
    if not is_demo:
        real_data.retire_demo_accounts(store, user, prepared.file_name)
    progress(1.0, i18n.t("berkas.done"))
    return ImportResult(
        prepared.as_of,
        prepared.file_name,
        people,
        families,
        replaced,
        changes,
        len(prepared.warnings),
        (datetime.now() - started).total_seconds(),
    )


def _commit(
    store: Store,
    prepared: PreparedSnapshot,
    replace: bool,
    user: str,
    is_demo: bool,
    stamp: datetime,
    progress: Progress,
) -> tuple[Path | None, int, int, bool]:
    """The import's transaction and its archive file: (pending archive to promote, people and
    families on the list, whether the date was replaced).

    On any failure the transaction is rolled back and the pending archive and manifest are removed.
    """
    rows = prepared.rows
    active = rows[rows["status"] == "aktif"]
    people, families = len(active), active["id_keluarga"].nunique()
    replaced = snapshot_exists(store, prepared.as_of)
    latest = store.scalar(load_query("snapshot_latest"))
    secret = real_data.import_secret(is_demo, ImportRefused)
    # One Arrow table feeds both the archive and the store (DuckDB scans it without converting
    # Python objects). The archive file is written in a second thread while the transaction
    # runs, and the transaction waits for it before COMMIT: a committed import always has its
    # archived rows (~3 s saved per 5M-row snapshot).
    table = pa.Table.from_pandas(rows, preserve_index=False)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="arsip") as pool:
        archiving = pool.submit(
            _archive_pending, store, prepared, table, replace, user, is_demo, stamp, secret
        )
        try:
            _write(
                store,
                prepared,
                table,
                people,
                families,
                latest,
                replaced,
                stamp,
                user,
                is_demo,
                secret,
                progress,
                archiving.result,
            )
        except BaseException:
            wait([archiving])
            pending = None if archiving.exception() else archiving.result()
            if pending is not None:
                archive.discard(pending)
            if store.path is not None:
                manifest.discard_pending(store.path)
            raise
        pending = archiving.result()
    return pending, people, families, replaced


def _archive_pending(
    store: Store,
    prepared: PreparedSnapshot,
    table: pa.Table,
    replace: bool,
    user: str,
    is_demo: bool,
    stamp: datetime,
    secret: bytes,
) -> Path | None:
    if store.archive_dir is None:
        return None
    meta = archive.describe(
        KIND,
        prepared,
        user=user,
        imported_at=stamp,
        as_of=prepared.as_of,
        replace=replace,
        is_demo=is_demo,
        sumber=prepared.sumber,
        desil_area=desil_area_json(prepared),
    )
    meta.key_fingerprint = privacy.secret_fingerprint(secret)  # the key this import was keyed with
    return archive.write_pending(store.archive_dir, table, meta)


def _write(
    store: Store,
    prepared: PreparedSnapshot,
    rows: pa.Table,
    people: int,
    families: int,
    latest: object,
    replaced: bool,
    started: datetime,
    user: str,
    is_demo: bool,
    secret: bytes,
    progress: Progress,
    before_commit: Callable[[], object],
) -> None:
    """The import's one transaction; before COMMIT it waits for before_commit (the archive file,
    which raises if that failed, so nothing commits without its archive), then writes the
    pending manifest."""
    with store.transaction() as cur:
        cur.register("incoming", rows)
        progress(0.2, i18n.t("impor.saving_snapshot"))
        run(cur, "snapshot_delete", as_of=prepared.as_of)
        run(
            cur,
            "snapshot_insert",
            as_of=prepared.as_of,
            source_file=prepared.file_name,
            sha256=prepared.sha256,
            imported_at=started,
            imported_by=user,
            row_count=prepared.row_count,
            people_active=people,
            families_active=families,
            is_demo=is_demo,
            sumber=prepared.sumber,
        )
        base.record_key(cur, secret)
        _write_dtsen(cur, prepared)
        progress(0.35, i18n.t("impor.saving_people"))
        run(cur, "import_update_person")
        run(cur, "import_insert_person", as_of=prepared.as_of)
        progress(0.5, i18n.t("impor.updating_history"))
        appended = latest is None or (prepared.as_of > latest and not replaced)
        if appended:
            closed = cur.sql(load_query("import_close_intervals"), params={"as_of": prepared.as_of})
            cur.register("closed_interval", closed.to_arrow_table())
            run(cur, "import_open_intervals", as_of=prepared.as_of)
            run(cur, "import_interval_end_append")
            cur.unregister("closed_interval")
        else:
            run(cur, "import_rebuild_intervals", as_of=prepared.as_of)
            run(cur, "import_swap_intervals")
            run(cur, "import_interval_end_rebuild")
        progress(0.75, i18n.t("impor.area_summaries"))
        run(cur, "stats_delete_area", from_date=prepared.as_of)
        run(cur, "stats_delete_flow", from_date=prepared.as_of)
        run(cur, "stats_area", from_date=prepared.as_of)
        if appended and latest is not None:
            first = cur.execute(load_query("snapshot_first")).fetchone()[0]
            run(cur, "stats_flow_append", as_of=prepared.as_of, prev_as_of=latest, base=first)
        else:
            run(cur, "stats_flow", from_date=prepared.as_of)
        if cur.execute(load_query("intervensi_count")).fetchone()[0]:
            # OPD records match the list by date: re-match them in the same transaction so no
            # reader ever sees coverage computed against an older list.
            progress(0.85, i18n.t("impor.rematching"))
            # A new latest snapshot leaves the list before it unchanged, so only its own summaries
            # are new (a full rebuild took 11.7 s at 1M x 36; tests/test_interventions.py checks
            # that both give the same tables). A replaced or earlier date rebuilds them all.
            interventions.refresh(cur, prepared.as_of if appended else None)
        # the import log keeps one language (Indonesian), whichever language the user reads
        message = (
            f"{fmt.number(people)} orang aktif, {fmt.number(families)} keluarga; "
            f"{fmt.number(len(prepared.warnings))} peringatan"
        )
        outcome = "diganti" if replaced else "diimpor"
        base.log_line(cur, KIND, prepared, outcome, message, user, prepared.as_of)
        progress(0.9, i18n.t("impor.waiting_archive"))
        before_commit()
        if store.path is not None:
            manifest.write_pending(store.path, cur)
        progress(0.95, i18n.t("berkas.finishing"))


def _write_dtsen(cur, prepared: PreparedSnapshot) -> None:
    """A DTSEN snapshot's keyed family cards (new ones only) and its desil distribution per area
    (inside the import's transaction; `incoming` is registered)."""
    if "kk_key" in prepared.rows.columns:
        run(cur, "keluarga_kk_insert", as_of=prepared.as_of)
    run(cur, "desil_area_delete", as_of=prepared.as_of)
    if prepared.desil_area is not None and len(prepared.desil_area):
        cur.register("incoming_desil_area", prepared.desil_area)
        run(cur, "desil_area_insert", as_of=prepared.as_of)
        cur.unregister("incoming_desil_area")


def desil_area_json(prepared: PreparedSnapshot) -> str:
    """The desil distribution as the archive keeps it (JSON records; "" when the file had none)."""
    if prepared.desil_area is None:
        return ""
    return prepared.desil_area.to_json(orient="records")


def desil_area_from_json(raw: str) -> pd.DataFrame | None:
    """The archived desil distribution back as a table (None when the import had none)."""
    if not raw:
        return None
    df = pd.DataFrame(json.loads(raw), columns=["kode_kelurahan", "desil", "keluarga", "orang"])
    return df.astype({"kode_kelurahan": object, "desil": "int16", "keluarga": "int32", "orang": "int32"})


def import_file(
    store: Store,
    path: Path | str,
    as_of: date,
    *,
    replace: bool = False,
    user: str | None = None,
    is_demo: bool = False,
    progress: Progress = no_progress,
    confirmed: bool = False,
    format: str | None = None,  # noqa: A002 - the source format's name; None detects it
) -> ImportResult:
    """Read, validate and import one snapshot file; raise ImportRefused with the reasons."""
    path = Path(path)
    return IMPORTER.import_bytes(
        store,
        path.read_bytes(),
        path.name,
        as_of=as_of,
        replace=replace,
        user=user,
        is_demo=is_demo,
        progress=progress,
        confirmed=confirmed,
        format=format,
    )


class RegistryImporter(base.ImporterBase):
    """The registry snapshot import kind (base.Importer): prepare takes `as_of`, commit takes
    `replace` and `confirmed` (a mass exit must be confirmed)."""

    kind = KIND
    prepare_options = ("as_of", "format")
    shared_options = ("is_demo",)

    def prepare(
        self,
        store: Store,
        data: bytes,
        file_name: str,
        *,
        user: str | None = None,
        as_of: date,
        is_demo: bool = False,
        format: str | None = None,  # noqa: A002
    ) -> PreparedSnapshot:
        return prepare_file(store, data, file_name, as_of, user, is_demo=is_demo, format=format)

    def preview(self, store: Store, prepared: PreparedSnapshot) -> pd.DataFrame:
        return preview(store, prepared)

    def commit(self, store: Store, prepared: PreparedSnapshot, **options) -> ImportResult:
        return commit(store, prepared, **options)

    def replay(self, store: Store, meta: archive.Meta, rows: pd.DataFrame) -> None:
        prepared = PreparedSnapshot(
            meta.file_name,
            meta.sha256,
            meta.as_of_date,
            rows,
            base.issues_of(meta),
            meta.row_count,
            sumber=meta.sumber,
            desil_area=desil_area_from_json(meta.desil_area),
        )
        commit(
            store,
            prepared,
            replace=meta.replace,
            user=meta.user,
            is_demo=meta.is_demo,
            imported_at=meta.imported_at_time,
            confirmed=True,  # confirmed (or the demo build) when it was first imported
        )

    def ticket(self, spec: dict) -> dict:
        try:
            as_of = date.fromisoformat(spec.get("as_of"))
        except (TypeError, ValueError) as exc:
            raise ValueError("tiket tidak menyebut tanggal snapshot yang sah") from exc
        name = spec.get("format") or None
        if name is not None and name not in formats.of_kind(KIND):
            raise ValueError(f"tiket menyebut format yang tidak dikenal: {name}")
        return {
            "as_of": as_of,
            "replace": bool(spec.get("replace")),
            "confirmed": bool(spec.get("confirmed")),
            "format": name,
        }

    def outcome(self, result: ImportResult) -> tuple[str, str, str, str]:
        people, families = fmt.number(result.people_active), fmt.number(result.families_active)
        status = "diganti" if result.replaced else "diimpor"
        return status, result.as_of.isoformat(), "", f"{people} orang aktif, {families} keluarga"


IMPORTER = RegistryImporter()
