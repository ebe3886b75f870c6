"""Intervensi OPD in a real headless Chromium: sign in, focus an OPD, change snapshot, tabs, download."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import (
    metric_value,
    nav_to,
    open_tab,
    screenshot,
    select_option,
    sign_in,
    wait_for_app,
)


def test_opd_coverage_page(app_server, page, console_errors):
    page.goto(app_server)
    wait_for_app(page)  # the first load builds the demo store, interventions included
    sign_in(page, "dinsos", "dinsos-demo")
    started = time.monotonic()
    nav_to(page, "Intervensi OPD")
    print(f"Intervensi OPD rendered in {time.monotonic() - started:.2f} s")
    expect(page.get_by_role("heading", name="Intervensi OPD")).to_be_visible()
    families = int(metric_value(page, "Keluarga di daftar").replace(".", ""))
    untouched = int(metric_value(page, "Keluarga belum tersentuh").replace(".", ""))
    assert 0 < untouched < families
    expect(page.get_by_text("menjangkau keluarga terbanyak")).to_be_visible()

    select_option(page, "Sorot OPD", "Diskop UKM")
    expect(page.get_by_text("Diskop UKM: peringkat")).to_be_visible()
    expect(page.get_by_role("heading", name="Per program — Diskop UKM")).to_be_visible()

    select_option(page, "Daftar P3KE per tanggal", "30 Jun 2024")
    assert int(metric_value(page, "Keluarga di daftar").replace(".", "")) > families  # the list was longer

    open_tab(page, "Irisan strategi")
    expect(page.get_by_text("mendapat ketiga strategi")).to_be_visible()
    open_tab(page, "Di luar daftar")
    expect(page.get_by_text("penerima di luar daftar P3KE; terbanyak")).to_be_visible()
    open_tab(page, "Anggaran BLT")
    expect(page.get_by_text("BLT-2024: tersalur Rp")).to_be_visible()
    panel = page.get_by_test_id("stTabPanel").filter(visible=True)
    with page.expect_download() as info:
        panel.get_by_test_id("stDownloadButton").get_by_role("button", name="Unduh CSV").first.click()
    name = info.value.suggested_filename
    content = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert name == "anggaran_BLT-2024_bulanan.csv"
    assert content.splitlines()[0].startswith("Bulan,Rencana (Rp),Tersalur (Rp)")
    print("screenshot:", screenshot(page, "intervensi_anggaran_blt"))
    open_tab(page, "Cakupan OPD")
    print("screenshot:", screenshot(page, "intervensi_opd"))
    assert console_errors == []
