"""Plain-terminal rendering of scorecards: colour when it helps, never when it is unwanted.

Colour is used only on a terminal, never when ``NO_COLOR`` is set (https://no-color.org) or
``TERM=dumb``; symbols fall back to ASCII when the output encoding cannot show them. Lines fit
80 columns.
"""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from dataclasses import dataclass
from typing import TextIO

from trainer.rubric import CRITERIA, Scorecard
from trainer.scoring import half_up
from trainer.transcript import Transcript

_COLOURS = {"pass": "32", "partial": "33", "fail": "31", "n/a": "2", "bold": "1", "dim": "2"}
_UNICODE = {"pass": "✓", "partial": "◐", "fail": "✗", "n/a": "–"}
_ASCII = {"pass": "+", "partial": "~", "fail": "x", "n/a": "-"}
SHORT = {"ask_next_step": "ask", "confront_stall": "stall", "secure_date": "date",
         "prospect_task": "task", "recap": "recap"}


@dataclass(frozen=True)
class Style:
    """How to draw for one output stream."""

    colour: bool
    unicode: bool
    width: int = 80

    @classmethod
    def for_stream(cls, stream: TextIO, colour: str = "auto") -> Style:
        if colour == "always":
            use = True
        elif colour == "never":
            use = False
        else:
            use = (hasattr(stream, "isatty") and stream.isatty()
                   and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb")
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            "✓◐✗–│".encode(encoding)
            uni = True
        except (UnicodeEncodeError, LookupError):
            uni = False
        width = 80
        if hasattr(stream, "isatty") and stream.isatty():
            width = max(60, min(100, shutil.get_terminal_size((80, 24)).columns))
        return cls(use, uni, width)

    def paint(self, text: str, what: str) -> str:
        code = _COLOURS.get(what)
        return f"\033[{code}m{text}\033[0m" if self.colour and code else text

    def mark(self, verdict: str) -> str:
        return self.paint((_UNICODE if self.unicode else _ASCII)[verdict], verdict)


def scorecard(card: Scorecard, style: Style, *, title: str | None = None) -> str:
    """A readable scorecard: verdict per criterion, the lines that earned it, a tip."""
    w = style.width
    lines: list[str] = []
    head = title or str(card.meta.get("source", "conversation"))
    score = f"score {card.score}/100"
    lines.append(style.paint(fit(head, w - len(score) - 2), "bold")
                 + " " * max(2, w - len(fit(head, w - len(score) - 2)) - len(score))
                 + style.paint(score, "bold"))
    for c in card.criteria:
        label = c.verdict.upper()
        weight = "" if c.weight == 1 else f"  (weight {c.weight:g})"
        lines.append(f"  {style.mark(c.verdict)} {style.paint(f'{label:<8}', c.verdict)}"
                     f"{c.title}{weight}")
        for e in c.evidence[:4]:
            quote = fit(e.text, 200)
            text = f'#{e.turn} {e.speaker}: "{quote}" ({e.why})'
            lines.extend(wrap(text, w, "      ", "        "))
        if len(c.evidence) > 4:
            lines.append(f"      … and {len(c.evidence) - 4} more" if style.unicode
                         else f"      ... and {len(c.evidence) - 4} more")
        if c.tip:
            tip = wrap(f"Tip: {c.tip}", w, "      ", "           ")
            lines.extend(style.paint(t, "dim") for t in tip)
    return "\n".join(lines)


def conversation(transcript: Transcript, style: Style) -> str:
    """The conversation as the terminal shows it: speaker, then the line, wrapped."""
    out: list[str] = []
    for turn in transcript.turns:
        who = style.paint(f"{turn.speaker}:", "bold" if turn.role == "rep" else "dim")
        lines = wrap(turn.text, style.width, " " * (columns(turn.speaker) + 2),
                     " " * (columns(turn.speaker) + 2))
        out.append(who + lines[0][columns(turn.speaker) + 1:] if lines else who)
        out.extend(lines[1:])
    return "\n".join(out)


def summary(rows: list[tuple[str, Scorecard | None]], style: Style,
            min_score: float | None = None) -> str:
    """One line per file: score and a mark per criterion; failures to read shown as such,
    and with ``min_score`` the files that scored below it named at the end."""
    w = style.width
    cols = "".join(f"{SHORT[c]:>7}" for c in CRITERIA)
    name_w = max(12, w - len(cols) - 8)
    out = [style.paint(f"{'file':<{name_w}} {'score':>5} {cols}", "bold")]
    for name, card in rows:
        shown = fit(name, name_w, keep_end=True)
        if card is None:
            out.append(f"{shown:<{name_w}} {style.paint('error', 'fail'):>5}")
            continue
        marks = "".join(" " * 6 + style.mark(card.criterion(c).verdict) for c in CRITERIA)
        score = f"{card.score:>5}"
        if min_score is not None and card.score < min_score:
            score = style.paint(score, "fail")
        out.append(f"{shown:<{name_w}} {score} {marks}")
    graded = [c for _, c in rows if c is not None]
    if graded:
        mean = half_up(sum(c.score for c in graded) / len(graded))
        out.append(f"{len(graded)} graded, mean score {mean}/100"
                   + (f", {len(rows) - len(graded)} unreadable" if len(graded) < len(rows) else ""))
    below = [name for name, card in rows if card is not None and min_score is not None
             and card.score < min_score]
    if below:
        out.append(f"{len(below)} below --min-score {min_score:g}: {', '.join(below)}")
    return "\n".join(out)


def columns(text: str) -> int:
    """Terminal columns ``text`` takes: wide (CJK) characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    """Word-wrap ``text`` to ``width`` terminal columns (not characters), breaking long words
    and unspaced scripts where they must."""
    lines: list[str] = []
    line, used = first, columns(first)
    for word in text.split():
        need = columns(word) + (0 if line.strip() == "" else 1)
        if used + need > width and line.strip():
            lines.append(line)
            line, used = rest, columns(rest)
            need = columns(word)
        if used + need > width:  # a word longer than a line: break it by columns
            for ch in word:
                if used + columns(ch) > width:
                    lines.append(line)
                    line, used = rest, columns(rest)
                line += ch
                used += columns(ch)
            continue
        line += (" " if line.strip() else "") + word
        used += need
    if line.strip():
        lines.append(line)
    return lines


def fit(text: str, width: int, *, keep_end: bool = False, ellipsis: str = "...") -> str:
    """``text`` on one line in ``width`` characters: cut at the end, or at the start with
    ``keep_end`` (a file path, whose name is at its end)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    keep = width - len(ellipsis)
    return ellipsis + text[len(text) - keep:] if keep_end else text[:keep] + ellipsis


def stderr_style() -> Style:
    return Style.for_stream(sys.stderr)
