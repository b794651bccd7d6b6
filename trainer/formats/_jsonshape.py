"""Loading JSON exports and checking their shape, with errors that name the field at fault."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from trainer.errors import TranscriptError

#: The largest magnitude a number in a transcript may have: times in milliseconds, positions
#: and counts are far below it, and a float holds every integer up to it exactly.
LARGEST = 2 ** 53
_KINDS: dict[str, Callable[[Any], bool]] = {
    "a string": lambda v: isinstance(v, str),
    "a number": lambda v: isinstance(v, int | float) and not isinstance(v, bool)
    and -LARGEST <= v <= LARGEST,
    "an integer": lambda v: isinstance(v, int) and not isinstance(v, bool)
    and -LARGEST <= v <= LARGEST,
    "a list": lambda v: isinstance(v, list),
    "an object": lambda v: isinstance(v, dict),
}
_MISSING = object()


def load(text: str, name: str) -> Any:
    """Parse JSON; a syntax error becomes a TranscriptError at its line and column."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise TranscriptError(f"is not valid JSON: {error.msg}; fix the file or pass --format "
                              "to read it as another format", file=name, line=error.lineno,
                              column=error.colno) from None
    except RecursionError:
        raise TranscriptError("is not a transcript: its JSON nests too deeply", file=name) from None
    except ValueError as error:  # NaN, or an integer too long to convert
        problem = str(error)
        if "digits" in problem:  # Python's own message names a setting of its own
            problem = "it holds a number thousands of digits long"
        raise TranscriptError(f"is not valid JSON for a transcript: {problem}",
                              file=name) from None


def field(obj: dict[str, Any], key: str, where: str, kind: str, name: str,
          default: Any = _MISSING) -> Any:
    """``obj[key]`` checked to be ``kind`` ("a string", "a list"...); ``where`` is obj's path."""
    path = f"{where}.{key}" if where else key
    value = obj.get(key, _MISSING)
    if value is _MISSING or (value is None and default is not _MISSING):
        if default is not _MISSING:
            return default
        place = f"'{where}'" if where else "the top-level object"
        raise TranscriptError(f"field '{path}' is missing: {place} needs '{key}' as {kind}",
                              file=name)
    expect(value, path, kind, name)
    return value


def expect(value: Any, path: str, kind: str, name: str) -> None:
    """Raise unless ``value`` is ``kind``; numbers must also be finite."""
    ok = _KINDS[kind](value)
    if ok and isinstance(value, float) and not math.isfinite(value):
        ok = False
    if not ok and isinstance(value, int) and not isinstance(value, bool) \
            and abs(value) > LARGEST and kind in ("a number", "an integer"):
        raise TranscriptError(f"field '{path}' is {describe(value)}, too large for anything "
                              "a transcript holds", file=name)
    if not ok:
        raise TranscriptError(f"field '{path}' must be {kind}, but it is {describe(value)}",
                              file=name)


def describe(value: Any) -> str:
    """A JSON value as a user would name it: ``the string 'x'``, ``null``, ``a list``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f"the string {shown!r}"
    if isinstance(value, int) and abs(value) > LARGEST:
        return f"a number of {len(str(abs(value)))} digits"
    if isinstance(value, int | float):
        return f"the number {value}"
    return "a list" if isinstance(value, list) else "an object"


def _no_constant(token: str) -> Any:
    raise ValueError(f"{token} is not a JSON number")
