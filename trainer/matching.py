"""Fuzzy matching of a line against banks of labelled example phrases.

One matcher serves the moves classifier (exemplar banks per move) and scenarios (intent
examples). Its rules:

- both sides are normalised by :func:`trainer.text.plain` before rapidfuzz sees them;
- inputs shorter than :data:`MIN_CHARS` characters or :data:`MIN_WORDS` words never
  fuzzy-match (short lines say too little to tell apart, and ratio scores on them swing wildly);
- the score is :func:`rapidfuzz.fuzz.ratio` on whole normalised strings, not a partial or
  token-set score, so stuffing a line with keywords lowers its score instead of raising it;
- when the best two labels score within :data:`TIE_MARGIN` of each other the matcher refuses
  to guess and returns no match.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from trainer.text import plain

MIN_CHARS = 12
MIN_WORDS = 3
TIE_MARGIN = 4.0
DEFAULT_THRESHOLD = 80.0


@dataclass(frozen=True)
class PhraseMatch:
    """The label a line matched, how well (0-100), and the example phrase it resembled."""

    label: str
    score: float
    example: str


class PhraseBank:
    """Labelled example phrases, matched by whole-string similarity."""

    def __init__(self, phrases: Mapping[str, Iterable[str]], *,
                 threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._labels: list[str] = []
        self._examples: list[str] = []
        self._norms: list[str] = []
        for label, examples in phrases.items():
            for example in examples:
                norm = plain(example)
                if norm:
                    self._labels.append(label)
                    self._examples.append(example)
                    self._norms.append(norm)

    def __len__(self) -> int:
        return len(self._norms)

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(self._labels)

    def match(self, text: str, *, threshold: float | None = None,
              labels: Iterable[str] | None = None) -> PhraseMatch | None:
        """The best label for ``text``, or ``None`` when nothing is close or two labels tie."""
        norm = plain(text)
        return self.match_normalised(norm, threshold=threshold, labels=labels)

    def match_normalised(self, norm: str, *, threshold: float | None = None,
                         labels: Iterable[str] | None = None) -> PhraseMatch | None:
        """As :meth:`match`, for text already passed through :func:`trainer.text.plain`."""
        if len(norm) < MIN_CHARS or norm.count(" ") + 1 < MIN_WORDS or not self._norms:
            return None
        cutoff = self.threshold if threshold is None else threshold
        allowed = None if labels is None else frozenset(labels)
        best: dict[str, tuple[float, int]] = {}
        # Every example close enough to matter, so neither the labels filter nor the tie check
        # depends on how many examples a label happens to have.
        hits = process.extract(norm, self._norms, scorer=fuzz.ratio,
                               score_cutoff=max(0.0, cutoff - TIE_MARGIN), limit=None)
        for _, score, index in hits:
            label = self._labels[index]
            if allowed is not None and label not in allowed:
                continue
            if label not in best or score > best[label][0]:
                best[label] = (score, index)
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda kv: kv[1][0], reverse=True)
        label, (score, index) = ranked[0]
        if score < cutoff:
            return None
        if len(ranked) > 1 and score - ranked[1][1][0] < TIE_MARGIN:
            return None
        return PhraseMatch(label, score, self._examples[index])

    def similar_pairs(self, threshold: float) -> list[tuple[str, str, str, str, float]]:
        """Pairs of examples under different labels that look alike (for authoring lints)."""
        out = []
        for i, a in enumerate(self._norms):
            for j in range(i + 1, len(self._norms)):
                if self._labels[i] == self._labels[j]:
                    continue
                score = fuzz.ratio(a, self._norms[j])
                if score >= threshold:
                    out.append((self._labels[i], self._examples[i], self._labels[j],
                                self._examples[j], score))
        return out
