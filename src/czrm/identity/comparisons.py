"""The linkage model's comparisons, defined once for Splink (SQL) and Python.

Each comparison is an ordered list of levels; a pair falls in the first level
whose condition holds. The same definition renders the Splink settings for
batch linking and scores a pair in pure Python for real-time matching, so the
two can never disagree about which level a pair is in.

Designed for precision: people in one household share surname, address,
postcode and often a landline; twins also share a birth date. Only the first
name tells them apart, so ``decide`` refuses to auto-link without first-name
agreement whatever the total score; an initial (some departments keep no
more) counts as agreement only beside an agreeing e-mail or NI number.

Agreement on a first name or a surname is weighed by how common the name is
(Splink's term-frequency adjustment): ``aurelia thistlewood`` on two records
is strong evidence, ``john smith`` weak. The frequencies are counted over every
record the model was trained on and kept with it, so batch and real-time
scoring weigh a name alike.

Keying slips have levels of their own — a digit mistyped, two neighbouring
digits swapped, a date's day and month the other way round, first name and
surname in each other's boxes — and count as agreement; a different value
does not, however much else agrees.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from czrm.identity.similarity import (
    damerau_within_one,
    date_transposed,
    day_month_swapped,
    jaro_winkler,
    levenshtein,
)

Kind = Literal[
    "null",
    "exact",
    "initial",
    "initial_only",
    "jaro_winkler",
    "edit1",
    "transposed",
    "date_transposed",
    "day_month",
    "swapped",
    "differs",
    "else",
]
Row = Mapping[str, Any]


@dataclass(frozen=True)
class Level:
    label: str
    kind: Kind
    column: str = ""
    threshold: float = 0.0
    m: float = 0.0  # a prior; EM replaces it
    also: str = ""  # another column that must agree as well (an address line within its postcode)
    swap: str = ""  # for "swapped": the column this one's value was entered in on the other side
    # Evidence already weighed by another comparison's level (m = u, weight 0, never trained).
    neutral: bool = False
    # Weighed by how common the value is (term frequency): two records agreeing on a
    # rare surname are far likelier one person than two agreeing on ``smith``.
    tf: bool = False

    def sql(self, output: str) -> str:
        condition = self._sql(output)
        if self.also:
            return f'({condition}) AND "{self.also}_l" = "{self.also}_r"'
        return condition

    def _sql(self, output: str) -> str:
        col = self.column or output
        left, right = f'"{col}_l"', f'"{col}_r"'
        if self.kind == "null":
            return f"{left} IS NULL OR {right} IS NULL"
        if self.kind == "exact":
            return f"{left} = {right}"
        if self.kind == "differs":
            return f"{left} <> {right}"
        if self.kind == "initial":
            either = f"(length({left}) = 1 OR length({right}) = 1)"
            return f"{either} AND substr({left}, 1, 1) = substr({right}, 1, 1)"
        if self.kind == "initial_only":
            return f"length({left}) = 1 OR length({right}) = 1"
        if self.kind == "jaro_winkler":
            return f"jaro_winkler_similarity({left}, {right}) >= {self.threshold}"
        if self.kind == "edit1":
            return f"levenshtein({left}, {right}) <= 1"
        if self.kind == "transposed":
            return f"damerau_levenshtein({left}, {right}) <= 1"
        if self.kind == "date_transposed":
            return (
                f"substr({left}, 1, 4) = substr({right}, 1, 4) AND damerau_levenshtein("
                f"replace({left}, '-', ''), replace({right}, '-', '')) <= 1"
            )
        if self.kind == "day_month":
            return (
                f"substr({left}, 1, 4) = substr({right}, 1, 4)"
                f" AND substr({left}, 6, 2) = substr({right}, 9, 2)"
                f" AND substr({left}, 9, 2) = substr({right}, 6, 2)"
            )
        if self.kind == "swapped" and self.threshold:
            return (
                f'jaro_winkler_similarity({left}, "{self.swap}_r") >= {self.threshold}'
                f' AND jaro_winkler_similarity("{self.swap}_l", {right}) >= {self.threshold}'
            )
        if self.kind == "swapped":
            return f'{left} = "{self.swap}_r" AND "{self.swap}_l" = {right}'
        return "ELSE"

    def holds(self, output: str, left_row: Row, right_row: Row) -> bool:
        if self.also:
            other = left_row.get(self.also)
            if other is None or other != right_row.get(self.also):
                return False
        return self._holds(output, left_row, right_row)

    def _holds(self, output: str, left_row: Row, right_row: Row) -> bool:
        col = self.column or output
        left, right = left_row.get(col), right_row.get(col)
        if self.kind == "null":
            return left is None or right is None
        if self.kind == "else":
            return True
        if left is None or right is None:
            return False
        if self.kind == "exact":
            return bool(left == right)
        if self.kind == "differs":
            return bool(left != right)
        if self.kind == "initial":
            return (len(left) == 1 or len(right) == 1) and left[0] == right[0]
        if self.kind == "initial_only":
            return len(left) == 1 or len(right) == 1
        if self.kind == "jaro_winkler":
            return jaro_winkler(left, right) >= self.threshold
        if self.kind == "transposed":
            return damerau_within_one(left, right)
        if self.kind == "date_transposed":
            return date_transposed(left, right)
        if self.kind == "day_month":
            return day_month_swapped(left, right)
        if self.kind == "swapped":
            return _crosswise(
                left, right, left_row.get(self.swap), right_row.get(self.swap), self.threshold
            )
        return levenshtein(left, right) <= 1


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[Level, ...]

    def level_of(self, left: Row, right: Row) -> int:
        for index, level in enumerate(self.levels):
            if level.holds(self.name, left, right):
                return index
        raise AssertionError("the last level is ELSE")

    def splink(self) -> dict[str, Any]:
        levels: list[dict[str, Any]] = []
        for level in self.levels:
            entry: dict[str, Any] = {
                "sql_condition": level.sql(self.name),
                "label_for_charts": level.label,
            }
            if level.kind == "null":
                entry["is_null_level"] = True
            elif level.neutral:
                entry |= {
                    "m_probability": NEUTRAL,
                    "u_probability": NEUTRAL,
                    "fix_m_probability": True,
                    "fix_u_probability": True,
                }
            else:
                entry["m_probability"] = level.m
            if level.tf:
                entry["tf_adjustment_column"] = level.column or self.name
                entry["tf_adjustment_weight"] = 1.0
            levels.append(entry)
        return {"output_column_name": self.name, "comparison_levels": levels}


NEUTRAL = 0.5


def _crosswise(
    left: str, right: str, left_other: str | None, right_other: str | None, threshold: float
) -> bool:
    """``left`` is the other side's other column and the other way round: exactly, or
    each at least ``threshold`` alike."""
    if left_other is None or right_other is None:
        return False
    if not threshold:
        return left == right_other and left_other == right
    return (
        jaro_winkler(left, right_other) >= threshold
        and jaro_winkler(left_other, right) >= threshold
    )


def _null(name: str) -> Level:
    return Level(f"{name} missing", "null")


def _else(m: float) -> Level:
    return Level("different", "else", m=m)


SWAPPED = "swapped with surname"
SWAPPED_NEAR = "swapped with surname, near spelling"
SWAPPED_SURNAME = "swapped with first name (weighed under first name)"
TRANSPOSED = "two neighbouring characters swapped"
DAY_MONTH = "day and month swapped"
MOVED = "different, in another postcode sector (weighed under postcode)"

COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "first_name",
        (
            _null("first_name"),
            # An initial (``J``) says little: household members share a few,
            # and ``J`` = ``J`` is no better than ``J`` = ``John``.
            Level("initial", "initial", m=0.04),
            Level("different initial", "initial_only", m=0.005),
            Level("same", "exact", m=0.81, tf=True),
            Level("same formal name (nickname)", "exact", "first_name_key", m=0.05),
            Level("near spelling", "jaro_winkler", threshold=0.92, m=0.06),
            Level("similar", "jaro_winkler", threshold=0.8, m=0.02),
            # First name and surname entered in each other's boxes (a family
            # name written first): both names agree, weighed here once. Only
            # first names unlike each other are swaps: William Williams and
            # Wiliam Williams are a typo.
            Level(SWAPPED, "swapped", swap="surname", m=0.01),
            Level(SWAPPED_NEAR, "swapped", swap="surname", threshold=0.92, m=0.005),
            _else(0.02),
        ),
    ),
    Comparison(
        "surname",
        (
            _null("surname"),
            Level("same", "exact", m=0.85, tf=True),
            Level("near spelling", "jaro_winkler", threshold=0.92, m=0.07),
            Level(SWAPPED_SURNAME, "swapped", swap="first_name", threshold=0.92, neutral=True),
            _else(0.08),
        ),
    ),
    Comparison(
        "date_of_birth",
        (
            _null("date_of_birth"),
            Level("same", "exact", m=0.93),
            Level("one digit different", "edit1", m=0.05),
            Level(TRANSPOSED, "date_transposed", m=0.01),
            Level(DAY_MONTH, "day_month", m=0.005),
            _else(0.02),
        ),
    ),
    Comparison(
        "postcode",
        (
            _null("postcode"),
            Level("same", "exact", m=0.75),
            Level("same sector", "exact", "postcode_sector", m=0.08),
            _else(0.17),
        ),
    ),
    Comparison(
        "address_line_1",
        (
            _null("address_line_1"),
            # "1 Park Avenue" is in many towns: the line identifies a home
            # only within its postcode sector (the sector, so that a mistyped
            # last letter of the postcode still finds the house).
            Level("same", "exact", m=0.65, also="postcode_sector"),
            Level("near spelling", "jaro_winkler", threshold=0.9, m=0.1, also="postcode_sector"),
            Level("same line, another postcode", "exact", m=0.04),
            Level("near spelling, another postcode", "jaro_winkler", threshold=0.9, m=0.01),
            # A person who moved has another postcode and another address line: the
            # postcode comparison has weighed the move, so the line's difference
            # is not counted again (doubly penalised, a move outweighed a full name).
            Level(MOVED, "differs", "postcode_sector", neutral=True),
            _else(0.2),
        ),
    ),
    Comparison("email", (_null("email"), Level("same", "exact", m=0.8), _else(0.2))),
    Comparison("phone", (_null("phone"), Level("same", "exact", m=0.75), _else(0.25))),
    Comparison(
        "ni_number",
        (
            _null("ni_number"),
            Level("same", "exact", m=0.95),
            Level("one character different", "edit1", m=0.04),
            Level(TRANSPOSED, "transposed", m=0.01),
            _else(0.01),
        ),
    ),
)

# Where a trained model keeps the first names common in its data (not a Splink setting).
COMMON_FIRST_NAMES_KEY = "czrm_common_first_names"
# A spelling seen in at least this share of records is a name, not a typo.
COMMON_NAME_SHARE = 1 / 2000


def common_first_names(names: Iterable[str | None]) -> list[str]:
    """First names frequent enough in the data to be names in their own right."""
    counts = Counter(n for n in names if n and len(n) > 1)
    total = sum(counts.values())
    return sorted(n for n, c in counts.items() if c >= max(3, total * COMMON_NAME_SHARE))


def distinct_names(common: frozenset[str], left: str | None, right: str | None) -> bool:
    """Two different spellings that are both common names (``patrick``/``patricia``):
    a letter apart, but two people rather than a typo."""
    return left is not None and right is not None and left != right and {left, right} <= common


# Where a trained model keeps how often each value of a term-frequency column occurs.
TERM_FREQUENCIES_KEY = "czrm_term_frequencies"
# A value seen at most this often counts as seen this often: a name met once weighs
# no more than one met twice, and the model need not list every rare spelling.
TF_FLOOR_COUNT = 2
TF_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(lv.column or c.name for c in COMPARISONS for lv in c.levels if lv.tf)
)


@dataclass(frozen=True)
class TermFrequencies:
    """How often a column's values occur among the records a model was trained on."""

    total: int  # records with a value
    counts: Mapping[str, int]  # values seen more than ``TF_FLOOR_COUNT`` times

    @classmethod
    def count(cls, values: Iterable[str | None]) -> TermFrequencies:
        counts = Counter(v for v in values if v is not None)
        kept = {v: c for v, c in counts.items() if c > TF_FLOOR_COUNT}
        return cls(sum(counts.values()), kept)

    @classmethod
    def from_json(cls, saved: Mapping[str, Any]) -> TermFrequencies:
        return cls(int(saved["total"]), dict(saved["counts"]))

    def as_json(self) -> dict[str, Any]:
        return {"total": self.total, "counts": dict(sorted(self.counts.items()))}

    def of(self, value: str) -> float:
        """The share of records holding ``value`` (at least the floor's)."""
        return max(self.counts.get(value, 0), TF_FLOOR_COUNT) / max(self.total, 1)


