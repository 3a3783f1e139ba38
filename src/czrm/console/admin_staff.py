"""Administration of staff accounts: who they are, their roles and departments,
switching an account off and on, and resetting a lost second factor. Through
``staff_service``, as ``/api/v1/staff`` is, so the same rules and audit apply
(an administrator cannot disable their own account or drop their own admin role).
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from czrm.auth import totp
from czrm.auth.models import Role, StaffUser
from czrm.auth.schemas import StaffCreate, StaffUpdate
from czrm.auth.service import staff_service
from czrm.auth.subject import Permission, Subject
from czrm.console import adminforms as forms
from czrm.console.deps import console_subject
from czrm.errors import Conflict, CzrmError, FieldError, ValidationFailed
from czrm.kit import pages
from czrm.kit.i18n import N_
from czrm.kit.web import DbSession, ReadSession
from czrm.org import service as org

router = APIRouter(prefix="/console/admin/staff", include_in_schema=False)
LABELS = {
    "username": N_("Username"),
    "display_name": N_("Name"),
    "email": N_("E-mail address"),
    "roles": N_("Roles"),
    "departments": N_("Departments"),
    "is_active": N_("Account"),
}
ROLE_LABELS = {
    Role.AGENT: N_("Contact-centre agent"),
    Role.CASEWORKER: N_("Caseworker"),
    Role.MANAGER: N_("Manager"),
    Role.DPO: N_("Data protection officer"),
    Role.ADMIN: N_("Administrator"),
}
# Business outcomes of staff_service, placed on the field they concern.
CONFLICTS = {
    "duplicate_username": ("username", N_("That username is taken")),
    "self_disable": ("is_active", N_("You cannot deactivate your own account")),
    "self_demote": ("roles", N_("You cannot remove your own admin role")),
}


def _on_field(error: CzrmError) -> CzrmError:
    if isinstance(error, Conflict) and error.code in CONFLICTS:
        field, message = CONFLICTS[error.code]
        return ValidationFailed([FieldError(field, message)])
    return error


@router.get("")
def staff_list(request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    staff = staff_service.list_all(session, subject)
    return pages.render(
        request,
        "console/admin_staff.html",
        {
            "staff": staff,
            "enrolled": {s.id for s in staff if totp.is_enrolled(s)},
            "departments": staff_service.department_codes_of_all(session, subject.jurisdiction_id),
        },
    )


def _form_page(
    request: Request,
    session: Session,
    subject: Subject,
    *,
    staff: StaffUser | None,
    values: dict[str, Any],
    errors: list[dict[str, str]] | None = None,
) -> Response:
    _ = pages.translator(pages.current_language(request))
    return pages.render(
        request,
        "console/admin_staff_member.html",
        {
            "member": staff,
            "values": values,
            "roles": [(r.value, _(label)) for r, label in ROLE_LABELS.items()],
            "departments": [
                (d.code, d.name) for d in org.departments(session, subject.jurisdiction_id)
            ],
            "is_me": staff is not None and staff.id == subject.staff_id,
            "enrolled": staff is not None and totp.is_enrolled(staff),
            "errors": errors or [],
            "field_errors": forms.by_field(errors or []),
        },
        status=422 if errors else 200,
        headers={"Cache-Control": "no-store"},
    )


def _failed(
    request: Request,
    session: Session,
    subject: Subject,
    error: CzrmError,
    staff: StaffUser | None,
    values: dict[str, Any],
) -> Response:
    if error.status == 403:
        raise error
    if staff is not None:
        session.expire(staff)  # drop any half-applied change
    place = forms.placer(request, LABELS, "display_name")
    errors = forms.summary(request, _on_field(error), place)
    return _form_page(request, session, subject, staff=staff, values=values, errors=errors)


@router.get("/new")
def new_member(request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.STAFF_ADMIN)
    values = {"roles": [Role.CASEWORKER.value], "departments": []}
    return _form_page(request, session, subject, staff=None, values=values)


@router.post("/new")
def create_member(request: Request, session: DbSession, form: forms.Form) -> Response:
    """The account gets a one-off password, shown once here for the administrator to
    hand over; the new member sets up their second factor when they first sign in."""
    subject = console_subject(request, session)
    subject.require(Permission.STAFF_ADMIN)
    values = {
        "username": forms.text(form, "username").lower(),
        "display_name": forms.text(form, "display_name"),
        "email": forms.text(form, "email"),
        "roles": forms.chosen(form, "roles"),
        "departments": forms.chosen(form, "departments"),
    }
    password = secrets.token_urlsafe(15)
    try:
        with session.begin_nested():
            checked = forms.validated(StaffCreate, {**values, "password": password})
            staff = staff_service.create(
                session, subject.actor, subject.jurisdiction_id, **checked.model_dump()
            )
    except CzrmError as error:
        return _failed(request, session, subject, error, None, values)
    return pages.render(
        request,
        "console/admin_staff_created.html",
        {"member": staff, "password": password},
        status=201,
        headers={"Cache-Control": "no-store"},
    )


def _member(request: Request, session: Session, staff_id: uuid.UUID) -> tuple[Subject, StaffUser]:
    """The signed-in administrator and the account they are working on."""
    subject = console_subject(request, session)
    subject.require(Permission.STAFF_ADMIN)
    return subject, staff_service.get(session, subject, staff_id)


def _stored_values(session: Session, staff: StaffUser) -> dict[str, Any]:
    """The form's fields as the account holds them now."""
    return {
        "display_name": staff.display_name,
        "roles": list(staff.roles),
        "departments": staff_service.department_codes(session, staff.id),
    }


