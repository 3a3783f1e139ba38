"""A departmental row → czrm's standard fields → the row the linkage model compares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter, itemgetter
from typing import Any

from czrm.identity import standardise as std
from czrm.kit.crypto import blind_index

STANDARD_FIELDS: tuple[str, ...] = (
    "external_id",
    "first_name",
    "middle_name",
    "surname",
    "date_of_birth",
    "address_line_1",
    "postcode",
    "email",
    "phone",
    "ni_number",
)


class RowRejected(ValueError):
    """The row cannot be kept; the message is the reason shown to the importer."""


@dataclass(frozen=True)
class StandardRecord:
    external_id: str
    first_name: str | None = None
    first_name_key: str | None = None
    middle_name: str | None = None
    surname: str | None = None
    surname_key: str | None = None
    date_of_birth: date | None = None
    address_line_1: str | None = None
    postcode: str | None = None
    email: str | None = None
    phone: str | None = None
    ni_number: str | None = None

    def columns(self) -> dict[str, Any]:
        """The SourceRecord columns, with the blind indexes exact matching uses."""
        values = dict(self.__dict__)
        values["date_of_birth_index"] = blind_index(self.date_of_birth, "date_of_birth")
        values["ni_number_index"] = blind_index(self.ni_number, "ni_number")
        return values


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        if isinstance(value, float) and value != value:  # NaN from a dataframe
            return None
        value = str(value)
    return value.strip() or None


def mapped(raw: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    """The standard fields read from a departmental row through the system's mapping."""
    return {field: raw.get(mapping.get(field, field)) for field in STANDARD_FIELDS}


def standardise_row(fields: Mapping[str, Any]) -> StandardRecord:
    """Standardise one row; raises ``RowRejected`` when it cannot be kept.

    A row is rejected without an external id, with a birth date that cannot be
    read, or with nothing to identify anyone by. Unreadable postcodes, phones
    and emails are kept as received but take no part in matching.
    """
    external_id = _text(fields.get("external_id"))
    if external_id is None:
        raise RowRejected("external_id is missing")
    if len(external_id) > 200:
        raise RowRejected("external_id is longer than 200 characters")
    try:
        dob_value = fields.get("date_of_birth")
        dob = std.parse_date(dob_value if isinstance(dob_value, date) else _text(dob_value))
    except ValueError as exc:
        raise RowRejected(f"date_of_birth: {exc}") from exc
    first = std.first_name(_text(fields.get("first_name")))
    surname = std.name(_text(fields.get("surname")))
    record = StandardRecord(
        external_id=external_id,
        first_name=first,
        first_name_key=std.name_key(first),
        middle_name=std.name(_text(fields.get("middle_name"))),
        surname=surname,
        surname_key=std.soundex(surname),
        date_of_birth=dob,
        address_line_1=std.address(_text(fields.get("address_line_1"))),
        postcode=std.postcode(_text(fields.get("postcode"))),
        email=std.email(_text(fields.get("email"))),
        phone=std.phone(_text(fields.get("phone"))),
        ni_number=std.ni_number(_text(fields.get("ni_number"))),
    )
    identifying = (first, surname, record.email, record.phone, record.ni_number)
    if not any(identifying):
        raise RowRejected("no name, email, phone or NI number to identify anyone by")
    return record


def linkage_row(record: Any) -> dict[str, Any]:
    """The columns the model compares, from a SourceRecord or StandardRecord."""
    dob = record.date_of_birth
    return {
        "first_name": record.first_name,
        "first_name_key": record.first_name_key,
        "surname": record.surname,
        "surname_key": record.surname_key,
        "date_of_birth": dob.isoformat() if dob else None,
        "postcode": record.postcode,
        "postcode_sector": std.postcode_sector(record.postcode),
        "address_line_1": record.address_line_1,
        "email": record.email,
        "phone": record.phone,
        "ni_number": record.ni_number,
    }


_AS_STORED = (
    "first_name",
    "first_name_key",
    "surname",
    "surname_key",
    "postcode",
    "address_line_1",
    "email",
    "phone",
    "ni_number",
)
_LINKAGE_NAMES = (
    "first_name",
    "first_name_key",
    "surname",
    "surname_key",
    "date_of_birth",
    "postcode",
    "postcode_sector",
    "address_line_1",
    "email",
    "phone",
    "ni_number",
)


def linkage_columns(records: Sequence[Any]) -> dict[str, list[Any]]:
    """``linkage_row`` for many records at once, column by column (a million
    records in a second or two), in ``linkage_row``'s column order."""
    names = (*_AS_STORED, "date_of_birth")
    fields = getattr(records[0], "_fields", None) if records else None
    if fields is not None:  # a database row: by position, much faster than by name
        values = list(map(itemgetter(*(fields.index(name) for name in names)), records))
    else:
        values = list(map(attrgetter(*names), records))
    if values:
        *stored, dobs = (list(column) for column in zip(*values, strict=True))
    else:
        stored, dobs = [[] for _ in _AS_STORED], []
    by_name = dict(zip(_AS_STORED, stored, strict=True))
    sector = std.postcode_sector
    by_name["date_of_birth"] = [d.isoformat() if d else None for d in dobs]
    by_name["postcode_sector"] = [sector(p) for p in by_name["postcode"]]
    return {name: by_name[name] for name in _LINKAGE_NAMES}


def json_safe(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The row as received, made storable as JSON (dates as ISO text, NaN as null)."""
    clean: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None or type(value) is str:  # what CSV and most JSON rows hold
            clean[key if type(key) is str else str(key)] = value
        elif isinstance(value, float) and value != value:
            clean[str(key)] = None
        elif isinstance(value, date):
            clean[str(key)] = value.isoformat()
        elif value is None or isinstance(value, str | int | float | bool):
            clean[str(key)] = value
        else:
            clean[str(key)] = str(value)
    return clean
