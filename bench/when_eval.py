"""Score date/time extraction on the labelled lines and compare it with date libraries.

    python bench/when_eval.py                  # tables for the dev and held-out splits
    python bench/when_eval.py --errors         # also list the dev lines a system gets wrong
    python bench/when_eval.py --json           # figures as one JSON object

Systems: ``when`` (:mod:`trainer.when`), ``parsedatetime`` (``Calendar.nlp`` alone: a match
with a time is a slot), ``dateparser`` (``search.search_dates`` alone: a match whose period is
``time`` is a slot) and ``when+pdt`` (our candidates, resolved by parsedatetime instead of our
own resolver). A library that is not installed is reported as missing.

Figures: slot precision / recall / F1 (a predicted slot counts when its span overlaps an
expected slot's), accuracy of the resolved datetime on those matches, mention F1 (any kind),
how many lines with nothing to schedule stay clean, per-call latency p50 / p99 over the lines
(each line's fastest of several calls) and the cold import time of each system in a fresh
interpreter (fastest of seven). The ``heldout`` split is for reporting:
tune on ``dev`` only (``--errors`` never lists held-out lines).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data" / "when.jsonl"


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    when: datetime | None


@dataclass(frozen=True)
class Line:
    text: str
    now: datetime
    expect: tuple[Span, ...]
    split: str


System = Callable[[str, datetime], list[Span]]


def load(path: Path = DATA) -> list[Line]:
    """The labelled lines, each expected mention located in its text."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        rec = json.loads(raw)
        spans = []
        for e in rec["expect"]:
            start = rec["text"].find(e["text"])
            if start < 0:
                raise ValueError(f"{e['text']!r} is not in {rec['text']!r}; fix the label.")
            when = datetime.fromisoformat(e["when"]) if e["when"] else None
            spans.append(Span(e["kind"], start, start + len(e["text"]), when))
        lines.append(Line(rec["text"], datetime.fromisoformat(rec["now"]), tuple(spans),
                          rec.get("split", "dev")))
    return lines


# --- systems -----------------------------------------------------------------------------

def ours() -> System:
    from trainer.when import find_times

    def run(text: str, now: datetime) -> list[Span]:
        return [Span(m.kind, m.start, m.end, m.when) for m in find_times(text, now)]
    return run


def _naive(now: datetime) -> datetime:
    return now.replace(tzinfo=None)


def _into(dt: datetime, now: datetime) -> datetime:
    """A library's answer in ``now``'s zone: converted when it is aware, labelled when naive."""
    if dt.tzinfo is not None and now.tzinfo is not None:
        return dt.astimezone(now.tzinfo)
    return dt.replace(tzinfo=now.tzinfo)


def parsedatetime_alone() -> System:
    import parsedatetime

    cal = parsedatetime.Calendar(version=parsedatetime.VERSION_CONTEXT_STYLE)

    def run(text: str, now: datetime) -> list[Span]:
        found = cal.nlp(text, sourceTime=_naive(now)) or ()
        return [Span("slot" if ctx.hasTime else "window", start, end, _into(dt, now))
                for dt, ctx, start, end, _ in found]
    return run


def dateparser_alone() -> System:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    periods = DateDataParser(languages=["en"], settings={"RETURN_TIME_AS_PERIOD": True})

    def run(text: str, now: datetime) -> list[Span]:
        settings = {"RELATIVE_BASE": _naive(now), "PREFER_DATES_FROM": "future"}
        found = search_dates(text, languages=["en"], settings=settings) or []
        out, cursor = [], 0
        for sub, dt in found:
            start = text.find(sub, cursor)
            if start < 0:
                continue
            cursor = start + len(sub)
            period = periods.get_date_data(sub).period
            out.append(Span("slot" if period == "time" else "window", start, cursor,
                            _into(dt, now)))
        return out
    return run


def ours_resolved_by_parsedatetime() -> System:
    import parsedatetime

    from trainer.when import find_times

    cal = parsedatetime.Calendar(version=parsedatetime.VERSION_CONTEXT_STYLE)

    def run(text: str, now: datetime) -> list[Span]:
        out = []
        for m in find_times(text, now):
            when = m.when
            if m.kind == "slot":
                dt, ctx = cal.parseDT(m.text, sourceTime=_naive(now))
                when = _into(dt, now) if ctx.hasTime else None
            out.append(Span(m.kind, m.start, m.end, when))
        return out
    return run


_NOW = "datetime.datetime(2025, 3, 12, 14, 30)"
# name: (factory, import statement, first call) -- the last two are timed in a fresh process.
SYSTEMS: dict[str, tuple[Callable[[], System], str, str]] = {
    "when": (ours, "import datetime, trainer.when",
             f"trainer.when.find_times('Tuesday at 10', {_NOW})"),
    "parsedatetime": (parsedatetime_alone, "import datetime, parsedatetime",
                      f"parsedatetime.Calendar().nlp('Tuesday at 10', sourceTime={_NOW})"),
    "dateparser": (dateparser_alone, "import datetime, dateparser.search",
                   ("dateparser.search.search_dates('Tuesday at 10', languages=['en'], "
                    f"settings={{'RELATIVE_BASE': {_NOW}}})")),
    "when+pdt": (ours_resolved_by_parsedatetime, "import datetime, trainer.when, parsedatetime",
                 (f"trainer.when.find_times('Tuesday at 10', {_NOW}); "
                  f"parsedatetime.Calendar().parseDT('Tuesday at 10', sourceTime={_NOW})")),
}


# --- scoring -----------------------------------------------------------------------------

def _pairs(expected: list[Span], predicted: list[Span]) -> list[tuple[Span, Span]]:
    pairs, used = [], set()
    for e in expected:
        for i, p in enumerate(predicted):
            if i not in used and p.start < e.end and e.start < p.end:
                pairs.append((e, p))
                used.add(i)
                break
    return pairs


