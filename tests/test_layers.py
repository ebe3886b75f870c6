"""The house rules that hold the layers apart: streamlit stays in the UI, and analytics/ has no import
cycle (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PACK_SCRIPT = """
import sys
from datetime import date
from pathlib import Path
from analytics import meeting, pack
from analytics.auth import User
from analytics.store import Store

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


def test_building_the_meeting_pack_does_not_import_streamlit(demo_db):
    """A PDF, HTML and XLSX pack built from a script (a cron job, the CLI) needs no streamlit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOL_EKSTREM_SECRET")}
    env["NOL_EKSTREM_DATA_DIR"] = str(demo_db.parent)
    last = _python(["-c", PACK_SCRIPT, str(demo_db)], env).strip().splitlines()[-1]
    assert last.startswith("False"), last


def test_the_command_line_does_not_import_streamlit():
    """`python -m analytics.cli --help` (and so every command's imports) runs without streamlit."""
    script = "import runpy, sys\nsys.argv = ['analytics.cli', '--help']\n"
    script += (
        "try:\n    runpy.run_module('analytics.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
    )
    script += "print('streamlit' in sys.modules)\n"
    assert _python(["-c", script]).strip().splitlines()[-1] == "False"
