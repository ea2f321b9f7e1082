"""The OpenAPI schema tells the truth (issue 14): list shapes, error statuses, nullable fields,
enums without "", fields per activity type; and the API answers what the schema says for the
inputs schemathesis found accepted or answered as HTML.

The live check is ``tests/fuzz/run_schemathesis.py`` (schemathesis against gunicorn)."""

from __future__ import annotations

import io
from typing import Any

import pytest
import yaml
from django.core.management import call_command

from cpe.credit import SELF_REPORTABLE
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    """The schema as ``manage.py spectacular --validate --fail-on-warn`` writes it: any
    generator warning or a schema that is not valid OpenAPI fails here."""
    out = io.StringIO()
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    result: dict[str, Any] = yaml.safe_load(out.getvalue())
    return result


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_every_list_operation_documents_the_paginated_shape(schema):
    lists = [
        (method, path)
        for method, path, op in operations(schema)
        if method == "get" and op["operationId"].endswith("_list")
    ]
    assert len(lists) >= 8, lists
    for method, path in lists:
        ok = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]
        body = resolve(schema, ok["schema"])
        assert body["type"] == "object", path
        assert set(body["properties"]) == {"count", "next", "previous", "results"}, path
        assert body["properties"]["results"]["type"] == "array", path
        assert body["properties"]["next"]["nullable"] is True, path
        names = {p["name"] for p in schema["paths"][path][method]["parameters"]}
        assert {"page", "page_size"} <= names, path


def test_every_operation_documents_its_error_statuses_with_a_json_body(schema):
    for method, path, op in operations(schema):
        codes = set(op["responses"])
        where = f"{method.upper()} {path}"
        if op.get("security"):
            assert {"401", "403"} <= codes, where
        if "{" in path:
            assert "404" in codes, where
        if method in ("post", "put", "patch"):
            assert {"400", "413"} <= codes, where
        for code, response in op["responses"].items():
            if code.startswith(("4", "5")):
                assert "application/json" in response["content"], (where, code)
                assert response["description"], (where, code)


@pytest.mark.parametrize(
    "method,path,codes",
    [
        ("post", "/api/v1/auth/token/", {"200", "400", "403", "413", "429"}),
        ("post", "/api/v1/activities/{entry_id}/approve/", {"400", "403", "404", "409"}),
        ("post", "/api/v1/activities/{entry_id}/reject/", {"409"}),
        ("post", "/api/v1/activities/{entry_id}/resubmit/", {"201", "400", "404", "409"}),
        ("patch", "/api/v1/activities/{entry_id}/", {"400", "404", "409", "413"}),
        ("post", "/api/v1/refunds/{refund_id}/issue/", {"409"}),
        ("post", "/api/v1/refunds/{refund_id}/deny/", {"409"}),
        ("post", "/api/v1/enrollments/{enrollment_id}/refund-request/", {"409"}),
        ("post", "/api/v1/offerings/{offering_id}/enrollments/", {"409"}),
        ("post", "/api/v1/members/{member_id}/retirements/", {"409"}),
        ("get", "/api/v1/members/{member_id}/status/", {"400", "401", "403", "404"}),
        ("get", "/api/v1/refunds/", {"400", "401", "403", "404"}),
        ("get", "/api/v1/me/", {"401", "403", "404"}),
    ],
)
def test_operations_document_what_they_can_answer(schema, method, path, codes):
    assert codes <= set(schema["paths"][path][method]["responses"])


def test_the_token_endpoint_documents_retry_after_on_429(schema):
    too_many = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]["429"]
    assert "Retry-After" in too_many["headers"]


def test_error_bodies_are_detail_or_messages_per_field(schema):
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    bad = schema["paths"]["/api/v1/members/"]["post"]["responses"]["400"]
    refs = {
        option["$ref"].rsplit("/", 1)[1]
        for option in bad["content"]["application/json"]["schema"]["anyOf"]
    }
    assert refs == {"Error", "FieldErrors"}


def test_no_enum_in_a_response_offers_an_empty_string(schema):
    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "enum" in node:
                assert "" not in node["enum"], where
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    blank_users = []
    for name, component in schema["components"]["schemas"].items():
        if name == "BlankEnum":
            continue
        if "#/components/schemas/BlankEnum" in str(component):
            blank_users.append(name)
        if not name.endswith("Request"):  # request bodies may accept "" where it is real
            walk(component, name)
    assert all(name.endswith("Request") for name in blank_users), blank_users


def test_publication_kind_and_status_in_a_request_are_their_choices_or_blank(schema):
    body = schema["components"]["schemas"]["ActivityInputRequest"]["properties"]
    for field, enum in (
        ("publication_kind", "PublicationKindEnum"),
        ("publication_status", "PublicationStatusEnum"),
    ):
        refs = {option["$ref"].rsplit("/", 1)[1] for option in body[field]["oneOf"]}
        assert refs == {enum, "BlankEnum"}


