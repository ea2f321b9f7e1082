"""Errors that help (issue 16): every form page sent back with errors opens with a "There is
a problem" summary that links to each field in error; help and error texts are tied to
their fields; the member never reads a raw field name; Add Transcript opens on short
courses with only their fields showing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.services import requests as cert
from cpe.credit import FIELDS_BY_TYPE, SELF_REPORTABLE, ActivityType
from cpe.forms import INITIAL_TYPE, EntryForm
from tests.factories import EntryFactory
from tests.refunds.builders import bought

pytestmark = pytest.mark.django_db

Case = Callable[[Any], tuple[str, dict[str, Any]]]


def _rejected(member):
    return EntryFactory(member=member, review_status="rejected", review_reason="No proof.")


def _exemption(member):
    return cert.request_exemption(
        member=member,
        reason="illness",
        years=[timezone.localdate().year],
        explanation="In hospital.",
        by=member.user,
    )


def _retirement(member):
    member.birth_date = dt.date(1958, 6, 1)
    member.save(update_fields=["birth_date"])
    return cert.request_retirement(
        member=member, retired_on=timezone.localdate(), explanation="Retired.", by=member.user
    )


def _refund(member):
    from refunds import services as refunds

    return refunds.request_refund(enrollment=bought(member), by=member.user, reason="Sick.")


# (role, a function of member A giving the URL and the invalid data posted to it)
FORMS: dict[str, tuple[str, Case]] = {
    "add transcript": ("member", lambda m: (reverse("cpe:entry_add"), {})),
    "change entry": (
        "member",
        lambda m: (
            reverse("cpe:entry_edit", args=[EntryFactory(member=m).pk]),
            {"activity_type": "short_course", "minutes": "-5"},
        ),
    ),
    "correct and resubmit": (
        "member",
        lambda m: (reverse("cpe:entry_resubmit", args=[_rejected(m).pk]), {"title": ""}),
    ),
    "exemption request": (
        "member",
        lambda m: (reverse("requests:exemption_new"), {"explanation": ""}),
    ),
    "retirement request": (
        "member",
        lambda m: (reverse("requests:retirement_new"), {"retired_on": ""}),
    ),
    "refund request": (
        "member",
        lambda m: (reverse("refunds:request_refund", args=[bought(m).pk]), {"reason": ""}),
    ),
    "review entry": (
        "staff",
        lambda m: (
            reverse("cpe:review_entry", args=[EntryFactory(member=m).pk]),
            {"action": "reject", "reason": "", "version": "1"},
        ),
    ),
    "exemption decision": (
        "staff",
        lambda m: (
            reverse("requests:decide_exemption", args=[_exemption(m).pk]),
            {"action": "reject", "reason": ""},
        ),
    ),
    "retirement decision": (
        "staff",
        lambda m: (
            reverse("requests:decide_retirement", args=[_retirement(m).pk]),
            {"action": "reject", "reason": ""},
        ),
    ),
    "dues payment": (
        "staff",
        lambda m: (reverse("dues:staff_member", args=[m.pk]), {"amount": "-1"}),
    ),
    "refund decision": (
        "staff",
        lambda m: (reverse("refunds:decide", args=[_refund(m).pk]), {"action": "deny"}),
    ),
}


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


def _summary(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


@pytest.mark.parametrize("name", FORMS)
def test_a_failed_form_opens_with_a_focused_summary_linking_to_the_fields(request, name, member_a):
    role, case = FORMS[name]
    url, data = case(member_a)
    client = request.getfixturevalue("member_client" if role == "member" else "staff_client")
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    summary = _summary(page)
    assert 'tabindex="-1"' in summary
    assert "There is a problem" in summary
    assert "js/error-summary.js" in page
    links = re.findall(r'href="#([^"]+)"', summary)
    assert links, summary
    ids = _ids(page)
    for target in links:
        assert target in ids, f"the summary links to #{target}, which is not on the page"
        # The field in error names its error (and any help) in aria-describedby.
        field = re.search(rf'<[^>]*\sid="{re.escape(target)}"[^>]*>', page)
        assert field is not None
        described = re.search(r'aria-describedby="([^"]+)"', field.group(0))
        if described is None:  # a radio group: the fieldset carries it
            base = target.removesuffix("_0")
            described = re.search(
                rf'<fieldset[^>]*aria-describedby="([^"]*{base}_error[^"]*)"', page
            )
        assert described is not None, f"#{target} has no aria-describedby"
        for ref in described.group(1).split():
            assert ref in ids, f"#{target} is described by #{ref}, which is not on the page"
        assert f"{target.removesuffix('_0')}_error" in described.group(1)


def test_an_error_is_shown_once_beside_its_field(member_client):
    page = member_client.post(reverse("cpe:entry_add"), {"activity_type": "short_course"})
    text = page.content.decode()
    field = text.split('data-field="title"', 1)[1].split('data-field="provider"', 1)[0]
    assert field.count("This field is required.") == 1


def test_help_text_is_tied_to_its_field(member_client):
    page = member_client.get(reverse("cpe:entry_add")).content.decode()
    tag = re.search(r'<input[^>]*name="full_day_days"[^>]*>', page)
    assert tag is not None
    assert 'aria-describedby="id_full_day_days_helptext"' in tag.group(0)
    assert 'id="id_full_day_days_helptext"' in page


def _member_messages(client, data: dict[str, Any]) -> list[str]:
    response = client.post(reverse("cpe:entry_add"), data)
    page = response.content.decode()
    found = re.findall(r'<div class="errorlist"[^>]*>(.*?)</div>', page, re.S)
    found += re.findall(r'<div class="error-summary".*?</div>', page, re.S)
    return found


RAW = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _awkward(kind: ActivityType) -> list[dict[str, Any]]:
    """Inputs that break each check of ``kind``: nothing, negatives, too much, all three
    university measures, an unknown publication kind."""
    base = {"activity_type": kind.value, "title": "", "completed_on": "2999-01-01"}
    fields = FIELDS_BY_TYPE[kind]
    return [
        base,
        {**base, **{f: "-1" for f in fields}},
        {**base, **{f: "999999" for f in fields}},
        {**base, **{f: "x" for f in fields}},
        {
            **base,
            "title": "Something",
            "completed_on": "2024-01-01",
            "semester_credit_hours": "3",
            "quarter_credit_hours": "3",
            "minutes": "100",
            "publication_status": "submitted_not_accepted",
        },
    ]


@pytest.mark.parametrize("kind", SELF_REPORTABLE, ids=str)
def test_no_message_names_a_field_as_the_code_does(member_client, kind):
    for data in _awkward(kind):
        for message in _member_messages(member_client, data):
            words = re.sub(r"<[^>]+>", " ", message)
            assert not RAW.findall(words), (data, words)


def test_the_university_course_rule_names_the_fields_by_their_labels(member_client):
    data = {
        "activity_type": "university_course",
        "title": "Econometrics",
        "completed_on": "2024-01-01",
        "has_instructor": "on",
        "has_formal_materials": "on",
    }
    page = member_client.post(reverse("cpe:entry_add"), data).content.decode()
    assert "“Semester credit hours”" in page
    assert "semester_credit_hours" not in re.sub(r'[\w-]+="[^"]*"', "", page)


def test_the_form_opens_on_short_courses_with_only_their_fields_shown(member_client):
    assert ActivityType.SHORT_COURSE.value == INITIAL_TYPE
    page = member_client.get(reverse("cpe:entry_add")).content.decode()
    assert re.search(r'<option value="short_course"[^>]*selected', page)
    shown = set(FIELDS_BY_TYPE[ActivityType.SHORT_COURSE])
    for match in re.finditer(r'data-field="(\w+)"(?: data-types="([^"]*)")?(\s+hidden)?>', page):
        name, types, hidden = match.groups()
        if types:
            assert bool(hidden) == (name not in shown), name
        else:
            assert not hidden, name


def test_required_fields_are_marked_for_the_chosen_type(member_client):
    page = member_client.get(reverse("cpe:entry_add")).content.decode()
    for name in ("activity_type", "title", "completed_on"):
        label = re.search(rf'<label for="id_{name}">(.*?)</label>', page, re.S)
        assert label and "(required)" in label.group(1), name
    minutes = re.search(r'<label for="id_minutes">(.*?)</label>', page, re.S)
    assert minutes and "(required)" in minutes.group(1)
    assert " hidden>(required)" not in minutes.group(1)  # short courses require minutes
    hours = re.search(r'<label for="id_recommended_hours">(.*?)</label>', page, re.S)
    assert hours and 'data-required-types="' in hours.group(1)
    assert " hidden>" in hours.group(1)  # required for self-study, not short courses


def test_choose_the_file_again_is_said_only_of_a_file_that_was_not_kept(member_client):
    """No file chosen: nothing to choose again. A refused file: the member is told
    (tests/cpe/test_held_evidence.py); a good one is kept for the retry."""
    page = member_client.post(reverse("cpe:entry_add"), {}).content.decode()
    assert "There is a problem" in page
    assert "Choose the file again" not in page
    fresh = member_client.get(reverse("cpe:entry_add")).content.decode()
    assert "Choose the file again" not in fresh


def test_an_entry_being_changed_opens_on_its_own_type(member_a):
    entry = EntryFactory(member=member_a, activity_type="self_study", recommended_hours=4)
    form = EntryForm(initial={"activity_type": entry.activity_type})
    assert form.current_type == "self_study"
    assert "recommended_hours" not in form.hidden_names
    assert "minutes" in form.hidden_names


def test_a_mistake_in_a_hidden_field_of_another_type_does_not_block_the_entry(member_a):
    form = EntryForm(
        {
            "activity_type": "short_course",
            "title": "Budgeting",
            "completed_on": "2024-03-01",
            "minutes": "400",
            "exam_hours": "not a number",
        }
    )
    assert form.is_valid(), form.errors
    assert "exam_hours" not in form.activity_values()
