"""AppTest of the Data & Impor page: upload a good file, then a bad one."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import BASE, login, page_path, write_csv


@pytest.fixture
def app_env(tmp_path, monkeypatch, accounts):
    """An empty store in tmp_path, demo loading switched off."""
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "page.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    return tmp_path


def test_upload_good_file_then_bad_file(app_env):
    at = login(AppTest.from_file(page_path("data_impor.py"), default_timeout=60), "dinsos1").run()
    assert not at.exception
    assert at.title[0].value == "Data & Impor"

    good = write_csv(app_env / "baseline.csv", BASE).read_bytes()
    at.file_uploader(key="data_upload").set_value(("baseline.csv", good, "text/csv"))
    at.date_input(key="data_as_of").set_value(date(2022, 11, 30))
    at.run()
    at.button(key="data_check").click().run()
    assert not at.exception
    assert "5 baris lolos pemeriksaan" in at.success[0].value
    preview = at.dataframe[1].value
    assert preview.iloc[0].tolist() == ["Masuk baru (temuan verifikasi)", "5"]
    at.button(key="data_commit").click().run()
    assert not at.exception
    assert any("diimpor: 5 orang aktif, 3 keluarga" in s.value for s in at.success)
    snapshots = at.dataframe[0].value
    assert snapshots[["Data per tanggal", "Orang di daftar", "Keluarga di daftar"]].values.tolist() == [
        ["30 Nov 2022", "5", "3"]
    ]

    rows = [r.copy() for r in BASE]
    rows[2][5] = "64720141019000"  # 14 digits
    bad = write_csv(app_env / "rusak.csv", rows).read_bytes()
    at.file_uploader(key="data_upload").set_value(("rusak.csv", bad, "text/csv"))
    at.date_input(key="data_as_of").set_value(date(2022, 12, 31))
    at.run()
    at.button(key="data_check").click().run()
    assert not at.exception
    assert "rusak.csv ditolak" in at.error[0].value
    issues = next(d.value for d in at.dataframe if "Pesan" in d.value.columns)
    assert issues[["Baris", "Kolom"]].values.tolist() == [["4", "NIK"]]
    assert "16 digit" in issues.iloc[0]["Pesan"]
    assert not [b for b in at.button if b.key == "data_commit"]
    history = at.dataframe[-1].value
    assert history["Hasil"].tolist()[:2] == ["Ditolak", "Diimpor"]
    assert at.dataframe[0].value["Orang di daftar"].tolist() == ["5"]


def test_page_imports_and_refusals_are_audited(app_env):
    from analytics.store import audit
    from analytics.store.db import Store

    at = login(AppTest.from_file(page_path("data_impor.py"), default_timeout=60), "dinsos1").run()
    good = write_csv(app_env / "baseline.csv", BASE).read_bytes()
    at.file_uploader(key="data_upload").set_value(("baseline.csv", good, "text/csv"))
    at.date_input(key="data_as_of").set_value(date(2022, 11, 30))
    at.run()
    at.button(key="data_check").click().run()
    at.button(key="data_commit").click().run()
    rows = [r.copy() for r in BASE]
    rows[0][1] = "6471011001"  # outside Samarinda
    bad = write_csv(app_env / "luar.csv", rows).read_bytes()
    at.file_uploader(key="data_upload").set_value(("luar.csv", bad, "text/csv"))
    at.run()
    at.button(key="data_check").click().run()
    assert not at.exception
    store = Store.open(app_env / "page.duckdb")
    log = store.query("audit_chain")
    assert log[["user_name", "action", "object"]].values.tolist() == [
        ["dinsos1", "impor", "baseline.csv"],
        ["dinsos1", "impor_ditolak", "luar.csv"],
    ]
    assert log["sha256"].str.len().tolist() == [64, 64]
    assert audit.verify_chain(store) is None
