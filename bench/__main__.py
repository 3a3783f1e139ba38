"""``python -m bench <workload>``: run one benchmark and print its figures.

Workloads: seed, intake, reads, view (the 360° view of a person), send (worker
delivery of queued messages to an SMTP server on loopback), city (the synthetic
city imported and linked in one batch; FEBRL and real-time matching are in
``python -m bench.linkage``).
``--smoke`` uses tiny sizes and a few seconds so CI keeps the benchmarks
working; full runs are made by hand and written up in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import tempfile

from bench import linkage, open311, seed, send, view
from bench.common import drop_database


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "workload", choices=["seed", "intake", "reads", "view", "send", "city", "smoke"]
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, seconds")
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 2,
        help="server processes (default: one per core; more than the cores measured slower)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--records", type=int, default=None, help="city: source records")
    parser.add_argument(
        "--old-names",
        action="store_true",
        help="city: the first generator's names (60 surnames for most people), to compare",
    )
    parser.add_argument(
        "--relink",
        action="store_true",
        help="city: link again the city already imported into CZRM_BENCH_DB (same --records)",
    )
    parser.add_argument("--messages", type=int, default=None, help="send: messages to queue")
    args = parser.parse_args()
    smoke = args.smoke or args.workload == "smoke"
    cases = args.cases or (2_000 if smoke else 1_000_000)
    people = args.people or max(cases // 2, 100)
    seconds = args.seconds or (3 if smoke else 30)
    if args.workload == "seed":
        seed.main(people, cases, args.seed)
    elif args.workload == "smoke":
        try:
            seed.main(people, cases, args.seed)
            for name in ("intake", "reads"):
                open311.main(name, smoke=True, seconds=seconds, workers=1, cases=cases)
            view.main(smoke=True, seconds=seconds, workers=1, cases=cases)
            send.main(smoke=True)
            with tempfile.TemporaryDirectory() as tmp:
                linkage.city_report(2_000, f"sqlite:///{tmp}/city.sqlite3")
        finally:
            if args.workload == "smoke":
                drop_database(seed.DATABASE)
    elif args.workload == "send":
        send.main(smoke=smoke, messages=args.messages)
    elif args.workload == "city":
        linkage.city_report(
            args.records or (2_000 if smoke else 100_000),
            realistic_names=not args.old_names,
            relink=args.relink,
        )
    elif args.workload == "view":
        view.main(smoke=smoke, seconds=seconds, workers=args.workers, cases=cases)
    else:
        open311.main(args.workload, smoke=smoke, seconds=seconds, workers=args.workers, cases=cases)


if __name__ == "__main__":
    main()
