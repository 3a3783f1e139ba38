"""The rules of a case's life: intake, routing, transitions, assignment,
updates and the SLA clock. Every change writes a timeline event and an audit
entry in the same transaction; services flush, the caller commits."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.models import StaffUser
from czrm.auth.subject import SYSTEM, Actor, Permission, Subject
from czrm.cases import repository, workflow
from czrm.cases.models import Case, CaseEvent, CaseStatus, Channel, EventType, Priority
from czrm.catalogue.attributes import validate_answers
from czrm.catalogue.models import Service, ServiceType
from czrm.communications.service import communication_service
from czrm.errors import FieldError, Forbidden, NotFound, ValidationFailed
from czrm.jobs.service import enqueue
from czrm.kit.business_time import business_minutes_between, due_at
from czrm.kit.time import utc_now
from czrm.org import service as org
from czrm.org.models import Team
from czrm.people.models import Party

MAX_DESCRIPTION = 4000
# Registered by czrm.identity.tasks, which depends on this module, not the reverse.
ATTACH_REQUESTER_TASK = "identity.attach_requester"


@dataclass
class Location:
    lat: float | None = None
    long: float | None = None
    address: str | None = None
    address_id: str | None = None
    postcode: str | None = None

    def check(self, path: str = "") -> list[FieldError]:
        errors = []
        if (self.lat is None) != (self.long is None):
            errors.append(FieldError(f"{path}lat", "lat and long must be given together"))
        if self.lat is not None and not -90 <= self.lat <= 90:
            errors.append(FieldError(f"{path}lat", "must be between -90 and 90"))
        if self.long is not None and not -180 <= self.long <= 180:
            errors.append(FieldError(f"{path}long", "must be between -180 and 180"))
        return errors

    @property
    def given(self) -> bool:
        return self.lat is not None or bool(self.address) or bool(self.address_id)


@dataclass
class CaseIntake:
    service: Service
    channel: Channel
    description: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    location: Location = field(default_factory=Location)
    requester: Party | None = None
    # Contact details not yet matched to a person: kept on the case, and a worker
    # finds or creates the person after the commit (see identity.intake).
    requester_contact: dict[str, Any] | None = None
    priority: Priority = Priority.NORMAL
    media_urls: list[str] = field(default_factory=list)
    require_location: bool = False
    allow_unknown_attributes: bool = False


def _event_values(
    case: Case,
    type: EventType,
    actor: Actor,
    *,
    public: bool = False,
    body: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    return {
        "case_id": case.id,
        "type": type,
        "occurred_at": at or utc_now(),
        "actor_staff_id": uuid.UUID(actor.id) if actor.kind == "staff" and actor.id else None,
        "actor_label": actor.label,
        "public": public,
        "body": body,
        "from_status": from_status,
        "to_status": to_status,
        "data": data or {},
    }


def _event(session: Session, case: Case, type: EventType, actor: Actor, **kw: Any) -> CaseEvent:
    event = CaseEvent(**_event_values(case, type, actor, **kw))
    session.add(event)
    return event


class CaseService:
    # ----- intake -------------------------------------------------------------
    def open(
        self,
        session: Session,
        actor: Actor,
        intake: CaseIntake,
        *,
        created_by: Subject | None = None,
    ) -> Case:
        """Validate, route to a department and team, start the SLA clock."""
        service = intake.service
        errors = intake.location.check()
        if intake.require_location and not intake.location.given:
            errors.append(FieldError("location", "a location is required: lat/long or address"))
        description = (intake.description or "").strip()
        if len(description) > MAX_DESCRIPTION:
            errors.append(FieldError("description", f"is longer than {MAX_DESCRIPTION} characters"))
        if not service.active:
            errors.append(FieldError("service_code", f"service {service.code} is not active"))
        if (
            intake.requester is None
            and not intake.requester_contact
            and not service.allow_anonymous
        ):
            errors.append(
                FieldError("requester", f"service {service.code} needs the requester's details")
            )
        try:
            answers = validate_answers(
                service.attributes, intake.attributes, allow_unknown=intake.allow_unknown_attributes
            )
        except ValidationFailed as failed:
            errors.extend(failed.errors)
            answers = {}
        if errors:
            raise ValidationFailed(errors)

        now = utc_now()
        loc = intake.location
        routing = org.routing_for(session, service.department_id)
        calendar = org.calendar_for(session, service.jurisdiction_id)
        case = repository.insert_case(
            session,
            jurisdiction_id=service.jurisdiction_id,
            service_id=service.id,
            requester_id=intake.requester.id if intake.requester else None,
            requester_contact=None if intake.requester else intake.requester_contact or None,
            channel=intake.channel,
            description=description,
            attributes=answers,
            media_urls=list(intake.media_urls),
            lat=loc.lat,
            long=loc.long,
            address=loc.address,
            address_id=loc.address_id,
            postcode=loc.postcode,
            status=CaseStatus.NEW,
            priority=intake.priority,
            department_id=service.department_id,
            team_id=routing.team_for(loc.lat, loc.long),
            opened_at=now,
            updated_at=now,
            due_at=due_at(calendar, now, service.sla_hours),
            paused_minutes=0,
            open311_token=secrets.token_hex(16) if service.type == ServiceType.BATCH else None,
            created_by_id=created_by.staff_id if created_by else None,
        )
        repository.insert_event(
            session,
            **_event_values(
                case,
                EventType.OPENED,
                actor,
                public=True,
                at=now,
                to_status=CaseStatus.NEW,
                data={"channel": case.channel},
            ),
        )
        record(
            session,
            actor,
            action="case_opened",
            entity_type="case",
            entity_id=case.id,
            jurisdiction_id=case.jurisdiction_id,
            details={
                "service": service.code,
                "channel": str(case.channel),
                "department_id": str(case.department_id),
                "team_id": str(case.team_id) if case.team_id else None,
                "anonymous": case.requester_id is None and case.requester_contact is None,
            },
        )
        if case.requester_contact is not None:
            # The person is found (or created) and acknowledged by a worker: intake
            # stays quick when requests arrive in a rush, and nothing given is lost.
            enqueue(
                session,
                ATTACH_REQUESTER_TASK,
                {"case_id": case.id},
                key=f"case-requester:{case.id}",
            )
        else:
            communication_service.case_event(session, case, "request_received")
        return case

    def open_for(self, session: Session, subject: Subject, intake: CaseIntake) -> Case:
        """Staff raising a case on a citizen's behalf (assisted digital)."""
        subject.require(Permission.CASES_CREATE)
        if not subject.in_scope(intake.service.department_id):
            raise Forbidden("this service belongs to a department outside your scope")
        return self.open(session, subject.actor, intake, created_by=subject)

    # ----- reading ------------------------------------------------------------
    def get(self, session: Session, subject: Subject, ref: str) -> Case:
        subject.require(Permission.CASES_READ)
        case = repository.get_readable(session, subject, ref)
        if case is None:
            raise NotFound("case", ref)
        return case

    # ----- changes ------------------------------------------------------------
    def transition(
        self,
        session: Session,
        subject: Subject,
        case: Case,
        to: CaseStatus,
        *,
        sub_status: str | None = None,
        public_note: str | None = None,
        internal_note: str | None = None,
        duplicate_of: str | None = None,
    ) -> Case:
        subject.require(Permission.CASES_UPDATE)
        self._settle_requester(session, case)
        workflow.check_transition(case.status, to)
        if to == CaseStatus.DUPLICATE:
            if not duplicate_of:
                raise ValidationFailed([FieldError("duplicate_of", "name the original case")])
            original = repository.get_readable(session, subject, duplicate_of)
            if original is None or original.id == case.id:
                raise ValidationFailed(
                    [FieldError("duplicate_of", f"{duplicate_of} is not a case you can see")]
                )
            case.duplicate_of_id = original.id
        self._apply_status(
            session, case, to, subject.actor, sub_status=sub_status, public_note=public_note
        )
        if internal_note:
            self._note(session, subject, case, internal_note, public=False)
        return case

    def _apply_status(
        self,
        session: Session,
        case: Case,
        to: CaseStatus,
        actor: Actor,
        *,
        sub_status: str | None = None,
        public_note: str | None = None,
    ) -> None:
        now = utc_now()
        previous = case.status
        calendar = org.calendar_for(session, case.jurisdiction_id)
        if case.paused_since is not None and not workflow.pauses_clock(to):
            case.paused_minutes += business_minutes_between(calendar, case.paused_since, now)
            case.paused_since = None
        if workflow.pauses_clock(to) and case.paused_since is None:
            case.paused_since = now
        service = session.get(Service, case.service_id)
        if service is not None:
            case.due_at = due_at(calendar, case.opened_at, service.sla_hours, case.paused_minutes)
        if workflow.is_closed(to):
            case.closed_at = now
        elif workflow.is_closed(previous):
            case.closed_at = None
        case.status = to
        case.sub_status = sub_status
        case.updated_at = now
        _event(
            session,
            case,
            EventType.STATUS_CHANGED,
            actor,
            public=True,
            at=now,
            from_status=previous,
            to_status=to,
            body=public_note,
            data={"sub_status": sub_status} if sub_status else None,
        )
        record(
            session,
            actor,
            action="case_status_changed",
            entity_type="case",
            entity_id=case.id,
            jurisdiction_id=case.jurisdiction_id,
            details={"from": str(previous), "to": str(to), "sub_status": sub_status},
        )
        communication_service.case_event(session, case, workflow.notice_for(to), note=public_note)

    def tell_requester_so_far(self, session: Session, case: Case) -> None:
        """A requester attached after staff had already moved the case on (the
        worker's half of an intake ran late) is told where it stands now, with the
        note of its latest status change, as they would have been at the time."""
        if case.status == CaseStatus.NEW:  # no transition leads back to new: never moved
            return
        latest = session.scalars(
            select(CaseEvent)
            .where(
                CaseEvent.case_id == case.id,
                CaseEvent.type == EventType.STATUS_CHANGED,
                CaseEvent.public.is_(True),
            )
            .order_by(CaseEvent.id.desc())
            .limit(1)
        ).first()
        if latest is not None:
            communication_service.case_event(
                session, case, workflow.notice_for(case.status), note=latest.body
            )

    @staticmethod
    def _settle_requester(session: Session, case: Case) -> None:
        """Before a change the requester is told of: while their contact details
        still wait for the worker, lock the case, so either the worker has attached
        them (and they are told now) or it runs after this commits (and tells them
        then, ``tell_requester_so_far``) — never neither."""
        if case.requester_id is None and case.requester_contact is not None:
            session.refresh(case, with_for_update=True)

    def assign(
        self,
        session: Session,
        subject: Subject,
        case: Case,
        *,
        team_id: uuid.UUID | None = None,
        assignee_id: uuid.UUID | None = None,
        unassign: bool = False,
    ) -> Case:
        subject.require(Permission.CASES_ASSIGN)
        if team_id is None and assignee_id is None and not unassign:
            raise ValidationFailed([FieldError("assignee_id", "give a team, an assignee or both")])
        if team_id is not None:
            team = org.get_team(session, subject.jurisdiction_id, team_id)
            if team.department_id != case.department_id and not subject.in_scope(
                team.department_id
            ):
                raise ValidationFailed(
                    [FieldError("team_id", "team is in a department outside your scope")]
                )
            case.team_id = team.id
            case.department_id = team.department_id
        if assignee_id is not None:
            staff = session.get(StaffUser, assignee_id)
            if (
                staff is None
                or staff.jurisdiction_id != subject.jurisdiction_id
                or not staff.is_active
            ):
                raise ValidationFailed([FieldError("assignee_id", "no such active staff member")])
            case.assignee_id = staff.id
        elif unassign:
            case.assignee_id = None
        case.updated_at = utc_now()
        _event(
            session,
            case,
            EventType.ASSIGNED,
            subject.actor,
            public=False,
            data={
                "team_id": str(case.team_id) if case.team_id else None,
                "assignee_id": str(case.assignee_id) if case.assignee_id else None,
            },
        )
        record(
            session,
            subject.actor,
            action="case_assigned",
            entity_type="case",
            entity_id=case.id,
            jurisdiction_id=case.jurisdiction_id,
            details={
                "team_id": str(case.team_id) if case.team_id else None,
                "assignee_id": str(case.assignee_id) if case.assignee_id else None,
            },
        )
        return case

    def add_public_update(
        self, session: Session, subject: Subject, case: Case, body: str
    ) -> CaseEvent:
        subject.require(Permission.CASES_UPDATE)
        return self._note(session, subject, case, body, public=True)

    def add_internal_note(
        self, session: Session, subject: Subject, case: Case, body: str
    ) -> CaseEvent:
        subject.require(Permission.CASES_NOTE)
        return self._note(session, subject, case, body, public=False)

    def _note(
        self, session: Session, subject: Subject, case: Case, body: str, *, public: bool
    ) -> CaseEvent:
        text = body.strip()
        if not text:
            raise ValidationFailed([FieldError("body", "is empty")])
        if len(text) > MAX_DESCRIPTION:
            raise ValidationFailed(
                [FieldError("body", f"is longer than {MAX_DESCRIPTION} characters")]
            )
        case.updated_at = utc_now()
        event = _event(
            session,
            case,
            EventType.PUBLIC_UPDATE if public else EventType.INTERNAL_NOTE,
            subject.actor,
            public=public,
            body=text,
        )
        session.flush()
        record(
            session,
            subject.actor,
            action="case_public_update" if public else "case_note_added",
            entity_type="case",
            entity_id=case.id,
            jurisdiction_id=case.jurisdiction_id,
            details={"event_id": event.id},
        )
        if public:
            communication_service.case_event(session, case, "public_update", note=text)
        return event

    def add_update_from_requester(
        self,
        session: Session,
        actor: Actor,
        case: Case,
        *,
        body: str | None,
        reopen: bool = False,
        data: dict[str, Any] | None = None,
        audit_details: dict[str, Any] | None = None,
    ) -> CaseEvent:
        """A citizen, or an app speaking for one, adds to the public timeline.

        They cannot progress or close a case — staff decide that — but saying
        "it's not fixed" reopens a closed one (SLA clock and audit as for staff).
        """
        if reopen:
            workflow.check_transition(case.status, CaseStatus.REOPENED)
            self._apply_status(session, case, CaseStatus.REOPENED, actor)
        case.updated_at = utc_now()
        event = _event(
            session,
            case,
            EventType.PUBLIC_UPDATE,
            actor,
            public=True,
            body=body,
            data={k: v for k, v in (data or {}).items() if v is not None},
        )
        session.flush()
        record(
            session,
            actor,
            action="case_public_update",
            entity_type="case",
            entity_id=case.id,
            jurisdiction_id=case.jurisdiction_id,
            details={"event_id": event.id, "reopened": reopen, **(audit_details or {})},
        )
        return event

    # ----- the SLA clock ------------------------------------------------------
    def mark_breaches(self, session: Session, now: datetime | None = None) -> int:
        """Mark each overdue case once and escalate it to its team's manager."""
        now = now or utc_now()
        cases = repository.due_for_breach(session, now)
        for case in cases:
            case.breached_at = now
            _event(
                session,
                case,
                EventType.SLA_BREACHED,
                SYSTEM,
                at=now,
                data={"due_at": case.due_at.isoformat() if case.due_at else None},
            )
            manager_id = self._manager_of(session, case)
            if manager_id is not None:
                case.escalated_to_id = manager_id
                _event(
                    session,
                    case,
                    EventType.ESCALATED,
                    SYSTEM,
                    at=now,
                    data={"manager_id": str(manager_id)},
                )
            record(
                session,
                SYSTEM,
                action="case_sla_breached",
                entity_type="case",
                entity_id=case.id,
                jurisdiction_id=case.jurisdiction_id,
                details={"escalated_to": str(manager_id) if manager_id else None},
            )
        session.flush()
        return len(cases)

    def _manager_of(self, session: Session, case: Case) -> uuid.UUID | None:
        if case.team_id is None:
            return None
        return session.scalar(select(Team.manager_id).where(Team.id == case.team_id))


case_service = CaseService()
