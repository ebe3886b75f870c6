"""One number, one name: every figure shown under a catalogue name has one value per measure and scope.

Figures are found through the catalogue (analytics.measures.by_label), never through written-out
labels, so renaming a measure cannot make this test pass or fail by itself. A figure's scope is its
date (the page's date, a date in its header, or its row's date) and its area (the city, or the
kecamatan / kelurahan / OPD named in its row).

Swept: every page (AppTest) as DinsosPM and as the mayor, every table download (CSV, through the
same audited path as the button), the meeting pack (XLSX, HTML and the PDF's text), and the CLI
import summary; on the demo store and on a hand-built store with a new entrant, a re-entry, a family
split across two kelurahan and a kelurahan that falls to zero.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import defaultdict
from datetime import date
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import cli, i18n, measures, pack
from analytics import formatting as fmt
from analytics.access import export
from analytics.access.auth import User
from analytics.i18n import LANGUAGES, t
from analytics.meeting import agenda
from analytics.store import audit
from analytics.store.db import Store
from tests.helpers import BASE, login, open_rapat_folds, page_path, write_csv

PAGES = (
    "ringkasan.py",
    "burndown.py",
    "peta.py",
    "perubahan.py",
    "rapat.py",
    "intervensi_opd.py",
    "verifikasi.py",
    "data_impor.py",
    "istilah.py",
)
CITY = "kota"
OTHER_VIEWS = {"burndown.py": [("burndown_unit", "keluarga")]}  # the families' view of the same page
TABS = {"intervensi_opd.py": "intervensi_tab"}  # pages that draw only their open tab: every tab is swept
FLOWS = {"orang_keluar"}  # counted over a period, not at a date
PERIODS = (("rapat_lalu", "rapat_kini"), ("perubahan_dari", "perubahan_sampai"))  # page widgets
DATE = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}")
BOLD_FIGURE = re.compile(r"\*\*([^*]+)\*\* ([\d.,]+%?)")


def raw(cell: object) -> float | None:
    """A downloaded cell: CSV keeps machine numbers ('62.3', '4218'); '<5' and 'x' are hidden."""
    try:
        return round(float(str(cell)), 1)
    except ValueError:
        return None


def value(shown: object) -> float | None:
    """The number in a shown or downloaded value ('4.218 orang' -> 4218, '53,3%' -> 53.3); None for
    a hidden value ('<5', 'x') or a cell without a number."""
    if isinstance(shown, bool) or shown is None:
        return None
    if isinstance(shown, int | float):
        return None if pd.isna(shown) else round(float(shown), 1)
    found = re.search(r"\d[\d.]*(,\d+)?", str(shown))
    if not found or str(shown).strip().startswith(("<", "x")):
        return None
    return round(float(found.group().replace(".", "").replace(",", ".")), 1)


def split_label(label: str) -> tuple[str | None, str | None]:
    """(measure id, date) of a shown label: 'Orang di daftar (31 Des 2024)' -> ('orang_di_daftar',
    '31 Des 2024'); a label outside the catalogue gives (None, None)."""
    text = str(label).strip()
    when = None
    if m := re.search(rf"\s*(?:\(({DATE.pattern})\)|({DATE.pattern}))$", text):
        when, text = m.group(1) or m.group(2), text[: m.start()]
    return measures.by_label(text), when


class Sweep:
    """Every catalogued figure seen, keyed by (measure, date, area), with where it was seen."""

    def __init__(self, default_date: str):
        self.default_date = default_date
        self.seen: dict[tuple[str, str, str], set[tuple[float, str]]] = defaultdict(set)
        self.labels: set[str] = set()

    def add(
        self,
        label: str,
        shown: object,
        where: str,
        when: str | None = None,
        area: str = CITY,
        period: str | None = None,
        machine: bool = False,
    ):
        """One figure. A flow (people who left) is scoped by the period it sums over."""
        self.labels.add(str(label))
        mid, in_label = split_label(label)
        number = raw(shown) if machine else value(shown)
        if mid is None or number is None:
            return
        scope = in_label or when or self.default_date
        if mid in FLOWS:
            if period is None:
                return  # a flow shown without its period cannot be compared
            scope = period
        self.seen[(mid, scope, area)].add((number, where))

    def table(self, df: pd.DataFrame, where: str, when: str | None = None, machine: bool = False):
        """Each catalogued column of a shown or downloaded table, scoped by its row: the finest area
        column (program, kelurahan, kecamatan or OPD) and the row's date where it has one."""
        cols = [str(c) for c in df.columns]
        levels = (t("col.kode_program"), t("col.kelurahan"), t("col.kecamatan"), "OPD")
        area_col = next((c for c in levels if c in cols), None)
        date_col = t("col.tanggal_snapshot") if t("col.tanggal_snapshot") in cols else None
        for col in cols:
            self.labels.add(col)
            if split_label(col)[0] is None:
                continue
            for _, row in df.iterrows():
                area = CITY if area_col is None else f"{area_col}:{row[area_col]}"
                if area_col is not None and str(row[area_col]) in (t("intervensi.all_opd"), "Kota Samarinda"):
                    area = CITY
                row_date = when
                if date_col is not None:
                    row_date = row[date_col] if isinstance(row[date_col], str) else fmt.tanggal(row[date_col])
                self.add(col, row[col], where, row_date, area, machine=machine)

    def page(self, at: AppTest, where: str):
        period = None
        for start, end in PERIODS:
            keys = {w.key for w in at.selectbox}
            if start in keys and end in keys:
                days = (fmt.tanggal(at.selectbox(key=key).value) for key in (start, end))
                period = " – ".join(days)
        for m in at.metric:
            self.add(m.label, m.value, where, period=period)
        for md in at.markdown:
            for label, shown in BOLD_FIGURE.findall(md.value):
                self.add(label, shown, where, period=period)
        for i, d in enumerate(at.dataframe):
            self.table(d.value, f"{where} tabel {i + 1}")

    def disagreements(self) -> list[str]:
        return [
            f"{key}: {sorted(where)}"
            for key, where in self.seen.items()
            if len({number for number, _ in where}) > 1
        ]

    def measures(self) -> set[str]:
        return {mid for mid, _, _ in self.seen}


