"""Phones (issue 16): the header menu folds behind "Menu" at 390 px and opens on a tap, its
links reachable by keyboard; at 1280 px it is one line; My purchases shows each purchase as
a block whose cells name their column; on Add Transcript the credit preview stays on the
screen while the member reaches the submit button."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import expect

from tests.browser.viewports import DESKTOP, PHONE
from tests.conftest import totp_code
from tests.factories import PASSWORD, MemberFactory, StaffFactory
from tests.refunds.builders import bought

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, email, staff=False):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if staff:
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Sign out").wait_for()


def test_menu_folds_on_a_phone_and_opens_on_a_tap(open_page, live_server):
    member = MemberFactory(user__email="ada@example.org")
    page = open_page(PHONE)
    sign_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/transcript/")
    menu = page.get_by_text("Menu", exact=True)
    nav = page.get_by_role("navigation", name="Main")
    expect(menu).to_be_visible()
    expect(nav.get_by_role("link", name="My purchases")).to_be_hidden()

    menu.tap()
    expect(nav.get_by_role("link", name="My purchases")).to_be_visible()
    expect(nav.get_by_role("link", name="Transcript", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    menu.tap()
    expect(nav.get_by_role("link", name="My purchases")).to_be_hidden()

    # Keyboard: the skip link first, then the brand, then "Menu"; Enter opens it and Tab
    # walks its links.
    page.goto(f"{live_server.url}/status/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="My Profile")).to_be_focused()
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="My status")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/status/")


@pytest.mark.parametrize("staff", [False, True], ids=["member", "staff"])
def test_menu_is_one_line_on_a_desktop(open_page, live_server, staff):
    if staff:
        StaffFactory(email="rita@ima.example", first_name="Rita", last_name="Staff")
    else:
        MemberFactory(
            user__email="ada@example.org",
            user__first_name="Ada",
            user__last_name="Lovelace-Okonkwo",
        )
    page = open_page(DESKTOP)
    email = "rita@ima.example" if staff else "ada@example.org"
    sign_in(page, live_server.url, email, staff=staff)
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(links.first).to_be_visible()
    tops = links.evaluate_all("links => links.map(a => a.offsetTop)")
    assert len(tops) >= 7 and len(set(tops)) == 1, tops
    assert all(link.is_visible() for link in links.all())
    # Side by side, none over another or over the user's name, all on the screen.
    boxes = [link.bounding_box() for link in links.all()]
    user = page.locator(".user-box").bounding_box()
    assert all(a["x"] + a["width"] <= b["x"] for a, b in itertools.pairwise(boxes)), boxes
    assert boxes[-1]["x"] + boxes[-1]["width"] <= DESKTOP["width"]
    assert not any(_overlap(box, user) for box in boxes), (boxes, user)


def _overlap(a, b) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_my_purchases_are_stacked_with_labels_on_a_phone(open_page, live_server):
    member = MemberFactory(user__email="ada@example.org")
    bought(member, title="Annual conference: strategy and cost management")
    page = open_page(PHONE)
    sign_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/purchases/")
    row = page.get_by_test_id("purchase-row")
    cells = row.locator("td")
    boxes = [cells.nth(i).bounding_box() for i in range(4)]
    # One cell under the other, each as wide as the row.
    assert all(a["y"] + a["height"] <= b["y"] + 1 for a, b in itertools.pairwise(boxes)), boxes
    assert len({round(box["x"]) for box in boxes}) == 1, boxes
    labels = cells.evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
    assert labels == ['"Purchase"', '"Bought or registered"', '"Price paid"', '"Refund"']
    expect(page.locator("thead")).not_to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_wide_tables_show_they_scroll(open_page, live_server):
    member = MemberFactory(user__email="ada@example.org")
    bought(member)
    page = open_page(DESKTOP)
    sign_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/purchases/")
    # At desktop width the table is a table, with a scroll cue ready at its edges.
    wrap = page.get_by_role("region", name="Purchases")
    image = wrap.evaluate("el => getComputedStyle(el).backgroundImage")
    assert image.count("gradient") == 4
    cells = page.get_by_test_id("purchase-row").locator("td")
    assert len({round(cells.nth(i).bounding_box()["y"]) for i in range(4)}) == 1


def test_credit_preview_stays_in_sight_down_to_the_submit_button(open_page, live_server):
    member = MemberFactory(user__email="ada@example.org")
    page = open_page(PHONE)
    sign_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/transcript/add/")
    page.get_by_label("Activity type").select_option("short_course")
    page.get_by_label("Title of the activity").fill("Budgeting masterclass")
    page.get_by_label("Provider or sponsor").fill("Finance Academy")
    page.get_by_label("It had an instructor or course guide").check()
    page.get_by_label("It had formal education or training materials").check()
    page.get_by_label("Minutes of instruction").fill("400")
    preview = page.get_by_test_id("preview")
    expect(page.get_by_test_id("preview-hours")).to_have_text("8.0")

    submit = page.get_by_role("button", name="Submit for review")
    submit.scroll_into_view_if_needed()
    expect(submit).to_be_in_viewport()
    expect(preview).to_be_in_viewport()
    expect(page.get_by_test_id("preview-hours")).to_be_in_viewport()
    # Folded it shows the hours only, so it covers little of the form.
    box = preview.bounding_box()
    assert box and box["height"] < 780 / 4, box
    reasons = preview.locator(".preview-reasons")
    expect(reasons).to_be_hidden()
    page.get_by_role("button", name="Show why").click()
    expect(reasons).to_be_visible()
    page.get_by_role("button", name="Hide details").click()
    expect(reasons).to_be_hidden()

    # In the middle of the form it is docked at the bottom of the screen too.
    page.get_by_label("Title of the activity").scroll_into_view_if_needed()
    expect(page.get_by_test_id("preview-hours")).to_be_in_viewport()


def test_menu_works_without_javascript(browser, live_server):
    MemberFactory(user__email="ada@example.org")
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport, java_script_enabled=False)
        try:
            page = context.new_page()
            sign_in(page, live_server.url, "ada@example.org")
            link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Dues")
            if viewport == PHONE:
                expect(link).to_be_hidden()
                page.get_by_text("Menu", exact=True).click()
            expect(link).to_be_visible()
            link.click()
            expect(page).to_have_url(f"{live_server.url}/dues/")
        finally:
            context.close()
