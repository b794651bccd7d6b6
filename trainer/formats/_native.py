"""NextStep's own JSON (``Transcript.to_dict``), read back into an equal Transcript.

Roles are stored in the file, so ``rep`` is not consulted. ``meta`` is kept, with ``source``
and ``format`` set to where the transcript was just read from.
"""

from __future__ import annotations

from typing import Any

from rapidfuzz import process, utils

from trainer.errors import TranscriptError
from trainer.formats._jsonshape import describe, expect, field, load
from trainer.moves import ALL_MOVES, Move
from trainer.transcript import FORMAT_NAME, FORMAT_VERSION, ROLES, Event, Transcript, Turn


def read_native(text: str, name: str, rep: str | None) -> Transcript:
    """Read a transcript NextStep wrote; ``rep`` is ignored because roles are stored."""
    doc = load(text, name)
    expect(doc, "(top level)", "an object", name)
    _check_header(doc, name)
    meta = field(doc, "meta", "", "an object", name, default={})
    turns = field(doc, "turns", "", "a list", name)
    events = field(doc, "events", "", "a list", name, default=[])
    return Transcript(
        turns=tuple(_turn(t, f"turns[{i}]", name) for i, t in enumerate(turns)),
        events=tuple(_event(e, f"events[{i}]", name, len(turns))
                     for i, e in enumerate(events)),
        meta={**meta, "source": name, "format": "json"},
    )


def _check_header(doc: dict[str, Any], name: str) -> None:
    kind = doc.get("format")
    if kind != FORMAT_NAME:
        found = "missing" if "format" not in doc else describe(kind)
        hint = (" (this looks like a Gong export: pass --format gong)"
                if "callTranscripts" in doc else "")
        raise TranscriptError(f"field 'format' must be the string {FORMAT_NAME!r}, but it is "
                              f"{found}; this is not a NextStep transcript{hint}", file=name)
    version = field(doc, "version", "", "an integer", name, default=FORMAT_VERSION)
    if not 1 <= version <= FORMAT_VERSION:
        raise TranscriptError(
            f"field 'version' is {version}, but this NextStep reads transcript versions 1 to "
            f"{FORMAT_VERSION}; upgrade NextStep or re-export the transcript", file=name)


def _turn(obj: Any, where: str, name: str) -> Turn:
    expect(obj, where, "an object", name)
    speaker = field(obj, "speaker", where, "a string", name)
    if not speaker.strip():
        raise TranscriptError(f"field '{where}.speaker' is empty; every turn needs a speaker",
                              file=name)
    role = field(obj, "role", where, "a string", name)
    if role not in ROLES:
        raise TranscriptError(f"field '{where}.role' must be 'rep' or 'prospect', but it is "
                              f"{describe(role)}", file=name)
    line = field(obj, "line", where, "an integer", name, default=None)
    if line is not None and line < 1:
        raise TranscriptError(f"field '{where}.line' must be a line number from 1, but it is "
                              f"{line}", file=name)
    moves = field(obj, "moves", where, "a list", name, default=[])
    time = field(obj, "time", where, "a number", name, default=None)
    return Turn(
        speaker=speaker,
        role=role,
        text=field(obj, "text", where, "a string", name),
        moves=tuple(_move(m, f"{where}.moves[{i}]", name) for i, m in enumerate(moves)),
        time=None if time is None else float(time),
        line=line,
    )


def _move(obj: Any, where: str, name: str) -> Move:
    expect(obj, where, "an object", name)
    move = field(obj, "move", where, "a string", name)
    if move not in ALL_MOVES:
        guess = process.extractOne(move, ALL_MOVES, processor=utils.default_process,
                                   score_cutoff=60)
        hint = (f"; did you mean {guess[0]!r}?" if guess
                else f"; known moves: {', '.join(ALL_MOVES)}")
        raise TranscriptError(f"field '{where}.move' is {move!r}, not a known move{hint}",
                              file=name)
    span = field(obj, "span", where, "a list", name)
    if len(span) != 2:
        raise TranscriptError(f"field '{where}.span' must be [start, end], but it holds "
                              f"{len(span)} values", file=name)
    for i, bound in enumerate(span):
        expect(bound, f"{where}.span[{i}]", "an integer", name)
    return Move(name=move, start=span[0], end=span[1],
                text=field(obj, "text", where, "a string", name),
                confidence=float(field(obj, "confidence", where, "a number", name)))


def _event(obj: Any, where: str, name: str, turns: int) -> Event:
    expect(obj, where, "an object", name)
    turn = field(obj, "turn", where, "an integer", name)
    if not 0 <= turn < turns:
        span = f"0 to {turns - 1}" if turns else "none: it has no turns"
        raise TranscriptError(f"field '{where}.turn' is {turn}, but the turns of this "
                              f"transcript are numbered {span}", file=name)
    return Event(turn=turn,
                 kind=field(obj, "kind", where, "a string", name),
                 detail=field(obj, "detail", where, "an object", name, default={}))
