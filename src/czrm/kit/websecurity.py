"""Browser security for the pages: the session cookie, CSRF tokens and headers.

The session is a cookie signed with ``secret_key`` (HttpOnly, SameSite=Lax,
Secure in production) holding only ids and the CSRF token, never personal data.
Every form carries the session's CSRF token and every unsafe request to a page
must send it back. The Content-Security-Policy allows scripts and styles from
czrm itself only (no inline script), images from czrm and the map tiles' host.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import FormData, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from czrm.config import Settings
from czrm.errors import CzrmError

CSRF_FIELD = "csrf_token"
SESSION_COOKIE = "czrm_session"
# Paths whose clients are programs, not browsers: they get no page CSP (the
# API docs page loads its own scripts) and never use the session cookie.
API_PREFIXES = ("/api/", "/open311/", "/health")


class CsrfFailed(CzrmError):
    def __init__(self) -> None:
        super().__init__(
            message="the form's security token is missing or out of date",
            status=403,
            code="csrf_failed",
        )


def csrf_token(request: Request) -> str:
    """The session's token, created on first use."""
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return str(token)


async def checked_form(request: Request) -> FormData:
    """The submitted form, once its CSRF token matches the session's."""
    form = await request.form(max_files=10, max_fields=200)
    sent = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_FIELD)
    if (
        not isinstance(sent, str)
        or not expected
        or not hmac.compare_digest(sent.encode(), str(expected).encode())
    ):
        raise CsrfFailed()
    return form


def content_security_policy(settings: Settings) -> str:
    images = ["'self'", "data:"]
    tile_origin = _origin(settings.map_tile_url)
    if tile_origin:
        images.append(tile_origin)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {' '.join(images)}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _origin(url: str) -> str | None:
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.replace("a.", "*.", 1) if "{s}" in url else parts.netloc
    return f"{parts.scheme}://{host}"


class SecurityHeaders:
    """Adds the headers every response needs; pages also get the CSP."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.csp = content_security_policy(settings)
        self.production = settings.environment == "production"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        is_page = not path.startswith(API_PREFIXES)
        is_static = path.startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                if is_page:
                    headers.setdefault("Content-Security-Policy", self.csp)
                    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                    headers.setdefault("Permissions-Policy", "camera=(), microphone=()")
                    if "cache-control" not in headers:
                        headers["Cache-Control"] = (
                            "public, max-age=3600" if is_static else "no-store"
                        )
                else:
                    headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
                if self.production:
                    headers.setdefault(
                        "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
                    )
            await send(message)

        await self.app(scope, receive, with_headers)


def session_options(settings: Settings) -> dict[str, Any]:
    return {
        "secret_key": settings.secret_key,
        "session_cookie": SESSION_COOKIE,
        "max_age": settings.session_max_age_hours * 3600,
        "same_site": "lax",
        "https_only": settings.environment == "production",
    }
