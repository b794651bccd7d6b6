"""What a YAML syntax error means, said at the place that needs fixing.

PyYAML notices an unclosed ``[``, ``{`` or quote only where the text runs out of what could
close it, often lines later or at the end of the file. The fix belongs where it opened, and
PyYAML knows that place (its ``context_mark``): the error is reported there, naming both.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

# PyYAML's context for an unclosed opener: what it opens, the opener, how to fix it.
_UNCLOSED = {
    "while parsing a flow sequence": (
        "list", "'['", "Close it with ']', or quote the whole value if the '[' is text."),
    "while parsing a flow mapping": (
        "mapping", "'{'", "Close it with '}', or quote the whole value if the '{' is text."),
    "while scanning a quoted scalar": (
        "quoted text", "quote mark", "Close it with the same mark. Inside the text, write a "
        "single quote as '' in '...' and a double quote as \\\" in \"...\"."),
}
_HINT = ("A line with ': ' or a leading '-', '{', '[', '*', '&', '!' or '#' in it may need "
         "quotes.")


class YamlProblem(NamedTuple):
    """A syntax error in words, with its 1-based line and column where known."""

    message: str
    line: int | None
    column: int | None


def _position(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


def describe(error: Exception, text: str) -> YamlProblem:
    """The message and place of a PyYAML error raised while reading ``text``."""
    position = getattr(error, "position", None)
    character = getattr(error, "character", None)
    if isinstance(position, int) and isinstance(character, int):  # a character YAML refuses
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        if character == 0 and text.count("\0") * 4 >= len(text):
            return YamlProblem("the file looks like UTF-16 text without a byte-order mark; "
                               "save it as UTF-8", line, column)
        return YamlProblem(f"YAML syntax error: the character U+{character:04X} is not "
                           "allowed in YAML; delete it or retype the text around it",
                           line, column)
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or "the YAML cannot be read"
    context = getattr(error, "context", None)
    mark = problem_mark or context_mark
    unclosed = _UNCLOSED.get(context or "")
    if unclosed is not None and context_mark is not None and problem_mark is not None \
            and (problem_mark.line, problem_mark.column) > (context_mark.line,
                                                            context_mark.column):
        what, opener, fix = unclosed
        found = ("the file ended" if "end of stream" in problem or "<stream end>" in problem
                 else f"{problem} at {_position(problem_mark)}")
        lines = text.splitlines()
        inside = lines[context_mark.line][context_mark.column:] \
            if context_mark.line < len(lines) else ""
        quotes = [m.start() for m in _DQUOTE.finditer(inside)]
        if opener != "quote mark" and len(quotes) % 2:
            # {say: "Thanks, that was interesting   : the quote is what is open, not the '{'
            return YamlProblem(
                f'YAML syntax error: the quoted text this " opens inside the {what} is not '
                f'closed on its line ({found}). Close it with " on this line.',
                context_mark.line + 1, context_mark.column + quotes[-1] + 1)
        single = _open_single_quote(inside) if opener != "quote mark" else None
        if single is not None:
            # {say: 'So what are you suggesting?, goto: x}: likewise with a single quote
            return YamlProblem(
                f"YAML syntax error: the quoted text this ' opens inside the {what} is not "
                f"closed on its line ({found}). Close it with ' on this line; inside '...' "
                "write an apostrophe twice ('I''ll').",
                context_mark.line + 1, context_mark.column + single + 1)
        return YamlProblem(
            f"YAML syntax error: the {what} that this {opener} opens is not closed "
            f"({found}). {fix}",
            context_mark.line + 1, context_mark.column + 1)
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        return YamlProblem("YAML syntax error: a tab character. YAML indents with spaces "
                           "only: replace the tab with spaces.", mark.line + 1, mark.column + 1)
    apostrophe = _apostrophe(text, mark)
    if apostrophe is not None:
        return apostrophe
    runaway = _runaway_quote(text, mark) or _runaway_single_quote(text, mark)
    if runaway is not None:
        return runaway
    indent = _indentation(problem, context, text, mark)
    if indent is not None and mark is not None:
        return YamlProblem(f"YAML syntax error: {indent}", mark.line + 1, mark.column + 1)
    detail = f" ({context})" if context else ""
    return YamlProblem(f"YAML syntax error: {problem}{detail}. {_HINT}",
                       mark.line + 1 if mark else None, mark.column + 1 if mark else None)


def _apostrophe(text: str, mark: Any) -> YamlProblem | None:
    """``won: 'Great. I'll send it'``: the apostrophe closes the single-quoted text early, and
    PyYAML complains about what follows it."""
    if mark is None:
        return None
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    opening = line.find(": '")
    if opening < 0 or mark.column <= opening + 3:
        return None
    inside = line[opening + 3:mark.column + 1]
    word = re.search(r"\w'\w", inside)
    if word is None:
        return None
    column = opening + 3 + word.start() + 2
    return YamlProblem(
        "YAML syntax error: this apostrophe ends the text that the ' before it began. Inside "
        "'...' write an apostrophe twice ('I''ll'), or put the text in double quotes.",
        mark.line + 1, column)


def _runaway_quote(text: str, mark: Any) -> YamlProblem | None:
    """``say: "It's David`` with no closing quote: the text runs on over the next lines until
    the next '"' closes it, and PyYAML stumbles on what follows that one, lines below (often
    as if it were an indentation mistake). Found close to the error only: the nearest line
    above it with a double quote leaves one open at a value's start, the lines between hold
    none, and a quote on the error's line, before the error, is the one that closed it."""
    if mark is None:
        return None
    lines = text.splitlines()
    if mark.line >= len(lines):
        return None
    here = [m.start() for m in _DQUOTE.finditer(lines[mark.line][:mark.column])]
    if len(here) % 2 == 0:
        return None
    for n in range(mark.line - 1, -1, -1):
        quotes = [m.start() for m in _DQUOTE.finditer(lines[n])]
        if not quotes:
            continue
        opening = quotes[-1]
        if len(quotes) % 2 == 0 or _in_block_text(lines, n) or not re.search(
                r"(?:^|[:\-\[,{]\s*)(?:!!?\w+\s+)?$", lines[n][:opening]):
            return None
        return YamlProblem(
            f'YAML syntax error: the quoted text this " opens is not closed on its line, so '
            f"it runs on to line {mark.line + 1}, where the next quote mark closes it and the "
            'rest cannot be read. Close it with " on this line.', n + 1, opening + 1)
    return None


