"""Sessions that end when they should (reset, disable, sign-out, idle, age) and sign-in throttling
that slows a guesser down without locking the real user out."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import auth
from analytics.store import audit, settings
from tests.conftest import PASSWORD
from tests.helpers import ROOT, login, page_path

START = datetime(2026, 3, 2, 8, 0, 0)
EIGHT_AND_TWELVE = {"idle": timedelta(hours=8), "absolute": timedelta(hours=12)}


class Clock:
    """The time auth and the audit trail see; tests move it instead of sleeping."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def advance(self, **span: float) -> None:
        self.now += timedelta(**span)


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock at START for analytics.access.auth and analytics.store.audit."""
    c = Clock(START)

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return c.now

    monkeypatch.setattr(auth, "datetime", FrozenDatetime)
    monkeypatch.setattr(audit, "datetime", FrozenDatetime)
    return c


# --- Sessions ----------------------------------------------------------------------------------


def _users_command(*args: str) -> None:
    """Run `python -m analytics.users` as an admin would, on the same accounts file."""
    env = {"NOL_EKSTREM_USERS": str(auth.users_path()), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "analytics.users", *args],
        input="sandi-baru-123\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "change",
    [
        lambda: auth.reset_password("dinsos1", "sandi-baru-123"),
        lambda: auth.set_active("dinsos1", False),
        lambda: _users_command("reset", "dinsos1", "--kata-sandi-stdin"),
        lambda: _users_command("nonaktifkan", "dinsos1"),
    ],
    ids=["reset", "disable", "cli-reset", "cli-disable"],
)
def test_reset_or_disable_ends_a_live_session(store, accounts, change):
    token = auth.session_token(auth.sign_in(store, "dinsos1", PASSWORD))
    assert auth.user_from_token(token).role == "dinsos"
    change()
    assert auth.user_from_token(token) is None
    with pytest.raises(auth.AuthError, match="diubah oleh admin"):
        auth.check_session(token)


def test_re_enabling_does_not_resume_an_old_session(store, accounts):
    token = auth.session_token(auth.sign_in(store, "walikota1", PASSWORD))
    auth.set_active("walikota1", False)
    auth.set_active("walikota1", True)
    assert auth.user_from_token(token) is None
    fresh = auth.session_token(auth.sign_in(store, "walikota1", PASSWORD))  # a password starts anew
    assert auth.user_from_token(fresh).kind == "walikota"


def test_sign_out_revokes_the_token_even_if_a_copy_was_kept(store, accounts):
    token = auth.session_token(auth.sign_in(store, "opd1", PASSWORD))
    other_device = auth.session_token(auth.sign_in(store, "opd1", PASSWORD))
    kept_copy = dict(token)
    auth.end_session(token)
    assert auth.user_from_token(kept_copy) is None
    assert auth.user_from_token(other_device).kind == "opd"  # only the session that signed out ends


def _sign_out_script():
    from analytics import ui

    ui.sign_out(ui.store())


def test_signing_out_in_the_app_kills_a_kept_copy_of_the_session(tmp_path, monkeypatch, accounts):
    # (AppTest does not rerun app.py on a sidebar click under st.navigation, so the sign-out that
    # the sidebar button calls runs on its own here.)
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "sesi.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    at = login(AppTest.from_function(_sign_out_script, default_timeout=60), "dinsos1")
    kept_copy = dict(at.session_state["nol_sesi"])
    assert auth.user_from_token(kept_copy).name == "dinsos1"
    at.run()
    assert not at.exception
    assert "nol_sesi" not in at.session_state
    assert auth.user_from_token(kept_copy) is None


def test_idle_timeout_and_absolute_lifetime(accounts):
    LIMITS = auth.SessionLimits(**EIGHT_AND_TWELVE)
    token = auth.session_token(auth.User("dinsos1", "?"), now=START)
    assert auth.check_session(token, LIMITS, now=START + timedelta(hours=7, minutes=59)).name == "dinsos1"
    with pytest.raises(auth.AuthError, match="tidak aktif 8 jam"):
        auth.check_session(token, LIMITS, now=START + timedelta(hours=8, minutes=1))
    # Activity keeps the session alive past 8 hours, but not past 12 hours since sign-in.
    token = auth.refreshed(token, now=START + timedelta(hours=6))
    token = auth.refreshed(token, now=START + timedelta(hours=11))
    assert auth.check_session(token, LIMITS, now=START + timedelta(hours=11, minutes=59)).name == "dinsos1"
    with pytest.raises(auth.AuthError, match=r"12 jam sejak masuk pada 2 Mar 2026 08\.00"):
        auth.check_session(token, LIMITS, now=START + timedelta(hours=12, minutes=1))


def test_refreshing_cannot_forge_activity(accounts):
    LIMITS = auth.SessionLimits(**EIGHT_AND_TWELVE)
    token = auth.session_token(auth.User("dinsos1", "?"), now=START)
    forged = {**token, "aktif": (START + timedelta(hours=9)).isoformat()}
    assert auth.user_from_token(forged, LIMITS, now=START + timedelta(hours=9)) is None


# --- Throttling --------------------------------------------------------------------------------


def _attempt(store, password: str, client: str) -> str:
    """The outcome of one sign-in as dinsos1: 'ok', 'salah' or the wait in seconds."""
    try:
        auth.sign_in(store, "dinsos1", password, client=client)
    except auth.AuthError as exc:
        wait = re.search(r"Coba lagi dalam (\d+) detik", str(exc))
        return wait.group(1) if wait else "salah"
    return "ok"


def test_a_strangers_guesses_do_not_stop_the_real_user_on_another_client(store, accounts, clock):
    for _ in range(10):
        clock.advance(minutes=10)  # slow enough that every guess is really checked
        assert _attempt(store, "tebakan-salah", "ip 203.0.113.5") == "salah"
    assert _attempt(store, "tebakan-salah", "ip 203.0.113.5") != "salah"  # the stranger waits now
    assert _attempt(store, PASSWORD, "ip 10.20.30.40") == "ok"  # the real user does not


def test_guesses_from_many_clients_delay_the_real_user_by_seconds_at_most(store, accounts, clock):
    for i in range(auth.NAME_FREE + 10):  # one checked guess each from 30 addresses
        wait = _attempt(store, "tebakan-salah", f"ip 203.0.113.{i}")
        if wait != "salah":  # the name as a whole is slowed down a little after 20 failures
            clock.advance(seconds=int(wait))
            assert _attempt(store, "tebakan-salah", f"ip 203.0.113.{i}") == "salah"
    wait = _attempt(store, PASSWORD, "ip 10.20.30.40")
    assert wait.isdigit() and int(wait) <= auth.NAME_CAP.total_seconds()
    clock.advance(seconds=int(wait))
    assert _attempt(store, PASSWORD, "ip 10.20.30.40") == "ok"


def _client_script():
    import streamlit as st

    from analytics import ui

    st.session_state["klien"] = ui.client_id()


def test_client_is_the_browser_session_when_there_is_no_address():
    at = AppTest.from_function(_client_script, default_timeout=30).run()
    assert not at.exception
    assert at.session_state["klien"].startswith("sesi ") and len(at.session_state["klien"]) > 10


def test_delays_grow_for_the_same_client(store, accounts, clock):
    client = "sesi 7f1c"
    for _ in range(auth.CLIENT_FREE):
        assert _attempt(store, "tebakan-salah", client) == "salah"
    waits = []
    for _ in range(12):
        wait = _attempt(store, PASSWORD, client)  # refused without checking the password
        waits.append(int(wait))
        clock.advance(seconds=int(wait))
        assert _attempt(store, "tebakan-salah", client) == "salah"
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
    rows = store.query("audit_chain")
    assert (rows["action"] == "masuk_gagal").sum() == auth.CLIENT_FREE + 12 + 12  # every attempt logged
    assert rows["object"].str.startswith("klien ").all()  # the client kept only as a hash
    assert not rows["object"].str.contains("7f1c").any()


def test_admin_reset_clears_the_throttle(store, accounts, clock):
    client = "ip 198.51.100.2"
    for _ in range(8):
        _attempt(store, "tebakan-salah", client)
        clock.advance(seconds=1)
    assert _attempt(store, PASSWORD, client).isdigit()
    auth.reset_password("dinsos1", "sandi-baru-123")
    clock.advance(seconds=1)
    assert _attempt(store, "sandi-baru-123", client) == "ok"


# --- Settings ----------------------------------------------------------------------------------


def test_session_settings_are_validated(store):
    assert settings.session_limits(store) == auth.SessionLimits(timedelta(hours=8), timedelta(hours=12))
    with pytest.raises(settings.SettingError, match="tidak boleh lebih pendek"):
        settings.put_session_limits(store, 8, 4)
    with pytest.raises(settings.SettingError, match="di luar batas"):
        settings.put_session_limits(store, 0, 4)
    settings.put_session_limits(store, 2, 10)
    assert settings.session_limits(store) == auth.SessionLimits(timedelta(hours=2), timedelta(hours=10))


def test_admin_edits_the_session_timeouts_and_they_apply(tmp_path, monkeypatch, accounts):
    monkeypatch.setenv("NOL_EKSTREM_DB", str(tmp_path / "sesi.duckdb"))
    monkeypatch.setenv("NOL_EKSTREM_DEMO", "0")
    at = login(AppTest.from_file(page_path("admin.py"), default_timeout=60), "admin1").run()
    assert not at.exception
    assert at.number_input(key="admin_idle_hours").value == 8
    assert at.number_input(key="admin_absolute_hours").value == 12
    at.number_input(key="admin_idle_hours").set_value(6)
    at.number_input(key="admin_absolute_hours").set_value(4)
    at.button(key="admin_save_sessions").click().run()
    assert "tidak boleh lebih pendek" in at.error[-1].value
    at.number_input(key="admin_idle_hours").set_value(2)
    at.number_input(key="admin_absolute_hours").set_value(10)
    at.button(key="admin_save_sessions").click().run()
    assert not at.exception
    assert "Pengaturan disimpan." in at.success[-1].value

    fresh = login(AppTest.from_file(page_path("admin.py"), default_timeout=60), "admin1").run()
    assert fresh.number_input(key="admin_idle_hours").value == 2
    assert fresh.number_input(key="admin_absolute_hours").value == 10

    # A session last active 3 hours ago is now over, and the sign-in page says why.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["nol_sesi"] = auth.session_token(
        auth.User("dinsos1", "?"), now=datetime.now() - timedelta(hours=3)
    )
    at.run()
    assert not at.exception
    assert "nol_sesi" not in at.session_state
    assert any("tidak aktif 2 jam" in w.value for w in at.warning)
