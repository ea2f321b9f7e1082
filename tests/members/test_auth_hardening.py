"""Issue 14, the API door as strong as the web door: password and code guessing count per
account on both doors and per client (by socket address), tokens can be revoked and expire,
and a staff account without two-factor has no staff power on any channel."""

import datetime as dt
import re
import subprocess
import sys
import time
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from members.models import Member, User
from tests.conftest import totp_code
from tests.factories import PASSWORD, EntryFactory, MemberFactory, StaffFactory

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


# --- Password guessing ------------------------------------------------------------------


def test_75_wrong_passwords_from_75_addresses_lock_the_account_on_the_api(member_a):
    client = APIClient()
    email = member_a.user.email
    codes = [
        api_token(
            client, email, WRONG, ip=f"10.1.{n // 200}.{n % 200 + 1}", xff=f"198.51.100.{n}"
        ).status_code
        for n in range(75)
    ]
    assert codes[:5] == [400] * 5
    assert set(codes[5:]) == {429}
    # The right password, from yet another address: still refused, with a clear message.
    response = api_token(client, email, ip="10.9.9.9")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= 300
    assert not Token.objects.filter(user=member_a.user).exists()


def test_api_lockout_ends_when_the_window_passes(member_a, monkeypatch):
    client = APIClient()
    for n in range(5):
        api_token(client, member_a.user.email, WRONG, ip=f"10.2.0.{n + 1}")
    assert api_token(client, member_a.user.email, ip="10.2.1.1").status_code == 429
    later(monkeypatch, 301)
    response = api_token(client, member_a.user.email, ip="10.2.1.2")
    assert response.status_code == 200
    assert response.json()["token"]


def test_failures_on_the_web_lock_the_api(client, member_a):
    for _ in range(5):
        assert web_login(client, member_a.user.email, WRONG).status_code == 200
    response = api_token(APIClient(), member_a.user.email, ip="10.3.0.1")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]


def test_failures_on_the_api_lock_the_web_sign_in(client, member_a):
    for n in range(5):
        assert (
            api_token(APIClient(), member_a.user.email, WRONG, ip=f"10.4.0.{n}").status_code == 400
        )
    response = web_login(client, member_a.user.email)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("members:profile")).status_code == 302


def test_mixed_failures_on_both_doors_count_together(client, member_a):
    api = APIClient()
    for n in range(3):
        assert api_token(api, member_a.user.email, WRONG, ip=f"10.5.0.{n}").status_code == 400
    for _ in range(2):
        web_login(client, member_a.user.email, WRONG)
    assert api_token(api, member_a.user.email, ip="10.5.1.1").status_code == 429
    assert (
        "Too many failed login attempts" in web_login(client, member_a.user.email).content.decode()
    )


def test_a_successful_sign_in_does_not_reset_the_count_for_an_attacker(member_a):
    # allauth takes the successful attempt back, but the failures before it still count.
    api = APIClient()
    for n in range(4):
        api_token(api, member_a.user.email, WRONG, ip=f"10.6.0.{n}")
    assert api_token(api, member_a.user.email, ip="10.6.1.1").status_code == 200
    assert api_token(api, member_a.user.email, WRONG, ip="10.6.1.2").status_code == 400
    assert api_token(api, member_a.user.email, ip="10.6.1.3").status_code == 429


# --- Per-client throttling ----------------------------------------------------------------


def test_rotating_x_forwarded_for_does_not_escape_the_client_throttle(db):
    client = APIClient()
    codes = [
        api_token(client, f"nobody{n}@example.org", WRONG, xff=f"203.0.113.{n}").status_code
        for n in range(11)
    ]
    assert codes[:10] == [400] * 10
    assert codes[10] == 429