@dataclass(frozen=True)
class Weights:
    """The trained model in the form the real-time scorer needs."""

    prior_weight: float  # log2 of the prior odds that two random records match
    # comparison name → per level: log2(m/u), or None for a null level (no evidence).
    levels: dict[str, tuple[float | None, ...]]
    common_first_names: frozenset[str] = frozenset()
    # (comparison, level index) → (column, u of an exact match on it), for levels
    # weighed by term frequency, and each such column's frequencies.
    tf_levels: Mapping[tuple[str, int], tuple[str, float]] = field(default_factory=dict)
    frequencies: Mapping[str, TermFrequencies] = field(default_factory=dict)

    def tf_weight(self, comparison: str, index: int, left: Row, right: Row) -> float:
        """Splink's term-frequency adjustment: log2(u of an exact match / the value's
        share), with the commoner of the two values (``smith`` weighs less than
        the average surname's agreement, a rare name more)."""
        found = self.tf_levels.get((comparison, index))
        if found is None:
            return 0.0
        column, u_exact = found
        table = self.frequencies.get(column)
        if table is None:
            return 0.0
        shares = [table.of(v) for v in (left.get(column), right.get(column)) if v is not None]
        if not shares:
            return 0.0
        return math.log2(u_exact / max(shares))

    @classmethod
    def from_splink(cls, settings: Mapping[str, Any]) -> Weights:
        """Read match weights from a saved Splink model (``save_model_to_json``)."""
        lam = float(settings["probability_two_random_records_match"])
        levels: dict[str, tuple[float | None, ...]] = {}
        tf_levels: dict[tuple[str, int], tuple[str, float]] = {}
        by_name = {c["output_column_name"]: c for c in settings["comparisons"]}
        for comparison in COMPARISONS:
            saved = by_name[comparison.name]["comparison_levels"]
            weights: list[float | None] = []
            for index, level in enumerate(saved):
                if level.get("is_null_level"):
                    weights.append(None)
                    continue
                m = max(float(level.get("m_probability") or 1e-10), 1e-10)
                u = max(float(level.get("u_probability") or 1e-10), 1e-10)
                weights.append(math.log2(m / u))
                column = level.get("tf_adjustment_column")
                if column:
                    tf_levels[(comparison.name, index)] = (column, _exact_u(saved, column))
            levels[comparison.name] = tuple(weights)
        saved_tf = settings.get(TERM_FREQUENCIES_KEY) or {}
        return cls(
            prior_weight=math.log2(lam / (1 - lam)),
            levels=levels,
            common_first_names=frozenset(settings.get(COMMON_FIRST_NAMES_KEY) or ()),
            tf_levels=tf_levels,
            frequencies={c: TermFrequencies.from_json(t) for c, t in saved_tf.items()},
        )


