"""Importing registry snapshots: counts, validation messages, refusals and atomicity."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from analytics.ingest import registry
from tests.helpers import BASE, HEADER, dump, write_csv

D0, D1, D2 = date(2022, 11, 30), date(2022, 12, 31), date(2023, 1, 31)


def counts_by_kelurahan(store, as_of):
    with store.cursor() as cur:
        rows = cur.execute(
            "select kode_kelurahan, orang_aktif, keluarga_aktif from area_stats where as_of = ?", [as_of]
        ).fetchall()
    return {k: (p, f) for k, p, f in rows}


def test_good_file_gives_counts_per_kelurahan_and_kecamatan(store, tmp_path):
    result = registry.import_file(store, write_csv(tmp_path / "a.csv", BASE), D0)
    assert (result.people_active, result.families_active) == (5, 3)
    assert counts_by_kelurahan(store, D0) == {
        "64.72.05.1004": (2, 1),
        "64.72.01.1001": (2, 1),
        "64.72.01.1002": (1, 1),
    }
    with store.cursor() as cur:
        per_kec = dict(
            cur.execute(
                "select k.kode_kecamatan, sum(orang_aktif) from area_stats a "
                "join kelurahan k using (kode_kelurahan) group by 1"
            ).fetchall()
        )
    assert per_kec == {"64.72.05": 2, "64.72.01": 3}


def test_raw_nik_is_never_stored_and_display_is_masked(store, tmp_path):
    registry.import_file(store, write_csv(tmp_path / "a.csv", BASE), D0)
    everything = repr(dump(store))
    assert "6472054101900001" not in everything
    with store.cursor() as cur:
        masked = {r[0] for r in cur.execute("select nik_masked from person").fetchall()}
    assert "647205**********" in masked


def test_header_below_title_rows_with_odd_case_and_dotted_codes_in_xlsx(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["DATA P3KE KEMISKINAN EKSTREM"])
    ws.append(["Kota Samarinda"])
    ws.append([])
    ws.append(["  id keluarga p3ke ", "KODE  KEMDAGRI", "nama", "nik", "Desil Kesejahteraan"])
    ws.append(["K1", "64.72.05.1004", "Ani", "6472054101900001", 1])
    ws.append(["K9", "6472051004", "Zed", "6472050101900009", 2])
    path = tmp_path / "judul.xlsx"
    wb.save(path)
    result = registry.import_file(store, path, D0)
    assert result.people_active == 2
    assert counts_by_kelurahan(store, D0) == {"64.72.05.1004": (2, 2)}


def test_old_kelurahan_name_maps_without_warning_and_wrong_name_warns(store, tmp_path):
    rows = [r.copy() for r in BASE]
    rows[0][3] = "Sungai Siring"  # the pre-2025 name of 64.72.05.1004
    rows[2][3] = "Bukuan"  # wrong name for 64.72.01.1001
    prepared = registry.prepare_file(store, write_csv(tmp_path / "a.csv", rows).read_bytes(), "a.csv", D0)
    assert prepared.ok
    assert list(prepared.warnings["baris"]) == [4]
    assert "Rawa Makmur" in prepared.warnings.iloc[0]["pesan"]


def _bad(rows_edit, header=HEADER):
    rows = [r.copy() for r in BASE]
    rows_edit(rows)
    return rows, header


BAD_CASES = {
    "nik_15_digit": (lambda r: r[1].__setitem__(5, "647205010190000"), 3, "NIK", "16 digit"),
    "nik_excel_number": (
        lambda r: r[2].__setitem__(5, "6.47201E+15"),
        4,
        "NIK",
        "Format kolom NIK sebagai Teks",
    ),
    "nik_duplicate": (lambda r: r[4].__setitem__(5, r[0][5]), 6, "NIK", "sama dengan baris 2"),
    "kode_outside_city": (
        lambda r: r[3].__setitem__(1, "6471011001"),
        5,
        "Kode Kemdagri",
        "di luar Kota Samarinda",
    ),
    "kode_unknown": (lambda r: r[3].__setitem__(1, "6472999999"), 5, "Kode Kemdagri", "tidak dikenal"),
    "empty_required_cell": (lambda r: r[1].__setitem__(4, ""), 3, "Nama", "kosong"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_is_refused_with_row_column_and_store_unchanged(store, tmp_path, case):
    registry.import_file(store, write_csv(tmp_path / "base.csv", BASE), D0)
    before = dump(store)
    edit, row, column, text = BAD_CASES[case]
    rows, header = _bad(edit)
    path = write_csv(tmp_path / f"{case}.csv", rows, header)
    with pytest.raises(registry.ImportRefused, match="galat"):
        registry.import_file(store, path, D1)
    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D1)
    errors = prepared.errors
    assert len(errors) == 1, errors
    err = errors.iloc[0]
    assert (err["berkas"], err["baris"], err["kolom"]) == (f"{case}.csv", row, column)
    assert text in err["pesan"]
    assert dump(store) == before
    assert store.query("import_history", limit=5).iloc[0]["outcome"] == "ditolak"


def test_missing_required_column_names_the_column(store, tmp_path):
    header = [h if h != "Kode Kemdagri" else "Kode Pos" for h in HEADER]
    path = write_csv(tmp_path / "nokode.csv", BASE, header)
    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D0)
    assert not prepared.ok
    assert "Kolom wajib tidak ada: 'Kode Kemdagri'" in prepared.errors.iloc[0]["pesan"]


def test_excel_numeric_nik_cell_is_refused_with_the_value_excel_shows(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["ID Keluarga P3KE", "Kode Kemdagri", "Nama", "NIK"])
    ws.append(["K1", "6472051004", "Ani", "6472054101900001"])
    ws.append(["K1", "6472051004", "Budi", 6472050101900002])
    wb.save(tmp_path / "angka.xlsx")
    prepared = registry.prepare_file(store, (tmp_path / "angka.xlsx").read_bytes(), "angka.xlsx", D0)
    err = prepared.errors.iloc[0]
    # the value is masked like every NIK in a report (issue 14, item 3), with what Excel did to it
    assert (err["baris"], err["kolom"]) == (3, "NIK")
    assert err["nilai"] == "647205********** (ditulis sebagai angka oleh Excel)"


def test_odd_optional_values_are_warnings_not_refusals(store, tmp_path):
    rows = [r.copy() for r in BASE]
    rows[0][6] = "7"  # desil outside 1-4
    rows[1][9], rows[1][10] = "Keluar", ""  # left without a reason
    rows[2][6] = "2.0"  # not one of 1-4 as written: warned about, so not stored either
    prepared = registry.prepare_file(store, write_csv(tmp_path / "w.csv", rows).read_bytes(), "w.csv", D0)
    assert prepared.ok
    assert sorted(prepared.warnings["baris"]) == [2, 3, 4]
    assert prepared.rows["desil"].isna().tolist()[:3] == [True, False, True]
    assert prepared.rows["desil"].iloc[3] == int(BASE[3][6])


def test_same_file_twice_is_refused_naming_the_earlier_import(store, tmp_path):
    path = write_csv(tmp_path / "a.csv", BASE)
    registry.import_file(store, path, D0, user="petugas1")
    before = dump(store)
    with pytest.raises(
        registry.ImportRefused, match=r"sudah diimpor sebagai snapshot 30-11-2022 dari 'a.csv'.*petugas1"
    ):
        registry.import_file(store, path, D1)
    assert dump(store) == before


def test_existing_date_needs_explicit_replace(store, tmp_path):
    registry.import_file(store, write_csv(tmp_path / "a.csv", BASE), D0)
    other = write_csv(tmp_path / "b.csv", BASE[:3])
    with pytest.raises(registry.ImportRefused, match="sudah ada"):
        registry.import_file(store, other, D0)
    result = registry.import_file(store, other, D0, replace=True)
    assert result.replaced and result.people_active == 3
    assert store.query("snapshot_list")["people_active"].tolist() == [3]


def test_exits_entries_and_reentries_are_counted_by_reason(store, tmp_path):
    registry.import_file(store, write_csv(tmp_path / "0.csv", BASE), D0)
    s1 = [r.copy() for r in BASE]
    s1[1][9], s1[1][10] = "Keluar", "Meninggal"  # Budi died
    del s1[4]  # Euis vanished: reason unknown
    s1.append(
        [
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
    )
    registry.import_file(store, write_csv(tmp_path / "1.csv", s1), D1, confirmed=True)
    s2 = [r.copy() for r in BASE if r[4] not in ("Budi",)]  # Euis re-enters, Budi gone for good
    registry.import_file(store, write_csv(tmp_path / "2.csv", s2), D2, confirmed=True)
    flows = store._con.execute(
        "select as_of, arus, coalesce(alasan, ''), dari_baseline, sum(orang) "
        "from flow_stats group by all order by all"
    ).fetchall()
    assert flows == [
        (D1, "keluar", "meninggal", True, 1),
        (D1, "keluar", "tidak_diketahui", True, 1),
        (D1, "masuk_baru", "", False, 1),
        (D2, "keluar", "tidak_diketahui", False, 1),  # Fajar is absent in s2
        (D2, "masuk_kembali", "", True, 1),
    ]
    remaining = store._con.execute(
        "select as_of, sum(orang_aktif), sum(orang_sisa_baseline), sum(orang_baru) "
        "from area_stats group by 1 order by 1"
    ).fetchall()
    assert remaining == [(D0, 5, 5, 0), (D1, 4, 3, 1), (D2, 4, 4, 0)]


def test_import_out_of_order_equals_import_in_order(tmp_path):
    from analytics.store.db import Store

    s1 = [r.copy() for r in BASE[:4]]
    s1[0][1] = "6472011002"  # Ani moves kelurahan
    s2 = [r.copy() for r in BASE[1:]]
    files = [
        (D0, write_csv(tmp_path / "0.csv", BASE)),
        (D1, write_csv(tmp_path / "1.csv", s1)),
        (D2, write_csv(tmp_path / "2.csv", s2)),
    ]
    results = []
    for order in ([0, 1, 2], [2, 0, 1], [1, 2, 0]):
        store = Store.open(None)
        for i in order:
            registry.import_file(store, files[i][1], files[i][0], confirmed=True)
        d = dump(store)
        d.pop("snapshot")
        results.append(d)
    assert results[0] == results[1] == results[2]


def test_failure_inside_the_transaction_leaves_store_unchanged(store, tmp_path, monkeypatch):
    registry.import_file(store, write_csv(tmp_path / "a.csv", BASE), D0)
    before = dump(store)
    original = registry.run

    def failing(cur, name, **params):
        if name.startswith("stats_flow"):  # stats_flow_append on the append path
            raise RuntimeError("simulated crash")
        original(cur, name, **params)

    monkeypatch.setattr(registry, "run", failing)
    # an unexpected error is a refusal naming its type, never its text (issue 14, item 5)
    with pytest.raises(registry.ImportRefused, match=r"galat tak terduga \(RuntimeError\)"):
        registry.import_file(store, write_csv(tmp_path / "b.csv", BASE[:2]), D1, confirmed=True)
    assert dump(store) == before
    with pytest.raises(registry.ImportRefused, match="RuntimeError"):
        registry.import_file(store, write_csv(tmp_path / "c.csv", BASE[:3]), D0, replace=True)
    assert dump(store) == before


def test_changed_nik_key_is_refused(store, tmp_path, monkeypatch):
    registry.import_file(store, write_csv(tmp_path / "a.csv", BASE), D0)
    monkeypatch.setenv("NOL_EKSTREM_SECRET", "another-key")
    with pytest.raises(registry.ImportRefused, match="Kunci NIK"):
        registry.import_file(store, write_csv(tmp_path / "b.csv", BASE[:2]), D1)


def test_preview_matches_what_commit_records(store, tmp_path):
    registry.import_file(store, write_csv(tmp_path / "a.csv", BASE), D0)
    new = ["K9", "6472011001", "PALARAN", "RAWA MAKMUR", "Dedi", "6472010101900099", "1", "", "", "Aktif", ""]
    path = write_csv(tmp_path / "b.csv", [*BASE[:3], new])
    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D1)
    preview = registry.preview(store, prepared)
    result = registry.commit(store, prepared, confirmed=True)
    stored = store._con.execute("select arus, alasan, sum(orang) from flow_stats group by all").df()
    key = ["arus", "alasan"]
    assert preview.sort_values(key).values.tolist() == stored.sort_values(key).values.tolist()
    assert preview.sort_values(key).values.tolist() == result.changes.sort_values(key).values.tolist()
    assert set(preview["arus"]) == {"keluar", "masuk_baru"}


@pytest.mark.parametrize(
    "name, content, text",
    [
        ("rusak.xlsx", b"PK\x03\x04bukan excel", "bukan berkas Excel .xlsx"),
        ("laporan.csv", b"%PDF-1.4 ...", "bukan teks CSV"),
        ("biner.csv", b"NIK,Nama\x00\x01\x02", "biner"),
        ("catatan.pdf", b"%PDF-1.4", "tidak didukung"),
        ("tanpa_judul.csv", b"a,b\n1,2\n", "baris judul kolom tidak ditemukan"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(store, name, content, text):
    prepared = registry.prepare_file(store, content, name, D0)
    assert not prepared.ok
    assert text in prepared.errors.iloc[0]["pesan"]
    assert prepared.errors.iloc[0]["berkas"] == name


def _zip(entries: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_zip_bomb_and_fake_xlsx_are_refused_before_parsing(store):
    bomb = _zip(
        {
            "[Content_Types].xml": b"<x/>",
            "xl/workbook.xml": b"<x/>",
            "xl/worksheets/sheet1.xml": b"0" * (600 * 1024 * 1024),
        }
    )
    assert len(bomb) < 2 * 1024 * 1024  # tiny on disk
    prepared = registry.prepare_file(store, bomb, "bom.xlsx", D0)
    assert "membengkak" in prepared.errors.iloc[0]["pesan"]
    not_excel = _zip({"readme.txt": b"halo"})
    prepared = registry.prepare_file(store, not_excel, "zip.xlsx", D0)
    assert "bukan buku kerja Excel" in prepared.errors.iloc[0]["pesan"]


def test_upload_size_limit(store, monkeypatch):
    monkeypatch.setenv("NOL_EKSTREM_MAX_UPLOAD_MB", "0.001")
    prepared = registry.prepare_file(store, b"NIK,Nama\n" + b"x" * 2000, "besar.csv", D0)
    assert "di atas batas" in prepared.errors.iloc[0]["pesan"]


def test_nik_values_in_the_validation_report_are_masked(store, tmp_path):
    rows = [r.copy() for r in BASE]
    rows[1][5] = "647205010190000"  # 15 digits
    path = write_csv(tmp_path / "a.csv", rows)
    err = registry.prepare_file(store, path.read_bytes(), path.name, D0).errors.iloc[0]
    assert (err["baris"], err["nilai"]) == (3, "647205********* (16 digit ditemukan 15)")


def test_a_later_snapshot_updates_personal_details_and_adds_each_person_once(store, tmp_path):
    registry.import_file(store, write_csv(tmp_path / "0.csv", BASE), D0)
    s1 = [r.copy() for r in BASE]
    s1[0][4] = "Ani Rahmawati"  # the same NIK with a corrected name
    s1.append(
        ["K9", "6472011001", "PALARAN", "RAWA MAKMUR", "Dedi", "6472010101900099", "1", "", "", "Aktif", ""]
    )
    registry.import_file(store, write_csv(tmp_path / "1.csv", s1), D1)
    registry.import_file(store, write_csv(tmp_path / "2.csv", s1[1:]), D2)
    with store.cursor() as cur:
        people = cur.execute("select nik_masked, nama from person order by nik_masked").fetchall()
    assert len(people) == len(BASE) + 1
    assert ("647205**********", "Ani Rahmawati") in people
    assert sum(1 for _, nama in people if nama == "Dedi") == 1


def test_a_failed_archive_write_commits_nothing(tmp_path, monkeypatch):
    from analytics.store import archive
    from analytics.store.db import Store

    store = Store.open(tmp_path / "s.duckdb")
    registry.import_file(store, write_csv(tmp_path / "0.csv", BASE), D0)
    before = dump(store)

    def disk_full(*_args, **_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(archive, "write_pending", disk_full)
    with pytest.raises(registry.ImportRefused, match=r"\(OSError\)"):
        registry.import_file(store, write_csv(tmp_path / "1.csv", BASE[:3]), D1, confirmed=True)
    assert dump(store) == before  # the transaction waited for the archive and rolled back
    assert not list((tmp_path / "archive").rglob("*pending*/*"))
    assert store.query("snapshot_list")["people_active"].tolist() == [len(BASE)]
    store.close()


def test_summaries_kept_by_appending_equal_a_full_recompute(tmp_path, monkeypatch):
    """Each appended snapshot computes its own flows from the intervals it closed and opened; over
    eight synthetic months (exits, entries, re-entries, moves) they equal stats_flow run on all."""
    from analytics.store.db import run
    from bench.run import build

    monkeypatch.setenv("NOL_EKSTREM_MAX_UPLOAD_MB", "100")
    store = build(3000, 8, tmp_path, log=lambda _: None, keep_parquet=False).store

    def table(name: str) -> list[tuple]:
        with store.cursor() as cur:
            return sorted(cur.execute(f"select * from {name}").fetchall(), key=repr)  # noqa: S608

    appended = {t: table(t) for t in ("flow_stats", "area_stats")}
    arus = {row[3] for row in appended["flow_stats"]}
    assert {"keluar", "masuk_baru", "masuk_kembali", "mutasi_keluar", "mutasi_masuk"} <= arus
    with store.transaction() as cur:
        for name in ("stats_delete_area", "stats_delete_flow", "stats_area", "stats_flow"):
            run(cur, name, from_date=date(1900, 1, 1))
    assert {t: table(t) for t in appended} == appended
    store.close()
