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

from analytics import archive, atomic, i18n
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
    "+ coalesce(length(id_individu), 0)), sum(coalesce(tahun_lahir, 0)::hugeint)",
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
        return str(exc)


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


Finding = tuple[str, dict[str, object]]  # (text key in [toko], its arguments): one line of a report


def _say(findings: list[Finding], lang: str | None = None) -> list[str]:
    """Findings as text lines in lang (default: the current language)."""
    return [i18n.text(lang or i18n.language(), key, **args) for key, args in findings]


def _findings(expected: dict, actual: dict) -> list[Finding]:
    out: list[Finding] = []
    want = {s["as_of"]: s for s in expected.get("snapshots", [])}
    have = {s["as_of"]: s for s in actual["snapshots"]}
    for as_of in sorted(want.keys() - have.keys()):
        out.append(("toko.snapshot_missing", {"as_of": as_of}))
    for as_of in sorted(have.keys() - want.keys()):
        out.append(("toko.snapshot_extra", {"as_of": as_of}))
    for as_of in sorted(want.keys() & have.keys()):
        for field, value in want[as_of].items():
            if have[as_of].get(field) != value:
                got = have[as_of].get(field)
                out.append(
                    ("toko.field_differs", {"as_of": as_of, "field": field, "expected": value, "actual": got})
                )
    for table, value in expected.get("tables", {}).items():
        got = actual["tables"].get(table)
        if got != value:
            out.append(("toko.table_differs", {"table": table, "expected": value, "actual": got}))
    return out


def differences(expected: dict, actual: dict, lang: str | None = None) -> list[str]:
    """What differs between the manifest and the store, one line per finding, in lang (default: current)."""
    return _say(_findings(expected, actual), lang)


def _check(store: Store) -> list[Finding]:
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
    if isinstance(pending, dict) and _findings(pending, actual) == []:
        archive.settle(store.archive_dir, committed)
        promote(db)
        return []
    discard_pending(db)
    archive.settle(store.archive_dir, committed)
    if isinstance(current, str):
        return [("toko.unreadable", {"error": current})]
    if current is None or current.get("version") != VERSION:
        # No manifest yet, or one in an older format (e.g. VERSION 1 with md5 of the large tables,
        # which this code cannot recompute): record the store's state now.
        _write(path_for(db), actual)
        return []
    return _findings(current, actual)


def check(store: Store, lang: str | None = None) -> list[str]:
    """Settle an interrupted import, then compare the store with its manifest; [] = safe to serve.

    The findings are in lang (default: the current language). A store with snapshots but no
    manifest (made before manifests existed), or with a manifest in an older format, is adopted:
    its current state is recorded.
    """
    return _say(_check(store), lang)


def record(store: Store) -> None:
    """Write the manifest from the store as it is now (after a rebuild or a verified repair)."""
    if store.path is None:
        return
    with store.read(), store.cursor() as cur:
        _write(path_for(store.path), compute(cur))


class _Text:
    """A locale text read when it is shown, so a module constant follows the language toggle."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __str__(self) -> str:
        return i18n.t(self.key)


# print(REBUILD_HINT) and f"{REBUILD_HINT}" give the hint in the language current at that moment.
REBUILD_HINT = _Text("toko.rebuild_hint")


class StoreUnavailable(Exception):
    """The store cannot be served now; the message tells the user what to do.

    The text is built when it is read (str(exc), message(lang)), in the language current then: the
    store is opened once for every session, whatever language the session that opened it chose.
    `log_text` is the same message in Indonesian.
    """

    def __init__(self, key: str, problems: list[Finding] | None = None, **fmt_args: object) -> None:
        self.key, self.problems, self.fmt_args = key, problems or [], fmt_args
        super().__init__(self.log_text)

    def message(self, lang: str) -> str:
        """The message in lang, with the manifest findings (at most 10) and the rebuild hint."""
        shown = "\n".join(f"- {p}" for p in _say(self.problems[:10], lang))
        hint = i18n.text(lang, "toko.rebuild_hint")
        return i18n.text(lang, self.key, problems=shown, hint=hint, **self.fmt_args)

    @property
    def log_text(self) -> str:
        """The message in Indonesian."""
        return self.message(i18n.DEFAULT)

    def __str__(self) -> str:
        return self.message(i18n.language())


def open_verified(db: Path, wait_seconds: float = 10.0) -> Store:
    """Open a store file for serving: wait while another process holds it, then check the manifest."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            store = Store.open(db)
            break
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise StoreUnavailable("toko.cannot_open", name=db.name, error=exc) from exc
            if time.monotonic() >= deadline:
                raise StoreUnavailable("toko.busy", name=db.name) from exc
            time.sleep(0.25)
    problems = _check(store)
    if problems:
        store._con.close()
        raise StoreUnavailable("toko.mismatch", problems, name=db.name)
    return store
