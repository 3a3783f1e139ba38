"""End-to-end journeys in Chromium against a live czrm: citizens report, track,
reopen and rate; staff sign in with a second factor and work the case. axe-core
checks every page on the way; the same journeys run by keyboard alone and
without JavaScript."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp

from czrm.auth.totp import DEMO_SECRET
from czrm.seed.catalogue_data import DEMO_PASSWORD
from tests.browser.conftest import LiveServer, Pages

REFERENCE = re.compile(r"SR-\d{4}-\d{6}")


def _lang_dir(page: Any) -> tuple[str, str]:
    return (
        page.get_attribute("html", "lang") or "",
        page.get_attribute("html", "dir") or "",
    )


def _answer_questions(page: Any) -> None:
    """Choose the first option of every question and fill the typed ones."""
    for fieldset in page.locator("form .govuk-radios").all():
        fieldset.locator("input").first.check()
    for field in page.locator("input[name^='attr__'][type='text']").all():
        mode = field.get_attribute("inputmode")
        hint = field.get_attribute("aria-describedby") or ""
        if mode == "decimal":
            field.fill("5")
        elif "hint" in hint and "2026" in (
            page.locator(f"#{hint.split()[0]}").text_content() or ""
        ):
            field.fill("2026-11-20 10:30")
        else:
            field.fill("Lamp post 42")
    for area in page.locator("textarea[name^='attr__']").all():
        area.fill("Seen this morning")


def _past_nearby(page: Any, axe: Any | None = None) -> None:
    if page.locator("h1", has_text="Is it one of these?").count():
        if axe:
            axe(page)
        page.get_by_role("button", name="Send my report as a new problem").click()


def _reference(page: Any) -> str:
    page.wait_for_selector("#reference")
    text = page.locator("#reference").text_content() or ""
    found = REFERENCE.search(text)
    assert found, text
    return found.group(0)


def report_pothole_on_the_map(page: Any, axe: Any | None = None) -> str:
    page.goto("/report")
    page.get_by_label("Search, for example ‘pothole’ or ‘bins’").fill("pothole")
    page.get_by_role("button", name="Search").click()
    if axe:
        axe(page)
    page.get_by_role("link", name="Pothole").click()
    page.wait_for_selector("#map[data-ready='true']")
    if axe:
        axe(page)
    page.get_by_label("Larger than a dustbin lid").check()
    page.get_by_label("In the road").check()
    page.get_by_label("Roughly how deep is it?").fill("12")
    page.locator("#map").click(position={"x": 180, "y": 170})
    assert page.input_value("#lat") and page.input_value("#long")
    page.get_by_label("Describe the problem").fill("Deep pothole outside the bakery")
    page.get_by_label("Email address").fill("alex.citizen@example.org")
    page.get_by_role("button", name="Send report").click()
    _past_nearby(page, axe)
    return _reference(page)


def sign_in_staff(page: Any, username: str, axe: Any | None = None, *, step: int = 0) -> None:
    page.goto("/console/sign-in")
    if axe:
        axe(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/console/two-factor")
    if axe:
        axe(page)
    page.get_by_label("Enter your security code").fill(
        pyotp.TOTP(DEMO_SECRET).at(time.time() + 30 * step)
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/queue**")


def test_citizen_reports_on_the_map_and_without_it_then_tracks(pages: Pages, axe: Any) -> None:
    page = pages.new()
    page.goto("/")
    axe(page)
    assert _lang_dir(page) == ("en", "ltr")
    first = report_pothole_on_the_map(page, axe)
    axe(page)

    # Another problem, placed by postcode only.
    page.goto("/report")
    axe(page)
    page.get_by_role("link", name="Street light not working").click()
    page.get_by_role("button", name="Send report").click()  # nothing filled in yet
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page)
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") != ""
    _answer_questions(page)
    page.get_by_label("Describe the problem").fill("Light flickers all night")
    page.get_by_label("Address or description of the place").fill("Opposite 4 Mill Lane")
    page.get_by_label("Postcode").fill("nm2 3ab")
    page.get_by_label("Report without giving my details").check()
    page.get_by_role("button", name="Send report").click()
    _past_nearby(page, axe)
    second = _reference(page)
    assert second != first

    page.goto("/track")
    axe(page)
    page.get_by_label("Track a request").fill("nonsense")
    page.get_by_role("button", name="Find request").click()
    axe(page)
    page.get_by_label("Track a request").fill(first)
    page.get_by_role("button", name="Find request").click()
    page.wait_for_url(f"**/requests/{first}")
    axe(page)
    assert page.locator("#status").text_content().strip() == "Received"
    assert "Request received" in (page.locator("#timeline").text_content() or "")
    page.goto("/requests/SR-2020-999999")
    axe(page)
    assert page.locator("h1").text_content() == "Page not found"


def test_staff_work_a_report_to_closure_and_the_citizen_rates_it(pages: Pages, axe: Any) -> None:
    citizen = pages.new()
    reference = report_pothole_on_the_map(citizen)

    staff = pages.new()
    sign_in_staff(staff, "caseworker", axe)
    axe(staff)
    staff.get_by_role("link", name="My teams").click()
    staff.get_by_label("Search").fill(reference)
    staff.get_by_role("button", name="Apply filters").click()
    staff.wait_for_selector(f"#results a:has-text('{reference}')")
    axe(staff)
    staff.locator("#results").get_by_role("link", name=reference).click()
    staff.wait_for_url(f"**/console/cases/{reference}")
    axe(staff)

    staff.locator("#assignee_id").select_option("me")
    staff.get_by_role("button", name="Assign").click()
    staff.wait_for_selector("#assignee:has-text('Chris Caseworker')")
    staff.get_by_label("The requester and the public see this").fill(
        "A crew will fill it this week"
    )
    staff.get_by_role("button", name="Publish update").click()
    staff.get_by_label("Only staff see this").fill("Bring the hot-box")
    staff.get_by_role("button", name="Add internal note").click()
    staff.locator("#status").select_option("acknowledged")
    staff.get_by_role("button", name="Change status").click()
    staff.wait_for_selector("#timeline:has-text('Bring the hot-box')")
    staff.locator("#status").select_option("fixed")
    staff.get_by_label("Message to the requester (public, optional)").fill("Filled this morning")
    staff.get_by_role("button", name="Change status").click()
    staff.wait_for_selector("h1:has-text('Fixed')")
    axe(staff)

    citizen.goto(f"/requests/{reference}")
    timeline = citizen.locator("#timeline").text_content() or ""
    assert "A crew will fill it this week" in timeline and "Filled this morning" in timeline
    assert "Bring the hot-box" not in timeline
    assert citizen.locator("#status").text_content().strip() == "Fixed"
    axe(citizen)
    citizen.get_by_role("link", name="Rate our service").click()
    axe(citizen)
    citizen.get_by_role("button", name="Send feedback").click()
    axe(citizen)  # the error summary
    citizen.get_by_label("Very satisfied").check()
    citizen.get_by_label("How could we improve this service? (optional)").fill("Quick, thanks")
    citizen.get_by_role("button", name="Send feedback").click()
    assert citizen.get_by_text("Thank you for your feedback.").is_visible()
    assert citizen.get_by_text("You rated this service 5 out of 5.").is_visible()
    axe(citizen)

    # It's not fixed: the citizen reopens it.
    citizen.get_by_label("Tell us what is still wrong").fill("It has opened up again")
    citizen.get_by_role("button", name="It’s not fixed – reopen my request").click()
    assert citizen.get_by_text("We have reopened your request.").is_visible()
    assert citizen.locator("#status").text_content().strip() == "Reopened"


def test_welsh_and_arabic_portals(pages: Pages, axe: Any, live_server: LiveServer) -> None:
    welsh = pages.new(locale="cy-GB")
    welsh.goto("/")
    assert _lang_dir(welsh) == ("cy", "ltr")
    assert welsh.locator("h1").text_content() == "Rhoi gwybod am broblem neu olrhain cais"
    axe(welsh)
    welsh.goto("/report")
    welsh.get_by_label("Chwilio, er enghraifft ‘twll’ neu ‘biniau’").fill("twll")
    welsh.get_by_role("button", name="Chwilio").click()
    welsh.get_by_role("link", name="Twll yn y ffordd").click()
    assert welsh.locator("h1").text_content() == "Twll yn y ffordd"
    assert welsh.get_by_text("Pa mor fawr yw’r twll yn y ffordd?").is_visible()
    assert welsh.get_by_label("Yn fwy na chaead bin sbwriel").is_visible()
    axe(welsh)

    arabic = pages.new()
    arabic.goto("/")
    arabic.get_by_role("link", name="العربية").click()
    assert _lang_dir(arabic) == ("ar", "rtl")
    assert arabic.locator("h1").text_content() == "الإبلاغ عن مشكلة أو متابعة طلب"
    axe(arabic)
    arabic.goto("/report/POTHOLE")
    assert _lang_dir(arabic) == ("ar", "rtl")
    assert arabic.locator("h1").text_content() == "حفرة في الطريق"
    assert arabic.get_by_text("ما حجم الحفرة؟").is_visible()
    assert arabic.get_by_label("أكبر من غطاء صندوق القمامة").is_visible()
    assert arabic.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    arabic.get_by_role("button", name="إرسال البلاغ").click()
    assert arabic.locator(".govuk-error-summary__title").text_content() == "توجد مشكلة"
    axe(arabic)
    arabic.goto("/track")
    axe(arabic)
    arabic.get_by_role("link", name="English").click()
    assert _lang_dir(arabic) == ("en", "ltr")


def _tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_same_journeys_by_keyboard_alone(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new()
    page.goto("/")
    _tab_to(page, "a.govuk-skip-link")
    assert page.locator("a.govuk-skip-link").is_visible()  # visible when focused
    _tab_to(page, "a.govuk-button--start")
    page.keyboard.press("Enter")
    page.wait_for_url("**/report")
    _tab_to(page, "#q")
    page.keyboard.type("pothole")
    page.keyboard.press("Enter")
    page.wait_for_url("**/report?q=pothole")
    _tab_to(page, "a[href='/report/POTHOLE']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#map[data-ready='true']")
    _tab_to(page, "input[name='attr__pothole_size']")
    page.keyboard.press("Space")
    _tab_to(page, "#attr-depth_cm")
    page.keyboard.type("8")
    _tab_to(page, "input[name='attr__road_position']")
    page.keyboard.press("Space")
    _tab_to(page, "#description")
    page.keyboard.type("Pothole reported by keyboard")
    _tab_to(page, "#map")
    page.keyboard.press("Enter")
    assert page.input_value("#lat") != ""
    assert "Pin placed" in (page.locator("#map-status").text_content() or "")
    _tab_to(page, "#email")
    page.keyboard.type("keys@example.org")
    _tab_to(page, "form button[type='submit']")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    if page.locator("h1", has_text="Is it one of these?").count():
        _tab_to(page, "form button[type='submit']")
        page.keyboard.press("Enter")
    reference = _reference(page)

    staff = pages.new()
    staff.goto("/console/sign-in")
    _tab_to(staff, "#username")
    staff.keyboard.type("manager")
    staff.keyboard.press("Tab")
    staff.keyboard.type(DEMO_PASSWORD)
    staff.keyboard.press("Enter")
    staff.wait_for_url("**/console/two-factor")
    _tab_to(staff, "#code")
    staff.keyboard.type(pyotp.TOTP(DEMO_SECRET).now())
    staff.keyboard.press("Enter")
    staff.wait_for_url("**/console/queue**")
    _tab_to(staff, "a[href*='view=team']")
    staff.keyboard.press("Enter")
    staff.wait_for_url("**view=team**")
    _tab_to(staff, "#q")
    staff.keyboard.type(reference)
    staff.keyboard.press("Enter")
    staff.wait_for_selector(f"#results a:has-text('{reference}')")
    _tab_to(staff, f"#results a[href='/console/cases/{reference}']")
    staff.keyboard.press("Enter")
    staff.wait_for_url(f"**/console/cases/{reference}")
    _tab_to(staff, "#update-body")
    staff.keyboard.type("Inspected by keyboard")
    _tab_to(staff, "form[action$='/update'] button")
    staff.keyboard.press("Enter")
    staff.wait_for_selector("#timeline:has-text('Inspected by keyboard')")

    page.goto(f"/requests/{reference}")
    assert "Inspected by keyboard" in (page.locator("#timeline").text_content() or "")


def test_no_javascript_journey(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new(javascript=False)
    page.goto("/report/POTHOLE")
    assert not page.locator("#map").is_visible()  # the map needs JavaScript; the form does not
    page.get_by_label("Smaller than a dinner plate").check()
    page.get_by_label("At the kerb edge").check()
    page.get_by_label("Describe the problem").fill("Reported without JavaScript")
    page.get_by_label("Address or description of the place").fill("Outside 9 Station Road")
    page.get_by_label("Postcode").fill("NM3 1AA")
    page.get_by_label("Phone number").fill("01632 960 123")
    page.get_by_role("button", name="Send report").click()
    _past_nearby(page)
    reference = _reference(page)
    page.get_by_role("link", name="Track this report").click()
    assert page.locator("#status").text_content().strip() == "Received"
    page.goto("/?lang=cy")
    assert _lang_dir(page) == ("cy", "ltr")

    staff = pages.new(javascript=False)
    sign_in_staff(staff, "admin")
    staff.goto(f"/console/queue?view=team&q={reference}")
    staff.locator("#results").get_by_role("link", name=reference).click()
    staff.locator("#status").select_option("in_progress")
    staff.get_by_role("button", name="Change status").click()
    staff.wait_for_selector("h1:has-text('In progress')")

    page.goto(f"/requests/{reference}?lang=en")
    assert page.locator("#status").text_content().strip() == "In progress"


def test_first_sign_in_enrols_the_second_factor(
    pages: Pages, axe: Any, live_server: LiveServer
) -> None:
    staff = pages.new()
    staff.goto("/console/sign-in")
    staff.get_by_label("Username").fill(live_server.new_staff)
    staff.get_by_label("Password").fill("not the password")
    staff.get_by_role("button", name="Continue").click()
    axe(staff)
    staff.get_by_label("Password").fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="Continue").click()
    staff.wait_for_url("**/console/two-factor/enrol")
    axe(staff)
    secret = (staff.locator("#secret").text_content() or "").strip()
    staff.get_by_label("Enter the code your app shows").fill(pyotp.TOTP(secret).now())
    staff.get_by_role("button", name="Confirm").click()
    assert staff.locator("#recovery-codes li").count() == 10
    axe(staff)
    staff.get_by_role("link", name="Continue").click()
    staff.wait_for_url("**/console**")
    assert staff.locator("h1").text_content() == "Queues"
    axe(staff)
