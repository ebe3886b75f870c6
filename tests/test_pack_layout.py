"""The PDF pack fits the paper: every page A4 portrait, every word inside the page's margins, the
DATA CONTOH flag on every page of a demo pack, key numbers inside their boxes, and table cells whole.

Read back with `pdftotext -bbox` (poppler-utils): one box per word, in points, per page. Checked on the
demo store's default meeting (the one the Rapat page opens with, charts rendered) and on the same
meeting with long texts (titles, key numbers, a wide person-level table, in English and Indonesian).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import pytest

from analytics import i18n, pack
from analytics.access.auth import User
from analytics.meeting import agenda
from analytics.meeting.model import KeyNumber, Meeting
from analytics.pack import as_pdf
from analytics.pack.parts import shown_table
from analytics.store.db import Store

MM = 72 / 25.4
A4 = (595.28, 841.89)
SIDE = 15 * MM  # the pack's left and right margins
EDGE = 7 * MM  # nothing closer to the top or bottom edge (the footer sits in the bottom margin)
SLACK = 0.6  # pt: pdftotext's boxes are rounded


PAGE = r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>'
WORD = r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>'


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def pages(data: bytes) -> list[Page]:
    """Every page's size and words, in content-stream order (-raw)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext missing: install poppler-utils (scripts/install_browser.sh)")
    out = subprocess.run(
        ["pdftotext", "-raw", "-bbox", "-", "-"], input=data, capture_output=True, check=True
    )
    doc = out.stdout.decode("utf-8")
    found = []
    for width, height, body in re.findall(
        r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', doc, re.S
    ):
        words = [
            Word(html.unescape(text), float(x0), float(y0), float(x1), float(y1))
            for x0, y0, x1, y1, text in re.findall(
                r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>',
                body,
            )
        ]
        found.append(Page(float(width), float(height), words))
    return found


LAST_P3KE = date(2024, 12, 31)


def default_meeting(db, lang: str = "id") -> Meeting:
    """The Rapat page's default meeting as DinsosPM for the last P3KE snapshot (against the one a quarter
    before)."""
    store = Store.open(db)
    try:
        with i18n.using(lang):
            dates = list(store.query("snapshot_list")["as_of"].dt.date)
            # the last P3KE quarter: its OPD records give the off-list table names and file names (the
            # demo's OPD files end in 2024; the DTSEN files that follow carry none)
            dates = [d for d in dates if d <= LAST_P3KE] or dates
            return agenda.build(store, agenda.default_previous(dates), dates[-1], User("dinsos1", "dinsos"))
    finally:
        store.close()


LONG_FILE = "intervensi_DISPERKIM_2024_revisi.xlsx"
LONG_NAME = "MUHAMMAD ABDURRAHMAN KURNIAWANSYAH PRATAMA PUTRA"


def lengthened(m: Meeting) -> Meeting:
    """The meeting with long texts everywhere the layout has to give: titles, four long key numbers,
    and the person-level table (12 columns) with a long name and file name as a finding's own table."""
    named = lambda df: any(c.lower().startswith(("nama", "name")) for c in df.columns)  # noqa: E731
    detail = next(f.detail for f in m.findings if f.detail is not None and named(f.detail) and len(f.detail))
    detail = detail.copy()
    detail.iloc[0, detail.columns.get_loc(detail.columns[-1])] = LONG_FILE
    name_col = next(c for c in detail.columns if c.lower().startswith(("nama", "name")))
    detail.loc[0, name_col] = LONG_NAME
    numbers = [
        KeyNumber(
            "Sisa anggaran yang belum tersalur sampai akhir tahun",
            "Rp 1.234.567.890.123",
            "Rp 647,1 juta sejak 30 September 2024 (naik dari rapat lalu)",
            1.0,
            True,
        ),
        KeyNumber("Penerima", "1.234.567 keluarga", "+123.456 sejak 30 Sep 2024", -1.0, True),
        KeyNumber("Kebutuhan per bulan", "Rp 271,5 juta", "target terlewati sejak 31 Desember 2024", None),
        KeyNumber("Kelurahan", "Sungai Pinang Dalam", None),
    ]
    findings = [
        replace(
            f,
            title=f.title + " — " + f.title + "; Kelurahan Sempaja Utara, Sungai Pinang Dalam, Loa Bakung",
            numbers=numbers if i % 2 else f.numbers,
            table=detail if i == 2 else f.table,
        )
        for i, f in enumerate(m.findings)
    ]
    return replace(m, findings=findings)


