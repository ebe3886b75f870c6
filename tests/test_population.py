"""Population table import: validation messages, refusals that leave the store unchanged, rates.

Every population figure here is made up for the tests (no real figures ship with the app).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from analytics.ingest import population, registry
from analytics.ingest.base import ImportRefused
from analytics.maps import build, metrics
from analytics.maps import population as population_data
from tests.helpers import BASE, dump, login, page_path, write_csv

HEADER = ["Kode Wilayah", "Penduduk", "Tahun", "Sumber"]
FAKE = "FIKTIF untuk uji"
# Made-up populations: Palaran 40.000, Samarinda Utara 100.000 (kecamatan level, year 2024).
GOOD = [["647201", "40000", "2024", FAKE], ["64.72.05", "100.000", "2024", FAKE]]
D0 = date(2022, 11, 30)


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    """A population CSV with the given header and rows."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def population_rows(store) -> list[tuple]:
    with store.cursor() as cur:
        return sorted(
            cur.execute("select kode_wilayah, tingkat, tahun, penduduk, sumber from population").fetchall()
        )


def log_rows(store) -> list[tuple]:
    with store.cursor() as cur:
        return cur.execute("select kind, outcome, file_name from import_log order by log_id").fetchall()


def test_good_file_is_stored_and_logged(store, tmp_path):
    assert population.import_file(store, write(tmp_path / "bps.csv", GOOD), user="uji") == 2
    assert population_rows(store) == [
        ("64.72.01", "kecamatan", 2024, 40000, FAKE),
        ("64.72.05", "kecamatan", 2024, 100000, FAKE),
    ]
    assert log_rows(store) == [("penduduk", "diimpor", "bps.csv")]
    table = population_data.stored_table(store)
    assert table[["Wilayah", "Penduduk"]].values.tolist() == [
        ["Palaran", "40.000"],
        ["Samarinda Utara", "100.000"],
    ]


def test_rate_per_1000_uses_the_imported_population(store, tmp_path):
    registry.import_file(store, write_csv(tmp_path / "p3ke.csv", BASE), D0)
    population.import_file(store, write(tmp_path / "bps.csv", GOOD))
    kec = metrics.area_frame(store, "kecamatan").set_index("kode")
    assert "per_1000" in metrics.available(kec)
    assert kec.loc["64.72.01", "per_1000"] == pytest.approx(3 / 40000 * 1000)  # 3 people in Palaran
    assert kec.loc["64.72.05", "per_1000"] == pytest.approx(2 / 100000 * 1000)
    assert kec["per_1000"].isna().sum() == 8  # no population for the other kecamatan: missing, not zero
    result = build.build(build.frames(store), "per_1000", "kuantil", D0)
    assert result.headline == "Tertinggi di kota: Palaran, 0,08"


def test_kelurahan_rows_with_digits_dotted_or_old_codes_and_kecamatan_sums(store, tmp_path):
    rows = [["6472011001", "1200", "2023", FAKE], ["64.72.01.1002", "800", "2023", FAKE]]
    rows += [[code, "1000", "2023", FAKE] for code in ("6472011003", "6472011004", "6472011005")]
    population.import_file(store, write(tmp_path / "kel.csv", rows))
    by_kel, year, sources = population_data.population_by_area(store, "kelurahan")
    assert (by_kel["64.72.01.1001"], year, sources) == (1200, 2023, FAKE)
    by_kec, _, _ = population_data.population_by_area(store, "kecamatan")
    assert by_kec.to_dict() == {"64.72.01": 5000}  # all five Palaran kelurahan present; others are not


