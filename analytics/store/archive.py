"""The raw archive: every imported file as an immutable Parquet file, enough to rebuild the store.

Registry snapshots, OPD intervention files and population tables are archived alike, numbered in
one sequence so that a rebuild replays them in their original order. Files hold the validated,
pseudonymised rows (person_key, masked NIK, ...; never the raw NIK) and the import's metadata. An
import writes its file to pending/ before COMMIT and moves it into the archive after COMMIT;
`settle` finishes or drops a file left pending by a crash, so the archive holds exactly the
committed imports.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analytics import config
from analytics.domain import BIRTH_DATE_HEADER, normalise_header
from analytics.store import atomic, privacy

META_KEY = b"nol_ekstrem"
# Files written in the privacy format of migration 016 (birth year only, NIK masked to its first 6
# digits) carry this key; older files are rewritten once by `upgrade` when their store is opened.
PRIVACY_KEY = b"nol_ekstrem_privasi"
PRIVACY_VERSION = b"2"


@dataclass
class Meta:
    """What an archived import was: enough to replay it through its kind's importer."""

    file_name: str
    sha256: str
    as_of: str
    user: str
    imported_at: str
    replace: bool
    is_demo: bool
    row_count: int
    key_fingerprint: str
    warnings: str  # the validation warnings as JSON records
    kind: str = "registri"  # an ingest.kinds.KINDS kind; files archived before kinds are registry files
    kode_opd: str = ""  # intervensi: the OPD that sent the file
    mode: str | None = None  # intervensi: None, 'tambah' or 'ganti' as the importer chose
    berkas_id: int | None = None  # intervensi: the id the file got, kept by a rebuild
    sumber: str = "p3ke_individu"  # registri: the source format (data/formats/<name>.toml)
    desil_area: str = ""  # registri, DTSEN: families and people per kelurahan x desil, JSON records

    @property
    def as_of_date(self) -> date:
        """The snapshot date."""
        return date.fromisoformat(self.as_of)

    @property
    def imported_at_time(self) -> datetime:
        """When the original import ran."""
        return datetime.fromisoformat(self.imported_at)


def describe(
    kind: str,
    prepared: object,
    *,
    user: str,
    imported_at: datetime,
    as_of: date | None = None,
    replace: bool = False,
    is_demo: bool = False,
    **extra: object,
) -> Meta:
    """The metadata of an import about to commit (prepared: a Prepared* of the importer)."""
    if not kind:
        raise ValueError("an archived import needs its kind")
    secret, _ = config.nik_secret()
    return Meta(
        file_name=prepared.file_name,
        sha256=prepared.sha256,
        as_of=(as_of or imported_at.date()).isoformat(),
        user=user,
        imported_at=imported_at.isoformat(),
        replace=replace,
        is_demo=is_demo,
        row_count=prepared.row_count,
        key_fingerprint=privacy.secret_fingerprint(secret),
        warnings=prepared.issues.to_json(orient="records", force_ascii=False),
        kind=kind,
        **extra,
    )


class Staged:
    """One import's archive file between writing (before COMMIT) and promotion (after it)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.path: Path | None = None

    def write(self, rows: pd.DataFrame, meta: Meta) -> None:
        """Write the pending file (nothing when the store keeps no archive, e.g. in memory)."""
        if self.folder is not None:
            self.path = write_pending(self.folder, rows, meta)

    def promote(self) -> None:
        """The import committed: archive its file."""
        if self.path is not None:
            promote(self.folder, self.path)
            self.path = None

    def discard(self) -> None:
        """The import failed: drop its file."""
        if self.path is not None:
            discard(self.path)
            self.path = None


@contextmanager
def staged(folder: Path | None) -> Iterator[Staged]:
    """Hold an import's pending file; an error inside the block discards it.

    Enter it inside the store's transaction block, so the file is dropped before the rollback; a
    failed COMMIT leaves it pending, and `settle` drops it at the next check.
    """
    holder = Staged(folder)
    try:
        yield holder
    except BaseException:
        holder.discard()
        raise


def pending_dir(folder: Path) -> Path:
    """Where files wait for their import to commit."""
    return folder / "pending"


def write_pending(folder: Path, rows: pd.DataFrame | pa.Table, meta: Meta) -> Path:
    """Write the rows and metadata to pending/<sha256>.parquet (temp name, fsync, rename)."""
    table = rows if isinstance(rows, pa.Table) else pa.Table.from_pandas(rows, preserve_index=False)
    schema_meta = dict(table.schema.metadata or {})
    schema_meta[META_KEY] = json.dumps(asdict(meta)).encode("utf-8")
    schema_meta[PRIVACY_KEY] = PRIVACY_VERSION
    table = table.replace_schema_metadata(schema_meta)
    path = pending_dir(folder) / f"{meta.sha256}.parquet"
    return atomic.write(path, lambda fh: pq.write_table(table, fh, compression="zstd"))


def _next_number(folder: Path) -> int:
    numbers = [int(p.name.split("_", 1)[0]) for p in folder.glob("*.parquet")]
    return max(numbers, default=0) + 1


def promote(folder: Path, pending: Path) -> Path:
    """The import committed: move its file into the archive as the next numbered file."""
    meta = read_meta(pending)
    label = meta.as_of if meta.kind == "registri" else meta.kind
    final = folder / f"{_next_number(folder):06d}_{label}_{meta.sha256[:12]}.parquet"
    return atomic.rename(pending, final)


def discard(pending: Path) -> None:
    """The import did not commit: drop its pending file."""
    atomic.remove(pending)


def settle(folder: Path | None, committed_sha: set[str]) -> None:
    """After a crash: archive pending files whose import committed, drop the others."""
    if folder is None or not pending_dir(folder).is_dir():
        return
    archived = {read_meta(p).sha256 for p in files(folder)}
    for pending in sorted(pending_dir(folder).glob("*.parquet")):
        sha = pending.stem
        if sha in committed_sha and sha not in archived:
            promote(folder, pending)
        else:
            discard(pending)
    for tmp in pending_dir(folder).glob(".*.tmp"):
        tmp.unlink()


def files(folder: Path | None) -> list[Path]:
    """The archived files in import order."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(folder.glob("[0-9]*_*.parquet"))