def _prf(tp: int, n_pred: int, n_exp: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_exp if n_exp else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(system: System, lines: list[Line]) -> tuple[dict[str, Any], list[str]]:
    """Figures for one system on some lines, and a description of each line it gets wrong."""
    slot_tp = slot_pred = slot_exp = when_ok = 0
    any_tp = any_pred = any_exp = clean = negatives = 0
    errors = []
    for line in lines:
        pred = system(line.text, line.now)
        exp_slots = [s for s in line.expect if s.kind == "slot"]
        pred_slots = [s for s in pred if s.kind == "slot"]
        pairs = _pairs(exp_slots, pred_slots)
        slot_tp += len(pairs)
        slot_pred += len(pred_slots)
        slot_exp += len(exp_slots)
        good = sum(1 for e, p in pairs if p.when == e.when)
        when_ok += good
        any_pairs = _pairs(list(line.expect), pred)
        any_tp += len(any_pairs)
        any_pred += len(pred)
        any_exp += len(line.expect)
        if not line.expect:
            negatives += 1
            clean += not pred
        wrong = (len(pairs) != len(exp_slots) or len(pairs) != len(pred_slots) or
                 good != len(pairs) or len(any_pairs) != len(line.expect) or
                 len(any_pairs) != len(pred))
        if wrong:
            got = "; ".join(f"{s.kind} {line.text[s.start:s.end]!r} {s.when}" for s in pred)
            want = "; ".join(f"{s.kind} {line.text[s.start:s.end]!r} {s.when}"
                             for s in line.expect)
            errors.append(f"{line.text!r} (now {line.now.isoformat()})\n"
                          f"    want: {want or '-'}\n    got:  {got or '-'}")
    figures = {
        "lines": len(lines),
        "slot": _prf(slot_tp, slot_pred, slot_exp),
        "when_accuracy": when_ok / slot_tp if slot_tp else 0.0,
        "slots_resolved_right": f"{when_ok}/{slot_exp}",
        "mention": _prf(any_tp, any_pred, any_exp),
        "negatives_clean": f"{clean}/{negatives}",
    }
    return figures, errors


def latency(system: System, lines: list[Line], rounds: int) -> dict[str, float]:
    """Per-call latency in microseconds: each line's fastest of ``rounds`` calls (what the
    line costs, without the pauses a busy machine adds), then p50 and p99 over the lines."""
    for line in lines:
        system(line.text, line.now)
    best = []
    for line in lines:
        runs = []
        for _ in range(rounds):
            t = time.perf_counter()
            system(line.text, line.now)
            runs.append((time.perf_counter() - t) * 1e6)
        best.append(min(runs))
    best.sort()
    return {"p50_us": statistics.median(best),
            "p99_us": best[min(len(best) - 1, int(len(best) * 0.99))]}


def cold_start(statement: str, first_call: str, runs: int = 7) -> tuple[float, float] | None:
    """Milliseconds to import, and to import and make a first call, in a fresh interpreter
    (fastest of ``runs``); None when the import fails."""
    code = (f"import sys, time; sys.path.insert(0, {str(ROOT)!r}); t = time.perf_counter(); "
            f"{statement}; a = time.perf_counter(); {first_call}; b = time.perf_counter(); "
            "print(a - t, b - t)")
    imports, firsts = [], []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            return None
        a, b = (float(x) * 1000 for x in done.stdout.split())
        imports.append(a)
        firsts.append(b)
    return min(imports), min(firsts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated names")
    ap.add_argument("--rounds", type=int, default=10, help="calls per line (dateparser: 3)")
    ap.add_argument("--errors", action="store_true", help="list the dev lines each gets wrong")
    ap.add_argument("--json", action="store_true", help="print figures as JSON")
    args = ap.parse_args(argv)

    lines = load()
    splits = {"dev": [x for x in lines if x.split == "dev"],
              "heldout": [x for x in lines if x.split == "heldout"]}
    report: dict[str, Any] = {}
    for name in args.systems.split(","):
        make, statement, first_call = SYSTEMS[name]
        try:
            system = make()
        except ImportError as exc:
            report[name] = {"missing": str(exc)}
            continue
        entry: dict[str, Any] = {}
        for split, subset in splits.items():
            entry[split], errors = score(system, subset)
            if args.errors and split == "dev" and errors:
                print(f"## {name}: {len(errors)} dev lines wrong", file=sys.stderr)
                print("\n".join(errors), file=sys.stderr)
        rounds = 3 if name == "dateparser" else args.rounds
        entry["latency"] = latency(system, lines, rounds)
        entry["cold_ms"] = cold_start(statement, first_call)
        report[name] = entry

    if args.json:
        print(json.dumps(report, indent=2, default=str))
        return 0
    head = ("| system | split | slot P | slot R | slot F1 | when acc | mention F1 | "
            "negatives clean | p50 µs | p99 µs | import ms | import + 1st call ms |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for name, entry in report.items():
        if "missing" in entry:
            print(f"| {name} | - | missing: {entry['missing']} |")
            continue
        for split in splits:
            f = entry[split]
            lat, cold = entry["latency"], entry["cold_ms"]
            imp = "-" if cold is None else f"{cold[0]:.0f} | {cold[1]:.0f}"
            print(f"| {name} | {split} ({f['lines']}) | {f['slot']['precision']:.2f} | "
                  f"{f['slot']['recall']:.2f} | {f['slot']['f1']:.2f} | "
                  f"{f['when_accuracy']:.2f} | {f['mention']['f1']:.2f} | "
                  f"{f['negatives_clean']} | {lat['p50_us']:.0f} | {lat['p99_us']:.0f} | "
                  f"{imp} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
