"""Batch linking on a generated population with known truth."""

from __future__ import annotations

import copy
import uuid
from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from czrm.auth.subject import SYSTEM
from czrm.identity import modelstore, repository, splink_model
from czrm.identity.comparisons import (
    COMMON_FIRST_NAMES_KEY,
    TERM_FREQUENCIES_KEY,
    TermFrequencies,
    common_first_names,
    score,
)
from czrm.identity.exceptions import NoModel
from czrm.identity.importer import import_rows
from czrm.identity.linking import frame_of, link_all
from czrm.identity.matching import link_new_record, match_row
from czrm.identity.models import IdentityLink, LinkMethod, LinkModel, ReviewItem, ReviewStatus
from czrm.identity.records import linkage_row, standardise_row
from czrm.people.models import Person
from tests.identity.conftest import Loaded, _Row, load
from tests.identity.population import generate


def test_linkage_precision_first_on_households_and_twins(session: Session, loaded: Loaded) -> None:
    report = link_all(session, SYSTEM, loaded.jurisdiction.id)
    assert report.records == 252
    precision, recall = loaded.pairwise(session)
    assert precision == 1.0  # no relative, twin or neighbour merged
    # 0.744 here (0.62 before initials, typo blocking and the prior's fix; 0.79 before
    # names were weighed by frequency: every name in this population is common, 36
    # first names and 20 surnames, and a commoner-than-average full name beside a
    # postcode now falls just short of auto-linking — 9 such pairs).
    assert recall >= 0.74
    assert report.review_pairs > 0
    persons = loaded.persons(session)
    assert len(set(persons.values())) == report.persons
    assert report.persons < 252 and report.persons >= len(set(loaded.truth.values()))


def test_links_say_how_they_were_made(session: Session, loaded: Loaded) -> None:
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    methods = Counter(session.scalars(select(IdentityLink.method)))
    assert set(methods) == {LinkMethod.EXACT, LinkMethod.PROBABILISTIC}
    # one founding record per person, the rest joined by the model
    assert methods[LinkMethod.EXACT] == session.scalar(
        select(func.count(func.distinct(IdentityLink.person_id)))
    )
    probabilistic = session.scalars(
        select(IdentityLink).where(IdentityLink.method == LinkMethod.PROBABILISTIC)
    ).all()
    assert all(link.probability >= loaded.model.auto_threshold for link in probabilistic)
    assert {link.decided_by for link in probabilistic} == {"model v1"}


def test_relinking_keeps_every_person_id(session: Session, loaded: Loaded) -> None:
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    before = loaded.persons(session)
    again = link_all(session, SYSTEM, loaded.jurisdiction.id)
    assert again.links_changed == 0 and again.persons_created == 0 and again.merges == 0
    assert loaded.persons(session) == before


def test_an_unrelated_arrival_rekeys_nobody(session: Session, loaded: Loaded) -> None:
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    before = loaded.persons(session)
    import_rows(
        session,
        SYSTEM,
        loaded.systems["library"],
        [
            (
                2,
                {
                    "external_id": "new-1",
                    "first_name": "Zebedee",
                    "surname": "Quill",
                    "email": "zq@example.org",
                },
            )
        ],
    )
    report = link_all(session, SYSTEM, loaded.jurisdiction.id)
    after = loaded.persons(session)
    assert report.persons_created == 1 and report.links_changed == 1
    assert {k: v for k, v in after.items() if k in before} == before
    assert after[("library", "new-1")] not in set(before.values())


def test_a_new_record_of_a_known_person_joins_them(session: Session, loaded: Loaded) -> None:
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    before = loaded.persons(session)
    tax_row = next(r for r in _rows(loaded, "tax") if r["ni_number"])
    copy = {**tax_row, "external_id": "tax-copy"}
    import_rows(session, SYSTEM, loaded.systems["tax"], [(2, copy)])
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    after = loaded.persons(session)
    assert after[("tax", "tax-copy")] == before[("tax", tax_row["external_id"])]
    assert {k: v for k, v in after.items() if k in before} == before


