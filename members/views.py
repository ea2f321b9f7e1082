"""HTML pages of the members app."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from imaportal.exceptions import NotFound
from members import selectors
from members.adapters import landing_url
from members.models import Member


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(landing_url(request.user))
    return redirect("account_login")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """My Profile: the signed-in member's details (staff without a profile see their account)."""
    try:
        member: Member | None = selectors.own_member(request.user)
    except NotFound:
        member = None
    return render(request, "members/profile.html", {"member": member})
