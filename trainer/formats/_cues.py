"""What WebVTT and SRT share: blank-line blocks, cue timings, and who speaks in a cue.

Speakers come from ``<v Name>`` voice tags (Teams, Meet) or a ``Name:`` prefix on a cue's
first line (Zoom). A cue with neither continues the speaker before it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from trainer.errors import TranscriptError
from trainer.formats._assemble import Piece
from trainer.formats._speakers import canonical, split_speaker

Line = tuple[int, str]  # 1-based line number, text

# "01:02:03.456", "02:03.456", SRT's "01:02:03,456"; hours may run long, fractions short.
_TIME = re.compile(r"(?:(\d{1,5}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?")
# Character classes stop at "<" so a line full of unclosed "<" stays linear.
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?(?:[ \t]+([^<>]*))?>")
_TIMED = re.compile(r"\d{1,5}:\d")  # how a timing line starts, even a broken one
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[\d:.]*>")
_PREVIEW = 60


@dataclass(frozen=True)
class Cue:
    """A timed cue: its start in seconds and its text lines."""

    start: float
    text: tuple[Line, ...]


def blocks(lines: list[str]) -> Iterator[list[Line]]:
    """Runs of non-blank lines, each line with its number."""
    block: list[Line] = []
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            block.append((number, raw.strip()))
        elif block:
            yield block
            block = []
    if block:
        yield block


def looks_timed(text: str) -> bool:
    """True for a timing line, or a broken one that starts like a time."""
    return "-->" in text or _TIMED.match(text) is not None


def timing(line: Line, name: str, example: str) -> float:
    """The start, in seconds, of a timing line ``start --> end [settings]``."""
    number, text = line
    left, _, right = text.partition("-->")
    rest = right.split(None, 1)
    start = _seconds(left.strip())
    if start is None or not rest or _seconds(rest[0]) is None:
        shown = text if len(text) <= _PREVIEW else text[:_PREVIEW] + "…"
        raise TranscriptError(f"malformed cue timing {shown!r}; expected a line like "
                              f"{example!r}", file=name, line=number)
    return start


def pieces(cues: list[Cue], name: str) -> list[Piece]:
    """Who says what in each cue; a cue without a speaker continues the one before."""
    out: list[Piece] = []
    speaker: str | None = None
    for cue in cues:
        voice: str | None = None  # a voice tag holds across the lines of its cue
        for index, (number, raw) in enumerate(cue.text):
            for tagged, text in _segments(raw, voice):
                voice = tagged
                if not text:
                    continue
                who = tagged
                if who is None and index == 0:
                    found = split_speaker(text)
                    if found is not None:
                        who, text = found
                if who is None and speaker is None:
                    raise TranscriptError(
                        "cue names no speaker and none came before it; expected a "
                        "'<v Name>' voice tag or 'Name: text'", file=name, line=number)
                speaker = who or speaker
                if speaker is not None:
                    out.append(Piece(speaker, text, number, cue.start))
    return out


def _segments(raw: str, voice: str | None) -> Iterator[tuple[str | None, str]]:
    """Split a cue line at voice tags: ``(voice or None, clean text)`` for each stretch."""
    start = 0
    for tag in _VOICE.finditer(raw):
        if tag.start() > start:
            yield voice, _clean(raw[start:tag.start()])
        voice = canonical(tag.group(1) or "") or voice
        start = tag.end()
    yield voice, _clean(raw[start:])


def _clean(text: str) -> str:
    """Cue text without markup: tags dropped, then entities like ``&amp;`` decoded."""
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _seconds(token: str) -> float | None:
    if len(token) > 20:
        return None
    match = _TIME.fullmatch(token)
    if match is None:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if int(seconds) > 59 or (hours is not None and int(minutes) > 59):
        return None
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return total + (int(fraction) / 10 ** len(fraction) if fraction else 0.0)
