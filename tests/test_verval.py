"""Verification results (verval): the kelurahan sheet (template → fill → import), refusals that name row
and column and change nothing, the same file twice, the archive rebuild, one result from the profile,
and the per-kelurahan status with a fixed today."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analytics.access.auth import User
from analytics.ingest import rebuild, registry, verval, verval_template
from analytics.ingest.base import ImportRefused
from analytics.store import opening, settings
from analytics.store.db import Store
from analytics.verval import status
from tests.helpers import BASE, dump, write_csv

D0 = date(2024, 1, 31)
DINSOS = User("dinsos1", "dinsos")
SSP, RAWA, HANDIL = "64.72.05.1004", "64.72.01.1001", "64.72.01.1002"  # K1, K2, K3
ANI, CICI = "6472054101900001", "6472014101900003"  # members of K1 and K2
ALL_YES = dict.fromkeys(("Ekonomi", "Sosial", "Pendidikan", "Kesehatan", "Rumah", "Air & sanitasi"), "Ya")


def listed(store: Store) -> Store:
    registry.import_file(store, write_csv(Path(store.tmp) / "snap.csv", BASE), D0, user="uji")
    return store


@pytest.fixture
def st_(store, tmp_path):
    store.tmp = tmp_path
    return listed(store)


def entry(hasil: str, tanggal: str = "05/03/2024", **more: str) -> dict:
    return {
        "Hasil Verifikasi": hasil,
        "Tanggal Verifikasi": tanggal,
        "Dasar": "BA Muskel",
        "Nomor BA/SPTJM": "BA/01/Muskel/2024",
        "Petugas": "Pak Rahmat",
    } | more


def fill(template: bytes, rows: list[tuple[str, dict]]) -> bytes:
    """Fill a downloaded sheet: each (ID Keluarga, cells by header) fills that family's row, or a new
    row at the bottom when the ID is already filled or not in the sheet. A 'NIK' cell adds a NIK column."""
    wb = load_workbook(io.BytesIO(template))
    ws = wb.active
    head_row = verval_template.TITLE_ROWS + 1
    col = {c.value: c.column for c in ws[head_row] if c.value}
    if any("NIK" in cells for _, cells in rows):
        col["NIK"] = ws.max_column + 1
        ws.cell(head_row, col["NIK"], "NIK")
    used: set[int] = set()
    for fam, cells in rows:
        target = next(
            (r for r in range(head_row + 1, ws.max_row + 1)
             if ws.cell(r, 1).value == fam and r not in used),
            None,
        )  # fmt: skip
        if target is None:
            target = ws.max_row + 1
            ws.cell(target, 1, fam)
        used.add(target)
        for name, value in cells.items():
            ws.cell(target, col[name], value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def stored(store: Store) -> list[tuple]:
    with store.cursor() as cur:
        return cur.execute(
            "select id_keluarga, person_key is not null, kode_kelurahan, hasil, tanggal, dasar, petugas, "
            "checklist, checklist_lengkap, sumber, file_name from verval order by id_keluarga, hasil"
        ).fetchall()


GOOD = [
    ("K2", entry("Graduasi") | ALL_YES),
    (
        "K3",
        entry("Lulus", Dasar="SPTJM", **{"Nomor BA/SPTJM": "12/SPTJM/2024"}) | ALL_YES | {"Rumah": "Tidak"},
    ),
    ("K1", entry("Masih miskin ekstrem")),
    ("K1", entry("Meninggal", NIK=ANI)),
]


def test_a_filled_template_is_imported_with_its_checklists(st_):
    template = verval_template.build(st_, DINSOS, RAWA)
    data = fill(template, GOOD)
    result = verval.IMPORTER.import_bytes(st_, data, "verval_rawa.xlsx", user="uji")
    assert (result.rows, result.per_result) == (4, {"graduasi": 2, "masih_miskin_ekstrem": 1, "meninggal": 1})
    rows = stored(st_)
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in rows] == [
        ("K1", False, SSP, "masih_miskin_ekstrem", "ba_muskel"),
        ("K1", True, SSP, "meninggal", "ba_muskel"),
        ("K2", False, RAWA, "graduasi", "ba_muskel"),
        ("K3", False, HANDIL, "graduasi", "sptjm"),
    ]
    assert json.loads(rows[2][7]) == dict.fromkeys(
        ("air_sanitasi", "ekonomi", "kesehatan", "pendidikan", "rumah", "sosial"), True
    )
    assert (rows[2][8], rows[3][8], rows[0][7], rows[0][8]) == (True, False, None, None)
    assert json.loads(rows[3][7])["rumah"] is False
    assert {r[9] for r in rows} == {"berkas"} and {r[10] for r in rows} == {"verval_rawa.xlsx"}
    with st_.cursor() as cur:
        everything = repr(cur.execute("select * from verval").fetchall())
        log = cur.execute("select kind, outcome from import_log where kind = 'verval'").fetchall()
    assert ANI not in everything and log == [("verval", "diimpor")]


def test_template_lists_the_kelurahan_families_and_refuses_other_areas(st_):
    wb = load_workbook(io.BytesIO(verval_template.build(st_, DINSOS, SSP)))
    ws = wb.active
    assert "Sungai Siring Pelita" in ws.cell(1, 1).value
    body = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]
    assert [(r[0], r[1], r[2], r[4]) for r in body] == [("K1", "Ani", "647205**********", 2)]
    assert ws.data_validations.dataValidation  # the result, basis and checklist dropdowns
    lurah = User("lurah", "kelurahan:64.72.01.1001")
    assert verval_template.build(st_, lurah, RAWA)
    for who in (lurah, User("w", "walikota"), User("o", "opd:DISKOPUKM")):
        with pytest.raises(ImportRefused):
            verval_template.build(st_, who, SSP)


def test_a_malformed_sheet_is_refused_naming_row_and_column_and_changes_nothing(st_):
    before = dump(st_)
    bad = [
        ("K2", entry("Naik kelas") | ALL_YES),  # row 4: unknown result
        ("K3", entry("Pindah", Petugas=None)),  # row 5
        ("K1", entry("Pindah", tanggal="01/01/2099")),  # row 6: future
        ("K9", entry("Pindah")),  # row 7: not in the store
        ("K1", entry("Meninggal", NIK=CICI)),  # row 8: Cici is in K2
        ("K2", entry("Graduasi") | ALL_YES | {"Sosial": None}),  # row 9
    ]
    data = fill(verval_template.build(st_, DINSOS, RAWA), bad)
    prepared = verval.IMPORTER.prepare(st_, data, "salah.xlsx", user="uji")
    errors = prepared.errors[["baris", "kolom"]].values.tolist()
    assert errors == [
        [4, "Hasil Verifikasi"],
        [5, "Petugas"],
        [6, "Tanggal Verifikasi"],
        [7, "ID Keluarga"],
        [8, "NIK"],
        [9, "Sosial"],
    ]
    assert prepared.errors["berkas"].eq("salah.xlsx").all()
    assert CICI not in repr(prepared.issues.to_dict())
    with pytest.raises(ImportRefused, match="salah.xlsx"):
        verval.IMPORTER.commit(st_, prepared, user="uji")
    assert dump(st_) == before and stored(st_) == []


def test_basis_is_inferred_from_the_number_only_when_clear(st_, tmp_path):
    header = ["ID Keluarga", "Hasil Verifikasi", "Tanggal Verifikasi", "Nomor BA/SPTJM", "Petugas"]
    rows = [
        ["K1", "Pindah", "2024-03-01", "7/SPTJM/2024", "Bu Sari"],
        ["K2", "Pindah", "2024-03-01", "15/2024", "X"],
    ]
    prepared = verval.IMPORTER.prepare(st_, write_csv(tmp_path / "v.csv", rows, header).read_bytes(), "v.csv")
    assert prepared.errors[["baris", "kolom"]].values.tolist() == [[3, "Nomor BA/SPTJM"]]
    ok = verval.IMPORTER.import_bytes(
        st_, write_csv(tmp_path / "w.csv", rows[:1], header).read_bytes(), "w.csv"
    )
    assert ok.rows == 1 and stored(st_)[0][5] == "sptjm"


def test_the_same_file_twice_is_refused(st_):
    data = fill(verval_template.build(st_, DINSOS, RAWA), GOOD[:1])
    verval.IMPORTER.import_bytes(st_, data, "a.xlsx", user="uji")
    with pytest.raises(ImportRefused, match="a.xlsx"):
        verval.IMPORTER.import_bytes(st_, data, "lagi.xlsx", user="uji")
    assert len(stored(st_)) == 1


def test_rebuild_from_the_archive_restores_the_results(tmp_path):
    db = tmp_path / "v.duckdb"
    store = Store.open(db)
    store.tmp = tmp_path
    listed(store)
    verval.IMPORTER.import_bytes(store, fill(verval_template.build(store, DINSOS, RAWA), GOOD), "v.xlsx")
    verval.record_one(
        store, DINSOS, "K3", "pindah", date(2024, 4, 2), "sptjm", "9/SPTJM", None, "Bu Sari", None
    )
    before = stored(store)
    assert len(before) == 5
    store.close()
    rebuild.rebuild(db)
    again = opening.open_verified(db, wait_seconds=0)
    assert stored(again) == before
    again.close()


def test_record_one_by_dinsos_is_stored_and_audited_and_refused_for_others(st_):
    checklist = dict.fromkeys(("ekonomi", "sosial", "pendidikan", "kesehatan", "rumah", "air_sanitasi"), True)
    n = verval.record_one(
        st_, DINSOS, "K2", "graduasi", date(2024, 5, 1), "ba_muskel", "BA/2/2024", date(2024, 4, 30), "Pak R",
        checklist,
    )  # fmt: skip
    assert n == 1
    assert [(r[0], r[3], r[8], r[9], r[10]) for r in stored(st_)] == [
        ("K2", "graduasi", True, "profil", None)
    ]
    with st_.cursor() as cur:
        audited = cur.execute("select user_name, action, object from audit_log").fetchall()
    assert ("dinsos1", "impor", "K2") in audited
    for who in (User("opd1", "opd:DISKOPUKM"), User("lurah", "kelurahan:64.72.01.1001"), None):
        with pytest.raises(ImportRefused):
            verval.record_one(st_, who, "K2", "pindah", date(2024, 5, 1), "sptjm", "1", None, "X", None)
    with pytest.raises(ImportRefused, match="Sosial"):  # graduasi needs every dimension
        verval.record_one(
            st_, DINSOS, "K2", "graduasi", date(2024, 5, 1), "sptjm", "1", None, "X", {"ekonomi": True}
        )
    assert len(stored(st_)) == 1


def test_status_per_kelurahan_and_overdue_with_a_fixed_today(st_):
    # K2 verified 2024-03-05 (in the 6-month window before 2024-06-30); K3 on 2023-11-01 (too old)
    verval.record_one(
        st_, DINSOS, "K2", "masih_miskin_ekstrem", date(2024, 3, 5), "sptjm", "1", None, "X", None
    )
    verval.record_one(
        st_, DINSOS, "K3", "masih_miskin_ekstrem", date(2023, 11, 1), "sptjm", "2", None, "X", None
    )
    today = date(2024, 6, 30)
    df = status.per_kelurahan(st_, today=today).set_index("kode_kelurahan")
    assert df.loc[[SSP, RAWA, HANDIL], ["keluarga", "terverifikasi"]].values.tolist() == [
        [1, 0],
        [1, 1],
        [1, 0],
    ]
    assert df.loc[RAWA, "share"] == 1.0 and df.loc[SSP, "share"] == 0.0
    assert str(df.loc[HANDIL, "terakhir"])[:10] == "2023-11-01"
    late = status.overdue(st_, DINSOS, today=today)
    assert list(late["id_keluarga"]) == ["K3", "K1"]  # Palaran (64.72.01) before Samarinda Utara
    assert late.set_index("id_keluarga").loc["K3", "hasil_terakhir"] == "masih_miskin_ekstrem"
    camat = User("camat", "kecamatan:64.72.01")
    assert list(status.overdue(st_, camat, today=today)["id_keluarga"]) == ["K3"]
    assert list(status.per_kelurahan(st_, camat, today=today)["kode_kelurahan"]) == [RAWA, HANDIL]
    assert status.overdue(st_, User("w", "walikota"), today=today).empty
    # a longer window counts K3 too
    settings.put(st_, "verval_months", "12")
    assert status.per_kelurahan(st_, today=today)["terverifikasi"].sum() == 2
