"""Verification results (verval): importing a kelurahan's sheet, and one result entered on the profile.

Rules (also stated on the Verifikasi page): every result names a family the store holds (and a NIK,
when given, of a member of that family); a result, a date not in the future, the basis (BA Muskel or
SPTJM) with its number, and the officer are required; a graduasi result needs every checklist
dimension marked Ya or Tidak. The same file (SHA-256) is never imported twice. One problem refuses
the whole file and nothing is stored. Each write is one transaction that also recomputes the flow
summaries, so exits without a reason in the registry pick up the verified result.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from analytics import formatting as fmt
from analytics import i18n
from analytics.access import real_data
from analytics.access.auth import User
from analytics.domain import verval_labels
from analytics.ingest import base, verval_file
from analytics.ingest.base import ImportRefused
from analytics.ingest.issues import ISSUE_COLUMNS
from analytics.ingest.verval_file import ROW_COLUMNS, Context, PreparedVerval
from analytics.store import archive, audit, settings
from analytics.store.db import Store, load_query, no_progress, run

KIND = "verval"
RECORDERS = ("dinsos",)  # the role kinds that may record a result (fail closed for any other)
_refused = ImportRefused.keyed


@dataclass
class VervalResult:
    """What a committed verval import did: rows stored, per result code."""

    file_name: str
    rows: int
    per_result: dict[str, int]


def _context(store: Store, secret: bytes) -> Context:
    families = dict(store.query("verval_families").itertuples(index=False, name=None))

    def members(keys: list[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        with store.cursor() as cur:
            cur.register("incoming_keys", pd.DataFrame({"person_key": keys}))
            for key, fam in cur.execute(load_query("verval_members")).fetchall():
                out.setdefault(key, set()).add(fam)
        return out

    return Context(families, members, secret, settings.today())


def prepare(
    store: Store, data: bytes, file_name: str, user: str | None = None, *, is_demo: bool = False
) -> PreparedVerval:
    """Read and validate a verval sheet against the families stored; a refused file is logged."""
    secret = real_data.import_secret(is_demo, ImportRefused)
    prepared = verval_file.read(data, file_name, _context(store, secret))
    if not prepared.ok:
        base.log_invalid(store, KIND, prepared, user or getpass.getuser())
    return prepared


def preview(store: Store, prepared: PreparedVerval) -> pd.DataFrame:
    """Per kelurahan and result: how many results the import would store."""
    names = dict(store.query("area_list")[["kode_kelurahan", "kelurahan"]].itertuples(index=False, name=None))
    labels = verval_labels()
    rows = prepared.rows
    counts = rows.groupby(["kode_kelurahan", "hasil"]).size().reset_index(name="n")
    return pd.DataFrame(
        {
            i18n.t("col.kelurahan"): counts["kode_kelurahan"].map(lambda c: names.get(c, c)),
            i18n.t("b19.col_result"): counts["hasil"].map(labels),
            i18n.t("b19.col_results"): counts["n"].astype("int64"),
        }
    )


def _recompute_flows(cur: duckdb.DuckDBPyConnection) -> None:
    """Recompute the flow summaries from the first snapshot, so exit reasons take the results in."""
    first = cur.execute(load_query("snapshot_first")).fetchone()[0]
    if first is not None:
        run(cur, "stats_delete_flow", from_date=first)
        run(cur, "stats_flow", from_date=first)


def _store_rows(
    store: Store, prepared: PreparedVerval, user: str, stamp: datetime, *, log: bool, archived: bool = True
) -> None:
    """The one transaction: archive file staged, rows stored, flows recomputed, import log line."""
    rows = prepared.rows.reindex(columns=ROW_COLUMNS)
    from_file = bool((rows["sumber"] == "berkas").all())
    staged = None
    try:
        with store.transaction() as cur, archive.staged(store.archive_dir) as staged:
            if archived:  # after COMMIT, so a rebuild can replay it
                staged.write(rows, archive.describe(KIND, prepared, user=user, imported_at=stamp))
            cur.register("incoming", rows)
            run(
                cur,
                "verval_insert",
                file_name=prepared.file_name if from_file else None,
                sha256=prepared.sha256 if from_file else None,
                dicatat_pada=stamp,
                dicatat_oleh=user,
            )
            cur.unregister("incoming")
            _recompute_flows(cur)
            if log:
                counts = rows["hasil"].value_counts()
                detail = ", ".join(f"{n} {code}" for code, n in counts.items())
                base.log_line(cur, KIND, prepared, "diimpor", f"{len(rows)} hasil verval ({detail})", user)
    except i18n.Refusal:
        raise
    except Exception as exc:  # rolled back
        raise base.unexpected_failure(store, KIND, prepared, user, exc, staged) from None
    store.checkpoint()
    staged.promote()


def commit(
    store: Store,
    prepared: PreparedVerval,
    user: str | None = None,
    *,
    is_demo: bool = False,
    progress: base.Progress = no_progress,
    imported_at: datetime | None = None,
) -> VervalResult:
    """Import a validated sheet in one transaction: all of it, or nothing.

    imported_at is given only when replaying the archive (the original import's time)."""
    user = user or getpass.getuser()
    try:
        secret = real_data.import_secret(is_demo, ImportRefused)
        if not prepared.ok:
            raise ImportRefused(*prepared.refusal())
        earlier = store.query("verval_by_sha", sha256=prepared.sha256)
        if not earlier.empty:
            e = earlier.iloc[0]
            raise _refused(
                "b19.same_file",
                file=prepared.file_name,
                source=e["file_name"],
                at=f"{e['dicatat_pada']:%d-%m-%Y %H:%M}",
                by=e["dicatat_oleh"],
            )
        if (prepared.rows["person_key"].notna()).any():
            base.check_key(store, secret, "b19.key_differs")
    except ImportRefused as exc:
        if prepared.ok:  # validation refusals were logged when the file was checked
            base.log_import(store, KIND, prepared, "ditolak", exc.log_text, user)
        raise
    progress(0.2, i18n.t("b19.saving"))
    _store_rows(store, prepared, user, imported_at or datetime.now(), log=True)
    if not is_demo:
        real_data.retire_demo_accounts(store, user, prepared.file_name)
    progress(1.0, i18n.t("berkas.done"))
    counts = prepared.rows["hasil"].value_counts()
    return VervalResult(prepared.file_name, len(prepared.rows), {k: int(v) for k, v in counts.items()})


def import_file(
    store: Store, path: Path | str, user: str | None = None, *, is_demo: bool = False
) -> VervalResult:
    """Read, validate and import one verval sheet; raise ImportRefused with the reasons."""
    path = Path(path)
    return IMPORTER.import_bytes(store, path.read_bytes(), path.name, user=user, is_demo=is_demo)


def record_one(
    store: Store,
    user: User,
    id_keluarga: str,
    hasil: str,
    tanggal: date,
    dasar: str,
    nomor_dasar: str,
    tanggal_dasar: date | None,
    petugas: str,
    checklist: dict[str, bool] | None,
    nik_person_key: str | None = None,
) -> int:
    """Record one result entered on the family profile (DinsosPM only): the sheet's checks, one
    transaction with the flow summaries recomputed, archived (a rebuild restores it) and audited.

    Raises ImportRefused naming the field for a refused entry; returns the rows stored (1)."""
    if user is None or user.kind not in RECORDERS:
        raise _refused("b19.not_allowed")
    values: dict[str, object] = {
        "id_keluarga": id_keluarga,
        "person_key": nik_person_key,
        "hasil": hasil,
        "tanggal": tanggal,
        "dasar": dasar,
        "nomor_dasar": nomor_dasar,
        "tanggal_dasar": tanggal_dasar,
        "petugas": petugas,
    }
    for kode, mark in (checklist or {}).items():
        values[verval_file.CHECK_PREFIX + kode] = mark
    ctx = _context(store, b"")  # the person key arrives keyed: no NIK is read here
    member_of = ctx.members([nik_person_key]) if nik_person_key else {}
    row, problems = verval_file.check_entry(values, ctx, member_of)
    if problems:
        key, _, text_key, args = problems[0]
        column = verval_file.header(key) if key else "-"
        shown, logged = (
            i18n.text(lang, "b19.entry_refused", column=column, message=i18n.text(lang, text_key, **args))
            for lang in (i18n.language(), i18n.DEFAULT)
        )
        raise ImportRefused(shown, logged)
    stamp = datetime.now()
    frame = pd.DataFrame([{"baris": 0, **row, "sumber": "profil"}], columns=ROW_COLUMNS)
    digest = hashlib.sha256(
        json.dumps({**row, "at": stamp.isoformat(), "by": user.name}, default=str).encode()
    ).hexdigest()
    prepared = PreparedVerval(f"profil {id_keluarga}", digest, frame, pd.DataFrame(columns=ISSUE_COLUMNS), 1)
    _store_rows(store, prepared, user.name, stamp, log=False)
    detail = (
        f"verval profil {id_keluarga}: {row['hasil']} {row['tanggal']}, {row['dasar']} {row['nomor_dasar']}"
    )
    audit.log(store, user.name, user.role, "impor", id_keluarga, None, detail)
    return 1


class VervalImporter(base.ImporterBase):
    """The verval sheet import kind (base.Importer); prepare and commit take `is_demo`."""

    kind = KIND
    shared_options = ("is_demo",)

    def prepare(
        self, store: Store, data: bytes, file_name: str, *, user: str | None = None, is_demo: bool = False
    ) -> PreparedVerval:
        return prepare(store, data, file_name, user, is_demo=is_demo)

    def preview(self, store: Store, prepared: PreparedVerval) -> pd.DataFrame:
        return preview(store, prepared)

    def commit(self, store: Store, prepared: PreparedVerval, **options) -> VervalResult:
        return commit(store, prepared, **options)

    def replay(self, store: Store, meta: archive.Meta, rows: pd.DataFrame) -> None:
        rows = rows.reindex(columns=ROW_COLUMNS)
        for col in ("tanggal", "tanggal_dasar"):
            rows[col] = pd.to_datetime(rows[col]).dt.date
        rows = rows.astype({"checklist_lengkap": "object"}).where(rows.notna(), None)
        prepared = PreparedVerval(meta.file_name, meta.sha256, rows, base.issues_of(meta), meta.row_count)
        from_file = bool((rows["sumber"] == "berkas").all())
        _store_rows(store, prepared, meta.user, meta.imported_at_time, log=from_file)

    def ticket(self, spec: dict) -> dict:
        return {}

    def outcome(self, result: VervalResult) -> tuple[str, str, str, str]:
        return "diimpor", "", "", f"{fmt.number(result.rows)} hasil verval"


IMPORTER = VervalImporter()
