"""Registering departmental source systems."""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Actor
from czrm.errors import Conflict, FieldError, NotFound, ValidationFailed
from czrm.identity.models import SourceSystem
from czrm.identity.records import STANDARD_FIELDS
from czrm.privacy.categories import DataCategory

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def check_mapping(mapping: dict[str, Any]) -> dict[str, str]:
    """The mapping is ``{standard field: column in the system's extract}``."""
    errors = [
        FieldError(f"field_mapping.{key}", f"is not one of {', '.join(STANDARD_FIELDS)}")
        for key in mapping
        if key not in STANDARD_FIELDS
    ]
    errors += [
        FieldError(f"field_mapping.{key}", "must name a column")
        for key, value in mapping.items()
        if not isinstance(value, str) or not value.strip()
    ]
    if errors:
        raise ValidationFailed(errors)
    return {key: str(value).strip() for key, value in mapping.items()}


class SourceSystemService:
    def register(
        self,
        session: Session,
        actor: Actor,
        jurisdiction_id: uuid.UUID,
        *,
        code: str,
        name: str,
        department_id: uuid.UUID | None = None,
        field_mapping: dict[str, Any] | None = None,
        data_category: str = "service_history",
    ) -> SourceSystem:
        if not CODE.match(code):
            raise ValidationFailed([FieldError("code", "use lower-case letters, digits, - and _")])
        if data_category not in DataCategory.__members__.values():
            choices = ", ".join(c.value for c in DataCategory)
            raise ValidationFailed([FieldError("data_category", f"use one of: {choices}")])
        mapping = check_mapping(field_mapping or {})
        if self.find(session, jurisdiction_id, code) is not None:
            raise Conflict(f"source system {code} already exists", code="duplicate_system")
        system = SourceSystem(
            jurisdiction_id=jurisdiction_id,
            code=code,
            name=name,
            department_id=department_id,
            field_mapping=mapping,
            data_category=data_category,
        )
        session.add(system)
        session.flush()
        record(
            session,
            actor,
            action="source_system_registered",
            entity_type="source_system",
            entity_id=system.id,
            jurisdiction_id=jurisdiction_id,
            details={"code": code, "mapped_fields": sorted(mapping)},
        )
        return system

    def find(self, session: Session, jurisdiction_id: uuid.UUID, code: str) -> SourceSystem | None:
        return session.scalars(
            select(SourceSystem).where(
                SourceSystem.jurisdiction_id == jurisdiction_id, SourceSystem.code == code
            )
        ).first()

    def get(self, session: Session, jurisdiction_id: uuid.UUID, code: str) -> SourceSystem:
        system = self.find(session, jurisdiction_id, code)
        if system is None:
            raise NotFound("source system", code)
        return system

    def list_systems(self, session: Session, jurisdiction_id: uuid.UUID) -> list[SourceSystem]:
        stmt = select(SourceSystem).where(SourceSystem.jurisdiction_id == jurisdiction_id)
        return list(session.scalars(stmt.order_by(SourceSystem.code)))


source_system_service = SourceSystemService()
