"""A lurah's daily use in a real browser: sign in, open their kelurahan's profile, and see named rows
only for that kelurahan (issue 16 item 4)."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from tests.browser.conftest import (
    add_account,
    download,
    nav_to,
    screenshot,
    select_option,
    sign_in,
    wait_for_app,
)

LURAH, PASSWORD = "lurah_rawa_makmur", "lurah-uji-123"
RAWA_MAKMUR = "64.72.01.1001"


def test_a_lurah_sees_named_rows_only_for_their_kelurahan(app_server, page, console_errors):
    page.goto(app_server)
    wait_for_app(page)  # the first load builds the demo store and its accounts
    add_account(app_server, LURAH, f"kelurahan:{RAWA_MAKMUR}", PASSWORD)
    sign_in(page, LURAH, PASSWORD)

    nav_to(page, "Profil Wilayah")
    expect(page.get_by_role("heading", name="Profil Kel. Rawa Makmur, Kec. Palaran")).to_be_visible()
    assert f"kode={RAWA_MAKMUR}" in page.url  # the view is in the link
    expect(page.get_by_text(re.compile(r"belum tersentuh di wilayah Anda, dengan nama"))).to_be_visible()
    name, content = download(page, "Unduh CSV", index=2)  # OPD reach, per kelurahan, the families
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert name.startswith("keluarga_belum_tersentuh_") and rows
    assert {r["Kelurahan"] for r in rows} == {"Rawa Makmur"}
    print("screenshot:", screenshot(page, "profil_kelurahan_lurah"))

    nav_to(page, "Perubahan")
    expect(page.get_by_text(f"Hanya orang di wilayah Anda ({RAWA_MAKMUR}).")).to_be_visible()
    caption = page.get_by_text(re.compile(r"^Baris 1–\d+ dari [\d.]+$"))
    expect(caption).to_be_visible()
    name, content = download(page, re.compile(r"Unduh semua .* \(CSV\)"))
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    total = int(caption.inner_text().rsplit(" ", 1)[-1].replace(".", ""))
    assert len(rows) == total > 0
    assert {r["Kelurahan"] for r in rows} == {"Rawa Makmur"}  # named rows: their kelurahan only
    assert all(r["Nama"] for r in rows)  # with names, as a lurah needs for a home visit
    print("screenshot:", screenshot(page, "perubahan_lurah"))
    assert console_errors == []


def test_the_map_s_side_panel_and_ranking_rows_open_an_area_profile(app_server, page, console_errors):
    page.goto(app_server)
    wait_for_app(page)
    sign_in(page, "walikota", "walikota-demo")
    nav_to(page, "Peta Kantong Kemiskinan")
    select_option(page, "Wilayah", "Kec. Palaran")
    page.get_by_role("link", name="Buka profil Kec. Palaran").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Profil Kec. Palaran")).to_be_visible()
    assert "/wilayah?kode=64.72.01" in page.url

    nav_to(page, "Peta Kantong Kemiskinan")
    ranking = page.get_by_test_id("stDataFrame").filter(visible=True).first
    ranking.scroll_into_view_if_needed()
    box = ranking.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # the first row's selection marker
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Profil Kec. Samarinda Utara")).to_be_visible()
    assert "kode=64.72.05" in page.url  # the largest pocket tops the ranking
    assert console_errors == []
