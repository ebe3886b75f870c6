"""The main flows in a real headless Chromium: overview, burn-down filter, changes, data upload."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.browser.conftest import (
    choose_radio,
    download,
    metric_value,
    nav_to,
    screenshot,
    select_option,
    sign_in,
    upload_file,
    wait_for_app,
)
from tests.helpers import BASE, write_csv


def test_overview_then_burndown_filter_then_changes(app_server, page, console_errors):
    started = time.monotonic()
    page.goto(app_server)
    wait_for_app(page)
    print(f"first load incl. demo build: {time.monotonic() - started:.1f} s")
    expect(page.get_by_text("Akun contoh")).to_be_visible()
    assert page.get_by_test_id("stSidebarNav").count() == 0  # nothing but the sign-in form
    sign_in(page, "walikota", "keliru-sekali")
    expect(page.get_by_text("Nama pengguna atau kata sandi salah.")).to_be_visible()
    sign_in(page, "walikota", "walikota-demo")
    expect(page.get_by_role("heading", name="Menuju nol miskin ekstrem")).to_be_visible()
    expect(page.get_by_text("DATA CONTOH")).to_be_visible()
    assert metric_value(page, "Daftar awal (orang)") == "9.032 orang"
    assert metric_value(page, "Sisa daftar awal (orang)").endswith(" orang")
    expect(page.get_by_text("Tertinggal.")).to_be_visible()
    print("screenshot:", screenshot(page, "ringkasan"))

    nav_to(page, "Laju penurunan")
    expect(page.get_by_role("heading", name="Laju penurunan: sisa daftar menuju nol")).to_be_visible()
    expect(page.get_by_text("Kota Samarinda: tersisa")).to_be_visible()
    select_option(page, "Kecamatan", "Samarinda Utara")
    expect(page.get_by_text("Kec. Samarinda Utara: tersisa")).to_be_visible()
    choose_radio(page, "Satuan", "Keluarga")
    expect(page.get_by_text("keluarga daftar awal")).to_be_visible()
    name, content = download(page, "Unduh CSV")
    assert name.startswith("kecamatan_tertinggal") and "Samarinda Utara" in content.decode("utf-8-sig")
    print("screenshot:", screenshot(page, "burndown_samarinda_utara"))

    nav_to(page, "Perubahan")
    expect(page.get_by_role("heading", name="Mengapa angkanya turun")).to_be_visible()
    assert metric_value(page, "Keluar dari daftar") != "0"
    expect(page.get_by_text("dari yang keluar karena graduasi")).to_be_visible()
    expect(page.get_by_text("hanya tersedia untuk DinsosPM")).to_be_visible()  # no person rows for walikota
    nav_names = page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()
    assert "Data & Impor" not in nav_names
    print("screenshot:", screenshot(page, "perubahan"))
    assert console_errors == []


def test_bad_upload_is_refused_on_the_data_page(app_server, page, tmp_path, console_errors):
    page.goto(app_server)
    wait_for_app(page)
    sign_in(page, "dinsos", "dinsos-demo")
    nav_to(page, "Data & Impor")
    expect(page.get_by_role("heading", name="Data & Impor")).to_be_visible()
    rows = [r.copy() for r in BASE]
    rows[1][5] = "6.47205E+15"
    upload_file(page, "Berkas snapshot", write_csv(tmp_path / "rusak.csv", rows))
    page.get_by_role("button", name="Periksa berkas").click()
    wait_for_app(page)
    # the demo app runs under the public demo key: a real file is refused before anything else
    # (issue 14, item 2), and its NIK is never echoed
    expect(page.get_by_text("belum ada kunci NIK rahasia", exact=False).first).to_be_visible()
    expect(page.get_by_text("6.47205E+15", exact=False)).to_have_count(0)
    print("screenshot:", screenshot(page, "data_ditolak"))
    assert console_errors == []
