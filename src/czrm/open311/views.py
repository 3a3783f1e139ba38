"""Open311 documents built from czrm records.

Public: nothing here reads or emits a requester's name, email, phone, device
or account id. Ids and codes are strings, optional fields are present as
``None``, datetimes carry the jurisdiction's offset.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from czrm.cases import workflow
from czrm.cases.models import Case, CaseEvent, CaseStatus, EventType, format_reference
from czrm.catalogue.models import Service
from czrm.catalogue.service import catalogue_service
from czrm.open311 import repository
from czrm.open311.formats import iso
from czrm.open311.statuses import extended
from czrm.org.service import JurisdictionInfo

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = datetime.fromisoformat("2026-11-23T00:00:00+00:00")


def zone(jurisdiction: JurisdictionInfo) -> ZoneInfo:
    try:
        return ZoneInfo(jurisdiction.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def discovery(jurisdiction: JurisdictionInfo, base_url: str) -> dict[str, Any]:
    endpoint = {
        "specification": SPECIFICATION,
        "url": base_url,
        "changeset": iso(CHANGESET),
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    contact = ", ".join(
        p for p in (jurisdiction.name, jurisdiction.contact_email, jurisdiction.contact_phone) if p
    )
    return {
        "changeset": iso(CHANGESET),
        "contact": contact,
        "key_service": f"Ask {jurisdiction.name} for an api_key to post service requests.",
        "endpoints": [endpoint],
    }


def service(svc: Service) -> dict[str, Any]:
    return {
        "service_code": svc.code,
        "service_name": svc.name,
        "description": svc.description or None,
        "metadata": bool(svc.attributes),
        "type": str(svc.type),
        "keywords": ", ".join(svc.keywords) if svc.keywords else None,
        "group": svc.group or "",
    }


def service_definition(svc: Service) -> dict[str, Any]:
    attributes = [
        {
            "variable": bool(a.get("variable", True)),
            "code": str(a["code"]),
            "datatype": a["datatype"],
            "required": bool(a.get("required", False)),
            "datatype_description": a.get("datatype_description") or None,
            "order": int(a.get("order") or index + 1),
            "description": a.get("description") or a["code"],
            "values": [{"key": str(v["key"]), "name": str(v["name"])} for v in a.get("values", [])],
        }
        for index, a in enumerate(svc.attributes)
    ]
    return {"service_code": svc.code, "attributes": attributes}


def _status_notes(events: list[CaseEvent]) -> str | None:
    for event in reversed(events):
        if event.type == EventType.STATUS_CHANGED and event.body:
            return event.body
    return None


def _note(event: CaseEvent, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "type": str(event.type),
        "datetime": iso(event.occurred_at, tz),
        "description": event.body,
        "status": extended(event.to_status),
    }


def requests(
    session: Session,
    jurisdiction: JurisdictionInfo,
    cases: Sequence[Any],
    *,
    extensions: bool = False,
    notes: dict[int, str | None] | None = None,
) -> list[dict[str, Any]]:
    """``cases`` are rows of ``repository.public_columns`` (plus ``attributes`` with
    ``extensions``); ``notes`` are their status notes when the caller has them."""
    tz = zone(jurisdiction)
    directory = catalogue_service.directory(
        session,
        jurisdiction.id,
        covering={c.service_id for c in cases} | {c.department_id for c in cases},
    )
    ids = [c.id for c in cases]
    events = repository.public_events(session, ids) if extensions else {}
    if extensions:
        notes = {i: _status_notes(timeline) for i, timeline in events.items()}
    elif notes is None:
        notes = dict(repository.status_notes(session, ids))
    documents = []
    for case in cases:
        svc = directory.services.get(case.service_id)
        document: dict[str, Any] = {
            "service_request_id": format_reference(case.opened_at.year, case.id),
            "status": workflow.open311_status(CaseStatus(case.status)),
            "status_notes": notes.get(case.id),
            "service_name": svc.name if svc else None,
            "service_code": svc.code if svc else None,
            "description": case.description or None,
            "agency_responsible": directory.departments.get(case.department_id),
            "service_notice": None,
            "requested_datetime": iso(case.opened_at, tz),
            "updated_datetime": iso(case.updated_at, tz),
            "expected_datetime": iso(case.due_at, tz),
            "address": case.address,
            "address_id": case.address_id,
            "zipcode": case.postcode,
            "lat": case.lat,
            "long": case.long,
            "media_url": case.media_urls[0] if case.media_urls else None,
        }
        if extensions:
            document["extended_attributes"] = {
                "status": str(case.status),
                "extended_status": extended(case.status),
                "sub_status": case.sub_status,
                "attributes": dict(case.attributes or {}),
                "media_urls": list(case.media_urls or []),
            }
            document["notes"] = [_note(e, tz) for e in events.get(case.id, [])]
        documents.append(document)
    return documents


def updates(
    session: Session, jurisdiction: JurisdictionInfo, rows: list[tuple[CaseEvent, Case]]
) -> list[dict[str, Any]]:
    """mySociety's ``request_update``: each public status change or public update,
    with the case's status as it stood after that event."""
    tz = zone(jurisdiction)
    history = repository.status_history(session, {case.id for _e, case in rows})
    documents = []
    for event, case in rows:
        status = event.to_status
        if status is None:
            before = [
                e
                for e in history.get(case.id, [])
                if (e.occurred_at, e.id) <= (event.occurred_at, event.id)
            ]
            status = before[-1].to_status if before else str(case.status)
        documents.append(
            {
                "update_id": str(event.id),
                "service_request_id": format_reference(case.opened_at.year, case.id),
                "status": extended(status),
                "updated_datetime": iso(event.occurred_at, tz),
                "description": event.body or "",
                "media_url": (event.data or {}).get("media_url"),
                "external_status_code": (event.data or {}).get("sub_status"),
            }
        )
    return documents
