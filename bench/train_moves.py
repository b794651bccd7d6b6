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
    # Out-of-fold probabilities: each dev line scored by a model that never saw it.
    scored: list[tuple[dict[str, float], set[str], str]] = []
    for fold in folds:
        test = set(fold)
        model = fit([data[i] for i in order if i not in test], args.seed, **options)
        for i in fold:
            feats, labels, role = data[i]
            moves = REP_MOVES if role == "rep" else PROSPECT_MOVES
            scored.append((model.probabilities(feats, moves), labels, role))
    # Each move's decision threshold, chosen on those out-of-fold scores (never on held-out).
    thresholds = {m: best_threshold(scored, m) for m in ALL_MOVES}
    at_half = {m: f1_at(scored, m, 0.5) for m in ALL_MOVES}
    tuned = {m: f1_at(scored, m, thresholds[m]) for m in ALL_MOVES}
    print(f"5-fold cross-validation on {len(dev)} dev lines (F1 per move, at 0.5 and at the "
          "chosen threshold):")
    for m in ALL_MOVES:
        print(f"  {m:<16}{at_half[m]:.2f}   {tuned[m]:.2f} (threshold {thresholds[m]:.2f})")
    print(f"  {'macro-F1':<16}{sum(at_half.values()) / len(ALL_MOVES):.3f}   "
          f"{sum(tuned.values()) / len(ALL_MOVES):.3f}")
    if not args.no_write:
        model = fit(data, args.seed, **options)
        model = LinearModel(model.weights, model.bias, {**model.meta, "thresholds": thresholds})
        OUT.write_text(model.to_json() + "\n", "utf-8")
        n = sum(len(w) for w in model.weights.values())
        print(f"wrote {OUT.relative_to(ROOT)}: {n} weights, {OUT.stat().st_size // 1024} KiB")


def f1_at(scored: list[tuple[dict[str, float], set[str], str]], move: str, cut: float) -> float:
    tp = fp = fn = 0
    for probs, labels, _ in scored:
        if move not in probs:
            continue
        got, want = probs[move] >= cut, move in labels
        tp += got and want
        fp += got and not want
        fn += want and not got
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_threshold(scored: list[tuple[dict[str, float], set[str], str]], move: str) -> float:
    """The cut that maximises the move's out-of-fold F1, kept near 0.5 unless it clearly helps."""
    best, best_f1 = 0.5, f1_at(scored, move, 0.5)
    for cut in (0.3, 0.35, 0.4, 0.45, 0.55, 0.6):
        f1 = f1_at(scored, move, cut)
        if f1 > best_f1 + 0.005:
            best, best_f1 = cut, f1
    return best


if __name__ == "__main__":
    main()
