"""First run: build the demo store from the embedded demo generator through the normal import path."""

from __future__ import annotations

import os
from collections.abc import Callable

from analytics import config
from analytics.i18n import t
from analytics.ingest import interventions, registry
from analytics.store.audit import log as audit_log
from analytics.store.db import Store
from analytics.store.holder import os_user

Progress = Callable[[float, str], None]
DEMO_USER = "demo"


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


def snapshot_count(store: Store) -> int:
    """How many snapshots the store holds."""
    return int(store.scalar("select count(*) from snapshot"))


def is_demo_store(store: Store) -> bool:
    """True while any stored snapshot came from the demo generator."""
    return bool(store.scalar("select count(*) from snapshot where is_demo"))


def build_demo(store: Store, progress: Progress = lambda f, m: None, origin: str = "perintah demo") -> int:
    """Generate the demo snapshot and OPD intervention files and import each; return snapshots imported.

    The build is audited under the OS user, with origin (what started it) in the detail.
    """
    from analytics.demo import interventions as demo_interventions
    from analytics.demo import snapshots as demo

    folder = config.data_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    progress(0.0, t("bangun.demo_files"))
    files = demo.write_demo_files(folder)
    share = 0.7  # of the bar: snapshots first, then the OPD files
    for i, (as_of, path) in enumerate(files):
        progress(
            share * (i + 0.5) / len(files), t("bangun.demo_importing", file=path.name, i=i + 1, n=len(files))
        )
        registry.import_file(store, path, as_of, user=DEMO_USER, is_demo=True, confirmed=True)
    progress(share, t("bangun.demo_opd_files"))
    opd_files = demo_interventions.write_intervention_files(folder / "intervensi")
    for i, (kode_opd, path) in enumerate(opd_files):
        done = share + (1 - share) * (i + 0.5) / len(opd_files)
        progress(done, t("bangun.demo_importing_opd", file=path.name, i=i + 1, n=len(opd_files)))
        interventions.import_file(store, path, kode_opd, user=DEMO_USER, is_demo=True)
    audit_log(
        store,
        os_user(),
        None,
        "data_contoh",
        detail=f"{origin}: {len(files)} snapshot, {len(opd_files)} berkas OPD",
    )
    progress(1.0, t("bangun.demo_done", snapshots=len(files), opd_files=len(opd_files)))
    return len(files)


def ensure_demo(store: Store, progress: Progress = lambda f, m: None, origin: str = "jalan pertama") -> bool:
    """Build the demo store when the store is empty and demo data is allowed; True if built."""
    if snapshot_count(store) or not demo_allowed():
        return False
    build_demo(store, progress, origin)
    return True