@pytest.fixture
def downloads(monkeypatch):
    """Every table download offered while pages run: (file name, table as its CSV reads back).

    The real deferred download (role re-read, small counts suppressed) is built; only its audit row
    is skipped, so the shared demo store is not written."""
    made: list[tuple[str, object]] = []
    real = export.deferred

    def recording(store, df, name, kind, user):
        build = real(store, df, name, kind, user)
        if kind == "csv":
            made.append((name, build))
        return build

    monkeypatch.setattr(export, "deferred", recording)
    monkeypatch.setattr(audit, "log", lambda *args, **kwargs: None)

    def files() -> list[tuple[str, pd.DataFrame]]:
        return [(name, pd.read_csv(io.BytesIO(build()), dtype=str)) for name, build in made]

    return files


def sweep_pages(sweep: Sweep, users: tuple[str, ...], downloads) -> None:
    for user in users:
        for page in PAGES:
            at = login(AppTest.from_file(page_path(page), default_timeout=240), user)
            if page == "rapat.py":
                open_rapat_folds(at)  # every finding's table, folded on the page
            at.run()
            assert not at.exception, (user, page, at.exception)
            sweep.page(at, f"{user}:{page}")
            for key, choice in OTHER_VIEWS.get(page, ()):
                at.radio(key=key).set_value(choice).run()
                assert not at.exception, (user, page, choice, at.exception)
                sweep.page(at, f"{user}:{page}:{choice}")
            if page in TABS:
                for tab in [tab.label for tab in at.tabs][1:]:
                    at.session_state[TABS[page]] = tab
                    at.run()
                    assert not at.exception, (user, page, tab, at.exception)
                    sweep.page(at, f"{user}:{page}:{tab}")
    for name, table in downloads():
        sweep.table(table, f"unduhan {name}.csv", machine=True)


