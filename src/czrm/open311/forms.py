"""Reading an Open311 POST: form-urlencoded or multipart, with repeated keys.

Open311 clients repeat keys (``media_url``, ``attribute[x][]``) and put
``api_key`` in the body or the query string, so the raw multi-items are kept
and the query string is read after the body. Bodies are counted as they
stream in and refused past the limit: an oversized upload is a 400 before it
is read whole, and file parts spool to disk past 1 MB, never all in memory.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from czrm.open311.config import get_open311_settings
from czrm.open311.formats import bad_request

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
MAX_FIELDS = 1000
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,64})\](\[\])?$")
MEDIA_FIELDS = ("media", "media[]")


@dataclass
class OpenForm:
    """The fields of one POST (body first, then query string) and its uploads."""

    items: list[tuple[str, str]] = field(default_factory=list)
    uploads: list[tuple[str, UploadFile]] = field(default_factory=list)

    def first(self, name: str) -> str | None:
        for key, value in self.items:
            if key == name:
                return value
        return None

    def text(self, name: str) -> str | None:
        """The first value, stripped; blank counts as absent."""
        value = self.first(name)
        return value.strip() or None if value is not None else None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.items if key == name]

    def attributes(self) -> dict[str, Any]:
        """``attribute[code]=v`` once is a value; repeated, or ``attribute[code][]``, a list."""
        answers: dict[str, Any] = {}
        many: set[str] = set()
        for key, value in self.items:
            match = _ATTRIBUTE.match(key)
            if match is None:
                continue
            code, is_list = match.group(1), bool(match.group(2))
            if code in answers:
                previous = answers[code]
                answers[code] = [*previous, value] if code in many else [previous, value]
                many.add(code)
            elif is_list:
                answers[code] = [value]
                many.add(code)
            else:
                answers[code] = value
        return answers

    def malformed_keys(self) -> list[str]:
        return [k for k, _ in self.items if k.startswith("attribute") and not _ATTRIBUTE.match(k)]

    def digest(self) -> str:
        """What the request asked for, to tell a true retry from a reused key."""
        fields = sorted((k, v) for k, v in self.items if k != "api_key")
        files = [(name, upload.size) for name, upload in self.uploads]
        blob = json.dumps([fields, files], ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()


async def _limited(stream: AsyncIterator[bytes], limit: int) -> AsyncGenerator[bytes, None]:
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > limit:
            raise bad_request(f"the request body is larger than {limit} bytes")
        yield chunk


async def _read_all(stream: AsyncGenerator[bytes, None]) -> bytes:
    parts = [chunk async for chunk in stream]
    return b"".join(parts)


def _query_items(request: Request) -> list[tuple[str, str]]:
    return list(request.query_params.multi_items())


async def read_form(request: Request) -> OpenForm:
    """A FastAPI dependency: the POST's fields and uploads, or a 400."""
    settings = get_open311_settings()
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    limit = settings.max_form_bytes
    if media_type == MULTIPART:
        limit += settings.max_media_bytes * settings.max_media_files
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise bad_request("Content-Length is not a number")
        if int(declared) > limit:
            raise bad_request(f"the request body is larger than {limit} bytes")
    stream = _limited(request.stream(), limit)
    form = OpenForm()
    if media_type == FORM:
        try:
            text = (await _read_all(stream)).decode("utf-8")
            form.items = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
        except UnicodeDecodeError:
            raise bad_request("the body is not UTF-8") from None
        except ValueError:
            raise bad_request(f"the body has more than {MAX_FIELDS} fields") from None
    elif media_type == MULTIPART:
        parser = MultiPartParser(
            request.headers,
            stream,
            max_files=settings.max_media_files,
            max_fields=MAX_FIELDS,
            max_part_size=settings.max_form_bytes,
        )
        try:
            data = await parser.parse()
        except MultiPartException as exc:
            raise bad_request(f"malformed multipart body: {exc.message}") from None
        for key, value in data.multi_items():
            if isinstance(value, str):
                form.items.append((key, value))
            elif key in MEDIA_FIELDS:
                form.uploads.append((key, value))
            else:
                raise bad_request(f"{key}: only media or media[] may be a file")
    elif media_type or await _read_all(stream):
        raise bad_request(f"send the fields as {FORM} or {MULTIPART}")
    form.items.extend(_query_items(request))
    for name, upload in form.uploads:
        if upload.size is not None and upload.size > settings.max_media_bytes:
            raise bad_request(f"{name}: a file is larger than {settings.max_media_bytes} bytes")
    return form
