"""AppTests of the Intervensi OPD page: the fixture store with exact numbers, roles, and the demo store."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.helpers import login, page_path
from tests.test_interventions import D2, S1, catalog, import_interventions, import_snapshots, page_store  # noqa: F401


def run(user: str) -> AppTest:
    at = login(AppTest.from_file(page_path("intervensi_opd.py"), default_timeout=120), user).run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> tuple[str, str | None]:
    m = next(m for m in at.metric if m.label == label)
    return m.value, m.delta


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def open_tab(at: AppTest, label: str) -> AppTest:
    """Click a tab: only the open tab's charts and tables are drawn."""
    at.session_state["intervensi_tab"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def frame_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_dinsos_changes_snapshot_focus_opd_and_reads_every_tab(page_store):  # noqa: F811
    at = run("dinsos1")
    assert at.title[0].value == "Intervensi OPD"
    assert at.selectbox(key="intervensi_snapshot").value == D2  # latest by default
    assert metric(at, "Keluarga di daftar")[0] == "4"
    assert metric(at, "Keluarga terjangkau OPD") == ("2", "50,0%")
    assert metric(at, "Penerima di luar daftar")[0] == "3"  # stranger, Budi (left), K4 (not yet in)
    assert [t.label for t in at.tabs] == [
        "Cakupan OPD",
        "OPD × kecamatan",
        "Irisan strategi",
        "Belum tersentuh",
        "Di luar daftar",
        "Kiriman data",
        "Anggaran BLT",
    ]

    at.selectbox(key="intervensi_snapshot").set_value(S1).run()
    assert not at.exception
    assert metric(at, "Penerima di luar daftar")[0] == "2"
    assert metric(at, "Penugasan belum tersalur")[0] == "3"
    assert any("1 catatan bertanggal setelah tanggal data ini" in c.value for c in at.caption)
    assert chart_titles(at) == [
        t for t in chart_titles(at) if t.startswith("Dinsos PM menjangkau")
    ]  # one tab
    assert chart_titles(at)[0].startswith(
        "Dinsos PM menjangkau keluarga terbanyak (50,0% keluarga di daftar)"
    )
    assert chart_titles(open_tab(at, "Irisan strategi"))[0].startswith(
        "1 keluarga mendapat ketiga strategi, 1 hanya tunai, 2 belum tersentuh"
    )
    assert chart_titles(open_tab(at, "Belum tersentuh"))[0].startswith(
        "2 dari 4 keluarga di daftar belum tersentuh"
    )
    assert chart_titles(open_tab(at, "Di luar daftar"))[0].startswith(
        "2 OPD melayani 2 penerima di luar daftar P3KE"
    )
    open_tab(at, "Cakupan OPD")

    at.selectbox(key="intervensi_opd").set_value("DISPERKIM").run()
    assert not at.exception
    assert chart_titles(at)[0].startswith("Disperkim: peringkat 2 dari 3 OPD, menjangkau 1 keluarga")
    assert any(s.value == "Per program — Disperkim" for s in at.subheader)
    assert frame_with(at, "Kode program")["Kode program"].tolist() == ["BEDAH"]
    assert frame_with(open_tab(at, "Di luar daftar"), "Mengapa di luar daftar")[
        "ID Keluarga P3KE"
    ].tolist() == ["K4"]

    families = frame_with(open_tab(at, "Belum tersentuh"), "NIK anggota (tersamar)")
    assert families["ID Keluarga P3KE"].tolist() == ["K3", "K4"]
    assert families["Nama anggota"].tolist() == ["Euis", "Fajar"]  # DinsosPM sees named records


def test_budget_tab_switches_programme(page_store):  # noqa: F811
    at = run("dinsos1")
    at.selectbox(key="intervensi_snapshot").set_value(S1).run()
    open_tab(at, "Anggaran BLT")
    assert at.selectbox(key="intervensi_program").value == "BLT"
    assert metric(at, "Rencana") == ("Rp 9 juta", "3 keluarga")
    assert metric(at, "Tersalur") == ("Rp 900 ribu", "10,0%")
    assert metric(at, "Sisa anggaran")[0] == "Rp 8,1 juta"
    # 4 families x Rp 300.000 x 21 months (April 2023 to the default target, 31 Dec 2024).
    assert metric(at, "Kebutuhan s.d. target")[0] == "Rp 25,2 juta"
    at.selectbox(key="intervensi_program").set_value("BLTO").run()
    assert not at.exception
    assert metric(at, "Rencana")[0] == "Rp 0"


def test_dinsos_sees_names_in_named_lists(page_store):  # noqa: F811
    at = run("dinsos1")
    assert frame_with(open_tab(at, "Belum tersentuh"), "NIK anggota (tersamar)")["Nama anggota"].tolist() == [
        "Euis",
        "Fajar",
    ]
    assert "Nama" in frame_with(open_tab(at, "Di luar daftar"), "Mengapa di luar daftar").columns


def test_walikota_sees_aggregates_only(page_store):  # noqa: F811
    at = run("walikota1")
    assert metric(at, "Keluarga belum tersentuh")[0] == "<5"  # 2 families: suppressed for the mayor
    infos = []
    for tab in ("Belum tersentuh", "Di luar daftar"):
        open_tab(at, tab)
        assert not [d for d in at.dataframe if "NIK anggota (tersamar)" in d.value.columns]
        assert not [d for d in at.dataframe if "Mengapa di luar daftar" in d.value.columns]
        assert at.info, tab  # each named list says who may see it instead
        infos += [i.value for i in at.info]
    assert any("hanya untuk DinsosPM dan OPD terkait" in i for i in infos)


def test_opd_user_starts_on_its_own_opd_and_sees_only_its_own_off_list_records(page_store):  # noqa: F811
    at = run("opd1")  # opd:DISKOPUKM
    assert at.selectbox(key="intervensi_opd").value == "DISKOPUKM"
    off = frame_with(open_tab(at, "Di luar daftar"), "Mengapa di luar daftar")
    assert set(off["OPD"]) == {"Diskop UKM"} and len(off) == 2
    at.selectbox(key="intervensi_opd").set_value(None).run()
    assert len(frame_with(at, "Mengapa di luar daftar")) == 2  # still only its own
    # untouched families: only those the OPD holds a record or assignment for (filtered in SQL)
    own = frame_with(open_tab(at, "Belum tersentuh"), "NIK anggota (tersamar)")
    assert set(own["ID Keluarga P3KE"]) <= {"K3", "K4"}


def test_empty_store_says_what_to_do(tmp_path, monkeypatch, catalog, accounts):  # noqa: F811
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "kosong.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    at = run("dinsos1")
    assert "Belum ada data intervensi OPD" in at.info[0].value


def test_demo_store_page_runs_with_every_panel_filled(demo_app, accounts):
    at = run("dinsos1")
    listed = int(metric(at, "Keluarga di daftar")[0].replace(".", ""))
    untouched = int(metric(at, "Keluarga belum tersentuh")[0].replace(".", ""))
    assert listed > 0 and 0 < untouched < listed
    assert int(metric(at, "Penerima di luar daftar")[0]) > 0
    titles = []
    for tab in at.tabs:
        titles += chart_titles(open_tab(at, tab.label))
        if tab.label == "Kiriman data":
            assert len(frame_with(at, "Berkas terakhir diimpor")) == 15
    assert len(titles) == 8
    assert "OPD tidak punya data dalam 90 hari" in titles[5]
    assert titles[6].startswith("BLT-2024: tersalur Rp")


def test_data_page_imports_an_opd_file_and_refuses_it_twice(page_store, tmp_path):  # noqa: F811
    from tests.test_interventions import CICI, STRANGER, write_itv

    at = login(AppTest.from_file(page_path("data_impor.py"), default_timeout=60), "dinsos1").run()
    assert not at.exception
    assert any(s.value == "Impor data intervensi OPD" for s in at.subheader)
    rows = [
        [CICI, "", "UEP", "05/02/2024", "", "Tersalur", ""],
        [STRANGER, "", "UEP", "06/02/2024", "", "Tersalur", ""],
    ]
    data = write_itv(tmp_path / "diskop_2024.csv", rows).read_bytes()
    at.selectbox(key="data_itv_opd").set_value("DISKOPUKM")
    at.file_uploader(key="data_itv_upload").set_value(("diskop_2024.csv", data, "text/csv"))
    at.run()
    at.button(key="data_itv_check").click().run()
    assert not at.exception
    assert any(
        "diskop_2024.csv: 2 baris lolos pemeriksaan" in s.value.replace("\\", "") for s in at.success
    )  # escaped
    preview = frame_with(at, "Di luar daftar P3KE")
    assert preview[["Program", "Baris", "Penerima", "Di luar daftar P3KE"]].values.tolist() == [
        ["UEP", "2", "2", "1"]
    ]
    at.button(key="data_itv_commit").click().run()
    assert not at.exception
    assert any(
        "Intervensi DISKOPUKM diimpor dari diskop_2024.csv: 2 baris" in s.value.replace("\\", "")
        for s in at.success
    )
    assert any("1 penerima di luar daftar P3KE ditandai" in s.value for s in at.success)
    assert len(frame_with(at, "Periode sampai")) == 4

    at.file_uploader(key="data_itv_upload").set_value(("diskop_2024.csv", data, "text/csv"))
    at.run()
    at.button(key="data_itv_check").click().run()
    at.button(key="data_itv_commit").click().run()
    assert any("berkas yang sama persis" in e.value for e in at.error)
    assert len(frame_with(at, "Periode sampai")) == 4

    bad = write_itv(
        tmp_path / "rusak.csv", [[CICI[:15], "", "UEP", "05/03/2024", "", "Tersalur", ""]]
    ).read_bytes()
    at.file_uploader(key="data_itv_upload").set_value(("rusak.csv", bad, "text/csv"))
    at.run()
    at.button(key="data_itv_check").click().run()
    assert any("rusak.csv ditolak" in e.value for e in at.error)
    issues = frame_with(at, "Pesan")
    assert issues[["Baris", "Kolom"]].values.tolist() == [["2", "NIK"]]
    assert not [b for b in at.button if b.key == "data_itv_commit"]


def test_page_run_only_reads_and_says_when_the_catalog_changed(page_store, catalog, monkeypatch):  # noqa: F811
    """A run of the Intervensi page never writes: a catalog file edited on disk is not loaded by the
    page (the app loads it when it opens the store, and the Data & Impor page does); the page says
    the numbers still use the loaded catalog."""
    from analytics.store.db import Store
    from tests.test_interventions import PROGRAM_CSV

    at = run("dinsos1")  # the app opens the store (and loads the catalog then), as a first visit does
    assert not any("berubah sejak terakhir dimuat" in w.value for w in at.warning)
    text = PROGRAM_CSV.replace("Bedah rumah,kantong_kemiskinan", "Bedah rumah,usaha_produktif")
    (catalog / "program.csv").write_text(text, encoding="utf-8")
    writes: list[tuple] = []
    real = Store.transaction

    def spy(self, *args, **kwargs):
        writes.append(args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "transaction", spy)
    at.run()
    assert not at.exception, at.exception
    assert writes == []
    assert any("berubah sejak terakhir dimuat" in w.value for w in at.warning)
    assert metric(at, "Keluarga terjangkau OPD") == ("2", "50,0%")  # still the loaded catalog's numbers
