"""A small synthetic population with known truth, for linkage tests.

Households share surname, address, postcode and landline; some have twins
(same birth date, different first names); some people use nicknames, have
typos, married names or moved house. Three departments capture different
fields. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

FIRST = [
    "robert",
    "william",
    "james",
    "john",
    "michael",
    "thomas",
    "edward",
    "david",
    "daniel",
    "peter",
    "andrew",
    "george",
    "oliver",
    "harry",
    "jacob",
    "noah",
    "leo",
    "arthur",
    "margaret",
    "elizabeth",
    "catherine",
    "susan",
    "jennifer",
    "rebecca",
    "victoria",
    "mary",
    "olivia",
    "amelia",
    "isla",
    "ava",
    "emily",
    "sophie",
    "grace",
    "lily",
    "freya",
    "chloe",
]
NICK = {
    "robert": "bob",
    "william": "bill",
    "james": "jim",
    "michael": "mike",
    "thomas": "tom",
    "edward": "ted",
    "david": "dave",
    "daniel": "dan",
    "margaret": "maggie",
    "elizabeth": "liz",
    "catherine": "kate",
    "susan": "sue",
    "jennifer": "jenny",
    "rebecca": "becky",
    "victoria": "vicky",
    "peter": "pete",
    "andrew": "andy",
}
SURNAMES = [
    "smith",
    "jones",
    "taylor",
    "brown",
    "williams",
    "wilson",
    "johnson",
    "davies",
    "patel",
    "robinson",
    "wright",
    "thompson",
    "evans",
    "walker",
    "white",
    "roberts",
    "green",
    "hall",
    "wood",
    "jackson",
    "clarke",
    "khan",
    "lewis",
    "harris",
    "martin",
    "cooper",
    "hill",
    "ward",
]
STREETS = ["High Street", "Church Lane", "Mill Road", "Station Road", "Park Avenue", "Queens Road"]


@dataclass
class Truth:
    person: int
    first: str
    surname: str
    dob: date
    address: str
    postcode: str
    phone: str
    email: str
    ni: str


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _people(rng: random.Random, households: int) -> list[Truth]:
    people: list[Truth] = []
    pid = 0
    for h in range(households):
        surname = rng.choice(SURNAMES)
        address = f"{rng.randint(1, 200)} {rng.choice(STREETS)}"
        postcode = (
            f"NM{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFG')}{rng.choice('HJLNPQ')}"
        )
        landline = f"01632 {rng.randint(100000, 999999)}"
        size = rng.choice([1, 1, 2, 2, 3, 4])
        twins = size >= 3 and rng.random() < 0.5
        twin_dob = date(2005, 1, 1) + timedelta(days=rng.randint(0, 3000))
        firsts = rng.sample(FIRST, size)
        for k in range(size):
            pid += 1
            if twins and k >= size - 2:
                dob = twin_dob
            else:
                dob = date(1940, 1, 1) + timedelta(days=rng.randint(0, 22000))
            people.append(
                Truth(
                    person=pid,
                    first=firsts[k],
                    surname=surname,
                    dob=dob,
                    address=address,
                    postcode=postcode,
                    phone=landline
                    if rng.random() < 0.5
                    else f"07700 {rng.randint(100000, 999999)}",
                    email=f"{firsts[k]}.{surname}{h}@example.org",
                    ni=f"{rng.choice('ABCEH')}{rng.choice('ABCEH')}"
                    f"{rng.randint(100000, 999999)}{rng.choice('ABCD')}",
                )
            )
    return people


def generate(households: int = 60, seed: int = 7) -> dict[str, list[dict[str, Any]]]:
    """Rows per department (``tax``, ``housing``, ``library``), each row carrying ``_truth``."""
    rng = random.Random(seed)
    systems: dict[str, list[dict[str, Any]]] = {"tax": [], "housing": [], "library": []}
    for p in _people(rng, households):
        for system in systems:
            if rng.random() < 0.3:
                continue
            first, surname, address, postcode = p.first, p.surname, p.address, p.postcode
            roll = rng.random()
            if roll < 0.12 and first in NICK:
                first = NICK[first]
            elif roll < 0.2:
                first = _typo(rng, first)
            elif roll < 0.25:
                surname = _typo(rng, surname)
            elif roll < 0.28:
                surname = rng.choice(SURNAMES)  # married name
            if rng.random() < 0.08:
                address = f"{rng.randint(1, 200)} {rng.choice(STREETS)}"  # moved
                postcode = f"NM{rng.randint(1, 9)} {rng.randint(1, 9)}AQ"
            n = len(systems[system]) + 1
            row: dict[str, Any] = {"_truth": p.person, "external_id": f"{system}-{n}"}
            if system == "tax":
                row.update(
                    first_name=first.upper(),
                    surname=surname.upper(),
                    address_line_1=address,
                    postcode=postcode.replace(" ", ""),
                    date_of_birth=p.dob.strftime("%d/%m/%Y"),
                    ni_number=p.ni,
                )
            elif system == "housing":
                row.update(
                    first_name=first.title(),
                    surname=surname.title(),
                    date_of_birth=p.dob.isoformat(),
                    phone=p.phone,
                    address_line_1=address,
                    postcode=postcode,
                )
            else:
                row.update(
                    first_name=first,
                    surname=surname,
                    email=p.email,
                    date_of_birth=p.dob.isoformat() if rng.random() < 0.6 else "",
                    postcode=postcode.lower(),
                )
            systems[system].append(row)
    return systems
