"""The manifest beside the store: row counts and checksums per snapshot, checked before serving.

A truncated or corrupted WAL can silently drop committed rows, so the store cannot vouch for
itself. Each import computes the expected state inside its transaction and writes it to a
pending manifest before COMMIT; after COMMIT and CHECKPOINT the pending manifest replaces the
manifest. At open, `check` settles a crash between the two (the store equals the pending
manifest: promote it; equals the old one: drop it) and otherwise reports every difference.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb

from analytics import archive, atomic
from analytics.store import Store, is_lock_error

VERSION = 2
# md5 (not DuckDB's hash()) so that checksums survive a DuckDB upgrade; a row's text form keeps NULLs.
CHECKSUM = "coalesce(sum(md5_number_lower(t::varchar)::hugeint), 0)::varchar"
# The two large tables get column sums instead of an md5 per row: md5 took ~1 s per million rows, on
# every import and at every start. Dropped rows, lost updates of valid_to and changed keys still
# change these sums (the person key is hex, so its first 15 digits are a number).
TABLE_SUMS = {
    "person": "count(*), sum(('0x' || left(person_key, 15))::bigint::hugeint), "
    "sum(length(nik_masked) + coalesce(length(nama), 0) + coalesce(length(alamat), 0) "
    "+ coalesce(length(id_individu), 0)), sum(coalesce(epoch(tanggal_lahir), 0)::hugeint)",
    "person_interval": "count(*), sum(('0x' || left(person_key, 15))::bigint::hugeint), "
    "sum(epoch(valid_from)::hugeint), sum(coalesce(epoch(valid_to), -1)::hugeint), "
    "sum(coalesce(desil, 0)), sum(length(id_keluarga) + length(kode_kelurahan) + length(status) "
    "+ coalesce(length(alasan), 0))",
}


def path_for(db: Path) -> Path:
    """The manifest file of a store file."""
    return db.with_name(db.name + ".manifest.json")


def pending_path_for(db: Path) -> Path:
    """The manifest written before an import commits."""
    return db.with_name(db.name + ".manifest.pending.json")


def compute(cur: duckdb.DuckDBPyConnection) -> dict:
    """The store's state as the manifest records it (run inside the import transaction)."""

    def grouped(table: str) -> dict[str, list]:
        rows = cur.execute(
            f"select as_of::varchar, count(*), {CHECKSUM} from {table} t group by as_of"  # noqa: S608
        ).fetchall()
        return {d: [n, s] for d, n, s in rows}

    area, flow = grouped("area_stats"), grouped("flow_stats")
    snapshots = []
    for as_of, sha, row_count, people, families in cur.execute(
        "select as_of::varchar, sha256, row_count, people_active, families_active "
        "from snapshot order by as_of"
    ).fetchall():
        snapshots.append(
            {
                "as_of": as_of,
                "sha256": sha,
                "row_count": row_count,
                "people_active": people,
                "families_active": families,
                "area_stats": area.get(as_of, [0, "0"]),
                "flow_stats": flow.get(as_of, [0, "0"]),
            }
        )
    tables = {}
    for table, sums in TABLE_SUMS.items():
        n, *rest = cur.execute(f"select {sums} from {table}").fetchone()  # noqa: S608
        tables[table] = [n, "/".join(str(v or 0) for v in rest)]
    return {"version": VERSION, "snapshots": snapshots, "tables": tables}


def _read(path: Path) -> dict | None | str:
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"manifest tidak dapat dibaca: {exc}"


def _write(path: Path, state: dict) -> None:
    atomic.write_bytes(path, json.dumps(state, indent=1, sort_keys=True).encode("utf-8"))


def write_pending(db: Path, cur: duckdb.DuckDBPyConnection) -> None:
    """Record the state an import is about to commit."""
    _write(pending_path_for(db), compute(cur))


def promote(db: Path) -> None:
    """The import committed and was checkpointed: its pending manifest becomes the manifest."""
    atomic.rename(pending_path_for(db), path_for(db))


