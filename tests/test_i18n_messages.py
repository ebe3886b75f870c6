"""Import, download and command-line messages follow the language toggle.

A refused file gets its messages in English when English is chosen and in Indonesian by default,
naming the file, row and column either way; the import and audit logs keep Indonesian; nothing is
stored by a refused import. The static checks at the end keep Indonesian sentences out of the
message sites of these modules.
"""

from __future__ import annotations

import ast
import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import cli, domain, i18n, users
from analytics.access import auth, export
from analytics.ingest import interventions, population, registry
from analytics.maps import population as population_data
from analytics.store.db import Store
from tests.helpers import BASE, HEADER, ROOT, dump, login, page_path, write_csv
from tests.test_interventions import DISKOP, S1, catalog, import_snapshots, write_itv  # noqa: F401  (fixture)
from tests.test_page_data import app_env  # noqa: F401  (fixture)
from tests.test_population import FAKE, GOOD, population_rows
from tests.test_population import write as write_population

D0, D1 = date(2022, 11, 30), date(2022, 12, 31)
SHORT_NIK = "647205010190000"  # 15 digits, on the file's row 3 (the header is row 1)


def short_nik_file(folder: Path, name: str = "nik_pendek.csv") -> Path:
    """BASE with Budi's NIK one digit short: one error, row 3, column NIK."""
    rows = [r.copy() for r in BASE]
    rows[1][5] = SHORT_NIK
    return write_csv(folder / name, rows)


def last_log(store: Store) -> pd.Series:
    """The newest line of the import log."""
    return store.query("import_history", limit=1).iloc[0]