def _exact_u(saved: Iterable[Mapping[str, Any]], column: str) -> float:
    """u of the comparison's exact-match level on ``column`` (Splink's base for its
    term-frequency adjustments)."""
    condition = f'"{column}_l" = "{column}_r"'
    for level in saved:
        if level.get("sql_condition") == condition:
            return max(float(level.get("u_probability") or 1e-10), 1e-10)
    raise ValueError(f"no exact-match level on {column}")


def fits(settings: Mapping[str, Any]) -> bool:
    """Whether a saved model has exactly these comparisons and levels, in this order,
    weighed by term frequency where this code weighs them (with the frequencies)."""

    def shape(levels: Iterable[Mapping[str, Any]]) -> list[tuple[Any, Any]]:
        return [(lv.get("sql_condition"), lv.get("tf_adjustment_column")) for lv in levels]

    saved = {
        c.get("output_column_name"): shape(c["comparison_levels"])
        for c in settings.get("comparisons", ())
    }
    if TF_COLUMNS and set(TF_COLUMNS) - set(settings.get(TERM_FREQUENCIES_KEY) or ()):
        return False
    return len(saved) == len(COMPARISONS) and all(
        saved.get(c.name) == shape(c.splink()["comparison_levels"]) for c in COMPARISONS
    )


