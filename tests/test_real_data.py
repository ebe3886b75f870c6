"""Real data never goes in under the public demo key, the demo accounts go with the demo build, and
the new-secret command (issue 14, item 2)."""

from __future__ import annotations

import base64
import stat
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics import cli, config
from analytics.access import auth
from analytics.ingest import bootstrap, interventions, population, registry
from analytics.store.db import Store
from tests.helpers import BASE, page_path, write_csv
from tests.test_interventions import DISKOP, catalog, write_itv  # noqa: F401  (catalog: a fixture)
from tests.test_population import GOOD
from tests.test_population import write as write_population

D0 = date(2022, 11, 30)
no_secret = pytest.mark.no_secret


@no_secret
def test_cli_import_without_a_secret_exits_non_zero_and_stores_nothing(tmp_path, capsys):
    db = tmp_path / "asli.duckdb"
    code = cli.main(
        ["--db", str(db), "impor", str(write_csv(tmp_path / "p3ke.csv", BASE)), "--tanggal", "2022-11-30"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "python -m analytics.cli rahasia" in err and "NOL_EKSTREM_SECRET_FILE" in err
    assert not db.exists()  # refused before the store was even created
    assert not (tmp_path / "inbox").exists() and not (tmp_path / "archive").exists()


@no_secret
def test_cli_intervention_import_without_a_secret_exits_non_zero(tmp_path, catalog, capsys):  # noqa: F811
    db = tmp_path / "asli.duckdb"
    code = cli.main(
        ["--db", str(db), "intervensi", str(write_itv(tmp_path / "d.csv", DISKOP)), "--opd", "DISKOPUKM"]
    )
    assert code == 2
    assert "rahasia" in capsys.readouterr().err
    assert not db.exists()


@no_secret
def test_every_importer_refuses_a_real_file_under_the_demo_key(store, tmp_path, catalog, monkeypatch):  # noqa: F811
    with pytest.raises(registry.ImportRefused, match="analytics.cli rahasia"):
        registry.import_file(store, write_csv(tmp_path / "p3ke.csv", BASE), D0)
    with pytest.raises(interventions.ImportRefused, match="analytics.cli rahasia"):
        interventions.import_file(store, write_itv(tmp_path / "d.csv", DISKOP), "DISKOPUKM")
    with pytest.raises(registry.ImportRefused, match="analytics.cli rahasia"):
        population.import_file(store, write_population(tmp_path / "pop.csv", GOOD))
    # a file checked while a key was set is refused at commit once the key is gone
    monkeypatch.setenv("NOL_EKSTREM_SECRET", "kunci-sementara-untuk-uji-0123456789")
    prepared = registry.prepare_file(
        store, write_csv(tmp_path / "p3ke.csv", BASE).read_bytes(), "p3ke.csv", D0
    )
    monkeypatch.delenv("NOL_EKSTREM_SECRET")
    with pytest.raises(registry.ImportRefused, match="NOL_EKSTREM_SECRET"):
        registry.commit(store, prepared)
    # the documented demo key set by hand is still the demo key
    monkeypatch.setenv("NOL_EKSTREM_SECRET", config.DEMO_SECRET)
    with pytest.raises(registry.ImportRefused, match="rahasia"):
        registry.commit(store, prepared)
    for table in ("snapshot", "person", "intervensi", "population"):
        assert store.scalar(f"select count(*) from {table}") == 0  # noqa: S608


def test_the_demo_build_runs_under_the_demo_key(demo_db):
    store = Store.open(demo_db)
    try:
        assert bootstrap.snapshot_count(store) > 1
        assert store.scalar("select bool_and(is_demo) from snapshot")
    finally:
        store.close()


@no_secret
def test_a_missing_or_empty_secret_file_is_an_error_not_the_demo_key(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NOL_EKSTREM_SECRET_FILE", str(tmp_path / "tidak-ada.key"))
    with pytest.raises(config.SecretUnreadable, match="tidak-ada.key"):
        config.nik_secret()
    db = tmp_path / "asli.duckdb"
    args = ["--db", str(db), "impor", str(write_csv(tmp_path / "p3ke.csv", BASE)), "--tanggal", "2022-11-30"]
    assert cli.main(args) == 2
    assert "tidak-ada.key" in capsys.readouterr().err
    (tmp_path / "kosong.key").write_text("\n")
    monkeypatch.setenv("NOL_EKSTREM_SECRET_FILE", str(tmp_path / "kosong.key"))
    with pytest.raises(config.SecretUnreadable, match="kosong"):
        config.nik_secret()


@no_secret
def test_rahasia_writes_a_private_random_key_and_never_overwrites(tmp_path, monkeypatch, capsys):
    path = tmp_path / "kunci" / "rahasia.key"
    assert cli.main(["rahasia", "--berkas", str(path)]) == 0
    assert f"NOL_EKSTREM_SECRET_FILE={path}" in capsys.readouterr().out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    value = path.read_text().strip()
    assert len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))) >= 32  # at least 256 bits
    other = tmp_path / "lain.key"
    assert cli.main(["rahasia", "--berkas", str(other)]) == 0
    assert other.read_text() != path.read_text()
    capsys.readouterr()
    assert cli.main(["rahasia", "--berkas", str(path)]) == 1
    assert "sudah ada" in capsys.readouterr().err
    assert path.read_text().strip() == value
    # the key file is what the importers then use
    monkeypatch.setenv("NOL_EKSTREM_SECRET_FILE", str(path))
    assert config.nik_secret() == (value.encode(), False)
    db = tmp_path / "asli.duckdb"
    args = ["--db", str(db), "impor", str(write_csv(tmp_path / "p3ke.csv", BASE)), "--tanggal", "2022-11-30"]
    assert cli.main(args) == 0


