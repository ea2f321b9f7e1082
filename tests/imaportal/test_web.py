"""The web kit (``imaportal.web``) and the API's ``IsStaff``: who may open a page, the one
mapping of domain errors and the one access helper, on real Postgres."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.request import Request

from cpe.forms import EntryForm
from cpe.models import TranscriptEntry
from imaportal.api import IsStaff
from imaportal.exceptions import Conflict, InvalidInput, NotFound
from imaportal.web import (
    add_form_errors,
    member_required,
    one_visible,
    or_404,
    report,
    staff_required,
)
from members.models import Member
from tests.factories import EntryFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(user) -> HttpRequest:
    request = RequestFactory().get("/somewhere/")
    request.user = user
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)
    return request


@staff_required
def _staff_page(request: HttpRequest, thing: int) -> HttpResponse:
    return HttpResponse(f"staff {thing}")


@member_required
def _member_page(request: HttpRequest, member: Member, thing: int) -> HttpResponse:
    return HttpResponse(f"{member.member_number} {thing}")


# -- staff_required -------------------------------------------------------------------------


def test_staff_required_lets_staff_with_two_factor_in(staff):
    assert _staff_page(_request(staff), thing=7).content == b"staff 7"


def test_staff_required_sends_anonymous_visitors_to_the_login_page():
    response = _staff_page(_request(AnonymousUser()), thing=7)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_required_refuses_members_and_staff_without_two_factor(member_a):
    with pytest.raises(PermissionDenied):
        _staff_page(_request(member_a.user), thing=7)
    with pytest.raises(PermissionDenied):
        _staff_page(_request(StaffFactory(totp=False)), thing=7)


# -- member_required ------------------------------------------------------------------------


def test_member_required_hands_the_view_the_signed_in_member(member_a):
    response = _member_page(_request(member_a.user), thing=3)
    assert response.content.decode() == f"{member_a.member_number} 3"


def test_member_required_sends_anonymous_visitors_to_the_login_page():
    response = _member_page(_request(AnonymousUser()), thing=3)
    assert response.status_code == 302


def test_member_required_tells_staff_where_to_go_instead_of_a_404(staff):
    response = _member_page(_request(staff), thing=3)
    assert response.status_code == 403
    page = response.content.decode()
    assert "no member profile" in page
    assert "/staff/review/" in page and "/staff/refunds/" in page


def test_member_required_is_a_404_for_an_account_without_a_profile():
    with pytest.raises(Http404):
        _member_page(_request(UserFactory()), thing=3)


# -- the error mapping ----------------------------------------------------------------------


def test_or_404_passes_the_value_through_and_maps_not_found():
    assert or_404(lambda a, *, b: a + b, 1, b=2) == 3

    def missing() -> None:
        raise NotFound()

    with pytest.raises(Http404):
        or_404(missing)


def test_or_404_leaves_other_domain_errors_to_the_view():
    def busy() -> None:
        raise Conflict("busy")

    with pytest.raises(Conflict):
        or_404(busy)


def test_add_form_errors_puts_field_errors_next_to_fields_and_others_above():
    form = EntryForm(data={})
    form.is_valid()
    add_form_errors(form, InvalidInput({"title": "Too vague.", "no_such_field": ["Odd."]}))
    assert "Too vague." in form.errors["title"]
    assert "Odd." in form.non_field_errors()


def test_report_shows_the_domain_error_as_a_message(member_a):
    request = _request(member_a.user)
    report(request, Conflict("The entry is no longer pending."))
    assert [str(m) for m in request._messages] == ["The entry is no longer pending."]


# -- one_visible ----------------------------------------------------------------------------


def test_one_visible_shows_a_member_their_own_rows_only(member_a, member_b):
    mine = EntryFactory(member=member_a)
    theirs = EntryFactory(member=member_b)
    rows = TranscriptEntry.objects.all()
    assert one_visible(rows, member_a.user, mine.pk) == mine
    assert one_visible(rows, member_a.user, str(mine.pk)) == mine
    with pytest.raises(NotFound):
        one_visible(rows, member_a.user, theirs.pk)


def test_one_visible_shows_staff_every_row(member_a, staff):
    entry = EntryFactory(member=member_a)
    assert one_visible(TranscriptEntry.objects.all(), staff, entry.pk) == entry


@pytest.mark.parametrize("pk", ["abc", "", "1.5", None, 10**12])
def test_one_visible_answers_the_same_not_found_for_anything_unusable(member_a, pk):
    with pytest.raises(NotFound):
        one_visible(TranscriptEntry.objects.all(), member_a.user, pk)


def test_one_visible_shows_anonymous_visitors_nothing(member_a):
    entry = EntryFactory(member=member_a)
    with pytest.raises(NotFound):
        one_visible(TranscriptEntry.objects.all(), AnonymousUser(), entry.pk)


def test_one_visible_follows_the_owner_lookup_given(member_a, member_b):
    assert one_visible(Member.objects.all(), member_a.user, member_a.pk, owner="user") == member_a
    with pytest.raises(NotFound):
        one_visible(Member.objects.all(), member_a.user, member_b.pk, owner="user")


# -- IsStaff (API) --------------------------------------------------------------------------


def _api_request(user) -> Request:
    request = Request(RequestFactory().get("/api/v1/"))
    request.user = user
    return request


def test_is_staff_admits_staff_with_two_factor_only(staff, member_a):
    assert IsStaff().has_permission(_api_request(staff), None) is True
    assert IsStaff().has_permission(_api_request(member_a.user), None) is False
    assert IsStaff().has_permission(_api_request(AnonymousUser()), None) is False


def test_is_staff_tells_staff_without_two_factor_what_to_do():
    with pytest.raises(ApiPermissionDenied, match="two-factor"):
        IsStaff().has_permission(_api_request(StaffFactory(totp=False)), None)


def test_members_api_still_offers_is_staff_under_its_old_name():
    from members.api.views import IsStaff as OldName

    assert OldName is IsStaff
