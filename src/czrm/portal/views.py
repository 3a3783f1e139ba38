"""Citizen pages. Parse → call a service → render; every journey works without
JavaScript (the map only fills in two fields a visitor can also type)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from czrm.auth.subject import Actor
from czrm.cases import repository as cases_repository
from czrm.cases import satisfaction, workflow
from czrm.cases.models import Case, Channel
from czrm.cases.service import CaseIntake, Location, case_service
from czrm.catalogue.attributes import validate_answers
from czrm.catalogue.localise import LocalisedService, localised
from czrm.catalogue.models import Service
from czrm.catalogue.service import catalogue_service
from czrm.config import get_settings
from czrm.errors import FieldError, NotFound, ValidationFailed
from czrm.kit import i18n, pages
from czrm.kit.web import DbSession, ReadSession
from czrm.kit.websecurity import checked_form
from czrm.org.service import JurisdictionInfo, ward_areas
from czrm.people import service as people
from czrm.people.models import Party
from czrm.portal import forms
from czrm.portal import service as portal
from czrm.portal.forms import ReportForm

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(checked_form)]
CITIZEN_KEY = "citizen"


@dataclass(frozen=True)
class Visit:
    """Who the page is for: the council, and the signed-in person if any."""

    jurisdiction: JurisdictionInfo
    person_ids: list[uuid.UUID]
    person_name: str | None


def visit(request: Request, session: Session) -> Visit:
    info = portal.jurisdiction_for_portal(session)
    request.state.theme = portal.theme_for(info, portal.portal_settings(session, info.id))
    citizen = request.session.get(CITIZEN_KEY) or {}
    person_ids: list[uuid.UUID] = []
    preferred = None
    if citizen.get("jurisdiction") == str(info.id):
        person_ids = [uuid.UUID(citizen["person"])]
        preferred = citizen.get("language")
    pages.language_of(request, preferred)
    name = citizen.get("name") if person_ids else None
    request.state.citizen_name = name
    return Visit(info, person_ids, name)


def _citizen_actor(visit_: Visit) -> Actor:
    if visit_.person_ids:
        return Actor("citizen", str(visit_.person_ids[0]), visit_.person_name or "citizen")
    return Actor("citizen", None, "citizen (portal)")


def _in_page_language(request: Request, service: Service) -> LocalisedService:
    return localised(service, pages.current_language(request))


# ----- start, theme ----------------------------------------------------------------
@router.get("/")
def start(request: Request, session: ReadSession) -> Response:
    v = visit(request, session)
    return pages.render(request, "portal/start.html", {"signed_in": v.person_name})


@router.get("/theme.css")
def theme_css(request: Request, session: ReadSession) -> Response:
    """The council's colours over GOV.UK Frontend's; a stylesheet, so no inline style."""
    info = portal.jurisdiction_for_portal(session)
    settings = portal.portal_settings(session, info.id)
    brand = settings.brand_colour or "#0b0c0c"
    text = portal.text_colour_on(brand)
    css = (
        f":root{{--czrm-brand:{brand};--czrm-on-brand:{text}}}\n"
        f".czrm-header{{background:{brand};border-bottom-color:{brand}}}\n"
        f".czrm-header,.czrm-header .govuk-header__link,"
        f".czrm-header .govuk-header__link:visited{{color:{text}}}\n"
    )
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=300"})


# ----- report a problem ------------------------------------------------------------
@router.get("/report")
def choose_service(
    request: Request,
    session: ReadSession,
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    v = visit(request, session)
    language = pages.current_language(request)
    listed = catalogue_service.list(session, v.jurisdiction.id)
    needle = q.strip().lower()
    # The page language's words find a service, and so do its English ones.
    pairs = [(localised(s, language), localised(s, i18n.DEFAULT)) for s in listed]
    services = [
        shown
        for shown, english in pairs
        if not needle or shown.matches(needle) or english.matches(needle)
    ]
    services.sort(key=lambda s: (s.group.casefold(), s.name.casefold()))
    groups: dict[str, list[LocalisedService]] = {}
    for service in services:
        groups.setdefault(service.group, []).append(service)
    return pages.render(
        request, "portal/services.html", {"groups": groups, "q": q, "searched": bool(needle)}
    )


def _report_page(
    request: Request,
    service: Service,
    report: ReportForm,
    errors: list[FieldError],
    *,
    status: int = 200,
    settings: Any = None,
) -> Response:
    _ = pages.translator(pages.current_language(request))
    shown_service = _in_page_language(request, service)
    shown = [
        {
            "id": forms.field_id(e.field),
            "text": forms.message_for(e, shown_service, _),
        }
        for e in errors
    ]
    by_field: dict[str, str] = {}
    for item in shown:
        by_field.setdefault(item["id"], item["text"])
    app_settings = get_settings()
    return pages.render(
        request,
        "portal/report.html",
        {
            "service": shown_service,
            "service_name": shown_service.name,
            "report": report,
            "errors": shown,
            "field_errors": by_field,
            "attr_field": forms.attr_field,
            "tile_url": app_settings.map_tile_url,
            "tile_attribution": app_settings.map_tile_attribution,
            "map_centre": (settings.map_centre if settings else []) or [],
        },
        status=status,
    )


@router.get("/report/{code}")
def report_form(code: str, request: Request, session: ReadSession) -> Response:
    v = visit(request, session)
    service = catalogue_service.get_by_code(session, v.jurisdiction.id, code, active_only=True)
    settings = portal.portal_settings(session, v.jurisdiction.id)
    return _report_page(request, service, ReportForm(), [], settings=settings)


@router.get("/report/{code}/wards.json")
def ward_outlines(code: str, request: Request, session: ReadSession) -> Response:
    """The council's wards as GeoJSON for the map (drawn even when tiles cannot load)."""
    info = portal.jurisdiction_for_portal(session)
    catalogue_service.get_by_code(session, info.id, code, active_only=True)
    features = [
        {
            "type": "Feature",
            "properties": {"code": ward_code, "name": name},
            "geometry": area.__geo_interface__,
        }
        for ward_code, (name, area) in sorted(ward_areas(session, info.id).items())
    ]
    return JSONResponse({"type": "FeatureCollection", "features": features})