def in_worker(fn, *args):
    """fn(*args) in a fresh thread, which starts in the default language (as a download is served)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


# --- the registry snapshot ------------------------------------------------------------------------


def test_registry_refusal_in_english_names_file_row_and_column_and_logs_indonesian(store, tmp_path):
    registry.import_file(store, write_csv(tmp_path / "base.csv", BASE), D0)
    before = dump(store)
    path = short_nik_file(tmp_path)
    with i18n.using("en"):
        prepared = registry.prepare_file(store, path.read_bytes(), path.name, D1)
        with pytest.raises(registry.ImportRefused) as refused:
            registry.commit(store, prepared)
    err = prepared.errors.iloc[0]
    assert (err["berkas"], err["baris"], err["kolom"]) == ("nik_pendek.csv", 3, "NIK")
    assert err["pesan"] == "The NIK must be exactly 16 digits."
    assert str(refused.value) == (
        "nik_pendek.csv: file refused, errors: 1. First: row 3, column NIK: "
        "The NIK must be exactly 16 digits."
    )
    assert refused.value.log_text == (
        "nik_pendek.csv: 1 galat, berkas ditolak. Pertama: baris 3 kolom NIK: NIK harus tepat 16 digit angka."
    )
    assert dump(store) == before
    assert last_log(store)["message"] == "1 galat validasi; pertama: baris 3, NIK harus tepat 16 digit angka."

    prepared = registry.prepare_file(store, path.read_bytes(), path.name, D1)  # the default language
    assert prepared.errors.iloc[0][["baris", "kolom", "pesan"]].tolist() == [
        3,
        "NIK",
        "NIK harus tepat 16 digit angka.",
    ]
    with pytest.raises(
        registry.ImportRefused, match=r"^nik_pendek.csv: 1 galat, berkas ditolak\. Pertama: baris 3"
    ):
        registry.commit(store, prepared)
    assert dump(store) == before


def test_registry_warnings_and_missing_columns_in_english(store, tmp_path):
    rows = [r.copy() for r in BASE]
    rows[2][3] = "Bukuan"  # wrong name for 64.72.01.1001 (Rawa Makmur): a warning, row 4
    path = write_csv(tmp_path / "nama.csv", rows)
    with i18n.using("en"):
        warned = registry.prepare_file(store, path.read_bytes(), path.name, D0)
        header = ["Kode Pos" if h == "Kode Kemdagri" else h for h in HEADER]
        missing = write_csv(tmp_path / "tanpa_kode.csv", BASE, header)
        refused = registry.prepare_file(store, missing.read_bytes(), missing.name, D0)
    assert warned.ok
    assert warned.warnings[["baris", "kolom"]].values.tolist() == [[4, "Desa/Kelurahan"]]
    assert warned.warnings.iloc[0]["pesan"] == (
        "The kelurahan name does not match code 64.72.01.1001 (Rawa Makmur); the code is used."
    )
    assert refused.errors.iloc[0]["pesan"].startswith(
        "Required column missing: 'Kode Kemdagri'. Columns recognised in row 1: ID Keluarga P3KE, "
    )
    assert last_log(store)["message"].startswith(
        "1 galat validasi; pertama: Kolom wajib tidak ada: 'Kode Kemdagri'. Kolom yang dikenali di baris 1: "
    )


def test_registry_progress_messages_follow_the_language(store, tmp_path):
    path = write_csv(tmp_path / "base.csv", BASE)
    seen: list[str] = []
    with i18n.using("en"):
        registry.import_file(store, path, D0, progress=lambda _f, message: seen.append(message))
    assert seen == [
        "Reading base.csv",
        "Saving the snapshot",
        "Saving the people",
        "Updating the list membership history",
        "Computing the summaries per kelurahan",
        "Waiting for the import archive",
        "Finishing the transaction",
        "Done",
    ]


UNREADABLE = [
    ("rusak.xlsx", b"PK\x03\x04bukan excel", "it is not an Excel .xlsx file", "bukan berkas Excel .xlsx"),
    ("biner.csv", b"NIK\x00\x01\x02", "it is binary, not CSV text", "isinya biner, bukan teks CSV"),
    ("data.pdf", b"%PDF-1.4", "file type .pdf is not supported", "jenis berkas .pdf tidak didukung"),
    ("kosong.csv", b"satu,dua\n1,2\n", "no column header row found", "baris judul kolom tidak ditemukan"),
]


@pytest.mark.parametrize(("name", "content", "english", "indonesian"), UNREADABLE)
def test_unreadable_files_are_refused_in_english_and_logged_in_indonesian(
    store, name, content, english, indonesian
):
    with i18n.using("en"):
        prepared = registry.prepare_file(store, content, name, D0)
    message = prepared.errors.iloc[0]["pesan"]
    assert english in message and indonesian not in message
    assert prepared.errors.iloc[0]["berkas"] == name and message.startswith(f"{name}: ")
    assert indonesian in last_log(store)["message"]
    assert indonesian in registry.prepare_file(store, content, name, D0).errors.iloc[0]["pesan"]


def test_upload_size_limit_in_english(store, monkeypatch):
    monkeypatch.setenv("NOL_EKSTREM_MAX_UPLOAD_MB", "0.001")
    with i18n.using("en"):
        prepared = registry.prepare_file(store, b"x" * 5000, "besar.csv", D0)
    assert prepared.errors.iloc[0]["pesan"] == (
        "besar.csv: file refused because its size is 0.0 MB, above the limit of 0 MB."
    )
    assert last_log(store)["message"].endswith(
        "besar.csv: berkas ditolak karena ukurannya 0.0 MB, di atas batas 0 MB."
    )


# --- OPD intervention files -----------------------------------------------------------------------


def intervention_counts(store: Store) -> tuple[int, int]:
    """(records, files) stored."""
    return (
        int(store.scalar("select count(*) from intervensi")),
        int(store.scalar("select count(*) from intervensi_berkas")),
    )


def test_intervention_refusal_in_english_names_file_row_and_column(store, tmp_path, catalog):  # noqa: F811
    import_snapshots(store, tmp_path, S1)
    rows = [r.copy() for r in DISKOP]
    rows[2][0] = ""  # UEP is given per person: row 4 needs a NIK
    path = write_itv(tmp_path / "tanpa_nik.csv", rows)
    before = (dump(store), intervention_counts(store))
    with i18n.using("en"):
        with pytest.raises(interventions.ImportRefused) as refused:
            interventions.import_file(store, path, "DISKOPUKM")
        prepared = interventions.prepare_file(store, path.read_bytes(), path.name, "DISKOPUKM")
    err = prepared.errors.iloc[0]
    assert (err["berkas"], err["baris"], err["kolom"]) == ("tanpa_nik.csv", 4, "NIK")
    assert err["pesan"] == "Programme UEP is given per person: the NIK is required."
    assert str(refused.value).startswith("tanpa_nik.csv: file refused, errors: 1. First: row 4, column NIK: ")
    assert (dump(store), intervention_counts(store)) == before
    assert last_log(store)["message"] == (
        "Intervensi DISKOPUKM: 1 galat validasi; pertama: baris 4, "
        "Program UEP diberikan per orang: NIK wajib diisi."
    )
    indonesian = interventions.prepare_file(store, path.read_bytes(), path.name, "DISKOPUKM")
    assert indonesian.errors.iloc[0][["baris", "kolom", "pesan"]].tolist() == [
        4,
        "NIK",
        "Program UEP diberikan per orang: NIK wajib diisi.",
    ]


def test_intervention_overlap_refusal_in_english_is_logged_in_indonesian(store, tmp_path, catalog):  # noqa: F811
    import_snapshots(store, tmp_path, S1)
    interventions.import_file(store, write_itv(tmp_path / "diskop.csv", DISKOP), "DISKOPUKM", user="ana")
    again = write_itv(tmp_path / "diskop_lagi.csv", DISKOP[:2])
    before = intervention_counts(store)
    with i18n.using("en"), pytest.raises(interventions.ImportRefused) as refused:
        interventions.import_file(store, again, "DISKOPUKM", user="ana")
    message = str(refused.value)
    assert message.startswith(
        "diskop_lagi.csv: DISKOPUKM already sent a file for an overlapping period: 'diskop.csv' ("
    )
    assert "(15-02-2023 to 10-04-2023, imported " in message and "Choose mode 'tambah' (add)" in message
    assert "s.d." not in message and "diimpor" not in message
    logged = last_log(store)["message"]
    assert logged == refused.value.log_text
    assert logged.startswith(
        "diskop_lagi.csv: DISKOPUKM sudah mengirim berkas untuk periode yang tumpang tindih"
    )
    assert "(15-02-2023 s.d. 10-04-2023, diimpor " in logged
    assert intervention_counts(store) == before


# --- population files -----------------------------------------------------------------------------


def test_population_refusal_in_english_names_file_row_and_column(store, tmp_path):
    population.import_file(store, write_population(tmp_path / "ok.csv", GOOD))
    before = (dump(store), population_rows(store))
    path = write_population(tmp_path / "rusak.csv", [GOOD[0], ["647201", "-5", "2024", FAKE]])
    with i18n.using("en"):
        prepared = population.prepare(store, path.read_bytes(), path.name, "uji")
        with pytest.raises(registry.ImportRefused) as refused:
            population.commit(store, prepared, "uji")
    issue = prepared.issues.iloc[0]
    assert (issue["berkas"], issue["baris"], issue["kolom"], issue["nilai"]) == (
        "rusak.csv",
        3,
        "Penduduk",
        "-5",
    )
    assert issue["pesan"] == "Penduduk (population) cannot be negative."
    assert str(refused.value) == (
        "rusak.csv: file refused, errors: 1. First: row 3, column Penduduk: "
        "Penduduk (population) cannot be negative."
    )
    assert (dump(store), population_rows(store)) == before
    assert last_log(store)["message"] == "1 galat validasi; pertama: baris 3, Penduduk tidak boleh negatif."
    indonesian = population.prepare(store, path.read_bytes(), path.name, "uji")
    assert indonesian.issues.iloc[0]["pesan"] == "Penduduk tidak boleh negatif."


def test_population_same_file_refusal_and_tables_in_english(store, tmp_path):
    path = write_population(tmp_path / "bps.csv", GOOD)
    population.import_file(store, path, user="uji")
    with i18n.using("en"):
        with pytest.raises(registry.ImportRefused, match=r"^bps.csv: exactly the same file \(same SHA-256\)"):
            population.import_file(store, path, user="uji")
        table = population_data.stored_table(store)
    assert list(table.columns) == [
        "Year",
        "Level",
        "Area code",
        "Area",
        "Kecamatan",
        "Population",
        "Source",
        "File",
    ]
    assert last_log(store)["message"].startswith(
        "bps.csv: berkas yang sama persis (SHA-256 sama) sudah diimpor"
    )
    assert population_rows(store) == [
        ("64.72.01", "kecamatan", 2024, 40000, FAKE),
        ("64.72.05", "kecamatan", 2024, 100000, FAKE),
    ]


# --- the Data & Impor page in English ----------------------------------------------------------------


def upload(at: AppTest, name: str, data: bytes, as_of: date) -> AppTest:
    """Choose a snapshot file and date on the page, then press 'Check file'."""
    at.file_uploader(key="data_upload").set_value((name, data, "text/csv"))
    at.date_input(key="data_as_of").set_value(as_of)
    at.run()
    return at.button(key="data_check").click().run()


def test_data_page_in_english_shows_english_errors_and_audits_indonesian(app_env):  # noqa: F811
    at = AppTest.from_file(page_path("data_impor.py"), default_timeout=60)
    at.session_state[i18n.SESSION_KEY] = "en"
    at = login(at, "dinsos1").run()
    assert at.title[0].value == "Data & Import"

    good = write_csv(app_env / "baseline.csv", BASE).read_bytes()
    upload(at, "baseline.csv", good, D0).button(key="data_commit").click().run()
    assert not at.exception, at.exception
    assert any("Snapshot 30 Nov 2022 imported" in s.value for s in at.success)

    bad = short_nik_file(app_env).read_bytes()
    upload(at, "nik_pendek.csv", bad, D1)
    assert not at.exception, at.exception
    error = at.error[0].value
    assert "**nik\\_pendek.csv refused**" in error  # the file name is escaped (issue 14, item 13)
    assert "Row 3, column NIK" in error and "The NIK must be exactly 16 digits." in error
    assert "NIK harus" not in error
    report = next(d.value for d in at.dataframe if "Message" in d.value.columns)  # headers translated
    assert report[["Level", "Row", "Column"]].values.tolist() == [["Error", "3", "NIK"]]
    assert not [b for b in at.button if b.key == "data_commit"]

    # the same file again under another date passes the checks, then the import refuses it
    upload(at, "baseline.csv", good, D1).button(key="data_commit").click().run()
    assert not at.exception, at.exception
    assert (
        at.error[0]
        .value.replace("\\", "")
        .startswith(  # shown escaped (issue 14, item 13)
            "baseline.csv: exactly the same file (same SHA-256) was already imported"
        )
    )

    store = Store.open(app_env / "page.duckdb")
    refused = store.query("audit_list", action="impor_ditolak", limit=10)["detail"].tolist()  # newest first
    assert refused[0].startswith("baseline.csv: berkas yang sama persis (SHA-256 sama) sudah diimpor")
    assert refused[1] == "1 galat validasi"
    assert store.scalar("select count(*) from snapshot") == 1


def test_data_page_population_errors_in_english(app_env):  # noqa: F811
    at = AppTest.from_file(page_path("data_impor.py"), default_timeout=60)
    at.session_state[i18n.SESSION_KEY] = "en"
    at = login(at, "dinsos1").run()
    bad = write_population(app_env / "rusak.csv", [["647201", "-5", "2024", FAKE]]).read_bytes()
    at.file_uploader(key="data_pop_upload").set_value(("rusak.csv", bad, "text/csv")).run()
    at.button(key="data_pop_check").click().run()
    assert not at.exception, at.exception
    assert any("**rusak.csv refused**" in e.value for e in at.error)
    # the report table of every import kind, its headers in the page's language too
    issues = next(d.value for d in at.dataframe if "Message" in d.value.columns)
    assert issues[["Level", "Row", "Column", "Message"]].values.tolist() == [
        ["Error", "2", "Penduduk", "Penduduk (population) cannot be negative."]
    ]


# --- downloads ------------------------------------------------------------------------------------


def test_expired_session_download_is_refused_in_the_pages_language(store, accounts):
    df = pd.DataFrame({"Kecamatan": ["Palaran"], "Orang": [120]})
    walikota = auth.User("walikota1", "walikota")
    with i18n.using("en"):  # the page's script run makes the button...
        english = export.deferred(store, df, "agregat", "csv", walikota)
    indonesian = export.deferred(store, df, "agregat", "csv", walikota)
    auth.set_active("walikota1", False)
    # ...and the click is served in another thread, which starts in the default language
    assert in_worker(english) == b"Access denied: the session is no longer valid. Please sign in again."
    assert in_worker(indonesian) == b"Akses ditolak: sesi tidak berlaku lagi. Silakan masuk kembali."
    assert store.query("audit_list", action="unduh", limit=10).empty


# --- command lines --------------------------------------------------------------------------------


def test_users_command_line_in_english(accounts, capsys, monkeypatch):
    assert users.main(["--bahasa", "en", "daftar"]) == 0
    assert "walikota1\twalikota\tactive\t" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("sandi-sandi\n"))
    assert users.main(["--bahasa", "en", "tambah", "x", "--peran", "raja", "--kata-sandi-stdin"]) == 1
    assert capsys.readouterr().err.strip() == (
        "FAILED: Unknown role 'raja'; choose walikota, dinsos, admin, opd:<code in data/opd.csv>, "
        "kecamatan:<code> or kelurahan:<code> (Kemendagri codes, e.g. kelurahan:64.72.05.1004)."
    )
    assert i18n.language() == "id"  # the option does not leak past the command
    with pytest.raises(SystemExit):
        users.main(["--bahasa", "en", "--help"])
    help_text = capsys.readouterr().out
    assert "Manage Nol Ekstrem accounts" in help_text and "create an account" in help_text

    monkeypatch.setattr("sys.stdin", io.StringIO("sandi-sandi\n"))
    assert users.main(["tambah", "x", "--peran", "raja", "--kata-sandi-stdin"]) == 1
    assert capsys.readouterr().err.startswith("GAGAL: Peran 'raja' tidak dikenal")
    assert users.main(["daftar"]) == 0
    assert "walikota1\twalikota\taktif\t" in capsys.readouterr().out


def test_import_command_line_in_english(tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    base = write_csv(tmp_path / "base.csv", BASE)
    assert cli.main(["--bahasa", "en", "--db", str(db), "impor", str(base), "--tanggal", "2022-11-30"]) == 0
    out = capsys.readouterr().out
    assert "Snapshot 30 Nov 2022 imported from base.csv in " in out
    assert "People on the list: 5; Families on the list: 3; 0 warnings" in out
    bad = short_nik_file(tmp_path)
    args = ["--db", str(db), "impor", str(bad), "--tanggal", "2022-12-31"]
    assert cli.main(["--bahasa", "en", *args]) == 2
    err = capsys.readouterr().err
    assert "REFUSED: nik_pendek.csv: file refused, errors: 1. First: row 3, column NIK: " in err
    # masked with a hint in the reader's language (issue 14, item 3)
    assert (
        "column NIK: The NIK must be exactly 16 digits. [647205********* (16 digits expected, 15 found)]"
        in err
    )
    assert cli.main(args) == 2
    assert "Galat: baris 3, kolom NIK: NIK harus tepat 16 digit angka." in capsys.readouterr().err
    store = Store.open(db)
    try:
        assert store.scalar("select count(*) from snapshot") == 1
        logged = store.query("import_history", limit=5)["message"].tolist()
    finally:
        store.close()
    assert logged[:2] == ["1 galat validasi; pertama: baris 3, NIK harus tepat 16 digit angka."] * 2


# --- static checks --------------------------------------------------------------------------------

MODULES = [
    "ingest/registry_file",
    "ingest/intervention_file",
    "ingest/population_file",
    "ingest/tabular",
    "ingest/upload_guard",
    "ingest/issues",
    "ingest/population",
    "ingest/registry",
    "ingest/interventions",
    "access/export",
    "users",
    "cli",
]
SECTIONS = ("berkas", "impor", "impor_intervensi", "impor_penduduk", "ekspor", "cli")
KEY = re.compile(rf"^(?:{'|'.join(SECTIONS)})\.[a-z0-9_]*[a-z0-9]$")  # not an f-string's "cli.status_"
# Calls whose string arguments a user reads: each must be a text key (or the start of one, as in
# t(f"cli.status_{status}")), or hold no words at all.
SHOWN = {"ImportRefused", "CatalogError", "FileRefused", "AuthError", "_refused", "print", "progress", "t"}
DOTTED = re.compile(r"^[a-z0-9_]+\.[a-z0-9_.]*$")
TEXT_CALLS = {"t", "text", "say", "_refused"}  # calls that take a text key


def _sources() -> dict[str, ast.Module]:
    return {m: ast.parse((ROOT / "analytics" / f"{m}.py").read_text(encoding="utf-8")) for m in MODULES}


def _name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _texts(node: ast.expr) -> list[str]:
    """The literal text pieces of one argument: a string, or the fixed parts of an f-string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant)]
    return []


