"""Administration of the register of processing: each purpose's lawful basis,
the data categories, roles and departments it opens, and how long data is
kept; and the Art. 30 record built from it. Only the data protection officer
and administrators use it; every change is audited by ``purpose_service``."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from czrm.auth.models import Role
from czrm.auth.subject import Permission, Subject
from czrm.console import adminforms as forms
from czrm.console.admin_staff import ROLE_LABELS
from czrm.console.deps import console_subject
from czrm.errors import Conflict, CzrmError, FieldError, ValidationFailed
from czrm.kit import pages
from czrm.kit.i18n import N_
from czrm.kit.web import DbSession
from czrm.org import service as org
from czrm.privacy.categories import DESCRIPTIONS, DataCategory
from czrm.privacy.models import ARTICLE_6, LawfulBasis, Purpose
from czrm.privacy.schemas import PurposeCreate, PurposeUpdate
from czrm.privacy.service import as_csv, purpose_service

router = APIRouter(prefix="/console/admin/purposes", include_in_schema=False)
LABELS = {
    "code": N_("Code"),
    "name": N_("Name"),
    "description": N_("Description"),
    "lawful_basis": N_("Lawful basis"),
    "special_condition": N_("Special category or criminal offence condition"),
    "legislation": N_("Legislation"),
    "categories": N_("Data categories"),
    "departments": N_("Departments"),
    "roles": N_("Roles"),
    "retention": N_("Retention"),
    "retention_days": N_("Retention in days"),
    "covert": N_("Covert"),
    "disclosure_delay_days": N_("Days before covert reads are shown to the person"),
    "active": N_("Active"),
}
OPTIONAL_TEXT = ("special_condition", "legislation")
OPTIONAL_NUMBERS = ("retention_days", "disclosure_delay_days")


@router.get("")
def purposes(request: Request, session: DbSession) -> Response:
    """DbSession: the first look installs the default register."""
    subject = console_subject(request, session)
    subject.require(Permission.PRIVACY_ADMIN)
    listed = sorted(purpose_service.list(session, subject), key=lambda p: p.name)
    return pages.render(
        request,
        "console/admin_purposes.html",
        {"purposes": listed, "bases": {b.value: t for b, t in ARTICLE_6.items()}},
    )


@router.get("/record.json")
def record_json(request: Request, session: DbSession) -> Response:
    subject = console_subject(request, session)
    body = purpose_service.record_of_processing(session, subject)
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="record-of-processing.json"'},
    )


@router.get("/record.csv")
def record_csv(request: Request, session: DbSession) -> Response:
    subject = console_subject(request, session)
    return Response(
        as_csv(purpose_service.record_of_processing(session, subject)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="record-of-processing.csv"'},
    )


def _values_of(purpose: Purpose) -> dict[str, Any]:
    return {
        "code": purpose.code,
        "name": purpose.name,
        "description": purpose.description,
        "lawful_basis": purpose.lawful_basis,
        "special_condition": purpose.special_condition or "",
        "legislation": purpose.legislation or "",
        "categories": list(purpose.categories),
        "departments": list(purpose.departments),
        "roles": list(purpose.roles),
        "retention": purpose.retention,
        "retention_days": "" if purpose.retention_days is None else str(purpose.retention_days),
        "covert": purpose.covert,
        "disclosure_delay_days": ""
        if purpose.disclosure_delay_days is None
        else str(purpose.disclosure_delay_days),
        "active": purpose.active,
    }


def _from_form(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: forms.text(form, name)
        for name in ("name", "description", "lawful_basis", "retention")
        + OPTIONAL_TEXT
        + OPTIONAL_NUMBERS
    }
    for name in ("categories", "departments", "roles"):
        values[name] = forms.chosen(form, name)
    values["covert"] = forms.ticked(form, "covert")
    values["active"] = forms.ticked(form, "active")
    return values


def _data(values: dict[str, Any]) -> dict[str, Any]:
    """What the schema checks: blanks in optional fields mean none."""
    data = {k: v for k, v in values.items() if k != "code"}
    for name in OPTIONAL_TEXT + OPTIONAL_NUMBERS:
        data[name] = data[name] or None
    if not data["lawful_basis"]:
        data["lawful_basis"] = None
    return data


def _form_page(
    request: Request,
    session: Session,
    subject: Subject,
    *,
    purpose: Purpose | None,
    values: dict[str, Any],
    errors: list[dict[str, str]] | None = None,
) -> Response:
    _ = pages.translator(pages.current_language(request))
    return pages.render(
        request,
        "console/admin_purpose.html",
        {
            "purpose": purpose,
            "values": values,
            "bases": [(b.value, _(ARTICLE_6[b])) for b in LawfulBasis],
            "categories": [(c.value, f"{c.value}: {_(DESCRIPTIONS[c])}") for c in DataCategory],
            "roles": [(r.value, _(ROLE_LABELS[r])) for r in Role],
            "departments": [
                (d.code.upper(), d.name) for d in org.departments(session, subject.jurisdiction_id)
            ],
            "errors": errors or [],
            "field_errors": forms.by_field(errors or []),
        },
        status=422 if errors else 200,
    )


def _save(
    request: Request,
    session: Session,
    subject: Subject,
    values: dict[str, Any],
    purpose: Purpose | None,
) -> Response:
    try:
        with session.begin_nested():
            if purpose is None:
                body = forms.validated(PurposeCreate, {**_data(values), "code": values["code"]})
                purpose = purpose_service.create(session, subject, body)
            else:
                update = forms.validated(PurposeUpdate, _data(values))
                purpose_service.update(session, subject, purpose.code, update)
    except CzrmError as error:
        if error.status == 403:
            raise
        if purpose is not None:
            session.expire(purpose)  # drop any half-applied change
        if isinstance(error, Conflict):
            error = ValidationFailed([FieldError("code", N_("A purpose with this code exists"))])
        errors = forms.summary(request, error, forms.placer(request, LABELS, "name"))
        return _form_page(request, session, subject, purpose=purpose, values=values, errors=errors)
    return RedirectResponse(f"/console/admin/purposes?saved={purpose.code}", status_code=303)


@router.get("/new")
def new_purpose(request: Request, session: DbSession) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.PRIVACY_ADMIN)
    values = {"active": True, "categories": [], "departments": [], "roles": []}
    return _form_page(request, session, subject, purpose=None, values=values)


@router.post("/new")
def create_purpose(request: Request, session: DbSession, form: forms.Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.PRIVACY_ADMIN)
    values = {**_from_form(form), "code": forms.text(form, "code")}
    return _save(request, session, subject, values, None)


@router.get("/{code}")
def edit_purpose(code: str, request: Request, session: DbSession) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.PRIVACY_ADMIN)
    purpose = purpose_service.get(session, subject, code)
    return _form_page(request, session, subject, purpose=purpose, values=_values_of(purpose))


@router.post("/{code}")
def update_purpose(code: str, request: Request, session: DbSession, form: forms.Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.PRIVACY_ADMIN)
    purpose = purpose_service.get(session, subject, code)
    return _save(request, session, subject, {**_from_form(form), "code": code}, purpose)
