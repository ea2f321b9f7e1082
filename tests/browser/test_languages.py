"""The portal in each of its languages (issue 17), in Chromium: a member whose preference is
the language signs in and finds the dashboard and Add Transcript in it, including the live
preview's explanation of the credit (its numbers written the language's way); a reviewer whose
browser asks for Norwegian gets the review queue in Norwegian. The expected words come from
the catalogues; for the three translated languages they must differ from the English, so the
test fails if a catalogue is empty or not compiled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from cpe.credit import ActivityInput, ActivityType, compute_credit
from imaportal.templatetags.reasons import sentence
from policy.selectors import policy_for
from tests.conftest import totp_code
from tests.factories import PASSWORD, MemberFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "nb", "zh-hans", "zh-hant"]


def _in(language: str, text: str) -> str:
    with translation.override(language):
        translated = gettext(text)
    if language != "en":
        assert translated != text, f"{text!r} has no {language} translation"
    return translated


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def _explanation(language: str, minutes: int, completed_on: dt.date) -> str:
    """What the preview should say for a seminar of ``minutes``: the rule's own reason, as
    the page renders reasons, in ``language``."""
    entry = ActivityInput(
        activity_type=ActivityType.SHORT_COURSE,
        title="x",
        completed_on=completed_on,
        minutes=Decimal(minutes),
        has_instructor=True,
        has_formal_materials=True,
    )
    result = compute_credit(entry, policy=policy_for(completed_on.year), today=timezone.localdate())
    with translation.override(language):
        return sentence(result.reasons[0])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_member_uses_dashboard_and_add_transcript_in_their_language(page, live_server, language):
    member = MemberFactory(user__email=f"m-{language}@example.org", language=language)
    _sign_in(page, live_server.url, member.user.email)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _in(language, "My certification status")
    )

    page.goto(f"{live_server.url}/transcript/add/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(_in(language, "Add Transcript"))
    day = timezone.localdate() - dt.timedelta(days=5)
    page.locator("[name=activity_type]").select_option("short_course")
    page.locator("[name=title]").fill("Budgeting masterclass")
    page.locator("[name=completed_on]").fill(day.isoformat())
    page.locator("[name=has_instructor]").check()
    page.locator("[name=has_formal_materials]").check()
    page.locator("[name=minutes]").fill("480")
    preview = page.get_by_test_id("preview")
    explanation = _explanation(language, 480, day)
    expect(preview).to_contain_text(explanation)
    if language != "en":
        assert explanation != _explanation("en", 480, day)
    if language == "nb":  # the rule's numbers written the Norwegian way
        assert "480 minutter = 9,5" in explanation
    expect(page.get_by_role("heading", name=_in(language, "This entry will earn"))).to_be_visible()


def test_a_reviewer_whose_browser_asks_for_norwegian_gets_the_queue_in_norwegian(
    browser, live_server
):
    staff = StaffFactory(email="rita@ima.example")
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        expect(page.locator("html")).to_have_attribute("lang", "nb")
        page.locator("[name=login]").fill(staff.email)
        page.locator("[name=password]").fill(PASSWORD)
        page.locator("[name=password]").press("Enter")  # the sign-in form, not the header's
        page.locator("[name=code]").fill(totp_code())
        page.locator("[name=code]").press("Enter")
        page.goto(f"{live_server.url}/staff/review/")
        expect(page.get_by_role("heading", level=1)).to_have_text(_in("nb", "Review queue"))
        expect(page.get_by_text(_in("nb", "No entries are waiting for review."))).to_be_visible()
    finally:
        context.close()
