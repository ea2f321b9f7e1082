"""Status pages and API (certification status, history, dashboards, verification links)."""

from django.urls import reverse

from tests.authz import LOGIN, Case, member_a_url


def link_url(name):
    return lambda ctx: reverse(name, kwargs={"link_id": ctx["link"].pk})


CASES: dict[str, Case] = {
    "api/v1/members/<int:member_id>/status/": Case(
        "get", member_a_url("api-member-status"), (401, 200, 404, 200)
    ),
    "api/v1/members/<int:member_id>/status/history/": Case(
        "get", member_a_url("api-member-status-history"), (401, 200, 404, 200)
    ),
    "api/v1/members/<int:member_id>/credential/": Case(
        "get", member_a_url("api-member-credential"), (401, 200, 404, 200)
    ),
    "status/": Case("get", "/status/", (LOGIN, 200, 200, 403)),
    # The signed credential of the signed-in member's own status, as a file.
    "status/credential.json": Case("get", "/status/credential.json", (LOGIN, 200, 200, 403)),
    "staff/status/": Case("get", "/staff/status/", (LOGIN, 403, 403, 200)),
    # Verification links are the member's own ("self"): staff get 403 (as for a refund
    # request), anyone else 404. The public page opens for everyone, signed in or not.
    "api/v1/members/<int:member_id>/verification-links/": Case(
        "get", member_a_url("api-member-verification-links"), (401, 200, 404, 403)
    ),
    "api/v1/verification-links/<int:link_id>/": Case(
        "delete", link_url("api-verification-link"), (401, 204, 404, 403)
    ),
    "v/<str:token>/": Case(
        "get",
        lambda ctx: reverse("status:verification", kwargs={"token": ctx["link"].token}),
        (200, 200, 200, 200),
    ),
    "status/verification-links/": Case(
        "form", "/status/verification-links/", (LOGIN, 302, 302, 403)
    ),
    "status/verification-links/<int:link_id>/revoke/": Case(
        "form", link_url("status:verification_revoke"), (LOGIN, 302, 404, 403)
    ),
}


def extend(ctx):
    """A live verification link of member A."""
    from certification.services import verification

    member = ctx["member_a"].member
    ctx["link"] = verification.create_link(member=member, by=ctx["member_a"])
