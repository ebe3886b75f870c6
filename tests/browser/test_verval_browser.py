"""Issue 19 in a real headless Chromium on the demo store: DinsosPM sees the list continue from DTSEN (the
source marker on the burn-down, kembali miskin on the overview), opens Verifikasi, and downloads a
kelurahan's verval sheet pre-filled with its families, NIKs masked; the map shows the desil 1-4 spread."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import download, nav_to, screenshot, sign_in, wait_for_app

MASKED = re.compile(r"^6472\d{2}\*{10}$")


def test_dinsos_follows_the_list_into_dtsen_and_takes_a_verval_sheet(app_server, page, console_errors):
    page.goto(app_server)
    wait_for_app(page)
    sign_in(page, "dinsos", "dinsos-demo")

    # the overview: graduates back in poverty, and the change of registry on the compact burn-down
    expect(page.get_by_text(re.compile(r"Kembali miskin: \d+ keluarga")).first).to_be_visible()
    expect(page.get_by_text("Sumber: P3KE → DTSEN").first).to_be_visible()

    nav_to(page, "Verifikasi")
    expect(page.get_by_role("heading", name="Kemajuan verifikasi per kelurahan")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("belum diverifikasi dalam 6 bulan"))).to_be_visible()
    name, data = download(page, "Unduh lembar verval (XLSX)")
    assert name.endswith(".xlsx")
    ws = load_workbook(io.BytesIO(data)).active
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if r and r[0] == "ID Keluarga")
    header = list(rows[head])
    assert "Hasil Verifikasi" in header and "Petugas" in header and "Air & sanitasi" in header
    families = [r for r in rows[head + 1 :] if r and r[0]]
    assert families, "the sheet is pre-filled with the kelurahan's families"
    nik = header.index(next(h for h in header if h and h.startswith("NIK")))
    assert all(MASKED.match(str(r[nik])) for r in families), "only masked NIKs leave the app"
    print("screenshot:", screenshot(page, "verifikasi"))

    nav_to(page, "Peta Kantong Kemiskinan")
    expect(page.get_by_text(re.compile("Sebaran desil DTSEN")).first).to_be_visible()
    assert console_errors == []
