"""The Open311 GeoReport v2 endpoints under ``/open311/v2``. Parse → service → render.

The suffix (``.xml`` / ``.json``) chooses the format of the answer and of any
error. Reads are public and anonymous; writes need a client's ``api_key``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from czrm.cases.repository import parse_reference
from czrm.catalogue.attributes import parse_datetime
from czrm.catalogue.service import catalogue_service
from czrm.kit.ratelimit import limiter
from czrm.kit.time import utc_now
from czrm.kit.web import ReadSession, UnitOfWork
from czrm.open311 import media, repository, service, views
from czrm.open311.admin import router as admin_router
from czrm.open311.clients import client_service
from czrm.open311.config import get_open311_settings
from czrm.open311.formats import (
    Format,
    Open311Error,
    Open311Route,
    bad_request,
    forbidden,
    not_found,
    parse_format,
    render,
)
from czrm.open311.forms import OpenForm, read_form
from czrm.open311.models import Open311Client
from czrm.open311.repository import RequestFilters
from czrm.org import service as org_service
from czrm.org.service import JurisdictionInfo

PREFIX = "/open311/v2"
public = APIRouter(prefix=PREFIX, tags=["open311"], route_class=Open311Route)
# The two writes read their path, header and form themselves (FastAPI's
# validation of declared parameters was ~10 % of a POST's CPU); their OpenAPI
# entries name them here instead.
WRITE_PARAMETERS = {
    "parameters": [
        {"name": "fmt", "in": "path", "required": True, "schema": {"enum": ["json", "xml"]}},
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "description": "a retry with the same key replays the first answer",
            "schema": {"type": "string", "maxLength": 200},
        },
    ]
}
TRUE = ("true", "1", "yes")


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + PREFIX


def _jurisdiction(session: Session, request: Request) -> JurisdictionInfo:
    return repository.jurisdiction(session, request.query_params.get("jurisdiction_id"))


def _date(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        return parse_datetime(raw)
    except ValueError:
        raise bad_request(
            f"{name}: {raw[:40]!r} is not a W3C date-time with a time zone "
            "(e.g. 2026-01-31T23:59:59Z)"
        ) from None


def _int(request: Request, name: str, default: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or not raw.strip():
        return default
    if not raw.strip().isdigit() or not 1 <= int(raw) <= high:
        raise bad_request(f"{name}: must be a whole number from 1 to {high}")
    return int(raw)


def _paging(request: Request) -> tuple[int, int]:
    settings = get_open311_settings()
    page = _int(request, "page", 1, 1_000_000)
    size = _int(request, "page_size", settings.max_page_size, settings.max_page_size)
    return (page - 1) * size, size


def _comma_list(request: Request, name: str) -> list[str]:
    raw = request.query_params.get(name) or ""
    return [part.strip() for part in raw.split(",") if part.strip()]


MAX_SPAN = timedelta(days=90)


def _window(start: datetime | None, end: datetime | None, *, span_limited: bool = False) -> None:
    """GeoReport v2: a start/end range may not span more than 90 days."""
    if start is not None and end is not None:
        if start > end:
            raise bad_request("start_date: must not be after end_date")
        if span_limited and end - start > MAX_SPAN:
            raise bad_request("start_date: the range may not span more than 90 days")


# ----- discovery and services ------------------------------------------------------
@public.get("/discovery.{fmt}")
def get_discovery(fmt: str, request: Request, session: ReadSession) -> Response:
    chosen = parse_format(fmt)
    jurisdiction = _jurisdiction(session, request)
    return render("discovery", views.discovery(jurisdiction, _base_url(request)), chosen)


@public.get("/services.{fmt}")
def list_services(fmt: str, request: Request, session: ReadSession) -> Response:
    chosen = parse_format(fmt)
    jurisdiction = _jurisdiction(session, request)
    services = catalogue_service.list(session, jurisdiction.id)
    return render("services", [views.service(s) for s in services], chosen)


@public.get("/services/{code}.{fmt}")
def get_service_definition(code: str, fmt: str, request: Request, session: ReadSession) -> Response:
    chosen = parse_format(fmt)
    jurisdiction = _jurisdiction(session, request)
    found = catalogue_service.list(session, jurisdiction.id)
    match = next((s for s in found if s.code == code), None)
    if match is None:
        raise not_found(f"service {code[:64]!r} not found")
    return render("service_definition", views.service_definition(match), chosen)


# ----- requests ----------------------------------------------------------------------
def _authorise(session: Session, address: str, form: OpenForm) -> Open311Client:
    """Rate limits first (per address, then per key), then the key itself."""
    settings = get_open311_settings()
    key = form.first("api_key")
    for scope, ident, limit in (
        ("address", address, settings.rate_per_address),
        ("key", key or "", settings.rate_per_key),
    ):
        wait = limiter.hit(scope, ident, limit)
        if wait is not None:
            raise Open311Error(
                429,
                [f"too many requests from this {scope}; try again in {wait:.0f} seconds"],
                headers={"Retry-After": f"{wait:.0f}"},
            )
    client = client_service.authenticate(session, key)
    if client is None:
        raise forbidden("a valid api_key is required to post" if key else "api_key is required")
    return client


def _post_jurisdiction(session: Session, client: Open311Client, form: OpenForm) -> JurisdictionInfo:
    slug = form.text("jurisdiction_id")
    if slug:
        jurisdiction = repository.jurisdiction(session, slug)
        service.check_client_jurisdiction(client, jurisdiction)
        return jurisdiction
    found = next(
        (j for j in org_service.jurisdictions(session) if j.id == client.jurisdiction_id), None
    )
    if found is None:
        raise not_found("the api_key's jurisdiction no longer exists")
    return found


Body = list[dict[str, Any]]
Write = Callable[[Session, JurisdictionInfo, Open311Client], Body]


async def _write(
    request: Request, unit_of_work: UnitOfWork, form: OpenForm, key: str | None, write: Write
) -> tuple[int, Body]:
    """A client's write, whole, in one trip to the thread pool: authorise, then
    replay the first answer to a repeated idempotency key or ``write`` and keep
    the answer with the key; committed before the caller answers."""
    address = request.client.host if request.client else "unknown"

    def run() -> tuple[int, Body]:
        with unit_of_work() as session:
            client = _authorise(session, address, form)
            jurisdiction = _post_jurisdiction(session, client, form)
            if key is None:
                return 200, write(session, jurisdiction, client)
            found = service.claim_idempotency_key(session, client, key, form.digest())
            if isinstance(found, service.Replay):
                return found.status, found.body
            body = write(session, jurisdiction, client)
            service.remember(found, 200, body)
            return 200, body

    return await run_in_threadpool(run)


@public.post("/requests.{fmt}", openapi_extra=WRITE_PARAMETERS)
async def post_request(request: Request, unit_of_work: UnitOfWork) -> Response:
    """Create a service request. With ``Idempotency-Key``, a retry replays the
    first answer and creates nothing."""
    chosen = parse_format(request.path_params["fmt"])
    form = await read_form(request)
    idempotency_key = request.headers.get("idempotency-key")
    media_base_url = f"{_base_url(request)}/media"

    def submit(session: Session, jurisdiction: JurisdictionInfo, client: Open311Client) -> Body:
        return service.submit_request(session, jurisdiction, client, form, media_base_url)

    status, body = await _write(request, unit_of_work, form, idempotency_key, submit)
    return render("service_requests", body, chosen, status)


@public.get("/tokens/{token}.{fmt}")
def get_token(token: str, fmt: str, request: Request, session: ReadSession) -> Response:
    chosen = parse_format(fmt)
    jurisdiction = _jurisdiction(session, request)
    case = repository.case_by_token(session, jurisdiction.id, token)
    if case is None:
        raise not_found(f"token {token[:64]!r} not found")
    body = [{"service_request_id": case.reference, "token": token}]
    return render("service_requests", body, chosen)


def _filters(request: Request) -> RequestFilters:
    settings = get_open311_settings()
    ids = _comma_list(request, "service_request_id")
    if ids:
        if len(ids) > settings.max_page_size:
            raise bad_request(f"service_request_id: at most {settings.max_page_size} ids")
        references = []
        for ref in ids:
            parsed = parse_reference(ref)
            if parsed is None:
                raise bad_request(f"service_request_id: {ref[:40]!r} is not a request id")
            references.append(parsed)
        return RequestFilters(references=references)
    statuses = {s.lower() for s in _comma_list(request, "status")}
    unknown = statuses - {"open", "closed"}
    if unknown:
        raise bad_request(f"status: {sorted(unknown)[0][:40]!r} is not open or closed")
    filters = RequestFilters(
        service_codes=_comma_list(request, "service_code"),
        statuses=statuses,
        start=_date(request, "start_date"),
        end=_date(request, "end_date"),
        updated_after=_date(request, "updated_after"),
        updated_before=_date(request, "updated_before"),
    )
    _window(filters.start, filters.end, span_limited=True)
    _window(filters.updated_after, filters.updated_before)
    dated = (filters.start, filters.end, filters.updated_after, filters.updated_before)
    if all(d is None for d in dated):
        filters.start = utc_now() - timedelta(days=settings.default_days)
    return filters


@public.get("/requests.{fmt}")
def list_requests(fmt: str, request: Request, session: ReadSession) -> Response:
    """Newest first; the last 90 days unless dates are given; ``page``/``page_size``
    page through (at most 1000 a page); ``extensions=true`` adds the timeline."""
    chosen = parse_format(fmt)
    jurisdiction = _jurisdiction(session, request)
    filters = _filters(request)
    offset, limit = _paging(request)
    extensions = (request.query_params.get("extensions") or "").lower() in TRUE
    cases = repository.find_requests(
        session, jurisdiction.id, filters, offset=offset, limit=limit, extensions=extensions
    )
    body = views.requests(session, jurisdiction, cases, extensions=extensions)
    return render("service_requests", body, chosen)


@public.get("/requests/{ref}.{fmt}")
def get_request(ref: str, fmt: str, request: Request, session: ReadSession) -> Response:
    """An array of one, as the spec has it."""
    chosen = parse_format(fmt)
    jurisdiction = _jurisdiction(session, request)
    extensions = (request.query_params.get("extensions") or "").lower() in TRUE
    case = repository.public_request(session, jurisdiction.id, ref, extensions=extensions)
    if case is None:
        raise not_found(f"service request {ref[:40]!r} not found")
    body = views.requests(
        session, jurisdiction, [case], extensions=extensions, notes={case.id: case.status_notes}
    )
    return render("service_requests", body, chosen)


# ----- mySociety's updates extension ------------------------------------------------
@public.get("/servicerequestupdates.{fmt}")
def list_updates(fmt: str, request: Request, session: ReadSession) -> Response:
    chosen = parse_format(fmt)
    jurisdiction = _jurisdiction(session, request)
    start, end = _date(request, "start_date"), _date(request, "end_date")
    _window(start, end)
    end = end or utc_now()
    start = start or end - timedelta(days=get_open311_settings().default_days)
    offset, limit = _paging(request)
    rows = repository.updates_between(
        session, jurisdiction.id, start, end, offset=offset, limit=limit
    )
    return render("service_request_updates", views.updates(session, jurisdiction, rows), chosen)


@public.post("/servicerequestupdates.{fmt}", openapi_extra=WRITE_PARAMETERS)
async def post_update(request: Request, unit_of_work: UnitOfWork) -> Response:
    """A client's update. A repeated ``update_id`` replays the first answer."""
    chosen = parse_format(request.path_params["fmt"])
    form = await read_form(request)
    key = request.headers.get("idempotency-key")
    update_id = form.text("update_id")
    if key is None and update_id is not None:
        key = f"~update:{form.text('service_request_id')}:{update_id}"[:200]

    def update(session: Session, jurisdiction: JurisdictionInfo, client: Open311Client) -> Body:
        return service.post_update(session, jurisdiction, client, form)

    status, body = await _write(request, unit_of_work, form, key, update)
    return render("service_request_updates", body, chosen, status)


# ----- uploaded media ---------------------------------------------------------------
@public.get("/media/{name}")
def get_media(name: str) -> Response:
    path = media.path_of(name)
    if path is None:
        raise not_found("no such media")
    return FileResponse(
        path,
        media_type=media.TYPES[path.suffix.lstrip(".")],
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=86400"},
    )


@public.api_route(
    "/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
)
def unknown_endpoint(rest: str, request: Request) -> Response:
    raise not_found(f"no Open311 endpoint {request.method} {PREFIX}/{rest[:100]}")


router = APIRouter()
router.include_router(public)
router.include_router(admin_router)

__all__ = ["Format", "router"]
