"""Checks on an uploaded file before any parser sees it: size, real content type, zip bombs.

A problem is given as a locale text key and its format arguments (texts in [berkas]), so the
reader can say it in the user's language and log it in Indonesian.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

Problem = tuple[str, dict[str, object]]  # (locale text key, format arguments)

MAX_ENTRIES = 10_000
MAX_UNPACKED = 500 * 1024 * 1024  # a 9,000-row sheet unpacks to a few MB; 5M rows to a few hundred
MAX_RATIO = 200  # sheet XML compresses ~10-20x; a bomb compresses thousands of times


def max_bytes() -> int:
    """The upload size limit (NOL_EKSTREM_MAX_UPLOAD_MB, default 50 MB)."""
    return int(float(os.environ.get("NOL_EKSTREM_MAX_UPLOAD_MB", "50")) * 1024 * 1024)


def _xlsx_problem(data: bytes) -> Problem | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return "berkas.not_zip", {}
    infos = archive.infolist()
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return "berkas.not_workbook", {}
    if len(infos) > MAX_ENTRIES:
        return "berkas.too_many_parts", {"n": len(infos)}
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        return "berkas.unpacks_to", {"size": f"{unpacked / 1e6:.0f}", "limit": f"{MAX_UNPACKED / 1e6:.0f}"}
    for i in infos:
        if i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 10 * 1024 * 1024:
            return "berkas.zip_bomb", {}
    return None


def _csv_problem(data: bytes) -> Problem | None:
    head = data[:65536]
    if b"\x00" in head:
        return "berkas.binary", {}
    if head.startswith(b"PK\x03\x04") or head.startswith(b"%PDF") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return "berkas.not_csv", {}
    return None


def problem(data: bytes, file_name: str) -> Problem | None:
    """Why this upload must be refused before parsing (text key, arguments), or None when it may be read."""
    limit = max_bytes()
    if len(data) > limit:
        return "berkas.too_big", {"size": f"{len(data) / 1e6:.1f}", "limit": f"{limit / 1e6:.0f}"}
    suffix = Path(file_name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_problem(data)
    if suffix in (".csv", ".txt"):
        return _csv_problem(data)
    return None  # other types are refused by the reader with their own message
