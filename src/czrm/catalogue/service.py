"""The service catalogue's rules: codes are unique per jurisdiction, questions
are checked when defined, and a retired service stays for its old cases."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Permission, Subject
from czrm.catalogue.attributes import check_definitions
from czrm.catalogue.localise import check_service_translations, localised_text
from czrm.catalogue.models import Service
from czrm.errors import Conflict, NotFound, ValidationFailed
from czrm.kit.cache import TtlCache
from czrm.org.models import Department
from czrm.org.service import get_department


@dataclass(frozen=True)
class ServiceInfo:
    """A service as public reads show it."""

    id: uuid.UUID
    code: str
    name: str
    department_id: uuid.UUID
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)

    def name_in(self, language: str) -> str:
        return str(localised_text(self.translations, language, "name", self.name))


@dataclass(frozen=True)
class Directory:
    """Every service (inactive ones too: old cases name them) and department name."""

    services: dict[uuid.UUID, ServiceInfo]
    departments: dict[uuid.UUID, str]


_directory = TtlCache(ttl=60.0)
# Services as intake reads them, by (jurisdiction, code): every request opened
# read its service's row (~0.5 ms of an Open311 POST's CPU). Detached copies,
# read and never changed; cleared with the directory.
_for_intake = TtlCache(ttl=60.0)


_BY_CODE = select(Service).where(
    Service.jurisdiction_id == bindparam("jurisdiction_id"), Service.code == bindparam("code")
)


def _forget_cached() -> None:
    _directory.clear()
    _for_intake.clear()


class CatalogueService:
    def directory(
        self,
        session: Session,
        jurisdiction_id: uuid.UUID,
        *,
        covering: Iterable[uuid.UUID] = (),
        codes: Iterable[str] = (),
    ) -> Directory:
        """Cached; reloaded at once when it lacks a service or department id in
        ``covering`` or a service code in ``codes`` (one created by another
        process since it was loaded)."""
        wanted, wanted_codes = set(covering), set(codes)

        def complete(directory: Directory) -> bool:
            known = directory.services.keys() | directory.departments.keys()
            known_codes = {info.code for info in directory.services.values()}
            return wanted <= known and wanted_codes <= known_codes

        def load() -> Directory:
            services = session.execute(
                select(
                    Service.id,
                    Service.code,
                    Service.name,
                    Service.department_id,
                    Service.translations,
                ).where(Service.jurisdiction_id == jurisdiction_id)
            )
            departments = session.execute(
                select(Department.id, Department.name).where(
                    Department.jurisdiction_id == jurisdiction_id
                )
            )
            return Directory(
                services={row[0]: ServiceInfo(*row) for row in services},
                departments={row[0]: row[1] for row in departments},
            )

        return _directory.get_or_load(jurisdiction_id, load, fresh_enough=complete)

    def list(
        self, session: Session, jurisdiction_id: uuid.UUID, *, include_inactive: bool = False
    ) -> list[Service]:
        stmt = select(Service).where(Service.jurisdiction_id == jurisdiction_id)
        if not include_inactive:
            stmt = stmt.where(Service.active.is_(True))
        return list(session.scalars(stmt.order_by(Service.group, Service.name)))

    def get_by_code(
        self, session: Session, jurisdiction_id: uuid.UUID, code: str, *, active_only: bool = False
    ) -> Service:
        service = session.scalars(
            _BY_CODE, {"jurisdiction_id": jurisdiction_id, "code": code}
        ).first()
        if service is None or (active_only and not service.active):
            raise NotFound("service", code)
        return service

    def for_intake(self, session: Session, jurisdiction_id: uuid.UUID, code: str) -> Service | None:
        """The service with ``code``, active or not, cached as ``directory`` is (a
        change made in another process shows within a minute). A detached copy:
        read it, never change it."""

        def load() -> Service | None:
            found = session.scalars(_BY_CODE, {"jurisdiction_id": jurisdiction_id, "code": code})
            service = found.first()
            if service is not None:
                session.expunge(service)
            return service

        return _for_intake.get_or_load((jurisdiction_id, code), load)

    def create(self, session: Session, subject: Subject, *, data: dict[str, Any]) -> Service:
        subject.require(Permission.SERVICES_ADMIN)
        exists = session.scalars(
            select(Service.id).where(
                Service.jurisdiction_id == subject.jurisdiction_id, Service.code == data["code"]
            )
        ).first()
        if exists:
            raise Conflict(f"a service with code {data['code']} exists", code="duplicate_code")
        department = get_department(session, subject.jurisdiction_id, data.pop("department"))
        data["attributes"] = check_definitions(data.get("attributes") or [])
        data["translations"] = _translations(data.get("translations"))
        service = Service(
            jurisdiction_id=subject.jurisdiction_id, department_id=department.id, **data
        )
        session.add(service)
        session.flush()
        _forget_cached()
        record(
            session,
            subject.actor,
            action="service_created",
            entity_type="service",
            entity_id=service.id,
            jurisdiction_id=subject.jurisdiction_id,
            details={"code": service.code, "department": department.code},
        )
        return service

    def update(
        self, session: Session, subject: Subject, service: Service, *, changes: dict[str, Any]
    ) -> Service:
        subject.require(Permission.SERVICES_ADMIN)
        if "department" in changes:
            changes["department_id"] = get_department(
                session, subject.jurisdiction_id, changes.pop("department")
            ).id
        if "attributes" in changes:
            changes["attributes"] = check_definitions(changes["attributes"] or [])
        if "translations" in changes:
            changes["translations"] = _translations(changes["translations"])
        for name, value in changes.items():
            setattr(service, name, value)
        session.flush()
        _forget_cached()
        record(
            session,
            subject.actor,
            action="service_updated",
            entity_type="service",
            entity_id=service.id,
            jurisdiction_id=subject.jurisdiction_id,
            details={"code": service.code, "fields": sorted(changes)},
        )
        return service


def _translations(raw: object) -> dict[str, dict[str, Any]]:
    cleaned, errors = check_service_translations(raw)
    if errors:
        raise ValidationFailed(errors)
    return cleaned


catalogue_service = CatalogueService()
