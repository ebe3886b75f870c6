"""AppTests of the Rapat Koordinasi page: dates, the findings, roles, presentation paging, the demo store.

The fixture store is the one of tests/test_interventions.py (snapshots D0, S1, D2 and three OPD files):
between S1 and D2 nothing changes on the list, between D0 and D2 Budi graduated and Fajar entered.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analytics import formatting as fmt
from analytics.access import disclosure
from analytics.burndown import progress
from analytics.ingest import registry
from analytics.store.db import Store
from tests.helpers import BASE, login, open_rapat_folds, page_path, write_csv
from tests.test_interventions import D0, D2, S1, catalog, import_interventions, import_snapshots, page_store  # noqa: F401


def run(user: str) -> AppTest:
    at = login(AppTest.from_file(page_path("rapat.py"), default_timeout=180), user).run()
    assert not at.exception, at.exception
    return at


def titles(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def metric(at: AppTest, label: str) -> tuple[str, str]:
    m = next(m for m in at.metric if m.label == label)
    return m.value, m.delta


def position(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Temuan "))


def test_default_is_a_quarter_back_and_changing_dates_retells_the_story(page_store):  # noqa: F811
    at = run("dinsos1")
    assert at.title[0].value == "Rapat Koordinasi"
    assert (at.selectbox(key="rapat_lalu").value, at.selectbox(key="rapat_kini").value) == (S1, D2)
    assert len(titles(at)) == 10
    # 31 Mar -> 30 Jun 2023: the list did not change (Budi had already left at S1).
    assert titles(at)[0] == (
        "5 orang dalam 4 keluarga di daftar per 30 Jun 2023: 0 orang, 0 keluarga sejak 31 Mar 2023"
    )
    assert titles(at)[1] == "Tidak ada orang yang keluar dari daftar sejak 31 Mar 2023"
    assert [b.proto.label for b in at.get("download_button")[:3]] == [
        "Unduh paket PDF",
        "Unduh paket HTML",
        "Unduh paket XLSX",
    ]

    at.selectbox(key="rapat_lalu").set_value(D0).run()
    assert not at.exception
    assert titles(at)[0] == (
        "5 orang dalam 4 keluarga di daftar per 30 Jun 2023: 0 orang, +1 keluarga sejak 30 Nov 2022"
    )
    assert titles(at)[1].startswith("1 orang keluar dari daftar sejak 30 Nov 2022: 1 graduasi (100,0%)")
    assert titles(at)[2].startswith("1 orang temuan baru masuk daftar sejak 30 Nov 2022")
    assert metric(at, "Keluarga di daftar") == ("4", "+1")

    at.selectbox(key="rapat_kini").set_value(S1).run()
    assert not at.exception
    assert titles(at)[0].endswith("per 31 Mar 2023: 0 orang, +1 keluarga sejak 30 Nov 2022")
    assert titles(at)[6] == "3 dari 3 OPD menaikkan cakupan keluarga sejak 30 Nov 2022"


def test_presentation_mode_pages_one_finding_at_a_time(page_store):  # noqa: F811
    at = run("dinsos1")
    at.toggle(key="rapat_presentasi").set_value(True).run()
    assert not at.exception
    assert not at.title  # the finding gets the screen
    assert len(titles(at)) == 1 and position(at) == "Temuan 1 dari 10 · Di daftar kini"
    assert at.button(key="rapat_prev").disabled and not at.button(key="rapat_next").disabled
    assert len(at.get("plotly_chart")) == 1

    at.button(key="rapat_next").click().run()
    assert position(at) == "Temuan 2 dari 10 · Keluar menurut alasan"
    assert titles(at) == ["Tidak ada orang yang keluar dari daftar sejak 31 Mar 2023"]
    for _ in range(8):
        at.button(key="rapat_next").click().run()
    assert position(at) == "Temuan 10 dari 10 · Anggaran BLT"
    assert at.button(key="rapat_next").disabled
    at.button(key="rapat_prev").click().run()
    assert position(at) == "Temuan 9 dari 10 · Penerima di luar daftar"

    at.selectbox(key="rapat_lalu").set_value(D0).run()  # the dates stay reachable while presenting
    assert not at.exception
    assert position(at) == "Temuan 9 dari 10 · Penerima di luar daftar"
    # by D2: the stranger and Budi (after he left) at Diskop UKM, family K4 before it entered at Disperkim
    assert titles(at)[0] == (
        "3 penerima OPD di luar daftar P3KE, 3 baru sejak 30 Nov 2022; terbanyak baru: Diskop UKM (2)"
    )

    at.toggle(key="rapat_presentasi").set_value(False).run()
    assert len(titles(at)) == 10 and at.selectbox(key="rapat_lalu").value == D0


def test_named_rows_follow_the_role(page_store):  # noqa: F811
    def detail_tables(at: AppTest) -> list:
        open_rapat_folds(at)
        at.run()
        return [d.value for d in at.dataframe if "Mengapa di luar daftar" in d.value.columns]

    dinsos = run("dinsos1")
    dinsos.selectbox(key="rapat_lalu").set_value(D0).run()
    assert not [
        d for d in dinsos.dataframe if "Mengapa di luar daftar" in d.value.columns
    ]  # folded: not sent
    assert sorted(detail_tables(dinsos)[0]["OPD"]) == ["Diskop UKM", "Diskop UKM", "Disperkim"]
    assert any("data per orang" in e.label for e in dinsos.expander)

    mayor = run("walikota1")
    mayor.selectbox(key="rapat_lalu").set_value(D0).run()
    assert detail_tables(mayor) == [] and not any("data per orang" in e.label for e in mayor.expander)
    assert any("agregat saja" in c.value for c in mayor.caption)
    # the same story, without names, and with the small counts written "<5"
    assert titles(mayor) == [disclosure.scrub_text(title) for title in titles(dinsos)]

    opd = run("opd1")
    opd.selectbox(key="rapat_lalu").set_value(D0).run()
    assert detail_tables(opd)[0]["OPD"].tolist() == ["Diskop UKM", "Diskop UKM"]  # only its own


def test_one_snapshot_is_not_enough_for_a_meeting(tmp_path, monkeypatch, accounts):
    db = tmp_path / "one.duckdb"
    monkeypatch.setenv("NOL_EKSTREM_DB", str(db))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    store = Store.open(db)
    registry.import_file(store, write_csv(tmp_path / "s0.csv", BASE), D0)
    store.close()
    at = run("dinsos1")
    assert "sedikitnya dua tanggal data" in at.info[0].value


def test_demo_store_page_matches_the_burndown(demo_app, accounts):
    at = run("walikota1")
    store = Store.open(demo_app)
    try:
        s = progress.series(store).set_index("as_of")
    finally:
        store.close()
    prev, cur = at.selectbox(key="rapat_lalu").value, at.selectbox(key="rapat_kini").value
    assert (fmt.tanggal(prev), fmt.tanggal(cur)) == ("30 Jun 2026", "30 Sep 2026")  # the last two DTSEN files
    change = int(s.at[cur, "orang_aktif"]) - int(s.at[prev, "orang_aktif"])
    assert metric(at, "Orang di daftar") == (fmt.number(s.at[cur, "orang_aktif"]), fmt.signed(change))
    assert len(titles(at)) == 10


def test_the_meeting_is_built_once_per_store_version_and_again_after_a_change(page_store, monkeypatch):  # noqa: F811
    """Paging, reruns and a second visit reuse one build (issue 17); any commit makes the next run rebuild."""
    from analytics import ui
    from analytics.meeting import agenda
    from analytics.store import settings

    real, builds = agenda.build, []

    def counted_build(*args):
        builds.append(args[1:3])
        return real(*args)

    monkeypatch.setattr(agenda, "build", counted_build)
    at = run("dinsos1")
    at.toggle(key="rapat_presentasi").set_value(True).run()
    at.button(key="rapat_next").click().run()
    run("walikota1")  # another user: its own build (its own disclosure)
    run("dinsos1")
    assert len(builds) == 2
    handle = ui._open_store(str(page_store))
    settings.put(handle, "stale_days", "30")  # any commit: the store may now say something else
    run("dinsos1")
    assert len(builds) == 3
