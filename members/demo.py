"""The demo data set: membership types, a staff administrator, a staff reviewer and a dozen
members with varied histories. Loaded by ``manage.py load_demo_data``; idempotent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from members import services
from members.models import Member, MembershipType, User

DEMO_PASSWORD = "ima-demo-2026"  # noqa: S105 - printed for the demo on purpose
# Base32 TOTP secrets of the demo staff accounts (add them to an authenticator app, or
# run ``manage.py totp_code EMAIL`` while DEBUG is on).
DEMO_TOTP_SECRETS = {
    "admin@demo.ima.example": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    "reviewer@demo.ima.example": "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF",
}

MEMBERSHIP_TYPES = [
    ("professional", "Professional", Decimal("295.00")),
    ("academic", "Academic", Decimal("150.00")),
    ("student", "Student", Decimal("49.00")),
    ("retired", "Retired", Decimal("98.00")),
]


@dataclass(frozen=True)
class DemoMember:
    email: str
    first_name: str
    last_name: str
    birth_date: dt.date
    country: str
    membership: str
    certified_on: dt.date | None
    dues_paid_through: dt.date | None
    note: str


def demo_members(today: dt.date) -> list[DemoMember]:
    """The demo members, one per situation the status rules know, relative to ``today``.
    Long on purpose: it is a table of data, one entry per member, read top to bottom."""
    y = today.year
    end = dt.date(y, 12, 31)
    return [
        DemoMember(
            "maria.lopez@demo.ima.example",
            "Maria",
            "Lopez",
            dt.date(1985, 4, 12),
            "US",
            "professional",
            dt.date(y - 8, 3, 1),
            end,
            "CMA for 8 years",
        ),
        DemoMember(
            "chen.wei@demo.ima.example",
            "Wei",
            "Chen",
            dt.date(1990, 9, 3),
            "CN",
            "professional",
            dt.date(y - 2, 6, 10),
            end,
            "CMA for 2 years",
        ),
        DemoMember(
            "ingrid.hansen@demo.ima.example",
            "Ingrid",
            "Hansen",
            dt.date(1979, 1, 22),
            "NO",
            "professional",
            dt.date(y - 3, 3, 1),
            end,
            "CMA for 3 years",
        ),
        DemoMember(
            "omar.haddad@demo.ima.example",
            "Omar",
            "Haddad",
            dt.date(1982, 11, 30),
            "AE",
            "professional",
            dt.date(y - 6, 9, 15),
            end,
            "CMA for 6 years",
        ),
        DemoMember(
            "priya.nair@demo.ima.example",
            "Priya",
            "Nair",
            dt.date(1995, 2, 14),
            "IN",
            "professional",
            dt.date(y, 1, 20),
            end,
            "certified this year",
        ),
        DemoMember(
            "james.oconnor@demo.ima.example",
            "James",
            "O'Connor",
            dt.date(1961, 7, 7),
            "IE",
            "retired",
            dt.date(y - 20, 5, 5),
            end,
            "CMA for 20 years, retired-membership type, over 55",
        ),
        DemoMember(
            "sofia.rossi@demo.ima.example",
            "Sofia",
            "Rossi",
            dt.date(1988, 5, 19),
            "IT",
            "professional",
            dt.date(y - 5, 4, 4),
            dt.date(y - 1, 12, 31),
            "dues paid only through last year",
        ),
        DemoMember(
            "daniel.kim@demo.ima.example",
            "Daniel",
            "Kim",
            dt.date(1992, 12, 1),
            "KR",
            "professional",
            dt.date(y - 4, 2, 2),
            end,
            "CMA for 4 years",
        ),
        DemoMember(
            "amara.okafor@demo.ima.example",
            "Amara",
            "Okafor",
            dt.date(1998, 3, 8),
            "NG",
            "student",
            None,
            end,
            "student, not a CMA",
        ),
        DemoMember(
            "lucas.martin@demo.ima.example",
            "Lucas",
            "Martin",
            dt.date(1975, 10, 10),
            "FR",
            "academic",
            None,
            end,
            "academic, not a CMA",
        ),
        DemoMember(
            "hannah.schmidt@demo.ima.example",
            "Hannah",
            "Schmidt",
            dt.date(1987, 8, 25),
            "DE",
            "professional",
            dt.date(y - 1, 11, 11),
            end,
            "certified last year",
        ),
        DemoMember(
            "kenji.sato@demo.ima.example",
            "Kenji",
            "Sato",
            dt.date(1970, 6, 16),
            "JP",
            "professional",
            dt.date(y - 12, 1, 9),
            None,
            "no dues payment on record",
        ),
    ]


@transaction.atomic
def load_demo_data(today: dt.date) -> list[tuple[str, str, str]]:
    """Create what is missing; return (email, role, note) for every demo login."""
    types = {}
    for code, name, dues in MEMBERSHIP_TYPES:
        types[code], _ = MembershipType.objects.get_or_create(
            code=code, defaults={"name": name, "annual_dues": dues}
        )
    logins: list[tuple[str, str, str]] = []
    for email, first, last, superuser in (
        ("admin@demo.ima.example", "Ada", "Admin", True),
        ("reviewer@demo.ima.example", "Rita", "Reviewer", False),
    ):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                is_staff=True,
                is_superuser=superuser,
            )
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRETS[email])
        logins.append((email, "administrator" if superuser else "staff reviewer", "two-factor on"))
        staff = user
    for spec in demo_members(today):
        if not Member.objects.filter(user__email=spec.email).exists():
            member = services.create_member(
                email=spec.email,
                password=DEMO_PASSWORD,
                first_name=spec.first_name,
                last_name=spec.last_name,
                birth_date=spec.birth_date,
                certified_on=spec.certified_on,
                country=spec.country,
                membership_type=types[spec.membership],
                joined_on=spec.certified_on or dt.date(today.year - 1, 9, 1),
            )
            if spec.dues_paid_through is not None:
                paid_through = spec.dues_paid_through
                services.record_dues_payment(
                    member=member,
                    amount=types[spec.membership].annual_dues,
                    paid_on=min(today, dt.date(paid_through.year, 1, 15)),
                    paid_through=paid_through,
                    note="Demo payment",
                    by=staff,
                )
        logins.append((spec.email, "member", spec.note))
    return logins
