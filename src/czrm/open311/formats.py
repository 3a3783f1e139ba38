"""Rendering Open311 documents in XML or JSON, and Open311 errors.

The URL suffix chooses the format. JSON is the "Spark" mapping of the XML:
lists are always arrays, nulls stay present as ``null``, booleans are real
booleans. XML has no namespace; a list becomes a wrapper element holding one
child per item (``<services><service>…``), ``None`` an empty element.

Every exception raised inside an Open311 route is rendered here, in the
format the URL asked for: 400, 403 or 404 as the spec says, 429 when a client
is over its rate, and 500/503 only for our own failures (with an incident id,
never a stack trace, never problem+json).
"""

from __future__ import annotations

import logging
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic_core import to_json
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from czrm.errors import CzrmError, FieldError

log = logging.getLogger("czrm.open311")

CONTENT_TYPES = {"json": "application/json", "xml": "text/xml"}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
# What a list's items are called in XML, by the list's own name.
ITEM_NAMES = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
    "service_requests": "request",
    "errors": "error",
    "service_request_updates": "request_update",
}
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_XML_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Format(StrEnum):
    JSON = "json"
    XML = "xml"


@dataclass
class Open311Error(Exception):
    """An answer in Open311's error shape: one or more ``{code, description}``."""

    status: int
    descriptions: list[str]
    headers: dict[str, str] | None = None

    def __str__(self) -> str:
        return "; ".join(self.descriptions)


def bad_request(*descriptions: str) -> Open311Error:
    return Open311Error(400, list(descriptions))


def not_found(description: str) -> Open311Error:
    return Open311Error(404, [description])


def forbidden(description: str) -> Open311Error:
    return Open311Error(403, [description])


def parse_format(suffix: str) -> Format:
    try:
        return Format(suffix.lower())
    except ValueError:
        raise bad_request(f"unknown format {suffix[:20]!r}: use .xml or .json") from None


def format_of_path(path: str) -> Format:
    """Errors follow the URL's suffix; anything but ``.xml`` gets JSON."""
    return Format.XML if path.lower().endswith(".xml") else Format.JSON


def iso(moment: datetime | None, tz: Any = None) -> str | None:
    """W3C date-time with its offset, to the second."""
    if moment is None:
        return None
    return (moment.astimezone(tz) if tz is not None else moment).isoformat(timespec="seconds")


# ----- XML ----------------------------------------------------------------------
def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_BAD_CHARS.sub("", str(value))


def _append(parent: ET.Element, name: str, value: Any) -> None:
    if _XML_NAME.match(name):
        element = ET.SubElement(parent, name)
    else:
        element = ET.SubElement(parent, "item", {"key": _text(name)})
    if value is None:
        return
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, str(key), child)
    elif isinstance(value, list | tuple):
        item_name = ITEM_NAMES.get(name, "value")
        for child in value:
            _append(element, item_name, child)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    """``data`` is a list (of ``ITEM_NAMES[root]``) or a dict (the root's children)."""
    element = ET.Element(root)
    if isinstance(data, dict):
        for key, value in data.items():
            _append(element, str(key), value)
    else:
        item_name = ITEM_NAMES[root]
        for item in data:
            _append(element, item_name, item)
    return (XML_DECLARATION + ET.tostring(element, encoding="unicode")).encode("utf-8")


def render(root: str, data: Any, fmt: Format, status: int = 200) -> Response:
    if fmt == Format.XML:
        body = to_xml(root, data)
    else:
        body = to_json(data)  # compact UTF-8, as json.dumps(…, separators=(",", ":"))
    # The header is set by hand: Starlette would add "; charset=utf-8" to text/xml.
    return Response(body, status_code=status, headers={"content-type": CONTENT_TYPES[fmt]})


# ----- errors -------------------------------------------------------------------
def render_error(error: Open311Error, fmt: Format) -> Response:
    items = [{"code": error.status, "description": d} for d in error.descriptions]
    response = render("errors", items, fmt, error.status)
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


def open311_name(field: str) -> str:
    """czrm's field paths in the names an Open311 client sent."""
    if field.startswith("attributes["):
        return "attribute" + field[len("attributes") :]
    if field.startswith("requester."):
        return field[len("requester.") :]
    return {
        "requester": "first_name/last_name/email/phone",
        "location": "lat/long, address_string or address_id",
        "body": "description",
    }.get(field, field)


def field_errors(errors: list[FieldError]) -> list[str]:
    return [f"{open311_name(e.field)}: {e.message}" for e in errors] or ["invalid input"]


def translate(exc: Exception) -> Open311Error:
    """Any exception as an Open311 error; unexpected ones are logged, not shown."""
    if isinstance(exc, Open311Error):
        return exc
    if isinstance(exc, CzrmError):
        if exc.status == 404:
            return not_found(exc.message)
        if exc.status in (401, 403):
            return forbidden(exc.message)
        return bad_request(*(field_errors(exc.errors) if exc.errors else [exc.message]))
    if isinstance(exc, RequestValidationError):
        described = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path"))
            described.append(f"{where or 'request'}: {err.get('msg', 'is invalid')}")
        return bad_request(*(described or ["invalid request"]))
    if isinstance(exc, StarletteHTTPException):
        status = exc.status_code if exc.status_code in (403, 404, 429) else 400
        return Open311Error(status, [str(exc.detail)])
    incident = uuid.uuid4().hex[:12]
    if isinstance(exc, OperationalError):
        log.error("open311: database unavailable (incident %s): %s", incident, exc.orig)
        return Open311Error(
            503,
            [f"the service is busy; try again shortly (incident {incident})"],
            headers={"Retry-After": "5"},
        )
    log.error("open311: unexpected error (incident %s)", incident, exc_info=exc)
    return Open311Error(
        500, [f"something went wrong on our side; nothing was saved (incident {incident})"]
    )


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class Open311Route(APIRoute):
    """Renders every failure inside an Open311 route as an Open311 error list,
    including FastAPI's own validation errors and failures at commit time."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:  # every failure gets the caller's format
                return render_error(translate(exc), format_of_path(request.url.path))

        return guarded