def test_models_are_versioned(session: Session, loaded: Loaded) -> None:
    first = link_all(session, SYSTEM, loaded.jurisdiction.id)
    assert first.model_version == 1
    versions = session.scalars(
        select(LinkModel.version).where(LinkModel.jurisdiction_id == loaded.jurisdiction.id)
    ).all()
    assert versions == [1]


def test_a_model_from_older_comparisons_is_retrained_not_used(
    session: Session, loaded: Loaded
) -> None:
    stale = copy.deepcopy(loaded.model.settings)
    first_name = next(c for c in stale["comparisons"] if c["output_column_name"] == "first_name")
    first_name["comparison_levels"] = [
        level
        for level in first_name["comparison_levels"]
        if "initial" not in level["label_for_charts"]
    ]
    modelstore.save(session, loaded.jurisdiction.id, stale, trained_on=1)
    assert modelstore.latest(session, loaded.jurisdiction.id) is None
    record_id = loaded.ids[("tax", "tax-1")]
    with pytest.raises(NoModel):
        link_new_record(session, record_id)
    report = link_all(session, SYSTEM, loaded.jurisdiction.id)
    assert report.model_version == 3
    latest = modelstore.latest(session, loaded.jurisdiction.id)
    assert latest is not None and latest.version == 3


def test_absorbed_persons_stay_absent_from_clusters(session: Session, loaded: Loaded) -> None:
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    merged = session.scalar(select(func.count()).where(Person.merged_into_id.is_not(None)))
    assert merged == 0
    pending = session.scalar(
        select(func.count())
        .select_from(ReviewItem)
        .where(ReviewItem.status == ReviewStatus.PENDING)
    )
    assert pending and pending > 0


def test_a_nickname_at_a_new_address_joins_and_twins_stay_apart(
    session: Session, loaded: Loaded
) -> None:
    home = {"surname": "Quayle", "address_line_1": "12 Mill Road", "postcode": "NM3 4AB"}
    robert = {"first_name": "Robert", "date_of_birth": "1970-03-04", "ni_number": "JX123456C"}
    housing = [
        {"external_id": "q-1", **robert, **home},
        # twins: one birth date, one home, one landline
        {"external_id": "q-2", "first_name": "Amelia", "date_of_birth": "2010-05-06", **home},
        {"external_id": "q-3", "first_name": "Olivia", "date_of_birth": "2010-05-06", **home},
    ]
    for row in housing[1:]:
        row["phone"] = "01632 960222"
    library = [
        # Bob, since moved: his nickname and NI number at a new address
        {
            "external_id": "q-4",
            "first_name": "Bob",
            "surname": "Quayle",
            "date_of_birth": "1970-03-04",
            "address_line_1": "3 Kings Road",
            "postcode": "NM9 9ZZ",
            "ni_number": "JX 12 34 56 C",
        },
        {
            "external_id": "q-5",
            "first_name": "Amelia",
            "surname": "Quayle",
            "date_of_birth": "2010-05-06",
            "postcode": "NM3 4AB",
        },
    ]
    import_rows(session, SYSTEM, loaded.systems["housing"], list(enumerate(housing, 2)))
    import_rows(session, SYSTEM, loaded.systems["library"], list(enumerate(library, 2)))
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    persons = loaded.persons(session)
    robert, amelia, olivia = (persons[("housing", f"q-{n}")] for n in (1, 2, 3))
    assert persons[("library", "q-4")] == robert
    assert persons[("library", "q-5")] == amelia
    assert len({robert, amelia, olivia}) == 3


