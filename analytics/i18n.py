"""UI texts in Bahasa Indonesia (default) and English, kept in analytics/locales/<lang>.toml.

The current language lives in a ContextVar that app.py sets at the start of every script run
from the sidebar toggle, so analytics modules call t() without a language parameter (Streamlit
runs each session's script in its own thread). Work done in another thread (the meeting pack is
built when its download is clicked, outside the script run) does not see that value: it captures
the language on the script thread and runs inside `using(lang)`. Numbers keep the id-ID format in
both languages (the data is Indonesian); month names, times and other words follow the language
(analytics.formatting reads language()).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DEFAULT = "id"
LANGUAGES: dict[str, str] = {"id": "Bahasa Indonesia", "en": "English"}
SESSION_KEY = "app_bahasa"
LOCALES = Path(__file__).resolve().parent / "locales"

_current: ContextVar[str] = ContextVar("bahasa", default=DEFAULT)


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = str(value)
    return out


@cache
def texts(lang: str) -> dict[str, str]:
    """Every text of one language, keyed by dotted names such as 'ringkasan.title'."""
    with open(LOCALES / f"{lang}.toml", "rb") as fh:
        return _flatten(tomllib.load(fh))


def set_language(lang: str | None) -> None:
    """Use this language for the rest of the current script run (unknown values mean the default)."""
    _current.set(lang if lang in LANGUAGES else DEFAULT)


def language() -> str:
    """The language of the current script run: 'id' or 'en'."""
    return _current.get()


@contextmanager
def using(lang: str | None) -> Iterator[None]:
    """Use this language for t() inside the block, e.g. in a worker thread building a session's pack."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def text(lang: str, key: str, **fmt_args: object) -> str:
    """The text for key in lang (falling back to Indonesian), formatted with fmt_args."""
    found = texts(lang if lang in LANGUAGES else DEFAULT).get(key)
    if found is None:
        found = texts(DEFAULT)[key]
    return found.format(**fmt_args) if fmt_args else found


def t(key: str, **fmt_args: object) -> str:
    """The text for key in the current language (falling back to Indonesian), formatted with fmt_args."""
    return text(language(), key, **fmt_args)


class Refusal(Exception):
    """A refusal or error for the user, in the current language.

    `log_text` is the same message in Indonesian, for the logs, which keep one language.
    """

    def __init__(self, message: str, log_text: str | None = None) -> None:
        super().__init__(message)
        self.log_text = log_text or message

    @classmethod
    def keyed(cls, key: str, **fmt_args: object) -> Refusal:
        """The text `key` in the current language, with Indonesian as log_text."""
        return cls(t(key, **fmt_args), text(DEFAULT, key, **fmt_args))


class TextMap(Mapping[str, str]):
    """A read-only mapping from codes to text keys that yields each text in the language current when
    it is read, so a module constant such as a reason list follows the toggle (also in Series.map)."""

    def __init__(self, keys: dict[str, str]) -> None:
        self._keys = dict(keys)

    def __getitem__(self, code: str) -> str:
        return t(self._keys[code])

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)
