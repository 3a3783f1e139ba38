"""Answers to a service's Open311 attribute questions, valid for their definitions."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from czrm.seed.names import BUSINESS_NAMES, PLATE_LETTERS, VEHICLES
from czrm.seed.texts import TEXT_ANSWERS

OPTIONAL_ANSWERED = 0.65


def registration(rng: random.Random) -> str:
    """A current-style UK plate, ``AB12 CDE`` (age identifier 51-75 or 02-25)."""
    age = rng.choice((rng.randint(2, 25), rng.randint(51, 75)))
    area = rng.choice(PLATE_LETTERS) + rng.choice(PLATE_LETTERS)
    tail = "".join(rng.choice(PLATE_LETTERS) for _ in range(3))
    return f"{area}{age:02d} {tail}"


def _iso(ts: float, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(int(ts), tz).isoformat()


def _datetime_answer(rng: random.Random, hint: tuple[Any, ...], opened: float, tz: ZoneInfo) -> str:
    kind = hint[0] if hint else "hours_before"
    if kind == "collection_day":
        day = datetime.fromtimestamp(opened, tz) - timedelta(days=rng.randint(0, 3))
        return day.replace(hour=7, minute=0, second=0, microsecond=0).isoformat()
    if kind == "days_around":
        day = datetime.fromtimestamp(opened, tz) + timedelta(days=rng.randint(hint[1], hint[2]))
        return day.replace(hour=0, minute=0, second=0, microsecond=0).isoformat()
    hours = hint[1] if len(hint) > 1 else 48
    return _iso(opened - rng.random() * hours * 3600, tz)


def _string_answer(rng: random.Random, hint: tuple[Any, ...], street: str, street2: str) -> str:
    kind = hint[0] if hint else ""
    if kind == "pattern":
        return str(hint[1]).format(rng.randint(hint[2], hint[3]))
    if kind == "junction":
        return f"{street} / {street2}"
    if kind == "business":
        return rng.choice(BUSINESS_NAMES)
    if kind == "registration":
        return registration(rng)
    if kind == "vehicle":
        return rng.choice(VEHICLES)
    return "Not known"


def answer(
    rng: random.Random,
    definition: dict[str, Any],
    hint: tuple[Any, ...],
    *,
    opened: float,
    tz: ZoneInfo,
    street: str,
    street2: str,
) -> Any:
    datatype = definition["datatype"]
    values = definition.get("values") or []
    if datatype == "singlevaluelist":
        return rng.choice(values)["key"]
    if datatype == "multivaluelist":
        chosen = set(rng.sample(range(len(values)), rng.randint(1, min(3, len(values)))))
        return [v["key"] for i, v in enumerate(values) if i in chosen]
    if datatype == "number":
        low, high = (hint[1], hint[2]) if hint and hint[0] == "range" else (1, 10)
        return rng.randint(low, high)
    if datatype == "datetime":
        return _datetime_answer(rng, hint, opened, tz)
    if datatype == "text":
        pool = TEXT_ANSWERS.get(hint[1]) if hint and hint[0] == "text" else None
        return rng.choice(pool) if pool else "See description."
    return _string_answer(rng, hint, street, street2)


def answers(
    rng: random.Random,
    definitions: list[dict[str, Any]],
    hints: dict[str, tuple[Any, ...]],
    *,
    opened: float,
    tz: ZoneInfo,
    street: str,
    street2: str,
) -> dict[str, Any]:
    """Every required question answered, optional ones mostly; list answers use keys."""
    result: dict[str, Any] = {}
    for definition in definitions:
        if not definition.get("variable", True):
            continue
        if not definition.get("required") and rng.random() > OPTIONAL_ANSWERED:
            continue
        if definition["datatype"] in ("singlevaluelist", "multivaluelist") and not definition.get(
            "values"
        ):
            continue
        result[definition["code"]] = answer(
            rng,
            definition,
            hints.get(definition["code"], ()),
            opened=opened,
            tz=tz,
            street=street,
            street2=street2,
        )
    return result