def _contact_errors(v: Visit, report: ReportForm, service: Service) -> list[FieldError]:
    """Contact details are needed unless the report is anonymous (where the service
    allows it) or the visitor is signed in; those given must look right."""
    if report.anonymous and service.allow_anonymous:
        return []
    errors = []
    if not (report.email or report.phone or v.person_ids):
        errors.append(FieldError("requester", "give an email or phone", code="required"))
    if report.email and ("@" not in report.email or "." not in report.email.split("@")[-1]):
        errors.append(FieldError("email", "not an email"))
    digits = people.normalise_phone(report.phone) if report.phone else ""
    if report.phone and not 6 <= len(digits) <= 20:
        errors.append(FieldError("phone", "not a phone number"))
    return errors


def _requester(session: Session, v: Visit, report: ReportForm) -> Party | None:
    """Anonymous, the signed-in person, or found or created from the contact details."""
    if report.anonymous:
        return None
    if v.person_ids and not (report.email or report.phone):
        return people.get_party(session, v.jurisdiction.id, v.person_ids[0])
    details = people.RequesterDetails(
        given_name=report.given_name or None,
        family_name=report.family_name or None,
        email=report.email or None,
        phone=report.phone or None,
    )
    return people.find_or_create_requester(session, v.jurisdiction.id, details)


@router.post("/report/{code}")
def submit_report(code: str, request: Request, session: DbSession, form: Form) -> Response:
    v = visit(request, session)
    service = catalogue_service.get_by_code(session, v.jurisdiction.id, code, active_only=True)
    settings = portal.portal_settings(session, v.jurisdiction.id)
    report = forms.read(form, service)
    errors = forms.store_photos(form, report)
    if not report.description:
        errors.append(FieldError("description", "describe it", code="required"))
    place, place_errors = portal.locate(
        session,
        v.jurisdiction.id,
        lat=report.number("lat"),
        long=report.number("long"),
        postcode=report.postcode,
    )
    errors.extend(place_errors)
    if place is None and not place_errors and not report.address:
        errors.append(FieldError("location", "where", code="required"))
    answers = forms.checked_answers(report, service, v.jurisdiction.timezone)
    try:
        validate_answers(service.attributes, answers)
    except ValidationFailed as failed:
        errors.extend(failed.errors)
    errors.extend(_contact_errors(v, report, service))
    if errors:
        return _report_page(request, service, report, errors, status=422, settings=settings)

    lat = place.lat if place else None
    long = place.long if place else None
    postcode = place.postcode if place else None
    if not report.confirmed_new:
        nearby = cases_repository.nearby_open(
            session, v.jurisdiction.id, service.id, lat=lat, long=long, postcode=postcode
        )
        if nearby:
            return pages.render(
                request,
                "portal/nearby.html",
                {
                    "service": service,
                    "service_name": _in_page_language(request, service).name,
                    "nearby": nearby,
                    "report": report,
                    "attr_field": forms.attr_field,
                    "distance": lambda c: (
                        round(cases_repository.distance_m(lat, long, c.lat, c.long))
                        if lat is not None and long is not None
                        else None
                    ),
                },
            )

    base = get_settings().public_base_url.rstrip("/")
    try:
        # A savepoint: a person created for a report that then fails is not kept.
        with session.begin_nested():
            intake = CaseIntake(
                service=service,
                channel=Channel.WEB,
                description=report.description,
                attributes=answers,
                location=Location(
                    lat=lat, long=long, address=report.address or None, postcode=postcode
                ),
                requester=_requester(session, v, report),
                media_urls=[f"{base}/open311/v2/media/{n}" for n in report.photo_names],
            )
            case = case_service.open(session, _citizen_actor(v), intake)
    except ValidationFailed as failed:
        return _report_page(request, service, report, failed.errors, status=422, settings=settings)
    portal.remember_reported(request.session, case)
    return RedirectResponse(f"/requests/{case.reference}/sent", status_code=303)


