"""One language at a time (issue 17): every page in English shows no Indonesian month or UI word, and
in Indonesian no chart shows an English month; the audit log shows no "None" and a time in Waktu.

Each page is rendered with AppTest on the demo store and every shown text is collected: titles,
headers, markdown, captions, alerts, metrics (label, value, delta), widget labels and options, tabs,
dataframe column names and cells, and the plotly figure JSON (title, axis titles and tick text,
legend names, hover templates and hover data, bar text, annotations).

Exempt, explicitly: data values that stay as they are in every language, namely the names of
kecamatan and kelurahan, of OPDs and of programmes (the catalog's), people's names, the P3KE file's
own column names (NIK, ID Keluarga P3KE, ...; README: not translated) with the term "ID Keluarga",
and the stored logs' text (audit log object/details, import log message: DESIGN keeps logs in
Indonesian). They are removed from the collected text before it is searched.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from collections.abc import Iterator
from datetime import date

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import i18n, measures, pack
from analytics.access.auth import User
from analytics.meeting import agenda
from analytics.store import audit, settings
from analytics.store.db import Store
from tests.helpers import login, open_rapat_folds, page_path

# (page file, user, query parameters)
PAGES = [
    ("ringkasan.py", "dinsos1", {}),
    ("burndown.py", "dinsos1", {}),
    ("perubahan.py", "dinsos1", {}),
    ("peta.py", "dinsos1", {}),
    ("peta.py", "dinsos1", {"tampilan": "perubahan"}),
    ("intervensi_opd.py", "dinsos1", {}),
    ("rapat.py", "dinsos1", {}),
    ("data_impor.py", "dinsos1", {}),
    ("audit.py", "admin1", {}),
    ("admin.py", "admin1", {}),
    ("istilah.py", "dinsos1", {}),
    ("keluarga.py", "dinsos1", {"keluarga": "FAMILY"}),
    ("wilayah.py", "dinsos1", {"kode": "64.72.01"}),
    ("wilayah.py", "dinsos1", {"kode": "64.72.01.1001"}),
]

# Indonesian month names that are not also English (April, September, November are both).
INDONESIAN_MONTHS = r"Januari|Februari|Maret|Mei|Juni|Juli|Agustus|Oktober|Desember|Agu|Agt|Okt|Des"
ENGLISH_MONTHS = r"January|February|March|May|June|July|August|October|December|Aug|Oct|Dec"
# Common Indonesian UI words that are no English word and no part of a Samarinda place or programme name.
INDONESIAN_WORDS = (
    "turun naik keluarga orang sejak belum sisa tersisa daftar yang dengan tidak untuk dari pada "
    "bulan tahun hari juta miliar ribu tetap nihil sudah masih baru lalu semua wilayah penerima"
).split()
ID_PATTERN = re.compile(rf"\b(?:{INDONESIAN_MONTHS}|{'|'.join(INDONESIAN_WORDS)})\b", re.IGNORECASE)
ID_MONTH = re.compile(rf"\b(?:{INDONESIAN_MONTHS})\b")
EN_MONTH = re.compile(rf"\b(?:{ENGLISH_MONTHS})\b")

# Column names of the input files (P3KE export, population table), kept untranslated (README), the
# term "ID Keluarga", and the titles of BPS publications the help text names.
KEPT_TERMS = [
    "ID Keluarga P3KE",
    "ID Keluarga",
    "Desa/Kelurahan",
    "Kode Kemdagri",
    "Alasan Keluar",
    "**Kode Wilayah**",
    "**Penduduk**",
    "**Tahun**",
    "**Sumber**",
    "Jumlah Penduduk menurut Kecamatan",
    "Kota Samarinda Dalam Angka",
]
# Columns holding the stored logs' own text (audit object and details, import log message).
STORED_LOG_COLUMNS = {
    i18n.text(lang, key) for lang in i18n.LANGUAGES for key in ("col.objek", "col.keterangan")
}


def glossary_texts(lang: str) -> set[str]:
    """The Istilah page's glossary in one language: the page shows it in both by design (README)."""
    rows = measures.glossary(lang)
    texts = {str(v) for r in rows for v in r.values()}
    rule = int(settings.DEFAULTS["dtsen_desil_max"]), settings.DEFAULTS["dtsen_flagged"] == "1"
    return texts | {
        f"**{measures.family_rule_heading(lang)}.** {measures.family_rule(lang)}",
        f"**{measures.dtsen_rule_heading(lang)}.** {measures.dtsen_rule(*rule, lang)}",
        f"**{i18n.text(lang, 'd19.marker_heading')}.** {i18n.text(lang, 'd19.marker_glossary')}",
    }


