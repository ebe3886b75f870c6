"""Pseudonymisation of NIK: a keyed hash as the person key and a masked form for display."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

KEY_HEX_CHARS = 32  # 128 bits of HMAC-SHA256: collision-free at any registry size


def person_keys(niks: Iterable[str], secret: bytes) -> list[str]:
    """HMAC-SHA256 of each NIK under the secret, hex, truncated to 128 bits."""
    base = hmac.new(secret, digestmod=hashlib.sha256)
    out = []
    for nik in niks:
        h = base.copy()
        h.update(nik.encode("ascii"))
        out.append(h.hexdigest()[:KEY_HEX_CHARS])
    return out


def mask_nik(nik: str) -> str:
    """The NIK with its birth-date and serial middle hidden: 647205******0001."""
    return f"{nik[:6]}******{nik[-4:]}"


def secret_fingerprint(secret: bytes) -> str:
    """A value that identifies the secret without revealing it, stored to catch a changed key."""
    return hmac.new(secret, b"nol-ekstrem:fingerprint", hashlib.sha256).hexdigest()[:16]
