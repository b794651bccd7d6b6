"""Train the classifier's learned layer on the dev split and write trainer/data/moves_model.json.

Run by hand after changing the corpus or the cues:

    python bench/train_moves.py            # train on dev, write the model, print 5-fold CV
    python bench/train_moves.py --no-write # only the cross-validation figures

The held-out split is never read here. Cross-validation (5 folds over dev, by line) gives an
honest estimate of how the whole classifier does on lines it was not trained on; the
held-out figures come from ``python bench/eval_moves.py`` afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.model import LinearModel, features, train
from trainer.moves import ALL_MOVES, PROSPECT_MOVES, REP_MOVES, Classifier

CORPUS = ROOT / "tests" / "data" / "moves.jsonl"
OUT = ROOT / "trainer" / "data" / "moves_model.json"
# Chosen by the cross-validation below (never by the held-out split).
TRAINING = {"epochs": 8, "l2": 3e-4, "min_count": 2, "rate": 0.3}


def examples(rows: list[dict], rules: Classifier) -> list[tuple[list[str], set[str], str]]:
    out = []
    for r in rows:
        role = r["speaker"]
        prev = None
        if r.get("prev") is not None:
            other = "prospect" if role == "rep" else "rep"
            prev = frozenset(m.name for m in rules.classify(r["prev"], role=other))
        found = rules.analyse(r["text"], role=role, previous_moves=prev)
        feats = features(found[2]) if found else []
        out.append((feats, set(r["moves"]), role))
    return out


def fit(data: list[tuple[list[str], set[str], str]], seed: int, **options: float) -> LinearModel:
    parts = []
    for role, moves in (("rep", REP_MOVES), ("prospect", PROSPECT_MOVES)):
        sub = [(f, labels) for f, labels, r in data if r == role]
        parts.append(train(sub, moves, seed=seed, **options))  # type: ignore[arg-type]
    weights = {**parts[0].weights, **parts[1].weights}
    bias = {**parts[0].bias, **parts[1].bias}
    return LinearModel(weights, bias, {**parts[0].meta, "examples": len(data)})


def f1s(model: LinearModel, data: list[tuple[list[str], set[str], str]]) -> dict[str, float]:
    tp = dict.fromkeys(ALL_MOVES, 0)
    fp = dict.fromkeys(ALL_MOVES, 0)
    fn = dict.fromkeys(ALL_MOVES, 0)
    for feats, labels, role in data:
        moves = REP_MOVES if role == "rep" else PROSPECT_MOVES
        got = {m for m, p in model.probabilities(feats, moves).items() if p >= 0.5}
        for m in ALL_MOVES:
            tp[m] += m in got and m in labels
            fp[m] += m in got and m not in labels
            fn[m] += m not in got and m in labels
    out = {}
    for m in ALL_MOVES:
        p = tp[m] / (tp[m] + fp[m]) if tp[m] + fp[m] else 0.0
        r = tp[m] / (tp[m] + fn[m]) if tp[m] + fn[m] else 0.0
        out[m] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=TRAINING["epochs"])
    ap.add_argument("--l2", type=float, default=TRAINING["l2"])
    ap.add_argument("--min-count", type=int, default=TRAINING["min_count"])
    ap.add_argument("--rate", type=float, default=TRAINING["rate"])
    args = ap.parse_args()
    options = {"epochs": args.epochs, "l2": args.l2, "min_count": args.min_count,
               "rate": args.rate}
    rows = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]
    dev = [r for r in rows if r["split"] == "dev"]
    rules = Classifier(model=None)
    data = examples(dev, rules)
    order = list(range(len(data)))
    random.Random(args.seed).shuffle(order)
    folds = [order[k::5] for k in range(5)]
    totals = dict.fromkeys(ALL_MOVES, 0.0)
    for _k, fold in enumerate(folds):
        test = set(fold)
        model = fit([data[i] for i in order if i not in test], args.seed, **options)
        scores = f1s(model, [data[i] for i in fold])
        for m in ALL_MOVES:
            totals[m] += scores[m] / len(folds)
    print(f"5-fold cross-validation on {len(dev)} dev lines (F1 per move):")
    for m in ALL_MOVES:
        print(f"  {m:<16}{totals[m]:.2f}")
    print(f"  {'macro-F1':<16}{sum(totals.values()) / len(totals):.3f}")
    if not args.no_write:
        model = fit(data, args.seed, **options)
        OUT.write_text(model.to_json() + "\n", "utf-8")
        n = sum(len(w) for w in model.weights.values())
        print(f"wrote {OUT.relative_to(ROOT)}: {n} weights, {OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
