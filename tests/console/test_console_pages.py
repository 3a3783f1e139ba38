"""The staff console over HTTP: sign-in with a second factor, queues, the case page."""

from __future__ import annotations

import re
import time

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.auth import totp
from czrm.cases.models import CaseEvent, CaseStatus, EventType
from czrm.cases.service import case_service
from czrm.kit.ratelimit import SIGN_IN_PER_USER
from czrm.kit.time import utc_now
from tests.factories import PASSWORD, World, create_case
from tests.webtools import csrf, enrol, sign_in


def _password(client: TestClient, username: str, password: str = PASSWORD) -> object:
    token = csrf(client, "/console/sign-in")
    return client.post(
        "/console/sign-in",
        data={"csrf_token": token, "username": username, "password": password},
        follow_redirects=False,
    )


def test_pages_need_a_signed_in_session(client: TestClient, world: World) -> None:
    for path in ("/console", "/console/queue", "/console/cases/SR-2026-000001"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/console/sign-in?next=/console")


def test_wrong_password_keeps_username_and_says_so(client: TestClient, world: World) -> None:
    response = _password(client, world.caseworker.username, "wrong password!")
    assert response.status_code == 422
    assert "The username or password is not right" in response.text
    assert f'value="{world.caseworker.username}"' in response.text
    assert 'href="#username"' in response.text
    # A password alone opens nothing.
    assert client.get("/console/queue", follow_redirects=False).status_code == 303


def test_guessing_is_stopped_per_username_and_per_code(
    client: TestClient, session: Session, world: World
) -> None:
    for _ in range(SIGN_IN_PER_USER):
        assert _password(client, world.caseworker.username, "guess").status_code == 422
    stopped = _password(client, world.caseworker.username, PASSWORD)  # even the right one
    assert stopped.status_code == 429 and "Too many attempts" in stopped.text
    assert 'href="#username"' in stopped.text
    assert client.get("/console/queue", follow_redirects=False).status_code == 303
    # Another member of staff is not held up by it.
    assert _password(client, world.manager.username, PASSWORD).status_code == 303

    secret = enrol(session, world.manager)
    for _ in range(SIGN_IN_PER_USER):
        token = csrf(client, "/console/two-factor")
        wrong = client.post("/console/two-factor", data={"csrf_token": token, "code": "000000"})
        assert wrong.status_code == 422
    token = csrf(client, "/console/two-factor")
    right = pyotp.TOTP(secret).at(time.time())
    held = client.post("/console/two-factor", data={"csrf_token": token, "code": right})
    assert held.status_code == 429 and "Too many attempts" in held.text


def test_first_sign_in_enrols_a_second_factor(
    client: TestClient, session: Session, world: World
) -> None:
    staff = world.caseworker
    first = _password(client, staff.username)
    assert first.headers["location"] == "/console/two-factor/enrol"
    page = client.get("/console/two-factor/enrol")
    secret = re.search(r'id="secret" dir="ltr">([A-Z2-7]+)<', page.text)
    assert secret and "<svg" in page.text
    # Before enrolment completes, the console stays shut.
    assert client.get("/console/queue", follow_redirects=False).status_code == 303
    token = csrf(client, "/console/two-factor/enrol")
    wrong = client.post("/console/two-factor/enrol", data={"csrf_token": token, "code": "000000"})
    assert wrong.status_code == 422 and "The code is not right" in wrong.text
    done = client.post(
        "/console/two-factor/enrol",
        data={"csrf_token": token, "code": pyotp.TOTP(secret.group(1)).now()},
    )
    assert done.status_code == 200
    codes = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", done.text)
    assert len(codes) == totp.RECOVERY_CODES
    session.refresh(staff)
    assert staff.totp_secret == secret.group(1) and staff.totp_enrolled_at is not None
    assert staff.totp_recovery_digests and codes[0] not in staff.totp_recovery_digests
    assert client.get("/console/queue").status_code == 200


def test_second_factor_code_works_once_and_recovery_codes_once(
    client: TestClient, session: Session, world: World
) -> None:
    staff = world.manager
    secret = enrol(session, staff)
    used = pyotp.TOTP(secret).now()
    recovery = totp.confirm_enrolment(session, staff, secret, used)
    # The enrolment spent this code: it cannot sign in again.
    assert _password(client, staff.username).headers["location"] == "/console/two-factor"
    token = csrf(client, "/console/two-factor")
    replay = client.post("/console/two-factor", data={"csrf_token": token, "code": used})
    assert replay.status_code == 422
    assert "has been used" in replay.text
    ok = client.post(
        "/console/two-factor",
        data={"csrf_token": token, "code": recovery[0]},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/console"
    session.refresh(staff)
    assert len(staff.totp_recovery_digests) == totp.RECOVERY_CODES - 1
    assert not totp.verify(session, staff, recovery[0])
    actions = set(
        session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(staff.id)))
    )
    assert {"totp_enrolled", "totp_recovery_code_used"} <= actions


