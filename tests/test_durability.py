"""Durability: the raw archive and rebuilding from it, checkpoints, the manifest, and kill -9."""

from __future__ import annotations

import csv
import json
import random
import re
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import cli
from analytics.ingest import interventions, population, registry
from analytics.store import archive, audit, manifest, opening, settings
from analytics.store.db import QUERIES, Store, load_query
from bench.synth import Registry, write_csv
from tests.helpers import BASE
from tests.helpers import write_csv as write_rows

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def files(tmp_path):
    """Five monthly snapshot files of a 300-person synthetic registry (seed 11)."""
    out = []
    for as_of, df in Registry(300, months=5, seed=11).snapshots():
        out.append((as_of, write_csv(df, tmp_path / f"p3ke_{as_of}.csv")))
    return out


def named_answers(store: Store, dates: list[date]) -> dict[str, pd.DataFrame]:
    """Every registry named query a page runs, with parameters covering the stored dates."""
    d0, d1, dn = dates[0], dates[1], dates[-1]
    calls = {
        "snapshot_list": {},
        "area_list": {},
        "burndown_series": {"kode_kecamatan": None, "kode_kelurahan": None},
        "burndown_series_kec": {"kode_kecamatan": "64.72.05", "kode_kelurahan": None},
        "kecamatan_series": {},
        "waterfall_flows": {"date_from": d0, "date_to": dn, "kode_kecamatan": None, "kode_kelurahan": None},
        "snapshot_diff": {
            "date_from": d0,
            "date_to": d1,
            "semua": True,
            "kode_opd": None,
            "kode_wilayah": None,
            "tampil_nama": True,
            "kode_kecamatan": None,
            "kode_kelurahan": None,
            "arus": None,
            "alasan": None,
            "limit": None,
            "offset": 0,
        },
    }
    out = {}
    for key, params in calls.items():
        name = key.removesuffix("_kec")
        out[key] = store.query(name, **params)
    history = store.query("import_history", limit=1000)
    ok = history[history["outcome"].isin(["diimpor", "diganti"])]
    out["import_history"] = ok.drop(columns=["logged_at"]).reset_index(drop=True)
    return out


def test_each_import_is_archived_as_parquet_without_the_raw_nik(tmp_path):
    store = Store.open(tmp_path / "a.duckdb")
    registry.import_file(store, write_rows(tmp_path / "a.csv", BASE), date(2022, 11, 30), user="ani")
    registry.import_file(
        store, write_rows(tmp_path / "b.csv", BASE[:3]), date(2022, 12, 31), user="ani", confirmed=True
    )
    paths = archive.files(store.archive_dir)
    assert [p.name[:17] for p in paths] == ["000001_2022-11-30", "000002_2022-12-31"]
    meta, rows = archive.read(paths[1])
    assert (meta.file_name, meta.user, meta.row_count, meta.replace) == ("b.csv", "ani", 3, False)
    assert len(rows) == 3 and set(rows["nik_masked"]) >= {"647205**********"}
    assert "6472054101900001" not in repr(rows.to_dict()) + repr(meta)
    assert not list((store.archive_dir / "pending").glob("*"))
    store.close()


def test_checkpoint_after_each_import_leaves_no_wal(tmp_path):
    store = Store.open(tmp_path / "c.duckdb")
    registry.import_file(store, write_rows(tmp_path / "a.csv", BASE), date(2022, 11, 30))
    wal = Path(f"{store.path}.wal")
    assert not wal.exists() or wal.stat().st_size == 0
    store._con.close()


