"""The manifest beside the store: row counts and checksums per snapshot, checked before serving.

A truncated or corrupted WAL can silently drop committed rows, so the store cannot vouch for
itself. Each import computes the expected state inside its transaction and writes it to a
pending manifest before COMMIT; after COMMIT and CHECKPOINT the pending manifest replaces the
manifest. At open, `check` settles a crash between the two (the store equals the pending
manifest: promote it; equals the old one: drop it) and otherwise reports every difference.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from analytics import i18n
from analytics.store import archive, atomic
from analytics.store.sql import AUDIT_TABLE, load_query

if TYPE_CHECKING:  # annotations only: analytics.store.db makes a Journal for every store file
    from analytics.store.db import Store

GENESIS = "0" * 64  # the audit chain's first prev_hash (analytics.store.audit)

VERSION = 3
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
# The sums of a VERSION 2 manifest (person still had tanggal_lahir): kept so that a store made
# before VERSION 3 is checked against its own manifest before it is migrated.
V2_TABLE_SUMS = {
    **TABLE_SUMS,
    "person": "count(*), sum(('0x' || left(person_key, 15))::bigint::hugeint), "
    "sum(length(nik_masked) + coalesce(length(nama), 0) + coalesce(length(alamat), 0) "
    "+ coalesce(length(id_individu), 0)), sum(coalesce(epoch(tanggal_lahir), 0)::hugeint)",
}
# Tables that can hold millions of rows at 5M people: a count and a typed sum per column (every
# column is read, so a damaged block fails the check; see _typed_sums) instead of an md5 per row.
HEAVY = (
    "intervensi",
    "intervensi_cocok",
    "intervensi_keluarga_terjangkau",
    "intervensi_harian",
    "intervensi_stats",
    "intervensi_irisan",
    "interval_end",
    "person_new",
)
# Not recorded: the migration list, and the areas, which Store.open reloads from the shipped files.
# area_stats and flow_stats are recorded per snapshot (the "snapshots" part).
NOT_RECORDED = ("schema_version", "kecamatan", "kelurahan", "kelurahan_alias", "area_stats", "flow_stats")
# A fresh install holds only these (the OPD/programme catalog comes from shipped files).
SHIPPED = ("opd", "program", "intervensi_state")
AUDIT = AUDIT_TABLE


def path_for(db: Path) -> Path:
    """The manifest file of a store file."""
    return db.with_name(db.name + ".manifest.json")


def pending_path_for(db: Path) -> Path:
    """The manifest written before an import commits."""
    return db.with_name(db.name + ".manifest.pending.json")


def _snapshots(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    def grouped(table: str) -> dict[str, list]:
        rows = cur.execute(
            f"select as_of::varchar, count(*), {CHECKSUM} from {table} t group by as_of"  # noqa: S608
        ).fetchall()
        return {d: [n, s] for d, n, s in rows}

    area, flow = grouped("area_stats"), grouped("flow_stats")
    snapshots = []
    for as_of, sha, row_count, people, families in cur.execute(load_query("manifest_snapshots")).fetchall():
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
    return snapshots


def _columns(cur: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return cur.execute(load_query("manifest_columns"), {"table": table}).fetchall()


INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER")


def _typed_sums(cur: duckdb.DuckDBPyConnection, table: str) -> str:
    """count(*) and one exact, order-independent sum per column, by its type."""
    terms = ["count(*)"]
    for name, kind in _columns(cur, table):
        col = f'"{name}"'
        if kind == "BOOLEAN":
            terms.append(f"count_if({col})")
        elif kind in INTEGERS:
            terms.append(f"sum({col}::hugeint)")
        elif kind in ("DATE", "TIMESTAMP"):
            terms.append(f"sum(epoch_ms({col}::timestamp)::hugeint)")
        elif kind in ("DOUBLE", "FLOAT"):
            terms.append(f"sum(round({col} * 1000)::hugeint)")
        elif kind.startswith("DECIMAL"):
            terms.append(f"sum({col})")
        else:
            terms.append(f"sum(length({col}::varchar)), sum(ascii({col}::varchar)::hugeint)")
        terms.append(f"count({col})")
    return ", ".join(terms)


def _person_sums(cur: duckdb.DuckDBPyConnection) -> str:
    # Before migration 016 person has tanggal_lahir, not tahun_lahir: the same year, so a manifest
    # recorded before 016 still matches after it.
    if any(name == "tahun_lahir" for name, _ in _columns(cur, "person")):
        return TABLE_SUMS["person"]
    return TABLE_SUMS["person"].replace("coalesce(tahun_lahir, 0)", "coalesce(year(tanggal_lahir), 0)")


def _tables(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """The store's own tables (not temporary ones), by name."""
    return [r[0] for r in cur.execute(load_query("manifest_tables")).fetchall()]


