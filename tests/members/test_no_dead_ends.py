"""No dead ends around the member menu: the dues page names whom to contact, "My requests"
is in the menu, sign-up links only while sign-up is open, API documentation for staff."""

from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dues_page_gives_the_contact_as_links(member_client):
    text = member_client.get(reverse("dues:mine")).content.decode()
    assert '<a href="mailto:ima@imanet.org">ima@imanet.org</a>' in text
    assert '<a href="tel:+18006384427">+1 800 638 4427</a>' in text


@override_settings(IMA_CONTACT_EMAIL="help@example.org", IMA_CONTACT_PHONE="+44 20 7946 0000")
def test_dues_contact_comes_from_settings(member_client):
    text = member_client.get(reverse("dues:mine")).content.decode()
    assert 'href="mailto:help@example.org"' in text
    assert 'href="tel:+442079460000"' in text


def test_my_requests_is_in_the_member_menu(member_client):
    text = member_client.get(reverse("cpe:transcript")).content.decode()
    nav = text.split('class="main-nav"')[1].split("</nav>")[0]
    assert f'href="{reverse("requests:mine")}"' in nav
    assert "My requests" in nav
    page = member_client.get(reverse("requests:mine")).content.decode()
    nav = page.split('class="main-nav"')[1].split("</nav>")[0]
    assert f'<a href="{reverse("requests:mine")}" aria-current="page">' in nav


def test_sign_in_page_has_no_sign_up_link_while_sign_up_is_closed(client):
    text = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in text
    assert "sign up" not in text.lower()


def test_sign_in_page_links_sign_up_when_it_is_open(client):
    with mock.patch("members.adapters.PortalAccountAdapter.is_open_for_signup", return_value=True):
        text = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") in text


def test_unknown_account_email_has_no_sign_up_link_while_closed(client):
    with override_settings(ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS=True):
        client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert len(mail.outbox) == 1
    for message in mail.outbox:
        assert "contact IMA member services" in message.body
        assert reverse("account_signup") not in message.body
        assert "sign up" not in message.body.lower()


def test_api_documentation_link_only_for_staff(client, member_client, staff):
    docs = reverse("api-docs")
    assert docs not in member_client.get(reverse("cpe:transcript")).content.decode()
    client.logout()
    assert docs not in client.get(reverse("account_login")).content.decode()


def test_staff_see_the_api_documentation_link(staff_client):
    assert reverse("api-docs") in staff_client.get(reverse("cpe:offerings")).content.decode()
