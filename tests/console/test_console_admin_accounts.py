"""Admin pages for staff accounts, Open311 API keys and the purposes register:
round trips are saved and audited; bad input names its field and writes nothing;
an administrator cannot lock themselves out."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.auth.models import StaffUser
from czrm.auth.passwords import verify_password
from czrm.auth.service import staff_service
from czrm.open311.clients import client_service
from czrm.open311.models import Open311Client
from czrm.privacy.models import Purpose
from tests.factories import World, audited
from tests.webtools import csrf, sign_in


def audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def summary_links(html: str) -> list[str]:
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert found, "no error summary"
    return re.findall(r'href="#([^"]+)"', found.group(1))


# ----- staff -----------------------------------------------------------------------------
def test_a_member_of_staff_is_created_with_a_password_shown_once(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, "/console/admin/staff/new")
    response = client.post(
        "/console/admin/staff/new",
        data={
            "csrf_token": token,
            "username": "r.jones",
            "display_name": "Rhian Jones",
            "email": "Rhian.Jones@example.org",
            "roles": ["caseworker", "manager"],
            "departments": "housing",
        },
    )
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    password = re.search(r'id="first-password">([^<]+)<', response.text)
    assert password
    staff = session.scalars(select(StaffUser).where(StaffUser.username == "r.jones")).one()
    assert staff.roles == ["caseworker", "manager"] and staff.email == "rhian.jones@example.org"
    assert staff_service.department_codes(session, staff.id) == ["housing"]
    assert verify_password(staff.password_hash, password.group(1))
    assert staff.totp_secret is None  # enrols at first sign-in
    assert len(audited(session, "staff_created", staff.id)) == 1
    assert password.group(1) not in client.get(f"/console/admin/staff/{staff.id}").text


def test_bad_staff_input_names_each_field_and_writes_nothing(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, "/console/admin/staff/new")
    before = audit_count(session)
    response = client.post(
        "/console/admin/staff/new",
        data={"csrf_token": token, "username": "Not Valid!", "display_name": "X", "email": "nope"},
    )
    assert response.status_code == 422
    assert summary_links(response.text) == ["username", "email", "roles"]
    assert "Roles: choose at least one" in response.text
    assert "E-mail address: enter an e-mail address like name@example.com" in response.text
    taken = client.post(
        "/console/admin/staff/new",
        data={
            "csrf_token": token,
            "username": "someone",
            "display_name": "Someone",
            "email": "someone@example.org",
            "roles": "agent",
            "departments": "nowhere",
        },
    )
    assert taken.status_code == 422 and summary_links(taken.text) == ["departments"]
    assert "Departments: unknown department nowhere" in taken.text
    again = client.post(
        "/console/admin/staff/new",
        data={
            "csrf_token": token,
            "username": world.manager.username,
            "display_name": "Someone",
            "email": "someone@example.org",
            "roles": "agent",
        },
    )
    assert again.status_code == 422 and summary_links(again.text) == ["username"]
    assert "That username is taken" in again.text
    count = session.scalar(
        select(func.count()).select_from(StaffUser).where(StaffUser.username == "someone")
    )
    assert count == 0 and audit_count(session) == before


def test_roles_and_departments_are_changed_and_audited(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    target = world.caseworker
    token = csrf(client, f"/console/admin/staff/{target.id}")
    done = client.post(
        f"/console/admin/staff/{target.id}",
        data={
            "csrf_token": token,
            "display_name": "Casey Worker",
            "roles": "manager",
            "departments": ["highways", "housing"],
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert target.roles == ["manager"] and target.display_name == "Casey Worker"
    assert staff_service.department_codes(session, target.id) == ["highways", "housing"]
    entry = audited(session, "staff_updated", target.id)[0]
    assert set(entry.details["fields"]) == {"roles", "display_name", "departments"}

    bad = client.post(
        f"/console/admin/staff/{target.id}",
        data={"csrf_token": token, "display_name": "", "departments": "nowhere"},
    )
    assert bad.status_code == 422
    assert summary_links(bad.text) == ["display_name", "roles"]
    session.refresh(target)
    assert target.roles == ["manager"] and target.display_name == "Casey Worker"


def test_an_account_is_deactivated_and_reactivated(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, f"/console/admin/staff/{world.agent.id}")
    off = client.post(
        f"/console/admin/staff/{world.agent.id}/active",
        data={"csrf_token": token, "active": "0"},
        follow_redirects=False,
    )
    assert off.status_code == 303 and not world.agent.is_active
    assert "can no longer sign in" in client.get(off.headers["location"]).text
    client.post(
        f"/console/admin/staff/{world.agent.id}/active", data={"csrf_token": token, "active": "1"}
    )
    assert world.agent.is_active
    assert len(audited(session, "staff_updated", world.agent.id)) == 2


def test_an_administrator_cannot_demote_or_disable_themselves(
    client: TestClient, session: Session, world: World
) -> None:
    me = world.admin
    sign_in(client, session, me)
    page = client.get(f"/console/admin/staff/{me.id}").text
    assert "Deactivate this account" not in page
    token = csrf(client, f"/console/admin/staff/{me.id}")
    demote = client.post(
        f"/console/admin/staff/{me.id}",
        data={"csrf_token": token, "display_name": me.display_name, "roles": "caseworker"},
    )
    assert demote.status_code == 422
    assert summary_links(demote.text) == ["roles"]
    assert "You cannot remove your own admin role" in demote.text
    disable = client.post(
        f"/console/admin/staff/{me.id}/active", data={"csrf_token": token, "active": "0"}
    )
    assert disable.status_code == 422 and summary_links(disable.text) == ["is_active"]
    assert "You cannot deactivate your own account" in disable.text
    session.refresh(me)
    assert me.roles == ["admin"] and me.is_active
    assert audited(session, "staff_updated", me.id) == []
    kept = client.post(
        f"/console/admin/staff/{me.id}",
        data={"csrf_token": token, "display_name": "Ada", "roles": ["admin", "dpo"]},
        follow_redirects=False,
    )
    assert kept.status_code == 303 and me.roles == ["admin", "dpo"]


# ----- API keys ---------------------------------------------------------------------------
def test_an_api_key_is_shown_once_then_only_its_prefix_and_is_revoked(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, "/console/admin/api-keys")
    made = client.post("/console/admin/api-keys", data={"csrf_token": token, "name": "FixMyStreet"})
    assert made.status_code == 201 and made.headers["cache-control"] == "no-store"
    found = re.search(r'id="api-key">([^<]+)<', made.text)
    assert found
    key = found.group(1)
    client_app = client_service.authenticate(session, key)
    assert client_app is not None and client_app.name == "FixMyStreet"
    listed = client.get("/console/admin/api-keys").text
    assert key not in listed and f"{client_app.key_prefix}…" in listed
    assert len(audited(session, "open311_client_created", client_app.id)) == 1
    revoked = client.post(
        f"/console/admin/api-keys/{client_app.id}/revoke",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert client_service.authenticate(session, key) is None
    assert len(audited(session, "open311_client_revoked", client_app.id)) == 1


def test_an_api_key_needs_a_name(client: TestClient, session: Session, world: World) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, "/console/admin/api-keys")
    response = client.post("/console/admin/api-keys", data={"csrf_token": token, "name": "  "})
    assert response.status_code == 422 and summary_links(response.text) == ["name"]
    assert "Enter the application&#39;s name" in response.text
    assert session.scalar(select(func.count()).select_from(Open311Client)) == 0


# ----- purposes ---------------------------------------------------------------------------
def purpose_form(token: str, **overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "code": "pest_control",
        "name": "Pest control",
        "description": "Treating infestations reported by residents.",
        "lawful_basis": "public_task",
        "categories": ["identity", "contact", "location"],
        "roles": ["caseworker"],
        "departments": ["HOUSING"],
        "retention": "2 years after the treatment",
        "retention_days": "730",
        "active": "on",
    }
    fields.update(overrides)
    return {"csrf_token": token, **fields}


def test_a_purpose_is_added_and_edited_by_the_dpo_and_audited(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.dpo)
    token = csrf(client, "/console/admin/purposes/new")
    done = client.post(
        "/console/admin/purposes/new", data=purpose_form(token), follow_redirects=False
    )
    assert done.status_code == 303, done.text
    purpose = session.scalars(select(Purpose).where(Purpose.code == "pest_control")).one()
    assert purpose.categories == ["identity", "contact", "location"]
    assert purpose.departments == ["HOUSING"] and purpose.retention_days == 730
    assert len(audited(session, "purpose_created", purpose.id)) == 1
    assert "Pest control" in client.get(done.headers["location"]).text

    edited = client.post(
        "/console/admin/purposes/pest_control",
        data=purpose_form(token, retention="3 years", retention_days="", roles=[]),
        follow_redirects=False,
    )
    assert edited.status_code == 303, edited.text
    assert purpose.retention == "3 years" and purpose.retention_days is None
    assert purpose.roles == []
    changes = audited(session, "purpose_updated", purpose.id)[0].details["changes"]
    assert changes["retention"] == ["2 years after the treatment", "3 years"]
    assert changes["roles"] == [["caseworker"], []]


def test_bad_purpose_input_names_each_field_and_writes_nothing(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    token = csrf(client, "/console/admin/purposes/casework")
    casework = session.scalars(select(Purpose).where(Purpose.code == "casework")).one()
    before = (casework.name, list(casework.categories), audit_count(session))
    response = client.post(
        "/console/admin/purposes/casework",
        data=purpose_form(token, name="", retention_days="forever"),
    )
    assert response.status_code == 422
    assert summary_links(response.text) == ["name", "retention_days"]
    special = client.post(
        "/console/admin/purposes/casework",
        data=purpose_form(token, categories=["identity", "health_social_care"]),
    )
    assert special.status_code == 422 and summary_links(special.text) == ["special_condition"]
    none = client.post("/console/admin/purposes/casework", data=purpose_form(token, categories=[]))
    assert none.status_code == 422 and summary_links(none.text) == ["categories"]
    session.refresh(casework)
    assert (casework.name, casework.categories, audit_count(session)) == before
    taken = client.post("/console/admin/purposes/new", data=purpose_form(token, code="casework"))
    assert taken.status_code == 422 and summary_links(taken.text) == ["code"]


def test_the_record_of_processing_downloads_as_json_and_csv(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.dpo)
    page = client.get("/console/admin/purposes").text
    assert 'href="/console/admin/purposes/record.json"' in page
    as_json = client.get("/console/admin/purposes/record.json")
    assert as_json.status_code == 200 and "attachment" in as_json.headers["content-disposition"]
    codes = [p["code"] for p in as_json.json()["purposes"]]
    assert "casework" in codes and "fraud_investigation" in codes
    as_csv = client.get("/console/admin/purposes/record.csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["code"] for r in rows] == codes
