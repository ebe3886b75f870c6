"""The verval sheet of one kelurahan as an .xlsx the importer reads back: its families on the list at
the latest snapshot pre-filled (ID, the oldest member's name and masked NIK, address, members, last
verification date), then empty columns for the result, with dropdowns for the result, the basis and
each graduation checklist dimension."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from analytics import i18n
from analytics.access.auth import User
from analytics.domain import VERVAL_RESULTS
from analytics.ingest import verval_file
from analytics.ingest.base import ImportRefused
from analytics.store.db import Store, load_query

# Pre-filled columns (headers the importer reads back or ignores; the masked NIK is deliberately not
# headed 'NIK', so the importer never reads it as a per-person NIK).
INFO_HEADERS = ("Nama Kepala Keluarga", "NIK (tersamar)", "Alamat", "Jumlah Anggota", "Verifikasi Terakhir")
ENTRY = ("hasil", "tanggal", "dasar", "nomor_dasar", "tanggal_dasar", "petugas")
BASIS_LABELS = ("BA Muskel", "SPTJM")
TITLE_ROWS = 2  # the title and a note; the header is the third row


def headers() -> list[str]:
    """Every column header of the template, in order."""
    h = verval_file.header
    checks = [dimensi for _, dimensi in verval_file.checklist()]
    return [h("id_keluarga"), *INFO_HEADERS, *(h(k) for k in ENTRY), *checks, h("catatan")]


def may_download(user: User | None, kode_kelurahan: str, kode_kecamatan: str) -> bool:
    """Whether the user may take this kelurahan's sheet (it names people): DinsosPM any kelurahan, a
    camat or lurah only their own area; everyone else none."""
    if user is None or not user.sees_named_records:
        return False
    if user.sees_all_records:
        return True
    return user.area is not None and user.area in (kode_kelurahan, kode_kecamatan)


def file_name(kode_kelurahan: str, kelurahan: str) -> str:
    """The download name: verval_<kelurahan>_<code>.xlsx."""
    return f"verval_{kelurahan.lower().replace(' ', '_')}_{kode_kelurahan.replace('.', '')}.xlsx"


def build(store: Store, user: User | None, kode_kelurahan: str) -> bytes:
    """The kelurahan's sheet as .xlsx bytes; ImportRefused when the user may not take it."""
    area = store.query("area_list")
    found = area[area["kode_kelurahan"] == kode_kelurahan]
    if found.empty:
        raise ImportRefused.keyed("b19.unknown_kelurahan", code=kode_kelurahan)
    kel, kec = found.iloc[0]["kelurahan"], found.iloc[0]["kode_kecamatan"]
    if not may_download(user, kode_kelurahan, kec):
        raise ImportRefused.keyed("b19.not_allowed_template")
    latest = store.scalar(load_query("snapshot_latest"))
    families = (
        store.query("verval_template_families", as_of=latest, kode_kelurahan=kode_kelurahan)
        if latest is not None
        else None
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "Verval"
    ws.cell(1, 1, i18n.text(i18n.DEFAULT, "b19.template_title", kel=kel, kec=found.iloc[0]["kecamatan"]))
    ws.cell(1, 1).font = Font(bold=True, size=13)
    as_of = latest.strftime("%d-%m-%Y") if isinstance(latest, date) else "-"
    ws.cell(2, 1, i18n.text(i18n.DEFAULT, "b19.template_note", date=as_of))
    head = headers()
    row0 = TITLE_ROWS + 1
    for col, text in enumerate(head, start=1):
        ws.cell(row0, col, text).font = Font(bold=True)
    n = 0 if families is None else len(families)
    for i, rec in enumerate([] if families is None else families.itertuples(index=False), start=row0 + 1):
        last = rec.terakhir.date() if hasattr(rec.terakhir, "date") else rec.terakhir
        values = [rec.id_keluarga, rec.nama, rec.nik_masked, rec.alamat, int(rec.anggota)]
        for col, value in enumerate(values, start=1):
            ws.cell(i, col, value)
        if isinstance(last, date):
            ws.cell(i, 6, last).number_format = "DD/MM/YYYY"
    last_row = max(row0 + n, row0 + 1)
    col_of = {text: i for i, text in enumerate(head, start=1)}

    def letter(key: str) -> str:
        return ws.cell(1, col_of[key]).column_letter

    def dropdown(options: list[str], column: str) -> None:
        dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
        dv.add(f"{column}{row0 + 1}:{column}{last_row}")
        ws.add_data_validation(dv)

    h = verval_file.header
    dropdown([i18n.text(i18n.DEFAULT, f"verval.{code}") for code in VERVAL_RESULTS], letter(h("hasil")))
    dropdown(list(BASIS_LABELS), letter(h("dasar")))
    for _, dimensi in verval_file.checklist():
        dropdown(["Ya", "Tidak"], letter(dimensi))
    for key in ("tanggal", "tanggal_dasar"):
        for r in range(row0 + 1, last_row + 1):
            ws[f"{letter(h(key))}{r}"].number_format = "DD/MM/YYYY"
    for col, text in enumerate(head, start=1):
        ws.column_dimensions[ws.cell(1, col).column_letter].width = max(12, min(32, len(text) + 4))
    ws.freeze_panes = ws.cell(row0 + 1, 2)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
