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
GITA = ["K4", "6472011001", "PALARAN", "RAWA MAKMUR", "Gita", "6472014101900006", "1", "Perempuan"]
GITA += ["1990-01-01", "Aktif", ""]
# The DTSEN ranking, with two report title rows and the issue's aliased headers in another order.
DTSEN_HEADER = [
    "  nomor induk kependudukan ",
    "NAMA",
    "DESIL NASIONAL",
    "KODE KEMDAGRI",
    "NOMOR KARTU KELUARGA",
]
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
    assert steps["keluar:desil_naik"] == -3
    assert steps["keluar:graduasi:terbukti"] == 0 and steps["keluar:graduasi:tanpa_bukti"] == 0
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


def test_a_malformed_dtsen_file_is_refused_with_row_and_column_and_nothing_changes(tmp_path):
    store = series_store(tmp_path)
    before = dump(store)
    rows = [r.copy() for r in DTSEN_ROWS]
    rows[1][2] = "11"  # Budi's desil: row 5 (two title rows, the header on row 3)
    rows[3][4] = KK2[:15]  # Dodi's No KK, 15 digits: row 7
    rows[5][2] = "dua"  # Gita's desil: row 9
    rows[6][4] = int(KK5)  # Hana's No KK typed as a number in Excel: row 10
    rows[7][0] = rows[6][0]  # Joko's NIK repeats Hana's: row 11
    path = write_xlsx(tmp_path / "rusak.xlsx", DTSEN_HEADER, rows)
    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D2)
    assert not prepared.ok
    errors = prepared.errors[["baris", "kolom"]].values.tolist()
    assert errors == [
        [5, "DESIL NASIONAL"],
        [7, "NOMOR KARTU KELUARGA"],
        [9, "DESIL NASIONAL"],
        [10, "NOMOR KARTU KELUARGA"],
        [11, "nomor induk kependudukan"],
    ]
    messages = prepared.errors["pesan"].tolist()
    assert "1–10" in messages[0] and "16 digit" in messages[1] and "1–10" in messages[2]
    assert "sebagai angka oleh Excel" in messages[3] and "sama dengan baris 10" in messages[4]
    assert prepared.errors.iloc[1]["nilai"].startswith("647205*********")  # masked, like a NIK
    assert KK2[:15] not in prepared.issues.to_csv()
    with pytest.raises(registry.ImportRefused, match=r"baris 5"):
        registry.commit(store, prepared, confirmed=True)
    assert dump(store) == before
    store.close()


def test_rebuild_from_the_archive_restores_desil_area_and_the_source(tmp_path):
    store = series_store(tmp_path)
    flags.flag_family(store, DINSOS, "K2", True)
    path = write_xlsx(tmp_path / "dtsen_2025.xlsx", DTSEN_HEADER, DTSEN_ROWS)
    registry.import_file(store, path, D2, confirmed=True)
    before = dump(store)
    db = store.path
    store.close()
    assert cli.main(["--db", str(db), "bangun-ulang"]) == 0
    rebuilt = opening.open_verified(db, wait_seconds=0)
    after = dump(rebuilt)
    with rebuilt.cursor() as cur:
        sumber = cur.execute("select as_of, sumber from snapshot order by as_of").fetchall()
    assert sumber == [(D0, "p3ke_individu"), (D1, "p3ke_individu"), (D2, "dtsen_desil")]
    assert len(before["desil_area"]) == 6 and len(before["keluarga_kk"]) == 5
    assert [r[0] for r in before["keluarga_tanda"]] == ["K2"]
    for table in ("snapshot", "desil_area", "keluarga_kk", "keluarga_tanda", "person_interval", "flow_stats"):
        assert after[table] == before[table], table
    rebuilt.close()


