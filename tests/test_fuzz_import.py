"""Property-based: arbitrary cell text through each of the three importers ends cleanly (issue 14, item 5).

One cell of a small valid file (registry snapshot, OPD interventions, population) is replaced by
hostile text: digits of other scripts (full-width, Arabic-Indic, Devanagari), control characters,
NUL, zero-width and right-to-left marks, lone surrogates, 10,000-character strings. The file goes
in as CSV or XLSX bytes. Every run must end in an import or the importer's refusal (never another
exception); a refusal changes no table; and no refusal or logged text holds a 16-digit run.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import date, timedelta
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from analytics.ingest import interventions, population, registry
from analytics.store.db import Store
from tests.helpers import BASE, HEADER
from tests.test_interventions import ITV_HEADER, OPD_CSV, PROGRAM_CSV

DIGITS = "0123456789０１２３４５６７８９٠١٢٣٤٥٦٧٨٩०१२३४५६७८९"
MARKS = ["\x00", "\x07", "\x1b", "\u200b", "\u200e", "\u200f", "\u202e", "\ufeff", "\u00a0", "\r\n", "\t"]
MARKS += ["'", "`", '"', ",", ";", "E+15", ".", "-", "\ud800", "\udfff"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

hostile = st.one_of(
    st.text(alphabet=DIGITS, max_size=20),
    st.lists(st.one_of(st.sampled_from(list(DIGITS)), st.sampled_from(MARKS)), max_size=24).map("".join),
    st.text(st.characters(exclude_categories=()), max_size=30),  # surrogates and controls included
    st.sampled_from(["6", "x", "６", "\u200b", "6472054101900001"]).map(lambda s: s * (10_000 // len(s))),
    st.sampled_from([r[5] for r in BASE]).map(lambda nik: nik.translate(FULL_WIDTH)),
)

POPULATION_HEADER = ["Kode Wilayah", "Penduduk", "Tahun", "Sumber"]
REGISTRY_COLUMNS = [
    "NIK",
    "ID Keluarga P3KE",
    "Kode Kemdagri",
    "Nama",
    "Tanggal Lahir",
    "Desil Kesejahteraan",
]
ITV_ROWS = [
    [BASE[2][5], "", "UEP", "15/02/2023", "2500000", "Tersalur", ""],
    ["", "K1", "BLT", "10/02/2023", "300.000", "Tersalur", ""],
]
ITV_COLUMNS = ["NIK", "ID Keluarga P3KE", "Kode Program", "Tanggal", "Nilai (Rp)", "Keterangan"]
POPULATION_ROWS = [["64.72.05", "12345", "2024", "BPS"], ["6472011001", "2.500", "2024", "BPS"]]
FILES = {  # importer -> (header, valid rows, the columns the hostile cell may go into)
    "registri": (HEADER, BASE, [*REGISTRY_COLUMNS, "Status"]),
    "intervensi": (ITV_HEADER, ITV_ROWS, ITV_COLUMNS),
    "penduduk": (POPULATION_HEADER, POPULATION_ROWS, POPULATION_HEADER),
}
TABLES = ["snapshot", "person", "person_interval", "intervensi", "intervensi_berkas", "population"]
RUN_OF_16 = re.compile(r"[0-9]{16}")


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows([header, *rows])
    return buf.getvalue().encode("utf-8", errors="surrogatepass")  # a lone surrogate: invalid UTF-8


def xlsx_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """The rows in a workbook; characters an .xlsx cannot hold (controls, surrogates) are dropped."""
    wb = Workbook()
    ws = wb.active
    for row in [header, *rows]:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", c).encode("utf-8", "ignore").decode() for c in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One in-memory store with the catalog loaded, reused by every example (imports accumulate)."""
    folder = tmp_path_factory.mktemp("katalog")
    (folder / "opd.csv").write_text(OPD_CSV, encoding="utf-8")
    (folder / "program.csv").write_text(PROGRAM_CSV, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NOL_EKSTREM_KATALOG", str(folder))
        mp.setenv("NOL_EKSTREM_SECRET", "kunci-uji-fuzz")
        s = Store.open(None)
        yield s
        s._con.close()


def counts(store: Store) -> dict[str, int]:
    with store.cursor() as cur:
        return {t: cur.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


def logged(store: Store) -> list[str]:
    with store.cursor() as cur:
        return [r[0] for r in cur.execute("select message from import_log order by logged_at").fetchall()]


def no_nik_in(text: str) -> bool:
    return not RUN_OF_16.search(unicodedata.normalize("NFKC", text))


_dates = count()


def run_import(store: Store, importer: str, data: bytes, name: str) -> None:
    """Check and import one file with the importer's own entry points (as the page and CLI do)."""
    if importer == "registri":
        as_of = date(2020, 1, 31) + timedelta(days=next(_dates))
        prepared = registry.prepare_file(store, data, name, as_of, "uji")
        report = prepared.issues
        registry.commit(store, prepared, user="uji")
    elif importer == "intervensi":
        kode = "DISKOPUKM" if b"UEP" in data else "DINSOSPM"
        prepared = interventions.prepare_file(store, data, name, kode, "uji")
        report = prepared.issues
        interventions.commit(store, prepared, mode="tambah", user="uji")
    else:
        prepared = population.prepare(store, data, name, "uji")
        report = prepared.issues
        population.commit(store, prepared, "uji")
    shown = report.loc[report["kolom"] == "NIK", "nilai"].dropna()
    assert all(no_nik_in(v) for v in shown), list(shown)  # a report masks every NIK cell


@pytest.mark.parametrize("importer", list(FILES))
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), text=hostile, as_xlsx=st.booleans())
def test_hostile_cell_text_ends_in_an_import_or_a_refusal(store, monkeypatch, importer, data, text, as_xlsx):
    monkeypatch.setenv("NOL_EKSTREM_SECRET", "kunci-uji-fuzz")
    header, rows, columns = FILES[importer]
    rows = [r.copy() for r in rows]
    row = data.draw(st.integers(0, len(rows) - 1), label="row")
    column = data.draw(st.sampled_from(columns), label="column")
    rows[row][header.index(column)] = text
    blob = xlsx_bytes(header, rows) if as_xlsx else csv_bytes(header, rows)
    name = f"fuzz_{importer}.{'xlsx' if as_xlsx else 'csv'}"
    before, logs_before = counts(store), len(logged(store))
    refusal = registry.ImportRefused if importer != "intervensi" else interventions.ImportRefused
    try:
        run_import(store, importer, blob, name)
    except refusal as exc:
        assert counts(store) == before
        assert no_nik_in(str(exc)) and no_nik_in(exc.log_text), str(exc)
    for message in logged(store)[logs_before:]:
        assert no_nik_in(message), message
