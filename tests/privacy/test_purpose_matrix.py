"""Role × purpose: each reader sees exactly the categories the purpose allows, the
rest marked withheld, and a purpose not open to them is refused."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.privacy.canary import CANARY_NOTE
from czrm.privacy.models import AccessLogEntry
from czrm.privacy.register import DEFAULT_REGISTER
from tests.factories import bearer
from tests.privacy.conftest import PRESENT, PrivacyWorld

ALLOWED = {spec.code: {c.value for c in spec.categories} for spec in DEFAULT_REGISTER}

# (reader, purpose or None for the role's default, expected status, purpose taken)
MATRIX = [
    ("agent", None, 200, "casework"),
    ("agent", "casework", 200, "casework"),
    ("agent", "housing_management", 403, None),
    ("agent", "fraud_investigation", 403, None),
    ("caseworker", "casework", 200, "casework"),
    ("caseworker", "housing_management", 403, None),
    ("caseworker", "adult_social_care", 403, None),
    ("housing_officer", "housing_management", 200, "housing_management"),
    ("housing_officer", "council_tax", 403, None),
    ("revenues_officer", "council_tax", 200, "council_tax"),
    ("care_worker", "adult_social_care", 200, "adult_social_care"),
    ("care_worker", "housing_management", 403, None),
    ("fraud_officer", "fraud_investigation", 200, "fraud_investigation"),
    ("dpo", None, 200, "subject_rights"),
    ("dpo", "casework", 403, None),
    ("admin", "identity_resolution", 200, "identity_resolution"),
    ("admin", "adult_social_care", 403, None),
    ("manager", "service_updates", 200, "service_updates"),
]


def _staff(pw: PrivacyWorld, name: str) -> Any:
    return getattr(pw, name, None) or getattr(pw.world, name)


def _withheld(value: Any) -> set[str]:
    """Every category marked withheld anywhere in a response."""
    found: set[str] = set()
    if isinstance(value, dict):
        if value.get("withheld") is True:
            found.add(value["category"])
        for item in value.values():
            found |= _withheld(item)
    elif isinstance(value, list):
        for item in value:
            found |= _withheld(item)
    return found


@pytest.mark.parametrize(("reader", "purpose", "status", "taken"), MATRIX)
def test_each_reader_sees_exactly_what_the_purpose_allows(
    client: TestClient,
    session: Session,
    pw: PrivacyWorld,
    reader: str,
    purpose: str | None,
    status: int,
    taken: str | None,
) -> None:
    query = f"?purpose={purpose}" if purpose else ""
    response = client.get(
        f"/api/v1/people/{pw.person.id}{query}", headers=bearer(session, _staff(pw, reader))
    )
    assert response.status_code == status, response.text
    logged = session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.person_id == pw.person.id)
    ).all()
    if status == 403:
        assert response.json()["code"] == "purpose_not_allowed"
        assert response.json()["purpose"] == purpose
        assert logged == []
        return
    assert taken is not None
    view = response.json()
    assert view["purpose"]["code"] == taken
    allowed = ALLOWED[taken]
    # What was shown is exactly the allowed part of what the person has ...
    assert len(logged) == 1
    assert set(logged[0].categories) == allowed & PRESENT
    assert logged[0].purpose_code == taken
    # ... and everything else is marked withheld, never dropped.
    assert _withheld(view) == PRESENT - allowed
    if "health_social_care" not in allowed:
        assert "dementia" not in response.text and "canary-note" not in response.text
    if "identity" in allowed:
        assert view["date_of_birth"] == "1919-09-19"
        assert view["identifiers"][0]["value"] == "••••••73D"


def test_special_category_data_only_under_a_special_condition(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    view = client.get(
        f"/api/v1/people/{pw.person.id}?purpose=adult_social_care",
        headers=bearer(session, pw.care_worker),
    ).json()
    assert view["communication_needs"]["notes"] == CANARY_NOTE
    assert view["source_records"]["systems"]["care"][0]["received"]["need"] == "dementia"
    # The tax system's own data is financial, which social care may see; its NI number is identity.
    assert view["source_records"]["systems"]["tax"][0]["received"]["ni_number"] == "WX918273D"
    casework = client.get(
        f"/api/v1/people/{pw.person.id}", headers=bearer(session, pw.world.agent)
    ).json()
    assert "care" not in casework["source_records"]["systems"]
    assert casework["source_records"]["withheld"] == [
        {"withheld": True, "category": "health_social_care"},
        {"withheld": True, "category": "financial"},
    ]
    assert casework["communication_needs"]["notes"] == {
        "withheld": True,
        "category": "health_social_care",
    }


def test_an_unknown_purpose_is_a_clear_422(
    client: TestClient, session: Session, pw: PrivacyWorld
) -> None:
    response = client.get(
        f"/api/v1/people/{pw.person.id}?purpose=curiosity", headers=bearer(session, pw.world.agent)
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "purpose"
    assert "casework" in body["errors"][0]["message"]
