"""One download path (issue 16 item 7): every table goes through analytics.ui, whose downloads are
suppressed for the role and audited; Streamlit's own table toolbar offers no "Download as CSV"."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Streamlit table elements: each has its own toolbar (and, unless turned off, its own CSV download).
# `.table` is also the disclosure policy's and the PDF's method, so it counts only on `st` itself.
TABLE_CALLS = {"dataframe", "data_editor"}
HELPERS = ROOT / "analytics" / "ui" / "__init__.py"  # the one module that may call st.dataframe


def direct_table_calls(path: Path) -> list[str]:
    """(file:line: call) of every `<x>.dataframe(...)` or `<x>.data_editor(...)` whose receiver is
    not the ui helpers module, and every `st.table(...)`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = node.func.value
        on_st = isinstance(receiver, ast.Name) and receiver.id == "st"
        if node.func.attr not in TABLE_CALLS and not (node.func.attr == "table" and on_st):
            continue
        if isinstance(receiver, ast.Name) and receiver.id == "ui":
            continue
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
        found.append(f"{where}:{node.lineno}: {ast.unparse(node.func)}(...)")
    return found


def ui_files() -> list[Path]:
    """The entry file, every page and every analytics module that draws on screen."""
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    return files + [p for p in sorted((ROOT / "analytics").rglob("*.py")) if p != HELPERS]


def test_the_check_finds_a_direct_table_call(tmp_path):
    page = tmp_path / "probe.py"
    page.write_text(
        "import streamlit as st\nfrom analytics import ui\n"
        "ui.dataframe(df, key='a')\nui.table(df, 'x', key='b')\n"
        "st.dataframe(df)\ncolumn.data_editor(df)\nst.table(df)\n",
        encoding="utf-8",
    )
    calls = [hit.split(": ")[1] for hit in direct_table_calls(page)]
    assert calls == ["st.dataframe(...)", "column.data_editor(...)", "st.table(...)"]


def test_no_page_calls_st_dataframe_directly():
    """Only analytics/ui/__init__.py calls st.dataframe: the role's suppression, id-ID formats and the
    audited downloads come with every table."""
    hits = [hit for path in ui_files() for hit in direct_table_calls(path)]
    assert hits == [], "use ui.dataframe / ui.table / ui.paged_table instead:\n" + "\n".join(hits)


def test_streamlit_config_turns_off_the_table_toolbar_download():
    """client.disableDataExport hides the "Download as CSV" button (and clipboard copy) of every
    st.dataframe; the browser test checks that no such button shows."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