def _audit_head(cur: duckdb.DuckDBPyConnection) -> list:
    """[rows, last entry_id, last entry_hash] of the audit log: the chain's anchor."""
    n = cur.execute(load_query("audit_count")).fetchone()[0]
    last = cur.execute(load_query("audit_last")).fetchone()
    return [n, *(last or (0, GENESIS))]


def _table_state(cur: duckdb.DuckDBPyConnection, table: str) -> list:
    if table == AUDIT:
        return _audit_head(cur)
    if table == "person":
        sums = _person_sums(cur)
    elif table in TABLE_SUMS:
        sums = TABLE_SUMS[table]
    elif table in HEAVY:
        sums = _typed_sums(cur, table)
    else:
        sums = f"count(*), {CHECKSUM}"
    n, *rest = cur.execute(f"select {sums} from {table} t").fetchone()  # noqa: S608
    return [n, "/".join(str(v or 0) for v in rest)]


def compute(cur: duckdb.DuckDBPyConnection, version: int = VERSION) -> dict:
    """The store's state as the manifest of that version records it (run inside the transaction)."""
    if version == 2:
        tables = {}
        for table, sums in V2_TABLE_SUMS.items():
            n, *rest = cur.execute(f"select {sums} from {table}").fetchone()  # noqa: S608
            tables[table] = [n, "/".join(str(v or 0) for v in rest)]
        return {"version": 2, "snapshots": _snapshots(cur), "tables": tables}
    tables = {t: _table_state(cur, t) for t in _tables(cur) if t not in NOT_RECORDED}
    return {"version": VERSION, "snapshots": _snapshots(cur), "tables": tables}


def _update(cur: duckdb.DuckDBPyConnection, base: object, touches: tuple[str, ...] | None) -> dict:
    """The manifest after a transaction that changed only `touches` (None: any table but the two
    large ones), from the manifest before it."""
    if not isinstance(base, dict) or base.get("version") != VERSION:
        return compute(cur)
    state = {**base, "tables": dict(base["tables"])}
    if touches is None:
        state["snapshots"] = _snapshots(cur)
        names = [t for t in _tables(cur) if t not in NOT_RECORDED and t not in TABLE_SUMS]
    else:
        names = [t for t in touches if t not in NOT_RECORDED]
        if {"area_stats", "flow_stats"} & set(touches):  # recomputed summaries (a verval import's flows)
            state["snapshots"] = _snapshots(cur)
    for table in names:
        state["tables"][table] = _table_state(cur, table)
    return state


