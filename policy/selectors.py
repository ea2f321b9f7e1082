"""The policy in force: the administrators' versions over the code's defaults."""

from __future__ import annotations

from policy.models import PolicyVersion
from policy.rules import Policy, policy_for_year


def policy_versions() -> list[Policy]:
    """Every administrator-made version, oldest first."""
    return [v.to_policy() for v in PolicyVersion.objects.order_by("effective_from")]


def policy_for(year: int) -> Policy:
    """The policy in force in ``year`` (administrators' versions over the defaults)."""
    versions = [v.to_policy() for v in PolicyVersion.objects.filter(effective_from__lte=year)]
    return policy_for_year(year, versions)
