"""Small-cell suppression (issue 14, item 14): the rules on small tables, then everything the
mayor's office can reach on the demo store — every page, every download, the meeting pack and the
charts' data — holds no count from 1 to 4 and no hidden cell that subtraction gives back."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from analytics import pack
from analytics.access import disclosure, export
from analytics.access.disclosure import HIDDEN, SMALL, Spec
from tests.helpers import login, page_path
from tests.test_pack import pdf_text

# --- the rules -------------------------------------------------------------------------------


def hidden(df: pd.DataFrame, spec: Spec | None = None) -> set[tuple[int, str]]:
    return set(disclosure.suppress_cells(df, spec))


def test_primary_hides_1_to_4_and_keeps_zero_and_5():
    df = pd.DataFrame({"kec": list("ABCDE"), "n": [0, 1, 4, 5, 90]})
    out = disclosure.suppress(df, Spec(("n",), column_totals=False))
    assert out["n"].tolist() == [0, SMALL, SMALL, 5, 90]


def test_complementary_by_column_hides_the_next_smallest_when_the_total_is_known():
    df = pd.DataFrame({"kec": list("ABCD"), "n": [3, 40, 12, 0]})
    out = disclosure.suppress(df)
    # 3 alone would be the city total minus 40 and 12: 12 goes too; zero stays zero
    assert out["n"].tolist() == [SMALL, 40, HIDDEN, 0]


def test_complementary_by_row_when_parts_sum_to_a_shown_total():
    # baseline = remaining + exits by reason; the '5,<5,6' kind of row
    df = pd.DataFrame({"kel": ["Sungai Pinang"], "awal": [9], "sisa": [6], "keluar": [3], "masuk": [2]})
    spec = Spec(("awal", "sisa", "keluar"), (("awal", ("sisa", "keluar")),), column_totals=False)
    assert hidden(df, spec) == {(0, "keluar"), (0, "sisa")}
    assert disclosure.exposed(df, hidden(df, spec), spec) == []


def test_a_total_row_is_found_and_protects_its_column():
    df = pd.DataFrame({"kec": ["A", "B", "C", "Jumlah"], "n": [2, 30, 50, 82]})
    spec = disclosure.infer(df)
    assert spec.total_rows == (3,)
    cells = hidden(df, spec)
    assert (0, "n") in cells and (1, "n") in cells and (3, "n") not in cells


def test_two_small_cells_that_sum_to_two_are_not_enough():
    # two hidden cells whose sum is 2 are both 1: a third cell must go
    df = pd.DataFrame({"kec": list("ABC"), "n": [1, 1, 30]})
    assert hidden(df) == {(0, "n"), (1, "n"), (2, "n")}


def test_percent_rate_and_rank_go_with_their_count():
    df = pd.DataFrame(
        {
            "Peringkat": [1, 2, 3],
            "kel": list("ABC"),
            "orang": ["3", "120", "7"],
            "dari": [20, 400, 35],
            "persen": ["15,0%", "30,0%", "20,0%"],
        }
    )
    out = disclosure.suppress(df)
    assert out.loc[0].tolist() == [HIDDEN, "A", SMALL, 20, HIDDEN]
    assert out.loc[2, "orang"] == HIDDEN and out.loc[2, "persen"] == HIDDEN
    assert out.loc[1].tolist() == [2, "B", "120", 400, "30,0%"]


def test_formatted_counts_are_counts():
    df = pd.DataFrame({"kel": list("AB"), "Keluarga tersisa": ["4", "1.204"]})
    assert disclosure.suppress(df)["Keluarga tersisa"].tolist() == [SMALL, HIDDEN]


def test_roles_with_named_access_keep_exact_numbers():
    from analytics.access.auth import User

    df = pd.DataFrame({"kec": list("AB"), "n": [3, 40]})
    assert disclosure.for_role(User("d", "dinsos")).table(df) is df
    assert disclosure.for_role("opd:DISKOPUKM") is disclosure.EXACT
    for who in ("walikota", "admin", None):
        assert disclosure.for_role(who) is disclosure.SUPPRESSED


def test_figures_get_gaps_and_labels():
    fig = go.Figure(go.Bar(x=list("ABC"), y=[0, 3, 40], text=["0", "3", "40"]))
    fig.add_trace(
        go.Waterfall(
            x=list("abcd"), y=[50, -2, -30, 18], measure=["absolute", "relative", "relative", "total"]
        )
    )
    out = disclosure.SUPPRESSED.figure(fig)
    assert list(out.data[0].y) == [0, None, 40] and list(out.data[0].text) == ["0", SMALL, "40"]
    assert list(out.data[1].y) == [50, None, None, 18]
    assert disclosure.EXACT.figure(fig) is fig


def test_text_keeps_dates_decimals_and_thousands():
    text = "Sisa 3 orang per 1 Jan 2024: 12,5% dari 2.345, +4 keluarga"
    assert disclosure.scrub_text(text) == "Sisa <5 orang per 1 Jan 2024: 12,5% dari 2.345, +<5 keluarga"


# --- everything the mayor can reach on the demo store -----------------------------------------

PAGES = ["ringkasan.py", "burndown.py", "perubahan.py", "peta.py", "intervensi_opd.py", "rapat.py"]
SKIP_COLUMNS = {"Peringkat", "No", "Rank", "No."}


def small_counts_in_table(df: pd.DataFrame, where: str) -> list[str]:
    found, counts = [], set(disclosure.infer(df).counts)
    for col in df.columns:
        if str(col) in SKIP_COLUMNS or col not in counts:  # percent and mixed columns are derived
            continue
        for v in df[col].tolist():
            value, kind = disclosure.parse(v)
            if kind == "count" and value is not None and 1 <= abs(value) < 5:
                found.append(f"{where} [{col}] = {v!r}")
    return found


def small_counts_in_figure(spec: dict, where: str) -> list[str]:
    found = []
    for trace in spec.get("data", []):
        kind = trace.get("type", "scatter")
        axis = "x" if trace.get("orientation") == "h" else "y"
        fields = ["z", "values", "customdata", "text", "hovertext"]
        if kind in ("bar", "waterfall", "scatter", "scattergl"):
            fields.append(axis)
        for name in fields:
            for v in _flat(trace.get(name)):
                if isinstance(v, str):
                    if disclosure.scrub_text(v) != v:
                        found.append(f"{where} {kind}.{name}: {v!r}")
                elif (
                    isinstance(v, int | float)
                    and not isinstance(v, bool)
                    and 1 <= abs(v) < 5
                    and float(v).is_integer()
                ):
                    found.append(f"{where} {kind}.{name} = {v}")
    return found


def _flat(data):
    if isinstance(data, list | tuple):
        for v in data:
            yield from _flat(v)
    elif isinstance(data, dict):  # plotly's typed arrays ({"dtype", "bdata"})
        if "bdata" in data:
            import base64

            import numpy as np

            yield from np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    elif data is not None:
        yield data


class _Cells(HTMLParser):
    """Rows of every <table> in an HTML page, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(self._cell)
            self._cell = None


