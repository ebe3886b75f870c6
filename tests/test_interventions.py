"""Importing OPD intervention files: matching to the list, off-list flags, refusals and atomicity.

The fixture (documented in intervention_fixture below) is small enough to count by hand.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from analytics import cli
from analytics.ingest import interventions, registry
from analytics.store import catalog as catalog_files
from analytics.store.db import Store
from tests.helpers import BASE, dump, write_csv

D0, S1, D2 = date(2022, 11, 30), date(2023, 3, 31), date(2023, 6, 30)
ITV_HEADER = ["NIK", "ID Keluarga P3KE", "Kode Program", "Tanggal", "Nilai (Rp)", "Status", "Keterangan"]
ANI, BUDI, CICI, DODI, EUIS = (r[5] for r in BASE)
FAJAR, STRANGER = "6472010101900006", "6472059999990001"

OPD_CSV = """kode_opd,nama_opd,singkatan
DINSOSPM,Dinas Sosial dan Pemberdayaan Masyarakat,Dinsos PM
DISKOPUKM,Dinas Koperasi dan Usaha Kecil Menengah,Diskop UKM
DISPERKIM,Dinas Perumahan dan Permukiman,Disperkim
"""
PROGRAM_CSV = """kode_program,kode_opd,nama_program,strategi,satuan,nilai,bulan,sumber_dana,mulai,selesai
BLT,DINSOSPM,BLT per keluarga,bantuan_pendapatan,keluarga,300000,10,APBD,2023-01-01,2023-10-31
BLTO,DINSOSPM,BLT per orang,bantuan_pendapatan,orang,100000,3,APBD,2023-01-01,2023-12-31
UEP,DISKOPUKM,Usaha ekonomi produktif,usaha_produktif,orang,2500000,1,APBD,2023-01-01,2024-12-31
BEDAH,DISPERKIM,Bedah rumah,kantong_kemiskinan,keluarga,20000000,1,CSR,2023-01-01,2024-12-31
"""

# Records per OPD file: [NIK, ID Keluarga P3KE, Kode Program, Tanggal, Nilai (Rp), Status, Keterangan].
DINSOS = [
    ["", "K1", "BLT", "10/01/2023", "", "Rencana", ""],
    ["", "K2", "BLT", "10/01/2023", "", "Rencana", ""],
    ["", "K3", "BLT", "10/01/2023", "", "Rencana", ""],
    ["", "K1", "BLT", "10/02/2023", "300.000", "Tersalur", ""],
    ["", "K2", "BLT", "10/02/2023", "Rp 300.000", "Tersalur", ""],
    ["", "K1", "BLT", "2023-03-10", "300000", "Tersalur", ""],
]
DISKOP = [
    [CICI, "", "UEP", "15/02/2023", "2500000", "Tersalur", ""],
    [BUDI, "", "UEP", "10/04/2023", "2500000", "Tersalur", "sudah graduasi"],
    [STRANGER, "", "UEP", "20/02/2023", "2500000", "Tersalur", "usulan RT"],
    [EUIS, "", "UEP", "01/03/2023", "", "Rencana", ""],
]
PERKIM = [
    [DODI, "", "BEDAH", "15/03/2023", "20000000", "Tersalur", ""],
    ["", "K4", "BEDAH", "01/02/2023", "", "Rencana", ""],
]
FILES = {
    "DINSOSPM": ("dinsos.csv", DINSOS),
    "DISKOPUKM": ("diskop.csv", DISKOP),
    "DISPERKIM": ("perkim.csv", PERKIM),
}


def s1_rows() -> list[list[str]]:
    """Snapshot 31 Mar 2023: Budi left (graduated); Fajar, a new family K4 in Handil Bakti, entered."""
    rows = [r.copy() for r in BASE]
    rows[1][9], rows[1][10] = "Keluar", "Graduasi"
    fajar = ["K4", "6472011002", "PALARAN", "HANDIL BAKTI", "Fajar", FAJAR, "1", "Laki-laki", "1990-01-01"]
    return [*rows, [*fajar, "Aktif", ""]]


def write_itv(path: Path, rows: list[list[str]], header: list[str] = ITV_HEADER) -> Path:
    """An OPD intervention file as CSV."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def catalog(tmp_path, monkeypatch):
    """A three-OPD, four-programme catalog in tmp_path (NOL_EKSTREM_KATALOG)."""
    folder = tmp_path / "katalog"
    folder.mkdir()
    (folder / "opd.csv").write_text(OPD_CSV, encoding="utf-8")
    (folder / "program.csv").write_text(PROGRAM_CSV, encoding="utf-8")
    monkeypatch.setenv("NOL_EKSTREM_KATALOG", str(folder))
    return folder


