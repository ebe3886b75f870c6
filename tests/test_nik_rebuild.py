"""Issue 14, item 1: no full NIK can be rebuilt from the store or its archive without the key.

A NIK is 6 digits of area code, the birth date as DDMMYY (day + 40 for women) and a 4-digit serial.
The attack: take the masked NIK and every stored column about the person (birth year or date, sex)
and count the NIKs that fit. Each person must keep at least a million candidates. The counts are
computed combinatorially, never by listing NIKs.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics import config
from analytics.demo import dtsen
from analytics.demo import snapshots as demo
from analytics.ingest import rebuild
from analytics.store import archive, privacy
from analytics.store import db as store
from analytics.store.db import Store, archive_dir_for
from tests.helpers import BASE
from tests.test_interventions import (  # noqa: F401  (catalog is a fixture)
    D2,
    FAJAR,
    STRANGER,
    catalog,
    dump_all,
    import_interventions,
    import_snapshots,
)

MIN_CANDIDATES = 1_000_000
# Every column of `person`, so that a new one makes this test be thought through again.
PERSON_COLUMNS = {
    "person_key",
    "nik_masked",
    "nama",
    "jenis_kelamin",
    "tahun_lahir",
    "tanggal_lahir",  # before migration 016: the attack below counts it as the exact birth date
    "alamat",
    "id_individu",
    "first_seen",
}
OLD_MASK = re.compile(r"\d{6}\*+\d")  # any digit after the stars
NEW_MASK = r"^\d{6}\*{10}$"
# Dates of events on the list (a baby born on the baseline date is listed from that day, so these
# can equal a birth date by chance); any other date column must never equal one.
ID_COLUMNS = {"id_individu", "id_keluarga", "id_keluarga_berkas", "penerima", "kk_key"}  # kk_key: a hash
FREE_TEXT = {"nama", "alamat", "nama_berkas", "catatan"}
EVENT_DATES = {"valid_from", "valid_to", "first_seen", "as_of", "tanggal"}


def _ddmmyy(day: date, sex: str) -> str:
    return f"{day.day + (40 if sex == 'P' else 0):02d}{day.month:02d}{day.year % 100:02d}"


def _fits(digits: str, shown: str) -> bool:
    return all(s == "*" or s == d for s, d in zip(shown, digits, strict=True))


@cache
def candidates(mask: str, sex: str | None, year: int | None, born: date | None) -> int:
    """How many NIKs fit the mask, the sex and the birth year or date that are stored for a person.

    Digits 7-12: every DDMMYY (day + 40 for women) of a date the stored columns allow that the
    mask's digits 7-12 allow too. Digits 13-16: the serials 0001-9999 the mask's last 4 allow.
    """
    assert len(mask) == 16 and mask[:6].isdigit(), mask
    if born is not None:
        days = [born]
    else:
        first = date(year, 1, 1) if year else date(1900, 1, 1)
        last = date(year, 12, 31) if year else date(2026, 12, 31)
        days = [first + timedelta(n) for n in range((last - first).days + 1)]
    sexes = [sex] if sex in ("L", "P") else ["L", "P"]
    middles = {_ddmmyy(d, s) for d in days for s in sexes}
    n_middle = sum(_fits(m, mask[6:12]) for m in middles)
    serial = mask[12:]
    n_serial = 10 ** serial.count("*") - (1 if _fits("0000", serial) else 0)
    return n_middle * n_serial


def _count(row: dict) -> int:
    year = row.get("tahun_lahir")
    born = row.get("tanggal_lahir")
    return candidates(
        row["nik_masked"],
        row.get("jenis_kelamin"),
        None if year is None or pd.isna(year) else int(year),
        None if born is None or pd.isna(born) else pd.Timestamp(born).date(),
    )


def _fewest(frame: pd.DataFrame) -> tuple[int, str]:
    """The smallest candidate count over the rows, and the masked NIK of that row."""
    cols = [c for c in ("nik_masked", "jenis_kelamin", "tahun_lahir", "tanggal_lahir") if c in frame]
    rows = frame[cols].drop_duplicates().to_dict("records")
    counts = [(_count(r), r["nik_masked"]) for r in rows]
    return min(counts)


def test_mask_shows_the_area_code_only_and_keeps_16_characters():
    assert privacy.mask_nik("6472054101900001") == "647205**********"
    niks = pd.Series(["6472054101900001", None, "647205******0001"])
    assert privacy.mask_niks(niks).tolist() == ["647205**********", None, "647205**********"]
    # With birth year and sex known, 365 days x 9,999 serials fit.
    assert candidates("647205**********", "P", 1990, None) == 365 * 9_999


def test_the_old_mask_with_birth_date_and_sex_gives_the_nik_back():
    """The attack itself, on the pre-016 columns: one candidate, the NIK."""
    assert candidates("647205******0001", "P", None, date(1990, 1, 1)) == 1


def _read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True, config=store.CONNECT_CONFIG)


@pytest.fixture(scope="module")
def demo_copy(demo_db, tmp_path_factory) -> Path:
    """A private copy of the shared demo store: page tests in this process may hold the original
    open (with another configuration, which DuckDB refuses to mix in one process)."""
    db = tmp_path_factory.mktemp("demo_copy") / demo_db.name
    for suffix in ("", ".wal"):
        source = Path(f"{demo_db}{suffix}")
        if source.exists():
            shutil.copy(source, Path(f"{db}{suffix}"))
    duckdb.connect(str(db), config=store.CONNECT_CONFIG).close()  # replays and checkpoints the WAL
    return db


def test_every_person_in_the_demo_store_keeps_a_million_candidate_niks(demo_copy):
    con = _read_only(demo_copy)
    try:
        people = con.execute("select * from person").df()
    finally:
        con.close()
    assert set(people.columns) <= PERSON_COLUMNS, set(people.columns) - PERSON_COLUMNS
    assert len(people) > 5_000
    fewest, mask = _fewest(people)
    assert fewest >= MIN_CANDIDATES, f"{mask}: only {fewest:,} NIKs fit what the store keeps"


def test_every_archived_registry_row_keeps_a_million_candidate_niks(demo_db):
    paths = archive.files(archive_dir_for(demo_db))
    registry_files = [p for p in paths if archive.read_meta(p).kind == "registri"]
    assert registry_files
    for path in registry_files:
        _, rows = archive.read(path)
        assert "nik_masked" in rows
        fewest, mask = _fewest(rows)
        assert fewest >= MIN_CANDIDATES, f"{path.name} {mask}: only {fewest:,} NIKs fit"


@cache
def _demo_secrets() -> pd.DataFrame:
    """Every demo person's key with the parts of the raw NIK and birth date that must not be stored."""
    snapshots = demo.generate_snapshots()
    people = pd.concat([df[["NIK", "Tanggal Lahir"]] for df in snapshots.values()]).drop_duplicates("NIK")
    # the DTSEN files (issue 19) add people never on a P3KE file; they carry no birth date
    ranked = pd.concat(dtsen.generate_dtsen().values())["NOMOR INDUK KEPENDUDUKAN"].rename("NIK")
    added = ranked[~ranked.isin(people["NIK"])].drop_duplicates().to_frame().assign(**{"Tanggal Lahir": None})
    people = pd.concat([people, added], ignore_index=True)
    secret = config.DEMO_SECRET.encode("utf-8")  # the demo store is built under the demo key
    nik = people["NIK"].astype(str)
    born = pd.to_datetime(people["Tanggal Lahir"])
    return pd.DataFrame(
        {
            "person_key": privacy.person_keys(nik.tolist(), secret),
            "mid": nik.str[6:12].to_numpy(),  # DDMMYY (+40)
            "tail": nik.str[6:16].to_numpy(),  # digits 7-16
            "serial": nik.str[12:16].to_numpy(),
            "born": born.dt.date.to_numpy(),
            "born_iso": born.dt.strftime("%Y-%m-%d").to_numpy(),
            "born_id": born.dt.strftime("%d-%m-%Y").to_numpy(),
        }
    )


