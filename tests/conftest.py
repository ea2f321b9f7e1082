import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import PASSWORD, MemberFactory, StaffFactory


def totp_code(secret: str = StaffFactory.totp_secret, offset: int = 0) -> str:
    """The code an authenticator app shows now (``offset`` periods later)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + offset
    return str(format_hotp_value(hotp_value(secret, counter)))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and used TOTP codes live in the cache: start every test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def member_a(db):
    return MemberFactory(user__email="alice@example.org", user__first_name="Alice")


@pytest.fixture
def member_b(db):
    return MemberFactory(user__email="bob@example.org", user__first_name="Bob")


@pytest.fixture
def staff(db):
    return StaffFactory(email="rita.reviewer@ima.example", first_name="Rita")


def _api_client(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api():
    """Make an API client signed in as the given user (or anonymous)."""
    return _api_client


def sign_in(client, user):
    """Sign ``client`` in through the real login pages (and the second factor for staff)."""
    from django.urls import reverse

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    if user.is_staff:
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
        assert response.status_code == 302
    return client


@pytest.fixture
def member_client(client, member_a):
    """A browser session signed in as member A."""
    return sign_in(client, member_a.user)


@pytest.fixture
def staff_client(client, staff):
    """A browser session signed in as the staff reviewer (with two-factor)."""
    return sign_in(client, staff)


def pytest_sessionfinish(session, exitstatus):
    """The run leaves no Celery queues behind in Redis: every test that starts a real
    worker forgets its private queue (tests/celery_queues.py); a leftover fails the run."""
    from tests.celery_queues import forget_queue, leftovers

    if left := leftovers():
        for key in left:
            forget_queue(key.rsplit(".", 1)[-1])
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"Celery queues left in Redis (now deleted): {left}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
