"""The coordination meeting's findings against hand-computed answers, and the behind-pace rule.

Fixtures: `small` (tests/test_burndown.py: five people, four snapshots D0..D3) and `filled`
(tests/test_interventions.py: snapshots D0, S1, D2 and three OPD files), documented there.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.access.auth import User
from analytics.burndown import progress
from analytics.meeting import agenda
from analytics.store import settings
from tests.test_burndown import D0, D1, D2, D3, small  # noqa: F401  (fixture)
from tests.test_interventions import S1, catalog, filled  # noqa: F401  (fixtures)

DINSOS, WALIKOTA = User("dinsos1", "dinsos"), User("walikota1", "walikota")


def by_key(m: agenda.Meeting) -> dict[str, agenda.Finding]:
    return {f.key: f for f in m.findings}


def numbers(f: agenda.Finding) -> dict[str, tuple[str, str | None]]:
    return {k.label: (k.value, k.delta) for k in f.numbers}


# --- the behind-pace rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "remaining, prev, cur, target, needed",
    [
        (30, date(2024, 1, 1), date(2024, 1, 11), date(2024, 1, 31), 10),  # 10 of 30 days: exactly a third
        (100, date(2024, 1, 1), date(2024, 4, 1), date(2024, 12, 31), 25),  # 91/365 x 100 = 24.9 -> 25
        (1, date(2024, 1, 1), date(2024, 1, 2), date(2024, 12, 31), 1),  # any share of a person is a person
        (100, date(2024, 1, 1), date(2024, 12, 31), date(2024, 12, 31), 100),  # at the target: all of it
        (100, date(2024, 6, 1), date(2025, 3, 1), date(2024, 12, 31), 100),  # target inside the span
        (100, date(2025, 1, 31), date(2025, 3, 1), date(2024, 12, 31), 100),  # target already passed
        (0, date(2024, 1, 1), date(2024, 4, 1), date(2024, 12, 31), 0),  # nothing left, nothing needed
    ],
)
def test_needed_fall_is_the_straight_line_from_the_last_meeting_to_zero(remaining, prev, cur, target, needed):
    assert agenda.needed_fall(remaining, prev, cur, target) == needed


def test_pace_flags_a_kecamatan_whose_list_grew_and_passes_one_on_pace(small):  # noqa: F811
    # D1 -> D2, target D3: 31 of 59 days. Utara: 1 left, needs ceil(0.53) = 1, fell 1 (Ani moved).
    # Palaran: 2 left, needs ceil(1.05) = 2, but grew to 4 (Euis back, Ani moved in): behind by 4.
    p = progress.kecamatan_series(small)
    got = agenda.pace(p, D1, D2, D3).set_index("kecamatan")
    assert got.loc["Palaran", ["sisa_lalu", "sisa_kini", "turun", "perlu_turun", "kurang"]].tolist() == [
        2,
        4,
        -2,
        2,
        4,
    ]
    assert bool(got.loc["Palaran", "tertinggal"]) is True
    assert got.loc["Samarinda Utara", ["turun", "perlu_turun"]].tolist() == [1, 1]
    assert bool(got.loc["Samarinda Utara", "tertinggal"]) is False
    assert got.index[0] == "Palaran"  # the largest shortfall first
    assert not got.drop(index=["Palaran", "Samarinda Utara"])["tertinggal"].any()  # nobody there


def test_a_kecamatan_that_did_not_fall_is_behind_however_far_the_target(small):  # noqa: F811
    # D0 -> D3 (90 days), target 31 Dec 2024 (762 days from D0): Palaran needs ceil(3 x 90/762) = 1 and
    # fell 0; Utara needs ceil(2 x 90/762) = 1 and fell 2.
    p = progress.kecamatan_series(small)
    near = agenda.pace(p, D0, D3, date(2024, 12, 31)).set_index("kecamatan")
    assert near.loc["Palaran", ["perlu_turun", "turun"]].tolist() == [1, 0]
    assert near.loc["Samarinda Utara", ["perlu_turun", "turun", "tertinggal"]].tolist() == [1, 2, False]


# --- default dates --------------------------------------------------------------------------------


def test_default_last_meeting_is_a_quarter_before_the_latest_snapshot():
    monthly = list(pd.date_range("2022-11-30", "2024-12-31", freq="ME").date)
    assert agenda.default_previous(monthly) == date(2024, 9, 30)
    assert agenda.default_previous([date(2024, 1, 31), date(2024, 2, 29)]) == date(2024, 1, 31)  # too few
    uneven = [date(2024, 1, 15), date(2024, 3, 20), date(2024, 6, 30)]
    assert agenda.default_previous(uneven) == date(2024, 3, 20)  # on or before 30 Mar
    assert agenda.months_before(date(2024, 5, 31), 3) == date(2024, 2, 29)
    assert agenda.months_before(date(2023, 6, 30), 3) == date(2023, 3, 31)  # month end to month end
    assert agenda.months_before(date(2024, 5, 15), 3) == date(2024, 2, 15)
    assert agenda.default_previous([D0, S1, date(2023, 6, 30)]) == S1


# --- list findings on `small` ---------------------------------------------------------------------


def test_findings_of_the_list_between_d0_and_d3(small):  # noqa: F811
    m = agenda.build(small, D0, D3, DINSOS)
    assert [f.key for f in m.findings] == ["sisa", "keluar", "masuk", "peta", "tertinggal", "verval"]
    assert "Belum ada data intervensi OPD" in m.notes[0]
    f = by_key(m)

    # D3: Ani (K1, moved), Dodi (K2), Euis (K3, back) and Fajar (K4, new) are on the list.
    assert f["sisa"].title == (
        "4 orang dalam 4 keluarga di daftar per 28 Feb 2023: −1 orang, +1 keluarga sejak 30 Nov 2022"
    )
    assert numbers(f["sisa"]) == {
        "Orang di daftar": ("4", "−1"),
        "Keluarga di daftar": ("4", "+1"),
        "Sisa daftar awal (orang)": ("3", "−2"),
        "Masuk sejak daftar awal": ("1", "+1"),
    }
    table = f["sisa"].table.set_index("Ukuran")
    assert table.loc["Sisa daftar awal (keluarga)"].tolist() == [3, 3, 0]

    # Budi died (data correction), Cici graduated, Euis vanished once (unknown reason).
    assert f["keluar"].title == (
        "3 orang keluar dari daftar sejak 30 Nov 2022: 1 graduasi (33,3%), 1 koreksi data, 1 tanpa alasan"
    )
    assert numbers(f["keluar"])["Graduasi (nyata)"] == ("1", "33,3%")

    # Fajar is new and Euis came back, both in Palaran.
    assert f["masuk"].title == (
        "1 orang temuan baru masuk daftar sejak 30 Nov 2022 dan 1 masuk kembali; terbanyak di Palaran (2)"
    )
    assert f["masuk"].table.iloc[0].tolist() == ["Palaran", 1, 1, 2]
    assert f["masuk"].table["Jumlah"].sum() == 2  # per kecamatan adds up to the city

    # People on the list: Utara 2 -> 0, Palaran 3 -> 4.
    assert f["peta"].title.startswith("Orang di daftar turun di 1 dari 10 kecamatan sejak 30 Nov 2022")
    assert f["peta"].title.endswith("terbesar Samarinda Utara (−2); naik di Palaran")

    # Default target 31 Dec 2024: Palaran (3 left) needed 1 and fell 0.
    assert f["tertinggal"].title == (
        "1 dari 2 kecamatan tertinggal dari laju menuju nol pada 31 Des 2024; "
        "terjauh Palaran (turun 0, perlu 1)"
    )
    assert f["tertinggal"].table.iloc[0].tolist() == ["Palaran", 3, 3, 0, 1, 1, "Tertinggal"]


def test_the_target_setting_moves_the_pace(small):  # noqa: F811
    settings.add_target(small, D0, date(2023, 2, 28), "Uji 1/2022")  # in force from D0
    f = by_key(agenda.build(small, D0, D3, DINSOS))["tertinggal"]
    # At the target everything left at D0 had to go: Utara 2 (all went), Palaran 3 (none went).
    assert f.table.set_index("Kecamatan").loc["Samarinda Utara", "Status"] == "Sesuai laju"
    assert f.table.iloc[0].tolist() == ["Palaran", 3, 3, 0, 3, 3, "Tertinggal"]


def test_last_meeting_must_come_first(small):  # noqa: F811
    with pytest.raises(ValueError, match="lebih awal"):
        agenda.build(small, D2, D1, DINSOS)


# --- OPD findings on `filled` ---------------------------------------------------------------------


def test_opd_findings_between_baseline_and_31_march(filled):  # noqa: F811
    f = by_key(agenda.build(filled, D0, S1, DINSOS))
    # The list at S1: 4 families. Dinsos PM reached K1 and K2 (50%), Diskop UKM K2 (Cici), Disperkim K2
    # (Dodi); nothing had been delivered by D0.
    cov = f["cakupan_opd"]
    assert cov.title == "3 dari 3 OPD menaikkan cakupan keluarga sejak 30 Nov 2022"
    assert numbers(cov)["Keluarga terjangkau OPD (%)"] == ("50,0%", "+50,0 poin")
    rows = cov.table.set_index("OPD")
    dinsos = rows.loc["Dinas Sosial dan Pemberdayaan Masyarakat"]
    assert dinsos.iloc[:6].tolist() == [0, 2, 0.0, 50.0, 50.0, 3]
    assert (
        rows.loc["Dinas Koperasi dan Usaha Kecil Menengah", "Keluarga terjangkau OPD (%) 31 Mar 2023"] == 25.0
    )

    # D0: K1, K2, K3 untouched; S1: K3 and K4 (Palaran) untouched.
    unt = f["belum_tersentuh"]
    assert unt.title == (
        "2 dari 4 keluarga di daftar belum tersentuh intervensi apa pun (−1 sejak 30 Nov 2022)"
    )
    assert unt.table.iloc[0].tolist()[:5] == ["Palaran", 2, 2, 0, 3]

    # The stranger (Diskop UKM) and family K4 before it entered (Disperkim); Budi's record is in April.
    off = f["luar_daftar"]
    assert off.title == (
        "2 penerima OPD di luar daftar P3KE, 2 baru sejak 30 Nov 2022; terbanyak baru: Diskop UKM (1)"
    )
    assert off.table["Baru sejak rapat lalu"].tolist() == [1, 1]
    assert sorted(off.detail["Mengapa di luar daftar"]) == [
        "Belum masuk daftar pada tanggal itu",
        "Tidak pernah ada di daftar P3KE",
    ]

    # BLT: 3 families planned x Rp 300.000 x 10 months; Rp 900.000 delivered by S1.
    blt = f["anggaran_blt"]
    assert blt.title == (
        "BLT: tersalur Rp 900 ribu dari rencana Rp 9 juta (10,0%); Rp 900 ribu sejak 30 Nov 2022"
    )
    assert numbers(blt)["Sisa anggaran"] == ("Rp 8,1 juta", None)


def test_mayor_gets_no_person_level_rows(filled):  # noqa: F811
    f = by_key(agenda.build(filled, D0, S1, WALIKOTA))
    assert f["luar_daftar"].detail is None
    assert all(x.detail is None for x in f.values())


def test_every_finding_has_a_figure_a_table_and_a_stated_title(filled):  # noqa: F811
    m = agenda.build(filled, D0, S1, DINSOS)
    assert len(m.findings) == 10
    for f in m.findings:
        assert f.title and any(ch.isdigit() for ch in f.title)
        assert not f.table.empty and f.table.index.tolist() == list(range(len(f.table)))
        assert f.figure is not None and f.figure().layout.title.text
