"""Issue 15, items 5–9: the mayor's first screen reads right.

Arrows agree with the sign of the change, stale data is said on every page, the target in force
judges the data, projections are given only where they mean something, and the words are plain.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, timedelta

import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from analytics import formatting as fmt
from analytics import i18n, tables
from analytics.burndown import charts, progress
from analytics.i18n import t
from analytics.store import audit, settings
from analytics.store.db import Store
from tests.helpers import ROOT, login, page_path

DOWN, UP, NONE = Metric.MetricDirection.DOWN, Metric.MetricDirection.UP, Metric.MetricDirection.NONE
GREEN, RED, GRAY = Metric.MetricColor.GREEN, Metric.MetricColor.RED, Metric.MetricColor.GRAY
DEMO_TODAY = date(2026, 12, 3)  # the demo store's last snapshot is 31 Dec 2024
MINUS = ("-", "\u2212")


@pytest.fixture
def demo_today(monkeypatch):
    """Every page sees DEMO_TODAY as today."""
    monkeypatch.setattr(settings, "today", lambda: DEMO_TODAY, raising=False)
    return DEMO_TODAY


def run(name: str, user: str) -> AppTest:
    at = login(AppTest.from_file(page_path(name), default_timeout=180), user).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, Metric]:
    """Every metric on the page by label: its proto holds delta, direction and colour."""
    return {m.label: m.proto for m in at.metric}


# --- Item 5: arrows agree with the sign --------------------------------------------------------


def assert_arrows_agree(shown: dict[str, Metric]) -> None:
    """A falling change points down, a rising one up; a delta without a change shows no arrow."""
    for label, m in shown.items():
        if not m.delta:
            assert m.direction == NONE, label
            continue
        if m.direction == UP:
            assert not m.delta.startswith(MINUS), (label, m.delta)
        if m.delta.startswith(MINUS) and m.color != GRAY:
            assert m.direction == DOWN, (label, m.delta)
        if m.direction == NONE:
            assert m.color == GRAY, (label, m.delta)


def test_the_mayors_first_screen_shows_a_falling_list_as_a_green_down_arrow(demo_app, accounts, demo_today):
    shown = metrics(run("ringkasan.py", "walikota1"))
    assert_arrows_agree(shown)
    remaining = shown["Sisa daftar awal (orang)"]
    assert remaining.delta.startswith("−") and "sejak daftar awal" in remaining.delta
    assert (remaining.direction, remaining.color) == (DOWN, GREEN)
    families = shown["Sisa daftar awal (keluarga)"]
    assert families.delta.startswith("−") and (families.direction, families.color) == (DOWN, GREEN)
    # baseline and target tiles: a note, no arrow
    baseline = shown["Daftar awal (orang)"]
    assert baseline.delta == "1.600 keluarga · Nov 2022" and baseline.direction == NONE
    days = shown["Hari menuju target"]
    assert days.body == "28" and days.direction == NONE
    assert days.delta == "Target Inpres 8/2025: 31 Des 2026 · dihitung dari hari ini, 3 Des 2026"


@pytest.mark.parametrize(
    ("page", "user"),
    [
        ("peta.py", "walikota1"),
        ("peta.py", "dinsos1"),
        ("intervensi_opd.py", "dinsos1"),
        ("rapat.py", "walikota1"),
        ("perubahan.py", "dinsos1"),
    ],
)
def test_every_metric_arrow_agrees_with_its_sign(demo_app, accounts, demo_today, page, user):
    at = run(page, user)
    shown = metrics(at)
    assert shown, page
    assert_arrows_agree(shown)
    if page == "peta.py":  # people on the list fell since the original list: good news
        people = shown[t("metric.orang.label")]  # everyone on the list (its name is the catalogue's)
        assert people.delta.startswith(MINUS) and (people.direction, people.color) == (DOWN, GREEN)


def test_a_hidden_change_shows_no_arrow():
    from analytics.access import disclosure

    args = disclosure.Policy(suppress=True).metric(
        {"label": "x", "value": "3", **fmt.delta_args("−2", -2, down_is_good=True)}
    )
    assert args["delta"] == disclosure.HIDDEN and args["delta_arrow"] == "off"


# --- Item 6: stale data is said -----------------------------------------------------------------

EVERY_PAGE = [
    ("ringkasan.py", "walikota1"),
    ("burndown.py", "walikota1"),
    ("perubahan.py", "dinsos1"),
    ("peta.py", "walikota1"),
    ("intervensi_opd.py", "walikota1"),
    ("rapat.py", "walikota1"),
    ("data_impor.py", "dinsos1"),
    ("audit.py", "dinsos1"),
    ("admin.py", "admin1"),
]
STALE = "Data terakhir 30 Sep 2026 — 2 bulan lalu"  # the demo's last DTSEN file


@pytest.mark.parametrize(("page", "user"), EVERY_PAGE)
def test_every_page_says_the_data_is_old(demo_app, accounts, demo_today, page, user):
    at = run(page, user)
    assert at.warning and any(w.value.startswith(STALE) for w in at.warning), page
    first = at.main.children[0]  # at the top of the page
    assert first.type == "warning" and first.value.startswith(STALE), page


def test_recent_data_carries_no_stale_notice(demo_app, accounts, monkeypatch):
    monkeypatch.setattr(settings, "today", lambda: date(2025, 1, 20), raising=False)  # 20 days after
    at = run("ringkasan.py", "walikota1")
    assert not any("Data terakhir" in w.value for w in at.warning)


def test_stale_notice_wording_setting_and_english(store, monkeypatch):
    from analytics.store import freshness

    assert freshness.months_between(date(2024, 12, 31), date(2026, 12, 3)) == 23
    assert freshness.latest(store) is None and freshness.stale_notice(store, DEMO_TODAY) is None
    monkeypatch.setattr(freshness, "latest", lambda _store: date(2026, 11, 10))
    assert freshness.stale_notice(store, DEMO_TODAY) is None  # 23 days old, under the default 45
    settings.put_stale_days(store, 10)
    assert freshness.stale_notice(store, DEMO_TODAY).startswith("Data terakhir 10 Nov 2026 — 23 hari lalu")
    i18n.set_language("en")
    try:
        assert freshness.stale_notice(store, DEMO_TODAY).startswith("Latest data 10 Nov 2026 — 23 days ago")
    finally:
        i18n.set_language("id")
    with pytest.raises(settings.SettingError):
        settings.put_stale_days(store, 0)
    assert settings.stale_days(store) == 10


@pytest.fixture
def empty_app(tmp_path, monkeypatch, accounts):
    """An AppTest environment with its own empty store (the admin tests write settings)."""
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "admin.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    return tmp_path / "admin.duckdb"


def test_admin_changes_the_stale_data_age(empty_app):
    at = run("admin.py", "admin1")
    at.number_input(key="admin_stale_days").set_value(90).run()
    at.button(key="admin_save").click().run()
    assert not at.exception and "Pengaturan disimpan." in at.success[-1].value
    store = Store.open(empty_app)
    assert settings.stale_days(store) == 90
    assert (store.query("audit_list", action=None, limit=5)["object"] == "stale_days").any()


# --- Item 7: the target moved -------------------------------------------------------------------


def monthly(start: date, values: list[float]) -> pd.DataFrame:
    """A burn-down series with one row per month end from start."""
    dates, d = [], start
    for _ in values:
        dates.append(d)
        d = (pd.Timestamp(d) + pd.offsets.MonthEnd(1)).date()
    return pd.DataFrame({"as_of": dates, "orang_sisa_baseline": values})


def test_both_targets_ship_as_defaults(store):
    assert [(x.basis, x.issued, x.zero_by) for x in settings.targets(store)] == [
        ("Inpres 4/2022", date(2022, 6, 8), date(2024, 12, 31)),
        ("Inpres 8/2025", date(2025, 3, 27), date(2026, 12, 31)),
    ]


def test_the_verdict_uses_the_target_in_force_on_the_latest_data(store):
    assert settings.target_in_force(store, date(2024, 12, 31)).basis == "Inpres 4/2022"
    assert settings.target_in_force(store, date(2025, 3, 26)).basis == "Inpres 4/2022"
    assert settings.target_in_force(store, date(2025, 3, 27)).basis == "Inpres 8/2025"
    in_2024 = monthly(date(2023, 1, 31), [1000 - 20 * i for i in range(24)])  # ends 31 Dec 2024
    in_2025 = monthly(date(2023, 1, 31), [1000 - 33 * i for i in range(30)])  # ends 30 Jun 2025
    v2024 = progress.verdict(in_2024, "orang", settings.target_in_force(store, in_2024["as_of"].iloc[-1]))
    v2025 = progress.verdict(in_2025, "orang", settings.target_in_force(store, in_2025["as_of"].iloc[-1]))
    assert "31 Des 2024 (Inpres 4/2022)" in v2024.reason and not v2024.on_track
    assert "31 Des 2026 (Inpres 8/2025)" in v2025.reason and v2025.on_track


def test_the_burndown_draws_one_ideal_line_per_target(store):
    df = monthly(date(2022, 11, 30), [1000 - 25 * i for i in range(26)]).assign(orang_baru=0)
    fc = progress.forecast(list(df["as_of"]), list(df["orang_sisa_baseline"]))
    fig = charts.burndown_figure(df, "orang", settings.targets(store), fc, "judul")
    ideal = [tr for tr in fig.data if tr.meta == "ideal"]
    assert [tr.name for tr in ideal] == [
        "Garis ideal Inpres 4/2022: nol pada 31 Des 2024",
        "Garis ideal Inpres 8/2025: nol pada 31 Des 2026",
    ]
    settings.add_target(store, date(2026, 1, 5), date(2027, 6, 30), "Perpres 1/2026")
    fig = charts.burndown_figure(df, "orang", settings.targets(store), fc, "judul")
    assert len([tr for tr in fig.data if tr.meta == "ideal"]) == 3


def test_adding_a_target_is_validated(store):
    with pytest.raises(settings.SettingError):
        settings.add_target(store, date(2026, 1, 5), date(2025, 1, 1), "Perpres 1/2026")  # zero before issued
    with pytest.raises(settings.SettingError):
        settings.add_target(store, date(2026, 1, 5), date(2027, 1, 1), "   ")
    with pytest.raises(settings.SettingError):
        settings.add_target(store, date(2026, 1, 5), date(2027, 1, 1), "inpres 8/2025")  # same basis
    assert len(settings.targets(store)) == 2


def test_admin_adds_a_third_target_and_it_is_audited(empty_app):
    db = empty_app
    at = run("admin.py", "admin1")
    at.date_input(key="admin_target_issued").set_value(date(2026, 1, 5))
    at.date_input(key="admin_target_zero").set_value(date(2025, 1, 1))
    at.text_input(key="admin_target_basis").set_value("Perpres 1/2026")
    add = lambda: next(b for b in at.button if b.label == "Tambah target").click().run()  # noqa: E731
    add()  # refused: the zero date comes before the basis was issued
    assert any("sesudah tanggal terbit" in e.value for e in at.error)
    at.date_input(key="admin_target_zero").set_value(date(2027, 6, 30))
    add()
    assert not at.exception
    assert any("Perpres 1/2026" in s.value for s in at.success)
    store = Store.open(db)
    assert [x.basis for x in settings.targets(store)][-1] == "Perpres 1/2026"
    log = store.query("audit_list", action=None, limit=5)
    assert (log["object"] == "targets").any()
    assert audit.verify_chain(store) is None


# --- Item 8: projections only where they mean something ---------------------------------------


def test_a_pace_that_rounds_to_zero_is_not_projected():
    slow = monthly(date(2024, 1, 31), [34, 33, 33, 32, 32, 31, 31, 30, 30, 30, 30])  # Lempake-like
    fc = progress.forecast(list(slow["as_of"]), list(slow["orang_sisa_baseline"]))
    assert fc.zero_date is not None and not fc.projectable
    v = progress.verdict(slow, "orang", date(2026, 12, 31))
    assert "belum dapat diproyeksikan" in v.reason and "diproyeksikan nol pada" not in v.reason
    assert "−0 " not in v.reason


def test_a_zero_date_beyond_the_chart_is_not_projected():
    far = monthly(date(2024, 1, 31), [200 - 2 * i for i in range(12)])  # −2 a month: zero in 7+ years
    fc = progress.forecast(list(far["as_of"]), list(far["orang_sisa_baseline"]))
    assert fc.zero_date > fc.last_date + timedelta(days=progress.CHART_DAYS) and not fc.projectable
    assert "belum dapat diproyeksikan" in progress.verdict(far, "orang", date(2026, 12, 31)).reason
    fit = monthly(date(2024, 1, 31), [200 - 10 * i for i in range(12)])
    assert progress.forecast(list(fit["as_of"]), list(fit["orang_sisa_baseline"])).projectable


def test_lempake_says_no_projection_yet(demo_app, accounts, demo_today):
    at = run("burndown.py", "dinsos1")
    at.radio(key="burndown_unit").set_value("keluarga").run()
    at.selectbox(key="burndown_kecamatan").set_value("64.72.05").run()
    at.selectbox(key="burndown_kelurahan").set_value("64.72.05.1003").run()
    assert not at.exception
    verdict = (at.error or at.success)[0].value
    assert "belum dapat diproyeksikan" in verdict and "2035" not in verdict
    assert not any("Rentang 95%" in c.value for c in at.caption)


def test_the_ideal_column_is_not_zero_in_every_row(demo_app, accounts, demo_today):
    at = run("burndown.py", "walikota1")
    behind = next(d.value for d in at.dataframe if "Kecamatan" in d.value.columns)
    ideal = [c for c in behind.columns if c.startswith("Ideal")]
    assert ideal == ["Ideal Inpres 4/2022 (% daftar awal)", "Ideal Inpres 8/2025 (% daftar awal)"]
    values = behind["Ideal Inpres 8/2025 (% daftar awal)"].map(lambda v: float(str(v).replace(",", ".")))
    assert (values > 0).all()  # on 30 Sep 2026 (the latest data) the 2026 line is not yet at zero
    # the table function itself: an ideal share per target, the gap named after the one in force
    store = Store.open(demo_app)
    rows = progress.kecamatan_behind(store, "orang", date(2024, 12, 31), settings.targets(store))
    table = tables.behind_table(rows, "Inpres 4/2022")
    assert "Selisih dari ideal Inpres 4/2022 (poin %)" in table.columns
    # the ideal is read at the latest data (30 Sep 2026): 92 of the 1,492 days to 31 Dec 2026 remain
    assert table["Ideal Inpres 8/2025 (% daftar awal)"].iloc[0] == pytest.approx(6.2, abs=0.05)


# --- Item 9: plain words ------------------------------------------------------------------------

JARGON = re.compile(r"burn-?down|snapshot|baseline|kuantil", re.IGNORECASE)
# what the mayor reads: the navigation, page titles, table headers, map measures and colour classes,
# and the headings and labels of the pages open to every role
PLAIN_SECTIONS = (
    "nav",
    "col",
    "scheme",
    "ringkasan",
    "burndown",
    "perubahan",
    "peta",
    "rapat",
    "charts",
    "verdict",
)


def test_indonesian_titles_and_headings_use_plain_words():
    texts = tomllib.loads((ROOT / "analytics" / "locales" / "id.toml").read_text(encoding="utf-8"))
    found = {}
    for section, body in texts.items():
        for key, value in body.items():
            if isinstance(value, dict):  # [metric.*]: the measure's label
                value, key = value.get("label", ""), f"{key}.label"
            if (section in PLAIN_SECTIONS or key == "title") and JARGON.search(value):
                found[f"{section}.{key}"] = value
    assert not found


def test_the_mayors_map_has_no_join_check_and_no_import_instruction(demo_app, accounts, demo_today):
    at = run("peta.py", "walikota1")
    assert not any("gabungan kode wilayah" in h.value for h in at.subheader)
    shown = [c.value for c in at.caption] + [m.value for m in at.markdown] + [i.value for i in at.info]
    assert not any("Data & Impor" in text for text in shown)
    assert any("DinsosPM dapat mengimpornya" in text for text in shown)  # per 1.000: who can add it
    at = run("peta.py", "dinsos1")
    assert any("gabungan kode wilayah" in h.value for h in at.subheader)
    assert any("Data & Impor" in c.value for c in at.caption)
