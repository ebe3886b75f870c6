"""Rapat Koordinasi in a real headless Chromium: the page, presentation paging by key and button, and the
HTML meeting pack opened offline (every request outside the file itself is blocked)."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.browser.conftest import (
    VIEWPORT,
    download,
    nav_to,
    screenshot,
    sign_in,
    wait_for_app,
)


def page_to(page, label: str) -> None:
    """Click a paging button (its name also carries the keyboard hint), then wait for the rerun."""
    page.get_by_test_id("stButton").get_by_role("button", name=label).click()
    wait_for_app(page)


def test_meeting_page_presents_and_hands_out_an_offline_pack(
    app_server, page, console_errors, browser: Browser, tmp_path: Path
):
    page.goto(app_server)
    wait_for_app(page)  # the first load builds the demo store
    sign_in(page, "dinsos", "dinsos-demo")
    started = time.monotonic()
    nav_to(page, "Rapat Koordinasi")
    print(f"Rapat Koordinasi rendered in {time.monotonic() - started:.2f} s")
    expect(page.get_by_role("heading", name="Rapat Koordinasi", exact=True)).to_be_visible()
    expect(page.get_by_text("Temuan 10 dari 10 · Anggaran BLT")).to_be_visible()
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    first_title = page.get_by_role("heading", level=3).first.inner_text()
    assert "orang dalam" in first_title and "sejak 30 Jun 2026" in first_title  # the last two DTSEN files
    print("screenshot:", screenshot(page, "rapat"))

    name, data = download(page, "Unduh paket HTML")
    assert name == "paket_rapat_2026-06-30_2026-09-30.html"

    page.get_by_text("Mode presentasi", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("Temuan 1 dari 10 · Di daftar kini")).to_be_visible()
    page.keyboard.press("ArrowRight")  # the Berikutnya button's shortcut
    wait_for_app(page)
    expect(page.get_by_text("Temuan 2 dari 10 · Keluar menurut alasan")).to_be_visible()
    page_to(page, "Berikutnya")
    page_to(page, "Berikutnya")
    expect(page.get_by_text("Temuan 4 dari 10 · Peta perubahan")).to_be_visible()
    expect(page.locator(".js-plotly-plot .choroplethlayer path").first).to_be_attached()
    print("screenshot:", screenshot(page, "rapat_presentasi_peta"))
    page_to(page, "Sebelumnya")
    expect(page.get_by_text("Temuan 3 dari 10 · Masuk baru")).to_be_visible()
    assert console_errors == []

    # The pack, opened from disk with the network cut off.
    pack = tmp_path / name
    pack.write_bytes(data)
    offline = browser.new_context(viewport=VIEWPORT, locale="id-ID")
    outside: list[str] = []

    def block(route) -> None:
        """Let the file itself through; abort (and note) anything else."""
        url = route.request.url
        if url.startswith("file:") or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    offline.route("**/*", block)
    view = offline.new_page()
    errors: list[str] = []
    view.on("pageerror", lambda error: errors.append(str(error)))
    try:
        view.goto(pack.as_uri())
        expect(
            view.get_by_role("heading", name="Penghapusan Kemiskinan Ekstrem Kota Samarinda")
        ).to_be_visible()
        expect(view.locator("#grafik-sisa .main-svg").first).to_be_visible(timeout=30_000)
        expect(view.locator("#grafik-peta .choroplethlayer path").first).to_be_attached(timeout=30_000)
        expect(view.locator(".js-plotly-plot .main-svg").nth(0)).to_be_visible()
        assert view.locator(".js-plotly-plot").count() == 10  # every finding's chart was drawn
        expect(view.locator("#temuan-1 .number .value").first).to_have_text(first_title.split()[0])
        expect(view.get_by_text("DATA CONTOH").first).to_be_visible()
        print("screenshot:", screenshot(view, "rapat_paket_html_offline"))
    finally:
        offline.close()
    assert outside == [] and errors == [], (outside, errors)
