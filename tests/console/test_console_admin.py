"""Administration pages: resetting a lost second factor, checking the audit chain."""

from __future__ import annotations

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from czrm.auth import totp
from tests.factories import World, create_jurisdiction, create_staff
from tests.webtools import csrf, enrol, sign_in


def test_admin_resets_a_lost_second_factor(
    client: TestClient, session: Session, world: World
) -> None:
    lost = world.manager
    secret = enrol(session, lost)
    totp.confirm_enrolment(session, lost, secret, pyotp.TOTP(secret).now())
    sign_in(client, session, world.admin)
    page = client.get("/console/admin/staff").text
    assert f"/console/admin/staff/{lost.id}/reset-second-factor" in page
    token = csrf(client, "/console/admin/staff")
    done = client.post(
        f"/console/admin/staff/{lost.id}/reset-second-factor",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert not totp.is_enrolled(lost) and lost.totp_recovery_digests == []
    assert (
        f"{lost.username} will set up a new second factor"
        in client.get(done.headers["location"]).text
    )


def test_another_councils_staff_is_not_found(
    client: TestClient, session: Session, world: World
) -> None:
    stranger = create_staff(session, create_jurisdiction(session), [])
    enrol(session, stranger)
    sign_in(client, session, world.admin)
    token = csrf(client, "/console/admin/staff")
    response = client.post(
        f"/console/admin/staff/{stranger.id}/reset-second-factor", data={"csrf_token": token}
    )
    assert response.status_code == 404
    assert totp.is_enrolled(stranger)


def test_staff_admin_needs_the_permission(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.caseworker)
    assert client.get("/console/admin/staff").status_code == 403
    token = csrf(client, "/console/queue")
    response = client.post(
        f"/console/admin/staff/{world.caseworker.id}/reset-second-factor",
        data={"csrf_token": token},
    )
    assert response.status_code == 403
    assert client.get("/console/admin/audit").status_code == 403


def test_dpo_checks_the_audit_chain(client: TestClient, session: Session, world: World) -> None:
    sign_in(client, session, world.dpo)
    token = csrf(client, "/console/admin/audit")
    page = client.post("/console/admin/audit", data={"csrf_token": token})
    assert page.status_code == 200
    assert "The chain is intact." in page.text


def test_admin_retries_a_failed_job_and_never_sees_its_arguments(
    client: TestClient, session: Session, world: World
) -> None:
    from czrm.jobs.models import Job, JobStatus
    from czrm.kit.time import utc_now

    job = Job(
        task="portal.send_sign_in_link",
        args={"email": "private@example.org"},
        status=JobStatus.FAILED,
        attempts=5,
        max_attempts=5,
        run_at=utc_now(),
        created_at=utc_now(),
        last_error="MailError: relay unreachable\ntraceback",
    )
    session.add(job)
    session.flush()
    sign_in(client, session, world.admin)
    page = client.get("/console/admin/jobs?status=failed").text
    assert "portal.send_sign_in_link" in page and "relay unreachable" in page
    assert "private@example.org" not in page and "traceback" not in page
    token = csrf(client, "/console/admin/jobs")
    done = client.post(
        f"/console/admin/jobs/{job.id}/retry", data={"csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303
    assert job.status == JobStatus.QUEUED and job.attempts == 0
    again = client.post(f"/console/admin/jobs/{job.id}/retry", data={"csrf_token": token})
    assert again.status_code == 409


def test_jobs_page_needs_the_permission(client: TestClient, session: Session, world: World) -> None:
    sign_in(client, session, world.manager)
    assert client.get("/console/admin/jobs").status_code == 403
    token = csrf(client, "/console/queue")
    assert client.post("/console/admin/jobs/1/retry", data={"csrf_token": token}).status_code == 403