def test_keying_slips_and_swapped_names_join_but_mother_and_twin_stay_apart(
    session: Session, loaded: Loaded
) -> None:
    home = {"surname": "Nguyen", "address_line_1": "4 Quay Street", "postcode": "NM1 2AB"}
    housing = [
        {"external_id": "n-1", "first_name": "Sophie", "date_of_birth": "1984-07-12", **home}
        | {"ni_number": "JX234567D"},
        # her twin: one birth date, one home
        {"external_id": "n-2", "first_name": "Linh", "date_of_birth": "1984-07-12", **home}
        | {"ni_number": "JX987654A"},
        # her mother, of one name and birthday, 1948 where Sophie is 1984
        {"external_id": "n-3", "first_name": "Sophie", "date_of_birth": "1948-07-12", **home},
    ]
    library = [
        # the family name written first
        {"external_id": "n-4", "first_name": "Nguyen", "surname": "Sophie"}
        | {"date_of_birth": "1984-07-12", "postcode": "NM1 2AB"},
        # day and month the other way round
        {"external_id": "n-5", "first_name": "Sophie", "date_of_birth": "1984-12-07", **home},
        # no first name, two digits of the NI number swapped
        {"external_id": "n-6", "date_of_birth": "1984-07-12", "ni_number": "JX234576D", **home},
    ]
    import_rows(session, SYSTEM, loaded.systems["housing"], list(enumerate(housing, 2)))
    import_rows(session, SYSTEM, loaded.systems["library"], list(enumerate(library, 2)))
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    persons = loaded.persons(session)
    sophie, linh, mother = (persons[("housing", f"n-{n}")] for n in (1, 2, 3))
    assert len({sophie, linh, mother}) == 3
    assert [persons[("library", f"n-{n}")] for n in (4, 5, 6)] == [sophie] * 3


def _rows(loaded: Loaded, system: str) -> list[dict[str, str]]:
    from tests.identity.conftest import HOUSEHOLDS
    from tests.identity.population import generate

    return generate(households=HOUSEHOLDS, seed=7)[system]


def test_the_model_sees_each_record_as_linkage_row_makes_it(
    session: Session, loaded: Loaded
) -> None:
    """The frame is built column by column; row by row it is ``linkage_row``,
    for database rows and for any object with the fields alike."""
    rows = repository.linkage_records(session, loaded.jurisdiction.id)
    assert any(r.date_of_birth for r in rows) and any(r.ni_number for r in rows)
    expected = [{"unique_id": r.id, **linkage_row(r)} for r in rows]
    assert frame_of(rows).to_dict("records") == expected
    plain = [SimpleNamespace(**r._asdict()) for r in rows]
    assert frame_of(plain).to_dict("records") == expected
    assert list(frame_of([]).columns) == ["unique_id", *linkage_row(plain[0])]


