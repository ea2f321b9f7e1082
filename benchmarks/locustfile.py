"""locust users of the load benchmark; started by ``benchmarks/load.py`` (see there).

Members sign in through the login page and browse My status, Transcript, Add Transcript
(and post a new short course) and the PDF export. Staff sign in with password and TOTP,
open the review queue, open an entry and approve it; when another reviewer decided the
entry first, the portal says so and that counts as a conflict, not an error. Every user
also asks for ``/healthz``, the reference. Any other status is a failure.

Reads LOAD_ACCOUNTS (accounts.json of the seed), LOAD_STAFF (how many staff users),
LOAD_WAIT (think time ``MIN-MAX`` seconds), LOAD_USERS (members and staff) and LOAD_DURATION
(seconds of browsing after the last sign-in); writes the counts to LOAD_RESULTS at the end.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import random
import re
import time
import uuid
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import gevent  # type: ignore[import-untyped]
from gevent.event import Event  # type: ignore[import-untyped]
from load import REFERENCE, TOTP_PERIOD, totp_code
from locust import FastHttpUser, between, events, task
from locust.contrib.fasthttp import FastResponse
from locust.exception import RescheduleTask, StopUser

ACCOUNTS: dict[str, Any] = json.loads(open(os.environ["LOAD_ACCOUNTS"]).read())  # noqa: SIM115
PASSWORD: str = ACCOUNTS["password"]
MEMBERS: deque[dict[str, Any]] = deque(ACCOUNTS["members"])  # the 500-entry member first
STAFF: deque[dict[str, str]] = deque(ACCOUNTS["staff"])
WAIT = tuple(float(x) for x in os.environ.get("LOAD_WAIT", "1-3").split("-"))
COUNTS: Counter[str] = Counter()
CONFLICT_MESSAGES: list[str] = []

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVIEW_LINK = re.compile(r'href="/staff/review/(\d+)/"')
FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.S | re.I)
INPUT = re.compile(r"<input\b([^>]*)>", re.I)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
MESSAGE = re.compile(r'<li class="message ([^"]*)">(.*?)</li>', re.S)


def csrf_token(response: FastResponse) -> str:
    match = CSRF.search(response.text or "")
    if match is None:
        raise ValueError("no CSRF token on the page")
    return match.group(1)


def hidden_inputs(page: str, containing: str) -> dict[str, str]:
    """The hidden inputs of the form whose HTML contains ``containing``."""
    for form in FORM.findall(page):
        if containing in form:
            values = {}
            for attrs in INPUT.findall(form):
                fields = dict(ATTR.findall(attrs))
                if fields.get("type") == "hidden" and "name" in fields:
                    values[fields["name"]] = html.unescape(fields.get("value", ""))
            return values
    raise ValueError(f"no form with {containing!r} on the page")


def location(response: FastResponse) -> str:
    """Where a redirect points ("" when it is not one)."""
    headers = response.headers
    return str(headers.get("Location", "")) if headers is not None else ""


class Phases:
    """Everybody signs in first; the browsing phase, ``LOAD_DURATION`` seconds, starts when
    the last user is in, so the page figures do not wait behind the password hashing of
    the sign-ins (their own figures are the /accounts/ rows)."""

    expected = int(os.environ.get("LOAD_USERS", "55"))
    done = 0
    started = time.monotonic()
    everyone_in = Event()
    times: dict[str, float] = {}


@contextmanager
def signing_in(user: FastHttpUser) -> Iterator[None]:
    """Wrap a user's sign-in; after it (whatever its outcome) wait for all the others."""
    try:
        yield
    finally:
        Phases.done += 1
        if Phases.done == Phases.expected:
            Phases.times["sign_in_phase_s"] = round(time.monotonic() - Phases.started, 1)
            Phases.times["browsing_started"] = time.time()
            runner = user.environment.runner
            assert runner is not None
            gevent.spawn_later(float(os.environ.get("LOAD_DURATION", "120")), runner.quit)
            Phases.everyone_in.set()
    Phases.everyone_in.wait()


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = between(WAIT[0], WAIT[-1])
    suffix = ""

    def expect(self, method: str, path: str, name: str, status: int, **kwargs: Any) -> FastResponse:
        """One request that must answer ``status``; anything else is a failure."""
        with self.client.request(
            method, path, name=name + self.suffix, catch_response=True, **kwargs
        ) as response:
            if response.status_code != status:
                if response.status_code == 0 and method == "POST":
                    # No answer in time: the write may or may not have been made.
                    COUNTS[f"unanswered {method} {name}"] += 1
                response.failure(f"{response.status_code} instead of {status}")
                raise RescheduleTask(f"{method} {path}: {response.status_code}")
            response.success()
        return cast(FastResponse, response)

    def sign_in(self, email: str) -> str:
        """Password sign-in through the login page; returns where the portal sends us. A
        user whose sign-in fails (recorded as a failure) stops."""
        try:
            return self._sign_in(email)
        except RescheduleTask:
            raise StopUser from None

    def _sign_in(self, email: str) -> str:
        page = self.expect("GET", "/accounts/login/", "/accounts/login/", 200)
        response = self.expect(
            "POST",
            "/accounts/login/",
            "/accounts/login/",
            302,
            data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page)},
            allow_redirects=False,
        )
        return location(response)

    @task(1)
    def reference(self) -> None:
        with self.client.get(REFERENCE, name=REFERENCE, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} instead of 200")


