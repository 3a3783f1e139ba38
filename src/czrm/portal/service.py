"""The portal's rules: which council it speaks for, where a report is, and
who may act on a request.

Anyone holding a reference may follow its public timeline (as Open311
allows). Only its requester may reopen or rate it: the person signed in as
its requester, or the browser session that reported it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from shapely.geometry import Point
from sqlalchemy.orm import Session

from czrm.cases.models import Case
from czrm.config import get_settings
from czrm.errors import FieldError, NotFound, ValidationFailed
from czrm.kit.cache import TtlCache
from czrm.kit.pages import Theme
from czrm.org import service as org
from czrm.org.service import JurisdictionInfo
from czrm.portal.models import PortalSettings

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_settings_cache = TtlCache(ttl=60.0)


def jurisdiction_for_portal(session: Session, slug: str | None = None) -> JurisdictionInfo:
    """The council named by ``CZRM_PORTAL_JURISDICTION``, else the only (first) one."""
    wanted = slug or get_settings().portal_jurisdiction
    known = org.jurisdictions(session)
    for info in known:
        if not wanted or info.slug == wanted:
            return info
    raise NotFound("council", wanted or "(none configured)")


def portal_settings(session: Session, jurisdiction_id: uuid.UUID) -> PortalSettings:
    def load() -> PortalSettings:
        found = session.get(PortalSettings, jurisdiction_id)
        if found is None:
            return PortalSettings(
                jurisdiction_id=jurisdiction_id,
                brand_colour="#0b0c0c",
                postcode_districts={},
                map_centre=[],
            )
        session.expunge(found)
        return found

    return _settings_cache.get_or_load(jurisdiction_id, load)


def configure(
    session: Session,
    jurisdiction_id: uuid.UUID,
    *,
    brand_colour: str | None = None,
    logo_url: str | None = None,
    postcode_districts: dict[str, str] | None = None,
    map_centre: list[float] | None = None,
) -> PortalSettings:
    """Create or change a council's portal settings (the demo loader and admins)."""
    row = session.get(PortalSettings, jurisdiction_id)
    if row is None:
        row = PortalSettings(jurisdiction_id=jurisdiction_id, postcode_districts={}, map_centre=[])
        session.add(row)
    if brand_colour is not None:
        if not HEX_COLOUR.match(brand_colour):
            raise ValidationFailed([FieldError("brand_colour", "must be #rrggbb")])
        row.brand_colour = brand_colour.lower()
    if logo_url is not None:
        row.logo_url = logo_url or None
    if postcode_districts is not None:
        row.postcode_districts = {k.upper(): v for k, v in postcode_districts.items()}
    if map_centre is not None:
        row.map_centre = list(map_centre)
    session.flush()
    _settings_cache.clear()
    return row


def theme_for(info: JurisdictionInfo, settings: PortalSettings) -> Theme:
    return Theme(
        name=info.name,
        slug=info.slug,
        timezone=info.timezone,
        contact_phone=info.contact_phone,
        contact_email=info.contact_email,
        logo_url=settings.logo_url,
    )


def text_colour_on(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG relative luminance)."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    colour = background.lstrip("#")
    r, g, b = (channel(colour[i : i + 2]) for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    contrast_white = 1.05 / (luminance + 0.05)
    contrast_black = (luminance + 0.05) / 0.05
    return "#ffffff" if contrast_white >= contrast_black else "#0b0c0c"


@dataclass(frozen=True)
class Place:
    lat: float | None
    long: float | None
    postcode: str | None
    ward: str | None


def normalise_postcode(text: str) -> str | None:
    compact = re.sub(r"\s+", "", text.upper())
    match = POSTCODE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def locate(
    session: Session,
    jurisdiction_id: uuid.UUID,
    *,
    lat: float | None,
    long: float | None,
    postcode: str | None,
) -> tuple[Place | None, list[FieldError]]:
    """Check that a point or postcode lies in the council's area.

    A postcode alone is placed at a point inside its ward (from the council's
    district → ward table), so the report still reaches the team for that area.
    """
    wards = org.ward_areas(session, jurisdiction_id)
    settings = portal_settings(session, jurisdiction_id)
    errors: list[FieldError] = []
    normalised = None
    if postcode:
        normalised = normalise_postcode(postcode)
        if normalised is None:
            errors.append(FieldError("postcode", "not a postcode", code="postcode_format"))
    if lat is not None and long is not None:
        ward = _ward_at(wards, lat, long)
        if wards and ward is None:
            errors.append(FieldError("location", "outside the council area", code="outside"))
        return (None if errors else Place(lat, long, normalised, ward)), errors
    if normalised is None:
        return None, errors
    district = normalised.split(" ")[0]
    districts = settings.postcode_districts or {}
    if districts:
        ward_code = districts.get(district)
        if ward_code is None:
            return None, [FieldError("postcode", "outside the council area", code="outside")]
        if ward_code in wards:
            point = wards[ward_code][1].representative_point()
            return Place(round(point.y, 6), round(point.x, 6), normalised, ward_code), []
    return Place(None, None, normalised, None), errors


def _ward_at(wards: dict[str, tuple[str, object]], lat: float, long: float) -> str | None:
    point = Point(long, lat)
    for code, (_, area) in wards.items():
        if area.covers(point):  # type: ignore[attr-defined]
            return code
    return None


REPORTED_KEY = "reported"
MAX_REMEMBERED = 20


def remember_reported(session_data: dict[str, object], case: Case) -> None:
    """The browser that reported a case may reopen and rate it without signing in."""
    known = [str(r) for r in list(session_data.get(REPORTED_KEY) or []) if str(r) != case.reference]  # type: ignore[call-overload]
    session_data[REPORTED_KEY] = [case.reference, *known][:MAX_REMEMBERED]


def is_requester(
    session_data: dict[str, object], case: Case, person_ids: list[uuid.UUID] | None
) -> bool:
    if case.reference in list(session_data.get(REPORTED_KEY) or []):  # type: ignore[call-overload]
        return True
    return bool(person_ids and case.requester_id in person_ids)


def ward_names(session: Session, jurisdiction_id: uuid.UUID) -> dict[str, str]:
    return {code: name for code, (name, _) in org.ward_areas(session, jurisdiction_id).items()}


def error_page_theme() -> Theme:
    """The portal council's theme, read in a session of its own (for error pages)."""
    from czrm.kit import db

    with db.read_session_factory()() as session:
        info = jurisdiction_for_portal(session)
        return theme_for(info, portal_settings(session, info.id))