def import_snapshots(store: Store, folder: Path, upto: date = S1) -> None:
    """Snapshots D0 (BASE), S1 and, when asked, D2 (as S1 without Budi's Keluar row)."""
    registry.import_file(store, write_csv(folder / "s0.csv", BASE), D0)
    if upto >= S1:
        registry.import_file(store, write_csv(folder / "s1.csv", s1_rows()), S1)
    if upto >= D2:
        registry.import_file(
            store, write_csv(folder / "s2.csv", [r for r in s1_rows() if r[4] != "Budi"]), D2
        )


def import_interventions(store: Store, folder: Path) -> None:
    """The three OPD files of the fixture."""
    for kode, (name, rows) in FILES.items():
        interventions.import_file(store, write_itv(folder / name, rows), kode, user="petugas1")


@pytest.fixture
def filled(store, tmp_path, catalog):
    """Store with snapshots D0, S1, D2 and the three OPD files."""
    import_snapshots(store, tmp_path, D2)
    import_interventions(store, tmp_path)
    return store


SUMMARIES = (
    "intervensi_cocok",
    "intervensi_stats",
    "intervensi_irisan",
    "intervensi_harian",
    "intervensi_keluarga_terjangkau",
)
MY_TABLES = [
    "opd",
    "program",
    "intervensi",
    "intervensi_cocok",
    "intervensi_stats",
    "intervensi_irisan",
    "intervensi_harian",
    "intervensi_keluarga_terjangkau",
    "intervensi_state",
]


def dump_all(store: Store) -> dict[str, list[tuple]]:
    """tests.helpers.dump plus the intervention tables."""
    out = dump(store)
    with store.cursor() as cur:
        for t in MY_TABLES:
            out[t] = sorted(cur.execute(f"select * from {t}").fetchall(), key=repr)
        out["intervensi_berkas"] = sorted(
            cur.execute("select * exclude (imported_at) from intervensi_berkas").fetchall(), key=repr
        )
    return out


def stats(store: Store, as_of: date, kode_opd: str, kode_program: str = "*") -> tuple:
    """(orang, keluarga, penerima, belum tersalur, luar daftar, rupiah) summed over kelurahan."""
    with store.cursor() as cur:
        return cur.execute(
            "select sum(orang_terjangkau), sum(keluarga_terjangkau), sum(penerima), "
            "sum(penugasan_belum_tersalur), sum(penerima_luar_daftar), sum(nilai_tersalur) "
            "from intervensi_stats where as_of = ? and kode_opd = ? and kode_program = ?",
            [as_of, kode_opd, kode_program],
        ).fetchone()


# --- matching and flags ----------------------------------------------------------------------------


def test_records_match_the_list_and_off_list_beneficiaries_are_kept_and_flagged(filled):
    with filled.cursor() as cur:
        rows = cur.execute(
            "select kode_program, nik_masked, id_keluarga_berkas, id_keluarga, kode_kelurahan, "
            "pernah_di_daftar, di_daftar from v_intervensi where kode_opd <> 'DINSOSPM' "
            "order by kode_opd, baris"
        ).fetchall()
    assert rows == [
        ("UEP", "647201**********", None, "K2", "64.72.01.1001", True, True),  # Cici
        ("UEP", "647205**********", None, "K1", "64.72.05.1004", True, False),  # Budi, left before
        ("UEP", "647205**********", None, None, None, False, False),  # never on the list
        ("UEP", "647201**********", None, "K3", "64.72.01.1002", True, True),  # Euis (planned)
        ("BEDAH", "647201**********", None, "K2", "64.72.01.1001", True, True),  # Dodi's family by NIK
        ("BEDAH", None, "K4", "K4", "64.72.01.1002", True, False),  # K4 before it entered the list
    ]


