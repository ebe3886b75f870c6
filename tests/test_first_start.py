"""Issue 17, first start: the sign-in form at once while the demo store builds in the background,
the build's progress on screen, pages waiting for it, and a failed build serving nothing."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics import ui
from analytics.ingest import bootstrap, registry
from analytics.store import manifest
from analytics.store.audit import log as audit_log
from analytics.store.db import Store
from tests.helpers import BASE, ROOT, login, page_path, write_csv

pytestmark = pytest.mark.no_secret  # a fresh checkout: the demo key, demo data allowed


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty data folder, as on the very first start; no store or build cached in this process."""
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "nol_ekstrem.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_USERS", str(tmp_path / "pengguna.json"))
    ui._open_store.clear()
    ui._demo_build.clear()
    yield tmp_path
    ui._demo_build.clear()
    ui._open_store.clear()


@pytest.fixture
def held_build(fresh, monkeypatch):
    """A small stand-in for the demo build that reports progress, then waits for `release` before it
    imports one demo snapshot (the real build takes ~50 s; its own tests are in test_demo.py)."""
    release = threading.Event()

    def build(store: Store, progress, origin: str = "") -> int:
        progress(0.4, "Mengimpor contoh (1/2)")
        assert release.wait(60)
        path = write_csv(fresh / "contoh.csv", BASE)
        registry.import_file(store, path, date(2024, 12, 31), user="demo", is_demo=True, confirmed=True)
        audit_log(store, "demo", None, "data_contoh", detail=origin)
        progress(1.0, "siap")
        return 1

    monkeypatch.setattr(bootstrap, "build_demo", build)
    return release


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def build_state() -> str:
    return ui._demo_build(str(ui.config.db_path())).status()[0]


def test_sign_in_form_shows_while_the_demo_builds_and_a_sign_in_meanwhile_is_audited(held_build):
    at = app().run()
    assert not at.exception, at.exception
    # The form is there at once, with the build's progress and the demo accounts to sign in with.
    assert build_state() == "running"
    assert at.text_input(key="masuk_nama") is not None
    assert len(at.get("progress")) == 1, "the build's progress is on the sign-in page"
    assert any("`dinsos` / `dinsos-demo`" in i.value for i in at.info)

    at.text_input(key="masuk_nama").set_value("dinsos")
    at.text_input(key="masuk_sandi").set_value("dinsos-demo")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert "nol_sesi" in at.session_state, "signed in while the build runs"
    # AppTest keeps the sign-in page selected after the rerun; a browser lands on Ringkasan
    # (tests/browser/test_first_start.py).
    at.switch_page("pages/ringkasan.py").run()
    assert not at.exception, at.exception
    # Signed in before the build is done: the page waits with the progress, and shows no data.
    assert build_state() == "running"
    assert at.get("progress"), "the page shows the build's progress"
    assert any("terbuka sendiri" in c.value for c in at.caption)
    assert not at.metric and not at.title

    held_build.set()
    assert ui._demo_build(str(ui.config.db_path())).wait(60) == "done"
    at.run()
    assert not at.exception, at.exception
    assert not at.get("progress")
    assert at.metric, "Ringkasan runs with data"

    handle = ui._open_store(str(ui.config.db_path()))
    sql = "select count(*) from audit_log where action = 'masuk' and user_name = 'dinsos'"
    signed_in = handle.scalar(sql)
    assert signed_in == 1, "the sign-in during the build has its audit row"
    assert manifest.check(handle) == [], "the store passes its manifest check afterwards"


def test_a_page_opened_alone_waits_for_the_build(held_build, fresh):
    app().run()  # the first visitor starts the build
    from analytics.access import auth

    auth.ensure_demo_accounts()
    at = login(AppTest.from_file(page_path("ringkasan.py"), default_timeout=60), "walikota").run()
    assert not at.exception, at.exception
    assert at.get("progress") and not at.metric
    held_build.set()
    ui._demo_build(str(ui.config.db_path())).wait(60)


def test_a_failed_build_is_said_plainly_and_nothing_is_served_then_or_after_a_restart(fresh, monkeypatch):
    real_import = registry.import_file
    calls = []

    def second_import_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk penuh")
        return real_import(*args, **kwargs)

    monkeypatch.setattr(registry, "import_file", second_import_fails)
    at = app().run()
    assert ui._demo_build(str(ui.config.db_path())).wait(120) == "failed"
    at.run()
    assert not at.exception, at.exception
    assert any("disk penuh" in e.value and "gagal dibangun" in e.value for e in at.error)
    assert not at.text_input and not at.metric, "no sign-in form, no data"

    # The store holds one demo snapshot of 26: after a restart it is refused, not served as if whole.
    ui._demo_build.clear()
    ui._open_store.clear()
    again = app().run()
    assert not again.exception, again.exception
    assert any("belum selesai" in e.value for e in again.error)
    assert not again.text_input and not again.metric
    assert build_state() == "idle", "no second build over the half-built store"


def test_a_whole_demo_build_leaves_no_unfinished_mark(demo_db):
    assert not bootstrap.demo_unfinished(demo_db)
    assert bootstrap.unfinished_marker(demo_db).parent == demo_db.parent


def test_the_sign_in_page_loads_plotly_before_sign_in(fresh, monkeypatch):
    """Issue 17: the charts after sign-in are drawn at once, not grey boxes while the browser fetches
    and runs Plotly's script: the sign-in page holds a one-pixel Plotly chart that loads it early."""
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.text_input(key="masuk_nama") is not None
    charts = at.get("plotly_chart")
    assert len(charts) == 1, "one hidden warm-up chart"
