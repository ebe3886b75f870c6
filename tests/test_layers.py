"""The house rules that hold the layers apart: streamlit stays in the UI, and analytics/ has no import
cycle (issue 18)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
m = agenda.build(store, date(2024, 6, 30), date(2024, 12, 31), User("dinsos1", "dinsos"))
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


def module_name(path: Path) -> str:
    """analytics/store/db.py -> 'store.db'; a package's __init__ is the package."""
    parts = path.relative_to(ROOT / "analytics").with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "analytics"


def import_graph() -> dict[str, set[str]]:
    """analytics module -> the analytics modules it imports, top-level and inside functions alike (a
    function-local import only hides a loop). Imports under `if TYPE_CHECKING:` never run, so they
    name a type for annotations and are not edges."""
    import ast

    paths = [p for p in sorted((ROOT / "analytics").rglob("*.py")) if "migrations" not in p.parts]
    names = {module_name(p) for p in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        me = module_name(path)
        found: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analytics"):
                targets = [f"{node.module}.{a.name}" for a in node.names]  # a module, or a name in one
            for target in targets:
                name = target.removeprefix("analytics.")
                while name not in names and "." in name:
                    name = name.rsplit(".", 1)[0]
                if name in names:
                    found.add(name)
        graph[me] = found - {me, "analytics"}
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


def test_analytics_has_no_import_cycle():
    """No module of analytics/ imports, directly or through others, a module that imports it back
    (a function-local import counts: it only hides the loop). The store, its manifest and the audit
    trail were the last loop: opening and adopting a store now live in analytics.store.opening."""
    graph = import_graph()
    assert graph["store.db"] >= {"store.areas"} and graph["pack"] >= {"meeting.model"}
    assert cycles(graph) == []


TOP_LEVEL_MODULES = 12  # issue 18: analytics/ holds packages by stage and a few shared modules


def test_analytics_keeps_few_top_level_modules():
    top = sorted(p.name for p in (ROOT / "analytics").glob("*.py"))
    assert len(top) <= TOP_LEVEL_MODULES, top


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint), "--config", str(root / ".importlinter"), "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_import_contracts_hold():
    """.importlinter: the stages as layers, read modules never import ingest, streamlit only in
    analytics.ui, no loop between sibling packages."""
    out = _lint_imports(ROOT)
    assert out.returncode == 0, out.stdout[-3000:]
    assert "4 kept, 0 broken" in out.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("store/sql.py", "import streamlit", "Only analytics.ui"),
        ("maps/words.py", "from analytics.ingest import registry", "Read modules never import"),
        ("burndown/progress.py", "from analytics.meeting import model", "Stages"),
    ],
)
def test_the_import_contracts_catch_a_broken_rule(tmp_path, module, line, contract):
    shutil.copytree(ROOT / "analytics", tmp_path / "analytics", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    target = tmp_path / "analytics" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    out = _lint_imports(tmp_path)
    assert out.returncode != 0
    broken = out.stdout.split("Broken contracts", 1)[1]
    assert contract in broken, out.stdout[-3000:]
