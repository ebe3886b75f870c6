"""The store itself: migrations, areas, and surviving a kill in the middle of a replacement."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date

import duckdb
import pytest

from analytics.ingest import registry
from analytics.store.db import Store, migrate, migrations
from tests.helpers import BASE, dump, write_csv


def test_areas_are_the_10_kecamatan_and_59_kelurahan(store):
    assert store.scalar("select count(*) from kecamatan") == 10
    assert store.scalar("select count(*) from kelurahan") == 59
    per_kec = dict(store._con.execute("select kode_kecamatan, count(*) from kelurahan group by 1").fetchall())
    assert per_kec["64.72.05"] == 8 and per_kec["64.72.02"] == 6
    assert store.scalar("select count(*) from v_area where kecamatan is null") == 0


def test_migrations_are_idempotent(tmp_path):
    path = tmp_path / "s.duckdb"
    store = Store.open(path)
    versions = [v for v, _, _ in migrations()]
    assert [
        r[0] for r in store._con.execute("select version from schema_version order by 1").fetchall()
    ] == versions
    assert migrate(store._con) == []
    store.close()
    again = Store.open(path)
    assert again.scalar("select count(*) from schema_version") == len(versions)
    assert again.scalar("select count(*) from kelurahan") == 59
    again.close()


def test_external_file_access_is_disabled(store):
    with pytest.raises(Exception, match="(?i)permission|disabled"):
        store._con.execute("select * from read_csv('/etc/hostname')").fetchall()
    with pytest.raises(duckdb.Error):
        store._con.execute("set enable_external_access = true")


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import date
    from analytics.store.db import Store
    from analytics.ingest import registry

    store = Store.open(sys.argv[1])
    at = float(sys.argv[3])

    def progress(fraction, message):
        if fraction >= at:
            os.kill(os.getpid(), signal.SIGKILL)

    registry.import_file(store, sys.argv[2], date(2022, 11, 30), replace=True, progress=progress)
    """
)


@pytest.mark.parametrize("kill_at, survives", [(0.35, False), (0.5, False), (0.95, False), (1.0, True)])
def test_replacement_killed_midway_leaves_old_or_new_whole(tmp_path, kill_at, survives):
    path = tmp_path / "kill.duckdb"
    store = Store.open(path)
    registry.import_file(store, write_csv(tmp_path / "a.csv", BASE), date(2022, 11, 30))
    before = dump(store)
    store.close()
    new_file = write_csv(tmp_path / "b.csv", BASE[:2])
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(path), str(new_file), str(kill_at)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr
    reopened = Store.open(path)
    after = dump(reopened)
    if survives:
        assert reopened.query("snapshot_list")["people_active"].tolist() == [2]
        assert reopened.scalar("select sum(orang_aktif) from area_stats") == 2
    else:
        assert after == before
    reopened.close()


# --- Answers kept per store version (issue 17: a page rerun should not ask DuckDB again) --------------


def _with_snapshot(store, tmp_path, day: str, rows: list[list[str]] = BASE) -> None:
    registry.import_file(store, write_csv(tmp_path / f"p3ke_{day}.csv", rows), date.fromisoformat(day))


def _spy_on_cursor(store, monkeypatch) -> list[int]:
    opened = []
    real = store.cursor

    def counting():
        opened.append(1)
        return real()

    monkeypatch.setattr(store, "cursor", counting)
    return opened


def test_a_read_only_answer_is_reused_until_the_next_import(store, tmp_path, monkeypatch):
    _with_snapshot(store, tmp_path, "2024-01-31")
    first = store.query("snapshot_list")
    opened = _spy_on_cursor(store, monkeypatch)
    again = store.query("snapshot_list")
    assert opened == [] and again.equals(first)
    monkeypatch.delattr(store, "cursor")  # the class's own cursor again
    _with_snapshot(store, tmp_path, "2024-02-29", BASE[1:])
    dates = list(store.query("snapshot_list")["as_of"].dt.date)
    assert dates == [date(2024, 1, 31), date(2024, 2, 29)]


def test_each_caller_gets_its_own_copy_of_a_kept_answer(store, tmp_path):
    _with_snapshot(store, tmp_path, "2024-01-31")
    mine = store.query("snapshot_list")
    mine.loc[:, "as_of"] = None
    assert store.query("snapshot_list")["as_of"].notna().all()


def test_an_audit_row_keeps_the_answers_but_the_audit_list_is_always_read_afresh(store, tmp_path):
    from analytics.store import audit

    _with_snapshot(store, tmp_path, "2024-01-31")
    version = store.version
    before = len(store.query("audit_list", action=None, limit=100))
    audit.log(store, "ani", "dinsos", "masuk")
    assert store.version == version  # page answers stay valid: an audit row changes none of them
    assert len(store.query("audit_list", action=None, limit=100)) == before + 1


def test_a_setting_change_is_seen_at_once(store):
    from analytics.store import settings

    key = next(iter(settings.DEFAULTS))
    assert settings.get(store, key) == settings.DEFAULTS[key]
    value = "3" if settings.DEFAULTS[key] != "3" else "4"
    with store.transaction(touches=("setting",)) as cur:
        from analytics.store.db import run

        run(cur, "setting_put", key=key, value=value)
    assert settings.get(store, key) == value


def test_queries_that_write_read_the_audit_log_or_the_clock_are_never_kept():
    from analytics.store.sql import QUERIES, load_query, reusable

    for path in QUERIES.glob("*.sql"):
        text = load_query(path.stem).lower()
        if reusable(path.stem):
            assert "audit_log" not in text and "now()" not in text and "current_date" not in text, path.stem
            assert not any(w in text for w in ("insert into", "delete from", "update ")), path.stem
    assert not reusable("audit_list") and not reusable("snapshot_insert") and reusable("snapshot_list")
