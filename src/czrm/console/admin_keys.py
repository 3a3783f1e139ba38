"""Administration of Open311 client applications and their API keys: a key is
shown once, when it is made; afterwards only its prefix identifies it."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from czrm.auth.subject import Permission, Subject
from czrm.console import adminforms as forms
from czrm.console.deps import console_subject
from czrm.errors import CzrmError, FieldError, ValidationFailed
from czrm.kit import pages
from czrm.kit.i18n import N_
from czrm.kit.web import DbSession, ReadSession
from czrm.open311.clients import client_service

router = APIRouter(prefix="/console/admin/api-keys", include_in_schema=False)
LABELS = {"name": N_("Name of the application")}


def _page(
    request: Request,
    session: Session,
    subject: Subject,
    *,
    values: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> Response:
    return pages.render(
        request,
        "console/admin_keys.html",
        {
            "clients": client_service.list(session, subject),
            "values": values or {},
            "errors": errors or [],
            "field_errors": forms.by_field(errors or []),
        },
        status=422 if errors else 200,
    )


@router.get("")
def keys(request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.SERVICES_ADMIN)
    return _page(request, session, subject)


@router.post("")
def create_key(request: Request, session: DbSession, form: forms.Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.SERVICES_ADMIN)
    name = forms.text(form, "name")
    try:
        if not name:
            raise ValidationFailed([FieldError("name", N_("Enter the application's name"))])
        if len(name) > 200:
            raise ValidationFailed(
                [FieldError("name", N_("The name must be 200 characters or fewer"))]
            )
        with session.begin_nested():
            key, client = client_service.create(session, subject, name=name)
    except CzrmError as error:
        if error.status == 403:
            raise
        errors = forms.summary(request, error, forms.placer(request, LABELS, "name"))
        return _page(request, session, subject, values={"name": name}, errors=errors)
    return pages.render(
        request,
        "console/admin_key_created.html",
        {"client": client, "key": key},
        status=201,
        headers={"Cache-Control": "no-store"},
    )


@router.post("/{client_id}/revoke")
def revoke_key(
    client_id: uuid.UUID, request: Request, session: DbSession, form: forms.Form
) -> Response:
    """The key stops working at once; the application's past requests stay."""
    subject = console_subject(request, session)
    subject.require(Permission.SERVICES_ADMIN)
    client = client_service.get(session, subject, client_id)
    client_service.revoke(session, subject, client)
    return RedirectResponse(f"/console/admin/api-keys?revoked={client.key_prefix}", status_code=303)
