"""A synthetic city: people in households, seen by six departments, with known truth.

What makes linking hard in a real council is all here, in proportions a
council would recognise: households share surname, address, postcode and a
landline; twins share a birth date; people use nicknames, make typos, take a
married name, move house; each department captures different fields, and
many values are missing. Names come in England and Wales' proportions (a few
common names, a long tail of rare ones: ``bench.names``). Every row carries
``_truth`` (the person it is). Deterministic for a given seed; about 1 s per
50,000 records (plus ~1 s to build the names).
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bench import names as city_names
from czrm.identity.nicknames import NICKNAMES as FORMAL_OF

FEMALE = (
    "margaret elizabeth catherine susan jennifer rebecca victoria mary olivia amelia isla ava "
    "emily sophie grace lily freya chloe patricia barbara sarah karen nancy lisa sandra ashley "
    "kimberly donna michelle dorothy carol amanda melissa deborah stephanie laura helen anna "
    "ruth sharon cynthia kathleen shirley angela brenda pamela nicole emma samantha christine "
    "rachel janet catrin ffion seren megan sian rhiannon aisha fatima zainab maryam priya anjali "
    "niamh siobhan aoife eilidh morag agnieszka katarzyna ewa"
).split()
MALE = (
    "robert william james john michael thomas edward david daniel peter andrew george oliver "
    "harry jacob noah leo arthur richard joseph charles christopher matthew anthony mark paul "
    "steven kenneth joshua kevin brian timothy ronald jason jeffrey ryan gary nicholas eric "
    "jonathan stephen larry justin scott brandon benjamin samuel gregory frank raymond patrick "
    "dylan rhys gareth owain dafydd mohammed ahmed ali omar yusuf hamza arjun rohan sean "
    "ciaran declan callum hamish piotr tomasz krzysztof"
).split()
COMMON_SURNAMES = (
    "smith jones taylor brown williams wilson johnson davies patel robinson wright thompson "
    "evans walker white roberts green hall wood jackson clarke khan lewis harris martin cooper "
    "hill ward morris moore clark lee king baker turner edwards allen hughes morgan price "
    "phillips griffiths rees owen jenkins ali hussain begum ahmed shah singh kaur murphy kelly "
    "obrien kowalski nowak"
).split()
STREETS = (
    "High Street|Church Lane|Mill Road|Station Road|Park Avenue|Queens Road|Victoria Street|"
    "Green Lane|Manor Road|Kings Road|New Street|School Lane|The Crescent|Alexandra Road|"
    "North Street|Springfield Road|Windsor Road|Grove Road|Albert Road|Chapel Street"
).split("|")
DEPARTMENTS = ("council_tax", "housing", "social_care", "parking", "libraries", "requests")
# Chance a person appears in a department (adults; children appear in fewer).
PRESENCE = {
    "council_tax": 0.75,
    "housing": 0.25,
    "social_care": 0.12,
    "parking": 0.3,
    "libraries": 0.35,
    "requests": 0.3,
}
NICKNAMES: dict[str, list[str]] = {}
for _short, _formal in FORMAL_OF.items():
    NICKNAMES.setdefault(_formal, []).append(_short)


@dataclass
class Resident:
    person: int
    first: str
    surname: str
    birth_surname: str
    dob: date
    address: str
    postcode: str
    phone: str | None
    email: str | None
    ni: str | None
    adult: bool


def _surnames(rng: random.Random, count: int) -> list[str]:
    """Common names plus a long tail, so a million people don't share thirty surnames."""
    syllables = ["ash", "brook", "car", "dun", "ell", "fair", "gold", "hart", "kirk", "lang"]
    syllables += ["mor", "new", "pen", "ridge", "stan", "thorn", "wick", "ford", "by", "ton"]
    tail = {rng.choice(syllables) + rng.choice(syllables) for _ in range(count * 3)}
    return COMMON_SURNAMES + sorted(tail)[:count]


def _postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"NM{rng.randint(1, 29)} {rng.randint(0, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _ni(rng: random.Random) -> str:
    prefix = rng.choice("ABCEHJKLMNOPRSTWXYZ") + rng.choice("ABCEHJKLMNPRSTWXYZ")
    return f"{prefix}{rng.randint(0, 999999):06d}{rng.choice('ABCD')}"


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.5:  # transposition
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.8:  # substitution
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
    return word[:i] + word[i + 1 :]  # deletion


