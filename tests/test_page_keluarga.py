"""AppTests of the family search and the Profil keluarga page (issue 16): search, open, refuse, audit.

The fixture store is tests/test_interventions.py's (families K1-K4, three OPD files); the last test
uses the demo store, where a common name finds more families than a search shows.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analytics.profiles import family
from analytics.store.db import Store
from tests.helpers import ROOT, login, page_path
from tests.test_interventions import ANI, FAJAR, catalog, page_store  # noqa: F401

PAGE_FIELD = "keluarga_halaman_keluarga_teks"
# The page's tables in order: members, on/off dates, per OPD x programme, every record, BLT.
SIDEBAR_FIELD = "cari_keluarga_teks"


def page(user: str, keluarga: str | None = None) -> AppTest:
    at = login(AppTest.from_file(page_path("keluarga.py"), default_timeout=120), user)
    if keluarga is not None:
        at.query_params[family.QUERY_PARAM] = keluarga
    at.run()
    assert not at.exception, at.exception
    return at


def search(at: AppTest, field: str, text: str) -> AppTest:
    at.text_input(key=field).input(text)
    form = field.removesuffix("_teks")
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}")).click()
    at.run()
    assert not at.exception, at.exception
    return at


def audit_actions(db) -> list[tuple[str, str, str]]:
    store = Store.open(db)
    try:
        df = store.query("audit_list", action=None, limit=100).iloc[::-1]
        return [
            (a, u, o)
            for a, u, o in zip(df["action"], df["user_name"], df["object"], strict=True)
            if a in ("cari_keluarga", "lihat_keluarga")
        ]
    finally:
        store.close()


def test_dinsos_searches_a_name_and_lands_on_the_family_profile(page_store):  # noqa: F811
    at = page("dinsos1")
    assert at.title[0].value == "Profil keluarga"
    assert "Cari keluarga" in at.info[0].value
    search(at, PAGE_FIELD, "udi")
    assert at.query_params[family.QUERY_PARAM] == "K1"
    assert at.title[0].value == "Profil keluarga K1"
    assert "Kel. Sungai Siring Pelita, Kec. Samarinda Utara · di daftar" in at.markdown[0].value
    members = at.dataframe[0].value
    assert members["Nama"].tolist() == ["Ani", "Budi"]
    assert members["NIK (tersamar)"].tolist() == ["647205**********"] * 2
    changes = at.dataframe[1].value["Perubahan"].tolist()
    assert changes[-1] == "Keluar — Graduasi (lepas dari miskin ekstrem)"
    programmes = at.dataframe[2].value
    assert programmes["Nilai"].tolist() == ["Rp 600.000", "Rp 2.500.000"]
    assert at.dataframe[4].value["Sisa"].tolist() == ["Rp 2.400.000"]
    # the profile itself has no search field (the sidebar has, via app.py); DinsosPM's only text fields
    # are the verification form's and the note of the extreme-poor flag (issue 19)
    assert {w.key for w in at.text_input} == {
        "keluarga_vv_nomor",
        "keluarga_vv_petugas",
        "keluarga_tanda_catatan",
    }
    assert audit_actions(page_store) == [
        ("cari_keluarga", "dinsos1", "teks 'udi'"),
        ("lihat_keluarga", "dinsos1", "ID Keluarga K1"),
    ]


def test_an_opd_cannot_open_a_family_it_holds_no_record_for(page_store):  # noqa: F811
    at = page("opd1", "K4")  # only Disperkim serves K4
    assert "di luar cakupan akses Anda" in at.error[0].value
    assert not any(d for d in at.dataframe)
    search(at, PAGE_FIELD, FAJAR)
    assert "Tidak ada keluarga yang cocok" in at.caption[-1].value
    at = page("opd1", "K1")  # Budi's UEP
    assert at.title[0].value == "Profil keluarga K1"
    assert audit_actions(page_store)[-1] == ("lihat_keluarga", "opd1", "ID Keluarga K1")


def test_walikota_gets_no_search_and_no_profile(page_store):  # noqa: F811
    at = page("walikota1", "K1")
    assert "data pribadi" in at.error[0].value
    assert not at.text_input and not at.dataframe
    assert audit_actions(page_store) == []


def test_the_sidebar_has_the_search_field_only_for_roles_with_named_access(page_store):  # noqa: F811
    # AppTest does not rerun app.py after its first run (st.navigation), so the search through the
    # sidebar itself is driven in the browser: tests/browser/test_daily_use_family.py.
    fields = {}
    for user in ("walikota1", "dinsos1", "opd1", "admin1"):
        at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), user).run()
        assert not at.exception, at.exception
        fields[user] = [w.key for w in at.sidebar.text_input]
    assert fields == {"walikota1": [], "dinsos1": [SIDEBAR_FIELD], "opd1": [SIDEBAR_FIELD], "admin1": []}


def test_a_common_name_lists_the_first_families_and_opens_the_one_chosen(demo_app, accounts):
    at = page("dinsos1")
    search(at, PAGE_FIELD, "siti")
    assert "keluarga ditemukan;" in at.caption[-1].value and "pertama ditampilkan" in at.caption[-1].value
    choices = [b for b in at.button if b.key and b.key.startswith("keluarga_halaman_buka_")]
    assert len(choices) == family.CAP
    chosen = choices[3].key.removeprefix("keluarga_halaman_buka_")
    choices[3].click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == f"Profil keluarga {chosen}"
    assert any("siti" in name.lower() for name in at.dataframe[0].value["Nama"])
