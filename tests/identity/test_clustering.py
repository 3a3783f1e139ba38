"""Constrained clustering and the link decision: pure, no database."""

from __future__ import annotations

from czrm.identity.clustering import Attributes, Clusters
from czrm.identity.comparisons import COMPARISONS, decide


def _levels(**labels: str) -> dict[str, int]:
    """Level indexes from labels; unnamed comparisons are 'missing'."""
    out = {}
    for comparison in COMPARISONS:
        wanted = labels.get(comparison.name)
        names = [level.label for level in comparison.levels]
        out[comparison.name] = names.index(wanted) if wanted else 0
    return out


def test_thresholds_decide_link_review_or_none() -> None:
    agreeing = _levels(first_name="same", surname="same", date_of_birth="same")
    assert decide(agreeing, 0.999, auto=0.99, review=0.8) == "link"
    assert decide(agreeing, 0.95, auto=0.99, review=0.8) == "review"
    assert decide(agreeing, 0.5, auto=0.99, review=0.8) == "none"


def test_guards_put_precision_first() -> None:
    twins = _levels(first_name="different", surname="same", date_of_birth="same")
    assert decide(twins, 0.9999, auto=0.99, review=0.8) == "none"
    other_ni = _levels(first_name="same", ni_number="different")
    assert decide(other_ni, 0.9999, auto=0.99, review=0.8) == "none"
    father_son = _levels(first_name="same", surname="same", date_of_birth="different")
    assert decide(father_son, 0.9999, auto=0.99, review=0.8) == "review"
    john_joan = _levels(first_name="similar", surname="same", date_of_birth="same")
    assert decide(john_joan, 0.9999, auto=0.99, review=0.8) == "review"
    with_email = _levels(first_name="similar", surname="same", email="same")
    assert decide(with_email, 0.9999, auto=0.99, review=0.8) == "link"
    no_first = _levels(surname="same", phone="same")
    assert decide(no_first, 0.9999, auto=0.99, review=0.8) == "review"


def _clusters(**records: Attributes) -> Clusters:
    return Clusters({int(k[1:]): v for k, v in records.items()})


def test_chains_cannot_glue_different_birth_dates_together() -> None:
    clusters = _clusters(
        r1=Attributes(date_of_birth="1980-01-01", first_name_key="john"),
        r2=Attributes(first_name_key="john"),  # no birth date: links to either
        r3=Attributes(date_of_birth="2010-06-30", first_name_key="john"),
    )
    assert clusters.join(1, 2)
    assert not clusters.join(2, 3)
    assert sorted(map(sorted, clusters.groups())) == [[1, 2], [3]]
    assert clusters.refused == [(2, 3)]


def test_one_birth_date_typo_is_tolerated_but_not_two_names() -> None:
    clusters = _clusters(
        r1=Attributes(date_of_birth="1980-01-01", first_name_key="mary"),
        r2=Attributes(date_of_birth="1980-01-07", first_name_key="mary"),
        r3=Attributes(first_name_key="peter"),
    )
    assert clusters.join(1, 2)
    assert not clusters.join(1, 3)


def test_cannot_links_and_anchors_hold_but_humans_may_join() -> None:
    clusters = _clusters(
        r1=Attributes(anchor="P1"), r2=Attributes(), r3=Attributes(anchor="P2"), r4=Attributes()
    )
    clusters.add_cannot_links([(2, 4)])
    assert clusters.join(1, 2)
    assert not clusters.join(2, 3)  # two persons tied by people are never joined by the model
    assert clusters.join(3, 4)
    # a rejected pair (2, 4) keeps their groups apart, even for a later human must-link
    assert not clusters.join(1, 3, human=True)
    assert sorted(map(sorted, clusters.groups())) == [[1, 2], [3, 4]]


def test_humans_may_join_two_anchored_persons() -> None:
    clusters = _clusters(r1=Attributes(anchor="P1"), r2=Attributes(anchor="P2"))
    assert not clusters.join(1, 2)
    assert clusters.join(1, 2, human=True)
    assert clusters.find(1) == clusters.find(2)


def test_different_ni_numbers_never_join() -> None:
    clusters = _clusters(r1=Attributes(ni_number="AB123456C"), r2=Attributes(ni_number="CE123456C"))
    assert not clusters.join(1, 2)
