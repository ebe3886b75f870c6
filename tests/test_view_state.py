"""The view lives in the URL: a page's filters round-trip through the query, a copied link opens the
same view, a filter chosen on one page stays chosen on the others, and a bad link falls back."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from tests.helpers import login, page_path

UTARA = "64.72.05"
KEL = "64.72.05.1004"


def page(name: str, user: str = "dinsos1", query: dict | None = None) -> AppTest:
    at = login(AppTest.from_file(page_path(name), default_timeout=120), user)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_peta_filters_are_written_to_the_url(demo_app, accounts):
    at = page("peta.py")
    assert "kec" not in at.query_params  # defaults stay out of the link
    at.selectbox(key="peta_kecamatan").set_value(UTARA).run()
    at.selectbox(key="peta_metric").set_value("persen_turun").run()
    at.radio(key="peta_mode").set_value("perubahan").run()
    assert not at.exception
    assert at.query_params["kec"] == UTARA
    assert at.query_params["ukuran"] == "persen_turun"
    assert at.query_params["tampilan"] == "perubahan"
    at.selectbox(key="peta_kecamatan").set_value("").run()  # back to the whole city: out of the link
    assert "kec" not in at.query_params


def test_a_copied_link_opens_the_same_view(demo_app, accounts):
    at = page("peta.py", query={"kec": UTARA, "ukuran": "persen_turun", "tanggal": "2024-11-30"})
    assert at.selectbox(key="peta_kecamatan").value == UTARA
    assert at.selectbox(key="peta_metric").value == "persen_turun"
    assert at.select_slider(key="peta_date").value == date(2024, 11, 30)


def test_invalid_values_in_a_link_fall_back_to_the_defaults(demo_app, accounts):
    at = page("peta.py", query={"kec": "99.99", "ukuran": "<script>", "tanggal": "kemarin", "rentang": "a~b"})
    assert at.selectbox(key="peta_kecamatan").value == ""
    assert at.selectbox(key="peta_metric").value == "orang"
    bad = page("intervensi_opd.py", query={"tab": "42", "opd": "TIDAKADA", "tanggal": "2024-02-30"})
    assert bad.selectbox(key="intervensi_opd").value is None


def test_a_kecamatan_chosen_on_one_page_stays_chosen_on_the_others(demo_app, accounts):
    at = login(AppTest.from_file(page_path("../app.py"), default_timeout=120), "dinsos1").run()
    at.switch_page("pages/burndown.py").run()
    at.selectbox(key="burndown_kecamatan").set_value(UTARA).run()
    at.selectbox(key="burndown_kelurahan").set_value(KEL).run()
    assert at.query_params["kec"] == UTARA and at.query_params["kel"] == KEL
    at.query_params.clear()  # a page switch clears the query (Streamlit does this in the browser)
    at.switch_page("pages/peta.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="peta_kecamatan").value == UTARA
    assert at.query_params["kec"] == UTARA  # and the new page's link carries it
    at.query_params.clear()
    at.switch_page("pages/perubahan.py").run()
    assert at.selectbox(key="perubahan_kecamatan").value == UTARA
    assert at.selectbox(key="perubahan_kelurahan").value == KEL
    at.selectbox(key="perubahan_kecamatan").set_value(None).run()  # changed here ...
    at.query_params.clear()
    at.switch_page("pages/burndown.py").run()
    assert at.selectbox(key="burndown_kecamatan").value is None  # ... is changed on coming back


def test_the_open_tab_and_the_language_live_in_the_link(demo_app, accounts):
    at = page("intervensi_opd.py", query={"tab": "3"})
    assert at.session_state["intervensi_tab"] == at.tabs[3].label
    app = login(AppTest.from_file(page_path("../app.py"), default_timeout=120), "dinsos1")
    app.query_params["bahasa"] = "en"
    app.run()
    assert not app.exception, app.exception
    assert app.radio(key="app_bahasa").value == "en"
    assert app.button(key="app_sign_out").label == "Sign out"


def rencana(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Rencana")


def test_perubahan_change_type_lives_in_the_link(demo_app, accounts):
    """A link opens the list of that change only; a change is written back."""
    graduasi = ("keluar", "graduasi")
    at = page("perubahan.py", query={"jenis": "keluar~graduasi"})
    assert at.selectbox(key="perubahan_jenis").value == graduasi
    assert set(at.dataframe[0].value["Perubahan"]) == {"Keluar — Graduasi (lepas dari miskin ekstrem)"}
    at.selectbox(key="perubahan_jenis").set_value(("masuk_baru", None)).run()
    assert at.query_params["jenis"] == "masuk_baru~"
    assert set(at.dataframe[0].value["Perubahan"]) == {"Masuk baru (temuan verifikasi)"}
    at.selectbox(key="perubahan_jenis").set_value(None).run()  # all changes: the default, out of the link
    assert "jenis" not in at.query_params


def test_intervensi_budget_programme_lives_in_the_link(demo_app, accounts):
    at = page("intervensi_opd.py", query={"tab": "6"})
    default_plan = rencana(at)
    assert "program" not in at.query_params
    at.selectbox(key="intervensi_program").set_value("BLT-2023").run()
    assert at.query_params["program"] == "BLT-2023"
    chosen_plan = rencana(at)
    assert chosen_plan != default_plan
    linked = page("intervensi_opd.py", query={"tab": "6", "program": "BLT-2023"})
    assert linked.selectbox(key="intervensi_program").value == "BLT-2023"
    assert rencana(linked) == chosen_plan


def test_rapat_presentation_mode_lives_in_the_link(demo_app, accounts):
    """A link opens the projector view: one finding fills the screen."""
    at = page("rapat.py", query={"presentasi": "1"})
    assert at.toggle(key="rapat_presentasi").value is True
    assert not at.title and at.button(key="rapat_next")
    at.toggle(key="rapat_presentasi").set_value(False).run()
    assert "presentasi" not in at.query_params and at.title
    at.toggle(key="rapat_presentasi").set_value(True).run()
    assert at.query_params["presentasi"] == "1" and not at.title


def test_bad_change_kind_programme_and_presentation_links_fall_back(demo_app, accounts):
    at = page("perubahan.py", query={"jenis": "keluar~tidakada"})
    assert at.selectbox(key="perubahan_jenis").value is None
    at = page("intervensi_opd.py", query={"tab": "6", "program": "TIDAKADA"})
    assert at.selectbox(key="intervensi_program").value == "BLT-2024"  # the programme of the data's year
    at = page("rapat.py", query={"presentasi": "ya"})
    assert at.toggle(key="rapat_presentasi").value is False and at.title


def test_a_none_choice_shows_its_own_label_not_streamlits_english_placeholder(demo_app, accounts):
    at = page("burndown.py", "walikota1")
    box = at.selectbox(key="burndown_kecamatan")
    assert box.value is None and box.proto.placeholder == "Seluruh kota"  # was "Choose an option"
    at = page("ringkasan.py", "walikota1")
    focus = next(s for s in at.selectbox if s.label == "Sorot OPD")
    assert focus.value is None and focus.proto.placeholder == "Semua OPD"
