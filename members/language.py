"""The member's language (issue 17).

A first visit follows the browser's ``Accept-Language`` (Django's LocaleMiddleware). The
switcher in the header posts to ``set_language``: it remembers the choice in the language
cookie, and for a signed-in member also on the member record, which the pages use from then
on and which Celery uses for the emails it sends later (``notifications.recipient_language``).
At sign-in the member's stored language is put in the session; ``MemberLanguageMiddleware``
activates it on every page. The API does not look at the session or the profile: its
sentences follow the caller's ``Accept-Language`` (English by default), its codes never change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Member, User

SESSION_KEY = "member_language"
_COOKIE_AGE = 365 * 24 * 60 * 60


def supported(code: object) -> str | None:
    """``code`` if it is one of the portal's languages, else ``None``."""
    return code if isinstance(code, str) and code in dict(settings.LANGUAGES) else None


def _set_cookie(response: HttpResponse, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _back(request: HttpRequest) -> str:
    for candidate in (request.POST.get("next"), request.headers.get("referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return reverse("home")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the portal to the posted ``language`` and go back to the page it came from."""
    code = supported(request.POST.get("language"))
    response = HttpResponseRedirect(_back(request))
    if code is None:
        messages.error(request, _("Choose one of the languages in the list."))
        return response
    user = request.user
    if user.is_authenticated:
        from members.services import set_member_language

        member = Member.objects.filter(user=user).first()
        if member is not None:
            set_member_language(member=member, language=code, by=user)
        request.session[SESSION_KEY] = code
    _set_cookie(response, code)
    return response


@receiver(user_logged_in, dispatch_uid="members.language_at_sign_in")
def _language_at_sign_in(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    if request is None or not hasattr(request, "session"):
        return
    language = Member.objects.filter(user=user).values_list("language", flat=True).first()
    if supported(language):
        request.session[SESSION_KEY] = language


class MemberLanguageMiddleware:
    """Pages in the signed-in member's language (after AuthenticationMiddleware); the API
    keeps to ``Accept-Language``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = None
        # Only a request that carries a session cookie can have a remembered language: a
        # first visit costs no session read.
        if (
            not request.path.startswith("/api/")
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and hasattr(request, "session")
        ):
            code = supported(request.session.get(SESSION_KEY))
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if code and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != code:
            _set_cookie(response, code)  # the choice outlives the session
        return response
