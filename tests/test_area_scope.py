"""The camat's and lurah's roles: named rows only inside their area, aggregates suppressed, and
roles that name an unknown OPD or area refused everywhere (issue 16 items 4 and 6).

Fixture (tests.test_interventions): Budi (Sungai Siring Pelita, Samarinda Utara) left at S1, Fajar
(family K4, Handil Bakti, Palaran) entered at S1; Cici and Dodi (K2) live in Rawa Makmur, Palaran.
"""

from __future__ import annotations

import pytest

from analytics import tables, users
from analytics.access import auth, disclosure
from analytics.access.auth import User
from analytics.burndown import progress
from analytics.opd import coverage
from analytics.profiles import area
from tests.conftest import PASSWORD
from tests.test_interventions import D0, D2, S1, catalog, filled  # noqa: F401

PALARAN = "64.72.01"
RAWA_MAKMUR = "64.72.01.1001"
HANDIL_BAKTI = "64.72.01.1002"
SUNGAI_SIRING = "64.72.05.1004"


def changes(store, user: User) -> set[tuple[str, str | None]]:
    rows = progress.snapshot_diff(store, D0, S1, user, None, None)
    return {(r.arus, r.nama) for r in rows.itertuples()}


@pytest.mark.parametrize(
    ("role", "seen"),
    [
        (f"kelurahan:{HANDIL_BAKTI}", {("masuk_baru", "Fajar")}),
        (f"kelurahan:{SUNGAI_SIRING}", {("keluar", "Budi")}),
        (f"kelurahan:{RAWA_MAKMUR}", set()),
        (f"kecamatan:{PALARAN}", {("masuk_baru", "Fajar")}),
        ("dinsos", {("masuk_baru", "Fajar"), ("keluar", "Budi")}),
        ("walikota", set()),
    ],
)
def test_who_left_and_entered_holds_only_the_area_s_people(filled, role, seen):  # noqa: F811
    assert changes(filled, User("x", role)) == seen
    kinds = progress.snapshot_diff_kinds(filled, D0, S1, User("x", role))
    assert int(kinds["orang"].sum()) == len(seen)


@pytest.mark.parametrize(
    ("role", "families", "off_list"),
    [
        (f"kelurahan:{HANDIL_BAKTI}", {"K3", "K4"}, {"Handil Bakti"}),
        (f"kelurahan:{RAWA_MAKMUR}", set(), set()),
        (f"kelurahan:{SUNGAI_SIRING}", set(), {"Sungai Siring Pelita"}),
        (f"kecamatan:{PALARAN}", {"K3", "K4"}, {"Handil Bakti"}),
        ("kecamatan:64.72.05", set(), {"Sungai Siring Pelita"}),
    ],
)
def test_untouched_families_and_off_list_rows_are_only_the_area_s(filled, role, families, off_list):  # noqa: F811
    """Named rows of Intervensi OPD (and its downloads, the meeting pack's detail): the area only."""
    user = User("x", role)
    mine = coverage.untouched_families(filled, D2, user)
    assert set(mine.iloc[:, 0]) == families  # ID Keluarga
    off = coverage.off_list(filled, D2, user)
    assert set(off["kelurahan"]) == off_list
    city = coverage.off_list(filled, D2, User("d", "dinsos"))
    assert len(off) == city["kelurahan"].isin(off_list).sum()


def test_area_roles_see_suppressed_aggregates_and_named_rows_only_in_their_area():
    lurah, camat = User("l", f"kelurahan:{RAWA_MAKMUR}"), User("c", f"kecamatan:{PALARAN}")
    for user in (lurah, camat):
        assert disclosure.for_role(user) is disclosure.SUPPRESSED
        assert disclosure.for_role(user.role) is disclosure.SUPPRESSED
        assert user.sees_named_records and not user.sees_all_records
    assert lurah.record_scope() == {
        "semua": False,
        "kode_opd": None,
        "kode_wilayah": RAWA_MAKMUR,
        "tampil_nama": True,
    }
    assert disclosure.for_role(User("o", "opd:DISKOPUKM")) is disclosure.EXACT


@pytest.mark.parametrize(
    ("role", "stored"),
    [
        ("kelurahan:6472011001", f"kelurahan:{RAWA_MAKMUR}"),
        (f"kelurahan:{RAWA_MAKMUR}", f"kelurahan:{RAWA_MAKMUR}"),
        ("kecamatan:647201", f"kecamatan:{PALARAN}"),
        ("opd:dinkes", "opd:DINKES"),
        ("walikota", "walikota"),
    ],
)
def test_roles_are_stored_in_one_spelling(role, stored):
    assert auth.canonical_role(role) == stored
    assert User("x", role).kind == stored.split(":")[0]


@pytest.mark.parametrize(
    "role",
    ["opd:DINKESS", "kelurahan:999", "xyz", "opd:", "kecamatan:64.72.01.1001", "kelurahan:64.72.01", ""],
)
def test_a_mistyped_role_is_refused_by_the_admin_and_the_cli_and_is_broken_if_stored(
    role, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("NOL_EKSTREM_USERS", str(tmp_path / "pengguna.json"))
    assert User("x", role).kind == auth.BROKEN
    assert not User("x", role).sees_named_records
    assert disclosure.for_role(User("x", role)) is disclosure.SUPPRESSED
    assert User("x", role).record_scope() == {
        "semua": False,
        "kode_opd": None,
        "kode_wilayah": None,
        "tampil_nama": False,
    }
    with pytest.raises(auth.AuthError, match="tidak dikenal"):
        auth.add_user("baru", role, PASSWORD)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(PASSWORD + "\n"))
    code = users.main(["tambah", "baru", "--peran", role, "--kata-sandi-stdin"])
    assert code != 0
    assert "tidak dikenal" in capsys.readouterr().err
    assert "baru" not in auth.load_users()


def test_the_admin_s_choices_are_every_opd_and_area():
    choices = auth.role_choices()
    assert list(choices["peran"]) == ["walikota", "dinsos", "admin"]
    assert "opd:DINKES" in choices["opd"] and len(choices["opd"]) == 15
    assert len(choices["kecamatan"]) == 10 and len(choices["kelurahan"]) == 59
    assert choices["kelurahan"][f"kelurahan:{RAWA_MAKMUR}"].endswith("Rawa Makmur, Palaran")
    assert all(auth.valid_role(r) for kind in choices.values() for r in kind)


def test_a_lurah_s_named_rows_show_their_numbers_while_aggregates_stay_suppressed(filled):  # noqa: F811
    lurah = User("l", f"kelurahan:{HANDIL_BAKTI}")
    policy = disclosure.for_role(lurah)
    families = coverage.untouched_families(filled, D2, lurah)
    shown = policy.table(families)
    assert len(shown) == 2 and shown.equals(families)  # member counts and desil 1-4, not '<5'
    diff = tables.diff_table(progress.snapshot_diff(filled, D0, S1, lurah, None, None), True)
    assert policy.table(diff).equals(diff)
    per_kel = area.untouched_table(coverage.kelurahan_coverage(filled, D2))
    assert disclosure.SMALL in policy.table(per_kel).to_numpy()  # an aggregate: 1-4 hidden
