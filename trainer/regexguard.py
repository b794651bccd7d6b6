"""Compile scenario authors' regex patterns so that none can hang the engine.

Python's ``re`` backtracks, and some patterns take exponential or high-polynomial time on
the wrong input: ``(a+)+b`` on a line of ``a``'s, or ``.*a.*a.*a`` on a long one. Scenario
files come from other people, so :func:`compile_guarded` refuses the shapes that cause
this before the engine ever runs them:

- backreferences and conditional groups (``\\1``, ``(?(1)a|b)``);
- a repeated part that itself holds a repeat that can run more than once (``(a+)+``,
  ``(\\w+\\s?)*``), or that can match nothing (``(a?)*``); a run of one kind of character
  that must end where the next piece starts is fine (``(?:\\s+\\w+){0,3}``);
- a repeated choice whose alternatives can start with the same character (``(a|ab)*``),
  or a repeated part with an optional piece that can take what follows it (``(?:[ab]a?)+``);
- repeats in a row that can trade the same characters between them, when the ways they
  can split a line exceed a budget: ``.*a.*`` or ``\\w+\\s*\\w+`` take time growing with the
  cube of the line's length. One open-ended repeat per stretch is fine, and so are bounded
  ones (``think.{0,20}about.*it``): the guard multiplies the repeats' ranges, times the
  starts a search tries, and refuses more than :data:`STEP_BUDGET` steps;
- patterns longer than :data:`MAX_PATTERN` characters.

Matching is bounded too: :meth:`GuardedPattern.search` looks at one sentence at a time,
each cut to :data:`MAX_CHUNK` characters, so the work per line grows linearly with its length.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

MAX_PATTERN = 200
MAX_CHUNK = 200
#: The most backtracking steps a pattern may need, in the worst case, on one chunk.
STEP_BUDGET = 1_000_000

# Characters used to approximate character classes: Latin-1 plus a few others, enough to
# tell whether two classes can match the same character.
_SAMPLE = [chr(i) for i in range(256)] + [
    "\u0436", "\u4e2d", "\u2019", "\U0001f600",  # Cyrillic, CJK, a curly quote, an emoji
    "\u011f", "\u0151", "\u03b1", "\u05d0", "\u0627", "\u0e01",  # more letters of more scripts
    "\u0663", "\u0966", "\uff11",  # digits of other scripts
    "\u2009", "\u3000", "\u2028",  # other spaces
]
_SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s+")


class UnsafePattern(ValueError):
    """A pattern that does not compile, could backtrack catastrophically, or can never match."""


@dataclass(frozen=True)
class GuardedPattern:
    """A pattern that passed the guard; search it with :meth:`search`."""

    source: str
    compiled: re.Pattern[str]

    def search(self, text: str) -> re.Match[str] | None:
        """The first match in any sentence of ``text`` (each cut to MAX_CHUNK characters)."""
        for chunk in _chunks(text):
            found = self.compiled.search(chunk)
            if found is not None:
                return found
        return None


def _chunks(text: str) -> list[str]:
    out: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        for i in range(0, max(len(sentence), 1), MAX_CHUNK):
            out.append(sentence[i : i + MAX_CHUNK])
    return out


def compile_guarded(source: str) -> GuardedPattern:
    """Compile ``source`` case-insensitively, or raise :class:`UnsafePattern` saying why."""
    if len(source) > MAX_PATTERN:
        raise UnsafePattern(
            f"the pattern is {len(source)} characters long; keep it under {MAX_PATTERN} "
            "(split it into several patterns, or use intent examples)"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = sre_parse.parse(source, re.IGNORECASE)
            compiled = re.compile(source, re.IGNORECASE)
    except re.error as err:
        where = f" at position {err.pos}" if err.pos is not None else ""
        raise UnsafePattern(f"the pattern does not compile: {err.msg}{where}") from None
    except RecursionError:
        raise UnsafePattern("the pattern is nested too deeply") from None
    _check_items(list(tree), in_repeat=False)
    _check_chains(list(tree))
    _check_anchors(list(tree))
    return GuardedPattern(source, compiled)


_ENDS = {sre.AT_END, sre.AT_END_STRING}
_STARTS = {sre.AT_BEGINNING, sre.AT_BEGINNING_STRING}


def _check_anchors(items: list[Any], *, free_after: bool = True,
                   free_before: bool = True) -> None:
    """Refuse a pattern that can never match: text required after ``$`` or before ``^``
    ("migration$x", "(migration$)x"): a typo that would otherwise sit in the scenario doing
    nothing. ``free_after``/``free_before``: whether what surrounds ``items`` can be empty."""
    items = _flat(items)
    for k, (op, av) in enumerate(items):
        after = free_after and _nullable(items[k + 1:])
        before = free_before and _nullable(items[:k])
        if op is sre.AT and av in _ENDS and not after:
            raise UnsafePattern("the pattern can never match: it needs text after '$' (the "
                                "end of the line); move the '$' to the end or drop it")
        if op is sre.AT and av in _STARTS and not before:
            raise UnsafePattern("the pattern can never match: it needs text before '^' (the "
                                "start of the line); move the '^' to the start or drop it")
        if op is sre.BRANCH and all(_anchored(list(alt), after, before) for alt in av[1]):
            _check_anchors(list(av[1][0]), free_after=after, free_before=before)
        elif op is not sre.BRANCH:
            for sub in _sub_items(op, av):
                if op in (sre.ASSERT, sre.ASSERT_NOT):
                    _check_anchors(sub)
                else:
                    _check_anchors(sub, free_after=after, free_before=before)


def _anchored(alt: list[Any], after: bool, before: bool) -> bool:
    """Whether this alternative can never match where it stands."""
    try:
        _check_anchors(alt, free_after=after, free_before=before)
    except UnsafePattern:
        return True
    return False


# --- character sets and nullability ------------------------------------------------------

_CATEGORY_TESTS: dict[Any, Any] = {
    sre.CATEGORY_DIGIT: str.isdigit,
    sre.CATEGORY_NOT_DIGIT: lambda c: not c.isdigit(),
    sre.CATEGORY_SPACE: str.isspace,
    sre.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    sre.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
    sre.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
    sre.CATEGORY_LINEBREAK: lambda c: c == "\n",
    sre.CATEGORY_NOT_LINEBREAK: lambda c: c != "\n",
}


def _in_set(c: str, items: list[tuple[Any, Any]]) -> bool:
    negate = False
    hit = False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            hit = hit or _same(c, chr(av))
        elif op is sre.RANGE:
            hit = hit or any(av[0] <= ord(x) <= av[1] for x in _cases(c))
        elif op is sre.CATEGORY:
            test = _CATEGORY_TESTS.get(av)
            hit = hit or (test(c) if test else True)
        else:  # anything unusual: assume it can match
            hit = True
    return hit != negate


def _cases(c: str) -> set[str]:
    return {x for x in (c, c.lower(), c.upper()) if len(x) == 1}


def _same(a: str, b: str) -> bool:
    return a == b or a.lower() == b.lower()


_ALL = frozenset(_SAMPLE)


def _unsampled(op: Any, av: Any) -> bool:
    """Whether the item names a character the sample does not hold (a kana range, "—",
    "ſ"): what it matches cannot be told from the sample, so it is taken to match anything
    (comparing it with the sample alone let (?:\\S+—)+ through)."""
    if op is sre.LITERAL:
        return chr(av) not in _ALL
    if op is sre.RANGE:
        return bool(av[1] > 255)
    if op is sre.IN:
        return any(_unsampled(o, a) for o, a in av)
    return False


def _charset(op: Any, av: Any) -> frozenset[str] | None:
    """Characters a single-character item can match (None: not a single-character item)."""
    if op in (sre.LITERAL, sre.IN) and _unsampled(op, av):
        return _ALL
    if op is sre.LITERAL:
        return frozenset(c for c in _SAMPLE if _same(c, chr(av)))
    if op is sre.NOT_LITERAL:
        return frozenset(c for c in _SAMPLE if not _same(c, chr(av)))
    if op is sre.ANY:
        return frozenset(c for c in _SAMPLE if c != "\n")
    if op is sre.IN:
        return frozenset(c for c in _SAMPLE if _in_set(c, av))
    if op is sre.CATEGORY:
        return frozenset(c for c in _SAMPLE if _in_set(c, [(op, av)]))
    return None


def _sub_items(op: Any, av: Any) -> list[list[Any]]:
    """The sub-sequences inside a compound item."""
    if op is sre.SUBPATTERN:
        return [list(av[3])]
    if op is sre.ATOMIC_GROUP:
        return [list(av)]
    if op is sre.BRANCH:
        return [list(alt) for alt in av[1]]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return [list(av[2])]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [list(av[1])]
    return []


def _chars(items: list[Any]) -> frozenset[str]:
    """Every character the sequence can consume anywhere."""
    out: set[str] = set()
    for op, av in items:
        single = _charset(op, av)
        if single is not None:
            out |= single
        elif op not in (sre.ASSERT, sre.ASSERT_NOT):
            for sub in _sub_items(op, av):
                out |= _chars(sub)
    return frozenset(out)


def _first(items: list[Any]) -> frozenset[str]:
    """Characters the sequence can start with."""
    out: set[str] = set()
    for op, av in items:
        single = _charset(op, av)
        if single is not None:
            return frozenset(out | single)
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        for sub in _sub_items(op, av):
            out |= _first(sub)
        if not _nullable([(op, av)]):
            return frozenset(out)
    return frozenset(out)


def _nullable(items: list[Any]) -> bool:
    """True when the sequence can match the empty string."""
    for op, av in items:
        if _charset(op, av) is not None:
            return False
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            if av[0] > 0 and not _nullable(list(av[2])):
                return False
        elif op is sre.BRANCH:
            if not any(_nullable(list(alt)) for alt in av[1]):
                return False
        elif op in (sre.SUBPATTERN, sre.ATOMIC_GROUP) and not _nullable(_sub_items(op, av)[0]):
            return False
    return True


# --- the rules ---------------------------------------------------------------------------


def _is_repeat(op: Any) -> bool:
    return op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _check_items(items: list[Any], *, in_repeat: bool,
                 forced: frozenset[int] = frozenset()) -> None:
    """``forced``: the ids of repeats inside the enclosing repeat that :func:`_forced` allows."""
    for op, av in items:
        if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            raise UnsafePattern(
                "backreferences and conditional groups are not allowed; "
                "write the alternatives out instead"
            )
        if _is_repeat(op) and av[1] > 1 and av[0] == av[1]:
            # a fixed count ({3}) is its part written out that many times: it does not
            # backtrack over how many, so only what is inside it is checked
            _check_items(list(av[2]), in_repeat=in_repeat)
            continue
        if _is_repeat(op) and av[1] > 1:
            body = list(av[2])
            if in_repeat and id(av) in forced:
                continue  # a run of one kind of character that must stop where it does
            if in_repeat:
                raise UnsafePattern(
                    "a repeat inside a repeat, like (a+)+ or (\\w+\\s?)+, can take forever on "
                    "some lines; repeat the inner part only, e.g. (?:a|b)+ instead of (a+|b)+, "
                    "or end each inner run where the next piece starts, e.g. (?:\\s+\\w+)+"
                )
            if _nullable(body):
                raise UnsafePattern(
                    "a repeated part that can match nothing, like (a?)*, can take forever; "
                    "make the repeated part match at least one character"
                )
            _check_alternatives(body)
            _check_optionals(body)
            _check_items(body, in_repeat=True, forced=_forced(body))
            continue
        for sub in _sub_items(op, av):
            _check_items(sub, in_repeat=in_repeat, forced=forced)


def _forced(body: list[Any]) -> frozenset[int]:
    r"""The repeats of a single character set in a repeated part that can only stop where they
    do: what follows each, in the same round or (at the end of the part) the next, cannot
    start with a character it matches. ``(?:\s+\w+){0,3}`` ("within three words") splits a
    line one way only; ``(?:\w+\s?)+`` and ``(?:\s*,\s*)+`` can split it in many."""
    items = _flat(body)
    out = set()
    for k, (op, av) in enumerate(items):
        inner = list(av[2]) if _is_repeat(op) else []
        chars = _charset(*inner[0]) if len(inner) == 1 else None
        if chars is None:
            continue
        rest = items[k + 1:]
        follow = _first(rest) | (_first(items) if _nullable(rest) else frozenset())
        if not chars & follow:
            out.add(id(av))
    return frozenset(out)


def _check_alternatives(items: list[Any]) -> None:
    """Inside a repeat, the alternatives of a choice must start with different characters."""
    for op, av in items:
        if op is sre.BRANCH:
            seen: set[str] = set()
            empty = 0
            for alt in av[1]:
                first = _first(list(alt))
                empty += _nullable(list(alt))
                if seen & first or empty > 1:
                    raise UnsafePattern(
                        "a repeated choice whose alternatives can start with the same "
                        "character, like (a|ab)*, can take forever; make each alternative "
                        "start differently"
                    )
                seen |= first
        for sub in _sub_items(op, av):
            _check_alternatives(sub)


def _check_optionals(body: list[Any]) -> None:
    """Inside a repeat, an optional part (or a choice with an empty alternative) must not be
    able to start with a character that what follows it could start with, in this round or,
    when the rest can match nothing, the next: ``(?:[ab]a?)+``, ``(?:a?[ab])*`` or
    ``(?:c|[ab]a?)+`` split a line of a's in exponentially many ways; ``(?:no(?:t really)?,? )+``
    is fine."""
    items = _flat(body)
    _optionals(items, _first(items))


def _optionals(items: list[Any], after: frozenset[str]) -> None:
    """Check ``items`` given the characters that can come right after them (``after``)."""
    for k, (op, av) in enumerate(items):
        rest = items[k + 1:]
        follow = _first(rest) | (after if _nullable(rest) else frozenset())
        optional = (_is_repeat(op) and op is not sre.POSSESSIVE_REPEAT and av[0] == 0) or (
            op is sre.BRANCH and any(_nullable(_flat(list(alt))) for alt in av[1]))
        if optional and _first([(op, av)]) & follow:
            raise UnsafePattern(
                "an optional part inside a repeat that can start with the same character as "
                "what comes after it, like (?:[ab]a?)+ or (?:a?[ab])*, can take forever; "
                "make the optional part start with a character nothing after it starts with"
            )
        if op is sre.BRANCH:
            for alt in av[1]:
                _optionals(_flat(list(alt)), follow)
        elif _is_repeat(op):
            inner = _flat(list(av[2]))
            _optionals(inner, follow | _first(inner))


def _flat(items: list[Any]) -> list[Any]:
    """The sequence with groups opened up: (?:a(?:b)?) reads as a, (?:b)?."""
    out: list[Any] = []
    for op, av in items:
        if op is sre.SUBPATTERN:
            out.extend(_flat(list(av[3])))
        else:
            out.append((op, av))
    return out


def _check_chains(items: list[Any]) -> None:
    """Refuse three or more open-ended repeats that can pass characters along between them."""
    _scan(items, _Chain())
    for body in _lookarounds(items):  # a lookaround is matched on its own
        _check_chains(body)


def _lookarounds(items: list[Any]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for op, av in items:
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            out.append(list(av[1]))
        else:
            for sub in _sub_items(op, av):
                out.extend(_lookarounds(sub))
    return out


@dataclass
class _Chain:
    """Repeats in a row that can trade characters: how many ways they can split a stretch
    of text between them (the product of their ranges), and the characters they match."""

    cost: int = 1
    chars: frozenset[str] = frozenset()


def _scan(items: list[Any], chain: _Chain) -> _Chain:
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.SUBPATTERN:
            chain = _scan(list(av[3]), chain)
            continue
        if op is sre.BRANCH:
            ends = [_scan(list(alt), _Chain(chain.cost, chain.chars)) for alt in av[1]]
            chain = _Chain(max(c.cost for c in ends),
                           frozenset().union(*(c.chars for c in ends)))
            continue
        if op is sre.ATOMIC_GROUP:
            chain = _Chain()  # nothing backtracks into an atomic group
            continue
        if _is_repeat(op) and av[0] == av[1] > 1:
            # a fixed count is its part written out: "(?:a+){2}" trades like "a+a+"
            for _ in range(min(av[0], 4)):
                chain = _scan(list(av[2]), chain)
            continue
        if _is_repeat(op) and op is not sre.POSSESSIVE_REPEAT and av[1] == 1:
            # Optional: like a choice between the part and nothing.
            inside = _scan(list(av[2]), _Chain(chain.cost, chain.chars))
            chain = _Chain(max(inside.cost, chain.cost), inside.chars | chain.chars)
            continue
        if _is_repeat(op) and op is not sre.POSSESSIVE_REPEAT and av[1] > av[0]:
            low, high = av[0], min(av[1], MAX_CHUNK)
            span = max(high - low + 1, 1)
            chars = _chars(list(av[2]))
            # it can take characters over from the repeats before it only if it can start
            # with one of theirs: "\d+(?:,\d{3})*" splits a line of digits one way only
            if chain.chars and _first(list(av[2])) & chain.chars:
                chain = _Chain(chain.cost * span, chain.chars | chars)
            elif chain.chars and low == 0:
                pass  # matches none of the chain's characters and may match nothing
            else:
                chain = _Chain(span, chars)
            # Searching tries each start of a chunk, and backtracks through every split.
            if chain.cost * MAX_CHUNK > STEP_BUDGET:
                raise UnsafePattern(
                    "open-ended repeats one after another that can match the same text, "
                    "like .*a.* or \\w+\\s*\\w+, can take very long on long lines; keep one "
                    "open-ended repeat per stretch, bound the others tightly (.{0,10}), and drop "
                    "leading and trailing .* (patterns are searched anywhere in the line)"
                )
            continue
        # Anything else: a fixed piece the chain can swallow, or a wall that breaks it.
        chars = _chars([(op, av)])
        if chain.chars and not _nullable([(op, av)]) and not chars & chain.chars:
            chain = _Chain()  # only a piece none of the repeats can match stops the trading
    return chain
