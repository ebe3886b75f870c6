"""AppTests of the overview, burn-down and change pages on the demo store."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from analytics import burndown
from analytics.store import Store
from tests.helpers import ROOT, page_path


def run(name: str) -> AppTest:
    at = AppTest.from_file(page_path(name), default_timeout=120).run()
    assert not at.exception, at.exception
    return at


def chart(at: AppTest, index: int = 0) -> str:
    """The plotly JSON spec of the index-th chart on the page."""
    return at.get("plotly_chart")[index].proto.spec


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_overview_shows_baseline_remaining_and_verdict(demo_app):
    store = Store.open(demo_app)
    expected = burndown.series(store).iloc[-1]
    at = run("ringkasan.py")
    assert metric(at, "Daftar awal (baseline)") == "9.032 orang"
    assert metric(at, "Sisa dari daftar awal") == f"{expected['orang_sisa_baseline']:,} orang".replace(
        ",", "."
    )
    assert metric(at, "Target terlewati").endswith("hari")  # demo data ends in 2024; today is later
    assert at.error[0].value.startswith("**Tertinggal.**")
    assert "bukan angka kemiskinan survei BPS" in at.caption[0].value


def test_burndown_unit_and_kecamatan_filter_change_what_is_shown(demo_app):
    at = run("burndown.py")
    assert "Kota Samarinda: tersisa" in chart(at)
    at.radio(key="burndown_unit").set_value("keluarga").run()
    assert not at.exception
    assert "1.600 keluarga daftar awal" in chart(at)
    at.selectbox(key="burndown_kecamatan").set_value("64.72.05").run()
    assert not at.exception
    assert "Kec. Samarinda Utara" in chart(at)
    series = at.dataframe[-1].value
    assert series["Tanggal snapshot"].iloc[0] == "30 Nov 2022"
    at.selectbox(key="burndown_kelurahan").set_value("64.72.05.1004").run()
    assert "Kel. Sungai Siring Pelita" in chart(at)


def test_burndown_target_setting_is_saved(demo_app, tmp_path):
    at = run("burndown.py")
    at.date_input(key="burndown_target").set_value(date(2026, 12, 31)).run()
    at.button(key="burndown_save_target").click().run()
    assert not at.exception
    assert "31 Des 2026" in chart(at)
    at.date_input(key="burndown_target").set_value(date(2024, 12, 31)).run()
    at.button(key="burndown_save_target").click().run()
    assert "31 Des 2024" in chart(at)


def test_change_page_waterfall_and_who_changed(demo_app):
    at = run("perubahan.py")
    assert metric(at, "Keluar dari daftar") != "0"
    at.selectbox(key="perubahan_dari").set_value(date(2024, 11, 30)).run()
    at.selectbox(key="perubahan_sampai").set_value(date(2024, 12, 31)).run()
    assert not at.exception
    store = Store.open(demo_app)
    steps = burndown.waterfall(store, date(2024, 11, 30), date(2024, 12, 31))
    parts = burndown.fall_breakdown(steps)
    assert metric(at, "Keluar dari daftar") == str(parts["keluar"])
    table = at.dataframe[-1].value
    assert "Nama" not in table.columns
    assert table["NIK (tersamar)"].str.fullmatch(r"\d{6}\*{6}\d{4}").all()
    at.selectbox(key="perubahan_jenis").set_value("Masuk baru (temuan verifikasi)").run()
    assert set(at.dataframe[-1].value["Perubahan"]) == {"Masuk baru (temuan verifikasi)"}


def test_router_moves_between_pages(demo_app):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == "Menuju nol miskin ekstrem"
    assert "DATA CONTOH" in at.warning[0].value
    at.switch_page("pages/burndown.py").run()
    assert at.title[0].value == "Burn-down menuju nol"
    at.switch_page("pages/data_impor.py").run()
    assert at.title[0].value == "Data & Impor"
    assert len(at.dataframe[0].value) == 26
