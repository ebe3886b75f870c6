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
        labels.append(str(button.get_by_role("button").get_attribute("aria-label")))  # "Search", ...
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


def press_while_over_the_table(page: Page, table, button) -> None:
    """Move the real pointer from the table (its toolbar showing) onto `button` and press there,
    as a person does: whatever lies on top at that point gets the click."""
    table.scroll_into_view_if_needed()
    box, area = button.bounding_box(), table.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # start on the table's first row straight above or below the button, as a hand would
    start = area["y"] + 20
    table.hover(position={"x": x - area["x"], "y": 20})
    expect(page.get_by_test_id("stElementToolbarButton").filter(visible=True).first).to_be_visible()
    for step in range(1, 9):  # at a hand's pace, so that the page follows the pointer
        page.mouse.move(x, start + (y - start) * step / 8)
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('[data-testid=stNumberInput]') != null", [x, y]
    )
    assert on_top, "the table's toolbar covers the page picker"
    page.mouse.click(x, y)
    wait_for_app(page)


def test_the_table_toolbar_leaves_the_page_buttons_clickable(app_server, page, console_errors):
    page.goto(app_server)
    wait_for_app(page)
    sign_in(page, "dinsos", "dinsos-demo")
    nav_to(page, "Perubahan")
    expect(page.get_by_text(re.compile(r"^Baris 1–100 dari [\d.]+$"))).to_be_visible()
    table = page.get_by_test_id("stDataFrame").filter(visible=True).last
    picker = page.get_by_test_id("stNumberInput").filter(has_text="Halaman")
    press_while_over_the_table(page, table, picker.get_by_test_id("stNumberInputStepUp"))
    expect(page.get_by_text(re.compile(r"^Baris 101–200 dari"))).to_be_visible()
    press_while_over_the_table(page, table, picker.get_by_test_id("stNumberInputStepDown"))
    expect(page.get_by_text(re.compile(r"^Baris 1–100 dari"))).to_be_visible()
    print("screenshot:", screenshot(page, "perubahan_toolbar_paging"))
    assert console_errors == []
