"""Plain text: ``Speaker: text`` lines, optionally after a ``[HH:MM:SS]`` timestamp.

A line without a speaker continues the turn above only when it is indented deeper than
that turn's first line; anything else is reported, never guessed.
"""

from __future__ import annotations

import re

from trainer.errors import TranscriptError
from trainer.formats._assemble import Piece, assemble
from trainer.formats._source import split_lines
from trainer.formats._speakers import split_speaker
from trainer.transcript import Transcript

# "[01:02:03]", "[02:03]" (minutes may pass 59 without hours), "[01:02:03.5]".
_BRACKETED = re.compile(r"\[\s*(?:(\d{1,3}):)?(\d{1,4}):(\d{1,2})(?:[.,](\d{1,3}))?\s*\]\s*")
# A bare "01:02:03" must carry hours, or "10:30 works" would read as a timestamp.
_BARE = re.compile(r"(\d{1,3}):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?(?:\s+|$)")
_PREVIEW = 60


# The header lines call notes and exports put above the conversation: not speakers.
# (Not "Host": that is a speaker in some exports.)
HEADER_KEYS = frozenset({"meeting", "date", "time", "attendees", "participants", "title",
                         "subject", "topic", "duration", "location", "recording", "agenda",
                         "organizer", "organiser"})


def read_text(text: str, name: str, rep: str | None) -> Transcript:
    """Read a plain-text transcript."""
    heads: list[tuple[str, int, float | None]] = []  # speaker, line, time of each piece
    parts: list[list[str]] = []  # its text, a list so long continuations stay linear
    indent = 0  # indentation of the current piece's first line
    header: int | None = None  # indentation of a skipped header line, whose value may run on
    for number, raw in enumerate(split_lines(text), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        depth = len(raw) - len(raw.lstrip())
        if header is not None and not parts and depth > header:
            continue  # "Attendees:" followed by indented names
        header = None
        time, body = _timestamp(stripped, number, name)
        if parts and depth > indent and time is None:
            parts[-1].append(body)
            continue
        found = split_speaker(body)
        if found is None:
            raise TranscriptError(_expected(stripped, continuing=bool(parts)), file=name,
                                  line=number)
        if not parts and time is None and found[0].casefold() in HEADER_KEYS:
            header = depth  # "Meeting: ...", "Date: ...", "Attendees: ..." above the first turn
            continue
        heads.append((found[0], number, time))
        parts.append([found[1]])
        indent = depth
    pieces = [Piece(speaker, " ".join(p for p in texts if p), line, time)
              for (speaker, line, time), texts in zip(heads, parts, strict=True)]
    return assemble(pieces, name=name, fmt="text", rep=rep)


def _timestamp(body: str, number: int, name: str) -> tuple[float | None, str]:
    """Split a leading timestamp off a line: ``(seconds, rest)``, or ``(None, body)``."""
    match = _BRACKETED.match(body) or _BARE.match(body)
    if match is None:
        return None, body
    hours, minutes, seconds, fraction = match.groups()
    if int(seconds) > 59 or (hours is not None and int(minutes) > 59):
        raise TranscriptError(
            f"timestamp {match.group().strip()!r} is not a time of the call; "
            "write it as [HH:MM:SS] or [MM:SS]", file=name, line=number)
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return total + (int(fraction) / 10 ** len(fraction) if fraction else 0.0), body[match.end():]


def _expected(body: str, *, continuing: bool) -> str:
    shown = body if len(body) <= _PREVIEW else body[:_PREVIEW] + "…"
    fix = ("start it with the speaker's name and a colon, or indent it to continue the turn above"
           if continuing else "start it with the speaker's name and a colon, e.g. 'Rep: Hello'")
    return f"expected 'Speaker: text' but found {shown!r}; {fix}"
