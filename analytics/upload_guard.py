"""Checks on an uploaded file before any parser sees it: size, real content type, zip bombs."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

MAX_ENTRIES = 10_000
MAX_UNPACKED = 500 * 1024 * 1024  # a 9,000-row sheet unpacks to a few MB; 5M rows to a few hundred
MAX_RATIO = 200  # sheet XML compresses ~10-20x; a bomb compresses thousands of times


def max_bytes() -> int:
    """The upload size limit (NOL_EKSTREM_MAX_UPLOAD_MB, default 50 MB)."""
    return int(float(os.environ.get("NOL_EKSTREM_MAX_UPLOAD_MB", "50")) * 1024 * 1024)


def _xlsx_problem(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return "isinya bukan berkas Excel .xlsx (arsip zip rusak atau bukan zip)"
    infos = archive.infolist()
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return "isinya bukan buku kerja Excel .xlsx"
    if len(infos) > MAX_ENTRIES:
        return f"berisi {len(infos)} bagian; terlalu banyak untuk buku kerja biasa"
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        return f"membengkak menjadi {unpacked / 1e6:.0f} MB saat dibuka (batas {MAX_UNPACKED / 1e6:.0f} MB)"
    for i in infos:
        if i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 10 * 1024 * 1024:
            return "rasio kompresinya tidak wajar (kemungkinan 'zip bomb')"
    return None


def _csv_problem(data: bytes) -> str | None:
    head = data[:65536]
    if b"\x00" in head:
        return "isinya biner, bukan teks CSV"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"%PDF") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return "isinya bukan teks CSV (berkas Excel/PDF yang diganti namanya?)"
    return None


def problem(data: bytes, file_name: str) -> str | None:
    """Why this upload must be refused before parsing, or None when it may be read."""
    limit = max_bytes()
    if len(data) > limit:
        return f"ukurannya {len(data) / 1e6:.1f} MB, di atas batas {limit / 1e6:.0f} MB"
    suffix = Path(file_name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_problem(data)
    if suffix in (".csv", ".txt"):
        return _csv_problem(data)
    return None  # other types are refused by the reader with their own message
