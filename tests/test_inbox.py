"""The command-line inbox and the store lock: a bad item never stops the app, only DinsosPM sees
the outcomes, the command line hands over only to the running app (any other holder is waited
for, then refused), bangun-ulang never renames a store in use, and what the command line does is
in the audit log under the OS user, with the file's SHA-256.

Stores here are small (tests.helpers.BASE, five people) and built under a non-demo secret, the
same one the command-line subprocesses get.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.ingest import inbox, registry
from analytics.store import audit, holder, manifest, opening
from analytics.store.db import Store
from tests.helpers import BASE, login, page_path, write_csv
from tests.test_interventions import DISKOP, catalog, import_snapshots, s1_rows, write_itv  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
D0, S1 = date(2022, 11, 30), date(2023, 3, 31)
SECRET = "rahasia-uji-inbox-bukan-untuk-data-asli"
# Holds the store read-write (as a second command-line import would) until told to let go.
HOLDER = textwrap.dedent(
    """
    import sys
    from analytics.store.db import Store

    store = Store.open(sys.argv[1])
    print("holding", flush=True)
    sys.stdin.readline()
    store.close()
    """
)


@pytest.fixture
def env(tmp_path, monkeypatch, accounts):
    """A store file with snapshot D0 (BASE), demo data off, a real-data secret; returns its path."""
    db = tmp_path / "kotak.duckdb"
    monkeypatch.setenv("NOL_EKSTREM_DB", str(db))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    monkeypatch.setenv("NOL_EKSTREM_SECRET", SECRET)
    store = Store.open(db)
    registry.import_file(store, write_csv(tmp_path / "s0.csv", BASE), D0)
    store.close()
    return db


def run(module: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """python -m module args..., with this test's environment (store, secret, accounts)."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=dict(os.environ),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


