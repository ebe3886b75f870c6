"""One download path, in a real browser (issue 16 item 7): no table's own toolbar offers a CSV
download (only the audited, suppressed buttons below each table do), and the hover toolbar of a
paged table does not cover the page picker's -/+ buttons."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import nav_to, screenshot, sign_in, wait_for_app

DOWNLOAD = re.compile(r"download|unduh|csv", re.IGNORECASE)


def toolbar_labels(page: Page, frame) -> list[str]:
    """Hover one st.dataframe and return the labels of its toolbar's buttons."""
    frame.scroll_into_view_if_needed()
    frame.hover(position={"x": 40, "y": 20})
    # only the hovered table's toolbar is shown (search, full screen, ...); it must show at all
    buttons = page.get_by_test_id("stElementToolbarButton").filter(visible=True)
    expect(buttons.first).to_be_visible()
    labels = []
    for i in range(buttons.count()):
        button = buttons.nth(i)
        parts = [button.get_attribute("aria-label"), button.inner_text(), button.get_attribute("title")]
        labels.append(" ".join(filter(None, parts)))
    return labels


def test_no_dataframe_shows_its_own_download_button(app_server, page, console_errors):
    page.goto(app_server)
    wait_for_app(page)
    sign_in(page, "dinsos", "dinsos-demo")
    for title in ("Perubahan", "Peta Kantong Kemiskinan"):
        nav_to(page, title)
        frames = page.get_by_test_id("stDataFrame").filter(visible=True)  # not in closed expanders
        expect(frames.first).to_be_visible()
        assert frames.count() > 0, title
        for i in range(frames.count()):
            labels = toolbar_labels(page, frames.nth(i))
            assert labels, (title, i)
            assert not [label for label in labels if DOWNLOAD.search(label)], (title, i, labels)
        # the audited downloads are still there
        expect(page.get_by_test_id("stDownloadButton").filter(visible=True).first).to_be_visible()
    assert console_errors == []


def test_the_table_toolbar_leaves_the_page_buttons_clickable(app_server, page, console_errors):
    page.goto(app_server)
    wait_for_app(page)
    sign_in(page, "dinsos", "dinsos-demo")
    nav_to(page, "Perubahan")
    expect(page.get_by_text(re.compile(r"^Baris 1–100 dari [\d.]+$"))).to_be_visible()
    table = page.get_by_test_id("stDataFrame").filter(visible=True).last
    table.hover()  # the toolbar shows while the pointer is over the table ...
    step_up = (
        page.get_by_test_id("stNumberInput").filter(has_text="Halaman").get_by_test_id("stNumberInputStepUp")
    )
    # ... and a click that lands on something else (the toolbar) fails Playwright's hit check
    step_up.click(timeout=5_000)
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Baris 101–200 dari"))).to_be_visible()
    table.hover()
    page.get_by_test_id("stNumberInput").filter(has_text="Halaman").get_by_test_id(
        "stNumberInputStepDown"
    ).click(timeout=5_000)
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Baris 1–100 dari"))).to_be_visible()
    print("screenshot:", screenshot(page, "perubahan_toolbar_paging"))
    assert console_errors == []
