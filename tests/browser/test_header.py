"""The header (issues 16, 17): at 1280 px the brand, the menu, the user's name, Sign out and
the language switcher stand on one line, for a member, for staff and signed out; at 390 px
the menu folds behind "Menu", the switcher stays in sight and nothing is wider than the
screen; choosing Norsk bokmål in the header turns the page into Norwegian."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import expect

from tests.browser.test_phone import sign_in
from tests.browser.viewports import DESKTOP, PHONE
from tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["member", "staff", "signed_out"]


def _as(role, page, base):
    if role == "member":
        MemberFactory(
            user__email="ada@example.org",
            user__first_name="Ada",
            user__last_name="Lovelace-Okonkwo",
        )
        sign_in(page, base, "ada@example.org")
        page.goto(f"{base}/status/")
    elif role == "staff":
        StaffFactory(email="rita@ima.example", first_name="Rita", last_name="Staff")
        sign_in(page, base, "rita@ima.example", staff=True)
        page.goto(f"{base}/staff/review/")
    else:
        page.goto(f"{base}/accounts/login/")


def _header_parts(page) -> list[tuple[str, dict]]:
    """Every visible part of the header with its box: the brand, each menu link, the
    user's name, Sign out, the language list and its button."""
    header = page.locator("header.site-header")
    parts = [("brand", header.locator(".brand"))]
    parts += [(f"link {n}", link) for n, link in enumerate(header.locator("nav a").all())]
    parts += [("user", header.get_by_test_id("user-name"))]
    parts += [("sign out", header.get_by_role("button", name="Sign out"))]
    parts += [("language", header.get_by_role("combobox", name="Language"))]
    parts += [("change", header.get_by_role("button", name="Change", exact=True))]
    return [(name, loc.bounding_box()) for name, loc in parts if loc.count() and loc.is_visible()]


def _overlap(a, b) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_header_is_one_line_at_1280(open_page, live_server, role):
    page = open_page(DESKTOP)
    _as(role, page, live_server.url)
    expect(page.get_by_role("combobox", name="Language")).to_be_visible()
    parts = _header_parts(page)
    names = [name for name, _box in parts]
    assert "language" in names and "change" in names and "brand" in names
    if role != "signed_out":
        assert {"user", "sign out"} <= set(names)
        assert len([n for n in names if n.startswith("link")]) >= 7
    # One line: every part's vertical middle within the band of the shortest part, left to
    # right in order, none over another, all on the screen.
    middles = [box["y"] + box["height"] / 2 for _name, box in parts]
    assert max(middles) - min(middles) <= 8, parts
    for (one, a), (two, b) in itertools.pairwise(parts):
        assert a["x"] + a["width"] <= b["x"] + 0.5, (one, a, two, b)
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"] for _n, box in parts)
    header = page.locator("header.site-header").bounding_box()
    assert header and header["height"] < 70, header
    # The portal's name shows beside the IMA mark, except beside the long staff menu.
    name = page.locator("header .brand-name")
    if role == "staff":
        expect(name).to_have_text("Member Portal")  # read out, not shown
    else:
        assert name.bounding_box()["width"] > 50


@pytest.mark.parametrize("role", ROLES)
def test_the_header_fits_a_phone(open_page, live_server, role):
    page = open_page(PHONE)
    _as(role, page, live_server.url)
    switcher = page.get_by_role("combobox", name="Language")
    expect(switcher).to_be_visible()
    expect(page.get_by_role("button", name="Change", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    parts = _header_parts(page)
    if role != "signed_out":
        menu = page.get_by_text("Menu", exact=True)
        expect(menu).to_be_visible()
        parts.append(("menu", menu.bounding_box()))
        assert not any(name.startswith("link") for name, _box in parts)  # folded
    # The portal's name, which may wrap beside the IMA mark, runs into nothing either.
    words = page.locator("header .brand-name")
    parts.append(("brand name", words.bounding_box()))
    for (one, a), (two, b) in itertools.combinations(parts, 2):
        if {one, two} != {"brand", "brand name"}:
            assert not _overlap(a, b), (one, a, two, b)
    assert words.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert all(box["x"] + box["width"] <= PHONE["width"] for _n, box in parts), parts
    if role != "signed_out":
        # Open, the menu's links sit below "Menu" and the switcher, over neither.
        page.get_by_text("Menu", exact=True).tap()
        links = page.locator("header nav a").all()
        expect(page.locator("header nav a").first).to_be_visible()
        top = max(b["y"] + b["height"] for n, b in parts if n in ("menu", "language", "change"))
        assert all(link.bounding_box()["y"] >= top for link in links)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("role", ["signed_out", "member"])
def test_choosing_norsk_bokmal_in_the_header_turns_the_page_norwegian(open_page, live_server, role):
    page = open_page(DESKTOP)
    _as(role, page, live_server.url)
    here = page.url
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switcher = page.get_by_role("combobox", name="Language")
    assert switcher.locator("option").all_inner_texts() == [
        "English",
        "Norsk bokmål",
        "简体中文",
        "繁體中文",
    ]
    switcher.select_option(label="Norsk bokmål")
    page.get_by_role("button", name="Change", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    assert page.url == here  # back on the same page
    # The switcher itself now speaks Norwegian, with Norwegian selected.
    expect(page.get_by_role("combobox", name="Språk")).to_have_value("nb")
    expect(page.get_by_role("button", name="Endre", exact=True)).to_be_visible()