@pytest.fixture(scope="module")
def packs(demo_db):
    """(meeting, PDF bytes) for the default meeting with its charts, and for long texts in both languages."""
    m = default_meeting(demo_db)
    built = {"demo": (m, pack.build(m, "pdf", "dinsos"))}
    for lang in ("id", "en"):
        long = lengthened(default_meeting(demo_db, lang))
        built[f"long-{lang}"] = (long, as_pdf.pdf_bytes(long, {}, {}, suppress=False, details=True))
    yield built
    pack.RENDERER.close()


KINDS = ["demo", "long-id", "long-en"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_is_a4_portrait_with_every_word_inside_the_margins(packs, kind):
    """A landscape page shown or printed in the pack's portrait frame loses its right third (the
    title, the table and the DATA CONTOH flag of the old person-level page)."""
    for n, page in enumerate(pages(packs[kind][1]), 1):
        assert (round(page.width, 1), round(page.height, 1)) == (round(A4[0], 1), round(A4[1], 1)), n
        for w in page.words:
            assert SIDE - SLACK <= w.x0 and w.x1 <= page.width - SIDE + SLACK, (n, w)
            assert EDGE <= w.y0 and w.y1 <= page.height - EDGE, (n, w)


@pytest.mark.parametrize("kind", KINDS)
def test_demo_flag_on_every_page(packs, kind):
    m, data = packs[kind]
    flag = i18n.text(m.lang, "pack.demo_flag")
    for n, page in enumerate(pages(data), 1):
        assert flag in page.text, n


def find_run(words: list[Word], tokens: list[str], start: int = 0) -> int:
    """Where the first run of consecutive words from `start` that reads as tokens begins."""
    for i in range(start, len(words) - len(tokens) + 1):
        if [w.text for w in words[i : i + len(tokens)]] == tokens:
            return i
    raise AssertionError(f"not found: {' '.join(tokens)}")


@pytest.mark.parametrize("kind", KINDS)
def test_key_numbers_stay_inside_their_boxes(packs, kind):
    """A row of n boxes across the 180 mm text width, 3 mm apart: each box's label, value and
    change lie inside it (before, a long change ran under the next box and was painted over)."""
    m, data = packs[kind]
    all_pages = pages(data)
    for i, f in enumerate(m.findings, 1):
        if not f.numbers:
            continue
        position = i18n.text(m.lang, "meeting.position", i=i, n=len(m.findings), topic=f.topic).split()
        page = next(p for p in all_pages if " ".join(position) in p.text)
        after_title = find_run(page.words, f.title.split()) + len(f.title.split())
        n = len(f.numbers)
        width = (180 - 3 * (n - 1)) / n
        for j, k in enumerate(f.numbers):
            left = SIDE + j * (width + 3) * MM
            tokens = [*k.label.split(), *k.value.split(), *(k.delta or "").split()]
            start = find_run(page.words, tokens, after_title)
            for w in page.words[start : start + len(tokens)]:
                assert left - SLACK <= w.x0 and w.x1 <= left + width * MM + SLACK, (i, k.label, w)


@pytest.mark.parametrize("kind", KINDS)
def test_every_table_cell_is_printed_whole(packs, kind):
    """Every word of every cell (and heading) of every table is a word of the PDF: none broken across
    lines, none cut with an ellipsis."""
    m, data = packs[kind]
    words = {w.text for p in pages(data) for w in p.words}
    assert not [w for w in words if "…" in w]
    for f in m.findings:
        tables = [shown_table(f.table, suppress=False)]
        if f.detail is not None:
            tables.append(shown_table(f.detail, suppress=False))
        for table in tables:
            cells = [str(c) for c in table.columns] + [str(v) for v in table.to_numpy().ravel()]
            missing = {word for cell in cells for word in cell.split() if word not in words}
            assert not missing, (f.key, sorted(missing)[:10])


def test_long_texts_made_the_layout_give(packs):
    """The long meeting does reach the cases the layout must handle (so the tests above test them)."""
    m, _ = packs["long-id"]
    assert any(LONG_FILE in set(map(str, f.table.to_numpy().ravel())) for f in m.findings)
    assert pd.Series([len(f.numbers) for f in m.findings]).max() == 4
