"""Page data for Intervensi OPD on the hand-counted fixture of tests/test_interventions.py.

At 31 Mar 2023 the list holds Ani (K1, Samarinda Utara), Cici and Dodi (K2, Rawa Makmur), Euis (K3)
and Fajar (K4, both Handil Bakti): 5 people, 4 families. Delivered by then: BLT to K1 and K2, UEP to
Cici and to a stranger, bedah rumah to K2 (by Dodi's NIK). Planned only: BLT K3, UEP Euis, bedah K4.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.access import auth
from analytics.demo import interventions
from analytics.demo import snapshots as demo
from analytics.opd import coverage
from tests.test_interventions import D2, S1, catalog, filled  # noqa: F401  (fixtures)

DINSOS = auth.User("d", "dinsos")
WALIKOTA = auth.User("w", "walikota")


def test_coverage_per_opd_with_shares(filled):  # noqa: F811
    cov = coverage.coverage(filled, S1).set_index("kode_opd")
    got = cov[["orang_terjangkau", "keluarga_terjangkau", "cakupan_orang", "cakupan_keluarga"]]
    assert got.loc["DINSOSPM"].tolist() == [3, 2, 0.6, 0.5]
    assert got.loc["DISKOPUKM"].tolist() == [1, 1, 0.2, 0.25]
    assert got.loc["DISPERKIM"].tolist() == [2, 1, 0.4, 0.25]
    assert got.loc["*"].tolist() == [3, 2, 0.6, 0.5]
    assert cov.loc["*", "nama"] == "Semua OPD"


def test_coverage_table_ranks_opds_by_families_then_people(filled):  # noqa: F811
    table = coverage.coverage_table(coverage.coverage(filled, S1))
    assert table["OPD"].tolist() == [
        "Semua OPD",
        "Dinas Sosial dan Pemberdayaan Masyarakat",
        "Dinas Perumahan dan Permukiman",
        "Dinas Koperasi dan Usaha Kecil Menengah",
    ]
    assert table["Keluarga terjangkau OPD (%)"].tolist() == [50.0, 50.0, 25.0, 25.0]
    assert table["Penerima di luar daftar"].tolist() == [2, 0, 1, 1]


def test_programme_table_lists_every_programme_and_filters_by_opd(filled):  # noqa: F811
    programs = coverage.program_coverage(filled, S1)
    assert programs["kode_program"].tolist() == ["BLT", "BLTO", "UEP", "BEDAH"]
    assert programs.set_index("kode_program").loc["BLTO", "orang_terjangkau"] == 0
    own = coverage.program_table(programs, "DINSOSPM")
    assert own["Kode program"].tolist() == ["BLT", "BLTO"]
    assert own["Strategi"].tolist() == ["Bantuan pendapatan", "Bantuan pendapatan"]
    assert own["Penugasan belum tersalur"].tolist() == [1, 0]


def test_heatmap_numbers_per_kecamatan(filled):  # noqa: F811
    kec = coverage.kecamatan_coverage(filled, S1)
    cell = kec.set_index(["kode_opd", "kecamatan"])
    assert cell.loc[("*", "Palaran"), ["keluarga_di_daftar", "keluarga_terjangkau"]].tolist() == [3, 1]
    assert cell.loc[("*", "Samarinda Utara"), "cakupan"] == 1.0
    assert cell.loc[("DISPERKIM", "Samarinda Utara"), "cakupan"] == 0.0
    assert pd.isna(cell.loc[("*", "Sambutan"), "cakupan"])  # nobody on the list there
    wide = coverage.kecamatan_table(kec)
    assert wide.columns[0] == "OPD" and len(wide.columns) == 11
    assert wide.set_index("OPD").loc["Semua OPD", "Palaran"] == 33.3


def test_overlap_has_all_eight_combinations(filled):  # noqa: F811
    combos = coverage.overlap(filled, S1)
    got = dict(zip(combos["kombinasi"], zip(combos["keluarga"], combos["orang"], strict=True), strict=True))
    assert got == {
        "Tunai saja": (1, 1),
        "Usaha saja": (0, 0),
        "Kantong saja": (0, 0),
        "Tunai + Usaha": (0, 0),
        "Tunai + Kantong": (0, 0),
        "Usaha + Kantong": (0, 0),
        "Tunai + Usaha + Kantong": (1, 2),
        "Belum tersentuh": (2, 2),
    }
    assert coverage.overlap_table(combos)["% keluarga di daftar"].tolist() == [
        25.0,
        0,
        0,
        0,
        0,
        0,
        25.0,
        50.0,
    ]


def test_untouched_families_per_kecamatan_and_as_a_list(filled):  # noqa: F811
    per_kec = coverage.untouched_by_kecamatan(filled, S1).set_index("kecamatan")
    assert per_kec.loc["Palaran", ["keluarga_di_daftar", "keluarga_belum_tersentuh"]].tolist() == [3, 2]
    assert per_kec.loc["Samarinda Utara", "keluarga_belum_tersentuh"] == 0
    assert per_kec["keluarga_belum_tersentuh"].sum() == 2
    listed = coverage.untouched_families(filled, S1, DINSOS)
    assert listed["ID Keluarga P3KE"].tolist() == ["K3", "K4"]
    assert listed["NIK anggota (tersamar)"].tolist() == ["647201**********", "647201**********"]
    assert listed["Penugasan belum tersalur"].tolist() == ["BLT, UEP", "BEDAH"]
    assert listed["Nama anggota"].tolist() == ["Euis", "Fajar"]
    assert coverage.untouched_families(filled, S1, WALIKOTA).empty  # filtered in SQL, not hidden


def test_untouched_families_come_one_page_at_a_time_with_the_total(filled):  # noqa: F811
    full = coverage.untouched_families(filled, S1, DINSOS)
    first, total = coverage.untouched_families_page(filled, S1, DINSOS, limit=1, offset=0)
    second, again = coverage.untouched_families_page(filled, S1, DINSOS, limit=1, offset=1)
    assert total == again == len(full) == 2
    pd.testing.assert_frame_equal(pd.concat([first, second], ignore_index=True), full)
    beyond, none = coverage.untouched_families_page(filled, S1, DINSOS, limit=1, offset=2)
    assert beyond.empty and none == 0


def test_an_opd_sees_only_the_untouched_families_it_holds_records_for(filled):  # noqa: F811
    all_ids = set(coverage.untouched_families(filled, S1, DINSOS)["ID Keluarga P3KE"])
    for code in ("DISPERKIM", "DISKOPUKM", "DINSOSPM"):
        own = coverage.untouched_families(filled, S1, auth.User("x", f"opd:{code}"))
        assert set(own["ID Keluarga P3KE"]) <= all_ids
    assert coverage.untouched_families(filled, S1, auth.User("x", "opd:DLH")).empty


def test_untouched_list_agrees_with_the_overlap_summary_on_every_snapshot(filled):  # noqa: F811
    for as_of in (date(2022, 11, 30), S1, D2):
        listed = len(coverage.untouched_families(filled, as_of, DINSOS))
        combos = coverage.overlap(filled, as_of)
        assert listed == combos.set_index("kombinasi").loc["Belum tersentuh", "keluarga"], as_of


def test_kelurahan_coverage_for_the_map(filled):  # noqa: F811
    df = coverage.kelurahan_coverage(filled, S1).set_index("kode_kelurahan")
    assert len(df) == 59
    assert df.loc["64.72.05.1004", ["keluarga_di_daftar", "keluarga_terjangkau", "cakupan"]].tolist() == [
        1,
        1,
        1.0,
    ]
    assert df.loc[
        "64.72.01.1002", ["keluarga_di_daftar", "keluarga_belum_tersentuh", "cakupan"]
    ].tolist() == [
        2,
        2,
        0.0,
    ]
    assert df["cakupan"].notna().sum() == 3


def test_off_list_table_hides_names_and_filters_by_opd(filled):  # noqa: F811
    rows = coverage.off_list(filled, D2, DINSOS)
    hidden = coverage.off_list_table(rows, show_names=False)
    assert "Nama" not in hidden.columns
    assert coverage.off_list(filled, D2, WALIKOTA).empty
    mine = coverage.off_list(filled, D2, auth.User("x", "opd:DISPERKIM"))
    assert set(mine["kode_opd"]) == {"DISPERKIM"}
    assert hidden["Mengapa di luar daftar"].tolist() == [
        "Tidak pernah ada di daftar P3KE",
        "Sudah keluar dari daftar pada tanggal itu",
        "Belum masuk daftar pada tanggal itu",
    ]
    own = coverage.off_list_table(rows, show_names=True, kode_opd="DISPERKIM")
    assert own[["OPD", "ID Keluarga P3KE", "Nama"]].values.tolist() == [["Disperkim", "K4", "–"]]
    assert coverage.off_list_table(rows, True, "DISKOPUKM")["Nama"].tolist() == ["–", "Budi"]


def test_freshness_counts_days_from_the_latest_record_to_the_snapshot(filled):  # noqa: F811
    fresh = coverage.freshness(filled, S1).set_index("kode_opd")
    assert fresh["hari_sejak_data"].tolist() == [21, 30, 16]  # 10 Mar, 1 Mar, 15 Mar 2023
    later = coverage.freshness(filled, date(2023, 6, 30)).set_index("kode_opd")
    assert later.loc["DISKOPUKM", "hari_sejak_data"] == 81  # 10 Apr
    assert later["terlambat"].tolist() == [True, False, True]
    table = coverage.freshness_table(later)
    assert table["OPD"].iloc[0] == "Dinas Sosial dan Pemberdayaan Masyarakat"  # longest silence first


def test_records_after_the_snapshot_are_counted(filled):  # noqa: F811
    assert coverage.records_after(filled, S1) == 1  # Budi's UEP on 10 Apr 2023
    assert coverage.records_after(filled, D2) == 0


@pytest.mark.parametrize(
    "combo, label",
    [
        ((True, False, False), "Tunai saja"),
        ((False, True, True), "Usaha + Kantong"),
        ((False,) * 3, "Belum tersentuh"),
    ],
)
def test_combo_labels(combo, label):
    assert coverage.combo_label(combo) == label


def test_demo_interventions_are_deterministic_and_tell_the_story():
    first = interventions.generate_interventions(seed=7)
    again = interventions.generate_interventions(seed=7)
    assert list(first) == list(again) and all(first[k].equals(again[k]) for k in first)
    assert len(first) == 15
    snapshots = demo.generate_snapshots()
    seen = set().union(*(set(df["NIK"]) for df in snapshots.values()))
    strangers = {k: int((~df["NIK"].isin(seen)).sum()) for k, df in first.items()}
    assert 0 < sum(strangers.values()) < 40 and strangers["DINSOSPM"] == 0  # a few, not DinsosPM
    last = {k: max(df["Tanggal"]) for k, df in first.items()}
    assert last["DISKAN"] < date(2023, 9, 1) and last["DINSOSPM"] >= date(2024, 12, 1)  # a late sender
    blt = first["DINSOSPM"][first["DINSOSPM"]["Kode Program"] == "BLT-2024"]
    planned = set(blt.loc[blt["Status"] == "Rencana", "ID Keluarga P3KE"])
    paid = set(blt.loc[blt["Status"] == "Tersalur", "ID Keluarga P3KE"])
    assert paid < planned  # assigned but not all delivered


def _untouched_reference(store, as_of: date, opd_code: str | None) -> list[tuple[str, str]]:
    """(kelurahan, family) untouched at as_of by the rule written out in pandas, in page order."""
    with store.cursor() as cur:
        onlist = cur.execute(
            "select pi.person_key, pi.id_keluarga, pi.kode_kelurahan, a.kode_kecamatan, a.kelurahan "
            "from person_interval pi join v_area a using (kode_kelurahan) where pi.status = 'aktif' "
            "and pi.valid_from <= ? and coalesce(pi.valid_to, date '9999-12-31') > ?",
            [as_of, as_of],
        ).df()
        records = cur.execute(
            "select kode_opd, satuan, status, tanggal, person_key, id_keluarga from v_intervensi"
        ).df()
    done = records[(records["status"] == "tersalur") & (records["tanggal"] <= pd.Timestamp(as_of))]
    by_person = onlist[onlist["person_key"].isin(done.loc[done["satuan"] == "orang", "person_key"])]
    reached = set(by_person["id_keluarga"]) | set(
        done.loc[done["satuan"] == "keluarga", "id_keluarga"].dropna()
    )
    left = onlist[~onlist["id_keluarga"].isin(reached)]
    if opd_code is not None:
        left = left[left["id_keluarga"].isin(records.loc[records["kode_opd"] == opd_code, "id_keluarga"])]
    fams = left.drop_duplicates(["id_keluarga", "kode_kelurahan"])
    fams = fams.sort_values(["kode_kecamatan", "kelurahan", "id_keluarga"])
    return list(zip(fams["kelurahan"], fams["id_keluarga"], strict=True))


@pytest.mark.parametrize("who", [DINSOS, auth.User("o", "opd:DISPERKIM")], ids=["dinsos", "opd"])
def test_untouched_pages_on_the_demo_store_equal_the_rule_at_snapshots_and_between(demo_db, who):
    """Pages are cut by the stored reach and per-kelurahan counts at each snapshot; they must list
    exactly the families the rule gives, in order. Between snapshots nothing is stored: refused."""
    from analytics.store.db import Store

    store = Store.open(demo_db)
    dates = store.query("snapshot_list")["as_of"].dt.date.tolist()
    sizes = []
    for as_of in (dates[0], dates[len(dates) // 2], dates[-1]):
        expected = _untouched_reference(store, as_of, who.opd)
        sizes.append(len(expected))
        full = coverage.untouched_families(store, as_of, who)
        assert list(zip(full["Kelurahan"], full["ID Keluarga P3KE"], strict=True)) == expected, as_of
        pages, offset = [], 0
        while True:
            page, total = coverage.untouched_families_page(store, as_of, who, limit=97, offset=offset)
            if page.empty:
                break
            assert total == len(expected), as_of
            pages.append(page)
            offset += 97
        assert offset == 97 * -(-len(expected) // 97), as_of
        if pages:
            pd.testing.assert_frame_equal(pd.concat(pages, ignore_index=True), full)
    assert min(sizes) > 0 and (max(sizes) > 3 * 97 or who.opd)  # several pages and kelurahan
    with pytest.raises(ValueError, match="not a snapshot date"):
        coverage.untouched_families(store, dates[-1].replace(day=1), who)
    store.close()
