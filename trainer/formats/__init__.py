"""Transcript readers: plain text, WebVTT, SRT, Gong JSON and NextStep's own JSON.

::

    from trainer.formats import read
    transcript = read("call.vtt", rep="Dana")   # format from the extension and the content

Every reader gives a :class:`~trainer.transcript.Transcript` whose turns know their role
("rep" or "prospect"), source line and start time where the format has them, or raises
:class:`~trainer.errors.TranscriptError` saying which line is wrong and what was expected.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import process, utils

from trainer.errors import TranscriptError
from trainer.formats._gong import gong_calls, read_gong
from trainer.formats._native import read_native
from trainer.formats._source import check, decode, split_lines
from trainer.formats._srt import looks_like_srt, read_srt
from trainer.formats._text import read_text
from trainer.formats._vtt import is_vtt, read_vtt
from trainer.transcript import FORMAT_NAME, Transcript

__all__ = ["FORMATS", "calls_in", "detect", "parse", "read"]

#: Format names for ``format=`` (and ``--format``), in the order ``--help`` shows them.
FORMATS: tuple[str, ...] = ("text", "vtt", "srt", "gong", "json")

_READERS: dict[str, Callable[[str, str, str | None], Transcript]] = {
    "text": read_text,
    "vtt": read_vtt,
    "srt": read_srt,
    "gong": read_gong,
    "json": read_native,
}
_EXTENSIONS = {".txt": "text", ".text": "text", ".vtt": "vtt", ".srt": "srt"}
_ALIASES = {"txt": "text", "plain": "text", "webvtt": "vtt", "nextstep": "json"}


def read(path: str | os.PathLike[str], *, format: str | None = None,
         rep: str | None = None, call: int | None = None) -> Transcript:
    """Read a transcript file; ``format`` overrides detection, ``rep`` names the rep.

    ``rep`` matches a speaker case-insensitively, or by a unique first name or prefix
    ("Dana" for "Dana Whitfield"); for Gong exports it is the rep's speaker id, and ``call``
    picks one call (from 1) of an export holding several.
    """
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise TranscriptError(f"cannot be read: {reason}; check the path", file=name) from None
    return parse(data, name=name, format=format, rep=rep, call=call)


def calls_in(path: str | os.PathLike[str]) -> int:
    """How many calls a file holds: several for a Gong export of several calls, else 1 (a
    file that cannot be read, or an empty export, counts 1: reading it says what is wrong)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return 1
    if b"callTranscripts" not in data[:65536]:
        return 1
    try:
        return max(1, gong_calls(data.decode("utf-8-sig")))
    except UnicodeDecodeError:
        return 1


def parse(text: str | bytes, *, name: str = "<stdin>", format: str | None = None,
          rep: str | None = None, call: int | None = None) -> Transcript:
    """Read a transcript from its text (or raw bytes); ``name`` is used in errors and detection.

    NextStep JSON stores each turn's role, so ``rep`` does not apply to it. ``call`` picks
    one call (from 1) of a Gong export holding several; errors then name it ``name#call``.
    """
    source = decode(bytes(text), name) if isinstance(text, bytes | bytearray) else check(text, name)
    fmt = detect(source, name) if format is None else _format(format, name)
    if call is None:
        return _READERS[fmt](source, name, rep)
    if fmt != "gong":
        raise TranscriptError("only a Gong export holds several calls", file=f"{name}#{call}")
    return read_gong(source, f"{name}#{call}", rep, call=call)


def detect(text: str, name: str = "<stdin>") -> str:
    """The format of a transcript, from its content where that is telling, else its extension."""
    body = text.lstrip("\ufeff")
    head = split_lines(body[:4096])
    if is_vtt(head[0]):
        return "vtt"
    extension = os.path.splitext(name)[1].lower()
    if body.lstrip().startswith("{") or extension == ".json":
        if '"callTranscripts"' in body and f'"{FORMAT_NAME}"' not in body:
            return "gong"
        return "json"
    if looks_like_srt(head):
        return "srt"
    return _EXTENSIONS.get(extension, "text")


def _format(format: str, name: str) -> str:
    wanted = format.strip().lower()
    wanted = _ALIASES.get(wanted, wanted)
    if wanted in _READERS:
        return wanted
    guess = process.extractOne(format, FORMATS, processor=utils.default_process, score_cutoff=50)
    hint = f" Did you mean {guess[0]!r}?" if guess else ""
    raise TranscriptError(f"unknown transcript format {format!r}; choose one of "
                          f"{', '.join(FORMATS)}.{hint}", file=name)
