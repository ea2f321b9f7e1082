"""Faults (issue 14), on servers of their own (the shared PostgreSQL and Redis are never
touched):

- PostgreSQL restarted under a running portal (a real gunicorn process): during the outage
  every request answers 503 with a message, never a stack trace; once PostgreSQL is back
  the same process answers 200 again.
- Redis down: members and staff sign in, browse, add and approve entries without a 500 or
  a wait; the status recompute and the mails are done all the same, once; once Redis is
  back the portal uses it again.

    python3 dev.py test -m faults
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
import redis
import requests
from django.core import mail
from django.core.cache import cache
from django.db import OperationalError, ProgrammingError
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification import tasks
from certification.mail import mail_unsent_changes
from certification.models import StatusChange
from certification.services.recompute import recompute_member
from cpe.models import TranscriptEntry
from imaportal import cache as portal_cache
from imaportal.cache import redis_cache_settings
from members.models import Member, User
from tests.conftest import sign_in
from tests.cpe.test_views import FORM as ENTRY_FORM
from tests.factories import PASSWORD, EntryFactory, MemberFactory
from tests.faults_support import (
    ThrowawayPostgres,
    ThrowawayRedis,
    celery_publishing_to,
    finish,
    gunicorn,
    manage,
    portal_env,
    throwaway_postgres,
    throwaway_redis,
)

pytestmark = pytest.mark.faults

PAID = dt.date(2027, 12, 31)
MESSAGE = "The portal's database is unavailable; try again in a minute."
EMAIL = "pat.member@example.org"
LEAKS = re.compile(r"Traceback|OperationalError|InterfaceError|psycopg|Server Error \(500\)", re.I)


def needs_postgres_binaries() -> None:
    if ThrowawayPostgres.bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("initdb/pg_ctl are missing (apt-get install postgresql)")
        pytest.skip("initdb/pg_ctl are missing: install postgresql to run this fault test")


def browser(base: str) -> requests.Session:
    """A browser that has opened the sign-in page (it holds the CSRF cookie)."""
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10).raise_for_status()
    return session


def post_sign_in(
    base: str, session: requests.Session, password: str, email: str = EMAIL
) -> requests.Response:
    return session.post(
        f"{base}/accounts/login/",
        data={
            "login": email,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )


class Visitor:
    """What a member does: pages with a session, the API with a token, a sign-in attempt."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = browser(base)
        response = post_sign_in(base, self.session, PASSWORD)
        assert response.status_code == 302, response.text[:500]
        self.anonymous = browser(base)
        self.token = requests.post(
            f"{base}/api/v1/auth/token/", json={"email": EMAIL, "password": PASSWORD}, timeout=10
        ).json()["token"]

    def requests(self) -> dict[str, requests.Response]:
        base, api = self.base, {"Authorization": f"Token {self.token}"}
        return {
            "transcript page": self.session.get(f"{base}/transcript/", timeout=10),
            "status page": self.session.get(f"{base}/status/", timeout=10),
            # Another account: failures on the member's own would lock it after five
            # (LOGIN_FAILED_RATE), and the test visits four times.
            "sign-in (wrong password)": post_sign_in(
                base, self.anonymous, "not the password", email="someone.else@example.org"
            ),
            "API me": requests.get(f"{base}/api/v1/me/", headers=api, timeout=10),
            "API token": requests.post(
                f"{base}/api/v1/auth/token/",
                json={"email": EMAIL, "password": PASSWORD},
                timeout=10,
            ),
            "health": requests.get(f"{base}/healthz", timeout=10),
        }


def assert_unavailable(responses: dict[str, requests.Response]) -> None:
    for name, response in responses.items():
        assert response.status_code == 503, (name, response.status_code, response.text[:300])
        assert not LEAKS.search(response.text), (name, response.text[:1000])
        if name == "health":
            assert response.json()["database"]["ok"] is False
        elif name.startswith("API"):
            assert response.headers["Content-Type"] == "application/json", name
            assert response.json() == {"detail": MESSAGE}, name
            assert response.headers["Retry-After"] == "60"
        else:
            assert response.headers["Content-Type"].startswith("text/html"), name
            assert html.escape(MESSAGE) in response.text, (name, response.text)


