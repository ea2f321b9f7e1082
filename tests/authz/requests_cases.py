"""Exemption, retirement and dues routes (pages and API)."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.urls import reverse

from tests.authz import LOGIN, Case, member_a_url


def exemption_url(name):
    return lambda ctx: reverse(name, kwargs={"exemption_id": ctx["exemption"].pk})


def retirement_url(name):
    return lambda ctx: reverse(name, kwargs={"retirement_id": ctx["retirement"].pk})


CASES: dict[str, Case] = {
    # API v1
    "api/v1/members/<int:member_id>/exemptions/": Case(
        "get", member_a_url("api-member-exemptions"), (401, 200, 404, 200)
    ),
    "api/v1/exemptions/<int:exemption_id>/approve/": Case(
        "post", exemption_url("api-exemption-approve"), (401, 403, 403, 200)
    ),
    "api/v1/exemptions/<int:exemption_id>/reject/": Case(
        "post", exemption_url("api-exemption-reject"), (401, 403, 403, 400)
    ),
    "api/v1/exemptions/<int:exemption_id>/document/": Case(
        "get", exemption_url("api-exemption-document"), (401, 200, 404, 200)
    ),
    "api/v1/members/<int:member_id>/retirements/": Case(
        "get", member_a_url("api-member-retirements"), (401, 200, 404, 200)
    ),
    "api/v1/retirements/<int:retirement_id>/approve/": Case(
        "post", retirement_url("api-retirement-approve"), (401, 403, 403, 200)
    ),
    "api/v1/retirements/<int:retirement_id>/reject/": Case(
        "post", retirement_url("api-retirement-reject"), (401, 403, 403, 400)
    ),
    "api/v1/members/<int:member_id>/dues/": Case(
        "get", member_a_url("api-member-dues"), (401, 200, 404, 200)
    ),
    # Member pages (staff accounts have no member profile)
    "status/requests/": Case("get", "/status/requests/", (LOGIN, 200, 200, 403)),
    "status/exemptions/new/": Case("get", "/status/exemptions/new/", (LOGIN, 200, 200, 403)),
    "status/exemptions/<int:exemption_id>/document/": Case(
        "get", exemption_url("requests:exemption_document"), (LOGIN, 200, 404, 200)
    ),
    "status/retirement/new/": Case("get", "/status/retirement/new/", (LOGIN, 200, 200, 403)),
    "dues/": Case("get", "/dues/", (LOGIN, 200, 200, 403)),
    # Staff pages
    "staff/exemptions/": Case("get", "/staff/exemptions/", (LOGIN, 403, 403, 200)),
    "staff/exemptions/<int:exemption_id>/": Case(
        "get", exemption_url("requests:decide_exemption"), (LOGIN, 403, 403, 200)
    ),
    "staff/retirements/": Case("get", "/staff/retirements/", (LOGIN, 403, 403, 200)),
    "staff/retirements/<int:retirement_id>/": Case(
        "get", retirement_url("requests:decide_retirement"), (LOGIN, 403, 403, 200)
    ),
    "staff/members/<int:member_id>/dues/": Case(
        "get", member_a_url("dues:staff_member"), (LOGIN, 403, 403, 200)
    ),
}


def extend(ctx):
    """A requested exemption (with a document) and a requested retirement of member A, and
    a dues payment on record."""
    from certification.models import Exemption, Retirement
    from members.models import DuesPayment

    member = ctx["member_a"].member
    exemption = Exemption.objects.create(
        member=member,
        reason="illness",
        years=[2026],
        explanation="Hospitalised for most of the year.",
        document_name="letter.pdf",
        document_content_type="application/pdf",
        created_by=ctx["member_a"],
    )
    exemption.document.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"), save=True)
    retirement = Retirement.objects.create(
        member=member, retired_on=dt.date(2026, 6, 30), created_by=ctx["member_a"]
    )
    DuesPayment.objects.create(
        member=member,
        amount=Decimal("295.00"),
        paid_on=dt.date(2026, 1, 5),
        paid_through=dt.date(2026, 12, 31),
        recorded_by=ctx["staff"],
    )
    ctx["exemption"] = exemption
    ctx["retirement"] = retirement
