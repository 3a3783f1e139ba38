"""The service catalogue on the Welsh and Arabic portals: service names, groups,
search words, questions and choices in the page language, each falling back to
English where the council has not translated it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from czrm.cases.service import Location
from czrm.config import get_settings
from czrm.org.models import Ward
from czrm.portal import service as portal
from tests.factories import WEST, World, create_case
from tests.webtools import csrf, lang_attrs

WELSH = {"Accept-Language": "cy-GB,cy;q=0.9"}
ARABIC = {"Accept-Language": "ar"}


@pytest.fixture
def world(session: Session, monkeypatch: pytest.MonkeyPatch) -> World:
    w = World(session)
    w.pothole.group = "Roads"
    w.pothole.description = "A hole in the road surface."
    w.pothole.keywords = ["pothole", "carriageway"]
    w.pothole.translations = {
        "cy": {
            "name": "Twll yn y ffordd",
            "description": "Twll yn wyneb y ffordd.",
            "group": "Ffyrdd",
            "keywords": ["ceudwll", "lôn"],
        },
        "ar": {"name": "حفرة في الطريق", "group": "الطرق", "keywords": ["حفرة", "شارع"]},
    }
    w.pothole.attributes = [
        {
            "code": "size",
            "datatype": "singlevaluelist",
            "required": True,
            "variable": True,
            "order": 1,
            "description": "How big is it?",
            "translations": {
                "cy": {"description": "Pa mor fawr yw e?"},
                "ar": {"description": "ما حجمها؟"},
            },
            "values": [
                {"key": "small", "name": "Small", "translations": {"cy": "Bach", "ar": "صغيرة"}},
                {"key": "large", "name": "Large", "translations": {"cy": "Mawr"}},
            ],
        },
        {
            "code": "depth",
            "datatype": "number",
            "required": False,
            "variable": True,
            "order": 2,
            "description": "How deep is it?",
            "values": [],
        },
    ]
    # The repair service has no translations at all.
    session.add(Ward(jurisdiction_id=w.jurisdiction.id, code="W1", name="West", area=WEST))
    portal.configure(session, w.jurisdiction.id, postcode_districts={"NM1": "W1"})
    session.flush()
    monkeypatch.setattr(get_settings(), "portal_jurisdiction", w.jurisdiction.slug)
    return w


def _links(html: str) -> dict[str, str]:
    return {code: text for code, text in re.findall(r'href="/report/([A-Z_]+)">([^<]+)</a>', html)}


def test_the_welsh_service_list_is_in_welsh_with_english_where_untranslated(
    client: TestClient, world: World
) -> None:
    page = client.get("/report", headers=WELSH)
    assert lang_attrs(page.text) == ("cy", "ltr")
    assert _links(page.text) == {"POTHOLE": "Twll yn y ffordd", "REPAIR": "Housing repair"}
    assert '<h2 class="govuk-heading-m">Ffyrdd</h2>' in page.text
    assert '<h2 class="govuk-heading-m">Streets</h2>' in page.text  # the repair's own group
    english = client.get("/report", headers={"Accept-Language": "en"})
    assert _links(english.text) == {"POTHOLE": "Pothole", "REPAIR": "Housing repair"}


@pytest.mark.parametrize(
    ("headers", "query", "found"),
    [
        (WELSH, "ceudwll", {"POTHOLE": "Twll yn y ffordd"}),  # a Welsh keyword
        (WELSH, "twll yn", {"POTHOLE": "Twll yn y ffordd"}),  # the Welsh name
        (WELSH, "ffyrdd", {"POTHOLE": "Twll yn y ffordd"}),  # the Welsh group
        (WELSH, "pothole", {"POTHOLE": "Twll yn y ffordd"}),  # English words still find it
        (WELSH, "repair", {"REPAIR": "Housing repair"}),
        (ARABIC, "حفرة", {"POTHOLE": "حفرة في الطريق"}),
        (ARABIC, "شارع", {"POTHOLE": "حفرة في الطريق"}),
        (ARABIC, "ceudwll", {}),  # another language's keywords do not
    ],
)
def test_search_finds_services_by_their_words_in_the_page_language(
    client: TestClient, world: World, headers: dict[str, str], query: str, found: dict[str, str]
) -> None:
    page = client.get("/report", params={"q": query}, headers=headers)
    assert page.status_code == 200
    assert _links(page.text) == found


def test_the_welsh_report_form_asks_its_questions_in_welsh(
    client: TestClient, world: World
) -> None:
    page = client.get("/report/POTHOLE", headers=WELSH).text
    assert lang_attrs(page) == ("cy", "ltr")
    assert '<h1 class="govuk-heading-l">Twll yn y ffordd</h1>' in page
    assert "Twll yn wyneb y ffordd." in page
    assert "Pa mor fawr yw e?" in page and "How big is it?" not in page
    assert re.search(r">Bach</label>", page) and re.search(r">Mawr</label>", page)
    # Untranslated: the question reads in English.
    assert "How deep is it?" in page


def test_the_arabic_report_form_is_right_to_left_with_english_fallbacks(
    client: TestClient, world: World
) -> None:
    page = client.get("/report/POTHOLE", headers=ARABIC).text
    assert lang_attrs(page) == ("ar", "rtl")
    assert '<h1 class="govuk-heading-l">حفرة في الطريق</h1>' in page
    assert "A hole in the road surface." in page  # no Arabic description: the English
    assert "ما حجمها؟" in page
    assert re.search(r">صغيرة</label>", page) and re.search(r">Large</label>", page)


def test_an_unanswered_question_is_named_in_the_page_language(
    client: TestClient, world: World
) -> None:
    token = csrf(client, "/report/POTHOLE")
    refused = client.post(
        "/report/POTHOLE",
        headers=WELSH,
        data={"csrf_token": token, "description": "Twll mawr", "postcode": "NM1 4AB"},
    )
    assert refused.status_code == 422
    assert "Atebwch y cwestiwn: Pa mor fawr yw e?" in refused.text


def test_nearby_reports_and_the_tracking_page_name_the_service_in_welsh(
    client: TestClient, session: Session, world: World
) -> None:
    existing = create_case(
        session,
        world.pothole,
        location=Location(lat=52.43, long=-1.53),
        attributes={"size": "small"},
    )
    data = {
        "csrf_token": csrf(client, "/report/POTHOLE"),
        "description": "Twll mawr ger yr arhosfan bysiau",
        "lat": "52.4301",
        "long": "-1.5301",
        "anonymous": "yes",
        "attr__size": "large",
    }
    offered = client.post("/report/POTHOLE", headers=WELSH, data=data)
    assert offered.status_code == 200 and existing.reference in offered.text
    assert '<span class="govuk-caption-l">Twll yn y ffordd</span>' in offered.text

    sent = client.post(
        "/report/POTHOLE",
        headers=WELSH,
        data={**data, "confirmed_new": "yes"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    reference = sent.headers["location"].split("/")[2]
    tracked = client.get(f"/requests/{reference}", headers=WELSH)
    assert '<span class="govuk-caption-l">Twll yn y ffordd</span>' in tracked.text
    arabic = client.get(f"/requests/{reference}", headers=ARABIC)
    assert '<span class="govuk-caption-l">حفرة في الطريق</span>' in arabic.text
