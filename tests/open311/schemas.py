"""JSON Schemas for every Open311 JSON document, written from GeoReport v2 and
the notes in shared/OPEN311.md: ids and codes strings, optional fields present
(null when empty), booleans real booleans, datetimes with a zone."""

from __future__ import annotations

from typing import Any

import jsonschema

DATETIME = {
    "type": "string",
    "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$",
}
NULLABLE_DATETIME = {"anyOf": [DATETIME, {"type": "null"}]}
NULLABLE_STRING = {"type": ["string", "null"]}


def _object(properties: dict[str, Any], extra: bool = False) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": extra,
    }


ERRORS = {
    "type": "array",
    "minItems": 1,
    "items": _object({"code": {"type": "integer"}, "description": {"type": "string"}}),
}

DISCOVERY = _object(
    {
        "changeset": DATETIME,
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {
                    "specification": {"type": "string"},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "changeset": DATETIME,
                    "type": {"enum": ["production", "test"]},
                    "formats": {
                        "type": "array",
                        "items": {"enum": ["text/xml", "application/json"]},
                    },
                }
            ),
        },
    }
)

SERVICES = {
    "type": "array",
    "items": _object(
        {
            "service_code": {"type": "string"},
            "service_name": {"type": "string"},
            "description": NULLABLE_STRING,
            "metadata": {"type": "boolean"},
            "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": NULLABLE_STRING,
            "group": {"type": "string"},
        }
    ),
}

SERVICE_DEFINITION = _object(
    {
        "service_code": {"type": "string"},
        "attributes": {
            "type": "array",
            "items": _object(
                {
                    "variable": {"type": "boolean"},
                    "code": {"type": "string"},
                    "datatype": {
                        "enum": [
                            "string",
                            "number",
                            "datetime",
                            "text",
                            "singlevaluelist",
                            "multivaluelist",
                        ]
                    },
                    "required": {"type": "boolean"},
                    "datatype_description": NULLABLE_STRING,
                    "order": {"type": "integer"},
                    "description": {"type": "string"},
                    "values": {
                        "type": "array",
                        "items": _object({"key": {"type": "string"}, "name": {"type": "string"}}),
                    },
                }
            ),
        },
    }
)

POST_RESPONSE = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": _object(
        {
            "service_request_id": NULLABLE_STRING,
            "token": NULLABLE_STRING,
            "service_notice": NULLABLE_STRING,
            "account_id": NULLABLE_STRING,
        }
    ),
}

TOKENS = {
    "type": "array",
    "items": _object({"service_request_id": {"type": "string"}, "token": {"type": "string"}}),
}

_NULLABLE_NUMBER = {"type": ["number", "null"]}
REQUEST_FIELDS: dict[str, Any] = {
    "service_request_id": {"type": "string", "pattern": r"^SR-\d{4}-\d{6,}$"},
    "status": {"enum": ["open", "closed"]},
    "status_notes": NULLABLE_STRING,
    "service_name": NULLABLE_STRING,
    "service_code": NULLABLE_STRING,
    "description": NULLABLE_STRING,
    "agency_responsible": NULLABLE_STRING,
    "service_notice": NULLABLE_STRING,
    "requested_datetime": DATETIME,
    "updated_datetime": DATETIME,
    "expected_datetime": NULLABLE_DATETIME,
    "address": NULLABLE_STRING,
    "address_id": NULLABLE_STRING,
    "zipcode": NULLABLE_STRING,
    "lat": _NULLABLE_NUMBER,
    "long": _NULLABLE_NUMBER,
    "media_url": NULLABLE_STRING,
}
REQUESTS = {"type": "array", "items": _object(REQUEST_FIELDS)}

NOTE = _object(
    {
        "type": {"type": "string"},
        "datetime": DATETIME,
        "description": NULLABLE_STRING,
        "status": NULLABLE_STRING,
    }
)
EXTENDED_REQUESTS = {
    "type": "array",
    "items": _object(
        {
            **REQUEST_FIELDS,
            "extended_attributes": {
                "type": "object",
                "required": ["status", "extended_status", "sub_status", "attributes"],
                "properties": {"attributes": {"type": "object"}, "status": {"type": "string"}},
            },
            "notes": {"type": "array", "items": NOTE},
        }
    ),
}

UPDATES = {
    "type": "array",
    "items": _object(
        {
            "update_id": {"type": "string"},
            "service_request_id": {"type": "string"},
            "status": {
                "enum": [
                    "OPEN",
                    "CLOSED",
                    "FIXED",
                    "IN_PROGRESS",
                    "ACTION_SCHEDULED",
                    "INVESTIGATING",
                    "DUPLICATE",
                    "NOT_COUNCILS_RESPONSIBILITY",
                    "NO_FURTHER_ACTION",
                    "INTERNAL_REFERRAL",
                    "FOR_TRIAGE",
                    "CANCELLED",
                    "REOPEN",
                ]
            },
            "updated_datetime": DATETIME,
            "description": {"type": "string"},
            "media_url": NULLABLE_STRING,
            "external_status_code": NULLABLE_STRING,
        }
    ),
}

UPDATE_POSTED = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": _object({"update_id": {"type": "string"}}),
}


def check(document: Any, schema: dict[str, Any]) -> Any:
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    return document
