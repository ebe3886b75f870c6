"""The meeting pack: the PDF read back with pdftotext says what the Rapat page says, the XLSX opens with
the expected sheets, the HTML needs no network, and downloads are role-checked, suppressed and audited.

The demo-store packs are built once for this module (the PDF starts a browser for its charts).
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from datetime import date

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from analytics import pack
from analytics.access import auth
from analytics.access.auth import User
from analytics.meeting import agenda
from analytics.pack import as_pdf
from analytics.store import audit
from analytics.store.db import Store
from tests.helpers import login, open_rapat_folds, page_path
from tests.test_interventions import S1, catalog, filled  # noqa: F401  (fixtures)
from tests.test_meeting import D0

PREV, CUR = date(2024, 6, 30), date(2024, 12, 31)  # not the page's default, so the choice must carry over
SHEETS = [
    "Ringkasan",
    "1 Di daftar kini",
    "2 Keluar menurut alasan",
    "3 Masuk baru",
    "4 Peta perubahan",
    "5 Kecamatan tertinggal",
    "6 Verifikasi dan graduasi",
    "7 Cakupan OPD",
    "8 Keluarga belum tersentuh",
    "9 Penerima di luar daftar",
]


def words(text: str) -> str:
    """Whitespace collapsed, so text wrapped across lines compares equal."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(data: bytes) -> str:
    """pdftotext in content-stream order (poppler-utils)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext missing: install poppler-utils (scripts/install_browser.sh)")
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True)
    return words(out.stdout.decode("utf-8"))


@pytest.fixture(scope="module")
def demo_packs(demo_db):
    """The demo meeting (30 Jun → 31 Des 2024) as DinsosPM and as the mayor's office, and its packs."""
    store = Store.open(demo_db)
    try:
        dinsos = agenda.build(store, PREV, CUR, User("dinsos1", "dinsos"))
        mayor = agenda.build(store, PREV, CUR, User("walikota1", "walikota"))
    finally:
        store.close()
    return {
        "meeting": dinsos,
        "mayor": mayor,
        "pdf": pack.build(dinsos, "pdf", "dinsos"),
        "html": pack.build(dinsos, "html", "dinsos").decode("utf-8"),
        "xlsx": openpyxl.load_workbook(io.BytesIO(pack.build(dinsos, "xlsx", "dinsos"))),
        "xlsx_mayor": openpyxl.load_workbook(io.BytesIO(pack.build(mayor, "xlsx", "walikota"))),
        # the role was lowered to walikota after DinsosPM opened the page
        "xlsx_lowered": openpyxl.load_workbook(io.BytesIO(pack.build(dinsos, "xlsx", "walikota"))),
    }


def row_pattern(row: list[str]) -> re.Pattern:
    """The number cells of a shown table row, in order, each a whole token; text cells between them
    (which may wrap in the PDF) are skipped."""
    cells = [re.escape(v) for v in row if pack.NUMBER_TEXT.fullmatch(v)]
    edge_before, edge_after = r"(?<![\d.,])", r"(?![\d.,])"
    return re.compile(edge_before + (edge_after + ".{0,400}?" + edge_before).join(cells) + edge_after)


def test_pdf_numbers_equal_the_page_for_the_same_snapshots(demo_packs, demo_app, accounts):
    at = login(AppTest.from_file(page_path("rapat.py"), default_timeout=180), "dinsos1")
    open_rapat_folds(at)  # every finding's table (folded on the page)
    at.run()
    at.selectbox(key="rapat_lalu").set_value(PREV).run()
    at.selectbox(key="rapat_kini").set_value(CUR).run()
    assert not at.exception, at.exception
    text = pdf_text(demo_packs["pdf"])

    titles = [s.value for s in at.subheader]
    assert len(titles) == 10
    for title in titles:
        assert words(title) in text, title
    for m in at.metric:
        shown = f"{m.label} {m.value}" + (f" {m.delta}" if m.delta else "")
        assert words(shown) in text, shown
    tables = [t.value for t in at.dataframe]
    assert len(tables) >= 9
    for table in tables:
        for row in table.astype(str).itertuples(index=False):
            pattern = row_pattern(list(row))
            assert pattern.search(text), (list(table.columns), list(row))
    assert "DATA CONTOH" in text and "bukan angka kemiskinan BPS" in text
    assert "Halaman 1 dari " in text


