"""Validation reports and import failures show no NIK and no traceback (issue 14, items 3 and 5).

A NIK or No KK cell is masked in the report whatever its shape (at most its first six digits and a
hint a clerk can act on), on screen, in the report's CSV/XLSX download and on the command line. A
full-width NIK imports under the key of the same NIK in ASCII; other scripts' digits are refused
naming row and column; an unexpected error is a refusal that names only the error's type.
"""

from __future__ import annotations

import io
import re
from datetime import date

import duckdb
import pandas as pd
import pytest

from analytics import cli, config, tables
from analytics.access import export
from analytics.ingest import interventions, registry
from analytics.ingest.issues import GALAT, Issues
from analytics.ingest.tabular import RawTable
from analytics.store import privacy
from analytics.store.db import Store
from tests.helpers import BASE, dump, write_csv
from tests.test_interventions import catalog, write_itv  # noqa: F401 - the catalog fixture

D0 = date(2022, 11, 30)
NIK = BASE[1][5]  # 6472050101900002
MIDDLE = NIK[6:13]  # digits 7-13, which no report may show
SHAPES = {
    # raw cell -> the hint the report gives instead of the value
    "6472 0501 0190 0002": "berisi spasi",
    "'6472050101900002": "diawali tanda petik",
    "6.47205E+15": "ditulis sebagai angka oleh Excel",
    "647205010190000": "16 digit ditemukan 15",
    "64720501019000021": "16 digit ditemukan 17",
    "64720501019OOOO2": "berisi huruf",
}


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("NOL_EKSTREM_SECRET", "kunci-uji-laporan")


def leaks(text: str, raw: str) -> bool:
    """Whether text shows the raw cell, or NIK digits 7-13 (also when written apart)."""
    return raw in text or MIDDLE in re.sub(r"[^0-9]", "", text)


def bad_file(tmp_path, raw: str):
    rows = [r.copy() for r in BASE]
    rows[1][5] = raw
    return write_csv(tmp_path / "nik.csv", rows)


@pytest.mark.parametrize("raw", list(SHAPES))
def test_every_nik_shape_is_masked_in_the_report_its_download_and_the_command_line(tmp_path, raw, capsys):
    path = bad_file(tmp_path, raw)
    store = Store.open(None)
    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D0)
    store._con.close()
    err = prepared.errors.iloc[0]
    assert (err["baris"], err["kolom"]) == (3, "NIK")
    assert err["nilai"].startswith("647205") and SHAPES[raw] in err["nilai"]
    assert not re.search(r"[0-9]{7}", err["nilai"])
    screen = tables.issue_lines(prepared.errors) + prepared.issues.to_string()
    assert not leaks(screen, raw)
    view = tables.issues_view(prepared.issues)
    assert not leaks(export.csv_bytes(view).decode("utf-8-sig"), raw)
    assert not leaks(pd.read_excel(io.BytesIO(export.xlsx_bytes(view)), engine="openpyxl").to_string(), raw)

    db = tmp_path / "cli.duckdb"
    assert cli.main(["--db", str(db), "impor", str(path), "--tanggal", "2022-11-30"]) == 2
    out = capsys.readouterr()
    assert SHAPES[raw] in out.err
    assert not leaks(out.out + out.err, raw)


def test_no_kk_columns_are_masked_by_key_or_by_header():
    frame = pd.DataFrame(
        {"no_kk": ["6472050101900002"], "kk": ["64720501 0190"], "x": ["ab6472050101900002"]}
    )
    headers = {"no_kk": "No KK", "kk": "Nomor Kartu Keluarga", "x": "NO. KK Penerima"}
    issues = Issues(RawTable("a.csv", frame, [2], 1, headers), lambda key: key)
    for key in frame.columns:
        issues.add(GALAT, 0, key, frame.at[0, key], "salah")
    issues.add(GALAT, 0, None, "6472050101900002", "tanpa kolom")  # not a NIK column: shown
    shown = issues.frame()["nilai"].tolist()
    assert shown[0] == privacy.mask_nik("6472050101900002")
    assert shown[1] == "647205****** (16 digit ditemukan 12; berisi spasi)"
    assert shown[2].startswith("647205**********") and "berisi huruf" in shown[2]


def test_a_full_width_nik_imports_under_the_key_of_the_ascii_nik(tmp_path, capsys):
    rows = [r.copy() for r in BASE]
    rows[1][5] = NIK.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    path = write_csv(tmp_path / "lebar.csv", rows)
    db = tmp_path / "cli.duckdb"
    assert cli.main(["--db", str(db), "impor", str(path), "--tanggal", "2022-11-30"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    store = Store.open(db)
    try:
        with store.cursor() as cur:
            people = cur.execute("select person_key, nik_masked from person").fetchall()
    finally:
        store.close()
    secret, _ = config.nik_secret()
    assert (privacy.person_key(NIK, secret), privacy.mask_nik(NIK)) in people


def test_a_full_width_nik_in_an_opd_file_matches_the_same_person(store, tmp_path, catalog):  # noqa: F811
    registry.import_file(store, write_csv(tmp_path / "s0.csv", BASE), D0)
    wide = BASE[2][5].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    path = write_itv(tmp_path / "uep.csv", [[wide, "", "UEP", "15/02/2023", "2500000", "Tersalur", ""]])
    prepared = interventions.prepare_file(store, path.read_bytes(), path.name, "DISKOPUKM")
    secret, _ = config.nik_secret()
    assert prepared.ok
    assert prepared.rows["person_key"].tolist() == [privacy.person_key(BASE[2][5], secret)]


@pytest.mark.parametrize("digits", ["٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९"])
def test_other_scripts_digits_are_refused_naming_row_and_column(store, tmp_path, digits):
    before = dump(store)
    rows = [r.copy() for r in BASE]
    rows[3][5] = NIK.translate(str.maketrans("0123456789", digits))
    path = write_csv(tmp_path / "arab.csv", rows)
    with pytest.raises(registry.ImportRefused, match="baris 5 kolom NIK"):
        registry.import_file(store, path, D0)
    err = registry.prepare_file(store, path.read_bytes(), path.name, D0).errors.iloc[0]
    assert "berisi angka selain 0–9" in err["nilai"]
    assert dump(store) == before


def test_an_unexpected_error_quoting_a_nik_is_a_refusal_naming_only_its_type(tmp_path, monkeypatch, capsys):
    def conversion_error(niks, secret):
        raise duckdb.ConversionException(f'Conversion Error: could not convert string "{NIK}"')

    monkeypatch.setattr(privacy, "person_keys", conversion_error)
    path = write_csv(tmp_path / "a.csv", BASE)
    db = tmp_path / "cli.duckdb"
    assert cli.main(["--db", str(db), "impor", str(path), "--tanggal", "2022-11-30"]) == 2
    out = capsys.readouterr()
    assert "galat tak terduga (ConversionException)" in out.err
    assert NIK not in out.out + out.err and "Traceback" not in out.err
    store = Store.open(db)
    try:
        assert store.scalar("select count(*) from snapshot") == 0
        logged = store.query("import_history", limit=5)["message"].tolist()
    finally:
        store.close()
    assert len(logged) == 1 and "ConversionException" in logged[0] and NIK not in logged[0]


def test_a_csv_neither_utf8_nor_windows_1252_is_refused_saying_so(store):
    prepared = registry.prepare_file(store, b"NIK,Nama\n\x81\x8d,Ani\n", "a.csv", D0)
    assert prepared.errors["pesan"].tolist() == [
        "a.csv: berkas ditolak karena berkas bukan teks UTF-8 atau Windows-1252."
    ]
