"""id-ID number, percent, rupiah and date formats, and safe exports."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics import formatting as fmt
from analytics.access import export


@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda: fmt.number(9032), "9.032"),
        (lambda: fmt.number(12.5, 1), "12,5"),
        (lambda: fmt.number(None), "–"),
        (lambda: fmt.percent(0.342), "34,2%"),
        (lambda: fmt.percent(0.125), "12,5%"),
        (lambda: fmt.signed(-1234), "−1.234"),
        (lambda: fmt.signed(12), "+12"),
        (lambda: fmt.rupiah(2_700_000_000), "Rp 2,7 miliar"),
        (lambda: fmt.rupiah(300_000), "Rp 300 ribu"),
        (lambda: fmt.rupiah(450), "Rp 450"),
        (lambda: fmt.tanggal(date(2022, 11, 30)), "30 Nov 2022"),
        (lambda: fmt.tanggal(date(2024, 3, 31), "d MMMM yyyy"), "31 Maret 2024"),
        (lambda: fmt.bulan(date(2023, 6, 30)), "Jun 2023"),
    ],
)
def test_id_formats(call, expected):
    assert call() == expected


def test_exports_neutralise_formula_cells():
    df = pd.DataFrame({"nama": ['=HYPERLINK("x")', "+1", "-2", "@a", "Ani"], "n": [1, 2, 3, 4, 5]})
    text = export.csv_bytes(df).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1" in text and "\nAni," in text
    ws = load_workbook(io.BytesIO(export.xlsx_bytes(df, "Uji"))).active
    values = [ws.cell(row=r, column=1).value for r in range(2, 7)]
    assert values == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@a", "Ani"]
    assert ws.cell(row=2, column=1).data_type == "s"
    assert ws.cell(row=2, column=2).value == 1
