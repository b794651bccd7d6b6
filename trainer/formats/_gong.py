"""Gong's transcript export: monologues by speaker id, each a list of timed sentences.

Gong names speakers by id only, so the rep is whoever ``rep`` names; nothing is guessed.
"""

from __future__ import annotations

import json
from typing import Any

from trainer.errors import TranscriptError
from trainer.formats._assemble import Piece, assemble
from trainer.formats._jsonshape import expect, field, load
from trainer.transcript import Transcript


def read_gong(text: str, name: str, rep: str | None, call: int | None = None) -> Transcript:
    """Read a Gong ``callTranscripts`` export: its one call, or call number ``call`` (from 1)
    of an export holding several (``nextstep grade`` grades each as ``FILE#N``)."""
    doc = load(text, name)
    expect(doc, "(top level)", "an object", name)
    calls = field(doc, "callTranscripts", "", "a list", name)
    if not calls:
        raise TranscriptError("field 'callTranscripts' is empty: the export holds no call to "
                              "grade", file=name)
    if call is None and len(calls) != 1:
        raise TranscriptError(
            f"field 'callTranscripts' holds {len(calls)} calls; grade the file with 'nextstep "
            "grade', which grades each call, or read one with call=N", file=name)
    index = 0 if call is None else call - 1
    if not 0 <= index < len(calls):
        raise TranscriptError(f"the export holds {len(calls)} calls; there is no call {call}",
                              file=name)
    one = calls[index]
    expect(one, f"callTranscripts[{index}]", "an object", name)
    call_id = one.get("callId")
    pieces: list[Piece] = []
    monologues = field(one, "transcript", f"callTranscripts[{index}]", "a list", name)
    for m, monologue in enumerate(monologues):
        where = f"callTranscripts[{index}].transcript[{m}]"
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


def gong_calls(text: str) -> int:
    """How many calls a Gong export holds (0 when ``text`` is not one)."""
    try:
        doc = json.loads(text)
    except ValueError:
        return 0
    calls = doc.get("callTranscripts") if isinstance(doc, dict) else None
    return len(calls) if isinstance(calls, list) else 0
