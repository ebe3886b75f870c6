"""The session cookie: a signed session record that survives a reload and an app restart, and dies on
sign-out, password reset, disable, and at the idle and absolute limits."""

from __future__ import annotations

import base64
import json
import stat
from datetime import datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from analytics import ui
from analytics.access import auth, session_cookie
from tests.helpers import ROOT

T0 = datetime(2026, 3, 2, 8, 0, 0)
LIMITS = auth.SessionLimits(idle=timedelta(hours=8), absolute=timedelta(hours=12))


def cookie_for(name: str, now: datetime = T0) -> str:
    """The cookie value a browser would hold right after `name` signed in."""
    return session_cookie.encode(auth.session_token(auth.User(name, "?"), now=now))


def user_of(cookie: str, now: datetime = T0) -> auth.User:
    return auth.check_session(session_cookie.decode(cookie), LIMITS, now=now)


def test_cookie_round_trips_and_holds_no_role_or_password(accounts):
    cookie = cookie_for("opd1")
    assert user_of(cookie).role == "opd:DISKOPUKM"  # the role comes from the accounts file, not the cookie
    held = json.loads(base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4)))
    assert set(held) == {"nama", "sid", "sesi", "sejak", "aktif", "tanda"}
    assert "opd" not in json.dumps(held).lower().replace("opd1", "")


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f | {"nama": "dinsos1"},  # someone else's name under opd1's signature
        lambda f: f | {"sejak": (T0 + timedelta(hours=11)).isoformat()},  # a younger sign-in time
        lambda f: f | {"tanda": "0" * 64},
    ],
)
def test_a_tampered_cookie_signs_nobody_in(accounts, change):
    fields = session_cookie.decode(cookie_for("opd1"))
    with pytest.raises(auth.AuthError, match="tidak sah"):
        auth.check_session(change(fields), LIMITS, now=T0)


@pytest.mark.parametrize("garbage", ["", "x", "bm90IGpzb24", "e30", "a" * 5000, None, 12])
def test_a_cookie_that_is_not_a_session_is_none(garbage):
    assert session_cookie.decode(garbage) is None


def test_a_cookie_expires_idle_and_absolute(accounts):
    cookie = cookie_for("dinsos1")
    with pytest.raises(auth.AuthError, match="8 jam"):
        user_of(cookie, T0 + timedelta(hours=8, minutes=1))  # never refreshed: idle
    busy = auth.refreshed(session_cookie.decode(cookie), now=T0 + timedelta(hours=11))
    assert auth.check_session(busy, LIMITS, now=T0 + timedelta(hours=11, minutes=59)).name == "dinsos1"
    with pytest.raises(auth.AuthError, match="12 jam"):
        auth.check_session(busy, LIMITS, now=T0 + timedelta(hours=12, minutes=1))  # active, but too old


@pytest.mark.parametrize(
    "revoke",
    [
        lambda cookie: auth.end_session(session_cookie.decode(cookie), now=T0),  # sign-out
        lambda cookie: auth.reset_password("dinsos1", "sandi-baru-123"),
        lambda cookie: auth.set_active("dinsos1", False),
    ],
    ids=["sign-out", "password-reset", "disable"],
)
def test_a_kept_cookie_is_dead_after_sign_out_reset_and_disable(accounts, revoke):
    cookie = cookie_for("dinsos1")
    other = cookie_for("walikota1")
    revoke(cookie)
    with pytest.raises(auth.AuthError):
        user_of(cookie)
    assert user_of(other).name == "walikota1"  # another account's session lives on


def test_the_signing_key_survives_a_restart_in_a_private_file(accounts, tmp_path, monkeypatch):
    key_file = tmp_path / "rahasia" / "sesi.key"
    monkeypatch.setenv("NOL_EKSTREM_SESSION_KEY_FILE", str(key_file))
    cookie = cookie_for("dinsos1")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    session_cookie.forget_keys()  # the app restarts: the key is read again from its file
    assert user_of(cookie).name == "dinsos1"
    key_file.unlink()  # a new key (a leaked one replaced): every older cookie is dead
    session_cookie.forget_keys()
    with pytest.raises(auth.AuthError, match="tidak sah"):
        user_of(cookie)
    session_cookie.forget_keys()


