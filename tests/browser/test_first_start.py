"""Issue 17, first start in a real browser: on a fresh data folder the sign-in form appears while
the demo store is still building, with its progress; a user who signs in meanwhile sees the progress,
then Ringkasan with its charts; the store then passes its check and holds the sign-in's audit row."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics.ingest import bootstrap
from analytics.store.db import Store
from tests.browser.conftest import ROOT, start_streamlit, stop_streamlit, wait_for_app

BUILD_TIMEOUT_MS = 240_000  # the whole demo build, on a busy 2-core machine


@pytest.fixture
def fresh_server(tmp_path) -> Iterator[tuple[str, dict[str, str], object]]:
    """A server of app.py on an empty data folder (no store yet), as on the very first start."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {
        "NOL_EKSTREM_DB": str(data_dir / "nol_ekstrem.duckdb"),
        "NOL_EKSTREM_DATA_DIR": str(data_dir),
        "NOL_EKSTREM_USERS": str(data_dir / "pengguna.json"),
    }
    proc, url = start_streamlit(ROOT / "app.py", env, cwd=ROOT, log_path=tmp_path / "streamlit.log")
    try:
        yield url, env, proc
    finally:
        stop_streamlit(proc)


def test_first_start_shows_the_sign_in_form_and_progress_while_the_demo_builds(fresh_server, page):
    from playwright.sync_api import expect

    url, env, proc = fresh_server
    page.goto(url)
    name = page.get_by_label("Nama pengguna")
    expect(name).to_be_editable(timeout=30_000)
    progress = page.get_by_test_id("stProgress")
    expect(progress).to_be_visible()  # the build is still running: it takes ~50 s
    expect(page.get_by_text("Menyiapkan data contoh untuk pertama kali")).to_be_visible()

    expect(page.get_by_text("dinsos-demo")).to_be_visible(timeout=30_000)  # the demo accounts exist

    # Sign in before the build ends: the page shows the progress instead of data, then opens by itself.
    name.fill("dinsos")
    page.get_by_label("Kata sandi").fill("dinsos-demo")
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_text("Halaman ini terbuka sendiri")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stProgress")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)

    chart = page.locator(".st-key-ringkasan_burndown .js-plotly-plot .main-svg").first
    expect(chart).to_be_visible(timeout=BUILD_TIMEOUT_MS)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Menuju nol miskin ekstrem")).to_be_visible()
    expect(page.get_by_test_id("stProgress")).to_have_count(0)
    assert page.get_by_test_id("stMetric").count() > 0

    # The store passes its check and holds the sign-in's audit row (the server lets go of the file first).
    stop_streamlit(proc)
    db = Path(env["NOL_EKSTREM_DB"])
    checked = subprocess.run(
        [sys.executable, "-m", "analytics.cli", "--db", str(db), "periksa"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not bootstrap.demo_unfinished(db)
    store = Store.open(db)
    try:
        sql = "select count(*) from audit_log where action = 'masuk' and user_name = 'dinsos'"
        assert store.scalar(sql) == 1
        assert store.snapshot_count() == 30  # 26 P3KE files and 4 DTSEN files
    finally:
        store.close()
