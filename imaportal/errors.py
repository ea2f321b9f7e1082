"""Error answers: JSON for every path under ``/api/`` (the API never answers Django's HTML
error pages), Django's usual pages elsewhere. Wired as ``handler400/403/404/500`` in
``imaportal.urls`` and as ``CSRF_FAILURE_VIEW``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import csrf, defaults

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def too_large(limit: int) -> JsonResponse:
    return JsonResponse({"detail": f"Request body too large (max {limit} bytes)."}, status=413)


def api_body_limit(request: HttpRequest) -> int:
    """The largest API body accepted: uploads (multipart) may carry one evidence file."""
    if request.content_type == "multipart/form-data":
        return int(settings.API_MAX_UPLOAD_BYTES)
    return int(settings.API_MAX_BODY_BYTES)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return too_large(api_body_limit(request))
        return JsonResponse({"detail": "Bad request: the request could not be read."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return JsonResponse(
            {"detail": "You do not have permission to perform this action."}, status=403
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return JsonResponse(
            {"detail": "Server error: the request failed; it has been logged."}, status=500
        )
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "", **kwargs: Any) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": f"CSRF Failed: {reason}"}, status=403)
    return csrf.csrf_failure(request, reason=reason, **kwargs)