def test_the_key_lives_beside_the_nik_key_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("NOL_EKSTREM_SESSION_KEY_FILE")
    monkeypatch.setenv("NOL_EKSTREM_SECRET_FILE", str(tmp_path / "kunci" / "rahasia.key"))
    assert session_cookie.key_path() == tmp_path / "kunci" / "sesi.key"
    monkeypatch.delenv("NOL_EKSTREM_SECRET_FILE")
    monkeypatch.setenv("NOL_EKSTREM_DATA_DIR", str(tmp_path / "data"))
    assert session_cookie.key_path() == tmp_path / "data" / "sesi.key"


def test_the_cookie_script_is_strict_and_secure_over_https():
    html = session_cookie.set_script("abc", timedelta(hours=12))
    assert "nol_sesi=abc; Path=/; Max-Age=43200; SameSite=Strict" in html
    assert "location.protocol==='https:'" in html and "Secure" in html
    assert "nol_sesi=; Path=/; Max-Age=0; SameSite=Strict" in session_cookie.clear_script()


def test_the_cookie_is_rewritten_only_every_few_minutes():
    token = {"sid": "a", "aktif": T0.isoformat()}
    assert session_cookie.due(None, token)
    assert not session_cookie.due(token, token | {"aktif": (T0 + timedelta(minutes=4)).isoformat()})
    assert session_cookie.due(token, token | {"aktif": (T0 + timedelta(minutes=5)).isoformat()})
    assert session_cookie.due(token, token | {"sid": "b"})


# --- The app: a reload (a new browser session with the cookie) stays signed in -------------------


def app_with_cookie(monkeypatch, cookie: str | None) -> AppTest:
    """app.py as a reloaded tab: nothing in the session, the cookie sent by the browser."""
    monkeypatch.setattr(ui, "browser_cookie", lambda: cookie)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def cookie_scripts(at: AppTest) -> list[str]:
    return [e.proto.body for e in at.get("html") if "nol_sesi=" in e.proto.body]


def _sign_out_and_sync():
    from analytics import ui

    ui.sign_out(ui.store())
    ui.session_cookie_sync(ui.current_user())


def test_a_reload_with_the_cookie_stays_signed_in_and_sign_out_clears_it(demo_app, accounts, monkeypatch):
    cookie = session_cookie.encode(auth.session_token(auth.User("dinsos1", "?")))
    at = app_with_cookie(monkeypatch, cookie).run()
    assert not at.exception, at.exception
    assert [b for b in at.button if b.key == "app_sign_out"]  # signed in, no password asked
    assert not [i for i in at.text_input if i.key == "masuk_sandi"]

    # (AppTest does not rerun app.py on a sidebar click under st.navigation: the sign-out that the
    # button calls, and the next run's cookie step, run on their own here, in the same kind of tab.)
    out = AppTest.from_function(_sign_out_and_sync, default_timeout=60).run()
    assert not out.exception, out.exception
    assert any("Max-Age=0" in s for s in cookie_scripts(out))  # the browser deletes its copy
    reloaded = app_with_cookie(monkeypatch, cookie).run()  # a copy kept anyway is dead
    assert [i for i in reloaded.text_input if i.key == "masuk_sandi"]
    assert not [b for b in reloaded.button if b.key == "app_sign_out"]


def _sign_in_and_sync():
    from analytics import ui

    assert ui.sign_in(ui.store(), "walikota1", "rahasia-123") is None
    ui.session_cookie_sync(ui.current_user())


def test_signing_in_writes_the_cookie(demo_app, accounts, monkeypatch):
    at = app_with_cookie(monkeypatch, None).run()
    assert not cookie_scripts(at)  # nothing to write or clear before sign-in
    # (the sign-in form's st.rerun ends an AppTest run: sign-in and the next run's step run here)
    at = AppTest.from_function(_sign_in_and_sync, default_timeout=60).run()
    assert not at.exception, at.exception
    written = cookie_scripts(at)
    assert written and "SameSite=Strict" in written[0] and "Max-Age=43200" in written[0]
    value = written[0].split("nol_sesi=")[1].split(";")[0]
    assert auth.check_session(session_cookie.decode(value)).name == "walikota1"


def test_an_expired_cookie_says_why_and_is_cleared(demo_app, accounts, monkeypatch):
    old = datetime.now() - timedelta(hours=13)
    cookie = session_cookie.encode(auth.session_token(auth.User("dinsos1", "?"), now=old))
    at = app_with_cookie(monkeypatch, cookie).run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "app_sign_out"]
    assert any("Max-Age=0" in s for s in cookie_scripts(at))
    assert any("jam" in w.value for w in at.warning)  # the sign-in page says the session ended
