"""Encryption at rest: a keyring, AES-256-GCM column types and HMAC blind indexes.

Every ciphertext is ``<key id>$<base64url(nonce | ciphertext | tag)>`` and is
bound to its column (the column's context is the associated data), so a value
copied into another column, or altered by one byte, fails to decrypt. Keys
never live in the database: they come from ``CZRM_ENCRYPTION_KEYS`` (``id:key``
pairs, base64, newest last) and ``CZRM_BLIND_INDEX_KEY``, or from
``keyring.json`` in the data directory, which development and test
generate on first start. Rotation adds a key and re-encrypts with it; old keys
stay until no value uses them.

A blind index is a keyed hash of the normalised value: exact-match lookups
(an NI number, a date of birth in identity matching) without the value in
clear. Its key is separate from the encryption keys and is not rotated, since
changing it means recomputing every index.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Text, TypeDecorator, bindparam, func, select, type_coerce
from sqlalchemy.engine import Dialect

from czrm.errors import CzrmError

KEY_BYTES = 32
NONCE_BYTES = 12
KEYRING_FILE = "keyring.json"


class KeyringError(RuntimeError):
    """The keyring is missing or malformed; the message says what to fix."""


class DecryptionFailed(CzrmError):
    """A stored value did not authenticate: altered, moved between columns, or the key is gone."""

    def __init__(self, context: str, key_id: str, reason: str) -> None:
        super().__init__(
            message=f"a stored {context} value could not be decrypted (key {key_id!r}): {reason}",
            status=500,
            code="decryption_failed",
        )


@lru_cache(maxsize=16)
def _cipher(key: bytes) -> AESGCM:
    """One cipher per key: setting up the key schedule costs more than sealing a field."""
    return AESGCM(key)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key() -> str:
    return _b64(secrets.token_bytes(KEY_BYTES))


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes]  # insertion order: oldest first
    primary: str
    index_key: bytes
    path: Path | None = None  # where it was read from, when it is a file

    def __post_init__(self) -> None:
        if self.primary not in self.keys:
            raise KeyringError(f"the primary key {self.primary!r} is not in the keyring")
        for key_id, key in self.keys.items():
            if len(key) != KEY_BYTES or "$" in key_id or ":" in key_id:
                raise KeyringError(f"key {key_id!r} must be 32 bytes with an id without '$' or ':'")
        if len(self.index_key) < KEY_BYTES:
            raise KeyringError("the blind index key must be at least 32 bytes")

    def encrypt(self, plaintext: str, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = _cipher(self.keys[self.primary]).encrypt(
            nonce, plaintext.encode(), context.encode()
        )
        return f"{self.primary}${_b64(nonce + sealed)}"

    def decrypt(self, token: str, context: str) -> str:
        key_id, sep, body = token.partition("$")
        if not sep:
            raise DecryptionFailed(context, key_id[:16], "the value is not a czrm ciphertext")
        key = self.keys.get(key_id)
        if key is None:
            raise DecryptionFailed(context, key_id, "that key is not in the keyring")
        try:
            raw = _unb64(body)
            plain = _cipher(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except (InvalidTag, ValueError) as exc:
            raise DecryptionFailed(
                context, key_id, "it was altered or belongs to another column"
            ) from exc
        return plain.decode()

    def blind_index(self, value: str, context: str) -> str:
        message = f"{context}\x00{value}".encode()
        return hmac.digest(self.index_key, message, hashlib.sha256).hex()

    @staticmethod
    def key_id_of(token: str) -> str:
        return token.partition("$")[0]

    def as_env(self) -> dict[str, str]:
        """The keyring as the settings' environment variables (primary last)."""
        ordered = [k for k in self.keys if k != self.primary] + [self.primary]
        return {
            "CZRM_ENCRYPTION_KEYS": ",".join(f"{k}:{_b64(self.keys[k])}" for k in ordered),
            "CZRM_BLIND_INDEX_KEY": _b64(self.index_key),
        }


def _from_env(keys_text: str, index_text: str) -> Keyring:
    keys: dict[str, bytes] = {}
    for part in keys_text.split(","):
        key_id, sep, value = part.strip().partition(":")
        if not sep:
            raise KeyringError("CZRM_ENCRYPTION_KEYS is 'id:base64key,id:base64key' (newest last)")
        keys[key_id] = _unb64(value)
    if not index_text:
        raise KeyringError("CZRM_BLIND_INDEX_KEY must be set with CZRM_ENCRYPTION_KEYS")
    return Keyring(keys, primary=list(keys)[-1], index_key=_unb64(index_text))


