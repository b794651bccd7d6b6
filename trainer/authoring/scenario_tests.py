"""A scenario's ``tests:`` block: scripted conversations with expectations, and their runner.

::

    tests:
      - name: confronting the stall, then booking, wins
        lines:
          - "Is this a priority for you now, or is it never going to be?"
          - {say: "What would you suggest as a next step?", expect: {state: concern}}
          - Are you free Thursday 20 March at 10am?
          - So to confirm, Thursday at 10 with Priya. Does that sound right?
        expect:
          outcome: won
          moves: {1: confront_stall, all: [not tell_next_step]}
          criteria: {confront_stall: pass, secure_date: pass}

The block is declared with the same field table as the rest of the format
(:mod:`trainer.scenario_fields`) and read by the loader's own walk
(:class:`trainer.scenario_build.Builder`), so its errors carry the same codes, places and
"did you mean" as any other, and the JSON Schema covers it. Each case is played through the
engine with :mod:`trainer.engine`, as ``nextstep play`` would, and every expectation that
does not hold becomes a :class:`Failure` with what was expected and what happened.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from trainer.errors import ScenarioError
from trainer.moves import REP_MOVES
from trainer.scenario import FlagValue
from trainer.scenario_build import BAD, Builder, Names, TooBig, did_you_mean
from trainer.scenario_fields import Scalar, spec

if TYPE_CHECKING:
    from trainer.engine import Engine, Reply
    from trainer.rubric import Scorecard
    from trainer.scenario import Scenario

Verdict = Literal["pass", "partial", "fail", "n/a"]
Ending = Literal["won", "lost", "no_decision", "unfinished"]
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# --- the format ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LineRef(Scalar):
    """Which trainee line an expectation on moves is about: ``1`` (the first), ``last``,
    or ``all`` (every line, together)."""

    syntax: ClassVar[str] = "a line number (1 is the trainee's first line), `last` or `all`"
    json_type: ClassVar[str] = "integer|string"
    index: int  # 1-based; 0 for all, -1 for last

    @classmethod
    def parse(cls, text: str) -> LineRef:
        word = text.strip().lower()
        if word in ("all", "any"):
            return cls(0)
        if word == "last":
            return cls(-1)
        if word.isdigit() and int(word) >= 1:
            return cls(int(word))
        raise ValueError(f"expected {cls.syntax}, not {text!r}")

    def __str__(self) -> str:
        return {0: "all lines", -1: "the last line"}.get(self.index, f"line {self.index}")


@dataclass(frozen=True)
class MoveCheck(Scalar):
    """A move a line must make (``ask_next_step``) or must not make (``not tell_next_step``)."""

    syntax: ClassVar[str] = "a trainee move, or `not` and a move (`not tell_next_step`)"
    error_code: ClassVar[str] = "NS107"
    move: str
    present: bool = True

    @classmethod
    def parse(cls, text: str) -> MoveCheck:
        words = text.split()
        present = not (len(words) == 2 and words[0].lower() == "not")
        name = words[-1] if words else ""
        if len(words) not in (1, 2) or (len(words) == 2 and present) or name not in REP_MOVES:
            hint = did_you_mean(name, REP_MOVES) if len(words) in (1, 2) else ""
            raise ValueError(f"there is no move {text.strip()!r}.{hint} Moves: "
                             f"{', '.join(REP_MOVES)}; write `not move` for a move the line "
                             "must not make")
        return cls(name, present)

    def __str__(self) -> str:
        return self.move if self.present else f"not {self.move}"


@dataclass(frozen=True, kw_only=True)
class StepExpect:
    """What must hold right after one trainee line."""

    state: str | None = spec("The prospect's state after the line.", default=None, ref="state",
                             example="concern")
    says: tuple[str, ...] = spec(
        "Words the prospect's answer must contain (any case); several must all appear.",
        factory=tuple, example="Priya")
    moves: tuple[MoveCheck, ...] = spec(
        "Moves the line must make; `not move` for one it must not make.", factory=tuple,
        example="[ask_next_step, not tell_next_step]")
    intent: str | None = spec("The intent the line must match (the transition it fired).",
                              default=None, ref="intent")
    flags: Mapping[str, FlagValue] = spec(
        "Flags and counters (yours or the engine's) and their values after the line.",
        factory=lambda: MappingProxyType({}), ref="var", example="{history_heard: true}")
    outcome: Ending | None = spec(
        "How the meeting stands after the line: `won`, `lost`, `no_decision`, or "
        "`unfinished` (still going).", default=None)


@dataclass(frozen=True, kw_only=True)
class Step:
    """One thing the trainee says, with what must hold after it."""

    _shorthand: ClassVar[str] = "say"
    say: str = spec("What the trainee says.", example="What would you suggest as a next step?")
    expect: StepExpect | None = spec("What must hold right after this line.", default=None)


@dataclass(frozen=True, kw_only=True)
class Expect:
    """What must hold once the case's lines have all been said."""

    outcome: Ending | None = spec(
        "How the meeting ended: `won`, `lost`, `no_decision`, or `unfinished` when the lines "
        "ran out first.", default=None, example="won")
    state: str | None = spec("The prospect's state at the end.", default=None, ref="state")
    says: tuple[str, ...] = spec(
        "Words the prospect's last line must contain (any case); several must all appear.",
        factory=tuple)
    moves: Mapping[LineRef, tuple[MoveCheck, ...]] = spec(
        "Moves trainee lines must make, by line number (1 is the first), `last`, or `all` "
        "(moves of the whole conversation); `not move` for one that must not appear.",
        factory=lambda: MappingProxyType({}),
        example="{1: confront_stall, all: [not tell_next_step]}")
    flags: Mapping[str, FlagValue] = spec(
        "Flags and counters (yours or the engine's) and their values at the end.",
        factory=lambda: MappingProxyType({}), ref="var", example="{slot_agreed: true}")
    criteria: Mapping[str, Verdict] = spec(
        "Rubric verdicts: `pass`, `partial`, `fail` or `n/a` for the standard criteria and "
        "the scenario's own.", factory=lambda: MappingProxyType({}),
        example="{secure_date: pass, recap: fail}")
    min_score: int | None = spec("The least overall score (0-100).", default=None, min=0,
                                 max=100)


