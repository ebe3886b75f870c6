"""One upload flow for every import kind on the Data & Impor page.

choose the file (and the kind's inputs) → check it (importer.prepare) → report and preview →
confirm → commit (importer.commit) → audit and report. What differs per kind (its inputs, its
preview, its texts and audit lines) is a small `UploadSpec` in `SPECS`; the importing itself is the
kind's importer from `ingest.kinds.KINDS`. A new import kind is one module implementing
`ingest.base.Importer` plus one entry in SPECS: the page shows every spec it does not place itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from analytics import formatting as fmt
from analytics import tables, ui
from analytics.access import export, real_data
from analytics.i18n import t
from analytics.ingest import bootstrap, population, registry
from analytics.ingest.base import ImportRefused
from analytics.ingest.kinds import KINDS
from analytics.opd import coverage
from analytics.store import audit, settings
from analytics.store.db import Store

Options = dict[str, Any]


def _nothing(store: Store) -> Options:
    return {}


@dataclass(frozen=True)
class UploadSpec:
    """The per-kind bits of the upload flow. Widget keys are `<prefix>_upload`, `_check`, `_commit`,
    `_issues`; the checked file waits in session state under `<prefix>_prepared` and the result
    message under `<prefix>_flash`."""

    kind: str
    prefix: str
    title: str  # text key of the section's heading
    label: str  # text key of the kind's name (the inbox lists it)
    file_label: str  # text keys of the uploader and the two buttons
    check_label: str
    commit_label: str
    report_name: str  # download name of the validation report
    passed: Callable[[Any], str]  # the message for a file that passed its checks
    audited: Callable[[Any, Any], tuple[str, str]]  # (prepared, result) -> (audit action, Indonesian detail)
    flash: Callable[[Any, Any], str]  # (prepared, result) -> the message after a committed import
    audit_prefix: Callable[[Options], str] = lambda options: ""  # noqa: E731 - before each audit detail
    intro: Callable[[Store], None] = lambda store: None  # noqa: E731 - shown before the result message
    before: Callable[[Store], Options] = _nothing  # inputs above the uploader
    after: Callable[[Store], Options] = _nothing  # inputs below it
    preview: Callable[[Store, Any], Options] = lambda store, prepared: {}  # noqa: E731 - + commit options
    footer: Callable[[Store], None] = lambda store: None  # noqa: E731 - shown below the flow


def _audit(store: Store, action: str, file_name: str, sha256: str | None, detail: str) -> None:
    user = ui.current_user()
    if user is not None:
        audit.log(store, user.name, user.role, action, file_name, sha256, detail)


def render(store: Store, kind: str) -> None:
    """The upload flow of one import kind (without its heading)."""
    spec = SPECS[kind]
    importer = KINDS[kind]
    p = spec.prefix
    user = ui.current_user()
    who = user.name if user is not None else "pengguna aplikasi"
    spec.intro(store)
    if flash := st.session_state.pop(f"{p}_flash", None):
        st.success(flash)
    options = spec.before(store)
    upload = ui.file_uploader(t(spec.file_label), type=["xlsx", "csv"], key=f"{p}_upload")
    options |= spec.after(store)
    prepare_options = {k: v for k, v in options.items() if k in importer.prepare_options}
    commit_options = {k: v for k, v in options.items() if k not in importer.prepare_options}
    prefix = spec.audit_prefix(prepare_options)
    if upload is not None and st.button(t(spec.check_label), key=f"{p}_check"):
        try:
            with st.spinner(t("data.checking")):
                checked = importer.prepare(store, upload.getvalue(), upload.name, user=who, **prepare_options)
        except ImportRefused as exc:
            checked = None
            st.session_state.pop(f"{p}_prepared", None)
            _audit(store, "impor_ditolak", upload.name, None, prefix + exc.log_text)
            st.error(str(exc))
        else:
            st.session_state[f"{p}_prepared"] = (checked, prepare_options)
        if checked is not None and not checked.ok:
            detail = f"{prefix}{len(checked.errors)} galat validasi"
            _audit(store, "impor_ditolak", checked.file_name, checked.sha256, detail)
    held = st.session_state.get(f"{p}_prepared")
    if held is not None and (
        upload is None or held[0].file_name != upload.name or held[1] != prepare_options
    ):
        held = None  # the report belongs to another file or other inputs
    if held is not None:
        _report(store, spec, held[0], who, prefix, commit_options)
    spec.footer(store)


def _report(store: Store, spec: UploadSpec, prepared: Any, who: str, prefix: str, options: Options) -> None:
    p = spec.prefix
    if prepared.ok:
        st.success(spec.passed(prepared))
    else:
        refused = t("data.refused", file=fmt.md(prepared.file_name), n=fmt.number(len(prepared.errors)))
        st.error(refused + "\n\n" + tables.issue_lines(prepared.errors))
    if not prepared.issues.empty:
        ui.table(tables.issues_view(prepared.issues), spec.report_name, key=f"{p}_issues")
    if not prepared.ok:
        return
    options = options | spec.preview(store, prepared)
    if not st.button(t(spec.commit_label), key=f"{p}_commit", type="primary"):
        return
    bar = st.progress(0.0, text=t("data.starting"))
    try:
        result = KINDS[spec.kind].commit(
            store, prepared, user=who, progress=lambda f, m: bar.progress(f, text=m), **options
        )
    except ImportRefused as exc:
        # the audit log keeps one language (Indonesian); the message follows the toggle
        _audit(store, "impor_ditolak", prepared.file_name, prepared.sha256, prefix + exc.log_text)
        st.error(fmt.md(exc))
        return
    action, detail = spec.audited(prepared, result)
    _audit(store, action, prepared.file_name, prepared.sha256, detail)
    del st.session_state[f"{p}_prepared"]
    st.session_state[f"{p}_flash"] = spec.flash(prepared, result)
    st.rerun()


def render_sections(store: Store, skip: tuple[str, ...] = ()) -> None:
    """Every other import kind's section, heading and flow, in SPECS order."""
    for kind, spec in SPECS.items():
        if kind not in skip:
            st.subheader(t(spec.title))
            render(store, kind)


