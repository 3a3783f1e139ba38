"""Staff REST API for Open311 client applications (service admins only)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from czrm.auth.deps import CurrentSubject
from czrm.kit.web import DbSession
from czrm.open311.clients import client_service
from czrm.open311.models import Open311Client
from czrm.open311.schemas import ClientCreate, ClientCreated, ClientRead

router = APIRouter(prefix="/api/v1/open311/clients", tags=["open311"])


def _read(client: Open311Client) -> ClientRead:
    return ClientRead.model_validate(client, from_attributes=True)


@router.get("", response_model=list[ClientRead])
def list_clients(session: DbSession, subject: CurrentSubject) -> list[ClientRead]:
    return [_read(c) for c in client_service.list(session, subject)]


@router.post("", status_code=201, response_model=ClientCreated)
def create_client(body: ClientCreate, session: DbSession, subject: CurrentSubject) -> ClientCreated:
    """Register an app; the api_key in the answer is never shown again."""
    key, client = client_service.create(session, subject, name=body.name)
    return ClientCreated(**_read(client).model_dump(), api_key=key)


@router.get("/{client_id}", response_model=ClientRead)
def get_client(client_id: uuid.UUID, session: DbSession, subject: CurrentSubject) -> ClientRead:
    return _read(client_service.get(session, subject, client_id))


@router.post("/{client_id}/revoke", response_model=ClientRead)
def revoke_client(client_id: uuid.UUID, session: DbSession, subject: CurrentSubject) -> ClientRead:
    """The key stops working at once; the client's past requests stay."""
    client = client_service.get(session, subject, client_id)
    return _read(client_service.revoke(session, subject, client))
