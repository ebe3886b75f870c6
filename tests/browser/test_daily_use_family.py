"""Find a family in a real headless Chromium (issue 16): DinsosPM types a NIK from the demo data into the
sidebar search and lands on that family's profile; the URL carries the ID Keluarga, never the NIK."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from analytics.demo import snapshots as demo
from tests.browser.conftest import download, nav_to, screenshot, sign_in, wait_for_app


def demo_person() -> tuple[str, str]:
    """(NIK, ID Keluarga) of the first person on the demo's latest list (the seed the app builds from)."""
    snapshots = demo.generate_snapshots()
    row = snapshots[max(snapshots)].iloc[0]
    return str(row["NIK"]), str(row["ID Keluarga P3KE"])


def test_dinsos_searches_a_nik_and_lands_on_its_family_profile(app_server, page, console_errors):
    nik, id_keluarga = demo_person()
    page.goto(app_server)
    wait_for_app(page)  # the first load builds the demo store
    sign_in(page, "dinsos", "dinsos-demo")
    nav_to(page, "Perubahan")  # the field is on every page

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("textbox", name="Cari keluarga").fill(nik)
    sidebar.get_by_role("button", name="Cari", exact=True).click()
    wait_for_app(page)

    expect(page.get_by_role("heading", name=f"Profil keluarga {id_keluarga}")).to_be_visible()
    assert re.search(rf"/keluarga\?keluarga={id_keluarga}$", page.url), page.url
    assert nik not in page.url
    field = sidebar.get_by_role("textbox", name="Cari keluarga")
    expect(field).to_have_value("")  # the NIK does not stay in the field
    expect(page.get_by_role("heading", name="Masuk dan keluar daftar")).to_be_visible()
    expect(page.get_by_role("heading", name="Intervensi per OPD dan program")).to_be_visible()

    name, pdf = download(page, "Unduh profil (PDF, 1 halaman)")
    assert name == f"keluarga_{id_keluarga}.pdf" and pdf.startswith(b"%PDF")
    print("screenshot:", screenshot(page, "profil_keluarga"))
    assert console_errors == []
