"""What the administration forms share: reading fields, checking them with the
same schemas the REST API uses, and turning what is wrong into the GOV.UK
error summary (each message links to its field)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel
from pydantic import ValidationError as SchemaError
from starlette.datastructures import FormData

from czrm.errors import CzrmError, FieldError, ValidationFailed
from czrm.kit import pages
from czrm.kit.i18n import N_
from czrm.kit.websecurity import checked_form

Form = Annotated[FormData, Depends(checked_form)]
M = TypeVar("M", bound=BaseModel)

# What a schema check found, worded for a page; the field's label goes before it.
PROBLEMS = {
    "missing": N_("enter a value"),
    "string_too_short": N_("enter a value"),
    "too_short": N_("choose at least one"),
    "string_too_long": N_("is too long"),
    "too_long": N_("has too many entries"),
    "string_pattern_mismatch": N_("use only letters, digits, dots, dashes and underscores"),
    "int_parsing": N_("enter a whole number"),
    "int_type": N_("enter a whole number"),
    "int_from_float": N_("enter a whole number"),
    "greater_than_equal": N_("is too small"),
    "less_than_equal": N_("is too large"),
    "enum": N_("choose one of the options"),
    "literal_error": N_("choose one of the options"),
}
EMAIL_PROBLEM = N_("enter an e-mail address like name@example.com")


def _problem(error: Any) -> str:
    if error["type"] == "value_error" and error["loc"][-1:] == ("email",):
        return EMAIL_PROBLEM
    return PROBLEMS.get(error["type"], N_("is not valid"))


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def ticked(form: FormData, name: str) -> bool:
    return form.get(name) in ("on", "true", "1", "yes")


def chosen(form: FormData, name: str) -> list[str]:
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]


def values_of(form: FormData) -> dict[str, Any]:
    """The form as typed, to show again beside its errors (lists for repeated names)."""
    out: dict[str, Any] = {}
    for key in form:
        if key == "csrf_token":
            continue
        items = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = items if len(items) > 1 else (items[0] if items else "")
    return out


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validated(schema: type[M], data: dict[str, Any]) -> M:
    """``schema`` checked against ``data``; a failure is a ValidationFailed per field."""
    try:
        return schema.model_validate(data)
    except SchemaError as exc:
        raise ValidationFailed(
            [FieldError(_path(e["loc"]), _problem(e), code=e["type"]) for e in exc.errors()]
        ) from exc


def summary(
    request: Request,
    error: CzrmError,
    place: Callable[[str], tuple[str, str]],
) -> list[dict[str, str]]:
    """Error summary entries: ``place`` maps a field path to (element id, label).

    Messages written as sentences (a capital first) stand alone; fragments
    such as "is required" follow their field's label."""
    _ = pages.translator(pages.current_language(request))
    found = error.errors if isinstance(error, ValidationFailed) and error.errors else []
    if not found:
        found = [FieldError("", error.message)]
    entries = []
    for item in found:
        element, label = place(item.field)
        message = _(item.message)
        fragment = message[:1].islower()
        entries.append({"id": element, "text": f"{label}: {message}" if fragment else message})
    return entries


def by_field(entries: list[dict[str, str]]) -> dict[str, str]:
    """The first message for each element, shown beside the field."""
    out: dict[str, str] = {}
    for entry in entries:
        out.setdefault(entry["id"], entry["text"])
    return out


def placer(
    request: Request, labels: Mapping[str, str], default: str
) -> Callable[[str], tuple[str, str]]:
    """For flat forms: the field's own id and translated label, else ``default``."""
    _ = pages.translator(pages.current_language(request))

    def place(field: str) -> tuple[str, str]:
        name = field.split(".")[0].split("[")[0]
        if name in labels:
            return name, _(labels[name])
        return default, _(labels.get(default, ""))

    return place
