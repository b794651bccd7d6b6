"""How verdicts add up to scores: one definition for the rubric, the results store and the
reports, so a run scores the same wherever it is shown."""

from __future__ import annotations

import math
from collections.abc import Iterable

VERDICT_SCORES: dict[str, float] = {"pass": 1.0, "partial": 0.5, "fail": 0.0}


def half_up(value: float) -> int:
    """``value`` to a whole number, halves up (12.5 -> 13, 62.5 -> 63), as people round;
    ``round()`` goes to the even neighbour, so 12.5 became 12 and 87.5 became 88."""
    # rounded to nine places first: 11.5 / 20 * 100 is 57.49999999999999 in floating point
    return math.floor(round(value, 9) + 0.5)


def weighted_score(scored: Iterable[tuple[float | None, float]]) -> int:
    """The 0-100 score of (value, weight) pairs; a value of None (``n/a``) and a weight of 0
    count for nothing."""
    total = weight = 0.0
    for value, w in scored:
        if value is not None and w > 0:
            total += value * w
            weight += w
    return half_up(100 * total / weight) if weight else 0
