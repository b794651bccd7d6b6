"""Compiled regular expressions kept between runs, as ``.pyc`` files keep compiled code.

Python's ``re`` parses and compiles every pattern in pure Python, each time a process starts:
for the classifier's cue patterns (about 70 KB of them) that is most of the cost of a cold
``nextstep grade``. This module keeps what ``re`` compiles a pattern into (the matcher's code,
its groups) in the user's cache directory, and rebuilds the pattern from it with the same
internal call ``re`` itself ends with, which skips the parsing.

The cache is a convenience, never a source of truth:

- its file is named for the Python version and the regex engine's version, so another
  Python never reads it;
- anything wrong with it (missing, unreadable, truncated, from another engine, code the
  engine's own validator refuses) means the pattern is compiled the ordinary way;
- patterns compiled the ordinary way are added to it when the process exits; a directory
  that cannot be written is ignored.

Set ``NEXTSTEP_NO_REGEX_CACHE=1`` to turn it off.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from pathlib import Path
from typing import Any

_Args = tuple[str, int, list[int], int, dict[str, int], tuple[str | None, ...]]

_table: dict[tuple[str, int], _Args] | None = None
_file: Path | None = None  # where the table was read from, and is written back to
_added = False


def _engine() -> Any:
    import _sre  # the engine behind ``re``; its compile() is what re.compile ends with

    return _sre


def _path() -> Path:
    from trainer.paths import cache_dir

    sre = _engine()
    version = f"{sys.implementation.name}{sys.version_info[0]}{sys.version_info[1]}"
    return cache_dir() / f"regex-{version}-{sre.MAGIC}-{sre.CODESIZE}.bin"


def _disabled() -> bool:
    return bool(os.environ.get("NEXTSTEP_NO_REGEX_CACHE")) or sys.implementation.name != "cpython"


def _load() -> dict[tuple[str, int], _Args]:
    global _table, _file
    if _table is None:
        _table = {}
        if not _disabled():
            try:
                _file = _path()
                data = marshal.loads(_file.read_bytes())
            except Exception:  # any broken cache is only a cache miss
                data = None
            if isinstance(data, dict):
                _table = data
    return _table


def compile(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, from the cache when it holds the pattern."""
    if _disabled():
        return re.compile(source, flags)
    table = _load()
    args = table.get((source, int(flags)))
    if args is not None:
        try:
            cached: re.Pattern[str] = _engine().compile(*args)
            return cached
        except Exception:  # refused by the engine's validator: compile afresh
            pass
    try:
        pattern, args = _compile(source, flags)
    except re.error:
        raise
    except Exception:  # an engine whose internals differ: no caching, ordinary compiling
        return re.compile(source, flags)
    table[(source, int(flags))] = args
    _schedule_save()
    return pattern


def _compile(source: str, flags: int) -> tuple[re.Pattern[str], _Args]:
    """What ``re._compiler.compile`` does, keeping the arguments of its last step."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(source, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # named constants → ints
    state = parsed.state
    indexgroup: list[str | None] = [None] * state.groups
    for name, index in state.groupdict.items():
        indexgroup[index] = name
    args: _Args = (source, int(flags | state.flags), code, state.groups - 1, dict(state.groupdict),
                   tuple(indexgroup))
    return _engine().compile(*args), args


def _schedule_save() -> None:
    global _added
    if not _added:
        _added = True
        atexit.register(save)


def save() -> None:
    """Write the table, when patterns were added to it; a failure only loses the cache."""
    global _added
    if not _added or _table is None or _file is None:
        return
    _added = False
    path = _file
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(_table))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass
