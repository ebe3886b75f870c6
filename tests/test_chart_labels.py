"""Bar value labels on every chart the pages draw from the demo store: upright, inside the plot, not
crossed by a reference line (the rule of analytics.chart_labels).

The figures are collected by running each page (AppTest) with st.plotly_chart recorded, so a new bar
chart on any page is checked without being listed here."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from analytics import chart_labels
from analytics.burndown import charts
from analytics.opd import charts as opd_charts
from analytics.opd.coverage import LATE_DAYS
from tests.helpers import login, page_path

PAGES = (
    "ringkasan.py",
    "burndown.py",
    "perubahan.py",
    "peta.py",
    "intervensi_opd.py",
    "rapat.py",
    "wilayah.py",
)
_FIGURES: list[tuple[str, object]] = []


@pytest.fixture
def figures(demo_app, accounts, monkeypatch) -> list[tuple[str, object]]:
    """(page, figure) for every plotly chart the pages draw for dinsos on the demo store (run once)."""
    if not _FIGURES:
        original = DeltaGenerator.plotly_chart

        def record(self, figure_or_data, *args, **kwargs):
            _FIGURES.append((current, figure_or_data))
            return original(self, figure_or_data, *args, **kwargs)

        monkeypatch.setattr(DeltaGenerator, "plotly_chart", record)
        for current in PAGES:
            at = login(AppTest.from_file(page_path(current), default_timeout=240), "dinsos1").run()
            assert not at.exception, (current, at.exception)
        _FIGURES.append(("intervensi_opd.py", _kiriman_data()))  # its tab is drawn only when opened
    return _FIGURES


def _kiriman_data():
    """The "Kiriman data" chart with bars on both sides of the 90-day line."""
    days = [120.0, 95.0, 88.0, 30.0]
    df = pd.DataFrame(
        {
            "singkatan": ["Dinsos", "Disdik", "Dinkes", "Diskop UKM"],
            "hari_sejak_data": days,
            "data_terakhir": [date(2024, 12, 31) - timedelta(days=int(d)) for d in days],
            "terlambat": [d > LATE_DAYS for d in days],
        }
    )
    return opd_charts.freshness_figure(df, date(2024, 12, 31))


def labelled_bars(figures):
    for page, fig in figures:
        for trace in fig.data:
            if trace.type in chart_labels.BAR_TYPES and trace.text is not None:
                yield page, fig, trace


def _title(fig) -> str:
    return fig.layout.title.text or ""


def test_the_pages_draw_the_bar_charts_the_issue_names(figures):
    found = [(page, _title(fig)[:40]) for page, fig, _ in labelled_bars(figures)]
    assert len(found) >= 6, found
    assert {"ringkasan.py", "intervensi_opd.py", "rapat.py"} <= {page for page, _ in found}, found
    assert any(tr.type == "waterfall" for _, _, tr in labelled_bars(figures))


def test_no_bar_label_is_turned_and_a_small_bar_puts_its_label_outside(figures):
    for page, fig, trace in labelled_bars(figures):
        where = (page, _title(fig), trace.name)
        assert trace.textangle == 0, where  # the default "auto" turns "−18" inside a thin bar
        assert trace.textposition in ("outside", "auto"), where  # "inside" would shrink it to a dot
        assert trace.constraintext in ("inside", "none"), where  # outside labels keep their size


def test_outside_bar_labels_stay_inside_the_plot(figures):
    for page, fig, trace in labelled_bars(figures):
        where = (page, _title(fig), trace.name)
        assert trace.cliponaxis is False, where
        horizontal = trace.orientation == "h"
        axis = fig.layout[
            chart_labels._axis_key(trace.xaxis if horizontal else trace.yaxis, "x" if horizontal else "y")
        ]
        low, high = chart_labels._extent(trace)
        assert axis.range is not None, where
        assert axis.range[1] >= high * (1 + chart_labels.MIN_ROOM) - 1e-9, where
        assert axis.range[0] <= low * (1 + chart_labels.MIN_ROOM) + 1e-9, where


def test_reference_lines_lie_below_the_bar_labels(figures):
    checked = 0
    for page, fig in figures:
        if any(tr.type in chart_labels.BAR_TYPES and tr.text is not None for tr in fig.data):
            for shape in fig.layout.shapes:
                assert shape.layer == "below", (page, _title(fig))
                checked += 1
    assert checked >= 1  # the 90-day line on "Kiriman data" at least


def test_pockets_bar_leaves_room_for_1012_and_a_long_label_gets_more():
    df = pd.DataFrame({"kecamatan": ["Palaran", "Samarinda Utara"], "orang_aktif": [995, 1012]})
    fig = charts.pockets_bar(df, "orang_aktif", "kecamatan", "judul")
    assert fig.data[0].cliponaxis is False and fig.data[0].textangle == 0
    assert fig.layout.xaxis.range[1] >= 1012 * 1.15
    assert chart_labels.room(20) > chart_labels.room(5) >= chart_labels.MIN_ROOM
