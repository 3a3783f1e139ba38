"""Northmere City Council: the fictional council behind the demo, tests and benchmarks.

Static data only. Service attribute definitions are in Open311 GeoReport v2
form; the seed-only hints (weights, how to answer free-form questions) live
beside them in ``ServiceSpec`` and never reach the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

SLUG = "northmere"
NAME = "Northmere City Council"
TIMEZONE = "Europe/London"
CONTACT_EMAIL = "customer.services@northmere.example"
# Ofcom's drama range: never a real subscriber.
CONTACT_PHONE = "0121 496 0000"
STAFF_EMAIL_DOMAIN = "northmere.example"
# The portal's header colour (white text on it passes WCAG AA).
BRAND_COLOUR = "#1d5a7a"
WORKING_HOURS: dict[str, Any] = {
    day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}

# England and Wales bank holidays (gov.uk), substitute days included.
BANK_HOLIDAYS: tuple[tuple[date, str], ...] = tuple(
    (date.fromisoformat(day), name)
    for year_days in (
        (
            ("2024-01-01", "New Year's Day"),
            ("2024-03-29", "Good Friday"),
            ("2024-04-01", "Easter Monday"),
            ("2024-05-06", "Early May bank holiday"),
            ("2024-05-27", "Spring bank holiday"),
            ("2024-08-26", "Summer bank holiday"),
            ("2024-12-25", "Christmas Day"),
            ("2024-12-26", "Boxing Day"),
        ),
        (
            ("2025-01-01", "New Year's Day"),
            ("2025-04-18", "Good Friday"),
            ("2025-04-21", "Easter Monday"),
            ("2025-05-05", "Early May bank holiday"),
            ("2025-05-26", "Spring bank holiday"),
            ("2025-08-25", "Summer bank holiday"),
            ("2025-12-25", "Christmas Day"),
            ("2025-12-26", "Boxing Day"),
        ),
        (
            ("2026-01-01", "New Year's Day"),
            ("2026-04-03", "Good Friday"),
            ("2026-04-06", "Easter Monday"),
            ("2026-05-04", "Early May bank holiday"),
            ("2026-05-25", "Spring bank holiday"),
            ("2026-08-31", "Summer bank holiday"),
            ("2026-12-25", "Christmas Day"),
            ("2026-12-28", "Boxing Day (substitute day)"),
        ),
        (
            ("2027-01-01", "New Year's Day"),
            ("2027-03-26", "Good Friday"),
            ("2027-03-29", "Easter Monday"),
            ("2027-05-03", "Early May bank holiday"),
            ("2027-05-31", "Spring bank holiday"),
            ("2027-08-30", "Summer bank holiday"),
            ("2027-12-27", "Christmas Day (substitute day)"),
            ("2027-12-28", "Boxing Day (substitute day)"),
        ),
    )
    for day, name in year_days
)


# --- Geography -------------------------------------------------------------
# A 3 x 2 grid of quadrilaterals; shared vertices make the wards tile the city
# exactly. Each column line has a longitude at the south edge, the middle line
# and the north edge; the middle line's latitude wobbles per column line.
_COLUMN_LONGS = (
    (-1.560, -1.560, -1.560),
    (-1.527, -1.524, -1.529),
    (-1.494, -1.491, -1.496),
    (-1.460, -1.460, -1.460),
)
_SOUTH_LAT = 52.400
_MIDDLE_LATS = (52.4285, 52.4312, 52.4296, 52.4308)
_NORTH_LAT = 52.460


def _vertex(column: int, row: int) -> list[float]:
    """Row 0 is the south edge, 1 the middle line, 2 the north edge; [long, lat]."""
    lat = (_SOUTH_LAT, _MIDDLE_LATS[column], _NORTH_LAT)[row]
    return [_COLUMN_LONGS[column][row], lat]


def _polygon(ring: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _ward_polygon(column: int, row: int) -> dict[str, Any]:
    # Counter-clockwise exterior ring, as RFC 7946 asks.
    return _polygon(
        [
            _vertex(column, row),
            _vertex(column + 1, row),
            _vertex(column + 1, row + 1),
            _vertex(column, row + 1),
        ]
    )


@dataclass(frozen=True)
class WardSpec:
    code: str
    name: str
    postcode_district: str
    area: dict[str, Any]


WARDS: tuple[WardSpec, ...] = (
    WardSpec("ABBEYFIELD", "Abbeyfield", "NM1", _ward_polygon(0, 1)),
    WardSpec("BROOKSIDE", "Brookside", "NM2", _ward_polygon(1, 1)),
    WardSpec("CASTLEGATE", "Castlegate", "NM3", _ward_polygon(2, 1)),
    WardSpec("DEANSWOOD", "Deanswood", "NM4", _ward_polygon(0, 0)),
    WardSpec("EASTMERE", "Eastmere", "NM5", _ward_polygon(1, 0)),
    WardSpec("FAIRHOLME", "Fairholme", "NM6", _ward_polygon(2, 0)),
)

# Team patches: the north and south halves of the city, split along the
# wards' middle line so every ward lies wholly in one patch.
AREAS: dict[str, dict[str, Any]] = {
    "north": _polygon(
        [_vertex(c, 1) for c in range(4)] + [_vertex(3, 2), _vertex(0, 2)],
    ),
    "south": _polygon(
        [_vertex(0, 0), _vertex(3, 0)] + [_vertex(c, 1) for c in (3, 2, 1, 0)],
    ),
}


# --- Organisation ------------------------------------------------------------
@dataclass(frozen=True)
class TeamSpec:
    code: str
    name: str
    is_default: bool = False
    area: str | None = None  # a key of AREAS


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    email: str
    teams: tuple[TeamSpec, ...]


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(
        "HIGHWAYS",
        "Highways & Transport",
        "highways@northmere.example",
        (
            TeamSpec("HW_NORTH", "Highways North", area="north"),
            TeamSpec("HW_SOUTH", "Highways South", area="south"),
            TeamSpec("HW_NETWORK", "Network Management & Street Lighting", is_default=True),
        ),
    ),
    DepartmentSpec(
        "WASTE",
        "Waste & Recycling",
        "waste@northmere.example",
        (
            TeamSpec("WASTE_NORTH", "Street Scene North", area="north"),
            TeamSpec("WASTE_SOUTH", "Street Scene South", area="south"),
            TeamSpec("WASTE_CONTRACTS", "Waste Contracts & Enforcement", is_default=True),
        ),
    ),
    DepartmentSpec(
        "ENV_HEALTH",
        "Environmental Health",
        "environmental.health@northmere.example",
        (
            TeamSpec("EH_POLLUTION", "Pollution & Noise", is_default=True),
            TeamSpec("EH_FOOD", "Food Safety"),
            TeamSpec("EH_PEST", "Pest Control"),
        ),
    ),
    DepartmentSpec(
        "HOUSING",
        "Housing",
        "housing@northmere.example",
        (
            TeamSpec("HOUSING_REPAIRS", "Housing Repairs", is_default=True),
            TeamSpec("HOUSING_TENANCY", "Tenancy Management"),
            TeamSpec("HOUSING_OPTIONS", "Housing Options & Homelessness"),
        ),
    ),
    DepartmentSpec(
        "REVENUES",
        "Revenues & Benefits",
        "revenues@northmere.example",
        (
            TeamSpec("REV_CTAX", "Council Tax", is_default=True),
            TeamSpec("REV_BENEFITS", "Benefits"),
            TeamSpec("REV_BUSINESS", "Business Rates"),
        ),
    ),
    DepartmentSpec(
        "PARKING",
        "Parking Services",
        "parking@northmere.example",
        (
            TeamSpec("PARK_ENFORCEMENT", "Civil Enforcement", is_default=True),
            TeamSpec("PARK_PERMITS", "Permits & Appeals"),
        ),
    ),
    DepartmentSpec(
        "PARKS",
        "Parks & Open Spaces",
        "parks@northmere.example",
        (
            TeamSpec("PARKS_GROUNDS", "Grounds Maintenance", is_default=True),
            TeamSpec("PARKS_TREES", "Arboriculture"),
        ),
    ),
    DepartmentSpec(
        "LIBRARIES",
        "Libraries & Culture",
        "libraries@northmere.example",
        (
            TeamSpec("LIB_SERVICES", "Library Services", is_default=True),
            TeamSpec("LIB_CULTURE", "Museums & Events"),
        ),
    ),
    DepartmentSpec(
        "CUSTOMER",
        "Customer Services",
        "customer.services@northmere.example",
        (
            TeamSpec("CS_CONTACT", "Contact Centre", is_default=True),
            TeamSpec("CS_FEEDBACK", "Complaints & Feedback"),
        ),
    ),
)


# --- Services ----------------------------------------------------------------
Datatype = Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
DATATYPES: tuple[str, ...] = (
    "string",
    "number",
    "datetime",
    "text",
    "singlevaluelist",
    "multivaluelist",
)
LocationKind = Literal["point", "address", "none"]


def _attr(
    code: str,
    datatype: Datatype,
    description: str,
    *,
    required: bool = False,
    values: tuple[tuple[str, str], ...] = (),
    datatype_description: str | None = None,
) -> dict[str, Any]:
    return {
        "code": code,
        "datatype": datatype,
        "required": required,
        "variable": True,
        "order": 0,
        "description": description,
        "datatype_description": datatype_description,
        "values": [{"key": key, "name": name} for key, name in values],
    }


def _ordered(*attributes: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    return tuple({**a, "order": i} for i, a in enumerate(attributes, start=1))


YES_NO = (("yes", "Yes"), ("no", "No"))
BIN_TYPES = (
    ("general", "Black bin (general waste)"),
    ("recycling", "Blue bin (recycling)"),
    ("garden", "Green bin (garden waste)"),
    ("food", "Food waste caddy"),
)
ROOMS = (
    ("kitchen", "Kitchen"),
    ("bathroom", "Bathroom"),
    ("bedroom", "Bedroom"),
    ("living_room", "Living room"),
    ("hall", "Hall or stairs"),
)


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: str
    group: str
    department: str
    description: str
    keywords: tuple[str, ...]
    sla_hours: int
    weight: float  # relative share of reports
    location: LocationKind = "point"
    allow_anonymous: bool = True
    attributes: tuple[dict[str, Any], ...] = ()
    # How to answer free-form attributes: code -> ("kind", *args); see answers.py.
    hints: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    # Month (1-12) -> multiplier on weight.
    seasonal: dict[int, float] = field(default_factory=dict)


_ROADS = "Roads and pavements"
_LIGHTS = "Street lighting"
_BINS = "Bins and recycling"
_CLEAN = "Street cleaning"
_NOISE = "Noise and nuisance"
_PESTS = "Food, pests and pollution"
_HOUSING = "Council housing"
_SAFETY = "Community safety"
_CTAX = "Council tax and benefits"
_PARKING = "Parking"
_PARKS = "Parks, trees and green spaces"
_LIBRARIES = "Libraries and culture"
_CONTACT = "Contact us"

SERVICES: tuple[ServiceSpec, ...] = (
    # Highways & Transport
    ServiceSpec(
        "POTHOLE",
        "Pothole",
        _ROADS,
        "HIGHWAYS",
        "A hole or sunken area in the road surface or at the kerb edge.",
        ("pothole", "road", "hole", "carriageway", "surface"),
        80,
        12,
        attributes=_ordered(
            _attr(
                "pothole_size",
                "singlevaluelist",
                "How big is the pothole?",
                required=True,
                values=(
                    ("small", "Smaller than a dinner plate"),
                    ("medium", "Between a dinner plate and a dustbin lid"),
                    ("large", "Larger than a dustbin lid"),
                ),
            ),
            _attr(
                "depth_cm",
                "number",
                "Roughly how deep is it?",
                datatype_description="Depth in centimetres",
            ),
            _attr(
                "road_position",
                "singlevaluelist",
                "Where is it on the road?",
                required=True,
                values=(
                    ("carriageway", "In the road"),
                    ("cycle_lane", "In a cycle lane"),
                    ("kerb_edge", "At the kerb edge"),
                    ("junction", "At a junction"),
                ),
            ),
        ),
        hints={"depth_cm": ("range", 2, 25)},
        seasonal={1: 1.8, 2: 2.0, 3: 1.8, 4: 1.3, 11: 1.1, 12: 1.4},
    ),
    ServiceSpec(
        "DAMAGED_PAVEMENT",
        "Damaged or uneven pavement",
        _ROADS,
        "HIGHWAYS",
        "Broken, rocking or lifted paving slabs and kerbs that could trip someone.",
        ("pavement", "footpath", "slab", "kerb", "trip"),
        80,
        4,
        attributes=_ordered(
            _attr(
                "hazard",
                "singlevaluelist",
                "What is wrong with the pavement?",
                required=True,
                values=(
                    ("trip", "Trip hazard"),
                    ("cracked", "Cracked slabs"),
                    ("missing", "Missing slab or kerb"),
                    ("tree_roots", "Lifted by tree roots"),
                ),
            ),
        ),
    ),
    ServiceSpec(
        "BLOCKED_DRAIN",
        "Blocked drain or gully",
        _ROADS,
        "HIGHWAYS",
        "A road gully or drain that is blocked or causing standing water.",
        ("drain", "gully", "flooding", "standing water", "grate"),
        40,
        4,
        attributes=_ordered(
            _attr(
                "flooding",
                "singlevaluelist",
                "Is there any flooding?",
                required=True,
                values=(
                    ("none", "No flooding"),
                    ("road", "Water across the road"),
                    ("property", "Water reaching a property"),
                ),
            ),
            _attr("smell", "singlevaluelist", "Is there a bad smell?", values=YES_NO),
        ),
        seasonal={10: 1.4, 11: 1.6, 12: 1.5, 1: 1.5, 2: 1.3},
    ),
    ServiceSpec(
        "DAMAGED_ROAD_SIGN",
        "Damaged road sign or bollard",
        _ROADS,
        "HIGHWAYS",
        "Road signs, bollards or railings that are damaged, missing or turned.",
        ("sign", "bollard", "railing", "road sign"),
        120,
        2,
    ),
    ServiceSpec(
        "TRAFFIC_SIGNAL_FAULT",
        "Traffic signal fault",
        _ROADS,
        "HIGHWAYS",
        "Traffic lights or a pedestrian crossing that is not working properly.",
        ("traffic lights", "signals", "pelican crossing", "puffin crossing"),
        4,
        1,
        attributes=_ordered(
            _attr(
                "junction",
                "string",
                "Which junction or crossing?",
                required=True,
                datatype_description="Road names, e.g. Mill Lane / Station Road",
            ),
            _attr(
                "fault",
                "singlevaluelist",
                "What is the fault?",
                required=True,
                values=(
                    ("all_out", "All lights out"),
                    ("stuck", "Stuck on one colour"),
                    ("pedestrian", "Pedestrian signal or button not working"),
                    ("damaged", "Signal head damaged or turned"),
                ),
            ),
        ),
        hints={"junction": ("junction",)},
    ),
    ServiceSpec(
        "ROAD_SPILLAGE",
        "Oil, diesel or debris on the road",
        _ROADS,
        "HIGHWAYS",
        "A spillage or debris on the road that is a danger to traffic.",
        ("spill", "diesel", "oil", "debris", "road"),
        4,
        1,
    ),
    ServiceSpec(
        "GRITTING_REQUEST",
        "Icy road or gritting request",
        _ROADS,
        "HIGHWAYS",
        "Ice or snow on a road or footway, or an empty grit bin.",
        ("ice", "snow", "grit", "salt", "gritting"),
        8,
        0.3,
        seasonal={11: 4.0, 12: 8.0, 1: 10.0, 2: 7.0, 3: 2.0},
    ),
    ServiceSpec(
        "STREETLIGHT_OUT",
        "Street light not working",
        _LIGHTS,
        "HIGHWAYS",
        "A street light that is out, flickering, on during the day or damaged.",
        ("street light", "lamp post", "lighting", "dark"),
        120,
        5,
        attributes=_ordered(
            _attr(
                "column_number",
                "string",
                "The number on the lamp post, if you can see it",
                datatype_description="For example NM1234",
            ),
            _attr(
                "fault_type",
                "singlevaluelist",
                "What is wrong with the light?",
                required=True,
                values=(
                    ("out", "Not lit at night"),
                    ("day_burning", "On during the day"),
                    ("flickering", "Flickering"),
                    ("damaged", "Column damaged or leaning"),
                ),
            ),
        ),
        hints={"column_number": ("pattern", "NM{:04d}", 1, 9999)},
        seasonal={10: 1.5, 11: 1.8, 12: 1.7, 1: 1.5, 5: 0.6, 6: 0.5, 7: 0.5},
    ),
    # Waste & Recycling
    ServiceSpec(
        "MISSED_BIN",
        "Missed bin collection",
        _BINS,
        "WASTE",
        "Your bin was out on time but was not emptied.",
        ("bin", "collection", "missed", "rubbish", "recycling"),
        40,
        14,
        location="address",
        attributes=_ordered(
            _attr("bin_type", "singlevaluelist", "Which bin?", required=True, values=BIN_TYPES),
            _attr(
                "collection_date",
                "datetime",
                "When should it have been collected?",
                required=True,
                datatype_description="Date of the missed collection",
            ),
            _attr(
                "bin_out_by_7am",
                "singlevaluelist",
                "Was the bin out by 7am?",
                required=True,
                values=YES_NO,
            ),
        ),
        hints={"collection_date": ("collection_day",)},
        seasonal={1: 1.5, 12: 1.2},
    ),
    ServiceSpec(
        "BULKY_WASTE",
        "Bulky waste collection",
        _BINS,
        "WASTE",
        "Book a collection of large household items.",
        ("bulky", "sofa", "mattress", "fridge", "furniture", "collection"),
        80,
        4,
        location="address",
        allow_anonymous=False,
        attributes=_ordered(
            _attr(
                "items",
                "multivaluelist",
                "What needs collecting?",
                required=True,
                values=(
                    ("sofa", "Sofa or armchair"),
                    ("mattress", "Mattress or bed"),
                    ("fridge_freezer", "Fridge or freezer"),
                    ("washing_machine", "Washing machine or cooker"),
                    ("furniture", "Other furniture"),
                    ("electricals", "Small electricals"),
                    ("garden_furniture", "Garden furniture"),
                ),
            ),
            _attr(
                "item_count",
                "number",
                "How many items in total?",
                required=True,
                datatype_description="Up to 6 items per booking",
            ),
        ),
        hints={"item_count": ("range", 1, 6)},
    ),
    ServiceSpec(
        "NEW_BIN_REQUEST",
        "New or replacement bin",
        _BINS,
        "WASTE",
        "Ask for a new, replacement or additional bin.",
        ("new bin", "replacement", "stolen bin", "damaged bin"),
        120,
        3,
        location="address",
        allow_anonymous=False,
        attributes=_ordered(
            _attr("bin_type", "singlevaluelist", "Which bin?", required=True, values=BIN_TYPES),
            _attr(
                "reason",
                "singlevaluelist",
                "Why do you need it?",
                required=True,
                values=(
                    ("lost", "Lost or stolen"),
                    ("damaged", "Damaged"),
                    ("new_property", "New property"),
                    ("extra_capacity", "Extra capacity"),
                ),
            ),
        ),
    ),
    ServiceSpec(
        "FLY_TIPPING",
        "Fly-tipping",
        _CLEAN,
        "WASTE",
        "Rubbish dumped illegally on a street, verge or open land.",
        ("fly-tipping", "fly tipping", "dumped", "rubbish", "waste"),
        40,
        10,
        attributes=_ordered(
            _attr(
                "waste_types",
                "multivaluelist",
                "What has been dumped?",
                required=True,
                values=(
                    ("household", "Household rubbish"),
                    ("builders", "Builders' rubble"),
                    ("garden", "Garden waste"),
                    ("furniture", "Furniture"),
                    ("white_goods", "Fridges or white goods"),
                    ("tyres", "Tyres"),
                    ("asbestos", "Possible asbestos"),
                    ("chemicals", "Drums or chemicals"),
                ),
            ),
            _attr(
                "quantity",
                "singlevaluelist",
                "How much is there?",
                required=True,
                values=(
                    ("single", "A single item"),
                    ("car_boot", "A car boot load"),
                    ("van", "A small van load"),
                    ("lorry", "A lorry load or more"),
                ),
            ),
            _attr(
                "witnessed",
                "singlevaluelist",
                "Did you see who dumped it?",
                values=YES_NO,
            ),
        ),
        seasonal={4: 1.2, 5: 1.3, 6: 1.2, 8: 1.2},
    ),
    ServiceSpec(
        "LITTER",
        "Litter or street sweeping",
        _CLEAN,
        "WASTE",
        "A street, alley or verge that needs sweeping or litter picking.",
        ("litter", "sweeping", "dirty street", "rubbish"),
        80,
        3,
    ),
    ServiceSpec(
        "OVERFLOWING_LITTER_BIN",
        "Overflowing litter bin",
        _CLEAN,
        "WASTE",
        "A public litter or dog waste bin that is full or overflowing.",
        ("litter bin", "overflowing", "full bin"),
        40,
        2,
        seasonal={6: 1.4, 7: 1.6, 8: 1.6},
    ),
    ServiceSpec(
        "GRAFFITI",
        "Graffiti",
        _CLEAN,
        "WASTE",
        "Graffiti or tagging on walls, street furniture or bus shelters.",
        ("graffiti", "tagging", "vandalism", "spray paint"),
        80,
        3,
        attributes=_ordered(
            _attr(
                "offensive",
                "singlevaluelist",
                "Is it offensive, racist or obscene?",
                required=True,
                values=YES_NO,
            ),
            _attr(
                "surface",
                "singlevaluelist",
                "What is it on?",
                required=True,
                values=(
                    ("council", "Council building or wall"),
                    ("private", "Private wall or fence"),
                    ("bus_shelter", "Bus shelter"),
                    ("utility", "Utility or telecoms box"),
                ),
            ),
        ),
    ),
    ServiceSpec(
        "DOG_FOULING",
        "Dog fouling",
        _CLEAN,
        "WASTE",
        "Dog mess on a pavement, path or park.",
        ("dog mess", "dog fouling", "dog poo"),
        80,
        3,
    ),
    ServiceSpec(
        "DEAD_ANIMAL",
        "Dead animal removal",
        _CLEAN,
        "WASTE",
        "A dead animal on a road, pavement or public land.",
        ("dead animal", "carcass", "roadkill"),
        8,
        1,
        attributes=_ordered(
            _attr(
                "animal",
                "singlevaluelist",
                "What kind of animal?",
                required=True,
                values=(
                    ("fox", "Fox"),
                    ("badger", "Badger"),
                    ("deer", "Deer"),
                    ("cat", "Cat"),
                    ("dog", "Dog"),
                    ("bird", "Bird"),
                    ("other", "Other"),
                ),
            ),
        ),
    ),
    ServiceSpec(
        "DISCARDED_NEEDLES",
        "Discarded needles or syringes",
        _CLEAN,
        "WASTE",
        "Needles or drug paraphernalia left in a public place. Do not touch them.",
        ("needles", "syringes", "sharps", "drugs"),
        4,
        0.4,
    ),
    # Environmental Health
    ServiceSpec(
        "NOISE",
        "Noise nuisance",
        _NOISE,
        "ENV_HEALTH",
        "Persistent noise from a home, business or building site.",
        ("noise", "loud music", "party", "barking", "alarm"),
        40,
        5,
        attributes=_ordered(
            _attr(
                "noise_source",
                "singlevaluelist",
                "What is making the noise?",
                required=True,
                values=(
                    ("music", "Loud music or TV"),
                    ("party", "Party or shouting"),
                    ("dog", "Barking dog"),
                    ("alarm", "Intruder or car alarm"),
                    ("construction", "Building work"),
                    ("commercial", "Pub, club or business"),
                ),
            ),
            _attr(
                "noise_start",
                "datetime",
                "When did it start?",
                required=True,
                datatype_description="Date and time",
            ),
            _attr(
                "ongoing",
                "singlevaluelist",
                "Is it happening now?",
                required=True,
                values=YES_NO,
            ),
            _attr("details", "text", "How often does it happen and for how long?"),
        ),
        hints={"noise_start": ("hours_before", 96), "details": ("text", "noise_details")},
        seasonal={5: 1.3, 6: 1.6, 7: 1.8, 8: 1.7, 12: 1.2},
    ),
    ServiceSpec(
        "BONFIRE_SMOKE",
        "Bonfire or smoke nuisance",
        _NOISE,
        "ENV_HEALTH",
        "Smoke from garden bonfires or burning waste.",
        ("bonfire", "smoke", "burning"),
        40,
        1,
        seasonal={4: 1.5, 5: 1.5, 10: 1.6, 11: 2.0},
    ),
    ServiceSpec(
        "PEST_CONTROL",
        "Pest control",
        _PESTS,
        "ENV_HEALTH",
        "Book a pest control visit for rats, mice, wasps and other pests.",
        ("rats", "mice", "wasps", "pests", "cockroaches", "bedbugs"),
        80,
        2,
        location="address",
        allow_anonymous=False,
        attributes=_ordered(
            _attr(
                "pest",
                "singlevaluelist",
                "Which pest?",
                required=True,
                values=(
                    ("rats", "Rats"),
                    ("mice", "Mice"),
                    ("wasps", "Wasps"),
                    ("cockroaches", "Cockroaches"),
                    ("bedbugs", "Bedbugs"),
                    ("pigeons", "Pigeons"),
                ),
            ),
            _attr(
                "where",
                "singlevaluelist",
                "Where are they?",
                required=True,
                values=(
                    ("inside", "Inside the home"),
                    ("garden", "In the garden"),
                    ("public", "On the street or public land"),
                ),
            ),
        ),
        seasonal={7: 1.5, 8: 1.7, 9: 1.3},
    ),
    ServiceSpec(
        "FOOD_HYGIENE",
        "Food hygiene complaint",
        _PESTS,
        "ENV_HEALTH",
        "A concern about hygiene at a restaurant, takeaway, shop or market stall.",
        ("food", "hygiene", "restaurant", "takeaway", "food poisoning"),
        80,
        1,
        attributes=_ordered(
            _attr("business_name", "string", "Name of the business", required=True),
            _attr("issue", "text", "What did you see or experience?"),
        ),
        hints={"business_name": ("business",), "issue": ("text", "food_issue")},
    ),
    # Housing
    ServiceSpec(
        "HOUSING_REPAIR",
        "Council home repair",
        _HOUSING,
        "HOUSING",
        "Report a repair in your council home.",
        ("repair", "council house", "tenant", "leak", "boiler", "window"),
        120,
        4,
        location="address",
        allow_anonymous=False,
        attributes=_ordered(
            _attr(
                "room",
                "singlevaluelist",
                "Where is the repair?",
                required=True,
                values=(*ROOMS, ("outside", "Outside or communal area")),
            ),
            _attr(
                "repair_type",
                "singlevaluelist",
                "What kind of repair?",
                required=True,
                values=(
                    ("plumbing", "Plumbing or taps"),
                    ("electrics", "Electrics or lighting"),
                    ("heating", "Heating or hot water"),
                    ("doors_windows", "Doors or windows"),
                    ("roof", "Roof or guttering"),
                    ("other", "Something else"),
                ),
            ),
            _attr("access_notes", "text", "When can we get in, and anything we should know?"),
        ),
        hints={"access_notes": ("text", "access_notes")},
        seasonal={11: 1.3, 12: 1.4, 1: 1.5, 2: 1.3},
    ),
    ServiceSpec(
        "EMERGENCY_REPAIR",
        "Emergency repair",
        _HOUSING,
        "HOUSING",
        "No heating or hot water, a major leak, unsafe electrics or an insecure home.",
        ("emergency", "no heating", "leak", "flood", "unsafe"),
        4,
        1,
        location="address",
        allow_anonymous=False,
        attributes=_ordered(
            _attr(
                "emergency_type",
                "singlevaluelist",
                "What is the emergency?",
                required=True,
                values=(
                    ("no_heating", "No heating or hot water"),
                    ("major_leak", "Major water leak"),
                    ("electrical", "Unsafe electrics"),
                    ("insecure", "Door or window will not lock"),
                    ("blocked_toilet", "Only toilet blocked"),
                ),
            ),
        ),
        seasonal={12: 1.6, 1: 1.8, 2: 1.4},
    ),
    ServiceSpec(
        "DAMP_MOULD",
        "Damp and mould",
        _HOUSING,
        "HOUSING",
        "Damp, condensation or mould in your council home.",
        ("damp", "mould", "condensation", "black mould"),
        40,
        2,
        location="address",
        allow_anonymous=False,
        attributes=_ordered(
            _attr(
                "rooms_affected",
                "multivaluelist",
                "Which rooms are affected?",
                required=True,
                values=ROOMS,
            ),
            _attr(
                "vulnerable_occupant",
                "singlevaluelist",
                "Does anyone at home have a health condition, or is under 5 or over 65?",
                required=True,
                values=YES_NO,
            ),
            _attr(
                "duration",
                "singlevaluelist",
                "How long has it been a problem?",
                values=(
                    ("weeks", "A few weeks"),
                    ("months", "Several months"),
                    ("year", "More than a year"),
                ),
            ),
        ),
        seasonal={10: 1.4, 11: 1.7, 12: 1.8, 1: 1.9, 2: 1.6, 3: 1.2},
    ),
    ServiceSpec(
        "ANTISOCIAL_BEHAVIOUR",
        "Antisocial behaviour",
        _SAFETY,
        "HOUSING",
        "Behaviour that causes harassment, alarm or distress in your neighbourhood.",
        ("antisocial", "asb", "nuisance", "intimidation", "vandalism"),
        40,
        2,
        attributes=_ordered(
            _attr(
                "behaviour",
                "singlevaluelist",
                "What kind of behaviour?",
                required=True,
                values=(
                    ("rowdiness", "Noise or rowdiness"),
                    ("intimidation", "Intimidation or harassment"),
                    ("vandalism", "Vandalism"),
                    ("drugs", "Drug dealing or use"),
                    ("vehicles", "Nuisance vehicles"),
                ),
            ),
            _attr("incident_time", "datetime", "When did it last happen?"),
        ),
        hints={"incident_time": ("hours_before", 72)},
    ),
    ServiceSpec(
        "HOMELESSNESS",
        "Homeless or at risk of homelessness",
        "Housing advice",
        "HOUSING",
        "Get help if you have nowhere to stay or may lose your home.",
        ("homeless", "eviction", "nowhere to stay", "housing advice"),
        8,
        0.7,
        location="address",
        allow_anonymous=False,
    ),
    # Revenues & Benefits
    ServiceSpec(
        "COUNCIL_TAX_QUERY",
        "Council tax query",
        _CTAX,
        "REVENUES",
        "Questions about your council tax bill, discounts, payments or band.",
        ("council tax", "bill", "discount", "direct debit", "band"),
        80,
        6,
        location="address",
        allow_anonymous=False,
        attributes=_ordered(
            _attr(
                "account_number",
                "string",
                "Your council tax account number",
                required=True,
                datatype_description="10 digits, on your bill",
            ),
            _attr(
                "query_type",
                "singlevaluelist",
                "What is your question about?",
                required=True,
                values=(
                    ("bill", "My bill"),
                    ("discount", "Single person discount or exemption"),
                    ("payment", "Payments or direct debit"),
                    ("arrears", "Arrears or a reminder"),
                    ("band", "Valuation band"),
                ),
            ),
        ),
        hints={"account_number": ("pattern", "{:010d}", 4000000000, 4099999999)},
        seasonal={3: 1.8, 4: 1.6},
    ),
    ServiceSpec(
        "COUNCIL_TAX_MOVE",
        "Moving home (council tax)",
        _CTAX,
        "REVENUES",
        "Tell us you are moving into, out of or within Northmere.",
        ("moving", "move home", "new address", "council tax"),
        80,
        2,
        location="address",
        allow_anonymous=False,
        attributes=_ordered(
            _attr(
                "move_date",
                "datetime",
                "Date of your move",
                required=True,
                datatype_description="The day you get or give up the keys",
            ),
            _attr(
                "moving_within",
                "singlevaluelist",
                "Are you moving within Northmere?",
                required=True,
                values=(("yes", "Yes, within Northmere"), ("no", "No, leaving Northmere")),
            ),
        ),
        hints={"move_date": ("days_around", -30, 45)},
        seasonal={7: 1.3, 8: 1.4, 9: 1.3},
    ),
    ServiceSpec(
        "BENEFITS_QUERY",
        "Housing benefit or council tax support query",
        _CTAX,
        "REVENUES",
        "Questions about a housing benefit or council tax support claim.",
        ("housing benefit", "council tax support", "claim", "benefits"),
        80,
        2,
        location="address",
        allow_anonymous=False,
    ),
    ServiceSpec(
        "BUSINESS_RATES_QUERY",
        "Business rates query",
        _CTAX,
        "REVENUES",
        "Questions about business rates bills, relief and payments.",
        ("business rates", "non-domestic rates", "rate relief"),
        120,
        0.6,
        location="address",
        allow_anonymous=False,
    ),
    # Parking
    ServiceSpec(
        "ABANDONED_VEHICLE",
        "Abandoned vehicle",
        _PARKING,
        "PARKING",
        "A vehicle that looks abandoned: untaxed, damaged or not moved for weeks.",
        ("abandoned", "car", "vehicle", "untaxed", "burnt out"),
        120,
        2,
        attributes=_ordered(
            _attr(
                "registration",
                "string",
                "Registration number",
                required=True,
                datatype_description="For example AB12 CDE",
            ),
            _attr("make_model", "string", "Make, model and colour"),
            _attr(
                "untaxed",
                "singlevaluelist",
                "Is it untaxed?",
                required=True,
                values=(("yes", "Yes"), ("no", "No"), ("unknown", "Don't know")),
            ),
        ),
        hints={"registration": ("registration",), "make_model": ("vehicle",)},
    ),
    ServiceSpec(
        "ILLEGAL_PARKING",
        "Illegal or obstructive parking",
        _PARKING,
        "PARKING",
        "Vehicles parked on yellow lines, dropped kerbs, pavements or school zig-zags.",
        ("parking", "yellow lines", "dropped kerb", "blocked driveway"),
        8,
        3,
        attributes=_ordered(
            _attr("registration", "string", "Registration number, if you have it"),
            _attr(
                "obstruction",
                "singlevaluelist",
                "What is the problem?",
                required=True,
                values=(
                    ("dropped_kerb", "Blocking a dropped kerb or driveway"),
                    ("double_yellow", "On double yellow lines"),
                    ("pavement", "On the pavement"),
                    ("disabled_bay", "In a disabled bay without a badge"),
                    ("school", "On school zig-zag markings"),
                ),
            ),
        ),
        hints={"registration": ("registration",)},
    ),
    ServiceSpec(
        "PARKING_PERMIT",
        "Resident parking permit query",
        _PARKING,
        "PARKING",
        "Questions about resident and visitor parking permits.",
        ("permit", "resident parking", "visitor permit"),
        120,
        1,
        location="address",
        allow_anonymous=False,
    ),
    ServiceSpec(
        "PAY_DISPLAY_FAULT",
        "Pay and display machine fault",
        _PARKING,
        "PARKING",
        "A parking ticket machine that is broken or not taking payment.",
        ("ticket machine", "pay and display", "parking meter"),
        40,
        0.6,
        attributes=_ordered(
            _attr("machine_number", "string", "Machine number, shown on the front"),
        ),
        hints={"machine_number": ("pattern", "P{:03d}", 1, 240)},
    ),
    # Parks & Open Spaces
    ServiceSpec(
        "OVERGROWN_VEGETATION",
        "Overgrown hedge, tree or grass",
        _PARKS,
        "PARKS",
        "Vegetation blocking a pavement, sign, street light or view at a junction.",
        ("overgrown", "hedge", "grass", "vegetation", "weeds"),
        120,
        3,
        attributes=_ordered(
            _attr(
                "vegetation_type",
                "singlevaluelist",
                "What is overgrown?",
                required=True,
                values=(
                    ("hedge", "Hedge"),
                    ("tree", "Tree branches"),
                    ("grass", "Grass verge"),
                    ("weeds", "Weeds"),
                ),
            ),
            _attr(
                "obstructing",
                "singlevaluelist",
                "What is it blocking?",
                required=True,
                values=(
                    ("pavement", "The pavement"),
                    ("sign", "A road sign or street light"),
                    ("sightline", "The view at a junction"),
                    ("nothing", "Nothing, it is just untidy"),
                ),
            ),
        ),
        seasonal={1: 0.3, 2: 0.3, 5: 1.8, 6: 2.4, 7: 2.4, 8: 1.8, 11: 0.4, 12: 0.3},
    ),
    ServiceSpec(
        "DANGEROUS_TREE",
        "Dangerous or fallen tree",
        _PARKS,
        "PARKS",
        "A council tree that has fallen, is leaning or has a hanging branch.",
        ("tree", "fallen tree", "branch", "storm damage"),
        8,
        1,
        attributes=_ordered(
            _attr(
                "condition",
                "singlevaluelist",
                "What is wrong with the tree?",
                required=True,
                values=(
                    ("fallen", "Fallen"),
                    ("leaning", "Leaning"),
                    ("branch", "Hanging or broken branch"),
                    ("dead", "Dead or diseased"),
                ),
            ),
        ),
        seasonal={10: 1.4, 11: 1.8, 12: 1.8, 1: 1.8, 2: 1.6},
    ),
    ServiceSpec(
        "PLAYGROUND_DAMAGE",
        "Damaged play equipment",
        _PARKS,
        "PARKS",
        "Broken or unsafe equipment in a council playground.",
        ("playground", "swing", "slide", "play area"),
        40,
        0.8,
        seasonal={4: 1.3, 5: 1.4, 6: 1.5, 7: 1.6, 8: 1.6},
    ),
    ServiceSpec(
        "PARK_FACILITIES",
        "Park benches, paths and toilets",
        _PARKS,
        "PARKS",
        "Problems with benches, paths, gates, fences or toilets in a park.",
        ("park", "bench", "path", "toilets", "gate"),
        120,
        0.8,
    ),
    # Libraries & Culture
    ServiceSpec(
        "LIBRARY_ENQUIRY",
        "Library enquiry",
        _LIBRARIES,
        "LIBRARIES",
        "Questions about membership, loans, fines, reservations or opening hours.",
        ("library", "books", "membership", "renewal", "opening hours"),
        80,
        1,
        location="none",
    ),
    ServiceSpec(
        "VENUE_HIRE",
        "Room and venue hire enquiry",
        _LIBRARIES,
        "LIBRARIES",
        "Hire a room in a library, museum or community venue.",
        ("room hire", "venue", "booking", "events"),
        80,
        0.4,
        location="none",
        allow_anonymous=False,
    ),
    # Customer Services
    ServiceSpec(
        "GENERAL_ENQUIRY",
        "General enquiry",
        _CONTACT,
        "CUSTOMER",
        "Anything else you need help with.",
        ("enquiry", "question", "help", "contact"),
        40,
        2,
        location="none",
    ),
    ServiceSpec(
        "COMPLAINT",
        "Complaint about a council service",
        _CONTACT,
        "CUSTOMER",
        "Tell us when we have got something wrong. Stage 1 complaints get a reply "
        "within 10 working days.",
        ("complaint", "unhappy", "poor service"),
        80,
        1.2,
        location="none",
        allow_anonymous=False,
        attributes=_ordered(
            _attr(
                "about_department",
                "singlevaluelist",
                "Which service is your complaint about?",
                required=True,
                values=tuple((d.code.lower(), d.name) for d in DEPARTMENTS),
            ),
            _attr("outcome_sought", "text", "What would you like us to do to put it right?"),
        ),
        hints={"outcome_sought": ("text", "outcome_sought")},
    ),
    ServiceSpec(
        "COMPLIMENT",
        "Compliment",
        _CONTACT,
        "CUSTOMER",
        "Tell us when someone has done a good job.",
        ("compliment", "thank you", "praise"),
        120,
        0.4,
        location="none",
    ),
)


# --- Staff -------------------------------------------------------------------
@dataclass(frozen=True)
class FixedLogin:
    username: str
    display_name: str
    roles: tuple[str, ...]
    department: str | None


DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - the published demo password
FIXED_LOGINS: tuple[FixedLogin, ...] = (
    FixedLogin("admin", "Alex Admin", ("admin",), None),
    FixedLogin("agent", "Priya Agent", ("agent",), "CUSTOMER"),
    FixedLogin("caseworker", "Chris Caseworker", ("caseworker",), "HIGHWAYS"),
    FixedLogin("manager", "Morgan Manager", ("manager",), "HIGHWAYS"),
    FixedLogin("dpo", "Dana Protection", ("dpo",), None),
)
# The department whose teams the fixed manager manages.
MANAGED_DEPARTMENT = "HIGHWAYS"
EXTRA_STAFF_PER_DEPARTMENT = 3
