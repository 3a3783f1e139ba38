"""Administration of teams: each department's teams, their managers and
members, the default team, and the area each team covers (GeoJSON, shown on a
map when the browser can). A team's members are the department's staff: who
works its cases is set by department on the staff pages."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from czrm.auth.models import StaffUser
from czrm.auth.service import staff_service
from czrm.auth.subject import Permission, Subject
from czrm.config import get_settings
from czrm.console import adminforms as forms
from czrm.console.deps import console_subject
from czrm.errors import CzrmError, FieldError, ValidationFailed
from czrm.kit import pages
from czrm.kit.i18n import N_
from czrm.kit.web import DbSession, ReadSession
from czrm.org import service as org
from czrm.org.areas import parse_area
from czrm.org.models import Department, Team
from czrm.org.teams import team_service

router = APIRouter(prefix="/console/admin/teams", include_in_schema=False)
LABELS = {
    "code": N_("Code"),
    "name": N_("Name"),
    "department": N_("Department"),
    "manager_id": N_("Manager"),
    "is_default": N_("Default team"),
    "area": N_("Area"),
}


@router.get("")
def teams(request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.STAFF_ADMIN)
    departments = org.departments(session, subject.jurisdiction_id)
    rows = []
    names: dict[uuid.UUID, str] = {}
    for department in departments:
        members = staff_service.in_department(session, subject.jurisdiction_id, department.id)
        names.update({s.id: s.display_name for s in members})
        rows.append((department, org.teams_of(session, department.id), len(members)))
    return pages.render(
        request,
        "console/admin_teams.html",
        {"departments": rows, "names": _with_managers(session, names, rows)},
    )


def _with_managers(
    session: Session, names: dict[uuid.UUID, str], rows: list[tuple[Department, list[Team], int]]
) -> dict[uuid.UUID, str]:
    """Managers from outside the department are named too."""
    for _department, listed, _count in rows:
        for team in listed:
            if team.manager_id and team.manager_id not in names:
                manager = session.get(StaffUser, team.manager_id)
                names[team.manager_id] = manager.display_name if manager else "?"
    return names


def _department(session: Session, subject: Subject, code: str) -> Department:
    try:
        return org.get_department(session, subject.jurisdiction_id, code)
    except CzrmError as exc:
        raise ValidationFailed([FieldError("department", N_("Choose a department"))]) from exc


@router.get("/new")
def new_team(
    request: Request,
    session: ReadSession,
    department: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.STAFF_ADMIN)
    return _new_page(request, session, subject, {"department": department})


def _new_page(
    request: Request,
    session: Session,
    subject: Subject,
    values: dict[str, Any],
    errors: list[dict[str, str]] | None = None,
) -> Response:
    departments = org.departments(session, subject.jurisdiction_id)
    return pages.render(
        request,
        "console/admin_team_new.html",
        {
            "values": values,
            "departments": [(d.code, d.name) for d in departments],
            "errors": errors or [],
            "field_errors": forms.by_field(errors or []),
        },
        status=422 if errors else 200,
    )


@router.post("/new")
def create_team(request: Request, session: DbSession, form: forms.Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.STAFF_ADMIN)
    values = {k: forms.text(form, k) for k in ("department", "code", "name")}
    try:
        with session.begin_nested():
            department = _department(session, subject, values["department"])
            team = team_service.create(
                session, subject, department, code=values["code"], name=values["name"]
            )
    except CzrmError as error:
        if error.status == 403:
            raise
        errors = forms.summary(request, error, forms.placer(request, LABELS, "name"))
        return _new_page(request, session, subject, values, errors)
    return RedirectResponse(f"/console/admin/teams/{team.id}?created=1", status_code=303)


def _team_page(
    request: Request,
    session: Session,
    subject: Subject,
    team: Team,
    *,
    values: dict[str, Any],
    errors: list[dict[str, str]] | None = None,
) -> Response:
    department = session.get(Department, team.department_id)
    members = staff_service.in_department(session, subject.jurisdiction_id, team.department_id)
    managers = [(str(s.id), s.display_name) for s in members]
    if team.manager_id and str(team.manager_id) not in dict(managers):
        manager = session.get(StaffUser, team.manager_id)
        if manager is not None:
            managers.append((str(manager.id), manager.display_name))
    _ = pages.translator(pages.current_language(request))
    settings = get_settings()
    return pages.render(
        request,
        "console/admin_team.html",
        {
            "team": team,
            "department": department,
            "members": members,
            "managers": [("", _("No manager"))] + managers,
            "values": values,
            "tile_url": settings.map_tile_url,
            "tile_attribution": settings.map_tile_attribution,
            "errors": errors or [],
            "field_errors": forms.by_field(errors or []),
        },
        status=422 if errors else 200,
    )


@router.get("/{team_id}")
def edit_team(team_id: uuid.UUID, request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.STAFF_ADMIN)
    team = org.get_team(session, subject.jurisdiction_id, team_id)
    values = {
        "name": team.name,
        "manager_id": str(team.manager_id) if team.manager_id else "",
        "is_default": team.is_default,
        "area": json.dumps(team.area) if team.area else "",
    }
    return _team_page(request, session, subject, team, values=values)


def _manager_id(raw: str) -> uuid.UUID | None:
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise ValidationFailed(
            [FieldError("manager_id", N_("Choose a current member of staff as the manager"))]
        ) from exc


def _checked(values: dict[str, Any]) -> tuple[dict[str, Any] | None, uuid.UUID | None]:
    """The area and the manager, every problem with either reported at once."""
    errors: list[FieldError] = []
    area: dict[str, Any] | None = None
    manager_id: uuid.UUID | None = None
    if not values["name"]:
        errors.append(FieldError("name", N_("Enter the team's name")))
    try:
        area = parse_area(values["area"])
    except ValidationFailed as failed:
        errors.extend(failed.errors)
    try:
        manager_id = _manager_id(values["manager_id"])
    except ValidationFailed as failed:
        errors.extend(failed.errors)
    if errors:
        raise ValidationFailed(errors)
    return area, manager_id


@router.post("/{team_id}")
def update_team(
    team_id: uuid.UUID, request: Request, session: DbSession, form: forms.Form
) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.STAFF_ADMIN)
    team = org.get_team(session, subject.jurisdiction_id, team_id)
    values: dict[str, Any] = {
        "name": forms.text(form, "name"),
        "manager_id": forms.text(form, "manager_id"),
        "is_default": forms.ticked(form, "is_default"),
        "area": str(form.get("area") or ""),
    }
    try:
        with session.begin_nested():
            area, manager_id = _checked(values)
            team_service.update(
                session,
                subject,
                team,
                name=values["name"],
                manager_id=manager_id,
                is_default=values["is_default"],
                area=area,
            )
    except CzrmError as error:
        if error.status == 403:
            raise
        session.expire(team)  # drop any half-applied change
        errors = forms.summary(request, error, forms.placer(request, LABELS, "name"))
        return _team_page(request, session, subject, team, values=values, errors=errors)
    return RedirectResponse(f"/console/admin/teams?saved={team.id}", status_code=303)
