"""First run: build the demo store from the embedded demo generator through the normal import path."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from analytics import config
from analytics.i18n import t
from analytics.ingest import interventions, registry
from analytics.store.audit import log as audit_log
from analytics.store.db import Store
from analytics.store.holder import os_user

Progress = Callable[[float, str], None]
DEMO_USER = "demo"
_log = logging.getLogger(__name__)


def bring_up_to_date(store: Store) -> str | None:
    """Load changed catalog files (data/opd.csv, data/program.csv) and recompute the OPD summaries if
    the list moved on without them; a message for the user when a catalog file is broken.

    The one place the app does this: when it opens the store (analytics.ui) and on the Data & Impor
    page. Pages that read (Intervensi OPD, Rapat) never write; they only say when the files on disk
    differ from the loaded catalog (analytics.opd.coverage.catalog_notice).
    """
    try:
        interventions.ensure_fresh(store)
    except (interventions.CatalogError, OSError) as exc:  # OSError: a catalog file is missing
        return t("opd.catalog_broken", error=exc)
    return None


def demo_allowed() -> bool:
    """Demo data loads only when no real NIK key is configured and it is not switched off."""
    _, is_demo_key = config.nik_secret()
    return is_demo_key and os.environ.get("NOL_EKSTREM_DEMO", "1") != "0"


def build_demo(store: Store, progress: Progress = lambda f, m: None, origin: str = "perintah demo") -> int:
    """Generate the demo snapshot and OPD intervention files and import each; return snapshots imported.

    The build is audited under the OS user, with origin (what started it) in the detail.
    """
    from analytics.demo import dtsen as demo_dtsen
    from analytics.demo import interventions as demo_interventions
    from analytics.demo import snapshots as demo

    marker = unfinished_marker(store.path)
    if marker is not None:  # stays if the build fails: a half-built store is never served (analytics.ui)
        marker.write_text(origin + "\n", encoding="utf-8")
    folder = config.data_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    progress(0.0, t("bangun.demo_files"))
    files = demo.write_demo_files(folder)
    # since 2025 the list continues from DTSEN ranking files (issue 19)
    dtsen_files = demo_dtsen.write_dtsen_files(folder / "dtsen")
    every = [*files, *dtsen_files]
    share = 0.7  # of the bar: snapshots first, then the OPD files
    for i, (as_of, path) in enumerate(every):
        if i == len(files):  # the P3KE series is in: verification results, then the DTSEN files
            p3ke_frames = demo.generate_snapshots()  # kept from the files' build (one seed, one result)
            _demo_exits_verval(store, p3ke_frames)
            _demo_flags(store, p3ke_frames)
        progress(
            share * (i + 0.5) / len(every), t("bangun.demo_importing", file=path.name, i=i + 1, n=len(every))
        )
        registry.import_file(store, path, as_of, user=DEMO_USER, is_demo=True, confirmed=True)
    files = every
    progress(share, t("bangun.demo_opd_files"))
    opd_files = demo_interventions.write_intervention_files(folder / "intervensi")
    for i, (kode_opd, path) in enumerate(opd_files):
        done = share + (1 - share) * (i + 0.5) / len(opd_files)
        progress(done, t("bangun.demo_importing_opd", file=path.name, i=i + 1, n=len(opd_files)))
        interventions.import_file(store, path, kode_opd, user=DEMO_USER, is_demo=True)
    sheets = _demo_verval(store)
    audit_log(
        store,
        os_user(),
        None,
        "data_contoh",
        detail=f"{origin}: {len(files)} snapshot, {len(opd_files)} berkas OPD, {sheets} lembar verval",
    )
    if marker is not None:
        marker.unlink(missing_ok=True)
    progress(1.0, t("bangun.demo_done", snapshots=len(files), opd_files=len(opd_files)))
    return len(files)


def _demo_exits_verval(store: Store, p3ke_frames: dict) -> None:
    """The field verification of 2023-2024 for families that left the P3KE list without a reason in
    the file, imported as a verval sheet: their exits get reasons from it (issue 19)."""
    from analytics.demo import verval as demo_verval
    from analytics.ingest import verval

    name, sheet = demo_verval.exits_sheet(p3ke_frames)
    verval.IMPORTER.import_bytes(store, sheet, name, user=DEMO_USER, is_demo=True)


DEMO_FLAGS = 5  # families DinsosPM flags as extreme-poor before the first DTSEN file


def _demo_flags(store: Store, p3ke_frames: dict) -> None:
    """Flag a few list families whose desil rises in the first DTSEN file: they stay on the list."""
    from analytics.access.auth import User
    from analytics.demo import dtsen as demo_dtsen
    from analytics.ingest import flags

    last = p3ke_frames[max(p3ke_frames)]
    first = demo_dtsen.generate_dtsen(snapshots=p3ke_frames)[demo_dtsen.DTSEN_DATES[0]]
    risen = first.loc[first["DESIL NASIONAL"] > 1, "NOMOR INDUK KEPENDUDUKAN"]
    on_list = last[(last["Status"] == "Aktif") & last["NIK"].isin(risen)]
    dinsos = User(DEMO_USER, "dinsos")
    note = "Contoh: hasil musyawarah kelurahan, tetap miskin ekstrem"
    for family in sorted(on_list["ID Keluarga P3KE"].unique())[:DEMO_FLAGS]:
        flags.flag_family(store, dinsos, family, True, note)


def _demo_verval(store: Store) -> int:
    """Import a filled verval sheet for the demo kelurahan with the most families on the list (issue 19),
    through the normal verval import; return the sheets imported."""
    from analytics.access.auth import User
    from analytics.demo import verval as demo_verval
    from analytics.ingest import verval, verval_template
    from analytics.store import settings
    from analytics.verval import status

    per_kel = status.per_kelurahan(store).sort_values(["keluarga", "kode_kelurahan"], ascending=[False, True])
    dinsos = User(DEMO_USER, "dinsos")
    chosen = per_kel[per_kel["keluarga"] > 0].head(demo_verval.DEMO_KELURAHAN)
    for i, row in enumerate(chosen.itertuples(index=False)):
        template = verval_template.build(store, dinsos, row.kode_kelurahan)
        sheet = demo_verval.fill_sheet(template, settings.today(), seed=19 + i)
        name = verval_template.file_name(row.kode_kelurahan, row.kelurahan)
        verval.IMPORTER.import_bytes(store, sheet, name, user=DEMO_USER, is_demo=True)
    return len(chosen)


def unfinished_marker(db: Path | None) -> Path | None:
    """The file beside a store file that says its demo build started and did not finish (None in memory)."""
    return None if db is None else db.with_name(db.name + ".demo-belum-selesai")


def demo_unfinished(db: Path | None) -> bool:
    """Whether a demo build into the store file at db started and did not finish (it failed, or the
    process died during it): such a store holds part of the demo data and must not be served."""
    marker = unfinished_marker(db)
    return marker is not None and marker.exists()


def ensure_demo(store: Store, progress: Progress = lambda f, m: None, origin: str = "jalan pertama") -> bool:
    """Build the demo store when the store is empty and demo data is allowed; True if built."""
    if store.snapshot_count() or not demo_allowed():
        return False
    build_demo(store, progress, origin)
    return True


class Background:
    """The first-run demo build in a thread of its own, started at most once, so that the app can
    show its sign-in form and the build's progress meanwhile (analytics.ui holds one per store file).

    The thread writes through the store like any import from another session: each call takes its own
    cursor, writes serialise on the store's write lock, so a sign-in's audit entry written meanwhile
    goes in between two imports. `status()` is safe from any thread.
    """

    IDLE, RUNNING, DONE, FAILED = "idle", "running", "done", "failed"
    # The build holds the GIL most of the time: it waits until a browser shows the first page (`go()`,
    # from the progress poll) or this many seconds, so that the sign-in form appears at once.
    START_AFTER = 5.0

    def __init__(self) -> None:
        self._go = threading.Event()
        self._lock = threading.Lock()
        self._state = self.IDLE
        self._fraction = 0.0
        self._message = ""
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self, store: Store, origin: str = "jalan pertama aplikasi", lang: str | None = None) -> bool:
        """Start the build unless it was started before; True if this call started it."""
        with self._lock:
            if self._state != self.IDLE:
                return False
            self._state = self.RUNNING
            self._thread = threading.Thread(
                target=self._run, args=(store, origin, lang), name="nol-ekstrem-demo", daemon=True
            )
            self._thread.start()
        return True

    def go(self) -> None:
        """Let a started build begin now rather than after START_AFTER (the first page is drawn)."""
        self._go.set()

    def _run(self, store: Store, origin: str, lang: str | None) -> None:
        from analytics import i18n

        self._go.wait(self.START_AFTER)
        try:
            with i18n.using(lang):
                ensure_demo(store, self._progress, origin)
        except Exception as exc:  # kept and shown on every page: nothing is served (fail closed)
            _log.exception("data contoh gagal dibangun")
            with self._lock:
                self._state, self.error = self.FAILED, exc
            return
        with self._lock:
            self._state, self._fraction = self.DONE, 1.0

    def _progress(self, fraction: float, message: str) -> None:
        with self._lock:
            self._fraction, self._message = min(max(fraction, 0.0), 1.0), message

    def status(self) -> tuple[str, float, str]:
        """(state, fraction done 0..1, the last progress message)."""
        with self._lock:
            return self._state, self._fraction, self._message

    def wait(self, timeout: float | None = None) -> str:
        """Wait for a started build to end (or the timeout); return the state."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.status()[0]
