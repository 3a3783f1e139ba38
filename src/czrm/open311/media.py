"""Photos uploaded with a request: checked by content, stored under a random name.

The type comes from the file's first bytes, never from the name or the
declared content type; only JPEG, PNG, GIF and WebP are kept. URLs a client
gives in ``media_url`` are stored as they are and never fetched by the server.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import BinaryIO

from czrm.config import get_settings

TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}
NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|gif|webp)$")
MAX_URL = 2000


def sniff(head: bytes) -> str | None:
    """The file extension for an accepted image type, from its magic bytes."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def media_dir() -> Path:
    return get_settings().data_dir / "media"


def new_name(extension: str) -> str:
    return f"{secrets.token_hex(16)}.{extension}"


def store(source: BinaryIO, name: str) -> None:
    """Copy an upload into the media folder under ``name``."""
    folder = media_dir()
    folder.mkdir(parents=True, exist_ok=True)
    source.seek(0)
    with open(folder / name, "xb") as target:
        while chunk := source.read(1024 * 1024):
            target.write(chunk)


def discard(names: list[str]) -> None:
    for name in names:
        (media_dir() / name).unlink(missing_ok=True)


def path_of(name: str) -> Path | None:
    if not NAME.match(name):
        return None
    path = media_dir() / name
    return path if path.is_file() else None


def is_acceptable_url(url: str) -> bool:
    return (
        len(url) <= MAX_URL
        and url.lower().startswith(("http://", "https://"))
        and (not any(ch.isspace() for ch in url))
    )
