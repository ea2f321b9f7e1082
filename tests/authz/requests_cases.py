"""Exemption, retirement and dues routes (pages and API)."""

from tests.authz import LOGIN, Case, member_a_url  # noqa: F401

CASES: dict[str, Case] = {}


def extend(ctx):
    """Add the objects these routes need to the shared context."""
