"""Signing in and out, throttling, password reset and change, staff two-factor."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from tests.conftest import totp_code
from tests.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_member_signs_in_with_email_and_sees_profile(client, member_a):
    response = login(client, "Alice@Example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "status:dashboard"
    )  # members land on their status (issue 16)
    page = client.get(reverse("members:profile"))
    assert page.status_code == 200
    assert member_a.member_number in page.content.decode()
    assert "Alice" in page.content.decode()


def test_wrong_password_shows_an_error_and_does_not_sign_in(client, member_a):
    response = login(client, member_a.user.email, "not-the-password")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert client.get(reverse("members:profile")).status_code == 302


def test_repeated_failed_logins_are_throttled(client, member_a):
    for _ in range(5):
        login(client, member_a.user.email, "wrong")
    response = login(client, member_a.user.email, PASSWORD)  # even the right password
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("members:profile")).status_code == 302


def test_logout_ends_the_session(client, member_a):
    login(client, member_a.user.email)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("members:profile")).status_code == 302


def test_password_reset_sends_an_email_with_a_working_link(client, member_a):
    response = client.post(reverse("account_reset_password"), {"email": member_a.user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member_a.user.email]
    found = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", str(message.body))
    assert found, message.body
    link = found.group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": "a brand new passphrase 42", "password2": "a brand new passphrase 42"},
    )
    assert response.status_code == 302
    assert login(client, member_a.user.email, "a brand new passphrase 42").status_code == 302


def test_password_reset_for_unknown_email_reveals_nothing(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    # The same answer as for a known address, so nobody can probe for accounts.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_password_change(client, member_a):
    login(client, member_a.user.email)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "another good passphrase 7",
            "password2": "another good passphrase 7",
        },
    )
    assert response.status_code == 302
    client.post(reverse("account_logout"))
    assert login(client, member_a.user.email, "another good passphrase 7").status_code == 302


def test_staff_without_second_factor_must_set_one_up(client, db):
    StaffFactory(email="new.staff@ima.example", totp=False)
    login(client, "new.staff@ima.example")
    response = client.get(reverse("members:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    admin = client.get(reverse("admin:index"))
    assert admin["Location"].startswith(reverse("mfa_activate_totp"))
    # The setup itself is reachable: allauth first asks to confirm the password.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(response["Location"]).status_code == 200
    confirm = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert confirm.status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert done.status_code == 302
    # With the second factor in place, staff pages open.
    assert client.get(reverse("members:profile")).status_code == 200


def test_staff_with_second_factor_signs_in_with_the_code(client, staff):
    response = login(client, staff.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet.
    assert client.get(reverse("members:profile")).status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.get(reverse("members:profile")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_members_can_turn_on_two_factor(client, member_a):
    login(client, member_a.user.email)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member_a.user, type="totp").exists()


def test_public_signup_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert "password1" not in response.content.decode()