class Tables(HTMLParser):
    """The tables of an HTML page as lists of rows of cell text (the pack's HTML is self-made)."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def pdf_figures(sweep: Sweep, text: str, prev: str, cur: str, period: str) -> int:
    """Figures in the PDF's text (pdftotext -layout): key numbers as a row of catalogue names over a
    row of values, and the measure table's rows 'name  before  now  change'."""
    names = {mm.name().casefold() for mm in measures.MEASURES.values()}
    lines = text.splitlines()
    found = 0
    for i, line in enumerate(lines):
        cells = [c for c in re.split(r"\s{2,}", line.strip()) if c]
        if cells and all(c.casefold() in names for c in cells):
            values = next((v for v in lines[i + 1 :] if v.strip()), "")
            shown = [c for c in re.split(r"\s{2,}", values.strip()) if c]
            if len(shown) == len(cells):
                for label, number in zip(cells, shown, strict=True):
                    sweep.add(label, number, "paket pdf", cur, period=period)
                    found += 1
        elif len(cells) == 4 and cells[0].casefold() in names:
            sweep.add(cells[0], cells[1], "paket pdf", prev)
            sweep.add(cells[0], cells[2], "paket pdf", cur)
            found += 2
    return found


def sweep_pack(sweep: Sweep, store: Store, prev: date, cur: date, user: User) -> None:
    """The meeting pack's XLSX (summary sheet and every finding's table), HTML tables and PDF text."""
    m = agenda.build(store, prev, cur, user)
    when = fmt.tanggal(cur)
    period = f"{fmt.tanggal(prev)} – {when}"
    book = openpyxl.load_workbook(io.BytesIO(pack.build(m, "xlsx", user.role)))
    for ws in book.worksheets:
        rows = [[c for c in row] for row in ws.iter_rows(min_row=4, values_only=True)]
        if not rows:
            continue
        df = pd.DataFrame(rows[1:], columns=[str(c) for c in rows[0]])
        if ws.title == t("pack.sheet_summary"):
            for _, r in df.iterrows():
                sweep.add(
                    r[t("pack.col_number")],
                    r[t("pack.col_value")],
                    "paket xlsx ringkasan",
                    when,
                    period=period,
                )
        else:
            sweep.table(df, f"paket xlsx {ws.title}", when)
    parser = Tables()
    parser.feed(pack.build(m, "html", user.role).decode("utf-8"))
    for i, rows in enumerate(parser.tables):
        if len(rows) > 1 and all(len(r) == len(rows[0]) for r in rows):
            sweep.table(pd.DataFrame(rows[1:], columns=rows[0]), f"paket html tabel {i + 1}", when)
        else:  # key numbers: label | value | change
            for r in rows:
                if len(r) >= 2:
                    sweep.add(r[0], r[1], f"paket html tabel {i + 1}", when, period=period)
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext missing: install poppler-utils (scripts/install_browser.sh)")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=pack.build(m, "pdf", user.role),
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    found = pdf_figures(sweep, text, fmt.tanggal(prev), when, period)
    assert found, "the PDF's key numbers are read back"


# Shown labels that use the catalogue's words but are not catalogue measures: each is a flow or a
# breakdown, named by its locale key so that renaming the words cannot hide a new one.
NOT_MEASURES = (
    "maps.change_since_baseline",  # a change, not a count
    "meeting.new_on_list",  # a finding's topic
    "col.anggota",  # members of one family
    "col.kel_terakhir",  # where a person was last listed
    "col.pct_keluarga_daftar",  # a strategy combination's share of families on the list
    "col.pct_orang_daftar",  # an OPD's share of people on the list
    "burndown.data",  # a heading
    "meeting.share_of_listed",  # untouched families as a share of families on the list
    "i15s.col_ideal",  # where the ideal line stands, not a count
    "col.ideal_pct",
    "c19.how_muncul_lagi",  # how a graduated family came back (a value in the kembali miskin list)
)
MEASURE_WORDS = re.compile(r"\b(tersisa|sisa daftar|di daftar|daftar awal)\b", re.I)


def template(key: str) -> re.Pattern:
    """A locale text as a pattern, its {fields} matching anything."""
    text = i18n.texts(i18n.language())[key]
    return re.compile(re.sub(r"\\\{\w+\\\}", ".+", re.escape(text)) + "$", re.I)


def unnamed(labels: set[str]) -> list[str]:
    """Shown labels that name a count of the list in the catalogue's words without being a measure."""
    allowed = [template(key) for key in NOT_MEASURES]
    out = []
    for label in labels:
        if len(label) > 60 or not MEASURE_WORDS.search(label):
            continue  # a sentence or a title, not a figure's name
        bare = re.sub(rf"\s*\(?({DATE.pattern})\)?$", "", label).strip()
        if split_label(label)[0] is None and not any(p.match(bare) for p in allowed):
            out.append(label)
    return sorted(out)


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


