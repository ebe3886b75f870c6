"""The language toggle: both locale files hold the same texts, and English reaches every page."""

from __future__ import annotations

import io
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import domain, i18n, pack
from analytics.access import auth
from analytics.access.auth import User
from analytics.meeting import agenda
from analytics.opd import coverage
from analytics.pack import as_pdf
from analytics.store import audit
from analytics.store.db import Store
from tests.conftest import PASSWORD
from tests.helpers import ROOT, login

# (page file, user who may open it, English title, Indonesian title)
PAGES = [
    ("ringkasan.py", "walikota1", "Towards zero extreme poverty", "Menuju nol miskin ekstrem"),
    ("burndown.py", "walikota1", "Burn-down to zero", "Laju penurunan: sisa daftar menuju nol"),
    ("perubahan.py", "dinsos1", "Why the number fell", "Mengapa angkanya turun"),
    ("peta.py", "walikota1", "Poverty Pocket Map", "Peta Kantong Kemiskinan"),
    ("intervensi_opd.py", "dinsos1", "OPD Interventions", "Intervensi OPD"),
    ("rapat.py", "walikota1", "Coordination Meeting", "Rapat Koordinasi"),
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
    # AppTest sends each widget's value back as the option text it last showed (English dates now:
    # they follow the language), formatting it on this thread, as the browser sends what it shows.
    with i18n.using("en"):
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
    assert "Proven graduation" in steps and "Graduation without proof" in steps
    assert "Graduasi terbukti" not in steps
    assert "Change" in at.dataframe[-1].value.columns


def test_every_literal_key_used_in_the_code_exists():
    import re

    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "analytics").rglob("*.py")]
    used = {k for f in files for k in re.findall(r'\bt\(\s*"([a-z0-9_.]+)"', f.read_text(encoding="utf-8"))}
    assert used, "no t() calls found"
    assert sorted(used - set(i18n.texts("id"))) == []


# --- the coordination meeting and its pack ---------------------------------------------------------

PREV, CUR = date(2024, 9, 30), date(2024, 12, 31)  # the demo meeting (the page's default dates)
ENGLISH_TOPICS = [
    "On the list now",
    "Exits by reason",
    "New entrants",
    "Map of the change",
    "Kecamatan behind",
    "Verification and graduation",
    "OPD coverage",
    "Families not yet reached",
    "Beneficiaries off the list",
    "BLT budget",
]


def build_meeting(demo_db, lang: str, user: User) -> agenda.Meeting:
    """The demo meeting made on this thread in `lang`, as the Rapat page makes it for its session."""
    store = Store.open(demo_db)
    try:
        with i18n.using(lang):
            return agenda.build(store, PREV, CUR, user)
    finally:
        store.close()


