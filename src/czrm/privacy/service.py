"""Editing the register of processing, and the Art. 30 record built from it.

Only admins and the data protection officer edit; every edit is audited with
what changed. A purpose that uses a special category (or criminal offence
data) must name its Art. 9 / Art. 10 condition, and a covert purpose must say
when its reads are disclosed.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Permission, Subject
from czrm.errors import Conflict, FieldError, NotFound, ValidationFailed
from czrm.kit.time import utc_now
from czrm.org.models import Jurisdiction
from czrm.privacy import repository
from czrm.privacy.categories import DESCRIPTIONS, SPECIAL, DataCategory
from czrm.privacy.models import ARTICLE_6, LawfulBasis, Purpose
from czrm.privacy.schemas import PurposeCreate, PurposeUpdate

SECURITY_MEASURES = (
    "Purpose-bound access decided per read; every read of personal data logged and shown "
    "to the person; AES-256-GCM encryption at rest of identifiers, dates of birth, raw "
    "departmental records and needs notes, keys held outside the database; hash-chained "
    "audit log; role and department scope enforced in every query."
)


def _check(session: Session, jurisdiction_id: uuid.UUID, purpose: Purpose) -> None:
    errors: list[FieldError] = []
    if {DataCategory(c) for c in purpose.categories} & SPECIAL and not purpose.special_condition:
        errors.append(
            FieldError(
                "special_condition",
                "a purpose using health/social care or criminal offence data must name its "
                "Art. 9(2) or Art. 10 condition",
            )
        )
    if purpose.covert and not purpose.disclosure_delay_days:
        errors.append(
            FieldError("disclosure_delay_days", "a covert purpose must say when it is disclosed")
        )
    known = set(repository.department_names(session, jurisdiction_id))
    unknown = [d for d in purpose.departments if d.upper() not in known]
    if unknown:
        errors.append(FieldError("departments", f"unknown department codes: {', '.join(unknown)}"))
    if errors:
        raise ValidationFailed(errors)


class PurposeService:
    def list(self, session: Session, subject: Subject) -> list[Purpose]:
        return list(repository.purposes(session, subject.jurisdiction_id).values())

    def get(self, session: Session, subject: Subject, code: str) -> Purpose:
        found = repository.purposes(session, subject.jurisdiction_id).get(code)
        if found is None:
            raise NotFound("purpose", code)
        return found

    def create(self, session: Session, subject: Subject, body: PurposeCreate) -> Purpose:
        subject.require(Permission.PRIVACY_ADMIN)
        if body.code in repository.purposes(session, subject.jurisdiction_id):
            raise Conflict(f"purpose {body.code} already exists", code="duplicate_purpose")
        values = body.model_dump(exclude_none=True)
        purpose = Purpose(
            jurisdiction_id=subject.jurisdiction_id,
            **{**values, **_lists(values)},
        )
        _check(session, subject.jurisdiction_id, purpose)
        session.add(purpose)
        session.flush()
        self._audit(session, subject, purpose, "purpose_created", {"code": [None, purpose.code]})
        return purpose

    def update(self, session: Session, subject: Subject, code: str, body: PurposeUpdate) -> Purpose:
        subject.require(Permission.PRIVACY_ADMIN)
        purpose = self.get(session, subject, code)
        values = body.model_dump(exclude_unset=True)
        values = {**values, **_lists(values)}
        changes: dict[str, Any] = {}
        for name, value in values.items():
            if value is None and name in ("name", "lawful_basis", "categories", "retention"):
                raise ValidationFailed([FieldError(name, "may not be cleared")])
            old = getattr(purpose, name)
            if old != value:
                changes[name] = [old, value]
                setattr(purpose, name, value)
        _check(session, subject.jurisdiction_id, purpose)
        if changes:
            purpose.updated_at = utc_now()
            session.flush()
            self._audit(session, subject, purpose, "purpose_updated", changes)
        return purpose

    def _audit(
        self,
        session: Session,
        subject: Subject,
        purpose: Purpose,
        action: str,
        changes: dict[str, Any],
    ) -> None:
        record(
            session,
            subject.actor,
            action=action,
            entity_type="purpose",
            entity_id=purpose.id,
            jurisdiction_id=subject.jurisdiction_id,
            details={"code": purpose.code, "changes": changes},
        )

    def record_of_processing(self, session: Session, subject: Subject) -> dict[str, Any]:
        subject.require(Permission.PRIVACY_ADMIN)
        return record_of_processing(session, subject.jurisdiction_id)


def record_of_processing(session: Session, jurisdiction_id: uuid.UUID) -> dict[str, Any]:
    """The Art. 30(1) record: the controller, and for each purpose its lawful basis,
    categories, recipients, retention and the security measures."""
    jurisdiction = session.get(Jurisdiction, jurisdiction_id)
    names = repository.department_names(session, jurisdiction_id)
    purposes = sorted(repository.purposes(session, jurisdiction_id).values(), key=lambda p: p.code)
    return {
        "controller": jurisdiction.name if jurisdiction else "",
        "generated_at": utc_now().isoformat(),
        "security_measures": SECURITY_MEASURES,
        "international_transfers": "none",
        "categories_of_data_subjects": "residents, service users, businesses' contacts",
        "purposes": [_art30_row(p, names) for p in purposes],
    }


def as_csv(record_body: dict[str, Any]) -> str:
    """One row per purpose; lists joined with '; '."""
    out = io.StringIO()
    rows = record_body["purposes"]
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["code"])
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return out.getvalue()


def _lists(values: dict[str, Any]) -> dict[str, Any]:
    """Enum lists stored as their plain values; department codes upper-cased."""
    out: dict[str, Any] = {}
    for name in ("categories", "roles"):
        if values.get(name) is not None:
            out[name] = [str(getattr(v, "value", v)) for v in values[name]]
    if values.get("departments") is not None:
        out["departments"] = [d.strip().upper() for d in values["departments"]]
    if values.get("lawful_basis") is not None:
        out["lawful_basis"] = str(LawfulBasis(values["lawful_basis"]).value)
    return out


def _art30_row(p: Purpose, names: dict[str, str]) -> dict[str, Any]:
    return {
        "code": p.code,
        "purpose": p.name,
        "description": p.description,
        "lawful_basis": ARTICLE_6[LawfulBasis(p.lawful_basis)],
        "special_category_condition": p.special_condition or "",
        "legislation": p.legislation or "",
        "data_categories": [DESCRIPTIONS[DataCategory(c)] for c in p.categories],
        "special_categories": [c for c in p.categories if DataCategory(c) in SPECIAL],
        "recipients": [names.get(d, d) for d in p.departments] or ["all departments"],
        "staff_roles": p.roles or ["all staff roles"],
        "retention": p.retention,
        "retention_days": p.retention_days,
        "covert": p.covert,
        "disclosure_delay_days": p.disclosure_delay_days,
        "active": p.active,
    }


purpose_service = PurposeService()
