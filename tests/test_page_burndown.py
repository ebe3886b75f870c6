"""AppTests of the overview, burn-down and change pages on the demo store."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from analytics import formatting as fmt
from analytics import tables, ui
from analytics.access import auth
from analytics.burndown import progress
from analytics.store.db import Store
from tests.helpers import ROOT, login, page_path

DINSOS = auth.User("dinsos1", "dinsos")


def run(name: str, user: str = "walikota1") -> AppTest:
    at = login(AppTest.from_file(page_path(name), default_timeout=120), user).run()
    assert not at.exception, at.exception
    return at


def chart(at: AppTest, index: int = 0) -> str:
    """The plotly JSON spec of the index-th chart on the page."""
    return at.get("plotly_chart")[index].proto.spec


def shown_text(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_overview_shows_baseline_remaining_and_verdict(demo_app, accounts):
    store = Store.open(demo_app)
    expected = progress.series(store).iloc[-1]
    at = run("ringkasan.py")
    assert metric(at, "Daftar awal (orang)") == "9.032 orang"
    assert metric(at, "Sisa daftar awal (orang)") == f"{expected['orang_sisa_baseline']:,} orang".replace(
        ",", "."
    )
    # days to the target in force today (Inpres 8/2025), saying which day they count from
    days = next(m for m in at.metric if m.label in ("Hari menuju target", "Target terlewati"))
    assert "Inpres 8/2025" in days.proto.delta and "dihitung dari hari ini" in days.proto.delta
    assert at.error[0].value.startswith("**Tertinggal.**")
    assert "bukan angka kemiskinan survei BPS" in at.caption[0].value


def test_burndown_unit_and_kecamatan_filter_change_what_is_shown(demo_app, accounts):
    at = run("burndown.py")
    assert "Kota Samarinda: tersisa" in chart(at)
    at.radio(key="burndown_unit").set_value("keluarga").run()
    assert not at.exception
    assert "1.600 keluarga daftar awal" in chart(at)
    at.selectbox(key="burndown_kecamatan").set_value("64.72.05").run()
    assert not at.exception
    assert "Kec. Samarinda Utara" in chart(at)
    series = at.dataframe[-1].value
    assert series["Data per tanggal"].iloc[0] == "30 Nov 2022"
    at.selectbox(key="burndown_kelurahan").set_value("64.72.05.1004").run()
    assert "Kel. Sungai Siring Pelita" in chart(at)


def test_change_page_waterfall_and_who_changed(demo_app, accounts):
    at = run("perubahan.py", "dinsos1")
    assert metric(at, "Keluar dari daftar") != "0"
    at.selectbox(key="perubahan_dari").set_value(date(2024, 11, 30)).run()
    at.selectbox(key="perubahan_sampai").set_value(date(2024, 12, 31)).run()
    assert not at.exception
    store = Store.open(demo_app)
    steps = progress.waterfall(store, date(2024, 11, 30), date(2024, 12, 31))
    parts = progress.fall_breakdown(steps)
    assert metric(at, "Keluar dari daftar") == str(parts["keluar"])
    table = at.dataframe[-1].value
    assert "Nama" in table.columns  # DinsosPM sees named records
    assert table["NIK (tersamar)"].str.fullmatch(r"\d{6}\*{10}").all()  # the area code only
    everyone = progress.snapshot_diff(store, date(2024, 11, 30), date(2024, 12, 31), auth.User("d", "dinsos"))
    assert len(table) == min(len(everyone), ui.PAGE_ROWS)
    assert f"dari {fmt.number(len(everyone))}" in shown_text(at)
    new = int((everyone["arus"] == "masuk_baru").sum())
    at.selectbox(key="perubahan_jenis").set_value(("masuk_baru", None)).run()
    assert set(at.dataframe[-1].value["Perubahan"]) == {"Masuk baru (temuan verifikasi)"}
    assert len(at.dataframe[-1].value) == min(new, ui.PAGE_ROWS)


def test_change_page_pages_through_a_long_list_in_sql(demo_app, accounts):
    at = run("perubahan.py", "dinsos1")  # first to last snapshot: thousands of changes
    first = at.dataframe[-1].value
    assert len(first) == ui.PAGE_ROWS
    at.number_input(key="perubahan_diff_halaman").set_value(2).run()
    second = at.dataframe[-1].value
    assert len(second) == ui.PAGE_ROWS
    assert f"Baris {fmt.number(ui.PAGE_ROWS + 1)}–" in shown_text(at)
    store = Store.open(demo_app)  # the two pages are rows 1-200 of the whole list, in its order
    dates = store.query("snapshot_list")["as_of"].dt.date
    every = tables.diff_table(progress.snapshot_diff(store, dates.min(), dates.max(), DINSOS), True)
    store.close()
    assert len(every) > 2 * ui.PAGE_ROWS
    for shown, part in (
        (first, every.iloc[: ui.PAGE_ROWS]),
        (second, every.iloc[ui.PAGE_ROWS : 2 * ui.PAGE_ROWS]),
    ):
        assert shown.reset_index(drop=True).astype(str).equals(part.reset_index(drop=True).astype(str))


def test_router_moves_between_pages(demo_app, accounts):
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), "dinsos1").run()
    assert not at.exception
    assert at.title[0].value == "Menuju nol miskin ekstrem"
    assert "DATA CONTOH" in at.warning[0].value
    at.switch_page("pages/burndown.py").run()
    assert at.title[0].value == "Laju penurunan: sisa daftar menuju nol"
    at.switch_page("pages/data_impor.py").run()
    assert at.title[0].value == "Data & Impor"
    assert len(at.dataframe[0].value) == 30  # 26 P3KE and 4 DTSEN snapshots


def test_change_page_shows_no_person_rows_to_the_mayors_office(demo_app, accounts):
    at = run("perubahan.py", "walikota1")
    assert metric(at, "Keluar dari daftar") != "0"
    assert not [d for d in at.dataframe if "NIK (tersamar)" in d.value.columns]
    assert "hanya tersedia untuk DinsosPM" in at.info[0].value


def test_change_page_shows_an_opd_only_people_tied_to_its_records(demo_app, accounts):
    def rows(user: str) -> int:
        at = run("perubahan.py", user)
        assert next(d.value for d in at.dataframe if "NIK (tersamar)" in d.value.columns) is not None
        caption = next(c.value for c in at.caption if c.value.startswith("Baris "))
        return int(caption.rsplit(" ", 1)[-1].replace(".", ""))  # "Baris 1–100 dari 1.234"

    everyone, own = rows("dinsos1"), rows("opd1")
    assert 0 < own < everyone


def test_a_row_of_the_kecamatan_behind_opens_its_profile(demo_app, accounts):
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), "dinsos1").run()
    at.switch_page("pages/burndown.py").run()
    assert not at.exception, at.exception
    behind = next(d.value for d in at.dataframe if "Kecamatan" in d.value.columns)
    second = behind.iloc[1]["Kecamatan"]
    store = Store.open(demo_app)
    try:
        with store.cursor() as cur:
            kode = cur.execute("select kode_kecamatan from kecamatan where nama = ?", [second]).fetchone()[0]
    finally:
        store.close()
    at.session_state["burndown_behind_table"] = {"selection": {"rows": [1], "columns": []}}
    at.run()  # the row chosen (as st.dataframe's on_select reports it)
    assert not at.exception, at.exception
    assert at.title[0].value == f"Profil Kec. {second}"
    assert at.query_params["kode"] == kode


def test_a_rerun_draws_the_same_charts_without_building_them_again(demo_app, accounts, monkeypatch):
    """ui.figure keeps a chart for equal data and language (issue 17); other data or language builds anew."""
    from analytics.burndown import charts

    real, built = charts.burndown_figure, []

    def counted(*args, **kwargs):
        built.append(args[1])  # the unit
        return real(*args, **kwargs)

    counted.__qualname__ = "counted_burndown_figure_for_this_test"
    monkeypatch.setattr(charts, "burndown_figure", counted)
    at = run("burndown.py", "dinsos1")
    spec = chart(at)
    at.run()
    assert built == ["orang"] and chart(at) == spec  # the same chart, from the kept figure
    at.radio(key="burndown_unit").set_value("keluarga").run()
    assert built == ["orang", "keluarga"] and chart(at) != spec
    at.session_state["app_bahasa"] = "en"
    at.radio(key="burndown_unit").set_value("orang").run()
    assert built == ["orang", "keluarga", "orang"]  # English texts: built again
