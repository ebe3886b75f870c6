"""The house rules that hold the layers apart: streamlit stays in the UI, and analytics/ has no import
cycle (issue 18)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PACK_SCRIPT = """
import sys
from datetime import date
from pathlib import Path
from analytics import pack
from analytics.meeting import agenda
from analytics.access.auth import User
from analytics.store.db import Store

store = Store.open(Path(sys.argv[1]))
m = meeting.build(store, date(2024, 6, 30), date(2024, 12, 31), User("dinsos1", "dinsos"))
sizes = [len(pack.build(m, kind, "dinsos")) for kind in ("xlsx", "html", "pdf")]
assert all(sizes), sizes
print("streamlit" in sys.modules, sorted(n for n in sys.modules if n.startswith("streamlit"))[:3])
"""

CLI_SCRIPT = """
import runpy, sys
sys.argv = ["analytics.cli", "--help"]
try:
    runpy.run_module("analytics.cli", run_name="__main__")
except SystemExit:
    pass
print("streamlit" in sys.modules)
"""


def _python(args: list[str], env: dict[str, str] | None = None) -> str:
    out = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_building_the_meeting_pack_does_not_import_streamlit(demo_db, tmp_path):
    """A PDF, HTML and XLSX pack built from a script (a cron job, the CLI) needs no streamlit."""
    copy = tmp_path / demo_db.name  # an AppTest of this session may hold the shared file open
    for path in demo_db.parent.glob(demo_db.name + "*"):
        shutil.copy(path, tmp_path / path.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOL_EKSTREM_SECRET")}
    env["NOL_EKSTREM_DATA_DIR"] = str(tmp_path)
    last = _python(["-c", PACK_SCRIPT, str(copy)], env).strip().splitlines()[-1]
    assert last.startswith("False"), last


def test_the_command_line_does_not_import_streamlit():
    """`python -m analytics.cli --help` (and so every command's imports) runs without streamlit."""
    script = "import runpy, sys\nsys.argv = ['analytics.cli', '--help']\n"
    script += (
        "try:\n    runpy.run_module('analytics.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
    )
    script += "print('streamlit' in sys.modules)\n"
    assert _python(["-c", script]).strip().splitlines()[-1] == "False"


def import_graph() -> dict[str, set[str]]:
    """analytics module -> the analytics modules it imports: top-level, inside functions and under
    TYPE_CHECKING alike (a local or type-only import only hides a loop)."""
    import ast

    package = ROOT / "analytics"
    names = {p.stem for p in package.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("analytics."))
            elif isinstance(node, ast.ImportFrom) and node.module == "analytics":
                found.update(a.name for a in node.names if a.name in names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analytics."):
                found.add(node.module.split(".")[1])
        graph[path.stem] = found & names - {path.stem, "__init__"}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_sees_a_loop_through_a_local_import():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


# The store, its manifest and the audit chain still lean on each other (issue 14's safety machinery:
# Store.__init__ makes a manifest.Journal, the manifest checks the audit chain, the audit log anchors
# in the manifest). Named here so that no new loop joins them unseen; to be broken in the moves.
KNOWN = [["audit", "manifest", "store"]]


def test_analytics_has_no_import_cycle():
    """No module of analytics/ imports, directly or through others, a module that imports it back
    (a function-local or type-only import counts: it only hides the loop)."""
    graph = import_graph()
    assert graph["store"] >= {"areas"} and graph["pack"] >= {"meeting"}
    assert [c for c in cycles(graph) if c not in KNOWN] == []


SQL_START = re.compile(r"^\s*(select|insert|delete|update|create|drop|with)\s")  # SQL here is lower case


def inline_sql(path: Path) -> list[str]:
    """String literals in a module that start like a SQL statement."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    texts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    texts += [
        "".join(str(v.value) for v in n.values if isinstance(v, ast.Constant))
        for n in ast.walk(tree)
        if isinstance(n, ast.JoinedStr)
    ]
    return [t for t in texts if SQL_START.match(t)]


# Modules that still hold inline SQL (issue 18, item 6, goes on in the moves); no other module may
# gain any: they run named queries from analytics/queries only.
STILL_INLINE = {"audit", "bootstrap", "manifest", "privacy", "settings", "store"}


def test_modules_run_named_queries_not_inline_sql():
    found = {p.stem: inline_sql(p) for p in sorted((ROOT / "analytics").glob("*.py"))}
    assert inline_sql(ROOT / "analytics" / "areas.py") == [] and found["store"]
    assert {name: sql for name, sql in found.items() if sql and name not in STILL_INLINE} == {}


# The modules of analytics/ that may import streamlit (issue 18: streamlit stays in the UI).
UI_MODULES = {"ui", "ui_inbox", "ui_upload", "view_state"}


def test_only_the_ui_modules_import_streamlit():
    import ast

    importers = set()
    for path in sorted((ROOT / "analytics").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                importers.add(path.stem)
    assert "ui" in importers and importers <= UI_MODULES


# The importers (write side) and the modules that read for pages, maps, meetings and packs.
WRITE_MODULES = {"interventions", "population", "registry", "rebuild", "inbox", "bootstrap"}
READ_MODULES = {"opd", "opd_charts", "map_metrics", "map_build", "map_tables", "maps", "population_data"}
READ_MODULES |= {"meeting_opd", "meeting_model", "pack", "pack_parts", "pack_html", "pack_pdf", "frames"}
READ_MODULES |= {"burndown", "budget", "catalog", "domain", "measures", "tables"}


def test_read_modules_do_not_import_the_importers():
    """Constants (STRATEGIES) and read functions (population per area) live on the read side."""
    graph = import_graph()
    assert READ_MODULES <= set(graph)
    assert {m: sorted(graph[m] & WRITE_MODULES) for m in READ_MODULES if graph[m] & WRITE_MODULES} == {}
