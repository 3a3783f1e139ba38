"""Citizen sign-in by e-mail link, "my requests", "my details" and "my data"."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from czrm.audit.service import record
from czrm.auth.subject import Actor
from czrm.cases import repository as cases_repository
from czrm.cases import satisfaction
from czrm.catalogue.service import catalogue_service
from czrm.consent.models import ConsentKind, ContactChannel, DigestFrequency
from czrm.consent.schemas import ConsentIn, PreferencesIn
from czrm.consent.service import consent_service
from czrm.errors import NotAuthenticated, ValidationFailed
from czrm.kit import i18n, pages
from czrm.kit.i18n import N_
from czrm.kit.ratelimit import SIGN_IN_PER_ADDRESS, limiter
from czrm.kit.web import DbSession, ReadSession
from czrm.kit.websecurity import checked_form
from czrm.people import profile
from czrm.people import service as people
from czrm.people.models import CommunicationNeeds, Person
from czrm.portal import signin
from czrm.portal.service import REPORTED_KEY
from czrm.portal.views import CITIZEN_KEY, Visit, visit
from czrm.privacy.access_log import ACTION_TEXT, access_log_for_citizen
from czrm.privacy.categories import DESCRIPTIONS
from czrm.privacy.models import ARTICLE_6

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(checked_form)]
# Sign-in links asked for one address in a minute: enough for a slow inbox, not a mail bomb.
LINKS_PER_EMAIL = 3
FORMATS = ("large_print", "easy_read", "braille", "audio", "british_sign_language")


@router.get("/sign-in")
def sign_in_form(request: Request, session: ReadSession) -> Response:
    visit(request, session)
    return pages.render(request, "portal/sign_in.html", {"errors": [], "email": ""})


@router.post("/sign-in")
def ask_for_link(request: Request, session: DbSession, form: Form) -> Response:
    v = visit(request, session)
    _ = pages.translator(pages.current_language(request))
    email = str(form.get("email") or "").strip()[:254]
    address = request.client.host if request.client else "unknown"
    wait = limiter.hit("portal-link:email", email.lower(), LINKS_PER_EMAIL) or limiter.hit(
        "portal-link:address", address, SIGN_IN_PER_ADDRESS
    )
    if wait is not None:
        text = _("Too many attempts. Wait %(seconds)s seconds and try again") % {
            "seconds": int(wait)
        }
        return pages.render(
            request,
            "portal/sign_in.html",
            {"errors": [{"id": "email", "text": text}], "email": email},
            status=429,
        )
    try:
        signin.request_link(session, v.jurisdiction.id, email, pages.current_language(request))
    except ValidationFailed:
        text = (
            _("Enter your email address")
            if not email
            else _("Enter an email address in the correct format, like name@example.com")
        )
        return pages.render(
            request,
            "portal/sign_in.html",
            {"errors": [{"id": "email", "text": text}], "email": email},
            status=422,
        )
    return pages.render(request, "portal/check_email.html", {"email": email})


@router.get("/sign-in/{secret}")
def link_page(secret: str, request: Request, session: ReadSession) -> Response:
    """A page with a button, so that mail scanners fetching the link do not spend it."""
    v = visit(request, session)
    valid = signin.peek(session, v.jurisdiction.id, secret)
    return pages.render(
        request,
        "portal/link.html",
        {"valid": valid, "secret": secret},
        status=200 if valid else 410,
    )


@router.post("/sign-in/{secret}")
def use_link(secret: str, request: Request, session: DbSession, form: Form) -> Response:
    v = visit(request, session)
    try:
        person, language = signin.use_link(session, v.jurisdiction.id, secret)
    except signin.LinkNotValid:
        return pages.render(
            request, "portal/link.html", {"valid": False, "secret": secret}, status=410
        )
    # A fresh session (no fixation), keeping the language and the reports made before.
    kept = {
        key: request.session[key]
        for key in (pages.LANG_SESSION_KEY, REPORTED_KEY)
        if key in request.session
    }
    request.session.clear()
    request.session.update(kept)
    request.session[CITIZEN_KEY] = {
        "person": str(person.id),
        "jurisdiction": str(v.jurisdiction.id),
        "name": person.display_name,
        "language": person.preferred_language or language,
    }
    return RedirectResponse("/account", status_code=303)


@router.post("/sign-out")
def sign_out(request: Request, form: Form) -> Response:
    chosen = request.session.get(pages.LANG_SESSION_KEY)
    request.session.clear()
    if chosen:
        request.session[pages.LANG_SESSION_KEY] = chosen
    return RedirectResponse("/", status_code=303)


def _signed_in(request: Request, session: Session) -> tuple[Visit, Person]:
    v = visit(request, session)
    if not v.person_ids:
        raise NotAuthenticated("sign in")
    person = session.get(Person, v.person_ids[0])
    if person is None or person.jurisdiction_id != v.jurisdiction.id:
        request.session.pop(CITIZEN_KEY, None)
        raise NotAuthenticated("sign in")
    return v, person


def _cases(session: Session, v: Visit, person: Person) -> list[Any]:
    ids = people.absorbed_ids(session, person.id)
    return cases_repository.by_requester(session, v.jurisdiction.id, ids)


@router.get("/account")
def account(request: Request, session: ReadSession) -> Response:
    v, person = _signed_in(request, session)
    cases = _cases(session, v, person)
    directory = catalogue_service.directory(
        session, v.jurisdiction.id, covering={c.service_id for c in cases}
    )
    return pages.render(
        request,
        "portal/account.html",
        {
            "person": person,
            "cases": cases,
            "service_names": {
                i.id: i.name_in(pages.current_language(request))
                for i in directory.services.values()
            },
            "contacts": people.own_contacts(session, person.id),
            "languages": i18n.LANGUAGES,
        },
    )


def _details_page(
    request: Request,
    session: Session,
    person: Person,
    *,
    values: dict[str, Any] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> Response:
    contacts = people.own_contacts(session, person.id)
    needs = session.get(CommunicationNeeds, person.id)
    preferred = next((str(c.kind) for c in contacts if c.preferred), "email")
    current = {
        "given_name": person.given_name or "",
        "family_name": person.family_name or "",
        "language": person.preferred_language or "en",
        "channel": {"postal": "post"}.get(preferred, preferred),
        "phone": next((c.value for c in contacts if c.kind == "phone"), ""),
        "address": next((c.value for c in contacts if c.kind == "postal"), ""),
        "postcode": next((c.postcode or "" for c in contacts if c.kind == "postal"), ""),
        "formats": list(needs.accessible_formats) if needs else [],
        "interpreter": (needs.interpreter_language or "") if needs else "",
        "prefers_human": bool(needs and needs.prefers_human),
        "notes": (needs.notes or "") if needs else "",
    }
    current.update(values or {})
    return pages.render(
        request,
        "portal/details.html",
        {
            "values": current,
            "errors": errors or [],
            "languages": i18n.LANGUAGES,
            "formats": FORMATS,
        },
        status=422 if errors else 200,
    )


@router.get("/account/details")
def details_form(request: Request, session: ReadSession) -> Response:
    _, person = _signed_in(request, session)
    return _details_page(request, session, person)


@router.post("/account/details")
def save_details(request: Request, session: DbSession, form: Form) -> Response:
    v, person = _signed_in(request, session)
    _ = pages.translator(pages.current_language(request))
    actor = Actor("citizen", str(person.id), person.display_name)
    language = i18n.supported(str(form.get("language") or "")) or "en"
    formats = [f for f in form.getlist("formats") if isinstance(f, str) and f in FORMATS]
    text = {
        name: str(form.get(name) or "").strip()
        for name in (
            "given_name",
            "family_name",
            "channel",
            "phone",
            "address",
            "postcode",
            "interpreter",
            "notes",
        )
    }
    values: dict[str, Any] = {
        "given_name": str(form.get("given_name") or ""),
        "family_name": str(form.get("family_name") or ""),
        "language": language,
        "channel": str(form.get("channel") or ""),
        "phone": str(form.get("phone") or "").strip(),
        "address": str(form.get("address") or "").strip(),
        "postcode": str(form.get("postcode") or "").strip(),
        "formats": formats,
        "interpreter": str(form.get("interpreter") or "").strip()[:16],
        "prefers_human": form.get("prefers_human") == "yes",
        "notes": str(form.get("notes") or "").strip()[:2000],
    }
    try:
        with session.begin_nested():
            people.update_own_details(
                session,
                actor,
                person,
                given_name=text["given_name"],
                family_name=text["family_name"],
                language=language,
                channel=text["channel"],
                phone=text["phone"] or None,
                address=text["address"] or None,
                postcode=text["postcode"] or None,
            )
            profile.set_needs(
                session,
                actor,
                person,
                language=language,
                accessible_formats=formats,
                interpreter_language=text["interpreter"][:16] or None,
                prefers_human=bool(values["prefers_human"]),
                notes=text["notes"][:2000] or None,
            )
    except ValidationFailed as failed:
        messages = {
            "channel": _("Choose how we should contact you"),
            "phone": _("Enter a phone number, like 01632 960 001"),
            "address": _("Enter your postal address"),
        }
        errors = [{"id": e.field, "text": messages.get(e.field, e.message)} for e in failed.errors]
        return _details_page(request, session, person, values=values, errors=errors)
    citizen = dict(request.session.get(CITIZEN_KEY) or {})
    citizen.update({"name": person.display_name, "language": language})
    request.session[CITIZEN_KEY] = citizen
    request.session[pages.LANG_SESSION_KEY] = language
    return RedirectResponse("/account?saved=1", status_code=303)


@router.get("/account/my-data.json")
def download_my_data(request: Request, session: DbSession) -> Response:
    """Everything the portal shows a person about themselves, as one JSON file."""
    v, person = _signed_in(request, session)
    cases = _cases(session, v, person)
    directory = catalogue_service.directory(
        session, v.jurisdiction.id, covering={c.service_id for c in cases}
    )
    needs = session.get(CommunicationNeeds, person.id)
    body: dict[str, Any] = {
        "council": v.jurisdiction.name,
        "person": {
            "id": str(person.id),
            "display_name": person.display_name,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
            "preferred_language": person.preferred_language,
        },
        "contact_points": [
            {
                "kind": c.kind,
                "value": c.value,
                "preferred": c.preferred,
                "verified_at": c.verified_at.isoformat() if c.verified_at else None,
            }
            for c in people.own_contacts(session, person.id)
        ],
        "communication_needs": None
        if needs is None
        else {
            "language": needs.language,
            "accessible_formats": needs.accessible_formats,
            "interpreter_language": needs.interpreter_language,
            "prefers_human": needs.prefers_human,
            "notes": needs.notes,
        },
        "requests": [_case_data(session, c, directory) for c in cases],
    }
    record(
        session,
        Actor("citizen", str(person.id), person.display_name),
        action="subject_data_downloaded",
        entity_type="person",
        entity_id=person.id,
        jurisdiction_id=v.jurisdiction.id,
        details={"requests": len(cases)},
    )
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-data.json"'},
    )


def _case_data(session: Session, case: Any, directory: Any) -> dict[str, Any]:
    rating = satisfaction.rating_for(session, case)
    info = directory.services.get(case.service_id)
    return {
        "reference": case.reference,
        "service": info.name if info else None,
        "status": case.status,
        "opened_at": case.opened_at.isoformat(),
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "description": case.description,
        "address": case.address,
        "postcode": case.postcode,
        "location": [case.lat, case.long] if case.lat is not None else None,
        "answers": case.attributes,
        "photos": case.media_urls,
        "timeline": [
            {"at": e.occurred_at.isoformat(), "type": e.type, "status": e.to_status, "text": e.body}
            for e in cases_repository.timeline(session, case.id, public_only=True)
        ],
        "rating": None if rating is None else {"score": rating.score, "comment": rating.comment},
    }


@router.get("/account/access-log")
def access_log(request: Request, session: ReadSession) -> Response:
    """Who has looked at my data: every staff read, covert ones once disclosed."""
    _, person = _signed_in(request, session)
    return pages.render(
        request,
        "portal/access_log.html",
        {
            "entries": access_log_for_citizen(session, person.id),
            # The privacy module's wording, translated as the page renders.
            "actions": ACTION_TEXT,
            "bases": ARTICLE_6,
            "categories": DESCRIPTIONS,
        },
    )


# What a person may choose to hear about (anything beyond their own requests needs consent).
OPTIONAL_PURPOSES = {
    "consultation": N_("Consultations and surveys about the council's plans"),
    "marketing_events": N_("Council news and events"),
}
CHANNELS = {
    ContactChannel.EMAIL: N_("Email"),
    ContactChannel.SMS: N_("Text message"),
    ContactChannel.LETTER: N_("Letter"),
    ContactChannel.PHONE: N_("Phone call"),
}
DIGESTS = {
    DigestFrequency.REALTIME: N_("As soon as something happens"),
    DigestFrequency.DAILY: N_("Once a day, in one message"),
    DigestFrequency.WEEKLY: N_("Once a week, in one message"),
}


def _choices(session: Session, person: Person) -> dict[str, Any]:
    standing = consent_service.standing(session, person.id)
    return {
        "purposes": sorted(
            r.purpose
            for r in standing
            if r.kind == ConsentKind.CONSENT
            and r.purpose in OPTIONAL_PURPOSES
            and r.channel is None
        ),
        "blocked": sorted(
            str(r.channel)
            for r in standing
            if r.kind == ConsentKind.OPT_OUT and r.purpose is None and r.channel is not None
        ),
        "digest": str(consent_service.preferences(session, person.id).digest),
    }


def _choices_page(request: Request, values: dict[str, Any], saved: bool = False) -> Response:
    return pages.render(
        request,
        "portal/choices.html",
        {
            "values": values,
            "saved": saved,
            "purposes": OPTIONAL_PURPOSES,
            "channels": CHANNELS,
            "digests": DIGESTS,
        },
    )


@router.get("/account/choices")
def choices_form(request: Request, session: ReadSession) -> Response:
    """What the person agrees to hear about, how, and how often."""
    _, person = _signed_in(request, session)
    return _choices_page(
        request, _choices(session, person), saved=bool(request.query_params.get("saved"))
    )


@router.post("/account/choices")
def save_choices(request: Request, session: DbSession, form: Form) -> Response:
    """Each change is a new consent statement (given or withdrawn); nothing is overwritten."""
    _, person = _signed_in(request, session)
    actor = Actor("citizen", str(person.id), person.display_name)
    before = _choices(session, person)
    wanted = {p for p in form.getlist("purposes") if p in OPTIONAL_PURPOSES}
    allowed = {str(c) for c in form.getlist("channels") if c in {str(k) for k in CHANNELS}}
    evidence = "chosen on the portal by the signed-in person"
    for purpose in OPTIONAL_PURPOSES:
        if (purpose in wanted) != (purpose in before["purposes"]):
            consent_service.append(
                session,
                actor,
                person,
                ConsentIn(
                    kind=ConsentKind.CONSENT,
                    purpose=purpose,
                    active=purpose in wanted,
                    source="portal",
                    evidence=evidence,
                ),
            )
    for channel in CHANNELS:
        blocked = str(channel) not in allowed
        if blocked != (str(channel) in before["blocked"]):
            consent_service.append(
                session,
                actor,
                person,
                ConsentIn(
                    kind=ConsentKind.OPT_OUT,
                    channel=channel,
                    active=blocked,
                    source="portal",
                    evidence=evidence,
                ),
            )
    digest = str(form.get("digest") or "")
    if digest in {str(d) for d in DIGESTS} and digest != before["digest"]:
        current = consent_service.preferences(session, person.id)
        consent_service.save_preferences(
            session,
            actor,
            person,
            PreferencesIn(
                preferred_channel=current.preferred_channel, digest=DigestFrequency(digest)
            ),
        )
    return RedirectResponse("/account/choices?saved=1", status_code=303)
