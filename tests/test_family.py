"""Find a family and its profile (issue 16): lookup by NIK, ID Keluarga or name within the role's scope,
the profile's dates and interventions, the one-page PDF, and the audit trail of every lookup and view.

The fixture is tests/test_interventions.py's (snapshots D0, S1, D2 and three OPD files):
K1 Ani + Budi (Budi graduated at S1), K2 Cici + Dodi, K3 Euis, K4 Fajar (entered at S1).
Diskop UKM (opd1) holds records for Cici (K2), Budi (K1), Euis (K3) and a stranger, none for K4.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pandas as pd
import pytest

from analytics.access.auth import User
from analytics.profiles import family, family_pdf
from analytics.store import audit
from tests.test_interventions import ANI, BUDI, CICI, EUIS, FAJAR, catalog, filled  # noqa: F401

DINSOS = User("dinsos1", "dinsos")
DISKOP = User("opd1", "opd:DISKOPUKM")
WALIKOTA = User("walikota1", "walikota")


def audit_rows(store, action: str) -> pd.DataFrame:
    return store.query("audit_list", action=action, limit=1000)


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext missing: install poppler-utils (scripts/install_browser.sh)")
    return subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def pdf_pages(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.mark.parametrize(
    ("text", "family_id", "matched"),
    [
        (ANI, "K1", "Ani"),  # a full NIK, through its keyed hash
        ("6472 0541.0190-0001", "K1", "Ani"),  # the same NIK as people write it
        (CICI, "K2", "Cici"),
        (FAJAR, "K4", "Fajar"),  # entered after the first list
        ("K3", "K3", None),  # an ID Keluarga
        ("k2", "K2", None),  # in any case
        ("udi", "K1", "Budi"),  # a name fragment, off the list now: the whole store is searched
        ("EUIS", "K3", "Euis"),
    ],
)
def test_dinsos_finds_a_family_by_nik_id_keluarga_or_name(filled, text, family_id, matched):  # noqa: F811
    found = family.find(filled, DINSOS, text)
    assert found.total == 1
    row = found.families.iloc[0]
    assert row["id_keluarga"] == family_id
    assert (row["cocok"] if isinstance(row["cocok"], str) else None) == matched


def test_a_search_says_how_many_matched_and_shows_at_most_the_cap(filled, monkeypatch):  # noqa: F811
    monkeypatch.setattr(family, "CAP", 2)
    found = family.find(filled, DINSOS, "K")  # no family is called K: nothing, not every family
    assert found.total == 0
    with filled.transaction() as cur:  # three more people named Budi, in K2, K3 and K4
        cur.execute("update person set nama = 'Budi ' || nama where nama in ('Cici', 'Euis', 'Fajar')")
    found = family.find(filled, DINSOS, "budi")
    assert found.total == 4 and len(found.families) == 2


def test_an_opd_finds_only_its_own_beneficiaries(filled):  # noqa: F811
    assert family.find(filled, DISKOP, BUDI).families["id_keluarga"].tolist() == ["K1"]
    assert family.find(filled, DISKOP, "K2").total == 1
    assert family.find(filled, DISKOP, EUIS).total == 1  # a planned record is a tie too
    assert family.find(filled, DISKOP, FAJAR).total == 0  # K4: only Disperkim holds a record
    assert family.find(filled, DISKOP, "K4").total == 0
    assert family.find(filled, DISKOP, "fajar").total == 0
    assert not family.may_see(filled, DISKOP, "K4")
    with pytest.raises(family.FamilyRefusal):
        family.profile(filled, DISKOP, "K4")  # not even by typing its ID into the URL
    assert family.profile(filled, DISKOP, "K1").members["nama"].tolist() == ["Ani", "Budi"]


@pytest.mark.parametrize(
    ("role", "found", "refused"),
    [
        ("kelurahan:64.72.01.1002", ["K3", "K4"], "K2"),  # a lurah of Handil Bakti
        ("kecamatan:64.72.01", ["K2", "K3", "K4"], "K1"),  # the camat of its kecamatan
    ],
)
def test_a_camat_or_lurah_finds_only_families_listed_in_their_area(filled, role, found, refused):  # noqa: F811
    user = User("wilayah1", role)
    assert [k for k in ("K1", "K2", "K3", "K4") if family.find(filled, user, k).total] == found
    assert family.find(filled, user, refused).total == 0
    assert not family.may_see(filled, user, refused)
    with pytest.raises(family.FamilyRefusal):
        family.profile(filled, user, refused)
    assert family.profile(filled, user, found[-1]).id_keluarga == found[-1]


def test_walikota_cannot_search_or_open_a_profile(filled):  # noqa: F811
    with pytest.raises(family.FamilyRefusal, match="data pribadi"):
        family.find(filled, WALIKOTA, ANI)
    assert not family.may_see(filled, WALIKOTA, "K1")
    with pytest.raises(family.FamilyRefusal):
        family.profile(filled, WALIKOTA, "K1")
    # even the SQL gives a role without named access nothing
    df = filled.query(
        "family_search", person_key=None, id_keluarga="K1", nama=None, cap=20, **WALIKOTA.record_scope()
    )
    assert df.empty


def test_every_lookup_and_view_is_audited_without_a_raw_nik(filled):  # noqa: F811
    family.find(filled, DINSOS, ANI)
    family.find(filled, DINSOS, "udi")
    family.find(filled, DISKOP, "K4")  # finds nothing: still audited
    family.find(filled, DINSOS, "6472054101900")  # a partial NIK: searched, never written down
    family.profile(filled, DINSOS, "K1")
    with pytest.raises(family.FamilyRefusal):
        family.profile(filled, DISKOP, "K4")
    with pytest.raises(family.FamilyRefusal):
        family.profile(filled, DINSOS, ANI)  # a NIK typed into the URL: refused and not logged

    searches = audit_rows(filled, "cari_keluarga").iloc[::-1]  # oldest first
    assert searches["user_name"].tolist() == ["dinsos1", "dinsos1", "opd1", "dinsos1"]
    assert searches["object"].iloc[0].startswith("NIK (kunci orang ")
    assert searches["detail"].tolist()[:3] == ["1 keluarga: K1", "1 keluarga: K1", "0 keluarga"]
    assert searches["object"].iloc[3] == "teks berangka (tidak dicatat)"
    views = audit_rows(filled, "lihat_keluarga").iloc[::-1]
    assert views["user_name"].tolist() == ["dinsos1", "opd1", "dinsos1"]
    assert views["object"].tolist()[:2] == ["ID Keluarga K1", "ID Keluarga K4"]
    assert views["detail"].iloc[1] == "ditolak: di luar cakupan peran"
    everything = filled.query("audit_chain").astype(str).to_string()
    for nik in (ANI, "6472054101900"):
        assert nik not in everything
    assert audit.verify_chain(filled) is None


def test_profile_lists_on_off_dates_with_reasons_and_interventions_with_amounts(filled):  # noqa: F811
    p = family.profile(filled, DINSOS, "K1")
    assert p.kelurahan == "Kel. Sungai Siring Pelita, Kec. Samarinda Utara"
    members = p.members_table()
    assert members["NIK (tersamar)"].tolist() == ["647205**********"] * 2
    assert members["Di daftar sekarang"].tolist() == ["ya", "tidak"]
    events = p.events_table()
    assert events.values.tolist() == [
        ["30 Nov 2022", "Ani (647205**********)", "Di daftar awal", "–", "Sungai Siring Pelita"],
        ["30 Nov 2022", "Budi (647205**********)", "Di daftar awal", "–", "Sungai Siring Pelita"],
        [
            "31 Mar 2023",
            "Budi (647205**********)",
            "Keluar — Graduasi (lepas dari miskin ekstrem)",
            "Registri (berkas); tanpa bukti",  # the file's reason, no verification behind it
            "Sungai Siring Pelita",
        ],
    ]
    programmes = p.programmes_table()
    assert programmes.values.tolist() == [
        ["Dinsos PM", "BLT per keluarga", "10 Jan 2023", "10 Mar 2023", "2", "Rp 600.000", "1 rencana"],
        ["Diskop UKM", "Usaha ekonomi produktif", "10 Apr 2023", "10 Apr 2023", "1", "Rp 2.500.000", "–"],
    ]
    blt = p.blt_table().iloc[0]
    assert blt["Bulan tersalur"] == "Feb 2023, Mar 2023"
    assert blt["Pembayaran"] == "2 dari 10"
    assert (blt["Nilai rencana"], blt["Sisa"]) == ("Rp 3.000.000", "Rp 2.400.000")

    k4 = family.profile(filled, DINSOS, "K4")
    assert k4.events_table()["Perubahan"].tolist() == ["Masuk baru (temuan verifikasi)"]
    assert k4.programmes_table()["Rencana"].tolist() == [
        "1 rencana, belum tersalur"
    ]  # the house not yet built
    k3 = family.profile(filled, DINSOS, "K3")
    assert k3.programmes_table().set_index("Program")["Rencana"].to_dict() == {
        "BLT per keluarga": "1 rencana, belum tersalur",
        "Usaha ekonomi produktif": "1 rencana, belum tersalur",
    }


def test_a_member_missing_from_a_snapshot_goes_off_without_a_reason_and_comes_back(filled):  # noqa: F811
    p = family.profile(filled, DINSOS, "K2")
    cici = p.members.loc[p.members["nama"] == "Cici", "person_key"].iloc[0]
    spans = pd.DataFrame(
        {
            "person_key": [cici, cici],
            "valid_from": pd.to_datetime(["2022-11-30", "2023-06-30"]),
            "valid_to": pd.to_datetime(["2023-03-31", None]),
            "id_keluarga": ["K2", "K2"],
            "status": ["aktif", "aktif"],
            "alasan": [None, None],
            "kelurahan": ["Rawa Makmur", "Rawa Makmur"],
        }
    )
    p.intervals = spans
    assert p.events_table()["Perubahan"].tolist() == [
        "Di daftar awal",
        "Keluar — Alasan tidak diketahui",
        "Masuk kembali",
    ]


def test_pdf_is_one_page_and_shows_no_raw_nik(filled):  # noqa: F811
    p = family.profile(filled, DINSOS, "K1")
    data = family_pdf.build(p, "dinsos1")
    assert pdf_pages(data) == 1
    text = pdf_text(data)
    assert "Profil keluarga K1" in text and "Graduasi" in text and "Rp 2.400.000" in text
    assert "647205**********" in text
    for nik in (ANI, BUDI):
        assert nik not in text and nik[6:] not in text

    # a family with many members and records still fits one page, and says what was left out
    def many(df: pd.DataFrame, n: int) -> pd.DataFrame:  # n copies, each of other people
        return pd.concat(
            [df.assign(person_key=df["person_key"] + f"-{i}") for i in range(n)], ignore_index=True
        )

    p.members, p.intervals = many(p.members, 20), many(p.intervals, 20)
    p.records = pd.concat([p.records] * 30, ignore_index=True).assign(
        program=lambda r: (
            (r["program"] + " dengan nama yang sangat panjang sekali ") * 4 + r.index.astype(str)
        )
    )
    data = family_pdf.build(p, "dinsos1")
    assert pdf_pages(data) == 1
    assert "baris lagi" in pdf_text(data)


def test_pdf_download_is_audited_and_rechecks_the_role(filled, accounts):  # noqa: F811
    data = family_pdf.download(filled, User("dinsos1", "dinsos"), "K1")()
    assert data.startswith(b"%PDF")
    row = audit_rows(filled, "unduh").iloc[0]
    assert (row["user_name"], row["object"], row["detail"]) == (
        "dinsos1",
        "keluarga_K1.pdf",
        "profil keluarga K1",
    )
    refused = family_pdf.download(filled, User("walikota1", "walikota"), "K1")()
    assert not refused.startswith(b"%PDF")
