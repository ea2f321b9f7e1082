"""Buttons say how much they weigh: reject, deny, withdraw and remove carry the danger style;
a Cancel is never styled as the primary action."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.urls import reverse

from certification.models import Exemption
from tests.factories import EntryFactory
from tests.refunds.builders import bought, requested

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
DANGER_WORDS = ("reject", "deny", "withdraw", "remove", "revoke", "deactivate", "delete")


class Controls(HTMLParser):
    """Every button and link of a page: (tag, classes, name/value, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, set[str], str, str]] = []
        self._open: list[tuple[str, set[str], str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("button", "a"):
            values = dict(attrs)
            classes = set((values.get("class") or "").split())
            self._open.append((tag, classes, values.get("value") or "", []))

    def handle_data(self, data):
        for _tag, _classes, _value, text in self._open:
            text.append(data)

    def handle_endtag(self, tag):
        if tag in ("button", "a") and self._open:
            tag, classes, value, text = self._open.pop()
            self.found.append((tag, classes, value, " ".join("".join(text).split())))


def controls(response) -> list[tuple[str, set[str], str, str]]:
    assert response.status_code == 200
    parser = Controls()
    parser.feed(response.content.decode())
    return parser.found


def classes_of(found, text: str) -> set[str]:
    matches = [classes for _tag, classes, _value, shown in found if shown == text]
    assert matches, f"no control {text!r} in {[shown for *_, shown in found]}"
    return matches[0]


@pytest.mark.django_db
def test_review_page_reject_is_danger_and_approve_is_not(staff_client, member_a):
    entry = EntryFactory(member=member_a)
    found = controls(staff_client.get(reverse("cpe:review_entry", kwargs={"entry_id": entry.pk})))
    assert "danger" in classes_of(found, "Reject")
    assert "danger" not in classes_of(found, "Approve")


@pytest.mark.django_db
def test_refund_decision_deny_is_danger(staff_client, member_a):
    refund = requested(bought(member_a))
    found = controls(staff_client.get(reverse("refunds:decide", kwargs={"refund_id": refund.pk})))
    assert "danger" in classes_of(found, "Deny")
    assert "danger" not in classes_of(found, "Approve $89.99")


@pytest.mark.django_db
def test_exemption_decision_reject_is_danger(staff_client, member_a):
    exemption = Exemption.objects.create(
        member=member_a,
        reason="illness",
        years=[2026],
        explanation="Hospitalised for most of the year.",
        document_name="letter.pdf",
        document_content_type="application/pdf",
        created_by=member_a.user,
    )
    exemption.document.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"), save=True)
    url = reverse("requests:decide_exemption", kwargs={"exemption_id": exemption.pk})
    found = controls(staff_client.get(url))
    assert "danger" in classes_of(found, "Reject")
    assert "danger" not in classes_of(found, "Approve")


@pytest.mark.django_db
def test_withdraw_link_and_button_are_danger_and_keeping_is_secondary(member_client, member_a):
    entry = EntryFactory(member=member_a)
    detail = controls(member_client.get(reverse("cpe:entry_detail", kwargs={"entry_id": entry.pk})))
    assert {"button", "danger"} <= classes_of(detail, "Withdraw")
    confirm = controls(
        member_client.get(reverse("cpe:entry_withdraw", kwargs={"entry_id": entry.pk}))
    )
    assert "danger" in classes_of(confirm, "Withdraw the entry")
    assert {"button", "secondary"} <= classes_of(confirm, "Keep the entry")


@pytest.mark.django_db
def test_removing_an_email_address_is_danger(member_client, member_a):
    EmailAddress.objects.get_or_create(
        user=member_a.user, email=member_a.user.email, defaults={"primary": True, "verified": True}
    )
    found = controls(member_client.get(reverse("account_email")))
    assert "danger" in classes_of(found, "Remove")
    assert "danger" not in classes_of(found, "Make Primary")


BUTTON = re.compile(r"<button\b[^>]*>.*?</button>", re.S)
LINK = re.compile(r"<a\b[^>]*>.*?</a>", re.S)


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_every_template_styles_destructive_buttons_as_danger():
    """A new template's Reject, Deny or Withdraw button cannot slip in as a primary."""
    wrong = []
    for path in _templates():
        for button in BUTTON.findall(path.read_text()):
            tag = button[: button.index(">")]
            labels = re.findall(r'translate "([^"]+)"', button)
            destructive = re.search(r'value="(reject|deny|withdraw)"', tag) or any(
                label.lower().startswith(DANGER_WORDS) for label in labels
            )
            if destructive and "danger" not in tag:
                wrong.append(f"{path.relative_to(TEMPLATES)}: {button}")
    assert not wrong, wrong


def test_no_cancel_is_styled_as_the_primary_action():
    wrong = []
    for path in _templates():
        for control in [*BUTTON.findall(path.read_text()), *LINK.findall(path.read_text())]:
            if '"Cancel"' not in control:
                continue
            tag = control[: control.index(">")]
            classes = re.search(r'class="([^"]*)"', tag)
            names = set(classes.group(1).split()) if classes else set()
            styled = control.startswith("<button") or "button" in names
            if styled and "secondary" not in names:
                wrong.append(f"{path.relative_to(TEMPLATES)}: {control}")
    assert not wrong, wrong