def _from_file(path: Path) -> Keyring:
    try:
        body = json.loads(path.read_text())
        keys = {k["id"]: _unb64(k["key"]) for k in body["keys"]}
        return Keyring(keys, body["primary"], _unb64(body["index_key"]), path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyringError(f"the keyring file {path} cannot be read: {exc}") from exc


def _file_body(ring: Keyring) -> str:
    return json.dumps(
        {
            "primary": ring.primary,
            "keys": [{"id": k, "key": _b64(v)} for k, v in ring.keys.items()],
            "index_key": _b64(ring.index_key),
        },
        indent=2,
    )


def write_keyring_file(ring: Keyring, path: Path) -> None:
    """Replace the file atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(_file_body(ring))
    os.replace(tmp, path)


def create_keyring_file(path: Path) -> None:
    """A first keyring; if another process creates it at the same moment, theirs wins."""
    ring = Keyring({"k1": _unb64(new_key())}, "k1", secrets.token_bytes(KEY_BYTES))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as handle:
        handle.write(_file_body(ring))


_lock = threading.Lock()
_current: Keyring | None = None


def load_keyring() -> Keyring:
    from czrm.config import get_settings

    settings = get_settings()
    if settings.encryption_keys:
        return _from_env(settings.encryption_keys, settings.blind_index_key)
    path = settings.data_dir / KEYRING_FILE
    if not path.exists():
        if settings.environment == "production":
            raise KeyringError(
                f"no keyring: set CZRM_ENCRYPTION_KEYS and CZRM_BLIND_INDEX_KEY, or put {path}"
            )
        create_keyring_file(path)
    return _from_file(path)


def keyring() -> Keyring:
    global _current
    if _current is None:
        with _lock:
            if _current is None:
                _current = load_keyring()
    return _current


def reset_keyring(ring: Keyring | None = None) -> None:
    """Use ``ring`` from now on (or reload from settings on next use)."""
    global _current
    with _lock:
        _current = ring


def blind_index(value: str | date | None, context: str) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, date) else str(value)
    return keyring().blind_index(text, context)


class Encrypted(TypeDecorator[Any]):
    """Base of the encrypted column types: stored as ciphertext text, read back in clear."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return keyring().encrypt(self.to_text(value), self.context)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return self.from_text(keyring().decrypt(value, self.context))

    def copy(self, **kw: Any) -> Encrypted:
        return type(self)(self.context)


class EncryptedString(Encrypted):
    cache_ok = True


class EncryptedDate(Encrypted):
    cache_ok = True

    def to_text(self, value: Any) -> str:
        if isinstance(value, str):
            value = date.fromisoformat(value)
        if not isinstance(value, date):
            raise TypeError(f"{self.context} takes a date, not {type(value).__name__}")
        return value.isoformat()

    def from_text(self, text: str) -> date:
        return date.fromisoformat(text)


# json.dumps with options builds an encoder per call; a row's JSON goes through one.
_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class EncryptedJSON(Encrypted):
    cache_ok = True

    def to_text(self, value: Any) -> str:
        return _JSON.encode(value)

    def from_text(self, text: str) -> Any:
        return json.loads(text)


def encrypted_columns(metadata: Any) -> Iterator[tuple[Any, Any]]:
    """(table, column) for every encrypted column in the metadata."""
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Encrypted):
                yield table, column


def _raw(column: Any) -> Any:
    """The column as stored (ciphertext), bypassing decryption."""
    return type_coerce(column, Text)


def key_usage(session: Any, metadata: Any) -> dict[str, dict[str, int]]:
    """``{"table.column": {key id: values}}`` for every encrypted column."""
    ring = keyring()
    usage: dict[str, dict[str, int]] = {}
    for table, column in encrypted_columns(metadata):
        counts = {}
        for key_id in ring.keys:
            stmt = select(func.count()).select_from(table).where(_raw(column).like(f"{key_id}$%"))
            counts[key_id] = int(session.scalar(stmt) or 0)
        usage[f"{table.name}.{column.name}"] = counts
    return usage


def reencrypt(
    session: Any, metadata: Any, *, batch: int = 1000, commit: Any = None
) -> dict[str, int]:
    """Re-encrypt every value not under the primary key with it; returns counts per column.

    Works in batches (``commit`` is called after each), so an interrupted run
    resumes where it stopped; every value stays readable throughout because
    the old keys stay in the keyring until ``retire``.
    """
    ring = keyring()
    done: dict[str, int] = {}
    for table, column in encrypted_columns(metadata):
        pk = list(table.primary_key.columns)
        if len(pk) != 1:
            raise KeyringError(f"{table.name} needs a single-column primary key to re-encrypt")
        context = column.type.context
        stale = _raw(column).not_like(f"{ring.primary}$%")
        update = (
            table.update()
            .where(pk[0] == bindparam("k"))
            .values({column.name: bindparam("v", type_=Text)})
        )
        count = 0
        while True:
            rows = session.execute(
                select(pk[0], _raw(column)).where(column.is_not(None), stale).limit(batch)
            ).all()
            if not rows:
                break
            session.execute(
                update,
                [
                    {"k": key, "v": ring.encrypt(ring.decrypt(value, context), context)}
                    for key, value in rows
                ],
            )
            count += len(rows)
            if commit is not None:
                commit()
        done[f"{table.name}.{column.name}"] = count
    return done


def rotate_file_keyring() -> Keyring:
    """Add a new key to the keyring file and make it primary (old keys stay)."""
    ring = keyring()
    if ring.path is None:
        raise KeyringError(
            "the keyring comes from CZRM_ENCRYPTION_KEYS: add the new key there (last) and "
            "restart, then run `czrm keys rotate` to re-encrypt"
        )
    number = 1 + max(
        (int(k[1:]) for k in ring.keys if k.startswith("k") and k[1:].isdigit()), default=0
    )
    key_id = f"k{number}"
    rotated = Keyring({**ring.keys, key_id: _unb64(new_key())}, key_id, ring.index_key, ring.path)
    write_keyring_file(rotated, ring.path)
    reset_keyring(rotated)
    return rotated


def retire_unused_keys(session: Any, metadata: Any) -> list[str]:
    """Drop from the keyring file the keys no stored value uses; returns their ids."""
    ring = keyring()
    if ring.path is None:
        raise KeyringError("the keyring comes from the environment: remove old keys there")
    used = {k for counts in key_usage(session, metadata).values() for k, n in counts.items() if n}
    unused = [k for k in ring.keys if k not in used and k != ring.primary]
    if unused:
        kept = {k: v for k, v in ring.keys.items() if k not in unused}
        trimmed = Keyring(kept, ring.primary, ring.index_key, ring.path)
        write_keyring_file(trimmed, ring.path)
        reset_keyring(trimmed)
    return unused
