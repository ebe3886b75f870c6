"""Exit reasons from verification (verval), proven graduation, desil naik and "kembali miskin".

A P3KE series of three snapshots, ten people in seven families (kelurahan codes as tests.helpers):

D0 (31 Jan 2024): everyone on the list.
D1 (31 Mar 2024):
  - A1, A2 (family F1) vanish without a reason; F1 has a family verval graduasi with its checklist met.
  - B1 (F2) leaves with the file's reason Graduasi; nothing verified.
  - C1 (F3) vanishes; C1's own verval result is meninggal. C2 stays.
  - D1 (F4) vanishes; F4's verval result is masih miskin ekstrem (fills nothing).
  - E1 (F5) vanishes; E1's verval graduasi has an incomplete checklist.
  - H1 (F7) leaves with the file's reason Pindah.
D2 (31 May 2024):
  - G1 (F6) vanishes: G1's own result is masih miskin ekstrem, F6's (family) is graduasi with the
    checklist met: the person's own result wins, so nothing is filled.
  - G2 (F6) leaves with the file's reason Desil naik.
  - B1 is on the list again (F2 back in poverty: muncul lagi).
  - E1 is in the file as Keluar / Desil naik with desil 2 (F5 back in poverty: desil 1-2).

Hand count of exits D0 -> D2 by reason (source):
  graduasi proven 2 (A1, A2: verval), graduasi without proof 2 (B1: registry, E1: verval),
  desil naik 1 (G2: registry), meninggal 1 (C1: verval), pindah 1 (H1: registry),
  tidak diketahui 2 (D1, G1: no source). 9 exits: registry 3, verval 4, unknown 2.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from streamlit.testing.v1 import AppTest

from analytics import config
from analytics.burndown import progress
from analytics.ingest import registry
from analytics.store import privacy
from analytics.store.db import Store, run
from analytics.verval import graduation
from tests.helpers import login, page_path, write_csv

D0, D1, D2 = date(2024, 1, 31), date(2024, 3, 31), date(2024, 5, 31)
UTARA, RAWA, HANDIL = "6472051004", "6472011001", "6472011002"
AREAS = {UTARA: ("SAMARINDA UTARA", "SUNGAI SIRING PELITA"), RAWA: ("PALARAN", "RAWA MAKMUR")}
AREAS[HANDIL] = ("PALARAN", "HANDIL BAKTI")
PEOPLE = {  # name: (family, kelurahan, NIK)
    "A1": ("F1", UTARA, "6472054101900011"),
    "A2": ("F1", UTARA, "6472050101900012"),
    "B1": ("F2", UTARA, "6472050101900021"),
    "C1": ("F3", RAWA, "6472014101900031"),
    "C2": ("F3", RAWA, "6472010101900032"),
    "D1": ("F4", RAWA, "6472010101900041"),
    "E1": ("F5", HANDIL, "6472014101900051"),
    "G1": ("F6", HANDIL, "6472010101900061"),
    "G2": ("F6", HANDIL, "6472014101900062"),
    "H1": ("F7", HANDIL, "6472010101900071"),
}
DIPERIKSA = date(2024, 3, 15)  # every verval result's date


def row(name: str, status: str = "Aktif", alasan: str = "", desil: str = "1") -> list[str]:
    fam, kel, nik = PEOPLE[name]
    kec, kelurahan = AREAS[kel]
    return [fam, kel, kec, kelurahan, name, nik, desil, "Perempuan", "1990-01-01", status, alasan]


SNAPSHOTS = {
    D0: [row(n) for n in PEOPLE],
    D1: [row("B1", "Keluar", "Graduasi"), row("C2"), row("G1"), row("G2"), row("H1", "Keluar", "Pindah")],
    D2: [
        row("B1"),
        row("C2"),
        row("G2", "Keluar", "Desil naik", "3"),
        row("E1", "Keluar", "Desil naik", "2"),
    ],
}


def key(name: str) -> str:
    return privacy.person_key(PEOPLE[name][2], config.nik_secret()[0])


def add_verval(store: Store, id_keluarga: str, hasil: str, person: str | None = None, lengkap=None) -> None:
    """One verval row as the verval import stores it (columns of migration 022)."""
    checklist = None if lengkap is None else json.dumps({"ekonomi": True, "rumah": bool(lengkap)})
    kel = PEOPLE[person][1] if person else next(p[1] for p in PEOPLE.values() if p[0] == id_keluarga)
    with store.transaction(touches=("verval",)) as cur:
        cur.execute(
            """insert into verval (id_keluarga, person_key, kode_kelurahan, hasil, tanggal, dasar,
                   nomor_dasar, tanggal_dasar, petugas, checklist, checklist_lengkap, sumber,
                   dicatat_pada, dicatat_oleh)
               values (?, ?, ?, ?, ?, 'ba_muskel', 'BA-01/2024', ?, 'PSM Uji', ?, ?, 'profil', ?,
                       'dinsos1')""",
            [
                id_keluarga,
                key(person) if person else None,
                f"{kel[:2]}.{kel[2:4]}.{kel[4:6]}.{kel[6:]}",
                hasil,
                DIPERIKSA,
                DIPERIKSA,
                checklist,
                lengkap,
                datetime(2024, 3, 16, 9),
            ],
        )


def add_results(store: Store) -> None:
    add_verval(store, "F1", "graduasi", lengkap=True)
    add_verval(store, "F3", "meninggal", person="C1")
    add_verval(store, "F4", "masih_miskin_ekstrem")
    add_verval(store, "F5", "graduasi", person="E1", lengkap=False)
    add_verval(store, "F6", "masih_miskin_ekstrem", person="G1")
    add_verval(store, "F6", "graduasi", lengkap=True)


def recompute(store: Store) -> None:
    """What the verval import does after storing its rows: flows again from the first snapshot."""
    with store.transaction(touches=("flow_stats",)) as cur:
        for name in ("stats_delete_flow", "stats_flow"):
            run(cur, name, from_date=D0)


def import_series(store: Store, folder) -> None:
    for d, rows in SNAPSHOTS.items():
        registry.import_file(store, write_csv(folder / f"{d}.csv", rows), d, confirmed=True)


def exits(store: Store) -> dict[tuple, int]:
    """(alasan, sumber_alasan, terbukti) -> people, over every exit in flow_stats."""
    with store.cursor() as cur:
        rows = cur.execute(
            "select alasan, sumber_alasan, terbukti, sum(orang)::int from flow_stats where arus = 'keluar' "
            "group by all"
        ).fetchall()
    return {(a, s, p): n for a, s, p, n in rows}


def flow_table(store: Store) -> list[tuple]:
    with store.cursor() as cur:
        return sorted(cur.execute("select * from flow_stats").fetchall(), key=repr)


HAND_COUNT = {
    ("graduasi", "verval", True): 2,
    ("graduasi", "registri", False): 1,
    ("graduasi", "verval", False): 1,
    ("desil_naik", "registri", None): 1,
    ("meninggal", "verval", None): 1,
    ("pindah", "registri", None): 1,
    ("tidak_diketahui", None, None): 2,
}


@pytest.fixture
def series(store, tmp_path):
    import_series(store, tmp_path)
    return store


def test_without_verification_the_file_leaves_most_exits_unexplained(series):
    assert exits(series) == {
        ("graduasi", "registri", False): 1,
        ("desil_naik", "registri", None): 1,
        ("pindah", "registri", None): 1,
        ("tidak_diketahui", None, None): 6,  # A1, A2, C1, D1, E1, G1
    }


def test_verval_results_fill_unexplained_exits_never_guessing(series):
    add_results(series)
    recompute(series)
    assert exits(series) == HAND_COUNT
    # per snapshot: G1's own 'masih miskin ekstrem' wins over F6's graduasi, D1's family result fills nothing
    with series.cursor() as cur:
        unknown = cur.execute(
            "select as_of, sum(orang)::int from flow_stats where alasan = 'tidak_diketahui' "
            "group by 1 order by 1"
        ).fetchall()
    assert unknown == [(D1, 1), (D2, 1)]


def test_waterfall_splits_proven_graduation_and_keeps_desil_naik_apart(series):
    add_results(series)
    recompute(series)
    steps = progress.waterfall(series, D0, D2).set_index("langkah")
    assert steps.at["awal", "orang"] == 10 and steps.at["akhir", "orang"] == 2
    assert steps.at["keluar:graduasi:terbukti", "orang"] == -2
    assert steps.at["keluar:graduasi:tanpa_bukti", "orang"] == -2
    assert steps.at["keluar:desil_naik", "orang"] == -1
    assert steps.at["keluar:meninggal", "orang"] == -1 and steps.at["keluar:pindah", "orang"] == -1
    assert steps.at["keluar:tidak_diketahui", "orang"] == -2
    assert steps.at["masuk_kembali", "orang"] == 1
    assert steps["orang"].iloc[:-1].sum() == steps["orang"].iloc[-1]
    # how many of each step a verification explained
    assert steps.at["keluar:graduasi:terbukti", "verval"] == 2
    assert steps.at["keluar:graduasi:tanpa_bukti", "verval"] == 1
    assert steps.at["keluar:meninggal", "verval"] == 1 and steps.at["keluar:pindah", "verval"] == 0
    assert steps.at["keluar:graduasi:terbukti", "label"] == "Graduasi terbukti"
    assert steps.at["keluar:graduasi:tanpa_bukti", "label"] == "Graduasi tanpa bukti"
    parts = progress.fall_breakdown(steps.reset_index())
    assert parts == {
        "keluar": 9,
        "graduasi": 4,  # desil naik is never graduation
        "graduasi_terbukti": 2,
        "graduasi_tanpa_bukti": 2,
        "desil_naik": 1,
        "koreksi": 2,
        "koreksi_verval": 1,
        "tidak_diketahui": 2,
    }
    # the chart says it on hover
    fig = progress_chart(steps.reset_index())
    assert any("1 dari verifikasi" in h for h in fig.data[0].hovertext)


def progress_chart(steps):
    from analytics.burndown import charts

    return charts.waterfall_figure(steps, "judul")


def test_graduation_needs_a_complete_checklist(store, tmp_path):
    """F1's graduasi counts as proven only while its checklist is complete; the registry's own
    graduasi (B1) becomes proven once a complete verification stands behind it."""
    import_series(store, tmp_path)
    add_verval(store, "F1", "graduasi", lengkap=False)
    recompute(store)
    assert exits(store)[("graduasi", "verval", False)] == 2
    assert ("graduasi", "verval", True) not in exits(store)
    add_verval(store, "F2", "graduasi", person="B1", lengkap=True)
    recompute(store)
    assert exits(store)[("graduasi", "registri", True)] == 1


def test_append_path_equals_full_rebuild_with_verval(store, tmp_path):
    """Results recorded before the exits: each import's appended flows take them, and equal a rebuild."""
    d0 = {D0: SNAPSHOTS[D0]}
    registry.import_file(store, write_csv(tmp_path / "d0.csv", d0[D0]), D0, confirmed=True)
    add_results(store)
    for d in (D1, D2):
        registry.import_file(store, write_csv(tmp_path / f"{d}.csv", SNAPSHOTS[d]), d, confirmed=True)
    appended = flow_table(store)
    assert exits(store) == HAND_COUNT
    recompute(store)
    assert flow_table(store) == appended


