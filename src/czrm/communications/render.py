"""Templates per event and language (``templates/<event>.<lang>.txt``), each with
three blocks: ``subject``, ``body`` (e-mail and letters) and ``sms``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

LANGUAGES = ("en", "cy", "ar")
EVENTS = ("request_received", "status_changed", "public_update", "closed", "reopened", "digest")
TEMPLATES = Path(__file__).parent / "templates"

STATUS_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "new": "received",
        "acknowledged": "acknowledged",
        "investigating": "being investigated",
        "in_progress": "in progress",
        "action_scheduled": "work scheduled",
        "waiting_on_citizen": "waiting for you",
        "fixed": "fixed",
        "closed": "closed",
        "duplicate": "already reported",
        "not_responsible": "not the council's responsibility",
        "no_further_action": "no further action",
        "internal_referral": "passed to another team",
        "cancelled": "cancelled",
        "reopened": "reopened",
    },
    "cy": {
        "new": "wedi dod i law",
        "acknowledged": "wedi'i gydnabod",
        "investigating": "yn cael ei ymchwilio",
        "in_progress": "ar waith",
        "action_scheduled": "gwaith wedi'i drefnu",
        "waiting_on_citizen": "yn aros amdanoch chi",
        "fixed": "wedi'i drwsio",
        "closed": "ar gau",
        "duplicate": "wedi'i adrodd yn barod",
        "not_responsible": "nid cyfrifoldeb y cyngor",
        "no_further_action": "dim camau pellach",
        "internal_referral": "wedi'i drosglwyddo i dîm arall",
        "cancelled": "wedi'i ganslo",
        "reopened": "wedi'i ailagor",
    },
    "ar": {
        "new": "تم الاستلام",
        "acknowledged": "تم الاطلاع عليه",
        "investigating": "قيد التحقق",
        "in_progress": "قيد التنفيذ",
        "action_scheduled": "تمت جدولة العمل",
        "waiting_on_citizen": "بانتظار ردّك",
        "fixed": "تم الإصلاح",
        "closed": "مغلق",
        "duplicate": "سبق الإبلاغ عنه",
        "not_responsible": "ليس من مسؤولية المجلس",
        "no_further_action": "لا إجراء إضافي",
        "internal_referral": "أُحيل إلى فريق آخر",
        "cancelled": "أُلغي",
        "reopened": "أُعيد فتحه",
    },
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    sms: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,  # noqa: S701 - plain text; the HTML part is escaped separately
        keep_trailing_newline=False,
    )


def language_for(*candidates: str | None) -> str:
    """The first candidate we have templates for (``cy-GB`` counts as ``cy``), else English."""
    for candidate in candidates:
        if candidate:
            primary = candidate.strip().lower().replace("_", "-").split("-")[0]
            if primary in LANGUAGES:
                return primary
    return "en"


def status_label(status: str, language: str) -> str:
    return STATUS_LABELS[language].get(status, status)


def render(event: str, language: str, context: dict[str, Any]) -> Rendered:
    if event not in EVENTS or language not in LANGUAGES:
        raise LookupError(f"no template for {event}.{language}")
    template = _environment().get_template(f"{event}.{language}.txt")
    parts = {}
    for block in ("subject", "body", "sms"):
        ctx = template.new_context(dict(context))
        parts[block] = "".join(template.blocks[block](ctx)).strip()
    return Rendered(
        subject=" ".join(parts["subject"].split()), body=parts["body"], sms=parts["sms"]
    )