@router.get("/{staff_id}")
def edit_member(staff_id: uuid.UUID, request: Request, session: ReadSession) -> Response:
    subject, staff = _member(request, session, staff_id)
    values = _stored_values(session, staff)
    return _form_page(request, session, subject, staff=staff, values=values)


@router.post("/{staff_id}")
def update_member(
    staff_id: uuid.UUID, request: Request, session: DbSession, form: forms.Form
) -> Response:
    subject, staff = _member(request, session, staff_id)
    values = {
        "display_name": forms.text(form, "display_name"),
        "roles": forms.chosen(form, "roles"),
        "departments": forms.chosen(form, "departments"),
    }
    try:
        with session.begin_nested():
            checked = forms.validated(StaffUpdate, values)
            staff_service.update(session, subject, staff, **checked.model_dump())
    except CzrmError as error:
        return _failed(request, session, subject, error, staff, values)
    return RedirectResponse(f"/console/admin/staff?saved={staff.username}", status_code=303)


@router.post("/{staff_id}/active")
def set_active(
    staff_id: uuid.UUID, request: Request, session: DbSession, form: forms.Form
) -> Response:
    """Deactivate (no sign-in, no API tokens) or reactivate an account."""
    subject, staff = _member(request, session, staff_id)
    active = forms.text(form, "active") == "1"
    values = _stored_values(session, staff)
    try:
        with session.begin_nested():
            if staff.is_active != active:
                staff_service.update(session, subject, staff, is_active=active)
    except CzrmError as error:
        return _failed(request, session, subject, error, staff, values)
    outcome = "reactivated" if active else "deactivated"
    return RedirectResponse(f"/console/admin/staff?{outcome}={staff.username}", status_code=303)


@router.post("/{staff_id}/reset-second-factor")
def reset_second_factor(
    staff_id: uuid.UUID, request: Request, session: DbSession, form: forms.Form
) -> Response:
    """For someone who lost their device and recovery codes: they enrol again at next sign-in."""
    subject, staff = _member(request, session, staff_id)
    if totp.is_enrolled(staff):
        totp.reset(session, subject.actor, staff)
    return RedirectResponse(f"/console/admin/staff?reset={staff.username}", status_code=303)