def test_off_list_reasons(filled):
    off = filled.query("intervensi_off_list", as_of=D2, semua=True, kode_opd=None, tampil_nama=True)
    got = sorted(
        zip(off["kode_opd"], off["nik_masked"].fillna(off["id_keluarga"]), off["alasan"], strict=True)
    )
    assert got == [
        ("DISKOPUKM", "647205**********", "sudah_keluar"),  # Budi
        ("DISKOPUKM", "647205**********", "tidak_pernah"),  # the stranger
        ("DISPERKIM", "K4", "belum_masuk"),
    ]


def test_raw_nik_is_never_stored(filled):
    everything = repr(dump_all(filled))
    assert STRANGER not in everything and CICI not in everything
    assert "647205**********" in everything


def test_summaries_per_opd_at_31_march_2023(filled):
    # (orang, keluarga, penerima, belum tersalur, luar daftar, rupiah); list at S1: 5 people, 4 families.
    assert stats(filled, S1, "DINSOSPM") == (3, 2, 3, 1, 0, 900_000)
    assert stats(filled, S1, "DISKOPUKM") == (1, 1, 3, 1, 1, 5_000_000)
    assert stats(filled, S1, "DISPERKIM") == (2, 1, 2, 1, 1, 20_000_000)
    # Any OPD: K2 counts once as a beneficiary family (BLT and bedah rumah).
    assert stats(filled, S1, "*") == (3, 2, 7, 3, 2, 25_900_000)
    assert stats(filled, S1, "DINSOSPM", "BLT") == (3, 2, 3, 1, 0, 900_000)
    assert stats(filled, S1, "DINSOSPM", "BLTO") == (None,) * 6  # no records, no rows
    assert stats(filled, D0, "*") == (None,) * 6  # nothing recorded by the baseline


def test_budi_becomes_off_list_only_from_his_record_date(filled):
    assert stats(filled, S1, "DISKOPUKM")[4] == 1
    assert stats(filled, D2, "DISKOPUKM")[4] == 2
    assert stats(filled, D2, "DISKOPUKM")[2] == 4


def test_overlap_of_strategies_per_family(filled):
    with filled.cursor() as cur:
        got = cur.execute(
            "select bantuan_pendapatan, usaha_produktif, kantong_kemiskinan, sum(keluarga), sum(orang) "
            "from intervensi_irisan where as_of = ? group by all order by all",
            [S1],
        ).fetchall()
    # K1: BLT only (Ani). K2: BLT + UEP (Cici) + bedah rumah (Dodi's NIK) = all three. K3, K4: untouched.
    assert got == [(False, False, False, 2, 2), (True, False, False, 1, 1), (True, True, True, 1, 2)]


# --- import rules ---------------------------------------------------------------------------------


def test_import_result_and_log(store, tmp_path, catalog):
    import_snapshots(store, tmp_path)
    result = interventions.import_file(store, write_itv(tmp_path / "d.csv", DISKOP), "DISKOPUKM", user="ana")
    assert (result.rows, result.delivered, result.planned, result.off_list) == (4, 3, 1, 2)
    log = store.query("import_history", limit=1).iloc[0]
    assert (log["kind"], log["outcome"], log["user_name"]) == ("intervensi", "diimpor", "ana")
    assert "2 penerima di luar daftar" in log["message"]


def test_same_file_twice_is_refused_naming_the_earlier_import(filled, tmp_path):
    before = dump_all(filled)
    with pytest.raises(
        interventions.ImportRefused, match=r"sudah diimpor untuk OPD DISKOPUKM dari 'diskop.csv'.*petugas1"
    ):
        interventions.import_file(filled, tmp_path / "diskop.csv", "DISKOPUKM")
    assert dump_all(filled) == before
    assert filled.query("import_history", limit=1).iloc[0]["outcome"] == "ditolak"


