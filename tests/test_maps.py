"""Poverty-pocket maps: joins to polygons, colour classes, zero versus missing, figures."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import shape

from analytics.burndown import progress
from analytics.ingest import registry
from analytics.maps import build, classes, geometry, metrics, words
from analytics.maps import figure as map_figure
from analytics.store.db import Store
from tests.helpers import BASE, write_csv

D0, D1 = date(2022, 11, 30), date(2022, 12, 31)
COUNT = metrics.METRICS["orang"].format
SIRING, RAWA, HANDIL, NEVER = "64.72.05.1004", "64.72.01.1001", "64.72.01.1002", "64.72.03.1001"


@pytest.fixture
def two(store, tmp_path):
    """BASE at D0 (Sungai Siring Pelita 2, Rawa Makmur 2, Handil Bakti 1); at D1 Budi (Siring)
    has left and Euis (Handil Bakti's only person) is simply absent, so Handil Bakti has no
    area_stats row at D1. Hand-computed at D1: Siring 1 of 2, Rawa 2 of 2, Handil 0 of 1."""
    registry.import_file(store, write_csv(tmp_path / "d0.csv", BASE), D0)
    registry.import_file(
        store, write_csv(tmp_path / "d1.csv", [BASE[0], BASE[2], BASE[3]]), D1, confirmed=True
    )
    return store


def at(frame: pd.DataFrame, when: date, code: str) -> pd.Series:
    return frame[(frame["as_of"] == when) & (frame["kode"] == code)].iloc[0]


# --- joins -------------------------------------------------------------------------------------


def test_every_demo_kelurahan_joins_a_polygon_and_totals_match_the_burndown(demo_db):
    store = Store.open(demo_db)
    try:
        assert geometry.unmatched_codes(store).empty
        codes = set(store.query("map_area_values")["kode_kelurahan"])
        assert codes == set(geometry.boundaries("kelurahan")["kode"]) and len(codes) == 59
        with store.cursor() as cur:
            stats_codes = {
                r[0] for r in cur.execute("select distinct kode_kelurahan from area_stats").fetchall()
            }
        assert stats_codes <= codes
        frames = build.frames(store)
        series = progress.series(store).set_index("as_of")
        for level, frame in frames.items():
            sums = frame.groupby("as_of")[["orang", "keluarga", "sisa_baseline"]].sum()
            assert sums["orang"].tolist() == series["orang_aktif"].tolist(), level
            assert sums["keluarga"].tolist() == series["keluarga_aktif"].tolist(), level
            assert sums["sisa_baseline"].tolist() == series["orang_sisa_baseline"].tolist(), level
        assert len(frames["kelurahan"]) == 59 * len(series) and len(frames["kecamatan"]) == 10 * len(series)
    finally:
        store.close()


def test_an_unknown_area_code_is_reported_not_dropped(two):
    with two.cursor() as cur:  # the importer refuses unknown codes, so write the row directly
        cur.execute("insert into area_stats values (?, '64.72.05.9999', 7, 2, 7, 2, 0)", [D1])
    found = geometry.unmatched_codes(two)
    assert found[["kode_kelurahan", "baris", "orang_terakhir"]].values.tolist() == [["64.72.05.9999", 1, 7]]
    assert bool(found.iloc[0]["tanpa_poligon_kelurahan"]) and not bool(
        found.iloc[0]["tanpa_poligon_kecamatan"]
    )
    kec = metrics.area_frame(two, "kecamatan")
    assert at(kec, D1, "64.72.01")["orang_kota"] == 3 + 7  # the city total still counts it
    summary = {m["label"]: m["value"] for m in words.summary(build.frames(two), D1)}
    assert summary["Orang di daftar"] == "10"


def test_a_kecamatan_code_with_no_polygon_is_reported_too(two):
    with two.cursor() as cur:
        cur.execute("insert into area_stats values (?, '64.72.99.1001', 1, 1, 1, 1, 0)", [D1])
    found = geometry.unmatched_codes(two)
    assert found["kode_kelurahan"].tolist() == ["64.72.99.1001"]
    assert bool(found.iloc[0]["tanpa_poligon_kecamatan"])


def test_old_name_sungai_siring_lands_on_its_current_polygon(store, tmp_path):
    rows = [r.copy() for r in BASE]
    rows[0][3] = rows[1][3] = "SUNGAI SIRING"  # the pre-2025 name, as BPS and older lists write it
    result = registry.import_file(store, write_csv(tmp_path / "lama.csv", rows), D0)
    assert result.warnings == 0
    frame = metrics.area_frame(store, "kelurahan")
    row = at(frame, D0, SIRING)
    assert (row["nama"], row["orang"], row["kode_kecamatan"]) == ("Sungai Siring Pelita", 2, "64.72.05")
    figure = build.build({"kecamatan": metrics.area_frame(store, "kecamatan"), "kelurahan": frame},
                             "orang", "kuantil", D0, kecamatan="64.72.05").figure  # fmt: skip
    main = next(t for t in figure.data if t.type == "choropleth" and t.name == "Orang di daftar")
    z = dict(zip(main.locations, main.z, strict=True))
    assert z[SIRING] == 1.5  # class 1 ("1 – 2"), not the zero class 0.5


# --- zero versus missing ------------------------------------------------------------------------


def test_zero_remaining_is_zero_and_its_own_class_not_missing(two):
    frame = metrics.area_frame(two, "kelurahan")
    assert at(frame, D1, HANDIL)[["orang", "orang_baseline", "persen_turun"]].tolist() == [0, 1, 1.0]
    assert at(frame, D1, NEVER)["orang"] == 0  # never on the list: zero too
    assert at(frame, D1, SIRING)["persen_turun"] == 0.5
    assert np.isnan(at(frame, D1, NEVER)["persen_turun"])  # no baseline: the share cannot be computed

    frames = build.frames(two)
    result = build.build(frames, "orang", "kuantil", D1)
    assert result.classes.labels == ("0 (nihil)", "1 – 2", "3")
    kel = build.build(frames, "orang", "kuantil", D1, kecamatan="64.72.01")
    table = kel.table.set_index("Kode")
    assert table.loc[HANDIL, ["Orang di daftar (31 Des 2022)", "Kelas warna"]].tolist() == [0, "0 (nihil)"]
    assert "Tidak ada data" not in {t.name for t in kel.figure.data}
    main = next(t for t in kel.figure.data if t.name == "Orang di daftar")
    assert dict(zip(main.locations, main.z, strict=True))[HANDIL] == 0.5  # zero class, drawn

    pct = build.build(frames, "persen_turun", "kuantil", D1, kecamatan="64.72.03")
    missing = next(t for t in pct.figure.data if t.name == "Tidak ada data")
    assert NEVER in list(missing.locations)
    assert pct.table.set_index("Kode").loc[NEVER, "Kelas warna"] == "Tidak ada data"
    pct_palaran = build.build(frames, "persen_turun", "kuantil", D1, kecamatan="64.72.01")
    assert (
        pct_palaran.table.set_index("Kode").loc[HANDIL, "Turun dari daftar awal (%) (31 Des 2022)"] == 100.0
    )


def test_kecamatan_metrics_hand_computed(two):
    kec = metrics.area_frame(two, "kecamatan")
    palaran = at(kec, D1, "64.72.01")
    assert palaran[["orang", "orang_baseline", "sisa_baseline", "orang_kota"]].tolist() == [2, 3, 2, 3]
    assert palaran["persen_turun"] == pytest.approx(1 / 3)
    assert palaran["pangsa"] == pytest.approx(2 / 3)
    assert "per_1000" not in metrics.available(kec)  # no population imported


# --- classification -----------------------------------------------------------------------------


def test_quantile_breaks_on_one_to_ten():
    assert classes.positive_breaks(np.arange(1, 11), "kuantil", 5, integer=True) == [2, 4, 6, 8, 10]
    c = classes.level_classes(np.arange(0, 11), "kuantil", True, "OrRd", COUNT)
    assert c.labels == ("0 (nihil)", "1 – 2", "3 – 4", "5 – 6", "7 – 8", "9 – 10")
    assert c.colors[0] == classes.ZERO_COLOR
    assert c.assign(np.array([0, 1, 2, 3, 10, 11, np.nan])).tolist() == [0, 1, 1, 2, 5, 5, -1]


def test_natural_breaks_find_the_three_groups():
    values = np.array([0, 1, 1, 1, 5, 5, 5, 10, 10, 10])
    assert classes.positive_breaks(values, "jenks", 3, integer=True) == [1, 5, 10]
    c = classes.level_classes(values, "jenks", True, "OrRd", COUNT)
    assert c.labels == ("0 (nihil)", "1", "2 – 5", "6 – 10")


def test_fixed_steps_are_round_numbers_with_id_id_labels():
    assert classes.nice_step(1587, 5) == 500
    c = classes.level_classes(np.array([0, 12, 700, 1587]), "tetap", True, "OrRd", COUNT)
    assert c.labels == ("0 (nihil)", "1 – 500", "501 – 1.000", "1.001 – 1.500", "1.501 – 2.000")


def test_percent_classes_and_a_single_value():
    pct = metrics.METRICS["persen_turun"]
    c = classes.level_classes(np.array([0.0, 0.05, 0.1, 0.2, 0.35]), "tetap", False, "Greens", pct.format)
    assert c.labels == ("0 (nihil)", "5,0% – 10,0%", "10,0% – 20,0%", "20,0% – 30,0%", "30,0% – 40,0%")
    same = classes.level_classes(np.array([5, 5, 5]), "kuantil", True, "OrRd", COUNT)
    assert same.labels == ("0 (nihil)", "1 – 5")  # whole numbers: the class holds 1 to 5


def test_change_classes_are_centred_on_zero_and_rises_are_red():
    c = classes.change_classes(np.array([-30, -10, 0, 5, 20]), "tetap", True, True, COUNT)
    falls = ("turun 21 – 30", "turun 11 – 20", "turun 1 – 10")
    assert c.labels == (*falls, "0 (tetap)", "naik 1 – 10", "naik 11 – 20", "naik 21 – 30")
    assert c.assign(np.array([-30, -10, 0, 5, 20])).tolist() == [0, 2, 3, 4, 5]
    assert c.colors[0] == "rgb(5, 48, 97)" and c.colors[-1] == "rgb(103, 0, 31)"  # falls blue, rises red
    good_up = classes.change_classes(np.array([-0.1, 0.2]), "tetap", False, False, COUNT)
    assert good_up.colors[0] == "rgb(103, 0, 31)"  # for % reduced a fall is the bad direction


def test_breaks_stay_the_same_across_dates(two):
    frames = build.frames(two)
    first = build.build(frames, "orang", "jenks", D0, kecamatan="64.72.01")
    later = build.build(frames, "orang", "jenks", D1, kecamatan="64.72.01")
    assert first.classes == later.classes


# --- geometry and figure ------------------------------------------------------------------------


def test_multipart_areas_are_dissolved_into_one_clockwise_feature(tmp_path):
    def square(x: float) -> list:
        return [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]]  # anticlockwise, as RFC 7946 writes

    def feature(code: str, x: float) -> dict:
        return {
            "type": "Feature",
            "properties": {"kode": code},
            "geometry": {"type": "Polygon", "coordinates": square(x)},
        }

    features = [feature("A", 0), feature("A", 5), feature("B", 9)]
    path = tmp_path / "x.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    gdf = geometry.read_boundaries(path, "kode").set_index("kode")
    assert sorted(gdf.index) == ["A", "B"]
    assert gdf.loc["A", "geometry"].geom_type == "MultiPolygon" and gdf.loc["A", "geometry"].area == 2
    assert not any(p.exterior.is_ccw for p in gdf.loc["A", "geometry"].geoms)
    assert not gdf.loc["B", "geometry"].exterior.is_ccw


def test_shipped_boundaries_have_one_feature_per_code():
    for level, n in (("kecamatan", 10), ("kelurahan", 59)):
        collection = geometry.geojson(level)
        ids = [f["id"] for f in collection["features"]]
        assert len(ids) == len(set(ids)) == n
        assert all(not shape(f["geometry"]).exterior.is_ccw for f in collection["features"])


def test_city_figure_has_labels_attribution_and_offline_config(demo_db):
    store = Store.open(demo_db)
    try:
        frames = build.frames(store)
    finally:
        store.close()
    last = metrics.snapshot_dates(frames["kecamatan"])[-1]
    result = build.build(frames, "orang", "kuantil", last)
    fig = result.figure
    texts = [t for t in fig.data if t.type == "scattergeo" and t.mode == "text"]
    shown = " ".join(str(x) for t in texts for x in t.text)
    assert all(name in shown for name in build.kecamatan_names(frames).values())
    assert "Samarinda Kota" in " ".join(texts[-1].text)  # the smallest kecamatan gets a callout
    assert fig.layout.annotations[0].text == map_figure.attribution()
    assert fig.layout.title.text.startswith("Kantong terbesar di kota: Samarinda Utara")
    assert map_figure.PLOTLY_CONFIG["topojsonURL"].startswith("data:")
    hover = next(t for t in fig.data if t.name == "Orang di daftar").text[0]
    assert "Daftar awal (30 Nov 2022)" in hover and "Perubahan sejak daftar awal" in hover


def test_selected_code_reads_the_clicked_location():
    event = {"selection": {"points": [{"curve_number": 0, "location": "64.72.05"}], "point_indices": [4]}}
    assert geometry.selected_code(event) == "64.72.05"
    assert geometry.selected_code({"selection": {"points": []}}) is None
    assert geometry.selected_code(None) is None


def test_coverage_metric_matches_the_opd_page_and_needs_interventions(demo_db):
    from analytics.maps import metrics
    from analytics.opd import coverage

    store = Store.open(demo_db)
    frame = metrics.area_frame(store, "kelurahan")
    assert "cakupan" in metrics.available(frame)
    last = max(frame["as_of"])
    on_map = frame[frame["as_of"] == last].set_index("kode")["cakupan"]
    on_page = coverage.kelurahan_coverage(store, last).set_index("kode_kelurahan")["cakupan"]
    assert on_map.dropna().round(9).to_dict() == on_page.dropna().astype(float).round(9).to_dict()
    empty = Store.open(None)
    assert "cakupan" not in metrics.available(metrics.area_frame(empty, "kecamatan"))
