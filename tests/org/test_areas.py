"""A team's area as typed: only a valid WGS84 Polygon or MultiPolygon passes,
and every refusal says what was wrong. Pure logic, no database."""

from __future__ import annotations

import json

import pytest

from czrm.errors import ValidationFailed
from czrm.org.areas import parse_area

SQUARE = [[0.0, 51.0], [1.0, 51.0], [1.0, 52.0], [0.0, 52.0], [0.0, 51.0]]


def refusal(text: str) -> str:
    with pytest.raises(ValidationFailed) as caught:
        parse_area(text)
    [error] = caught.value.errors
    assert error.field == "area"
    return error.message


def test_blank_means_no_area() -> None:
    assert parse_area("  \n") is None


def test_a_polygon_a_multipolygon_and_a_feature_pass() -> None:
    polygon = {"type": "Polygon", "coordinates": [SQUARE]}
    assert parse_area(json.dumps(polygon)) == polygon
    multi = {
        "type": "MultiPolygon",
        "coordinates": [[SQUARE], [[[p[0] + 5, p[1]] for p in SQUARE]]],
    }
    assert parse_area(json.dumps(multi)) == multi
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": polygon}
    assert parse_area(json.dumps(feature)) == polygon


def test_an_open_ring_is_closed() -> None:
    stored = parse_area(json.dumps({"type": "Polygon", "coordinates": [SQUARE[:-1]]}))
    assert stored == {"type": "Polygon", "coordinates": [SQUARE]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "The area is not valid JSON"),
        ("[" * 100_000, "The area is not valid JSON"),
        ('"a string"', "The area must be a GeoJSON Polygon or MultiPolygon"),
        ('{"type": "Point", "coordinates": [0, 51]}', "must be a GeoJSON Polygon or MultiPolygon"),
        ('{"type": "Polygon", "coordinates": []}', "do not make a polygon"),
        ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}', "do not make a polygon"),
        (
            '{"type": "Polygon", "coordinates": ' + "[" * 900 + "]" * 900 + "}",
            "do not make a polygon",
        ),
        (
            '{"type": "Polygon", "coordinates": [[["0", 51], [1, 51], [1, 52], ["0", 51]]]}',
            "must be a pair of numbers",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[0, 51], [1e400, 51], [1, 52], [0, 51]]]}',
            "must be a pair of numbers",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[430000, 290000], [431000, 290000], '
            "[431000, 291000], [430000, 290000]]]}",
            "longitude and latitude in degrees (WGS84)",
        ),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [SQUARE],
                    "crs": {"type": "name", "properties": {"name": "EPSG:27700"}},
                }
            ),
            "must be in WGS84",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[0, 51], [1, 52], [1, 51], [0, 52], [0, 51]]]}',
            "its edges cross",
        ),
    ],
)
def test_a_bad_area_is_refused_saying_why(text: str, message: str) -> None:
    assert message in refusal(text)
