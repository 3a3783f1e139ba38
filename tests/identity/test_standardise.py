"""Standardisation: pure functions, no database."""

from __future__ import annotations

from datetime import date

import phonenumbers
import pytest

from czrm.identity import standardise as std
from czrm.identity.records import RowRejected, standardise_row
from czrm.identity.similarity import jaro_winkler, levenshtein


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Zoë ", "zoe"),
        ("MRS. Siobhán O'Brien-Smith", "siobhan obrien smith"),
        ("Dr José  Álvarez", "jose alvarez"),
        ("Mr", None),
        ("", None),
        (None, None),
    ],
)
def test_names_fold_case_accents_punctuation_and_titles(
    raw: str | None, expected: str | None
) -> None:
    assert std.name(raw) == expected


def test_first_name_takes_the_first_given_name_and_nicknames_resolve() -> None:
    assert std.first_name("Mary Jane") == "mary"
    assert std.name_key("bob") == "robert"
    assert std.name_key("liz") == "elizabeth"
    assert std.name_key("robert") == "robert"
    # ambiguous short forms are left alone rather than guessed
    assert std.name_key("alex") == "alex"
    assert std.name_key(None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("robert", "R163"),
        ("rupert", "R163"),
        ("ashcraft", "A261"),
        ("tymczak", "T522"),
        ("pfister", "P236"),
        ("lee", "L000"),
        ("", None),
    ],
)
def test_soundex(raw: str, expected: str | None) -> None:
    assert std.soundex(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "1980-03-07",
        "07/03/1980",
        "7/3/1980",
        "07-03-1980",
        "07.03.1980",
        "19800307",
        "7 Mar 1980",
        "7th March 1980",
        "07/03/80",
        "1980-03-07T00:00:00",
        date(1980, 3, 7),
    ],
)
def test_dates_in_the_usual_uk_spellings(raw: object) -> None:
    assert std.parse_date(raw, today=date(2026, 1, 1)) == date(1980, 3, 7)


def test_two_digit_years_are_never_in_the_future() -> None:
    assert std.parse_date("01/02/25", today=date(2026, 1, 1)) == date(2025, 2, 1)
    assert std.parse_date("01/02/27", today=date(2026, 1, 1)) == date(1927, 2, 1)


@pytest.mark.parametrize(
    "raw", ["31/02/1980", "not a date", "1980/13/45", "01/01/2090", "1066-10-14"]
)
def test_unreadable_or_impossible_dates_raise(raw: str) -> None:
    with pytest.raises(ValueError):
        std.parse_date(raw, today=date(2026, 1, 1))


def test_empty_date_is_unknown() -> None:
    assert std.parse_date("") is None and std.parse_date(None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" M1  1ae ", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("EC1A-1BB", "EC1A 1BB"),
        ("12345", None),
        ("SW1A", None),
        ("", None),
    ],
)
def test_postcodes(raw: str, expected: str | None) -> None:
    assert std.postcode(raw) == expected


def test_postcode_sector() -> None:
    assert std.postcode_sector("SW1A 1AA") == "SW1A 1"
    assert std.postcode_sector(None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 (0)7700-900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("01632 960001", "+441632960001"),
        ("12", None),
        ("call me", None),
        ("", None),
    ],
)
def test_phones_to_e164(raw: str, expected: str | None) -> None:
    assert std.phone(raw) == expected


def _libphonenumber(raw: str) -> str | None:
    try:
        parsed = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def test_national_numbers_read_as_libphonenumber_reads_them() -> None:
    """The shortcut for 0 and ten digits agrees with libphonenumber for every
    leading digit pair, spaced or not."""
    for prefix in range(100):
        for digits in (f"0{prefix:02d}12345678", f"0{prefix:02d}98765432"):
            for raw in (digits, f"{digits[:5]} {digits[5:]}", f"{digits[:3]} {digits[3:]}"):
                std.phone.cache_clear()
                assert std.phone(raw) == _libphonenumber(raw), raw
    assert std.phone("07700 900123") == "+447700900123"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Ada@Example.ORG ", "ada@example.org"),
        ("no-at-sign", None),
        ("a@b", None),
        ("x@example.org.", None),
        ("", None),
    ],
)
def test_emails(raw: str, expected: str | None) -> None:
    assert std.email(raw) == expected


def test_ni_numbers_normalised_and_checked() -> None:
    assert std.ni_number("ab 12 34 56 c") == "AB123456C"
    assert std.ni_number("QQ123456C") is None  # Q is never a first letter
    assert std.ni_number("AB123456") is None


def test_address_lines_fold() -> None:
    assert std.address("Flat 2, 10 High St.") == "flat 2 10 high st"


def test_similarity_matches_known_values() -> None:
    assert jaro_winkler("martha", "marhta") == pytest.approx(0.9611, abs=1e-4)
    assert jaro_winkler("dwayne", "duane") == pytest.approx(0.84, abs=1e-4)
    assert jaro_winkler("abc", "xyz") == 0.0
    assert levenshtein("kitten", "sitting") == 3


def test_a_row_is_standardised_whole() -> None:
    record = standardise_row(
        {
            "external_id": " 42 ",
            "first_name": "Bob",
            "surname": "O'Neil",
            "date_of_birth": "1/2/1970",
            "postcode": "nm1 2ab",
            "phone": "07700 900123",
            "email": "B@X.ORG",
            "ni_number": "xx",
        }
    )
    assert record.external_id == "42"
    assert (record.first_name, record.first_name_key, record.surname) == ("bob", "robert", "oneil")
    assert record.surname_key == "O540"
    assert record.date_of_birth == date(1970, 2, 1)
    assert (record.postcode, record.phone, record.email) == ("NM1 2AB", "+447700900123", "b@x.org")
    assert record.ni_number is None  # unreadable identifiers are kept raw, not matched on


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"first_name": "Ann"}, "external_id is missing"),
        (
            {"external_id": "1", "first_name": "Ann", "date_of_birth": "31/02/1990"},
            "date_of_birth: '31/02/1990' is not a real date",
        ),
        (
            {"external_id": "1", "postcode": "NM1 2AB"},
            "no name, email, phone or NI number to identify anyone by",
        ),
    ],
)
def test_rows_that_cannot_be_kept_say_why(row: dict[str, str], reason: str) -> None:
    with pytest.raises(RowRejected) as raised:
        standardise_row(row)
    assert str(raised.value) == reason
