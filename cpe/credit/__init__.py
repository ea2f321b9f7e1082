"""The ICMA CPE credit rules of SPEC section 2, as pure functions.

``compute_credit`` takes one activity (``ActivityInput``), the member's other entries
(``PriorEntry``), the policy in force and today's date, and returns the credit with its
reasons, or raises ``CreditRefused`` with the errors per field. No ORM, no clock, no I/O:
the preview, the API, the admin and the tests all call this one function.

``inputs`` holds what an activity is and the checks every input passes; ``rules`` the
credit rule of each kind of activity."""

from cpe.credit.inputs import (
    COURSE_TYPES,
    FIELDS_BY_TYPE,
    INTEGER_FIELDS,
    LIMITS,
    REQUIRED_FIELDS,
    SELF_REPORTABLE,
    TENTH,
    ZERO,
    ActivityInput,
    ActivityType,
    CreditRefused,
    CreditResult,
    CreditRule,
    PriorEntry,
    PublicationKind,
    PublicationStatus,
    check_input,
    fifty_minute_hours,
    need,
    round_down,
    same_program,
)
from cpe.credit.rules import (
    attendance_refusal,
    certification_warning,
    check_offering,
    compute_credit,
)

__all__ = [
    "COURSE_TYPES",
    "FIELDS_BY_TYPE",
    "INTEGER_FIELDS",
    "LIMITS",
    "REQUIRED_FIELDS",
    "SELF_REPORTABLE",
    "TENTH",
    "ZERO",
    "ActivityInput",
    "ActivityType",
    "CreditRefused",
    "CreditResult",
    "CreditRule",
    "PriorEntry",
    "PublicationKind",
    "PublicationStatus",
    "attendance_refusal",
    "certification_warning",
    "check_input",
    "check_offering",
    "compute_credit",
    "fifty_minute_hours",
    "need",
    "round_down",
    "same_program",
]
