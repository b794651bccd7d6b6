"""From what a reader found (pieces of speech) to a :class:`Transcript` with turns and roles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from trainer.errors import TranscriptError
from trainer.formats._speakers import assign_roles, canonical, key
from trainer.transcript import Transcript, Turn


@dataclass(frozen=True)
class Piece:
    """One stretch of speech as a format holds it: a line, a cue, a Gong monologue."""

    speaker: str
    text: str
    line: int | None = None
    time: float | None = None


def assemble(pieces: Iterable[Piece], *, name: str, fmt: str, rep: str | None,
             meta: Mapping[str, Any] | None = None, by_id: bool = False) -> Transcript:
    """Merge consecutive pieces by one speaker into turns and give each turn its role."""
    merged: list[tuple[Piece, list[str]]] = []
    spelling: dict[str, str] = {}  # key -> the first spelling seen, used for every turn
    for piece in pieces:
        k = key(piece.speaker)
        spelling.setdefault(k, canonical(piece.speaker))
        if merged and key(merged[-1][0].speaker) == k:
            merged[-1][1].append(piece.text)
        else:
            merged.append((piece, [piece.text]))
    if not merged:
        raise TranscriptError("holds no speech: no line names a speaker; expected "
                              "'Speaker: text' lines or cues", file=name)
    roles = assign_roles(list(spelling.values()), rep, name, by_id=by_id)
    turns = tuple(
        Turn(speaker=spelling[key(first.speaker)], role=roles[key(first.speaker)],
             text=" ".join(t for t in texts if t), time=first.time, line=first.line)
        for first, texts in merged)
    return Transcript(turns=turns, meta={"source": name, "format": fmt, **(meta or {})})
