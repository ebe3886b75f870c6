"""AppTests of the Peta Kantong Kemiskinan page: metric, date, change mode, drill-down, join check."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
from streamlit.testing.v1 import AppTest

from analytics import formatting as fmt
from analytics.ingest import population, registry
from analytics.store import opening
from analytics.store.db import Store
from tests.helpers import BASE, login, page_path, write_csv
from tests.test_population import GOOD, write

UTARA = "64.72.05"


def run(user: str = "walikota1") -> AppTest:
    at = login(AppTest.from_file(page_path("peta.py"), default_timeout=120), user).run()
    assert not at.exception, at.exception
    return at


def title(at: AppTest) -> str:
    """The map's title (the finding)."""
    return json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The ranking table that has this column ('Kecamatan' first-column or 'Kelurahan')."""
    return next(d.value for d in at.dataframe if "Peringkat" in d.value.columns and column in d.value.columns)


def remaining(demo_db) -> tuple[pd.DataFrame, list[date]]:
    """Counts straight from area_stats, independent of the map code: per kelurahan and date."""
    store = Store.open(demo_db)
    try:
        with store.cursor() as cur:
            df = cur.execute(
                "select s.as_of, k.kode_kelurahan, k.nama, k.kode_kecamatan, c.nama as kecamatan, "
                "s.orang_aktif, s.orang_sisa_baseline from area_stats s "
                "join kelurahan k using (kode_kelurahan) join kecamatan c using (kode_kecamatan)"
            ).df()
            dates = [r[0] for r in cur.execute("select as_of from snapshot order by as_of").fetchall()]
    finally:
        store.close()
    df["as_of"] = pd.to_datetime(df["as_of"]).dt.date
    return df, dates


def test_metric_date_change_mode_and_drill_down(demo_app, accounts):
    df, dates = remaining(demo_app)
    first, last = dates[0], dates[-1]
    now = df[df["as_of"] == last]
    by_kec = now.groupby("kecamatan")["orang_aktif"].sum().sort_values(ascending=False)
    total, base_total = int(now["orang_aktif"].sum()), int(df[df["as_of"] == first]["orang_aktif"].sum())

    at = run()
    assert at.title[0].value == "Peta Kantong Kemiskinan"
    assert by_kec.index[0] == "Samarinda Utara"
    assert title(at) == (
        f"Kantong terbesar di kota: Samarinda Utara, {fmt.number(by_kec.iloc[0])} dari {fmt.number(total)} "
        f"orang di daftar ({fmt.percent(by_kec.iloc[0] / total)})"
    )
    assert next(m.value for m in at.metric if m.label == "Orang di daftar") == fmt.number(total)
    kec = table(at, "Kecamatan")
    assert kec.iloc[0][["Kecamatan", "Orang di daftar"]].tolist() == [
        "Samarinda Utara",
        fmt.number(by_kec.iloc[0]),
    ]
    assert any("Angka per 1.000 penduduk tidak ditawarkan" in c.value for c in at.caption)
    assert "Per 1.000 penduduk" not in at.selectbox(key="peta_metric").options
    assert not any("kode kelurahan" in s.value for s in at.success)  # the join check is DinsosPM's
    assert any("Semua 59 kode kelurahan" in s.value for s in run("dinsos1").success)

    at.selectbox(key="peta_metric").set_value("persen_turun").run()
    assert not at.exception
    base = df[df["as_of"] == first].groupby("kecamatan")["orang_aktif"].sum()
    left = now.groupby("kecamatan")["orang_sisa_baseline"].sum()
    slowest = (1 - left / base).idxmin()
    assert title(at).startswith(f"Paling lambat di kota: {slowest}, baru berkurang")

    at.selectbox(key="peta_metric").set_value("orang").run()
    at.select_slider(key="peta_date").set_value(first).run()
    assert f"dari {fmt.number(base_total)} orang di daftar" in title(at)
    assert base_total == 9032

    at.radio(key="peta_mode").set_value("perubahan").run()
    assert not at.exception
    drop = base_total - total
    assert title(at).startswith(f"Orang di daftar di kota turun {fmt.number(drop)} (")
    assert title(at).endswith(f"{fmt.number(base_total)} → {fmt.number(total)}")
    legend = [
        t["name"] for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"] if t.get("showlegend")
    ]
    assert legend and all(name.startswith("turun") for name in legend)  # every kecamatan fell

    at.selectbox(key="peta_kecamatan").set_value(UTARA).run()
    assert not at.exception
    utara = now[now["kode_kecamatan"] == UTARA].sort_values(["orang_aktif", "nama"], ascending=[False, True])
    kel = table(at, "Kelurahan")
    assert len(kel) == 8 and set(kel["Kecamatan"]) == {"Samarinda Utara"}
    assert kel.iloc[0][["Kelurahan", "Orang di daftar"]].tolist() == [
        utara.iloc[0]["nama"],
        fmt.number(utara.iloc[0]["orang_aktif"]),
    ]
    assert title(at).startswith("Orang di daftar di Kec. Samarinda Utara turun")
    assert next(m.value for m in at.metric if m.label == "Orang di daftar") == fmt.number(
        utara["orang_aktif"].sum()
    )

    at.radio(key="peta_rank_by").set_value("lambat").run()
    base_kel = df[(df["as_of"] == first) & (df["kode_kecamatan"] == UTARA)].set_index("nama")["orang_aktif"]
    progress = 1 - utara.set_index("nama")["orang_sisa_baseline"] / base_kel
    assert table(at, "Kelurahan").iloc[0]["Kelurahan"] == progress.idxmin()

    at.button(key="peta_back").click().run()
    assert at.selectbox(key="peta_kecamatan").value == ""
    assert title(at).startswith("Orang di daftar di kota turun")
    assert len(table(at, "Kelurahan")) == 59


def test_unknown_code_is_shown_and_rates_are_offered_with_population(tmp_path, monkeypatch, accounts):
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "peta.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    store = Store.open(tmp_path / "peta.duckdb")
    rows = [r.copy() for r in BASE]
    rows[0][3] = rows[1][3] = "SUNGAI SIRING"  # the old name of 64.72.05.1004
    registry.import_file(store, write_csv(tmp_path / "p3ke.csv", rows), date(2022, 11, 30))
    population.import_file(store, write(tmp_path / "bps.csv", GOOD))  # made-up populations
    with store.cursor() as cur:
        cur.execute("insert into area_stats values (date '2022-11-30', '64.72.05.9999', 4, 1, 4, 1, 0)")
    store.close()
    # The direct insert does not match the manifest: an operator accepts the store as it is.
    opening.adopt(tmp_path / "peta.duckdb", "uji").close()

    at = run("dinsos1")  # the join check is on DinsosPM's map only
    error = next(e.value for e in at.error if "tidak cocok" in e.value)
    assert error.startswith("1 kode wilayah di data tidak cocok dengan poligon mana pun (1 baris; 4 orang")
    unmatched = next(d.value for d in at.dataframe if "Kode di data" in d.value.columns)
    assert unmatched["Kode di data"].tolist() == ["64.72.05.9999"]
    at = run()  # the mayor's map: no join check, the same totals
    assert not any("tidak cocok" in e.value for e in at.error)
    assert next(m.value for m in at.metric if m.label == "Orang di daftar") == "9"  # 5 + 4, nothing dropped

    assert "Per 1.000 penduduk" in at.selectbox(key="peta_metric").options
    at.selectbox(key="peta_metric").set_value("per_1000").run()
    assert not at.exception
    # 3 people per 40.000 (made up) residents: the rate would give the 3 back, so the mayor sees none
    assert title(at).startswith("Per 1.000 penduduk di kota: disamarkan")

    at.selectbox(key="peta_metric").set_value("orang").run()
    at.selectbox(key="peta_kecamatan").set_value(UTARA).run()
    kel = table(at, "Kelurahan")
    # the mayor: 2 people, suppressed
    assert kel.iloc[0][["Kelurahan", "Orang di daftar"]].tolist() == ["Sungai Siring Pelita", "<5"]
    assert (kel["Orang di daftar"] == "0").sum() == 7  # the other kelurahan: zero, not missing