def test_overlapping_period_needs_an_explicit_choice(filled, tmp_path):
    before = dump_all(filled)
    extra = write_itv(tmp_path / "diskop_susulan.csv", [[ANI, "", "UEP", "20/03/2023", "", "Tersalur", ""]])
    with pytest.raises(interventions.ImportRefused, match=r"periode yang tumpang tindih: 'diskop.csv'"):
        interventions.import_file(filled, extra, "DISKOPUKM")
    assert dump_all(filled) == before
    result = interventions.import_file(filled, extra, "DISKOPUKM", mode="tambah")
    assert result.replaced == []
    assert stats(filled, S1, "DISKOPUKM")[:3] == (2, 2, 4)  # Ani added beside Cici


def test_adding_records_that_repeat_stored_ones_is_refused(filled, tmp_path):
    before = dump_all(filled)
    again = write_itv(
        tmp_path / "diskop_lagi.csv", [*DISKOP[:1], [ANI, "", "UEP", "20/03/2023", "", "Tersalur", ""]]
    )
    with pytest.raises(
        interventions.ImportRefused, match=r"1 baris sama persis.*baris 2, sama dengan 'diskop.csv' baris 2"
    ):
        interventions.import_file(filled, again, "DISKOPUKM", mode="tambah")
    assert dump_all(filled) == before


def test_replace_swaps_the_overlapping_file_atomically(filled, tmp_path):
    fixed = write_itv(tmp_path / "diskop_perbaikan.csv", [DISKOP[0], DISKOP[3]])  # without the off-list two
    result = interventions.import_file(filled, fixed, "DISKOPUKM", mode="ganti")
    assert result.replaced == ["diskop.csv"]
    assert stats(filled, D2, "DISKOPUKM") == (1, 1, 2, 1, 0, 2_500_000)
    files = filled.query("intervensi_berkas_list")["source_file"].tolist()
    assert "diskop.csv" not in files and "diskop_perbaikan.csv" in files
    assert stats(filled, D2, "DINSOSPM") == (3, 2, 3, 1, 0, 900_000)  # other OPDs untouched


def test_file_of_another_period_is_added_without_asking(filled, tmp_path):
    later = write_itv(tmp_path / "diskop_2024.csv", [[CICI, "", "UEP", "05/02/2024", "", "Tersalur", ""]])
    interventions.import_file(filled, later, "DISKOPUKM")
    assert len(filled.query("intervensi_berkas_list")) == 4