def test_rebuild_from_the_archive_answers_every_named_query_identically(tmp_path, files):
    db = tmp_path / "r.duckdb"
    store = Store.open(db)
    for as_of, path in files[:2] + files[3:]:
        registry.import_file(store, path, as_of)
    registry.import_file(store, files[2][1], files[2][0])  # a date before the latest: rebuild path
    changed = pd.read_csv(files[4][1], dtype=str, keep_default_na=False).iloc[5:]
    registry.import_file(store, write_csv(changed, tmp_path / "ganti.csv"), files[4][0], replace=True)
    with pytest.raises(registry.ImportRefused):
        registry.import_file(store, files[0][1], files[0][0])  # refused: logged, not archived
    dates = [d for d, _ in files]
    before = named_answers(store, dates)
    store.close()

    assert cli.main(["--db", str(db), "bangun-ulang"]) == 0
    rebuilt = opening.open_verified(db, wait_seconds=0)
    after = named_answers(rebuilt, dates)
    for name in before:  # as sets of rows: a query without ORDER BY may return any order
        got, want = (
            df.sort_values(list(df.columns)).reset_index(drop=True) for df in (after[name], before[name])
        )
        pd.testing.assert_frame_equal(got, want, obj=name)
    assert len(after["snapshot_list"]) == 5 and len(after["snapshot_diff"]) > 0
    assert list(tmp_path.glob("r.duckdb.rusak-*"))
    rebuilt.close()


def _nik(i: int) -> str:
    return "6472" + str(i).zfill(12)  # the synthetic registry's NIK of person i (family i // 5)


def write_itv(path: Path, rows: list[list[str]]) -> Path:
    """An OPD intervention file as CSV."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["NIK", "ID Keluarga P3KE", "Kode Program", "Tanggal", "Nilai (Rp)", "Status", "Keterangan"]
        )
        w.writerows(rows)
    return path


def write_population(path: Path, rows: list[list[str]]) -> Path:
    """A population table as CSV."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Kode Wilayah", "Penduduk", "Tahun", "Sumber"])
        w.writerows(rows)
    return path


# The audit chain's own head and counts: the rebuild adds its entry, so these differ by design (the
# chain itself is checked below with verify_chain and audit_list).
CHAIN_BOOKKEEPING = {"audit_count", "audit_last", "audit_head", "audit_present_until"}


def read_queries() -> dict[str, tuple[str, set[str]]]:
    """Every named query that only reads stored tables (what the pages run), with its parameters."""
    out = {}
    for path in sorted(QUERIES.glob("*.sql")):
        if path.stem in CHAIN_BOOKKEEPING:
            continue
        sql = load_query(path.stem)
        body = re.sub(r"--[^\n]*", "", sql).lower()
        # nextval writes (it advances a sequence); duckdb_sequences is the importer's bookkeeping
        if re.search(
            r"\b(insert|delete|update|create|nextval|duckdb_sequences)\b|\bincoming|\bpolygon_|\bfrom niks\b",
            body,
        ):
            continue
        out[path.stem] = (sql, set(re.findall(r"\$([a-z_0-9]+)", body)))
    return out


