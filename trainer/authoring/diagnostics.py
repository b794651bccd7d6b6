"""Diagnostics: what ``nextstep validate`` reports, each with a stable code and a place.

Errors are the loader's (``NS1xx``, :class:`~trainer.errors.ScenarioError`): the file cannot be
used. Warnings are the linter's (``NS2xx``): the file loads, but something in it will not
behave as its author expects. Codes never change meaning; the authoring guide explains each.

An author can silence a warning they have decided to keep with a comment on the line of the
node (or on the line just above it)::

    examples: [what about the budget]   # nextstep: ignore NS210

``# nextstep: ignore`` alone silences every warning there; ``# nextstep: ignore-file NS213``
anywhere silences one code in the whole file. Errors cannot be silenced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from trainer.errors import ScenarioError

Severity = Literal["error", "warning"]

#: The linter's codes and what each means (the loader's NS1xx are in the format guide).
LINT_CODES: Mapping[str, str] = MappingProxyType({
    "NS201": "a state that no path from the opening reaches",
    "NS202": "a dead end: once there, only patience or time can end the meeting",
    "NS203": "no path from the opening leads to a won meeting",
    "NS204": "an ending no path reaches",
    "NS205": "a transition that can never fire (shadowed, or its conditions never hold)",
    "NS206": "a stall that confronting never gets past",
    "NS207": "an intent no transition uses",
    "NS208": "a flag never read, or read but never changed",
    "NS209": "an intent example too short to ever match",
    "NS210": "intent examples confusable with another intent's",
    "NS211": "an intent example confusable with a built-in move's phrase",
    "NS212": "an intent example taken by another transition before its own",
    "NS213": "the same line written twice",
    "NS214": "a state's reveal that a transition on confront_stall always answers before",
    "NS215": "an id a shipped scenario has (a file outside the user's scenario folders)",
    "NS216": "a file not named after its id",
})

_IGNORE = re.compile(r"#\s*nextstep:\s*ignore(-file)?\b([^#\n]*)", re.IGNORECASE)
_CODE = re.compile(r"NS\d{3}", re.IGNORECASE)


@dataclass(frozen=True)
class Diagnostic:
    """One finding in one file: where, what code, how bad, and the sentence that explains it."""

    code: str
    severity: Severity
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    path: str | None = None

    @classmethod
    def from_error(cls, error: ScenarioError) -> Diagnostic:
        return cls(error.code, "error", error.message, error.file or "<input>", error.line,
                   error.column, error.path)

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = f" (at {self.path})" if self.path else ""
        return f"{self.location}: {self.severity} {self.code}: {self.message}{where}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "file": self.file, "line": self.line, "column": self.column,
                "path": self.path}


def snippet(source: str, line: int | None, column: int | None, *, width: int = 100) -> list[str]:
    """The source line a diagnostic points at, with a caret under its column."""
    if line is None:
        return []
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return []
    text = lines[line - 1].rstrip().expandtabs(1)
    if column is not None and column > width - 10 and len(text) > width:
        # a long line: show the stretch around the column, so the caret still has a place
        shift = min(column - width // 2, len(text) - (width - 3))
        text = "..." + text[shift + 3:]
        column -= shift
    if len(text) > width:
        text = text[: width - 3] + "..."
    gutter = f"{line:>4} | "
    out = [gutter + text]
    if column is not None and 1 <= column <= len(text) + 1:
        out.append(" " * (len(gutter) - 2) + "| " + " " * (column - 1) + "^")
    return out


@dataclass(frozen=True)
class Suppressions:
    """The ``# nextstep: ignore`` comments of one file."""

    lines: Mapping[int, frozenset[str] | None]  # line -> codes (None: every code)
    file_codes: frozenset[str]

    @classmethod
    def scan(cls, source: str) -> Suppressions:
        lines: dict[int, frozenset[str] | None] = {}
        whole: set[str] = set()
        for number, text in enumerate(source.splitlines(), 1):
            if "nextstep" not in text:
                continue
            m = _IGNORE.search(text)
            if m is None:
                continue
            codes = frozenset(c.upper() for c in _CODE.findall(m.group(2)))
            if m.group(1):
                whole |= codes
                continue
            # A comment alone on its line covers the next line; after a value, its own line.
            target = number + 1 if text.lstrip().startswith("#") else number
            lines[target] = codes or None
        return cls(lines, frozenset(whole))

    def hides(self, d: Diagnostic) -> bool:
        if d.severity == "error":
            return False
        if d.code in self.file_codes:
            return True
        if d.line is None or d.line not in self.lines:
            return False
        codes = self.lines[d.line]
        return codes is None or d.code in codes


def counts(diagnostics: Iterable[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings) among ``diagnostics``."""
    errors = warnings = 0
    for d in diagnostics:
        if d.severity == "error":
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
