"""Console sign-in: password, then a time-based code (or a recovery code);
first-time enrolment shows the secret once as a QR code and as text."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from czrm.auth import totp
from czrm.auth.service import authenticate
from czrm.console.deps import ENROL_KEY, PENDING_KEY, STAFF_KEY, pending_staff
from czrm.errors import NotAuthenticated, NotFound, ValidationFailed
from czrm.kit import pages
from czrm.kit.ratelimit import SIGN_IN_PER_ADDRESS, SIGN_IN_PER_USER, limiter
from czrm.kit.web import DbSession, ReadSession
from czrm.kit.websecurity import checked_form
from czrm.portal.service import jurisdiction_for_portal

router = APIRouter(prefix="/console", include_in_schema=False)
Form = Annotated[FormData, Depends(checked_form)]


def _safe_next(target: str | None) -> str:
    """Only a path inside the console: never an open redirect."""
    if target and target.startswith("/console") and "//" not in target and "\\" not in target:
        return target
    return "/console"


def _neutral(request: Request, session: Session) -> None:
    """The portal council's look for pages shown before anyone is known."""
    try:
        info = jurisdiction_for_portal(session)
        request.state.theme = pages.Theme(
            name=info.name,
            slug=info.slug,
            timezone=info.timezone,
            contact_phone=info.contact_phone,
            contact_email=info.contact_email,
        )
    except NotFound:  # a fresh install with no council yet
        request.state.theme = pages.NEUTRAL_THEME
    pages.language_of(request)


@router.get("/sign-in")
def sign_in_form(
    request: Request, session: ReadSession, next: Annotated[str, Query(max_length=300)] = ""
) -> Response:
    _neutral(request, session)
    return pages.render(
        request, "console/sign_in.html", {"errors": [], "username": "", "next": _safe_next(next)}
    )


def _too_many(request: Request, scope: str, who: str) -> float | None:
    """Seconds to wait when this username or this address has tried too often."""
    address = request.client.host if request.client else "unknown"
    return limiter.hit(f"{scope}:user", who.lower(), SIGN_IN_PER_USER) or limiter.hit(
        f"{scope}:address", address, SIGN_IN_PER_ADDRESS
    )


@router.post("/sign-in")
def sign_in(request: Request, session: DbSession, form: Form) -> Response:
    _neutral(request, session)
    _ = pages.translator(pages.current_language(request))
    username = str(form.get("username") or "").strip()[:64]
    password = str(form.get("password") or "")[:1000]
    target = _safe_next(str(form.get("next") or ""))
    wait = _too_many(request, "console-password", username)
    if wait is not None:
        text = _("Too many attempts. Wait %(seconds)s seconds and try again") % {
            "seconds": int(wait)
        }
        return pages.render(
            request,
            "console/sign_in.html",
            {"errors": [{"id": "username", "text": text}], "username": username, "next": target},
            status=429,
        )
    errors = []
    if not username:
        errors.append({"id": "username", "text": _("Enter your username")})
    if not password:
        errors.append({"id": "password", "text": _("Enter your password")})
    if not errors:
        try:
            staff = authenticate(session, username, password)
        except NotAuthenticated:
            errors.append({"id": "username", "text": _("The username or password is not right")})
    if errors:
        return pages.render(
            request,
            "console/sign_in.html",
            {"errors": errors, "username": username, "next": target},
            status=422,
        )
    request.session.clear()
    request.session[PENDING_KEY] = str(staff.id)
    request.session["next"] = target
    if totp.is_enrolled(staff):
        return RedirectResponse("/console/two-factor", status_code=303)
    return RedirectResponse("/console/two-factor/enrol", status_code=303)


@router.get("/two-factor")
def two_factor_form(request: Request, session: ReadSession) -> Response:
    staff = pending_staff(request, session)
    if not totp.is_enrolled(staff):
        return RedirectResponse("/console/two-factor/enrol", status_code=303)
    return pages.render(request, "console/two_factor.html", {"errors": []})


@router.post("/two-factor")
def two_factor(request: Request, session: DbSession, form: Form) -> Response:
    staff = pending_staff(request, session)
    _ = pages.translator(pages.current_language(request))
    code = str(form.get("code") or "").strip()[:32]
    wait = _too_many(request, "console-code", str(staff.id))
    if wait is not None or not code or not totp.verify(session, staff, code):
        if wait is not None:
            text = _("Too many attempts. Wait %(seconds)s seconds and try again") % {
                "seconds": int(wait)
            }
        elif not code:
            text = _("Enter the 6-digit code from your app")
        else:
            text = _("The code is not right, or has been used. Wait for a new code and try again")
        return pages.render(
            request,
            "console/two_factor.html",
            {"errors": [{"id": "code", "text": text}]},
            status=429 if wait is not None else 422,
        )
    target = _safe_next(request.session.get("next"))
    request.session.clear()
    request.session[STAFF_KEY] = str(staff.id)
    return RedirectResponse(target, status_code=303)


@router.get("/two-factor/enrol")
def enrol_form(request: Request, session: ReadSession) -> Response:
    staff = pending_staff(request, session)
    if totp.is_enrolled(staff):
        return RedirectResponse("/console/two-factor", status_code=303)
    secret = request.session.get(ENROL_KEY) or totp.new_secret()
    request.session[ENROL_KEY] = secret
    return _enrol_page(request, staff, secret, [])


def _enrol_page(
    request: Request, staff: object, secret: str, errors: list[dict[str, str]]
) -> Response:
    theme = request.state.theme
    uri = totp.provisioning_uri(staff, secret, issuer=theme.name)  # type: ignore[arg-type]
    return pages.render(
        request,
        "console/enrol.html",
        {"secret": secret, "qr": totp.qr_svg(uri), "errors": errors},
        status=422 if errors else 200,
    )


@router.post("/two-factor/enrol")
def enrol(request: Request, session: DbSession, form: Form) -> Response:
    staff = pending_staff(request, session)
    _ = pages.translator(pages.current_language(request))
    secret = request.session.get(ENROL_KEY)
    if not secret or totp.is_enrolled(staff):
        return RedirectResponse("/console/two-factor", status_code=303)
    try:
        recovery = totp.confirm_enrolment(session, staff, secret, str(form.get("code") or ""))
    except ValidationFailed:
        errors = [
            {"id": "code", "text": _("The code is not right. Enter the code your app shows now")}
        ]
        return _enrol_page(request, staff, secret, errors)
    target = _safe_next(request.session.get("next"))
    request.session.clear()
    request.session[STAFF_KEY] = str(staff.id)
    return pages.render(request, "console/recovery_codes.html", {"codes": recovery, "next": target})


@router.post("/sign-out")
def sign_out(request: Request, form: Form) -> Response:
    request.session.clear()
    return RedirectResponse("/console/sign-in", status_code=303)