def _strings(value: object) -> Iterator[str]:
    """Every string inside a JSON-like value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


# Plotly JSON keys whose strings are text shown to the user (others are colours, modes, ids...).
FIGURE_TEXT_KEYS = {
    "text",
    "ticktext",
    "name",
    "hovertemplate",
    "customdata",
    "texttemplate",
    "x",
    "y",
    "labels",
    "title",
}


def _figure_texts(spec: object, shown: bool = False) -> Iterator[str]:
    if isinstance(spec, dict):
        for k, v in spec.items():
            yield from _figure_texts(v, shown or k in FIGURE_TEXT_KEYS)
    elif isinstance(spec, list):
        for v in spec:
            yield from _figure_texts(v, shown)
    elif isinstance(spec, str) and shown:
        yield spec


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def d3_dates(spec: dict) -> list[str]:
    """Places where Plotly itself would write a month name (in English, d3's): a date x axis without
    ticktext, or a %b/%B date format in a tick format or hover template."""
    found = []
    layout = spec.get("layout", {})
    for i, trace in enumerate(spec.get("data", [])):
        xs = trace.get("x") or []
        if isinstance(xs, list) and xs and isinstance(xs[0], str) and ISO_DATE.match(xs[0]):
            name = "xaxis" + (trace.get("xaxis", "x")[1:] or "")
            if not layout.get(name, {}).get("ticktext"):
                found.append(f"trace {i}: dates on {name} without ticktext")
        for key in ("hovertemplate", "texttemplate"):
            if re.search(r"%\{[xy]\|[^}]*%[bB]", str(trace.get(key, ""))):
                found.append(f"trace {i}: {key} {trace[key]}")
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and re.search(r"%[bB]", str(axis.get("tickformat", ""))):
            found.append(f"{name}: tickformat {axis['tickformat']}")
    return found


def shown_texts(at: AppTest) -> dict[str, list[str]]:
    """Every text the page shows, by kind ('chart' for figure JSON, 'table', 'text')."""
    out: dict[str, list[str]] = {"text": [], "table": [], "chart": []}
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "success",
        "error",
    ):
        out["text"] += [e.value for e in getattr(at, kind)]
    for m in at.metric:
        out["text"] += [m.label, str(m.value), str(m.proto.delta or "")]
    for widget in ("selectbox", "radio", "multiselect", "select_slider"):
        for w in getattr(at, widget):
            out["text"] += [w.label, *map(str, w.options)]
    for w in (*at.button, *at.text_input, *at.checkbox, *at.toggle, *at.date_input, *at.number_input):
        out["text"].append(w.label)
    out["text"] += [tab.label for tab in at.tabs] + [e.label for e in at.expander]
    for d in at.dataframe:
        df: pd.DataFrame = d.value
        out["table"] += [str(c) for c in df.columns]
        for col in df.columns:
            if str(col) in STORED_LOG_COLUMNS:
                continue
            out["table"] += [str(v) for v in df[col] if isinstance(v, str)]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        out["chart"] += list(_figure_texts(spec))
        out["d3"] = out.get("d3", []) + d3_dates(spec)
    return out


@pytest.fixture(scope="module")
def exempt(demo_db) -> list[str]:
    """Data values shown as they are in every language, longest first (so a name goes before its part)."""
    store = Store.open(demo_db)
    try:
        areas = store.query("area_list")
        names = [*areas["kelurahan"], *areas["kecamatan"], *store.query("catalog_opd_names")["nama"]]
        names += list(store.query("catalog_programs")["nama"])
    finally:
        store.close()
    return sorted({str(n) for n in names if n} | set(KEPT_TERMS), key=len, reverse=True)


@pytest.fixture(scope="module")
def family_id(demo_db) -> str:
    """A demo family with OPD records and BLT months (the fullest profile)."""
    store = Store.open(demo_db)
    try:
        rows = store._con.execute(
            "select id_keluarga from v_intervensi where id_keluarga is not null "
            "group by 1 order by count(distinct kode_program) desc, 1 limit 1"
        ).fetchall()
    finally:
        store.close()
    return rows[0][0]


def render(page: str, user: str, params: dict[str, str], lang: str, family_id: str) -> AppTest:
    at = AppTest.from_file(page_path(page), default_timeout=180)
    at.session_state[i18n.SESSION_KEY] = lang
    for k, v in params.items():
        at.query_params[k] = family_id if v == "FAMILY" else v
    if page == "rapat.py":
        open_rapat_folds(at)  # the findings' tables are folded on the page
    login(at, user).run()
    assert not at.exception, at.exception
    return at


def without_exempt(text: str, exempt: list[str]) -> str:
    for name in exempt:
        if name in text:
            text = text.replace(name, " ")
    return text


@pytest.mark.parametrize("page, user, params", PAGES, ids=[f"{p}-{q}" for p, _, q in PAGES])
def test_every_page_in_english_shows_no_indonesian_month_or_word(
    demo_app, accounts, exempt, family_id, page, user, params
):
    at = render(page, user, params, "en", family_id)
    found = [("d3 dates", where) for where in shown_texts(at).get("d3", [])]
    bilingual = glossary_texts("id") if page == "istilah.py" else set()
    for kind, texts in shown_texts(at).items():
        for text in texts if kind != "d3" else ():
            if text in bilingual:
                continue
            hits = ID_PATTERN.findall(without_exempt(text, exempt))
            if hits:
                found.append((kind, hits, text[:160]))
    assert not found, "\n".join(map(repr, found))


@pytest.mark.parametrize("page, user, params", PAGES, ids=[f"{p}-{q}" for p, _, q in PAGES])
def test_every_page_in_indonesian_shows_no_english_month_in_charts_or_tables(
    demo_app, accounts, exempt, family_id, page, user, params
):
    at = render(page, user, params, "id", family_id)
    texts = shown_texts(at)
    found = [("d3 dates", where) for where in texts.get("d3", [])] + [
        (kind, text[:160])
        for kind in ("chart", "table")
        for text in texts[kind]
        if EN_MONTH.search(without_exempt(text, exempt))
    ]
    assert not found, "\n".join(map(repr, found))


@pytest.mark.parametrize("lang, clock", [("id", r"\d{2}\.\d{2}\.\d{2}"), ("en", r"\d{2}:\d{2}:\d{2}")])
def test_audit_log_shows_no_none_and_a_time_of_day(demo_app, accounts, family_id, lang, clock):
    store = Store.open(demo_app)
    try:
        raw = audit.entries(store)
    finally:
        store.close()
    assert raw.isna().any(axis=None), "the demo audit log has empty cells (no SHA-256 for a sign-in)"
    at = render("audit.py", "admin1", {}, lang, family_id)
    shown = at.dataframe[0].value
    waktu = i18n.text(lang, "col.waktu")
    cells = [str(v) for col in shown.columns for v in shown[col]]
    assert "None" not in cells and "nan" not in cells and "NaT" not in cells
    assert "–" in shown["SHA-256"].tolist()
    assert all(re.fullmatch(rf"\d{{1,2}} \w+ \d{{4}} {clock}", v) for v in shown[waktu]), shown[waktu].head()


def test_the_english_meeting_pack_shows_no_indonesian_month_or_word(demo_app, exempt):
    """The PDF's text and every XLSX cell of a pack made from the English Rapat page (the charts are the
    page's figures, checked above)."""
    store = Store.open(demo_app)
    try:
        with i18n.using("en"):
            meeting = agenda.build(store, date(2024, 9, 30), date(2024, 12, 31), User("dinsos1", "dinsos"))
    finally:
        store.close()
    pdf = pack.build(meeting, "pdf", "dinsos")
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True)
    texts = [("pdf", line) for line in out.stdout.decode("utf-8").splitlines()]
    book = openpyxl.load_workbook(io.BytesIO(pack.build(meeting, "xlsx", "dinsos")))
    cells = [(ws.title, c) for ws in book for row in ws.iter_rows(values_only=True) for c in row]
    texts += [(where, c) for where, c in cells if isinstance(c, str)]
    found = [(where, text) for where, text in texts if ID_PATTERN.search(without_exempt(text, exempt))]
    assert not found, "\n".join(map(repr, found))
