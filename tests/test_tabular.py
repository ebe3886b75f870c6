"""The CSV reader: Arrow's fast path gives exactly what the row-by-row reader gives, or steps aside."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.ingest import tabular

COLUMNS = {"nik": {"nik"}, "nama": {"nama"}, "kode": {"kode kemdagri", "kode"}}
LOOKUP = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}

REGULAR = {
    "plain": "NIK,Nama,Kode Kemdagri\n6472,Ani,6472051010\n6473,Budi,6472051011\n",
    "title rows above the header": "DATA P3KE\nKota Samarinda\n\nNIK,Nama,Kode\n6472,Ani,1\n6473,Budi,2\n",
    "padding, empty cells, a row of only delimiters": (
        "NIK,Nama,Kode\n 6472 , Ani ,\n,,\n6473,,2\n\t6474\t,Cici,3"
    ),
    "utf-8 BOM and CRLF": "\ufeffNama,NIK,Lain\r\nAni,6472,x\r\nBudi,6473,y\r\n",
    "quoted delimiters": 'NIK,Nama,Kode\n6472,"Ani, S.Pd",1\n"6473","Budi ""B""",2\n',
    "duplicate header keeps the first": "NIK,Nama,NIK\n6472,Ani,9999\n",
    "header only": "NIK,Nama\n",
    "semicolons": "NIK;Nama;Kode\n6472;Ani;1\n",
    "blank line between rows": "NIK,Nama\n6472,Ani\n\n6473,Budi\n",
}
IRREGULAR = {
    "line break inside a cell": 'NIK,Nama\n6472,"Ani\nAnwar"\n6473,Budi\n',
    "ragged row": "NIK,Nama\n6472,Ani,extra\n6473\n",
}


def slow(data: bytes) -> tabular.RawTable:
    return tabular._table_from_rows(tabular._csv_rows(data), "x.csv", LOOKUP, "nik", "NIK", ("nik",))


def same(a: tabular.RawTable, b: tabular.RawTable) -> None:
    assert a.rows == b.rows
    assert a.header_row == b.header_row and a.headers == b.headers
    pd.testing.assert_frame_equal(a.frame, b.frame)


@pytest.mark.parametrize("text", REGULAR.values(), ids=REGULAR.keys())
def test_the_fast_csv_path_equals_the_row_by_row_reader(text):
    data = text.encode("utf-8")
    fast = tabular._fast_csv(data, "x.csv", LOOKUP, "nik")
    assert fast is not None
    same(fast, slow(data))
    same(tabular.read_table(data, "x.csv", COLUMNS, "nik", "NIK", ("nik",)), slow(data))


@pytest.mark.parametrize("text", IRREGULAR.values(), ids=IRREGULAR.keys())
def test_irregular_files_fall_back_to_the_row_by_row_reader(text):
    data = text.encode("utf-8")
    assert tabular._fast_csv(data, "x.csv", LOOKUP, "nik") is None
    same(tabular.read_table(data, "x.csv", COLUMNS, "nik", "NIK", ()), slow(data))


def test_row_numbers_after_title_rows_and_skipped_empty_rows_are_the_files_own():
    data = b"Judul\n\nNIK,Nama\n6472,Ani\n,\n6473,Budi\n"
    table = tabular.read_table(data, "x.csv", COLUMNS, "nik", "NIK")
    assert table.header_row == 3
    assert table.rows == [4, 6]
    assert list(table.frame["nama"]) == ["Ani", "Budi"]


def test_windows_1252_files_are_read_by_the_fallback():
    data = "NIK;Nama\n6472;Désirée\n".encode("cp1252")
    assert tabular._fast_csv(data, "x.csv", LOOKUP, "nik") is None
    assert list(tabular.read_table(data, "x.csv", COLUMNS, "nik", "NIK").frame["nama"]) == ["Désirée"]