def html_tables(text: str) -> list[pd.DataFrame]:
    parser = _Cells()
    parser.feed(text)
    return [pd.DataFrame(rows[1:], columns=rows[0]) for rows in parser.tables if rows]


def html_figures(text: str) -> list[dict]:
    out, decoder = [], json.JSONDecoder()
    for m in re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*', text):
        data, end = decoder.raw_decode(text, m.end())
        out.append({"data": data})
    return out


def read_download(data: bytes, kind: str) -> list[pd.DataFrame]:
    if kind == "csv":
        return [pd.read_csv(io.BytesIO(data), dtype=object, encoding="utf-8-sig", keep_default_na=False)]
    book = openpyxl.load_workbook(io.BytesIO(data))
    tables = []
    for ws in book.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        header = next((i for i, r in enumerate(rows) if sum(v is not None for v in r) > 1), None)
        if header is not None:
            tables.append(pd.DataFrame(rows[header + 1 :], columns=[str(c) for c in rows[header]]))
    return tables


@pytest.fixture
def captured(monkeypatch):
    """Every download a page run offers, with the exact table it was made from."""
    tables, packs = [], []
    deferred, pack_deferred = export.deferred, pack.deferred

    def table(store, df, name, kind, user):
        build = deferred(store, df, name, kind, user)
        tables.append((name, kind, df.copy(), build))
        return build

    def meeting_pack(store, m, kind, user):
        build = pack_deferred(store, m, kind, user)
        packs.append((kind, build))
        return build

    monkeypatch.setattr(export, "deferred", table)
    monkeypatch.setattr(pack, "deferred", meeting_pack)
    return tables, packs


def test_mayor_sees_no_small_count_anywhere(demo_app, accounts, captured):
    tables, packs = captured
    leaks: list[str] = []
    for page in PAGES:
        at = login(AppTest.from_file(page_path(page), default_timeout=240), "walikota1").run()
        assert not at.exception, (page, at.exception)
        for i, frame in enumerate(at.dataframe):
            leaks += small_counts_in_table(frame.value, f"{page} table {i}")
        for m in at.metric:
            if disclosure.scrub_text(m.value) != m.value:
                leaks.append(f"{page} metric {m.label} = {m.value!r}")
        for i, chart in enumerate(at.get("plotly_chart")):
            leaks += small_counts_in_figure(json.loads(chart.proto.spec), f"{page} chart {i}")

    assert tables and len(packs) == 3
    for name, kind, exact, build in tables:
        for shown in read_download(build(), kind):
            leaks += small_counts_in_table(shown, f"{name}.{kind}")
            if kind == "csv":
                marked = {
                    (r, c)
                    for c in shown.columns
                    for r, v in enumerate(shown[c].tolist())
                    if str(v) in (SMALL, HIDDEN)
                }
                for cells in disclosure.exposed(exact, marked):
                    leaks.append(f"{name}.csv: derivable from {cells}")
    for kind, build in packs:
        data = build()
        if kind == "html":
            text = data.decode("utf-8")
            for i, table in enumerate(html_tables(text)):
                leaks += small_counts_in_table(table, f"pack.html table {i}")
            figures = html_figures(text)
            assert figures
            for i, fig in enumerate(figures):
                leaks += small_counts_in_figure(fig, f"pack.html chart {i}")
        elif kind == "xlsx":
            for i, table in enumerate(read_download(data, "xlsx")):
                leaks += small_counts_in_table(table, f"pack.xlsx sheet {i}")
        else:
            text = pdf_text(data)
            # the PDF's table cells and key numbers; dates, page numbers and 'Temuan i dari n' are not counts
            not_counts = (
                r"\b\d{1,2} \w{3,9} \d{4}\b|Temuan \d+ dari \d+|Halaman \d+( dari \d+)?|\b\d+/\d+\b"
                r"|\b\d+\. |Angka 1–4|\d+ – \d+"
            )
            text = re.sub(not_counts, "", text)
            # a whole percent between two decimals is the OPD table's '% keluarga' column, not a count
            text = re.sub(r"(\d,\d) \d (\d+,\d)", r"\1 \2", text)
            for m in re.finditer(r"(?<![\d.,\w])[1-4](?![\d%]|[.,]\d)", text):
                leaks.append(f"pack.pdf: …{text[max(0, m.start() - 40) : m.end() + 20]}…")
    assert not leaks, "\n".join(leaks[:60]) + f"\n({len(leaks)} in all)"