@dataclass(frozen=True, kw_only=True)
class Case:
    """One scripted conversation and what must come of it."""

    name: str = spec("What the case shows, in a few words; named in test output.",
                     example="confronting the stall, then booking, wins")
    seed: int = spec("Picks among the prospect's line variants, as `nextstep play --seed`.",
                     default=0, min=0, max=2_147_483_647)
    lines: tuple[Step, ...] = spec(
        "What the trainee says, in order: text, or `{say: ..., expect: ...}` to check "
        "what holds right after a line.", min_items=1)
    expect: Expect | None = spec("What must hold at the end.", default=None)

    def _validate(self) -> list[tuple[str | None, str, str]]:
        if self.expect is None and not any(s.expect for s in self.lines):
            return [(None, "NS103", f"the test case {self.name!r} expects nothing; add "
                     "`expect:` (e.g. `expect: {outcome: won}`) or an `expect:` on a line")]
        return []


#: The tests block as the model sees it; the schema generator reads it from here.
TESTS_TYPE = tuple[Case, ...]
TESTS_DOC = ("Scripted conversations with expectations, run by `nextstep test` (see the "
             "authoring guide).")


@dataclass(frozen=True)
class LocatedCase:
    """A case with where it is written, for messages that point at it."""

    case: Case
    index: int
    line: int | None
    column: int | None

    @property
    def path(self) -> str:
        return f"tests[{self.index}]"


def read_cases(text: str, *, file: str = "<string>", scenario: Scenario | None = None,
               root: Node | None = None) -> tuple[list[LocatedCase], list[ScenarioError]]:
    """The cases of a scenario file's ``tests:`` block and every error in it.

    ``scenario`` (when it loaded) lets criterion names be checked against its rubric. A file
    whose YAML cannot be read has no cases and no errors here: the loader reports it.
    """
    if root is None:
        try:
            root = yaml.compose(text, Loader=_LOADER)
        except (yaml.YAMLError, RecursionError):
            return [], []
    if not isinstance(root, MappingNode):
        return [], []
    node = next((v for k, v in root.value if isinstance(k, ScalarNode) and k.value == "tests"),
                None)
    if node is None or (isinstance(node, ScalarNode) and node.tag.endswith(":null")):
        return [], []
    builder = Builder(file, Names.scan(root))
    try:
        built = builder.build(TESTS_TYPE, node, "tests", {}, {})
    except TooBig:
        return [], []  # the loader reports a document this big
    errors = list(builder.errors)
    items = list(node.value) if hasattr(node, "value") and isinstance(node.value, list) else []
    if scenario is not None:  # read from the YAML itself, so a bad verdict hides no bad name
        for index, item in enumerate(items):
            errors.extend(_check_criteria(f"tests[{index}]", scenario, item, file))
    if built is BAD or not isinstance(built, tuple):
        return [], sorted(errors, key=_order)
    out: list[LocatedCase] = []
    seen: dict[str, int] = {}
    for index, case in enumerate(built):
        mark = items[index].start_mark if index < len(items) else None
        where = (mark.line + 1, mark.column + 1) if mark else (None, None)
        located = LocatedCase(case, index, *where)
        if case.name in seen:
            errors.append(ScenarioError(
                f"two test cases are named {case.name!r} (the first on line {seen[case.name]}); "
                "give each its own name so failures are easy to find",
                file=file, line=where[0], column=where[1], path=f"tests[{index}].name",
                code="NS121"))
        seen.setdefault(case.name, where[0] or 0)
        out.append(located)
    return out, sorted(errors, key=_order)


