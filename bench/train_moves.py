"""Train the classifier's learned layer on the dev split and write trainer/data/moves_model.json.

Run by hand after changing the corpus or the cues:

    python bench/train_moves.py            # train on dev, write the model, print 5-fold CV
    python bench/train_moves.py --no-write # only the cross-validation figures

The held-out split is never read here. Cross-validation (5 folds over dev, by line) gives an
honest estimate of how the whole classifier does on lines it was not trained on; the
held-out figures come from ``python bench/eval_moves.py`` afterwards.

Context is cross-fitted. At run time a line's context features come from the *whole*
classifier's reading of the line before it (rules and model), so training reads the line
before the same way: a first model is fitted on the rules' reading of context, then every
line's previous line is classified by that model's fold that never saw the previous line
(lines outside dev by the model fitted on all of dev), and the final model is fitted on
that reading. Training on the rules' reading alone taught the model a noisier context than
it meets at run time.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.model import CONTEXT_ONLY, LinearModel, features, train
from trainer.moves import ALL_MOVES, PROSPECT_MOVES, REP_MOVES, Classifier

CORPUS = ROOT / "tests" / "data" / "moves.jsonl"
OUT = ROOT / "trainer" / "data" / "moves_model.json"
# Chosen by the cross-validation below (never by the held-out split).
TRAINING = {"epochs": 15, "l2": 1e-3, "min_count": 5, "rate": 0.3}


Example = tuple[list[str], set[str], str]


def examples(rows: list[dict], rules: Classifier,
             context: Callable[[str, str], Classifier] | None = None) -> list[Example]:
    """Features and labels of ``rows``. ``context(previous_text, role)`` gives the classifier
    that reads each line's previous line (by default the rules alone)."""
    out = []
    for r in rows:
        role = r["speaker"]
        prev = None
        if r.get("prev") is not None:
            other = "prospect" if role == "rep" else "rep"
            reader = context(r["prev"], other) if context else rules
            prev = frozenset(m.name for m in reader.classify(r["prev"], role=other))
        found = rules.analyse(r["text"], role=role, previous_moves=prev)
        feats = features(found[2]) if found else []
        out.append((feats, set(r["moves"]), role))
    return out


def fit(data: list[Example], seed: int, **options: float) -> LinearModel:
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
    order = list(range(len(dev)))
    random.Random(args.seed).shuffle(order)
    folds = [order[k::5] for k in range(5)]
    data = cross_fitted(dev, folds, rules, args.seed, options)
    # Out-of-fold probabilities: each dev line scored by a model that never saw it.
    scored: list[tuple[dict[str, float], set[str], str]] = []
    for fold in folds:
        test = set(fold)
        model = fit([data[i] for i in order if i not in test], args.seed, **options)
        for i in fold:
            feats, labels, role = data[i]
            moves = REP_MOVES if role == "rep" else PROSPECT_MOVES
            probs = model.probabilities(feats, moves)
            for move, needs in CONTEXT_ONLY.items():
                if move in probs and needs not in feats:
                    probs[move] = 0.0  # out of its context the classifier never asks it
            scored.append((probs, labels, role))
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
        model = with_thresholds(fit(data, args.seed, **options), thresholds)
        OUT.write_text(model.to_json() + "\n", "utf-8")
        n = sum(len(w) for w in model.weights.values())
        print(f"wrote {OUT.relative_to(ROOT)}: {n} weights, {OUT.stat().st_size // 1024} KiB")


def cross_fitted(dev: list[dict], folds: list[list[int]], rules: Classifier, seed: int,
                 options: dict[str, float]) -> list[Example]:
    """The dev examples with each previous line read by a whole classifier that never saw it."""
    first = examples(dev, rules)
    fold_of = {dev[i]["text"]: k for k, fold in enumerate(folds) for i in fold}
    readers = []
    for fold in folds:
        test = set(fold)
        readers.append(Classifier(model=with_thresholds(
            fit([first[i] for i in range(len(first)) if i not in test], seed, **options))))
    everything = Classifier(model=with_thresholds(fit(first, seed, **options)))

    def context(text: str, role: str) -> Classifier:
        k = fold_of.get(text)
        return everything if k is None else readers[k]

    return examples(dev, rules, context)


def with_thresholds(model: LinearModel, thresholds: dict[str, float] | None = None
                    ) -> LinearModel:
    return LinearModel(model.weights, model.bias, {**model.meta, "thresholds": thresholds or {}})


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


# Moves that earn the trainee credit (and the prospect's yes that completes it): their cut
# never drops below 0.5, since crediting a move that was not made teaches the wrong habit
# ("I'll send a proposal and call you next week" must never pass as asking).
CREDITED = frozenset({"ask_next_step", "propose_time", "assign_task", "confront_stall",
                      "recap", "agree"})


def best_threshold(scored: list[tuple[dict[str, float], set[str], str]], move: str) -> float:
    """The cut that maximises the move's out-of-fold F1, kept near 0.5 unless it clearly helps."""
    best, best_f1 = 0.5, f1_at(scored, move, 0.5)
    for cut in (0.3, 0.35, 0.4, 0.45, 0.55, 0.6):
        if move in CREDITED and cut < 0.5:
            continue
        f1 = f1_at(scored, move, cut)
        if f1 > best_f1 + 0.005:
            best, best_f1 = cut, f1
    return best


if __name__ == "__main__":
    main()
