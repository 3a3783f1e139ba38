"""Browser journeys for citizen sign-in by e-mail (through the live worker and a
loopback SMTP server) and the console's people pages and assisted digital."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import ADMIN, LiveServer, Pages
from tests.browser.test_journeys import REFERENCE, sign_in_staff


def test_citizen_signs_in_by_email_link_and_sets_preferences(
    pages: Pages, axe: Any, live_server: LiveServer
) -> None:
    page = pages.new()
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    axe(page)
    page.get_by_role("button", name="Send me a sign-in link").click()
    axe(page)  # the error summary
    page.get_by_label("Sign in with your email address").fill("robin.browser@example.org")
    page.get_by_role("button", name="Send me a sign-in link").click()
    assert page.locator("h1").text_content() == "Check your email"
    axe(page)
    message = live_server.inbox.wait_for("robin.browser@example.org")
    body = message.get_payload(decode=True).decode()
    link = re.search(r"(/sign-in/[A-Za-z0-9_-]+)", body)
    assert link, body
    page.goto(link.group(1))
    axe(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account")
    assert page.locator("h1").text_content() == "Your account"
    axe(page)
    page.get_by_role("link", name="See who has looked at your data").click()
    assert page.locator("h1").text_content() == "Who has looked at your data"
    axe(page)
    page.get_by_role("link", name="Your account").first.click()
    page.get_by_role("link", name="Choose what we contact you about, and how").click()
    axe(page)
    page.get_by_label("Council news and events").check()
    page.get_by_role("button", name="Save your choices").click()
    page.wait_for_url("**/account/choices?saved=1")
    assert page.get_by_label("Council news and events").is_checked()
    axe(page)
    page.goto("/account")
    page.get_by_role("link", name="Change your details and preferences").click()
    axe(page)
    page.get_by_label("First name (optional)").fill("Robin")
    page.get_by_label("Cymraeg").check()
    page.get_by_label("By email").check()
    page.get_by_label("Large print").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/account?saved=1")
    assert page.get_attribute("html", "lang") == "cy"
    assert page.locator("h1").text_content() == "Eich cyfrif"
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Lawrlwytho eich data (JSON)").click()
    assert download.value.suggested_filename == "my-data.json"
    page.goto(link.group(1))
    assert (
        page.locator("h1").text_content()
        == "Mae’r ddolen hon wedi dod i ben neu wedi cael ei defnyddio"
    )
    axe(page)


def test_agent_finds_a_person_and_takes_a_request_for_them(
    pages: Pages, axe: Any, live_server: LiveServer
) -> None:
    staff = pages.new()
    sign_in_staff(staff, "agent")
    staff.get_by_role("link", name="Take a request").click()
    axe(staff)
    staff.get_by_label("First name").fill("Morgan")
    staff.get_by_label("Last name").fill("Walk-In")
    staff.get_by_label("Phone number (optional)").fill("01632 960 555")
    staff.get_by_role("button", name="Continue").click()
    staff.wait_for_url("**/console/assist/*")
    axe(staff)
    staff.locator("#service-choice").select_option("FLY_TIPPING")
    staff.get_by_role("button", name="Choose").click()
    for select in staff.locator("select[name^='attr__']:not([multiple])").all():
        select.select_option(index=1)
    for select in staff.locator("select[name^='attr__'][multiple]").all():
        select.select_option(index=0)
    staff.locator("#channel").select_option("walk_in")
    staff.get_by_label("What the caller said").fill("Mattresses dumped in the lane")
    staff.get_by_label("Postcode").fill("NM4 2BB")
    axe(staff)
    staff.get_by_role("button", name="Raise the request").click()
    staff.wait_for_url("**/console/cases/SR-*")
    reference = REFERENCE.search(staff.url)
    assert reference
    assert "walk_in" in (staff.locator("main").text_content() or "")
    axe(staff)

    staff.get_by_role("link", name="People").click()
    staff.get_by_label("Name, e-mail address or phone number").fill("Walk-In")
    staff.get_by_role("button", name="Search").click()
    axe(staff)
    staff.get_by_role("link", name="Morgan Walk-In", exact=True).click()
    axe(staff)  # the purpose question
    staff.get_by_label("Handling service requests").check()
    staff.get_by_role("button", name="Open the record").click()
    assert staff.locator("h1").text_content() == "Morgan Walk-In"
    assert reference.group(0) in (staff.locator("#person-cases").text_content() or "")
    axe(staff)


def test_admin_and_review_pages(pages: Pages, axe: Any, live_server: LiveServer) -> None:
    staff = pages.new()
    sign_in_staff(staff, ADMIN)
    staff.get_by_role("navigation", name="Staff menu").get_by_role(
        "link", name="Match review"
    ).click()
    assert staff.locator("h1").text_content() == "Match review"
    axe(staff)
    staff.get_by_role("navigation", name="Staff menu").get_by_role("link", name="Admin").click()
    assert staff.locator("h1").text_content() == "Admin"
    axe(staff)
    for link in (
        "Services",
        "Teams and areas",
        "Staff",
        "API keys",
        "Purposes register",
        "Jobs",
        "Audit log",
    ):
        staff.get_by_role("navigation", name="Administration").get_by_role(
            "link", name=link
        ).click()
        assert staff.locator("h1").text_content() == link
        axe(staff)
    staff.get_by_role("button", name="Check the chain now").click()
    assert "The chain is intact." in (staff.locator("#verify-result").text_content() or "")
    axe(staff)
    staff.goto("/console/merges")
    axe(staff)
    staff.goto("/console/reviews?status=accepted")
    axe(staff)
    admin_forms_and_their_errors(staff, axe)
    # The same session without JavaScript (a code works once, so no second sign-in).
    plain = pages.new(javascript=False)
    plain.context.add_cookies(staff.context.cookies())
    admin_pages_without_javascript(plain)


def admin_forms_and_their_errors(staff: Any, axe: Any) -> None:
    """Every admin form, and each with its error summary (nothing here is saved
    that another test depends on)."""
    staff.goto("/console/admin/services/POTHOLE")
    axe(staff)
    staff.get_by_label("Name", exact=True).fill("")
    staff.get_by_role("button", name="Save changes").click()
    assert staff.locator(".govuk-error-summary").is_visible()
    axe(staff)
    staff.locator(".govuk-error-summary").get_by_role("link", name="Name: enter a value").click()
    assert staff.evaluate("document.activeElement.id") == "name"
    staff.goto("/console/admin/services/new")
    axe(staff)

    staff.goto("/console/admin/teams")
    staff.locator("main table a").first.click()
    staff.wait_for_selector("#area-map[data-ready='true']")
    axe(staff)  # with the map drawn
    staff.get_by_label("Area (GeoJSON)").fill(
        '{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}'
    )
    staff.get_by_role("button", name="Save changes").click()
    assert "GeoJSON Polygon or MultiPolygon" in (
        staff.locator(".govuk-error-summary").text_content() or ""
    )
    axe(staff)
    staff.goto("/console/admin/teams/new")
    axe(staff)

    staff.goto("/console/admin/staff/new")
    axe(staff)
    staff.get_by_label("Username").fill("Not Valid!")
    staff.get_by_role("button", name="Add the member of staff").click()
    assert staff.locator(".govuk-error-summary").is_visible()
    axe(staff)
    staff.goto("/console/admin/staff")
    staff.locator("#staff a").first.click()
    axe(staff)

    staff.goto("/console/admin/api-keys")
    staff.get_by_label("Name of the application").fill("Axe checker")
    staff.get_by_role("button", name="Create a key").click()
    assert (staff.locator("#api-key").text_content() or "").startswith("o311_")
    axe(staff)

    staff.goto("/console/admin/purposes/casework")
    axe(staff)
    staff.goto("/console/admin/purposes/new")
    staff.get_by_role("button", name="Add the purpose").click()
    assert staff.locator(".govuk-error-summary").is_visible()
    axe(staff)


def admin_pages_without_javascript(staff: Any) -> None:
    staff.goto("/console/admin/teams")
    staff.locator("main table a").first.click()
    assert not staff.locator("#area-map").is_visible()  # the map needs JavaScript
    assert staff.get_by_label("Area (GeoJSON)").is_visible()
    staff.get_by_label("Area (GeoJSON)").fill("{not json")
    staff.get_by_role("button", name="Save changes").click()
    assert "The area is not valid JSON" in (
        staff.locator(".govuk-error-summary").text_content() or ""
    )