def test_the_sweep_catches_a_page_that_disagrees():
    """The checker itself: the same measure and scope with two values is found, a different scope is
    not, and a figure named outside the catalogue is listed."""
    sweep = Sweep("31 Des 2024")
    sweep.add(measures.label("orang_di_daftar"), "4.320", "a")
    sweep.add(measures.label("orang_di_daftar") + " (31 Des 2024)", "4.218", "b")
    sweep.table(
        pd.DataFrame({t("col.kecamatan"): ["Palaran"], measures.label("orang_di_daftar"): ["643"]}), "c"
    )
    assert sweep.disagreements() == [
        f"('orang_di_daftar', '31 Des 2024', '{CITY}'): [(4218.0, 'b'), (4320.0, 'a')]"
    ]
    assert unnamed({"Keluarga tersisa", "Orang di daftar (30 Sep 2024)", t("col.anggota")}) == [
        "Keluarga tersisa"
    ]


@pytest.fixture
def latest(demo_app):
    store = Store.open(demo_app)
    try:
        return fmt.tanggal(store.query("snapshot_list")["as_of"].max())
    finally:
        store.close()


def test_demo_store_every_page_download_and_the_pack_show_one_value_per_measure(
    demo_app, accounts, downloads, latest
):
    sweep = Sweep(latest)
    sweep_pages(sweep, ("dinsos1", "walikota1"), downloads)
    store = Store.open(demo_app)
    try:
        dates = sorted(d.date() for d in pd.to_datetime(store.query("snapshot_list")["as_of"]))
        for user in (User("dinsos1", "dinsos"), User("walikota1", "walikota")):
            sweep_pack(sweep, store, dates[-2], dates[-1], user)
    finally:
        store.close()
    assert not sweep.disagreements(), "\n".join(sweep.disagreements())
    assert not unnamed(sweep.labels), unnamed(sweep.labels)
    # both "di daftar" and "sisa daftar awal" reach the reader, with the new entrants between them
    assert set(measures.MEASURES) - {"orang_keluar"} <= sweep.measures()
    here = {
        mid: {n for n, _ in where}
        for (mid, when, area), where in sweep.seen.items()
        if (when, area) == (latest, CITY)
    }
    (on_list,), (left,), (new,) = (
        here["orang_di_daftar"],
        here["orang_sisa_daftar_awal"],
        here["orang_masuk_sejak_awal"],
    )
    assert on_list == left + new
    kecamatan = {
        area: {n for n, _ in where}
        for (mid, when, area), where in sweep.seen.items()
        if mid == "orang_di_daftar" and when == latest and area.startswith(t("col.kecamatan") + ":")
    }
    assert len(kecamatan) == 10 and sum(v for (v,) in kecamatan.values()) == on_list  # areas add up


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
    runs = []
    for i, (when, rows) in enumerate(files):
        path = write_csv(tmp_path / f"s{i}.csv", rows)
        runs.append(
            [
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
        )
    return db, runs


def test_cli_summary_pages_downloads_and_pack_agree_on_a_store_with_split_families(
    hand_store, capsys, downloads
):
    db, runs = hand_store
    for args in runs:
        assert cli.main(args) == 0
    printed = [
        line for line in capsys.readouterr().out.splitlines() if measures.label("orang_di_daftar") in line
    ]
    sweep = Sweep(fmt.tanggal(date(2024, 3, 31)))
    cli_figures = {}
    for line in printed[-1:]:  # the summary of the last import, the 31 March file
        for part in line.split(";"):
            if ":" in part and (mid := measures.by_label(part.split(":")[0])) is not None:
                cli_figures[mid] = value(part.split(":")[1])
                sweep.add(part.split(":")[0], part.split(":")[1], "cli")
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
        sweep_pack(sweep, store, date(2024, 2, 29), date(2024, 3, 31), User("dinsos1", "dinsos"))
    finally:
        store.close()
    assert areas == 3  # area family counts add up to the city's distinct ID Keluarga
    assert zero in ([], [(0,)])
    sweep_pages(sweep, ("dinsos1",), downloads)
    assert not sweep.disagreements(), "\n".join(sweep.disagreements())
    assert not unnamed(sweep.labels), unnamed(sweep.labels)
    assert sweep.seen[("keluarga_di_daftar", sweep.default_date, CITY)], "the pages show families on the list"
