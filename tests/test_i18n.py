"""The language toggle: both locale files hold the same texts, and English reaches every page."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from analytics import i18n
from tests.helpers import ROOT, login

# (page file, user who may open it, English title, Indonesian title)
PAGES = [
    ("ringkasan.py", "walikota1", "Towards zero extreme poverty", "Menuju nol miskin ekstrem"),
    ("burndown.py", "walikota1", "Burn-down to zero", "Burn-down menuju nol"),
    ("perubahan.py", "dinsos1", "Why the number fell", "Mengapa angkanya turun"),
    ("peta.py", "walikota1", "Poverty Pocket Map", "Peta Kantong Kemiskinan"),
    ("intervensi_opd.py", "dinsos1", "OPD Interventions", "Intervensi OPD"),
    ("data_impor.py", "dinsos1", "Data & Import", "Data & Impor"),
    ("audit.py", "dinsos1", "Audit log", "Log audit"),
    ("admin.py", "admin1", "Users & settings", "Pengguna & pengaturan"),
]


def test_both_languages_have_the_same_keys_and_no_empty_texts():
    indonesian, english = i18n.texts("id"), i18n.texts("en")
    assert set(indonesian) == set(english)
    assert all(v.strip() for v in [*indonesian.values(), *english.values()])


def test_placeholders_match_between_languages():
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    english = i18n.texts("en")
    for key, text in i18n.texts("id").items():
        assert fields(text) == fields(english[key]), key


def test_t_uses_the_current_language_and_falls_back_to_indonesian(monkeypatch):
    i18n.set_language("en")
    try:
        assert i18n.t("reason.graduasi") == "Graduation (out of extreme poverty)"
        assert i18n.t("ringkasan.n_people", n="9.032") == "9.032 people"
        monkeypatch.setitem(i18n.texts("en"), "reason.graduasi", None)
        monkeypatch.delitem(i18n.texts("en"), "reason.graduasi")
        assert i18n.t("reason.graduasi") == "Graduasi (lepas dari miskin ekstrem)"
    finally:
        i18n.set_language("id")
    i18n.set_language("xx")
    assert i18n.language() == "id"


def english_app(user: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[i18n.SESSION_KEY] = "en"
    return login(at, user).run()


@pytest.mark.parametrize("page, user, english, indonesian", PAGES)
def test_the_language_toggle_changes_every_page_title(demo_app, accounts, page, user, english, indonesian):
    at = english_app(user)
    at.switch_page(f"pages/{page}").run()
    assert not at.exception, at.exception
    assert at.title[0].value == english
    # AppTest runs a switched-to page without app.py (so no sidebar toggle); ui.store() on the
    # page reads the toggle's session value, as app.py does.
    at.session_state[i18n.SESSION_KEY] = "id"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == indonesian


def test_the_sidebar_toggle_switches_the_language(demo_app, accounts):
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), "walikota1").run()
    assert at.title[0].value == "Menuju nol miskin ekstrem"
    at.radio(key=i18n.SESSION_KEY).set_value("en").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Towards zero extreme poverty"


def test_sign_in_page_and_banner_in_english(demo_app, accounts):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[i18n.SESSION_KEY] = "en"
    at.run()
    assert at.title[0].value == "Nol Ekstrem — Samarinda City"
    assert at.text_input(key="masuk_nama").label == "User name"
    at = english_app("walikota1")
    assert "DEMO DATA" in at.warning[0].value
    assert at.button(key="app_sign_out").label == "Sign out"


def test_english_burndown_chart_and_waterfall_labels(demo_app, accounts):
    at = english_app("dinsos1")
    at.switch_page("pages/burndown.py").run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "of 9.032 people on the original list remain" in spec["layout"]["title"]["text"]
    assert at.dataframe[-1].value.columns[0] == "Snapshot date"
    at.switch_page("pages/perubahan.py").run()
    steps = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["x"]
    assert "Graduation (out of extreme poverty)" in steps
    assert "Graduasi (lepas dari miskin ekstrem)" not in steps
    assert "Change" in at.dataframe[-1].value.columns


def test_every_literal_key_used_in_the_code_exists():
    import re

    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "analytics").glob("*.py")]
    used = {k for f in files for k in re.findall(r'\bt\(\s*"([a-z0-9_.]+)"', f.read_text(encoding="utf-8"))}
    assert used, "no t() calls found"
    assert sorted(used - set(i18n.texts("id"))) == []
