"""The one place that decides what a reader may see of a person, and why.

Every staff read of personal data names a purpose (or takes its role's
default). ``grant_for`` checks the purpose is in the register, active and open
to the reader's roles and departments, and returns a ``Grant``: the categories
that purpose allows. Readers build their output through a ``Disclosure`` so a
withheld part is marked ``{"withheld": true, "category": …}``, never dropped,
and the categories actually shown are known for the access log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from czrm.auth.models import Role
from czrm.auth.subject import Permission, Subject
from czrm.errors import CzrmError, FieldError, Forbidden, ValidationFailed
from czrm.privacy import repository
from czrm.privacy.categories import DataCategory
from czrm.privacy.models import Purpose

# The purpose a read takes when the caller names none, by role (first match wins).
DEFAULT_PURPOSES: tuple[tuple[Role, str], ...] = (
    (Role.DPO, "subject_rights"),
    (Role.CASEWORKER, "casework"),
    (Role.MANAGER, "casework"),
    (Role.AGENT, "casework"),
    (Role.ADMIN, "casework"),
)
READ_PERMISSIONS = (Permission.CASES_READ, Permission.PRIVACY_ADMIN)


class PurposeNotAllowed(CzrmError):
    def __init__(self, purpose: str, reason: str, allowed: list[str]) -> None:
        super().__init__(
            message=f"purpose {purpose!r} is not open to you: {reason}",
            status=403,
            code="purpose_not_allowed",
            extra={"purpose": purpose, "allowed_purposes": allowed},
        )


@dataclass(frozen=True)
class Grant:
    """A reader's permission, for one purpose, to see some categories of a person's data."""

    subject: Subject
    purpose_code: str
    purpose_name: str
    lawful_basis: str
    categories: frozenset[DataCategory]
    department_codes: tuple[str, ...]
    covert: bool = False
    disclosure_delay_days: int | None = None
    covert_reason: str | None = None

    def allows(self, category: DataCategory) -> bool:
        return category in self.categories

    def disclosure(self) -> Disclosure:
        return Disclosure(self)


def withheld(category: DataCategory) -> dict[str, Any]:
    return {"withheld": True, "category": category.value}


@dataclass
class Disclosure:
    """Builds one read's output and remembers which categories it showed."""

    grant: Grant
    shown: set[DataCategory] = field(default_factory=set)

    def value(self, category: DataCategory, value: Any) -> Any:
        """The value if the purpose allows its category (a callable is only called then)."""
        if not self.grant.allows(category):
            return withheld(category)
        self.shown.add(category)
        return value() if callable(value) else value


def _purpose_allows(purpose: Purpose, subject: Subject, codes: tuple[str, ...]) -> tuple[bool, str]:
    if not purpose.active:
        return False, "the purpose is no longer active"
    if purpose.roles and not {r.value for r in subject.roles} & set(purpose.roles):
        return False, f"it is open to the roles {', '.join(purpose.roles)} only"
    wanted = {d.upper() for d in purpose.departments}
    if wanted and not wanted & set(codes):
        return False, f"it is open to the departments {', '.join(sorted(wanted))} only"
    return True, ""


def default_purpose(subject: Subject) -> str:
    for role, code in DEFAULT_PURPOSES:
        if role in subject.roles:
            return code
    return "casework"


def purposes_open_to(session: Session, subject: Subject) -> list[Purpose]:
    """The purposes of the register this reader may read people's data for."""
    codes = repository.department_codes(session, subject.department_ids)
    register = repository.purposes(session, subject.jurisdiction_id)
    return [p for p in register.values() if _purpose_allows(p, subject, codes)[0]]


def grant_for(session: Session, subject: Subject, purpose: str | None) -> Grant:
    """Refuse (403) a reader without a read permission or a purpose open to them;
    an unknown purpose is malformed input (422, field ``purpose``)."""
    if not any(subject.can(p) for p in READ_PERMISSIONS):
        raise Forbidden("your roles do not allow reading people's data")
    register = repository.purposes(session, subject.jurisdiction_id)
    codes = repository.department_codes(session, subject.department_ids)
    allowed = sorted(p.code for p in register.values() if _purpose_allows(p, subject, codes)[0])
    code = purpose or default_purpose(subject)
    chosen = register.get(code)
    if chosen is None:
        raise ValidationFailed(
            [FieldError("purpose", f"unknown purpose; use one of: {', '.join(allowed)}")]
        )
    ok, reason = _purpose_allows(chosen, subject, codes)
    if not ok:
        raise PurposeNotAllowed(code, reason, allowed)
    return Grant(
        subject=subject,
        purpose_code=chosen.code,
        purpose_name=chosen.name,
        lawful_basis=chosen.lawful_basis,
        categories=frozenset(DataCategory(c) for c in chosen.categories),
        department_codes=codes,
        covert=chosen.covert,
        disclosure_delay_days=chosen.disclosure_delay_days,
        covert_reason=chosen.description if chosen.covert else None,
    )