def test_summary_counts_graduation_desil_and_verified_families(series):
    add_results(series)
    recompute(series)
    s = graduation.summary(series)
    assert s.as_of == D2
    assert (s.graduasi_terbukti, s.graduasi_tanpa_bukti, s.desil_naik) == (2, 2, 1)
    assert (s.dari_verval, s.tidak_diketahui, s.keluar) == (4, 2, 9)
    # on the list at D2: F2 (B1 again) and F3 (C2); F3 was verified on 15 Mar 2024
    assert (s.keluarga_di_daftar, s.keluarga_diverifikasi) == (2, 1) and s.verified_share == 0.5
    at_d1 = graduation.summary(series, D1)  # on the list at D1: C2 (F3), G1 and G2 (F6), both verified
    assert (at_d1.graduasi_terbukti, at_d1.desil_naik, at_d1.keluarga_di_daftar) == (2, 0, 2)
    assert at_d1.keluarga_diverifikasi == 2
    # counted over the last month only, the results of 15 Mar 2024 are too old at 31 May 2024
    from analytics.store import settings

    settings.put(series, "verval_months", "1")
    assert graduation.summary(series).keluarga_diverifikasi == 0


def test_graduated_families_back_in_poverty_are_flagged(series):
    add_results(series)
    recompute(series)
    back = graduation.kembali_miskin(series)
    assert back[["id_keluarga", "tanggal_graduasi", "cara"]].values.tolist() == [
        ["F2", D1, "muncul_lagi"],  # B1 graduated (registry) and is on the list again at D2
        ["F5", D1, "desil_1_2"],  # E1 graduated (verval) and shows desil 2 at D2
    ]
    assert back["kelurahan"].tolist() == ["Sungai Siring Pelita", "Handil Bakti"]
    assert graduation.kembali_miskin(series, D1).empty  # nothing came back by D1