def _runaway_single_quote(text: str, mark: Any) -> YamlProblem | None:
    """``style: 'Blunt, practical`` with no closing quote: as :func:`_runaway_quote`, for
    single quotes. An apostrophe is a quote mark only where a value starts with it; inside
    the open text ``''`` is an escaped quote, and any other ``'`` closes it, so the lines
    between the opening and the error hold none, and the error's line holds the one that
    closed it (often the apostrophe of a word like "I've"), before the error."""
    if mark is None:
        return None
    lines = text.splitlines()
    if mark.line >= len(lines):
        return None
    closing = _lone_quote(lines[mark.line], 0)
    if closing is None or closing >= mark.column:
        return None
    for n in range(mark.line - 1, -1, -1):
        if _lone_quote(lines[n], 0) is None:
            continue  # inside the open text: no quote mark, or only '' pairs
        opening = _open_single_quote(lines[n])
        if opening is None or _in_block_text(lines, n):
            return None  # the nearest quote mark above is not one left open
        word = re.match(r"\w*'\w+", lines[mark.line][_word_start(lines[mark.line], closing):])
        which = (f"the apostrophe in {word.group()!r}" if word and closing > 0
                 and lines[mark.line][closing - 1].isalnum() else "the next ' mark")
        return YamlProblem(
            "YAML syntax error: the quoted text this ' opens is not closed on its line, so "
            f"it runs on to line {mark.line + 1}, where {which} closes it and the rest "
            "cannot be read. Close it with ' on this line. Inside '...' write an apostrophe "
            "twice ('I''ll'), or put the text in double quotes.", n + 1, opening + 1)
    return None


