"""The scale benchmark runs end to end at a tiny size, and its pandas baseline agrees with the store."""

from __future__ import annotations

import pandas as pd

from bench import run, untouched_variants


def test_benchmark_runs_end_to_end_and_pandas_answers_match_the_store(tmp_path):
    m = run.measure(300, 4, 1, tmp_path, log=lambda _m: None)
    assert len(m.import_seconds) == 4 and m.rows[0] == 300
    assert len(m.itv_seconds) == 2 * 3  # Jan and Feb 2023: three OPD files a month
    assert set(m.store) == set(m.pandas) and len(m.store) == 10
    s, p = m.results, m.pandas_results
    burndown = s["burndown_series"].set_index("as_of")["orang_aktif"]
    assert burndown.tolist() == p["burndown_series"].tolist()
    kec = s["kecamatan_series"]
    want = p["kecamatan_series"].rename("orang_aktif").reset_index()
    want["kode_kecamatan"] = want["Kode Kemdagri"].map(lambda c: f"{c[:2]}.{c[2:4]}.{c[4:6]}")
    got = kec[kec["orang_aktif"] > 0].groupby("kode_kecamatan")["orang_aktif"].sum()
    assert got.to_dict() == want.groupby("kode_kecamatan")["orang_aktif"].sum().to_dict()
    values = s["map_area_values (kecamatan+kelurahan)"]
    latest = values[values["as_of"] == values["as_of"].max()]
    kel = p["map_area_values (kecamatan+kelurahan)"][0]
    assert latest.set_index("kode_kelurahan")["orang"].sum() == kel.sum()
    assert sorted(latest[latest["orang"] > 0]["orang"].tolist()) == sorted(kel.tolist())
    flows = s["waterfall_flows"].groupby("arus")["orang"].sum()
    assert flows["keluar"] == p["waterfall_flows"]["keluar"]
    assert flows.drop("keluar").sum() == p["waterfall_flows"]["masuk"]
    diff = s["snapshot_diff (1 page)"]
    kinds = s["snapshot_diff_kinds"].groupby("arus")["orang"].sum()
    assert int(diff["total"].iloc[0]) == kinds.sum() == p["snapshot_diff (1 page)"].shape[0]
    assert kinds["keluar"] == p["snapshot_diff_kinds"]["keluar"]
    assert len(diff) == min(run.PAGE, kinds.sum())
    untouched = s["intervensi_untouched_families (1 page)"]
    families = p["intervensi_untouched_families (1 page)"].drop_duplicates(
        ["ID Keluarga P3KE", "Kode Kemdagri"]
    )
    assert int(untouched["total"].iloc[0]) == len(families)
    table = run.table(m)
    assert table.count("\n| ") == len(m.store) + 1 and "300 people × 4 snapshots" in table
    assert all(isinstance(s[k], pd.DataFrame) for k in s)


def test_untouched_page_designs_compared_in_the_benchmark_return_the_named_querys_rows(tmp_path):
    run.measure(300, 4, 1, tmp_path, log=lambda _m: None, with_pandas=False)
    db = tmp_path / "bench.duckdb"
    as_of, total, rows = untouched_variants.compare(db, runs=1)
    assert total > 0 and len(rows) == 4
    assert all(ok for _label, _median, _p95, ok in rows), rows
    profile = untouched_variants.profile(db, as_of)
    assert profile["total (profiler)"] > profile["optimizer"] > 0
