"""The report form: reading it, checking it and saying what is wrong in the
visitor's language, next to the field, with the answers kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData, UploadFile

from czrm.catalogue.localise import LocalisedService
from czrm.catalogue.models import Service
from czrm.errors import FieldError
from czrm.open311 import media

MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_NAME = 200


def attr_field(code: str) -> str:
    return f"attr__{code}"


@dataclass
class ReportForm:
    """Everything the visitor typed, as typed (to show it again)."""

    answers: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    lat: str = ""
    long: str = ""
    address: str = ""
    postcode: str = ""
    anonymous: bool = False
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    phone: str = ""
    photo_names: list[str] = field(default_factory=list)
    confirmed_new: bool = False

    def number(self, name: str) -> float | None:
        text = str(getattr(self, name) or "").strip()
        try:
            return float(text) if text else None
        except ValueError:
            return None


def _text(form: FormData, name: str, limit: int = 4000) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _with_zone(text: str, timezone: str) -> str:
    """A date and time typed without a zone is the council's local time."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.isoformat()


def read(form: FormData, service: Service) -> ReportForm:
    report = ReportForm(
        description=_text(form, "description"),
        lat=_text(form, "lat", 32),
        long=_text(form, "long", 32),
        address=_text(form, "address", 500),
        postcode=_text(form, "postcode", 16),
        anonymous=form.get("anonymous") == "yes" and service.allow_anonymous,
        given_name=_text(form, "given_name", MAX_NAME),
        family_name=_text(form, "family_name", MAX_NAME),
        email=_text(form, "email", 254),
        phone=_text(form, "phone", 40),
        photo_names=[
            n for n in form.getlist("photo_names") if isinstance(n, str) and media.NAME.match(n)
        ][:MAX_PHOTOS],
        confirmed_new=form.get("confirmed_new") == "yes",
    )
    for definition in service.attributes:
        name = attr_field(definition["code"])
        if definition["datatype"] == "multivaluelist":
            report.answers[definition["code"]] = [
                v for v in form.getlist(name) if isinstance(v, str) and v
            ]
        else:
            report.answers[definition["code"]] = _text(form, name)
    return report


def checked_answers(report: ReportForm, service: Service, timezone: str) -> dict[str, Any]:
    """The answers as the catalogue's rules take them: local times get the council's zone."""
    answers = dict(report.answers)
    for definition in service.attributes:
        value = answers.get(definition["code"])
        if definition["datatype"] == "datetime" and isinstance(value, str) and value:
            answers[definition["code"]] = _with_zone(value, timezone)
    return answers


def store_photos(form: FormData, report: ReportForm) -> list[FieldError]:
    """Keep uploaded photos (checked by content) so a re-shown form need not ask again."""
    errors: list[FieldError] = []
    uploads = [u for u in form.getlist("photos") if isinstance(u, UploadFile) and u.filename]
    if len(uploads) + len(report.photo_names) > MAX_PHOTOS:
        return [FieldError("photos", "too many", code="too_many")]
    for upload in uploads:
        if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
            errors.append(FieldError("photos", "too big", code="too_big"))
            continue
        extension = media.sniff(upload.file.read(16))
        if extension is None:
            errors.append(FieldError("photos", "not an image", code="not_image"))
            continue
        name = media.new_name(extension)
        media.store(upload.file, name)
        report.photo_names.append(name)
    return errors


def field_id(name: str) -> str:
    """The id of the input an error belongs to (the error summary links to it)."""
    if name.startswith("attributes["):
        return "attr-" + name[len("attributes[") : -1]
    return {
        "location": "postcode",
        "lat": "postcode",
        "requester": "email",
        "requester.email": "email",
        "requester.phone": "phone",
    }.get(name, name)


def message_for(error: FieldError, service: LocalisedService, _: Callable[[str], str]) -> str:
    """The visitor-facing wording for one problem with their report (``service`` in
    the page language, so the question is named as the form asks it)."""
    if error.field.startswith("attributes["):
        code = error.field[len("attributes[") : -1]
        question = next((d["description"] for d in service.attributes if d["code"] == code), code)
        if error.code == "required":
            return _("Answer the question: %(question)s") % {"question": question}
        return _("Check your answer to: %(question)s") % {"question": question}
    messages = {
        ("description", "required"): _("Describe the problem"),
        ("description", "invalid"): _("The description must be 4,000 characters or fewer"),
        ("location", "required"): _(
            "Show us where the problem is, or enter an address or postcode"
        ),
        ("location", "outside"): _("That place is outside our area – check the location"),
        ("postcode", "outside"): _("That postcode is outside our area – check the postcode"),
        ("postcode", "postcode_format"): _("Enter a real postcode, like NM1 4AB"),
        ("email", "invalid"): _(
            "Enter an email address in the correct format, like name@example.com"
        ),
        ("phone", "invalid"): _("Enter a phone number, like 01632 960 001"),
        ("requester", "required"): _("Enter your email address or phone number"),
        ("photos", "too_many"): _("You can add up to 3 photos"),
        ("photos", "too_big"): _("Each photo must be smaller than 10 MB"),
        ("photos", "not_image"): _("Photos must be JPG, PNG, GIF or WebP files"),
    }
    return messages.get((error.field, error.code)) or messages.get(
        (error.field.split(".")[0], "invalid"), _("Check this answer")
    )
