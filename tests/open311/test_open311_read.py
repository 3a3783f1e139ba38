"""Public reads: discovery, services, requests; both formats; privacy."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from czrm.cases.models import CaseStatus
from czrm.cases.service import Location, case_service
from czrm.kit.cache import clear_all
from czrm.kit.time import frozen_clock
from czrm.people.service import RequesterDetails, find_or_create_requester
from tests.factories import World, create_case
from tests.open311 import schemas
from tests.open311.conftest import Council, build_council

BASE = "/open311/v2"
XML_DECL = '<?xml version="1.0" encoding="utf-8"?>'


def xml_root(response: object) -> ET.Element:
    text = response.text  # type: ignore[attr-defined]
    assert text.startswith(XML_DECL)
    assert response.headers["content-type"] == "text/xml"  # type: ignore[attr-defined]
    root = ET.fromstring(text.encode())
    assert "}" not in root.tag  # no namespace
    return root


def test_discovery_in_both_formats(client: TestClient, council: Council) -> None:
    response = client.get(f"{BASE}/discovery.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = schemas.check(response.json(), schemas.DISCOVERY)
    assert body["endpoints"][0]["url"] == "http://testserver/open311/v2"
    assert council.world.jurisdiction.name in body["contact"]
    root = xml_root(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_list_and_definition(client: TestClient, council: Council) -> None:
    services = schemas.check(client.get(f"{BASE}/services.json").json(), schemas.SERVICES)
    by_code = {s["service_code"]: s for s in services}
    assert set(by_code) == {"POTHOLE", "REPAIR", "BULKY"}
    assert by_code["POTHOLE"]["metadata"] is True
    assert by_code["POTHOLE"]["keywords"] == "road, hole"
    assert by_code["BULKY"] == {
        "service_code": "BULKY",
        "service_name": "Bulky waste",
        "description": None,
        "metadata": False,
        "type": "batch",
        "keywords": None,
        "group": "Streets",
    }
    definition = schemas.check(
        client.get(f"{BASE}/services/POTHOLE.json").json(), schemas.SERVICE_DEFINITION
    )
    assert [a["code"] for a in definition["attributes"]] == ["size", "hazards", "depth"]
    assert definition["attributes"][0]["values"][1] == {"key": "large", "name": "Large"}
    assert definition["attributes"][0]["required"] is True

    root = xml_root(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert sorted(s.findtext("service_code") for s in root.findall("service")) == [
        "BULKY",
        "POTHOLE",
        "REPAIR",
    ]
    pothole = next(s for s in root.findall("service") if s.findtext("service_code") == "POTHOLE")
    assert pothole.findtext("metadata") == "true"
    assert pothole.find("group") is not None
    definition_xml = xml_root(client.get(f"{BASE}/services/POTHOLE.xml"))
    assert definition_xml.tag == "service_definition"
    keys = [v.findtext("key") for v in definition_xml.findall("attributes/attribute/values/value")]
    assert keys == ["small", "large", "traffic", "water"]


def test_unknown_service_definition_is_404_in_the_callers_format(
    client: TestClient, council: Council
) -> None:
    response = client.get(f"{BASE}/services/NOPE.json")
    assert response.status_code == 404
    assert schemas.check(response.json(), schemas.ERRORS)[0]["code"] == 404
    xml = client.get(f"{BASE}/services/NOPE.xml")
    assert xml.status_code == 404
    root = xml_root(xml)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert "NOPE" in (root.findtext("error/description") or "")


@pytest.mark.parametrize(
    "path",
    ["services.yaml", "discovery.html", "requests.csv", "services/POTHOLE.txt", "requests/1.pdf"],
)
def test_unknown_format_is_a_400_error_list(
    client: TestClient, council: Council, path: str
) -> None:
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    errors = schemas.check(response.json(), schemas.ERRORS)
    assert "unknown format" in errors[0]["description"]


def test_unknown_endpoint_is_an_open311_404(client: TestClient, council: Council) -> None:
    response = client.get(f"{BASE}/nothing/here.xml")
    assert response.status_code == 404
    assert xml_root(response).tag == "errors"
    assert schemas.check(client.delete(f"{BASE}/services.json").json(), schemas.ERRORS)


def _requests(client: TestClient, **params: str) -> list[dict]:
    response = client.get(f"{BASE}/requests.json", params=params)
    assert response.status_code == 200, response.text
    return schemas.check(response.json(), schemas.REQUESTS)


def test_requests_fields_and_one_request_as_an_array(
    client: TestClient, session: Session, council: Council
) -> None:
    world = council.world
    case = create_case(
        session,
        world.pothole,
        attributes={"size": "large"},
        location=Location(lat=52.43, long=-1.53, address="1 High St", postcode="NM1 1AA"),
    )
    case.media_urls = ["https://img.example/1.jpg", "https://img.example/2.jpg"]
    session.flush()
    body = client.get(f"{BASE}/requests/{case.reference}.json")
    assert body.status_code == 200
    [doc] = schemas.check(body.json(), schemas.REQUESTS)
    assert doc["service_request_id"] == case.reference
    assert doc["status"] == "open"
    assert doc["service_code"] == "POTHOLE" and doc["service_name"] == "Pothole"
    assert doc["agency_responsible"] == world.highways.name
    assert doc["address"] == "1 High St" and doc["zipcode"] == "NM1 1AA"
    assert doc["lat"] == 52.43 and doc["long"] == -1.53
    assert doc["media_url"] == "https://img.example/1.jpg"
    assert doc["expected_datetime"] is not None and doc["address_id"] is None
    assert datetime.fromisoformat(doc["requested_datetime"]) == case.opened_at.replace(
        microsecond=0
    )
    root = xml_root(client.get(f"{BASE}/requests/{case.reference}.xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == case.reference
    address_id = request.find("address_id")
    assert address_id is not None and address_id.text is None and len(address_id) == 0
    missing = client.get(f"{BASE}/requests/SR-2020-999999.json")
    assert missing.status_code == 404
    schemas.check(missing.json(), schemas.ERRORS)


def test_requests_filters(client: TestClient, session: Session, council: Council) -> None:
    world = council.world
    admin = council.admin
    with frozen_clock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC)) as move:
        first = create_case(session, world.pothole, attributes={"size": "small"})
        move(datetime(2026, 3, 10, 10, 0, tzinfo=UTC))
        second = create_case(session, world.pothole, attributes={"size": "small"})
        person = find_or_create_requester(
            session, world.jurisdiction.id, RequesterDetails(email="t@example.org")
        )
        repair = create_case(session, world.repair, requester=person)
        move(datetime(2026, 3, 12, 10, 0, tzinfo=UTC))
        case_service.transition(session, admin, first, CaseStatus.FIXED, public_note="Filled")
        move(datetime(2026, 3, 20, 10, 0, tzinfo=UTC))

        everything = _requests(client)
        assert [d["service_request_id"] for d in everything] == [
            repair.reference,
            second.reference,
            first.reference,
        ]
        assert everything[2]["status"] == "closed" and everything[2]["status_notes"] == "Filled"
        assert [d["service_request_id"] for d in _requests(client, status="closed")] == [
            first.reference
        ]
        assert len(_requests(client, status="open,closed")) == 3
        assert [d["service_code"] for d in _requests(client, service_code="REPAIR")] == ["REPAIR"]
        assert len(_requests(client, service_code="REPAIR,POTHOLE")) == 3
        window = _requests(
            client, start_date="2026-03-01T00:00:00Z", end_date="2026-03-05T23:59:59.999999-06:00"
        )
        assert [d["service_request_id"] for d in window] == [first.reference]
        updated = _requests(client, updated_after="2026-03-11T00:00:00+00:00")
        assert [d["service_request_id"] for d in updated] == [first.reference]
        before = _requests(client, updated_before="2026-03-11T00:00:00+00:00")
        assert {d["service_request_id"] for d in before} == {second.reference, repair.reference}
        ids = _requests(
            client, service_request_id=f"{first.reference},{repair.reference}", status="open"
        )
        assert {d["service_request_id"] for d in ids} == {first.reference, repair.reference}
        paged = _requests(client, page="2", page_size="2")
        assert [d["service_request_id"] for d in paged] == [first.reference]
        move(datetime(2026, 7, 1, 10, 0, tzinfo=UTC))
        assert _requests(client) == []  # the default window is the last 90 days
        assert len(_requests(client, start_date="2026-01-01T00:00:00Z")) == 3


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-03-01T00:00:00"}, "end_date"),  # no zone
        ({"updated_after": "2026-13-01T00:00:00Z"}, "updated_after"),
        ({"start_date": "2026-03-02T00:00:00Z", "end_date": "2026-03-01T00:00:00Z"}, "start_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"}, "90 days"),
        ({"status": "smouldering"}, "status"),
        ({"page_size": "5000"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"service_request_id": "banana"}, "service_request_id"),
    ],
)
def test_bad_request_filters_are_400(
    client: TestClient, council: Council, params: dict, word: str
) -> None:
    response = client.get(f"{BASE}/requests.json", params=params)
    assert response.status_code == 400
    assert word in schemas.check(response.json(), schemas.ERRORS)[0]["description"]
    xml = client.get(f"{BASE}/requests.xml", params=params)
    assert xml.status_code == 400 and xml_root(xml).tag == "errors"


def test_extensions_add_attributes_and_public_notes_only(
    client: TestClient, session: Session, council: Council
) -> None:
    case = create_case(session, council.world.pothole, attributes={"size": "large"})
    case_service.add_internal_note(session, council.admin, case, "secret staff note")
    case_service.add_public_update(session, council.admin, case, "Crew on the way")
    case_service.transition(session, council.admin, case, CaseStatus.IN_PROGRESS, sub_status="crew")
    plain = _requests(client, service_request_id=case.reference)
    assert "notes" not in plain[0]
    response = client.get(f"{BASE}/requests/{case.reference}.json", params={"extensions": "true"})
    [doc] = schemas.check(response.json(), schemas.EXTENDED_REQUESTS)
    assert doc["extended_attributes"]["attributes"] == {"size": "large"}
    assert doc["extended_attributes"]["status"] == "in_progress"
    assert doc["extended_attributes"]["sub_status"] == "crew"
    assert [(n["type"], n["description"]) for n in doc["notes"]] == [
        ("case_opened", None),
        ("public_update", "Crew on the way"),
        ("status_changed", None),
    ]
    assert doc["notes"][2]["status"] == "IN_PROGRESS"
    assert "secret staff note" not in response.text
    xml = xml_root(
        client.get(f"{BASE}/requests/{case.reference}.xml", params={"extensions": "true"})
    )
    assert [n.findtext("type") for n in xml.findall("request/notes/note")] == [
        "case_opened",
        "public_update",
        "status_changed",
    ]
    assert xml.findtext("request/extended_attributes/attributes/size") == "large"


def test_public_gets_never_reveal_the_requester(
    client: TestClient, session: Session, council: Council
) -> None:
    details = RequesterDetails(
        given_name="Ada", family_name="Lovelace", email="ada@example.org", phone="+447700900123"
    )
    person = find_or_create_requester(session, council.world.jurisdiction.id, details)
    case = create_case(session, council.world.repair, requester=person, location=Location())
    case_service.add_public_update(session, council.admin, case, "We have booked a visit")
    paths = [
        "requests.json",
        "requests.xml",
        f"requests/{case.reference}.json",
        f"requests/{case.reference}.xml",
        "servicerequestupdates.json",
        "servicerequestupdates.xml",
    ]
    for path in paths:
        for params in ({}, {"extensions": "true"}):
            response = client.get(f"{BASE}/{path}", params=params)
            assert response.status_code == 200, (path, response.text)
            assert case.reference in response.text
            for secret in ("Ada", "Lovelace", "ada@example.org", "447700900123", str(person.id)):
                assert secret not in response.text, (path, secret)


def test_tokens_for_batch_services(client: TestClient, session: Session, council: Council) -> None:
    from czrm.catalogue.models import Service

    bulky = session.query(Service).filter_by(code="BULKY").one()
    case = create_case(session, bulky)
    assert case.open311_token
    response = client.get(f"{BASE}/tokens/{case.open311_token}.json")
    assert schemas.check(response.json(), schemas.TOKENS) == [
        {"service_request_id": case.reference, "token": case.open311_token}
    ]
    root = xml_root(client.get(f"{BASE}/tokens/{case.open311_token}.xml"))
    assert root.findtext("request/service_request_id") == case.reference
    assert client.get(f"{BASE}/tokens/nope.json").status_code == 404


def test_jurisdiction_selects_the_tenant(
    client: TestClient, session: Session, council: Council
) -> None:
    # With one jurisdiction, any jurisdiction_id is accepted and ignored.
    alone = client.get(f"{BASE}/services.json", params={"jurisdiction_id": "anything"})
    assert alone.status_code == 200 and len(alone.json()) == 3
    other = build_council(session)
    clear_all()  # a new tenant shows once the reference-data cache turns over
    create_case(session, other.world.pothole, attributes={"size": "small"})
    mine = create_case(session, council.world.pothole, attributes={"size": "small"})
    missing = client.get(f"{BASE}/services.json")
    assert missing.status_code == 400
    assert "jurisdiction_id" in missing.json()[0]["description"]
    unknown = client.get(f"{BASE}/services.xml", params={"jurisdiction_id": "atlantis"})
    assert unknown.status_code == 404 and xml_root(unknown).tag == "errors"
    found = _requests(client, jurisdiction_id=council.slug)
    assert [d["service_request_id"] for d in found] == [mine.reference]
    # another council's request is not found through this one
    theirs = client.get(
        f"{BASE}/requests/{mine.reference}.json", params={"jurisdiction_id": other.slug}
    )
    assert theirs.status_code == 404


def test_world_fixture_is_reused(session: Session) -> None:
    assert World(session).jurisdiction.slug
