"""Languages of the web pages: catalogues, negotiation and formatting.

Catalogues are the ``.po`` files under ``czrm/locale`` (extracted with
``pybabel``), compiled in memory when first used, so nothing built has to be
shipped. The page language is, in order: the one the visitor chose (a link on
every page), the signed-in person's preference, the browser's
``Accept-Language``, English.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.core import Locale, negotiate_locale
from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
DEFAULT = "en"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself, as the switcher shows it
    direction: str  # ltr | rtl


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "English", "ltr"),
    "cy": Language("cy", "Cymraeg", "ltr"),
    "ar": Language("ar", "العربية", "rtl"),
}


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker
    """Marks wording for extraction; it is translated where it is shown."""
    return message


def supported(code: str | None) -> str | None:
    """The supported language a tag names (``cy-GB`` → ``cy``), else None."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def parse_accept_language(header: str | None) -> list[str]:
    """Language tags in the browser's order of preference (q-values respected)."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(*, chosen: str | None, preferred: str | None, accept_language: str | None) -> str:
    for candidate in (chosen, preferred):
        if supported(candidate):
            return supported(candidate) or DEFAULT
    wanted = [t.replace("-", "_") for t in parse_accept_language(accept_language)]
    found = negotiate_locale(wanted, list(LANGUAGES), sep="_") if wanted else None
    if found is None:
        for tag in wanted:
            if supported(tag):
                return supported(tag) or DEFAULT
    return supported(found) or DEFAULT


@lru_cache(maxsize=len(LANGUAGES))
def translations(code: str) -> NullTranslations:
    """The compiled catalogue for ``code``; English is the source language."""
    po_path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if code == DEFAULT or not po_path.is_file():
        return NullTranslations()
    with po_path.open("rb") as source:
        catalog = read_po(source, locale=code)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext(code: str, message: str) -> str:
    return translations(code).gettext(message)


def format_when(moment: datetime | None, code: str, timezone: str) -> str:
    """A date and time as people in ``code`` write it, in the council's time zone."""
    if moment is None:
        return ""
    return format_datetime(
        moment, format="d MMMM y, HH:mm", tzinfo=ZoneInfo(timezone), locale=Locale.parse(code)
    )
