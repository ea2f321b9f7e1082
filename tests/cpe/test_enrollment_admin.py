"""Staff record enrollments made elsewhere in the admin: through cpe.services.enroll, so the
price is the offering's of this moment and the date is the real one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cpe.models import Enrollment
from tests.factories import EnrollmentFactory, MemberFactory, OfferingFactory
from tests.members.test_admin import admin_client  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_admin_records_a_purchase_made_elsewhere_with_its_real_date(admin_client):  # noqa: F811
    member = MemberFactory()
    offering = OfferingFactory(kind="self_study", price=Decimal("129.00"), currency="EUR")
    bought = timezone.localdate() - dt.timedelta(days=12)
    response = admin_client.post(
        reverse("admin:cpe_enrollment_add"),
        {
            "member": member.pk,
            "offering": offering.pk,
            "enrolled_on": bought.isoformat(),
            "final_test_taken": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    enrollment = Enrollment.objects.get(member=member, offering=offering)
    assert enrollment.enrolled_on == bought
    assert (enrollment.price, enrollment.currency) == (Decimal("129.00"), "EUR")
    assert enrollment.final_test_taken
    assert enrollment.created_by is not None
    assert enrollment.created_by.email == "root@ima.example"


def test_admin_refuses_a_future_date_and_a_second_enrollment(admin_client):  # noqa: F811
    existing = EnrollmentFactory()
    future = timezone.localdate() + dt.timedelta(days=1)
    response = admin_client.post(
        reverse("admin:cpe_enrollment_add"),
        {
            "member": existing.member.pk,
            "offering": OfferingFactory().pk,
            "enrolled_on": future.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    response = admin_client.post(
        reverse("admin:cpe_enrollment_add"),
        {
            "member": existing.member.pk,
            "offering": existing.offering.pk,
            "enrolled_on": existing.enrolled_on.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Enrollment.objects.count() == 1


def test_admin_edits_only_the_final_test_flag(admin_client):  # noqa: F811
    enrollment = EnrollmentFactory(price=Decimal("50.00"))
    response = admin_client.post(
        reverse("admin:cpe_enrollment_change", args=[enrollment.pk]),
        {"final_test_taken": "on", "price": "0.00"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    enrollment.refresh_from_db()
    assert enrollment.final_test_taken
    assert enrollment.price == Decimal("50.00")
