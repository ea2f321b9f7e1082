"""A database outage answers 503 with a message, never a stack trace or Django's 500 page.

While PostgreSQL is down (restarted, failed over, unreachable) every query raises
``django.db.OperationalError`` or ``InterfaceError``, wherever it happens: in a view, in the
session or authentication middleware, or when the session is saved on the way out. Django
turns each of those into a 500 response and sends ``got_request_exception`` first; the
receiver below marks the request, and ``DatabaseUnavailableMiddleware`` (the outermost
middleware) swaps such a 500 for a 503: JSON ``{"detail": ...}`` under ``/api/``, a small
plain HTML page elsewhere (one that needs no database: no user, no session, no template
that reads them). DRF views answer the same 503 through ``imaportal.api.exception_handler``.

Nothing has to be restarted afterwards: ``CONN_HEALTH_CHECKS`` (settings) replaces a
persistent connection that broke during the outage before the next request uses it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 60
_MARK = "_imaportal_database_unavailable"
# Headers the inner middleware set on the response being replaced; the 503 keeps them.
_KEPT_HEADERS = (
    "Content-Security-Policy",
    "Cross-Origin-Opener-Policy",
    "Referrer-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
)


def database_unavailable_message() -> str:
    return _("The portal's database is unavailable; try again in a minute.")


def is_database_outage(exc: BaseException | None) -> bool:
    """A failure to reach or keep talking to the database (not a bad query: those raise
    ``ProgrammingError``, ``IntegrityError`` or ``DataError``)."""
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON for the API, a plain page elsewhere."""
    message = database_unavailable_message()
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": message}, status=503)
    else:
        title = escape(_("Service unavailable"))
        response = HttpResponse(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{title}</title></head><body><h1>{title}</h1>"
            f"<p>{escape(message)}</p></body></html>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _note_outage(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """``got_request_exception`` is sent inside the ``except`` block: mark the request when
    the exception is a database outage."""
    exc = sys.exc_info()[1]
    if request is not None and is_database_outage(exc):
        setattr(request, _MARK, True)
        logger.error("Database unavailable during %s %s: %s", request.method, request.path, exc)


got_request_exception.connect(_note_outage, dispatch_uid="imaportal.outage.note_outage")


class DatabaseUnavailableMiddleware:
    """Outermost middleware: a 500 caused by a database outage becomes a clean 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            replacement = unavailable_response(request)
            for header in _KEPT_HEADERS:
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view that raised: answer at once (no other middleware's error handling)."""
        if is_database_outage(exception):
            logger.error(
                "Database unavailable during %s %s: %s", request.method, request.path, exception
            )
            return unavailable_response(request)
        return None