def test_an_unknown_publication_kind_is_a_400_with_the_choices(api, member_a):
    response = api(member_a.user).post(
        f"/api/v1/members/{member_a.pk}/activities/",
        {
            "activity_type": "publication",
            "title": "On costing",
            "completed_on": "2026-03-01",
            "publication_kind": "poem",
            "publication_status": "published",
            "claimed_hours": "5",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["publication_kind"] == ["Choose article, book or monograph."]


@pytest.mark.parametrize(
    "component,field",
    [
        ("Activity", "reviewed_by"),
        ("Activity", "publication_kind"),
        ("Activity", "publication_status"),
        ("Activity", "evidence_url"),
        ("EntryEvent", "by"),
        ("Refund", "starts_on"),
        ("Refund", "decided_by"),
        ("Exemption", "decided_by"),
        ("Retirement", "decided_by"),
        ("DuesPayment", "recorded_by"),
        ("Member", "membership_type"),
        ("Member", "status"),
    ],
)
def test_fields_that_can_be_null_are_nullable(schema, component, field):
    assert schema["components"]["schemas"][component]["properties"][field]["nullable"] is True


def test_adding_an_activity_says_which_fields_each_activity_type_needs(schema):
    text = schema["paths"]["/api/v1/members/{member_id}/activities/"]["post"]["description"]
    for kind in SELF_REPORTABLE:
        assert f"`{kind.value}`" in text
    assert "`short_course`: requires `minutes`" in text
    assert "`publication`: requires `publication_kind`, `publication_status`, `claimed_hours`" in (
        text
    )
    assert "exactly one of `semester_credit_hours`, `quarter_credit_hours` or `minutes`" in text


def test_an_entry_without_a_publication_kind_answers_null_not_an_empty_string(api, member_a):
    entry = EntryFactory(member=member_a)
    body = api(member_a.user).get(f"/api/v1/activities/{entry.pk}/").json()
    assert body["publication_kind"] is None
    assert body["publication_status"] is None
    listed = api(member_a.user).get(f"/api/v1/members/{member_a.pk}/activities/").json()
    assert listed["results"][0]["publication_kind"] is None


@pytest.mark.parametrize(
    "query",
    ["page_size=0", "page_size=abc", "page_size=501", "page_size=5&page_size=6", "page=1&page=2"],
)
def test_page_parameters_outside_the_schema_are_a_400_with_a_message(api, member_a, query):
    response = api(member_a.user).get(f"/api/v1/members/{member_a.pk}/activities/?{query}")
    assert response.status_code == 400
    name = query.split("=")[0]
    assert response.json()[name]


def test_a_page_size_within_the_bounds_still_pages(api, member_a):
    EntryFactory.create_batch(3, member=member_a)
    body = api(member_a.user).get(f"/api/v1/members/{member_a.pk}/activities/?page_size=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2&page_size=2")


@pytest.mark.parametrize(
    "query,field",
    [
        ("as_of=", "as_of"),
        ("as_of=2026-01-01&as_of=2026-02-01", "as_of"),
    ],
)
def test_status_as_of_must_be_one_date(api, member_a, query, field):
    response = api(member_a.user).get(f"/api/v1/members/{member_a.pk}/status/?{query}")
    assert response.status_code == 400
    assert response.json()[field]


def test_year_given_twice_is_a_400(api, member_a):
    url = f"/api/v1/members/{member_a.pk}/activities/?year=2025&year=2026"
    response = api(member_a.user).get(url)
    assert response.status_code == 400
    assert response.json()["year"] == ["Send this parameter at most once."]


@pytest.mark.parametrize("value,status", [("maybe", 400), ("null", 400), ("true", 200), ("0", 200)])
def test_refunds_overdue_is_true_or_false(api, staff, value, status):
    response = api(staff).get(f"/api/v1/refunds/?overdue={value}")
    assert response.status_code == status
    if status == 400:
        assert response.json()["overdue"] == ["Enter true or false."]


def test_an_api_path_no_route_matches_answers_json_404(api, member_a):
    response = api(member_a.user).get("/api/v1/activities/abc/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_path_no_route_matches_still_answers_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_wsgi_entry_point_resolves_every_schema_extension_before_the_first_request(
    monkeypatch,
):
    """drf-spectacular resolves its extensions lazily and not thread-safely; the WSGI entry
    point resolves them all at start-up, so concurrent first schema requests cannot 500."""
    import importlib

    from drf_spectacular import extensions

    import imaportal.wsgi

    kinds = (
        extensions.OpenApiAuthenticationExtension,
        extensions.OpenApiSerializerExtension,
        extensions.OpenApiSerializerFieldExtension,
        extensions.OpenApiViewExtension,
        extensions.OpenApiFilterExtension,
    )
    # Put a few back to the unresolved state the first request would find.
    unresolved = [e for kind in kinds for e in kind._registry if e.target_class is not None][:5]
    assert unresolved
    for extension in unresolved:
        target = extension.target_class
        name = target if isinstance(target, str) else f"{target.__module__}.{target.__name__}"
        monkeypatch.setattr(extension, "target_class", name)

    importlib.reload(imaportal.wsgi)

    left = [e for kind in kinds for e in kind._registry if isinstance(e.target_class, str)]
    assert left == []
