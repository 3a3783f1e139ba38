"""Open311 attribute definitions and the answers given to them. Pure logic.

Six datatypes: string, number, datetime, text, singlevaluelist,
multivaluelist. Answers are normalised as they are checked: numbers become
int or float, datetimes ISO 8601 in UTC, list answers lists of keys.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from czrm.catalogue.localise import check_choice_translations, check_question_translations
from czrm.errors import FieldError, ValidationFailed

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
LIST_TYPES = ("singlevaluelist", "multivaluelist")
MAX_STRING = 1000
MAX_TEXT = 4000


def check_definitions(
    definitions: list[dict[str, Any]], path: str = "attributes"
) -> list[dict[str, Any]]:
    """Validate a service's question list and fill defaults; raises naming the bad entry."""
    errors: list[FieldError] = []
    seen_codes: set[str] = set()
    cleaned: list[dict[str, Any]] = []
    for index, raw in enumerate(definitions):
        where = f"{path}[{index}]"
        if not isinstance(raw, dict):
            errors.append(FieldError(where, "must be an object"))
            continue
        code = raw.get("code")
        datatype = raw.get("datatype")
        if not isinstance(code, str) or not code.strip():
            errors.append(FieldError(f"{where}.code", "is required"))
            continue
        if code in seen_codes:
            errors.append(FieldError(f"{where}.code", f"duplicate code {code!r}"))
        seen_codes.add(code)
        if datatype not in DATATYPES:
            errors.append(FieldError(f"{where}.datatype", f"must be one of {', '.join(DATATYPES)}"))
        order = raw.get("order")
        if order is None:
            order = index + 1
        elif not isinstance(order, int) or isinstance(order, bool):
            errors.append(FieldError(f"{where}.order", "must be a whole number"))
            order = index + 1
        values = raw.get("values") or []
        if datatype in LIST_TYPES:
            if not values or not all(
                isinstance(v, dict) and str(v.get("key", "")).strip() and v.get("name")
                for v in values
            ):
                errors.append(
                    FieldError(f"{where}.values", "a list question needs values with key and name")
                )
            keys = [str(v.get("key")) for v in values if isinstance(v, dict)]
            if len(keys) != len(set(keys)):
                errors.append(FieldError(f"{where}.values", "keys must be unique"))
        translations = check_question_translations(
            raw.get("translations"), f"{where}.translations", errors
        )
        choices = []
        for number, v in enumerate(values):
            if isinstance(v, dict) and "key" in v and "name" in v:
                choice: dict[str, Any] = {"key": str(v["key"]), "name": str(v["name"])}
                named = check_choice_translations(
                    v.get("translations"), f"{where}.values[{number}].translations", errors
                )
                if named:
                    choice["translations"] = named
                choices.append(choice)
        definition = {
            "code": code,
            "datatype": datatype,
            "required": bool(raw.get("required", False)),
            "variable": bool(raw.get("variable", True)),
            "order": order,
            "description": str(raw.get("description") or code),
            "datatype_description": raw.get("datatype_description"),
            "values": choices,
        }
        if translations:
            definition["translations"] = translations
        cleaned.append(definition)
    if errors:
        raise ValidationFailed(errors)
    return sorted(cleaned, key=lambda d: d["order"])


def parse_datetime(value: str) -> datetime:
    """ISO 8601 with a zone: ``Z``, ``±hh:mm`` and fractional seconds accepted."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError("a time zone is required")
    return parsed.astimezone(UTC)


def _one(definition: dict[str, Any], value: Any, where: str) -> tuple[Any, FieldError | None]:
    datatype = definition["datatype"]
    keys = {v["key"] for v in definition.get("values", [])}
    if datatype == "multivaluelist":
        items = value if isinstance(value, list) else [value]
        items = [str(i) for i in items if str(i).strip() != ""]
        bad = [i for i in items if i not in keys]
        if bad:
            return None, FieldError(where, f"{bad[0]!r} is not one of {', '.join(sorted(keys))}")
        return items, None
    if isinstance(value, list):
        if len(value) != 1:
            return None, FieldError(where, "takes a single value")
        value = value[0]
    text = str(value).strip()
    if datatype == "singlevaluelist":
        if text not in keys:
            return None, FieldError(where, f"{text!r} is not one of {', '.join(sorted(keys))}")
        return text, None
    if datatype == "number":
        try:
            number = float(text)
        except ValueError:
            return None, FieldError(where, f"{text!r} is not a number")
        if not math.isfinite(number):
            return None, FieldError(where, f"{text!r} is not a finite number")
        return (int(number) if number.is_integer() and "." not in text else number), None
    if datatype == "datetime":
        try:
            return parse_datetime(text).isoformat(), None
        except ValueError:
            return None, FieldError(where, f"{text!r} is not an ISO 8601 date-time with a zone")
    limit = MAX_TEXT if datatype == "text" else MAX_STRING
    if len(text) > limit:
        return None, FieldError(where, f"is longer than {limit} characters")
    return text, None


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, list):
        return all(_is_blank(v) for v in value)
    return str(value).strip() == ""


def validate_answers(
    definitions: list[dict[str, Any]],
    answers: dict[str, Any],
    *,
    path: str = "attributes",
    allow_unknown: bool = False,
) -> dict[str, Any]:
    """Check answers against the service's questions; every problem is reported at once."""
    by_code = {d["code"]: d for d in definitions}
    errors: list[FieldError] = []
    cleaned: dict[str, Any] = {}
    for code in answers:
        if code not in by_code and not allow_unknown:
            errors.append(FieldError(f"{path}[{code}]", "is not a question of this service"))
    for definition in definitions:
        code = definition["code"]
        where = f"{path}[{code}]"
        value = answers.get(code)
        if _is_blank(value):
            if definition.get("required") and definition.get("variable", True):
                errors.append(FieldError(where, "is required", code="required"))
            continue
        normalised, error = _one(definition, value, where)
        if error:
            errors.append(error)
        else:
            cleaned[code] = normalised
    if errors:
        raise ValidationFailed(errors)
    return cleaned