# --- the registry snapshot ----------------------------------------------------------------------


def _registry_intro(store: Store) -> None:
    if problem := real_data.secret_problem():
        st.error(problem, icon="⛔")
    st.caption(t("data.new_caption"))


def _registry_inputs(store: Store) -> Options:
    default_date = date.today().replace(day=1) - timedelta(days=1)
    as_of = st.date_input(
        t("col.tanggal_snapshot"), value=default_date, key="data_as_of", format="DD/MM/YYYY"
    )
    from analytics.ui import dtsen  # the source format: "Otomatis" or one of data/formats/

    return {
        "as_of": as_of,
        "format": dtsen.format_choice(),
        "replace": st.checkbox(t("data.replace"), key="data_replace"),
    }


def _registry_preview(store: Store, prepared: Any) -> Options:
    st.markdown(t("data.will_change"))
    ui.dataframe(tables.changes_table(registry.preview(store, prepared)), key="data_reg_pv")
    limit = f"{settings.max_removed_percent(store):g}"
    if mass := registry.needs_confirmation(store, prepared):
        leaving, listed = mass
        share = fmt.percent(leaving / listed)
        n, total = fmt.number(leaving), fmt.number(listed)
        st.warning(t("h2.mass_exit_warning", n=n, total=total, share=share, limit=limit), icon="⚠️")
    return {"confirmed": st.checkbox(t("h2.confirm", limit=limit), key="data_yakin") if mass else False}


def _registry_flash(prepared: Any, result: registry.ImportResult) -> str:
    return t(
        "data.replaced" if result.replaced else "data.imported",
        date=fmt.tanggal(result.as_of),
        people=fmt.number(result.people_active),
        families=fmt.number(result.families_active),
    )


