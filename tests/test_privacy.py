"""The person key: the bulk (DuckDB) HMAC equals the hmac module's, row for row and in order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.store import privacy


@settings(max_examples=60, deadline=None)
@given(
    niks=st.lists(st.text(alphabet="0123456789", min_size=16, max_size=16), max_size=20),
    secret=st.binary(min_size=1, max_size=100),  # longer than a SHA-256 block is hashed first
)
def test_bulk_keys_equal_the_hmac_module(niks, secret):
    assert privacy.person_keys(niks, secret) == [privacy.person_key(n, secret) for n in niks]


def test_bulk_keys_keep_row_order_on_a_large_parallel_input():
    niks = [f"6472{i:012d}" for i in range(200_000)]
    keys = privacy.person_keys(niks, b"rahasia")
    assert len(set(keys)) == len(niks)
    for i in (0, 1, 77_777, 122_880, 199_999):  # 122,880 = the start of a later DuckDB row group
        assert keys[i] == privacy.person_key(niks[i], b"rahasia")


def test_the_key_depends_on_the_secret_and_is_128_bits():
    a, b = (
        privacy.person_keys(["6472051234567890"], b"satu"),
        privacy.person_keys(["6472051234567890"], b"dua"),
    )
    assert a != b and len(a[0]) == 32
