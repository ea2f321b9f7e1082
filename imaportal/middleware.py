"""``ApiBodyLimitMiddleware``: API requests whose body is larger than the configured limit
(``API_MAX_BODY_BYTES``, or ``API_MAX_UPLOAD_BYTES`` for multipart uploads) are answered
413 with a JSON message before anything reads the body."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from imaportal.errors import api_body_limit, is_api, too_large


class ApiBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api(request):
            raw = request.META.get("CONTENT_LENGTH") or "0"
            # Django reads no more than Content-Length (none: an empty body), so the header
            # bounds what the views can read.
            if not (raw.isascii() and raw.isdigit()):
                return JsonResponse({"detail": "Invalid Content-Length header."}, status=400)
            limit = api_body_limit(request)
            if int(raw) > limit:
                return too_large(limit)
        return self.get_response(request)
