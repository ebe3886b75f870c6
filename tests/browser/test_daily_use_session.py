"""Daily use in a real browser: a reload keeps the user signed in on the same page and view, and a
copied link opens the same view after sign-in in a fresh browser (issue 16, items 1 and 2)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import (
    LOCALE,
    VIEWPORT,
    nav_to,
    select_option,
    sign_in,
    wait_for_app,
)

UTARA = "Kec. Samarinda Utara"


def no_page_not_found(page) -> None:
    """No "Page not found" pop-up (Streamlit's dialog for an unknown page path)."""
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_text("does not seem to exist")).to_have_count(0)


def test_reload_keeps_the_session_page_and_view_and_a_copied_link_opens_it(app_server, page, browser):
    page.goto(app_server)
    wait_for_app(page)
    sign_in(page, "dinsos", "dinsos-demo")
    nav_to(page, "Peta Kantong Kemiskinan")
    select_option(page, "Wilayah", UTARA)
    expect(page.get_by_role("combobox", name="Wilayah")).to_have_value(UTARA)
    assert "/peta" in page.url and "kec=64.72.05" in page.url
    cookie = next(c for c in page.context.cookies() if c["name"] == "nol_sesi")
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    link = page.url

    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Peta Kantong Kemiskinan")).to_be_visible()  # same page
    expect(page.get_by_role("combobox", name="Wilayah")).to_have_value(UTARA)  # same kecamatan
    expect(page.get_by_role("button", name="Keluar", exact=True)).to_be_visible()  # still signed in
    assert page.url == link
    no_page_not_found(page)

    # A colleague opens the copied link in a browser of their own: sign-in first, then the same view.
    other = browser.new_context(viewport=VIEWPORT, locale=LOCALE)
    try:
        fresh = other.new_page()
        fresh.goto(link)
        wait_for_app(fresh)
        expect(fresh.get_by_label("Kata sandi")).to_be_visible()
        no_page_not_found(fresh)
        sign_in(fresh, "walikota", "walikota-demo")
        expect(fresh.get_by_role("heading", name="Peta Kantong Kemiskinan")).to_be_visible()
        expect(fresh.get_by_role("combobox", name="Wilayah")).to_have_value(UTARA)
        assert "/peta" in fresh.url and "kec=64.72.05" in fresh.url
    finally:
        other.close()

    # Signing out ends the session for good: the cookie is gone and a reload asks for the password.
    page.get_by_role("button", name="Keluar", exact=True).click()
    wait_for_app(page)
    page.reload()
    wait_for_app(page)
    expect(page.get_by_label("Kata sandi")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "nol_sesi" and c["value"]]
