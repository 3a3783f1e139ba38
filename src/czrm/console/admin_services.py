"""Administration of the service catalogue: services by group, each one's
details and its questions, and retiring a service (it stays for its old cases).
Checked by the same schema and rules as ``/api/v1/services``."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from czrm.auth.subject import Permission, Subject
from czrm.catalogue.attributes import DATATYPES, LIST_TYPES, check_definitions
from czrm.catalogue.models import Service
from czrm.catalogue.schemas import ServiceCreate, ServiceUpdate
from czrm.catalogue.service import catalogue_service
from czrm.console import adminforms as forms
from czrm.console.deps import console_subject
from czrm.errors import Conflict, CzrmError, FieldError, NotFound, ValidationFailed
from czrm.kit import pages
from czrm.kit.i18n import N_
from czrm.kit.web import DbSession, ReadSession
from czrm.org import service as org

router = APIRouter(prefix="/console/admin/services", include_in_schema=False)
M = TypeVar("M", bound=BaseModel)
BLANK_QUESTIONS = 2
MAX_QUESTIONS = 100
LABELS = {
    "code": N_("Code"),
    "name": N_("Name"),
    "description": N_("Description"),
    "group": N_("Group"),
    "keywords": N_("Keywords"),
    "department": N_("Department"),
    "sla_hours": N_("Target time (business hours)"),
    "allow_anonymous": N_("Anonymous reports"),
    "active": N_("Status"),
}
DATATYPE_LABELS = {
    "string": N_("Short text"),
    "text": N_("Long text"),
    "number": N_("Number"),
    "datetime": N_("Date and time"),
    "singlevaluelist": N_("One choice from a list"),
    "multivaluelist": N_("Any choices from a list"),
}
# The languages of ``catalogue.localise.TRANSLATED``, as the form names them.
LANGUAGE_NAMES = {"cy": N_("Welsh"), "ar": N_("Arabic")}
TRANSLATED_FIELDS = ("name", "description", "group", "keywords")
TRANSLATION_LABELS = {
    "name": N_("%(language)s name"),
    "description": N_("%(language)s description"),
    "group": N_("%(language)s group"),
    "keywords": N_("%(language)s keywords"),
}
LANGUAGES_LABEL = N_("Translations")
# Errors are listed in the order of the form.
_ORDER = {
    name: index
    for index, name in enumerate(
        ["code", "name", "description", "group", "keywords", "department", "sla_hours"]
        + ["allow_anonymous", "active", "translations", "attributes"]
    )
}

QUESTION_LABELS = {
    "code": N_("code"),
    "description": N_("question"),
    "datatype": N_("type of answer"),
    "order": N_("order"),
    "values": N_("choices"),
    "required": N_("required"),
}


def translation_field(language: str, name: str) -> str:
    return f"{language}-{name}"


def _question_rows(attributes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = [
        {
            "code": a["code"],
            "description": a.get("description") or "",
            "datatype": a["datatype"],
            "required": bool(a.get("required")),
            "order": str(a.get("order") or ""),
            "values": "\n".join(f"{v['key']} | {v['name']}" for v in a.get("values") or []),
        }
        for a in attributes
    ]
    blank = {"code": "", "description": "", "datatype": "string", "required": False}
    return rows + [dict(blank, order="", values="") for _ in range(BLANK_QUESTIONS)]


def _choices(raw: str) -> list[dict[str, str]]:
    """One choice a line: ``key | name`` (a line without a bar is both)."""
    out = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        key, bar, name = line.partition("|")
        out.append({"key": key.strip(), "name": (name if bar else key).strip()})
    return out


def _questions(
    form: FormData, existing: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[int]]:
    """(attribute definitions, the rows as typed, the row of each definition).
    Blank rows and rows ticked for removal are left out."""
    kept = {a["code"]: a for a in existing}
    try:
        count = min(int(forms.text(form, "questions") or 0), MAX_QUESTIONS)
    except ValueError:
        count = 0
    definitions: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    places: list[int] = []
    for index in range(count):
        field = f"q-{index}-"
        row: dict[str, Any] = {
            "code": forms.text(form, field + "code"),
            "description": forms.text(form, field + "description"),
            "datatype": forms.text(form, field + "datatype") or "string",
            "required": forms.ticked(form, field + "required"),
            "order": forms.text(form, field + "order"),
            "values": str(form.get(field + "values") or ""),
        }
        if forms.ticked(form, field + "remove"):
            continue
        rows.append(row)
        if not (row["code"] or row["description"] or row["values"].strip()):
            continue
        before = kept.get(row["code"], {})
        # The questions' translations are kept as they were (the API edits them);
        # a choice keeps its translations while its key stays.
        named = {v["key"]: v.get("translations") for v in before.get("values") or []}
        choices = _choices(row["values"]) if row["datatype"] in LIST_TYPES else []
        for choice in choices:
            if named.get(choice["key"]):
                choice["translations"] = named[choice["key"]]
        definitions.append(
            {
                "code": row["code"],
                "description": row["description"],
                "datatype": row["datatype"],
                "required": row["required"],
                "variable": before.get("variable", True),
                "datatype_description": before.get("datatype_description"),
                "order": int(row["order"]) if row["order"].isdigit() else row["order"] or None,
                "values": choices,
                "translations": before.get("translations") or {},
            }
        )
        places.append(len(rows) - 1)
    return definitions, rows, places


def _keyword_list(text: str) -> list[str]:
    return [k.strip() for k in text.split(",") if k.strip()]


def _translations(form: FormData) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for language in LANGUAGE_NAMES:
        entry: dict[str, Any] = {
            name: forms.text(form, translation_field(language, name)) for name in TRANSLATED_FIELDS
        }
        entry["keywords"] = _keyword_list(entry["keywords"])
        out[language] = {k: v for k, v in entry.items() if v}
    return out


def _translation_values(translations: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The form's translation fields filled from a service's translations."""
    values = {}
    for language in LANGUAGE_NAMES:
        entry = translations.get(language) or {}
        for name in TRANSLATED_FIELDS:
            value = entry.get(name) or ""
            values[translation_field(language, name)] = (
                ", ".join(value) if isinstance(value, list) else value
            )
    return values


