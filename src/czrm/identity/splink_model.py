"""Training and batch prediction with Splink on DuckDB.

Everything Splink-specific lives here; the rest of czrm sees plain rows in
and scored pairs out. The comparisons come from ``czrm.identity.comparisons``
so the real-time scorer uses the very same levels.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas costs seconds to import; web processes never need it
    import pandas as pd

from czrm.identity.comparisons import (
    COMMON_FIRST_NAMES_KEY,
    COMPARISONS,
    STRONG_IDENTIFIERS,
    TERM_FREQUENCIES_KEY,
    TF_COLUMNS,
    TermFrequencies,
    common_first_names,
)

log = logging.getLogger("czrm.identity")

# Prediction blocks: each is a set of columns that must agree exactly; the
# same keys drive real-time candidate retrieval.
BLOCKING_KEYS: tuple[tuple[str, ...], ...] = (
    ("email",),
    ("phone",),
    ("ni_number",),
    ("first_name_key", "surname"),
    ("date_of_birth", "surname_key"),
    ("date_of_birth", "first_name_key"),
    ("postcode", "first_name_key"),
    ("postcode", "date_of_birth"),
    # A first-name typo or an initial at the same postcode (a household's
    # other members come too; the first name keeps them apart).
    ("postcode", "surname"),
)
# Blocks across columns: each pair is (a column of one record, the column of the
# other record it must equal). First name and surname entered in each other's
# boxes, at one postcode or with one birth date; both directions, as the batch
# only pairs a record with those after it.
CROSSED_BLOCKING_KEYS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("postcode", "postcode"), ("first_name_key", "surname")),
    (("postcode", "postcode"), ("surname", "first_name_key")),
    (("date_of_birth", "date_of_birth"), ("first_name_key", "surname")),
    (("date_of_birth", "date_of_birth"), ("surname", "first_name_key")),
)
# Rules that are near-certain matches, for estimating the prior.
DETERMINISTIC_RULES: tuple[tuple[str, ...], ...] = (
    ("ni_number",),
    ("first_name_key", "surname", "date_of_birth"),
)
PRIOR_RECALL = 0.7
U_SAMPLE_PAIRS = 1_000_000
# Splink's EM sessions: each fixes the blocked columns and trains the others.
EM_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("date_of_birth",),
    ("first_name_key", "surname"),
    ("postcode", "first_name_key"),
)
FALLBACK_PRIOR = 1e-4
# Pairs below this probability (at the first estimate of the prior) barely move
# the calibrated prior and are most of the blocked pairs; they are left out.
CALIBRATION_FLOOR = 1e-4
CALIBRATION_ROUNDS = 200
UNSEEN_U = 1e-5
UNSEEN_M = 1e-3
# Records a model is trained on at most (a random sample of larger populations).
TRAIN_SAMPLE = 250_000
# DuckDB's memory for any one Splink step; beyond it DuckDB spills to disk.
DUCKDB_MEMORY = "1GB"


@dataclass(frozen=True)
class Pair:
    left: int
    right: int
    match_weight: float
    probability: float
    levels: dict[str, int]
    first_names: tuple[str | None, str | None] = (None, None)


@contextmanager
def _quiet() -> Iterator[None]:
    """Splink narrates every EM iteration; czrm reports its own figures instead."""
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(previous)


def _settings(prior: float | None = None) -> Any:
    from splink import SettingsCreator, block_on

    kwargs: dict[str, Any] = {}
    if prior is not None:
        kwargs["probability_two_random_records_match"] = prior
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            *(block_on(*key) for key in BLOCKING_KEYS),
            *(_crossed(key) for key in CROSSED_BLOCKING_KEYS),
        ],
        comparisons=[c.splink() for c in COMPARISONS],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=True,
        max_iterations=25,
        em_convergence=0.001,
        **kwargs,
    )


def _crossed(key: tuple[tuple[str, str], ...]) -> Any:
    from splink.blocking_rule_library import CustomRule

    return CustomRule(" AND ".join(f'l."{left}" = r."{right}"' for left, right in key))


def _db_api() -> Any:
    """DuckDB for one Splink step, held to ``DUCKDB_MEMORY``: past it, DuckDB
    spills to a temporary folder rather than taking the machine's memory."""
    import tempfile

    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect(
        config={"memory_limit": DUCKDB_MEMORY, "temp_directory": tempfile.gettempdir()}
    )
    return DuckDBAPI(connection=connection)


Frequencies = dict[str, TermFrequencies]


def _linker(frame: pd.DataFrame, settings: Any, frequencies: Frequencies) -> Any:
    """A linker over ``frame`` whose term-frequency adjustments use ``frequencies``
    (the model's, as the real-time scorer does) rather than the frame's own."""
    import pandas as pd
    from splink import Linker

    if isinstance(settings, dict):
        settings = _splink_settings(settings)
    linker = Linker(_typed(frame), settings, db_api=_db_api())
    for column, table in frequencies.items():
        values = frame[column].dropna().unique()
        if not len(values):
            continue
        lookup = pd.DataFrame(
            {column: values, f"tf_{column}": [table.of(v) for v in values]}
        ).astype({column: "string"})
        linker.table_management.register_term_frequency_lookup(lookup, column)
    return linker


