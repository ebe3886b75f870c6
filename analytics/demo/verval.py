"""Demo verification results: a kelurahan's verval sheet (as the app's template writes it) filled in with
a made-up mix of results, graduations with complete and incomplete checklists among them. Every name
and number here is invented; the sheet goes through the normal verval import."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

from openpyxl import load_workbook

# (result as a clerk writes it, share of the filled rows); the rest of the rows stay empty (not yet
# verified), and some results are dated more than six months back (overdue again).
MIX = (
    ("Masih miskin ekstrem", 0.45),
    ("Graduasi", 0.25),
    ("Pindah", 0.08),
    ("Meninggal", 0.05),
    ("Tidak layak", 0.07),
    ("Tidak ditemukan", 0.06),
    ("Ganda", 0.04),
)
CHECKLIST = ("Ekonomi", "Sosial", "Pendidikan", "Kesehatan", "Rumah", "Air & sanitasi")
OFFICERS = ("PSM Contoh A", "PSM Contoh B", "Pendamping Contoh C")
FILLED_SHARE = 0.7  # of the kelurahan's families
DEMO_KELURAHAN = 4  # sheets in the demo build: the kelurahan with the most families on the list


def fill_sheet(template: bytes, today: date, seed: int) -> bytes:
    """The template filled in: the first and ~70% of the other families get a result dated within
    the last nine months."""
    rng = random.Random(seed)
    wb = load_workbook(io.BytesIO(template))
    ws = wb.active
    head_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "ID Keluarga")
    col = {c.value: c.column for c in ws[head_row] if c.value}
    labels, weights = zip(*MIX, strict=True)
    for r in range(head_row + 1, ws.max_row + 1):
        # the first family always gets a result: a sheet without any is refused
        if not ws.cell(r, 1).value or (r > head_row + 1 and rng.random() > FILLED_SHARE):
            continue
        result = rng.choices(labels, weights)[0]
        when = today - timedelta(days=rng.randint(3, 270))
        sptjm = rng.random() < 0.3
        number = f"{rng.randint(1, 60)}/{'SPTJM' if sptjm else 'BA-Muskel'}/{when.year}"
        cells = {
            "Hasil Verifikasi": result,
            "Tanggal Verifikasi": when,
            "Dasar": "SPTJM" if sptjm else "BA Muskel",
            "Nomor BA/SPTJM": number,
            "Tanggal BA/SPTJM": when - timedelta(days=rng.randint(0, 5)),
            "Petugas": rng.choice(OFFICERS),
        }
        if result == "Graduasi":
            complete = rng.random() < 0.6
            missing = set() if complete else set(rng.sample(CHECKLIST, rng.randint(1, 2)))
            cells |= {name: "Tidak" if name in missing else "Ya" for name in CHECKLIST}
        for name, value in cells.items():
            ws.cell(r, col[name], value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# Results of the 2023-2024 field verification for families that left the P3KE list without a reason
# in the file (issue 19: verification, not graduation, explains most of the early fall).
EXIT_MIX = (
    ("Meninggal", 0.2),
    ("Pindah", 0.3),
    ("Tidak ditemukan", 0.2),
    ("Tidak layak", 0.1),
    ("Graduasi", 0.2),
)
EXIT_SHEET_SHARE = 0.8  # of those families: the rest stay "alasan tidak diketahui"


def exits_sheet(snapshots: dict, seed: int = 2023) -> tuple[str, bytes]:
    """(file name, CSV) of a verval sheet for the families whose members vanished from one P3KE
    snapshot to the next without a Keluar row: each result dated within a month after the exit."""
    import csv

    rng = random.Random(seed)
    dates = sorted(snapshots)
    exits: dict[str, date] = {}
    for before, after in zip(dates, dates[1:], strict=False):
        prev, nxt = snapshots[before], snapshots[after]
        gone = prev[(prev["Status"] == "Aktif") & ~prev["NIK"].isin(nxt["NIK"])]
        for family in sorted(gone["ID Keluarga P3KE"].unique()):
            exits.setdefault(family, after)
    labels, weights = zip(*EXIT_MIX, strict=True)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["LEMBAR VERVAL KELUARGA KELUAR TANPA ALASAN (CONTOH)"])
    w.writerow(
        [
            "ID Keluarga",
            "Hasil Verifikasi",
            "Tanggal Verifikasi",
            "Dasar",
            "Nomor BA/SPTJM",
            "Petugas",
            *CHECKLIST,
        ]
    )
    for family, left in sorted(exits.items()):
        if rng.random() > EXIT_SHEET_SHARE:
            continue
        result = rng.choices(labels, weights)[0]
        when = left + timedelta(days=rng.randint(1, 28))
        checks = [""] * len(CHECKLIST)
        if result == "Graduasi":
            complete = rng.random() < 0.5
            missing = set() if complete else set(rng.sample(CHECKLIST, rng.randint(1, 3)))
            checks = ["Tidak" if name in missing else "Ya" for name in CHECKLIST]
        number = f"{rng.randint(1, 40)}/BA-Muskel/{when.year}"
        w.writerow([family, result, when.isoformat(), "BA Muskel", number, rng.choice(OFFICERS), *checks])
    return "verval_keluar_tanpa_alasan_2023_2024.csv", out.getvalue().encode("utf-8")
