"""Staff REST API for the service catalogue (admins change it)."""

from __future__ import annotations

from fastapi import APIRouter

from czrm.auth.deps import CurrentSubject
from czrm.catalogue.models import Service
from czrm.catalogue.schemas import ServiceCreate, ServiceRead, ServiceUpdate
from czrm.catalogue.service import catalogue_service
from czrm.kit.web import DbSession

router = APIRouter(prefix="/api/v1/services", tags=["services"])


def _read(service: Service) -> ServiceRead:
    return ServiceRead.model_validate(service, from_attributes=True)


@router.get("", response_model=list[ServiceRead])
def list_services(
    session: DbSession, subject: CurrentSubject, include_inactive: bool = False
) -> list[ServiceRead]:
    services = catalogue_service.list(
        session, subject.jurisdiction_id, include_inactive=include_inactive
    )
    return [_read(s) for s in services]


@router.get("/{code}", response_model=ServiceRead)
def get_service(code: str, session: DbSession, subject: CurrentSubject) -> ServiceRead:
    return _read(catalogue_service.get_by_code(session, subject.jurisdiction_id, code))


@router.post("", status_code=201, response_model=ServiceRead)
def create_service(body: ServiceCreate, session: DbSession, subject: CurrentSubject) -> ServiceRead:
    return _read(catalogue_service.create(session, subject, data=body.model_dump()))


@router.patch("/{code}", response_model=ServiceRead)
def update_service(
    code: str, body: ServiceUpdate, session: DbSession, subject: CurrentSubject
) -> ServiceRead:
    service = catalogue_service.get_by_code(session, subject.jurisdiction_id, code)
    changes = body.model_dump(exclude_unset=True)
    return _read(catalogue_service.update(session, subject, service, changes=changes))
