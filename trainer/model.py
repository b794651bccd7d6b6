"""A small learned layer over the classifier's cues: one logistic model per move.

The cues (:mod:`trainer.cues`) encode what the method says; real lines say it in more ways
than any list of patterns. This layer weighs the evidence together: the words of the line
(unigrams and bigrams, with negation marked), how its sentences open, which cues fired
before and after the context rules, the date/time mentions, and what the other party's
previous line did. Weights are data (``trainer/data/moves_model.json``),
trained by ``python bench/train_moves.py`` on the dev split of ``tests/data/moves.jsonl``
and deterministic for a given corpus and seed; inference is a sparse dot product.

Punctuation is deliberately not a feature (the cues already read questions): "?!" or a
missing full stop must never change a verdict.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from trainer import datafiles
from trainer.text import Segment

MODEL_FILE = "moves_model.json"
NEGATORS = frozenset({"not", "never", "no", "cannot", "nothing", "nobody", "neither", "nor"})
_BOUNDARY = frozenset({",", "?"})


@dataclass(frozen=True)
class Evidence:
    """What the rules saw in a line, as the model's features need it."""

    segments: Sequence[Segment]
    raw: frozenset[str]  # moves whose cues fired, before the context rules
    resolved: frozenset[str]  # moves after the context rules
    times: frozenset[str]  # "slot", "window", "day" mentions in the line
    previous: frozenset[str] | None  # the other party's previous moves (None: no context)


def features(ev: Evidence) -> list[str]:
    """The sparse binary features of one line."""
    feats: set[str] = set()
    tokens: list[str] = []
    for seg in ev.segments:
        neg = 0
        words = []
        for tok in seg.tokens:
            word = tok.text
            if word in _BOUNDARY:
                neg = 0
                continue
            words.append(f"~{word}" if neg else word)
            neg = 3 if word in NEGATORS else max(0, neg - 1)
        if words:
            feats.add(f"s:{words[0]}")
            if len(words) > 1:
                feats.add(f"s2:{words[0]}_{words[1]}")
        tokens.extend(words)
        tokens.append("|")
    for i, w in enumerate(tokens):
        if w == "|":
            continue
        feats.add(f"w:{w}")
        if i + 1 < len(tokens) and tokens[i + 1] != "|":
            feats.add(f"b:{w}_{tokens[i + 1]}")
    feats.update(f"cue:{m}" for m in ev.raw)
    feats.update(f"rule:{m}" for m in ev.resolved)
    feats.update(f"t:{k}" for k in ev.times)
    if ev.previous is None:
        feats.add("prev:none")
    else:
        feats.update(f"prev:{m}" for m in ev.previous)
        if not ev.previous:
            feats.add("prev:nothing")
        if "stall" in ev.previous:
            feats.update(f"stall&{f}" for f in list(feats)
                         if f.startswith(("cue:", "rule:", "s:")))
        offer = ev.previous & {"ask_next_step", "propose_time", "vague_time", "assign_task",
                               "recap"}
        if offer:
            feats.update(f"offer&{f}" for f in list(feats)
                         if f.startswith(("cue:", "s:", "t:")))
    n = len(tokens)
    feats.add("len:short" if n <= 6 else "len:mid" if n <= 25 else "len:long")
    return list(feats)


