"""CPE services on PostgreSQL: what the preview says is what gets stored; decisions are
recorded with who and when; bulk approval; repeat rules across stored entries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from cpe.credit import ActivityInput
from cpe.models import EntryEvent
from cpe.services import attendance_file, entries
from imaportal.exceptions import Conflict, InvalidInput
from tests.factories import EntryFactory, MemberFactory, StaffFactory


def seminar(**changes):
    values = {
        "activity_type": "short_course",
        "title": "Seminar",
        "completed_on": dt.date(2026, 4, 1),
        "has_instructor": True,
        "has_formal_materials": True,
        "minutes": 120,
    }
    values.update(changes)
    return ActivityInput(**values)


class PreviewEqualsStored(TestCase):
    @settings(max_examples=40, deadline=None)
    @given(
        kind=st.sampled_from(["short_course", "association_meeting", "presentation"]),
        minutes=st.integers(min_value=0, max_value=5000),
        days=st.one_of(st.none(), st.integers(min_value=0, max_value=5)),
        repeat=st.booleans(),
    )
    def test_preview_equals_what_is_stored(self, kind, minutes, days, repeat):
        member = MemberFactory()
        user = member.user
        if repeat:
            entries.submit_entry(
                member=member, data=seminar(activity_type=kind, minutes=90), by=user
            )
        data = seminar(
            activity_type=kind,
            minutes=minutes,
            full_day_days=days if kind == "short_course" else None,
            substantially_revised=True,
        )
        today = timezone.localdate()
        preview = entries.preview_credit(member=member, data=data, today=today)
        stored = entries.submit_entry(member=member, data=data, by=user)
        stored.refresh_from_db()
        assert stored.credit_hours == preview.credit_hours
        assert stored.reasons() == list(preview.reasons)


@pytest.mark.django_db
def test_a_repeat_that_does_not_count_is_stored_with_zero_and_the_rule():
    member = MemberFactory()
    first = entries.submit_entry(
        member=member, data=seminar(activity_type="presentation", minutes=100), by=member.user
    )
    assert first.credit_hours == Decimal("4.0")
    entries.approve_entry(entry=first, by=StaffFactory())
    again = entries.submit_entry(
        member=member,
        data=seminar(
            activity_type="presentation",
            title="SEMINAR",
            minutes=100,
            completed_on=dt.date(2026, 5, 1),
        ),
        by=member.user,
    )
    assert again.credit_hours == Decimal("0.0")
    assert again.credit_reasons[0]["code"] == "credit.presentation_not_revised"
    assert "substantially revised" in again.explanations()[0]


@pytest.mark.django_db
def test_decisions_record_who_and_when_and_history(django_capture_on_commit_callbacks, mailoutbox):
    staff = StaffFactory()
    entry = EntryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        entries.reject_entry(entry=entry, by=staff, reason="Certificate missing")
    entry.refresh_from_db()
    assert entry.reviewed_by == staff
    assert entry.reviewed_at is not None
    event = EntryEvent.objects.get(entry=entry)
    assert (event.action, event.by, event.reason) == ("rejected", staff, "Certificate missing")
    assert mailoutbox[0].to == [entry.member.user.email]
    assert "Certificate missing" in mailoutbox[0].body
    with pytest.raises(Conflict):
        entries.approve_entry(entry=entry, by=staff)


@pytest.mark.django_db
def test_reject_without_reason_changes_nothing():
    entry = EntryFactory()
    with pytest.raises(InvalidInput):
        entries.reject_entry(entry=entry, by=StaffFactory(), reason="  ")
    entry.refresh_from_db()
    assert entry.review_status == "pending"


@pytest.mark.django_db
def test_bulk_approve_reports_what_it_skipped():
    staff = StaffFactory()
    pending = EntryFactory.create_batch(3)
    done = EntryFactory(review_status="approved")
    result = entries.bulk_approve(entry_ids=[*(e.pk for e in pending), done.pk, 999999], by=staff)
    assert result.approved == sorted(e.pk for e in pending)
    assert result.skipped == sorted([done.pk, 999999])


@pytest.mark.django_db
def test_attendance_csv_reports_each_bad_line():
    a = MemberFactory(user__email="a@example.org")
    b = MemberFactory()
    text = f"member_number\n{b.member_number}\nA@Example.org\nnobody@example.org\n\n12345\n"
    with pytest.raises(InvalidInput) as excinfo:
        attendance_file.members_from_attendance_csv(text)
    errors = excinfo.value.errors["file"]
    assert errors == [
        "Line 4: no member with number or email “nobody@example.org”.",
        "Line 6: no member with number or email “12345”.",
    ]
    good = attendance_file.members_from_attendance_csv(f"{b.member_number}\nA@Example.org\n")
    assert good == [b, a]


@pytest.mark.django_db
def test_an_administrators_policy_version_applies_from_its_year_only():
    from policy.models import PolicyVersion

    PolicyVersion.objects.create(effective_from=2026, article_cap=Decimal("8"))
    member = MemberFactory()
    article = {
        "activity_type": "publication",
        "title": "Rolling forecasts",
        "publication_kind": "article",
        "publication_status": "published",
        "claimed_hours": Decimal("10"),
    }
    this_year = entries.preview_credit(
        member=member,
        data=ActivityInput(**article, completed_on=dt.date(2026, 2, 1)),
        today=dt.date(2026, 11, 24),
    )
    last_year = entries.preview_credit(
        member=member,
        data=ActivityInput(**article, completed_on=dt.date(2025, 2, 1)),
        today=dt.date(2026, 11, 24),
    )
    assert (this_year.credit_hours, last_year.credit_hours) == (Decimal("8.0"), Decimal("6.0"))
