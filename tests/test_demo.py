"""Tests for the deterministic demo generator of P3KE-format snapshot files."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from itertools import pairwise

import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics.demo import snapshots

# The published figures, repeated here so a change to the module's constants cannot hide a miss.
PUBLISHED = {
    date(2022, 11, 30): (9032, 1600),
    date(2023, 6, 30): (6973, 1456),
    date(2024, 3, 31): (6000, 1232),
}
HEADER = (
    "ID Keluarga P3KE, ID Individu, Kode Kemdagri, Provinsi, Kabupaten/Kota, Kecamatan, Desa/Kelurahan, "
    "Alamat, Desil Kesejahteraan, Persentil, Prioritas Verval, Nama, NIK, Padan Dukcapil, Jenis Kelamin, "
    "Hubungan dengan Kepala Keluarga, Tanggal Lahir, Status Kawin, Pekerjaan, Status Pekerjaan, Pendidikan, "
    "Usia, Kelompok Usia, Penerima BPNT, Penerima BPUM, Penerima BST, Penerima PKH, Penerima SEMBAKO, "
    "Penerima Prakerja, Penerima KUR, Status, Alasan Keluar, Tanggal Verifikasi"
).split(", ")
REASONS = {"Graduasi", "Meninggal", "Pindah", "Tidak Layak", "Menolak", "Ganda"}


@pytest.fixture(scope="module")
def snaps() -> dict[date, pd.DataFrame]:
    return snapshots.generate_snapshots(42)


def aktif(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["Status"] == "Aktif"]


def counts(df: pd.DataFrame) -> tuple[int, int]:
    on = aktif(df)
    return len(on), on["ID Keluarga P3KE"].nunique()


def kelurahan_codes() -> set[str]:
    path = next(p for d in snapshots.GEO_DIRS if (p := d / "samarinda_kelurahan.geojson").exists())
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["kode_kelurahan"].replace(".", "") for f in features}


def flows(snaps: dict[date, pd.DataFrame]) -> dict[str, int]:
    """Re-entries, new entrants and silent leavers, counted by NIK between consecutive snapshots."""
    seen: set[str] = set()
    prev: set[str] = set()
    out = {"reentries": 0, "new": 0, "vanished": 0, "left": 0}
    for i, df in enumerate(snaps.values()):
        on, listed = set(aktif(df)["NIK"]), set(df["NIK"])
        out["vanished"] += len(prev - listed)
        out["left"] += len(prev - on)
        out["reentries"] += len((on & seen) - prev)
        out["new"] += len(on - seen) if i else 0
        seen |= listed
        prev = on
    return out


def exit_reasons(snaps: dict[date, pd.DataFrame], dates: list[date]) -> pd.Series:
    return pd.concat([snaps[d].loc[snaps[d]["Status"] == "Keluar", "Alasan Keluar"] for d in dates])


def test_dates_and_layout(snaps):
    dates = snapshots.DEMO_DATES
    assert len(dates) == 26 and dates[0] == date(2022, 11, 30) and dates[-1] == date(2024, 12, 31)
    assert all((d + timedelta(days=1)).day == 1 for d in dates)
    assert list(snaps) == dates
    assert snapshots.COLUMNS == HEADER
    for df in snaps.values():
        assert list(df.columns) == snapshots.COLUMNS
        assert all(pd.api.types.is_string_dtype(df[c]) for c in df.columns)
        assert not df.isna().any().any()


def test_reproducible_for_a_seed(snaps):
    again = snapshots.generate_snapshots(42)
    for d in snapshots.DEMO_DATES:
        pd.testing.assert_frame_equal(snaps[d], again[d])
    other = snapshots.generate_snapshots(7)
    assert not other[snapshots.DEMO_DATES[0]].equals(snaps[snapshots.DEMO_DATES[0]])
    assert counts(other[date(2023, 6, 30)]) == counts(snaps[date(2023, 6, 30)])  # still calibrated


def test_checkpoints(snaps):
    assert snapshots.CHECKPOINTS == PUBLISHED
    assert counts(snaps[date(2022, 11, 30)]) == (9032, 1600)
    for d, (people, families) in PUBLISHED.items():
        got_people, got_families = counts(snaps[d])
        assert abs(got_people - people) <= 0.01 * people
        assert abs(got_families - families) <= 0.01 * families
    base = aktif(snaps[date(2022, 11, 30)])
    utara = base[base["Kode Kemdagri"].str.startswith("647205")]
    assert len(utara) == 1587 and set(utara["Kecamatan"]) == {"SAMARINDA UTARA"}
    sizes = base.groupby("ID Keluarga P3KE").size()
    assert sizes.between(1, 10).all() and 5.4 < sizes.mean() < 5.8


def test_list_keeps_falling_but_not_to_zero(snaps):
    people = [counts(df)[0] for df in snaps.values()]
    assert all(a >= b for a, b in pairwise(people))
    assert 4000 <= people[-1] <= 4500


def test_identifiers(snaps):
    codes = kelurahan_codes()
    assert len(codes) == 59
    for df in snaps.values():
        assert df["NIK"].str.fullmatch(r"6472\d{12}").all() and df["NIK"].is_unique
        assert df["ID Individu"].is_unique
        assert set(df["Kode Kemdagri"]) <= codes
    base = snaps[date(2022, 11, 30)]
    heads = (
        base[base["Hubungan dengan Kepala Keluarga"] == "Kepala Keluarga"].groupby("ID Keluarga P3KE").size()
    )
    assert len(heads) == 1600 and (heads == 1).all()
    assert base["ID Keluarga P3KE"].str.fullmatch(r"P3KE6472\d{8}").all()
    # The same person keeps the same IDs in every snapshot, re-entries included.
    every = pd.concat(snaps.values())[["NIK", "ID Individu", "ID Keluarga P3KE"]].drop_duplicates()
    assert every["NIK"].is_unique


def test_nik_matches_birth_date_sex_and_kecamatan(snaps):
    df = pd.concat(snaps.values()).drop_duplicates("NIK")
    nik, born = df["NIK"].str, df["Tanggal Lahir"]
    day = nik[6:8].astype(int)
    women = df["Jenis Kelamin"] == "Perempuan"
    assert ((day > 40) == women).all()
    assert ((day - 40 * women).map("{:02d}".format) == born.str[8:10]).all()
    assert (nik[8:10] == born.str[5:7]).all() and (nik[10:12] == born.str[2:4]).all()
    assert (nik[4:6] == df["Kode Kemdagri"].str[4:6]).all()


def test_age_columns(snaps):
    d = date(2024, 3, 31)
    df = snaps[d]
    born = pd.to_datetime(df["Tanggal Lahir"])
    expected = (
        d.year
        - born.dt.year
        - ((born.dt.month > d.month) | ((born.dt.month == d.month) & (born.dt.day > d.day)))
    )
    assert (df["Usia"].astype(int) == expected).all()
    assert set(df["Kelompok Usia"]) <= {"0-5", "6-17", "18-59", "60+"}


def test_keluar_rows(snaps):
    for d, df in snaps.items():
        out = df[df["Status"] == "Keluar"]
        assert set(df["Status"]) <= {"Aktif", "Keluar"}
        assert set(out["Alasan Keluar"]) <= REASONS
        assert (aktif(df)[["Alasan Keluar", "Tanggal Verifikasi"]] == "").all().all()
        verified = pd.to_datetime(out["Tanggal Verifikasi"])
        assert (verified <= pd.Timestamp(d)).all() and (
            verified > pd.Timestamp(d) - pd.Timedelta(days=31)
        ).all()
    assert (snaps[date(2022, 11, 30)]["Status"] == "Aktif").all()


def test_keluar_people_are_gone_next_month(snaps):
    for before, after in pairwise(list(snaps.values())[1:]):
        left = set(before.loc[before["Status"] == "Keluar", "NIK"])
        assert left and not left & set(after["NIK"])


def test_reentries_new_entrants_and_silent_leavers(snaps):
    got = flows(snaps)
    assert 40 <= got["reentries"] <= 80
    assert 150 <= got["new"] <= 300
    assert 0.01 * got["left"] < got["vanished"] < 0.06 * got["left"]
    base_families = set(snaps[date(2022, 11, 30)]["ID Keluarga P3KE"])
    families = set(pd.concat(snaps.values())["ID Keluarga P3KE"])
    assert 30 <= len(families - base_families) <= 60


def test_reason_mix_shifts_to_graduation(snaps):
    early = exit_reasons(snaps, snapshots.DEMO_DATES[1:8])
    late = exit_reasons(snaps, [d for d in snapshots.DEMO_DATES if d.year == 2024])
    assert (early != "Graduasi").mean() > 0.75
    assert (late == "Graduasi").mean() > 0.6


def test_kecamatan_pace_differs(snaps):
    def remaining(kecamatan: str) -> float:
        first, last = (aktif(snaps[d]) for d in (snapshots.DEMO_DATES[0], snapshots.DEMO_DATES[-1]))
        return (last["Kecamatan"] == kecamatan).sum() / (first["Kecamatan"] == kecamatan).sum()

    city = counts(snaps[snapshots.DEMO_DATES[-1]])[0] / 9032
    assert min(remaining("SAMARINDA UTARA"), remaining("PALARAN")) > city + 0.05
    assert max(remaining("SAMARINDA KOTA"), remaining("SAMARINDA ULU")) < city - 0.05


def test_write_xlsx_round_trip(snaps, tmp_path):
    df = snaps[date(2023, 6, 30)]
    part = pd.concat([df.head(150), df[df["Status"] == "Keluar"].head(20)])
    path = tmp_path / "p3ke.xlsx"
    snapshots.write_xlsx(part, path)
    ws = load_workbook(path).worksheets[0]
    assert ws["A1"].value == "DATA P3KE KEMISKINAN EKSTREM" and ws["A3"].value is None
    assert [c.value for c in ws[4]] == snapshots.COLUMNS
    rows = list(ws.iter_rows(min_row=5, max_col=len(snapshots.COLUMNS)))
    assert len(rows) == len(part)
    col = {name: i for i, name in enumerate(snapshots.COLUMNS)}
    for name in ("NIK", "ID Keluarga P3KE", "ID Individu", "Kode Kemdagri"):
        cells = [r[col[name]] for r in rows]
        assert all(c.data_type == "s" and c.number_format == "@" for c in cells)
        assert [c.value for c in cells] == part[name].tolist()
    assert all(len(r[col["NIK"]].value) == 16 and r[col["NIK"]].value.isdigit() for r in rows)
    assert [r[col["Usia"]].value for r in rows] == part["Usia"].astype(int).tolist()
    reasons = [r[col["Alasan Keluar"]].value or "" for r in rows]
    assert reasons == part["Alasan Keluar"].tolist()
    snapshots.write_xlsx(part, path, title_rows=[])
    assert [c.value for c in load_workbook(path).worksheets[0][1]] == snapshots.COLUMNS


def test_write_demo_files_csv(snaps, tmp_path):
    written = snapshots.write_demo_files(tmp_path / "a")
    assert [d for d, _ in written] == snapshots.DEMO_DATES
    assert [p.name for _, p in written][0] == "p3ke_samarinda_2022-11-30.csv"
    d, path = written[7]
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(back, snaps[d], check_dtype=False)
    again = snapshots.write_demo_files(tmp_path / "b")
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    assert [digest(p) for _, p in written] == [digest(p) for _, p in again]


def test_cli(snaps, tmp_path, monkeypatch, capsys):
    few = {d: snaps[d] for d in snapshots.DEMO_DATES[:2]}
    monkeypatch.setattr(snapshots, "generate_snapshots", lambda seed: few)
    snapshots.main([str(tmp_path), "--format", "csv", "--seed", "3"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "9032" in lines[0] and "p3ke_samarinda_2022-11-30.csv" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"p3ke_samarinda_{d}.csv" for d in few]
