"""Batch linking: every source record of a jurisdiction into persons.

Person ids are stable: each new cluster takes the existing person most of its
records were already linked to (oldest first on a tie), so a record arriving
never re-keys anyone else. A person whose records all went to another is
absorbed by a journalled (undoable) merge. Human decisions stand: rejected
pairs are cannot-links, accepted pairs must-links, and records a person tied
by hand (clerical links) stay with that person.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Actor
from czrm.identity import modelstore, repository, splink_model
from czrm.identity.clustering import Attributes, Clusters
from czrm.identity.comparisons import COMPARISONS, Weights, decide, distinct_names, waivers
from czrm.identity.models import (
    IdentityLink,
    JournalKind,
    LinkMethod,
    LinkModel,
    LinkRun,
    MergeJournal,
    ReviewItem,
    ReviewStatus,
    SourceRecord,
)
from czrm.identity.records import linkage_columns
from czrm.kit.bulk import bulk_insert, checks_deferred
from czrm.kit.db import allow_long_pauses
from czrm.kit.time import utc_now
from czrm.people.models import Party, Person
from czrm.people.service import NewPerson, any_person, create_persons

if TYPE_CHECKING:
    import pandas as pd

MIN_TRAINING_RECORDS = 50
# A first load (no person anywhere yet) making at least this many persons writes
# them with their foreign keys and indexes checked after the write, not per row.
FIRST_LOAD_PERSONS = 10_000


@dataclass
class LinkReport:
    run_id: int
    model_version: int
    records: int
    pairs_scored: int = 0
    auto_links: int = 0
    review_pairs: int = 0
    persons: int = 0
    persons_created: int = 0
    links_changed: int = 0
    merges: int = 0
    refused_joins: int = 0
    # Whether the write's foreign-key checks ran once after it (a first load).
    checks_deferred: bool = False
    # Wall-clock seconds of each phase, in order (not part of the run's stats).
    seconds: dict[str, float] = field(default_factory=dict)

    def lap(self, phase: str, started: float) -> float:
        """Record the phase that began at ``started``; returns now, when the next begins."""
        now = time.perf_counter()
        self.seconds[phase] = round(now - started, 3)
        return now


def link_snapshot(link: IdentityLink) -> dict[str, Any]:
    return {
        "source_record_id": link.source_record_id,
        "person_id": str(link.person_id),
        "probability": link.probability,
        "method": str(link.method),
        "decided_by": link.decided_by,
        "run_id": link.run_id,
        "linked_at": link.linked_at.isoformat(),
    }


def frame_of(rows: Sequence[Any], columns: dict[str, list[Any]] | None = None) -> pd.DataFrame:
    """The records as the model compares them: one object column per field, None
    where a value is missing. ``columns``: ``linkage_columns(rows)`` if already made."""
    import numpy as np
    import pandas as pd  # seconds to import: only linking runs pay for it

    columns = {"unique_id": [row.id for row in rows], **(columns or linkage_columns(rows))}
    arrays = {}
    for name, values in columns.items():
        array = np.empty(len(values), dtype=object)
        array[:] = values
        arrays[name] = array
    return pd.DataFrame(arrays, copy=False)


def ensure_model(
    session: Session, jurisdiction_id: uuid.UUID, frame: pd.DataFrame, *, retrain: bool
) -> LinkModel:
    model = modelstore.latest(session, jurisdiction_id)
    if model is not None and not retrain:
        return model
    settings = splink_model.train(frame)
    return modelstore.save(session, jurisdiction_id, settings, trained_on=len(frame))


def link_all(
    session: Session, actor: Actor, jurisdiction_id: uuid.UUID, *, retrain: bool = False
) -> LinkReport:
    """Link every source record of the jurisdiction; returns what changed."""
    allow_long_pauses(session)  # training and scoring take minutes at a city's scale
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    rows = repository.linkage_records(session, jurisdiction_id)
    seconds["load"] = time.perf_counter() - started
    columns = linkage_columns(rows)
    frame = frame_of(rows, columns)
    seconds["frame"] = time.perf_counter() - started - seconds["load"]
    started = time.perf_counter()
    model = ensure_model(session, jurisdiction_id, frame, retrain=retrain or len(rows) == 0)
    run = LinkRun(jurisdiction_id=jurisdiction_id, model_id=model.id)
    session.add(run)
    session.flush()
    report = LinkReport(run_id=run.id, model_version=model.version, records=len(rows))
    report.seconds = {k: round(v, 3) for k, v in seconds.items()}
    started = report.lap("train", started)

    scored = splink_model.scored_pairs(frame, model.settings, model.review_threshold)
    report.pairs_scored = len(scored)
    started = report.lap("predict", started)
    anchors = repository.clerical_anchors(session, jurisdiction_id)
    common = modelstore.weights(model).common_first_names
    ids = frame["unique_id"].tolist()
    del frame
    clusters = Clusters(_RecordAttributes(ids, columns, anchors), common)
    del columns
    clusters.add_cannot_links(
        repository.decided_pairs(session, jurisdiction_id, ReviewStatus.REJECTED)
    )
    for a, b in repository.decided_pairs(session, jurisdiction_id, ReviewStatus.ACCEPTED):
        clusters.join(a, b, human=True)
    report.auto_links, best, review_pairs = _join_scored(clusters, scored, model, common)
    del scored
    report.refused_joins = len(clusters.refused)
    started = report.lap("cluster", started)

    links = repository.current_links(session, jurisdiction_id)
    groups = clusters.groups()
    owners = _assign_persons(session, groups, links, anchors)
    by_record = {rid: gi for gi, group in enumerate(groups) for rid in group}
    new_groups = [gi for gi in range(len(groups)) if owners[gi] is None]
    namers = _naming_records(rows, by_record, len(groups)) if new_groups else []
    first_load = len(new_groups) >= FIRST_LOAD_PERSONS and not any_person(session)
    with _first_load_checks(session, first_load) as report.checks_deferred:
        created = create_persons(
            session,
            jurisdiction_id,
            [NewPerson(*namers[gi]) for gi in new_groups],
        )
        for gi, person_id in zip(new_groups, created, strict=True):
            owners[gi] = person_id
        report.persons_created = len(created)
        report.persons = len(groups)
        started = report.lap("persons", started)

        report.merges = _journal_absorbed(session, actor, jurisdiction_id, links, groups, owners)
        report.links_changed = _write_links(session, run, model, links, groups, owners, best)
        report.review_pairs = _queue_reviews(
            session, jurisdiction_id, model, review_pairs, by_record
        )
        started = report.lap("links and reviews", started)
    if report.checks_deferred:
        report.lap("checks", started)
    run.finished_at = utc_now()
    run.stats = {k: v for k, v in vars(report).items() if isinstance(v, int)}
    record(
        session,
        actor,
        action="identity_linked",
        entity_type="link_run",
        entity_id=run.id,
        jurisdiction_id=jurisdiction_id,
        details=run.stats,
    )
    session.flush()
    return report


class _RecordAttributes(Mapping[int, Attributes]):
    """What the clustering checks of each record, made only for the records it joins."""

    def __init__(
        self, ids: list[int], columns: dict[str, list[Any]], anchors: dict[int, uuid.UUID]
    ) -> None:
        self.ids = ids
        self.position = {rid: i for i, rid in enumerate(ids)}
        self.anchors = anchors
        self.dobs = columns["date_of_birth"]
        self.nis = columns["ni_number"]
        self.first_keys = columns["first_name_key"]
        self.firsts = columns["first_name"]

    def __getitem__(self, record_id: int) -> Attributes:
        i = self.position[record_id]
        return Attributes(
            date_of_birth=self.dobs[i],
            ni_number=self.nis[i],
            first_name_key=self.first_keys[i],
            anchor=self.anchors.get(record_id),
            first_name=self.firsts[i],
        )

    def __contains__(self, record_id: object) -> bool:
        return record_id in self.position

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


NONE, REVIEW, LINK = 0, 1, 2
_DECISION = {"none": NONE, "review": REVIEW, "link": LINK}


def _join_scored(
    clusters: Clusters, scored: pd.DataFrame, model: LinkModel, common: frozenset[str]
) -> tuple[int, dict[int, float], list[splink_model.Pair]]:
    """Decide every scored pair and join the linked ones, strongest first (ties by
    record ids); returns how many joined, each joined record's best probability,
    and the pairs a person decides (in that order), refused joins among them."""
    import numpy as np
    import pandas as pd

    decision, waived = _decisions(scored, model, common)
    left = scored["left"].to_numpy()
    right = scored["right"].to_numpy()
    order = np.lexsort((right, left, -scored["match_weight"].to_numpy()))
    order = order[decision[order] != NONE]
    excused = waived[order].tolist()
    links = (decision[order] == LINK).tolist()
    join = clusters.join
    joined: list[int] = []
    review: list[int] = []
    for at, a, b, link, waive in zip(
        order.tolist(), left[order].tolist(), right[order].tolist(), links, excused, strict=True
    ):
        if link and join(a, b, waive=waive):
            joined.append(at)
        else:
            review.append(at)
    probability = scored["probability"].to_numpy()
    records = np.concatenate([left[joined], right[joined]])
    best = pd.Series(np.concatenate([probability[joined]] * 2)).groupby(records).max()
    return (
        len(joined),
        dict(zip(best.index.tolist(), best.tolist(), strict=True)),
        splink_model.pairs_of(scored.iloc[review]),
    )


def _decisions(scored: pd.DataFrame, model: LinkModel, common: frozenset[str]) -> tuple[Any, Any]:
    """Each pair's decision (``NONE``/``REVIEW``/``LINK``) and its waivers. Both
    follow from the pair's levels, which side of each threshold its probability
    falls and whether its first names are two common names: decided once for each
    such combination, of which millions of pairs hold a few hundred."""
    import numpy as np

    names = [c.name for c in COMPARISONS]
    code = np.zeros(len(scored), dtype=np.int64)
    for c in COMPARISONS:
        code = code * len(c.levels) + scored[c.name].to_numpy(dtype=np.int64)
    first_l, first_r = scored["first_name_l"], scored["first_name_r"]
    distinct = (first_l.isin(common) & first_r.isin(common) & (first_l != first_r)).to_numpy()
    probability = scored["probability"].to_numpy()
    code = code * 8 + (
        (probability >= model.review_threshold) * 4
        + (probability >= model.auto_threshold) * 2
        + distinct
    )
    _, first_at, inverse = np.unique(code, return_index=True, return_inverse=True)
    decisions = np.empty(len(first_at), dtype=np.int8)
    waived = np.empty(len(first_at), dtype=object)
    for k, at in enumerate(first_at.tolist()):
        row = scored.iloc[at]
        levels = {name: int(row[name]) for name in names}
        decisions[k] = _DECISION[
            decide(
                levels,
                float(row["probability"]),
                auto=model.auto_threshold,
                review=model.review_threshold,
                distinct_first_names=distinct_names(
                    common, row["first_name_l"], row["first_name_r"]
                ),
            )
        ]
        waived[k] = waivers(levels)
    return decisions[inverse], waived[inverse]


def _first_load_checks(session: Session, first_load: bool) -> AbstractContextManager[bool]:
    if not first_load:
        return nullcontext(False)
    written = [cast(Table, m.__table__) for m in (Party, Person, IdentityLink, ReviewItem)]
    return checks_deferred(session, written, [*written, cast(Table, SourceRecord.__table__)])


def _naming_records(
    rows: Sequence[Any], group_of: dict[int, int], groups: int
) -> list[tuple[Any, Any, Any]]:
    """Per group, the first name, surname and birth date of the record that names
    its person: the most complete of its records, the lowest id on a tie."""
    import numpy as np

    names = ("id", "first_name", "surname", "date_of_birth")
    fields = getattr(rows[0], "_fields", None)
    if fields is not None:  # a database row: by position, much faster than by name
        values = list(map(itemgetter(*(fields.index(n) for n in names)), rows))
    else:
        values = list(map(attrgetter(*names), rows))
    count = len(values)
    ids = np.fromiter((v[0] for v in values), np.int64, count)
    filled = np.fromiter((bool(v[1]) + bool(v[2]) + bool(v[3]) for v in values), np.int64, count)
    group = np.fromiter((group_of[v[0]] for v in values), np.int64, count)
    order = np.lexsort((ids, -filled, group))
    grouped = group[order]
    firsts = order[np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])]
    assert len(firsts) == groups
    return [values[i][1:] for i in firsts.tolist()]


def _assign_persons(
    session: Session,
    groups: list[set[int]],
    links: dict[int, IdentityLink],
    anchors: dict[int, uuid.UUID],
) -> list[uuid.UUID | None]:
    """Each group keeps the person most of its records already had; each person one group."""
    owners: list[uuid.UUID | None] = [None] * len(groups)
    taken: set[uuid.UUID] = set()
    for gi, group in enumerate(groups):
        anchored = {anchors[r] for r in group if r in anchors}
        if anchored:
            person = min(anchored, key=str)
            owners[gi] = person
            taken.add(person)
    tallies: list[tuple[int, Counter[uuid.UUID]]] = []
    for gi, group in enumerate(groups) if links else ():
        if owners[gi] is None:
            tallies.append((gi, Counter(links[r].person_id for r in group if r in links)))
    created = _created(session, {p for _, counts in tallies for p in counts})
    votes = [
        (-n, created.get(person, ""), gi, person)
        for gi, counts in tallies
        for person, n in counts.items()
    ]
    votes.sort(key=lambda v: (v[0], v[1], v[2]))
    for *_, gi, person in votes:
        if owners[gi] is None and person not in taken:
            owners[gi] = person
            taken.add(person)
    return owners


def _created(session: Session, person_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """A sort key per person: older persons win ties, then the id decides."""
    ordered = sorted(person_ids, key=str)
    keys: dict[uuid.UUID, str] = {}
    for start in range(0, len(ordered), 5000):
        chunk = ordered[start : start + 5000]
        for pid, created_at in session.execute(
            select(Person.id, Person.created_at).where(Person.id.in_(chunk))
        ):
            keys[pid] = f"{created_at.isoformat()}|{pid}"
    return keys


def _journal_absorbed(
    session: Session,
    actor: Actor,
    jurisdiction_id: uuid.UUID,
    links: dict[int, IdentityLink],
    groups: list[set[int]],
    owners: list[uuid.UUID | None],
) -> int:
    """A previous person now owning no group is merged (journalled) into where its records went."""
    kept = set(owners)
    destination: dict[uuid.UUID, Counter[uuid.UUID]] = {}
    group_of = {rid: gi for gi, group in enumerate(groups) for rid in group}
    for rid, link in links.items():
        if link.person_id in kept:
            continue
        target = owners[group_of[rid]]
        assert target is not None
        destination.setdefault(link.person_id, Counter())[target] += 1
    for absorbed_id, targets in destination.items():
        survivor_id = targets.most_common(1)[0][0]
        moved = [link_snapshot(k) for k in links.values() if k.person_id == absorbed_id]
        session.add(
            MergeJournal(
                jurisdiction_id=jurisdiction_id,
                kind=JournalKind.MERGE,
                from_person_id=absorbed_id,
                to_person_id=survivor_id,
                moved_links=moved,
                actor=actor.label or actor.kind,
                reason="batch linking",
            )
        )
        absorbed = session.get(Person, absorbed_id)
        if absorbed is not None:
            absorbed.merged_into_id = survivor_id
    return len(destination)


def _write_links(
    session: Session,
    run: LinkRun,
    model: LinkModel,
    links: dict[int, IdentityLink],
    groups: list[set[int]],
    owners: list[uuid.UUID | None],
    best: dict[int, float],
) -> int:
    now = utc_now()
    decided_by = f"model v{model.version}"
    probabilistic, exact = LinkMethod.PROBABILISTIC.value, LinkMethod.EXACT.value
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for gi, group in enumerate(groups):
        person_id = owners[gi]
        founder = min(group)
        for rid in group:
            current = links.get(rid)
            if current is not None and current.person_id == person_id:
                continue
            # The lowest record founds the person; the others were joined by the model.
            joined = rid in best and rid != founder
            values = {
                "person_id": person_id,
                "probability": best[rid] if joined else 1.0,
                "method": probabilistic if joined else exact,
                "decided_by": decided_by,
                "run_id": run.id,
                "linked_at": now,
            }
            if current is None:
                inserts.append({"source_record_id": rid, **values})
            else:
                updates.append({"source_record_id": rid, **values})
    if inserts:
        # In key order the primary key and the record look-ups walk their indexes
        # forward (about a tenth less of the server's time than group by group).
        inserts.sort(key=itemgetter("source_record_id"))
        bulk_insert(session, cast(Table, IdentityLink.__table__), inserts)
    if updates:
        session.execute(update(IdentityLink), updates)
        for link in links.values():
            session.expire(link)
    return len(inserts) + len(updates)


def _queue_reviews(
    session: Session,
    jurisdiction_id: uuid.UUID,
    model: LinkModel,
    pairs: list[splink_model.Pair],
    group_of: dict[int, int],
) -> int:
    """Undecided pairs now in different persons wait for a reviewer; pending pairs the
    model has since joined need no one."""
    existing = repository.review_items_by_pair(session, jurisdiction_id)
    weights = Weights.from_splink(model.settings)
    queued: set[tuple[int, int]] = set()
    rows: list[dict[str, Any]] = []
    now = utc_now()
    pending = ReviewStatus.PENDING.value
    for pair in pairs:
        key = (pair.left, pair.right)
        if group_of[pair.left] == group_of[pair.right] or key in existing or key in queued:
            continue
        explained = {}
        for comparison in COMPARISONS:
            index = pair.levels[comparison.name]
            weight = weights.levels[comparison.name][index]
            explained[comparison.name] = {
                "level": comparison.levels[index].label,
                "weight": round(weight, 3) if weight is not None else 0.0,
            }
        rows.append(
            {
                "jurisdiction_id": jurisdiction_id,
                "record_a_id": pair.left,
                "record_b_id": pair.right,
                "probability": pair.probability,
                "match_weight": pair.match_weight,
                "field_weights": explained,
                "status": pending,
                "model_id": model.id,
                "created_at": now,
            }
        )
        queued.add(key)
    if rows:
        bulk_insert(session, cast(Table, ReviewItem.__table__), rows)
    for (a, b), item in existing.items():
        if (
            item.status in (ReviewStatus.PENDING, ReviewStatus.DEFERRED)
            and a in group_of
            and group_of.get(a) == group_of.get(b)
        ):
            session.delete(item)
    session.flush()
    return len(queued)


def person_of(session: Session, record_id: int) -> uuid.UUID | None:
    return session.scalar(
        select(IdentityLink.person_id).where(IdentityLink.source_record_id == record_id)
    )
