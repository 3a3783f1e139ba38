"""The web application: routers, error rendering, start-up checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException

from czrm import __version__
from czrm.auth.api import router as auth_router
from czrm.cases.api import router as cases_router
from czrm.catalogue.api import router as services_router
from czrm.communications.api import router as messages_router
from czrm.config import get_settings
from czrm.consent.api import router as consent_router
from czrm.errors import CzrmError
from czrm.identity.api import router as identity_router
from czrm.interactions.api import router as interactions_router
from czrm.jobs.api import router as jobs_router
from czrm.jobs.registry import load_tasks
from czrm.kit import db, web
from czrm.open311.api import router as open311_router
from czrm.people.api import router as people_router
from czrm.privacy.api import router as privacy_router


def create_app(check_database: bool = True) -> FastAPI:
    settings = get_settings()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if check_database:
            db.check_engine(db.get_engine())
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
    app.add_exception_handler(CzrmError, web.render_czrm_error)
    app.add_exception_handler(RequestValidationError, web.render_validation_error)
    app.add_exception_handler(StarletteHTTPException, web.render_http_error)
    app.add_exception_handler(Exception, web.render_unexpected)
    for router in (
        auth_router,
        cases_router,
        services_router,
        jobs_router,
        open311_router,
        people_router,
        identity_router,
        interactions_router,
        consent_router,
        messages_router,
        privacy_router,
    ):
        app.include_router(router)

    @app.get("/health", tags=["ops"])
    def health() -> dict[str, str]:
        with db.get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__, "environment": settings.environment}

    return app