@no_secret
def test_rahasia_default_path_is_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    assert cli.main(["rahasia"]) == 0
    assert stat.S_IMODE((tmp_path / "rahasia.key").stat().st_mode) == 0o600


def _real_store(tmp_path, monkeypatch) -> None:
    """A store holding one real snapshot (imported under a key), then the key is removed, as when the
    app is started without its secret."""
    db = tmp_path / "asli.duckdb"
    monkeypatch.setenv("NOL_EKSTREM_DB", str(db))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_USERS", str(tmp_path / "pengguna.json"))
    monkeypatch.setenv("NOL_EKSTREM_SECRET", "kunci-sementara-untuk-uji-0123456789")
    store = Store.open(db)
    registry.import_file(store, write_csv(tmp_path / "p3ke.csv", BASE), D0)
    store.close()
    monkeypatch.delenv("NOL_EKSTREM_SECRET")


@no_secret
def test_sign_in_page_has_no_demo_accounts_when_the_store_holds_real_data(tmp_path, monkeypatch):
    _real_store(tmp_path, monkeypatch)
    at = AppTest.from_file(page_path("masuk.py"), default_timeout=60).run()
    assert not at.exception
    assert not any("dinsos-demo" in i.value for i in at.info)
    assert not (tmp_path / "pengguna.json").exists()  # no demo account was created


@no_secret
def test_sign_in_page_lists_demo_accounts_for_the_demo_build_only(demo_app, tmp_path, monkeypatch):
    monkeypatch.setenv("NOL_EKSTREM_USERS", str(tmp_path / "pengguna.json"))
    at = AppTest.from_file(page_path("masuk.py"), default_timeout=60).run()
    assert not at.exception
    assert any("`dinsos` / `dinsos-demo`" in i.value for i in at.info)


def test_first_real_import_disables_the_demo_accounts_and_logs_it(store, tmp_path, monkeypatch):
    from analytics.store import audit

    monkeypatch.setenv("NOL_EKSTREM_USERS", str(tmp_path / "pengguna.json"))
    auth.ensure_demo_accounts()
    auth.add_user("sri", "dinsos", "kata-sandi-sri")
    registry.import_file(store, write_csv(tmp_path / "p3ke.csv", BASE), D0, user="sri")
    users = auth.load_users()
    assert [n for n in auth.DEMO_ACCOUNTS if users[n]["aktif"]] == []
    assert users["sri"]["aktif"]
    with pytest.raises(auth.AuthError):
        auth.verify_password("dinsos", "dinsos-demo")
    log = audit.entries(store)
    disabled = log[log["Keterangan"].str.contains("akun contoh dinonaktifkan", na=False)]
    assert len(disabled) == 1
    assert disabled.iloc[0]["Objek"] == "walikota, dinsos, opd_diskop, admin"
    assert audit.verify_chain(store) is None
    history = store.query("import_history", limit=10)
    assert "akun contoh dinonaktifkan" in " ".join(history["message"])
    # a demo account whose password was changed is a real account: it stays
    auth.set_active("admin", True)
    auth.reset_password("admin", "sandi-baru-admin")
    registry.import_file(store, write_csv(tmp_path / "p3ke2.csv", BASE[:4]), date(2022, 12, 31), user="sri")
    assert auth.load_users()["admin"]["aktif"]


@no_secret
def test_app_with_an_unreadable_key_file_says_so_and_serves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "t.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_USERS", str(tmp_path / "pengguna.json"))
    monkeypatch.setenv("NOL_EKSTREM_SECRET_FILE", str(tmp_path / "hilang.key"))
    at = AppTest.from_file(page_path("masuk.py"), default_timeout=60).run()
    assert not at.exception
    assert any("hilang.key" in e.value for e in at.error)
    assert not at.text_input  # no sign-in form, no demo store built
    assert cli.main(["--db", str(tmp_path / "t.duckdb"), "bangun-ulang"]) == 2
