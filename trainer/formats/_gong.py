"""Gong's transcript export: monologues by speaker id, each a list of timed sentences.

Gong names speakers by id only, so the rep is whoever ``rep`` names; nothing is guessed.
"""

from __future__ import annotations

from typing import Any

from trainer.errors import TranscriptError
from trainer.formats._assemble import Piece, assemble
from trainer.formats._jsonshape import expect, field, load
from trainer.transcript import Transcript


def read_gong(text: str, name: str, rep: str | None) -> Transcript:
    """Read a Gong ``callTranscripts`` export holding one call."""
    doc = load(text, name)
    expect(doc, "(top level)", "an object", name)
    calls = field(doc, "callTranscripts", "", "a list", name)
    if not calls:
        raise TranscriptError("field 'callTranscripts' is empty: the export holds no call to "
                              "grade", file=name)
    if len(calls) != 1:
        raise TranscriptError(
            f"field 'callTranscripts' holds {len(calls)} calls; a transcript is one call, so "
            "export each call to its own file", file=name)
    call = calls[0]
    expect(call, "callTranscripts[0]", "an object", name)
    call_id = call.get("callId")
    pieces: list[Piece] = []
    monologues = field(call, "transcript", "callTranscripts[0]", "a list", name)
    for m, monologue in enumerate(monologues):
        where = f"callTranscripts[0].transcript[{m}]"
        expect(monologue, where, "an object", name)
        speaker = _speaker_id(monologue, where, name)
        sentences = field(monologue, "sentences", where, "a list", name)
        for s, sentence in enumerate(sentences):
            at = f"{where}.sentences[{s}]"
            expect(sentence, at, "an object", name)
            start = field(sentence, "start", at, "a number", name)
            said = field(sentence, "text", at, "a string", name).strip()
            if said:
                pieces.append(Piece(speaker, said, None, start / 1000))
    meta: dict[str, Any] = {} if call_id is None else {"callId": call_id}
    return assemble(pieces, name=name, fmt="gong", rep=rep, meta=meta, by_id=True)


def _speaker_id(monologue: dict[str, Any], where: str, name: str) -> str:
    # Gong writes ids as strings of digits; some tools re-serialise them as numbers.
    value = monologue.get("speakerId")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    speaker = str(field(monologue, "speakerId", where, "a string", name)).strip()
    if not speaker:
        raise TranscriptError(f"field '{where}.speakerId' is empty; every monologue needs "
                              "the id of its speaker", file=name)
    return speaker