BAD = {
    "nik_15_digit": (lambda r: r[0].__setitem__(0, CICI[:15]), 2, "NIK", "16 digit"),
    "nik_excel_number": (
        lambda r: r[0].__setitem__(0, "6.47201E+15"),
        2,
        "NIK",
        "Format kolom NIK sebagai Teks",
    ),
    "unknown_program": (lambda r: r[1].__setitem__(2, "UEPX"), 3, "Kode Program", "Program Dinas Koperasi"),
    "other_opds_program": (lambda r: r[1].__setitem__(2, "BLT"), 3, "Kode Program", "milik Dinas Sosial"),
    "per_person_without_nik": (lambda r: r[2].__setitem__(0, ""), 4, "NIK", "per orang: NIK wajib diisi"),
    "bad_date": (lambda r: r[3].__setitem__(3, "31/02/2023"), 5, "Tanggal", "tidak dapat dibaca"),
    "bad_status": (lambda r: r[3].__setitem__(5, "Selesai sebagian"), 5, "Status", "'Rencana'"),
    "empty_status": (lambda r: r[3].__setitem__(5, ""), 5, "Status", "kosong"),
    "bad_amount": (lambda r: r[0].__setitem__(4, "dua juta"), 2, "Nilai (Rp)", "bukan angka rupiah"),
    "future_delivery": (lambda r: r[0].__setitem__(3, "01/01/2099"), 2, "Tanggal", "masa depan"),
    "duplicate_row": (lambda r: r.append(r[0].copy()), 6, "NIK", "sama dengan baris 2"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_refused_with_row_column_and_store_unchanged(filled, tmp_path, case):
    before = dump_all(filled)
    edit, row, column, text = BAD[case]
    rows = [r.copy() for r in DISKOP]
    edit(rows)
    path = write_itv(tmp_path / f"{case}.csv", rows)
    with pytest.raises(interventions.ImportRefused, match="galat"):
        interventions.import_file(filled, path, "DISKOPUKM", mode="tambah")
    prepared = interventions.prepare_file(filled, path.read_bytes(), path.name, "DISKOPUKM")
    assert len(prepared.errors) == 1, prepared.errors
    err = prepared.errors.iloc[0]
    assert (err["berkas"], err["baris"], err["kolom"]) == (f"{case}.csv", row, column)
    assert text in err["pesan"]
    assert dump_all(filled) == before
    log = filled.query("import_history", limit=1).iloc[0]
    assert (log["kind"], log["outcome"]) == ("intervensi", "ditolak")


def test_missing_columns_and_empty_file_are_refused(store, tmp_path, catalog):
    no_who = write_itv(
        tmp_path / "tanpa_nik.csv", [["UEP", "01/02/2023", "Tersalur"]], ["Kode Program", "Tanggal", "Status"]
    )
    prepared = interventions.prepare_file(store, no_who.read_bytes(), no_who.name, "DISKOPUKM")
    assert "Kolom wajib tidak ada: 'NIK' atau 'ID Keluarga P3KE'" in prepared.errors.iloc[0]["pesan"]
    empty = write_itv(tmp_path / "kosong.csv", [])
    prepared = interventions.prepare_file(store, empty.read_bytes(), empty.name, "DISKOPUKM")
    assert "tidak berisi satu baris data" in prepared.errors.iloc[0]["pesan"]
    with pytest.raises(interventions.ImportRefused, match="OPD 'DINASX' tidak ada"):
        interventions.prepare_file(store, empty.read_bytes(), empty.name, "DINASX")


def test_excel_numeric_nik_cell_is_refused_with_the_value_excel_shows(store, tmp_path, catalog):
    wb = Workbook()
    ws = wb.active
    ws.append(["LAPORAN PENYALURAN UEP"])
    ws.append(ITV_HEADER)
    ws.append([CICI, None, "UEP", date(2023, 2, 15), 2500000, "Tersalur", None])
    ws.append([int(EUIS), None, "UEP", date(2023, 3, 1), None, "Rencana", None])
    wb.save(tmp_path / "angka.xlsx")
    prepared = interventions.prepare_file(
        store, (tmp_path / "angka.xlsx").read_bytes(), "angka.xlsx", "DISKOPUKM"
    )
    err = prepared.errors.iloc[0]
    # masked like every NIK in a report (issue 14, item 3), saying what Excel did to it
    assert (err["baris"], err["kolom"]) == (4, "NIK")
    assert err["nilai"] == "647201********** (ditulis sebagai angka oleh Excel)"


def test_odd_values_are_warnings_not_refusals(store, tmp_path, catalog):
    rows = [
        [CICI, "", "UEP", "15/02/2023", "1000000", "Tersalur", ""],
        [EUIS, "", "UEP", "15/02/2025", "", "Tersalur", ""],
    ]
    prepared = interventions.prepare_file(
        store, write_itv(tmp_path / "w.csv", rows).read_bytes(), "w.csv", "DISKOPUKM"
    )
    assert prepared.ok
    assert list(prepared.warnings["baris"]) == [2, 3]
    assert "Berbeda dari nilai program UEP" in prepared.warnings.iloc[0]["pesan"]
    assert "di luar masa program" in prepared.warnings.iloc[1]["pesan"]
    assert prepared.rows["nilai"].tolist() == [1_000_000, 2_500_000]  # an empty amount takes the programme's


def test_failure_inside_the_transaction_leaves_store_unchanged(filled, tmp_path, monkeypatch):
    before = dump_all(filled)
    original = interventions.run

    def failing(cur, name, **params):
        if name == "intervensi_irisan_insert":
            raise RuntimeError("simulated crash")
        original(cur, name, **params)

    monkeypatch.setattr(interventions, "run", failing)
    extra = write_itv(tmp_path / "x.csv", [[ANI, "", "UEP", "20/03/2023", "", "Tersalur", ""]])
    # an unexpected error is a refusal naming its type, never its text (issue 14, item 5)
    with pytest.raises(interventions.ImportRefused, match=r"galat tak terduga \(RuntimeError\)"):
        interventions.import_file(filled, extra, "DISKOPUKM", mode="tambah")
    with pytest.raises(interventions.ImportRefused, match="RuntimeError"):
        interventions.import_file(filled, extra, "DISKOPUKM", mode="ganti")
    assert dump_all(filled) == before


def test_changed_nik_key_is_refused(filled, tmp_path, monkeypatch):
    monkeypatch.setenv("NOL_EKSTREM_SECRET", "kunci-lain")
    later = write_itv(tmp_path / "k.csv", [[CICI, "", "UEP", "05/02/2024", "", "Tersalur", ""]])
    with pytest.raises(interventions.ImportRefused, match="Kunci NIK"):
        interventions.import_file(filled, later, "DISKOPUKM")


# --- freshness against the list and the catalog ---------------------------------------------------


def test_interventions_before_snapshots_equal_interventions_after(tmp_path, catalog):
    first = Store.open(None)
    import_snapshots(first, tmp_path, D2)
    import_interventions(first, tmp_path)
    second = Store.open(None)
    registry.import_file(second, write_csv(tmp_path / "s0.csv", BASE), D0)
    for kode, (name, rows) in FILES.items():
        interventions.import_file(second, write_itv(tmp_path / f"2_{name}", rows), kode)
    registry.import_file(second, write_csv(tmp_path / "s1.csv", s1_rows()), S1)
    registry.import_file(second, write_csv(tmp_path / "s2.csv", [r for r in s1_rows() if r[4] != "Budi"]), D2)
    # each registry import re-matched the records inside its own transaction: nothing left to do
    assert interventions.ensure_fresh(second) is False
    for t in SUMMARIES:
        with first.cursor() as a, second.cursor() as b:
            assert sorted(a.execute(f"select * from {t}").fetchall(), key=repr) == sorted(
                b.execute(f"select * from {t}").fetchall(), key=repr
            ), t


def test_catalog_change_reloads_and_recomputes(filled, catalog):
    assert interventions.ensure_catalog(filled) is False
    text = PROGRAM_CSV.replace(
        "BEDAH,DISPERKIM,Bedah rumah,kantong_kemiskinan", "BEDAH,DISPERKIM,Bedah rumah,usaha_produktif"
    )
    text = "\n".join(line for line in text.splitlines() if not line.startswith("BLTO"))
    (catalog / "program.csv").write_text(text + "\n", encoding="utf-8")
    assert interventions.ensure_fresh(filled) is True
    with filled.cursor() as cur:
        got = cur.execute(
            "select bantuan_pendapatan, usaha_produktif, kantong_kemiskinan, sum(keluarga) "
            "from intervensi_irisan where as_of = ? group by all order by all",
            [S1],
        ).fetchall()
        programs = cur.execute("select kode_program from program order by 1").fetchall()
    assert got == [(False, False, False, 2), (True, False, False, 1), (True, True, False, 1)]
    assert programs == [("BEDAH",), ("BLT",), ("UEP",)]  # BLTO gone: no record refers to it


def test_programme_removed_from_the_file_but_used_by_records_is_kept(filled, catalog):
    text = "\n".join(line for line in PROGRAM_CSV.splitlines() if not line.startswith("UEP"))
    (catalog / "program.csv").write_text(text + "\n", encoding="utf-8")
    interventions.ensure_fresh(filled)
    with filled.cursor() as cur:
        kept = cur.execute("select di_berkas from program where kode_program = 'UEP'").fetchall()
    assert kept == [(False,)]
    assert stats(filled, S1, "DISKOPUKM")[:2] == (1, 1)


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda t: t.replace("keluarga,300000", "rumah,300000"),
            "program.csv baris 2, kolom satuan = 'rumah'",
        ),
        (
            lambda t: t.replace("usaha_produktif,orang", "modal,orang"),
            "program.csv baris 4, kolom strategi = 'modal'",
        ),
        (lambda t: t.replace("2500000,1", "2.500.000,1"), "kolom nilai = '2.500.000'"),
        (
            lambda t: t.replace("DISPERKIM,Bedah", "DISPUPR,Bedah"),
            "kolom kode_opd = 'DISPUPR': tidak ada di opd.csv",
        ),
    ],
)
def test_broken_catalog_names_file_row_and_column(store, catalog, edit, message):
    (catalog / "program.csv").write_text(edit(PROGRAM_CSV), encoding="utf-8")
    with pytest.raises(catalog_files.CatalogError, match=message.replace("(", r"\(")):
        interventions.ensure_catalog(store)


