"""The compiled-pattern cache: same matches as re.compile, and never a failure of its own."""

from __future__ import annotations

import json
import marshal
import re
import subprocess
import sys
from pathlib import Path

import pytest

from trainer import regexcache
from trainer.cues import COMPILED

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache(monkeypatch, _private_home):
    """The cache switched on, empty, in this test's home; returns its file."""
    monkeypatch.delenv("NEXTSTEP_NO_REGEX_CACHE", raising=False)
    monkeypatch.setattr(regexcache, "_table", None)
    monkeypatch.setattr(regexcache, "_file", None)
    monkeypatch.setattr(regexcache, "_added", False)
    monkeypatch.setattr(regexcache, "_schedule_save", lambda: setattr(regexcache, "_added", True))
    return regexcache._path()


def _reload(monkeypatch) -> None:
    """A new process, as far as the cache can tell."""
    monkeypatch.setattr(regexcache, "_table", None)
    monkeypatch.setattr(regexcache, "_file", None)
    monkeypatch.setattr(regexcache, "_added", False)


def _refuse_parsing(monkeypatch) -> None:
    def parse(source, flags):
        raise AssertionError(f"parsed {source[:40]!r} although the cache holds it")

    monkeypatch.setattr(regexcache, "_compile", parse)


def _lines(n: int = 600) -> list[str]:
    rows = (ROOT / "tests" / "data" / "moves.jsonl").read_text("utf-8").splitlines()[:n]
    return [json.loads(r)["text"].lower() for r in rows]


def test_every_cue_from_the_cache_matches_as_re_compile_does(cache, monkeypatch):
    sources = [cue.source for _, cue, _, _ in COMPILED]
    for source in sources:
        regexcache.compile(source, re.MULTILINE)
    regexcache.save()
    assert cache.is_file()

    _reload(monkeypatch)
    _refuse_parsing(monkeypatch)
    lines = _lines()
    for source in sources:
        cached = regexcache.compile(source, re.MULTILINE)
        plain = re.compile(source, re.MULTILINE)
        assert cached.groups == plain.groups and cached.groupindex == plain.groupindex
        for line in lines:
            assert [m.span() for m in cached.finditer(line)] == \
                [m.span() for m in plain.finditer(line)], (source[:60], line)


def test_flags_and_named_groups_survive(cache, monkeypatch):
    source = r"(?P<day>monday|tuesday)\s+at\s+(?P<hour>\d+)"
    regexcache.compile(source, re.IGNORECASE)
    regexcache.save()
    _reload(monkeypatch)
    _refuse_parsing(monkeypatch)
    pattern = regexcache.compile(source, re.IGNORECASE)
    assert pattern.flags & re.IGNORECASE
    assert pattern.search("See you TUESDAY at 10").groupdict() == {"day": "TUESDAY", "hour": "10"}
    # the same source with other flags is another pattern, compiled afresh
    monkeypatch.setattr(regexcache, "_compile", lambda s, f: (re.compile(s, f), None))
    assert regexcache.compile(source, 0).search("See you TUESDAY at 10") is None


@pytest.mark.parametrize("junk", [b"", b"\x00\xff garbage", b"not marshal at all",
                                  marshal.dumps([1, 2, 3])])
def test_a_broken_cache_file_is_only_a_miss(cache, monkeypatch, junk):
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(junk)
    pattern = regexcache.compile(r"\bnext step\b")
    assert pattern.search("what is the next step?")
    regexcache.save()
    assert (r"\bnext step\b", 0) in regexcache._read(cache)  # rewritten whole


def _tamper(cache, monkeypatch, change) -> None:
    """Rewrite the table whole (a valid digest) with ``change`` applied, as a new process."""
    table = regexcache._read(cache)
    change(table)
    regexcache._write(cache, table)
    _reload(monkeypatch)


def test_code_the_engine_refuses_falls_back_to_compiling(cache, monkeypatch):
    source = r"\bcould you (?:send|bring)\b"
    regexcache.compile(source)
    regexcache.save()

    def refuse(table):
        src, flags, code, groups, groupindex, indexgroup = table[(source, 0)]
        table[(source, 0)] = (src, flags, [99999, *code[1:]], groups, groupindex, indexgroup)

    _tamper(cache, monkeypatch, refuse)
    assert regexcache.compile(source).search("could you send the numbers")