def test_every_message_key_of_these_modules_exists_in_both_languages():
    indonesian, english = set(i18n.texts("id")), set(i18n.texts("en"))
    used = {
        node.value
        for tree in _sources().values()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY.match(node.value)
    }
    # keys put together in the code: t(f"cli.status_{status}") and the like
    used |= {f"cli.status_{s}" for s in ("diimpor", "diganti", "ditolak")}
    used |= {f"cli.users_{c}" for c in ("nonaktifkan", "aktifkan", "reset")}
    whys = ("code", "owner", "strategy", "unit", "amount", "months", "date", "period")
    used |= {f"impor_intervensi.catalog_{w}" for w in whys}
    used |= {f"meeting.per_unit.{u}" for u in domain.UNITS}
    # and every complete key handed to t(), text(), say() or _refused()
    used |= {
        s
        for tree in _sources().values()
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and _name(call) in TEXT_CALLS
        for s in (c.value for c in call.args if isinstance(c, ast.Constant) and isinstance(c.value, str))
        if DOTTED.match(s) and not s.endswith(".")
    }
    assert len(used) > 150
    assert sorted(used - indonesian) == [] and sorted(used - english) == []


def test_no_sentence_is_written_into_a_message_site():
    words = re.compile(r"[A-Za-z]{2,}")
    found = []
    for module, tree in _sources().items():
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = _name(call)
            if name in SHOWN:
                args = [*call.args, *(k.value for k in call.keywords)]
                literal = [s for a in args for s in _texts(a) if words.search(s) and not DOTTED.match(s)]
            elif name in ("add", "say"):  # an issue: column keys are single words, messages are not
                literal = [s for a in call.args for s in _texts(a) if " " in s.strip() and words.search(s)]
            else:
                continue
            found += [f"{module}.py:{call.lineno}: {s!r}" for s in literal]
    assert found == []


