"""Every URL pattern and API route, walked with each role: anonymous, member A, member B
and staff. The table must name every route: adding a route without an entry fails here.

Member-owned URLs are built for member A, so member B is the "someone else" case."""

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authz import (
    LOGIN,
    ROLES,
    Case,
    entry_url,
    member_a_url,
    offering_url,
    refunds_cases,
    requests_cases,
    status_cases,
)
from tests.factories import EnrollmentFactory, EntryFactory, StaffFactory
from tests.members.test_auth import login

pytestmark = pytest.mark.django_db

AREAS = (status_cases, requests_cases, refunds_cases)

# route pattern -> the request that exercises it and the expected status per role.
CASES: dict[str, Case] = {
    "": Case("get", "/", (302, 302, 302, 302)),
    "profile/": Case("get", "/profile/", (LOGIN, 200, 200, 200)),
    "language/": Case("form", "/language/", (302, 302, 302, 302), data={"language": "nb"}),
    "healthz": Case("get", "/healthz", (200, 200, 200, 200)),
    # The issuer's public keys: anyone verifies a credential with them.
    ".well-known/jwks.json": Case("get", "/.well-known/jwks.json", (200, 200, 200, 200)),
    # django-allauth
    "accounts/login/": Case("get", "/accounts/login/", (200, 302, 302, 302)),
    "accounts/logout/": Case("get", "/accounts/logout/", (302, 200, 200, 200)),
    "accounts/inactive/": Case("get", "/accounts/inactive/", (200, 200, 200, 200)),
    "accounts/signup/": Case("get", "/accounts/signup/", (200, 302, 302, 302)),
    "accounts/reauthenticate/": Case("get", "/accounts/reauthenticate/", (LOGIN, 200, 200, 200)),
    "accounts/email/": Case("get", "/accounts/email/", (LOGIN, 200, 200, 200)),
    "accounts/confirm-email/": Case("get", "/accounts/confirm-email/", (200, 200, 200, 200)),
    "accounts/password/change/": Case("get", "/accounts/password/change/", (LOGIN, 200, 200, 200)),
    "accounts/password/set/": Case("get", "/accounts/password/set/", (LOGIN, 302, 302, 302)),
    "accounts/password/reset/": Case("get", "/accounts/password/reset/", (200, 200, 200, 200)),
    "accounts/login/code/confirm/": Case(
        "get", "/accounts/login/code/confirm/", (302, 302, 302, 302)
    ),
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": Case(
        "get", "/accounts/confirm-email/bogus-key/", (200, 200, 200, 200)
    ),
    "accounts/password/reset/key/done/": Case(
        "get", "/accounts/password/reset/key/done/", (200, 200, 200, 200)
    ),
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Case(
        "get", "/accounts/password/reset/key/1-bogus/", (200, 200, 200, 200)
    ),
    "accounts/password/reset/done/": Case(
        "get", "/accounts/password/reset/done/", (200, 200, 200, 200)
    ),
    "accounts/2fa/": Case("get", "/accounts/2fa/", (LOGIN, 200, 200, 200)),
    "accounts/2fa/authenticate/": Case("get", "/accounts/2fa/authenticate/", (302, 302, 302, 302)),
    "accounts/2fa/reauthenticate/": Case(
        "get", "/accounts/2fa/reauthenticate/", (LOGIN, 302, 302, 200)
    ),
    "accounts/2fa/totp/activate/": Case(
        "get", "/accounts/2fa/totp/activate/", (LOGIN, 302, 302, 302)
    ),
    "accounts/2fa/totp/deactivate/": Case(
        "get", "/accounts/2fa/totp/deactivate/", (LOGIN, 404, 404, 302)
    ),
    "accounts/2fa/recovery-codes/": Case(
        "get", "/accounts/2fa/recovery-codes/", (LOGIN, 404, 404, 404)
    ),
    "accounts/2fa/recovery-codes/generate/": Case(
        "get", "/accounts/2fa/recovery-codes/generate/", (LOGIN, 302, 302, 302)
    ),
    "accounts/2fa/recovery-codes/download/": Case(
        "get", "/accounts/2fa/recovery-codes/download/", (LOGIN, 404, 404, 404)
    ),
    # API v1
    "api/v1/auth/token/": Case("post", "/api/v1/auth/token/", (400, 400, 400, 400), data={}),
    "api/v1/me/": Case("get", "/api/v1/me/", (401, 200, 200, 404)),
    "api/v1/members/": Case("post", "/api/v1/members/", (401, 403, 403, 400), data={}),
    "api/v1/members/<int:member_id>/": Case(
        "get", member_a_url("api-member-detail"), (401, 200, 404, 200)
    ),
    "api/v1/schema/": Case("get", "/api/v1/schema/", (200, 200, 200, 200)),
    # API v1: CPE
    "api/v1/members/<int:member_id>/activities/": Case(
        "get", member_a_url("api-member-activities"), (401, 200, 404, 200)
    ),
    "api/v1/members/<int:member_id>/activities/prefill/": Case(
        "form", member_a_url("api-member-activities-prefill"), (401, 400, 404, 400), data={}
    ),
    "api/v1/activities/<int:entry_id>/": Case(
        "get", entry_url("api-activity"), (401, 200, 404, 200)
    ),
    "api/v1/activities/<int:entry_id>/approve/": Case(
        "post", entry_url("api-activity-approve"), (401, 403, 403, 200)
    ),
    "api/v1/activities/<int:entry_id>/reject/": Case(
        "post", entry_url("api-activity-reject"), (401, 403, 403, 400)
    ),
    # The entry is pending: its owner is told 409, anyone else 404 (staff included).
    "api/v1/activities/<int:entry_id>/resubmit/": Case(
        "post", entry_url("api-activity-resubmit"), (401, 409, 404, 404)
    ),
    "api/v1/activities/<int:entry_id>/withdraw/": Case(
        "post", entry_url("api-activity-withdraw"), (401, 200, 404, 200)
    ),
    "api/v1/activities/<int:entry_id>/evidence/": Case(
        "get", entry_url("api-activity-evidence"), (401, 200, 404, 200)
    ),
    "api/v1/offerings/": Case("get", "/api/v1/offerings/", (401, 200, 200, 200)),
    "api/v1/offerings/<int:offering_id>/enrollments/": Case(
        "post", offering_url("api-offering-enrollments"), (401, 409, 201, 400)
    ),
    "api/v1/offerings/<int:offering_id>/attendance/": Case(
        "post", offering_url("api-offering-attendance"), (401, 403, 403, 400)
    ),
    "api/v1/members/<int:member_id>/enrollments/": Case(
        "get", member_a_url("api-member-enrollments"), (401, 200, 404, 200)
    ),
    "api/v1/enrollments/<int:enrollment_id>/": Case(
        "get",
        lambda ctx: reverse("api-enrollment", kwargs={"enrollment_id": ctx["enrollment"].pk}),
        (401, 200, 404, 200),
    ),
    # CPE pages
    "transcript/": Case("get", "/transcript/", (LOGIN, 200, 200, 403)),
    "transcript/add/": Case("get", "/transcript/add/", (LOGIN, 200, 200, 403)),
    "transcript/preview/": Case("form", "/transcript/preview/", (LOGIN, 200, 200, 403)),
    # Without a file the page comes back asking for one (nothing is read or kept).
    "transcript/add/from-certificate/": Case(
        "form", "/transcript/add/from-certificate/", (LOGIN, 200, 200, 403)
    ),
    "transcript/<int:entry_id>/": Case(
        "get", entry_url("cpe:entry_detail"), (LOGIN, 200, 404, 200)
    ),
    "transcript/<int:entry_id>/edit/": Case(
        "get", entry_url("cpe:entry_edit"), (LOGIN, 200, 404, 200)
    ),
    "transcript/<int:entry_id>/withdraw/": Case(
        "form", entry_url("cpe:entry_withdraw"), (LOGIN, 302, 404, 302)
    ),
    "transcript/<int:entry_id>/evidence/": Case(
        "get", entry_url("cpe:entry_evidence"), (LOGIN, 200, 404, 200)
    ),
    # The entry is pending: "Correct and resubmit" sends its owner back to it (302).
    "transcript/<int:entry_id>/resubmit/": Case(
        "get", entry_url("cpe:entry_resubmit"), (LOGIN, 302, 404, 403)
    ),
    "transcript/<int:entry_id>/evidence/add/": Case(
        "form", entry_url("cpe:entry_add_evidence"), (LOGIN, 302, 404, 403)
    ),
    "transcript/export.pdf": Case("get", "/transcript/export.pdf", (LOGIN, 200, 200, 403)),
    "transcript/export.csv": Case("get", "/transcript/export.csv", (LOGIN, 200, 200, 403)),
    "offerings/": Case("get", "/offerings/", (LOGIN, 200, 200, 200)),
    "offerings/<int:offering_id>/enroll/": Case(
        "form", offering_url("cpe:offering_enroll"), (LOGIN, 302, 302, 403)
    ),
    "staff/review/": Case("get", "/staff/review/", (LOGIN, 403, 403, 200)),
    "staff/review/<int:entry_id>/": Case(
        "get", entry_url("cpe:review_entry"), (LOGIN, 403, 403, 200)
    ),
    "staff/offerings/<int:offering_id>/attendance/": Case(
        "get", offering_url("cpe:attendance_import"), (LOGIN, 403, 403, 200)
    ),
    "staff/transcripts/export.csv": Case(
        "get", "/staff/transcripts/export.csv", (LOGIN, 403, 403, 200)
    ),
    "api/v1/docs/": Case("get", "/api/v1/docs/", (200, 200, 200, 200)),
}