def page_answers(store: Store, dates: list[date], sha: str) -> dict[str, pd.DataFrame]:
    """Every read-only named query, at the latest and a middle date, for everyone and for one OPD."""
    d0, dm, dn = dates[0], dates[len(dates) // 2], dates[-1]
    base = {"date_from": d0, "date_to": dn, "dari": d0, "sampai": dn, "kode_kecamatan": None}
    base |= {"kode_kelurahan": None, "semua": True, "kode_opd": None, "tampil_nama": True, "limit": 1000}
    base |= {"offset": 0, "arus": None, "alasan": None, "kode_wilayah": None, "last_id": 0}
    base |= {"id_keluarga": "K1", "person_key": None, "nama": None, "cap": 20, "today": dn, "months": 6}
    base |= {
        "action": None,
        "kode_program": None,
        "since": datetime(2000, 1, 1),
        "user_name": None,
        "sha256": sha,
        "client": None,
        "throttled": "ditahan%",
        "berkas_id": 1,
        "key": "nik_key_fingerprint",
        "table": "setting",
    }
    variants = {
        "": {"as_of": dn},
        "@tengah": {"as_of": dm, "date_to": dm},
        "@opd": {"as_of": dn, "semua": False, "kode_opd": "DISKOPUKM", "tampil_nama": False},
        "@kecamatan": {"as_of": dn, "kode_kecamatan": "64.72.05"},
        "@lurah": {"as_of": dn, "semua": False, "kode_wilayah": "64.72.05.1004"},
    }
    out = {}
    for name, (_sql, wanted) in read_queries().items():
        for suffix, extra in variants.items():
            params = {k: v for k, v in (base | extra).items() if k in wanted}
            if suffix and not (
                wanted & set(extra) - {"as_of"} or (suffix == "@tengah" and "as_of" in wanted)
            ):
                continue
            out[name + suffix] = store.query(name, **params)
    return out


def as_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The rows in a fixed order: a query without ORDER BY may return any order."""
    text = df.astype(str)
    return text.sort_values(list(text.columns)).reset_index(drop=True)


def test_rebuild_keeps_interventions_population_settings_and_the_audit_chain(tmp_path, files):
    db = tmp_path / "lengkap.duckdb"
    store = Store.open(db)
    (d0, f0), (d1, f1), (d2, f2), (d3, f3), (d4, f4) = files
    registry.import_file(store, f0, d0, user="ani")
    registry.import_file(store, f1, d1, user="ani")
    jan = [[_nik(i), "", "BLT-2023", "2023-01-10", "300000", "Tersalur", ""] for i in range(0, 40, 3)]
    interventions.import_file(store, write_itv(tmp_path / "blt_jan.csv", jan), "DINSOSPM", user="budi")
    pop = [["647201", "40000", "2023", "FIKTIF"], ["64.72.05", "100.000", "2023", "FIKTIF"]]
    population.import_file(store, write_population(tmp_path / "bps_2023.csv", pop), user="cici")
    registry.import_file(store, f2, d2, user="ani")
    uep = [[_nik(i), "", "UEP", "2023-02-15", "2500000", "Tersalur", ""] for i in range(1, 60, 4)]
    uep += [["6472059999990001", "", "UEP", "2023-02-20", "", "Rencana", "di luar daftar"]]
    interventions.import_file(store, write_itv(tmp_path / "uep.csv", uep), "DISKOPUKM", user="dodi")
    jan2 = [
        [_nik(i), "", "BLT-2023", f"2023-01-{8 + 4 * (i % 2):02d}", "300000", "Tersalur", ""]
        for i in range(2, 50, 5)
    ]
    path = write_itv(tmp_path / "blt_jan_revisi.csv", jan2)
    with pytest.raises(interventions.ImportRefused):
        interventions.import_file(store, path, "DINSOSPM", user="budi")  # overlaps: mode required
    interventions.import_file(store, path, "DINSOSPM", mode="ganti", user="budi")
    rumah = [["", f"F{i:09d}", "BEDAH-RUMAH", "2023-03-01", "20000000", "Tersalur", ""] for i in range(7)]
    interventions.import_file(store, write_itv(tmp_path / "rumah.csv", rumah), "DISPERKIM")
    settings.add_target(store, date(2024, 1, 2), date(2025, 6, 30), "Perwali 1/2024")
    audit.log(store, "admin1", "admin", "pengaturan", "targets", None, "Perwali 1/2024")
    audit.log(store, "dinsos1", "dinsos", "unduh", "daftar_tersisa.csv")
    registry.import_file(store, f3, d3, user="ani")
    pop24 = [["647201", "41000", "2024", "FIKTIF"], ["647205", "101000", "2024", "FIKTIF"]]
    population.import_file(store, write_population(tmp_path / "bps_2024.csv", pop24), user="cici")
    registry.import_file(store, f4, d4, user="ani")
    audit.log(store, "ani", "dinsos", "impor", f4.name)
    kinds = [archive.read_meta(p).kind for p in archive.files(store.archive_dir)]
    assert kinds.count("intervensi") == 4 and kinds.count("penduduk") == 2 and kinds.count("registri") == 5
    sha = archive.read_meta(archive.files(store.archive_dir)[-2]).sha256  # the 2024 population file
    dates = [d for d, _ in files]
    before = page_answers(store, dates, sha)
    store.close()

    assert cli.main(["--db", str(db), "bangun-ulang"]) == 0
    rebuilt = opening.open_verified(db, wait_seconds=0)
    after = page_answers(rebuilt, dates, sha)
    assert after.keys() == before.keys()
    for name in before:
        got = after[name]
        if name.startswith("audit") and "action" in got.columns:  # plus the rebuild's own entry
            assert got["action"].tolist().count("bangun_ulang") == 1, name
            got = got[got["action"] != "bangun_ulang"].reset_index(drop=True)
        pd.testing.assert_frame_equal(as_rows(got), as_rows(before[name]), obj=name)
    for name in ("opd_coverage", "intervensi_berkas_list", "population_list", "audit_list", "blt_programs"):
        assert len(after[name]) > 0, name
    assert len(after["intervensi_berkas_list"]) == 3  # the revised BLT file replaced the first
    assert {
        "opd_coverage",
        "intervensi_untouched_families@opd",
        "map_area_values",
        "snapshot_diff@opd",
    } <= set(after)
    assert audit.verify_chain(rebuilt) is None and len(after["audit_list"]) == 4
    assert settings.target_in_force(rebuilt, date(2024, 6, 1)).zero_by == date(2025, 6, 30)
    assert (after["import_history"]["outcome"] == "ditolak").sum() == 1  # the refusal is kept too
    audit.log(rebuilt, "admin1", "admin", "masuk")  # the chain and the ids go on after a rebuild
    registry.log_import(
        rebuilt, registry.prepare_file(rebuilt, f4.read_bytes(), f4.name, d4), "ditolak", "uji", "x"
    )
    assert audit.verify_chain(rebuilt) is None
    rebuilt.close()


def test_rebuild_without_a_readable_old_store_still_replays_every_import(tmp_path, files):
    db = tmp_path / "hilang.duckdb"
    store = Store.open(db)
    registry.import_file(store, files[0][1], files[0][0])
    jan = [[_nik(i), "", "BLT-2023", "2023-01-10", "300000", "Tersalur", ""] for i in range(10)]
    interventions.import_file(store, write_itv(tmp_path / "blt.csv", jan), "DINSOSPM")
    pop = [["647201", "40000", "2023", "FIKTIF"]]
    population.import_file(store, write_population(tmp_path / "bps.csv", pop))
    coverage = store.query("opd_coverage", as_of=files[0][0])
    store.close()
    db.write_bytes(b"not a duckdb file")
    # the settings and logs cannot be carried: refused unless the operator accepts that loss
    assert cli.main(["--db", str(db), "bangun-ulang"]) == 2
    assert cli.main(["--db", str(db), "bangun-ulang", "--terima-kehilangan-log"]) == 0
    rebuilt = opening.open_verified(db, wait_seconds=0)
    log = rebuilt.query("audit_list", action=None, limit=10)
    assert log["action"].tolist() == ["bangun_ulang", "pengaturan"]  # the rebuild, then what it lost
    assert log["object"][1] == "bangun-ulang:kehilangan"
    assert "audit_log" in log["detail"][1] and "setting" in log["detail"][1]
    assert len(rebuilt.query("population_list")) == 1
    pd.testing.assert_frame_equal(
        as_rows(rebuilt.query("opd_coverage", as_of=files[0][0])), as_rows(coverage)
    )
    rebuilt.close()


def test_manifest_catches_a_tampered_table_and_the_app_does_not_serve_it(tmp_path, files):
    db = tmp_path / "t.duckdb"
    store = Store.open(db)
    for as_of, path in files[:2]:
        registry.import_file(store, path, as_of)
    store.close()
    con = duckdb.connect(str(db))
    con.execute("update area_stats set orang_aktif = orang_aktif + 1 where kode_kelurahan = '64.72.05.1004'")
    con.close()
    with pytest.raises(manifest.StoreUnavailable, match="area_stats") as caught:
        opening.open_verified(db, wait_seconds=0)
    assert "bangun-ulang" in str(caught.value)
    assert cli.main(["--db", str(db), "periksa"]) == 4
    assert cli.main(["--db", str(db), "bangun-ulang"]) == 0
    assert cli.main(["--db", str(db), "periksa"]) == 0


LOST_CHANGES = {
    "an interval whose close was lost": (
        "person_interval",
        "update person_interval set valid_to = null where rowid = (select min(rowid) from person_interval "
        "where valid_to is not null)",
    ),
    "a dropped interval": ("person_interval", "delete from person_interval where rowid = 3"),
    "a changed person key": (
        "person_interval",
        "update person_interval set person_key = (case when person_key like 'f%' then 'e' else 'f' end) "
        "|| substr(person_key, 2) where rowid = 5",
    ),
    "a changed reason": (
        "person_interval",
        "update person_interval set alasan = 'meninggal' where rowid = "
        "(select min(rowid) from person_interval where alasan is not null and alasan <> 'meninggal')",
    ),
    "a dropped person": ("person", "delete from person where rowid = 7"),
}


@pytest.mark.parametrize("table, change", LOST_CHANGES.values(), ids=LOST_CHANGES.keys())
def test_manifest_sums_catch_lost_changes_to_the_large_tables(tmp_path, files, table, change):
    db = tmp_path / "t.duckdb"
    store = Store.open(db)
    for as_of, path in files[:3]:
        registry.import_file(store, path, as_of)
    store.close()
    con = duckdb.connect(str(db))
    assert con.execute(change).fetchone()[0] == 1  # exactly one row changed
    con.close()
    with pytest.raises(manifest.StoreUnavailable, match=f"Tabel {table}"):
        opening.open_verified(db, wait_seconds=0)


def test_a_manifest_in_a_format_that_cannot_be_checked_is_refused_until_accepted(tmp_path, files):
    db = tmp_path / "t.duckdb"
    store = Store.open(db)
    registry.import_file(store, *reversed(files[0]))
    store.close()
    old = json.loads(manifest.path_for(db).read_text())
    old["version"], old["tables"] = 1, {"person": [1, "md5"], "person_interval": [1, "md5"]}
    manifest.path_for(db).write_text(json.dumps(old))
    with pytest.raises(manifest.StoreUnavailable, match="periksa --terima"):
        opening.open_verified(db, wait_seconds=0)
    assert cli.main(["--db", str(db), "periksa", "--terima", "--pengguna", "ops"]) == 0
    assert json.loads(manifest.path_for(db).read_text())["version"] == manifest.VERSION
    store = opening.open_verified(db, wait_seconds=0)
    entry = store.query("audit_list", action=None, limit=5).iloc[0]
    assert (entry["user_name"], entry["object"]) == ("ops", "store:terima")
    assert "manifest versi 1" in entry["detail"]
    store.close()


NO_CHECKPOINT = textwrap.dedent(
    """
    import os, sys
    from datetime import date
    from analytics.ingest import registry
    from analytics.store.db import Store

    Store.checkpoint = lambda self: None  # leave the commit in the WAL only
    store = Store.open(sys.argv[1])
    registry.import_file(store, sys.argv[2], date.fromisoformat(sys.argv[3]))
    os._exit(0)  # no close, so no checkpoint on the way out
    """
)


def test_manifest_catches_a_truncated_wal_and_the_archive_rebuilds_the_lost_import(tmp_path, files):
    db = tmp_path / "w.duckdb"
    store = Store.open(db)
    registry.import_file(store, files[0][1], files[0][0])
    store.close()
    as_of, path = files[1]
    proc = subprocess.run([sys.executable, "-c", NO_CHECKPOINT, str(db), str(path), str(as_of)], cwd=ROOT)
    assert proc.returncode == 0
    wal = Path(f"{db}.wal")
    size = wal.stat().st_size
    assert size > 0
    with open(wal, "r+b") as fh:
        fh.truncate(size // 2)
    with pytest.raises(manifest.StoreUnavailable, match="bangun-ulang"):
        opening.open_verified(db, wait_seconds=0)
    assert cli.main(["--db", str(db), "bangun-ulang"]) == 0
    store = opening.open_verified(db, wait_seconds=0)
    assert store.query("snapshot_list")["as_of"].dt.date.tolist() == [files[0][0], as_of]
    store.close()


CHILD = textwrap.dedent(
    """
    import sys
    from datetime import date
    from analytics.ingest import registry
    from analytics.store.db import Store

    store = Store.open(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    for spec in sys.argv[2:]:
        as_of, path, replace = spec.split("|")
        registry.import_file(store, path, date.fromisoformat(as_of), replace=replace == "1")
        print("ack", as_of, replace, flush=True)
    """
)
TRIALS = 30


def consistent_with_intervals(store: Store) -> None:
    """area_stats equals a recount from person_interval at every snapshot date."""
    recount = store.scalar(
        """
        with d as (select as_of from snapshot),
        r as (
            select d.as_of, pi.kode_kelurahan, count(*) as n
            from d join person_interval pi
              on pi.status = 'aktif' and pi.valid_from <= d.as_of
             and coalesce(pi.valid_to, date '9999-12-31') > d.as_of
            group by all
        )
        select count(*) from r full join area_stats a using (as_of, kode_kelurahan)
        where r.n is distinct from a.orang_aktif
        """
    )
    assert recount == 0
    assert (
        store.scalar(
            "select count(*) from snapshot s where people_active <> "
            "(select coalesce(sum(orang_aktif), 0) from area_stats a where a.as_of = s.as_of)"
        )
        == 0
    )
    overlap = store.scalar(
        "select count(*) from person_interval a join person_interval b using (person_key) "
        "where a.valid_from < b.valid_from and coalesce(a.valid_to, date '9999-12-31') > b.valid_from"
    )
    assert overlap == 0


def test_kill_9_at_random_points_of_imports_loses_no_acknowledged_import(tmp_path, files):
    rng = random.Random(42)
    replacement = write_csv(
        pd.read_csv(files[2][1], dtype=str, keep_default_na=False).iloc[3:], tmp_path / "ganti.csv"
    )
    plan = [(d, p, "0") for d, p in files[:3]] + [(files[2][0], replacement, "1")]
    specs = [f"{d}|{p}|{r}" for d, p, r in plan]
    for trial in range(TRIALS):
        db = tmp_path / f"kill{trial:02d}.duckdb"
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), *specs],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "ready"
        child.stdin.write("go\n")
        child.stdin.flush()
        time.sleep(rng.uniform(0.0, 1.6))
        child.kill()
        acks = [line.split()[1:] for line in child.stdout.read().splitlines() if line.startswith("ack")]
        child.wait()
        store = opening.open_verified(db, wait_seconds=0)  # settles the interrupted import, then checks
        stored = store.query("snapshot_list")
        got = dict(zip(stored["as_of"].dt.date.astype(str), stored["sha256"], strict=True))
        for as_of, _replace in acks:
            assert as_of in got
        if [str(files[2][0]), "1"] in acks:
            assert (
                got[str(files[2][0])]
                == registry.prepare_file(
                    store, replacement.read_bytes(), replacement.name, files[2][0]
                ).sha256
            )
        consistent_with_intervals(store)
        assert len(archive.files(store.archive_dir)) == len(store.query("import_history", limit=100))
        store.close()
