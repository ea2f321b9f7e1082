"""Choosing a language (issue 17): a first visit follows Accept-Language; the switcher
remembers the choice in a cookie and, for a signed-in member, on the member record, which
the pages follow from the next sign-in on and the emails use; the API keeps to the caller's
Accept-Language whatever the profile says."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

SWITCH = reverse("members:set_language")


def _language(response) -> str:
    return response["Content-Language"]


def test_a_first_visit_follows_the_browsers_accept_language(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="nb-NO,nb;q=0.9,en;q=0.5")
    assert _language(page) == "nb"
    assert '<html lang="nb"' in page.content.decode()
    assert _language(client.get(reverse("account_login"))) == "en"  # nothing asked: English


def test_the_switcher_works_signed_out_and_goes_back_to_the_page(client):
    login = reverse("account_login")
    response = client.post(SWITCH, {"language": "zh-hant", "next": login})
    assert response.status_code == 302
    assert response["Location"] == login
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hant"
    assert _language(client.get(login)) == "zh-hant"


@pytest.mark.parametrize("bad", ["xx", "", "../en", "EN; drop table"])
def test_an_unknown_language_changes_nothing_and_says_why(client, bad):
    response = client.post(SWITCH, {"language": bad, "next": reverse("account_login")})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    page = client.get(response["Location"])
    assert "Choose one of the languages in the list." in page.content.decode()


def test_an_unsafe_next_is_ignored(client):
    response = client.post(SWITCH, {"language": "nb", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_only_post_switches(client):
    assert client.get(SWITCH).status_code == 405


def test_a_members_choice_is_remembered_and_recorded(client, member_a):
    sign_in(client, member_a.user)
    client.post(SWITCH, {"language": "nb", "next": reverse("members:profile")})
    member_a.refresh_from_db()
    assert member_a.language == "nb"
    event = AuditEvent.objects.get(action="member.language_changed")
    assert event.actor_id == member_a.user_id
    assert _language(client.get(reverse("members:profile"))) == "nb"


def test_the_stored_language_follows_the_member_to_a_new_browser(client, member_a):
    member_a.language = "zh-hans"
    member_a.save(update_fields=["language"])
    sign_in(client, member_a.user)
    page = client.get(reverse("members:profile"), HTTP_ACCEPT_LANGUAGE="en")
    assert _language(page) == "zh-hans"
    assert page.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"


def test_the_api_keeps_to_accept_language_not_the_profile(api, member_a):
    member_a.language = "nb"
    member_a.save(update_fields=["language"])
    client = api(member_a.user)
    url = "/api/v1/me/"
    assert _language(client.get(url)) == "en"
    assert _language(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hant-TW")) == "zh-hant"


def test_the_profile_offers_the_preference_with_the_stored_choice_selected(client, member_a):
    member_a.language = "zh-hant"
    member_a.save(update_fields=["language"])
    sign_in(client, member_a.user)
    page = client.get(reverse("members:profile")).content.decode()
    form = page[page.index('data-testid="language-preference"') :]
    form = form[: form.index("</form>")]
    assert f'action="{SWITCH}"' in page
    assert '<option value="zh-hant" lang="zh-hant" selected>' in form
    assert '<option value="nb" lang="nb">' in form
    assert 'aria-describedby="preferred-language-help"' in form
    response = client.post(SWITCH, {"language": "en", "next": reverse("members:profile")})
    assert response["Location"] == reverse("members:profile")
    member_a.refresh_from_db()
    assert member_a.language == "en"


def test_the_api_gives_sentences_in_the_callers_language_and_keeps_codes(api, member_a):
    client = api(member_a.user)
    url = f"/api/v1/members/{member_a.pk}/status/"
    english = client.get(url).json()
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hans-CN,zh;q=0.9").json()
    assert chinese["status"] == english["status"]  # a code: the same in every language
    assert chinese.keys() == english.keys()
    assert english["reasons"] and chinese["reasons"] != english["reasons"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(chinese["reasons"]))

    bad = {"activity_type": "short_course", "title": "", "completed_on": "2026-02-30"}
    en_errors = client.post(f"/api/v1/members/{member_a.pk}/activities/", bad, format="json")
    nb_errors = client.post(
        f"/api/v1/members/{member_a.pk}/activities/", bad, format="json", HTTP_ACCEPT_LANGUAGE="nb"
    )
    assert en_errors.status_code == nb_errors.status_code == 400
    assert nb_errors.json().keys() == en_errors.json().keys()  # field names stay English
    assert nb_errors.json() != en_errors.json()


@pytest.mark.parametrize(
    ("language", "words"),
    [("nb", "Nettstedsadministrasjon"), ("zh-hans", "站点管理"), ("zh-hant", "網站管理")],
)
def test_staff_pages_and_the_admin_follow_the_language(client, staff, language, words):
    """Staff pages use the portal's catalogues; the admin uses Django's own."""
    sign_in(client, staff)
    client.post(SWITCH, {"language": language})
    queue = client.get(reverse("cpe:review_queue"))
    assert _language(queue) == language
    with translation.override(language):
        heading = translation.gettext("Review queue")
    assert heading != "Review queue"
    assert f"<h1>{heading}</h1>" in queue.content.decode()
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 200
    assert words in admin.content.decode()


def _switcher(page: str) -> str:
    """The language switcher of a page's header."""
    header = page.split('<header class="site-header">')[1].split("</header>")[0]
    found = re.search(r'<form class="language-switcher".*?</form>', header, re.S)
    assert found, "no language switcher in the header"
    return found.group(0)


def _check_switcher(form: str, here: str, chosen: str) -> None:
    assert 'method="post"' in form
    assert f'action="{SWITCH}"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'<input type="hidden" name="next" value="{here}">' in form
    # Labelled for screen readers; each language named in itself, the current one chosen.
    assert re.search(r'<label for="header-language" class="visually-hidden">[^<]+</label>', form)
    options = re.findall(
        r'<option value="([\w-]+)" lang="[\w-]+"( selected)?>([^<]+)</option>', form
    )
    assert [(code, name) for code, _sel, name in options] == [
        ("en", "English"),
        ("nb", "Norsk bokmål"),
        ("zh-hans", "简体中文"),
        ("zh-hant", "繁體中文"),
    ]
    assert [code for code, selected, _name in options if selected] == [chosen]
    assert re.search(r'<button type="submit" class="secondary">[^<]+</button>', form)


def test_the_switcher_is_in_the_header_of_the_sign_in_page(client):
    login = reverse("account_login")
    _check_switcher(_switcher(client.get(login).content.decode()), login, "en")


def test_the_switcher_is_in_the_header_of_a_signed_in_page(client, member_a):
    sign_in(client, member_a.user)
    url = reverse("cpe:transcript") + "?year=2026"
    _check_switcher(_switcher(client.get(url).content.decode()), url.replace("&", "&amp;"), "en")
    client.post(SWITCH, {"language": "zh-hant", "next": url})
    page = client.get(url).content.decode()
    assert '<html lang="zh-hant"' in page
    _check_switcher(_switcher(page), url, "zh-hant")


def test_the_switcher_is_on_an_error_page_too(client):
    page = client.get("/no-such-page/").content.decode()
    assert _switcher(page)
