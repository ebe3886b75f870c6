"""Shared fixtures: an empty in-memory store with the real Samarinda areas."""

from __future__ import annotations

import pytest

from analytics.store import Store


@pytest.fixture
def store():
    """A fresh in-memory store, migrated, with the 10 kecamatan and 59 kelurahan loaded."""
    s = Store.open(None)
    yield s
    s._con.close()