def in_worker(fn, *args):
    """fn(*args) in a fresh thread, which starts in the default language (as a download is served)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


@pytest.fixture(scope="module")
def english_meeting(demo_db):
    return build_meeting(demo_db, "en", User("dinsos1", "dinsos"))


def test_english_meeting_findings(english_meeting):
    m = english_meeting
    assert m.lang == "en"
    assert [f.topic for f in m.findings] == ENGLISH_TOPICS
    assert " people in " in m.findings[0].title and " on the list as of 31 Dec 2024" in m.findings[0].title
    assert list(m.findings[0].table.columns) == [
        "Measure",
        "Last meeting (30 Sep 2024)",
        "Now (31 Dec 2024)",
        "Change",
    ]
    behind = m.findings[4].table
    assert set(behind["Status"]) <= {"Behind", "On pace", "Already zero"}


def test_pack_built_in_a_worker_thread_keeps_the_meetings_language(english_meeting):
    assert in_worker(i18n.language) == "id"  # the worker does not see the page's language...
    page = in_worker(pack.build, english_meeting, "html", "dinsos").decode("utf-8")
    # ...yet the pack is English: its headings, and the figures it draws only now
    assert '<html lang="en">' in page and "COORDINATION MEETING" in page
    assert "<h2>Summary of findings</h2>" in page and "Finding 1 of 10 · On the list now" in page
    assert "People entering the list per kecamatan" in page
    for indonesian in (
        "Ringkasan temuan",
        "RAPAT KOORDINASI",
        "Temuan 1 dari",
        "Orang masuk daftar per kecamatan",
    ):
        assert indonesian not in page, indonesian

    book = openpyxl.load_workbook(io.BytesIO(in_worker(pack.build, english_meeting, "xlsx", "walikota")))
    assert book.sheetnames == ["Summary", *(f"{i} {topic}" for i, topic in enumerate(ENGLISH_TOPICS, 1))]
    header = [c.value for c in book["Summary"][4]]
    assert header == ["No", "Finding", "Title", "Number", "Value", "Change / remark"]
    remark = book["8 Families not yet reached"]["A3"].value
    assert remark.startswith("DEMO DATA") and remark.endswith(i18n.text("en", "pack.suppressed"))


def test_english_pdf_cover_and_page_footer(english_meeting):
    data = in_worker(as_pdf.pdf_bytes, english_meeting, {}, {}, True, False)
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True)
    text = " ".join(out.stdout.decode("utf-8").split())
    assert "COORDINATION MEETING" in text and "Summary of findings" in text and "Page 2 of " in text
    assert "Finding 10 of 10 · BLT budget" in text
    assert "Halaman" not in text and "Ringkasan temuan" not in text


def test_indonesian_meeting_keeps_indonesian_whoever_builds_the_pack(demo_db):
    m = build_meeting(demo_db, "id", User("walikota1", "walikota"))
    with i18n.using("en"):  # a caller in English does not change a pack made from an Indonesian page
        book = openpyxl.load_workbook(io.BytesIO(pack.build(m, "xlsx", "walikota")))
    assert book.sheetnames[:3] == ["Ringkasan", "1 Di daftar kini", "2 Keluar menurut alasan"]


def test_english_rapat_page(demo_app, accounts):
    at = english_app("dinsos1")
    at.switch_page("pages/rapat.py").run()
    assert not at.exception, at.exception
    assert [b.proto.label for b in at.get("download_button")[:3]] == [
        "Download the PDF pack",
        "Download the HTML pack",
        "Download the XLSX pack",
    ]
    captions = [c.value for c in at.caption]
    assert "Finding 1 of 10 · On the list now" in captions
    assert at.selectbox(key="rapat_lalu").label == "Last meeting's snapshot"
    assert any("per-person data" in e.label for e in at.expander)


# --- labels kept in analytics modules --------------------------------------------------------------


def test_strategy_and_off_list_labels_follow_the_language():
    with i18n.using("en"):
        assert coverage.combo_label((True, False, False)) == "Cash only"
        assert coverage.combo_label((True, True, True)) == "Cash + Enterprise + Pocket"
        reasons = pd.Series(["belum_masuk", "tidak_pernah"]).map(coverage.OFF_LIST_REASONS).tolist()
        assert reasons == ["Not yet on the list on that date", "Never on the P3KE list"]
    assert coverage.combo_label((True, True, False)) == "Tunai + Usaha"
    assert dict(coverage.OFF_LIST_REASONS)["sudah_keluar"] == "Sudah keluar dari daftar pada tanggal itu"


def test_sign_in_errors_in_english_are_logged_in_indonesian(store, accounts):
    with i18n.using("en"), pytest.raises(auth.AuthError, match="Wrong user name or password"):
        auth.sign_in(store, "dinsos1", "keliru-sekali")
    assert audit.entries(store, "masuk_gagal")["Keterangan"].tolist() == [
        "Nama pengguna atau kata sandi salah."
    ]
    assert auth.sign_in(store, "dinsos1", PASSWORD).name == "dinsos1"


def test_strategy_names_and_record_columns_follow_the_language():
    from analytics.maps import figure  # noqa: F401 (map_figure reads its label per call)

    i18n.set_language("en")
    try:
        assert list(domain.STRATEGIES.values()) == [
            "Income support",
            "Productive enterprise",
            "Poverty pockets",
        ]
        assert "bantuan_pendapatan" in domain.STRATEGIES and "x" not in domain.STRATEGIES
        assert i18n.t("map_figure.missing") == "No data" and i18n.t("col.id_keluarga") == "P3KE family ID"
    finally:
        i18n.set_language("id")
    assert domain.STRATEGIES["usaha_produktif"] == "Usaha produktif"
