"""A snapshot that would remove more than a set share of the list needs an explicit confirmation
(issue 14, item 15: a 9-row file once marked 4,320 people as leaving, silently)."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics import cli
from analytics.ingest import registry
from analytics.store import settings
from analytics.store.db import Store
from tests.helpers import BASE, login, page_path, write_csv

D0, D1 = date(2022, 11, 30), date(2022, 12, 31)


def snapshots(store) -> list:
    return [d.isoformat() for d in store.query("snapshot_list")["as_of"].dt.date]


def test_a_snapshot_removing_more_than_20_percent_needs_confirmation(store, tmp_path):
    registry.import_file(store, write_csv(tmp_path / "a.csv", BASE), D0)
    short = write_csv(tmp_path / "b.csv", BASE[:3])  # Dodi and Euis missing: 2 of 5 leave (40%)
    with pytest.raises(registry.ImportRefused, match=r"2 dari 5 orang di daftar \(40,0%\).*20%"):
        registry.import_file(store, short, D1)
    assert snapshots(store) == ["2022-11-30"]
    result = registry.import_file(store, short, D1, confirmed=True)
    assert result.people_active == 3 and snapshots(store) == ["2022-11-30", "2022-12-31"]


def test_one_in_five_leaving_is_within_the_limit_and_the_limit_is_a_setting(store, tmp_path):
    registry.import_file(store, write_csv(tmp_path / "a.csv", BASE), D0)
    registry.import_file(store, write_csv(tmp_path / "b.csv", BASE[:4]), D1)  # 1 of 5: 20%, not more
    settings.put(store, "max_removed_percent", "50")
    registry.import_file(store, write_csv(tmp_path / "c.csv", BASE[:2]), date(2023, 1, 31))  # 2 of 4
    assert len(snapshots(store)) == 3


def test_cli_refuses_a_mass_exit_without_yakin_and_imports_with_it(tmp_path, capsys):
    db = tmp_path / "t.duckdb"
    base = ["--db", str(db), "impor"]
    assert cli.main([*base, str(write_csv(tmp_path / "a.csv", BASE)), "--tanggal", "2022-11-30"]) == 0
    short = str(write_csv(tmp_path / "b.csv", BASE[:1]))
    capsys.readouterr()
    assert cli.main([*base, short, "--tanggal", "2022-12-31"]) == 2
    assert "4 dari 5 orang" in capsys.readouterr().err
    assert cli.main([*base, short, "--tanggal", "2022-12-31", "--yakin"]) == 0
    store = Store.open(db)
    try:
        assert snapshots(store) == ["2022-11-30", "2022-12-31"]
    finally:
        store.close()
    # the archive replay is not blocked by the confirmation it already had
    assert cli.main(["--db", str(db), "bangun-ulang"]) == 0


def test_data_page_asks_for_confirmation_before_a_mass_exit(tmp_path, monkeypatch, accounts):
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "page.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    store = Store.open(tmp_path / "page.duckdb")
    registry.import_file(store, write_csv(tmp_path / "a.csv", BASE), D0)
    store.close()
    at = login(AppTest.from_file(page_path("data_impor.py"), default_timeout=60), "dinsos1").run()
    short = write_csv(tmp_path / "b.csv", BASE[:3]).read_bytes()
    at.file_uploader(key="data_upload").set_value(("b.csv", short, "text/csv"))
    at.date_input(key="data_as_of").set_value(D1)
    at.run()
    at.button(key="data_check").click().run()
    assert not at.exception
    assert any("2 dari 5 orang di daftar (40,0%)" in w.value for w in at.warning)
    at.button(key="data_commit").click().run()
    assert not at.exception
    assert any("2 dari 5 orang" in e.value and "saya yakin" in e.value for e in at.error)
    assert at.dataframe[0].value["Data per tanggal"].tolist() == ["30 Nov 2022"]
    at.checkbox(key="data_yakin").check().run()
    at.button(key="data_commit").click().run()
    assert not at.exception
    assert at.dataframe[0].value["Data per tanggal"].tolist() == ["30 Nov 2022", "31 Des 2022"]


def test_admin_sets_the_limit(tmp_path, monkeypatch, accounts):
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "page.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    at = login(AppTest.from_file(page_path("admin.py"), default_timeout=60), "admin1").run()
    assert at.number_input(key="admin_max_removed").value == 20
    at.number_input(key="admin_max_removed").set_value(35).run()
    at.button(key="admin_save").click().run()
    assert not at.exception
    store = Store.open(tmp_path / "page.duckdb")
    try:
        assert settings.max_removed_percent(store) == 35
    finally:
        store.close()
