"""A team's area as an administrator types it: GeoJSON checked before routing
relies on it. Pure logic.

An area is a Polygon or MultiPolygon in WGS84 (longitude, latitude, as
GeoJSON orders them), valid by the OGC rules (closed rings, no
self-intersection) and of non-zero size. A Feature carrying such a geometry is
accepted and unwrapped; anything else is refused naming what was wrong.
"""

from __future__ import annotations

import json
import math
from typing import Any

from shapely.geometry import shape
from shapely.validation import explain_validity

from czrm.errors import FieldError, ValidationFailed
from czrm.kit.i18n import N_

MAX_AREA_CHARS = 1_000_000
AREA_TYPES = ("Polygon", "MultiPolygon")
WGS84_NAMES = ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326")


def _fail(message: str, field: str = "area") -> ValidationFailed:
    return ValidationFailed([FieldError(field, message)])


def _positions(geometry: dict[str, Any]) -> list[Any]:
    """Every position, once the nesting is a (multi)polygon's: polygons of rings
    of four or more positions. Checked here so shapely only sees that shape."""
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise _fail(N_("The area's coordinates do not make a polygon"))
    positions: list[Any] = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise _fail(N_("The area's coordinates do not make a polygon"))
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise _fail(N_("The area's coordinates do not make a polygon"))
            positions.extend(ring)
    return positions


def _check_wgs84(geometry: dict[str, Any]) -> None:
    crs = geometry.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
        if name not in WGS84_NAMES:
            raise _fail(N_("The area must be in WGS84 (longitude and latitude in degrees)"))
    for position in _positions(geometry):
        if (
            not isinstance(position, list)
            or not 2 <= len(position) <= 3
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position)
            or not all(math.isfinite(v) for v in position)
        ):
            raise _fail(N_("Each point of the area must be a pair of numbers: longitude, latitude"))
        longitude, latitude = position[0], position[1]
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise _fail(
                N_(
                    "The area's points must be longitude and latitude in degrees (WGS84); "
                    "a point is outside -180 to 180, -90 to 90"
                )
            )


def parse_area(text: str) -> dict[str, Any] | None:
    """The GeoJSON geometry to store, or None when the text is blank (no area)."""
    if not text.strip():
        return None
    if len(text) > MAX_AREA_CHARS:
        raise _fail(N_("The area is too large: simplify it to under a million characters"))
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise _fail(N_("The area is not valid JSON")) from exc
    if isinstance(raw, dict) and raw.get("type") == "Feature":
        raw = raw.get("geometry")
    if not isinstance(raw, dict) or raw.get("type") not in AREA_TYPES:
        raise _fail(N_("The area must be a GeoJSON Polygon or MultiPolygon"))
    _check_wgs84(raw)
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise _fail(N_("The area's coordinates do not make a polygon")) from exc
    if not geometry.is_valid:
        # explain_validity says where, e.g. "Self-intersection[-1.5 52.4]".
        where = explain_validity(geometry).partition("[")[2].rstrip("]")
        raise ValidationFailed(
            [
                FieldError(
                    "area",
                    N_("The area is not a valid polygon: its edges cross or its rings overlap"),
                )
            ],
            message=f"area: not a valid polygon near {where}" if where else None,
        )
    if geometry.is_empty or geometry.area <= 0:
        raise _fail(N_("The area is empty: a polygon needs at least three distinct points"))
    return {"type": raw["type"], "coordinates": _closed(raw["type"], raw["coordinates"])}


def _closed(kind: str, coordinates: list[Any]) -> list[Any]:
    """GeoJSON rings end where they start; one typed open is closed."""
    polygons = [coordinates] if kind == "Polygon" else coordinates
    closed = [[ring if ring[0] == ring[-1] else [*ring, ring[0]] for ring in p] for p in polygons]
    return closed[0] if kind == "Polygon" else closed
