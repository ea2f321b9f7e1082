"""Faults (issue 14): PostgreSQL restarted under a running portal. The portal runs as a
real gunicorn process on a PostgreSQL of its own (the shared server is never touched);
during the outage every request answers 503 with a message, never a stack trace, and once
PostgreSQL is back the same process answers 200 again.

    python3 dev.py test -m faults
"""

from __future__ import annotations

import html
import os
import re

import pytest
import requests

from tests.factories import PASSWORD
from tests.faults_support import (
    ThrowawayPostgres,
    finish,
    gunicorn,
    manage,
    portal_env,
    throwaway_postgres,
)

pytestmark = pytest.mark.faults

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


def post_sign_in(base: str, session: requests.Session, password: str) -> requests.Response:
    return session.post(
        f"{base}/accounts/login/",
        data={
            "login": EMAIL,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )


class Member:
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
            "sign-in (wrong password)": post_sign_in(base, self.anonymous, "not the password"),
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
            member = Member(base)
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
