"""Prove the browser infrastructure on throwaway Streamlit scripts, independent of app.py."""

from __future__ import annotations

import struct
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import (
    choose_radio,
    click_button,
    download,
    metric_value,
    nav_to,
    open_tab,
    screenshot,
    select_option,
    start_streamlit,
    stop_streamlit,
    upload_file,
    wait_for_app,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

SMOKE_SCRIPT = """
import streamlit as st

st.title("Uji Asap")
fruit = st.selectbox("Pilih buah", ["Apel", "Pisang", "Mangga"])
if st.button("Tampilkan"):
    st.write(f"Buah terpilih: {fruit}")
"""

WIDGETS_SCRIPT = """
import streamlit as st


def home():
    st.title("Beranda Uji")
    mode = st.radio("Periode", ["Harian", "Bulanan"], horizontal=True)
    st.write(f"Periode: {mode}")
    one, two = st.tabs(["Ringkasan", "Rincian"])
    one.write("isi ringkasan")
    two.write("isi rincian")
    st.metric("Jumlah KK", "1.234", delta="5%")
    st.download_button("Unduh CSV", "a,b\\n1,2\\n", file_name="contoh.csv", mime="text/csv")
    upload = st.file_uploader("Unggah CSV", type=["csv"])
    if upload is not None:
        st.write(f"Diunggah {upload.name}: {len(upload.getvalue())} byte")
    for i in range(40):
        st.write(f"baris {i}")


def other():
    st.title("Halaman Lain")
    st.write("isi halaman lain")


st.navigation([
    st.Page(home, title="Beranda", url_path="beranda", default=True),
    st.Page(other, title="Lainnya", url_path="lain"),
]).run()
"""


def png_height(path: Path) -> int:
    """Pixel height of a PNG file, read from its IHDR chunk."""
    return int(struct.unpack(">I", path.read_bytes()[20:24])[0])


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Return a function that serves a script text with Streamlit and gives its URL."""
    procs = []

    def _serve(source: str) -> str:
        """Write `source` to a file in tmp_path, start Streamlit on it and return the base URL."""
        script = tmp_path / f"script_{len(procs)}.py"
        script.write_text(textwrap.dedent(source), encoding="utf-8")
        proc, url = start_streamlit(script, {}, log_path=script.with_suffix(".log"))
        procs.append(proc)
        return url

    yield _serve
    for proc in procs:
        stop_streamlit(proc)


def test_smoke_selectbox_and_button(
    serve: Callable[[str], str], page: Page, console_errors: list[str]
) -> None:
    """A throwaway app loads; choosing an option and clicking the button shows the text."""
    from playwright.sync_api import expect

    page.goto(serve(SMOKE_SCRIPT))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Uji Asap")).to_be_visible()
    expect(page.get_by_text("Buah terpilih")).to_have_count(0)

    select_option(page, "Pilih buah", "Pisang")
    assert page.get_by_role("combobox", name="Pilih buah").input_value() == "Pisang"
    click_button(page, "Tampilkan")

    expect(page.get_by_text("Buah terpilih: Pisang")).to_be_visible()
    shot = screenshot(page, "smoke_infra")
    assert shot.is_file() and shot.stat().st_size > 10_000
    assert console_errors == []


def test_widget_selector_recipes(
    serve: Callable[[str], str], page: Page, console_errors: list[str], tmp_path: Path
) -> None:
    """The selector recipes documented in conftest work on Streamlit's real widgets."""
    from playwright.sync_api import expect

    base = serve(WIDGETS_SCRIPT)
    page.goto(base)
    wait_for_app(page)

    choose_radio(page, "Periode", "Bulanan")
    expect(page.get_by_text("Periode: Bulanan")).to_be_visible()

    expect(page.get_by_text("isi rincian")).to_be_hidden()
    open_tab(page, "Rincian")
    expect(page.get_by_text("isi rincian")).to_be_visible()
    expect(page.get_by_role("tab", name="Rincian")).to_have_attribute("aria-selected", "true")

    assert metric_value(page, "Jumlah KK") == "1.234"

    name, content = download(page, "Unduh CSV")
    assert (name, content) == ("contoh.csv", b"a,b\n1,2\n")

    csv = tmp_path / "unggah.csv"
    csv.write_bytes(b"x,y\n1,2\n")
    upload_file(page, "Unggah CSV", csv)
    expect(page.get_by_text("Diunggah unggah.csv: 8 byte")).to_be_visible()
    expect(page.get_by_test_id("stFileChipName")).to_have_text("unggah.csv")

    shot = screenshot(page, "smoke_widgets_long_page")
    assert png_height(shot) > 900, "the screenshot should cover the whole scrolled page"

    nav_to(page, "Lainnya")
    expect(page.get_by_text("isi halaman lain")).to_be_visible()
    assert page.url == f"{base}/lain"
    current = page.get_by_test_id("stSidebarNavLink").filter(has_text="Lainnya")
    expect(current).to_have_attribute("aria-current", "page")

    nav_to(page, "Beranda")
    expect(page.get_by_role("heading", name="Beranda Uji")).to_be_visible()
    assert page.url == f"{base}/"

    page.goto(f"{base}/lain")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Halaman Lain")).to_be_visible()
    assert console_errors == []
