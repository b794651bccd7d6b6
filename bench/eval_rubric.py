"""How often the grader's verdicts match a trainer's, on whole labelled conversations.

Run by hand:  python bench/eval_rubric.py [--errors] [--folder tests/data/conversations]

Each conversation in the folder is a plain-text transcript (``Rep:`` / ``Prospect:`` lines);
``labels.jsonl`` beside them gives the verdict a trainer gave on each of the five criteria.
Prints, per criterion, how many verdicts agree and a confusion table (the trainer's verdict
down, the grader's across), then precision, recall and F1 per verdict over all criteria, and
the share of conversations where every verdict agrees. ``--errors`` lists each disagreement
with the evidence the grader gave.

The moves classifier is measured line by line by ``eval_moves.py``; this is what a user sees:
the verdicts of a whole call, after the rubric has read the moves in context.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.formats import read
from trainer.rubric import CRITERIA, grade

FOLDER = ROOT / "tests" / "data" / "conversations"
VERDICTS = ("pass", "partial", "fail", "n/a")


def load(folder: Path) -> list[dict]:
    rows = [json.loads(line) for line in (folder / "labels.jsonl").read_text("utf-8")
            .splitlines() if line.strip()]
    return sorted(rows, key=lambda r: r["file"])


def evaluate(folder: Path) -> tuple[list[tuple[dict, dict, object]], Counter]:
    """Each labelled conversation with the grader's verdicts and scorecard, and a counter of
    (criterion, trainer's verdict, grader's verdict)."""
    results = []
    pairs: Counter = Counter()
    for row in load(folder):
        card = grade(read(folder / row["file"]))
        got = {c.id: c.verdict for c in card.criteria}
        for cid in CRITERIA:
            pairs[cid, row[cid], got[cid]] += 1
        results.append((row, got, card))
    return results, pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", type=Path, default=FOLDER,
                    help="labelled conversations (default: tests/data/conversations)")
    ap.add_argument("--errors", action="store_true", help="list every disagreement")
    args = ap.parse_args()
    results, pairs = evaluate(args.folder)
    n = len(results)
    print(f"{n} conversations, {n * len(CRITERIA)} verdicts")
    corner = "trainer \\ grader"
    print(f"\n{'criterion':<16}{'agree':>7}   {corner:<18}" + "".join(f"{v:>8}" for v in VERDICTS))
    for cid in CRITERIA:
        agree = sum(c for (k, want, got), c in pairs.items() if k == cid and want == got)
        first = f"{cid:<16}{agree:>3}/{n:<3}"
        for want in VERDICTS:
            row = [pairs[cid, want, got] for got in VERDICTS]
            if any(row):
                print(f"{first:<23}   {want:<18}" + "".join(f"{x:>8}" for x in row))
                first = ""
    print(f"\n{'verdict':<10}{'prec':>7}{'rec':>7}{'F1':>7}{'n':>6}   (over all criteria)")
    f1s = []
    for v in VERDICTS:
        tp = sum(c for (_, want, got), c in pairs.items() if want == got == v)
        said = sum(c for (_, _, got), c in pairs.items() if got == v)
        real = sum(c for (_, want, _), c in pairs.items() if want == v)
        p = tp / said if said else 0.0
        r = tp / real if real else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        if real:
            f1s.append(f)
        print(f"{v:<10}{p:>7.2f}{r:>7.2f}{f:>7.2f}{real:>6}")
    agree = sum(c for (_, want, got), c in pairs.items() if want == got)
    whole = sum(all(row[cid] == got[cid] for cid in CRITERIA) for row, got, _ in results)
    print(f"{'macro-F1':<10}{'':>14}{sum(f1s) / len(f1s):>7.3f}")
    print(f"\nverdicts agreeing: {agree}/{n * len(CRITERIA)} ({agree / (n * len(CRITERIA)):.1%});"
          f" conversations with every verdict agreeing: {whole}/{n} ({whole / n:.0%})")
    if args.errors:
        for row, got, card in results:
            for c in card.criteria:
                if c.id in row and row[c.id] != got[c.id]:
                    why = "; ".join(f"turn {e.turn}: {e.why}" for e in c.evidence) or "-"
                    print(f"- {row['file']} {c.id}: trainer {row[c.id]}, grader {got[c.id]}"
                          f"  ({why})\n    note: {row.get('note', '')}")


if __name__ == "__main__":
    main()
