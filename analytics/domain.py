"""Domain vocabulary: exit reasons, list status and their Indonesian labels."""

from __future__ import annotations

# Exit reasons in the order the waterfall shows them: real graduation first, then data correction.
REASON_LABELS: dict[str, str] = {
    "graduasi": "Graduasi (lepas dari miskin ekstrem)",
    "meninggal": "Meninggal",
    "pindah": "Pindah domisili",
    "tidak_layak": "Tidak layak (hasil verifikasi)",
    "menolak": "Menolak",
    "ganda": "Data ganda",
    "tidak_diketahui": "Alasan tidak diketahui",
}
DATA_CORRECTION = {"meninggal", "pindah", "tidak_layak", "menolak", "ganda"}

REASON_SYNONYMS: dict[str, str] = {
    "graduasi": "graduasi",
    "lulus": "graduasi",
    "graduated": "graduasi",
    "mandiri": "graduasi",
    "keluar dari kemiskinan": "graduasi",
    "meninggal": "meninggal",
    "meninggal dunia": "meninggal",
    "wafat": "meninggal",
    "pindah": "pindah",
    "pindah domisili": "pindah",
    "pindah alamat": "pindah",
    "tidak layak": "tidak_layak",
    "tidak memenuhi syarat": "tidak_layak",
    "tms": "tidak_layak",
    "menolak": "menolak",
    "ganda": "ganda",
    "data ganda": "ganda",
    "duplikat": "ganda",
}

STATUS_SYNONYMS: dict[str, str] = {
    "": "aktif",
    "aktif": "aktif",
    "masih": "aktif",
    "tetap": "aktif",
    "keluar": "keluar",
    "tidak aktif": "keluar",
    "nonaktif": "keluar",
    "non aktif": "keluar",
}

FLOW_LABELS: dict[str, str] = {
    "masuk_baru": "Masuk baru (temuan verifikasi)",
    "masuk_kembali": "Masuk kembali",
}
