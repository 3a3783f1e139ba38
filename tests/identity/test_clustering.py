"""Constrained clustering and the link decision: pure, no database."""

from __future__ import annotations

from czrm.identity.clustering import Attributes, Clusters
from czrm.identity.comparisons import (
    COMPARISONS,
    DAY_MONTH,
    SWAPPED,
    SWAPPED_SURNAME,
    TRANSPOSED,
    common_first_names,
    decide,
    distinct_names,
    waivers,
)
from czrm.identity.similarity import (
    damerau_within_one,
    date_slip,
    date_transposed,
    day_month_swapped,
    transposed,
)


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


def test_an_initial_links_only_beside_an_email_or_ni_number() -> None:
    at_home = _levels(first_name="initial", surname="same", postcode="same", address_line_1="same")
    assert decide(at_home, 0.9999, auto=0.99, review=0.8) == "review"  # J Smith: which J?
    with_email = _levels(first_name="initial", surname="same", email="same")
    assert decide(with_email, 0.9999, auto=0.99, review=0.8) == "link"
    other_initial = _levels(first_name="different initial", surname="same", postcode="same")
    assert decide(other_initial, 0.9999, auto=0.99, review=0.8) == "none"
    assert (
        decide(
            _levels(first_name="different initial", ni_number="same"), 0.9999, auto=0.99, review=0.8
        )
        == "link"
    )


def test_two_common_names_a_letter_apart_need_something_personal() -> None:
    household = _levels(first_name="near spelling", surname="same", address_line_1="same")
    # Patrick and Patricia of one house: two people.
    assert decide(household, 0.9999, auto=0.99, review=0.8, distinct_first_names=True) == "review"
    # A typo (a rare spelling near a common name) links on the same evidence.
    assert decide(household, 0.9999, auto=0.99, review=0.8) == "link"
    born = _levels(first_name="near spelling", surname="same", date_of_birth="same")
    assert decide(born, 0.9999, auto=0.99, review=0.8, distinct_first_names=True) == "link"


def test_common_names_come_from_the_data() -> None:
    names = ["patrick"] * 40 + ["patricia"] * 30 + ["parick", "j"] + [None] * 5
    assert common_first_names(names) == ["patricia", "patrick"]
    common = frozenset(common_first_names(names))
    assert distinct_names(common, "patrick", "patricia")
    assert not distinct_names(common, "patrick", "parick")
    assert not distinct_names(common, "patrick", "patrick")
    assert not distinct_names(common, "patrick", None)


def test_common_names_and_initials_keep_clusters_apart() -> None:
    common = frozenset({"patrick", "patricia", "henry", "harry"})
    clusters = Clusters(
        {
            1: Attributes(first_name="patrick", first_name_key="patrick"),
            2: Attributes(first_name="parick", first_name_key="parick"),
            3: Attributes(first_name="patricia", first_name_key="patricia"),
            4: Attributes(first_name="p", first_name_key="p"),
            5: Attributes(first_name="t", first_name_key="t"),
            6: Attributes(first_name="harry", first_name_key="henry"),
            7: Attributes(first_name="hrary", first_name_key="hrary"),
        },
        common,
    )
    assert clusters.join(1, 2)  # a typo joins the name it is a typo of
    assert not clusters.join(2, 3)  # ... and then never the other name
    assert clusters.join(4, 3)  # an initial joins a name it starts
    assert not clusters.join(5, 3)  # ... but not one it does not
    assert not clusters.join(4, 1)  # P is now Patricia
    assert clusters.join(7, 6)  # a typo of Harry is near Harry, if not near Henry
    assert sorted(map(sorted, clusters.groups())) == [[1, 2], [3, 4], [5], [6, 7]]