def assert_working(responses: dict[str, requests.Response]) -> None:
    for name, response in responses.items():
        assert response.status_code == 200, (name, response.status_code, response.text[:300])
    assert "Transcript" in responses["transcript page"].text
    assert responses["API me"].json()["email"] == EMAIL
    assert responses["health"].json()["database"]["ok"] is True


def test_postgres_restart_answers_503_then_recovers_without_restarting_the_portal():
    needs_postgres_binaries()
    with throwaway_postgres() as pg:
        env = portal_env(
            DJANGO_SETTINGS_MODULE="tests.fault_settings",
            # Persistent connections: the case where a broken connection must be replaced.
            DATABASE_URL=f"{pg.url}?conn_max_age=600",
        )
        # Migrate and add a member while gunicorn starts (one Django start-up, not two).
        setup = manage(
            env,
            "shell",
            "-c",
            "from django.core.management import call_command; "
            "call_command('migrate', verbosity=0); "
            "from tests.factories import MemberFactory; "
            f"MemberFactory(user__email={EMAIL!r})",
        )
        with gunicorn(env) as base:
            finish(setup)
            member = Visitor(base)
            assert_working(member.requests())

            pg.stop()
            assert_unavailable(member.requests())

            pg.start()  # the same gunicorn process, not restarted
            assert_working(member.requests())

            # A restart between two requests: the persistent connection the worker keeps is
            # dead, and is replaced before the next request uses it.
            pg.stop()
            pg.start()
            assert_working(member.requests())


# Redis down ------------------------------------------------------------------------------


@pytest.fixture
def redis_portal(settings, monkeypatch):
    """The portal's cache and Celery broker on a Redis of its own, which the test may stop."""
    if not ThrowawayRedis.available():
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing (apt-get install redis-server)")
        pytest.skip("redis-server is missing: install it to run this fault test")
    monkeypatch.setattr(portal_cache, "RETRY_AFTER", 0.5)
    with throwaway_redis() as redis_server:
        settings.CACHES = {"default": redis_cache_settings(redis_server.url)}
        with celery_publishing_to(redis_server.url):
            yield redis_server


def timed(call: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    """A request that must neither fail with a 500 nor wait for Redis."""
    started = time.monotonic()
    response = call()
    assert time.monotonic() - started < 5, "the request took more than 5 s"
    assert response.status_code < 500, response.content[:1000]
    return response


def timed_sign_in(client: Client, user: User) -> None:
    """The real sign-in pages (and the second factor for staff), within 5 s, no 500."""
    started = time.monotonic()
    sign_in(client, user)  # asserts the redirects
    assert time.monotonic() - started < 10, "signing in took more than 10 s"


def queued(redis_server: ThrowawayRedis) -> int:
    return int(redis.Redis.from_url(redis_server.url).llen("celery"))


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_members_and_staff_work_and_nothing_is_lost(redis_portal, staff):
    # 22 hours in 2025 (needs 30): in make-up now; 8 more hours in 2025 make the member active.
    member = MemberFactory(certified_on=dt.date(2024, 6, 10), dues_paid_through=PAID)
    EntryFactory(
        member=member,
        completed_on=dt.date(2025, 5, 1),
        credit_hours=Decimal(22),
        review_status="approved",
    )
    recompute_member(member.pk, why="Set up.")
    assert Member.objects.get(pk=member.pk).status == "inactive_makeup"

    cache.set("probe", 1)
    assert cache.get("probe") == 1  # really on Redis
    redis_portal.stop()

    # The member signs in (rate limits live in the cache), browses and adds an entry.
    member_client, staff_client = Client(), Client()
    timed_sign_in(member_client, member.user)
    for name in ("status:dashboard", "cpe:transcript", "cpe:entry_add"):
        assert timed(lambda name=name: member_client.get(reverse(name))).status_code == 200
    form = {**ENTRY_FORM, "completed_on": "2025-05-02"}  # 8 hours
    timed(lambda: member_client.post(reverse("cpe:entry_add"), form))
    entry = TranscriptEntry.objects.get(member=member, review_status="pending")

    # Staff sign in with their second factor (used codes live in the cache) and approve.
    timed_sign_in(staff_client, staff)
    assert timed(lambda: staff_client.get(reverse("cpe:review_queue"))).status_code == 200
    review = reverse("cpe:review_entry", kwargs={"entry_id": entry.pk})
    response = timed(lambda: staff_client.post(review, {"action": "approve", "reason": ""}))
    assert response.status_code == 302

    # The health check says what is wrong (and does not hang either).
    started = time.monotonic()
    health = Client().get("/healthz")
    assert health.status_code == 503 and time.monotonic() - started < 5
    assert health.json()["broker"]["ok"] is False and health.json()["database"]["ok"] is True

    # Nothing waited for Redis: the status is recomputed and both mails went out.
    member.refresh_from_db()
    assert member.status == "active"
    assert member.status_valid_until is not None
    change = StatusChange.objects.get(member=member, from_status="inactive_makeup")
    assert change.to_status == "active" and change.notified_at is not None
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        "CPE entry approved: Budgeting masterclass",
        "Your CMA certification status is now: Active",
    ]
    assert all(message.to == [member.user.email] for message in mail.outbox)

    # The nightly job later finds nothing left to do and mails nothing twice.
    summary = tasks.run_recompute(timezone.localdate())
    assert summary.read == 0
    assert mail_unsent_changes(grace=dt.timedelta(0)) == 0
    assert len(mail.outbox) == 2

    # Redis is back: the same process uses it again, for the cache and for the tasks.
    redis_portal.start()
    time.sleep(0.6)  # the cache's pause before it tries Redis again
    cache.set("probe", 2)
    assert redis.Redis.from_url(redis_portal.url).exists(cache.make_key("probe"))
    second = EntryFactory(member=member, completed_on=dt.date(2026, 2, 1))
    timed(lambda: staff_client.post(
        reverse("cpe:review_entry", kwargs={"entry_id": second.pk}),
        {"action": "approve", "reason": ""},
    ))  # fmt: skip
    assert queued(redis_portal) >= 1  # the decision mail went to the workers' queue
    assert len(mail.outbox) == 2