def test_shipped_catalog_has_15_opds_and_valid_programmes(store, monkeypatch):
    monkeypatch.delenv("NOL_EKSTREM_KATALOG", raising=False)
    opd_df, programs = catalog_files.read_catalog(*catalog_files.catalog_paths())
    assert len(opd_df) == 15
    blt = programs.set_index("kode_program").loc[["BLT-2023", "BLT-2024"]]
    assert blt[["satuan", "nilai", "bulan"]].values.tolist() == [
        ["orang", 300000, 3],
        ["keluarga", 300000, 10],
    ]
    assert set(programs["kode_opd"]) == set(opd_df["kode_opd"])  # every OPD has a programme


# --- command line ---------------------------------------------------------------------------------


def test_cli_imports_and_refuses(tmp_path, catalog, capsys):
    db = tmp_path / "cli.duckdb"
    store = Store.open(db)
    import_snapshots(store, tmp_path)
    store.close()
    path = write_itv(tmp_path / "diskop.csv", DISKOP)
    assert (
        cli.main(["--db", str(db), "intervensi", str(path), "--opd", "diskopukm", "--pengguna", "ana"]) == 0
    )
    out = capsys.readouterr().out
    assert "Intervensi DISKOPUKM diimpor dari diskop.csv" in out
    assert "Penerima di luar daftar P3KE (ditandai, tetap disimpan): 2" in out
    assert cli.main(["--db", str(db), "intervensi", str(path), "--opd", "DISKOPUKM"]) == 2
    assert "berkas yang sama persis" in capsys.readouterr().err
    bad = write_itv(tmp_path / "rusak.csv", [[CICI[:15], "", "UEP", "15/02/2024", "", "Tersalur", ""]])
    assert cli.main(["--db", str(db), "intervensi", str(bad), "--opd", "DISKOPUKM", "--tambah"]) == 2
    assert "Galat: baris 2, kolom NIK: NIK harus tepat 16 digit" in capsys.readouterr().err


