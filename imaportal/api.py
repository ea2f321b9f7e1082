"""Shared REST API v1 plumbing: the ``IsStaff`` permission, pagination and the exception
handler that maps the domain errors of ``imaportal.exceptions`` onto HTTP answers in one
place."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from imaportal.exceptions import Conflict, DomainError, InvalidInput, NotFound
from imaportal.outage import RETRY_AFTER_SECONDS, database_unavailable_message, is_database_outage
from members import selectors as member_selectors


class IsStaff(permissions.BasePermission):
    """Staff with two-factor authentication; a staff account without it gets 403 with a
    message saying what to do, whatever the channel (session or token)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        if not member_selectors.has_two_factor(user):
            raise PermissionDenied(str(member_selectors.STAFF_NEEDS_TWO_FACTOR))
        return True


def query_param(request: Request, name: str) -> str | None:
    """The one value of ``?name=``, None when absent; sent more than once, a 400."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise InvalidInput({name: [_("Send this parameter at most once.")]})
    return values[0] if values else None


def boolean_query_param(request: Request, name: str) -> bool:
    """``?name=true`` or ``false`` (also 1/0, yes/no); absent is false, anything else a 400."""
    raw = query_param(request, name)
    if raw is None:
        return False
    value = raw.strip().lower()
    if value not in {"true", "1", "yes", "false", "0", "no"}:
        raise InvalidInput({name: [_("Enter true or false.")]})
    return value in {"true", "1", "yes"}


class Pagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}`` with an optional ``?page_size=`` from 1 to
    ``max_page_size``; any other ``page_size`` is a 400, a ``page`` past the end a 404."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        raw = query_param(request, self.page_size_query_param)
        if raw is None:
            return int(self.page_size or 0)
        try:
            size = int(raw.strip())
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise InvalidInput(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(most)d.") % {"most": self.max_page_size}
                    ]
                }
            )
        return size

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        query_param(request, self.page_query_param)  # once at most
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


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
