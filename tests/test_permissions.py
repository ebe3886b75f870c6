"""Runtime files are readable by their owner only: 0600 files in 0700 folders (issue 14, item 4)."""

from __future__ import annotations

import io
import os
import stat
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics import cli, config, users
from analytics.ingest import inbox
from analytics.store import audit, manifest
from analytics.store.db import Store, archive_dir_for
from tests.helpers import BASE, page_path, write_csv


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def usual_umask():
    """A process started with the usual umask 022 (files 0644); restored afterwards, since the entry
    points under test tighten the umask of the whole process."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A data folder of its own with the store, accounts file and inbox inside."""
    folder = tmp_path / "data"
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(folder))
    monkeypatch.setenv("NOL_EKSTREM_DB", str(folder / "nol.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_USERS", str(folder / "pengguna.json"))
    return folder


def runtime_files(db) -> list:
    files = [db, manifest.path_for(db)]
    for top in (archive_dir_for(db).parent, inbox.folder_for(db).parent):
        files += [p for p in top.rglob("*")]
    return files


def test_cli_creates_the_store_archive_manifest_and_inbox_private(data, tmp_path, usual_umask):
    db = data / "nol.duckdb"
    args = ["--db", str(db), "impor", str(write_csv(tmp_path / "p3ke.csv", BASE)), "--tanggal", "2022-11-30"]
    assert cli.main(args) == 0
    inbox.submit(db, write_csv(tmp_path / "p3ke2.csv", BASE[:4]), date(2022, 12, 31), False, "ani")
    paths = runtime_files(db)
    assert any(p.suffix == ".parquet" for p in paths) and any(p.name.endswith(".json") for p in paths)
    assert {str(p): oct(mode(p)) for p in paths if p.is_file() and mode(p) != 0o600} == {}
    folders = [data, *(p for p in paths if p.is_dir())]
    assert {str(p): oct(mode(p)) for p in folders if mode(p) != 0o700} == {}


def test_the_wal_and_the_accounts_file_are_private(data, usual_umask, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("kata-sandi-ani\n"))
    assert users.main(["tambah", "ani", "--peran", "dinsos", "--kata-sandi-stdin"]) == 0
    assert mode(data) == 0o700 and mode(data / "pengguna.json") == 0o600
    store = Store.open(data / "nol.duckdb")
    try:
        audit.log(store, "ani", "dinsos", "masuk")  # committed, not yet checkpointed: in the WAL
        wal = data / "nol.duckdb.wal"
        assert wal.exists() and mode(wal) == 0o600
    finally:
        store.close()


def _loosen(db) -> list:
    """Make an existing store's runtime files 0644 and folders 0755, as older versions left them."""
    paths = [p for p in [db, *runtime_files(db), config.data_dir() / "pengguna.json"] if p.exists()]
    for p in paths:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    return paths


def test_existing_world_readable_files_are_fixed_when_the_cli_opens_the_store(
    data, tmp_path, usual_umask, caplog
):
    db = data / "nol.duckdb"
    args = ["--db", str(db), "impor", str(write_csv(tmp_path / "p3ke.csv", BASE)), "--tanggal", "2022-11-30"]
    assert cli.main(args) == 0
    (data / "pengguna.json").write_text('{"pengguna": {}}')
    inbox.submit(db, write_csv(tmp_path / "p3ke2.csv", BASE[:4]), date(2022, 12, 31), False, "ani")
    paths = _loosen(db)
    assert len(paths) > 8  # store, manifest, accounts, archive and inbox files and their folders
    public = config.ROOT / "data" / "kelurahan_alias.csv"
    public_mode = mode(public)
    with caplog.at_level("WARNING"):
        assert cli.main(["--db", str(db), "periksa"]) == 0
    assert {str(p) for p in paths if mode(p) != (0o700 if p.is_dir() else 0o600)} == set()
    assert "hak akses diperketat" in caplog.text
    assert mode(public) == public_mode  # public inputs in the checkout are left alone


def test_existing_world_readable_files_are_fixed_when_the_app_opens_the_store(data, tmp_path, usual_umask):
    db = data / "nol.duckdb"
    args = ["--db", str(db), "impor", str(write_csv(tmp_path / "p3ke.csv", BASE)), "--tanggal", "2022-11-30"]
    assert cli.main(args) == 0
    (data / "pengguna.json").write_text('{"pengguna": {}}')
    os.umask(0o022)
    paths = _loosen(db)
    at = AppTest.from_file(page_path("masuk.py"), default_timeout=60).run()
    assert not at.exception
    assert {str(p) for p in paths if mode(p) != (0o700 if p.is_dir() else 0o600)} == set()
    assert mode(db) == 0o600 and mode(data / "pengguna.json") == 0o600
