"""The web kit of the HTML pages: who may open a page (``staff_required``,
``member_required``), the one mapping of domain errors onto pages (``or_404``,
``add_form_errors``, ``report``), the one access helper for rows a member owns
(``one_visible``, from ``imaportal.access`` where the selectors use it) and the one place a
page reads the clock (``today``).

Services and selectors raise the domain errors of ``imaportal.exceptions``; a view never
catches ``NotFound`` by hand: it calls through ``or_404`` (missing or not yours: 404), puts
``InvalidInput`` next to the form's fields with ``add_form_errors`` and tells the user about
a ``Conflict`` (or any other domain error) with ``report``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from imaportal.access import one_visible
from imaportal.exceptions import DomainError, InvalidInput, NotFound
from members.models import Member
from members.selectors import has_staff_power, own_member

P = ParamSpec("P")
T = TypeVar("T")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]
MemberView = Callable[Concatenate[HttpRequest, Member, P], HttpResponse]


def today() -> dt.date:
    """The portal's date today: the one clock read of a page, passed on to selectors."""
    return timezone.localdate()


def staff_required(view: View[P]) -> View[P]:
    """Signed-in staff only: anonymous visitors go to the login page, members get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not has_staff_power(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def staff_instead_of_member(request: HttpRequest) -> HttpResponse:
    """What staff see on a page that shows a member's own data: 403 with an explanation
    and links to the staff queues (not a bare 404)."""
    return render(request, "imaportal/staff_not_member.html", status=403)


def member_required(view: MemberView[P]) -> View[P]:
    """Signed-in members only; the view gets the signed-in user's ``Member`` after the
    request. Staff without a member profile get the explanatory 403 page, any other account
    without one a 404; anonymous visitors go to the login page."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            member = own_member(request.user)
        except NotFound:
            if request.user.is_authenticated and request.user.is_staff:
                return staff_instead_of_member(request)
            raise Http404(_("This account has no member profile.")) from None
        return view(request, member, *args, **kwargs)

    return login_required(wrapped)


def or_404(call: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """``call(*args, **kwargs)``, with ``NotFound`` (missing or not the caller's) as 404."""
    try:
        return call(*args, **kwargs)
    except NotFound:
        raise Http404 from None


def add_form_errors(form: forms.BaseForm, exc: InvalidInput) -> None:
    """The service's field errors next to the form's fields (others above the form)."""
    for field, errors in exc.errors.items():
        form.add_error(field if field in form.fields else None, errors)


def report(request: HttpRequest, exc: DomainError) -> None:
    """A domain error the user should read (a ``Conflict`` above all) as an error message."""
    messages.error(request, exc.message)


__all__ = [
    "add_form_errors",
    "member_required",
    "one_visible",
    "or_404",
    "report",
    "staff_instead_of_member",
    "staff_required",
    "today",
]
