"""The catalogue in the reader's language. Pure logic.

A service is written in English (its own columns, which Open311 serves) and
may carry translations for the other page languages: ``translations`` on the
service holds ``{lang: {name, description, group, keywords}}``; each question
holds ``translations: {lang: {description, datatype_description}}`` and each of
its choices ``translations: {lang: name}``. Every field falls back to English
on its own, so a half-translated service still reads whole.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from czrm.errors import FieldError
from czrm.kit.i18n import DEFAULT, LANGUAGES

# English is the service's own columns; the others are translations of it.
TRANSLATED = tuple(code for code in LANGUAGES if code != DEFAULT)
SERVICE_TEXT = {"name": 200, "description": 4000, "group": 200}
QUESTION_TEXT = {"description": 1000, "datatype_description": 500}
MAX_KEYWORD = 100
MAX_CHOICE = 200


def language_error(code: object, where: str) -> FieldError | None:
    """None when ``code`` is a language a translation may be given in."""
    if isinstance(code, str) and code in TRANSLATED:
        return None
    return FieldError(
        where, f"{code!r} is not a language of the catalogue: use one of {', '.join(TRANSLATED)}"
    )


def _text(value: object, limit: int, where: str, errors: list[FieldError]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        errors.append(FieldError(where, "must be text"))
        return None
    if len(value.strip()) > limit:
        errors.append(FieldError(where, f"is longer than {limit} characters"))
        return None
    return value.strip() or None


def _entries(raw: object, where: str, errors: list[FieldError]) -> list[tuple[str, Any, str]]:
    """(language, value, path) of a ``{lang: value}`` mapping with known languages."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        errors.append(FieldError(where, "must be an object keyed by language"))
        return []
    out = []
    for lang, value in raw.items():
        path = f"{where}.{lang}"
        error = language_error(lang, path)
        if error:
            errors.append(error)
        else:
            out.append((lang, value, path))
    return out


def check_service_translations(
    raw: object, path: str = "translations"
) -> tuple[dict[str, dict[str, Any]], list[FieldError]]:
    """The translations cleaned (blank fields left out: they fall back to English)."""
    errors: list[FieldError] = []
    cleaned: dict[str, dict[str, Any]] = {}
    for lang, fields, where in _entries(raw, path, errors):
        if not isinstance(fields, dict):
            errors.append(FieldError(where, "must be an object"))
            continue
        entry: dict[str, Any] = {}
        for name, value in fields.items():
            if name in SERVICE_TEXT:
                text = _text(value, SERVICE_TEXT[name], f"{where}.{name}", errors)
                if text:
                    entry[name] = text
            elif name == "keywords":
                words = _keywords(value, f"{where}.keywords", errors)
                if words:
                    entry["keywords"] = words
            else:
                errors.append(FieldError(f"{where}.{name}", "is not a translated field"))
        if entry:
            cleaned[lang] = entry
    return cleaned, errors


def _keywords(value: object, where: str, errors: list[FieldError]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        errors.append(FieldError(where, "must be a list of words"))
        return []
    if any(len(k.strip()) > MAX_KEYWORD for k in value):
        errors.append(FieldError(where, f"a keyword is longer than {MAX_KEYWORD} characters"))
        return []
    return [k.strip() for k in value if k.strip()]


def check_question_translations(
    raw: object, where: str, errors: list[FieldError]
) -> dict[str, dict[str, str]]:
    cleaned: dict[str, dict[str, str]] = {}
    for lang, fields, path in _entries(raw, where, errors):
        if not isinstance(fields, dict):
            errors.append(FieldError(path, "must be an object"))
            continue
        entry = {}
        for name, value in fields.items():
            if name not in QUESTION_TEXT:
                errors.append(FieldError(f"{path}.{name}", "is not a translated field"))
                continue
            text = _text(value, QUESTION_TEXT[name], f"{path}.{name}", errors)
            if text:
                entry[name] = text
        if entry:
            cleaned[lang] = entry
    return cleaned


def check_choice_translations(raw: object, where: str, errors: list[FieldError]) -> dict[str, str]:
    cleaned = {}
    for lang, value, path in _entries(raw, where, errors):
        text = _text(value, MAX_CHOICE, path, errors)
        if text:
            cleaned[lang] = text
    return cleaned


@dataclass(frozen=True)
class LocalisedService:
    """A service as a reader of ``language`` sees it (the portal and messages)."""

    id: uuid.UUID
    code: str
    language: str
    name: str
    description: str
    group: str
    keywords: tuple[str, ...]
    attributes: list[dict[str, Any]]
    allow_anonymous: bool

    def matches(self, query: str) -> bool:
        """Search by name, group or keyword, ignoring case and accents (``lon``
        finds ``lôn``; Arabic short vowels and hamza seats need not be typed)."""
        needle = search_form(query)
        return bool(needle) and any(
            needle in search_form(text) for text in (self.name, self.group, *self.keywords)
        )


def search_form(text: str) -> str:
    """``text`` folded for search: case folded, combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def localised_text(
    translations: dict[str, Any] | None, language: str, field: str, english: Any
) -> Any:
    """One field in ``language``, else the English."""
    entry = (translations or {}).get(language) or {}
    return entry.get(field) or english


def localised_question(definition: dict[str, Any], language: str) -> dict[str, Any]:
    """The question with its wording and choices in ``language``; no translations kept."""
    own = definition.get("translations") or {}
    return {
        **{k: v for k, v in definition.items() if k != "translations"},
        "description": localised_text(
            own, language, "description", definition.get("description") or ""
        ),
        "datatype_description": localised_text(
            own, language, "datatype_description", definition.get("datatype_description")
        ),
        "values": [
            {
                "key": v["key"],
                "name": (v.get("translations") or {}).get(language) or v["name"],
            }
            for v in definition.get("values") or []
        ],
    }


def localised(service: Any, language: str) -> LocalisedService:
    """``service`` (a ``Service``) in ``language``, each field falling back to English."""
    own = service.translations or {}
    return LocalisedService(
        id=service.id,
        code=service.code,
        language=language,
        name=localised_text(own, language, "name", service.name),
        description=localised_text(own, language, "description", service.description or ""),
        group=localised_text(own, language, "group", service.group or ""),
        keywords=tuple(localised_text(own, language, "keywords", list(service.keywords or []))),
        attributes=[localised_question(d, language) for d in service.attributes or []],
        allow_anonymous=service.allow_anonymous,
    )
