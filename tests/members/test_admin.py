"""The Django admin: staff create members through the same service, search and filter."""

import pytest
from django.urls import reverse

from members.models import Member, MembershipType
from tests.conftest import totp_code
from tests.factories import MemberFactory, MembershipTypeFactory, StaffFactory
from tests.members.test_auth import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    StaffFactory(email="root@ima.example", is_superuser=True)
    login(client, "root@ima.example")
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    return client


def test_admin_adds_a_member_with_a_generated_number(admin_client):
    MembershipTypeFactory()
    kind = MembershipType.objects.get(code="professional")
    response = admin_client.post(
        reverse("admin:members_member_add"),
        {
            "email": "walk.in@example.org",
            "first_name": "Walter",
            "last_name": "In",
            "password": "a long enough passphrase",
            "birth_date": "1980-01-02",
            "country": "US",
            "membership_type": kind.pk,
            "certified_on": "2022-05-05",
            "joined_on": "2021-01-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get(user__email="walk.in@example.org")
    assert len(member.member_number) == 8
    assert member.created_by is not None
    assert member.created_by.email == "root@ima.example"
    assert member.user.check_password("a long enough passphrase")


def test_admin_add_with_a_taken_email_shows_the_error_and_saves_nothing(admin_client):
    MemberFactory(user__email="taken@example.org")
    response = admin_client.post(
        reverse("admin:members_member_add"),
        {
            "email": "taken@example.org",
            "first_name": "T",
            "last_name": "Aken",
            "password": "a long enough passphrase",
            "birth_date": "1980-01-02",
            "joined_on": "2021-01-01",
        },
    )
    assert response.status_code == 200
    assert "A user with this email address already exists." in response.content.decode()
    assert Member.objects.filter(user__email="taken@example.org").count() == 1


def test_admin_member_search_and_filters(admin_client):
    found = MemberFactory(user__email="zelda@example.org", user__last_name="Zimmer")
    MemberFactory(user__email="other@example.org", user__last_name="Other", certified_on=None)
    page = admin_client.get(reverse("admin:members_member_changelist"), {"q": "Zimmer"})
    assert page.status_code == 200
    assert found.member_number in page.content.decode()
    assert "other@example.org" not in page.content.decode()
    not_cma = admin_client.get(
        reverse("admin:members_member_changelist"), {"certified_on__isempty": "1"}
    )
    assert "other@example.org" in not_cma.content.decode()
    assert "zelda@example.org" not in not_cma.content.decode()