@dataclass(frozen=True)
class Score:
    match_weight: float
    probability: float
    levels: dict[str, int]  # comparison → level index
    field_weights: dict[str, dict[str, Any]]  # comparison → {"level": label, "weight": w}
    distinct_first_names: bool = False  # see ``distinct_names``


def probability(match_weight: float) -> float:
    if match_weight > 60:
        return 1.0
    odds = 2.0**match_weight
    return odds / (1 + odds)


def score(weights: Weights, left: Row, right: Row) -> Score:
    """Score one pair of linkage rows exactly as Splink's ``predict`` would."""
    total = weights.prior_weight
    levels: dict[str, int] = {}
    explained: dict[str, dict[str, Any]] = {}
    for comparison in COMPARISONS:
        index = comparison.level_of(left, right)
        weight = weights.levels[comparison.name][index]
        if weight is not None:
            weight += weights.tf_weight(comparison.name, index, left, right)
            total += weight
        levels[comparison.name] = index
        explained[comparison.name] = {
            "level": comparison.levels[index].label,
            "weight": round(weight, 3) if weight is not None else 0.0,
        }
    distinct = distinct_names(
        weights.common_first_names, left.get("first_name"), right.get("first_name")
    )
    return Score(total, probability(total), levels, explained, distinct)


def level_kind(levels: Mapping[str, int], comparison: str) -> str:
    """The label of the level a pair fell in, e.g. ``level_kind(s.levels, "first_name")``."""
    for c in COMPARISONS:
        if c.name == comparison:
            return c.levels[levels[comparison]].label
    raise KeyError(comparison)