class _Names:
    """Draws surnames, and first names by sex and birth year.

    ``realistic``: proportions like England and Wales' (``bench.names``);
    otherwise the first generator's (60 surnames weighted 40 each, a tail of at
    most 400, ~190 first names drawn uniformly), kept to compare against.
    """

    def __init__(self, rng: random.Random, persons: int, realistic: bool) -> None:
        self.realistic = realistic
        if realistic:
            self.surnames = city_names.surname_pool()
            self.cohorts = city_names.first_name_pools()
        else:
            self.old = _surnames(rng, max(persons // 200, 50))
            self.weights = [40 if i < len(COMMON_SURNAMES) else 1 for i in range(len(self.old))]

    def surname(self, rng: random.Random) -> str:
        if self.realistic:
            return self.surnames.draw(rng)
        return rng.choices(self.old, self.weights)[0]

    def first(self, rng: random.Random, female: bool, born: int) -> str:
        if not self.realistic:
            return rng.choice(FEMALE if female else MALE)
        _before, females, males = next(c for c in self.cohorts if born < c[0])
        return (females if female else males).draw(rng)


def residents(rng: random.Random, persons: int, realistic: bool = True) -> Iterator[Resident]:
    names = _Names(rng, persons, realistic)
    made = 0
    household = 0
    while made < persons:
        household += 1
        surname = names.surname(rng)
        address = f"{rng.randint(1, 250)} {rng.choice(STREETS)}"
        postcode = _postcode(rng)
        landline = f"01632 {rng.randint(100000, 999999)}" if rng.random() < 0.5 else None
        size = rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5])
        twins = size >= 3 and rng.random() < 0.15
        child_dob = date(2004, 1, 1) + timedelta(days=rng.randint(0, 6500))
        given: set[str] = set()
        for k in range(size):
            made += 1
            adult = k < 2 or not (size >= 3)
            if adult:
                dob = date(1935, 1, 1) + timedelta(days=rng.randint(0, 24000))
            elif twins:
                dob = child_dob
            else:
                dob = date(2004, 1, 1) + timedelta(days=rng.randint(0, 6500))
            female = rng.random() < 0.5
            # Parents rarely give two children one name (or one name's two spellings);
            # where they do, no record without a birth date could tell them apart.
            first = names.first(rng, female, dob.year)
            while FORMAL_OF.get(first, first) in given:
                first = names.first(rng, female, dob.year)
            given.add(FORMAL_OF.get(first, first))
            married = adult and female and k == 1 and rng.random() < 0.6
            birth_surname = names.surname(rng) if married else surname
            mobile = f"07700 {rng.randint(100000, 999999)}" if rng.random() < 0.7 else None
            yield Resident(
                person=made,
                first=first,
                surname=surname,
                birth_surname=birth_surname,
                dob=dob,
                address=address,
                postcode=postcode,
                phone=mobile or landline,
                email=f"{first}.{surname}{household}@example.org" if rng.random() < 0.6 else None,
                ni=_ni(rng) if dob.year < 2010 else None,
                adult=adult,
            )
            if made >= persons:
                return


def _maybe(rng: random.Random, value: Any, keep: float) -> Any:
    return value if value is not None and rng.random() < keep else None


def _seen(rng: random.Random, r: Resident) -> dict[str, Any]:
    """One department's view of the resident: nicknames, typos, old names, old addresses."""
    first, surname, address, postcode = r.first, r.surname, r.address, r.postcode
    roll = rng.random()
    if roll < 0.10 and first in NICKNAMES:
        first = rng.choice(NICKNAMES[first])
    elif roll < 0.16:
        first = _typo(rng, first)
    elif roll < 0.21:
        surname = _typo(rng, surname)
    if r.birth_surname != r.surname and rng.random() < 0.35:
        surname = r.birth_surname  # a department that still has the maiden name
    if rng.random() < 0.08:
        address, postcode = f"{rng.randint(1, 250)} {rng.choice(STREETS)}", _postcode(rng)
    return {"first": first, "surname": surname, "address": address, "postcode": postcode}


def _row(rng: random.Random, department: str, r: Resident, n: int) -> dict[str, Any]:
    s = _seen(rng, r)
    row: dict[str, Any] = {"_truth": r.person, "external_id": f"{department}-{n}"}
    if department == "council_tax":
        row.update(
            first_name=s["first"].upper(),
            surname=s["surname"].upper(),
            address_line_1=s["address"].upper(),
            postcode=s["postcode"].replace(" ", ""),
            email=_maybe(rng, r.email, 0.3),
            phone=_maybe(rng, r.phone, 0.4),
        )
    elif department == "housing":
        row.update(
            first_name=s["first"].title(),
            surname=s["surname"].title(),
            date_of_birth=r.dob.strftime("%d/%m/%Y"),
            ni_number=_maybe(rng, r.ni, 0.7),
            address_line_1=s["address"],
            postcode=s["postcode"],
            phone=_maybe(rng, r.phone, 0.8),
        )
    elif department == "social_care":
        row.update(
            first_name=s["first"].title(),
            surname=s["surname"].title(),
            date_of_birth=r.dob.isoformat(),
            ni_number=_maybe(rng, r.ni, 0.9),
            address_line_1=s["address"],
            postcode=s["postcode"],
        )
    elif department == "parking":
        row.update(
            first_name=s["first"][0].upper() if rng.random() < 0.3 else s["first"].title(),
            surname=s["surname"].title(),
            address_line_1=s["address"],
            postcode=s["postcode"],
            email=_maybe(rng, r.email, 0.7),
        )
    elif department == "libraries":
        row.update(
            first_name=s["first"].title(),
            surname=s["surname"].title(),
            date_of_birth=_maybe(rng, r.dob.isoformat(), 0.6),
            postcode=_maybe(rng, s["postcode"], 0.8),
            email=_maybe(rng, r.email, 0.9),
        )
    else:  # service requests: the little a reporter gives
        row.update(
            first_name=_maybe(rng, s["first"].title(), 0.7),
            surname=s["surname"].title(),
            email=_maybe(rng, r.email, 0.8),
            phone=_maybe(rng, r.phone, 0.5),
        )
    if not any(row.get(f) for f in ("email", "phone", "ni_number", "first_name")):
        row["first_name"] = s["first"].title()
    return row


def generate(
    records: int, seed: int = 1, *, realistic_names: bool = True
) -> dict[str, list[dict[str, Any]]]:
    """About ``records`` rows over the six departments (``_truth`` is the person).

    ``realistic_names=False``: the first generator's names (see ``_Names``)."""
    rng = random.Random(f"city:{seed}")
    out: dict[str, list[dict[str, Any]]] = {d: [] for d in DEPARTMENTS}
    total = 0
    persons = max(int(records / 1.9), 10)
    for resident in residents(rng, persons * 2, realistic_names):
        for department in DEPARTMENTS:
            chance = PRESENCE[department] * (1.0 if resident.adult else 0.4)
            if rng.random() < chance:
                rows = out[department]
                rows.append(_row(rng, department, resident, len(rows) + 1))
                total += 1
                if total >= records:
                    return out
    return out