# --- the store check, the rebuild and the demo build ------------------------------------------------

HINT_ID = "Bangun ulang store dari arsip impor: `python -m analytics.cli bangun-ulang`."
HINT_EN = "Rebuild the store from the import archive: `python -m analytics.cli bangun-ulang`."


def tampered_store(tmp_path: Path) -> Path:
    """A store of one snapshot (base.csv, 30 Nov 2022) whose area_stats changed behind its manifest."""
    import duckdb

    db = tmp_path / "t.duckdb"
    store = Store.open(db)
    registry.import_file(store, write_csv(tmp_path / "base.csv", BASE), D0)
    store.close()
    con = duckdb.connect(str(db))
    con.execute("update area_stats set orang_aktif = orang_aktif + 1 where kode_kelurahan = '64.72.05.1004'")
    con.close()
    return db


def test_manifest_mismatch_is_reported_in_english_and_in_indonesian_by_default(tmp_path):
    from analytics.store import manifest, opening

    db = tampered_store(tmp_path)
    with pytest.raises(manifest.StoreUnavailable) as caught:
        opening.open_verified(db, wait_seconds=0)
    exc = caught.value
    finding = (
        r"Snapshot 2022-11-30: area_stats berbeda \(manifest \[\d+, '-?\d+'\], store \[\d+, '-?\d+'\]\)\."
    )
    indonesian = (
        rf"Store t\.duckdb tidak cocok dengan manifestnya, jadi datanya tidak ditampilkan:\n- {finding}\n\n"
        + re.escape(HINT_ID)
    )
    assert re.fullmatch(indonesian, str(exc))
    with i18n.using("en"):
        shown = str(exc)  # built when read: the session showing it may use another language
        assert str(manifest.REBUILD_HINT) == HINT_EN
        assert exc.log_text == str(exc.args[0])
    assert re.fullmatch(
        r"Store t\.duckdb does not match its manifest, so its data is not shown:\n"
        r"- Snapshot 2022-11-30: area_stats differs "
        r"\(manifest \[\d+, '-?\d+'\], store \[\d+, '-?\d+'\]\)\.\n\n" + re.escape(HINT_EN),
        shown,
    )
    assert re.fullmatch(indonesian, exc.log_text)
    assert str(manifest.REBUILD_HINT) == HINT_ID
    store = Store.open(db)  # the check itself, as `python -m analytics.cli periksa` prints it
    try:
        assert re.fullmatch(finding, manifest.check(store)[0])
        with i18n.using("en"):
            assert manifest.check(store)[0].startswith("Snapshot 2022-11-30: area_stats differs (manifest [")
    finally:
        store.close()