def test_a_masih_miskin_result_never_flags_or_fills(series):
    """Without the graduasi result of E1, F5 left without a reason: not a graduation, not flagged."""
    add_verval(series, "F5", "masih_miskin_ekstrem", person="E1")
    add_verval(series, "F2", "masih_miskin_ekstrem")  # the file's own reason stays
    recompute(series)
    assert exits(series)[("tidak_diketahui", None, None)] == 6
    assert exits(series)[("graduasi", "registri", False)] == 1
    assert graduation.kembali_miskin(series)["id_keluarga"].tolist() == ["F2"]


# --- pages ----------------------------------------------------------------------------------------


@pytest.fixture
def alasan_db(tmp_path, monkeypatch, accounts):
    db = tmp_path / "alasan.duckdb"
    monkeypatch.setenv("NOL_EKSTREM_DB", str(db))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    store = Store.open(db)
    import_series(store, tmp_path)
    add_results(store)
    recompute(store)
    store.close()
    return db


def test_ringkasan_flags_families_back_in_poverty(alasan_db):
    at = login(AppTest.from_file(page_path("ringkasan.py"), default_timeout=120), "dinsos1").run()
    assert not at.exception, at.exception
    assert any("Kembali miskin: 2 keluarga" in w.value for w in at.warning)
    assert any(
        "graduasi terbukti 2 orang, graduasi tanpa bukti 2 orang, desil naik 1 orang" in c.value
        for c in at.caption
    )
    listed = next(e for e in at.expander if e.label.startswith("Keluarga yang kembali miskin"))
    table = listed.dataframe[0].value
    assert table["ID Keluarga P3KE"].tolist() == ["F2", "F5"]
    assert table["Tanda"].tolist() == ["Muncul lagi di daftar", "Desil 1–2 lagi"]

    # the mayor sees aggregates only: families per kecamatan, small counts hidden
    at = login(AppTest.from_file(page_path("ringkasan.py"), default_timeout=120), "walikota1").run()
    assert not at.exception, at.exception
    assert any("Kembali miskin: <5 keluarga" in w.value for w in at.warning)
    agg = next(e for e in at.expander if "per kecamatan" in e.label)
    assert "ID Keluarga P3KE" not in agg.dataframe[0].value.columns


def test_rapat_shows_the_verification_and_graduation_finding(alasan_db):
    at = login(AppTest.from_file(page_path("rapat.py"), default_timeout=180), "dinsos1").run()
    assert not at.exception, at.exception
    at.selectbox(key="rapat_lalu").set_value(D0).run()
    assert not at.exception, at.exception
    title = next(s.value for s in at.subheader if "terverifikasi" in s.value)
    assert title == (
        "50,0% keluarga terverifikasi (6 bulan); graduasi sejak 31 Jan 2024: 2 terbukti, 2 tanpa bukti; "
        "2 keluarga kembali miskin"
    )
    assert next(m for m in at.metric if m.label == "Graduasi terbukti").value == "2"
    assert next(m for m in at.metric if m.label == "Keluarga kembali miskin").value == "2"
