"""HTTP plumbing: the per-request unit of work and the problem+json renderer."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from czrm.errors import CzrmError, FieldError
from czrm.kit import db

log = logging.getLogger("czrm.web")
PROBLEM = "application/problem+json"


def get_session() -> Iterator[Session]:
    """One transaction per request, committed before the response is sent, so a
    2xx always means the change is durable."""
    session = db.session_factory()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_session, scope="function")]


async def get_unit_of_work() -> Callable[[], AbstractContextManager[Session]]:
    """For a handler that runs its whole unit of work in one trip to the thread
    pool: ``with unit_of_work() as session:`` commits (or rolls back) before
    the handler answers, as ``DbSession`` does. A session dependency is entered
    and left on the pool, so with a plain handler that is three trips a request
    (each a thread switch and a turn at the GIL). Asynchronous so that FastAPI
    calls it in the loop."""
    return db.unit_of_work


UnitOfWork = Annotated[Callable[[], AbstractContextManager[Session]], Depends(get_unit_of_work)]


async def get_read_session() -> AsyncIterator[Session]:
    """For reads that write nothing: no transaction to commit (autocommit on
    PostgreSQL, a deferred transaction on SQLite that never waits for writers),
    which saves two round trips a request.

    Asynchronous although the session is not: a plain generator would be
    entered and closed on the thread pool, two more hops a request (a sixth of
    the work of a public read by id). Neither step waits on the network here:
    the session connects lazily, on the handler's thread, and closing an
    autocommit connection sends nothing (SQLite's rollback of a read is local).
    """
    session = db.read_session_factory()()
    try:
        yield session
    finally:
        session.close()


ReadSession = Annotated[Session, Depends(get_read_session, scope="function")]


def problem(
    status: int,
    title: str,
    code: str,
    detail: str,
    *,
    errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://czrm.org/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
        "detail": detail,
    }
    if errors:
        body["errors"] = [e.as_dict() for e in errors]
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or "body"


def render_czrm_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CzrmError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return problem(
        exc.status,
        TITLES.get(exc.status, "Error"),
        exc.code,
        exc.message,
        errors=exc.errors,
        extra=exc.extra,
        headers=headers,
    )


def render_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        message = str(err.get("msg", "is invalid"))
        if err.get("type") == "missing":
            message = "is required"
        errors.append(FieldError(_field_path(err.get("loc", ())), message, str(err.get("type"))))
    first = errors[0] if errors else FieldError("body", "is invalid")
    return problem(
        422, TITLES[422], "validation_failed", f"{first.field}: {first.message}", errors=errors
    )


def render_http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return problem(
        exc.status_code,
        TITLES.get(exc.status_code, "Error"),
        code,
        str(exc.detail),
        headers=getattr(exc, "headers", None),
    )


def render_unexpected(_request: Request, exc: Exception) -> JSONResponse:
    incident = uuid.uuid4().hex[:12]
    if isinstance(exc, OperationalError):
        log.error("database unavailable (incident %s): %s", incident, exc.orig)
        return problem(
            503,
            TITLES[503],
            "database_unavailable",
            f"the database is busy or unavailable; try again (incident {incident})",
            headers={"Retry-After": "5"},
        )
    log.error("unexpected error (incident %s)", incident, exc_info=exc)
    return problem(
        500,
        TITLES[500],
        "internal_error",
        f"something went wrong on our side; nothing was saved (incident {incident})",
    )
