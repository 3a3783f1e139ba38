"""The citizen's account: "who has looked at my data", "how we contact you", sign-in limits."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.auth.models import Role
from czrm.consent.models import ConsentRecord, ContactChannel, DigestFrequency
from czrm.consent.service import consent_service
from czrm.jobs.models import Job
from czrm.people.service import RequesterDetails, find_or_create_requester
from czrm.people.view import person_view
from czrm.portal.account import LINKS_PER_EMAIL
from tests.factories import World, create_department, create_staff
from tests.portal.test_portal_sign_in import Inbox, _sign_in, inbox, world
from tests.webtools import csrf, lang_attrs

__all__ = ["inbox", "world"]  # fixtures shared with the sign-in tests


def test_the_citizen_sees_who_looked_and_covert_reads_stay_hidden(
    client: TestClient, session: Session, world: World, inbox: Inbox
) -> None:
    me = find_or_create_requester(
        session,
        world.jurisdiction.id,
        RequesterDetails(email="ceri@example.org"),
    )
    fraud = create_department(session, world.jurisdiction, code="FRAUD", name="Counter Fraud")
    investigator = create_staff(session, world.jurisdiction, [Role.CASEWORKER], [fraud])
    person_view(session, world.subject(session, world.caseworker), me.id, purpose="casework")
    person_view(session, world.subject(session, investigator), me.id, purpose="fraud_investigation")

    _sign_in(client, session, inbox, "ceri@example.org")
    assert "/account/access-log" in client.get("/account").text
    page = client.get("/account/access-log")
    assert page.status_code == 200
    assert page.text.count('<tr class="govuk-table__row">') == 2  # the header and one read
    assert "looked at your record" in page.text
    assert "Handling service requests" in page.text
    assert "Art. 6(1)(e) public task" in page.text
    assert "Counter Fraud" not in page.text and "Hidden from you until" not in page.text

    welsh = client.get("/account/access-log?lang=cy")
    assert lang_attrs(welsh.text) == ("cy", "ltr")
    assert "Pwy sydd wedi edrych ar eich data" in welsh.text
    assert "wedi edrych ar eich cofnod" in welsh.text
    arabic = client.get("/account/access-log?lang=ar")
    assert lang_attrs(arabic.text) == ("ar", "rtl") and "اطّلع على سجلك" in arabic.text


def test_the_page_needs_sign_in(client: TestClient, world: World) -> None:
    response = client.get("/account/access-log", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/sign-in"


def test_the_citizen_chooses_what_we_contact_them_about_and_how(
    client: TestClient, session: Session, world: World, inbox: Inbox
) -> None:
    me = find_or_create_requester(
        session, world.jurisdiction.id, RequesterDetails(email="dewi@example.org")
    )
    _sign_in(client, session, inbox, "dewi@example.org")
    assert "/account/choices" in client.get("/account").text
    page = client.get("/account/choices?lang=cy")
    assert "Sut rydym yn cysylltu â chi" in page.text
    assert 'value="consultation" checked' not in page.text  # nothing without a yes
    assert not consent_service.may_contact(
        session, me.id, purpose="consultation", channel=ContactChannel.EMAIL
    )

    token = csrf(client, "/account/choices")
    saved = client.post(
        "/account/choices",
        data={
            "csrf_token": token,
            "purposes": ["consultation"],
            "channels": ["email", "letter", "phone"],  # no text messages
            "digest": "weekly",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert consent_service.may_contact(
        session, me.id, purpose="consultation", channel=ContactChannel.EMAIL
    )
    assert not consent_service.may_contact(
        session, me.id, purpose="service_updates", channel=ContactChannel.SMS
    )
    assert consent_service.preferences(session, me.id).digest == DigestFrequency.WEEKLY
    shown = client.get("/account/choices").text
    assert 'value="consultation" checked' in shown and 'value="sms" checked' not in shown

    # Saying no again is a new statement: the history keeps the yes.
    token = csrf(client, "/account/choices")
    client.post(
        "/account/choices",
        data={"csrf_token": token, "channels": ["email", "sms", "letter", "phone"]},
    )
    assert not consent_service.may_contact(
        session, me.id, purpose="consultation", channel=ContactChannel.EMAIL
    )
    assert consent_service.may_contact(
        session, me.id, purpose="service_updates", channel=ContactChannel.SMS
    )
    kinds = session.scalars(
        select(ConsentRecord.active)
        .where(ConsentRecord.person_id == me.id, ConsentRecord.purpose == "consultation")
        .order_by(ConsentRecord.id)
    ).all()
    assert kinds == [True, False]


def test_choices_need_sign_in_and_a_form_token(client: TestClient, world: World) -> None:
    assert client.get("/account/choices", follow_redirects=False).status_code == 303
    refused = client.post("/account/choices", data={"purposes": ["consultation"]})
    assert refused.status_code in (400, 403)


def test_sign_in_links_for_one_address_are_limited(
    client: TestClient, session: Session, world: World
) -> None:
    for _ in range(LINKS_PER_EMAIL):
        token = csrf(client, "/sign-in")
        sent = client.post("/sign-in", data={"csrf_token": token, "email": "bomb@example.org"})
        assert sent.status_code == 200
    token = csrf(client, "/sign-in")
    held = client.post("/sign-in", data={"csrf_token": token, "email": "Bomb@Example.org"})
    assert held.status_code == 429 and "Too many attempts" in held.text
    queued = session.scalars(select(Job).where(Job.task == "portal.send_sign_in_link")).all()
    assert len(queued) == LINKS_PER_EMAIL
