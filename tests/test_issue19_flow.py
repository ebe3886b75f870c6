"""Issue 19 end to end, through the real importers only: a P3KE series leaves exits without a reason, a
kelurahan verval sheet (CSV with a title row) gives them reasons with the source kept, graduation counts
as proven only with its checklist, a DTSEN ranking continues the series with desil naik, and a
graduated family that comes back is flagged kembali miskin. Every count is a hand count."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from analytics.burndown import progress
from analytics.ingest import registry, verval
from analytics.ingest.base import ImportRefused
from analytics.ingest.issues import GALAT
from analytics.store import settings
from analytics.verval import graduation
from tests.helpers import BASE, HEADER, dump, write_csv

D0, D1, D2, D3 = date(2023, 1, 31), date(2023, 3, 31), date(2023, 6, 30), date(2025, 6, 30)
CHECKLIST = ["Ekonomi", "Sosial", "Pendidikan", "Kesehatan", "Rumah", "Air & sanitasi"]
VERVAL_HEADER = ["ID Keluarga", "NIK", "Hasil Verifikasi", "Tanggal Verifikasi", "Dasar", "Nomor BA/SPTJM"]
VERVAL_HEADER += ["Petugas", *CHECKLIST]
ANI, BUDI, CICI, DODI, EUIS = (row[5] for row in BASE)  # K1: Ani, Budi; K2: Cici, Dodi; K3: Euis


def row(base: list[str], status: str = "", reason: str = "") -> list[str]:
    """A BASE row with another Status / Alasan Keluar."""
    out = list(base)
    out[HEADER.index("Status")], out[HEADER.index("Alasan Keluar")] = status, reason
    return out


def verval_sheet(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["LEMBAR VERVAL KELURAHAN - MUSKEL MARET 2023"])
        w.writerow(VERVAL_HEADER)
        w.writerows(rows)
    return path


def exits(store, as_of: date) -> dict[tuple[str, str | None], int]:
    with store.cursor() as cur:
        found = cur.execute(
            "select alasan, sumber_alasan, sum(orang)::int from flow_stats "
            "where as_of = ? and arus = 'keluar' group by all",
            [as_of],
        ).fetchall()
    return {(a, s): n for a, s, n in found}


def build_series(store, tmp_path, monkeypatch):
    """D0: the five BASE people. D1: the file omits Ani (K1) and Euis (K3), no reason given; Budi (K1)
    is marked Keluar with reason Graduasi in the file."""
    monkeypatch.setattr(settings, "today", lambda: date(2023, 4, 30))
    registry.import_file(store, write_csv(tmp_path / "p0.csv", BASE), D0)
    budi, cici, dodi = BASE[1], BASE[2], BASE[3]
    d1 = [row(budi, "Keluar", "Graduasi"), cici, dodi]
    registry.import_file(store, write_csv(tmp_path / "p1.csv", d1, title_rows=2), D1, confirmed=True)
    return store


@pytest.fixture
def series(store, tmp_path, monkeypatch):
    return build_series(store, tmp_path, monkeypatch)


def test_a_verval_sheet_turns_unknown_exits_into_reasons_and_proves_graduation(series, tmp_path):
    store = series
    assert exits(store, D1) == {("tidak_diketahui", None): 2, ("graduasi", "registri"): 1}
    sheet = verval_sheet(
        tmp_path / "verval_k.csv",
        [
            ["K1", ANI, "Pindah domisili", "2023-03-20", "BA Muskel", "12/BA-Muskel/2023", "PSM Rina"]
            + [""] * 6,
            ["K3", "", "Graduasi", "2023-03-21", "BA Muskel", "12/BA-Muskel/2023", "PSM Rina"] + ["Ya"] * 6,
            ["K2", "", "Masih miskin ekstrem", "2023-03-22", "SPTJM", "SPTJM/7/2023", "PSM Rina"] + [""] * 6,
        ],
    )
    result = verval.import_file(store, sheet, user="dinsos1")
    assert result.rows == 3
    # Ani: pindah from her own result; Euis: graduasi (proven) from her family's; Budi: the file's
    # graduasi, without proof; nothing left unknown; K2's "still extremely poor" fills nothing.
    assert exits(store, D1) == {
        ("pindah", "verval"): 1,
        ("graduasi", "verval"): 1,
        ("graduasi", "registri"): 1,
    }
    steps = progress.waterfall(store, D0, D1).set_index("langkah")["orang"]
    assert steps["keluar:graduasi:terbukti"] == -1
    assert steps["keluar:graduasi:tanpa_bukti"] == -1
    assert steps["keluar:pindah"] == -1
    assert steps["awal"] == 5 and steps["akhir"] == 2  # Cici, Dodi
    s = graduation.summary(store, D1)
    assert (s.graduasi_terbukti, s.graduasi_tanpa_bukti, s.dari_verval, s.tidak_diketahui) == (1, 1, 2, 0)
    assert (s.keluarga_di_daftar, s.keluarga_diverifikasi) == (1, 1)  # K2, verified on 22 Mar


def test_graduation_with_an_incomplete_checklist_is_not_proven(series, tmp_path):
    store = series
    checks = ["Ya", "Ya", "Ya", "Tidak", "Ya", "Ya"]  # kesehatan not met
    sheet = verval_sheet(
        tmp_path / "verval_k3.csv",
        [["K3", "", "Graduasi", "2023-03-21", "BA Muskel", "3/BA/2023", "PSM Rina", *checks]],
    )
    verval.import_file(store, sheet, user="dinsos1")
    assert exits(store, D1)[("graduasi", "verval")] == 1
    s = graduation.summary(store, D1)
    assert (s.graduasi_terbukti, s.graduasi_tanpa_bukti) == (0, 2)  # Euis (checklist unmet) and Budi


def test_a_malformed_sheet_is_refused_with_row_and_column_and_nothing_changes(series, tmp_path):
    store = series
    before = dump(store)
    sheet = verval_sheet(
        tmp_path / "verval_rusak.csv",
        [
            ["K1", ANI, "Pindah", "2023-03-20", "BA Muskel", "1/BA/2023", "PSM Rina"] + [""] * 6,
            ["K3", "", "Graduasi", "2023-03-21", "BA Muskel", "1/BA/2023", "PSM Rina", "Ya", "", *["Ya"] * 4],
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        verval.import_file(store, sheet, user="dinsos1")
    issues = refused.value.issues
    bad = issues[issues["tingkat"] == GALAT].iloc[0]
    assert bad["baris"] == 4 and bad["kolom"] == "Sosial"  # title row 1, header row 2, second result
    assert "Ya atau Tidak" in bad["pesan"] and bad["berkas"] == "verval_rusak.csv"
    assert dump(store) == before
    assert exits(store, D1) == {("tidak_diketahui", None): 2, ("graduasi", "registri"): 1}


def test_a_dtsen_file_continues_and_a_graduate_back_in_poverty_is_flagged(series, tmp_path):
    store = series
    sheet = verval_sheet(
        tmp_path / "verval_k3.csv",
        [["K3", "", "Graduasi", "2023-03-21", "BA Muskel", "3/BA/2023", "PSM Rina", *["Ya"] * 6]],
    )
    verval.import_file(store, sheet, user="dinsos1")
    assert graduation.kembali_miskin(store).empty
    # D2 (P3KE): Euis (K3, graduated with proof) is on the list again.
    d2 = [BASE[2], BASE[3], BASE[4]]
    registry.import_file(store, write_csv(tmp_path / "p2.csv", d2), D2)
    back = graduation.kembali_miskin(store)
    assert back[["id_keluarga", "cara"]].values.tolist() == [["K3", "muncul_lagi"]]
    # D3 (DTSEN, aliased headers below a title row): Cici's family K2 desil 3 -> desil naik, Dodi too;
    # Euis desil 1 stays; Budi (graduated in the file, K1) appears in desil 2 -> kembali miskin.
    dtsen = tmp_path / "dtsen.csv"
    with open(dtsen, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["DATA TUNGGAL SOSIAL EKONOMI NASIONAL"])
        w.writerow(["NOMOR KARTU KELUARGA", "NIK", "DESIL", "KODE WILAYAH"])
        w.writerow(["6472050000000012", CICI, "3", "6472011001"])
        w.writerow(["6472050000000012", DODI, "3", "6472011001"])
        w.writerow(["6472050000000013", EUIS, "1", "6472011002"])
        w.writerow(["6472050000000011", BUDI, "2", "6472051004"])
    registry.import_file(store, dtsen, D3, confirmed=True)
    s = progress.series(store).set_index("as_of")
    assert s["orang_aktif"].tolist() == [5, 2, 3, 1]  # D3: Euis only
    assert s.at[D3, "orang_sisa_baseline"] == 1
    assert exits(store, D3) == {("desil_naik", "registri"): 2}  # Cici, Dodi: never graduation
    assert graduation.summary(store, D3).desil_naik == 2
    back = graduation.kembali_miskin(store).sort_values("id_keluarga")
    assert back[["id_keluarga", "cara"]].values.tolist() == [["K1", "desil_1_2"], ["K3", "muncul_lagi"]]


def test_the_import_command_explains_its_format_option(capsys):
    from analytics import cli

    with pytest.raises(SystemExit) as done:
        cli.main(["impor", "--help"])  # a '%' in a help text once broke --help
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "--format {dtsen_desil,dtsen_nama,p3ke_individu}" in out and "20%" in out


def test_the_command_line_imports_a_verval_sheet_and_refuses_a_bad_one(tmp_path, monkeypatch, capsys):
    from analytics import cli
    from analytics.store.db import Store

    db = tmp_path / "cli.duckdb"
    store = build_series(Store.open(db), tmp_path, monkeypatch)
    store.close()
    good = verval_sheet(
        tmp_path / "verval_cli.csv",
        [["K3", "", "Meninggal", "2023-03-21", "SPTJM", "SPTJM/9/2023", "PSM Rina"] + [""] * 6],
    )
    assert cli.main(["--db", str(db), "verval", str(good), "--pengguna", "dinsos1"]) == 0
    out = capsys.readouterr().out
    assert "1 hasil verifikasi tersimpan" in out and "Meninggal: 1" in out
    bad = verval_sheet(
        tmp_path / "verval_cli_rusak.csv",
        [["K9", "", "Meninggal", "2023-03-21", "SPTJM", "SPTJM/9/2023", "PSM Rina"] + [""] * 6],
    )
    assert cli.main(["--db", str(db), "verval", str(bad)]) == 2
    assert "K9" in capsys.readouterr().err
    from analytics.store import opening

    again = opening.open_verified(db, wait_seconds=0)
    try:
        assert exits(again, D1)[("meninggal", "verval")] == 1  # Euis, from the CLI's sheet
    finally:
        again.close()