def test_totp_allows_one_step_of_drift_only(session: Session, world: World) -> None:
    staff = world.agent
    secret = enrol(session, staff)
    now = time.time()
    generator = pyotp.TOTP(secret)
    assert not totp.verify(session, staff, generator.at(now - 120), now=now)
    assert totp.verify(session, staff, generator.at(now - 30), now=now)
    assert totp.verify(session, staff, generator.at(now), now=now)
    assert not totp.verify(session, staff, "12345", now=now)


def test_sign_in_next_is_kept_but_never_leaves_the_console(
    client: TestClient, session: Session, world: World
) -> None:
    page = client.get("/console/sign-in?next=https://evil.example/")
    assert 'name="next" value="/console"' in page.text
    page = client.get("/console/sign-in?next=//evil.example/console")
    assert 'name="next" value="/console"' in page.text


def test_sign_out_ends_the_session(client: TestClient, session: Session, world: World) -> None:
    sign_in(client, session, world.caseworker)
    token = csrf(client, "/console/queue")
    client.post("/console/sign-out", data={"csrf_token": token})
    assert client.get("/console/queue", follow_redirects=False).status_code == 303


def test_queues_filter_by_view_and_keep_to_the_departments(
    client: TestClient, session: Session, world: World
) -> None:
    worker = world.subject(session, world.caseworker)
    mine = create_case(session, world.pothole, description="Mine to fix")
    case_service.assign(session, worker, mine, assignee_id=world.caseworker.id)
    waiting = create_case(session, world.pothole, description="Nobody has it")
    late = create_case(session, world.pothole, description="Long overdue")
    late.due_at = utc_now().replace(year=2020)
    other_department = create_case(session, world.pothole, description="x")
    other_department.department_id = world.housing.id
    session.flush()
    sign_in(client, session, world.caseworker)

    page = client.get("/console/queue?view=mine").text
    assert mine.reference in page and waiting.reference not in page
    page = client.get("/console/queue?view=unassigned").text
    assert waiting.reference in page and mine.reference not in page
    page = client.get("/console/queue?view=overdue").text
    assert late.reference in page and waiting.reference not in page and "Overdue" in page
    page = client.get("/console/queue?view=team").text
    assert {mine.reference, waiting.reference, late.reference} <= set(
        re.findall(r"SR-\d{4}-\d{6}", page)
    )
    assert other_department.reference not in page
    page = client.get("/console/queue?view=team&q=nobody").text
    assert waiting.reference in page and mine.reference not in page


