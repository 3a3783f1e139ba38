"""The citizen portal over HTTP: reporting, tracking, reopening and rating,
languages, CSRF and the security headers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from czrm.app import create_app
from czrm.auth.subject import SYSTEM
from czrm.cases.models import Case, CaseStatus, Channel
from czrm.cases.satisfaction import SatisfactionRating
from czrm.cases.service import Location, case_service
from czrm.config import get_settings
from czrm.org.models import Ward
from czrm.people.models import ContactPoint
from czrm.portal import service as portal
from tests.conftest import use_test_session
from tests.factories import WEST, World, create_case, create_jurisdiction, create_service
from tests.webtools import csrf, lang_attrs

ANSWERS = {"attr__size": "large"}
SMALL = {"size": "small"}


@pytest.fixture
def world(session: Session, monkeypatch: pytest.MonkeyPatch) -> World:
    w = World(session)
    w.pothole.attributes = [
        {
            "code": "size",
            "datatype": "singlevaluelist",
            "required": True,
            "variable": True,
            "order": 1,
            "description": "How big is it?",
            "values": [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
        }
    ]
    session.add(Ward(jurisdiction_id=w.jurisdiction.id, code="W1", name="West", area=WEST))
    portal.configure(session, w.jurisdiction.id, postcode_districts={"NM1": "W1"})
    session.flush()
    monkeypatch.setattr(get_settings(), "portal_jurisdiction", w.jurisdiction.slug)
    return w


def _client(session: Session) -> Iterator[TestClient]:
    app = create_app(check_database=False)
    use_test_session(app, session)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def other_browser(session: Session) -> Iterator[TestClient]:
    """A second visitor with a session of their own."""
    yield from _client(session)


def _report(client: TestClient, code: str = "POTHOLE", **fields: str) -> object:
    data = {
        "csrf_token": csrf(client, f"/report/{code}"),
        "description": "Deep hole by the bus stop",
        "address": "12 High Street",
        "postcode": "NM1 4AB",
        "email": "sam@example.org",
        **ANSWERS,
    }
    data.update(fields)
    return client.post(f"/report/{code}", data=data, follow_redirects=False)


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def test_start_page_has_headers_language_and_council(client: TestClient, world: World) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert lang_attrs(page.text) == ("en", "ltr")
    assert world.jurisdiction.name in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "<script>" not in page.text  # no inline script anywhere


def test_language_from_browser_then_from_the_switch_link(client: TestClient, world: World) -> None:
    welsh = client.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"})
    assert lang_attrs(welsh.text) == ("cy", "ltr")
    assert "Rhoi gwybod am broblem" in welsh.text
    arabic = client.get("/?lang=ar")
    assert lang_attrs(arabic.text) == ("ar", "rtl")
    # The choice sticks for the session, whatever the browser says.
    again = client.get("/track", headers={"Accept-Language": "cy"})
    assert lang_attrs(again.text) == ("ar", "rtl")
    assert 'href="/track?lang=en"' in again.text


def test_service_search_and_groups(client: TestClient, world: World) -> None:
    found = client.get("/report?q=pothole")
    assert 'href="/report/POTHOLE"' in found.text
    assert "/report/REPAIR" not in found.text
    nothing = client.get("/report?q=zzzz")
    assert "No problems match your search" in nothing.text
    every = client.get("/report")
    assert "/report/REPAIR" in every.text and "Streets" in every.text


def test_report_without_map_creates_a_web_case(
    client: TestClient, session: Session, world: World
) -> None:
    response = _report(client)
    assert response.status_code == 303
    reference = re.search(r"/requests/(SR-\d{4}-\d{6})/sent", response.headers["location"])
    assert reference
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case is not None and case.reference == reference.group(1)
    assert case.channel == Channel.WEB
    assert case.attributes == {"size": "large"}
    assert case.postcode == "NM1 4AB"
    # The postcode district's ward places the report, so it routes to the west team.
    assert case.lat is not None and case.team_id == world.west.id
    email = session.scalar(
        select(ContactPoint.value).where(ContactPoint.party_id == case.requester_id)
    )
    assert email == "sam@example.org"
    sent = client.get(response.headers["location"])
    assert reference.group(1) in sent.text and "Report sent" in sent.text


def test_report_with_map_point(client: TestClient, session: Session, world: World) -> None:
    response = _report(client, postcode="", address="", lat="52.43", long="-1.53", anonymous="yes")
    assert response.status_code == 303
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case is not None
    assert (case.lat, case.long, case.requester_id) == (52.43, -1.53, None)


def test_errors_are_listed_linked_and_answers_kept(
    client: TestClient, session: Session, world: World
) -> None:
    before = _count(session)
    response = _report(client, attr__size="", description="", postcode="XX", email="")
    assert response.status_code == 422
    page = response.text
    assert "There is a problem" in page
    assert 'href="#attr-size"' in page and "Answer the question: How big is it?" in page
    assert 'href="#description"' in page and 'href="#postcode"' in page
    assert "Enter a real postcode" in page
    assert 'value="12 High Street"' in page  # the answers are kept
    assert "<title>Error:" in page
    assert _count(session) == before


def test_postcode_outside_the_area_is_refused(
    client: TestClient, session: Session, world: World
) -> None:
    response = _report(client, postcode="ZZ9 9ZZ")
    assert response.status_code == 422
    assert "That postcode is outside our area" in response.text


def test_map_point_outside_the_area_is_refused(client: TestClient, world: World) -> None:
    response = _report(client, postcode="", lat="51.5", long="-0.12")
    assert response.status_code == 422
    assert "That place is outside our area" in response.text


def test_missing_csrf_token_is_refused_and_nothing_saved(
    client: TestClient, session: Session, world: World
) -> None:
    before = _count(session)
    client.get("/report/POTHOLE")
    response = client.post(
        "/report/POTHOLE", data={"description": "x", "postcode": "NM1 4AB", **ANSWERS}
    )
    assert response.status_code == 403
    assert "Sorry, you cannot do that" in response.text
    assert "Traceback" not in response.text
    assert _count(session) == before


def test_nearby_open_reports_are_offered_first(
    client: TestClient, session: Session, world: World
) -> None:
    existing = create_case(
        session, world.pothole, location=Location(lat=52.43, long=-1.53), attributes=SMALL
    )
    before = _count(session)
    offered = _report(client, postcode="", lat="52.4301", long="-1.5301")
    assert offered.status_code == 200
    assert "Is it one of these?" in offered.text and existing.reference in offered.text
    assert _count(session) == before
    token = re.search(r'name="csrf_token" value="([^"]+)"', offered.text)
    assert token
    confirmed = client.post(
        "/report/POTHOLE",
        data={
            "csrf_token": token.group(1),
            "confirmed_new": "yes",
            "description": "Deep hole by the bus stop",
            "lat": "52.4301",
            "long": "-1.5301",
            "anonymous": "yes",
            **ANSWERS,
        },
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    assert _count(session) == before + 1


def test_photos_are_kept_and_non_images_refused(
    client: TestClient,
    session: Session,
    world: World,
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    token = csrf(client, "/report/POTHOLE")
    base = {
        "csrf_token": token,
        "description": "Hole",
        "postcode": "NM1 4AB",
        "anonymous": "yes",
        **ANSWERS,
    }
    bad = client.post(
        "/report/POTHOLE", data=base, files={"photos": ("a.png", b"not an image", "image/png")}
    )
    assert bad.status_code == 422 and "Photos must be JPG, PNG, GIF or WebP files" in bad.text
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    good = client.post(
        "/report/POTHOLE",
        data=base,
        files={"photos": ("a.png", png, "image/png")},
        follow_redirects=False,
    )
    assert good.status_code == 303
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case is not None and len(case.media_urls) == 1
    assert case.media_urls[0].endswith(".png") and "/open311/v2/media/" in case.media_urls[0]


def test_a_service_that_needs_details_refuses_anonymous(client: TestClient, world: World) -> None:
    page = client.get("/report/REPAIR")
    assert 'name="anonymous"' not in page.text
    response = _report(client, "REPAIR", attr__size="", email="", phone="")
    assert response.status_code == 422
    assert "Enter your email address or phone number" in response.text


def test_tracking_shows_the_public_timeline_only(
    client: TestClient, session: Session, world: World
) -> None:
    case = create_case(session, world.pothole, attributes=SMALL)
    staff = world.subject(session, world.caseworker)
    case_service.add_public_update(session, staff, case, "We will fill it on Tuesday")
    case_service.add_internal_note(session, staff, case, "Contractor owes us money")
    found = client.get(f"/track?reference={case.reference.lower()}", follow_redirects=False)
    assert found.status_code == 303 and found.headers["location"] == f"/requests/{case.reference}"
    page = client.get(f"/requests/{case.reference}")
    assert page.status_code == 200
    assert "We will fill it on Tuesday" in page.text
    assert "Contractor owes us money" not in page.text
    bad = client.get("/track?reference=hello")
    assert bad.status_code == 422 and 'href="#reference"' in bad.text


def test_another_councils_request_is_not_found(
    client: TestClient, session: Session, world: World
) -> None:
    elsewhere = create_jurisdiction(session)
    from tests.factories import create_department

    other = create_case(session, create_service(session, create_department(session, elsewhere)))
    assert client.get(f"/requests/{other.reference}").status_code == 404
    assert client.get("/requests/SR-2026-999999").status_code == 404


def _close(session: Session, world: World, case: Case) -> None:
    case_service.transition(
        session, world.subject(session, world.caseworker), case, CaseStatus.FIXED
    )


def _reported_case(client: TestClient, session: Session) -> Case:
    response = _report(client)
    reference = response.headers["location"].split("/")[2]
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case is not None and case.reference == reference
    return case


def test_its_not_fixed_reopens_for_the_reporter_only(
    client: TestClient, other_browser: TestClient, session: Session, world: World
) -> None:
    case = _reported_case(client, session)
    _close(session, world, case)
    # Someone else with the reference may read it but not reopen it.
    assert "It’s not fixed" not in other_browser.get(f"/requests/{case.reference}").text
    token = csrf(other_browser, "/report/POTHOLE")
    refused = other_browser.post(
        f"/requests/{case.reference}/reopen", data={"csrf_token": token, "comment": "no"}
    )
    assert refused.status_code == 404
    assert case.status == CaseStatus.FIXED
    token = csrf(client, f"/requests/{case.reference}")
    empty = client.post(
        f"/requests/{case.reference}/reopen", data={"csrf_token": token, "comment": ""}
    )
    assert empty.status_code == 422 and "Tell us what is still wrong" in empty.text
    done = client.post(
        f"/requests/{case.reference}/reopen",
        data={"csrf_token": token, "comment": "Still a hole"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    session.refresh(case)
    assert case.status == CaseStatus.REOPENED
    page = client.get(done.headers["location"])
    assert "We have reopened your request." in page.text and "Still a hole" in page.text


def test_rating_after_closure_once(
    client: TestClient, other_browser: TestClient, session: Session, world: World
) -> None:
    case = _reported_case(client, session)
    assert client.get(f"/requests/{case.reference}/rate", follow_redirects=False).status_code == 303
    _close(session, world, case)
    assert other_browser.get(f"/requests/{case.reference}/rate").status_code == 404
    token = csrf(client, f"/requests/{case.reference}/rate")
    missing = client.post(
        f"/requests/{case.reference}/rate", data={"csrf_token": token, "comment": "meh"}
    )
    assert missing.status_code == 422 and 'href="#score"' in missing.text
    assert ">meh</textarea>" in missing.text
    out_of_range = client.post(
        f"/requests/{case.reference}/rate", data={"csrf_token": token, "score": "9"}
    )
    assert out_of_range.status_code == 422
    rated = client.post(
        f"/requests/{case.reference}/rate",
        data={"csrf_token": token, "score": "4", "comment": "Quick work"},
        follow_redirects=False,
    )
    assert rated.status_code == 303
    stored = session.scalars(
        select(SatisfactionRating).where(SatisfactionRating.case_id == case.id)
    ).one()
    assert (stored.score, stored.comment) == (4, "Quick work")
    again = client.post(
        f"/requests/{case.reference}/rate",
        data={"csrf_token": token, "score": "1"},
        follow_redirects=False,
    )
    assert again.status_code == 303
    assert (
        session.scalar(
            select(func.count())
            .select_from(SatisfactionRating)
            .where(SatisfactionRating.case_id == case.id)
        )
        == 1
    )
    assert "You rated this service 4 out of 5." in client.get(f"/requests/{case.reference}").text


def test_error_pages_are_translated_and_never_json(client: TestClient, world: World) -> None:
    page = client.get("/no-such-page", headers={"Accept-Language": "cy"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert lang_attrs(page.text) == ("cy", "ltr")
    assert "Heb ddod o hyd i’r dudalen" in page.text
    # The API keeps its own format.
    api = client.get("/api/v1/no-such-thing")
    assert api.headers["content-type"] == "application/problem+json"


def test_timeline_event_of_requester_shows_as_update(
    client: TestClient, session: Session, world: World
) -> None:
    case = create_case(session, world.pothole, attributes=SMALL)
    case_service.add_update_from_requester(session, SYSTEM, case, body="Now bigger")
    page = client.get(f"/requests/{case.reference}")
    assert "Now bigger" in page.text


def test_contact_details_are_checked_before_nearby_reports_are_offered(
    client: TestClient, session: Session, world: World
) -> None:
    create_case(session, world.pothole, location=Location(lat=52.43, long=-1.53), attributes=SMALL)
    response = _report(client, postcode="", lat="52.4301", long="-1.5301", email="not-an-address")
    assert response.status_code == 422
    assert "Is it one of these?" not in response.text
    assert "Enter an email address in the correct format" in response.text
