"""Small, documented fixture builders shared by the tests."""

from __future__ import annotations

import csv
from pathlib import Path

from analytics.store.db import Store

HEADER = [
    "ID Keluarga P3KE",
    "Kode Kemdagri",
    "Kecamatan",
    "Desa/Kelurahan",
    "Nama",
    "NIK",
    "Desil Kesejahteraan",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Status",
    "Alasan Keluar",
]

# Five people in three families: two in Sungai Siring Pelita (Samarinda Utara), three in Palaran.
BASE = [
    [
        "K1",
        "6472051004",
        "SAMARINDA UTARA",
        "SUNGAI SIRING PELITA",
        "Ani",
        "6472054101900001",
        "1",
        "Perempuan",
        "1990-01-01",
        "Aktif",
        "",
    ],
    [
        "K1",
        "6472051004",
        "SAMARINDA UTARA",
        "SUNGAI SIRING PELITA",
        "Budi",
        "6472050101900002",
        "1",
        "Laki-laki",
        "1990-01-01",
        "Aktif",
        "",
    ],
    [
        "K2",
        "6472011001",
        "PALARAN",
        "RAWA MAKMUR",
        "Cici",
        "6472014101900003",
        "2",
        "Perempuan",
        "1990-01-01",
        "Aktif",
        "",
    ],
    [
        "K2",
        "6472011001",
        "PALARAN",
        "RAWA MAKMUR",
        "Dodi",
        "6472010101900004",
        "2",
        "Laki-laki",
        "1990-01-01",
        "Aktif",
        "",
    ],
    [
        "K3",
        "6472011002",
        "PALARAN",
        "HANDIL BAKTI",
        "Euis",
        "6472014101900005",
        "1",
        "Perempuan",
        "1990-01-01",
        "Aktif",
        "",
    ],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, title_rows: int = 0) -> Path:
    """Write a P3KE-style CSV (optionally with title rows above the header)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        for i in range(title_rows):
            w.writerow([f"JUDUL {i + 1}"])
        w.writerow(header)
        w.writerows(rows)
    return path


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every stored table's rows, sorted, to compare a store before and after an action."""
    tables = [
        "snapshot",
        "person",
        "person_interval",
        "interval_end",
        "area_stats",
        "flow_stats",
        "setting",
        "keluarga_kk",
        "keluarga_tanda",
        "desil_area",
    ]
    out = {}
    with store.cursor() as cur:
        for t in tables:
            cols = "* exclude (imported_at)" if t == "snapshot" else "*"
            rows = cur.execute(f"select {cols} from {t}").fetchall()
            out[t] = sorted(rows, key=repr)
    return out


ROOT = Path(__file__).resolve().parents[1]


def page_path(name: str) -> str:
    """Absolute path of a page file, for AppTest.from_file."""
    return str(ROOT / "pages" / name)


def login(at, name: str):
    """Put a validly signed session for `name` into an AppTest (the role comes from the accounts file)."""
    from analytics.access import auth

    at.session_state["nol_sesi"] = auth.session_token(auth.User(name, "?"))
    return at


RAPAT_FINDINGS = ("sisa", "keluar", "masuk", "peta", "tertinggal", "verval", "cakupan_opd", "belum_tersentuh")
RAPAT_FINDINGS += ("luar_daftar", "anggaran_blt")


def open_rapat_folds(at) -> None:
    """Open every table and person-level fold of the Rapat page (each is drawn only once opened)."""
    for key in RAPAT_FINDINGS:
        at.session_state[f"rapat_tabel_buka_{key}"] = True
        at.session_state[f"rapat_rincian_buka_{key}"] = True
