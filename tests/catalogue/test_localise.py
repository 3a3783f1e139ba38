"""The catalogue in the reader's language: each field falls back to English on
its own, and translations are checked like the rest of a service. No database."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

import pytest

from czrm.catalogue.attributes import check_definitions
from czrm.catalogue.localise import check_service_translations, localised
from czrm.catalogue.service import ServiceInfo
from czrm.errors import ValidationFailed

QUESTION: dict[str, Any] = {
    "code": "size",
    "datatype": "singlevaluelist",
    "required": True,
    "description": "How big is the pothole?",
    "datatype_description": "Roughly",
    "translations": {"cy": {"description": "Pa mor fawr yw’r twll yn y ffordd?"}},
    "values": [
        {"key": "small", "name": "Small", "translations": {"cy": "Bach", "ar": "صغيرة"}},
        {"key": "large", "name": "Large"},
    ],
}


def _service(**overrides: Any) -> SimpleNamespace:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "code": "POTHOLE",
        "name": "Pothole",
        "description": "A hole in the road.",
        "group": "Roads",
        "keywords": ["pothole", "road"],
        "attributes": check_definitions([QUESTION]),
        "allow_anonymous": True,
        "translations": {
            "cy": {"name": "Twll yn y ffordd", "keywords": ["twll"]},
            "ar": {"name": "حفرة في الطريق", "group": "الطرق", "description": "حفرة."},
        },
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def test_each_field_falls_back_to_english_on_its_own() -> None:
    welsh = localised(_service(), "cy")
    assert (welsh.name, welsh.group, welsh.description) == (
        "Twll yn y ffordd",
        "Roads",
        "A hole in the road.",
    )
    assert welsh.keywords == ("twll",)
    arabic = localised(_service(), "ar")
    assert (arabic.name, arabic.group, arabic.description) == ("حفرة في الطريق", "الطرق", "حفرة.")
    assert arabic.keywords == ("pothole", "road")
    english = localised(_service(), "en")
    assert (english.name, english.keywords) == ("Pothole", ("pothole", "road"))
    bare = localised(_service(translations=None), "cy")
    assert bare.name == "Pothole"


def test_questions_and_choices_are_shown_in_the_language_without_translations() -> None:
    [welsh] = localised(_service(), "cy").attributes
    assert welsh["description"] == "Pa mor fawr yw’r twll yn y ffordd?"
    assert welsh["datatype_description"] == "Roughly"
    assert welsh["values"] == [{"key": "small", "name": "Bach"}, {"key": "large", "name": "Large"}]
    assert "translations" not in welsh
    [arabic] = localised(_service(), "ar").attributes
    assert arabic["description"] == "How big is the pothole?"
    assert [v["name"] for v in arabic["values"]] == ["صغيرة", "Large"]


def test_search_matches_name_group_or_keyword() -> None:
    welsh = localised(_service(), "cy")
    assert welsh.matches("twll") and welsh.matches("Roads")
    assert not welsh.matches("bin") and not welsh.matches(" ")


def test_search_ignores_accents_and_arabic_marks() -> None:
    service = _service(
        translations={
            "cy": {"name": "Lôn feiciau", "keywords": ["sŵn"]},
            "ar": {"name": "أضواء الشارع", "keywords": ["إنارة"]},
        }
    )
    welsh = localised(service, "cy")
    assert welsh.matches("lon") and welsh.matches("swn") and welsh.matches("LÔN")
    arabic = localised(service, "ar")
    assert arabic.matches("اضواء") and arabic.matches("انارة") and arabic.matches("أضواء")
    assert not arabic.matches("ضوء")


def test_service_translations_are_cleaned_blank_fields_dropped() -> None:
    cleaned, errors = check_service_translations(
        {"cy": {"name": " Twll ", "description": "", "keywords": ["twll", " "]}, "ar": {}}
    )
    assert errors == []
    assert cleaned == {"cy": {"name": "Twll", "keywords": ["twll"]}}


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"fr": {"name": "Nid-de-poule"}}, "translations.fr"),
        ({"en": {"name": "Pothole"}}, "translations.en"),
        ({"cy": {"colour": "coch"}}, "translations.cy.colour"),
        ({"cy": {"name": "x" * 201}}, "translations.cy.name"),
        ({"cy": {"keywords": "twll"}}, "translations.cy.keywords"),
        (["cy"], "translations"),
    ],
)
def test_bad_service_translations_name_the_field(raw: object, field: str) -> None:
    _cleaned, errors = check_service_translations(raw)
    assert [e.field for e in errors] == [field]


def test_unknown_language_in_a_question_or_choice_is_refused() -> None:
    question = {
        **QUESTION,
        "translations": {"de": {"description": "Wie groß?"}},
        "values": [{"key": "small", "name": "Small", "translations": {"xx": "?"}}],
    }
    with pytest.raises(ValidationFailed) as failed:
        check_definitions([question])
    fields = [e.field for e in failed.value.errors]
    assert fields == ["attributes[0].translations.de", "attributes[0].values[0].translations.xx"]
    assert "'de' is not a language of the catalogue: use one of cy, ar" in [
        e.message for e in failed.value.errors
    ]


def test_definitions_keep_their_translations() -> None:
    [kept] = check_definitions([QUESTION])
    assert kept["translations"] == {"cy": {"description": "Pa mor fawr yw’r twll yn y ffordd?"}}
    assert kept["values"][0]["translations"] == {"cy": "Bach", "ar": "صغيرة"}
    assert "translations" not in kept["values"][1]


def test_the_directory_names_a_service_in_a_language() -> None:
    info = ServiceInfo(
        uuid.uuid4(), "POTHOLE", "Pothole", uuid.uuid4(), {"cy": {"name": "Twll yn y ffordd"}}
    )
    assert info.name_in("cy") == "Twll yn y ffordd"
    assert info.name_in("ar") == "Pothole"
    assert ServiceInfo(uuid.uuid4(), "X", "X", uuid.uuid4()).name_in("cy") == "X"
