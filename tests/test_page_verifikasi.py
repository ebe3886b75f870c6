"""AppTests of the Verifikasi page (per-kelurahan progress, overdue list, the kelurahan sheet, import) and
of the verification block on the family profile: each role sees what it may, DinsosPM imports a sheet
and records one result on the profile."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from analytics.access import auth
from analytics.access.auth import User
from analytics.ingest import registry, verval_template
from analytics.profiles import family
from analytics.store import settings
from analytics.store.db import Store
from tests.conftest import PASSWORD
from tests.helpers import BASE, login, page_path, write_csv
from tests.test_verval import ALL_YES, DINSOS, RAWA, entry, fill

D0 = date(2024, 1, 31)
TODAY = date(2024, 6, 30)


@pytest.fixture
def app_env(tmp_path, monkeypatch, accounts):
    """A store file with the five-person snapshot (K1 in Sungai Siring Pelita, K2 Rawa Makmur, K3 Handil
    Bakti), a camat of Palaran and a lurah of Rawa Makmur; today is 30 June 2024."""
    db = tmp_path / "page.duckdb"
    monkeypatch.setenv("NOL_EKSTREM_DB", str(db))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    monkeypatch.setattr(settings, "today", lambda: TODAY)  # results of March 2024 are recent
    store = Store.open(db)
    registry.import_file(store, write_csv(tmp_path / "snap.csv", BASE), D0, user="uji")
    store.close()
    auth.add_user("camat1", "kecamatan:64.72.01", PASSWORD)
    auth.add_user("lurah1", "kelurahan:64.72.01.1001", PASSWORD)
    return db


def page(user: str) -> AppTest:
    at = login(AppTest.from_file(page_path("verifikasi.py"), default_timeout=120), user).run()
    assert not at.exception, at.exception
    return at


def kelurahan_table(at: AppTest):
    return next(d.value for d in at.dataframe if "Persen terverifikasi" in d.value.columns)


def test_dinsos_sees_the_city_downloads_a_sheet_and_imports_it(app_env):
    at = page("dinsos1")
    assert at.title[0].value == "Verifikasi dan validasi (verval) keluarga"
    table = kelurahan_table(at)
    assert table[["Kelurahan", "Keluarga di daftar", "Sudah diverifikasi"]].values.tolist() == [
        ["Rawa Makmur", "1", "0"],
        ["Handil Bakti", "1", "0"],
        ["Sungai Siring Pelita", "1", "0"],
    ]
    late = next(d.value for d in at.dataframe if "Hasil terakhir" in d.value.columns)
    assert sorted(late["ID Keluarga"]) == ["K1", "K2", "K3"]
    at.selectbox(key="verval_kelurahan").set_value(RAWA).run()
    assert not at.exception
    assert at.get("download_button")  # the kelurahan's sheet

    store = Store.open(app_env)
    sheet = fill(verval_template.build(store, DINSOS, RAWA), [("K2", entry("Graduasi") | ALL_YES)])
    store.close()
    at.file_uploader(key="verval_up_upload").set_value(
        ("verval_rawa.xlsx", sheet, "application/octet-stream")
    )
    at.run()
    at.button(key="verval_up_check").click().run()
    assert not at.exception
    assert "1 hasil verifikasi lolos pemeriksaan" in at.success[0].value
    at.button(key="verval_up_commit").click().run()
    assert not at.exception, at.exception
    assert any("1 hasil verifikasi tersimpan" in s.value for s in at.success)
    table = kelurahan_table(at).set_index("Kelurahan")
    assert table.loc["Rawa Makmur", "Sudah diverifikasi"] == "1"
    assert table.loc["Rawa Makmur", "Persen terverifikasi"] == "100,0"
    late = next(d.value for d in at.dataframe if "Hasil terakhir" in d.value.columns)
    assert sorted(late["ID Keluarga"]) == ["K1", "K3"]


def test_a_bad_sheet_is_refused_on_the_page_naming_row_and_column(app_env):
    at = page("dinsos1")
    store = Store.open(app_env)
    sheet = fill(verval_template.build(store, DINSOS, RAWA), [("K2", entry("Naik kelas"))])
    store.close()
    at.file_uploader(key="verval_up_upload").set_value(("salah.xlsx", sheet, "application/octet-stream"))
    at.run()
    at.button(key="verval_up_check").click().run()
    assert "salah.xlsx ditolak" in at.error[0].value
    issues = next(d.value for d in at.dataframe if "Pesan" in d.value.columns)
    assert issues[["Baris", "Kolom"]].values.tolist() == [["4", "Hasil Verifikasi"]]
    assert not [b for b in at.button if b.key == "verval_up_commit"]


def test_area_roles_see_their_area_and_walikota_the_table_only(app_env):
    camat = page("camat1")
    assert sorted(kelurahan_table(camat)["Kelurahan"]) == ["Handil Bakti", "Rawa Makmur"]
    late = next(d.value for d in camat.dataframe if "Hasil terakhir" in d.value.columns)
    assert sorted(late["ID Keluarga"]) == ["K2", "K3"]
    assert camat.get("download_button") and not camat.get("file_uploader")
    lurah = page("lurah1")
    assert kelurahan_table(lurah)["Kelurahan"].tolist() == ["Rawa Makmur"]
    assert lurah.selectbox(key="verval_kelurahan").options == ["Rawa Makmur (Palaran)"]
    walikota = page("walikota1")
    assert len(kelurahan_table(walikota)) == 3
    assert not any("Hasil terakhir" in d.value.columns for d in walikota.dataframe)
    assert not walikota.get("file_uploader") and not [s for s in walikota.selectbox]
    opd = page("opd1")
    assert "tidak tersedia untuk peran Anda" in opd.error[0].value and not opd.dataframe


def test_dinsos_records_a_result_on_the_family_profile(app_env):
    at = login(AppTest.from_file(page_path("keluarga.py"), default_timeout=120), "dinsos1")
    at.query_params[family.QUERY_PARAM] = "K2"
    at.run()
    assert not at.exception, at.exception
    assert "belum punya hasil verifikasi" in " ".join(c.value for c in at.caption)
    at.selectbox(key="keluarga_vv_hasil").set_value("graduasi").run()
    at.date_input(key="keluarga_vv_tanggal").set_value(date(2024, 3, 5))
    at.selectbox(key="keluarga_vv_dasar").set_value("sptjm")
    at.text_input(key="keluarga_vv_nomor").input("12/SPTJM/2024")
    at.text_input(key="keluarga_vv_petugas").input("Bu Sari")
    for kode in ("ekonomi", "sosial", "pendidikan", "kesehatan", "rumah"):
        at.checkbox(key=f"keluarga_vv_cek_{kode}").check()
    at.button(key="keluarga_vv_simpan").click().run()
    assert not at.exception, at.exception
    assert any("Hasil verifikasi tersimpan" in s.value for s in at.success)
    history = next(d.value for d in at.dataframe if "Daftar periksa" in d.value.columns)
    assert history[
        ["Tanggal verifikasi", "Hasil verifikasi", "Dasar", "Daftar periksa", "Lengkap"]
    ].values.tolist() == [["5 Mar 2024", "Graduasi", "SPTJM", "5/6", "Tidak"]]
    store = Store.open(app_env)
    assert store.query("verval_family", id_keluarga="K2")["sumber"].tolist() == ["profil"]
    store.close()
    lurah = login(AppTest.from_file(page_path("keluarga.py"), default_timeout=120), "lurah1")
    lurah.query_params[family.QUERY_PARAM] = "K2"
    lurah.run()
    assert not lurah.exception
    assert any("Daftar periksa" in d.value.columns for d in lurah.dataframe)  # sees the history
    assert not [b for b in lurah.button if b.key == "keluarga_vv_simpan"]  # but records nothing


def test_the_downloaded_sheet_holds_the_kelurahan_families(app_env):
    store = Store.open(app_env)
    wb = load_workbook(
        io.BytesIO(verval_template.build(store, User("lurah1", "kelurahan:64.72.01.1001"), RAWA))
    )
    store.close()
    ids = [
        r[0] for r in wb.active.iter_rows(min_row=verval_template.TITLE_ROWS + 2, values_only=True) if r[0]
    ]
    assert ids == ["K2"]