def test_with_one_trusted_proxy_the_address_it_saw_is_used(db):
    rest = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    with override_settings(
        TRUSTED_PROXY_COUNT=1, ALLAUTH_TRUSTED_PROXY_COUNT=1, REST_FRAMEWORK=rest
    ):
        client = APIClient()
        # Every request comes from the proxy's socket, each for a different client.
        codes = [
            api_token(
                client, f"nobody{n}@example.org", WRONG, xff=f"spoofed, 203.0.113.{n}"
            ).status_code
            for n in range(12)
        ]
        assert codes == [400] * 12
        # One client behind the proxy is still throttled, whatever it puts in front.
        same = [
            api_token(
                client, f"other{n}@example.org", WRONG, xff=f"198.51.100.{n}, 203.0.113.77"
            ).status_code
            for n in range(11)
        ]
        assert same[9] == 400
        assert same[10] == 429


def test_a_short_or_odd_x_forwarded_for_is_never_a_server_error(client, member_a):
    rest = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 2}
    with override_settings(
        TRUSTED_PROXY_COUNT=2, ALLAUTH_TRUSTED_PROXY_COUNT=2, REST_FRAMEWORK=rest
    ):
        for xff in ("203.0.113.9", "not an address, 203.0.113.9", " , "):
            response = api_token(APIClient(), member_a.user.email, WRONG, xff=xff)
            assert response.status_code == 400, xff
            page = client.post(
                reverse("account_login"),
                {"login": member_a.user.email, "password": WRONG},
                HTTP_X_FORWARDED_FOR=xff,
            )
            assert page.status_code == 200, xff


def test_trusted_proxy_count_comes_from_one_environment_variable():
    script = (
        "from django.conf import settings as s; "
        "print(s.TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_PROXY_COUNT, "
        "s.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    outputs = []
    for value in (None, "1"):
        env = {"DJANGO_SETTINGS_MODULE": "imaportal.settings.base", "PATH": "/usr/bin:/bin"}
        if value is not None:
            env["TRUSTED_PROXY_COUNT"] = value
        done = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {script}"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        )
        outputs.append(done.stdout.strip())
    assert outputs == ["0 0 0", "1 1 1"]


# --- TOTP guessing ------------------------------------------------------------------------


def test_sixth_totp_code_on_the_api_is_refused_even_when_right(staff):
    client = APIClient()
    for n in range(5):
        wrong = api_token(client, staff.email, otp="000000", ip=f"10.7.0.{n}")
        assert wrong.status_code == 400
        assert "otp" in wrong.json()
    response = api_token(client, staff.email, otp=totp_code(), ip="10.7.1.1")
    assert response.status_code == 429
    assert "Too many wrong two-factor codes" in response.json()["detail"]
    assert int(response["Retry-After"]) >= 1


def test_wrong_codes_on_the_web_lock_the_api(client, staff):
    web_login(client, staff.email)
    for _ in range(5):
        assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200
    response = api_token(APIClient(), staff.email, otp=totp_code(), ip="10.8.0.1")
    assert response.status_code == 429


def test_wrong_codes_on_the_api_lock_the_web(client, staff):
    for n in range(5):
        assert (
            api_token(APIClient(), staff.email, otp="000000", ip=f"10.9.0.{n}").status_code == 400
        )
    assert web_login(client, staff.email).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("members:profile")).status_code == 302


def test_the_web_refuses_the_sixth_code(client, staff):
    web_login(client, staff.email)
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 200
    assert client.get(reverse("members:profile")).status_code == 302


def test_code_lockout_ends_when_the_window_passes(staff, monkeypatch):
    client = APIClient()
    for n in range(5):
        api_token(client, staff.email, otp="000000", ip=f"10.10.0.{n}")
    later(monkeypatch, 301)
    response = api_token(client, staff.email, otp=totp_code(), ip="10.10.1.1")
    assert response.status_code == 200


def test_the_previous_periods_code_is_accepted_on_the_web_and_the_api(client, staff):
    web_login(client, staff.email)
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(offset=-1)})
    assert response.status_code == 302
    assert client.get(reverse("members:profile")).status_code == 200
    # A fresh account (the code just used is spent): the API accepts last period's code too.
    other = StaffFactory(email="other.reviewer@ima.example")
    assert api_token(APIClient(), other.email, otp=totp_code(offset=-1)).status_code == 200


