"""WebVTT, as Zoom, Teams and Meet export it: a ``WEBVTT`` header, then cues.

NOTE, STYLE and REGION blocks are skipped; a cue may carry an identifier line before its
timing and settings after it.
"""

from __future__ import annotations

from trainer.errors import TranscriptError
from trainer.formats._assemble import assemble
from trainer.formats._cues import Cue, Line, blocks, looks_timed, pieces, timing
from trainer.formats._source import split_lines
from trainer.transcript import Transcript

_EXAMPLE = "00:00:01.000 --> 00:00:04.000"
_SKIPPED = ("NOTE", "STYLE", "REGION")


def read_vtt(text: str, name: str, rep: str | None) -> Transcript:
    """Read a WebVTT transcript."""
    lines = split_lines(text)
    if not _is_header(lines[0]):
        raise TranscriptError(
            "expected the 'WEBVTT' header on the first line; if the file is SRT, pass "
            "--format srt", file=name, line=1)
    cues: list[Cue] = []
    for block in blocks(lines):
        first = block[0][1]
        if block[0][0] == 1:
            # The header block may run straight into a cue without a blank line between.
            block = _after_header(block)
            if not block:
                continue
            first = block[0][1]
        if first.split(None, 1)[0] in _SKIPPED and "-->" not in first:
            continue
        cues.append(_cue(block, name))
    return assemble(pieces(cues, name), name=name, fmt="vtt", rep=rep)


def is_vtt(first_line: str) -> bool:
    """True when a file's first line is a WebVTT header."""
    return _is_header(first_line.lstrip("\ufeff"))


def _is_header(line: str) -> bool:
    return line.rstrip() == "WEBVTT" or line.startswith(("WEBVTT ", "WEBVTT\t"))


def _after_header(block: list[Line]) -> list[Line]:
    for index, (_, text) in enumerate(block):
        if "-->" in text:
            # An identifier line may sit just above the timing, below the header itself.
            return block[max(index - 1, 1):]
    return []


def _cue(block: list[Line], name: str) -> Cue:
    if looks_timed(block[0][1]):
        head, body = block[0], block[1:]
    elif len(block) > 1 and looks_timed(block[1][1]):
        head, body = block[1], block[2:]  # block[0] is the cue identifier
    else:
        raise TranscriptError(
            f"expected a cue timing line like {_EXAMPLE!r} (after an optional cue "
            "identifier); separate cues with one blank line", file=name, line=block[0][0])
    return Cue(timing(head, name, _EXAMPLE), tuple(body))
