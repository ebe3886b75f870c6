"""The map page's DTSEN desil 1–4 distribution against hand counts of desil_area rows.

Two snapshots of the five-person fixture (tests/helpers.BASE): D0 read from P3KE, D1 from a DTSEN desil
file. desil_area rows are inserted as a DTSEN import writes them (families and people per desil per
kelurahan, over the whole file):

    D1  64.72.05.1004 Sungai Siring Pelita (Samarinda Utara)  desil 1: 7 KK / 25   desil 2: 3 / 10
                                                              desil 5: 9 / 30 (not in 1–4)
    D1  64.72.05.1003 Lempake (Samarinda Utara)               desil 1: 6 / 20      desil 3: 11 / 40
    D1  64.72.01.1002 Handil Bakti (Palaran)                  desil 1: 12 / 40     desil 4: 2 / 6
    D0  64.72.05.1004                                         desil 1: 50 / 100 (an older file: ignored)

Hand counts: Samarinda Utara desil 1 = 7 + 6 = 13, desil 2 = 3, desil 3 = 11, desil 4 = 0, desil 1–4 = 27
families and 25 + 10 + 20 + 40 = 95 people; Palaran desil 1 = 12, desil 4 = 2, desil 1–4 = 14 / 46.
On the city's list at D1 (a separate fact): K1 in Sungai Siring Pelita, K2 in Rawa Makmur and K3 in
Handil Bakti, one family each.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.ingest import registry
from analytics.maps import desil
from analytics.store import opening
from analytics.store.db import Store
from tests.helpers import BASE, login, page_path, write_csv

D0, D1 = date(2022, 11, 30), date(2023, 3, 31)
UTARA, PALARAN = "64.72.05", "64.72.01"
SIRING, LEMPAKE, HANDIL = "64.72.05.1004", "64.72.05.1003", "64.72.01.1002"
ROWS = [
    (D1, SIRING, 1, 7, 25),
    (D1, SIRING, 2, 3, 10),
    (D1, SIRING, 5, 9, 30),
    (D1, LEMPAKE, 1, 6, 20),
    (D1, LEMPAKE, 3, 11, 40),
    (D1, HANDIL, 1, 12, 40),
    (D1, HANDIL, 4, 2, 6),
    (D0, SIRING, 1, 50, 100),
]


def fill(store: Store, folder: Path, dtsen: bool = True) -> Store:
    """The two snapshots; with dtsen, D1 is a DTSEN snapshot with the desil rows above."""
    for i, d in enumerate((D0, D1)):  # the same people; a title row keeps the two files apart
        registry.import_file(store, write_csv(folder / f"{d}.csv", BASE, title_rows=i), d, confirmed=True)
    if dtsen:
        with store.cursor() as cur:
            cur.execute("update snapshot set sumber = 'dtsen_desil' where as_of = $d", {"d": D1})
            cur.executemany("insert into desil_area values (?, ?, ?, ?, ?)", ROWS)
        store.changed()  # direct writes: answers kept for the old version are stale
    return store


@pytest.fixture
def dtsen(store, tmp_path):
    return fill(store, tmp_path)


def test_per_area_counts_equal_the_hand_count(dtsen):
    long = desil.rows(dtsen)
    assert desil.latest_date(dtsen) == D1
    kel = desil.per_area(long, "kelurahan").set_index("kode")
    assert len(kel) == 59  # every kelurahan, zero where the file had none
    cols = ["keluarga_1", "keluarga_2", "keluarga_3", "keluarga_4", "keluarga_1_4", "orang_1_4"]
    assert kel.loc[SIRING, cols].tolist() == [7, 3, 0, 0, 10, 35]
    assert kel.loc[LEMPAKE, cols].tolist() == [6, 0, 11, 0, 17, 60]
    assert kel.loc[HANDIL, cols].tolist() == [12, 0, 0, 2, 14, 46]
    assert kel.loc["64.72.01.1001", cols].tolist() == [0] * 6
    assert kel.loc[[SIRING, "64.72.01.1001", HANDIL], "keluarga_daftar"].tolist() == [1, 1, 1]
    kec = desil.per_area(long, "kecamatan").set_index("kode")
    assert len(kec) == 10
    assert kec.loc[UTARA, cols].tolist() == [13, 3, 11, 0, 27, 95]
    assert kec.loc[PALARAN, cols].tolist() == [12, 0, 0, 2, 14, 46]
    assert kec.loc[[UTARA, PALARAN], "keluarga_daftar"].tolist() == [1, 2]
    # a kecamatan is the sum of its kelurahan, for every kecamatan and desil
    summed = kel.groupby("kode_kecamatan")[cols].sum()
    assert (summed.loc[kec.index] == kec[cols]).all(axis=None)


def test_map_bars_and_table_of_one_desil(dtsen):
    long = desil.rows(dtsen)
    city = desil.build(long, 1, "kuantil")
    assert city.level == "kecamatan" and city.as_of == D1
    # 13 of 7 + 6 + 12
    expected = "Keluarga desil 1 di kota: terbanyak di Samarinda Utara, 13 dari 25"
    assert city.figure.layout.title.text == expected
    assert "bukan jumlah keluarga di daftar miskin ekstrem" in city.figure.layout.title.subtitle.text
    table = city.table.set_index("Kode")
    columns = ["Keluarga desil 1", "Keluarga desil 2", "Keluarga desil 1–4"]
    assert table.loc[UTARA, columns].tolist() == [13, 3, 27]
    assert table.loc[UTARA, "Keluarga di daftar"] == 1  # the list: a separate column, a separate fact
    bars = {tr.name: dict(zip(tr.y, tr.x, strict=True)) for tr in city.bars.data}
    assert [bars[f"Desil {d}"]["Samarinda Utara"] for d in desil.DESIL] == [13, 3, 11, 0]

    utara = desil.build(long, 3, "kuantil", UTARA)
    assert utara.level == "kelurahan" and len(utara.table) == 8  # Samarinda Utara's kelurahan only
    assert utara.view.set_index("kode").loc[LEMPAKE, "shown"] == 11
    assert utara.figure.layout.title.text.endswith("terbanyak di Lempake, 11 dari 11")


def test_small_counts_are_no_value_on_the_map_for_roles_that_need_it(dtsen):
    long = desil.rows(dtsen)
    exact = desil.build(long, 2, "kuantil", UTARA).view.set_index("kode")
    hidden = desil.build(long, 2, "kuantil", UTARA, suppress=True)
    assert exact.loc[SIRING, "shown"] == 3
    assert hidden.view.set_index("kode")["shown"].isna().tolist().count(True) == 1  # only the 3
    assert hidden.figure.layout.title.text.endswith(": jumlah kecil disembunyikan")


def test_no_dtsen_file_no_distribution(store, tmp_path):
    fill(store, tmp_path, dtsen=False)
    assert desil.latest_date(store) is None
    assert desil.for_store(store, 1, "kuantil", "", False) is None


def page(tmp_path: Path, monkeypatch, dtsen: bool) -> Path:
    path = tmp_path / "desil.duckdb"
    monkeypatch.setenv("NOL_EKSTREM_DB", str(path))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    fill(Store.open(path), tmp_path, dtsen).close()
    if dtsen:
        opening.adopt(path, "uji").close()  # the direct inserts do not match the manifest: accept them
    return path


def run(user: str) -> AppTest:
    at = login(AppTest.from_file(page_path("peta.py"), default_timeout=120), user).run()
    assert not at.exception, at.exception
    return at


def desil_table(at: AppTest):
    return next(d.value for d in at.dataframe if "Keluarga desil 1–4" in d.value.columns)


def chart_titled(at: AppTest, start: str) -> dict:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(s for s in specs if s["layout"].get("title", {}).get("text", "").startswith(start))


def test_peta_page_shows_the_desil_view(tmp_path, monkeypatch, accounts):
    page(tmp_path, monkeypatch, dtsen=True)
    at = run("dinsos1")
    assert "Sebaran desil DTSEN (desil 1–4)" in [s.value for s in at.subheader]
    captions = [c.value for c in at.caption]
    assert any("DTSEN terakhir (31 Mar 2023)" in c and "Keluarga di daftar" in c for c in captions)
    city = desil_table(at).set_index("Kode")
    columns = ["Keluarga desil 1", "Keluarga desil 1–4", "Orang desil 1–4"]
    assert city.loc[UTARA, columns].tolist() == ["13", "27", "95"]
    at.radio(key="peta_desil").set_value(3).run()
    assert not at.exception
    fig = chart_titled(at, "Keluarga desil 3 di kota")
    assert fig["layout"]["title"]["text"].endswith("terbanyak di Samarinda Utara, 11 dari 11")
    at.selectbox(key="peta_kecamatan").set_value(UTARA).run()
    kel = desil_table(at).set_index("Kode")
    assert kel.loc[LEMPAKE, ["Keluarga desil 1", "Keluarga desil 3", "Keluarga desil 1–4"]].tolist() == [
        "6",
        "11",
        "17",
    ]
    assert chart_titled(at, "Keluarga desil 3 di").get("layout")  # the kecamatan's own map

    mayor = run("walikota1")  # no named access: the desil 2 count of 3 is '<5' in the table
    mayor.selectbox(key="peta_kecamatan").set_value(UTARA).run()
    assert desil_table(mayor).set_index("Kode").loc[SIRING, "Keluarga desil 2"] == "<5"


def test_peta_page_without_dtsen_says_so(tmp_path, monkeypatch, accounts):
    page(tmp_path, monkeypatch, dtsen=False)
    at = run("walikota1")
    assert any("Belum ada snapshot DTSEN" in i.value for i in at.info)
    assert not any("Keluarga desil 1–4" in d.value.columns for d in at.dataframe)
    assert not at.get("plotly_chart") or all(
        "desil" not in json.loads(c.proto.spec)["layout"].get("title", {}).get("text", "")
        for c in at.get("plotly_chart")
    )
