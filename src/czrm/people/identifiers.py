"""The one place identifier values are written and read.

Values are normalised (no spaces, upper case), encrypted at rest by the
column type, and found by their blind index (keyed by scheme, so the same NI
number in a source record has the same index). Callers never touch
``Identifier.value`` directly.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.errors import FieldError, ValidationFailed
from czrm.kit.crypto import blind_index
from czrm.people.models import Identifier, Party

SCHEME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def normalise(value: str) -> str:
    return re.sub(r"\s", "", value).upper()


def add(
    session: Session,
    party_id: uuid.UUID,
    *,
    scheme: str,
    value: str,
    issuer: str | None = None,
    verified_at: datetime | None = None,
) -> Identifier:
    if not SCHEME.match(scheme):
        raise ValidationFailed(
            [FieldError("scheme", "use a lower-case scheme name, e.g. ni_number")]
        )
    stored = normalise(value)
    if not stored or len(stored) > 200:
        raise ValidationFailed([FieldError("value", "must be 1 to 200 characters")])
    identifier = Identifier(
        party_id=party_id,
        scheme=scheme,
        value=stored,
        value_index=index_of(scheme, stored),
        issuer=issuer,
        verified_at=verified_at,
    )
    session.add(identifier)
    session.flush()
    return identifier


def index_of(scheme: str, value: str) -> str:
    found = blind_index(normalise(value), scheme)
    assert found is not None
    return found


def reveal(identifier: Identifier) -> str:
    """The identifier's value in clear."""
    return identifier.value


def masked(identifier: Identifier) -> str:
    """What a screen shows by default: all but the last three characters hidden."""
    value = reveal(identifier)
    return "•" * max(len(value) - 3, 0) + value[-3:]


def find_parties(
    session: Session, jurisdiction_id: uuid.UUID, *, scheme: str, value: str
) -> list[uuid.UUID]:
    """Parties of the jurisdiction holding ``scheme``/``value`` (exact, after normalising)."""
    stmt = (
        select(Identifier.party_id)
        .join(Party, Party.id == Identifier.party_id)
        .where(
            Party.jurisdiction_id == jurisdiction_id,
            Identifier.scheme == scheme,
            Identifier.value_index == index_of(scheme, value),
        )
    )
    return list(session.scalars(stmt))