def test_a_store_that_cannot_be_opened_says_so_in_the_chosen_language(tmp_path):
    from analytics.store import manifest, opening

    db = tmp_path / "rusak.duckdb"
    db.write_bytes(b"bukan berkas DuckDB " * 500)
    with i18n.using("en"), pytest.raises(manifest.StoreUnavailable) as caught:
        opening.open_verified(db, wait_seconds=0)
    with i18n.using("en"):
        assert str(caught.value).startswith("Store rusak.duckdb cannot be opened (")
        assert str(caught.value).endswith(f"). {HINT_EN}")
    assert str(caught.value).startswith("Store rusak.duckdb tidak dapat dibuka (")
    assert str(caught.value).endswith(f"). {HINT_ID}")
    busy = manifest.StoreUnavailable("toko.busy", name="t.duckdb")
    assert str(busy) == (
        "Store t.duckdb sedang dipakai proses lain (misalnya impor atau bangun ulang dari baris perintah). "
        "Muat ulang halaman ini sebentar lagi."
    )
    with i18n.using("en"):
        assert str(busy).startswith("Store t.duckdb is in use by another process")


def test_the_app_shows_a_failed_store_check_in_the_language_of_the_session(tmp_path, monkeypatch, accounts):
    db = tampered_store(tmp_path)
    monkeypatch.setenv("NOL_EKSTREM_DB", str(db))
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[i18n.SESSION_KEY] = "en"
    at.run()
    assert [e.value.split("\n")[0] for e in at.error] == [
        "Store t.duckdb does not match its manifest, so its data is not shown:"
    ]
    assert at.error[0].value.endswith(HINT_EN)


