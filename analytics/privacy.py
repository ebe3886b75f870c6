"""Pseudonymisation of NIK: a keyed hash as the person key and a masked form for display."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

import duckdb
import pyarrow as pa

KEY_HEX_CHARS = 32  # 128 bits of HMAC-SHA256: collision-free at any registry size


def person_keys(niks: Iterable[str], secret: bytes) -> list[str]:
    """HMAC-SHA256 of each NIK under the secret, hex, truncated to 128 bits.

    Computed by DuckDB's sha256 on both HMAC passes (RFC 2104), in parallel: a 1M-row snapshot
    takes ~0.5 s here against ~1.5 s for a loop over hmac; tests/test_privacy.py checks that
    both give the same keys.
    """
    values = pa.array(niks if hasattr(niks, "__len__") else list(niks), pa.string(), from_pandas=True)
    if len(values) == 0:
        return []
    key = secret if len(secret) <= 64 else hashlib.sha256(secret).digest()
    key = key.ljust(64, b"\0")
    inner, outer = bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)
    con = duckdb.connect(config={"enable_external_access": False})
    try:
        con.register("niks", pa.table({"nik": values}))
        result = con.execute(
            f"select left(sha256($outer || unhex(sha256($inner || nik::blob))), {KEY_HEX_CHARS}) from niks",
            {"inner": inner, "outer": outer},
        ).fetchnumpy()
    finally:
        con.close()
    return list(next(iter(result.values())))


def person_key(nik: str, secret: bytes) -> str:
    """One NIK's person key, by the hmac module (the reference the bulk version is tested against)."""
    return hmac.new(secret, nik.encode("ascii"), hashlib.sha256).hexdigest()[:KEY_HEX_CHARS]


def mask_nik(nik: str) -> str:
    """The NIK with its birth-date and serial middle hidden: 647205******0001."""
    return f"{nik[:6]}******{nik[-4:]}"


def secret_fingerprint(secret: bytes) -> str:
    """A value that identifies the secret without revealing it, stored to catch a changed key."""
    return hmac.new(secret, b"nol-ekstrem:fingerprint", hashlib.sha256).hexdigest()[:16]
