"""The BLT budget on the hand-counted fixture of tests/test_interventions.py.

Programme BLT: Rp 300.000 per family per month for 10 months, Jan-Oct 2023. By 31 Mar 2023 it was
planned for K1 (Samarinda Utara), K2 and K3 (Palaran) and delivered twice to K1 and once to K2.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import formatting as fmt
from analytics.opd import budget
from tests.test_interventions import S1, catalog, filled  # noqa: F401  (fixtures)

TARGET = date(2023, 12, 31)


def test_planned_delivered_and_remaining(filled):  # noqa: F811
    b = budget.budget(filled, "BLT", S1, TARGET)
    assert (b.penerima, b.rencana, b.tersalur, b.sisa) == (3, 9_000_000, 900_000, 8_100_000)
    assert b.realisasi == 0.1
    assert fmt.rupiah(b.rencana) == "Rp 9 juta"


def test_by_month_spreads_the_plan_over_the_programme_period(filled):  # noqa: F811
    m = budget.budget(filled, "BLT", S1, TARGET).monthly
    assert m["bulan"].tolist() == [date(2023, i, 1) for i in range(1, 11)]
    assert set(m["rencana"]) == {900_000}
    assert m["tersalur"].tolist()[:3] == [0, 600_000, 300_000]
    assert m["tersalur"].iloc[3:].isna().all()  # after the snapshot's month: unknown, not zero
    assert m["rencana_kumulatif"].iloc[-1] == 9_000_000
    assert m["tersalur_kumulatif"].iloc[2] == 900_000
    table = budget.monthly_table(budget.budget(filled, "BLT", S1, TARGET))
    assert table["Bulan"].iloc[1] == "Feb 2023"


def test_by_kecamatan(filled):  # noqa: F811
    k = budget.budget(filled, "BLT", S1, TARGET).kecamatan.set_index("kecamatan")
    assert len(k) == 10
    assert k.loc["Samarinda Utara"].tolist() == [1, 3_000_000, 600_000, 2_400_000]
    assert k.loc["Palaran"].tolist() == [2, 6_000_000, 300_000, 5_700_000]
    assert k["rencana"].sum() == 9_000_000 and k["tersalur"].sum() == 900_000


def test_projection_to_the_target_date(filled):  # noqa: F811
    b = budget.budget(filled, "BLT", S1, TARGET)
    # 4 families on the list at 31 Mar 2023, Rp 300.000 each, April to December = 9 months.
    assert (b.sisa_daftar, b.bulan_ke_target) == (4, 9)
    assert (b.kebutuhan_per_bulan, b.kebutuhan_ke_target) == (1_200_000, 10_800_000)
    passed = budget.budget(filled, "BLT", S1, date(2023, 3, 1))
    assert (passed.bulan_ke_target, passed.kebutuhan_ke_target) == (0, 0)


def test_per_person_programme_counts_people_and_an_empty_one_is_zero(filled):  # noqa: F811
    b = budget.budget(filled, "BLTO", S1, TARGET)
    assert (b.penerima, b.rencana, b.tersalur, b.sisa_daftar) == (0, 0, 0, 5)  # 5 people on the list
    assert b.realisasi is None and b.kebutuhan_per_bulan == 500_000


def test_off_list_recipients_get_an_unknown_area_row(filled, tmp_path):  # noqa: F811
    from analytics.ingest import interventions
    from tests.test_interventions import STRANGER, write_itv

    path = write_itv(tmp_path / "blto.csv", [[STRANGER, "", "BLTO", "05/03/2023", "", "Tersalur", ""]])
    interventions.import_file(filled, path, "DINSOSPM", mode="tambah")
    k = budget.budget(filled, "BLTO", S1, TARGET).kecamatan
    assert k.iloc[-1].tolist() == [budget.unknown_area(), 1, 300_000, 100_000, 200_000]


def test_cash_programmes_and_the_default_choice(filled):  # noqa: F811
    cash = budget.cash_programs(filled)
    assert cash["kode_program"].tolist() == ["BLT", "BLTO"]  # UEP and bedah rumah are not cash
    assert budget.default_program(cash, S1) == "BLT"


def test_default_programme_follows_the_snapshot_date():
    programs = pd.DataFrame(
        {
            "kode_program": ["BAAS", "BLT-2023", "BLT-2024"],
            "mulai": [date(2023, 6, 1), date(2023, 1, 1), date(2024, 3, 1)],
            "selesai": [date(2024, 12, 31), date(2023, 12, 31), date(2024, 12, 31)],
        }
    )
    assert budget.default_program(programs, date(2022, 12, 31)) == "BLT-2023"  # none started yet
    assert budget.default_program(programs, date(2023, 6, 30)) == "BLT-2023"
    assert budget.default_program(programs, date(2024, 2, 29)) == "BLT-2023"  # between the two
    assert budget.default_program(programs, date(2024, 6, 30)) == "BLT-2024"
