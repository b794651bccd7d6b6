"""Speed of the results store and of reports.

Run by hand (not a test):  python bench/store_bench.py [--url URL] [--runs 1000] [--turns 20]

(a) write: whole graded runs stored with ``record_graded`` (one transaction each, as
    ``nextstep grade`` does), and live runs stored turn by turn (``start_run``, one commit per
    ``add_turn``, ``finish_run``), as practice does; runs/s and the latency of one turn.
(b) read: ``store.run(id)`` for every run in random order, ``load_runs()`` of everything,
    ``runs()`` summaries, and ``history(trainee)``; runs/s.
(c) report: HTML and CSV for all the runs stored (1,000 by default): loading, rendering, size.

The database is a new SQLite file in a temporary folder unless ``--url`` names one; with a
PostgreSQL URL the bench works in a schema of its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.formats import parse
from trainer.report import render_csv, render_html
from trainer.rubric import Scorecard, grade
from trainer.store import Store, resolve_url

REP = ["Thanks for walking me through it. Where do we go from here?",
       "It sounds like this might not be a priority now, or ever?",
       "Are you free Tuesday at 10 to go through the pilot plan?",
       "Could you bring the budget numbers to that meeting?",
       "So to confirm: you bring the budget, I bring the plan, we meet Tuesday at 10. Right?",
       "I'll send a proposal and call you next week.",
       "Sure, take your time and get back to me.",
       "What would you suggest as a next step?"]
PROSPECT = ["Let me think about it and get back to you.", "Tuesday at 10 works.",
            "Sure, I can do that.", "Yes, that's right.", "We're quite busy this quarter.",
            "I'm not sure we have the budget.", "OK, sounds good.", "Send me something."]
TRAINEES = ["Ann", "Bo", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo"]


def pool(turns: int, size: int, seed: int) -> list[Scorecard]:
    """Graded conversations to store (grading happens here, outside every timing)."""
    rng = random.Random(seed)
    cards = []
    for _ in range(size):
        lines = [f"{'Rep' if i % 2 == 0 else 'Prospect'}: "
                 f"{rng.choice(REP if i % 2 == 0 else PROSPECT)}" for i in range(turns)]
        cards.append(grade(parse("\n".join(lines) + "\n", name="bench.txt")))
    return cards


@contextmanager
def database(url: str | None) -> Iterator[str]:
    """A URL to an empty database for the bench, removed afterwards."""
    if url is None:
        with tempfile.TemporaryDirectory() as folder:
            yield str(Path(folder) / "bench.db")
        return
    resolved = resolve_url(url)
    if not resolved.startswith("postgresql"):
        yield resolved
        return
    import sqlalchemy

    name = f"nextstep_bench_{uuid.uuid4().hex[:8]}"
    admin = sqlalchemy.create_engine(resolved)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        yield (sqlalchemy.engine.make_url(resolved)
               .update_query_dict({"options": f"-csearch_path={name}"})
               .render_as_string(hide_password=False))
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        admin.dispose()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL or path (default: a new temporary SQLite "
                                      "file)")
    parser.add_argument("--runs", type=int, default=1000, help="graded runs to store (1000)")
    parser.add_argument("--live", type=int, default=200, help="live runs, turn by turn (200)")
    parser.add_argument("--turns", type=int, default=20, help="turns per run (20)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    cards = pool(args.turns, 20, args.seed)
    rng = random.Random(args.seed)
    t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    with database(args.url) as url, Store.open(url) as store:
        print(f"store: {store.engine.url.get_backend_name()}, {args.turns} turns per run")

        def write_graded() -> list[int]:
            return [store.record_graded(TRAINEES[i % len(TRAINEES)], cards[i % len(cards)],
                                        kind="grade", scenario_id=f"s{i % 4}",
                                        started_at=t0 + timedelta(hours=i))
                    for i in range(args.runs)]

        seconds, ids = timed(write_graded)
        print(f"(a) write, whole graded runs:  {args.runs / seconds:8.0f} runs/s "
              f"({1000 * seconds / args.runs:.2f} ms per run)")
        latencies: list[float] = []

        def write_live() -> None:
            for i in range(args.live):
                card = cards[i % len(cards)]
                run = store.start_run(trainee=TRAINEES[i % len(TRAINEES)], kind="practice",
                                      scenario_id="live")
                for turn in card.transcript.turns:
                    start = time.perf_counter()
                    store.add_turn(run, turn)
                    latencies.append(time.perf_counter() - start)
                store.finish_run(run, card)

        seconds, _ = timed(write_live)
        quantiles = statistics.quantiles(latencies, n=100)
        print(f"    write, live turn by turn:  {args.live / seconds:8.0f} runs/s; one turn "
              f"p50 {1000 * quantiles[49]:.2f} ms, p99 {1000 * quantiles[98]:.2f} ms")
        shuffled = ids[:]
        rng.shuffle(shuffled)
        seconds, _ = timed(lambda: [store.run(i) for i in shuffled])
        print(f"(b) read, run(id) one by one:  {len(ids) / seconds:8.0f} runs/s")
        total = args.runs + args.live
        seconds, _ = timed(store.load_runs)
        print(f"    read, load_runs() all:     {total / seconds:8.0f} runs/s "
              f"({seconds:.2f} s for {total})")
        seconds, _ = timed(store.runs)
        print(f"    read, runs() summaries:    {total / seconds:8.0f} runs/s")
        seconds, history = timed(lambda: store.history("Ann"))
        print(f"    history('Ann'):            {1000 * seconds:8.1f} ms for "
              f"{len(history.runs)} runs")
        load, subset = timed(lambda: store.load_runs(kind="grade"))
        html_s, html = timed(lambda: render_html(subset, title="Bench"))
        csv_s, text = timed(lambda: render_csv(subset))
        print(f"(c) report of {len(subset)} runs: load {load:.2f} s, HTML {html_s:.2f} s "
              f"({len(html.encode()) / 1e6:.1f} MB), CSV {csv_s:.2f} s "
              f"({len(text.encode()) / 1e3:.0f} kB); total {load + html_s + csv_s:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