def _order(e: ScenarioError) -> tuple[int, int]:
    return (e.line or 0, e.column or 0)


def _check_criteria(path: str, scenario: Scenario, node: Node, file: str
                    ) -> list[ScenarioError]:
    """An error for each name under ``expect: criteria:`` that is no criterion."""
    from trainer.rubric import CRITERIA

    criteria = _key_node(node, ("expect", "criteria"), value=True)
    if not isinstance(criteria, MappingNode):
        return []
    known = [*CRITERIA, *(c.id for c in scenario.rubric.criteria)]
    out = []
    for key, _ in criteria.value:
        name = key.value if isinstance(key, ScalarNode) else None
        if name is None or name in known:
            continue
        mark = key.start_mark
        out.append(ScenarioError(
            f"there is no criterion `{name}`.{did_you_mean(name, known)} Criteria: "
            f"{', '.join(known)}.", file=file, line=mark.line + 1, column=mark.column + 1,
            path=f"{path}.expect.criteria.{name}", code="NS105"))
    return out


def _key_node(node: Node, keys: tuple[str, ...], *, value: bool = False) -> Node | None:
    """The key node at the end of ``keys`` (its value with ``value=True``), or None."""
    for key in keys:
        if not isinstance(node, MappingNode):
            return None
        pair = next(((k, v) for k, v in node.value
                     if isinstance(k, ScalarNode) and k.value == key), None)
        if pair is None:
            return None
        found, node = pair
    return node if value else found


# --- running -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold: where in the conversation, what, and both sides."""

    where: str  # "line 2" or "end"
    what: str  # "state", "says", "moves of line 2", "criterion recap"...
    expected: str
    actual: str

    def to_dict(self) -> dict[str, str]:
        return {"where": self.where, "what": self.what, "expected": self.expected,
                "actual": self.actual}


@dataclass(frozen=True)
class Said:
    """One line of the conversation as the runner shows it."""

    speaker: str
    role: str
    text: str
    moves: tuple[str, ...] = ()
    state: str | None = None  # the prospect's state after this line


@dataclass(frozen=True)
class CaseResult:
    """What came of one case."""

    case: LocatedCase
    failures: tuple[Failure, ...]
    conversation: tuple[Said, ...]
    outcome: str | None
    score: int
    seconds: float
    error: str | None = None  # the run itself broke (a bug, reported rather than raised)

    @property
    def passed(self) -> bool:
        return not self.failures and self.error is None

    @property
    def name(self) -> str:
        return self.case.case.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "line": self.case.line, "passed": self.passed,
            "outcome": self.outcome, "score": self.score, "seconds": round(self.seconds, 4),
            "failures": [f.to_dict() for f in self.failures],
            "error": self.error,
            "conversation": [{"speaker": s.speaker, "role": s.role, "text": s.text,
                              "moves": list(s.moves), "state": s.state}
                             for s in self.conversation],
        }


@dataclass
class _Checker:
    failures: list[Failure] = field(default_factory=list)

    def equal(self, where: str, what: str, expected: Any, actual: Any) -> None:
        if expected != actual:
            self.failures.append(Failure(where, what, _show(expected), _show(actual)))

    def says(self, where: str, wanted: tuple[str, ...], line: str) -> None:
        missing = [w for w in wanted if w.casefold() not in line.casefold()]
        if missing:
            self.failures.append(Failure(
                where, "says", "a line containing " + ", ".join(repr(w) for w in missing),
                repr(line)))

    def moves(self, where: str, what: str, wanted: tuple[MoveCheck, ...],
              seen: set[str]) -> None:
        wrong = [c for c in wanted if (c.move in seen) != c.present]
        if wrong:
            self.failures.append(Failure(
                where, what, ", ".join(str(c) for c in wanted),
                ", ".join(sorted(seen, key=REP_MOVES.index)) or "no move"))

    def flags(self, where: str, wanted: Mapping[str, FlagValue],
              values: Mapping[str, int | bool]) -> None:
        for name, value in wanted.items():
            self.equal(where, f"flag {name}", value.value, values.get(name))


