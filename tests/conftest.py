"""Shared fixtures: an empty in-memory store with the real Samarinda areas."""

from __future__ import annotations

import pytest

from analytics.store.db import Store

TEST_SECRET = "kunci-uji-nol-ekstrem-bukan-untuk-data-asli-0123456789"


@pytest.fixture(autouse=True)
def nik_secret(request, monkeypatch):
    """Every test imports under a test NIK key, as a real deployment must (real files are refused
    under the public demo key). Mark a test `no_secret` to run it with no key configured, as a
    fresh checkout does (the demo store and its accounts)."""
    monkeypatch.delenv("NOL_EKSTREM_SECRET_FILE", raising=False)
    if request.node.get_closest_marker("no_secret"):
        monkeypatch.delenv("NOL_EKSTREM_SECRET", raising=False)
    else:
        monkeypatch.setenv("NOL_EKSTREM_SECRET", TEST_SECRET)


@pytest.fixture(autouse=True)
def session_key_file(tmp_path_factory, monkeypatch):
    """Session cookies are signed with a key kept in a file: the tests' one lives in a temporary
    folder, never in the checkout's data folder."""
    folder = tmp_path_factory.getbasetemp() / "sesi"
    folder.mkdir(exist_ok=True)
    monkeypatch.setenv("NOL_EKSTREM_SESSION_KEY_FILE", str(folder / "sesi.key"))


@pytest.fixture
def store():
    """A fresh in-memory store, migrated, with the 10 kecamatan and 59 kelurahan loaded."""
    s = Store.open(None)
    yield s
    s._con.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """A store file built once per session from the demo generator (the first-run path)."""
    import os

    from analytics.ingest import bootstrap

    folder = tmp_path_factory.mktemp("demo")
    names = ("NOL_EKSTREM_DATA_DIR", "NOL_EKSTREM_SECRET", "NOL_EKSTREM_SECRET_FILE")
    old = {name: os.environ.get(name) for name in names}
    os.environ["NOL_EKSTREM_DATA_DIR"] = str(folder)
    os.environ.pop("NOL_EKSTREM_SECRET", None)  # the demo build runs under the demo key
    os.environ.pop("NOL_EKSTREM_SECRET_FILE", None)
    try:
        path = folder / "demo.duckdb"
        s = Store.open(path)
        bootstrap.build_demo(s)
        s.close()
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return path


@pytest.fixture
def demo_app(demo_db, monkeypatch):
    """Environment for an AppTest against the shared demo store (under the demo key, as built)."""
    monkeypatch.delenv("NOL_EKSTREM_SECRET", raising=False)
    monkeypatch.setenv("NOL_EKSTREM_DB", str(demo_db))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(demo_db.parent))
    return demo_db


PASSWORD = "rahasia-123"
ACCOUNTS = {"walikota1": "walikota", "dinsos1": "dinsos", "opd1": "opd:DISKOPUKM", "admin1": "admin"}


@pytest.fixture
def accounts(tmp_path, monkeypatch):
    """An accounts file with one user per role, all with the password PASSWORD."""
    from analytics.access import auth

    monkeypatch.setenv("NOL_EKSTREM_USERS", str(tmp_path / "pengguna.json"))
    for name, role in ACCOUNTS.items():
        auth.add_user(name, role, PASSWORD)
    return ACCOUNTS
