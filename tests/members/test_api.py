"""API v1 base: token, me, member create and detail (SPEC section 6)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from members.models import Member
from tests.conftest import totp_code
from tests.factories import PASSWORD, MembershipTypeFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_token_for_email_and_password_opens_the_api(member_a):
    client = APIClient()
    response = client.post(
        TOKEN_URL, {"email": member_a.user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    body = me.json()
    assert body["id"] == member_a.id
    assert body["member_number"] == member_a.member_number
    assert "status" in body


def test_token_with_wrong_password_is_400_with_a_message(member_a):
    response = APIClient().post(
        TOKEN_URL, {"email": member_a.user.email, "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "not correct" in response.json()["non_field_errors"][0]


def test_token_with_missing_fields_names_them(db):
    response = APIClient().post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_token_for_two_factor_account_needs_the_current_code(staff):
    client = APIClient()
    body = {"email": staff.email, "password": PASSWORD}
    missing = client.post(TOKEN_URL, body, format="json")
    assert missing.status_code == 400
    assert "otp" in missing.json()
    wrong = client.post(TOKEN_URL, {**body, "otp": "000000"}, format="json")
    assert wrong.status_code == 400
    assert "otp" in wrong.json()
    ok = client.post(TOKEN_URL, {**body, "otp": totp_code()}, format="json")
    assert ok.status_code == 200
    assert ok.json()["token"]


def test_token_endpoint_is_throttled(member_a):
    # Different accounts each time, so only the per-client limit (10/min) applies.
    client = APIClient()
    codes = [
        client.post(
            TOKEN_URL, {"email": f"someone{n}@example.org", "password": "x"}, format="json"
        ).status_code
        for n in range(11)
    ]
    assert codes[:10] == [400] * 10
    assert codes[10] == 429


def test_me_requires_authentication(db):
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401


def test_me_for_staff_without_member_profile_is_404(api, staff):
    assert api(staff).get("/api/v1/me/").status_code == 404


def test_member_detail_self_and_staff_see_it_others_get_404(api, member_a, member_b, staff):
    url = f"/api/v1/members/{member_a.id}/"
    assert api(member_a.user).get(url).status_code == 200
    assert api(staff).get(url).json()["member_number"] == member_a.member_number
    assert api(member_b.user).get(url).status_code == 404
    assert api(member_b.user).get("/api/v1/members/999999/").status_code == 404
    assert api().get(url).status_code == 401


def test_staff_creates_a_member(api, staff):
    MembershipTypeFactory()
    response = api(staff).post(
        "/api/v1/members/",
        {
            "email": "New.Member@Example.org",
            "first_name": "Nina",
            "last_name": "Novak",
            "password": "a long enough passphrase",
            "birth_date": "1990-05-17",
            "certified_on": "2024-06-10",
            "membership_type": "professional",
            "country": "si",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    member = Member.objects.get(pk=body["id"])
    assert body["member_number"] == member.member_number
    assert len(member.member_number) == 8
    assert body["email"] == "new.member@example.org"
    assert body["certified_on"] == "2024-06-10"
    assert body["country"] == "SI"
    assert member.created_by == staff
    # The new member can sign in with the password staff set.
    token = APIClient().post(
        TOKEN_URL,
        {"email": "new.member@example.org", "password": "a long enough passphrase"},
        format="json",
    )
    assert token.status_code == 200


def test_member_numbers_are_unique(api, staff):
    numbers = set()
    for i in range(20):
        response = api(staff).post(
            "/api/v1/members/",
            {
                "email": f"m{i}@example.org",
                "first_name": "M",
                "last_name": f"Number{i}",
                "password": "a long enough passphrase",
                "birth_date": "1990-05-17",
            },
            format="json",
        )
        assert response.status_code == 201
        numbers.add(response.json()["member_number"])
    assert len(numbers) == 20


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "alice@example.org"}, "email"),
        ({"password": "123"}, "password"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "17/05/1990"}, "birth_date"),
        ({"certified_on": "2999-01-01"}, "certified_on"),
        ({"certified_on": "1980-01-01"}, "certified_on"),
        ({"first_name": ""}, "first_name"),
        ({"membership_type": "gold"}, "membership_type"),
    ],
)
def test_create_member_bad_input_is_400_naming_the_field(api, staff, member_a, change, field):
    body = {
        "email": "fresh@example.org",
        "first_name": "Fresh",
        "last_name": "Member",
        "password": "a long enough passphrase",
        "birth_date": "1990-05-17",
        **change,
    }
    response = api(staff).post("/api/v1/members/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Member.objects.filter(user__email="fresh@example.org").exists()


def test_members_cannot_create_members(api, member_a):
    response = api(member_a.user).post("/api/v1/members/", {}, format="json")
    assert response.status_code == 403
    assert api().post("/api/v1/members/", {}, format="json").status_code == 401


def test_schema_and_docs_are_served(client, db):
    schema = client.get(reverse("api-schema"), {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/members/",
        "/api/v1/members/{member_id}/",
    ):
        assert path in paths
    assert client.get(reverse("api-docs")).status_code == 200