Decision = Literal["link", "review", "none"]
STRONG_IDENTIFIERS = ("email", "ni_number")
# An identifier with two neighbouring digits swapped is still one person's: numbers
# issued one after another (twins') differ in one digit, never by a swap.
STRONG_AGREEMENT = frozenset({"same", TRANSPOSED})
# A keying slip of one's own date or number (a digit mistyped, two neighbours
# swapped, day and month the other way round) still agrees: siblings' and
# parents' dates differ by more than that, twins' not at all.
NI_AGREES = frozenset({"same", "one character different", TRANSPOSED})
DOB_AGREES = frozenset({"same", "one digit different", TRANSPOSED, DAY_MONTH})
# Agreements a household does not share (a landline, an address and a surname it does).
PERSONAL_AGREEMENT = {
    "date_of_birth": DOB_AGREES,
    "email": frozenset({"same"}),
    "ni_number": NI_AGREES,
}


PERSONAL = ("first_name", "surname", "date_of_birth")
AGREES = frozenset(
    {"same", "same formal name (nickname)", "near spelling", SWAPPED, SWAPPED_NEAR, SWAPPED_SURNAME}
    | DOB_AGREES
)


def waivers(levels: Mapping[str, int]) -> frozenset[str]:
    """Which of a person's one-of-a-kind attributes this pair may disagree on.

    Household members and twins share everything but a first name (and an NI
    number); a father and son also differ in birth date. So an agreeing NI
    number excuses a different birth date (a typo) and the same NI number a
    different first name (a nickname) — one a digit off does not, twins' may be,
    and agreeing name and birth date excuse a mistyped NI number. Names
    entered in each other's boxes agree, though the first names as written
    differ. Nothing else is excused.
    """
    waived: set[str] = set()
    ni = level_kind(levels, "ni_number")
    if ni in NI_AGREES:
        waived.add("date_of_birth")
    # Twins' numbers may be a digit apart: only the same number (or two of its
    # digits swapped) excuses a different first name.
    if ni in STRONG_AGREEMENT:
        waived.add("first_name")
    if level_kind(levels, "first_name") in (SWAPPED, SWAPPED_NEAR):
        waived.add("first_name")
    if all(level_kind(levels, c) in AGREES for c in PERSONAL):
        waived.add("ni_number")
    return frozenset(waived)


