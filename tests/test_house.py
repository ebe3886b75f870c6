"""House rules of the code itself (issue 18): SQL lives in analytics/queries as named queries."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ANALYTICS = Path(__file__).resolve().parent.parent / "analytics"
# A string constant that starts like an SQL statement (docstrings are not looked at).
SQL = re.compile(
    r"^\s*(select\s+.*?(\bfrom\b|\()|insert\s+(or\s+\w+\s+)?into\b|update\s+\w+\s+set\b|delete\s+from\b"
    r"|create\s+(or\s+replace\s+)?(temp\s+|temporary\s+)?(table|view|sequence|index)\b|drop\s+(table|view)\b"
    r"|alter\s+table\b|with\s+\w+\s+as\s*\()",
    re.IGNORECASE | re.DOTALL,
)
# Modules that still hold inline SQL, each with why; the lead empties this list as they are converted.
ALLOWED = {
    "store/db.py": "the store itself: connection, migrations runner, transactions",
    # checksums built per column of the store's own tables: identifiers, not values, so no bound form
    "store/manifest.py": "per-column checksum SQL over the store's own tables (identifiers, not values)",
}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def inline_sql(path: Path) -> list[str]:
    """(line: text) of every string constant in a module that starts like an SQL statement."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    skip |= {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # an f-string: its first literal part
            first = node.values[0] if node.values else None
            text = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
        else:
            continue
        if SQL.match(text):
            found.append(f"{path.name}:{node.lineno}: {text.strip()[:60]}")
    return sorted(found, key=lambda hit: int(hit.split(":")[1]))


def test_the_check_finds_inline_sql_and_passes_docstrings_and_text(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Docs: select the rows from the list."""\n'
        'a = "select value from setting where key = ?"\n'
        'b = f"delete from {table}"\n'
        'c = "Pilih berkas yang akan diimpor"\n'
        'd = "insert or replace into setting values (?, ?)"\n'
        'e = "update the page, then select a file"\n',
        encoding="utf-8",
    )
    assert [hit.split(":", 1)[1] for hit in inline_sql(sample)] == [
        "2: select value from setting where key = ?",
        "3: delete from",
        "5: insert or replace into setting values (?, ?)",
    ]


def _rel(path: Path) -> str:
    return path.relative_to(ANALYTICS).as_posix()


def test_no_inline_sql_outside_named_queries():
    modules = [p for p in sorted(ANALYTICS.rglob("*.py")) if "migrations" not in p.parts]
    found = [hit for path in modules if _rel(path) not in ALLOWED for hit in inline_sql(path)]
    assert found == [], "SQL belongs in analytics/queries/<name>.sql:\n" + "\n".join(found)