def _details(form: FormData) -> dict[str, Any]:
    return {
        "name": forms.text(form, "name"),
        "description": forms.text(form, "description"),
        "group": forms.text(form, "group"),
        "keywords": _keyword_list(forms.text(form, "keywords")),
        "department": forms.text(form, "department"),
        "sla_hours": forms.text(form, "sla_hours"),
        "allow_anonymous": forms.ticked(form, "allow_anonymous"),
        "active": forms.ticked(form, "active"),
        "translations": _translations(form),
    }


def _placer(request: Request, places: list[int]) -> Any:
    _ = pages.translator(pages.current_language(request))
    flat = forms.placer(request, LABELS, "name")

    def place(field: str) -> tuple[str, str]:
        if field.startswith("translations."):
            _prefix, language, name = (field.split(".") + ["", ""])[:3]
            name = name.split("[")[0]
            if language in LANGUAGE_NAMES and name in TRANSLATION_LABELS:
                return translation_field(language, name), _(TRANSLATION_LABELS[name]) % {
                    "language": _(LANGUAGE_NAMES[language])
                }
            return translation_field("cy", "name"), _(LANGUAGES_LABEL)
        if not field.startswith("attributes["):
            return flat(field)
        index_text, _sep, rest = field[len("attributes[") :].partition("]")
        part = rest.lstrip(".").split(".")[0].split("[")[0] or "code"
        part = part if part in QUESTION_LABELS else "code"
        try:
            row = places[int(index_text)]
        except (ValueError, IndexError):
            row = 0
        label = _("Question %(number)s") % {"number": row + 1}
        return f"q-{row}-{part}", f"{label} {_(QUESTION_LABELS[part])}"

    return place


def _form_page(
    request: Request,
    session: Session,
    subject: Subject,
    *,
    service: Service | None,
    values: dict[str, Any],
    rows: list[dict[str, Any]],
    errors: list[dict[str, str]] | None = None,
) -> Response:
    _ = pages.translator(pages.current_language(request))
    departments = org.departments(session, subject.jurisdiction_id)
    return pages.render(
        request,
        "console/admin_service.html",
        {
            "service": service,
            "values": values,
            "rows": rows,
            "departments": [(d.code, d.name) for d in departments],
            "datatypes": [(key, _(DATATYPE_LABELS[key])) for key in DATATYPES],
            "languages": [(code, _(name)) for code, name in LANGUAGE_NAMES.items()],
            "errors": errors or [],
            "field_errors": forms.by_field(errors or []),
        },
        status=422 if errors else 200,
    )


@router.get("")
def services(request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.SERVICES_ADMIN)
    listed = catalogue_service.list(session, subject.jurisdiction_id, include_inactive=True)
    groups: dict[str, list[Service]] = {}
    for service in listed:
        groups.setdefault(service.group, []).append(service)
    names = {d.id: d.name for d in org.departments(session, subject.jurisdiction_id)}
    return pages.render(
        request,
        "console/admin_services.html",
        {"groups": sorted(groups.items()), "departments": names},
    )