DETECTED = [
    (["No KK", "NIK", "Desil"], "dtsen_desil"),
    (["NOMOR KARTU KELUARGA", "NOMOR INDUK KEPENDUDUKAN", "DESIL NASIONAL", "KODE WILAYAH"], "dtsen_desil"),
    (["desil", "  nik ", "no   kk", "Kode Kemdagri"], "dtsen_desil"),
    (["NIK", "NAMA", "KODE WILAYAH"], "dtsen_nama"),
    (["Nama", "kode kemdagri", "Nomor Induk Kependudukan"], "dtsen_nama"),
    (["NIK", "Nama", "ID Keluarga P3KE", "KODE KEMDAGRI", "Desil Kesejahteraan"], "p3ke_individu"),
    (["kode   kemdagri", "nik", "NAMA", "id keluarga p3ke"], "p3ke_individu"),
]


@pytest.mark.parametrize("header, expected", DETECTED)
@pytest.mark.parametrize("title_rows", [0, 3])
def test_the_format_is_detected_from_the_header(tmp_path, header, expected, title_rows):
    path = tmp_path / "berkas.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        for i in range(title_rows):
            w.writerow([f"LAPORAN {i + 1}"])
        w.writerow(header)
        w.writerow(["x"] * len(header))
    assert formats.detect(path.read_bytes(), path.name, kind="registri").name == expected


def test_an_unrecognised_header_is_refused_naming_the_formats_and_headers(store, tmp_path):
    path = write_csv(tmp_path / "aneh.csv", [["6472054101900001", "Ani"]], ["NIK", "Nama Ibu"], title_rows=1)
    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D0)
    message = prepared.errors.iloc[0]["pesan"]
    assert "format yang dicoba" in message
    for label in ("P3KE individu", "DTSEN/SIKS-NG peringkat desil", "DTSEN daftar by-name"):
        assert label in message
    assert "NIK, Nama Ibu" in message  # the headers found on row 2
    nothing = write_csv(tmp_path / "kosong.csv", [["1", "2"]], ["Kolom A", "Kolom B"])
    refused = registry.prepare_file(store, nothing.read_bytes(), nothing.name, D0)
    assert "baris judul kolom tidak ditemukan" in refused.errors.iloc[0]["pesan"]
    assert "Kolom A, Kolom B" in refused.errors.iloc[0]["pesan"]


def test_a_p3ke_file_without_its_family_column_is_refused_not_read_as_a_by_name_list(store, tmp_path):
    header = ["ID Individu", "Kode Kemdagri", "Nama", "NIK", "Status", "Alasan Keluar"]
    path = write_csv(
        tmp_path / "p3ke_tanpa_keluarga.csv",
        [["I1", "6472051004", "Ani", "6472054101900001", "", ""]],
        header,
    )
    assert formats.detect(path.read_bytes(), path.name, kind="registri") is None
    before = dump(store)
    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D0)
    assert not prepared.ok and "format yang dicoba" in prepared.errors.iloc[0]["pesan"]
    assert dump(store) == before


BY_NAME = ["NIK", "Nama", "Kode Wilayah"]


def test_a_by_name_list_without_desil_lists_everyone_and_new_people_get_a_family(tmp_path):
    store = series_store(tmp_path)
    rows = [
        ["6472054101900001", "Ani", "6472051004"],  # K1 (her last family)
        ["6472014101900005", "Euis", ""],  # no code: Handil Bakti, K3
        ["6472014101900007", "Hana", "6472011001"],  # new, no No KK: a one-person family
    ]
    path = write_csv(tmp_path / "byname.csv", rows, BY_NAME)
    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D2)
    assert prepared.ok and prepared.sumber == "dtsen_nama"
    result = registry.commit(store, prepared, confirmed=True)
    assert result.people_active == 3
    by_id = dict(zip(prepared.rows["nama"], prepared.rows["id_keluarga"], strict=True))
    assert by_id["Ani"] == "K1" and by_id["Euis"] == "K3" and by_id["Hana"].startswith("P-")
    assert prepared.rows.set_index("nama").at["Euis", "kode_kelurahan"] == "64.72.01.1002"
    # Budi, Cici, Dodi, Gita are not listed: they left with no reason in the file
    steps = progress.waterfall(store, D1, D2).set_index("langkah")["orang"]
    assert steps["keluar:tidak_diketahui"] == -4 and steps["keluar:desil_naik"] == 0
    store.close()