def test_xlsx_with_title_rows_and_numeric_cells(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Jumlah Penduduk menurut Kecamatan (FIKTIF)"])
    ws.append([])
    ws.append(["KODE WILAYAH", "jumlah penduduk", "Tahun", "Sumber"])
    ws.append([647209, 32000, 2024, FAKE])
    path = tmp_path / "bps.xlsx"
    wb.save(path)
    population.import_file(store, path)
    assert population_rows(store) == [("64.72.09", "kecamatan", 2024, 32000, FAKE)]


REFUSED = [
    (["6371010001", "1000", "2024", FAKE], "Kode Wilayah", "di luar Kota Samarinda"),
    (["6472059999", "1000", "2024", FAKE], "Kode Wilayah", "Kode kelurahan tidak dikenal"),
    (["647299", "1000", "2024", FAKE], "Kode Wilayah", "Kode kecamatan tidak dikenal"),
    (["64720", "1000", "2024", FAKE], "Kode Wilayah", "6 digit"),
    (["647201", "banyak", "2024", FAKE], "Penduduk", "bilangan bulat"),
    (["647201", "-5", "2024", FAKE], "Penduduk", "tidak boleh negatif"),
    (["647201", "12,5", "2024", FAKE], "Penduduk", "bilangan bulat"),
    (["647201", "0", "2024", FAKE], "Penduduk", "lebih dari 0"),
    (["647201", "1000", "24", FAKE], "Tahun", "4 digit"),
    (["647201", "1000", "2024", ""], "Sumber", "kosong"),
]


@pytest.mark.parametrize(("row", "column", "message"), REFUSED)
def test_bad_rows_refuse_the_file_with_row_column_and_value(store, tmp_path, row, column, message):
    population.import_file(store, write(tmp_path / "ok.csv", GOOD))
    before = (dump(store), population_rows(store))
    path = write(tmp_path / "rusak.csv", [GOOD[0], row])
    prepared = population.prepare(store, path.read_bytes(), path.name, "uji")
    assert not prepared.ok
    issue = prepared.issues.iloc[0]
    assert (issue["berkas"], issue["baris"], issue["kolom"]) == ("rusak.csv", 3, column)
    assert message in issue["pesan"]
    assert issue["nilai"] == (row[HEADER.index(column)] or None)
    with pytest.raises(ImportRefused, match="rusak.csv"):
        population.commit(store, prepared, "uji")
    assert (dump(store), population_rows(store)) == before
    assert log_rows(store)[-1] == ("penduduk", "ditolak", "rusak.csv")


def test_duplicate_code_for_one_year_is_refused_even_when_written_differently(store, tmp_path):
    path = write(
        tmp_path / "ganda.csv", [["647201", "1000", "2024", FAKE], ["64.72.01", "1100", "2024", FAKE]]
    )
    with pytest.raises(ImportRefused):
        population.import_file(store, path)
    prepared = population.prepare(store, path.read_bytes(), path.name)
    assert "sama dengan baris 2" in prepared.issues.iloc[0]["pesan"]
    assert population_rows(store) == []
    ok = write(
        tmp_path / "dua_tahun.csv", [["647201", "1000", "2023", FAKE], ["64.72.01", "1100", "2024", FAKE]]
    )
    assert population.import_file(store, ok) == 2  # the same code in two years is fine


def test_missing_column_is_named(store, tmp_path):
    path = write(tmp_path / "kurang.csv", [["647201", "1000", FAKE]], ["Kode Wilayah", "Penduduk", "Sumber"])
    prepared = population.prepare(store, path.read_bytes(), path.name)
    assert "Kolom wajib tidak ada: Tahun" in prepared.issues.iloc[0]["pesan"]


def test_same_file_twice_is_refused_and_a_new_file_replaces_the_same_year(store, tmp_path):
    path = write(tmp_path / "bps.csv", GOOD)
    population.import_file(store, path)
    before = population_rows(store)
    with pytest.raises(ImportRefused, match="sudah diimpor dari 'bps.csv'"):
        population.import_file(store, tmp_path / "bps.csv")
    assert population_rows(store) == before
    assert [r[1] for r in log_rows(store)] == ["diimpor", "ditolak"]
    population.import_file(store, write(tmp_path / "revisi.csv", [["647201", "41000", "2024", FAKE]]))
    assert population_rows(store)[0] == ("64.72.01", "kecamatan", 2024, 41000, FAKE)
    assert len(population_rows(store)) == 2


def test_a_failure_inside_the_transaction_leaves_nothing_behind(store, tmp_path, monkeypatch):
    path = write(tmp_path / "bps.csv", GOOD)
    prepared = population.prepare(store, path.read_bytes(), path.name)
    real = population.run

    def broken(cur, name: str, **params) -> None:
        if name == "population_file_insert":
            raise RuntimeError("disk penuh")
        real(cur, name, **params)

    monkeypatch.setattr(population, "run", broken)
    with pytest.raises(ImportRefused, match=r"galat tak terduga \(RuntimeError\)") as refused:
        population.commit(store, prepared)
    assert "disk penuh" not in str(refused.value)  # the type is named, never the text (issue 14, item 5)
    assert population_rows(store) == []
    assert [row[1] for row in log_rows(store)] == ["ditolak"]


def test_data_page_population_section_checks_then_imports(tmp_path, monkeypatch, accounts):
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "page.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    at = login(AppTest.from_file(page_path("data_impor.py"), default_timeout=60), "dinsos1").run()
    assert not at.exception
    assert any(h.value == "Data penduduk (untuk angka per 1.000 penduduk)" for h in at.subheader)
    assert any("Belum ada data penduduk" in i.value for i in at.info)

    bad = write(tmp_path / "rusak.csv", [["647201", "-5", "2024", FAKE]]).read_bytes()
    at.file_uploader(key="data_pop_upload").set_value(("rusak.csv", bad, "text/csv")).run()
    at.button(key="data_pop_check").click().run()
    assert any("rusak.csv ditolak" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "data_pop_commit"]

    good = write(tmp_path / "bps.csv", GOOD).read_bytes()
    at.file_uploader(key="data_pop_upload").set_value(("bps.csv", good, "text/csv")).run()
    at.button(key="data_pop_check").click().run()
    assert any("bps.csv: 2 baris lolos pemeriksaan" in s.value for s in at.success)
    at.button(key="data_pop_commit").click().run()
    assert not at.exception
    assert any("Data penduduk diimpor dari bps.csv: 2 baris" in s.value for s in at.success)
    stored = next(
        d.value for d in at.dataframe if "Penduduk" in d.value.columns and "Berkas" in d.value.columns
    )
    assert stored["Penduduk"].tolist() == ["40.000", "100.000"]
