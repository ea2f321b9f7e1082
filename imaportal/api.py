"""Shared REST API v1 plumbing: pagination and the exception handler that maps the domain
errors of ``imaportal.exceptions`` onto HTTP answers in one place."""

from typing import Any

from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from imaportal.exceptions import Conflict, DomainError, InvalidInput, NotFound
from imaportal.outage import RETRY_AFTER_SECONDS, database_unavailable_message, is_database_outage


class Pagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}`` with an optional ``?page_size=``."""

    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, InvalidInput):
        return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, NotFound):
        return Response({"detail": exc.message or "Not found."}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message}, status=exc.status_code)
    if is_database_outage(exc):  # PostgreSQL down or restarting: 503, see imaportal.outage
        return Response(
            {"detail": database_unavailable_message()},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return drf_exception_handler(exc, context)
