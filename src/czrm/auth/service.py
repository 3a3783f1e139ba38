"""Signing in, tokens, and staff administration."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.models import ApiToken, Role, StaffDepartment, StaffUser
from czrm.auth.passwords import (
    MIN_PASSWORD,
    hash_password,
    needs_rehash,
    new_token,
    token_digest,
    verify_password,
)
from czrm.auth.subject import Actor, Permission, Subject
from czrm.config import get_settings
from czrm.errors import Conflict, FieldError, NotAuthenticated, NotFound, ValidationFailed
from czrm.kit.time import utc_now
from czrm.org.models import Department, Jurisdiction


def subject_for(session: Session, staff: StaffUser) -> Subject:
    departments = session.scalars(
        select(StaffDepartment.department_id).where(StaffDepartment.staff_id == staff.id)
    )
    return Subject(
        staff_id=staff.id,
        jurisdiction_id=staff.jurisdiction_id,
        username=staff.username,
        display_name=staff.display_name,
        roles=frozenset(Role(r) for r in staff.roles),
        department_ids=frozenset(departments),
    )


def authenticate(
    session: Session, username: str, password: str, jurisdiction: str | None = None
) -> StaffUser:
    """The same answer for an unknown user and a wrong password."""
    stmt = select(StaffUser).where(StaffUser.username == username, StaffUser.is_active.is_(True))
    if jurisdiction:
        stmt = stmt.join(Jurisdiction, Jurisdiction.id == StaffUser.jurisdiction_id).where(
            Jurisdiction.slug == jurisdiction
        )
    candidates = session.scalars(stmt.limit(2)).all()
    staff = candidates[0] if len(candidates) == 1 else None
    if not verify_password(staff.password_hash if staff else None, password) or staff is None:
        raise NotAuthenticated("wrong username or password")
    if staff.password_hash and needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    staff.last_login_at = utc_now()
    return staff


def issue_token(
    session: Session, staff: StaffUser, name: str, ttl: timedelta | None = None
) -> tuple[str, ApiToken]:
    """Returns the secret once; only its digest is stored."""
    secret = new_token()
    now = utc_now()
    ttl = ttl if ttl is not None else timedelta(hours=get_settings().token_ttl_hours)
    token = ApiToken(
        staff_id=staff.id,
        name=name[:200],
        token_digest=token_digest(secret),
        prefix=secret[:12],
        created_at=now,
        expires_at=now + ttl if ttl.total_seconds() > 0 else None,
    )
    session.add(token)
    session.flush()
    record(
        session,
        Actor("staff", str(staff.id), staff.display_name),
        action="token_issued",
        entity_type="api_token",
        entity_id=token.id,
        jurisdiction_id=staff.jurisdiction_id,
        details={"name": token.name, "expires_at": token.expires_at},
    )
    return secret, token


def subject_from_token(session: Session, secret: str) -> tuple[Subject, ApiToken]:
    # The token and its user in one statement: every staff API call asks.
    found = session.execute(
        select(ApiToken, StaffUser)
        .join(StaffUser, StaffUser.id == ApiToken.staff_id)
        .where(ApiToken.token_digest == token_digest(secret))
    ).first()
    now = utc_now()
    if (
        found is None
        or found.ApiToken.revoked_at is not None
        or (found.ApiToken.expires_at is not None and found.ApiToken.expires_at <= now)
    ):
        raise NotAuthenticated("the token is unknown, expired or revoked")
    token, staff = found.ApiToken, found.StaffUser
    if not staff.is_active:
        raise NotAuthenticated("the token's user is disabled")
    return subject_for(session, staff), token


def revoke_token(session: Session, subject: Subject, token: ApiToken) -> None:
    token.revoked_at = utc_now()
    record(
        session,
        subject.actor,
        action="token_revoked",
        entity_type="api_token",
        entity_id=token.id,
        jurisdiction_id=subject.jurisdiction_id,
    )


def _departments(
    session: Session, jurisdiction_id: uuid.UUID, codes: Iterable[str]
) -> list[Department]:
    wanted = list(dict.fromkeys(codes))
    found = session.scalars(
        select(Department).where(
            Department.jurisdiction_id == jurisdiction_id, Department.code.in_(wanted)
        )
    ).all()
    missing = sorted(set(wanted) - {d.code for d in found})
    if missing:
        raise ValidationFailed([FieldError("departments", f"unknown department {missing[0]}")])
    return list(found)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(
            [FieldError("password", f"must be at least {MIN_PASSWORD} characters")]
        )


class StaffService:
    def create(
        self,
        session: Session,
        actor: Actor,
        jurisdiction_id: uuid.UUID,
        *,
        username: str,
        display_name: str,
        email: str,
        password: str | None,
        roles: list[Role],
        departments: list[str],
    ) -> StaffUser:
        if session.scalars(
            select(StaffUser.id).where(
                StaffUser.jurisdiction_id == jurisdiction_id, StaffUser.username == username
            )
        ).first():
            raise Conflict(f"username {username} is taken", code="duplicate_username")
        if password is not None:
            _check_password(password)
        staff = StaffUser(
            jurisdiction_id=jurisdiction_id,
            username=username,
            display_name=display_name,
            email=email.strip().lower(),
            password_hash=hash_password(password) if password else None,
            roles=[Role(r).value for r in roles],
        )
        session.add(staff)
        session.flush()
        for department in _departments(session, jurisdiction_id, departments):
            session.add(StaffDepartment(staff_id=staff.id, department_id=department.id))
        session.flush()
        record(
            session,
            actor,
            action="staff_created",
            entity_type="staff_user",
            entity_id=staff.id,
            jurisdiction_id=jurisdiction_id,
            details={"roles": staff.roles, "departments": sorted(departments)},
        )
        return staff

    def update(
        self,
        session: Session,
        subject: Subject,
        staff: StaffUser,
        *,
        roles: list[Role] | None = None,
        departments: list[str] | None = None,
        is_active: bool | None = None,
        display_name: str | None = None,
        password: str | None = None,
    ) -> StaffUser:
        subject.require(Permission.STAFF_ADMIN)
        changed: list[str] = []
        if roles is not None:
            if (
                staff.id == subject.staff_id
                and Role.ADMIN.value in staff.roles
                and Role.ADMIN not in {Role(r) for r in roles}
            ):
                # Otherwise the last administrator could lock everyone out.
                raise Conflict("you cannot remove your own admin role", code="self_demote")
            staff.roles = [Role(r).value for r in roles]
            changed.append("roles")
        if display_name is not None:
            staff.display_name = display_name
            changed.append("display_name")
        if is_active is not None:
            if not is_active and staff.id == subject.staff_id:
                raise Conflict("you cannot disable your own account", code="self_disable")
            staff.is_active = is_active
            changed.append("is_active")
        if password is not None:
            _check_password(password)
            staff.password_hash = hash_password(password)
            changed.append("password")
        if departments is not None:
            found = _departments(session, subject.jurisdiction_id, departments)
            session.execute(delete(StaffDepartment).where(StaffDepartment.staff_id == staff.id))
            for department in found:
                session.add(StaffDepartment(staff_id=staff.id, department_id=department.id))
            changed.append("departments")
        session.flush()
        record(
            session,
            subject.actor,
            action="staff_updated",
            entity_type="staff_user",
            entity_id=staff.id,
            jurisdiction_id=subject.jurisdiction_id,
            details={"fields": changed, "roles": staff.roles, "is_active": staff.is_active},
        )
        return staff

    def get(self, session: Session, subject: Subject, staff_id: uuid.UUID) -> StaffUser:
        staff = session.get(StaffUser, staff_id)
        if staff is None or staff.jurisdiction_id != subject.jurisdiction_id:
            raise NotFound("staff member", staff_id)
        return staff

    def list_all(self, session: Session, subject: Subject) -> list[StaffUser]:
        subject.require(Permission.STAFF_ADMIN)
        return list(
            session.scalars(
                select(StaffUser)
                .where(StaffUser.jurisdiction_id == subject.jurisdiction_id)
                .order_by(StaffUser.username)
            )
        )

    def in_department(
        self, session: Session, jurisdiction_id: uuid.UUID, department_id: uuid.UUID
    ) -> list[StaffUser]:
        """Active staff who work the department's cases (for assignment)."""
        return list(
            session.scalars(
                select(StaffUser)
                .join(StaffDepartment, StaffDepartment.staff_id == StaffUser.id)
                .where(
                    StaffUser.jurisdiction_id == jurisdiction_id,
                    StaffDepartment.department_id == department_id,
                    StaffUser.is_active.is_(True),
                )
                .order_by(StaffUser.display_name)
            )
        )

    def department_codes_of_all(
        self, session: Session, jurisdiction_id: uuid.UUID
    ) -> dict[uuid.UUID, list[str]]:
        """Staff id -> the codes of their departments, for the whole council at once."""
        rows = session.execute(
            select(StaffDepartment.staff_id, Department.code)
            .join(Department, Department.id == StaffDepartment.department_id)
            .where(Department.jurisdiction_id == jurisdiction_id)
            .order_by(Department.code)
        )
        out: dict[uuid.UUID, list[str]] = {}
        for staff_id, code in rows:
            out.setdefault(staff_id, []).append(code)
        return out

    def department_codes(self, session: Session, staff_id: uuid.UUID) -> list[str]:
        return list(
            session.scalars(
                select(Department.code)
                .join(StaffDepartment, StaffDepartment.department_id == Department.id)
                .where(StaffDepartment.staff_id == staff_id)
                .order_by(Department.code)
            )
        )


staff_service = StaffService()
