"""A member's CMA status as an Open Badges 3.0 ``OpenBadgeCredential`` (a W3C Verifiable
Credential, data model 2.0), built by one pure function from the status rule's result.

What it states, and where (OB 3.0 has no field of its own for a status or CPE hours, so
they are ``result`` entries that the achievement's ``resultDescription`` describes):

- ``issuer``: IMA, with the portal's address as its ``id`` and ``url``;
- ``credentialSubject``: ``id`` ``urn:ima:member:<member number>``, the member's ``name``
  (and both again as ``identifier`` objects), and the ``achievement`` "Certified Management
  Accountant (CMA)";
- ``credentialSubject.result``: the status code (``active``, ``inactive_makeup``... as the
  API spells them; ``resultType`` ``Status``) and the approved CPE hours of the current and
  the previous reporting year (``resultType`` ``ext:ApprovedCPEHours``, a decimal string);
- ``validFrom`` the moment it is issued, ``validUntil`` the end of the current reporting year
  (31 December: a status is judged per calendar year).

The words (name, description, criteria, the status in ``narrative``) are in the active
language; codes, numbers and dates are machine values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from certification.status import ZERO, StatusResult
from imaportal.formatting import day
from members.choices import CertificationStatus

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
ISSUER_NAME = "Institute of Management Accountants"
ACHIEVEMENT_ID = "urn:ima:achievement:cma"
STATUS_RESULT = f"{ACHIEVEMENT_ID}:result:status"


@dataclass(frozen=True)
class Holder:
    """Who the credential is about: the member's number and name, nothing else."""

    member_number: str
    name: str


def timestamp(moment: dt.datetime) -> str:
    """A machine date-time in UTC (xsd:dateTimeStamp), as VC 2.0 wants it."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hours_result_id(year: int) -> str:
    return f"{ACHIEVEMENT_ID}:result:hours-{year}"


def approved_hours(result: StatusResult, year: int) -> Decimal:
    """The approved hours the ledger counts toward ``year`` (0.0 for a year it lacks)."""
    return next((row.earned for row in result.years if row.year == year), ZERO)


def _achievement(years: tuple[int, int]) -> dict[str, Any]:
    descriptions: list[dict[str, Any]] = [
        {
            "id": STATUS_RESULT,
            "type": ["ResultDescription"],
            "name": gettext("CMA certification status"),
            "resultType": "Status",
            "allowedValue": list(CertificationStatus.values),
        }
    ]
    descriptions += [
        {
            "id": hours_result_id(year),
            "type": ["ResultDescription"],
            "name": gettext("Approved CPE hours in %(year)s") % {"year": year},
            "resultType": "ext:ApprovedCPEHours",
        }
        for year in years
    ]
    return {
        "id": ACHIEVEMENT_ID,
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": gettext("Certified Management Accountant (CMA)"),
        "description": gettext(
            "The CMA certification of the Institute of Management Accountants, held in good "
            "standing by completing the required continuing professional education (CPE) "
            "every year."
        ),
        "criteria": {
            "narrative": gettext(
                "Passed both parts of the CMA exam, met the education and experience "
                "requirements and keeps the CMA by reporting the CPE hours IMA requires each "
                "calendar year."
            )
        },
        "resultDescription": descriptions,
    }


def _subject(
    holder: Holder, result: StatusResult, as_of: dt.date, years: tuple[int, int]
) -> dict[str, Any]:
    status = CertificationStatus(result.status.value)
    results: list[dict[str, Any]] = [
        {"type": ["Result"], "resultDescription": STATUS_RESULT, "value": status.value}
    ]
    results += [
        {
            "type": ["Result"],
            "resultDescription": hours_result_id(year),
            "value": str(approved_hours(result, year)),
        }
        for year in years
    ]
    return {
        "id": f"urn:ima:member:{holder.member_number}",
        "type": ["AchievementSubject"],
        "name": holder.name,
        "identifier": [
            {
                "type": ["IdentityObject"],
                "identityType": "identifier",
                "hashed": False,
                "identityHash": holder.member_number,
            },
            {
                "type": ["IdentityObject"],
                "identityType": "name",
                "hashed": False,
                "identityHash": holder.name,
            },
        ],
        "narrative": gettext("CMA status on %(date)s: %(status)s.")
        % {"date": day(as_of), "status": status.label},
        "achievement": _achievement(years),
        "result": results,
    }


def open_badge(
    *,
    holder: Holder,
    result: StatusResult,
    as_of: dt.date,
    issued_at: dt.datetime,
    portal_url: str,
    credential_id: str,
) -> dict[str, Any]:
    """The credential of ``holder``'s status ``result`` on ``as_of`` (OB 3.0 / VC 2.0)."""
    years = (as_of.year, as_of.year - 1)
    year_end = dt.datetime(as_of.year, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
    portal = portal_url.rstrip("/")
    return {
        "@context": CONTEXT,
        "id": f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": gettext("Certified Management Accountant — status as of %(date)s")
        % {"date": day(as_of)},
        "issuer": {"id": portal, "type": ["Profile"], "name": ISSUER_NAME, "url": portal},
        "validFrom": timestamp(issued_at),
        "validUntil": timestamp(year_end),
        "credentialSubject": _subject(holder, result, as_of, years),
        "credentialSchema": [SCHEMA],
    }
