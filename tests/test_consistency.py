"""One number, one name: every figure shown under a catalogue name has one value per scope.

Figures are found through the catalogue (analytics.measures.by_label), never through written-out
labels, so renaming a measure cannot make this test pass or fail by itself. Covered: the pages
Ringkasan, Peta and Rapat (metrics and the side-by-side line) as DinsosPM and walikota on the demo
store, and the CLI import summary against the same pages on a hand-built store with new entrants,
a re-entry, a family split across two kelurahan and a kelurahan that falls to zero.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics import cli, measures
from analytics.i18n import LANGUAGES
from analytics.store import Store
from tests.helpers import BASE, login, page_path, write_csv

PAGES = ("ringkasan.py", "peta.py", "rapat.py")
BOLD_FIGURE = re.compile(r"\*\*([^*]+)\*\* ([\d.]+)")


def number(text: str) -> int | None:
    """The first whole number in a shown value ('4.218 orang' -> 4218); None for a hidden value."""
    found = re.search(r"\d[\d.]*", text)
    return int(found.group().replace(".", "")) if found else None


def shown_figures(at: AppTest) -> list[tuple[str, int | None]]:
    """(measure id, value) of every metric and side-by-side figure a page run shows."""
    out = []
    for m in at.metric:
        if (mid := measures.by_label(m.label)) is not None:
            out.append((mid, number(m.value)))
    for md in at.markdown:
        for label, value in BOLD_FIGURE.findall(md.value):
            if (mid := measures.by_label(label)) is not None:
                out.append((mid, number(value)))
    return out


def sweep(users: tuple[str, ...]) -> dict[tuple[str, str], set]:
    """Every catalogued figure on the pages, keyed by (measure, scope): latest date, whole city
    (the pages open on the latest snapshot and the whole city)."""
    seen: dict[tuple[str, str], set] = defaultdict(set)
    for user in users:
        for page in PAGES:
            at = login(AppTest.from_file(page_path(page), default_timeout=240), user).run()
            assert not at.exception, (page, at.exception)
            for mid, value in shown_figures(at):
                if value is not None:  # a value the role may not see is not a disagreement
                    seen[(mid, "terakhir/kota")].add((value, f"{user}:{page}"))
    return seen


def disagreements(seen: dict[tuple[str, str], set]) -> list[str]:
    return [
        f"{key}: {sorted(where)}" for key, where in seen.items() if len({value for value, _ in where}) > 1
    ]


def test_measure_names_are_distinct_and_tersisa_names_one_thing():
    for lang in LANGUAGES:
        names = [m.name(lang).casefold() for m in measures.MEASURES.values()]
        assert len(set(names)) == len(names), lang
    # "sisa"/"tersisa" belongs only to the start-list measures; "di daftar" never says "sisa"
    for mid in measures.MEASURES:
        name = measures.label(mid, "id").casefold()
        if "sisa" in name:
            assert "daftar awal" in name, name
        if "di daftar" in name:
            assert "sisa" not in name, name
    for m in measures.MEASURES.values():
        assert m.definition("id") and m.definition("en") and m.query_path.is_file()


def test_demo_store_pages_show_one_value_per_measure(demo_app, accounts):
    seen = sweep(("dinsos1", "walikota1"))
    shown = {mid for mid, _ in seen}
    # both "di daftar" and "sisa daftar awal" reach the reader, with the new entrants between them
    assert {"orang_di_daftar", "orang_sisa_daftar_awal", "orang_masuk_sejak_awal"} <= shown
    assert {"keluarga_di_daftar", "keluarga_sisa_daftar_awal", "persen_turun"} <= shown
    assert not disagreements(seen)
    on_list = {v for v, _ in seen[("orang_di_daftar", "terakhir/kota")]}
    left = {v for v, _ in seen[("orang_sisa_daftar_awal", "terakhir/kota")]}
    new = {v for v, _ in seen[("orang_masuk_sejak_awal", "terakhir/kota")]}
    assert on_list == {left.pop() + new.pop()}


def row(fam: str, kode: str, kec: str, kel: str, name: str, nik: str, status: str = "Aktif", why: str = ""):
    return [fam, kode, kec, kel, name, nik, "1", "Perempuan", "1990-01-01", status, why]


@pytest.fixture
def hand_store(tmp_path, monkeypatch, accounts):
    """Three snapshots: K1 split over two kelurahan; Euis (Handil Bakti) graduates so that kelurahan
    falls to zero; Fajar enters new; Dodi leaves and comes back. Imported through the CLI."""
    db = tmp_path / "hand.duckdb"
    monkeypatch.setenv("NOL_EKSTREM_DB", str(db))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    base = [list(r) for r in BASE]
    base[1][1:4] = ["6472011001", "PALARAN", "RAWA MAKMUR"]  # Budi of K1 lives in Rawa Makmur
    fajar = row("K4", "6472011001", "PALARAN", "RAWA MAKMUR", "Fajar", "6472014101900006")
    s2 = [r for r in base if r[4] not in ("Euis", "Dodi")] + [fajar]
    s2.append(base[4][:9] + ["Keluar", "Graduasi"])
    s3 = [r for r in base if r[4] != "Euis"] + [fajar, base[4][:9] + ["Keluar", "Graduasi"]]
    files = [(date(2024, 1, 31), base), (date(2024, 2, 29), s2), (date(2024, 3, 31), s3)]
    outputs = []
    for i, (when, rows) in enumerate(files):
        path = write_csv(tmp_path / f"s{i}.csv", rows)
        args = [
            "--db",
            str(db),
            "impor",
            str(path),
            "--tanggal",
            when.isoformat(),
            "--pengguna",
            "uji",
            "--yakin",
        ]
        outputs.append(args)
    return db, outputs


def test_cli_summary_and_pages_agree_on_a_store_with_split_families(hand_store, capsys):
    db, runs = hand_store
    for args in runs:
        assert cli.main(args) == 0
    printed = capsys.readouterr().out.splitlines()[-8:]
    cli_figures = {}
    for line in printed:
        for part in line.split(";"):
            if ":" in part and (mid := measures.by_label(part.split(":")[0])) is not None:
                cli_figures[mid] = number(part.split(":")[1])
    # the latest file: Ani, Budi (K1, split), Cici, Dodi (K2, back), Fajar (K4) -> 5 people, 3 families
    assert cli_figures == {"orang_di_daftar": 5, "keluarga_di_daftar": 3}
    store = Store.open(db)
    try:
        areas = store._con.execute(
            "select sum(keluarga_aktif) from area_stats where as_of = date '2024-03-31'"
        ).fetchone()[0]
        zero = store._con.execute(
            "select orang_aktif from area_stats "
            "where as_of = date '2024-03-31' and kode_kelurahan = '6472011002'"
        ).fetchall()
    finally:
        store.close()
    assert areas == 3  # area family counts add up to the city's distinct ID Keluarga
    assert zero in ([], [(0,)])
    seen = sweep(("dinsos1",))
    for mid, value in cli_figures.items():
        seen[(mid, "terakhir/kota")].add((value, "cli"))
    assert not disagreements(seen)
    assert seen[("keluarga_di_daftar", "terakhir/kota")], "the pages show families on the list"
