"""Status pages and API (certification status, history, dashboards)."""

from tests.authz import LOGIN, Case, member_a_url

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
}
