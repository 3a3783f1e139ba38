"""Rendering server-side pages: one Jinja2 environment, the page language, and
the friendly error page that replaces problem+json for browsers.

Templates get ``_``/``gettext``/``ngettext`` bound to the request's language
in their context (never installed globally, so concurrent requests in other
languages cannot mix), plus ``lang``, ``dir``, the CSRF token and the
language-switch links.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from czrm.errors import CzrmError
from czrm.kit import i18n
from czrm.kit.websecurity import API_PREFIXES, csrf_token

log = logging.getLogger("czrm.pages")

environment = Environment(
    loader=PackageLoader("czrm", "templates"),
    autoescape=select_autoescape(["html", "xml"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
# Whitespace in {% trans %} blocks is collapsed, as pybabel extracts it (babel.cfg).
environment.policies["ext.i18n.trimmed"] = True
LANG_SESSION_KEY = "lang"


@dataclass(frozen=True)
class Theme:
    """What a page shows of the council it speaks for."""

    name: str
    slug: str = ""
    timezone: str = "Europe/London"
    contact_phone: str | None = None
    contact_email: str | None = None
    logo_url: str | None = None


NEUTRAL_THEME = Theme(name="czrm")


def wants_page(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIXES)


def language_of(request: Request, preferred: str | None = None) -> str:
    """The page language; a ``?lang=`` link sets the visitor's choice for the session."""
    asked = i18n.supported(request.query_params.get("lang"))
    if asked:
        request.session[LANG_SESSION_KEY] = asked
    chosen = request.session.get(LANG_SESSION_KEY)
    lang = i18n.negotiate(
        chosen=chosen,
        preferred=preferred,
        accept_language=request.headers.get("accept-language"),
    )
    request.state.lang = lang
    return lang


def current_language(request: Request) -> str:
    lang = getattr(request.state, "lang", None)
    return lang if isinstance(lang, str) else language_of(request)


def translator(lang: str) -> Any:
    return i18n.translations(lang).gettext


def switch_links(request: Request, lang: str) -> list[dict[str, str]]:
    """One link per other language, to this page, that works without JavaScript."""
    links = []
    for code, language in i18n.LANGUAGES.items():
        if code == lang:
            continue
        params = {k: v for k, v in request.query_params.items() if k != "lang"}
        params["lang"] = code
        links.append(
            {
                "code": code,
                "name": language.name,
                "href": f"{request.url.path}?{urlencode(params)}",
                "dir": language.direction,
            }
        )
    return links


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    theme: Theme | None = None,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    lang = current_language(request)
    translations = i18n.translations(lang)
    theme = theme or getattr(request.state, "theme", None) or NEUTRAL_THEME

    def when(moment: Any) -> str:
        return i18n.format_when(moment, lang, theme.timezone)

    values: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "dir": i18n.LANGUAGES[lang].direction,
        "_": translations.gettext,
        "gettext": translations.gettext,
        "ngettext": translations.ngettext,
        "csrf_token": csrf_token(request),
        "language_links": switch_links(request, lang),
        "theme": theme,
        "when": when,
    }
    values.update(context or {})
    html = environment.get_template(template).render(values)
    return HTMLResponse(html, status_code=status, headers=headers)


# Set by the portal: the theme of the council a page belongs to when the
# error came before any handler could say (an unknown path, say).
theme_resolver: Callable[[], Theme] | None = None


def _fallback_theme(request: Request) -> Theme:
    found = getattr(request.state, "theme", None)
    if isinstance(found, Theme):
        return found
    if theme_resolver is not None:
        try:
            return theme_resolver()
        except Exception:  # noqa: BLE001 - an error page must render whatever else is wrong
            log.warning("no council theme for an error page", exc_info=True)
    return NEUTRAL_THEME


def error_page(request: Request, status: int, *, incident: str | None = None) -> HTMLResponse:
    """The translated page for an error: what happened and what to do, never internals."""
    request.state.theme = _fallback_theme(request)
    return render(
        request,
        "error.html",
        {"status": status, "incident": incident},
        status=status,
    )


def render_page_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, CzrmError):
        if exc.status == 401 and request.url.path.startswith("/console"):
            target = quote(request.url.path, safe="/")
            return RedirectResponse(f"/console/sign-in?next={target}", status_code=303)
        if exc.status == 401:
            return RedirectResponse("/sign-in", status_code=303)
        return error_page(request, exc.status if exc.status in (403, 404, 409) else 400)
    if isinstance(exc, RequestValidationError):
        return error_page(request, 400)
    if isinstance(exc, StarletteHTTPException):
        return error_page(request, exc.status_code if exc.status_code in (404, 405) else 400)
    incident = uuid.uuid4().hex[:12]
    log.error("unexpected error on a page (incident %s)", incident, exc_info=exc)
    return error_page(request, 500, incident=incident)
