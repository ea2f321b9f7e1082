"""Exemption and retirement requests over HTTP (SPEC sections 3 and 6): the API and the
pages, every role, the rules (reason codes, years, the age of 55), the decisions (409 on a
second one, a reason to reject), the status change and the emails they cause."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certification.models import Exemption, Retirement, StatusChange
from certification.services.recompute import recompute_member
from imaportal.dates import add_years
from imaportal.formatting import day
from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def today():
    return timezone.localdate()


def exemptions_url(member):
    return f"/api/v1/members/{member.id}/exemptions/"


def retirements_url(member):
    return f"/api/v1/members/{member.id}/retirements/"


def exemption_request(member, **fields):
    values = {
        "member": member,
        "reason": "illness",
        "years": [today().year],
        "explanation": "Surgery and a long recovery.",
        "created_by": member.user,
    }
    values.update(fields)
    return Exemption.objects.create(**values)


def retirement_request(member, **fields):
    values = {"member": member, "retired_on": today(), "created_by": member.user}
    values.update(fields)
    return Retirement.objects.create(**values)


def turning_55(days_from_today):
    """A member who turns 55 ``days_from_today`` days from today."""
    birthday = today() + dt.timedelta(days=days_from_today)
    return MemberFactory(birth_date=add_years(birthday, -55)), birthday


def body(response):
    return response.json()


# -- Exemptions: filing ---------------------------------------------------------------------


def test_member_requests_an_exemption(api, member_a):
    year = today().year
    response = api(member_a.user).post(
        exemptions_url(member_a),
        {"reason": "military", "years": [year + 1, year], "explanation": "Deployed abroad."},
        format="json",
    )
    assert response.status_code == 201, body(response)
    data = body(response)
    assert isinstance(data["id"], int)
    assert data["state"] == "requested"
    assert data["reason"] == "military"
    assert data["years"] == [year, year + 1]
    assert data["explanation"] == "Deployed abroad."
    assert data["decided_by"] is None
    assert data["decided_at"] is None
    assert data["decision_reason"] == ""
    assert Exemption.objects.get(pk=data["id"]).member == member_a


def test_exemption_with_a_document_in_multipart(api, member_a, member_b, staff):
    upload = SimpleUploadedFile("doctor.pdf", PDF, content_type="application/pdf")
    response = api(member_a.user).post(
        exemptions_url(member_a),
        {
            "reason": "illness",
            "years": [str(today().year)],
            "explanation": "See the doctor's letter.",
            "document": upload,
        },
        format="multipart",
    )
    assert response.status_code == 201, body(response)
    data = body(response)
    assert data["document_name"] == "doctor.pdf"
    for user, expected in ((member_a.user, 200), (staff, 200), (member_b.user, 404)):
        download = api(user).get(data["document_url"])
        assert download.status_code == expected
        if expected == 200:
            assert b"".join(download.streaming_content) == PDF


def test_a_document_that_is_not_pdf_png_or_jpeg_is_refused(api, member_a):
    upload = SimpleUploadedFile("doctor.pdf", b"MZ\x90\x00 program", content_type="application/pdf")
    response = api(member_a.user).post(
        exemptions_url(member_a),
        {"reason": "illness", "years": [today().year], "explanation": "x", "document": upload},
        format="multipart",
    )
    assert response.status_code == 400
    assert "PDF, PNG or JPEG" in body(response)["document"][0]
    assert not Exemption.objects.exists()


def test_an_oversized_document_is_refused(api, member_a, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = api(member_a.user).post(
        exemptions_url(member_a),
        {"reason": "illness", "years": [today().year], "explanation": "x", "document": upload},
        format="multipart",
    )
    assert response.status_code == 400
    assert "limit" in body(response)["document"][0]


@pytest.mark.parametrize("reason", ["busy_work", "job_change", "unemployment", "", "MILITARY"])
def test_only_the_three_reason_codes_qualify(api, member_a, reason):
    response = api(member_a.user).post(
        exemptions_url(member_a),
        {"reason": reason, "years": [today().year], "explanation": "Too busy at work."},
        format="json",
    )
    assert response.status_code == 400
    assert "reason" in body(response)
    assert not Exemption.objects.exists()


def test_busy_work_is_refused_with_the_rule_spelled_out(api, member_a):
    response = api(member_a.user).post(
        exemptions_url(member_a),
        {"reason": "busy_work", "years": [today().year], "explanation": "Year-end close."},
        format="json",
    )
    assert "busy work" in body(response)["reason"][0]


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ([], None),
        ("not a list", None),
        (["twenty"], None),
        ([2025.5], None),
        ([0], None),
        ("same twice", "only once"),
        ("before first reporting year", "first reporting year"),
        ("certification year", "first reporting year"),
        ("two years ahead", "too far ahead"),
    ],
)
def test_exemption_years_are_checked(api, member_a, years, message):
    # member A was certified on 2020-03-01: the first reporting year is 2021.
    this_year = today().year
    named = {
        "same twice": [this_year, this_year],
        "before first reporting year": [2019],
        "certification year": [2020],
        "two years ahead": [this_year + 2],
    }
    response = api(member_a.user).post(
        exemptions_url(member_a),
        {
            "reason": "hardship",
            "years": named.get(years, years) if isinstance(years, str) else years,
            "explanation": "x",
        },
        format="json",
    )
    assert response.status_code == 400, body(response)
    assert "years" in body(response)
    if message:
        assert message in " ".join(body(response)["years"])
    assert not Exemption.objects.exists()


def test_the_first_reporting_year_and_next_year_are_accepted(api, member_a):
    response = api(member_a.user).post(
        exemptions_url(member_a),
        {"reason": "hardship", "years": [2021, today().year + 1], "explanation": "x"},
        format="json",
    )
    assert response.status_code == 201, body(response)


def test_a_year_already_exempt_is_named(api, member_a):
    year = today().year
    exemption_request(member_a, years=[year - 1, year], state="approved")
    response = api(member_a.user).post(
        exemptions_url(member_a),
        {"reason": "illness", "years": [year - 2, year - 1], "explanation": "x"},
        format="json",
    )
    assert response.status_code == 400
    errors = body(response)["years"]
    assert errors == [f"{year - 1} is already covered by an approved exemption."]


def test_a_year_in_a_waiting_request_is_named(api, member_a):
    exemption_request(member_a, years=[today().year])
    response = api(member_a.user).post(
        exemptions_url(member_a),
        {"reason": "illness", "years": [today().year], "explanation": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert str(today().year) in body(response)["years"][0]


def test_a_rejected_request_does_not_block_the_same_year(api, member_a):
    exemption_request(member_a, years=[today().year], state="rejected")
    response = api(member_a.user).post(
        exemptions_url(member_a),
        {"reason": "illness", "years": [today().year], "explanation": "More documents."},
        format="json",
    )
    assert response.status_code == 201


def test_a_member_who_is_not_a_cma_cannot_be_exempted(api):
    member = MemberFactory(certified_on=None)
    response = api(member.user).post(
        exemptions_url(member),
        {"reason": "illness", "years": [today().year], "explanation": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "Only CMAs" in body(response)["years"][0]


def test_explanation_is_required(api, member_a):
    response = api(member_a.user).post(
        exemptions_url(member_a),
        {"reason": "illness", "years": [today().year], "explanation": ""},
        format="json",
    )
    assert response.status_code == 400
    assert "explanation" in body(response)


def test_staff_files_a_request_for_a_member(api, staff, member_a):
    response = api(staff).post(
        exemptions_url(member_a),
        {"reason": "military", "years": [today().year], "explanation": "By phone."},
        format="json",
    )
    assert response.status_code == 201
    assert body(response)["created_by"] == staff.email


def test_exemption_list_roles_and_pagination(api, member_a, member_b, staff):
    older = exemption_request(member_a, years=[2022], state="rejected")
    newer = exemption_request(member_a, years=[2023])
    exemption_request(member_b, years=[2023])
    for user in (member_a.user, staff):
        response = api(user).get(exemptions_url(member_a))
        assert response.status_code == 200
        data = body(response)
        assert set(data) == {"count", "next", "previous", "results"}
        assert data["count"] == 2
        assert [r["id"] for r in data["results"]] == [newer.pk, older.pk]
    assert api(member_b.user).get(exemptions_url(member_a)).status_code == 404
    assert api().get(exemptions_url(member_a)).status_code == 401
    posted = api(member_b.user).post(
        exemptions_url(member_a),
        {"reason": "illness", "years": [today().year], "explanation": "x"},
        format="json",
    )
    assert posted.status_code == 404
    assert api().post(exemptions_url(member_a), {}, format="json").status_code == 401
    assert api(staff).get("/api/v1/members/999999/exemptions/").status_code == 404


# -- Exemptions: decisions ------------------------------------------------------------------


def test_staff_approve_an_exemption_and_the_member_is_told(
    api, staff, member_a, mailoutbox, django_capture_on_commit_callbacks
):
    exemption = exemption_request(member_a, years=[today().year])
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(
            f"/api/v1/exemptions/{exemption.pk}/approve/", {"reason": "Letter seen."}, format="json"
        )
    assert response.status_code == 200, body(response)
    data = body(response)
    assert data["state"] == "approved"
    assert data["decided_by"] == staff.email
    assert data["decided_at"] is not None
    assert data["decision_reason"] == "Letter seen."
    decision = [m for m in mailoutbox if "request was approved" in m.subject]
    assert len(decision) == 1
    assert decision[0].to == [member_a.email]
    assert str(today().year) in decision[0].subject


def test_approving_twice_is_a_conflict(api, staff, member_a):
    exemption = exemption_request(member_a)
    url = f"/api/v1/exemptions/{exemption.pk}/approve/"
    assert api(staff).post(url, {}, format="json").status_code == 200
    again = api(staff).post(url, {}, format="json")
    assert again.status_code == 409
    assert "already approved" in body(again)["detail"]
    rejected = api(staff).post(
        f"/api/v1/exemptions/{exemption.pk}/reject/", {"reason": "Changed mind"}, format="json"
    )
    assert rejected.status_code == 409


def test_rejecting_needs_a_reason_and_the_member_gets_it(
    api, staff, member_a, mailoutbox, django_capture_on_commit_callbacks
):
    exemption = exemption_request(member_a)
    url = f"/api/v1/exemptions/{exemption.pk}/reject/"
    for payload in ({}, {"reason": "   "}):
        response = api(staff).post(url, payload, format="json")
        assert response.status_code == 400
        assert "reason" in body(response)
    exemption.refresh_from_db()
    assert exemption.state == "requested"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(url, {"reason": "No medical evidence."}, format="json")
    assert response.status_code == 200
    assert body(response)["state"] == "rejected"
    assert body(response)["decision_reason"] == "No medical evidence."
    assert len(mailoutbox) == 1
    assert "not approved" in mailoutbox[0].subject
    assert "No medical evidence." in mailoutbox[0].body


def test_only_staff_decide_exemptions(api, member_a, member_b, staff):
    exemption = exemption_request(member_a)
    for action in ("approve", "reject"):
        url = f"/api/v1/exemptions/{exemption.pk}/{action}/"
        assert api(member_a.user).post(url, {"reason": "x"}, format="json").status_code == 403
        assert api(member_b.user).post(url, {"reason": "x"}, format="json").status_code == 403
        assert api().post(url, {"reason": "x"}, format="json").status_code == 401
        missing = f"/api/v1/exemptions/999999/{action}/"
        assert api(staff).post(missing, {"reason": "x"}, format="json").status_code == 404
    exemption.refresh_from_db()
    assert exemption.state == "requested"


def test_an_approved_exemption_clears_a_make_up_year(
    api, staff, django_capture_on_commit_callbacks
):
    # Certified two years ago, no CPE since: last year fell short, so this year is make-up.
    member = MemberFactory(certified_on=dt.date(today().year - 2, 3, 1))
    recompute_member(member.pk, why="Test set-up.")
    member.refresh_from_db()
    assert member.status == "inactive_makeup"
    exemption = exemption_request(member, years=[today().year])
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(f"/api/v1/exemptions/{exemption.pk}/approve/", {}, format="json")
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.status == "exempt"
    change = StatusChange.objects.filter(member=member).last()
    assert change.from_status == "inactive_makeup"
    assert change.to_status == "exempt"
    assert "Exemption" in change.reason_text()


# -- Retirement -----------------------------------------------------------------------------


def test_age_check_at_the_55th_birthday(api):
    member, birthday = turning_55(30)
    before = api(member.user).post(
        retirements_url(member),
        {"retired_on": (birthday - dt.timedelta(days=1)).isoformat()},
        format="json",
    )
    assert before.status_code == 400
    message = body(before)["retired_on"][0]
    assert "55" in message
    assert day(birthday) in message
    on_the_day = api(member.user).post(
        retirements_url(member),
        {"retired_on": birthday.isoformat(), "explanation": "Retired as CFO."},
        format="json",
    )
    assert on_the_day.status_code == 201, body(on_the_day)
    data = body(on_the_day)
    assert data["state"] == "requested"
    assert data["retired_on"] == birthday.isoformat()
    assert data["decided_by"] is None and data["decided_at"] is None
    assert data["decision_reason"] == ""


def test_a_birthday_on_29_february():
    assert add_years(dt.date(1972, 2, 29), 55) == dt.date(2027, 3, 1)
    assert add_years(dt.date(1968, 2, 29), 56) == dt.date(2024, 2, 29)


def test_the_policy_sets_the_minimum_age(api):
    from policy.models import PolicyVersion

    member, birthday = turning_55(-10)  # 55 ten days ago
    PolicyVersion.objects.create(effective_from=2000, retirement_min_age=60)
    response = api(member.user).post(
        retirements_url(member), {"retired_on": today().isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert day(add_years(birthday, 5)) in body(response)["retired_on"][0]


def test_retirement_at_most_one_year_ahead(api):
    member, _ = turning_55(-400)
    too_far = add_years(today(), 1) + dt.timedelta(days=1)
    response = api(member.user).post(
        retirements_url(member), {"retired_on": too_far.isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert "one year" in body(response)["retired_on"][0]
    ok = api(member.user).post(
        retirements_url(member), {"retired_on": add_years(today(), 1).isoformat()}, format="json"
    )
    assert ok.status_code == 201


def test_one_open_retirement_request_at_a_time(api, staff):
    member, _ = turning_55(-400)
    first = api(member.user).post(
        retirements_url(member), {"retired_on": today().isoformat()}, format="json"
    )
    assert first.status_code == 201
    second = api(member.user).post(
        retirements_url(member), {"retired_on": today().isoformat()}, format="json"
    )
    assert second.status_code == 409
    api(staff).post(
        f"/api/v1/retirements/{body(first)['id']}/reject/",
        {"reason": "Still employed as controller."},
        format="json",
    )
    third = api(member.user).post(
        retirements_url(member), {"retired_on": today().isoformat()}, format="json"
    )
    assert third.status_code == 201
    api(staff).post(f"/api/v1/retirements/{body(third)['id']}/approve/", {}, format="json")
    fourth = api(member.user).post(
        retirements_url(member), {"retired_on": today().isoformat()}, format="json"
    )
    assert fourth.status_code == 409


def test_retirement_list_and_roles(api, member_a, member_b, staff):
    retirement = retirement_request(member_a)
    for user in (member_a.user, staff):
        response = api(user).get(retirements_url(member_a))
        assert response.status_code == 200
        assert body(response)["count"] == 1
        assert body(response)["results"][0]["id"] == retirement.pk
    assert api(member_b.user).get(retirements_url(member_a)).status_code == 404
    assert api().get(retirements_url(member_a)).status_code == 401
    posted = api(member_b.user).post(
        retirements_url(member_a), {"retired_on": today().isoformat()}, format="json"
    )
    assert posted.status_code == 404
    for action in ("approve", "reject"):
        url = f"/api/v1/retirements/{retirement.pk}/{action}/"
        assert api(member_a.user).post(url, {"reason": "x"}, format="json").status_code == 403
        assert api(member_b.user).post(url, {"reason": "x"}, format="json").status_code == 403
        assert api().post(url, {}, format="json").status_code == 401


def test_approving_a_retirement_makes_the_member_retired(
    api, staff, mailoutbox, django_capture_on_commit_callbacks
):
    member, _ = turning_55(-400)
    recompute_member(member.pk, why="Test set-up.")
    member.refresh_from_db()
    assert member.status not in ("", "retired")
    retirement = retirement_request(member, retired_on=today())
    url = f"/api/v1/retirements/{retirement.pk}/approve/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(url, {"reason": "Welcome to retirement."}, format="json")
    assert response.status_code == 200
    data = body(response)
    assert data["state"] == "approved"
    assert data["decided_by"] == staff.email
    assert data["decision_reason"] == "Welcome to retirement."
    assert Member.objects.get(pk=member.pk).status == "retired"
    assert api(staff).get(f"/api/v1/members/{member.pk}/").json()["status"] == "retired"
    assert any("request was approved" in m.subject for m in mailoutbox)
    assert api(staff).post(url, {}, format="json").status_code == 409


def test_rejecting_a_retirement_needs_a_reason(
    api, staff, member_a, mailoutbox, django_capture_on_commit_callbacks
):
    retirement = retirement_request(member_a)
    url = f"/api/v1/retirements/{retirement.pk}/reject/"
    assert api(staff).post(url, {}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(url, {"reason": "Under 55."}, format="json")
    assert response.status_code == 200
    assert body(response)["state"] == "rejected"
    assert [m.to for m in mailoutbox] == [[member_a.email]]
    assert "Under 55." in mailoutbox[0].body
    member_a.refresh_from_db()
    assert member_a.status != "retired"


# -- Pages ----------------------------------------------------------------------------------


def test_member_files_an_exemption_on_the_page(member_client, member_a):
    page = member_client.get(reverse("requests:exemption_new"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'for="id_years"' in html and 'for="id_explanation"' in html
    upload = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    response = member_client.post(
        reverse("requests:exemption_new"),
        {
            "reason": "illness",
            "years": f"{today().year}, {today().year + 1}",
            "explanation": "Chemotherapy.",
            "document": upload,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:mine")
    exemption = Exemption.objects.get(member=member_a)
    assert exemption.years == [today().year, today().year + 1]
    assert exemption.document_name == "letter.pdf"
    mine = member_client.get(reverse("requests:mine"))
    assert "Waiting for review" in mine.content.decode()


def test_exemption_page_shows_errors_next_to_fields(member_client):
    response = member_client.post(
        reverse("requests:exemption_new"),
        {"reason": "illness", "years": "2019", "explanation": "Cancer treatment."},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "first reporting year" in form.errors["years"][0]
    assert 'id="id_years_error"' in response.content.decode()
    assert not Exemption.objects.exists()


def test_a_member_who_is_not_a_cma_is_told_on_the_page(client):
    from tests.conftest import sign_in

    member = MemberFactory(certified_on=None)
    sign_in(client, member.user)
    page = client.get(reverse("requests:exemption_new"))
    assert "not a CMA" in page.content.decode()


def test_retirement_page_age_check(client):
    from tests.conftest import sign_in

    member, birthday = turning_55(30)
    sign_in(client, member.user)
    url = reverse("requests:retirement_new")
    page = client.get(url)
    assert page.status_code == 200
    day_before = client.post(url, {"retired_on": (birthday - dt.timedelta(days=1)).isoformat()})
    assert day_before.status_code == 200
    assert day(birthday) in day_before.context["form"].errors["retired_on"][0]
    on_the_day = client.post(url, {"retired_on": birthday.isoformat()})
    assert on_the_day.status_code == 302
    assert Retirement.objects.get(member=member).retired_on == birthday
    again = client.post(url, {"retired_on": birthday.isoformat()}, follow=True)
    assert "already waiting for review" in again.content.decode()


def test_document_page_for_owner_and_staff_only(client, member_a, member_b, staff):
    from tests.conftest import sign_in

    exemption = exemption_request(member_a)
    exemption.document.save("x.pdf", SimpleUploadedFile("x.pdf", PDF), save=True)
    url = reverse("requests:exemption_document", kwargs={"exemption_id": exemption.pk})
    assert client.get(url).status_code == 302
    sign_in(client, member_b.user)
    assert client.get(url).status_code == 404
    client.logout()
    sign_in(client, member_a.user)
    assert client.get(url).status_code == 200
    client.logout()
    sign_in(client, staff)
    assert client.get(url).status_code == 200


def test_staff_pages_refuse_members_and_send_visitors_to_login(client, member_a):
    from tests.conftest import sign_in

    exemption = exemption_request(member_a)
    retirement = retirement_request(member_a)
    urls = [
        reverse("requests:staff_exemptions"),
        reverse("requests:staff_retirements"),
        reverse("requests:decide_exemption", kwargs={"exemption_id": exemption.pk}),
        reverse("requests:decide_retirement", kwargs={"retirement_id": retirement.pk}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    sign_in(client, member_a.user)
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "approve"}).status_code == 403
    exemption.refresh_from_db()
    assert exemption.state == "requested"


def test_staff_list_and_decide_on_the_pages(
    staff_client, member_a, mailoutbox, django_capture_on_commit_callbacks
):
    waiting = exemption_request(member_a, years=[today().year])
    exemption_request(member_a, years=[2022], state="rejected")
    listing = staff_client.get(reverse("requests:staff_exemptions"))
    assert [e.pk for e in listing.context["requests"]] == [waiting.pk]
    everything = staff_client.get(reverse("requests:staff_exemptions"), {"state": ""})
    assert len(everything.context["requests"]) == 2
    url = reverse("requests:decide_exemption", kwargs={"exemption_id": waiting.pk})
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "Surgery and a long recovery." in page.content.decode()
    no_reason = staff_client.post(url, {"action": "reject", "reason": ""})
    assert no_reason.status_code == 200
    assert no_reason.context["form"].errors["reason"]
    with django_capture_on_commit_callbacks(execute=True):
        done = staff_client.post(url, {"action": "approve", "reason": ""})
    assert done.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == "approved"
    assert len([m for m in mailoutbox if "request was approved" in m.subject]) == 1
    again = staff_client.post(url, {"action": "reject", "reason": "Too late"}, follow=True)
    assert "already approved" in again.content.decode()


def test_staff_decide_a_retirement_on_the_page(staff_client, django_capture_on_commit_callbacks):
    member, _ = turning_55(-400)
    retirement = retirement_request(member)
    url = reverse("requests:decide_retirement", kwargs={"retirement_id": retirement.pk})
    page = staff_client.get(url)
    assert page.context["age"] == 56
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"action": "approve"})
    member.refresh_from_db()
    assert member.status == "retired"


def test_staff_list_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    exemption_request(MemberFactory(), years=[today().year])
    with CaptureQueriesContext(connection) as one:
        staff_client.get(reverse("requests:staff_exemptions"))
    for _ in range(5):
        exemption_request(MemberFactory(), years=[today().year])
    with django_assert_max_num_queries(len(one)):
        response = staff_client.get(reverse("requests:staff_exemptions"))
    assert len(response.context["requests"]) == 6


@pytest.mark.django_db(transaction=True)
def test_two_staff_approving_at_once_decide_once(member_a, staff):
    import threading

    from django.db import connection

    from certification.services import requests as request_services
    from imaportal.exceptions import Conflict

    exemption = exemption_request(member_a)
    barrier = threading.Barrier(2)
    results = []

    def approve():
        try:
            fresh = Exemption.objects.select_related("member").get(pk=exemption.pk)
            barrier.wait(timeout=10)
            request_services.approve_exemption(exemption=fresh, by=staff)
            results.append("approved")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["approved", "conflict"]
    exemption.refresh_from_db()
    assert exemption.state == "approved"
    # The recompute ran after the real commit.
    assert Member.objects.get(pk=member_a.pk).status != ""


def test_api_lists_run_a_fixed_number_of_queries(api, member_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(member_a.user)
    exemption_request(member_a, years=[2022])
    retirement_request(member_a, state="rejected")
    with CaptureQueriesContext(connection) as one_exemption:
        client.get(exemptions_url(member_a))
    with CaptureQueriesContext(connection) as one_retirement:
        client.get(retirements_url(member_a))
    for year in (2023, 2024, 2025):
        exemption_request(member_a, years=[year], state="rejected")
        retirement_request(member_a, state="rejected")
    with django_assert_max_num_queries(len(one_exemption)):
        assert client.get(exemptions_url(member_a)).json()["count"] == 4
    with django_assert_max_num_queries(len(one_retirement)):
        assert client.get(retirements_url(member_a)).json()["count"] == 4
