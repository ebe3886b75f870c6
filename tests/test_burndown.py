"""Burn-down queries and arithmetic against hand-computed answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from analytics.access import auth
from analytics.burndown import progress
from analytics.ingest import registry
from tests.helpers import BASE, write_csv

D0, D1, D2, D3 = date(2022, 11, 30), date(2022, 12, 31), date(2023, 1, 31), date(2023, 2, 28)


@pytest.fixture
def small(store, tmp_path):
    """Four snapshots of the five-person fixture.

    D1: Budi dies (Keluar row), Euis vanishes, Fajar is found (new entrant, Palaran).
    D2: Euis re-enters; Ani moves from Sungai Siring Pelita (Utara) to Handil Bakti (Palaran).
    D3: Cici graduates.
    """
    s1 = [r.copy() for r in BASE]
    s1[1][9], s1[1][10] = "Keluar", "Meninggal"
    del s1[4]
    fajar = [
        "K4",
        "6472011002",
        "PALARAN",
        "HANDIL BAKTI",
        "Fajar",
        "6472010101900006",
        "1",
        "Laki-laki",
        "1990-01-01",
        "Aktif",
        "",
    ]
    s1.append(fajar)
    s2 = [r.copy() for r in BASE if r[4] != "Budi"] + [fajar]
    s2[0][1] = "6472011002"
    s3 = [r.copy() for r in s2]
    s3[1][9], s3[1][10] = "Keluar", "Graduasi"
    for d, rows in [(D0, BASE), (D1, s1), (D2, s2), (D3, s3)]:
        registry.import_file(store, write_csv(tmp_path / f"{d}.csv", rows), d, confirmed=True)
    return store


def test_remaining_per_snapshot(small):
    df = progress.series(small)
    assert df["orang_aktif"].tolist() == [5, 4, 5, 4]
    assert df["orang_sisa_baseline"].tolist() == [5, 3, 4, 3]
    assert df["orang_baru"].tolist() == [0, 1, 1, 1]
    # K3 (Euis alone) is gone at D1 and back at D2; K2 keeps Dodi after Cici graduates
    assert df["keluarga_sisa_baseline"].tolist() == [3, 2, 3, 3]


def test_remaining_for_one_kecamatan_follows_the_move(small):
    utara = progress.series(small, kode_kecamatan="64.72.05")
    assert utara["orang_aktif"].tolist() == [2, 1, 0, 0]
    palaran = progress.series(small, kode_kecamatan="64.72.01")
    assert palaran["orang_aktif"].tolist() == [3, 3, 5, 4]


@pytest.mark.parametrize("kec", [None, "64.72.05", "64.72.01"])
@pytest.mark.parametrize("span", [(D0, D1), (D0, D3), (D1, D2), (D2, D3)])
def test_waterfall_steps_sum_exactly_to_the_change(small, kec, span):
    steps = progress.waterfall(small, *span, kode_kecamatan=kec)
    assert steps["orang"].iloc[:-1].sum() == steps["orang"].iloc[-1]


def test_waterfall_names_the_reasons(small):
    steps = progress.waterfall(small, D0, D3).set_index("langkah")["orang"]
    assert steps["awal"] == 5 and steps["akhir"] == 4
    assert steps["keluar:meninggal"] == -1
    # the registry's graduation has no verification behind it: graduation without proof
    assert steps["keluar:graduasi:terbukti"] == 0 and steps["keluar:graduasi:tanpa_bukti"] == -1
    assert steps["keluar:desil_naik"] == 0
    assert steps["keluar:tidak_diketahui"] == -1
    assert steps["masuk_baru"] == 1 and steps["masuk_kembali"] == 1
    parts = progress.fall_breakdown(progress.waterfall(small, D0, D3))
    assert parts == {
        "keluar": 3,
        "graduasi": 1,
        "graduasi_terbukti": 0,
        "graduasi_tanpa_bukti": 1,
        "desil_naik": 0,
        "koreksi": 1,
        "koreksi_verval": 0,
        "tidak_diketahui": 1,
    }


def test_waterfall_for_a_kecamatan_shows_moves_inside_the_city(small):
    steps = progress.waterfall(small, D1, D2, kode_kecamatan="64.72.05").set_index("langkah")["orang"]
    assert steps["mutasi"] == -1
    assert (steps["awal"], steps["akhir"]) == (1, 0)


def test_forecast_on_a_straight_line_hits_the_known_zero_date():
    dates = [date(2024, 1, 1) + timedelta(days=30 * i) for i in range(6)]
    values = [1000 - 100 * i for i in range(6)]  # 500 left, falling 100 per 30 days
    fc = progress.forecast(dates, values)
    assert fc.per_day == pytest.approx(-100 / 30)
    assert fc.zero_date == dates[-1] + timedelta(days=150)
    assert fc.zero_date_early == fc.zero_date_late == fc.zero_date  # a perfect line has no spread


def test_forecast_band_widens_with_noise_and_flat_pace_never_reaches_zero():
    dates = [date(2024, 1, 1) + timedelta(days=30 * i) for i in range(6)]
    fc = progress.forecast(dates, [1000, 880, 820, 690, 610, 500])
    assert fc.zero_date_early < fc.zero_date < fc.zero_date_late
    flat = progress.forecast(dates, [500, 510, 495, 505, 500, 500])
    assert flat.zero_date is None  # about 70 years away: beyond the 25-year horizon


def test_verdict_behind_and_on_track():
    dates = [date(2024, 1, 1) + timedelta(days=30 * i) for i in range(6)]
    import pandas as pd

    df = pd.DataFrame({"as_of": dates, "orang_sisa_baseline": [1000 - 100 * i for i in range(6)]})
    early = progress.verdict(df, "orang", target=date(2025, 12, 31))
    assert early.on_track and "Sesuai jalur" in early.headline
    late = progress.verdict(df, "orang", target=date(2024, 6, 30))
    assert not late.on_track and "setelah target" in late.reason


def test_ideal_line():
    assert progress.ideal_at(1000, date(2024, 1, 1), date(2024, 12, 31), date(2024, 1, 1)) == 1000
    assert progress.ideal_at(1000, date(2024, 1, 1), date(2025, 1, 1), date(2024, 7, 2)) == pytest.approx(
        1000 * (1 - 183 / 366)
    )
    assert progress.ideal_at(1000, date(2024, 1, 1), date(2024, 12, 31), date(2025, 3, 1)) == 0


def test_snapshot_diff_lists_people_with_masked_nik_and_no_names(small):
    diff = progress.snapshot_diff(small, D0, D3, auth.User("o", "opd:DISKOPUKM"))
    assert diff.empty  # an OPD without records in this store sees nobody: filtered in SQL
    diff = progress.snapshot_diff(small, D0, D3, auth.User("d", "dinsos"))
    rows = sorted(zip(diff["arus"], diff["alasan"].fillna(""), diff["nik_masked"], strict=True))
    assert rows == [
        ("keluar", "graduasi", "647201**********"),
        ("keluar", "meninggal", "647205**********"),
        ("masuk_baru", "", "647201**********"),
    ]
    assert set(diff["nama"]) == {"Cici", "Budi", "Fajar"}
    assert progress.snapshot_diff(small, D0, D3, auth.User("w", "walikota")).empty


def test_kecamatan_behind_sorted_worst_first(small):
    behind = progress.kecamatan_behind(small, "orang", date(2030, 12, 31))
    # Utara: 0 of 2 baseline left; Palaran: 3 of 3 baseline left (Ani moved in, Cici left)
    top = behind.iloc[0]
    assert top["kecamatan"] == "Palaran" and top["sisa"] == 3 and top["baseline"] == 3
    assert behind.set_index("kecamatan").loc["Samarinda Utara", "sisa"] == 0
    assert len(behind) == 10
