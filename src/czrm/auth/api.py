"""Sign-in tokens and staff administration."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from czrm.auth.deps import CurrentSubject
from czrm.auth.models import Role, StaffUser
from czrm.auth.schemas import (
    MeRead,
    StaffCreate,
    StaffRead,
    StaffUpdate,
    TokenRequest,
    TokenResponse,
)
from czrm.auth.service import authenticate, issue_token, revoke_token, staff_service
from czrm.auth.subject import Permission
from czrm.kit.web import DbSession

router = APIRouter(prefix="/api/v1", tags=["auth and staff"])


@router.post("/auth/token", response_model=TokenResponse)
def create_token(body: TokenRequest, session: DbSession) -> TokenResponse:
    """Exchange a staff username and password for a bearer token."""
    staff = authenticate(session, body.username, body.password, body.jurisdiction)
    secret, token = issue_token(session, staff, body.name)
    return TokenResponse(access_token=secret, expires_at=token.expires_at)


@router.delete("/auth/token", status_code=204)
def delete_token(request: Request, session: DbSession, subject: CurrentSubject) -> Response:
    """Sign out: the token used for this call stops working."""
    revoke_token(session, subject, request.state.token)
    return Response(status_code=204)


@router.get("/me", response_model=MeRead)
def me(subject: CurrentSubject) -> MeRead:
    return MeRead(
        id=subject.staff_id,
        username=subject.username,
        display_name=subject.display_name,
        roles=sorted(subject.roles),
        department_ids=sorted(subject.department_ids, key=str),
        jurisdiction_id=subject.jurisdiction_id,
    )


def _read(session: Session, staff: StaffUser) -> StaffRead:
    return StaffRead(
        id=staff.id,
        username=staff.username,
        display_name=staff.display_name,
        email=staff.email,
        roles=[Role(r) for r in staff.roles],
        is_active=staff.is_active,
        departments=staff_service.department_codes(session, staff.id),
        last_login_at=staff.last_login_at,
    )


@router.get("/staff", response_model=list[StaffRead])
def list_staff(session: DbSession, subject: CurrentSubject) -> list[StaffRead]:
    return [_read(session, s) for s in staff_service.list_all(session, subject)]


@router.post("/staff", status_code=201, response_model=StaffRead)
def create_staff(body: StaffCreate, session: DbSession, subject: CurrentSubject) -> StaffRead:
    subject.require(Permission.STAFF_ADMIN)
    staff = staff_service.create(
        session, subject.actor, subject.jurisdiction_id, **body.model_dump()
    )
    return _read(session, staff)


@router.get("/staff/{staff_id}", response_model=StaffRead)
def get_staff(staff_id: uuid.UUID, session: DbSession, subject: CurrentSubject) -> StaffRead:
    subject.require(Permission.STAFF_ADMIN)
    return _read(session, staff_service.get(session, subject, staff_id))


@router.patch("/staff/{staff_id}", response_model=StaffRead)
def update_staff(
    staff_id: uuid.UUID, body: StaffUpdate, session: DbSession, subject: CurrentSubject
) -> StaffRead:
    subject.require(Permission.STAFF_ADMIN)
    staff = staff_service.get(session, subject, staff_id)
    staff_service.update(session, subject, staff, **body.model_dump(exclude_unset=True))
    return _read(session, staff)
