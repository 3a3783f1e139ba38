"""The staff API takes and gives a service's Welsh and Arabic wording, and
refuses a language the catalogue does not have, naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.catalogue.models import Service
from tests.factories import World, bearer

TRANSLATIONS = {
    "cy": {
        "name": "Graffiti",
        "description": "Graffiti ar waliau neu gysgodfannau bysiau.",
        "group": "Glanhau strydoedd",
        "keywords": ["graffiti", "paent chwistrell"],
    },
    "ar": {"name": "الكتابة على الجدران", "keywords": ["غرافيتي"]},
}
QUESTION = {
    "code": "offensive",
    "datatype": "singlevaluelist",
    "required": True,
    "description": "Is it offensive?",
    "translations": {
        "cy": {"description": "Ydy’n sarhaus?"},
        "ar": {"description": "هل هي مسيئة؟"},
    },
    "values": [
        {"key": "yes", "name": "Yes", "translations": {"cy": "Ydy", "ar": "نعم"}},
        {"key": "no", "name": "No"},
    ],
}


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _create(client: TestClient, headers: dict[str, str], **extra: Any) -> Any:
    body = {
        "code": "GRAFFITI",
        "name": "Graffiti",
        "group": "Street cleaning",
        "department": "highways",
        "attributes": [QUESTION],
        "translations": TRANSLATIONS,
        **extra,
    }
    return client.post("/api/v1/services", headers=headers, json=body)


def test_translations_round_trip(client: TestClient, session: Session, world: World) -> None:
    admin = bearer(session, world.admin)
    created = _create(client, admin)
    assert created.status_code == 201, created.text
    assert created.json()["translations"] == TRANSLATIONS
    [question] = created.json()["attributes"]
    assert question["translations"] == QUESTION["translations"]
    assert question["values"] == [
        {"key": "yes", "name": "Yes", "translations": {"cy": "Ydy", "ar": "نعم"}},
        {"key": "no", "name": "No"},
    ]
    read = client.get("/api/v1/services/GRAFFITI", headers=bearer(session, world.agent)).json()
    assert read["translations"] == TRANSLATIONS

    # A PATCH replaces the translations; a blank field is dropped (it reads in English).
    changed = client.patch(
        "/api/v1/services/GRAFFITI",
        headers=admin,
        json={"translations": {"cy": {"name": "Graffiti ar wal", "description": ""}}},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["translations"] == {"cy": {"name": "Graffiti ar wal"}}
    stored = session.scalars(select(Service).where(Service.code == "GRAFFITI")).one()
    session.refresh(stored)
    assert stored.translations == {"cy": {"name": "Graffiti ar wal"}}
    # Untouched by a change to other fields.
    client.patch("/api/v1/services/GRAFFITI", headers=admin, json={"sla_hours": 12})
    session.refresh(stored)
    assert stored.translations == {"cy": {"name": "Graffiti ar wal"}}


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"translations": {"fr": {"name": "Tags"}}}, "translations", "'fr'"),
        ({"translations": {"en": {"name": "Tags"}}}, "translations", "'en'"),
        ({"translations": {"cy": {"colour": "coch"}}}, "translations.cy.colour", "Extra"),
        (
            {"attributes": [{**QUESTION, "translations": {"de": {"description": "Wie?"}}}]},
            "attributes.0.translations",
            "'de'",
        ),
        (
            {
                "attributes": [
                    {**QUESTION, "values": [{"key": "y", "name": "Y", "translations": {"x": "?"}}]}
                ]
            },
            "attributes.0.values.0.translations",
            "'x'",
        ),
    ],
)
def test_an_unknown_language_is_refused_naming_the_field(
    client: TestClient, session: Session, world: World, extra: dict, field: str, words: str
) -> None:
    response = _create(client, bearer(session, world.admin), **extra)
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == field
    assert words in error["message"]
    if words.startswith("'"):
        assert error["message"] == (
            f"{words} is not a language of the catalogue: use one of cy, ar"
        )
        assert error["code"] == "unknown_language"
    assert session.scalars(select(Service).where(Service.code == "GRAFFITI")).first() is None
