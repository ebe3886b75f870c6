"""Shared fixtures: an empty in-memory store with the real Samarinda areas."""

from __future__ import annotations

import pytest

from analytics.store import Store


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

    from analytics import bootstrap

    folder = tmp_path_factory.mktemp("demo")
    old = os.environ.get("NOL_EKSTREM_DATA_DIR")
    os.environ["NOL_EKSTREM_DATA_DIR"] = str(folder)
    try:
        path = folder / "demo.duckdb"
        s = Store.open(path)
        bootstrap.build_demo(s)
        s.close()
    finally:
        if old is None:
            os.environ.pop("NOL_EKSTREM_DATA_DIR", None)
        else:
            os.environ["NOL_EKSTREM_DATA_DIR"] = old
    return path


@pytest.fixture
def demo_app(demo_db, monkeypatch):
    """Environment for an AppTest against the shared demo store."""
    monkeypatch.setenv("NOL_EKSTREM_DB", str(demo_db))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(demo_db.parent))
    return demo_db


PASSWORD = "rahasia-123"
ACCOUNTS = {"walikota1": "walikota", "dinsos1": "dinsos", "opd1": "opd:DISKOPUKM", "admin1": "admin"}


@pytest.fixture
def accounts(tmp_path, monkeypatch):
    """An accounts file with one user per role, all with the password PASSWORD."""
    from analytics import auth

    monkeypatch.setenv("NOL_EKSTREM_USERS", str(tmp_path / "pengguna.json"))
    for name, role in ACCOUNTS.items():
        auth.add_user(name, role, PASSWORD)
    return ACCOUNTS
