"""AppTests of Profil Wilayah (pages/wilayah.py): a kecamatan's and a kelurahan's own profile, opened
by ?kode= (from Peta and its tables), for the camat, the lurah and DinsosPM on the demo store."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import auth
from analytics.profiles import area as area_profile
from analytics.store.db import Store
from tests.conftest import PASSWORD
from tests.helpers import login, page_path

PALARAN = "64.72.01"
RAWA_MAKMUR = "64.72.01.1001"
SUNGAI_SIRING = "64.72.05.1004"


@pytest.fixture
def area_accounts(accounts):
    """The shared accounts plus a camat of Palaran and a lurah of Rawa Makmur."""
    auth.add_user("camat1", f"kecamatan:{PALARAN}", PASSWORD)
    auth.add_user("lurah1", f"kelurahan:{RAWA_MAKMUR}", PASSWORD)
    return accounts


def run(user: str, kode: str | None = None) -> AppTest:
    at = AppTest.from_file(page_path("wilayah.py"), default_timeout=120)
    if kode:
        at.query_params["kode"] = kode
    at = login(at, user).run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def frame_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def expected(demo_db, code: str):
    """The area's figures from the profile's builders on the store itself."""
    store = Store.open(demo_db)
    try:
        areas = area_profile.all_areas(store)
        area = areas[code]
        df = area_profile.progress(store, area)
        dates = list(df["as_of"])
        ch = area_profile.change(store, area, dates[-2], dates[-1])
        kel = area_profile.kelurahan_in(store, area, dates[-1])
    finally:
        store.close()
    return df, ch, kel


def test_camat_opens_on_their_kecamatan_with_progress_change_reach_and_pockets(demo_app, area_accounts):
    df, ch, kel = expected(demo_app, PALARAN)
    at = run("camat1")
    assert at.selectbox(key="wilayah_kode").value == PALARAN  # their own area first
    assert at.title[0].value == "Profil Kec. Palaran"
    assert at.query_params["kode"] == PALARAN
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "Palaran" in chart["layout"]["title"]["text"]
    assert metric(at, "Orang di daftar") == f"{ch.end:,}".replace(",", ".")
    assert any("Perubahan sejak rapat terakhir" in s.value for s in at.subheader)
    reach = frame_with(at, "Keluarga terjangkau OPD")
    assert reach["OPD"].iloc[0] == "Semua OPD"
    assert not reach["OPD"].str.fullmatch(r"[A-Z0-9]+").any()  # OPD names, never codes
    pockets = frame_with(at, "Peringkat")
    assert set(pockets["Kelurahan"]) == set(kel["kelurahan"])  # the kelurahan below Palaran
    assert pockets["Kecamatan"].eq("Palaran").all()


def test_lurah_profile_of_a_kelurahan_from_a_link_and_named_families_only_at_home(demo_app, area_accounts):
    at = run("lurah1")
    assert at.selectbox(key="wilayah_kode").value == RAWA_MAKMUR
    assert at.title[0].value == "Profil Kel. Rawa Makmur, Kec. Palaran"
    families = frame_with(at, "ID Keluarga P3KE")
    assert families["Kelurahan"].eq("Rawa Makmur").all() and len(families) > 0
    assert not any("Peringkat" in d.value.columns for d in at.dataframe)  # no pockets below a kelurahan

    other = run("lurah1", kode=SUNGAI_SIRING.replace(".", ""))  # a link with the code's digits
    assert other.selectbox(key="wilayah_kode").value == SUNGAI_SIRING
    assert "Sungai Siring" in other.title[0].value
    assert not any("ID Keluarga P3KE" in d.value.columns for d in other.dataframe)  # not their area


def test_unknown_code_in_the_link_says_so_and_dinsos_opens_any_area(demo_app, area_accounts):
    at = run("dinsos1", kode="999")
    assert any("tidak dikenal" in w.value for w in at.warning)
    assert at.selectbox(key="wilayah_kode").value == PALARAN
    at.selectbox(key="wilayah_kode").set_value("64.72.05").run()
    assert not at.exception
    assert at.title[0].value == "Profil Kec. Samarinda Utara"
    assert at.query_params["kode"] == "64.72.05"
