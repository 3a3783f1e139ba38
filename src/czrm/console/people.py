"""Staff pages about people: search, the 360° view (asked for with a purpose),
and assisted digital — taking a phone or walk-in request for a caller in one
flow: find or create the person, then raise the case on their behalf."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from czrm.auth.subject import Permission, Subject
from czrm.cases.models import Channel
from czrm.cases.service import CaseIntake, Location, case_service
from czrm.catalogue.attributes import validate_answers
from czrm.catalogue.localise import localised
from czrm.catalogue.service import catalogue_service
from czrm.console.deps import console_subject
from czrm.errors import FieldError, NotFound, ValidationFailed
from czrm.identity.intake import resolve_requester
from czrm.kit import pages
from czrm.kit.i18n import DEFAULT
from czrm.kit.web import DbSession, ReadSession
from czrm.kit.websecurity import checked_form
from czrm.people import repository as people_repository
from czrm.people import service as people
from czrm.people.models import Person
from czrm.people.view import person_view
from czrm.portal import forms as report_forms
from czrm.portal import service as portal
from czrm.privacy.access_log import record_read
from czrm.privacy.categories import DataCategory
from czrm.privacy.models import AccessAction
from czrm.privacy.policy import purposes_open_to

router = APIRouter(prefix="/console", include_in_schema=False)
Form = Annotated[FormData, Depends(checked_form)]
ASSISTED_CHANNELS = (Channel.PHONE, Channel.WALK_IN, Channel.EMAIL, Channel.LETTER)


@router.get("/people")
def search(
    request: Request,
    session: DbSession,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.CASES_READ)
    found = _found(session, subject, q)
    return pages.render(
        request, "console/people.html", {"q": q, "people": found, "searched": bool(q.strip())}
    )


def _person(session: Session, subject: Subject, person_id: uuid.UUID) -> Person:
    person = people_repository.readable_person(session, subject, person_id)
    if person is None:
        raise NotFound("person", person_id)
    return person


def _found(session: Session, subject: Subject, q: str) -> list[Person]:
    """People matching the search; each one listed is a row in their access log."""
    if not q.strip():
        return []
    found = people_repository.search_persons(session, subject, q)
    record_read(
        session,
        subject,
        None,
        [p.id for p in found],
        categories=[DataCategory.IDENTITY, DataCategory.CONTACT],
        what="a search in the staff console",
        action=AccessAction.LISTED,
    )
    return found


@router.get("/people/{person_id}")
def view(
    person_id: uuid.UUID,
    request: Request,
    session: DbSession,
    purpose: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.CASES_READ)
    person = _person(session, subject, person_id)
    # Why the officer opens the record: a purpose of the register open to them.
    purposes = {p.code: p.name for p in purposes_open_to(session, subject)}
    if purpose not in purposes:
        return pages.render(
            request,
            "console/purpose.html",
            {
                "person": person,
                "purposes": purposes,
                "errors": [{"id": "purpose", "text": "Choose why you need this record"}]
                if purpose
                else [],
            },
            status=422 if purpose else 200,
        )
    data = person_view(session, subject, person_id, purpose=purpose)
    return pages.render(
        request,
        "console/person.html",
        {"view": data, "purpose": purposes[purpose], "purpose_key": purpose},
    )


# ----- assisted digital ---------------------------------------------------------------------
@router.get("/assist")
def assist_start(
    request: Request,
    session: DbSession,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Step 1: who is calling? Find them, or take their details."""
    subject = console_subject(request, session)
    subject.require(Permission.CASES_CREATE)
    found = _found(session, subject, q)
    return pages.render(
        request,
        "console/assist_find.html",
        {"q": q, "people": found, "searched": bool(q.strip()), "errors": [], "values": {}},
    )