def start(module: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def hold(db: Path) -> subprocess.Popen:
    """Another process holding the store; write a line to its stdin to let go."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        cwd=ROOT,
        env=dict(os.environ),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "holding"
    return proc


def release(proc: subprocess.Popen) -> None:
    proc.stdin.write("go\n")
    proc.stdin.flush()
    assert proc.wait(timeout=60) == 0


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def audit_rows(db: Path) -> list[dict]:
    store = Store.open(db)
    try:
        return store.query("audit_chain").to_dict("records")
    finally:
        store.close()


def snapshot_dates(db: Path) -> list[date]:
    store = Store.open(db)
    try:
        return store.query("snapshot_list")["as_of"].dt.date.tolist()
    finally:
        store.close()


# --- item 6: a bad item never stops the app; only DinsosPM sees the outcomes ------------------------


def test_a_bad_ticket_and_a_crashing_import_end_in_rejected_and_the_sign_in_page_still_shows(
    env, monkeypatch
):
    box = inbox.folder_for(env)
    box.mkdir(parents=True)
    (box / "1_1.json").write_text("{ini bukan json", encoding="utf-8")
    s1 = write_csv(env.parent / "s1.csv", s1_rows())
    ticket = inbox.submit(env, s1, S1, False, None)

    def crash(*_args, **_kwargs):  # inside the import transaction, after the rows were written
        raise RuntimeError(f"tak terduga di kolom NIK {BASE[0][5]}")

    monkeypatch.setattr(manifest, "write_pending", crash)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.text_input(key="masuk_nama").label  # the sign-in page
    assert inbox.pending(env) == [] and inbox.waiting(env) == []
    rejected = box / "rejected"
    assert sorted(p.name for p in rejected.glob("*.json")) == sorted(["1_1.json", f"{ticket}.json"])
    assert (rejected / "1_1.tiket").read_text(encoding="utf-8") == "{ini bukan json"  # kept as it came
    assert not (rejected / ticket).exists() and not (box / ticket).exists()  # its NIKs are not kept
    assert [p for p in box.rglob("*.csv")] == []
    outcome = inbox.result(env, ticket)
    assert outcome.status == "ditolak" and "RuntimeError" in outcome.message
    assert BASE[0][5] not in (rejected / f"{ticket}.json").read_text(encoding="utf-8")
    monkeypatch.undo()
    assert snapshot_dates(env) == [D0]  # nothing of the failed import is left
    assert len(list((env.parent / "archive" / env.stem).glob("*.parquet"))) == 1


def test_only_a_signed_in_dinsos_user_sees_inbox_results(env):
    ticket = inbox.submit(env, write_csv(env.parent / "s1.csv", s1_rows()), S1, False, None)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert inbox.result(env, ticket).status == "diimpor"
    assert len(at.toast) == 0  # the anonymous sign-in page says nothing of it
    # (AppTest runs only the selected page on a rerun, so each role gets a fresh run of app.py)
    mayor = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "walikota1").run()
    assert not mayor.exception and len(mayor.toast) == 0
    dinsos = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "dinsos1").run()
    assert not dinsos.exception
    assert [t.value for t in dinsos.toast] == [
        "Impor dari baris perintah, s1.csv: diimpor. 5 orang aktif, 4 keluarga"
    ]

    page = login(AppTest.from_file(page_path("data_impor.py"), default_timeout=60), "dinsos1").run()
    assert not page.exception
    shown = next(d.value for d in page.dataframe if "Jenis" in d.value.columns)
    assert shown[["Berkas", "Jenis", "Hasil"]].values.tolist() == [["s1.csv", "Snapshot", "Diimpor"]]


# --- item 7: hand over only to the running app; otherwise wait, then refuse ----------------------------


def test_cli_import_while_another_command_holds_the_store_waits_then_refuses_leaving_no_file(env):
    s1 = write_csv(env.parent / "s1.csv", s1_rows())
    other = hold(env)
    try:
        started = time.monotonic()
        done = run("analytics.cli", "impor", str(s1), "--tanggal", str(S1), "--tunggu-kunci", "2")
        waited = time.monotonic() - started
    finally:
        release(other)
    assert done.returncode == 5, done.stdout + done.stderr
    assert f"PID {other.pid}" in done.stderr and "bukan aplikasi" in done.stderr
    assert "diserahkan" not in done.stdout
    assert waited >= 2
    assert inbox.waiting(env) == [] and not inbox.folder_for(env).exists()
    assert snapshot_dates(env) == [D0]


def test_cli_import_waits_for_another_command_to_let_go_then_imports(env):
    s1 = write_csv(env.parent / "s1.csv", s1_rows())
    other = hold(env)
    cli = start("analytics.cli", "impor", str(s1), "--tanggal", str(S1), "--tunggu-kunci", "120")
    time.sleep(1.5)
    assert cli.poll() is None  # still waiting for the lock
    release(other)
    out, err = cli.communicate(timeout=120)
    assert cli.returncode == 0, err
    assert snapshot_dates(env) == [D0, S1] and not inbox.folder_for(env).exists()


def test_periksa_and_the_data_page_report_inbox_items_waiting_over_an_hour(env):
    box = inbox.folder_for(env)
    old = f"{time.time_ns() - 2 * 3600 * 10**9}_4242"
    (box / old).mkdir(parents=True)
    (box / old / "lama.csv").write_text("x", encoding="utf-8")
    (box / f"{old}.json").write_text(
        json.dumps({"file": "lama.csv", "as_of": "2023-03-31"}), encoding="utf-8"
    )
    orphan = f"{time.time_ns() - 3 * 3600 * 10**9}_4343"  # a file whose ticket was never written
    (box / orphan).mkdir()
    fresh = inbox.submit(env, write_csv(env.parent / "s1.csv", s1_rows()), S1, False, None)

    done = run("analytics.cli", "periksa")
    assert done.returncode == 6, done.stdout + done.stderr
    assert old in done.stderr and orphan in done.stderr and fresh not in done.stderr
    assert "2,0 jam" in done.stderr

    page = login(AppTest.from_file(page_path("data_impor.py"), default_timeout=60), "dinsos1")
    page.run()
    assert not page.exception
    # the page run took the two tickets (lama.csv is refused); the file without a ticket stays
    assert inbox.result(env, old).status == "ditolak" and inbox.result(env, fresh).status == "diimpor"
    assert any("1 berkas menunggu lebih dari satu jam" in w.value for w in page.warning)


# --- item 8: bangun-ulang never renames a store in use; intervensi goes through the inbox -------------


def test_rebuild_while_another_process_holds_the_store_refuses_and_leaves_it_openable(env):
    other = hold(env)
    try:
        done = run("analytics.cli", "bangun-ulang")
    finally:
        release(other)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "sedang dipakai proses lain" in done.stderr and f"PID {other.pid}" in done.stderr
    assert not list(env.parent.glob("*.rusak-*")) and not list(env.parent.glob("*.bangun-ulang"))
    assert snapshot_dates(env) == [D0]
    assert opening.open_verified(env, wait_seconds=0).close() is None


def test_intervensi_while_the_app_holds_the_store_is_handed_over_and_imported(env, catalog):  # noqa: F811
    app = Store.open(env)  # this process plays the app, as analytics.ui does
    holder.announce(env)
    registry.import_file(app, write_csv(env.parent / "s1.csv", s1_rows()), S1)
    diskop = write_itv(env.parent / "diskop.csv", DISKOP)
    cli = start("analytics.cli", "intervensi", str(diskop), "--opd", "diskopukm", "--tunggu", "120")
    deadline = time.monotonic() + 120
    while not inbox.pending(env) and cli.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    outcomes = inbox.process(app)
    out, err = cli.communicate(timeout=120)
    assert cli.returncode == 0, out + err
    assert [(o.kind, o.kode_opd, o.status) for o in outcomes] == [("intervensi", "DISKOPUKM", "diimpor")]
    assert "DIIMPOR: diskop.csv, intervensi DISKOPUKM" in out
    assert app.scalar("select string_agg(source_file) from intervensi_berkas") == "diskop.csv"
    last = app.query("audit_chain").iloc[-1]
    assert (last["user_name"], last["action"], last["sha256"]) == (holder.os_user(), "impor", sha(diskop))
    assert "kotak masuk" in last["detail"]
    app.close()


# --- item 11: the command line's actions are in the audit log ----------------------------------------


def test_cli_imports_are_audited_with_the_os_user_and_the_file_sha256(env, catalog):  # noqa: F811
    s1 = write_csv(env.parent / "s1.csv", s1_rows())
    assert run("analytics.cli", "impor", str(s1), "--tanggal", str(S1), "--pengguna", "sri").returncode == 0
    bad = write_csv(env.parent / "rusak.csv", [[*r[:5], "123", *r[6:]] for r in BASE])
    assert run("analytics.cli", "impor", str(bad), "--tanggal", "2023-06-30").returncode == 2
    diskop = write_itv(env.parent / "diskop.csv", DISKOP)
    assert run("analytics.cli", "intervensi", str(diskop), "--opd", "DISKOPUKM").returncode == 0
    rows = [(r["user_name"], r["action"], r["object"], r["sha256"]) for r in audit_rows(env)]
    me = holder.os_user()
    assert rows == [
        (me, "impor", "s1.csv", sha(s1)),
        (me, "impor_ditolak", "rusak.csv", sha(bad)),
        (me, "impor", "diskop.csv", sha(diskop)),
    ]
    assert "pengguna sri" in audit_rows(env)[0]["detail"]


def test_account_changes_are_audited_in_the_store_through_the_app_or_said_to_be_missing(
    env, tmp_path, monkeypatch
):
    me = holder.os_user()
    for cmd in (["tambah", "sri", "--peran", "dinsos", "--kata-sandi-stdin"], ["nonaktifkan", "sri"]):
        done = run("analytics.users", *cmd, stdin="sandi-sri-123\n")
        assert done.returncode == 0 and done.stderr == "", done.stderr
    app = Store.open(env)  # now the app holds the store: the entries go through its inbox
    holder.announce(env)
    for cmd in (["aktifkan", "sri"], ["reset", "sri", "--kata-sandi-stdin"]):
        assert run("analytics.users", *cmd, stdin="sandi-baru-456\n").returncode == 0
    assert [o.status for o in inbox.process(app)] == ["dicatat", "dicatat"]
    rows = [
        (r["user_name"], r["action"], r["object"], r["detail"])
        for r in app.query("audit_chain").to_dict("records")
    ]
    app.close()
    assert rows == [
        (me, "pengguna", "sri", "baris perintah: tambah, peran dinsos"),
        (me, "pengguna", "sri", "baris perintah: nonaktifkan"),
        (me, "pengguna", "sri", "baris perintah: aktifkan"),
        (me, "pengguna", "sri", "baris perintah: atur ulang kata sandi"),
    ]
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "tidak-ada.duckdb"))
    done = run("analytics.users", "nonaktifkan", "sri")
    assert done.returncode == 0 and "tidak tercatat di log audit" in done.stderr
    assert not (tmp_path / "tidak-ada.duckdb").exists()


def test_rebuild_is_audited_in_the_new_store_after_the_carried_over_rows(env):
    store = Store.open(env)
    audit.log(store, "dinsos1", "dinsos", "unduh", "x.csv", "ab" * 32, "sebelum bangun ulang")
    store.close()
    done = run("analytics.cli", "bangun-ulang")
    assert done.returncode == 0, done.stderr
    rows = audit_rows(env)
    assert [(r["user_name"], r["action"]) for r in rows] == [
        ("dinsos1", "unduh"),
        (holder.os_user(), "bangun_ulang"),
    ]
    store = Store.open(env)
    assert audit.verify_chain(store) is None
    store.close()


def test_the_demo_build_is_audited_under_the_os_user(demo_db):
    rows = [r for r in audit_rows(demo_db) if r["action"] == "data_contoh"]
    assert [r["user_name"] for r in rows] == [holder.os_user()]
    assert rows[0]["detail"].startswith("perintah demo: 30 snapshot, ")  # 26 P3KE + 4 DTSEN