# --- Tokens -------------------------------------------------------------------------------


def token_for(user):
    response = api_token(APIClient(), user.email)
    assert response.status_code == 200
    return response.json()["token"]


def token_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_delete_revokes_the_callers_token(member_a):
    client = token_client(token_for(member_a.user))
    assert client.get("/api/v1/me/").status_code == 200
    assert client.delete(TOKEN_URL).status_code == 204
    assert client.get("/api/v1/me/").status_code == 401
    assert not Token.objects.filter(user=member_a.user).exists()


def test_delete_with_a_session_revokes_the_users_token(client, member_a, member_b):
    token_for(member_a.user)
    other = token_for(member_b.user)
    web_login(client, member_a.user.email)
    assert client.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(user=member_a.user).exists()
    assert token_client(other).get("/api/v1/me/").status_code == 200


def test_delete_needs_a_signed_in_caller(db):
    assert APIClient().delete(TOKEN_URL).status_code == 401


def test_expired_token_is_refused_and_deleted(member_a):
    key = token_for(member_a.user)
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(days=30, hours=1))
    response = token_client(key).get("/api/v1/me/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert not Token.objects.filter(key=key).exists()
    fresh = token_for(member_a.user)
    assert fresh != key
    assert token_client(fresh).get("/api/v1/me/").status_code == 200


def test_the_token_lifetime_is_configurable(member_a):
    key = token_for(member_a.user)
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(hours=2))
    assert token_client(key).get("/api/v1/me/").status_code == 200
    with override_settings(API_TOKEN_TTL=dt.timedelta(hours=1)):
        assert token_client(key).get("/api/v1/me/").status_code == 401


def test_asking_again_for_an_expired_token_issues_a_new_one(member_a):
    key = token_for(member_a.user)
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(days=31))
    fresh = token_for(member_a.user)
    assert fresh != key
    assert token_client(fresh).get("/api/v1/me/").status_code == 200


def test_changing_the_password_on_the_page_revokes_tokens(client, member_a):
    key = token_for(member_a.user)
    web_login(client, member_a.user.email)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "another good passphrase 7",
            "password2": "another good passphrase 7",
        },
    )
    assert response.status_code == 302
    assert token_client(key).get("/api/v1/me/").status_code == 401


def test_resetting_the_password_revokes_tokens(client, member_a):
    key = token_for(member_a.user)
    client.post(reverse("account_reset_password"), {"email": member_a.user.email})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", str(mail.outbox[0].body))
    assert link
    form = client.get(link.group(1), follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"password1": "a brand new passphrase 42", "password2": "a brand new passphrase 42"},
    )
    assert response.status_code == 302
    assert token_client(key).get("/api/v1/me/").status_code == 401


def test_set_password_anywhere_revokes_tokens_but_other_saves_do_not(member_a):
    key = token_for(member_a.user)
    user = User.objects.get(pk=member_a.user.pk)
    user.first_name = "Alicia"
    user.save()
    assert token_client(key).get("/api/v1/me/").status_code == 200
    user.set_password("a script chose this one 9")
    user.save()
    assert token_client(key).get("/api/v1/me/").status_code == 401