def test_a_new_person_on_the_list_without_an_area_is_refused(tmp_path):
    store = series_store(tmp_path)
    path = write_csv(tmp_path / "tanpa_kode.csv", [["6472014101900007", "Hana", ""]], BY_NAME, title_rows=1)
    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D2)
    assert prepared.errors[["baris", "kolom"]].values.tolist() == [[3, "Kode Wilayah"]]
    store.close()


def test_the_list_rule_setting_widens_the_list(tmp_path):
    store = series_store(tmp_path)
    settings.put_dtsen_rule(store, 2, False)  # desil 1-2, flags ignored
    with pytest.raises(settings.SettingError):
        settings.put_dtsen_rule(store, 11, True)
    assert dtsen_file.list_rule(store) == (2, False)
    flags.flag_family(store, DINSOS, "K2", True)
    path = write_xlsx(tmp_path / "dtsen.xlsx", DTSEN_HEADER, DTSEN_ROWS)
    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D2)
    on = set(prepared.rows.loc[prepared.rows["status"] == "aktif", "nama"])
    assert on == {"Euis", "Gita", "Hana", "Joko"}  # Cici and Dodi's flag is not counted
    store.close()


def test_only_dinsos_flags_a_family(store):
    with pytest.raises(flags.FlagRefused):
        flags.flag_family(store, User("w", "walikota"), "K1", True)
    assert flags.flag_family(store, DINSOS, "K1", True, "muskel 3/2025")
    assert flags.flag_of(store, "K1").catatan == "muskel 3/2025"
    assert flags.flag_family(store, DINSOS, "K1", False) and flags.flag_of(store, "K1") is None
    assert not flags.flag_family(store, DINSOS, "K1", False)
    assert store.scalar("select count(*) from audit_log where action = 'tanda_keluarga'") == 2


def test_cli_import_takes_the_format(tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    p0 = write_csv(tmp_path / "p0.csv", BASE)
    assert cli.main(["--db", str(db), "impor", str(p0), "--tanggal", D0.isoformat()]) == 0
    rows = [["6472054101900001", "Ani", "6472051004"], ["6472050101900002", "Budi", "6472051004"]]
    path = write_csv(tmp_path / "byname.csv", rows, BY_NAME)
    args = ["--db", str(db), "impor", str(path), "--tanggal", D2.isoformat(), "--yakin"]
    assert cli.main([*args, "--format", "dtsen_desil"]) == 2  # the ranking needs No KK and Desil
    assert "'No KK'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main([*args, "--format", "bukan_format"])
    assert cli.main([*args, "--format", "dtsen_nama"]) == 0
    store = Store.open(db)
    assert store.scalar("select sumber from snapshot where as_of = ?", [D2]) == "dtsen_nama"
    assert store.scalar("select people_active from snapshot where as_of = ?", [D2]) == 2
    store.close()


def test_the_short_aliases_import_too(tmp_path):
    store = series_store(tmp_path)
    header = ["KODE WILAYAH", "NO KK", "NIK", "DESIL"]
    rows = [[r[3], r[4], r[0], r[2]] for r in DTSEN_ROWS]
    path = write_csv(tmp_path / "siksng.csv", rows, header, title_rows=4)
    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D2)
    assert prepared.ok and prepared.sumber == "dtsen_desil"
    # no Nama column: stored names are kept, a new person has none
    names = dict(zip(prepared.rows["nik_masked"].index, prepared.rows["nama"], strict=True))
    assert list(names.values()) == ["Ani", "Budi", "Cici", "Dodi", "Euis", "Gita", None, None]
    assert int((prepared.rows["status"] == "aktif").sum()) == 3  # Euis, Hana, Joko: no flag set here
    store.close()


def test_an_inbox_ticket_carries_the_format():
    ticket = registry.IMPORTER.ticket({"as_of": "2025-06-30", "format": "dtsen_nama"})
    assert ticket["format"] == "dtsen_nama" and ticket["as_of"] == D2
    assert registry.IMPORTER.ticket({"as_of": "2025-06-30"})["format"] is None  # detected
    with pytest.raises(ValueError, match="format"):
        registry.IMPORTER.ticket({"as_of": "2025-06-30", "format": "verval"})  # not a registry format