def test_pdf_is_a4_with_a_cover_and_a_page_per_finding(demo_packs):
    data = demo_packs["pdf"]
    assert data.startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 1 + len(demo_packs["meeting"].findings)
    assert re.search(r"Page size:\s+595(\.\d+)? x 841", info)  # A4 portrait in points
    text = pdf_text(data)
    for i, f in enumerate(demo_packs["meeting"].findings, 1):
        assert f"Temuan {i} dari 10 · {f.topic}" in text


def test_xlsx_has_a_summary_and_one_sheet_per_finding(demo_packs):
    book, m = demo_packs["xlsx"], demo_packs["meeting"]
    assert book.sheetnames == [*SHEETS, "9 Rincian per orang", "10 Anggaran BLT"]
    behind = book["5 Kecamatan tertinggal"]
    finding = next(f for f in m.findings if f.key == "tertinggal")
    assert behind["A1"].value == finding.title
    assert behind["A2"].value == "Rapat lalu 30 Jun 2024 → kini 31 Des 2024"
    assert behind["A3"].value.startswith("DATA CONTOH")
    header = [c.value for c in behind[4]]
    assert header == list(finding.table.columns)
    first = [c.value for c in behind[5]]
    assert first == list(finding.table.iloc[0])  # raw numbers, not text
    summary = book["Ringkasan"]
    assert [c.value for c in summary[4]] == [
        "No",
        "Temuan",
        "Judul",
        "Angka",
        "Nilai",
        "Perubahan / keterangan",
    ]
    labels = [row[3].value for row in summary.iter_rows(min_row=5)]
    assert labels.count("Orang di daftar") == 1 and "Kecamatan tertinggal" in labels


def test_xlsx_for_the_mayor_is_aggregates_with_small_counts_suppressed(demo_packs):
    for key in ("xlsx_mayor", "xlsx_lowered"):
        book = demo_packs[key]
        assert book.sheetnames == [*SHEETS, "10 Anggaran BLT"]  # no person-level sheet
        untouched = book["8 Keluarga belum tersentuh"]
        assert untouched["A3"].value.endswith(pack.suppressed_note())
        values = [c.value for row in untouched.iter_rows(min_row=5, min_col=2, max_col=3) for c in row]
        assert "<5" in values and not any(isinstance(v, int) and 1 <= v <= 4 for v in values)
    full = demo_packs["xlsx"]["8 Keluarga belum tersentuh"]
    assert any(
        isinstance(c.value, int) and 1 <= c.value <= 4 for row in full.iter_rows(min_row=5) for c in row
    )


def test_html_is_self_contained_and_says_what_the_pdf_says(demo_packs):
    page, m = demo_packs["html"], demo_packs["meeting"]
    assert not re.search(r"<script[^>]*\bsrc=", page) and not re.search(r"<link[^>]*\bhref=", page)
    assert page.count("Plotly.newPlot") == len(m.findings)
    assert page.count("* plotly.js v") == 1  # the library is embedded once
    assert "data:application/json" in page  # the map's offline topojson config
    for f in m.findings:
        assert html.escape(f.title) in page
        for k in f.numbers:
            assert f'<div class="value">{html.escape(k.value)}</div>' in page
    assert "data pribadi" in page  # DinsosPM's pack carries the person-level table


def test_mayor_pdf_has_no_person_level_table(demo_packs):
    m = demo_packs["mayor"]
    text = pdf_text(as_pdf.pdf_bytes(m, {}, {}, suppress=True, details=False))
    assert "data pribadi" not in text and "NIK" not in text
    assert "<5" in text and pack.suppressed_note() in text
    assert all(words(f.title) in text for f in m.findings)


def test_download_rechecks_the_role_and_is_audited(filled, accounts):  # noqa: F811
    m = agenda.build(filled, D0, S1, User("dinsos1", "dinsos"))
    build = pack.deferred(filled, m, "xlsx", User("dinsos1", "dinsos"))
    book = openpyxl.load_workbook(io.BytesIO(build()))
    assert "9 Rincian per orang" in book.sheetnames
    entry = audit.entries(filled, "unduh").iloc[0]
    assert (entry["Pengguna"], entry["Peran"]) == ("dinsos1", "dinsos")
    assert (entry["Objek"], entry["Keterangan"]) == ("paket_rapat_2022-11-30_2023-03-31.xlsx", "10 temuan")
    assert len(entry["SHA-256"]) == 64
    auth.set_active("dinsos1", False)
    assert build() == b"Akses ditolak: sesi tidak berlaku lagi. Silakan masuk kembali."
    assert len(audit.entries(filled, "unduh")) == 1