for _area in AREAS:
    CASES.update(_area.CASES)


def all_routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from all_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_route_has_an_entry():
    routes = {route for route in all_routes() if not route.startswith("admin/")}
    missing = routes - set(CASES)
    assert not missing, f"routes without an authorization entry: {sorted(missing)}"
    stale = set(CASES) - routes
    assert not stale, f"entries for routes that no longer exist: {sorted(stale)}"


@pytest.fixture
def ctx(member_a, member_b, staff):
    entry = EntryFactory(member=member_a, evidence_content_type="application/pdf")
    entry.evidence.save("entry.pdf", ContentFile(b"%PDF-1.4 evidence"), save=True)
    enrollment = EnrollmentFactory(member=member_a)
    values = {
        "anon": None,
        "member_a": member_a.user,
        "member_b": member_b.user,
        "staff": staff,
        "entry": entry,
        "enrollment": enrollment,
        "offering": enrollment.offering,
    }
    for area in AREAS:
        if hasattr(area, "extend"):
            area.extend(values)
    return values


def client_for(client, ctx, role):
    from tests.conftest import totp_code

    user = ctx.get(role)
    if user is None:
        return client
    login(client, user.email)
    if user.is_staff:
        client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    return client


@pytest.mark.parametrize("route", sorted(CASES))
@pytest.mark.parametrize("role", ROLES)
def test_route_answers_each_role_as_expected(client, ctx, route, role):
    case = CASES[route]
    url = case.url(ctx) if callable(case.url) else case.url
    client = client_for(client, ctx, role)
    if case.method == "get":
        response = client.get(url)
    elif case.method == "form":
        response = client.post(url, case.data or {})
    elif case.method == "delete":
        response = client.delete(url)
    else:
        response = client.post(url, case.data or {}, content_type="application/json")
    expected = case.expect[ROLES.index(role)]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {role}"
    if expected == LOGIN and role == "anon" and route not in {"", "accounts/logout/", "language/"}:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", (*ROLES, "superuser"))
