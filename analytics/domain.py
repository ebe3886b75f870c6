"""Domain vocabulary: exit reasons, list status, OPD strategies and their labels.

Shared by the importers (write side) and the pages and reports (read side); it imports neither."""

from __future__ import annotations

import re

from analytics.i18n import TextMap, t

# Exit reasons in the order the waterfall shows them: real graduation first, then data correction.
# Their labels live in the locale files (reason.<code>, flow.<code>).
# desil_naik (issue 19): left a DTSEN list because the family's desil rose above the city's setting;
# a flow of its own, never graduation and never a data correction.
REASONS: tuple[str, ...] = (
    "graduasi",
    "desil_naik",
    "meninggal",
    "pindah",
    "tidak_layak",
    "menolak",
    "ganda",
    "tidak_ditemukan",
    "tidak_diketahui",
)
DATA_CORRECTION = {"meninggal", "pindah", "tidak_layak", "menolak", "ganda", "tidak_ditemukan"}

# Verification (verval) results, as the city's sheet and the profile form record them (issue 19).
# Each but masih_miskin_ekstrem is also the exit reason it gives an exit the registry left unexplained.
VERVAL_RESULTS: tuple[str, ...] = (
    "masih_miskin_ekstrem",
    "graduasi",
    "pindah",
    "meninggal",
    "tidak_layak",
    "menolak",
    "ganda",
    "tidak_ditemukan",
)
VERVAL_SYNONYMS: dict[str, str] = {
    "masih miskin ekstrem": "masih_miskin_ekstrem",
    "masih miskin": "masih_miskin_ekstrem",
    "miskin ekstrem": "masih_miskin_ekstrem",
    "tetap": "masih_miskin_ekstrem",
    "tidak ditemukan": "tidak_ditemukan",
    "tidak ditemui": "tidak_ditemukan",
    "tidak diketemukan": "tidak_ditemukan",
}  # plus every REASON_SYNONYMS entry (below)
VERVAL_BASES: tuple[str, ...] = ("ba_muskel", "sptjm")  # berita acara of the muskel, or a signed SPTJM
REASON_SOURCES: tuple[str, ...] = ("registri", "verval")  # where an exit's reason came from

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
    "desil naik": "desil_naik",
    "tidak ditemukan": "tidak_ditemukan",
}
VERVAL_SYNONYMS.update({k: v for k, v in REASON_SYNONYMS.items() if v in VERVAL_RESULTS})

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

FLOWS: tuple[str, ...] = ("masuk_baru", "masuk_kembali")


def reason_labels() -> dict[str, str]:
    """Exit reason code -> label in the current language, in waterfall order."""
    return {code: t(f"reason.{code}") for code in REASONS}


def verval_labels() -> dict[str, str]:
    """Verification result code -> label in the current language."""
    return {code: t(f"verval.{code}") for code in VERVAL_RESULTS}


def registry_of(format_name: str | None) -> str:
    """The registry a source format comes from: the part of its name before '_' ('dtsen_desil' ->
    'dtsen'). The read side's twin of analytics.ingest.formats' `sumber`, which it may not import."""
    return str(format_name or "p3ke_individu").split("_", 1)[0].lower()


def source_labels() -> dict[str, str]:
    """Where an exit's reason came from (REASON_SOURCES) -> label in the current language."""
    return {code: t(f"c19.source_{code}") for code in REASON_SOURCES}


def exit_reason(alasan: str | None, verval: object | None) -> tuple[str, str | None, bool | None]:
    """An exit's (reason, source, proven), the rule of migration 025's SQL macros for one exit.

    `alasan` is the registry's reason (None or 'tidak_diketahui' when the file gave none); `verval`
    a row with p_hasil/k_hasil (the latest verval result of the person / of the family at exit) and
    p_bukti/k_bukti (a graduasi result with its checklist met stands behind it), or None. A person's
    result wins over the family's; 'masih_miskin_ekstrem' fills nothing; nothing is guessed.
    """

    def get(name: str) -> object:
        value = getattr(verval, name, None) if verval is not None else None
        try:
            missing = value is None or bool(value != value)  # NaN as None
        except TypeError:  # pandas' NA
            missing = True
        return None if missing else value

    found = get("p_hasil") or get("k_hasil")
    if alasan and alasan != "tidak_diketahui":
        reason, where = alasan, "registri"
    elif found and found != "masih_miskin_ekstrem":
        reason, where = str(found), "verval"
    else:
        return "tidak_diketahui", None, None
    proven = bool(get("p_bukti") or get("k_bukti")) if reason == "graduasi" else None
    return reason, where, proven


def flow_labels() -> dict[str, str]:
    """Entry flow code -> label in the current language."""
    return {code: t(f"flow.{code}") for code in FLOWS}


# Strategy code -> its name in the current language (a lookup, so it follows the toggle).
STRATEGIES = TextMap(
    {s: f"strategy.{s}" for s in ("bantuan_pendapatan", "usaha_produktif", "kantong_kemiskinan")}
)
UNITS = ("orang", "keluarga")  # what a programme counts, as data/program.csv spells it


# The registry file's birth-date column (header, aliases): read by the registry reader, and removed
# from archived validation reports by analytics.store.archive.
BIRTH_DATE_HEADER = ("Tanggal Lahir", ("tgl lahir",))


def normalise_header(text: object) -> str:
    """Header text folded for matching: lower case, single spaces, no space around '/'."""
    s = re.sub(r"\s+", " ", str(text or "").strip().lower())
    return re.sub(r"\s*/\s*", "/", s)
