"""Standardising what departments send, so equal things compare equal.

Pure functions, no I/O. Each returns ``None`` for a value that is empty or
cannot be read (a bad postcode is unknown, not wrong); ``parse_date`` raises
``ValueError`` instead because an unreadable birth date rejects the row.

Names, postcodes and addresses repeat across a council's records (a million
rows hold a few thousand first names), so the functions remember recent
answers: an import standardises each distinct value about once.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

import phonenumbers

from czrm.identity.nicknames import NICKNAMES

TITLES = frozenset({"mr", "mrs", "miss", "ms", "mx", "dr", "prof", "sir", "dame", "rev", "lady"})
_NON_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_EMAIL = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")
# A national UK number libphonenumber reads as +44 and ten digits: after the
# trunk 0, what GB's national number pattern ([1-357-9] and nine digits) allows.
_UK_NATIONAL = re.compile(r"0[1-357-9][0-9]{9}")
_NI = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$")
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
# Distinct values remembered per function: a few MB each when full.
CACHED = 1 << 16
_SOUNDEX = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def fold(text: str) -> str:
    """Lower case, accents removed (``Zoë`` → ``zoe``), letters and single spaces only."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.lower().replace("'", "").replace("’", "").replace("-", " ")
    return _SPACES.sub(" ", _NON_LETTERS.sub(" ", ascii_text)).strip()


@lru_cache(maxsize=CACHED)
def name(value: str | None) -> str | None:
    """A name for comparison: folded, titles dropped (``Mrs. O'Brien-Ní`` → ``obrien ni``)."""
    if not value:
        return None
    words = [w for w in fold(value).split(" ") if w and w not in TITLES]
    return " ".join(words) or None


@lru_cache(maxsize=CACHED)
def first_name(value: str | None) -> str | None:
    """The first given name only (``Mary Jane`` → ``mary``); middle names are separate."""
    cleaned = name(value)
    return cleaned.split(" ")[0] if cleaned else None


@lru_cache(maxsize=CACHED)
def name_key(first: str | None) -> str | None:
    """The formal name behind a nickname (``bob`` → ``robert``), else the name itself."""
    if not first:
        return None
    return NICKNAMES.get(first, first)


@lru_cache(maxsize=CACHED)
def soundex(value: str | None) -> str | None:
    """American Soundex of a folded name (``robert`` → ``R163``), spaces ignored."""
    if not value:
        return None
    letters = [ch for ch in value.lower() if "a" <= ch <= "z"]
    if not letters:
        return None
    code = [letters[0].upper()]
    previous = _SOUNDEX.get(letters[0], "")
    for ch in letters[1:]:
        digit = _SOUNDEX.get(ch, "")
        if digit and digit != previous:
            code.append(digit)
            if len(code) == 4:
                break
        if ch not in "hw":
            previous = digit
    return "".join(code).ljust(4, "0")


def parse_date(value: object, *, today: date | None = None) -> date | None:
    """A birth date from the usual UK spellings.

    ISO ``1980-03-07`` (and with a time), ``07/03/1980``, ``7-3-1980``,
    ``07.03.1980``, ``19800307``, ``7 Mar 1980``, ``07/03/80`` (two-digit
    years are the latest matching year not in the future). Day first: this is
    a UK system. Raises ``ValueError`` for anything else or a date in the future.
    """
    if value is None or value == "":
        return None
    today = today or date.today()  # noqa: DTZ011 - a birth date is a calendar date
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    else:
        parsed = _parse_date_text(str(value).strip(), today)
        if parsed is None:
            return None
        result = parsed
    if result > today or result.year < 1880:
        raise ValueError(f"date {value!r} is out of range")
    return result


@lru_cache(maxsize=CACHED)
def _parse_date_text(text: str, today: date) -> date | None:
    if not text:
        return None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text)
    if iso:
        return _date(int(iso[1]), int(iso[2]), int(iso[3]), text)
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if compact:
        return _date(int(compact[1]), int(compact[2]), int(compact[3]), text)
    dmy = re.fullmatch(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})", text)
    if dmy:
        year = int(dmy[3])
        if len(dmy[3]) == 2:
            year += 2000 if 2000 + year <= today.year else 1900
        return _date(year, int(dmy[2]), int(dmy[1]), text)
    words = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?[ \-]([A-Za-z]+)\.?,?[ \-](\d{4})", text)
    if words and words[2].lower() in _MONTHS:
        return _date(int(words[3]), _MONTHS[words[2].lower()], int(words[1]), text)
    raise ValueError(f"cannot read date {text!r}")


def _date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date") from exc


@lru_cache(maxsize=CACHED)
def postcode(value: str | None) -> str | None:
    """A UK postcode in its canonical form (``sw1a1aa`` → ``SW1A 1AA``), else None."""
    if not value:
        return None
    compact = re.sub(r"[^A-Z0-9]", "", value.upper())
    match = _POSTCODE.fullmatch(compact)
    return f"{match[1]} {match[2]}" if match else None


def postcode_sector(value: str | None) -> str | None:
    """The sector (``SW1A 1``), a few thousand addresses: agreement there is weak evidence."""
    return value[:-2] if value else None


@lru_cache(maxsize=CACHED)
def phone(value: str | None, region: str = "GB") -> str | None:
    """E.164 (``07700 900123`` → ``+447700900123``) when the number is possible, else None."""
    if not value:
        return None
    if region == "GB":
        # Most UK numbers are written nationally, 0 and ten digits, with spaces
        # at most; libphonenumber would strip the 0 and find ten digits possible.
        compact = str(value).replace(" ", "")
        if _UK_NATIONAL.fullmatch(compact):
            return "+44" + compact[1:]
    try:
        parsed = phonenumbers.parse(str(value), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=CACHED)
def email(value: str | None) -> str | None:
    """Trimmed and lower-cased when it looks like an address, else None."""
    if not value:
        return None
    cleaned = str(value).strip().lower()
    if len(cleaned) > 254 or not _EMAIL.fullmatch(cleaned):
        return None
    return cleaned


@lru_cache(maxsize=CACHED)
def ni_number(value: str | None) -> str | None:
    """A National Insurance number without spaces (``ab 12 34 56 c`` → ``AB123456C``)."""
    if not value:
        return None
    compact = re.sub(r"\s", "", str(value)).upper()
    return compact if _NI.fullmatch(compact) else None


@lru_cache(maxsize=CACHED)
def address(value: str | None) -> str | None:
    """An address line folded for comparison (``Flat 2, 10 High St.`` → ``flat 2 10 high st``)."""
    if not value:
        return None
    decomposed = unicodedata.normalize("NFKD", str(value))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    cleaned = _SPACES.sub(" ", re.sub(r"[^a-z0-9 ]+", " ", ascii_text)).strip()
    return cleaned or None
