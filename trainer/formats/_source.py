"""From bytes to lines: the encodings exports come in, and a guard against binary files."""

from __future__ import annotations

import codecs
import re
import unicodedata

from trainer.errors import TranscriptError

# C0 controls other than tab, newline, vertical tab, form feed and carriage return, then DEL
# and the C1 block. Real transcripts hold almost none; binary files and text decoded with
# the wrong codec are full of them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# A few stray controls (a DOS end-of-file mark, a pasted escape) should not sink a file.
_MAX_CONTROL_SHARE = 0.05
_STRAY_CONTROLS = 3


def decode(data: bytes, name: str) -> str:
    """Decode a transcript file: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252 or
    Latin-1."""
    if not data:
        raise TranscriptError(_EMPTY, file=name)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        try:
            text = data[2:].decode(codec)
        except UnicodeDecodeError:
            raise TranscriptError(
                "starts with a UTF-16 byte-order mark but is not valid UTF-16; "
                "re-save it as UTF-8", file=name) from None
        if b"\n" in data and "\n" not in text and any(
                unicodedata.category(c) in ("Cn", "Co") for c in text):
            # its line breaks are not UTF-16 line breaks: binary, or another encoding
            raise TranscriptError(
                "starts with a UTF-16 byte-order mark but does not read as UTF-16 text (none "
                "of its line breaks decode); it is binary, or re-save it as UTF-8", file=name)
        return check(text, name)
    try:
        return check(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    # Not UTF-8: most likely an older Windows or Latin-1 export. Windows-1252 is Latin-1
    # with printable curly quotes and dashes where Latin-1 has control codes, so try it first.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return check(text, name)


def check(text: str, name: str) -> str:
    """Return ``text`` without a leading BOM, or raise when it is empty or not text at all."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise TranscriptError(_EMPTY, file=name)
    if "\x00" in text:
        raise TranscriptError(
            "does not look like a transcript: it contains NUL bytes, so it is binary or "
            "UTF-16 without a byte-order mark; export the transcript as text (UTF-8)", file=name)
    controls = len(_CONTROL.findall(text))
    if controls > _STRAY_CONTROLS and controls > _MAX_CONTROL_SHARE * len(text):
        raise TranscriptError(
            f"does not look like a transcript: {controls} of its {len(text)} characters are "
            "control codes; export the transcript as text (UTF-8)", file=name)
    return text


def split_lines(text: str) -> list[str]:
    """Lines as editors number them: split on LF, CRLF or a lone CR, and nothing else."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


_EMPTY = ("is empty; expected a transcript (plain 'Speaker: text' lines, WebVTT, SRT, "
          "a Gong export or NextStep JSON)")
