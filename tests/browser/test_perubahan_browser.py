"""Who changed, as DinsosPM in a real browser: one page of rows, the next page, and the whole list."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from tests.browser.conftest import download, nav_to, screenshot, sign_in, wait_for_app


def test_the_change_list_pages_and_downloads_every_row(app_server, page, console_errors):
    page.goto(app_server)
    wait_for_app(page)
    sign_in(page, "dinsos", "dinsos-demo")
    nav_to(page, "Perubahan")
    expect(page.get_by_role("heading", name="Mengapa angkanya turun")).to_be_visible()
    caption = page.get_by_text(re.compile(r"^Baris 1–100 dari [\d.]+$"))
    expect(caption).to_be_visible()
    total = int(caption.inner_text().rsplit(" ", 1)[-1].replace(".", ""))
    assert total > 100  # first to last demo snapshot: thousands of people left or entered

    page.get_by_label("Halaman").fill("2")
    page.get_by_label("Halaman").press("Enter")
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Baris 101–200 dari"))).to_be_visible()

    name, content = download(page, re.compile(r"Unduh semua .* \(CSV\)"))
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert name.startswith("perubahan_") and len(rows) == total + 1  # header + every page
    nik = rows[0].index("NIK (tersamar)")
    assert all(re.fullmatch(r"\d{6}\*{10}", r[nik]) for r in rows[1:])  # masked NIK: the area code only
    print("screenshot:", screenshot(page, "perubahan_halaman_2"))
    assert console_errors == []
