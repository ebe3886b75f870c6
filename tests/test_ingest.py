"""The write side has one shape (issue 18 item 1): one refusal type, one import-log insert, one
Importer protocol that rebuild, inbox and the upload flow look up by kind."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd

from analytics.ingest import base, inbox, interventions, kinds, population, rebuild, registry, verval
from analytics.store import archive
from tests.helpers import BASE, write_csv
from tests.test_population import GOOD, write

ANALYTICS = Path(__file__).resolve().parent.parent / "analytics"


def test_every_import_kind_is_an_importer_found_by_its_kind():
    assert set(kinds.KINDS) == {"registri", "intervensi", "penduduk", "verval"}
    for kind, importer in kinds.KINDS.items():
        assert isinstance(importer, base.Importer)
        assert importer.kind == kind


def test_one_refusal_type_for_every_importer():
    assert registry.ImportRefused is base.ImportRefused
    assert interventions.ImportRefused is base.ImportRefused
    assert population.ImportRefused is base.ImportRefused
    assert verval.ImportRefused is base.ImportRefused


def test_the_import_log_is_written_by_one_named_query():
    writers = [
        str(p.relative_to(ANALYTICS))
        for p in sorted(ANALYTICS.rglob("*"))
        if p.suffix in (".py", ".sql") and "migrations" not in p.parts
        if "into import_log (" in p.read_text(encoding="utf-8")
    ]
    assert writers == ["queries/import_log_insert.sql"]


def test_population_commit_keeps_the_given_import_time(store, tmp_path):
    path = write(tmp_path / "bps.csv", GOOD)
    prepared = population.prepare(store, path.read_bytes(), path.name)
    when = datetime(2023, 5, 6, 7, 8, 9)
    population.commit(store, prepared, "uji", imported_at=when)
    assert store.query("population_file_by_sha", sha256=prepared.sha256)["imported_at"].tolist() == [
        pd.Timestamp(when)
    ]


class _Fake:
    """A new import kind, known only to KINDS: nothing else is edited for it."""

    kind = "uji"
    prepare_options = ()

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def prepare(self, store, data, file_name, *, user=None, **options):
        raise NotImplementedError

    def preview(self, store, prepared):
        raise NotImplementedError

    def commit(self, store, prepared, **options):
        raise NotImplementedError

    def import_bytes(self, store, data, file_name, *, user=None, **options):
        self.calls.append(("import", file_name, data, options))
        return len(data)

    def replay(self, store, meta, rows):
        self.calls.append(("replay", meta.file_name, meta.imported_at, len(rows)))

    def ticket(self, spec):
        return {"angka": int(spec.get("angka") or 0)}

    def outcome(self, result):
        return "diimpor", "", "", f"{result} bita"


def test_a_new_kind_is_replayed_and_taken_from_the_inbox_without_editing_them(store, tmp_path, monkeypatch):
    fake = _Fake()
    monkeypatch.setitem(kinds.KINDS, "uji", fake)
    assert isinstance(fake, base.Importer)
    # rebuild: an archived file of the new kind goes to its importer's replay
    prepared = population.prepare(store, write(tmp_path / "p.csv", GOOD).read_bytes(), "p.csv")
    meta = archive.describe("uji", prepared, user="uji", imported_at=datetime(2024, 1, 2, 3, 4, 5))
    rebuild._replay(store, meta, prepared.rows)
    assert fake.calls == [("replay", "p.csv", "2024-01-02T03:04:05", 2)]
    # inbox: a ticket of the new kind is imported through its importer, with the ticket's options
    db = tmp_path / "kotak.duckdb"
    file = tmp_path / "isi.txt"
    file.write_bytes(b"12345")
    box = inbox.folder_for(db)
    ticket = inbox.submit(db, file, kind="uji")
    spec = json.loads((box / f"{ticket}.json").read_text())
    (box / f"{ticket}.json").write_text(json.dumps(spec | {"angka": "7"}))
    store.path = db
    try:
        outcomes = inbox.process(store)
    finally:
        store.path = None
    assert [(o.kind, o.status, o.message) for o in outcomes] == [("uji", "diimpor", "5 bita")]
    assert fake.calls[-1] == ("import", "isi.txt", b"12345", {"angka": 7})


def test_cli_import_goes_through_the_importer(tmp_path, monkeypatch):
    from analytics import cli

    seen = []
    real = kinds.KINDS["registri"].import_bytes

    def spy(store, data, file_name, **options):
        seen.append((file_name, sorted(options)))
        return real(store, data, file_name, **options)

    monkeypatch.setattr(kinds.KINDS["registri"], "import_bytes", spy)
    path = write_csv(tmp_path / "a.csv", BASE)
    db = tmp_path / "cli.duckdb"
    assert cli.main(["--db", str(db), "impor", str(path), "--tanggal", "2022-11-30"]) == 0
    assert seen == [("a.csv", ["as_of", "confirmed", "format", "progress", "replace", "user"])]
