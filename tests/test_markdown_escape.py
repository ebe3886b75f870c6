"""Values from a file or a user are shown literally, never as Markdown (issue 14, item 13).

A backtick in a cell used to leave the code span the validation message put it in, so an image
(fetched by the browser) and a link in the cell were rendered on the Data & Impor page.
"""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics import formatting as fmt
from tests.helpers import BASE, login, page_path, write_csv

INJECTION = "x` ![a](http://example.invalid/x.png) [l](http://e.invalid)"


def unsafe(body: str) -> list[str]:
    """The Markdown constructs that would render an image, a link or a code span from a value."""
    return [c for c in ("![", "](", "`") if c in body.replace("\\`", "")]


@pytest.mark.parametrize(
    "value",
    [
        INJECTION,
        "# judul",
        "1. daftar",
        "- butir",
        ":red[merah]",
        "$x^2$",
        "<img src=x>",
        "a\nb",
        "www.e.invalid",
    ],
)
def test_md_leaves_no_markdown_construct(value):
    shown = fmt.md(value)
    assert "\n" not in shown and not unsafe(shown)
    assert shown.replace("\\", "") == value.replace("\n", " ")  # the same text, only escaped


@pytest.fixture
def app_env(tmp_path, monkeypatch, accounts):
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "page.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    monkeypatch.setenv("NOL_EKSTREM_SECRET", "kunci-uji-markdown")
    return tmp_path


def test_a_cell_and_a_file_name_with_markdown_show_literally_on_the_data_page(app_env):
    rows = [r.copy() for r in BASE]
    rows[0][1] = "6472999999" + INJECTION  # an unknown Kode Kemdagri: the report quotes the cell
    data = write_csv(app_env / "x.csv", rows).read_bytes()
    name = "p3ke `a` ![i](x.png) [l](e.invalid).csv"  # no "/": a path is cut to its last part
    at = login(AppTest.from_file(page_path("data_impor.py"), default_timeout=60), "dinsos1").run()
    at.file_uploader(key="data_upload").set_value((name, data, "text/csv"))
    at.date_input(key="data_as_of").set_value(date(2022, 11, 30))
    at.run()
    at.button(key="data_check").click().run()
    assert not at.exception
    body = at.error[0].value
    assert not unsafe(body), body
    assert fmt.md("6472999999" + INJECTION) in body and fmt.md(name) in body
