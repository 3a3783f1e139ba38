"""The web application: routers, error rendering, start-up checks."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.orm import configure_mappers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from czrm import __version__
from czrm.auth.api import router as auth_router
from czrm.cases.api import router as cases_router
from czrm.catalogue.api import router as services_router
from czrm.communications.api import router as messages_router
from czrm.config import get_settings
from czrm.consent.api import router as consent_router
from czrm.console.admin import router as console_admin_router
from czrm.console.admin_keys import router as console_admin_keys_router
from czrm.console.admin_purposes import router as console_admin_purposes_router
from czrm.console.admin_services import router as console_admin_services_router
from czrm.console.admin_staff import router as console_admin_staff_router
from czrm.console.admin_teams import router as console_admin_teams_router
from czrm.console.identity import router as console_identity_router
from czrm.console.people import router as console_people_router
from czrm.console.signin import router as console_signin_router
from czrm.console.views import router as console_router
from czrm.errors import CzrmError
from czrm.identity.api import router as identity_router
from czrm.interactions.api import router as interactions_router
from czrm.jobs.api import router as jobs_router
from czrm.jobs.registry import load_tasks
from czrm.kit import db, pages, web
from czrm.kit.websecurity import SecurityHeaders, session_options
from czrm.open311.api import router as open311_router
from czrm.people.api import router as people_router
from czrm.portal import labels  # noqa: F401 - registers the public wording
from czrm.portal.account import router as portal_account_router
from czrm.portal.views import router as portal_router
from czrm.privacy.api import router as privacy_router

STATIC_DIR = Path(__file__).resolve().parent / "static"


def _pages_or(api_handler: Callable[[Request, Exception], Response]) -> Any:
    """Browsers get the translated error page; API clients get their own format."""

    def handle(request: Request, exc: Exception) -> Response:
        if pages.wants_page(request):
            return pages.render_page_error(request, exc)
        return api_handler(request, exc)

    return handle


def _settle_memory() -> None:
    """Move what start-up built (modules, mappers, routes: ~180,000 objects) out of
    the garbage collector's sight: they live as long as the process, and every
    full collection would scan them again — 100-200 ms each on a small server,
    which showed as the slowest requests."""
    configure_mappers()
    gc.collect()
    gc.freeze()


def create_app(check_database: bool = True) -> FastAPI:
    settings = get_settings()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if check_database:  # a real server (tests build many apps and skip this)
            db.check_engine(db.get_engine())
            _settle_memory()
        yield

    app = FastAPI(
        title="czrm",
        version=__version__,
        summary="Citizen Relationship Management for councils",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        debug=False,
    )
    load_tasks()
    app.add_exception_handler(CzrmError, _pages_or(web.render_czrm_error))
    app.add_exception_handler(RequestValidationError, _pages_or(web.render_validation_error))
    app.add_exception_handler(StarletteHTTPException, _pages_or(web.render_http_error))
    app.add_exception_handler(Exception, _pages_or(web.render_unexpected))
    app.add_middleware(SessionMiddleware, **session_options(settings))
    app.add_middleware(SecurityHeaders, settings=settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    # Routes are matched one by one in this order, so the busiest paths come
    # first: the public Open311 reads, then the 360° view. No two routers here
    # answer the same path, so the order decides nothing else.
    for router in (
        open311_router,
        people_router,
        auth_router,
        cases_router,
        services_router,
        jobs_router,
        identity_router,
        interactions_router,
        consent_router,
        messages_router,
        privacy_router,
        console_signin_router,
        console_router,
        console_people_router,
        console_identity_router,
        console_admin_router,
        console_admin_services_router,
        console_admin_teams_router,
        console_admin_staff_router,
        console_admin_keys_router,
        console_admin_purposes_router,
        portal_account_router,
        portal_router,
    ):
        app.include_router(router)

    @app.get("/health", tags=["ops"])
    def health() -> dict[str, str]:
        with db.get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__, "environment": settings.environment}

    return app