class MemberUser(PortalUser):
    weight = 1

    def on_start(self) -> None:
        with signing_in(self):
            account = MEMBERS.popleft()
            if account["entries"] >= 100:
                self.suffix = f" [{account['entries']} entries]"
            location = self.sign_in(account["email"])
            if "/2fa/" in location:
                raise RuntimeError(f"{account['email']} was asked for a second factor")

    @task(3)
    def status(self) -> None:
        self.expect("GET", "/status/", "/status/", 200)

    @task(3)
    def transcript(self) -> None:
        self.expect("GET", "/transcript/", "/transcript/", 200)

    @task(2)
    def add_entry(self) -> None:
        page = self.expect("GET", "/transcript/add/", "/transcript/add/", 200)
        day = dt.date.today() - dt.timedelta(days=random.randint(0, 30))
        response = self.expect(
            "POST",
            "/transcript/add/",
            "/transcript/add/",
            302,
            data={
                "csrfmiddlewaretoken": csrf_token(page),
                "activity_type": "short_course",
                "title": f"Load seminar {uuid.uuid4().hex[:8]}",
                "provider": "Load Testing Institute",
                "completed_on": day.isoformat(),
                "has_instructor": "on",
                "has_formal_materials": "on",
                "minutes": str(random.randrange(100, 800, 10)),
            },
            allow_redirects=False,
        )
        if "?year=" not in location(response):
            COUNTS["post_refused"] += 1
            return
        COUNTS["posted"] += 1

    @task(1)
    def pdf(self) -> None:
        response = self.expect("GET", "/transcript/export.pdf", "/transcript/export.pdf", 200)
        if not (response.content or b"").startswith(b"%PDF"):
            COUNTS["pdf_not_pdf"] += 1


class StaffUser(PortalUser):
    fixed_count = int(os.environ.get("LOAD_STAFF", "5"))

    def on_start(self) -> None:
        with signing_in(self):
            account = STAFF.popleft()
            location = self.sign_in(account["email"])
            if "/accounts/2fa/authenticate/" not in location:
                raise RuntimeError(f"{account['email']} was not asked for a second factor")
            try:
                self._second_factor(account["secret"])
            except RescheduleTask:
                raise StopUser from None

    def _second_factor(self, secret: str) -> None:
        page = self.expect("GET", "/accounts/2fa/authenticate/", "/accounts/2fa/authenticate/", 200)
        for _attempt in range(3):
            left = TOTP_PERIOD - time.time() % TOTP_PERIOD
            if left < 3:  # the code would turn while it is being posted: take the next one
                time.sleep(left + 0.1)
            counter = int(time.time()) // TOTP_PERIOD
            with self.client.post(
                "/accounts/2fa/authenticate/",
                name="/accounts/2fa/authenticate/",
                data={"code": totp_code(secret), "csrfmiddlewaretoken": csrf_token(page)},
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code == 302:
                    response.success()
                    return
                if response.status_code == 200 and int(time.time()) // TOTP_PERIOD != counter:
                    # The server answered after the code's 30 seconds were over (allauth
                    # takes only the current code): type the new one, as a person would.
                    COUNTS["totp_code_expired_in_flight"] += 1
                    response.success()
                    page = cast(FastResponse, response)
                    continue
                response.failure(f"{response.status_code} instead of 302")
                raise RescheduleTask("second factor refused")
        raise RescheduleTask("second factor: three codes expired in flight")

    @task(6)
    def review(self) -> None:
        queue = self.expect("GET", "/staff/review/", "/staff/review/", 200)
        ids = REVIEW_LINK.findall(queue.text or "")
        if not ids:
            COUNTS["queue_empty"] += 1
            return
        entry_id = random.choice(ids[:20])  # reviewers pick among the oldest entries
        path = f"/staff/review/{entry_id}/"
        page = self.expect("GET", path, "/staff/review/[id]/", 200)
        if 'value="approve"' not in (page.text or ""):
            COUNTS["conflicts"] += 1  # decided by another reviewer after the queue was read
            return
        data = hidden_inputs(page.text or "", 'value="approve"')
        data.update({"action": "approve", "reason": ""})
        with self.client.post(
            path, name="/staff/review/[id]/", data=data, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 409:  # the entry changed or was decided meanwhile
                response.success()
                COUNTS["conflicts"] += 1
                return
            if response.status_code != 302:
                if response.status_code == 0:
                    COUNTS["unanswered POST /staff/review/[id]/"] += 1
                response.failure(f"{response.status_code} instead of 302")
                raise RescheduleTask("approval failed")
            response.success()
        # The outcome is the message on the queue page the portal redirects to.
        try:
            after = self.expect("GET", "/staff/review/", "/staff/review/", 200)
        except RescheduleTask:
            COUNTS["unanswered: outcome of an approval, /staff/review/"] += 1
            raise
        messages = MESSAGE.findall(after.text or "")
        if any(kind.startswith("success") and "Approved" in text for kind, text in messages):
            COUNTS["approved"] += 1
        elif errors := [text for kind, text in messages if kind.startswith("error")]:
            COUNTS["conflicts"] += 1
            if len(CONFLICT_MESSAGES) < 3:
                CONFLICT_MESSAGES.append(html.unescape(errors[0]).strip())
        else:
            COUNTS["approval_unknown"] += 1


if StaffUser.fixed_count == 0:
    StaffUser.abstract = True


@events.test_stop.add_listener  # type: ignore[untyped-decorator]
def write_counts(**_kwargs: Any) -> None:
    path = os.environ.get("LOAD_RESULTS")
    if path:
        with open(path, "w") as handle:
            Phases.times["browsing_s"] = round(
                time.time() - Phases.times.get("browsing_started", time.time()), 1
            )
            json.dump({**COUNTS, **Phases.times, "conflict_messages": CONFLICT_MESSAGES}, handle)
