"""One component library (issue 16, docs/components.md): every button says its weight
(primary, secondary, danger or link), a form has at most one primary, destructive actions are
danger and Cancel is never primary; radio groups are fieldsets with a legend; every status
badge comes from ``{% badge %}`` in a tone whose colours, read from the CSS tokens, contrast
at least 4.5:1."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse

from certification.models import RequestState
from cpe.models import ReviewStatus, TranscriptEntry
from imaportal.components import TONES, badge_tone, known_states
from members.choices import CertificationStatus
from refunds.models import RefundState
from tests.factories import EntryFactory
from tests.refunds.builders import bought, requested

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
CSS = (ROOT / "static" / "css" / "portal.css").read_text()
WEIGHTS = {"primary", "secondary", "danger", "link"}
DESTRUCTIVE = ("reject", "deny", "withdraw", "remove")
# allauth's button element computes its class from the element's tags (checked rendered).
COMPUTED = {Path("allauth/elements/button.html")}

BUTTON = re.compile(r"<button\b[^>]*>.*?</button>", re.S)
LINK_BUTTON = re.compile(r"<a\b[^>]*\bclass=\"[^\"]*\bbutton\b[^\"]*\"[^>]*>.*?</a>", re.S)


def _controls() -> list[tuple[Path, str, set[str]]]:
    """Every button and button-styled link in the templates, with its classes."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES)
        if name in COMPUTED:
            continue
        text = path.read_text()
        for control in [*BUTTON.findall(text), *LINK_BUTTON.findall(text)]:
            tag = control[: control.index(">")]
            classes = re.search(r'class="([^"]*)"', tag)
            found.append((name, control, set(classes.group(1).split()) if classes else set()))
    return found


def test_the_templates_have_buttons_to_check():
    assert len(_controls()) >= 40


def test_every_button_has_exactly_one_weight():
    wrong = [
        f"{name}: {control}"
        for name, control, classes in _controls()
        if len(classes & WEIGHTS) != 1
    ]
    assert wrong == []


def test_reject_deny_and_withdraw_are_danger():
    wrong = []
    for name, control, classes in _controls():
        words = " ".join(re.findall(r'(?:translate|value=)\s*"([^"]+)"', control)).lower()
        if any(word in words for word in DESTRUCTIVE) and "danger" not in classes:
            wrong.append(f"{name}: {control}")
    assert wrong == []


def test_cancel_and_back_are_never_primary():
    wrong = [
        f"{name}: {control}"
        for name, control, classes in _controls()
        if re.search(r'"(Cancel|Back[^"]*|Keep the entry)"', control) and "primary" in classes
    ]
    assert wrong == []


