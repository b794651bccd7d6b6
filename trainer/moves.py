"""The moves classifier: which next-step moves a line makes, and the words that show it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REP_MOVES: tuple[str, ...] = (
    "ask_next_step",
    "tell_next_step",
    "propose_time",
    "vague_time",
    "assign_task",
    "confront_stall",
    "accept_stall",
    "recap",
)
PROSPECT_MOVES: tuple[str, ...] = ("stall", "agree", "objection", "decline")
ALL_MOVES: tuple[str, ...] = REP_MOVES + PROSPECT_MOVES


@dataclass(frozen=True)
class Move:
    """One move found in a line: its name, the span of text that shows it, a confidence."""

    name: str
    start: int
    end: int
    text: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "move": self.name,
            "span": [self.start, self.end],
            "text": self.text,
            "confidence": round(self.confidence, 3),
        }
