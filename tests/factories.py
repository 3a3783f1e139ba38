"""Typed factories for tests: small, explicit, overridable."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry
from czrm.auth.models import Role, StaffDepartment, StaffUser
from czrm.auth.passwords import hash_password
from czrm.auth.service import issue_token, subject_for
from czrm.auth.subject import Subject
from czrm.cases.models import Case, Channel
from czrm.cases.service import CaseIntake, Location, case_service
from czrm.catalogue.models import Service
from czrm.jobs import registry
from czrm.jobs import service as job_service
from czrm.jobs.models import Job, JobStatus
from czrm.org.models import Department, Jurisdiction, Team
from czrm.people.models import CommunicationNeeds, ContactKind, ContactPoint, Person

_n = itertools.count(1)
PASSWORD = "correct horse battery"
_HASH: list[str] = []

# A square around central Northmere, split into west and east halves.
WEST = {
    "type": "Polygon",
    "coordinates": [
        [[-1.56, 52.40], [-1.51, 52.40], [-1.51, 52.46], [-1.56, 52.46], [-1.56, 52.40]]
    ],
}
EAST = {
    "type": "Polygon",
    "coordinates": [
        [[-1.51, 52.40], [-1.46, 52.40], [-1.46, 52.46], [-1.51, 52.46], [-1.51, 52.40]]
    ],
}


def create_jurisdiction(session: Session, **overrides: Any) -> Jurisdiction:
    n = next(_n)
    values: dict[str, Any] = {
        "slug": f"council-{n}",
        "name": f"Test Council {n}",
        "timezone": "Europe/London",
    }
    values.update(overrides)
    jurisdiction = Jurisdiction(**values)
    session.add(jurisdiction)
    session.flush()
    return jurisdiction


def create_department(session: Session, jurisdiction: Jurisdiction, **overrides: Any) -> Department:
    n = next(_n)
    values: dict[str, Any] = {"code": f"dept-{n}", "name": f"Department {n}"}
    values.update(overrides)
    department = Department(jurisdiction_id=jurisdiction.id, **values)
    session.add(department)
    session.flush()
    return department


def create_team(session: Session, department: Department, **overrides: Any) -> Team:
    n = next(_n)
    values: dict[str, Any] = {"code": f"team-{n}", "name": f"Team {n}", "is_default": False}
    values.update(overrides)
    team = Team(jurisdiction_id=department.jurisdiction_id, department_id=department.id, **values)
    session.add(team)
    session.flush()
    return team


def create_service(session: Session, department: Department, **overrides: Any) -> Service:
    n = next(_n)
    values: dict[str, Any] = {
        "code": f"SVC_{n}",
        "name": f"Service {n}",
        "group": "Streets",
        "sla_hours": 16,
        "attributes": [],
        "allow_anonymous": True,
    }
    values.update(overrides)
    service = Service(
        jurisdiction_id=department.jurisdiction_id, department_id=department.id, **values
    )
    session.add(service)
    session.flush()
    return service


def create_staff(
    session: Session,
    jurisdiction: Jurisdiction,
    roles: list[Role],
    departments: list[Department] = (),  # type: ignore[assignment]
    **overrides: Any,
) -> StaffUser:
    n = next(_n)
    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    values: dict[str, Any] = {
        "username": f"user{n}",
        "display_name": f"User {n}",
        "email": f"user{n}@council.example",
        "password_hash": _HASH[0],
    }
    values.update(overrides)
    staff = StaffUser(jurisdiction_id=jurisdiction.id, roles=[r.value for r in roles], **values)
    session.add(staff)
    session.flush()
    for department in departments:
        session.add(StaffDepartment(staff_id=staff.id, department_id=department.id))
    session.flush()
    return staff


def subject(session: Session, staff: StaffUser) -> Subject:
    return subject_for(session, staff)


def bearer(session: Session, staff: StaffUser) -> dict[str, str]:
    secret, _ = issue_token(session, staff, "test")
    return {"Authorization": f"Bearer {secret}"}


def create_case(
    session: Session, service: Service, actor_subject: Subject | None = None, **overrides: Any
) -> Case:
    intake = CaseIntake(
        service=service,
        channel=overrides.pop("channel", Channel.PHONE),
        description=overrides.pop("description", "A pothole outside number 12"),
        attributes=overrides.pop("attributes", {}),
        location=overrides.pop("location", Location(lat=52.43, long=-1.50)),
        requester=overrides.pop("requester", None),
    )
    if actor_subject is not None:
        return case_service.open_for(session, actor_subject, intake)
    from czrm.auth.subject import SYSTEM

    return case_service.open(session, SYSTEM, intake)


class World:
    """Two departments with a service each, and staff in different roles."""

    def __init__(self, session: Session) -> None:
        self.jurisdiction = create_jurisdiction(session)
        self.highways = create_department(session, self.jurisdiction, code="highways")
        self.housing = create_department(session, self.jurisdiction, code="housing")
        self.west = create_team(session, self.highways, code="west", area=WEST)
        self.east = create_team(session, self.highways, code="east", area=EAST)
        self.hw_default = create_team(session, self.highways, code="general", is_default=True)
        self.housing_team = create_team(session, self.housing, code="repairs", is_default=True)
        self.pothole = create_service(session, self.highways, code="POTHOLE", name="Pothole")
        self.repair = create_service(
            session, self.housing, code="REPAIR", name="Housing repair", allow_anonymous=False
        )
        self.admin = create_staff(session, self.jurisdiction, [Role.ADMIN])
        self.agent = create_staff(session, self.jurisdiction, [Role.AGENT])
        self.caseworker = create_staff(
            session, self.jurisdiction, [Role.CASEWORKER], [self.highways]
        )
        self.manager = create_staff(session, self.jurisdiction, [Role.MANAGER], [self.highways])
        self.housing_officer = create_staff(
            session, self.jurisdiction, [Role.CASEWORKER], [self.housing]
        )
        self.dpo = create_staff(session, self.jurisdiction, [Role.DPO])
        self.west.manager_id = self.manager.id
        session.flush()

    def subject(self, session: Session, staff: StaffUser) -> Subject:
        return subject_for(session, staff)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def create_person(
    session: Session,
    jurisdiction: Jurisdiction,
    *,
    email: str | None = None,
    phone: str | None = None,
    postal: str | None = None,
    language: str = "en",
    digitally_excluded: bool = False,
    prefers_human: bool = False,
    **overrides: Any,
) -> Person:
    """A person with the contact points and communication needs asked for."""
    n = next(_n)
    values: dict[str, Any] = {
        "display_name": f"Person {n}",
        "given_name": "Person",
        "family_name": str(n),
    }
    values.update(overrides)
    person = Person(jurisdiction_id=jurisdiction.id, preferred_language=language, **values)
    session.add(person)
    session.flush()
    for kind, value in (
        (ContactKind.EMAIL, email),
        (ContactKind.PHONE, phone),
        (ContactKind.POSTAL, postal),
    ):
        if value:
            session.add(ContactPoint(party_id=person.id, kind=kind, value=value, preferred=True))
    if digitally_excluded or prefers_human:
        session.add(
            CommunicationNeeds(
                party_id=person.id,
                digitally_excluded=digitally_excluded,
                prefers_human=prefers_human,
            )
        )
    session.flush()
    return person


def run_jobs(session: Session, task: str) -> int:
    """Run the queued ``task`` jobs inside the test's own transaction, as a worker
    would after the commit; returns how many ran."""
    queued = session.scalars(
        select(Job).where(Job.task == task, Job.status == JobStatus.QUEUED).order_by(Job.id)
    ).all()
    for job in queued:
        registry.run(session, job.task, dict(job.args))
        job_service.mark_done(session, job.id)
    return len(queued)


def attach_requesters(session: Session) -> int:
    """Match the contact details kept on new requests to people (the worker's job)."""
    return run_jobs(session, "identity.attach_requester")


def audited(session: Session, action: str, entity_id: object) -> list[AuditEntry]:
    """The audit entries of ``action`` on one entity."""
    return list(
        session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == action, AuditEntry.entity_id == str(entity_id)
            )
        )
    )
