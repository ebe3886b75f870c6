#!/usr/bin/env python3
"""The two set-up commands: `python3 dev.py app` runs the app, `python3 dev.py test` runs the tests.

Both create ./.venv on first use (Python 3.11 standard library only) and install the pinned
requirements into it; they reinstall when a requirements file changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"


def ensure_venv(requirements: str) -> None:
    """Create the virtualenv and install the requirements file when it changed."""
    if not PY.exists():
        print("Membuat virtualenv .venv …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    files = [ROOT / "requirements.txt", ROOT / requirements]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Memasang dependensi dari {requirements} …", flush=True)
    subprocess.run([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run([str(PY), "-m", "pip", "install", "-q", "-r", str(ROOT / requirements)], check=True)
    stamp.write_text(digest)


def ensure_browser() -> None:
    """Install Debian's Chromium and poppler-utils for the tests when we may (root + apt; idempotent)."""
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["bash", str(ROOT / "scripts" / "install_browser.sh")], check=True)
    elif not (shutil.which("chromium") or os.environ.get("NOL_CHROMIUM")):
        print("Chromium tidak ada dan tidak bisa dipasang (bukan root): uji peramban dilewati.")


def main(argv: list[str]) -> int:
    """Dispatch `app` or `test`; extra arguments go to streamlit or pytest."""
    if not argv or argv[0] not in ("app", "test"):
        print(__doc__)
        return 2
    os.chdir(ROOT)
    if argv[0] == "app":
        ensure_venv("requirements.txt")
        cmd = [str(PY), "-m", "streamlit", "run", "app.py", "--browser.gatherUsageStats", "false"]
        return subprocess.call(cmd + argv[1:])
    ensure_venv("requirements-dev.txt")
    ensure_browser()
    return subprocess.call([str(PY), "-m", "pytest", *argv[1:]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
