"""The change of registry (P3KE -> DTSEN) between snapshots, marked on every chart with dates on x.

The fixture is tests/test_burndown.py's four P3KE snapshots (D0..D3); a test turns the later ones
into DTSEN snapshots the way a DTSEN import records them (snapshot.sumber = the format's name).
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from analytics import i18n
from analytics.access import auth
from analytics.burndown import charts, progress
from analytics.domain import registry_of
from analytics.ingest import registry
from analytics.meeting import agenda
from analytics.opd import budget
from analytics.opd import charts as opd_charts
from analytics.store import opening
from analytics.store.db import Store
from tests.helpers import BASE, login, page_path, write_csv
from tests.test_burndown import D0, D1, D2, D3, small  # noqa: F401  (fixture)
from tests.test_interventions import S1, catalog, filled  # noqa: F401  (fixtures)

LABEL = "Sumber: P3KE → DTSEN"
CHANGE = ((D2, "p3ke", "dtsen"),)


def set_sources(store: Store, sources: dict[date, str]) -> None:
    with store.cursor() as cur:
        for as_of, sumber in sources.items():
            cur.execute("update snapshot set sumber = $s where as_of = $d", {"s": sumber, "d": as_of})
    store.changed()  # a direct write: answers kept for the old version are stale


def markers(fig: go.Figure) -> list[tuple[date, str]]:
    """(date, label) of every source-change line: a dashed vertical shape and its annotation."""
    lines = {
        pd.Timestamp(s.x0).date()
        for s in fig.layout.shapes
        if s.type == "line" and s.x0 == s.x1 and s.line.color == charts.SOURCE_COLOR and s.line.dash == "dash"
    }
    labels = [(pd.Timestamp(a.x).date(), a.text) for a in fig.layout.annotations if a.name == "sumber"]
    assert {d for d, _ in labels} == lines  # every line has its label, and no label stands alone
    return labels


def test_registry_of_a_format_name():
    assert [registry_of(n) for n in ("p3ke_individu", "dtsen_desil", "dtsen_nama", None)] == [
        "p3ke",
        "dtsen",
        "dtsen",
        "p3ke",  # a snapshot stored before the column existed is P3KE
    ]


def test_source_changes_are_the_dates_the_registry_changes(small):  # noqa: F811
    assert progress.source_changes(small) == ()
    # D2 read as a DTSEN desil file, D3 as a DTSEN by-name list: one change (same registry), at D2
    set_sources(small, {D2: "dtsen_desil", D3: "dtsen_nama"})
    assert progress.source_changes(small) == ((D2, "p3ke", "dtsen"),)
    set_sources(small, {D3: "p3ke_individu"})  # back to P3KE: a second change
    assert progress.source_changes(small) == ((D2, "p3ke", "dtsen"), (D3, "dtsen", "p3ke"))


def test_burndown_figure_marks_the_change(small):  # noqa: F811
    df = progress.series(small)
    fig = charts.burndown_figure(df, "orang", date(2026, 12, 31), None, "judul", changes=CHANGE)
    assert markers(fig) == [(D2, LABEL)]
    assert markers(charts.burndown_figure(df, "orang", date(2026, 12, 31), None, "judul")) == []
    with i18n.using("en"):
        fig = charts.burndown_figure(df, "orang", date(2026, 12, 31), None, "title", changes=CHANGE)
    assert markers(fig) == [(D2, "Source: P3KE → DTSEN")]


def test_small_multiples_mark_the_change_in_every_panel_and_label_it_once(small):  # noqa: F811
    kec = progress.kecamatan_series(small)
    order = list(kec["kode_kecamatan"].drop_duplicates())
    fig = charts.small_multiples(kec, order, "orang", date(2026, 12, 31), "judul", CHANGE)
    assert markers(fig) == [(D2, LABEL)]
    panels = {s.xref for s in fig.layout.shapes if s.line.color == charts.SOURCE_COLOR}
    assert len(panels) == len(order)  # one line per kecamatan panel
    assert markers(charts.small_multiples(kec, order, "orang", date(2026, 12, 31), "judul")) == []


def test_budget_chart_marks_a_change_inside_its_months_only(filled):  # noqa: F811
    b = budget.budget(filled, "BLT", S1, date(2023, 12, 31))  # months Jan-Oct 2023
    inside = ((date(2023, 3, 31), "p3ke", "dtsen"),)
    assert markers(opd_charts.budget_monthly_figure(b, inside)) == [(date(2023, 3, 31), LABEL)]
    assert markers(opd_charts.budget_monthly_figure(b, ((date(2025, 3, 31), "p3ke", "dtsen"),))) == []
    assert markers(opd_charts.budget_monthly_figure(b)) == []


@pytest.mark.parametrize("dtsen", [True, False])
def test_meeting_remaining_chart_marks_the_change(small, dtsen):  # noqa: F811
    if dtsen:
        set_sources(small, {D2: "dtsen_desil", D3: "dtsen_desil"})
    meeting = agenda.build(small, D1, D3, auth.User("dinsos1", "dinsos"))
    sisa = next(f for f in meeting.findings if f.key == "sisa")
    assert markers(sisa.figure()) == ([(D2, LABEL)] if dtsen else [])


def test_burndown_page_shows_the_marker(tmp_path, monkeypatch, accounts):
    path = tmp_path / "sumber.duckdb"
    monkeypatch.setenv("NOL_EKSTREM_DB", str(path))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    store = Store.open(path)
    for d, rows in [(D0, BASE), (D1, BASE[1:]), (D2, BASE[2:])]:  # one person fewer each time
        registry.import_file(store, write_csv(tmp_path / f"{d}.csv", rows), d, confirmed=True)
    set_sources(store, {D2: "dtsen_desil", D3: "dtsen_desil"})
    store.close()
    opening.adopt(path, "uji").close()  # the direct update does not match the manifest: accept it
    at = login(AppTest.from_file(page_path("burndown.py"), default_timeout=120), "walikota1").run()
    assert not at.exception, at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    burndown, multiples = specs[0], specs[1]
    for spec in (burndown, multiples):
        texts = [a["text"] for a in spec["layout"]["annotations"] if a.get("name") == "sumber"]
        assert texts == [LABEL]
        lines = [s for s in spec["layout"]["shapes"] if s["line"].get("color") == charts.SOURCE_COLOR]
        assert lines and all(pd.Timestamp(s["x0"]).date() == D2 for s in lines)
    at = login(AppTest.from_file(page_path("ringkasan.py"), default_timeout=120), "walikota1").run()
    assert not at.exception, at.exception
    overview = json.loads(at.get("plotly_chart")[0].proto.spec)  # the overview's compact burn-down
    assert [a["text"] for a in overview["layout"]["annotations"] if a.get("name") == "sumber"] == [LABEL]

    at = login(AppTest.from_file(page_path("istilah.py"), default_timeout=60), "walikota1").run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "**Garis ungu putus-putus pada grafik waktu.** Menandai tanggal sumber daftar berganti" in shown
    assert "**Dashed purple line on time charts.** Marks the date the list's source changed" in shown
