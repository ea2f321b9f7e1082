"""Issue 14, the API door as strong as the web door: password and code guessing count per
account on both doors and per client (by socket address), tokens can be revoked and expire,
and a staff account without two-factor has no staff power on any channel."""

import re
import time
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.conftest import totp_code
from tests.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
WRONG = "not-the-password"


def api_token(client, email, password=PASSWORD, *, ip="10.0.0.1", xff=None, **extra):
    headers = {"REMOTE_ADDR": ip}
    if xff is not None:
        headers["HTTP_X_FORWARDED_FOR"] = xff
    return client.post(
        TOKEN_URL, {"email": email, "password": password, **extra}, format="json", **headers
    )


def web_login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def later(monkeypatch, seconds):
    """Let ``seconds`` pass for the rate limits (they read ``time.time``)."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


@pytest.fixture
def bare_staff(db):
    return StaffFactory(email="no.totp@ima.example", totp=False)


# --- totp_code --enroll ---------------------------------------------------------------------


def run_totp_code(*args):
    out = StringIO()
    call_command("totp_code", *args, stdout=out)
    return out.getvalue().splitlines()


def test_enroll_sets_up_totp_and_prints_the_secret_and_the_current_code(bare_staff):
    lines = run_totp_code("No.Totp@ima.example", "--enroll")
    secret = next(line.split(": ", 1)[1] for line in lines if line.startswith("secret: "))
    assert any(line.startswith("url: otpauth://totp/") and secret in line for line in lines)
    assert re.fullmatch(r"\d{6}", lines[-1])
    assert lines[-1] in {totp_code(secret), totp_code(secret, offset=-1)}
    assert Authenticator.objects.filter(user=bare_staff, type="totp").exists()


def test_without_enroll_only_the_code_is_printed(staff):
    lines = run_totp_code(staff.email)
    assert len(lines) == 1
    assert lines[0] in {totp_code(), totp_code(offset=-1)}


def test_enroll_refuses_an_account_that_already_has_totp(staff):
    with pytest.raises(CommandError, match="already has two-factor"):
        run_totp_code(staff.email, "--enroll")
    assert Authenticator.objects.filter(user=staff, type="totp").count() == 1


def test_totp_code_for_an_unknown_email_is_a_clear_error(db):
    with pytest.raises(CommandError, match="no account"):
        run_totp_code("nobody@example.org", "--enroll")
    with pytest.raises(CommandError, match="no account"):
        run_totp_code("nobody@example.org")


def test_totp_code_without_an_authenticator_says_how_to_enroll(bare_staff):
    with pytest.raises(CommandError, match="--enroll"):
        run_totp_code(bare_staff.email)
