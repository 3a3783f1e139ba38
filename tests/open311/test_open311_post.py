"""POST requests: keys, locations, attributes, media, idempotency, limits, admin."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.cases.models import Case, Channel
from czrm.communications.models import Message
from czrm.identity.intake import attach_requester
from czrm.open311.config import get_open311_settings
from czrm.open311.models import Open311Client
from tests.factories import attach_requesters, bearer, create_person
from tests.open311 import schemas
from tests.open311.conftest import Council

BASE = "/open311/v2"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _form(council: Council, **fields: object) -> list[tuple[str, str]]:
    values: dict[str, object] = {
        "api_key": council.key,
        "service_code": "POTHOLE",
        "lat": "52.43",
        "long": "-1.53",
        "attribute[size]": "large",
    }
    values.update(fields)
    items: list[tuple[str, str]] = []
    for key, value in values.items():
        if value is None:
            continue
        for one in value if isinstance(value, list) else [value]:
            items.append((key, str(one)))
    return items


def _post(client: TestClient, council: Council, fmt: str = "json", **fields: object):
    return client.post(
        f"{BASE}/requests.{fmt}",
        content=_urlencode(_form(council, **fields)),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )


def _urlencode(items: list[tuple[str, str]]) -> str:
    from urllib.parse import urlencode

    return urlencode(items)


def _cases(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def test_post_creates_a_case_as_the_client(
    client: TestClient, session: Session, council: Council
) -> None:
    response = _post(
        client,
        council,
        description="<b>Deep</b> hole<script>alert(1)</script> by the &amp; shop",
        **{"attribute[hazards][]": ["traffic", "water"]},
        media_url=["https://img.example/a.jpg", "https://img.example/b.jpg"],
        email="Rider@Example.org",
        first_name="Rae",
        device_id="device-123",
        account_id="acct-9",
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    [doc] = schemas.check(response.json(), schemas.POST_RESPONSE)
    assert doc["token"] is None and doc["account_id"] is None
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case is not None and doc["service_request_id"] == case.reference
    assert case.channel == Channel.OPEN311
    assert case.description == "Deep hole by the & shop"
    assert case.attributes == {"size": "large", "hazards": ["traffic", "water"]}
    assert case.media_urls == ["https://img.example/a.jpg", "https://img.example/b.jpg"]
    # The contact is kept, encrypted, on the case; a worker finds the person after the commit.
    assert case.requester_id is None
    assert case.requester_contact == {"given_name": "Rae", "email": "Rider@Example.org"}
    audit = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == "case", AuditEntry.entity_id == str(case.id)
        )
    ).one()
    assert (audit.actor_type, audit.actor_id) == ("client", str(council.client.id))
    assert attach_requesters(session) == 1
    session.refresh(case)
    assert case.requester_id is not None and case.requester_contact is None
    assert attach_requester(session, case.id) == "nothing to attach"  # a retry changes nothing
    shown = client.get(f"{BASE}/requests/{case.reference}.json").json()[0]
    assert shown["media_url"] == "https://img.example/a.jpg"


def test_a_known_persons_request_is_theirs_once_the_worker_has_run(
    client: TestClient, session: Session, council: Council
) -> None:
    known = create_person(session, council.world.jurisdiction, email="ffion@example.org")
    response = _post(client, council, email="Ffion@Example.org", first_name="Ffion")
    assert response.status_code == 200, response.text
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case is not None and case.requester_id is None
    # Kept encrypted at rest, never in clear.
    stored = session.execute(
        text("SELECT requester_contact FROM cases WHERE id = :id"), {"id": case.id}
    ).scalar_one()
    assert "ffion" not in stored.lower() and case.requester_contact is not None
    assert session.scalars(select(Message).where(Message.case_id == case.id)).all() == []
    headers = bearer(session, council.world.admin)
    staff_view = client.get(f"/api/v1/cases/{case.reference}", headers=headers).json()
    assert (staff_view["requester_id"], staff_view["requester_pending"]) == (None, True)

    assert attach_requesters(session) == 1
    session.refresh(case)
    assert case.requester_id == known.id and case.requester_contact is None
    staff_view = client.get(f"/api/v1/cases/{case.reference}", headers=headers).json()
    assert (staff_view["requester_id"], staff_view["requester_pending"]) == (str(known.id), False)
    [ack] = session.scalars(select(Message).where(Message.case_id == case.id)).all()
    assert (ack.event, ack.person_id, ack.recipient) == (
        "request_received",
        known.id,
        "ffion@example.org",
    )
    attached = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "case_requester_attached", AuditEntry.entity_id == str(case.id)
        )
    ).one()
    assert attached.details == {"person_id": str(known.id)}


def test_a_requester_attached_after_staff_closed_the_case_is_told_it_is_closed(
    client: TestClient, session: Session, council: Council
) -> None:
    response = _post(client, council, email="late@example.org", first_name="Lowri")
    assert response.status_code == 200, response.text
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case is not None and case.requester_id is None
    # Staff move the case on before the worker has found the requester.
    headers = bearer(session, council.world.admin)
    for status, note in (("acknowledged", None), ("fixed", "Filled this morning")):
        moved = client.post(
            f"/api/v1/cases/{case.reference}/transition",
            headers=headers,
            json={"status": status, "public_note": note},
        )
        assert moved.status_code == 200, moved.text
    assert session.scalars(select(Message).where(Message.case_id == case.id)).all() == []

    assert attach_requesters(session) == 1
    sent = session.scalars(
        select(Message).where(Message.case_id == case.id).order_by(Message.id)
    ).all()
    assert [m.event for m in sent] == ["request_received", "closed"]
    assert "Filled this morning" in (sent[1].body or "")
    # Once attached, the next change reaches them as it happens.
    reopened = client.post(
        f"/api/v1/cases/{case.reference}/transition",
        headers=headers,
        json={"status": "reopened", "public_note": "Sunk again"},
    )
    assert reopened.status_code == 200, reopened.text
    assert (
        session.scalars(
            select(Message.event).where(Message.case_id == case.id).order_by(Message.id.desc())
        ).first()
        == "reopened"
    )


def test_a_request_without_contact_details_waits_for_no_one(
    client: TestClient, session: Session, council: Council
) -> None:
    council.world.pothole.allow_anonymous = True
    session.flush()
    response = _post(client, council)
    assert response.status_code == 200, response.text
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case is not None and (case.requester_id, case.requester_contact) == (None, None)
    assert attach_requesters(session) == 0


def test_post_in_xml_and_api_key_in_query(
    client: TestClient, session: Session, council: Council
) -> None:
    items = [i for i in _form(council, address_string="Town Hall", lat=None, long=None)]
    items = [i for i in items if i[0] != "api_key"]
    response = client.post(
        f"{BASE}/requests.xml",
        params={"api_key": council.key},
        content=_urlencode(items),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/xml"
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id", "").startswith("SR-")


def test_batch_service_returns_a_token(
    client: TestClient, session: Session, council: Council
) -> None:
    response = _post(client, council, service_code="BULKY", **{"attribute[size]": None})
    [doc] = schemas.check(response.json(), schemas.POST_RESPONSE)
    assert doc["service_request_id"] is None and doc["token"]
    lookup = client.get(f"{BASE}/tokens/{doc['token']}.json").json()
    assert lookup[0]["service_request_id"].startswith("SR-")


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "o311_wrong"}, 403, "api_key"),
        ({"service_code": "NOPE"}, 400, "service_code"),
        ({"service_code": None}, 400, "service_code"),
        ({"lat": None, "long": None}, 400, "location"),
        ({"lat": "95", "long": "0"}, 400, "lat"),
        ({"lat": "abc"}, 400, "lat"),
        ({"long": "nan"}, 400, "long"),
        ({"long": None}, 400, "long"),
        ({"description": "x" * 4001}, 400, "description"),
        ({"attribute[size]": "huge"}, 400, "attribute[size]"),
        ({"attribute[size]": None}, 400, "attribute[size]"),
        ({"attribute[colour]": "red"}, 400, "attribute[colour]"),
        ({"attribute[depth]": "deep"}, 400, "attribute[depth]"),
        ({"attribute[size": "large"}, 400, "attribute[size"),
        ({"media_url": "file:///etc/passwd"}, 400, "media_url"),
        ({"email": "not-an-email"}, 400, "email"),
        ({"service_code": "REPAIR", "attribute[size]": None}, 400, "first_name"),
        ({"address_string": "x" * 501, "lat": None, "long": None}, 400, "address_string"),
    ],
)
def test_bad_posts_are_open311_errors_and_write_nothing(
    client: TestClient,
    session: Session,
    council: Council,
    fields: dict,
    status: int,
    words: str,
) -> None:
    before = _cases(session)
    for fmt in ("json", "xml"):
        response = _post(client, council, fmt, **fields)
        assert response.status_code == status, response.text
        if fmt == "json":
            errors = schemas.check(response.json(), schemas.ERRORS)
            assert any(words in e["description"] for e in errors), errors
            assert all(e["code"] == status for e in errors)
        else:
            root = ET.fromstring(response.content)
            assert root.tag == "errors" and root.findtext("error/code") == str(status)
    assert _cases(session) == before


def test_several_errors_are_reported_at_once(client: TestClient, council: Council) -> None:
    response = _post(client, council, **{"attribute[size]": "huge", "attribute[depth]": "deep"})
    descriptions = [e["description"] for e in response.json()]
    assert len(descriptions) == 2
    assert any("attribute[size]" in d for d in descriptions)
    assert any("attribute[depth]" in d for d in descriptions)


def test_a_service_retired_by_an_administrator_takes_no_more_requests(
    client: TestClient, session: Session, council: Council
) -> None:
    """Intake keeps services cached; a change made through the catalogue clears it."""
    assert _post(client, council).status_code == 200  # the service is now cached
    retired = client.patch(
        "/api/v1/services/POTHOLE",
        headers=bearer(session, council.world.admin),
        json={"active": False},
    )
    assert retired.status_code == 200
    refused = _post(client, council)
    assert refused.status_code == 400
    assert "POTHOLE" in refused.json()[0]["description"]


def test_revoked_key_is_403(client: TestClient, session: Session, council: Council) -> None:
    council.client.revoked_at = council.client.created_at
    session.flush()
    assert _post(client, council).status_code == 403


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"service_code": "POTHOLE"}', "application/json"),
        (b"\xff\xfe\xfa", "application/x-www-form-urlencoded"),
        (b"--broken\r\nnot a multipart body", "multipart/form-data; boundary=broken"),
        (b"garbage", "multipart/form-data"),
    ],
)
def test_malformed_bodies_are_400(
    client: TestClient, council: Council, content: bytes, content_type: str
) -> None:
    response = client.post(
        f"{BASE}/requests.json",
        params={"api_key": council.key},
        content=content,
        headers={"content-type": content_type},
    )
    assert response.status_code in (400, 403), response.text
    assert response.status_code == 400
    schemas.check(response.json(), schemas.ERRORS)
    assert "Traceback" not in response.text


def test_multipart_media_upload_is_stored_and_served(
    client: TestClient, session: Session, council: Council
) -> None:
    response = client.post(
        f"{BASE}/requests.json",
        data=dict(_form(council)),
        files=[("media", ("photo.png", PNG, "image/png")), ("media[]", ("b.jpg", JPEG, "x/y"))],
    )
    assert response.status_code == 200, response.text
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case is not None and len(case.media_urls) == 2
    assert all(u.startswith("http://testserver/open311/v2/media/") for u in case.media_urls)
    served = client.get(case.media_urls[0].removeprefix("http://testserver"))
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["content-type"] == "image/png"
    assert client.get(case.media_urls[1].removeprefix("http://testserver")).content == JPEG
    assert client.get(f"{BASE}/media/../../etc/passwd").status_code == 404
    assert client.get(f"{BASE}/media/{'0' * 32}.png").status_code == 404


def test_uploads_that_are_not_images_or_too_big_are_400(
    client: TestClient, session: Session, council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _cases(session)
    html = client.post(
        f"{BASE}/requests.json",
        data=dict(_form(council)),
        files=[("media", ("photo.png", b"<html><script>x</script>", "image/png"))],
    )
    assert html.status_code == 400 and "media" in html.json()[0]["description"]
    monkeypatch.setattr(get_open311_settings(), "max_media_bytes", 1000)
    big = client.post(
        f"{BASE}/requests.json",
        data=dict(_form(council)),
        files=[("media", ("big.png", PNG + b"\x00" * 5000, "image/png"))],
    )
    assert big.status_code == 400, big.text
    assert "larger than" in big.json()[0]["description"]
    too_many = client.post(
        f"{BASE}/requests.json",
        data=dict(_form(council)),
        files=[("media[]", (f"{n}.png", PNG, "image/png")) for n in range(5)],
    )
    assert too_many.status_code == 400
    assert _cases(session) == before


def test_idempotent_retry_replays_the_first_answer(
    client: TestClient, session: Session, council: Council
) -> None:
    headers = {
        "content-type": "application/x-www-form-urlencoded",
        "Idempotency-Key": "retry-1",
    }
    body = _urlencode(_form(council, description="once"))
    before = _cases(session)
    first = client.post(f"{BASE}/requests.json", content=body, headers=headers)
    again = client.post(f"{BASE}/requests.json", content=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    as_xml = client.post(f"{BASE}/requests.xml", content=body, headers=headers)
    assert (
        ET.fromstring(as_xml.content).findtext("request/service_request_id")
        == (first.json()[0]["service_request_id"])
    )
    assert _cases(session) == before + 1
    other = client.post(
        f"{BASE}/requests.json",
        content=_urlencode(_form(council, description="something else")),
        headers=headers,
    )
    assert other.status_code == 400 and "Idempotency-Key" in other.json()[0]["description"]
    # a failed first attempt leaves the key free
    bad = {**headers, "Idempotency-Key": "retry-2"}
    assert (
        client.post(
            f"{BASE}/requests.json", content=_urlencode(_form(council, lat="99")), headers=bad
        ).status_code
        == 400
    )


def test_rate_limits_answer_429_in_the_callers_format(
    client: TestClient, council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = get_open311_settings()
    monkeypatch.setattr(settings, "rate_per_key", 2)
    assert _post(client, council).status_code == 200
    assert _post(client, council).status_code == 200
    limited = _post(client, council, "xml")
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert ET.fromstring(limited.content).findtext("error/code") == "429"
    monkeypatch.setattr(settings, "rate_per_key", 0)
    monkeypatch.setattr(settings, "rate_per_address", 3)
    assert _post(client, council).status_code == 429  # 4th call from this address
    assert client.get(f"{BASE}/services.json").status_code == 200  # reads are not limited


def test_client_admin_api(client: TestClient, session: Session, council: Council) -> None:
    world = council.world
    headers = bearer(session, world.admin)
    created = client.post("/api/v1/open311/clients", headers=headers, json={"name": "FixMyStreet"})
    assert created.status_code == 201, created.text
    key = created.json()["api_key"]
    assert key.startswith("o311_") and created.json()["key_prefix"] == key[:12]
    row = session.get(Open311Client, __import__("uuid").UUID(created.json()["id"]))
    assert row is not None and key not in row.key_digest and len(row.key_digest) == 64
    listed = client.get("/api/v1/open311/clients", headers=headers).json()
    assert {c["name"] for c in listed} == {"Test app", "FixMyStreet"}
    assert all("api_key" not in c for c in listed)
    post = client.post(
        f"{BASE}/requests.json",
        data={"api_key": key, "service_code": "BULKY", "address_string": "1 High St"},
    )
    assert post.status_code == 200, post.text
    revoked = client.post(f"/api/v1/open311/clients/{created.json()['id']}/revoke", headers=headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    again = client.post(
        f"{BASE}/requests.json",
        data={"api_key": key, "service_code": "BULKY", "address_string": "1 High St"},
    )
    assert again.status_code == 403
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "open311_client")
    ).all()
    assert "open311_client_created" in actions and "open311_client_revoked" in actions


def test_client_admin_api_without_permission(
    client: TestClient, session: Session, council: Council
) -> None:
    for staff in (council.world.caseworker, council.world.agent, council.world.dpo):
        headers = bearer(session, staff)
        assert client.get("/api/v1/open311/clients", headers=headers).status_code == 403
        assert (
            client.post("/api/v1/open311/clients", headers=headers, json={"name": "x"}).status_code
            == 403
        )
        assert (
            client.post(
                f"/api/v1/open311/clients/{council.client.id}/revoke", headers=headers
            ).status_code
            == 403
        )
    assert client.get("/api/v1/open311/clients").status_code == 401
    other_admin = bearer(session, council.world.admin)
    missing = client.post(
        "/api/v1/open311/clients/00000000-0000-4000-8000-000000000000/revoke",
        headers=other_admin,
    )
    assert missing.status_code == 404


def test_oversized_bodies_are_refused_before_they_are_read(
    client: TestClient, council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_open311_settings(), "max_form_bytes", 200)
    response = _post(client, council, description="x" * 500)
    assert response.status_code == 400
    assert "larger than 200 bytes" in response.json()[0]["description"]

    def chunks():
        yield b"api_key=x&description="
        for _ in range(10):
            yield b"y" * 100

    streamed = client.post(
        f"{BASE}/requests.json",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert streamed.status_code == 400
    assert "larger than 200 bytes" in streamed.json()[0]["description"]