def discard_pending(db: Path) -> None:
    """The import did not commit: forget its pending manifest."""
    atomic.remove(pending_path_for(db))


def differences(expected: dict, actual: dict) -> list[str]:
    """What differs between the manifest and the store, in Indonesian, one line per finding."""
    out = []
    want = {s["as_of"]: s for s in expected.get("snapshots", [])}
    have = {s["as_of"]: s for s in actual["snapshots"]}
    for as_of in sorted(want.keys() - have.keys()):
        out.append(f"Snapshot {as_of} tercatat di manifest tetapi tidak ada di store.")
    for as_of in sorted(have.keys() - want.keys()):
        out.append(f"Snapshot {as_of} ada di store tetapi tidak tercatat di manifest.")
    for as_of in sorted(want.keys() & have.keys()):
        for field, value in want[as_of].items():
            if have[as_of].get(field) != value:
                out.append(
                    f"Snapshot {as_of}: {field} berbeda (manifest {value}, store {have[as_of].get(field)})."
                )
    for table, value in expected.get("tables", {}).items():
        got = actual["tables"].get(table)
        if got != value:
            out.append(f"Tabel {table}: jumlah baris/checksum berbeda (manifest {value}, store {got}).")
    return out


def check(store: Store) -> list[str]:
    """Settle an interrupted import, then compare the store with its manifest; [] = safe to serve.

    A store with snapshots but no manifest (made before manifests existed), or with a manifest in
    an older format, is adopted: its current state is recorded.
    """
    if store.path is None:
        return []
    db = store.path
    with store.read(), store.cursor() as cur:
        actual = compute(cur)
        committed = {
            r[0]
            for r in cur.execute(
                "select sha256 from snapshot union select sha256 from intervensi_berkas "
                "union select sha256 from population_file"
            ).fetchall()
        }
    current, pending = _read(path_for(db)), _read(pending_path_for(db))
    if isinstance(pending, dict) and differences(pending, actual) == []:
        archive.settle(store.archive_dir, committed)
        promote(db)
        return []
    discard_pending(db)
    archive.settle(store.archive_dir, committed)
    if isinstance(current, str):
        return [current]
    if current is None or current.get("version") != VERSION:
        # No manifest yet, or one in an older format (e.g. VERSION 1 with md5 of the large tables,
        # which this code cannot recompute): record the store's state now.
        _write(path_for(db), actual)
        return []
    return differences(current, actual)


def record(store: Store) -> None:
    """Write the manifest from the store as it is now (after a rebuild or a verified repair)."""
    if store.path is None:
        return
    with store.read(), store.cursor() as cur:
        _write(path_for(store.path), compute(cur))


class StoreUnavailable(Exception):
    """The store cannot be served now; the message tells the user what to do, in Indonesian."""


REBUILD_HINT = "Bangun ulang store dari arsip impor: `python -m analytics.cli bangun-ulang`."


def open_verified(db: Path, wait_seconds: float = 10.0) -> Store:
    """Open a store file for serving: wait while another process holds it, then check the manifest."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            store = Store.open(db)
            break
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise StoreUnavailable(f"Store {db.name} tidak dapat dibuka ({exc}). {REBUILD_HINT}") from exc
            if time.monotonic() >= deadline:
                raise StoreUnavailable(
                    f"Store {db.name} sedang dipakai proses lain (misalnya impor atau bangun ulang dari "
                    "baris perintah). Muat ulang halaman ini sebentar lagi."
                ) from exc
            time.sleep(0.25)
    problems = check(store)
    if problems:
        store._con.close()
        shown = "\n".join(f"- {p}" for p in problems[:10])
        raise StoreUnavailable(
            f"Store {db.name} tidak cocok dengan manifestnya, jadi datanya tidak ditampilkan:\n{shown}\n\n"
            f"{REBUILD_HINT}"
        )
    return store