def _lone_quote(line: str, start: int) -> int | None:
    """Where the first ``'`` from ``start`` that is not half of a ``''`` pair is."""
    i = line.find("'", start)
    while i >= 0:
        if line[i + 1:i + 2] != "'":
            return i
        i = line.find("'", i + 2)
    return None


def _open_single_quote(line: str) -> int | None:
    """The column of a single quote that starts a value on this line and is still open at
    its end; apostrophes in plain text, comments and closed quoted text are passed over."""
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return None  # a comment
        if ch in "'\"" and _VALUE_START.search(line[:i]):
            end = _lone_quote(line, i + 1) if ch == "'" else \
                next((m.start() for m in _DQUOTE.finditer(line, i + 1)), None)
            if end is None:
                return i if ch == "'" else None
            i = end + 1
            continue
        i += 1
    return None


def _word_start(line: str, i: int) -> int:
    while i > 0 and line[i - 1].isalnum():
        i -= 1
    return i


_VALUE_START = re.compile(r"(?:^\s*|[:\-\[,{?]\s+|[\[,{]\s*)(?:!!?\w+\s+)?$")
_DQUOTE = re.compile(r'(?<!\\)"')
_BLOCK_START = re.compile(r"(?::|^\s*-)\s*[>|][+-]?\d*\s*(?:#.*)?$")


def _in_block_text(lines: list[str], n: int) -> bool:
    """Whether line ``n`` is text of a ``>`` or ``|`` block, where quotes are just text."""
    depth = len(lines[n]) - len(lines[n].lstrip())
    for line in reversed(lines[:n]):
        if not line.strip():
            continue
        if len(line) - len(line.lstrip()) < depth:
            return bool(_BLOCK_START.search(line))
    return False


def _indentation(problem: str, context: str | None, text: str, mark: Any) -> str | None:
    """What an indentation mistake looks like to the author, for the PyYAML problems it
    causes (they speak of "mapping values" and "block collections")."""
    if mark is None:
        return None
    lines = text.splitlines()
    before = [(n, line) for n, line in enumerate(lines[:mark.line]) if line.strip()
              and not line.lstrip().startswith("#")]
    if problem.startswith("mapping values are not allowed") and before:
        n, above = before[-1]
        here = lines[mark.line] if mark.line < len(lines) else ""
        if ":" not in above.split("#", 1)[0] and not above.lstrip().startswith("-"):
            return (f"line {n + 1} (`{above.strip()}`) has no ':' after it, so this line "
                    "cannot hang under it. Add the ':' (a key), or put the text in quotes.")
        colon_in_text = ":" in here[:mark.column]  # "say: Sure: maybe": the second ':'
        parent = above.split("#", 1)[0].rstrip().endswith(":")
        if not colon_in_text and not parent \
                and len(here) - len(here.lstrip()) > len(above) - len(above.lstrip()):
            return (f"this line is indented more than line {n + 1} above it, and only a key "
                    "ending in ':' can have lines indented under it. Line the keys of one "
                    "mapping up in the same column; if ': ' is part of the text, quote it.")
    if problem.startswith("did not find expected key") and context and "block mapping" in context:
        return ("this line is indented differently from the keys above it that it belongs "
                "with: keys of one mapping start in the same column.")
    if problem.startswith("did not find expected '-' indicator"):
        return ("this line is out of line with the list items above it: each item starts "
                "with '- ' in the same column, and the keys of an item line up after it.")
    return None


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column:column + 1] if 0 <= line < len(lines) else ""
