"""The map page in a real headless Chromium: the choropleth draws offline, click drill-down, screenshots."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.browser.conftest import (
    choose_radio,
    click_button,
    download,
    nav_to,
    screenshot,
    sign_in,
    wait_for_app,
)

MAP = ":is(.st-key-peta_map_kota, .st-key-peta_map_kel)"  # the main map (the DTSEN desil map is further down)


def map_title(page) -> str:
    """The map's title as drawn in the SVG."""
    return str(page.locator(f"{MAP} .js-plotly-plot .gtitle").first.text_content())


def legend(page) -> list[str]:
    """The legend entries of the map."""
    return page.locator(f"{MAP} .js-plotly-plot .legend text.legendtext").all_text_contents()


def test_map_draws_drills_down_on_click_and_shows_change(app_server, page, console_errors):
    page.goto(app_server)
    wait_for_app(page)
    sign_in(page, "walikota", "walikota-demo")
    started = time.monotonic()
    nav_to(page, "Peta Kantong Kemiskinan")
    areas = page.locator(f"{MAP} .js-plotly-plot path.choroplethlocation")
    expect(areas).to_have_count(10)  # all 10 kecamatan drawn, with no tile or topojson server
    print(f"map page rendered in {time.monotonic() - started:.1f} s")
    expect(page.get_by_role("heading", name="Peta Kantong Kemiskinan")).to_be_visible()
    assert map_title(page).startswith("Kantong terbesar di kota: Samarinda Utara")
    entries = legend(page)
    assert entries[0] == "0 (nihil)" and entries[-1].endswith("1.587")  # the baseline maximum tops the scale
    expect(page.get_by_text("Batas wilayah: cahyadsn/wilayah_boundaries (MIT)").first).to_be_visible()
    print("screenshot:", screenshot(page, "peta_kota"))

    label = page.locator(f"{MAP} .js-plotly-plot text", has_text="Samarinda Utara").first.bounding_box()
    page.mouse.click(label["x"] + label["width"] / 2, label["y"] - 25)  # inside the polygon, above its label
    wait_for_app(page)
    expect(page.get_by_role("combobox", name="Wilayah")).to_have_value("Kec. Samarinda Utara")
    assert map_title(page).startswith("Kantong terbesar di Kec. Samarinda Utara:")
    expect(page.get_by_text("Kelurahan di Kec. Samarinda Utara")).to_be_visible()
    print("screenshot:", screenshot(page, "peta_samarinda_utara"))

    choose_radio(page, "Tampilan", "Perubahan antara dua tanggal")
    assert map_title(page).startswith("Orang di daftar di Kec. Samarinda Utara turun")
    assert all(entry.startswith("turun") for entry in legend(page))
    print("screenshot:", screenshot(page, "peta_samarinda_utara_perubahan"))

    click_button(page, "← Kembali ke seluruh kota")
    expect(areas).to_have_count(10)
    assert map_title(page).startswith("Orang di daftar di kota turun")
    name, content = download(page, "Unduh CSV")
    assert name == "kantong_kecamatan.csv" and "Samarinda Utara" in content.decode("utf-8-sig")
    assert console_errors == []