# --- OPD intervention files ---------------------------------------------------------------------

# import mode: text key of its label
MODE_LABELS = {None: "data_itv.mode_reject", "tambah": "data_itv.mode_add", "ganti": "data_itv.mode_replace"}


def intervention_preview_table(df: pd.DataFrame) -> pd.DataFrame:
    """What the checked file would add, per programme, as shown."""
    return pd.DataFrame(
        {
            t("intervensi.program"): df["kode_program"],
            t("col.baris"): df["baris"].astype("int64"),
            t("intervensi.delivered"): df["tersalur"].astype("int64"),
            t("intervensi.plan"): df["rencana"].astype("int64"),
            t("col.penerima"): df["penerima"].astype("int64"),
            t("data_itv.off_list"): df["luar_daftar"].astype("int64"),
            t("col.rupiah_tersalur"): df["nilai_tersalur"].fillna(0).astype("int64"),
        }
    )


def _itv_intro(store: Store) -> None:
    if problem := bootstrap.bring_up_to_date(store):  # the write side: load a changed catalog
        st.warning(fmt.md(problem))


def _itv_before(store: Store) -> Options:
    st.caption(t("data_itv.caption"))
    listed = store.query("opd_list")
    names = dict(zip(listed["kode_opd"], listed["nama"], strict=True))
    return {
        "kode_opd": st.selectbox(t("data_itv.sender"), list(names), format_func=names.get, key="data_itv_opd")
    }


def _itv_after(store: Store) -> Options:
    mode = st.radio(
        t("data_itv.mode"),
        list(MODE_LABELS),
        format_func=lambda m: t(MODE_LABELS[m]),
        key="data_itv_mode",
        help=t("data_itv.mode_help"),
    )
    return {"mode": mode}


def _itv_passed(prepared: Any) -> str:
    start, end = prepared.period
    return t(
        "data_itv.passed",
        file=fmt.md(prepared.file_name),
        n=fmt.number(prepared.row_count),
        start=fmt.tanggal(start),
        end=fmt.tanggal(end),
    )


def _itv_preview(store: Store, prepared: Any) -> Options:
    st.markdown(t("data_itv.will_add"))
    shown = intervention_preview_table(KINDS["intervensi"].preview(store, prepared))
    ui.dataframe(shown, key="data_itv_pv")
    return {}


def _itv_audited(prepared: Any, result: Any) -> tuple[str, str]:
    # the audit log keeps one language (Indonesian)
    logged = f"; mengganti {', '.join(result.replaced)}" if result.replaced else ""
    return "impor", f"intervensi {result.kode_opd}: {result.rows} baris{logged}"


def _itv_flash(prepared: Any, result: Any) -> str:
    replaced = t("data_itv.replacing", files=fmt.md(", ".join(result.replaced))) if result.replaced else ""
    return t(
        "data_itv.imported",
        opd=result.kode_opd,
        file=fmt.md(result.file_name),
        rows=fmt.number(result.rows),
        delivered=fmt.number(result.delivered),
        off_list=fmt.number(result.off_list),
        replaced=replaced,
    )


def _itv_footer(store: Store) -> None:
    files = coverage.files_table(store)
    if files.empty:
        st.caption(t("data_itv.no_files"))
    else:
        st.markdown(t("data_itv.stored", n=fmt.number(len(files))))
        ui.table(files, "berkas_intervensi", key="data_itv_files")


# --- population tables --------------------------------------------------------------------------


def _pop_intro(store: Store) -> None:
    st.markdown(t("data_pop.help"))
    st.download_button(
        t("data_pop.template"),
        export.csv_bytes(population.TEMPLATE),
        "templat_penduduk.csv",
        "text/csv",
        key="data_pop_template",
    )