def test_the_cache_answers_from_memory_while_redis_is_down(settings, monkeypatch):
    monkeypatch.setattr(portal_cache, "RETRY_AFTER", 0.5)
    with throwaway_redis() as redis_server:
        settings.CACHES = {"default": redis_cache_settings(redis_server.url)}
        redis_server.stop()
        started = time.monotonic()
        assert cache.add("attempts", 1)
        assert cache.incr("attempts") == 2
        cache.set_many({"a": 1, "b": 2})
        assert cache.get_many(["a", "b", "attempts"]) == {"a": 1, "b": 2, "attempts": 2}
        assert cache.delete("a") and not cache.has_key("a")
        assert time.monotonic() - started < 3


# A database error wherever it happens (in-process, no servers needed) -------------------


def fails(*args: object, **kwargs: object) -> None:
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["view", "session load", "response"])
def test_a_database_error_anywhere_in_a_page_answers_503(member_a, where, monkeypatch):
    client = Client(raise_request_exception=False)
    sign_in(client, member_a.user)
    if where == "view":  # in the view
        monkeypatch.setattr("cpe.selectors.transcript_years", fails)
    elif where == "session load":  # in the authentication middleware (the lazy user)
        monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", fails)
    else:  # on the way out, after the view (where the session middleware saves it)
        monkeypatch.setattr(
            "django.contrib.sessions.middleware.SessionMiddleware.process_response", fails
        )
    response = client.get(reverse("cpe:transcript"), HTTP_ACCEPT="text/html")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "60"
    body = response.content.decode()
    assert html.escape(MESSAGE) in body and not LEAKS.search(body)


@pytest.mark.django_db
def test_a_database_error_in_the_api_answers_503_json(member_a, monkeypatch):
    client = Client(raise_request_exception=False)
    sign_in(client, member_a.user)
    monkeypatch.setattr("members.selectors.own_member", fails)
    response = client.get("/api/v1/me/")
    assert response.status_code == 503
    assert response.json() == {"detail": MESSAGE}
    assert response["Retry-After"] == "60"


@pytest.mark.django_db
def test_a_bad_query_is_still_a_500_not_an_outage(member_a, monkeypatch):
    """Only failures to reach the database are an outage; a bug stays a 500 (and is logged)."""

    def bug(*args: object, **kwargs: object) -> None:
        raise ProgrammingError('relation "nope" does not exist')

    client = Client(raise_request_exception=False)
    sign_in(client, member_a.user)
    monkeypatch.setattr("cpe.selectors.transcript_years", bug)
    assert client.get(reverse("cpe:transcript")).status_code == 500