def test_admin_is_for_staff_only(client, ctx, role):
    if role == "superuser":
        ctx["superuser"] = StaffFactory(email="root@ima.example", is_superuser=True)
    client = client_for(client, ctx, role)
    urls = [reverse("admin:index")]
    # Transcript entries are only ever created through the services (rules and history).
    # Outgoing mail is only ever recorded by the mail pipeline.
    no_add = {
        reverse("admin:cpe_transcriptentry_add"),
        reverse("admin:refunds_refundrequest_add"),
        reverse("admin:notifications_outgoingmail_add"),
        reverse("admin:audit_auditevent_add"),  # the log is written by the services only
    }
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    for url in urls:
        response = client.get(url)
        if role == "superuser":
            assert response.status_code == (403 if url in no_add else 200), url
        elif role == "staff":
            # A reviewer sees the admin index; model pages need the model's permission.
            expected = 200 if url == reverse("admin:index") else 403
            assert response.status_code == expected, url
        elif role == "anon":
            assert response.status_code == 302, url
            assert (
                "/accounts/login/" in response["Location"]
                or "/admin/login/" in response["Location"]
            )
        else:
            # Signed-in members are refused outright or sent to the admin login.
            assert response.status_code in (302, 403), url
            if response.status_code == 302:
                assert "/admin/login/" in response["Location"], url


# Staff-only routes: the ones member A is refused (403) that staff may use.
STAFF_ONLY = sorted(
    route for route, case in CASES.items() if case.expect[1] == 403 and case.expect[3] != 403
)


@pytest.mark.parametrize("route", STAFF_ONLY)
def test_staff_without_two_factor_has_no_staff_power_on_any_route(client, ctx, route):
    """A staff account without an authenticator, signed in by session, gets no staff power:
    the API answers 403 saying to set up two-factor first, pages send it to the setup."""
    assert len(STAFF_ONLY) >= 20  # the walk really covers the staff routes
    case = CASES[route]
    url = case.url(ctx) if callable(case.url) else case.url
    client.force_login(StaffFactory(email="no.second.factor@ima.example", totp=False))
    if case.method == "get":
        response = client.get(url)
    elif case.method == "form":
        response = client.post(url, case.data or {})
    else:
        response = client.post(url, case.data or {}, content_type="application/json")
    if route.startswith("api/"):
        assert response.status_code == 403, f"{case.method.upper()} {url}"
        assert "set up two-factor authentication first" in response.json()["detail"]
    else:
        assert response.status_code == 302, f"{case.method.upper()} {url}"
        assert response["Location"].startswith(reverse("mfa_activate_totp"))
