"""Certification status (SPEC section 3) as one pure function.

``compute_status(facts, policies=..., as_of=...)`` is used by the nightly job for every
member, by the recompute after each write, and by the ``as_of`` API alike. It reads no
clock, settings or database: the caller passes the member's facts and the policy
versions.

``facts`` holds what the rule takes and returns, ``years`` the year ledger and ``engine``
the function itself. Its reasons are ``imaportal.reasons.Reason`` codes (``status.*``) with
parameters; ``words`` puts them into sentences when they are shown."""

from certification.status.engine import compute_status
from certification.status.facts import (
    TENTH,
    ZERO,
    Credit,
    LedgerMode,
    Status,
    StatusFacts,
    StatusResult,
    YearRow,
)
from certification.status.pending import pending_hours, pending_review

__all__ = [
    "TENTH",
    "ZERO",
    "Credit",
    "LedgerMode",
    "Status",
    "StatusFacts",
    "StatusResult",
    "YearRow",
    "compute_status",
    "pending_hours",
    "pending_review",
]
