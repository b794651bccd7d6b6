"""Compiled regular expressions kept between runs, as ``.pyc`` files keep compiled code.

Python's ``re`` parses and compiles every pattern in pure Python, each time a process starts:
for the classifier's cue patterns (about 70 KB of them) that is most of the cost of a cold
``nextstep grade``. This module keeps what ``re`` compiles a pattern into (the matcher's code,
its groups) in the user's cache directory, and rebuilds the pattern from it with the same
internal call ``re`` itself ends with, which skips the parsing.

The cache is a convenience, never a source of truth:

- its file is named for the exact Python build and regex engine, and says which Python wrote
  it, so no other Python reads it;
- it carries a SHA-256 digest of its contents, checked before anything in it is used (the
  engine's own validator does not catch every damaged code word, and a damaged one could
  crash the interpreter), and every entry must describe the pattern it is filed under;
- anything wrong with it (missing, unreadable, truncated, damaged, from another engine, code
  the engine refuses) means the pattern is compiled the ordinary way;
- patterns compiled the ordinary way are merged into it when the process exits; a directory
  that cannot be written is ignored.

Like ``.pyc`` files it trusts whoever can write to the user's own directories. Set
``NEXTSTEP_NO_REGEX_CACHE=1`` to turn it off.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import re
import sys
from pathlib import Path
from typing import Any

_Args = tuple[str, int, list[int], int, dict[str, int], tuple[str | None, ...]]
_Table = dict[tuple[str, int], _Args]
_FORMAT = 1
# Flags whose effect lies outside the compiled code: such patterns are compiled the usual way.
_UNCACHED_FLAGS = re.DEBUG | getattr(re, "TEMPLATE", 0)

_table: _Table | None = None
_file: Path | None = None  # where the table was read from, and is written back to
_added = False


def _engine() -> Any:
    import _sre  # the engine behind ``re``; its compile() is what re.compile ends with

    return _sre


def _path() -> Path:
    from trainer.paths import cache_dir

    sre = _engine()
    build = f"{sys.implementation.name}-{sys.hexversion:x}-{sre.MAGIC}-{sre.CODESIZE}"
    return cache_dir() / f"regex-{build}.bin"


def _disabled() -> bool:
    return bool(os.environ.get("NEXTSTEP_NO_REGEX_CACHE")) or sys.implementation.name != "cpython"


def _read(path: Path) -> _Table:
    """The table in ``path``, or an empty one when the file is missing or not whole."""
    try:
        fmt, version, digest, payload = marshal.loads(path.read_bytes())
        if fmt != _FORMAT or version != sys.version or not isinstance(payload, bytes) or \
                hashlib.sha256(payload).hexdigest() != digest:
            return {}
        table = marshal.loads(payload)
    except Exception:  # any broken cache is only a cache miss
        return {}
    return table if isinstance(table, dict) else {}


def _write(path: Path, table: _Table) -> None:
    from trainer.paths import write_atomic

    payload = marshal.dumps(table)
    write_atomic(path, marshal.dumps((_FORMAT, sys.version, hashlib.sha256(payload).hexdigest(),
                                      payload)))


def _load() -> _Table:
    global _table, _file
    if _table is None:
        _table = {}
        try:
            _file = _path()
        except Exception:  # no cache directory to be had: compile the ordinary way
            return _table
        _table = _read(_file)
    return _table


def _fits(source: str, args: Any) -> bool:
    """Whether a cache entry has the shape ``_compile`` gives, for this very source."""
    if not (isinstance(args, tuple) and len(args) == 6):
        return False
    src, flags, code, groups, groupindex, indexgroup = args
    return (src == source and isinstance(flags, int) and isinstance(code, list)
            and isinstance(groups, int) and isinstance(groupindex, dict)
            and isinstance(indexgroup, tuple) and len(indexgroup) == groups + 1
            and all(isinstance(i, int) and 0 < i <= groups and indexgroup[i] == name
                    for name, i in groupindex.items()))


def compile(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, from the cache when it holds the pattern."""
    if _disabled() or not isinstance(source, str) or flags & _UNCACHED_FLAGS:
        return re.compile(source, flags)
    table = _load()
    key = (source, int(flags))
    args = table.get(key)
    if args is not None and _fits(source, args):
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
    table[key] = args
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
    args: _Args = (source, int(flags | state.flags), code, state.groups - 1,
                   dict(state.groupdict), tuple(indexgroup))
    return _engine().compile(*args), args


def _schedule_save() -> None:
    global _added
    if not _added:
        _added = True
        atexit.register(save)


def save() -> None:
    """Merge the patterns this process compiled into the file (another process may have
    added others since it was read); a failure only loses the cache."""
    global _added
    if not _added or _table is None or _file is None:
        return
    _added = False
    try:
        merged = _read(_file)
        merged.update(_table)
        _write(_file, merged)
    except (OSError, ValueError):
        pass
