"""The transcript: who said what, the moves seen in each line, and what happened.

A :class:`Transcript` is plain data. Readers for the formats people export (plain text,
WebVTT, SRT, Gong JSON, NextStep JSON) live in :mod:`trainer.formats`; this module holds
the model and NextStep's own JSON form of it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from trainer.moves import Move

Role = Literal["rep", "prospect"]
ROLES: tuple[Role, ...] = ("rep", "prospect")

#: Speaker names that mean "the rep" or "the prospect" when no ``--rep`` is given.
REP_NAMES = frozenset({"rep", "seller", "me", "trainee", "salesperson", "sales rep", "ae"})
PROSPECT_NAMES = frozenset({"prospect", "buyer", "customer", "client", "lead"})

FORMAT_NAME = "nextstep-transcript"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Turn:
    """One speaker's turn: consecutive lines by one speaker are one turn."""

    speaker: str
    role: Role
    text: str
    moves: tuple[Move, ...] = ()
    time: float | None = None  # seconds from the start of the call, when known
    line: int | None = None  # 1-based line in the source file, when read from one

    def has(self, move: str) -> bool:
        """True when the classifier tagged this turn with ``move``."""
        return any(m.name == move for m in self.moves)


@dataclass(frozen=True)
class Event:
    """Something the engine decided during a practice run (stall raised, slot accepted…)."""

    turn: int
    kind: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Transcript:
    """A whole conversation, in order."""

    turns: tuple[Turn, ...]
    events: tuple[Event, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """NextStep's own JSON form; :func:`trainer.formats.read` reads it back."""
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "meta": dict(self.meta),
            "turns": [_turn_dict(t) for t in self.turns],
            "events": [{"turn": e.turn, "kind": e.kind,
                        **({"detail": e.detail} if e.detail else {})} for e in self.events],
        }


def _turn_dict(turn: Turn) -> dict[str, Any]:
    out: dict[str, Any] = {"speaker": turn.speaker, "role": turn.role, "text": turn.text}
    out["moves"] = [m.to_dict() for m in turn.moves]
    if turn.time is not None:
        out["time"] = turn.time
    if turn.line is not None:
        out["line"] = turn.line
    return out


def save(transcript: Transcript, path: str | os.PathLike[str]) -> None:
    """Write ``transcript`` as NextStep JSON, atomically (a crash never leaves half a file)."""
    from trainer.paths import write_atomic

    write_atomic(Path(path), json.dumps(transcript.to_dict(), indent=2, ensure_ascii=False) + "\n")