def test_preview_matches_what_commit_records(store, tmp_path, catalog):
    import_snapshots(store, tmp_path)
    path = write_itv(tmp_path / "diskop.csv", DISKOP)
    prepared = interventions.prepare_file(store, path.read_bytes(), path.name, "DISKOPUKM")
    pv = interventions.preview(store, prepared)
    assert pv[
        ["kode_program", "baris", "tersalur", "rencana", "penerima", "luar_daftar"]
    ].values.tolist() == [["UEP", 4, 3, 1, 4, 2]]
    result = interventions.commit(store, prepared)
    assert result.off_list == 2
    assert isinstance(pv, pd.DataFrame)


@pytest.fixture
def page_store(tmp_path, monkeypatch, catalog, accounts):
    """A store file holding this module's fixture (snapshots D0, S1, D2 and the OPD files), for AppTests."""
    db = tmp_path / "page.duckdb"
    monkeypatch.setenv("NOL_EKSTREM_DB", str(db))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    store = Store.open(db)
    import_snapshots(store, tmp_path, D2)
    import_interventions(store, tmp_path)
    store.close()
    return db


def summary_tables(store: Store) -> dict[str, list]:
    with store.cursor() as cur:
        return {t: sorted(map(repr, cur.execute(f"select * from {t}").fetchall())) for t in SUMMARIES}  # noqa: S608


def test_appending_a_snapshot_updates_only_its_summaries_and_equals_a_full_rebuild(tmp_path, monkeypatch):
    from bench.run import build

    monkeypatch.setenv("NOL_EKSTREM_MAX_UPLOAD_MB", "100")
    built = build(3000, 8, tmp_path, log=lambda _: None)  # 3 OPD files a month from Jan 2023
    store = built.store
    incremental = summary_tables(store)
    assert len(incremental["intervensi_stats"]) > 0 and len(incremental["intervensi_cocok"]) > 50
    with store.transaction() as cur:
        interventions.refresh(cur, None)
    assert summary_tables(store) == incremental
    store.close()
