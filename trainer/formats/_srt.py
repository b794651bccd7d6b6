"""SRT subtitles: numbered cues, ``00:00:01,000 --> 00:00:04,000`` timings, ``Name: text``."""

from __future__ import annotations

from trainer.errors import TranscriptError
from trainer.formats._assemble import assemble
from trainer.formats._cues import Cue, blocks, pieces, timing
from trainer.formats._source import split_lines
from trainer.transcript import Transcript

_EXAMPLE = "00:00:01,000 --> 00:00:04,000"


def read_srt(text: str, name: str, rep: str | None) -> Transcript:
    """Read an SRT transcript."""
    cues: list[Cue] = []
    for block in blocks(split_lines(text)):
        (number, first), rest = block[0], block[1:]
        if "-->" in first:  # some tools leave out the cue numbers
            head, body = block[0], rest
        elif first.isdigit() and rest:
            head, body = rest[0], rest[1:]  # timing() reports it if it is not a timing
        elif first.isdigit():
            raise TranscriptError(f"cue {first} has no timing line; expected a line like "
                                  f"{_EXAMPLE!r} below its number", file=name, line=number)
        else:
            raise TranscriptError(
                f"expected a cue number, then a timing line like {_EXAMPLE!r}; separate cues "
                "with one blank line", file=name, line=number)
        cues.append(Cue(timing(head, name, _EXAMPLE), tuple(body)))
    return assemble(pieces(cues, name), name=name, fmt="srt", rep=rep)


def looks_like_srt(lines: list[str]) -> bool:
    """True when the first non-blank lines are a cue number and a timing."""
    filled = [line.strip() for line in lines[:20] if line.strip()][:2]
    return len(filled) == 2 and filled[0].isdigit() and "-->" in filled[1]
