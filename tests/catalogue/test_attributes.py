"""Service questions and answers, with no database."""

from __future__ import annotations

import pytest

from czrm.catalogue.attributes import check_definitions, parse_datetime, validate_answers
from czrm.errors import ValidationFailed

DEFS = check_definitions(
    [
        {
            "code": "size",
            "datatype": "singlevaluelist",
            "required": True,
            "order": 1,
            "values": [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
        },
        {"code": "depth", "datatype": "number", "order": 2},
        {"code": "seen", "datatype": "datetime", "order": 3},
        {
            "code": "waste",
            "datatype": "multivaluelist",
            "order": 4,
            "values": [{"key": "sofa", "name": "Sofa"}, {"key": "fridge", "name": "Fridge"}],
        },
        {"code": "notes", "datatype": "text", "order": 5},
        {"code": "reg", "datatype": "string", "order": 6},
    ]
)


def test_good_answers_are_normalised() -> None:
    cleaned = validate_answers(
        DEFS,
        {
            "size": "large",
            "depth": "7.5",
            "seen": "2026-01-01T23:59:59.999999-06:00",
            "waste": ["sofa", "fridge"],
            "notes": " deep ",
            "reg": "AB12 CDE",
        },
    )
    assert cleaned == {
        "size": "large",
        "depth": 7.5,
        "seen": "2026-01-02T05:59:59.999999+00:00",
        "waste": ["sofa", "fridge"],
        "notes": "deep",
        "reg": "AB12 CDE",
    }


def test_integers_stay_integers_and_a_single_multivalue_becomes_a_list() -> None:
    cleaned = validate_answers(DEFS, {"size": "small", "depth": "3", "waste": "sofa"})
    assert cleaned == {"size": "small", "depth": 3, "waste": ["sofa"]}


@pytest.mark.parametrize(
    ("answers", "field", "fragment"),
    [
        ({}, "attributes[size]", "required"),
        ({"size": "huge"}, "attributes[size]", "'huge' is not one of large, small"),
        ({"size": "small", "depth": "deep"}, "attributes[depth]", "not a number"),
        ({"size": "small", "depth": "nan"}, "attributes[depth]", "finite"),
        ({"size": "small", "seen": "2026-01-01T10:00:00"}, "attributes[seen]", "zone"),
        ({"size": "small", "seen": "yesterday"}, "attributes[seen]", "ISO 8601"),
        ({"size": "small", "waste": ["sofa", "piano"]}, "attributes[waste]", "'piano'"),
        ({"size": "small", "colour": "red"}, "attributes[colour]", "not a question"),
        ({"size": "small", "reg": "x" * 1001}, "attributes[reg]", "longer than 1000"),
        ({"size": ["small", "large"]}, "attributes[size]", "single value"),
    ],
)
def test_bad_answers_name_the_attribute(answers: dict, field: str, fragment: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        validate_answers(DEFS, answers)
    assert info.value.errors[0].field == field
    assert fragment in info.value.errors[0].message


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as info:
        validate_answers(DEFS, {"depth": "x", "waste": ["piano"]})
    assert [e.field for e in info.value.errors] == [
        "attributes[size]",
        "attributes[depth]",
        "attributes[waste]",
    ]


def test_unknown_answers_can_be_tolerated() -> None:
    assert validate_answers(DEFS, {"size": "small", "extra": "1"}, allow_unknown=True) == {
        "size": "small"
    }


@pytest.mark.parametrize(
    ("definitions", "field"),
    [
        ([{"datatype": "string"}], "attributes[0].code"),
        ([{"code": "a", "datatype": "colour"}], "attributes[0].datatype"),
        ([{"code": "a", "datatype": "singlevaluelist"}], "attributes[0].values"),
        (
            [{"code": "a", "datatype": "string"}, {"code": "a", "datatype": "text"}],
            "attributes[1].code",
        ),
        (
            [
                {
                    "code": "a",
                    "datatype": "multivaluelist",
                    "values": [{"key": "x", "name": "X"}, {"key": "x", "name": "Y"}],
                }
            ],
            "attributes[0].values",
        ),
    ],
)
def test_bad_definitions_are_refused(definitions: list, field: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        check_definitions(definitions)
    assert info.value.errors[0].field == field


def test_definitions_are_ordered_and_defaulted() -> None:
    cleaned = check_definitions(
        [
            {"code": "b", "datatype": "string", "order": 2},
            {"code": "a", "datatype": "number", "order": 1, "required": True},
        ]
    )
    assert [d["code"] for d in cleaned] == ["a", "b"]
    assert cleaned[0] == {
        "code": "a",
        "datatype": "number",
        "required": True,
        "variable": True,
        "order": 1,
        "description": "a",
        "datatype_description": None,
        "values": [],
    }


def test_datetime_forms_real_clients_send() -> None:
    assert parse_datetime("2026-03-01T10:00:00Z").isoformat() == "2026-03-01T10:00:00+00:00"
    assert parse_datetime("2026-03-01T10:00:00+01:00").hour == 9
