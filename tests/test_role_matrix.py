"""Every page for every kind of role, and for broken roles: no traceback anywhere (issue 16 item 6).

A role that the accounts file holds but that is not a known role (a mistyped OPD or area code, a
word, no role at all) fails closed: every page says so and shows nothing else. The pages a kind may
not open say that too. The store is the small intervention fixture (tests.test_interventions).
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import auth
from tests.conftest import PASSWORD
from tests.helpers import ROOT, login, page_path
from tests.test_interventions import catalog, page_store  # noqa: F401

PAGES = (
    "ringkasan.py",
    "burndown.py",
    "perubahan.py",
    "peta.py",
    "wilayah.py",
    "intervensi_opd.py",
    "rapat.py",
    "verifikasi.py",
    "data_impor.py",
    "audit.py",
    "admin.py",
    "istilah.py",
)
# Who may open which page (app.py's table); every other page refuses the kind with a message.
ONLY = {
    "verifikasi.py": {"dinsos", "kecamatan", "kelurahan", "walikota"},
    "data_impor.py": {"dinsos"},
    "audit.py": {"dinsos", "admin"},
    "admin.py": {"admin"},
}
ROLES = {
    "walikota1": "walikota",
    "dinsos1": "dinsos",
    "opd1": "opd",
    "admin1": "admin",
    "camat1": "kecamatan",
    "lurah1": "kelurahan",
    "typo1": auth.BROKEN,
    "word1": auth.BROKEN,
    "area1": auth.BROKEN,
    "none1": auth.BROKEN,
}
BROKEN = {"typo1": "opd:DINKESS", "word1": "xyz", "area1": "kelurahan:999", "none1": None}


@pytest.fixture
def every_role(page_store):  # noqa: F811
    """The fixture store and accounts of every kind, with broken roles written into the file as
    a hand edit would (the admin page and the CLI refuse them)."""
    auth.add_user("camat1", "kecamatan:64.72.01", PASSWORD)
    auth.add_user("lurah1", "kelurahan:64.72.01.1002", PASSWORD)
    for name in BROKEN:
        auth.add_user(name, "walikota", PASSWORD)
    path = auth.users_path()
    data = json.loads(path.read_text(encoding="utf-8"))
    for name, role in BROKEN.items():
        data["pengguna"][name]["peran"] = role
    path.write_text(json.dumps(data), encoding="utf-8")
    return page_store


def texts(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.error, *at.warning, *at.info])


@pytest.mark.parametrize("name", list(ROLES))
def test_every_page_opens_or_refuses_with_a_message(every_role, name):
    kind = ROLES[name]
    assert auth.User(name, auth.current_role(name) or "").kind == kind
    for page in PAGES:
        at = login(AppTest.from_file(page_path(page), default_timeout=120), name).run()
        assert not at.exception, (page, name, at.exception)
        said = texts(at)
        if kind == auth.BROKEN:
            assert "tidak dikenal" in said, (page, name)
            assert not at.dataframe and not at.metric and not at.get("plotly_chart"), (page, name)
        elif kind not in ONLY.get(page, {kind}):
            assert "tidak tersedia untuk peran Anda" in said, (page, name, said)
        else:
            assert "tidak dikenal" not in said, (page, name)


@pytest.mark.parametrize("name", ["typo1", "none1", "lurah1", "admin1"])
def test_the_app_shows_a_broken_role_one_refusal_page_and_others_their_pages(every_role, name):
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), name).run()
    assert not at.exception, at.exception
    if ROLES[name] == auth.BROKEN:
        assert any("tidak dikenal" in e.value for e in at.error)
        assert any(b.label == "Keluar" for b in at.button)  # they can still sign out
    else:
        assert not any("tidak dikenal" in e.value for e in at.error)
        assert at.title  # the default page (Ringkasan) ran


def test_admin_picks_a_role_from_the_choices_and_the_table_shows_the_new_account_at_once(every_role):
    at = login(AppTest.from_file(page_path("admin.py"), default_timeout=120), "admin1").run()
    assert not at.exception, at.exception
    at.selectbox(key="admin_new_role_kind").set_value("kelurahan").run()
    roles = at.selectbox(key="admin_new_role")
    assert len(roles.options) == 59
    assert "kelurahan:64.72.05.1004 — Sungai Siring Pelita, Samarinda Utara" in roles.options
    roles.set_value("kelurahan:64.72.05.1004")
    at.text_input(key="admin_new_name").input("lurah2")
    at.text_input(key="admin_new_password").input(PASSWORD)
    next(b for b in at.button if b.label == "Tambah").click().run()
    assert not at.exception, at.exception
    assert any("lurah2" in s.value for s in at.success)
    table = next(d.value for d in at.dataframe if "Peran" in d.value.columns)
    assert table.loc[table["Nama"] == "lurah2", "Peran"].tolist() == ["kelurahan:64.72.05.1004"]
    assert auth.User("lurah2", auth.current_role("lurah2")).kind == "kelurahan"
