"""Admin pages for the service catalogue and for teams and their areas:
round trips are saved and audited; bad input names its field and writes nothing."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.catalogue.models import Service
from czrm.org import service as org
from czrm.org.models import Team
from tests.factories import World, audited
from tests.webtools import csrf, sign_in

# A square around (52.5, -1.5), longitude first as GeoJSON has it.
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-1.6, 52.4], [-1.4, 52.4], [-1.4, 52.6], [-1.6, 52.6], [-1.6, 52.4]]],
}


def summary_links(html: str) -> list[str]:
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert found, "no error summary"
    return re.findall(r'href="#([^"]+)"', found.group(1))


def service_form(token: str, **overrides: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "code": "BENCH",
        "name": "Broken bench",
        "description": "A bench in a park or street",
        "group": "Parks",
        "keywords": "seat, bench",
        "department": "highways",
        "sla_hours": "24",
        "allow_anonymous": "on",
        "active": "on",
        "questions": "2",
        "q-0-code": "damage",
        "q-0-description": "What is wrong?",
        "q-0-datatype": "singlevaluelist",
        "q-0-required": "on",
        "q-0-values": "slats | Broken slats\ngraffiti | Graffiti",
        "q-1-code": "",
        "q-1-description": "",
        "q-1-datatype": "string",
    }
    form.update(overrides)
    return form


def test_a_service_is_created_edited_and_audited(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, "/console/admin/services/new")
    done = client.post(
        "/console/admin/services/new", data=service_form(token), follow_redirects=False
    )
    assert done.status_code == 303, done.text
    service = session.scalars(select(Service).where(Service.code == "BENCH")).one()
    assert (service.name, service.group, service.sla_hours) == ("Broken bench", "Parks", 24)
    assert service.keywords == ["seat", "bench"] and service.department_id == world.highways.id
    assert service.allow_anonymous and service.active
    assert service.attributes[0]["code"] == "damage" and service.attributes[0]["required"]
    assert service.attributes[0]["values"] == [
        {"key": "slats", "name": "Broken slats"},
        {"key": "graffiti", "name": "Graffiti"},
    ]
    assert len(service.attributes) == 1  # the blank row is ignored
    assert len(audited(session, "service_created", service.id)) == 1
    listed = client.get(done.headers["location"]).text
    assert "Service BENCH saved." in listed and "Parks" in listed

    page = client.get("/console/admin/services/BENCH").text
    assert 'value="Broken bench"' in page and "slats | Broken slats" in page
    edited = client.post(
        "/console/admin/services/BENCH",
        data=service_form(
            token,
            name="Damaged bench",
            department="housing",
            allow_anonymous="",
            **{
                "q-0-remove": "on",
                "q-1-code": "photo_taken",
                "q-1-description": "Did you take a photo?",
                "q-1-datatype": "multivaluelist",
                "q-1-values": "yes\nno",
            },
        ),
        follow_redirects=False,
    )
    assert edited.status_code == 303, edited.text
    session.refresh(service)
    assert service.name == "Damaged bench" and service.department_id == world.housing.id
    assert not service.allow_anonymous
    assert [a["code"] for a in service.attributes] == ["photo_taken"]
    assert service.attributes[0]["values"] == [
        {"key": "yes", "name": "yes"},
        {"key": "no", "name": "no"},
    ]
    assert audited(session, "service_updated", service.id)[0].details["code"] == "BENCH"


def test_bad_service_input_names_each_field_and_writes_nothing(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, "/console/admin/services/new")
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    response = client.post(
        "/console/admin/services/new",
        data=service_form(token, code="no spaces", name="", sla_hours="soon", **{"q-0-values": ""}),
    )
    assert response.status_code == 422
    assert summary_links(response.text) == ["code", "name", "sla_hours", "q-0-values"]
    assert "Name: enter a value" in response.text
    assert "Target time (business hours): enter a whole number" in response.text
    assert 'id="sla_hours-error"' in response.text and 'value="soon"' in response.text
    assert session.scalars(select(Service).where(Service.code == "no spaces")).first() is None
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == before

    taken = client.post("/console/admin/services/new", data=service_form(token, code="POTHOLE"))
    assert taken.status_code == 422 and summary_links(taken.text) == ["code"]
    assert "A service with this code exists" in taken.text

    unknown = client.post(
        "/console/admin/services/POTHOLE", data=service_form(token, department="nowhere")
    )
    assert unknown.status_code == 422 and summary_links(unknown.text) == ["department"]
    session.refresh(world.pothole)
    assert world.pothole.name == "Pothole" and world.pothole.department_id == world.highways.id


def test_a_service_is_deactivated_and_reactivated(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, "/console/admin/services/POTHOLE")
    off = client.post(
        "/console/admin/services/POTHOLE/active",
        data={"csrf_token": token, "active": "0"},
        follow_redirects=False,
    )
    assert off.status_code == 303 and not world.pothole.active
    assert "Inactive" in client.get("/console/admin/services").text
    on = client.post(
        "/console/admin/services/POTHOLE/active", data={"csrf_token": token, "active": "1"}
    )
    assert on.status_code == 200 and world.pothole.active
    assert len(audited(session, "service_updated", world.pothole.id)) == 2


def test_a_team_area_is_saved_audited_and_routes_at_once(
    client: TestClient, session: Session, world: World
) -> None:
    inside = (52.5, -1.5)
    routing = org.routing_for(session, world.highways.id)  # now cached
    assert routing.team_for(*inside) == world.hw_default.id
    sign_in(client, session, world.admin)
    token = csrf(client, f"/console/admin/teams/{world.east.id}")
    done = client.post(
        f"/console/admin/teams/{world.east.id}",
        data={
            "csrf_token": token,
            "name": "East patch",
            "manager_id": str(world.manager.id),
            "area": json.dumps({"type": "Feature", "properties": {}, "geometry": SQUARE}),
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert world.east.area == SQUARE and world.east.name == "East patch"
    assert world.east.manager_id == world.manager.id
    assert org.routing_for(session, world.highways.id).team_for(*inside) == world.east.id
    entry = audited(session, "team_updated", world.east.id)[0]
    assert entry.details["changes"]["area"] == "Polygon"
    page = client.get(f"/console/admin/teams/{world.east.id}").text
    assert "-1.6, 52.4" in page and world.caseworker.display_name in page  # a member


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("{not json", "The area is not valid JSON"),
        ('{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}', "Polygon or MultiPolygon"),
        (
            '{"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}',
            "its edges cross",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[400000, 200000], [400100, 200000], '
            "[400100, 200100], [400000, 200000]]]}",
            "longitude and latitude in degrees",
        ),
        ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}', "The area"),
    ],
)
def test_a_bad_area_is_refused_naming_the_field(
    client: TestClient, session: Session, world: World, area: str, message: str
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, f"/console/admin/teams/{world.west.id}")
    before = world.west.area
    response = client.post(
        f"/console/admin/teams/{world.west.id}",
        data={"csrf_token": token, "name": "Renamed", "manager_id": "", "area": area},
    )
    assert response.status_code == 422
    assert summary_links(response.text) == ["area"]
    assert message in response.text
    session.refresh(world.west)
    assert world.west.area == before and world.west.name != "Renamed"
    assert audited(session, "team_updated", world.west.id) == []


def test_a_team_is_added_and_a_taken_code_is_refused(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, "/console/admin/teams/new?department=housing")
    done = client.post(
        "/console/admin/teams/new",
        data={"csrf_token": token, "department": "housing", "code": "gas", "name": "Gas safety"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    team = session.scalars(select(Team).where(Team.code == "gas")).one()
    assert team.department_id == world.housing.id and not team.is_default
    assert len(audited(session, "team_created", team.id)) == 1
    again = client.post(
        "/console/admin/teams/new",
        data={"csrf_token": token, "department": "housing", "code": "gas", "name": ""},
    )
    assert again.status_code == 422
    assert summary_links(again.text) == ["code", "name"]


def test_making_a_team_the_default_moves_the_default(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, f"/console/admin/teams/{world.west.id}")
    client.post(
        f"/console/admin/teams/{world.west.id}",
        data={
            "csrf_token": token,
            "name": world.west.name,
            "is_default": "on",
            "area": json.dumps(world.west.area),
        },
    )
    session.refresh(world.hw_default)
    assert world.west.is_default and not world.hw_default.is_default
    assert org.routing_for(session, world.highways.id).team_for(None, None) == world.west.id


def test_welsh_and_arabic_wording_is_saved_shown_and_kept(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, "/console/admin/services/new")
    form = service_form(
        token,
        **{
            "cy-name": "Mainc wedi torri",
            "cy-description": "Mainc mewn parc neu stryd",
            "cy-group": "Parciau",
            "cy-keywords": "mainc, sedd",
            "ar-name": "مقعد مكسور",
            "ar-keywords": "مقعد",
        },
    )
    done = client.post("/console/admin/services/new", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text
    service = session.scalars(select(Service).where(Service.code == "BENCH")).one()
    assert service.translations == {
        "cy": {
            "name": "Mainc wedi torri",
            "description": "Mainc mewn parc neu stryd",
            "group": "Parciau",
            "keywords": ["mainc", "sedd"],
        },
        "ar": {"name": "مقعد مكسور", "keywords": ["مقعد"]},
    }
    page = client.get("/console/admin/services/BENCH").text
    assert 'value="Mainc wedi torri" autocomplete="off" spellcheck="false" lang="cy"' in page
    assert 'value="مقعد مكسور" autocomplete="off" spellcheck="false" lang="ar" dir="rtl"' in page
    assert 'value="mainc, sedd"' in page

    # A question's and its choices' translations (set through the API) survive
    # an edit in the console while the choice keeps its key.
    service.attributes = [
        {
            **service.attributes[0],
            "translations": {"cy": {"description": "Beth sydd o’i le?"}},
            "values": [
                {
                    "key": "slats",
                    "name": "Broken slats",
                    "translations": {"cy": "Estyll wedi torri"},
                },
                {"key": "graffiti", "name": "Graffiti", "translations": {"cy": "Graffiti"}},
            ],
        }
    ]
    session.flush()
    edited = client.post(
        "/console/admin/services/BENCH",
        data={
            **form,
            "ar-name": "",
            "q-0-description": "What is broken?",
            "q-0-values": "slats | Broken slats\npaint | Paint",
        },
        follow_redirects=False,
    )
    assert edited.status_code == 303, edited.text
    session.refresh(service)
    assert service.translations["ar"] == {"keywords": ["مقعد"]}
    [question] = service.attributes
    assert question["description"] == "What is broken?"
    assert question["translations"] == {"cy": {"description": "Beth sydd o’i le?"}}
    assert question["values"] == [
        {"key": "slats", "name": "Broken slats", "translations": {"cy": "Estyll wedi torri"}},
        {"key": "paint", "name": "Paint"},
    ]


def test_a_too_long_translation_is_named_on_its_field(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, "/console/admin/services/new")
    response = client.post(
        "/console/admin/services/new", data=service_form(token, **{"ar-name": "ا" * 201})
    )
    assert response.status_code == 422
    assert summary_links(response.text) == ["ar-name"]
    assert "Arabic name:" in response.text
    assert session.scalars(select(Service).where(Service.code == "BENCH")).first() is None