@router.get("/requests/{reference}/sent")
def report_sent(reference: str, request: Request, session: ReadSession) -> Response:
    v = visit(request, session)
    case = _case(session, v, reference)
    return pages.render(request, "portal/sent.html", {"case": case})


# ----- tracking ------------------------------------------------------------------------
@router.get("/track")
def track(
    request: Request,
    session: ReadSession,
    reference: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    visit(request, session)
    if reference.strip():
        parsed = cases_repository.parse_reference(reference)
        if parsed is not None:
            return RedirectResponse(f"/requests/{reference.strip().upper()}", status_code=303)
        return pages.render(
            request, "portal/track.html", {"reference": reference, "invalid": True}, status=422
        )
    return pages.render(request, "portal/track.html", {"reference": "", "invalid": False})


def _case(session: Session, v: Visit, reference: str) -> Case:
    case = cases_repository.get_public(session, v.jurisdiction.id, reference)
    if case is None:
        raise NotFound("request", reference)
    return case


def _request_page(
    request: Request,
    session: Session,
    v: Visit,
    case: Case,
    *,
    errors: list[dict[str, str]] | None = None,
    status: int = 200,
    comment: str = "",
) -> Response:
    service = session.get(Service, case.service_id)
    owner = portal.is_requester(request.session, case, v.person_ids)
    return pages.render(
        request,
        "portal/request.html",
        {
            "case": case,
            "service_name": _in_page_language(request, service).name if service else "",
            "timeline": cases_repository.timeline(session, case.id, public_only=True),
            "is_closed": workflow.is_closed(case.status),
            "owner": owner,
            "can_reopen": owner and workflow.is_closed(case.status),
            "can_rate": owner and satisfaction.can_rate(session, case),
            "rating": satisfaction.rating_for(session, case),
            "errors": errors or [],
            "comment": comment,
        },
        status=status,
    )


@router.get("/requests/{reference}")
def request_page(reference: str, request: Request, session: ReadSession) -> Response:
    v = visit(request, session)
    return _request_page(request, session, v, _case(session, v, reference))


def _owned_case(request: Request, session: Session, v: Visit, reference: str) -> Case:
    """The case, if this visitor is its requester; otherwise it does not exist for them."""
    case = _case(session, v, reference)
    if not portal.is_requester(request.session, case, v.person_ids):
        raise NotFound("request", reference)
    return case


@router.post("/requests/{reference}/reopen")
def reopen(reference: str, request: Request, session: DbSession, form: Form) -> Response:
    v = visit(request, session)
    case = _owned_case(request, session, v, reference)
    _ = pages.translator(pages.current_language(request))
    comment = str(form.get("comment") or "").strip()
    if not comment or len(comment) > 2000:
        text = (
            _("Tell us what is still wrong")
            if not comment
            else _("Your message must be 2,000 characters or fewer")
        )
        return _request_page(
            request,
            session,
            v,
            case,
            errors=[{"id": "comment", "text": text}],
            status=422,
            comment=comment,
        )
    if not workflow.is_closed(case.status):
        return RedirectResponse(f"/requests/{case.reference}", status_code=303)
    case_service.add_update_from_requester(
        session, _citizen_actor(v), case, body=comment, reopen=True
    )
    return RedirectResponse(f"/requests/{case.reference}?reopened=1", status_code=303)


@router.get("/requests/{reference}/rate")
def rate_form(reference: str, request: Request, session: ReadSession) -> Response:
    v = visit(request, session)
    case = _owned_case(request, session, v, reference)
    if not satisfaction.can_rate(session, case):
        return RedirectResponse(f"/requests/{case.reference}", status_code=303)
    return pages.render(
        request, "portal/rate.html", {"case": case, "errors": [], "score": "", "comment": ""}
    )


@router.post("/requests/{reference}/rate")
def rate(reference: str, request: Request, session: DbSession, form: Form) -> Response:
    v = visit(request, session)
    case = _owned_case(request, session, v, reference)
    _ = pages.translator(pages.current_language(request))
    score = str(form.get("score") or "")
    comment = str(form.get("comment") or "")
    if not satisfaction.can_rate(session, case):
        return RedirectResponse(f"/requests/{case.reference}", status_code=303)
    try:
        satisfaction.rate(session, _citizen_actor(v), case, score=score, comment=comment)
    except ValidationFailed as failed:
        messages = {
            "score": _("Choose how satisfied you are, from 1 to 5"),
            "comment": _("Your comment must be 2,000 characters or fewer"),
        }
        errors = [{"id": e.field, "text": messages[e.field]} for e in failed.errors]
        return pages.render(
            request,
            "portal/rate.html",
            {"case": case, "errors": errors, "score": score, "comment": comment},
            status=422,
        )
    return RedirectResponse(f"/requests/{case.reference}?rated=1", status_code=303)
