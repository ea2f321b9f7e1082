"""Two-factor authentication is required for staff: a staff account signed in without a
TOTP authenticator is sent to set one up before it can use any other page. The API answers
such an account 403 itself (``imaportal.api.IsStaff``, ``members.selectors``)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from members.selectors import is_staff_without_two_factor

# Pages a staff member without a second factor may still reach: the setup itself,
# logging out, static files and the machine endpoints.
_ALLOWED_NAMES = (
    "mfa_activate_totp",
    "mfa_index",
    "account_logout",
    "account_reauthenticate",
)
_ALLOWED_PREFIXES = ("/static/", "/healthz", "/api/")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and request.path not in {reverse(name) for name in _ALLOWED_NAMES}
            and is_staff_without_two_factor(user)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.get_full_path()}")
        return self.get_response(request)