def _leaks(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    """Rows of `table` (joined to the demo secrets by person_key) holding a birth date or NIK digits 7-16."""
    cols = con.execute(f"describe {table}").fetchall()  # noqa: S608
    checks = []
    for name, kind, *_ in cols:
        if name == "person_key":
            continue
        if kind == "VARCHAR":
            checks += [
                f'contains(t."{name}", s.tail)',
                f'contains(t."{name}", s.born_iso)',
                f'contains(t."{name}", s.born_id)',
            ]
            # P3KE ids and hashes are long digit strings from the file or a hash: 6 or 4 of their
            # digits can match by chance (they do in the demo). Names and addresses: 4 can.
            if name not in ID_COLUMNS:
                checks.append(f'contains(t."{name}", s.mid)')
            if name not in ID_COLUMNS | FREE_TEXT:
                checks.append(f'contains(t."{name}", s.serial)')
        elif kind == "DATE" and name not in EVENT_DATES:
            checks.append(f't."{name}" = s.born')
    if not checks:
        return []
    where = " or ".join(checks)
    sql = f"select t.* from {table} t join secrets s using (person_key) where {where} limit 5"  # noqa: S608
    return con.execute(sql).fetchall()


def test_no_stored_or_archived_value_holds_a_birth_date_or_nik_digits_7_to_16(demo_db, demo_copy):
    secrets = _demo_secrets()
    con = _read_only(demo_copy)
    try:
        con.register("secrets", secrets)
        tables = [
            r[0]
            for r in con.execute(
                "select distinct c.table_name from duckdb_columns() c "
                "join duckdb_tables() t using (table_name) where c.column_name = 'person_key'"
            ).fetchall()
        ]
        assert {"person", "person_interval", "intervensi"} <= set(tables)
        matched = con.execute("select count(*) from person join secrets using (person_key)").fetchone()[0]
        assert matched == con.execute("select count(*) from person").fetchone()[0]  # every person checked
        for table in tables:
            assert _leaks(con, table) == [], table
        for table, column in con.execute(
            "select table_name, column_name from duckdb_columns() where column_name = 'nik_masked'"
        ).fetchall():
            bad = con.execute(
                f"select {column} from {table} where {column} is not null "  # noqa: S608
                f"and not regexp_full_match({column}, '{NEW_MASK[1:-1]}') limit 3"
            ).fetchall()
            assert bad == [], (table, bad)
        birth = con.execute(
            "select table_name, column_name from duckdb_columns() where column_name ilike '%lahir%' "
            "and data_type not in ('SMALLINT', 'INTEGER')"
        ).fetchall()
        assert birth == []
        for path in archive.files(archive_dir_for(demo_db)):
            meta, rows = archive.read(path)
            assert "tanggal_lahir" not in rows, path.name
            assert not OLD_MASK.search(meta.warnings), path.name
            if "person_key" not in rows:
                continue
            con.register("archived", rows)
            assert _leaks(con, "archived") == [], path.name
            if "nik_masked" in rows:
                assert rows["nik_masked"].dropna().str.fullmatch(NEW_MASK[1:-1]).all(), path.name
            con.unregister("archived")
    finally:
        con.close()


# --- a store from before migration 016 --------------------------------------------------------------

KNOWN_NIKS = [r[5] for r in BASE] + [FAJAR, STRANGER]
BORN = date(1990, 1, 1)  # every person of the fixture


def _old_mask(nik: str) -> str:
    return f"{nik[:6]}******{nik[-4:]}"


def _raw() -> pd.DataFrame:
    secret, _ = config.nik_secret()
    return pd.DataFrame(
        {
            "person_key": [privacy.person_key(n, secret) for n in KNOWN_NIKS],
            "old_mask": [_old_mask(n) for n in KNOWN_NIKS],
            "born": [BORN] * len(KNOWN_NIKS),
        }
    )


def _downgrade_store(path: Path) -> None:
    """Put a store file back in the shape migrations 001-015 left it (as main's code wrote it)."""
    con = duckdb.connect(str(path), config=store.CONNECT_CONFIG)
    try:
        con.register("raw", _raw())
        con.execute(
            """
            create table person_old (
                person_key varchar not null, nik_masked varchar not null, nama varchar,
                jenis_kelamin varchar, tanggal_lahir date, alamat varchar, id_individu varchar,
                first_seen date);
            insert into person_old
            select p.person_key, r.old_mask, p.nama, p.jenis_kelamin, r.born, p.alamat, p.id_individu,
                   p.first_seen
            from person p join raw r using (person_key);
            drop table person;
            alter table person_old rename to person;
            update intervensi set nik_masked = r.old_mask
            from raw r where intervensi.person_key = r.person_key;
            delete from schema_version where version >= 16;
            checkpoint;
            """
        )
    finally:
        con.close()


def _downgrade_archive(folder: Path) -> None:
    """Rewrite every archived file as main's code wrote it: tanggal_lahir, the long mask, no marker."""
    raw = _raw().set_index("person_key")
    for path in archive.files(folder):
        meta, rows = archive.read(path)
        if "nik_masked" in rows:
            rows["nik_masked"] = rows["person_key"].map(raw["old_mask"]).astype(object)
            rows["nik_masked"] = rows["nik_masked"].where(rows["nik_masked"].notna(), None)
        if "tahun_lahir" in rows:
            at = rows.columns.get_loc("tahun_lahir")
            born = rows["person_key"].map(raw["born"]).astype(object)
            rows = rows.drop(columns="tahun_lahir")
            rows.insert(at, "tanggal_lahir", born)
            # A warning as main's report wrote it: the unreadable birth date and a long mask.
            warnings = json.loads(meta.warnings)
            warnings += [
                {"tingkat": "Peringatan", "berkas": meta.file_name, "baris": 3, "kolom": "Tanggal Lahir",
                 "nilai": "31/02/1990", "pesan": "Tanggal tidak terbaca"},
                {"tingkat": "Peringatan", "berkas": meta.file_name, "baris": 4, "kolom": "NIK",
                 "nilai": "647205*****0001", "pesan": "NIK tersamar lama"},
            ]  # fmt: skip
            meta.warnings = json.dumps(warnings)
        table = pa.Table.from_pandas(rows, preserve_index=False)
        schema_meta = dict(table.schema.metadata or {})
        schema_meta[archive.META_KEY] = json.dumps(meta.__dict__).encode("utf-8")
        pq.write_table(table.replace_schema_metadata(schema_meta), path, compression="zstd")


def _archived(folder: Path) -> list[tuple[dict, pd.DataFrame]]:
    out = []
    for path in archive.files(folder):
        meta, rows = archive.read(path)
        out.append((json.loads(meta.warnings), rows))
    return out


@pytest.fixture
def old_store(tmp_path, catalog):  # noqa: F811
    """A store file and archive in the pre-016 shape, and what the current code builds from the same files.

    Built by today's import path, then put back in the old shape: `person.tanggal_lahir` instead of
    `tahun_lahir`, masks `647205******0001` in person, intervensi and the archive, migration 016 not
    applied, archive files without the privacy marker and with birth dates in their reports.
    """
    path = tmp_path / "nol.duckdb"
    s = Store.open(path)
    import_snapshots(s, tmp_path, D2)
    import_interventions(s, tmp_path)
    expected = dump_all(s)
    s.close()
    folder = archive_dir_for(path)
    expected_archive = _archived(folder)
    _downgrade_store(path)
    _downgrade_archive(folder)
    return path, expected, expected_archive


def test_old_fixture_is_really_in_the_old_shape(old_store):
    path, _, _ = old_store
    con = _read_only(path)
    try:
        cols = [r[0] for r in con.execute("describe person").fetchall()]
        masks = {r[0] for r in con.execute("select nik_masked from person").fetchall()}
    finally:
        con.close()
    assert "tanggal_lahir" in cols and "tahun_lahir" not in cols
    assert _old_mask(KNOWN_NIKS[0]) in masks
    assert all(archive.needs_upgrade(p) for p in archive.files(archive_dir_for(path)))


def test_an_old_store_and_its_archive_are_migrated_when_opened(old_store):
    path, expected, expected_archive = old_store
    folder = archive_dir_for(path)
    s = Store.open(path)
    try:
        cols = {r[0]: r[1] for r in s._con.execute("describe person").fetchall()}
        assert "tanggal_lahir" not in cols and cols["tahun_lahir"] == "SMALLINT"
        assert s.scalar("select max(version) from schema_version") >= 16
        # The migrated store is what today's code builds from the same files.
        assert dump_all(s) == expected
    finally:
        s.close()
    paths = archive.files(folder)
    assert paths and not any(archive.needs_upgrade(p) for p in paths)
    for (warnings, rows), (want_warnings, want_rows) in zip(_archived(folder), expected_archive, strict=True):
        pd.testing.assert_frame_equal(rows, want_rows)
        added = warnings[len(want_warnings) :]
        assert warnings[: len(want_warnings)] == want_warnings
        if added:  # the report lines main wrote: no birth date, the mask cut to the area code
            assert [w["nilai"] for w in added] == [None, "647205*********"]
    # Opening again rewrites nothing.
    stamps = [p.stat().st_mtime_ns for p in paths]
    assert archive.upgrade(folder) == 0
    Store.open(path).close()
    assert [p.stat().st_mtime_ns for p in paths] == stamps


def test_rebuild_from_the_rewritten_archive_gives_the_same_store(old_store):
    path, expected, _ = old_store
    Store.open(path).close()  # migrates the store, rewrites the archive
    rebuild.rebuild(path)
    s = Store.open(path)
    try:
        assert dump_all(s) == expected
        assert s.scalar("select count(*) from person where nik_masked like '%*0%'") == 0
    finally:
        s.close()


def test_rebuild_of_a_never_opened_old_archive_rewrites_it_first(old_store):
    path, expected, _ = old_store
    for leftover in (path, Path(f"{path}.wal")):
        leftover.unlink(missing_ok=True)
    rebuild.rebuild(path, accept_loss=True)  # the old store's logs went with its file: said, not silent
    assert not any(archive.needs_upgrade(p) for p in archive.files(archive_dir_for(path)))
    s = Store.open(path)
    try:
        got = dump_all(s)
    finally:
        s.close()
    # Without the old store, the catalog comes from the catalog files: compare what the archive holds.
    for table in ("person", "person_interval", "intervensi"):
        assert got[table] == expected[table], table
