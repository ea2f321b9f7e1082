"""Fixtures of the CPE tests: no file held for a retry before or after a test that holds one."""

from __future__ import annotations

import pytest

from cpe.models import evidence_storage
from cpe.views import held_evidence
from tests.cpe.held import held_files


@pytest.fixture
def no_held_files():
    """The test storage lives in memory for the whole run: start and end without any."""

    def clear():
        for name in held_files():
            evidence_storage().delete(f"{held_evidence.HELD_DIR}/{name}")

    clear()
    yield
    clear()