def _pop_before(store: Store) -> Options:
    stored = population.stored_table(store)
    if stored.empty:
        st.info(t("data_pop.none"))
    else:
        ui.dataframe(stored, key="data_pop_stored")
        ui.downloads(stored, "data_penduduk", key="data_pop_stored_dl")
    return {}


def _pop_preview(store: Store, prepared: Any) -> Options:
    shown = KINDS["penduduk"].preview(store, prepared)
    ui.dataframe(shown, key="data_pop_preview")
    replaced = population.replaced_rows(store, prepared)
    if not replaced.empty:
        st.warning(t("data_pop.will_replace", n=fmt.number(len(replaced))))
    return {}


# --- verification (verval) sheets -----------------------------------------------------------------


def _verval_intro(store: Store) -> None:
    if problem := real_data.secret_problem():
        st.error(problem, icon="⛔")
    st.caption(t("b19.template_help"))


def _verval_preview(store: Store, prepared: Any) -> Options:
    st.markdown(t("b19.will_add"))
    ui.dataframe(KINDS["verval"].preview(store, prepared), key="verval_up_pv")
    return {}


def _verval_flash(prepared: Any, result: Any) -> str:
    return t("b19.imported", file=fmt.md(result.file_name), n=fmt.number(result.rows))


SPECS: dict[str, UploadSpec] = {
    "registri": UploadSpec(
        kind="registri",
        prefix="data",
        title="data.new",
        label="h3.kind_registri",
        file_label="data.file",
        check_label="data.check",
        commit_label="data.commit",
        report_name="laporan_validasi",
        passed=lambda p: t("data.passed", file=fmt.md(p.file_name), n=fmt.number(p.row_count)),
        audited=lambda p, r: (
            "ganti" if r.replaced else "impor",
            f"snapshot {r.as_of}, {r.people_active} orang aktif",
        ),
        flash=_registry_flash,
        intro=_registry_intro,
        after=_registry_inputs,
        preview=_registry_preview,
    ),
    "intervensi": UploadSpec(
        kind="intervensi",
        prefix="data_itv",
        title="data.interventions",
        label="h3.kind_intervensi",
        file_label="data_itv.file",
        check_label="data_itv.check",
        commit_label="data_itv.commit",
        report_name="laporan_validasi_intervensi",
        passed=_itv_passed,
        audited=_itv_audited,
        flash=_itv_flash,
        audit_prefix=lambda options: f"intervensi {options.get('kode_opd')}: ",
        intro=_itv_intro,
        before=_itv_before,
        after=_itv_after,
        preview=_itv_preview,
        footer=_itv_footer,
    ),
    "penduduk": UploadSpec(
        kind="penduduk",
        prefix="data_pop",
        title="data.population",
        label="r1.kind_penduduk",
        file_label="data_pop.file",
        check_label="data_pop.check",
        commit_label="data_pop.commit",
        report_name="laporan_validasi_penduduk",
        passed=lambda p: t("data.passed", file=fmt.md(p.file_name), n=fmt.number(len(p.rows))),
        audited=lambda p, n: ("impor", f"penduduk: {n} baris"),
        flash=lambda p, n: t("data_pop.imported", file=fmt.md(p.file_name), n=n),
        audit_prefix=lambda options: "penduduk: ",
        intro=_pop_intro,
        before=_pop_before,
        preview=_pop_preview,
    ),
    "verval": UploadSpec(
        kind="verval",
        prefix="verval_up",
        title="b19.upload_section",
        label="b19.kind",
        file_label="b19.file",
        check_label="b19.check",
        commit_label="b19.commit",
        report_name="laporan_validasi_verval",
        passed=lambda p: t("b19.passed", file=fmt.md(p.file_name), n=fmt.number(p.row_count)),
        audited=lambda p, r: ("impor", f"verval: {r.rows} hasil"),
        flash=_verval_flash,
        audit_prefix=lambda options: "verval: ",
        intro=_verval_intro,
        preview=_verval_preview,
    ),
}
