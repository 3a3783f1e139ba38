"""The review queue, cannot-links respected by later runs, and reversible merges/splits."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.auth.models import Role
from czrm.auth.subject import SYSTEM
from czrm.identity.exceptions import AlreadyDecided, CannotUndo
from czrm.identity.linking import link_all, person_of
from czrm.identity.merges import merge_service
from czrm.identity.models import IdentityLink, LinkMethod, MergeJournal, ReviewItem, ReviewStatus
from czrm.identity.review import review_service
from czrm.people.models import Person
from tests.factories import bearer, create_jurisdiction, create_staff, subject
from tests.identity.conftest import Loaded


def _links(session: Session) -> dict[int, tuple[object, ...]]:
    session.expire_all()
    return {
        k.source_record_id: (
            k.person_id,
            k.probability,
            k.method,
            k.decided_by,
            k.run_id,
            k.linked_at,
        )
        for k in session.scalars(select(IdentityLink))
    }


def _pending(session: Session, loaded: Loaded) -> list[ReviewItem]:
    return list(
        session.scalars(
            select(ReviewItem)
            .where(
                ReviewItem.jurisdiction_id == loaded.jurisdiction.id,
                ReviewItem.status == ReviewStatus.PENDING,
            )
            .order_by(ReviewItem.id)
        )
    )


@pytest.fixture
def reviewer(session: Session, loaded: Loaded):  # type: ignore[no-untyped-def]
    staff = create_staff(session, loaded.jurisdiction, [Role.CASEWORKER])
    return subject(session, staff)


def test_queue_shows_pairs_side_by_side_with_weights(
    session: Session, loaded: Loaded, reviewer
) -> None:  # type: ignore[no-untyped-def]
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    total, pairs = review_service.queue(session, reviewer, limit=5)
    assert total == len(_pending(session, loaded)) and len(pairs) == 5
    first = pairs[0]
    assert first.left["record_id"] == first.item.record_a_id
    assert first.left["person_id"] != first.right["person_id"]
    assert set(first.item.field_weights) == {
        "first_name",
        "surname",
        "date_of_birth",
        "postcode",
        "address_line_1",
        "email",
        "phone",
        "ni_number",
    }
    assert {"level", "weight"} == set(first.item.field_weights["first_name"])
    weights = [p.item.match_weight for p in pairs]
    assert weights == sorted(weights, reverse=True)


def test_accept_joins_the_pair_and_later_runs_keep_it(
    session: Session, loaded: Loaded, reviewer
) -> None:  # type: ignore[no-untyped-def]
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    item = _pending(session, loaded)[0]
    item_id = item.id
    a, b = item.record_a_id, item.record_b_id
    review_service.accept(session, reviewer, item_id, note="same person, checked by phone")
    assert person_of(session, a) == person_of(session, b)
    decided = session.get(ReviewItem, item_id)
    assert decided is not None
    assert decided.status == ReviewStatus.ACCEPTED and decided.decided_by_id == reviewer.staff_id
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    assert person_of(session, a) == person_of(session, b)
    with pytest.raises(AlreadyDecided):
        review_service.reject(session, reviewer, item_id)
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "review_accepted")).one()
    assert audit.entity_id == str(item_id)
    assert "phone" not in str(audit.details) and set(audit.details) == {"probability"}


def test_a_rejected_pair_stays_apart_on_relink(session: Session, loaded: Loaded, reviewer) -> None:  # type: ignore[no-untyped-def]
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    linked_pair = session.execute(
        select(IdentityLink.source_record_id, IdentityLink.person_id)
        .where(IdentityLink.method == LinkMethod.PROBABILISTIC)
        .order_by(IdentityLink.source_record_id)
    ).first()
    assert linked_pair is not None
    record_b, person = linked_pair
    record_a = session.scalars(
        select(IdentityLink.source_record_id).where(
            IdentityLink.person_id == person, IdentityLink.source_record_id != record_b
        )
    ).first()
    assert record_a is not None
    low, high = sorted((record_a, record_b))
    item = ReviewItem(
        jurisdiction_id=loaded.jurisdiction.id,
        record_a_id=low,
        record_b_id=high,
        probability=0.999,
        match_weight=12.0,
        field_weights={},
    )
    session.add(item)
    session.flush()
    review_service.reject(session, reviewer, item.id)
    assert person_of(session, low) != person_of(session, high)
    split = session.scalars(select(MergeJournal).where(MergeJournal.kind == "split")).one()
    assert split.from_person_id == person
    for _ in range(2):
        link_all(session, SYSTEM, loaded.jurisdiction.id)
        assert person_of(session, low) != person_of(session, high)


def test_defer_parks_an_item(session: Session, loaded: Loaded, reviewer) -> None:  # type: ignore[no-untyped-def]
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    item = _pending(session, loaded)[0]
    review_service.defer(session, reviewer, item.id)
    total, pairs = review_service.queue(session, reviewer, status=ReviewStatus.DEFERRED)
    assert total == 1 and pairs[0].item.id == item.id


def test_merge_then_undo_restores_exactly(session: Session, loaded: Loaded) -> None:
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    before = _links(session)
    counts: dict[object, int] = {}
    for person_id, *_ in before.values():
        counts[person_id] = counts.get(person_id, 0) + 1
    survivor, absorbed = [p for p, n in sorted(counts.items(), key=str) if n >= 2][:2]
    entry = merge_service.merge(
        session, SYSTEM, loaded.jurisdiction.id, survivor_id=survivor, absorbed_id=absorbed
    )
    after = _links(session)
    moved = [r for r, v in before.items() if v[0] == absorbed]
    assert moved and all(after[r][0] == survivor for r in moved)
    assert all(after[r][2] == LinkMethod.CLERICAL for r in moved)
    assert session.get(Person, absorbed).merged_into_id == survivor  # type: ignore[union-attr]
    # a batch run keeps the human decision
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    assert _links(session) == after
    merge_service.undo(session, SYSTEM, loaded.jurisdiction.id, entry.id)
    assert _links(session) == before
    assert session.get(Person, absorbed).merged_into_id is None  # type: ignore[union-attr]
    with pytest.raises(CannotUndo):
        merge_service.undo(session, SYSTEM, loaded.jurisdiction.id, entry.id)


def test_split_then_undo_restores_exactly(session: Session, loaded: Loaded) -> None:
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    before = _links(session)
    person, records = next(
        (p, sorted(r for r, v in before.items() if v[0] == p))
        for p in {v[0] for v in before.values()}
        if sum(v[0] == p for v in before.values()) >= 2
    )
    entry = merge_service.split(
        session, SYSTEM, loaded.jurisdiction.id, person_id=person, record_ids=[records[-1]]
    )
    assert person_of(session, records[-1]) == entry.to_person_id != person
    merge_service.undo(session, SYSTEM, loaded.jurisdiction.id, entry.id)
    assert _links(session) == before


def test_undo_refuses_when_records_moved_since(session: Session, loaded: Loaded) -> None:
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    persons = sorted({v[0] for v in _links(session).values()}, key=str)
    first = merge_service.merge(
        session, SYSTEM, loaded.jurisdiction.id, survivor_id=persons[0], absorbed_id=persons[1]
    )
    merge_service.merge(
        session, SYSTEM, loaded.jurisdiction.id, survivor_id=persons[2], absorbed_id=persons[0]
    )
    with pytest.raises(CannotUndo):
        merge_service.undo(session, SYSTEM, loaded.jurisdiction.id, first.id)


def test_review_api_needs_permission_and_jurisdiction(
    client: TestClient, session: Session, loaded: Loaded
) -> None:
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    item = _pending(session, loaded)[0]
    dpo = create_staff(session, loaded.jurisdiction, [Role.DPO])
    assert client.get("/api/v1/identity/reviews", headers=bearer(session, dpo)).status_code == 403
    assert (
        client.post(
            f"/api/v1/identity/reviews/{item.id}/accept", headers=bearer(session, dpo)
        ).status_code
        == 403
    )
    other = create_staff(session, create_jurisdiction(session), [Role.ADMIN])
    response = client.post(
        f"/api/v1/identity/reviews/{item.id}/reject", headers=bearer(session, other)
    )
    assert response.status_code == 404
    worker = create_staff(session, loaded.jurisdiction, [Role.CASEWORKER])
    headers = bearer(session, worker)
    listing = client.get("/api/v1/identity/reviews?page_size=2", headers=headers).json()
    assert listing["total"] == len(_pending(session, loaded))
    assert listing["items"][0]["left"]["system"] in {"tax", "housing", "library"}
    response = client.post(
        f"/api/v1/identity/reviews/{item.id}/accept", headers=headers, json={"note": "ok"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"
    assert response.json()["decided_by_id"] == str(worker.id)
    again = client.post(f"/api/v1/identity/reviews/{item.id}/accept", headers=headers)
    assert again.status_code == 409 and again.json()["code"] == "already_decided"


def test_merge_api_and_undo(client: TestClient, session: Session, loaded: Loaded) -> None:
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    persons = sorted({v[0] for v in _links(session).values()}, key=str)
    admin = create_staff(session, loaded.jurisdiction, [Role.ADMIN])
    headers = bearer(session, admin)
    agent = create_staff(session, loaded.jurisdiction, [Role.AGENT])
    body = {"survivor_id": str(persons[0]), "absorbed_id": str(persons[1])}
    refused = client.post("/api/v1/identity/merges", headers=bearer(session, agent), json=body)
    assert refused.status_code == 403
    merged = client.post("/api/v1/identity/merges", headers=headers, json=body)
    assert merged.status_code == 201, merged.text
    entry = merged.json()
    assert entry["kind"] == "merge" and entry["from_person_id"] == str(persons[1])
    undone = client.post(f"/api/v1/identity/journal/{entry['id']}/undo", headers=headers)
    assert undone.status_code == 200 and undone.json()["undone_at"] is not None
    other = create_staff(session, create_jurisdiction(session), [Role.ADMIN])
    assert (
        client.post(
            "/api/v1/identity/merges", headers=bearer(session, other), json=body
        ).status_code
        == 404
    )