@router.get("/new")
def new_service(request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.SERVICES_ADMIN)
    values = {"sla_hours": "40", "allow_anonymous": True, "active": True}
    return _form_page(
        request, session, subject, service=None, values=values, rows=_question_rows([])
    )


def _save(
    request: Request,
    session: Session,
    subject: Subject,
    form: FormData,
    service: Service | None,
) -> Response:
    definitions, rows, places = _questions(form, service.attributes if service else [])
    data = {**_details(form), "attributes": definitions}
    try:
        with session.begin_nested():
            if service is None:
                data["code"] = forms.text(form, "code")
                checked = _checked(ServiceCreate, data).model_dump()
                service = catalogue_service.create(session, subject, data=checked)
            else:
                changes = _checked(ServiceUpdate, data).model_dump(exclude_unset=True)
                catalogue_service.update(session, subject, service, changes=changes)
    except CzrmError as error:
        if error.status == 403:
            raise
        if service is not None:
            session.expire(service)  # drop any half-applied change
        error = _on_field(error)
        values = {
            **data,
            "code": forms.text(form, "code"),
            "keywords": forms.text(form, "keywords"),
            **{
                translation_field(language, name): forms.text(
                    form, translation_field(language, name)
                )
                for language in LANGUAGE_NAMES
                for name in TRANSLATED_FIELDS
            },
        }
        errors = forms.summary(request, error, _placer(request, places))
        return _form_page(
            request, session, subject, service=service, values=values, rows=rows, errors=errors
        )
    return RedirectResponse(f"/console/admin/services?saved={service.code}", status_code=303)


def _checked(schema: type[M], data: dict[str, Any]) -> M:
    """The schema's checks and the catalogue's question rules together, so every
    problem shows at once (the service checks the questions again)."""
    errors: list[FieldError] = []
    checked = None
    try:
        checked = forms.validated(schema, data)
    except ValidationFailed as failed:
        errors.extend(failed.errors)
    try:
        check_definitions(data["attributes"])
    except ValidationFailed as failed:
        seen = {e.field for e in errors}
        errors.extend(e for e in failed.errors if e.field not in seen)
    if errors or checked is None:
        raise ValidationFailed(sorted(errors, key=lambda e: _ORDER.get(e.field.split("[")[0], 99)))
    return checked


def _on_field(error: CzrmError) -> CzrmError:
    """Business outcomes of the catalogue, placed on the field they concern."""
    if isinstance(error, Conflict):
        return ValidationFailed([FieldError("code", N_("A service with this code exists"))])
    if isinstance(error, NotFound):
        return ValidationFailed([FieldError("department", N_("Choose a department"))])
    return error


@router.post("/new")
def create_service(request: Request, session: DbSession, form: forms.Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.SERVICES_ADMIN)
    return _save(request, session, subject, form, None)


@router.get("/{code}")
def edit_service(code: str, request: Request, session: ReadSession) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.SERVICES_ADMIN)
    service = catalogue_service.get_by_code(session, subject.jurisdiction_id, code)
    department = next(
        (
            d.code
            for d in org.departments(session, subject.jurisdiction_id)
            if d.id == service.department_id
        ),
        "",
    )
    values = {
        "code": service.code,
        "name": service.name,
        "description": service.description,
        "group": service.group,
        "keywords": ", ".join(service.keywords),
        "department": department,
        "sla_hours": str(service.sla_hours),
        "allow_anonymous": service.allow_anonymous,
        "active": service.active,
        **_translation_values(service.translations or {}),
    }
    return _form_page(
        request,
        session,
        subject,
        service=service,
        values=values,
        rows=_question_rows(service.attributes),
    )


@router.post("/{code}")
def update_service(code: str, request: Request, session: DbSession, form: forms.Form) -> Response:
    subject = console_subject(request, session)
    subject.require(Permission.SERVICES_ADMIN)
    service = catalogue_service.get_by_code(session, subject.jurisdiction_id, code)
    return _save(request, session, subject, form, service)


@router.post("/{code}/active")
def set_active(code: str, request: Request, session: DbSession, form: forms.Form) -> Response:
    """Deactivate (no new requests; old cases keep it) or reactivate."""
    subject = console_subject(request, session)
    subject.require(Permission.SERVICES_ADMIN)
    service = catalogue_service.get_by_code(session, subject.jurisdiction_id, code)
    active = forms.text(form, "active") == "1"
    if service.active != active:
        catalogue_service.update(session, subject, service, changes={"active": active})
    outcome = "reactivated" if active else "deactivated"
    return RedirectResponse(f"/console/admin/services?{outcome}={service.code}", status_code=303)