def term_frequencies(frame: pd.DataFrame) -> Frequencies:
    return {c: TermFrequencies.count(frame[c].tolist()) for c in TF_COLUMNS}


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """A column no record fills (no department keeps birth dates) is still text:
    DuckDB would read an all-empty column as integers and refuse to compare it."""
    empty = [c for c in frame.columns if c != "unique_id" and frame[c].isna().all()]
    if not empty:
        return frame
    return frame.astype({c: "string" for c in empty})


def train(frame: pd.DataFrame, *, seed: int = 1) -> dict[str, Any]:
    """Estimate the prior, u by random sampling and m by EM; returns the model JSON.

    A step that cannot run on the data (too few records, a block with no
    pairs) keeps the priors written in the comparisons rather than failing.
    """
    from splink import block_on

    first_names = frame["first_name"]
    # Counted over every record (the sample would make rare names look rarer).
    frequencies = term_frequencies(frame)
    if len(frame) > TRAIN_SAMPLE:
        # m, u and the prior are shares, the same in a random sample of records
        # as in the whole population (matches and pairs both scale with the
        # square of the fraction): training on a sample keeps a million-record
        # city's training in minutes and its memory in bounds.
        frame = frame.sample(n=TRAIN_SAMPLE, random_state=seed)
    with _quiet():
        linker = _linker(frame, _settings(), frequencies)
        try:
            linker.training.estimate_probability_two_random_records_match(
                [block_on(*rule) for rule in DETERMINISTIC_RULES], recall=PRIOR_RECALL
            )
        except Exception as exc:  # noqa: BLE001 - Splink raises plain exceptions
            log.warning("prior not estimated (%s); using %s", exc, FALLBACK_PRIOR)
            linker = _linker(frame, _settings(FALLBACK_PRIOR), frequencies)
        estimated = linker.misc.save_model_to_json()
        if not 0.0 < float(estimated["probability_two_random_records_match"] or 0.0) < 1.0:
            estimated["probability_two_random_records_match"] = FALLBACK_PRIOR
            linker = _linker(frame, estimated, frequencies)
        linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=seed)
        for block in EM_BLOCKS:
            # A failed EM session leaves the linker without the comparisons it set
            # aside, so start again from the model as it was before the session.
            before = linker.misc.save_model_to_json()
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    block_on(*block), fix_probability_two_random_records_match=True
                )
            except Exception as exc:  # noqa: BLE001
                log.warning("EM on %s skipped: %s", block, exc)
                linker = _linker(frame, before, frequencies)
        model: dict[str, Any] = _fill_untrained(linker.misc.save_model_to_json())
        model["probability_two_random_records_match"] = _calibrated_prior(frame, model, frequencies)
        if _unmix_identifiers(model):
            model["probability_two_random_records_match"] = _calibrated_prior(
                frame, model, frequencies
            )
    model[COMMON_FIRST_NAMES_KEY] = common_first_names(first_names)
    model[TERM_FREQUENCIES_KEY] = {c: t.as_json() for c, t in frequencies.items()}
    return model


def _unmix_identifiers(model: dict[str, Any]) -> bool:
    """Take the matches out of an identifier's u; True if any u changed.

    u comes from random pairs, taken to be non-matches. For a value that is
    one person's own (an email, an NI number) most random pairs that agree
    are in fact matches: sampled u = prior * m + (1 - prior) * u, so u as
    sampled overstates the chance of two people sharing one several times.
    Only these levels are corrected: for the rest the matches are a
    negligible share of agreeing random pairs.
    """
    prior = float(model["probability_two_random_records_match"])
    changed = False
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] not in STRONG_IDENTIFIERS:
            continue
        for level in comparison["comparison_levels"]:
            if level.get("label_for_charts") != "same":
                continue
            u, m = float(level["u_probability"]), float(level["m_probability"])
            unmixed = max((u - prior * m) / (1 - prior), UNSEEN_U / 10)
            if unmixed < u:
                level["u_probability"] = unmixed
                changed = True
    return changed


def _splink_settings(model: dict[str, Any]) -> dict[str, Any]:
    """The model without what czrm keeps beside Splink's settings."""
    return {
        k: v for k, v in model.items() if k not in (COMMON_FIRST_NAMES_KEY, TERM_FREQUENCIES_KEY)
    }


def _frequencies(model: dict[str, Any]) -> Frequencies:
    saved = model.get(TERM_FREQUENCIES_KEY) or {}
    return {c: TermFrequencies.from_json(t) for c, t in saved.items()}


