"""Administering teams: their names, managers, the default team of a department
and the area each one covers. Routing reads teams through a cache, so every
change here forgets it."""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.models import StaffUser
from czrm.auth.subject import Permission, Subject
from czrm.errors import Conflict, FieldError, ValidationFailed
from czrm.kit.i18n import N_
from czrm.org.models import Department, Team
from czrm.org.service import forget_cached

CODE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
UNSET: Any = object()


def _name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise ValidationFailed([FieldError("name", N_("Enter the team's name"))])
    if len(cleaned) > 200:
        raise ValidationFailed([FieldError("name", N_("The name must be 200 characters or fewer"))])
    return cleaned


def _manager(session: Session, jurisdiction_id: uuid.UUID, manager_id: uuid.UUID) -> StaffUser:
    staff = session.get(StaffUser, manager_id)
    if staff is None or staff.jurisdiction_id != jurisdiction_id or not staff.is_active:
        raise ValidationFailed(
            [FieldError("manager_id", N_("Choose a current member of staff as the manager"))]
        )
    return staff


class TeamService:
    def create(
        self, session: Session, subject: Subject, department: Department, *, code: str, name: str
    ) -> Team:
        subject.require(Permission.STAFF_ADMIN)
        code = code.strip()
        errors = []
        if not CODE.match(code):
            errors.append(
                FieldError("code", N_("Enter a code of letters, digits, dots, dashes or _"))
            )
        elif session.scalars(
            select(Team.id).where(Team.department_id == department.id, Team.code == code)
        ).first():
            errors.append(
                FieldError("code", N_("The department already has a team with this code"))
            )
        try:
            name = _name(name)
        except ValidationFailed as failed:
            errors.extend(failed.errors)
        if errors:
            raise ValidationFailed(errors)
        first = not session.scalars(
            select(Team.id).where(Team.department_id == department.id)
        ).first()
        team = Team(
            jurisdiction_id=subject.jurisdiction_id,
            department_id=department.id,
            code=code,
            name=name,
            is_default=first,
        )
        session.add(team)
        session.flush()
        forget_cached(session)
        record(
            session,
            subject.actor,
            action="team_created",
            entity_type="team",
            entity_id=team.id,
            jurisdiction_id=subject.jurisdiction_id,
            details={"code": code, "department_id": str(department.id)},
        )
        return team

    def update(
        self,
        session: Session,
        subject: Subject,
        team: Team,
        *,
        name: str = UNSET,
        manager_id: uuid.UUID | None = UNSET,
        is_default: bool = UNSET,
        area: dict[str, Any] | None = UNSET,
    ) -> Team:
        """``area`` comes checked by ``org.areas.parse_area``; None removes it."""
        subject.require(Permission.STAFF_ADMIN)
        if team.jurisdiction_id != subject.jurisdiction_id:
            raise Conflict("the team belongs to another council")
        changed: dict[str, Any] = {}
        if name is not UNSET and _name(name) != team.name:
            team.name = _name(name)
            changed["name"] = True
        if manager_id is not UNSET and manager_id != team.manager_id:
            if manager_id is not None:
                _manager(session, subject.jurisdiction_id, manager_id)
            team.manager_id = manager_id
            changed["manager_id"] = str(manager_id) if manager_id else None
        if is_default is not UNSET and is_default != team.is_default:
            if not is_default:
                raise ValidationFailed(
                    [
                        FieldError(
                            "is_default",
                            N_("Make another team the default instead: a department needs one"),
                        )
                    ]
                )
            for other in session.scalars(
                select(Team).where(Team.department_id == team.department_id, Team.id != team.id)
            ):
                other.is_default = False
            team.is_default = True
            changed["is_default"] = True
        if area is not UNSET and area != team.area:
            team.area = area
            changed["area"] = area["type"] if area else None
        if not changed:
            return team
        session.flush()
        forget_cached(session)
        record(
            session,
            subject.actor,
            action="team_updated",
            entity_type="team",
            entity_id=team.id,
            jurisdiction_id=subject.jurisdiction_id,
            details={"code": team.code, "changes": changed},
        )
        return team


team_service = TeamService()