def test_a_damaged_file_is_not_read_at_all(cache, monkeypatch):
    # A changed code word can get past the engine's validator and crash the interpreter:
    # the digest keeps any damaged file from being used.
    regexcache.compile(r"a|b")
    regexcache.save()
    data = bytearray(cache.read_bytes())
    data[-40] ^= 0x05
    cache.write_bytes(bytes(data))
    assert regexcache._read(cache) == {}
    _reload(monkeypatch)
    assert regexcache.compile(r"a|b").fullmatch("b")


def test_an_entry_must_describe_the_pattern_it_is_filed_under(cache, monkeypatch):
    regexcache.compile(r"\bmonday\b")
    regexcache.compile(r"(?P<day>\w+day)")
    regexcache.save()

    def swap_and_break(table):
        table[(r"\bmonday\b", 0)] = table[(r"(?P<day>\w+day)", 0)]
        src, flags, code, groups, _, indexgroup = table[(r"(?P<day>\w+day)", 0)]
        table[(r"(?P<day>\w+day)", 0)] = (src, flags, code, groups, {"day": 7}, indexgroup)

    _tamper(cache, monkeypatch, swap_and_break)
    assert regexcache.compile(r"\bmonday\b").search("tuesday") is None
    assert regexcache.compile(r"(?P<day>\w+day)").search("on friday").groupdict() == \
        {"day": "friday"}


def test_processes_saving_at_once_keep_each_others_patterns(cache, monkeypatch):
    regexcache.compile(r"\bfirst\b")
    first = regexcache._table
    _reload(monkeypatch)  # a second process, started before the first saves
    regexcache.compile(r"\bsecond\b")
    monkeypatch.setattr(regexcache, "_added", True)
    regexcache.save()
    monkeypatch.setattr(regexcache, "_table", first)
    monkeypatch.setattr(regexcache, "_added", True)
    regexcache.save()
    assert {(r"\bfirst\b", 0), (r"\bsecond\b", 0)} <= set(regexcache._read(cache))


def test_debug_patterns_are_left_to_re(cache, capsys):
    regexcache.compile(r"ab+", re.DEBUG)
    assert "MAX_REPEAT" in capsys.readouterr().out
    assert not regexcache._table


def test_switched_off_it_neither_reads_nor_writes(monkeypatch, _private_home):
    monkeypatch.setenv("NEXTSTEP_NO_REGEX_CACHE", "1")
    monkeypatch.setattr(regexcache, "_table", None)
    assert regexcache.compile(r"\bdemo\b").search("a demo")
    assert regexcache._table is None
    assert not (_private_home / "cache").exists()


def test_an_unwritable_cache_directory_is_ignored(cache, monkeypatch):
    cache.parent.parent.mkdir(parents=True, exist_ok=True)
    cache.parent.write_text("a file where the directory should be")
    assert regexcache.compile(r"\bpilot\b").search("a pilot")
    regexcache.save()  # no error
    assert not list(cache.parent.parent.glob(".*.tmp"))


def test_grading_reads_the_same_with_and_without_the_cache(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "NEXTSTEP_HOME": str(tmp_path), "NO_COLOR": "1"}
    argv = [sys.executable, "-m", "trainer", "grade", "--json", "--no-store",
            str(ROOT / "examples" / "strong-call.txt")]
    off = subprocess.run(argv, env={**env, "NEXTSTEP_NO_REGEX_CACHE": "1"}, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    first = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    files = list((tmp_path / "cache").glob("regex-*.bin"))
    assert len(files) == 1 and files[0].stat().st_size > 10_000
    second = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(first.stdout) == json.loads(off.stdout) == json.loads(second.stdout)


def test_an_engine_with_other_internals_compiles_the_ordinary_way(cache, monkeypatch):
    def other_internals(source, flags):
        raise AttributeError("module 're._compiler' has no attribute '_code'")

    monkeypatch.setattr(regexcache, "_compile", other_internals)
    assert regexcache.compile(r"\bnext week\b").search("call you next week")
    with pytest.raises(re.error):
        regexcache.compile(r"(unclosed")


def test_a_directory_where_the_file_should_be_leaves_nothing_behind(cache, monkeypatch):
    cache.mkdir(parents=True)
    assert regexcache.compile(r"\bquote\b").search("send a quote")
    regexcache.save()  # no error
    assert cache.is_dir() and not list(cache.parent.glob(".*.tmp"))
