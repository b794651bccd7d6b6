"""Precision, recall and F1 per move on the labelled corpus (tests/data/moves.jsonl).

Run by hand:  python bench/eval_moves.py [--split dev|heldout|all] [--errors] [--rules-only]
              python bench/eval_moves.py --corpus other.jsonl   # any file in the same format

``--corpus`` measures the classifier on other labelled lines (the same fields; ``id`` and
``split`` may be left out, and then every line counts as held out), e.g. a batch of new lines
before it joins the corpus: the figure for lines nobody tuned anything on.

The learned layer is trained on the dev split (bench/train_moves.py), so its dev figures are
training figures: the honest estimates are the held-out split and train_moves.py's
cross-validation. ``--rules-only`` measures the cues and context rules alone.

Each line is classified with its role and the other party's previous line as context, the
way the rubric classifies a transcript. Prints a table per split and the macro-F1 over moves.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.moves import ALL_MOVES, Classifier

CORPUS = ROOT / "tests" / "data" / "moves.jsonl"


def load(split: str, corpus: Path = CORPUS) -> list[dict]:
    rows = [json.loads(line) for line in corpus.read_text("utf-8").splitlines() if line.strip()]
    for n, r in enumerate(rows, 1):
        r.setdefault("id", f"line {n}")
        r.setdefault("split", "heldout")
    return rows if split == "all" else [r for r in rows if r["split"] == split]


def evaluate(rows: list[dict], classifier: Classifier | None = None
             ) -> tuple[dict[str, tuple[float, float, float, int]], float, list]:
    classify = (classifier or Classifier()).classify
    tp = dict.fromkeys(ALL_MOVES, 0)
    fp = dict.fromkeys(ALL_MOVES, 0)
    fn = dict.fromkeys(ALL_MOVES, 0)
    errors = []
    for r in rows:
        got = {m.name for m in classify(r["text"], role=r["speaker"], previous=r.get("prev"))}
        want = set(r["moves"])
        for m in ALL_MOVES:
            if m in got and m in want:
                tp[m] += 1
            elif m in got:
                fp[m] += 1
            elif m in want:
                fn[m] += 1
        if got != want:
            errors.append((r, sorted(got - want), sorted(want - got)))
    table = {}
    for m in ALL_MOVES:
        p = tp[m] / (tp[m] + fp[m]) if tp[m] + fp[m] else 0.0
        rcl = tp[m] / (tp[m] + fn[m]) if tp[m] + fn[m] else 0.0
        f1 = 2 * p * rcl / (p + rcl) if p + rcl else 0.0
        table[m] = (p, rcl, f1, tp[m] + fn[m])
    macro = sum(v[2] for v in table.values()) / len(table)
    return table, macro, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="both", choices=("dev", "heldout", "all", "both"))
    ap.add_argument("--errors", action="store_true", help="list the misclassified lines")
    ap.add_argument("--rules-only", action="store_true",
                    help="evaluate the cues and context rules without the learned layer")
    ap.add_argument("--corpus", type=Path, default=CORPUS,
                    help="labelled lines to measure on (default: tests/data/moves.jsonl)")
    args = ap.parse_args()
    if args.corpus != CORPUS and args.split == "both":
        args.split = "all"
    classifier = Classifier(model=None) if args.rules_only else Classifier()
    splits = ("dev", "heldout") if args.split == "both" else (args.split,)
    for split in splits:
        rows = load(split, args.corpus)
        table, macro, errors = evaluate(rows, classifier)
        exact = 1 - len(errors) / len(rows)
        print(f"\n{split}: {len(rows)} lines, exact-match {exact:.1%}")
        print(f"{'move':<16}{'prec':>7}{'rec':>7}{'F1':>7}{'n':>6}")
        for m, (p, r, f, n) in table.items():
            print(f"{m:<16}{p:>7.2f}{r:>7.2f}{f:>7.2f}{n:>6}")
        print(f"{'macro-F1':<16}{'':>14}{macro:>7.3f}")
        if args.errors:
            for r, extra, missing in errors:
                print(f"- [{r['id']}] {r['speaker']}: {r['text'][:150]!r}"
                      f"\n    prev={str(r.get('prev'))[:80]!r} extra={extra} missing={missing}")


if __name__ == "__main__":
    main()