def test_queue_pages_and_sorts(client: TestClient, session: Session, world: World) -> None:
    made = [create_case(session, world.pothole, description=f"case {i}") for i in range(27)]
    sign_in(client, session, world.caseworker)
    first = client.get("/console/queue?view=team&sort=-opened_at").text
    assert "27 cases" in first and "Page 1 of 2" in first
    assert made[-1].reference in first and made[0].reference not in first
    second = client.get("/console/queue?view=team&sort=-opened_at&page=2").text
    assert made[0].reference in second
    partial = client.get(
        "/console/queue?view=team&page=2", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert partial.text.lstrip().startswith('<div id="results"')
    assert client.get("/console/queue?view=everything").status_code == 400


def test_queue_without_permission(client: TestClient, session: Session, world: World) -> None:
    sign_in(client, session, world.dpo)
    response = client.get("/console/queue")
    assert response.status_code == 403
    assert "Sorry, you cannot do that" in response.text


def test_another_departments_case_is_not_found(
    client: TestClient, session: Session, world: World
) -> None:
    from tests.factories import create_service

    case = create_case(session, create_service(session, world.housing), attributes={})
    sign_in(client, session, world.caseworker)
    assert client.get(f"/console/cases/{case.reference}").status_code == 404
    token = csrf(client, "/console/queue")
    posted = client.post(
        f"/console/cases/{case.reference}/update", data={"csrf_token": token, "body": "hello"}
    )
    assert posted.status_code == 404


def test_case_page_works_a_case_to_closure(
    client: TestClient, session: Session, world: World
) -> None:
    case = create_case(session, world.pothole)
    sign_in(client, session, world.caseworker)
    page = client.get(f"/console/cases/{case.reference}").text
    # Only the allowed transitions are offered.
    offered = set(
        re.findall(
            r'<option value="([a-z_]+)"', page.split('name="status"')[1].split("</select>")[0]
        )
    )
    assert offered == {s.value for s in case_service_allowed(case.status)}
    assert 'value="reopened"' not in page.split('name="status"')[1].split("</select>")[0]
    token = csrf(client, f"/console/cases/{case.reference}")

    assigned = client.post(
        f"/console/cases/{case.reference}/assign",
        data={"csrf_token": token, "team_id": str(case.team_id), "assignee_id": "me"},
        follow_redirects=False,
    )
    assert assigned.status_code == 303
    assert case.assignee_id == world.caseworker.id

    client.post(
        f"/console/cases/{case.reference}/update", data={"csrf_token": token, "body": "Crew booked"}
    )
    client.post(
        f"/console/cases/{case.reference}/note",
        data={"csrf_token": token, "body": "Needs a road closure"},
    )
    closed = client.post(
        f"/console/cases/{case.reference}/transition",
        data={"csrf_token": token, "status": "fixed", "public_note": "Filled today"},
        follow_redirects=False,
    )
    assert closed.status_code == 303
    assert case.status == CaseStatus.FIXED and case.closed_at is not None
    events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)))
    kinds = {(e.type, e.public, e.body) for e in events}
    assert (EventType.PUBLIC_UPDATE, True, "Crew booked") in kinds
    assert (EventType.INTERNAL_NOTE, False, "Needs a road closure") in kinds
    assert (EventType.STATUS_CHANGED, True, "Filled today") in kinds
    page = client.get(f"/console/cases/{case.reference}").text
    assert "Needs a road closure" in page and "Internal" in page and "Public" in page
    # The public page shows the update, never the note.
    public = client.get(f"/requests/{case.reference}").text
    assert "Crew booked" in public and "Needs a road closure" not in public


def case_service_allowed(status: CaseStatus) -> frozenset[CaseStatus]:
    from czrm.cases.workflow import allowed_from

    return allowed_from(status)


def test_forbidden_transition_and_empty_update_are_shown_on_the_page(
    client: TestClient, session: Session, world: World
) -> None:
    case = create_case(session, world.pothole)
    sign_in(client, session, world.caseworker)
    token = csrf(client, f"/console/cases/{case.reference}")
    refused = client.post(
        f"/console/cases/{case.reference}/transition",
        data={"csrf_token": token, "status": "reopened"},
    )
    assert refused.status_code == 409
    assert "cannot become reopened" in refused.text and 'href="#status"' in refused.text
    assert case.status == CaseStatus.NEW
    empty = client.post(
        f"/console/cases/{case.reference}/update", data={"csrf_token": token, "body": "  "}
    )
    assert empty.status_code == 422 and 'href="#update-body"' in empty.text
    unknown = client.post(
        f"/console/cases/{case.reference}/transition",
        data={"csrf_token": token, "status": "flying"},
    )
    assert unknown.status_code == 422


def test_agent_cannot_change_status(client: TestClient, session: Session, world: World) -> None:
    case = create_case(session, world.pothole)
    sign_in(client, session, world.agent)
    page = client.get(f"/console/cases/{case.reference}").text
    assert "Change status" not in page and "Add internal note" in page
    token = csrf(client, f"/console/cases/{case.reference}")
    response = client.post(
        f"/console/cases/{case.reference}/transition", data={"csrf_token": token, "status": "fixed"}
    )
    assert response.status_code == 403
    assert case.status == CaseStatus.NEW


def test_console_forms_need_the_csrf_token(
    client: TestClient, session: Session, world: World
) -> None:
    case = create_case(session, world.pothole)
    sign_in(client, session, world.caseworker)
    response = client.post(f"/console/cases/{case.reference}/update", data={"body": "sneaky"})
    assert response.status_code == 403
    assert not [
        e
        for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))
        if e.body == "sneaky"
    ]
