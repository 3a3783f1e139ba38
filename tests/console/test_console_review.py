"""Clerical review pages: the per-field explanation, decisions, and undoing a merge."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.identity.models import (
    IdentityLink,
    LinkMethod,
    MergeJournal,
    ReviewItem,
    ReviewStatus,
    SourceRecord,
    SourceSystem,
)
from czrm.org.models import Jurisdiction
from czrm.people.models import Person
from tests.factories import World, create_jurisdiction
from tests.webtools import csrf, sign_in

WEIGHTS = {
    "first_name": {"level": "exact", "weight": 3.5},
    "surname": {"level": "exact", "weight": 4.1},
    "date_of_birth": {"level": "different", "weight": -2.25},
}


def _pair(session: Session, jurisdiction: Jurisdiction) -> ReviewItem:
    system = SourceSystem(jurisdiction_id=jurisdiction.id, code="CTAX", name="Council tax")
    session.add(system)
    session.flush()
    records = []
    for n, born in ((1, "1980-02-01"), (2, "1981-02-01")):
        person = Person(
            jurisdiction_id=jurisdiction.id, display_name=f"Jo Bloggs {n}", preferred_language="en"
        )
        session.add(person)
        session.flush()
        record = SourceRecord(
            jurisdiction_id=jurisdiction.id,
            system_id=system.id,
            external_id=f"CT-{n}-{uuid.uuid4().hex[:6]}",
            first_name="jo",
            surname="bloggs",
            date_of_birth=date.fromisoformat(born),
            postcode="NM1 4AB",
        )
        session.add(record)
        session.flush()
        session.add(
            IdentityLink(
                source_record_id=record.id,
                person_id=person.id,
                probability=0.99,
                method=LinkMethod.PROBABILISTIC,
                decided_by="model",
            )
        )
        records.append(record)
    item = ReviewItem(
        jurisdiction_id=jurisdiction.id,
        record_a_id=records[0].id,
        record_b_id=records[1].id,
        probability=0.62,
        match_weight=0.7,
        field_weights=WEIGHTS,
        status=ReviewStatus.PENDING,
    )
    session.add(item)
    session.flush()
    return item


def test_the_pair_is_explained_field_by_field(
    client: TestClient, session: Session, world: World
) -> None:
    item = _pair(session, world.jurisdiction)
    sign_in(client, session, world.caseworker)
    listing = client.get("/console/reviews").text
    assert f"/console/reviews/{item.id}" in listing and "62.0%" in listing
    page = client.get(f"/console/reviews/{item.id}").text
    assert "1980-02-01" in page and "1981-02-01" in page
    assert "+4.10" in page and "-2.25" in page and "(against)" in page
    assert "match weight 0.70" in page


def test_accept_merges_and_the_merge_can_be_undone(
    client: TestClient, session: Session, world: World
) -> None:
    item = _pair(session, world.jurisdiction)
    links = {
        k.source_record_id: k.person_id
        for k in session.scalars(
            select(IdentityLink).where(
                IdentityLink.source_record_id.in_([item.record_a_id, item.record_b_id])
            )
        )
    }
    survivor, absorbed = links[item.record_a_id], links[item.record_b_id]
    sign_in(client, session, world.caseworker)
    token = csrf(client, f"/console/reviews/{item.id}")
    missing = client.post(f"/console/reviews/{item.id}", data={"csrf_token": token})
    assert missing.status_code == 409 and 'href="#decision"' in missing.text
    done = client.post(
        f"/console/reviews/{item.id}",
        data={"csrf_token": token, "decision": "accept", "note": "Same NI number on file"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert item.status == ReviewStatus.ACCEPTED and item.note == "Same NI number on file"
    assert session.get(Person, absorbed).merged_into_id == survivor  # type: ignore[union-attr]
    again = client.post(
        f"/console/reviews/{item.id}", data={"csrf_token": token, "decision": "reject"}
    )
    assert again.status_code == 409  # already decided, shown on the page
    entry = session.scalars(
        select(MergeJournal).where(MergeJournal.jurisdiction_id == world.jurisdiction.id)
    ).one()
    assert f"/console/merges/{entry.id}/undo" in client.get("/console/merges").text
    undone = client.post(
        f"/console/merges/{entry.id}/undo", data={"csrf_token": token}, follow_redirects=False
    )
    assert undone.status_code == 303
    assert session.get(Person, absorbed).merged_into_id is None  # type: ignore[union-attr]
    twice = client.post(f"/console/merges/{entry.id}/undo", data={"csrf_token": token})
    assert twice.status_code == 409 and "already been undone" in twice.text


def test_another_councils_pair_is_not_found(
    client: TestClient, session: Session, world: World
) -> None:
    item = _pair(session, create_jurisdiction(session))
    sign_in(client, session, world.caseworker)
    assert client.get(f"/console/reviews/{item.id}").status_code == 404
    token = csrf(client, "/console/queue")
    posted = client.post(
        f"/console/reviews/{item.id}", data={"csrf_token": token, "decision": "accept"}
    )
    assert posted.status_code == 404
    assert item.status == ReviewStatus.PENDING


def test_review_pages_without_permission(
    client: TestClient, session: Session, world: World
) -> None:
    item = _pair(session, world.jurisdiction)
    sign_in(client, session, world.agent)
    assert client.get("/console/reviews").status_code == 403
    assert client.get(f"/console/reviews/{item.id}").status_code == 403
    assert client.get("/console/merges").status_code == 403