def test_swapped_names_link_but_a_twin_in_swapped_boxes_does_not() -> None:
    swapped = _levels(
        first_name=SWAPPED, surname=SWAPPED_SURNAME, date_of_birth="same", postcode="same"
    )
    assert decide(swapped, 0.9999, auto=0.99, review=0.8) == "link"
    assert waivers(swapped) == frozenset({"first_name", "ni_number"})
    # Linh and Sophie Nguyen, twins: one birth date, names that are not each other's.
    twins = _levels(first_name="different", surname="same", date_of_birth="same")
    assert decide(twins, 0.9999, auto=0.99, review=0.8) == "none"
    # Owen Thomas and Thomas Owen, neighbours with no birth date, NI number or email given.
    neighbours = _levels(
        first_name=SWAPPED, surname=SWAPPED_SURNAME, postcode="same", address_line_1="same"
    )
    assert decide(neighbours, 0.9999, auto=0.99, review=0.8) == "review"
    with_ni = _levels(first_name=SWAPPED, surname=SWAPPED_SURNAME, ni_number=TRANSPOSED)
    assert decide(with_ni, 0.9999, auto=0.99, review=0.8) == "link"
    # Swapped names with another birth date (a namesake a generation apart): a person decides.
    elder = _levels(first_name=SWAPPED, surname=SWAPPED_SURNAME, date_of_birth="different")
    assert decide(elder, 0.9999, auto=0.99, review=0.8) == "review"


def test_a_transposed_ni_number_is_the_persons_but_a_neighbouring_one_is_not_enough() -> None:
    renamed = _levels(first_name="different", surname="same", ni_number=TRANSPOSED)
    assert decide(renamed, 0.9999, auto=0.99, review=0.8) == "link"
    twins = _levels(first_name="different", surname="same", ni_number="different")
    assert decide(twins, 0.9999, auto=0.99, review=0.8) == "none"
    # A loosely similar first name needs a strong identifier: a swap is one ...
    john_jon = _levels(first_name="similar", surname="same", ni_number=TRANSPOSED)
    assert decide(john_jon, 0.9999, auto=0.99, review=0.8) == "link"
    # ... numbers issued one after another (John and Joan, twins) differ by a digit.
    john_joan = _levels(first_name="similar", surname="same", ni_number="one character different")
    assert decide(john_joan, 0.9999, auto=0.99, review=0.8) == "review"


def test_day_and_month_swapped_agree_but_another_birth_date_does_not() -> None:
    swapped = _levels(first_name="same", surname="same", date_of_birth=DAY_MONTH)
    assert decide(swapped, 0.9999, auto=0.99, review=0.8) == "link"
    transposed = _levels(first_name="same", surname="same", date_of_birth=TRANSPOSED)
    assert decide(transposed, 0.9999, auto=0.99, review=0.8) == "link"
    # Agreeing name and a slipped birth date excuse a mistyped NI number, as a same date does.
    assert "ni_number" in waivers(swapped)
    father_son = _levels(first_name="same", surname="same", date_of_birth="different")
    assert decide(father_son, 0.9999, auto=0.99, review=0.8) == "review"
    assert "ni_number" not in waivers(father_son)


def test_slips_between_dates_and_numbers_join_but_a_transposed_year_does_not() -> None:
    clusters = _clusters(
        r1=Attributes(date_of_birth="1984-07-12", ni_number="JX234567D", first_name_key="sophie"),
        r2=Attributes(date_of_birth="1984-12-07", first_name_key="sophie"),
        r3=Attributes(date_of_birth="1984-07-21", ni_number="JX234576D", first_name_key="sophie"),
        r4=Attributes(date_of_birth="1948-07-12", first_name_key="sophie"),
        r5=Attributes(ni_number="JX432567D", first_name_key="sophie"),
    )
    assert clusters.join(1, 2)  # day and month the other way round
    assert clusters.join(1, 3)  # two digits of the day, two of the number swapped
    assert not clusters.join(1, 4)  # 1948 / 1984: a mother of one name and birthday
    assert not clusters.join(1, 5)  # two digits apart from every number in the group
    assert sorted(map(sorted, clusters.groups())) == [[1, 2, 3], [4], [5]]


def test_keying_slips_are_recognised_exactly() -> None:
    assert transposed("JX234567D", "JX234576D")
    assert not transposed("JX234567D", "JX234568D")  # one digit: the edit level's
    assert not transposed("JX234567D", "JX243576D")  # two swaps
    assert not transposed("abc", "ca")
    assert damerau_within_one("JX234567D", "JX23456D")
    assert day_month_swapped("1984-07-12", "1984-12-07")
    assert not day_month_swapped("1984-07-12", "1985-12-07")
    assert date_transposed("1984-07-12", "1984-07-21")
    assert date_transposed("1957-10-24", "1957-12-04")  # 1024 / 1204 as keyed
    assert not date_transposed("1984-07-12", "1948-07-12")
    assert date_slip("1984-07-12", "1984-07-13") and not date_slip("1984-07-12", "1948-07-12")