class Forms(HTMLParser):
    """The weight classes of the buttons of each form of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[str]] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form":
            self.forms.append([])
            self._open = True
        elif self._open and (tag == "button" or "button" in (values.get("class") or "").split()):
            self.forms[-1].extend(set((values.get("class") or "").split()) & WEIGHTS or {"none"})

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = False


def _form_weights(response) -> list[list[str]]:
    assert response.status_code == 200
    parser = Forms()
    parser.feed(response.content.decode())
    return parser.forms


@pytest.mark.django_db
def test_rendered_forms_have_one_primary_at_most(member_client, member_a):
    entry = EntryFactory(member=member_a)
    pages = [
        reverse("cpe:entry_add"),
        reverse("cpe:entry_withdraw", kwargs={"entry_id": entry.pk}),
        reverse("requests:exemption_new"),
        reverse("account_email"),
        reverse("account_change_password"),
    ]
    for url in pages:
        for weights in _form_weights(member_client.get(url)):
            assert "none" not in weights, (url, weights)
            assert weights.count("primary") <= 1, (url, weights)


@pytest.mark.django_db
def test_staff_decision_forms_have_one_primary_and_a_danger(staff_client, member_a):
    entry = EntryFactory(member=member_a)
    refund = requested(bought(member_a))
    for url in (
        reverse("cpe:review_entry", kwargs={"entry_id": entry.pk}),
        reverse("refunds:decide", kwargs={"refund_id": refund.pk}),
    ):
        decision = [w for w in _form_weights(staff_client.get(url)) if "danger" in w]
        assert decision and decision[0].count("primary") == 1, (url, decision)


# -- Radio and checkbox groups ------------------------------------------------------------


def _fieldset(page: str, legend: str) -> str:
    groups = re.findall(r"<fieldset\b[^>]*>\s*<legend>(.*?)</legend>(.*?)</fieldset>", page, re.S)
    found = [body for title, body in groups if title.startswith(legend)]
    assert found, f"no fieldset with the legend {legend!r}"
    return found[0]


@pytest.mark.django_db
def test_the_exemption_reason_is_a_radio_group_with_a_legend(member_client):
    page = member_client.get(reverse("requests:exemption_new")).content.decode()
    group = _fieldset(page, "Reason")
    assert group.count('type="radio"') == 3
    assert "Military service" in group


@pytest.mark.django_db
def test_publication_kind_and_status_are_radio_groups_with_legends(member_client):
    page = member_client.get(reverse("cpe:entry_add")).content.decode()
    kinds = _fieldset(page, "Kind of publication")
    assert re.findall(r'type="radio" name="publication_kind" value="(\w+)"', kinds) == [
        "article",
        "book",
        "monograph",
    ]
    assert ">Article</label>" in kinds
    status = _fieldset(page, "Publication status")
    assert status.count('name="publication_status"') == 2


@pytest.mark.django_db
def test_a_publication_entered_with_the_radio_groups_is_saved(member_client, member_a):
    data = {
        "activity_type": "publication",
        "title": "Activity-based costing in hospitals",
        "completed_on": "2026-03-01",
        "publication_kind": "article",
        "publication_status": "published",
        "claimed_hours": "10",
    }
    response = member_client.post(reverse("cpe:entry_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert TranscriptEntry.objects.get(member=member_a).publication_kind == "article"


# -- Badges -------------------------------------------------------------------------------


def test_every_state_shown_as_a_badge_has_a_tone():
    states = {
        *ReviewStatus.values,
        *RequestState.values,
        *RefundState.values,
        *CertificationStatus.values,
    }
    assert states - known_states() == set()
    assert {badge_tone(state) for state in states} == set(TONES)
    assert badge_tone("something new") == "neutral"


def test_the_badge_tag_writes_the_tone_and_escapes_the_label():
    html = Template(
        '{% load components %}{% badge "rejected" label testid="x" %}'
        '{% badge "overdue" "2 overdue" href="?state=overdue" %}'
    ).render(Context({"label": "<b>Rejected</b>"}))
    assert html == (
        '<span class="badge badge-bad" data-state="rejected" data-testid="x">'
        "&lt;b&gt;Rejected&lt;/b&gt;</span>"
        '<a class="badge badge-bad" data-state="overdue" href="?state=overdue">2 overdue</a>'
    )


def test_no_template_writes_a_badge_by_hand():
    wrong = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r'class="badge\b', path.read_text())
    ]
    assert wrong == []


def _tokens() -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", CSS, re.S)
    assert root
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", root.group(1)))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, two: str) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_says():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54


@pytest.mark.parametrize("tone", TONES)
def test_badge_colours_contrast_at_least_4_5_to_1(tone):
    tokens = _tokens()
    rule = re.search(rf"\.badge-{tone}\s*{{([^}}]*)}}", CSS)
    assert rule, f".badge-{tone} is missing from portal.css"
    assert f"var(--badge-{tone}-fg)" in rule.group(1)
    assert f"var(--badge-{tone}-bg)" in rule.group(1)
    ratio = contrast(tokens[f"--badge-{tone}-fg"], tokens[f"--badge-{tone}-bg"])
    assert ratio >= 4.5, (tone, round(ratio, 2))


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("--ink", "--card"),
        ("--muted", "--card"),
        ("--muted", "--bg"),
        ("--brand-2", "--card"),
        ("--danger", "--card"),
        ("--card", "--brand"),
        ("--card", "--danger"),
    ],
)
def test_text_tokens_contrast_at_least_4_5_to_1(text, background):
    tokens = {**_tokens(), "--card": "#ffffff"}
    assert contrast(tokens[text], tokens[background]) >= 4.5
