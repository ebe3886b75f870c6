"""Fail closed, lose nothing: a store without its manifest, damaged bytes, old manifests, lost
audit entries and rebuilds that would drop the logs (issue 14, items 9 and 10)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics import cli
from analytics.ingest import interventions, rebuild, registry
from analytics.store import audit, manifest, opening, settings
from analytics.store import db as store_module
from analytics.store.db import Store
from tests.test_durability import files  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[1]


def small_store(db: Path, files, n: int = 3) -> None:  # noqa: F811
    store = Store.open(db)
    for as_of, path in files[:n]:
        registry.import_file(store, path, as_of, user="ani")
    interventions.ensure_catalog(store)
    settings.put(store, "max_removed_percent", "30")
    audit.log(store, "dinsos1", "dinsos", "masuk")
    store.close()


def app_run(db: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("NOL_EKSTREM_DB", str(db))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(db.parent))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


# --- item 9: a missing manifest is not trusted ----------------------------------------------------


def test_a_tampered_store_without_its_manifest_is_refused_and_the_page_names_the_repair(
    tmp_path,
    files,  # noqa: F811
    monkeypatch,
):
    db = tmp_path / "t.duckdb"
    small_store(db, files)
    con = duckdb.connect(str(db))
    assert con.execute("delete from person_interval where rowid % 3 = 0").fetchone()[0] > 100
    con.close()
    manifest.path_for(db).unlink()
    with pytest.raises(manifest.StoreUnavailable, match="manifestnya tidak ada") as caught:
        opening.open_verified(db, wait_seconds=0)
    assert "bangun-ulang" in str(caught.value) and "periksa --terima" in str(caught.value)
    assert not manifest.path_for(db).exists()  # not adopted
    assert cli.main(["--db", str(db), "periksa"]) == 4
    at = app_run(db, monkeypatch)
    assert not at.exception
    assert "bangun-ulang" in at.error[0].value and "periksa --terima" in at.error[0].value


def test_an_empty_store_without_a_manifest_is_a_fresh_install(tmp_path):
    db = tmp_path / "baru.duckdb"
    Store.open(db).close()
    manifest.path_for(db).unlink(missing_ok=True)
    opening.open_verified(db, wait_seconds=0).close()
    assert manifest.path_for(db).exists()


SMALL_TABLE_CHANGES = {
    "setting": "update setting set value = '99' where key = 'max_removed_percent'",
    "import_log": "delete from import_log where log_id = (select max(log_id) from import_log)",
    "audit_log": "update audit_log set user_name = 'orang_lain'",
    "snapshot": "update snapshot set imported_by = 'orang_lain'",
    "opd": "update opd set nama = 'OPD LAIN' where kode_opd = (select min(kode_opd) from opd)",
    "intervensi_state": "update intervensi_state set value = 'x' where key = 'katalog'",
}


@pytest.mark.parametrize("table, change", SMALL_TABLE_CHANGES.items(), ids=SMALL_TABLE_CHANGES.keys())
def test_periksa_covers_every_table(tmp_path, files, table, change):  # noqa: F811
    db = tmp_path / "t.duckdb"
    small_store(db, files, n=2)
    opening.open_verified(db, wait_seconds=0).close()  # the catalog is in the manifest now
    con = duckdb.connect(str(db))
    assert con.execute(change).fetchone()[0] >= 1
    con.close()
    with pytest.raises(manifest.StoreUnavailable) as caught:
        opening.open_verified(db, wait_seconds=0)
    assert table in caught.value.log_text or (table == "audit_log" and "Log audit" in caught.value.log_text)
    assert cli.main(["--db", str(db), "periksa"]) == 4


def all_rows(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [
            r[0] for r in con.execute("select table_name from duckdb_tables() where not temporary").fetchall()
        ]
        return {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall())) for t in names}  # noqa: S608
    finally:
        con.close()


@pytest.fixture(scope="module")
def pristine(demo_db, tmp_path_factory) -> Path:
    """A checkpointed copy of the demo store with its manifest, taken once: the shared demo store
    may be open in this process (page tests write audit entries to it), so its file alone can lag
    behind its WAL."""
    folder = tmp_path_factory.mktemp("pristine")
    db = folder / "demo.duckdb"
    for suffix in ("", ".wal", ".manifest.json"):
        source = Path(f"{demo_db}{suffix}")
        if source.exists():
            shutil.copy(source, Path(f"{db}{suffix}"))
    opening.open_verified(db, wait_seconds=0).close()  # replays the WAL, checkpoints
    return db


@pytest.mark.parametrize("fraction", [0.01, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99])
def test_byte_flips_in_the_store_file_are_refused_or_change_nothing(tmp_path, pristine, fraction):
    db = tmp_path / "demo.duckdb"
    shutil.copy(pristine, db)
    shutil.copy(manifest.path_for(pristine), manifest.path_for(db))
    data = bytearray(db.read_bytes())
    data[int(len(data) * fraction)] ^= 0xFF
    db.write_bytes(bytes(data))
    try:
        store = opening.open_verified(db, wait_seconds=0)
    except manifest.StoreUnavailable as exc:  # refused (or unreadable), with the repair commands
        assert "bangun-ulang" in str(exc)
        assert cli.main(["--db", str(db), "periksa"]) == 4
        return
    store.close()  # served: the flip hit unused space, so every row is what it was
    assert all_rows(db) == all_rows(pristine)


def test_a_store_error_during_a_page_shows_the_repair_page_not_a_traceback(
    tmp_path,
    files,  # noqa: F811
    monkeypatch,
    accounts,
):
    db = tmp_path / "t.duckdb"
    small_store(db, files, n=1)

    def damaged(self, name, **params):
        raise duckdb.IOException(
            "Corrupt database file: computed checksum 1 does not match stored checksum 2"
        )

    monkeypatch.setattr(Store, "query", damaged)  # a damaged block found by a page's first query
    at = app_run(db, monkeypatch)
    assert not at.exception
    text = at.error[0].value
    assert "periksa" in text and "bangun-ulang" in text and "rusak" in text


# --- item 9: an old manifest is checked before migrating, then upgraded ---------------------------


@pytest.fixture
def v2_store(tmp_path, files, monkeypatch):  # noqa: F811
    """A store in the shape migrations 001-015 left it (person.tanggal_lahir) with a VERSION 2
    manifest (main's format), and a newer migration 999 waiting that changes person (as 016 does)
    so the v2 sums only match before migrating."""
    new = tmp_path / "migrasi_baru"
    new.mkdir()
    for path in store_module.MIGRATIONS.glob("*.sql"):
        shutil.copy(path, new)
    (new / "999_uji_ubah_person.sql").write_text("update person set nama = nama || '.';\n")
    db = tmp_path / "lama.duckdb"
    small_store(db, files, n=2)
    con = duckdb.connect(str(db))
    con.execute(
        """
        create table person_old as
        select person_key, nik_masked, nama, jenis_kelamin,
               case when tahun_lahir is not null then make_date(tahun_lahir, 7, 1) end as tanggal_lahir,
               alamat, id_individu, first_seen
        from person;
        drop table person;
        alter table person_old rename to person;
        delete from schema_version where version >= 16;
        checkpoint;
        """
    )
    con.close()
    store = Store.open(db, migrate=False)
    with store.cursor() as cur:
        manifest._write(manifest.path_for(db), manifest.compute(cur, 2))
    store._con.close()
    monkeypatch.setattr(store_module, "MIGRATIONS", new)
    return db


def test_a_store_with_a_version_2_manifest_is_checked_then_migrated_and_recorded(v2_store):
    store = opening.open_verified(v2_store, wait_seconds=0)
    assert store.scalar("select max(version) from schema_version") == 999
    assert store.scalar("select count(*) from person where nama like '%.'") > 0
    store.close()
    state = manifest._read(manifest.path_for(v2_store))
    assert state["version"] == 3 and "audit_log" in state["tables"] and "setting" in state["tables"]
    assert cli.main(["--db", str(v2_store), "periksa"]) == 0


def test_a_tampered_store_with_a_version_2_manifest_is_refused_before_migrating(v2_store):
    con = duckdb.connect(str(v2_store))
    con.execute("delete from person_interval where rowid = 3")
    con.close()
    with pytest.raises(manifest.StoreUnavailable, match="person_interval"):
        opening.open_verified(v2_store, wait_seconds=0)
    con = duckdb.connect(str(v2_store), read_only=True)
    assert con.execute("select max(version) from schema_version").fetchone()[0] == 15  # not migrated
    con.close()
    assert manifest._read(manifest.path_for(v2_store))["version"] == 2


# --- item 10: audit entries cannot vanish silently ------------------------------------------------

LOG_WITHOUT_CHECKPOINT = textwrap.dedent(
    """
    import os, sys
    from analytics.store import audit
    from analytics.store.db import Store

    Store.checkpoint = lambda self: None
    store = Store.open(sys.argv[1])
    for i in range(int(sys.argv[2])):
        audit.log(store, f"pengguna{i}", "dinsos", "unduh", f"berkas{i}.csv")
    os._exit(0)  # no close, so the entries are in the WAL only
    """
)


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_audit_entries_lost_with_the_wal_are_detected(tmp_path, files, damage):  # noqa: F811
    db = tmp_path / "w.duckdb"
    small_store(db, files, n=1)
    proc = subprocess.run([sys.executable, "-c", LOG_WITHOUT_CHECKPOINT, str(db), "12"], cwd=ROOT)
    assert proc.returncode == 0
    wal = Path(f"{db}.wal")
    assert wal.stat().st_size > 0
    if damage == "truncate":
        with open(wal, "r+b") as fh:
            fh.truncate(0)
    else:
        wal.unlink()
    with pytest.raises(manifest.StoreUnavailable, match="Log audit: manifest mencatat 13 entri"):
        opening.open_verified(db, wait_seconds=0)
    assert cli.main(["--db", str(db), "periksa"]) == 4
    store = Store.open(db)  # read it anyway, as the audit page would
    assert audit.first_broken_link(store) is None  # the rows left still link up...
    assert audit.verify_chain(store) is not None  # ...but the chain is not intact
    assert audit.missing(store) == (13, 1)
    store._con.close()


# --- item 10: bangun-ulang never drops the logs silently ------------------------------------------


def _unreadable_import_log(monkeypatch) -> None:
    """The old store opens, but reading its import log fails as a damaged block does."""
    real = duckdb.connect

    class Damaged:
        def __init__(self, con):
            self.con = con

        def execute(self, sql, *args):
            if "from import_log" in sql or (args and args[0] == {"table": "import_log"}):
                raise duckdb.IOException("Corrupt database file: computed checksum 1 does not match 2")
            return self.con.execute(sql, *args)

        def close(self):
            self.con.close()

    monkeypatch.setattr(
        rebuild.duckdb,
        "connect",
        lambda *a, **k: Damaged(real(*a, **k)) if k.get("read_only") else real(*a, **k),
    )


def test_rebuild_with_an_unreadable_import_log_refuses_then_keeps_audit_and_settings(
    tmp_path,
    files,  # noqa: F811
    monkeypatch,
):
    db = tmp_path / "r.duckdb"
    small_store(db, files, n=2)
    _unreadable_import_log(monkeypatch)
    assert cli.main(["--db", str(db), "bangun-ulang"]) == 2
    assert not list(tmp_path.glob("r.duckdb.rusak-*"))  # nothing moved
    assert cli.main(["--db", str(db), "bangun-ulang", "--terima-kehilangan-log"]) == 0
    store = opening.open_verified(db, wait_seconds=0)
    assert settings.get(store, "max_removed_percent") == "30"
    log = store.query("audit_list", action=None, limit=10)
    assert log["user_name"].tolist()[-1] == "dinsos1"  # the old entry, carried
    assert log["action"].tolist()[0] == "bangun_ulang"  # the rebuild's own entry comes last
    loss = log[log["object"] == "bangun-ulang:kehilangan"]
    assert len(loss) == 1 and "import_log" in loss["detail"].iloc[0]
    assert audit.verify_chain(store) is None
    store.close()


def test_rebuild_refuses_an_old_audit_log_shorter_than_its_anchor(tmp_path, files):  # noqa: F811
    db = tmp_path / "r.duckdb"
    small_store(db, files, n=2)
    store = Store.open(db)
    audit.log(store, "admin1", "admin", "pengaturan", "target_date")
    store.close()
    con = duckdb.connect(str(db))
    con.execute("delete from audit_log where entry_id = (select max(entry_id) from audit_log)")
    con.close()
    assert cli.main(["--db", str(db), "bangun-ulang"]) == 2
    assert cli.main(["--db", str(db), "bangun-ulang", "--terima-kehilangan-log"]) == 0
    store = opening.open_verified(db, wait_seconds=0)
    log = store.query("audit_list", action=None, limit=2)
    assert log["action"].tolist()[0] == "bangun_ulang"  # the rebuild's own entry comes last
    assert "audit_log" in log["detail"][1]
    store.close()