def _is_empty(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store holds nothing but what a fresh install has (the shipped catalog)."""
    for table in _tables(cur):
        if table in NOT_RECORDED or table in SHIPPED:
            continue
        if cur.execute(load_query("manifest_table_has_rows"), {"table": table}).fetchone()[0]:
            return False
    return True


def _read(path: Path) -> dict | None | str:
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return str(exc)


def _write(path: Path, state: dict) -> None:
    atomic.write_bytes(path, json.dumps(state, indent=1, sort_keys=True).encode("utf-8"))


# Stores whose running transaction wrote its own pending manifest (a snapshot import, which makes it
# current only after its checkpoint): the journal leaves that transaction alone.
_explicit: set[tuple[Path, int]] = set()


def write_pending(db: Path, cur: duckdb.DuckDBPyConnection) -> None:
    """Record the state an import is about to commit."""
    _write(pending_path_for(db), compute(cur))
    _explicit.add((db, threading.get_ident()))


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
        if got == value:
            continue
        if table == AUDIT and got is not None:
            out.append(("h4.audit_differs", {"expected": value[0], "actual": got[0], "entry": value[1]}))
        else:
            out.append(("toko.table_differs", {"table": table, "expected": value, "actual": got}))
    for table in sorted(actual["tables"].keys() - expected.get("tables", {}).keys()):
        if expected.get("version") == actual.get("version"):
            out.append(("h4.table_extra", {"table": table}))
    return out


def differences(expected: dict, actual: dict, lang: str | None = None) -> list[str]:
    """What differs between the manifest and the store, one line per finding, in lang (default: current)."""
    return _say(_findings(expected, actual), lang)


def differences_of(exc: StoreUnavailable, limit: int = 10) -> list[str]:
    """The findings of a refusal, one line each, in the current language."""
    return _say(exc.problems[:limit])


def entry_hash(prev: str, values: tuple) -> str:
    """One audit entry's hash, over the previous entry's hash and the entry's values."""
    text = "|".join([prev, *("" if v is None else str(v) for v in values)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def broken_link(df: pd.DataFrame) -> int | None:
    """The first broken entry_id of audit rows (all columns of audit_log), in entry_id order."""
    df = df.sort_values("entry_id")
    prev = GENESIS
    for row in df.itertuples(index=False):
        values = (
            row.logged_at.isoformat(),
            row.user_name,
            row.role,
            row.action,
            row.object,
            row.sha256,
            row.detail,
        )
        values = tuple(None if isinstance(v, float) and pd.isna(v) else v for v in values)
        if row.prev_hash != prev or row.entry_hash != entry_hash(prev, values):
            return int(row.entry_id)
        prev = row.entry_hash
    return None


def _chain(store: Store) -> list[Finding]:
    broken = broken_link(store.query("audit_chain"))
    return [] if broken is None else [("h4.audit_chain", {"entry": broken})]


def _check(store: Store, settle: bool = True) -> list[Finding]:
    """Settle an interrupted commit, then compare the store with its manifest (at the manifest's
    version: an older store is checked before it is migrated). settle=False leaves the archive's
    pending files alone (a write under way may have staged one)."""
    if store.path is None:
        return []
    db = store.path
    current, pending = _read(path_for(db)), _read(pending_path_for(db))
    version = current.get("version") if isinstance(current, dict) else VERSION
    if version not in (2, VERSION):
        discard_pending(db)
        return [("h4.old_manifest", {"version": version})]
    with store.read(), store.cursor() as cur:
        try:
            actual = compute(cur, version)
        except duckdb.CatalogException:  # migrated past what the old sums read: open_verified checks first
            if version == VERSION:
                raise
            return [("h4.old_manifest", {"version": version})]
        empty = _is_empty(cur)
        committed = {r[0] for r in cur.execute(load_query("manifest_committed_sha")).fetchall()}
    if isinstance(pending, dict) and pending.get("version") == version and _findings(pending, actual) == []:
        if settle:
            archive.settle(store.archive_dir, committed)
        promote(db)
        return _chain(store)
    discard_pending(db)
    if settle:
        archive.settle(store.archive_dir, committed)
    if isinstance(current, str):
        return [("toko.unreadable", {"error": current})]
    if current is None:
        if empty:  # a fresh install: nothing to lose yet
            _write(path_for(db), actual)
            return []
        return [("h4.no_manifest", {})]
    return _findings(current, actual) + _chain(store)


def check(store: Store, lang: str | None = None) -> list[str]:
    """Settle an interrupted import, then compare the store with its manifest; [] = safe to serve.

    The findings are in lang (default: the current language). A store with data but no manifest,
    or with a manifest in a format this code cannot recompute, is refused: `periksa --terima`
    adopts it after the operator checked it by other means, `bangun-ulang` rebuilds it.
    """
    findings = _check(store)
    if not findings and store.journal is not None:
        store.journal.verified = True
    return _say(findings, lang)


def record(store: Store) -> None:
    """Write the manifest from the store as it is now (after a rebuild or a verified repair)."""
    if store.path is None:
        return
    with store.read(), store.cursor() as cur:
        _write(path_for(store.path), compute(cur))
    if store.journal is not None:
        store.journal.verified = True


class Journal:
    """Keeps the manifest of a store file in step with each commit (Store.transaction calls it).

    Before COMMIT the new state goes to the pending manifest; after COMMIT it becomes the
    manifest; `check` settles a crash in between. So rows that a lost or truncated WAL drops
    (audit entries, settings, OPD imports) no longer match the manifest. The first write of a
    process whose store was not checked yet checks it first: a write never adopts a store that
    differs from its manifest.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.verified = False
        self._staged = False

    def before_commit(self, cur: duckdb.DuckDBPyConnection, touches: tuple[str, ...] | None) -> bool:
        """Write the pending manifest; False when there is nothing to record."""
        db = self.store.path
        if (db, threading.get_ident()) in _explicit:
            _explicit.discard((db, threading.get_ident()))
            return False  # a snapshot import: it promotes its own manifest after its checkpoint
        if touches == ():
            return False
        if not self.verified:
            findings = _check(self.store, settle=False)
            if findings:
                raise StoreUnavailable("toko.mismatch", findings, name=db.name)
            self.verified = True
        _write(pending_path_for(db), _update(cur, _read(path_for(db)), touches))
        self._staged = True
        return True

    def after_commit(self) -> None:
        """The transaction committed: its pending manifest is the manifest now."""
        self._staged = False
        promote(self.store.path)

    def rolled_back(self) -> None:
        """The transaction rolled back: forget what it staged."""
        _explicit.discard((self.store.path, threading.get_ident()))
        if self._staged:
            self._staged = False
            discard_pending(self.store.path)


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
