"""DTSEN snapshots continue the P3KE series; source formats detected from the header (issue 19)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from analytics import cli, config
from analytics.access.auth import User
from analytics.burndown import progress
from analytics.ingest import dtsen_file, flags, formats, registry
from analytics.store import archive, opening, privacy, settings
from analytics.store.db import Store
from tests.helpers import BASE, dump, write_csv

D0, D1, D2 = date(2022, 11, 30), date(2022, 12, 31), date(2025, 6, 30)
DINSOS = User("dinsos1", "dinsos")
# No KK of the five BASE people's families (K1: Ani, Budi; K2: Cici, Dodi; K3: Euis), Gita's (K4),
# and two families new in DTSEN.
KK1, KK2, KK3, KK4, KK5, KK6 = (f"647205000000{n:04d}" for n in (11, 12, 13, 14, 15, 16))
GITA = ["K4", "6472011001", "PALARAN", "RAWA MAKMUR", "Gita", "6472014101900006", "1", "Perempuan", "1990-01-01", "Aktif", ""]  # fmt: skip
# The DTSEN ranking, with two report title rows and the issue's aliased headers in another order.
DTSEN_HEADER = ["  nomor induk kependudukan ", "NAMA", "DESIL NASIONAL", "KODE KEMDAGRI", "NOMOR KARTU KELUARGA"]
DTSEN_ROWS = [
    ["6472054101900001", "Ani", "3", "6472051004", KK1],  # K1: desil rose -> desil naik
    ["6472050101900002", "Budi", "3", "6472051004", KK1],  # K1: desil naik
    ["6472014101900003", "Cici", "4", "6472011001", KK2],  # K2: desil 4 but flagged -> stays
    ["6472010101900004", "Dodi", "4", "6472011001", KK2],  # K2: flagged -> stays
    ["6472014101900005", "Euis", "1", "", KK3],  # no area code: her last kelurahan (Handil Bakti)
    ["6472014101900006", "Gita", "2", "6472011001", KK4],  # K4: desil 2 -> desil naik
    ["6472014101900007", "Hana", "1", "6472011001", KK5],  # new family, desil 1 -> masuk baru
    ["6472010101900008", "Joko", "1", "6472011001", KK5],  # new, same card
    ["6472010101900009", "Iwan", "5", "6472011002", KK6],  # new, desil 5: not stored at all
]


def write_xlsx(path: Path, header: list[str], rows: list[list[str]], title_rows: int = 2) -> Path:
    wb = Workbook()
    ws = wb.active
    for i in range(title_rows):
        ws.append([f"DATA TUNGGAL SOSIAL EKONOMI NASIONAL - LAPORAN {i + 1}"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def series_store(tmp_path: Path) -> Store:
    """A store file with two P3KE snapshots: BASE, then BASE plus Gita (family K4)."""
    store = Store.open(tmp_path / "dtsen.duckdb")
    registry.import_file(store, write_csv(tmp_path / "p0.csv", BASE), D0)
    registry.import_file(store, write_csv(tmp_path / "p1.csv", [*BASE, GITA]), D1)
    return store


def test_a_dtsen_file_continues_the_p3ke_series(tmp_path):
    store = series_store(tmp_path)
    assert flags.flag_family(store, DINSOS, "K2", True, "hasil muskel")
    path = write_xlsx(tmp_path / "dtsen_2025.xlsx", DTSEN_HEADER, DTSEN_ROWS)
    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D2)
    assert prepared.ok, prepared.issues
    assert prepared.sumber == "dtsen_desil"
    result = registry.commit(store, prepared, confirmed=True)
    # on the list: Cici, Dodi (flagged), Euis, Hana, Joko; families K2, K3 and Hana's new one
    assert (result.people_active, result.families_active) == (5, 3)
    s = progress.series(store).set_index("as_of")
    assert s["orang_aktif"].tolist() == [5, 6, 5]
    assert s.at[D2, "orang_sisa_baseline"] == 3  # Cici, Dodi, Euis of the first snapshot
    with store.cursor() as cur:
        exits = cur.execute(
            "select alasan, sum(orang) from flow_stats where as_of = ? and arus = 'keluar' group by all",
            [D2],
        ).fetchall()
        entered = cur.execute(
            "select sum(orang) from flow_stats where as_of = ? and arus = 'masuk_baru'", [D2]
        ).fetchone()[0]
        statuses = dict(
            cur.execute(
                "select p.nama, pi.status || ':' || coalesce(pi.alasan, '') from person_interval pi "
                "join person p using (person_key) where pi.valid_to is null"
            ).fetchall()
        )
        families = dict(
            cur.execute(
                "select p.nama, pi.id_keluarga from person_interval pi join person p using (person_key) "
                "where pi.valid_to is null"
            ).fetchall()
        )
        sumber = cur.execute("select as_of, sumber from snapshot order by as_of").fetchall()
        people = cur.execute("select count(*) from person").fetchone()[0]
    assert exits == [("desil_naik", 3)]  # Ani, Budi, Gita: never graduation
    assert entered == 2  # Hana, Joko
    steps = progress.waterfall(store, D1, D2).set_index("langkah")["orang"]
    assert steps["keluar:desil_naik"] == -3 and steps["keluar:graduasi"] == 0
    assert steps["awal"] == 6 and steps["akhir"] == 5
    assert statuses == {
        "Ani": "keluar:desil_naik",
        "Budi": "keluar:desil_naik",
        "Gita": "keluar:desil_naik",
        "Cici": "aktif:",
        "Dodi": "aktif:",
        "Euis": "aktif:",
        "Hana": "aktif:",
        "Joko": "aktif:",
    }
    assert people == 8  # Iwan (desil 5, never on the list) is not stored
    hana_family = "KK-" + privacy.kk_key(KK5, config.nik_secret()[0])[:16]
    assert families == {"Ani": "K1", "Budi": "K1", "Cici": "K2", "Dodi": "K2", "Euis": "K3", "Gita": "K4"} | {
        "Hana": hana_family,
        "Joko": hana_family,
    }
    assert sumber == [(D0, "p3ke_individu"), (D1, "p3ke_individu"), (D2, "dtsen_desil")]
    # the desil distribution over the whole file: Iwan too, Euis in her last kelurahan
    with store.cursor() as cur:
        desil_area = cur.execute(
            "select kode_kelurahan, desil, keluarga, orang from desil_area where as_of = ? order by all", [D2]
        ).fetchall()
        cards = cur.execute("select kk_masked, id_keluarga from keluarga_kk order by all").fetchall()
    assert desil_area == [
        ("64.72.01.1001", 1, 1, 2),
        ("64.72.01.1001", 2, 1, 1),
        ("64.72.01.1001", 4, 1, 2),
        ("64.72.01.1002", 1, 1, 1),
        ("64.72.01.1002", 5, 1, 1),
        ("64.72.05.1004", 3, 1, 2),
    ]
    assert cards == sorted(
        [
            ("647205**********", "K1"),
            ("647205**********", "K2"),
            ("647205**********", "K3"),
            ("647205**********", "K4"),
            ("647205**********", hana_family),
        ]
    )
    archived = archive.files(store.archive_dir)
    assert len(archived) == 3 and archive.read_meta(archived[-1]).sumber == "dtsen_desil"
    store.close()
    # No KK never stored raw: not in the store file, its WAL, the archive or the manifest
    raw = [kk.encode() for kk in (KK1, KK2, KK3, KK4, KK5, KK6)]
    stored = [f for f in tmp_path.rglob("*") if f.is_file() and f.suffix not in (".xlsx", ".csv")]
    assert len(stored) >= 4
    for f in stored:
        data = f.read_bytes()
        assert not any(kk in data for kk in raw), f
