"""Speed of the moves classifier and of grading, with the targets beside the figures.

Run by hand (not a test):
    python bench/moves_bench.py [--only latency|throughput|cold|batch]

(a) latency: each line of tests/data/moves.jsonl classified with its role and the previous
    line as context, the way the rubric calls the classifier, with the classifier's cache
    cleared before every line, so every call does the full work (context line included);
(b) throughput: about 500 generated conversations of about 20 turns (corpus lines sampled and
    lightly varied with a fixed seed), each graded by trainer.rubric.grade with a fresh
    Classifier, so no result is reused from another conversation;
(c) cold start: `python -m trainer grade examples/strong-call.txt` in a fresh interpreter,
    median of several runs, then the slowest imports from `python -X importtime`;
(d) batch: the conversations of (b) written to files and graded by `nextstep grade --json`
    in one process and then in one per CPU, timed end to end (start-up, reading, output).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.moves import Classifier
from trainer.rubric import grade
from trainer.transcript import Transcript, Turn

CORPUS = ROOT / "tests" / "data" / "moves.jsonl"
EXAMPLE = "examples/strong-call.txt"
TARGET_P99_MS = 2.0
TARGET_TURNS_PER_S = 2000
TARGET_COLD_S = 0.5


def load() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    index = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


# --- (a) per-line latency ---------------------------------------------------------------------


def _uncached(clf: Classifier) -> Classifier:
    """``clf`` with an empty cache: cleared when the cache allows it, else a new instance."""
    clear = getattr(clf.classify, "cache_clear", None)
    if clear is None:
        return Classifier()
    clear()
    return clf


def latency(rows: list[dict], runs: int) -> None:
    clf = Classifier()
    clf.classify("warm up the regexes and the imports", role="rep")
    samples: list[tuple[float, dict]] = []
    for _ in range(runs):
        for r in rows:
            clf = _uncached(clf)
            started = time.perf_counter()
            clf.classify(r["text"], role=r["speaker"], previous=r.get("prev"))
            samples.append((time.perf_counter() - started, r))
    ms = sorted(s * 1000 for s, _ in samples)
    p50, p99 = percentile(ms, 50), percentile(ms, 99)
    print(f"(a) per-line latency, {len(rows)} corpus lines x {runs} runs = {len(ms)} calls")
    print("    cache cleared before every call; each call also classifies the context line")
    print(f"    p50 {p50:.2f} ms   p99 {p99:.2f} ms   max {ms[-1]:.2f} ms   "
          f"mean {statistics.fmean(ms):.2f} ms")
    print(f"    target p99 <= {TARGET_P99_MS:g} ms: {verdict(p99 <= TARGET_P99_MS)}")

    worst: dict[str, float] = {}
    for s, r in samples:
        worst[r["id"]] = max(worst.get(r["id"], 0.0), s * 1000)
    by_id = {r["id"]: r for r in rows}
    print("    slowest lines:")
    for rid, t in sorted(worst.items(), key=lambda kv: kv[1], reverse=True)[:5]:
        text = by_id[rid]["text"]
        print(f"      {t:6.2f} ms  {rid}  {len(text):4d} chars  {text[:50]!r}")

    # For contrast only: what the cache does for a line seen before with the same context
    # (on as many lines as the cache holds with their context lines).
    clf = _uncached(clf)
    some = rows[:2000]
    for r in some:
        clf.classify(r["text"], role=r["speaker"], previous=r.get("prev"))
    started = time.perf_counter()
    for r in some:
        clf.classify(r["text"], role=r["speaker"], previous=r.get("prev"))
    cached = (time.perf_counter() - started) / len(some) * 1000
    print(f"    (cached repeat of the same call: {cached * 1000:.1f} us per line; not counted)")


# --- (b) grading throughput ------------------------------------------------------------------

FILLERS = ["", "", "", "Um, ", "So ", "Okay. ", "Right, ", "Honestly, ", "Yeah, ", "Look, "]
TAILS = ["", "", "", " you know?", " if that makes sense.", " Anyway.", " Thanks."]
NAMES = ["Luis", "Dana", "Priya", "Marcus", "Aisha", "Tom", "Keiko", "Sam"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def vary(text: str, rng: random.Random) -> str:
    """The same line said a little differently, so no two conversations share every string."""
    text = re.sub(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday)\b",
                  lambda _: rng.choice(DAYS), text)
    text = re.sub(r"\b(?:Luis|Dana|Priya|Marcus|Aisha)\b", lambda _: rng.choice(NAMES), text)
    text = re.sub(r"\b(1[0-2]|[1-9])(?=(?::\d\d)?\s*(?:am|pm|AM|PM)?\b)",
                  lambda m: str(rng.randint(1, 12)) if rng.random() < 0.3 else m.group(), text)
    if rng.random() < 0.15:
        text = text.lower()
    return rng.choice(FILLERS) + text + rng.choice(TAILS)


def conversations(rows: list[dict], count: int, turns: int, seed: int) -> list[Transcript]:
    rng = random.Random(seed)
    by_role = {role: [r["text"] for r in rows if r["speaker"] == role]
               for role in ("rep", "prospect")}
    out = []
    for _ in range(count):
        n = rng.randint(turns - 4, turns + 4)
        role = "rep"
        convo = []
        for _ in range(n):
            speaker = "Rep" if role == "rep" else "Prospect"
            convo.append(Turn(speaker, role, vary(rng.choice(by_role[role]), rng)))  # type: ignore[arg-type]
            role = "prospect" if role == "rep" else "rep"
        out.append(Transcript(tuple(convo)))
    return out


def throughput(rows: list[dict], count: int, seed: int) -> None:
    convos = conversations(rows, count, 20, seed)
    total_turns = sum(len(c.turns) for c in convos)
    distinct = len({t.text for c in convos for t in c.turns})
    Classifier()  # imports and data files load once, as in any real process
    elapsed = 0.0
    scores = []
    full_runs = 0
    for convo in convos:
        clf = Classifier()  # fresh cache per conversation
        started = time.perf_counter()
        card = grade(convo, classify_fn=clf.classify)
        elapsed += time.perf_counter() - started
        scores.append(card.score)
        info = getattr(clf.classify, "cache_info", None)
        full_runs += info().misses if info else 0
    rate = total_turns / elapsed
    print(f"(b) grading throughput: {count} conversations, {total_turns} turns "
          f"({distinct} distinct lines), seed {seed}")
    print("    trainer.rubric.grade with a fresh Classifier per conversation "
          "(its construction not timed)")
    print(f"    {elapsed:.2f} s   {rate:,.0f} turns/s   {elapsed / count * 1000:.1f} ms per "
          f"conversation   mean score {statistics.fmean(scores):.0f}")
    if full_runs:
        print(f"    {full_runs / total_turns:.2f} uncached classifications per turn (a turn's "
              f"context line is classified again, without its own context)")
    print(f"    target >= {TARGET_TURNS_PER_S:,} turns/s: {verdict(rate >= TARGET_TURNS_PER_S)}")


# --- (c) cold start ---------------------------------------------------------------------------


_HOME = tempfile.mkdtemp(prefix="nextstep-bench-")  # results go here, not the user's database


def _env(**extra: str) -> dict[str, str]:
    """The environment of an installed NextStep: .pyc files may be written (pip writes them
    at install), results and caches go to a scratch home."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1", "NEXTSTEP_HOME": _HOME, **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _first_output(argv: list[str], runs: int) -> float:
    """Median time until the first line of output (the scorecard's head) appears."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, env=_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        assert proc.stdout is not None
        proc.stdout.readline()
        times.append(time.perf_counter() - started)
        proc.communicate()
    return statistics.median(times)


def _median_run(argv: list[str], runs: int, **env: str) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=_env(**env), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cold_start(runs: int) -> None:
    py = sys.executable
    bare = _median_run([py, "-c", "pass"], runs)
    every_import = ("import trainer.cli, trainer.formats, trainer.rubric, trainer.render, "
                    "trainer.moves, trainer.cues, trainer.when")
    imports = _median_run([py, "-c", every_import], runs)
    grade = [py, "-m", "trainer", "grade", EXAMPLE, "--no-store"]
    first = _median_run(grade, 1, NEXTSTEP_HOME=tempfile.mkdtemp(prefix="nextstep-bench-"))
    uncached = _median_run(grade, runs, NEXTSTEP_NO_REGEX_CACHE="1")
    full = _median_run(grade, runs)
    shown = _first_output([py, "-m", "trainer", "grade", EXAMPLE], runs)
    stored = _median_run([py, "-m", "trainer", "grade", EXAMPLE], runs)
    print(f"(c) cold start of `python -m trainer grade {EXAMPLE}`, median of {runs} runs")
    print(f"    {full:.3f} s with --no-store  (bare interpreter {bare:.3f} s, + imports "
          f"{imports - bare:.3f} s, + reading, classifying, grading, printing "
          f"{full - imports:.3f} s)")
    print(f"    {first:.3f} s the first run in a new home (compiles the patterns and caches "
          f"them), {uncached:.3f} s with the pattern cache off")
    print(f"    {shown:.3f} s until the scorecard is on screen, {stored:.3f} s until the result "
          "is also stored in the results database (opened after printing)")
    print(f"    target <= {TARGET_COLD_S:g} s to the scorecard: "
          f"{verdict(max(full, shown) <= TARGET_COLD_S)}")

    proc = subprocess.run([py, "-X", "importtime", "-m", "trainer", "grade", EXAMPLE],
                          cwd=ROOT, env=_env(), capture_output=True, text=True, check=True)
    entries = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)", line)
        if m:
            entries.append((int(m.group(1)), int(m.group(2)), len(m.group(3)) // 2, m.group(4)))
    total = sum(e[0] for e in entries)
    print(f"    imports: {len(entries)} modules, {total / 1000:.0f} ms in all (-X importtime)")
    print("    top 10 by own time (self):")
    for self_us, cum_us, _, name in sorted(entries, reverse=True)[:10]:
        print(f"      {self_us / 1000:6.1f} ms self  {cum_us / 1000:6.1f} ms cumulative  {name}")
    print("    top 10 packages by cumulative time (top-level imports only):")
    top = [e for e in entries if e[2] == 0]
    for _self_us, cum_us, _, name in sorted(top, key=lambda e: e[1], reverse=True)[:10]:
        print(f"      {cum_us / 1000:6.1f} ms  {name}")


# --- (d) a batch of files through the command line ---------------------------------------------


def batch(rows: list[dict], count: int, seed: int) -> None:
    from trainer.batch import usable_cores, workers_for

    convos = conversations(rows, count, 20, seed)
    total_turns = sum(len(c.turns) for c in convos)
    folder = Path(tempfile.mkdtemp(prefix="nextstep-bench-calls-"))
    names = []
    for i, convo in enumerate(convos):
        path = folder / f"call-{i:04d}.txt"
        path.write_text("".join(f"{t.speaker}: {t.text}\n" for t in convo.turns), "utf-8")
        names.append(str(path))
    auto = workers_for(len(names), None)
    print(f"(d) `nextstep grade --json --no-store` on {count} files ({total_turns} turns), end "
          f"to end; {usable_cores()} usable CPUs")
    outputs = {}
    for jobs in sorted({1, auto}):
        argv = [sys.executable, "-m", "trainer", "grade", "--json", "--no-store",
                "--jobs", str(jobs), *names]
        started = time.perf_counter()
        proc = subprocess.run(argv, cwd=ROOT, env=_env(), capture_output=True, check=False)
        elapsed = time.perf_counter() - started
        outputs[jobs] = proc.stdout
        print(f"    {jobs} process{'es' if jobs > 1 else '  '}  {elapsed:6.2f} s   "
              f"{total_turns / elapsed:,.0f} turns/s")
    if len(outputs) > 1:
        same = len(set(outputs.values())) == 1
        print(f"    same output from both: {'yes' if same else 'NO'}")
    # The same through trainer.batch in this process: reading and grading, no start-up and
    # no printing, so comparable with (b)
    from trainer.batch import grade_files
    from trainer.moves import default_classifier

    for jobs in sorted({1, auto}):
        default_classifier().classify.cache_clear()  # type: ignore[attr-defined]
        started = time.perf_counter()  # (forked workers would inherit a warm cache)
        done = sum(1 for o in grade_files(names, workers=jobs) if o.card is not None)
        elapsed = time.perf_counter() - started
        print(f"    trainer.batch.grade_files, {jobs} process{'es' if jobs > 1 else '  '} "
              f"{elapsed:6.2f} s   {total_turns / elapsed:,.0f} turns/s  ({done} files)")
    if auto > 1:
        print(f"    target >= {TARGET_TURNS_PER_S:,} turns/s on every CPU: "
              f"{verdict(total_turns / elapsed >= TARGET_TURNS_PER_S)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=("latency", "throughput", "cold", "batch"))
    ap.add_argument("--runs", type=int, default=5, help="latency passes over the corpus")
    ap.add_argument("--conversations", type=int, default=500)
    ap.add_argument("--cold-runs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=20260105)
    args = ap.parse_args()

    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs")
    rows = load()
    if args.only in (None, "latency"):
        latency(rows, args.runs)
    if args.only in (None, "throughput"):
        throughput(rows, args.conversations, args.seed)
    if args.only in (None, "cold"):
        cold_start(args.cold_runs)
    if args.only in (None, "batch"):
        batch(rows, args.conversations, args.seed)


if __name__ == "__main__":
    main()