def run_case(scenario: Scenario, located: LocatedCase, *,
             engine_factory: Any = None) -> CaseResult:
    """Play one case through the scenario's prospect and check its expectations."""
    from trainer.engine import Engine
    from trainer.harness import score

    case = located.case
    started = time.perf_counter()
    make = engine_factory or Engine
    engine: Engine = make(scenario, seed=case.seed)
    said = [Said(scenario.persona.name, "prospect", engine.opening(),
                 state=scenario.start_state)]
    check = _Checker()
    replies: list[Reply] = []
    try:
        for number, step in enumerate(case.lines, 1):
            if engine.ended:
                check.failures.append(Failure(
                    f"line {number}", "the meeting", f"still going, to hear {step.say!r}",
                    f"it had ended after line {number - 1} ({_ending(engine.outcome)})"))
                break
            reply = engine.reply(step.say)
            replies.append(reply)
            moves = tuple(m.name for m in reply.moves)
            said.append(Said("Rep", "rep", step.say, moves))
            said.append(Said(scenario.persona.name, "prospect", reply.line, state=reply.state))
            if step.expect is not None:
                _check_step(check, f"line {number}", step.expect, reply, engine)
        card = score(scenario, engine)
        if case.expect is not None:
            _check_end(check, case.expect, replies, engine, card)
    except Exception as error:  # a broken run is a result to show, not a crash of the runner
        return CaseResult(located, tuple(check.failures), tuple(said), engine.outcome, 0,
                          time.perf_counter() - started, f"{type(error).__name__}: {error}")
    return CaseResult(located, tuple(check.failures), tuple(said), engine.outcome, card.score,
                      time.perf_counter() - started)


def _check_step(check: _Checker, where: str, expect: StepExpect, reply: Reply,
                engine: Engine) -> None:
    if expect.state is not None:
        check.equal(where, "state", expect.state, reply.state)
    if expect.says:
        check.says(where, expect.says, reply.line)
    if expect.moves:
        check.moves(where, "moves", expect.moves, {m.name for m in reply.moves})
    if expect.intent is not None:
        check.equal(where, "intent", expect.intent, reply.intent)
    if expect.flags:
        check.flags(where, expect.flags, engine.values)
    if expect.outcome is not None:
        check.equal(where, "outcome", expect.outcome, reply.outcome or "unfinished")


def _check_end(check: _Checker, expect: Expect, replies: list[Reply], engine: Engine,
               card: Scorecard) -> None:
    where = "end"
    if expect.outcome is not None:
        check.equal(where, "outcome", expect.outcome, engine.outcome or "unfinished")
    if expect.state is not None:
        check.equal(where, "state", expect.state, engine.state)
    if expect.says:
        last = engine.transcript.turns[-1].text
        check.says(where, expect.says, last)
    for ref, wanted in expect.moves.items():
        if ref.index == 0:
            seen = {m.name for r in replies for m in r.moves}
        else:
            i = len(replies) if ref.index == -1 else ref.index
            if not 1 <= i <= len(replies):
                check.failures.append(Failure(where, f"moves of {ref}", ", ".join(map(str, wanted)),
                                              f"there is no line {i}: {len(replies)} were said"))
                continue
            seen = {m.name for m in replies[i - 1].moves}
        check.moves(where, f"moves of {ref}", wanted, seen)
    if expect.flags:
        check.flags(where, expect.flags, engine.values)
    for cid, verdict in expect.criteria.items():
        try:
            actual = card.criterion(cid).verdict
        except KeyError:
            actual = "not graded"
        check.equal(where, f"criterion {cid}", verdict, actual)
    if expect.min_score is not None and card.score < expect.min_score:
        check.failures.append(Failure(where, "score", f"at least {expect.min_score}",
                                      str(card.score)))


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    return str(value)


def _ending(outcome: str | None) -> str:
    return (outcome or "unfinished").replace("_", " ")


# --- a file's tests ------------------------------------------------------------------------


@dataclass(frozen=True)
class FileResult:
    """Every case of one scenario file, or the errors that stopped them."""

    file: str
    results: tuple[CaseResult, ...] = ()
    errors: tuple[ScenarioError, ...] = ()
    scenario_id: str | None = None
    unselected: int = 0  # cases left out by ``-k``

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "scenario": self.scenario_id, "passed": self.passed,
                "failed": self.failed, "errors": [str(e) for e in self.errors],
                "cases": [r.to_dict() for r in self.results]}


def run_file(path: str, *, select: str | None = None) -> FileResult:
    """Load a scenario file and run its test cases (those whose name contains ``select``)."""
    from pathlib import Path

    from trainer.scenario_load import check_scenario

    scenario, errors = check_scenario(path)
    if scenario is None:
        return FileResult(path, errors=tuple(errors))
    text = Path(path).read_text("utf-8-sig")
    cases, errors = read_cases(text, file=path, scenario=scenario)
    if errors:
        return FileResult(path, errors=tuple(errors), scenario_id=scenario.id)
    chosen = [c for c in cases if not select or select.casefold() in c.case.name.casefold()]
    return FileResult(path, tuple(run_case(scenario, c) for c in chosen),
                      scenario_id=scenario.id, unselected=len(cases) - len(chosen))
