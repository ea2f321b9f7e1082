"""Recorded status changes keep their reasons as codes with parameters and show them in
words: the history API (a sentence in ``reason``, the codes in ``reason_codes``), the
status API, the change mail, the nightly job, and the rows written before codes existed."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from certification import tasks
from certification.models import Exemption, ExemptionReason, Retirement, StatusChange
from certification.services.recompute import recompute_member
from imaportal.reasons import Reason, codes
from tests.factories import EntryFactory, MemberFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("certification.migrations.0003_statuschange_reasons_from_text")


def makeup_member():
    """Short in the last year: in make-up this year, 17.5 hours earned so far."""
    today = timezone.localdate()
    member = MemberFactory(
        certified_on=dt.date(today.year - 2, 3, 1), dues_paid_through=dt.date(2099, 12, 31)
    )
    for day, hours in ((dt.date(today.year - 1, 5, 1), "25"), (today, "17.5")):
        EntryFactory(
            member=member, completed_on=day, credit_hours=Decimal(hours), review_status="approved"
        )
    return member, today.year


def test_a_recorded_change_stores_codes_and_the_history_shows_the_sentence(api, staff):
    member, year = makeup_member()
    recompute_member(member.pk, why="Test set-up.")
    change = StatusChange.objects.get(member=member)
    assert change.reason == ""
    assert [item["code"] for item in change.reasons] == [
        "text",
        "status.makeup_more_hours",
        "status.makeup_year_hours",
    ]
    assert change.reasons[1]["params"] == {
        "needed": {"decimal": "17.5"},
        "deadline": {"date": f"{year}-12-31"},
    }
    sentence = (
        f"Test set-up. 17.5 more hours by 31 December {year} to return to active. "
        f"{year - 1} ended short (5.0 hours): make-up year, 35.0 hours needed in {year}."
    )
    assert change.reason_text() == sentence
    body = api(staff).get(f"/api/v1/members/{member.pk}/status/history/").json()
    (row,) = body["results"]
    assert row["reason"] == sentence
    assert row["reason_codes"] == change.reasons


def test_the_status_api_gives_sentences_and_codes(api, staff):
    member, year = makeup_member()
    body = api(staff).get(f"/api/v1/members/{member.pk}/status/").json()
    assert body["reasons"][0] == f"17.5 more hours by 31 December {year} to return to active."
    assert [Reason.from_json(item).code for item in body["reason_codes"]] == [
        "status.makeup_more_hours",
        "status.makeup_year_hours",
    ]


def test_the_change_mail_puts_the_reasons_into_words(
    django_capture_on_commit_callbacks, mailoutbox
):
    member, year = makeup_member()
    member.status = "active"
    member.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        recompute_member(member.pk, why="Test set-up.")
    (mail,) = [m for m in mailoutbox if "certification status" in m.subject]
    assert f"17.5 more hours by 31 December {year} to return to active." in mail.body


def test_the_nightly_job_records_why_as_a_code():
    member, _year = makeup_member()
    as_of = timezone.localdate()
    tasks.run_recompute(as_of, chunk_size=4)
    change = StatusChange.objects.get(member=member)
    assert change.reasons[0] == Reason("status.recomputed", {"date": as_of}).as_json()
    assert change.reason_text().startswith(f"Recomputed as of {as_of.day} ")


def test_the_data_migration_keeps_every_old_sentence(api, staff):
    member = MemberFactory()
    old = StatusChange.objects.create(
        member=member,
        from_status="active",
        to_status="inactive_makeup",
        as_of=dt.date(2025, 1, 1),
        reason="Recomputed as of 2025-01-01. 25.0 of 30.0 hours in 2024.",
    )
    empty = StatusChange.objects.create(
        member=member, from_status="", to_status="active", as_of=dt.date(2024, 1, 1)
    )
    # Before the migration a row of the old shape still shows its sentence.
    assert old.reason_text() == "Recomputed as of 2025-01-01. 25.0 of 30.0 hours in 2024."
    MIGRATION.keep_old_texts(apps, None)
    old.refresh_from_db()
    empty.refresh_from_db()
    assert old.reasons == [Reason.text(old.reason).as_json()]
    assert old.reason_text() == "Recomputed as of 2025-01-01. 25.0 of 30.0 hours in 2024."
    assert empty.reasons == [] and empty.reason_text() == ""
    history = api(staff).get(f"/api/v1/members/{member.pk}/status/history/").json()["results"]
    assert [h["reason"] for h in history] == [old.reason, ""]


def test_the_migration_backwards_puts_coded_reasons_into_the_old_column():
    member, year = makeup_member()
    recompute_member(member.pk, why="Test set-up.")
    MIGRATION.texts_from_codes(apps, None)
    change = StatusChange.objects.get(member=member)
    assert change.reason.startswith(f"Test set-up. 17.5 more hours by 31 December {year}")


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("military", "military service"),
        ("illness", "serious illness or disability"),
        ("hardship", "severe personal financial hardship"),
    ],
)
def test_an_approved_exemption_is_recorded_as_a_code_for_its_reason(
    api, staff, django_capture_on_commit_callbacks, code, words
):
    member, year = makeup_member()
    recompute_member(member.pk, why="Test set-up.")
    exemption = Exemption.objects.create(
        member=member, reason=code, years=[year], explanation="x", created_by=member.user
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(f"/api/v1/exemptions/{exemption.pk}/approve/", {}, format="json")
    assert response.status_code == 200
    change = StatusChange.objects.filter(member=member).last()
    assert change.reasons[0]["code"] == f"status.exemption_approved_{code}"
    assert change.reason_text() == (
        f"Exemption for {year} approved ({words}). Exempt from the CPE requirement for {year}. "
        "The exemption clears the make-up from last year."
    )


def test_every_exemption_reason_has_its_sentence():
    assert {f"status.exemption_approved_{value}" for value in ExemptionReason.values} <= codes()


def test_an_approved_retirement_is_recorded_with_its_date(
    api, staff, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    member = MemberFactory(
        birth_date=dt.date(1950, 1, 1),
        certified_on=dt.date(today.year - 2, 3, 1),
        dues_paid_through=dt.date(2099, 12, 31),
    )
    recompute_member(member.pk, why="Test set-up.")
    retirement = Retirement.objects.create(member=member, retired_on=today, created_by=member.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(
            f"/api/v1/retirements/{retirement.pk}/approve/", {}, format="json"
        )
    assert response.status_code == 200
    change = StatusChange.objects.filter(member=member).last()
    assert change.to_status == "retired"
    day = f"{today.day} {today:%B} {today.year}"
    assert change.reason_text() == (
        f"Retirement from {day} approved. Retired since {day}: no CPE requirement."
    )


def test_writes_of_the_apps_below_record_why_as_codes(django_capture_on_commit_callbacks, staff):
    """An approved entry and a dues payment tell the status why it was recomputed as a
    code with parameters (``transcript.*``, ``member.*``), shown in words."""
    from cpe.services.entries import approve_entry
    from members.services import record_dues_payment

    member, _year = makeup_member()
    recompute_member(member.pk, why="")
    pending = EntryFactory(
        member=member,
        title="Forecasting",
        completed_on=timezone.localdate(),
        credit_hours=Decimal("17.5"),
        review_status="pending",
    )
    with django_capture_on_commit_callbacks(execute=True):
        approve_entry(entry=pending, by=staff)
    change = StatusChange.objects.filter(member=member).latest("pk")
    assert change.to_status == "active"
    assert change.reasons[0] == {
        "code": "transcript.entry_approved",
        "params": {"title": "Forecasting"},
    }
    assert change.reason_text().startswith("CPE entry “Forecasting” approved.")

    today = timezone.localdate()
    newcomer = MemberFactory(certified_on=today - dt.timedelta(days=1), dues_paid_through=None)
    recompute_member(newcomer.pk, why="")
    assert newcomer.__class__.objects.get(pk=newcomer.pk).status == "inactive_dues"
    with django_capture_on_commit_callbacks(execute=True):
        record_dues_payment(
            member=newcomer,
            amount=Decimal("245.00"),
            paid_on=today,
            paid_through=dt.date(today.year + 1, 12, 31),
            by=staff,
        )
    change = StatusChange.objects.filter(member=newcomer).latest("pk")
    assert change.reasons[0]["code"] == "member.dues_recorded"
    assert change.reason_text().startswith(
        f"Dues payment recorded (paid through 31 December {today.year + 1})."
    )
    assert {"transcript.entry_approved", "transcript.attendance_posted"} <= codes()
    assert {"member.created", "member.dues_recorded", "member.changed_by_staff"} <= codes()