def test_rebuild_progress_and_refusal_in_english_and_indonesian_by_default(tmp_path):
    from analytics.ingest import rebuild

    db = tmp_path / "r.duckdb"
    store = Store.open(db)
    registry.import_file(store, write_csv(tmp_path / "base.csv", BASE), D0)
    store.close()
    seen: list[str] = []
    with i18n.using("en"):
        assert rebuild.rebuild(db, lambda _f, message: seen.append(message)) == 1
    assert seen == ["Re-importing base.csv (1/1)", "1 imports rebuilt from the archive"]
    seen.clear()
    assert rebuild.rebuild(db, lambda _f, message: seen.append(message)) == 1
    assert seen == ["Mengimpor ulang base.csv (1/1)", "1 impor dari arsip dibangun ulang"]

    empty = tmp_path / "kosong" / "k.duckdb"
    empty.parent.mkdir()
    with i18n.using("en"), pytest.raises(rebuild.RebuildRefused) as refused:
        rebuild.rebuild(empty)
    assert str(refused.value).startswith("Archive ") and str(refused.value).endswith(
        " is empty: there is no snapshot to rebuild the store from."
    )
    assert refused.value.log_text.endswith(" kosong: tidak ada snapshot untuk membangun ulang store.")


def test_demo_build_progress_in_english(tmp_path, monkeypatch):
    from analytics.demo import dtsen as demo_dtsen
    from analytics.demo import interventions as demo_interventions
    from analytics.demo import snapshots
    from analytics.ingest import bootstrap

    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path))
    # BASE stands in for the generated snapshots (and no OPD files), so the messages of the real build
    # are checked without its 20 s (the full build is tested in tests/test_demo.py)
    base = write_csv(tmp_path / "base.csv", BASE)
    monkeypatch.setattr(snapshots, "write_demo_files", lambda folder: [(D0, base)])
    monkeypatch.setattr(demo_interventions, "write_intervention_files", lambda folder: [])
    monkeypatch.setattr(demo_dtsen, "write_dtsen_files", lambda folder: [])
    store = Store.open(tmp_path / "d.duckdb")
    seen: list[str] = []
    try:
        with i18n.using("en"):
            assert bootstrap.build_demo(store, lambda _f, message: seen.append(message)) == 1
    finally:
        store.close()
    assert seen == [
        "Creating the sample P3KE files",
        "Importing base.csv (1/1)",
        "Creating the sample intervention files of 15 OPDs",
        "1 sample snapshots and 0 sample OPD intervention files ready",
    ]


STORE_MODULES = ["store/manifest", "ingest/rebuild", "ingest/bootstrap"]
STORE_KEY = re.compile(r"^(?:toko|bangun|h4)\.[a-z0-9_]*[a-z0-9]$")


def test_store_check_rebuild_and_demo_messages_come_from_the_locale_files():
    trees = [ast.parse((ROOT / "analytics" / f"{m}.py").read_text(encoding="utf-8")) for m in STORE_MODULES]
    nodes = [n for tree in trees for n in ast.walk(tree)]
    used = {
        n.value
        for n in nodes
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and STORE_KEY.match(n.value)
    }
    assert len(used) >= 20
    assert sorted(used - set(i18n.texts("id"))) == [] and sorted(used - set(i18n.texts("en"))) == []
    words = re.compile(r"[A-Za-z]{2,}")
    shown = SHOWN | {"StoreUnavailable", "RebuildRefused"}
    found = [
        s
        for call in nodes
        if isinstance(call, ast.Call) and _name(call) in shown
        for a in [*call.args, *(k.value for k in call.keywords)]
        for s in _texts(a)
        if words.search(s) and not DOTTED.match(s)
    ]
    assert found == []