@router.post("/assist/person")
def assist_new_person(request: Request, session: DbSession, form: Form) -> Response:
    """A caller the council does not know yet: found by contact details or created."""
    subject = console_subject(request, session)
    subject.require(Permission.CASES_CREATE)
    values = {
        k: str(form.get(k) or "").strip()[:200]
        for k in ("given_name", "family_name", "email", "phone")
    }
    errors = []
    if not (values["given_name"] or values["family_name"]):
        errors.append({"id": "given_name", "text": "Enter the caller's name"})
    if values["email"] and "@" not in values["email"]:
        errors.append({"id": "email", "text": "Enter an e-mail address like name@example.com"})
    if not errors:
        try:
            with session.begin_nested():
                person = resolve_requester(
                    session,
                    subject.actor,
                    subject.jurisdiction_id,
                    people.RequesterDetails(
                        given_name=values["given_name"] or None,
                        family_name=values["family_name"] or None,
                        email=values["email"] or None,
                        phone=values["phone"] or None,
                    ),
                )
        except ValidationFailed as failed:
            field = {"requester.email": "email", "requester.phone": "phone"}
            errors = [{"id": field.get(e.field, e.field), "text": e.message} for e in failed.errors]
    if errors:
        return pages.render(
            request,
            "console/assist_find.html",
            {"q": "", "people": [], "searched": False, "errors": errors, "values": values},
            status=422,
        )
    return RedirectResponse(f"/console/assist/{person.id}", status_code=303)


def _assist_page(
    request: Request,
    session: Session,
    subject: Subject,
    person: Any,
    service_code: str,
    *,
    report: report_forms.ReportForm | None = None,
    channel: str = "phone",
    errors: list[dict[str, str]] | None = None,
) -> Response:
    services = [
        s
        for s in catalogue_service.list(session, subject.jurisdiction_id)
        if subject.in_scope(s.department_id)
    ]
    service = next((s for s in services if s.code == service_code), None)
    shown = errors or []
    return pages.render(
        request,
        "console/assist_request.html",
        {
            "person": person,
            "services": services,
            "service": service,
            "report": report or report_forms.ReportForm(),
            "channel": channel,
            "channels": [c.value for c in ASSISTED_CHANNELS],
            "errors": shown,
            "field_errors": {e["id"]: e["text"] for e in reversed(shown)},
            "attr_field": report_forms.attr_field,
        },
        status=422 if shown else 200,
    )


@router.get("/assist/{person_id}")
def assist_request_form(
    person_id: uuid.UUID,
    request: Request,
    session: ReadSession,
    service: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """Step 2: what is it about? Choose the service, then answer its questions."""
    subject = console_subject(request, session)
    subject.require(Permission.CASES_CREATE)
    person = _person(session, subject, person_id)
    return _assist_page(request, session, subject, person, service)


@router.post("/assist/{person_id}")
def assist_raise(
    person_id: uuid.UUID, request: Request, session: DbSession, form: Form
) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.CASES_CREATE)
    person = _person(session, subject, person_id)
    code = str(form.get("service") or "")
    service = catalogue_service.get_by_code(
        session, subject.jurisdiction_id, code, active_only=True
    )
    report = report_forms.read(form, service)
    channel = str(form.get("channel") or "")
    errors: list[FieldError] = []
    if channel not in {c.value for c in ASSISTED_CHANNELS}:
        errors.append(FieldError("channel", "Choose how the request came in"))
    if not report.description:
        errors.append(FieldError("description", "Describe the problem"))
    place, place_errors = portal.locate(
        session, subject.jurisdiction_id, lat=None, long=None, postcode=report.postcode
    )
    errors.extend(place_errors)
    answers = report_forms.checked_answers(report, service, "Europe/London")
    try:
        validate_answers(service.attributes, answers)
    except ValidationFailed as failed:
        errors.extend(failed.errors)
    if not errors:
        try:
            with session.begin_nested():
                case = case_service.open_for(
                    session,
                    subject,
                    CaseIntake(
                        service=service,
                        channel=Channel(channel),
                        description=report.description,
                        attributes=answers,
                        location=Location(
                            lat=place.lat if place else None,
                            long=place.long if place else None,
                            address=report.address or None,
                            postcode=place.postcode if place else None,
                        ),
                        requester=person,
                        require_location=False,
                    ),
                )
        except ValidationFailed as failed:
            errors.extend(failed.errors)
    if errors:
        _ = pages.translator(pages.current_language(request))
        shown = [
            {
                "id": report_forms.field_id(e.field),
                # The console asks the questions as written (in English).
                "text": report_forms.message_for(e, localised(service, DEFAULT), _)
                if e.field not in ("channel", "description")
                else e.message,
            }
            for e in errors
        ]
        return _assist_page(
            request, session, subject, person, code, report=report, channel=channel, errors=shown
        )
    return RedirectResponse(f"/console/cases/{case.reference}", status_code=303)
