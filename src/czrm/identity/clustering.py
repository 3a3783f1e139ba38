"""Constrained clustering of scored pairs into persons (pure, no I/O).

Edges are joined strongest first. Two groups are never joined when that
would put together:

* a pair a reviewer rejected (cannot-link);
* two groups a person already anchored by a human decision (clerical links
  of different persons) — the model never overrules a reviewer;
* NI numbers or birth dates more than one keying slip apart (a character
  mistyped, added or dropped, two neighbours swapped; a date's day and month
  the other way round, but not a transposed year), or clearly different
  first names (as spelt or their formal form; an initial
  against a name it does not start) — one person has one of each, and refusing
  such joins stops a chain of plausible pairs from gluing relatives together.

Human must-links are joined first and are checked only against cannot-links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from czrm.identity.similarity import damerau_within_one, date_slip, jaro_winkler

FIRST_NAME_COMPATIBLE = 0.8


@dataclass
class Profile:
    members: set[int] = field(default_factory=set)
    dobs: set[str] = field(default_factory=set)
    nis: set[str] = field(default_factory=set)
    first_names: set[str] = field(default_factory=set)
    anchor: object | None = None


@dataclass(frozen=True)
class Attributes:
    date_of_birth: str | None = None
    ni_number: str | None = None
    first_name_key: str | None = None
    anchor: object | None = None  # the person a human tied this record to
    first_name: str | None = None  # as spelt: a typo of a nickname is near the nickname


def _within_one_slip(a: set[str], b: set[str], slip: Callable[[str, str], bool]) -> bool:
    return not a or not b or any(slip(x, y) for x in a for y in b)


def _names_compatible(a: set[str], b: set[str], common: frozenset[str]) -> bool:
    """Some spelling on each side alike, and no two different common names
    (``patrick``/``patricia``) without one shared; where a side has only
    initials, a shared initial."""
    if not a or not b:
        return True
    common_a, common_b = a & common, b & common
    if common_a and common_b and not common_a & common_b:
        return False
    if any(len(x) > 1 for x in a & b):  # one full spelling on both sides: alike
        return True
    full_a = {x for x in a if len(x) > 1}
    full_b = {y for y in b if len(y) > 1}
    if full_a and full_b:
        return any(
            x == y or jaro_winkler(x, y) >= FIRST_NAME_COMPATIBLE for x in full_a for y in full_b
        )
    return bool({x[0] for x in a} & {y[0] for y in b})


class Clusters:
    """Groups of records, each record alone until a join; ``records`` is read only
    for the records a join touches (a million singletons cost nothing)."""

    def __init__(
        self, records: Mapping[int, Attributes], common_first_names: frozenset[str] = frozenset()
    ) -> None:
        self.common_first_names = common_first_names
        self.records = records
        # Only records some join has touched; any other record is its own group.
        self.parent: dict[int, int] = {}
        self.profiles: dict[int, Profile] = {}
        self.cannot: dict[int, set[int]] = {}
        self.refused: list[tuple[int, int]] = []

    def _touch(self, record_id: int) -> int:
        attrs = self.records[record_id]
        self.parent[record_id] = record_id
        self.profiles[record_id] = Profile(
            members={record_id},
            dobs={attrs.date_of_birth} if attrs.date_of_birth else set(),
            nis={attrs.ni_number} if attrs.ni_number else set(),
            first_names={n for n in (attrs.first_name, attrs.first_name_key) if n},
            anchor=attrs.anchor,
        )
        return record_id

    def find(self, record_id: int) -> int:
        parent = self.parent
        if record_id not in parent:
            return self._touch(record_id)
        root = record_id
        while parent[root] != root:
            root = parent[root]
        while parent[record_id] != root:
            parent[record_id], record_id = root, parent[record_id]
        return root

    def add_cannot_links(self, pairs: Iterable[tuple[int, int]]) -> None:
        for a, b in pairs:
            if a in self.records and b in self.records:
                self.cannot.setdefault(a, set()).add(b)
                self.cannot.setdefault(b, set()).add(a)

    def _forbidden(self, small: Profile, large: Profile) -> bool:
        if not self.cannot:
            return False
        return any(self.cannot.get(m, set()) & large.members for m in small.members)

    def join(
        self, a: int, b: int, *, human: bool = False, waive: frozenset[str] = frozenset()
    ) -> bool:
        """Join the groups of ``a`` and ``b`` if allowed; False (and remembered) if refused.

        ``waive`` names the attributes this pair's own evidence excuses (see
        ``comparisons.waivers``): an agreeing NI number lets two spellings of
        a first name into one group.
        """
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        pa, pb = self.profiles[ra], self.profiles[rb]
        if len(pa.members) < len(pb.members):
            ra, rb, pa, pb = rb, ra, pb, pa
        allowed = not self._forbidden(pb, pa)
        if allowed and not human:
            allowed = (
                (pa.anchor is None or pb.anchor is None or pa.anchor == pb.anchor)
                and ("ni_number" in waive or _within_one_slip(pa.nis, pb.nis, damerau_within_one))
                and ("date_of_birth" in waive or _within_one_slip(pa.dobs, pb.dobs, date_slip))
                and (
                    "first_name" in waive
                    or _names_compatible(pa.first_names, pb.first_names, self.common_first_names)
                )
            )
        if not allowed:
            self.refused.append((a, b))
            return False
        self.parent[rb] = ra
        pa.members |= pb.members
        pa.dobs |= pb.dobs
        pa.nis |= pb.nis
        pa.first_names |= pb.first_names
        pa.anchor = pa.anchor if pa.anchor is not None else pb.anchor
        del self.profiles[rb]
        return True

    def groups(self) -> list[set[int]]:
        """Every group, in the order ``records`` lists the group's root record."""
        parent, profiles = self.parent, self.profiles
        return [
            profiles[r].members if r in profiles else {r}
            for r in self.records
            if r not in parent or r in profiles
        ]