@dataclass(frozen=True)
class LinearModel:
    """One logistic model per move: ``p = sigmoid(bias + sum of feature weights)``."""

    weights: Mapping[str, Mapping[str, float]]
    bias: Mapping[str, float]
    meta: Mapping[str, Any]

    def probabilities(self, feats: Iterable[str], moves: Iterable[str]) -> dict[str, float]:
        wanted = tuple(m for m in moves if m in self.weights)
        rows = [row for row in map(self._index(wanted).get, feats) if row is not None]
        # a column per move: the weights of the line's features, summed by sum() in C
        totals = [sum(col) for col in zip(*rows, strict=True)] if rows else [0.0] * len(wanted)
        return {m: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.bias.get(m, 0.0) + t))))
                for m, t in zip(wanted, totals, strict=True)}

    def _index(self, moves: tuple[str, ...]) -> dict[str, tuple[float, ...]]:
        """Feature → its weight for each of these moves, in their order (0.0 where it has
        none): one lookup per feature instead of one per move. Built once per set of moves
        (a role's)."""
        cache: dict[tuple[str, ...], dict[str, tuple[float, ...]]] = \
            self.__dict__.setdefault("_by_feature", {})
        index = cache.get(moves)
        if index is None:
            tables = [self.weights[move] for move in moves]
            names = set().union(*tables)
            index = cache[moves] = {f: tuple([t.get(f, 0.0) for t in tables]) for f in names}
        return index

    def to_json(self) -> str:
        return json.dumps({"meta": dict(self.meta), "bias": dict(self.bias),
                           "weights": {m: dict(sorted(w.items())) for m, w in
                                       self.weights.items()}},
                          separators=(",", ":"), sort_keys=True)


@lru_cache(maxsize=1)
def shipped_model() -> LinearModel | None:
    """The trained model shipped with NextStep, or None when it is missing."""
    try:
        text = datafiles.text(MODEL_FILE)
    except (FileNotFoundError, OSError):
        return None
    data = json.loads(text)
    return LinearModel(data["weights"], data["bias"], data.get("meta", {}))


#: Moves that exist only in a context, and the feature that marks it: their models learn
#: only from lines in that context (the classifier never asks them about any other), so the
#: words of every other line cannot teach them that "great, I'll..." is no reply to a stall.
CONTEXT_ONLY: Mapping[str, str] = {"confront_stall": "prev:stall", "accept_stall": "prev:stall"}


def train(examples: Sequence[tuple[list[str], set[str]]], moves: Sequence[str], *,
          epochs: int = 25, rate: float = 0.3, l2: float = 1e-4, min_count: int = 2,
          seed: int = 0) -> LinearModel:
    """Fit one-vs-rest logistic regression with AdaGrad. ``examples`` are (features, labels).

    Word features seen fewer than ``min_count`` times are dropped (they only memorise);
    rule, time and context features are always kept. A move in :data:`CONTEXT_ONLY` learns
    only from the examples in its context.
    """
    counts = Counter(f for feats, _ in examples for f in feats)
    keep = {f for f, c in counts.items()
            if c >= min_count or not f.startswith(("w:", "b:", "s2:"))}
    data = [([f for f in feats if f in keep], labels) for feats, labels in examples]
    rng = random.Random(seed)
    weights: dict[str, dict[str, float]] = {}
    bias: dict[str, float] = {}
    for move in moves:
        w: dict[str, float] = {}
        g2: dict[str, float] = {}
        b, gb = 0.0, 0.0
        needs = CONTEXT_ONLY.get(move)
        order = [i for i in range(len(data)) if needs is None or needs in data[i][0]]
        for _ in range(epochs):
            rng.shuffle(order)
            for i in order:
                feats, labels = data[i]
                z = b + sum(w.get(f, 0.0) for f in feats)
                p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
                err = p - (1.0 if move in labels else 0.0)
                gb += err * err
                b -= rate * err / math.sqrt(gb + 1e-8)
                for f in feats:
                    grad = err + l2 * w.get(f, 0.0)
                    g2[f] = g2.get(f, 0.0) + grad * grad
                    w[f] = w.get(f, 0.0) - rate * grad / math.sqrt(g2[f] + 1e-8)
        weights[move] = {f: round(v, 4) for f, v in w.items() if abs(v) >= 0.01}
        bias[move] = round(b, 4)
    meta = {"epochs": epochs, "rate": rate, "l2": l2, "min_count": min_count, "seed": seed,
            "examples": len(examples)}
    return LinearModel(weights, bias, meta)
