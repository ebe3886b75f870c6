"""The file uploader's dropzone speaks the chosen language (issue 17, "One language at a time").

Streamlit writes "Upload" and "50MB per file • XLSX, CSV" in English and offers no parameter for
them; analytics.ui.file_uploader hides those texts and shows the locale files' text in their place.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from analytics import i18n
from tests.browser.conftest import choose_radio, nav_to, screenshot, select_option, sign_in, wait_for_app

SHOWN = """el => {
  const after = getComputedStyle(el, '::after').content.replace(/^"|"$/g, '');
  return getComputedStyle(el).fontSize === '0px' ? after : el.textContent + after;
}"""


def dropzone_texts(page: Page, label: str) -> tuple[str, str]:
    """What the reader sees on the uploader's button and size line (text or CSS ::after content)."""
    uploader = page.get_by_test_id("stFileUploader").filter(has_text=label)
    button = uploader.get_by_test_id("stFileUploaderDropzone").locator("button p").first
    limit = uploader.get_by_test_id("stFileUploaderDropzoneInstructions").locator("span").first
    return button.evaluate(SHOWN), limit.evaluate(SHOWN)


def test_the_uploader_follows_the_language(app_server, page, console_errors):
    page.goto(app_server)
    wait_for_app(page)
    sign_in(page, "dinsos", "dinsos-demo")
    nav_to(page, "Data & Impor")
    label = i18n.text("id", "data.file")
    assert dropzone_texts(page, label) == ("Pilih berkas", "Maks. 50 MB per berkas • XLSX, CSV")
    choose_radio(page, "Bahasa / Language", "English")
    expect(page.get_by_role("heading", name="Data & Import")).to_be_visible()
    label = i18n.text("en", "data.file")
    assert dropzone_texts(page, label) == ("Choose file", "Max. 50 MB per file • XLSX, CSV")
    print("screenshot:", screenshot(page, "uploader_english"))
    assert console_errors == []


def test_a_chosen_date_survives_the_language_switch(app_server, page, console_errors):
    """Dates are shown in the language in force, so a date selectbox's option texts change with it;
    the chosen date stays chosen (the view state in the URL keeps it), shown in the new language."""
    page.goto(app_server)
    wait_for_app(page)
    sign_in(page, "dinsos", "dinsos-demo")
    nav_to(page, "Perubahan")
    select_option(page, i18n.text("id", "perubahan.from"), "31 Mei 2023")
    choose_radio(page, "Bahasa / Language", "English")
    expect(page.get_by_role("heading", name=i18n.text("en", "perubahan.title"))).to_be_visible()
    box = page.get_by_role("combobox", name=i18n.text("en", "perubahan.from"), exact=True)
    assert box.input_value() == "31 May 2023"
    assert page.get_by_test_id("stException").count() == 0
    choose_radio(page, "Bahasa / Language", "Bahasa Indonesia")
    box = page.get_by_role("combobox", name=i18n.text("id", "perubahan.from"), exact=True)
    assert box.input_value() == "31 Mei 2023"
    assert console_errors == []