def test_changing_the_password_in_the_admin_revokes_tokens(client, member_a):
    key = token_for(member_a.user)
    admin = StaffFactory(email="root@ima.example", is_superuser=True)
    web_login(client, admin.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    response = client.post(
        reverse("admin:auth_user_password_change", args=[member_a.user.pk]),
        {
            "password1": "set by the admin 31",
            "password2": "set by the admin 31",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert token_client(key).get("/api/v1/me/").status_code == 401


# --- Staff without two-factor -------------------------------------------------------------


@pytest.fixture
def bare_staff(db):
    return StaffFactory(email="no.totp@ima.example", totp=False)


def test_token_endpoint_refuses_staff_without_two_factor(bare_staff):
    response = api_token(APIClient(), bare_staff.email)
    assert response.status_code == 403
    assert "set up two-factor authentication first" in response.json()["detail"]
    assert not Token.objects.filter(user=bare_staff).exists()
    # The wrong password still gets the ordinary answer: nothing about the account.
    assert api_token(APIClient(), bare_staff.email, WRONG).status_code == 400


def staff_operations(member, entry):
    return [
        ("post", reverse("api-activity-approve", args=[entry.pk]), {}),
        ("post", reverse("api-activity-reject", args=[entry.pk]), {"reason": "No."}),
        (
            "post",
            "/api/v1/members/",
            {
                "email": "new.member@example.org",
                "first_name": "New",
                "last_name": "Member",
                "password": "a fine passphrase 12",
                "birth_date": "1980-01-01",
            },
        ),
        (
            "post",
            reverse("api-member-dues", args=[member.pk]),
            {"paid_through": "2027-12-31", "paid_on": "2026-11-01"},
        ),
        ("post", "/api/v1/offerings/", {"title": "Webinar"}),
        ("post", reverse("api-refund-approve", args=[1]), {}),
        ("post", reverse("api-offering-attendance", args=[1]), {}),
    ]


@pytest.mark.parametrize("channel", ["session", "token"])
def test_staff_without_two_factor_get_403_on_staff_operations(client, bare_staff, channel):
    member = MemberFactory()
    entry = EntryFactory(member=member)
    if channel == "session":
        client.force_login(bare_staff)
        caller = client
        kwargs = {"content_type": "application/json"}
    else:
        # A token issued before the authenticator was removed.
        caller = token_client(Token.objects.create(user=bare_staff).key)
        kwargs = {"format": "json"}
    for method, url, data in staff_operations(member, entry):
        response = getattr(caller, method)(url, data, **kwargs)
        assert response.status_code == 403, (url, response.content)
        assert "set up two-factor authentication first" in response.json()["detail"], url
    entry.refresh_from_db()
    assert entry.review_status == "pending"
    assert not Member.objects.filter(user__email="new.member@example.org").exists()


def test_a_session_that_has_not_completed_the_second_factor_has_no_staff_power(client, staff):
    member = MemberFactory()
    entry = EntryFactory(member=member)
    assert web_login(client, staff.email).status_code == 302  # password step only
    for method, url, data in staff_operations(member, entry):
        response = getattr(client, method)(url, data, content_type="application/json")
        assert response.status_code == 401, (url, response.content)
    entry.refresh_from_db()
    assert entry.review_status == "pending"


def test_staff_without_two_factor_do_not_see_other_members(client, bare_staff, member_a):
    client.force_login(bare_staff)
    assert client.get(reverse("api-member-detail", args=[member_a.pk])).status_code == 404
    assert client.get(reverse("api-member-activities", args=[member_a.pk])).status_code == 404


def test_staff_pages_refuse_staff_without_two_factor_even_without_the_middleware(
    client, bare_staff, member_a
):
    # The redirect to the setup page is the first line; the pages check staff power too.
    middleware = [
        m for m in settings.MIDDLEWARE if m != "members.middleware.StaffTwoFactorMiddleware"
    ]
    with override_settings(MIDDLEWARE=middleware):
        client.force_login(bare_staff)
        for url in (
            "/staff/review/",
            "/staff/transcripts/export.csv",
            "/staff/status/",
            "/staff/refunds/",
            "/staff/exemptions/",
            f"/staff/members/{member_a.pk}/dues/",
        ):
            assert client.get(url).status_code == 403, url


def test_staff_with_two_factor_keep_their_power(client, staff, member_a):
    client.force_login(staff)
    assert client.get(reverse("api-member-detail", args=[member_a.pk])).status_code == 200
    entry = EntryFactory(member=member_a)
    response = client.post(
        reverse("api-activity-approve", args=[entry.pk]), {}, content_type="application/json"
    )
    assert response.status_code == 200


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
    # The enrolled staff account now gets a token with the printed code.
    response = api_token(APIClient(), bare_staff.email, otp=lines[-1])
    assert response.status_code == 200


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