def decide(
    levels: Mapping[str, int],
    match_probability: float,
    *,
    auto: float,
    review: float,
    distinct_first_names: bool = False,
) -> Decision:
    """Link, send to a person, or leave apart: the thresholds plus precision guards.

    * first names (or initials) clearly different (household members,
      twins) → never linked, unless the NI numbers agree;
    * NI numbers clearly different → never linked, unless first name,
      surname and birth date all agree (a mistyped number);
    * birth dates clearly different (father and son of one name at one
      address) → a person decides, however high the score, unless the NI
      numbers agree;
    * first names only loosely similar (``john``/``joan``), an initial
      (``J``/``John``, or ``J``/``J`` — a household shares initials) or
      missing on one side → a person decides unless an email or NI number
      agrees (an NI number with two neighbouring digits swapped too);
    * first names a letter or two apart that are both common names
      (``Patrick``/``Patricia`` of one household, ``distinct_first_names``)
      → a person decides unless something the household does not share
      agrees: a birth date, an email, an NI number. A rare spelling near a
      common name is a typo and needs no such help;
    * names swapped between first name and surname → the same: where
      forenames are surnames too (Owen Thomas and Thomas Owen, neighbours)
      the swap alone may be two people.
    """
    if match_probability < review:
        return "none"
    first = level_kind(levels, "first_name")
    waived = waivers(levels)
    if first in ("different", "different initial") and "first_name" not in waived:
        return "none"
    if level_kind(levels, "ni_number") == "different" and "ni_number" not in waived:
        return "none"
    if match_probability < auto or (
        level_kind(levels, "date_of_birth") == "different" and "date_of_birth" not in waived
    ):
        return "review"
    strong = any(level_kind(levels, c) in STRONG_AGREEMENT for c in STRONG_IDENTIFIERS)
    if first in ("similar", "initial", "first_name missing") and not strong:
        return "review"
    personal = any(level_kind(levels, c) in kinds for c, kinds in PERSONAL_AGREEMENT.items())
    if first == "near spelling" and distinct_first_names and not personal:
        return "review"
    if first in (SWAPPED, SWAPPED_NEAR) and not personal:
        return "review"
    return "link"