def _calibrated_prior(
    frame: pd.DataFrame, model: dict[str, Any], frequencies: Frequencies
) -> float:
    """The prior at which the model expects as many matches as it finds.

    The deterministic rules only see pairs that share a birth date or an NI
    number, which most departments never record, so their estimate of the
    prior is far too low and every probability with it. Given the trained m
    and u, the expected number of matches among the blocked pairs is the sum
    of their match probabilities; the prior is the fixed point where that
    sum, over all pairs, equals the prior itself (the EM update of the prior).
    Pairs outside the blocks count as non-matches, so the estimate errs low.
    """
    import numpy as np

    prior = float(model["probability_two_random_records_match"])
    total_pairs = len(frame) * (len(frame) - 1) / 2
    if total_pairs < 1:
        return prior
    linker = _linker(frame, model, frequencies)
    scored = linker.inference.predict(threshold_match_probability=CALIBRATION_FLOOR)
    weights = scored.as_duckdbpyrelation().select("match_weight").fetchnumpy()["match_weight"]
    if not len(weights):
        return prior
    # Bayes factors, without the prior the pairs were scored with.
    factors = np.exp2(np.asarray(weights, dtype=float) - math.log2(prior / (1 - prior)))
    for _ in range(CALIBRATION_ROUNDS):
        odds = prior / (1 - prior)
        updated = float(np.sum(factors * odds / (1 + factors * odds))) / total_pairs
        if not 0.0 < updated < 1.0:
            return prior
        if abs(updated - prior) <= prior * 1e-4:
            return updated
        prior = updated
    return prior


def _fill_untrained(model: dict[str, Any]) -> dict[str, Any]:
    """Levels random sampling never hit (unique emails in a small sample) get a
    small u rather than none, so the weight is large but finite; a prior of 0
    (no duplicates found by the deterministic rules) falls back to a small one."""
    prior = float(model.get("probability_two_random_records_match") or 0.0)
    if not 0.0 < prior < 1.0:
        model["probability_two_random_records_match"] = FALLBACK_PRIOR
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            if level.get("u_probability") is None:
                level["u_probability"] = UNSEEN_U
            if level.get("m_probability") is None:
                level["m_probability"] = UNSEEN_M
    return model


def predict(frame: pd.DataFrame, model: dict[str, Any], threshold: float) -> list[Pair]:
    """Every blocked pair at or above ``threshold`` probability, with its levels."""
    return pairs_of(scored_pairs(frame, model, threshold))


def scored_pairs(frame: pd.DataFrame, model: dict[str, Any], threshold: float) -> pd.DataFrame:
    """``predict`` as columns: ``left`` < ``right``, ``match_weight``, ``probability``,
    ``first_name_l``/``_r`` (None where missing) and one column of levels per
    comparison, counted as czrm counts them (the null level is 0)."""
    import numpy as np
    import pandas as pd

    if len(frame) < 2:
        names = ["left", "right", "match_weight", "probability", "first_name_l", "first_name_r"]
        return pd.DataFrame({name: [] for name in [*names, *(c.name for c in COMPARISONS)]})
    with _quiet():
        linker = _linker(frame, model, _frequencies(model))
        result = linker.inference.predict(threshold_match_probability=threshold)
        # Only the columns czrm reads: the matching columns Splink retains for
        # every pair (both sides of each) would take gigabytes at a million records.
        wanted = [
            "unique_id_l",
            "unique_id_r",
            "match_weight",
            "match_probability",
            "first_name_l",
            "first_name_r",
            *(f"gamma_{c.name}" for c in COMPARISONS),
        ]
        scored = result.as_duckdbpyrelation().select(", ".join(wanted)).df()
    ids_l = scored["unique_id_l"].to_numpy(dtype=np.int64)
    ids_r = scored["unique_id_r"].to_numpy(dtype=np.int64)
    columns: dict[str, Any] = {
        "left": np.minimum(ids_l, ids_r),
        "right": np.maximum(ids_l, ids_r),
        "match_weight": scored["match_weight"].to_numpy(dtype=float),
        "probability": scored["match_probability"].to_numpy(dtype=float),
    }
    for side in ("first_name_l", "first_name_r"):
        names = scored[side].to_numpy(dtype=object)
        names[pd.isna(names)] = None
        columns[side] = names
    # Splink numbers non-null levels from the top (ELSE is 0) and null as -1;
    # czrm counts levels from the first (null) one.
    for c in COMPARISONS:
        gamma = scored[f"gamma_{c.name}"].to_numpy(dtype=np.int64)
        columns[c.name] = np.where(gamma == -1, 0, len(c.levels) - 1 - gamma).astype(np.int8)
    return pd.DataFrame(columns, copy=False)


def pairs_of(scored: pd.DataFrame) -> list[Pair]:
    """``scored_pairs``' rows as ``Pair``s."""
    names = [c.name for c in COMPARISONS]
    return [
        Pair(
            left=int(left),
            right=int(right),
            match_weight=float(weight),
            probability=float(prob),
            levels=dict(zip(names, map(int, levels), strict=True)),
            first_names=(first_l, first_r),
        )
        for left, right, weight, prob, first_l, first_r, *levels in zip(
            scored["left"],
            scored["right"],
            scored["match_weight"],
            scored["probability"],
            scored["first_name_l"],
            scored["first_name_r"],
            *(scored[name] for name in names),
            strict=True,
        )
    ]
