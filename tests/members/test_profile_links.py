"""The profile page of a staff account links only to the pages that account may use."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

MEMBER_ADMIN = reverse("admin:members_member_changelist")


def test_a_reviewer_without_admin_rights_gets_no_link_to_a_forbidden_admin_page(
    staff_client,
):
    page = staff_client.get(reverse("members:profile"))
    assert page.status_code == 200
    assert MEMBER_ADMIN not in page.content.decode()
    assert staff_client.get(MEMBER_ADMIN).status_code == 403  # the page the link would open


def test_staff_who_may_view_members_get_the_link_and_it_works(client):
    staff = StaffFactory(email="viewer@ima.example")
    staff.user_permissions.add(Permission.objects.get(codename="view_member"))
    sign_in(client, staff)
    page = client.get(reverse("members:profile"))
    assert MEMBER_ADMIN in page.content.decode()
    assert client.get(MEMBER_ADMIN).status_code == 200


def test_an_administrator_gets_the_link(client):
    admin = StaffFactory(email="root@ima.example", is_superuser=True)
    sign_in(client, admin)
    assert MEMBER_ADMIN in client.get(reverse("members:profile")).content.decode()