def read_meta(path: Path) -> Meta:
    """The metadata of one archived file."""
    raw = pq.read_schema(path).metadata[META_KEY]
    return Meta(**json.loads(raw))


def read(path: Path) -> tuple[Meta, pd.DataFrame]:
    """The metadata and the validated rows of one archived file."""
    table = pq.read_table(path)
    return read_meta(path), table.to_pandas()


_OLD_MASK = re.compile(r"\d{6}\*+\d{4}")  # area code, stars, last 4 digits: the mask before migration 016


def _safe_warnings(raw: str) -> str:
    """The archived validation report without birth dates or NIK digits past the area code."""
    header, aliases = BIRTH_DATE_HEADER
    birth = {normalise_header(header), *aliases}
    records = json.loads(raw)
    for rec in records:
        value = rec.get("nilai")
        if not isinstance(value, str):
            continue
        if rec.get("kolom") and normalise_header(rec["kolom"]) in birth:
            rec["nilai"] = None
        elif _OLD_MASK.fullmatch(value):
            rec["nilai"] = value[: privacy.MASK_SHOWN] + "*" * (len(value) - privacy.MASK_SHOWN)
    return json.dumps(records, ensure_ascii=False)


def _private_table(table: pa.Table) -> pa.Table:
    """An archived table in the current privacy format: birth year for birth date, short NIK mask."""
    names = table.column_names
    if "tanggal_lahir" in names:
        i = names.index("tanggal_lahir")
        born = table.column(i)
        years = pc.year(born.cast(pa.date32()) if born.type != pa.date32() else born)
        table = table.set_column(i, pa.field("tahun_lahir", pa.int16()), years.cast(pa.int16()))
    if "nik_masked" in names:
        i = table.column_names.index("nik_masked")
        column = table.column(i)
        if not pa.types.is_null(column.type):  # a file without any NIK holds nulls only
            stars = "*" * privacy.MASK_HIDDEN  # as privacy.mask_nik, in Arrow (empty cells stay empty)
            area = pc.utf8_slice_codeunits(column, 0, privacy.MASK_SHOWN)
            masked = pc.binary_join_element_wise(area, pa.scalar(stars, column.type), "")
            table = table.set_column(i, table.schema.field(i), masked)
    return table


def _pandas_meta(raw: bytes) -> bytes:
    """pandas' column metadata with tanggal_lahir (a date) renamed to tahun_lahir (an Int16)."""
    info = json.loads(raw)
    for col in info.get("columns", []):
        if col.get("name") == "tanggal_lahir":
            col.update(name="tahun_lahir", field_name="tahun_lahir", pandas_type="int16", numpy_type="Int16")
            col["metadata"] = None
    return json.dumps(info).encode("utf-8")


def needs_upgrade(path: Path) -> bool:
    """Whether an archived file predates the privacy format of migration 016 (reads only the footer)."""
    meta = pq.read_schema(path).metadata or {}
    return meta.get(PRIVACY_KEY) != PRIVACY_VERSION


def upgrade_file(path: Path) -> None:
    """Rewrite one archived file in the current privacy format: a new file, fsynced, renamed over it."""
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[META_KEY])
    meta["warnings"] = _safe_warnings(meta["warnings"])
    table = _private_table(table)
    schema_meta = dict(table.schema.metadata or {})
    schema_meta[META_KEY] = json.dumps(meta).encode("utf-8")
    schema_meta[PRIVACY_KEY] = PRIVACY_VERSION
    if b"pandas" in schema_meta:  # the pandas dtypes on reading (Int16 keeps its empty cells)
        schema_meta[b"pandas"] = _pandas_meta(schema_meta[b"pandas"])
    table = table.replace_schema_metadata(schema_meta)
    atomic.write(path, lambda fh: pq.write_table(table, fh, compression="zstd"))


def upgrade(folder: Path | None) -> int:
    """Rewrite every archived or pending file still in the old privacy format; return how many.

    Idempotent, and cheap once done: each file's footer says whether it is already rewritten.
    """
    if folder is None or not folder.is_dir():
        return 0
    pending = sorted(pending_dir(folder).glob("*.parquet")) if pending_dir(folder).is_dir() else []
    done = 0
    for path in [*files(folder), *pending]:
        if needs_upgrade(path):
            upgrade_file(path)
            done += 1
    return done
