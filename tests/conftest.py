"""Fixtures shared by every folder of the tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ray_cluster import local_ray_cluster


@pytest.fixture(scope="session")
def ray_address() -> Iterator[str]:
    """The address of a real Ray cluster on this machine, started for this test session."""
    with local_ray_cluster() as address:
        yield address
