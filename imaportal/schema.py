"""OpenAPI schema post-processing: every operation documents every error status it can answer.

drf-spectacular documents what the views declare (mostly the success answer). The error
answers follow from a few facts about each operation, the same for the whole API, so they
are added here in one place (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``):

- it needs a signed-in caller (a ``security`` requirement): 401 without valid credentials,
  403 when the caller may not do it (e.g. staff only);
- it has a path parameter, or answers a paginated list (``?page=`` past the end): 404;
- it takes a body (POST, PUT, PATCH) or query parameters: 400 with the errors per field
  (a query parameter sent twice, or ``page_size`` outside 1-500, too); a body also 413
  when it is larger than the configured limit;
- it changes the state of something that may no longer allow it (approve, reject, deny,
  issue, withdraw, enroll, refund request, retirement request, edit of an entry): 409;
- it is throttled (the token endpoint): 429; the token endpoint also answers 403 to a staff
  account without two-factor authentication.

Every error body is JSON: ``{"detail": "..."}``, or for 400 the messages per field; error
answers a view declares itself (``extend_schema``) keep their description and get the body.
"""

from __future__ import annotations

import re
from typing import Any

ERROR = "Error"
FIELD_ERRORS = "FieldErrors"

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error with a message for people.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "Invalid input: for each field name (``non_field_errors`` for the body as a whole) "
        "a list of messages; a list or nested field has its messages per position or name."
    ),
    "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}]},
    "example": {"completed_on": ["Enter a date as YYYY-MM-DD."]},
}

DESCRIPTIONS = {
    "400": "Invalid input: the messages per field, or ``detail`` for a body that cannot be read.",
    "401": "Not signed in: no token, or an unknown, revoked or expired one.",
    "403": "Signed in, but not allowed to do this (e.g. staff only).",
    "404": "No such object, or not the caller's to see (the same answer either way).",
    "409": "The object is not in a state that allows this (e.g. already decided).",
    "413": "The request body is larger than the configured limit.",
    "429": "Too many requests: try again after the number of seconds in ``Retry-After``.",
}

BODY_METHODS = frozenset({"post", "put", "patch"})
# (method, path regex) of the operations that may answer 409.
CONFLICTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "post",
        re.compile(r"/(approve|reject|deny|issue|withdraw|resubmit|refund-request|enrollments)/$"),
    ),
    ("post", re.compile(r"/members/\{[^}]+\}/retirements/$")),
    ("patch", re.compile(r"/activities/\{[^}]+\}/$")),
)
THROTTLED = frozenset({("post", "/api/v1/auth/token/")})
# Operations without sign-in that still refuse some callers with 403.
FORBIDDEN_WITHOUT_SIGN_IN = {
    ("post", "/api/v1/auth/token/"): "A staff account without two-factor authentication: "
    "set up two-factor authentication first.",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _needs_sign_in(operation: dict[str, Any]) -> bool:
    return any(requirement for requirement in operation.get("security", []))


def _is_paginated(operation: dict[str, Any]) -> bool:
    ok = operation.get("responses", {}).get("200", {})
    schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
    return str(schema.get("$ref", "")).startswith("#/components/schemas/Paginated")


def error_codes(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    """The error statuses the operation can answer, by the facts the module docstring lists."""
    codes: set[str] = set()
    parameters = operation.get("parameters", [])
    if _needs_sign_in(operation):
        codes |= {"401", "403"}
    if (method, path) in FORBIDDEN_WITHOUT_SIGN_IN:
        codes.add("403")
    if any(p.get("in") == "path" for p in parameters) or _is_paginated(operation):
        codes.add("404")
    if method in BODY_METHODS:
        codes |= {"400", "413"}
    if any(p.get("in") == "query" for p in parameters):
        codes.add("400")
    if any(method == m and pattern.search(path) for m, pattern in CONFLICTS):
        codes.add("409")
    if (method, path) in THROTTLED:
        codes.add("429")
    return sorted(codes)


def document_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: add the error answers of every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR, ERROR_SCHEMA)
    schemas.setdefault(FIELD_ERRORS, FIELD_ERRORS_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            declared = {code for code in responses if code.startswith("4")}
            for code in sorted(declared | set(error_codes(method, path, operation))):
                response = responses.setdefault(code, {})
                if code == "403" and (method, path) in FORBIDDEN_WITHOUT_SIGN_IN:
                    response.setdefault("description", FORBIDDEN_WITHOUT_SIGN_IN[(method, path)])
                response.setdefault("description", DESCRIPTIONS.get(code, "An error."))
                if code == "400":
                    schema: dict[str, Any] = {"anyOf": [_ref(FIELD_ERRORS), _ref(ERROR)]}
                else:
                    schema = _ref(ERROR)
                response.setdefault("content", _json(schema))
                if code == "429":
                    response.setdefault(
                        "headers",
                        {
                            "Retry-After": {
                                "schema": {"type": "integer"},
                                "description": "Seconds to wait before the next attempt.",
                            }
                        },
                    )
    return result


def load_schema_extensions() -> None:
    """Resolve every drf-spectacular extension's target class now, once, at start-up.

    drf-spectacular resolves them lazily, on the first schema request, and that is not
    thread-safe: two first requests at once on a threaded server can see a half-resolved
    extension and answer 500 (seen under schemathesis right after gunicorn started). The
    WSGI entry point calls this before the first request."""
    import drf_spectacular.openapi  # noqa: F401  (registers the bundled extensions)
    from drf_spectacular import extensions

    for kind in (
        extensions.OpenApiAuthenticationExtension,
        extensions.OpenApiSerializerExtension,
        extensions.OpenApiSerializerFieldExtension,
        extensions.OpenApiViewExtension,
        extensions.OpenApiFilterExtension,
    ):
        for extension in kind._registry:
            if isinstance(extension.target_class, str):
                extension._load_class()  # type: ignore[no-untyped-call]