def test_a_large_population_is_trained_on_a_sample_of_its_records(
    population: dict[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``TRAIN_SAMPLE`` records the model learns from a random sample (its
    shares do not depend on the population's size); the common first names
    still come from everyone."""
    import itertools

    numbers = itertools.count(1)
    rows = [
        _Row(next(numbers), standardise_row(raw))
        for system_rows in population.values()
        for raw in system_rows
    ]
    frame = frame_of(rows)
    seen: list[int] = []
    real_linker = splink_model._linker

    def counting(frame: Any, settings: Any, frequencies: Any) -> Any:
        seen.append(len(frame))
        return real_linker(frame, settings, frequencies)

    monkeypatch.setattr(splink_model, "TRAIN_SAMPLE", len(frame) // 2)
    monkeypatch.setattr(splink_model, "_linker", counting)
    model = splink_model.train(frame)
    assert seen and set(seen) == {len(frame) // 2}
    assert 0.0 < model["probability_two_random_records_match"] < 1.0
    assert model[COMMON_FIRST_NAMES_KEY] == common_first_names(frame["first_name"])
    # Name frequencies are counted over everyone too (a sample makes names look rarer).
    surnames = model[TERM_FREQUENCIES_KEY]["surname"]
    assert surnames["total"] == frame["surname"].notna().sum()


def test_a_rare_full_name_links_on_its_own_and_a_common_one_does_not(session: Session) -> None:
    """Term frequencies: two records agreeing only on a rare full name are one
    person; two agreeing only on ``John Smith`` (thirty in this town) are not
    linked, whether in the batch or as a record arrives."""
    population = generate(households=150, seed=13)
    population["tax"] += [
        {
            "_truth": 10_000 + n,
            "external_id": f"smith-{n}",
            "first_name": "JOHN",
            "surname": "SMITH",
            "address_line_1": f"{n + 1} Mill Road",
            "postcode": f"NM{n % 9 + 1}{n % 7 + 1}AB",
        }
        for n in range(30)
    ] + [
        {
            "_truth": 20_000,
            "external_id": "rare",
            "first_name": "AURELIA",
            "surname": "THISTLEWOOD",
            "address_line_1": "3 Church Lane",
            "postcode": "NM42AB",
        }
    ]
    # Only a name: an enquiry by someone who gave nothing else.
    population["library"] += [
        {"_truth": 10_000, "external_id": "smith-enquiry", "first_name": "John"}
        | {"surname": "Smith"},
        {"_truth": 20_000, "external_id": "rare-enquiry", "first_name": "Aurelia"}
        | {"surname": "Thistlewood"},
    ]
    rows = [
        _Row(n, standardise_row(raw))
        for n, raw in enumerate((r for rs in population.values() for r in rs), start=1)
    ]
    model = splink_model.train(frame_of(rows))
    loaded = load(session, population, model)
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    persons = loaded.persons(session)
    assert persons[("library", "rare-enquiry")] == persons[("tax", "rare")]
    smiths = {persons[("tax", f"smith-{n}")] for n in range(30)}
    assert len(smiths) == 30 and persons[("library", "smith-enquiry")] not in smiths
    precision, _recall = loaded.pairwise(session)
    assert precision == 1.0

    saved = modelstore.latest(session, loaded.jurisdiction.id)
    assert saved is not None
    weights = modelstore.weights(saved)
    rare, common = (
        linkage_row(standardise_row({"external_id": "probe", "first_name": f, "surname": s}))
        for f, s in (("Aurelia", "Thistlewood"), ("John", "Smith"))
    )
    assert score(weights, rare, rare).match_weight > score(weights, common, common).match_weight + 8
    for probe, expected in ((rare, "link"), (common, "none")):
        found = match_row(session, saved, loaded.jurisdiction.id, probe)
        assert found.decision == expected
        if expected == "link":
            assert found.person_id == persons[("tax", "rare")]


def test_name_frequencies_count_every_record_and_floor_rare_names() -> None:
    table = TermFrequencies.count(["smith"] * 5 + ["thistlewood", None])
    assert table.total == 6 and dict(table.counts) == {"smith": 5}
    assert table.of("smith") == 5 / 6
    # Seen once, or never: both count as seen twice (the model lists neither).
    assert table.of("thistlewood") == table.of("unseen") == 2 / 6
    assert TermFrequencies.from_json(table.as_json()) == table


def test_a_model_without_name_frequencies_is_retrained_not_used(
    session: Session, loaded: Loaded
) -> None:
    stale = copy.deepcopy(loaded.model.settings)
    del stale[TERM_FREQUENCIES_KEY]
    modelstore.save(session, loaded.jurisdiction.id, stale, trained_on=1)
    assert modelstore.latest(session, loaded.jurisdiction.id) is None


def _partition(session: Session, loaded: Loaded) -> set[frozenset[tuple[str, str]]]:
    groups: dict[Any, set[tuple[str, str]]] = {}
    for key, person in loaded.persons(session).items():
        groups.setdefault(person, set()).add(key)
    return {frozenset(g) for g in groups.values()}


def _reviews(session: Session) -> list[tuple[int, int, float]]:
    return sorted(
        (a, b, p)
        for a, b, p in session.execute(
            select(ReviewItem.record_a_id, ReviewItem.record_b_id, ReviewItem.probability)
        )
    )


def test_a_first_load_checks_its_keys_once_and_links_alike(
    session: Session, loaded: Loaded, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from czrm.identity import linking

    ordinary = session.begin_nested()
    report = link_all(session, SYSTEM, loaded.jurisdiction.id)
    assert not report.checks_deferred  # 252 records: too few to be worth it
    partition, reviews = _partition(session, loaded), _reviews(session)
    ordinary.rollback()

    monkeypatch.setattr(linking, "FIRST_LOAD_PERSONS", 1)
    report = link_all(session, SYSTEM, loaded.jurisdiction.id)
    assert report.checks_deferred == (dialect == "postgresql")
    assert ("checks" in report.seconds) == report.checks_deferred
    assert _partition(session, loaded) == partition
    assert _reviews(session) == reviews
    # Persons exist now: the next run writes with every check in place.
    assert not link_all(session, SYSTEM, loaded.jurisdiction.id).checks_deferred


def test_keys_checked_after_a_first_load_are_back_and_enforced(
    session: Session, loaded: Loaded, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import insert, text
    from sqlalchemy.exc import IntegrityError

    from czrm.identity import linking
    from czrm.kit.time import utc_now

    if dialect != "postgresql":
        pytest.skip("the checks are deferred on PostgreSQL only")

    def constraints() -> set[tuple[str, str]]:
        rows = session.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid ="
                " ANY(CAST(:t AS regclass[])) UNION ALL SELECT indexrelid::regclass::text,"
                " pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid ="
                " ANY(CAST(:t AS regclass[]))"
            ),
            {"t": ["parties", "persons", "identity_links", "review_items"]},
        )
        return {(name, definition) for name, definition in rows}

    before = constraints()
    monkeypatch.setattr(linking, "FIRST_LOAD_PERSONS", 1)
    assert link_all(session, SYSTEM, loaded.jurisdiction.id).checks_deferred
    assert constraints() == before
    assert "fk_identity_links_person_id_persons" in {name for name, _ in before}
    record_id = next(iter(loaded.ids.values()))
    attempt = session.begin_nested()
    with pytest.raises(IntegrityError, match="fk_identity_links_person_id_persons"):
        session.execute(
            insert(IdentityLink).values(
                source_record_id=record_id + 10**9,
                person_id=uuid.uuid4(),
                probability=1.0,
                method="exact",
                decided_by="test",
                linked_at=utc_now(),
            )
        )
    attempt.rollback()


def test_a_first_load_waits_briefly_for_its_locks_then_writes_as_usual(
    session: Session, loaded: Loaded, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import text

    from czrm.identity import linking
    from czrm.kit import bulk

    if dialect != "postgresql":
        pytest.skip("the checks are deferred on PostgreSQL only")
    monkeypatch.setattr(linking, "FIRST_LOAD_PERSONS", 1)
    monkeypatch.setattr(bulk, "DEFER_LOCK_TIMEOUT", "50ms")
    partition_check = session.begin_nested()
    link_all(session, SYSTEM, loaded.jurisdiction.id)
    partition = _partition(session, loaded)
    partition_check.rollback()
    engine = session.get_bind().engine
    with engine.connect() as reader:
        reader.execute(text("SELECT count(*) FROM persons"))  # holds its lock until it ends
        report = link_all(session, SYSTEM, loaded.jurisdiction.id)
        reader.rollback()
    assert not report.checks_deferred
    assert _partition(session, loaded) == partition


def test_the_most_complete_record_names_a_person_the_lowest_id_on_a_tie() -> None:
    from datetime import date

    from czrm.identity.linking import _naming_records

    def row(rid: int, first: str | None, surname: str | None, dob: date | None) -> Any:
        return SimpleNamespace(id=rid, first_name=first, surname=surname, date_of_birth=dob)

    rows = [
        row(1, "", "Smith", None),
        row(2, "Ann", "Smith", None),
        row(3, "Ann", "Smyth", date(1970, 1, 2)),
        row(4, "Bob", "Jones", None),
        row(5, "Rob", "Jones", None),
        row(6, None, None, None),
    ]
    group_of = {1: 0, 2: 0, 3: 0, 4: 2, 5: 2, 6: 1}
    assert _naming_records(rows, group_of, 3) == [
        ("Ann", "Smyth", date(1970, 1, 2)),
        (None, None, None),
        ("Bob", "Jones", None),
    ]
