"""Where a scenario can go: the prospect's state machine explored without playing it.

The engine's reply to a line depends on the line's moves, the state, the scenario's flags, and
a few things the engine keeps (is a stall open, is a time agreed). :class:`Flow` runs the same
rules on *kinds* of line instead of lines: each trainee move alone, each intent, and a line
that matches nothing. It follows every transition and built-in reaction the engine could take,
tracking true/false flags exactly and counters within the range their conditions look at, so a
transition guarded by ``pushes >= 2`` fires only once something has pushed the counter there.
Whatever the engine cannot decide from these (the calendar, the engine's own counters) is
taken both ways.

The result over-approximates: every path a real conversation can take is here, plus perhaps a
few it cannot. So "never reached" is trustworthy, which is what the linter needs.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from trainer.moves import REP_MOVES

if TYPE_CHECKING:
    from trainer.scenario import Condition, Scenario, Transition

#: Beyond this many explored situations the flow gives up (and lints that need it stay quiet).
MAX_CONFIGS = 50_000

_PUSHING = frozenset({"ask_next_step", "propose_time", "vague_time", "assign_task", "recap"})
OTHER = "(anything else)"  # a line that makes no move and matches no intent


@dataclass(frozen=True)
class Config:
    """A situation of the meeting between two lines."""

    state: str
    stall_open: bool
    slot: bool  # a specific time is agreed
    flags: tuple[int | bool | None, ...]  # None: a counter outside the range watched


@dataclass(frozen=True)
class Edge:
    """What one kind of line does in one situation."""

    line: str  # a move name, ``intent:<name>``, or OTHER; ``(time)``/``(patience)``
    target: Config | str  # the next situation, or the outcome the meeting ends with
    deliberate: bool = True  # False for the clock and patience running out
    transition: tuple[str, int] | None = None  # (state, index) of the transition that fired


@dataclass
class _Mind:
    state: str
    stall_open: bool
    slot: bool
    flags: dict[str, int | bool | None]
    stall: bool = False  # the prospect's line raises a stall
    end: str | None = None
    spoke: bool = False  # a reaction has answered the line (later ones only add to it)
    fired: tuple[str, int] | None = None
    reactions: list[str] = field(default_factory=list)

    def copy(self) -> _Mind:
        return replace(self, flags=dict(self.flags), reactions=list(self.reactions))


class Flow:
    """Every situation a scenario can reach from its opening, and the moves between them."""

    def __init__(self, scenario: Scenario, *, max_configs: int = MAX_CONFIGS) -> None:
        self.scenario = scenario
        self.flag_names = tuple(scenario.flags)
        self.bounds = _bounds(scenario)
        self.inputs = (*REP_MOVES, *(f"intent:{i}" for i in scenario.intents), OTHER)
        self.edges: dict[Config, list[Edge]] = {}
        self.fired: set[tuple[str, int]] = set()
        self.reactions: dict[str, set[str]] = {}  # reaction -> states it answers in
        self.booked_in: set[str] = set()  # states where a built-in reaction books a time
        self.outcomes: dict[str, bool] = {}  # outcome -> reached deliberately
        self.complete = True
        self.patience_can_run_out = _patience_can_run_out(scenario)
        self.start = self._opening()
        self._explore(max_configs)

    # --- what the linter and the graph read ---

    @property
    def configs(self) -> set[Config]:
        return set(self.edges)

    @property
    def states(self) -> set[str]:
        """States some path reaches."""
        return {c.state for c in self.edges}

    def reaches(self, starts: set[Config], *, only: str | None = None,
                deliberate: bool = True) -> tuple[set[Config], set[str]]:
        """Situations and outcomes reachable from ``starts`` (``only``: one kind of line)."""
        seen = set(starts)
        outcomes: set[str] = set()
        queue = deque(starts)
        while queue:
            c = queue.popleft()
            for e in self.edges.get(c, ()):
                if (deliberate and not e.deliberate) or (only is not None and e.line != only):
                    continue
                if isinstance(e.target, str):
                    outcomes.add(e.target)
                elif e.target not in seen:
                    seen.add(e.target)
                    queue.append(e.target)
        return seen, outcomes

    def at(self, state: str) -> set[Config]:
        return {c for c in self.edges if c.state == state}

    # --- exploring ---

    def _opening(self) -> Config:
        start = self.scenario.start_state
        flags = tuple(self._clip(n, v.value) for n, v in self.scenario.flags.items())
        return Config(start, self.scenario.states[start].stall, False, flags)

    def _explore(self, limit: int) -> None:
        queue = deque([self.start])
        self.edges[self.start] = []
        while queue:
            c = queue.popleft()
            out = self.edges[c]
            for line in self.inputs:
                for m in self._step(c, line):
                    if m.fired is not None:
                        self.fired.add(m.fired)
                    for name in m.reactions:
                        self.reactions.setdefault(name, set()).add(c.state)
                    if "slot_accepted" in m.reactions:
                        self.booked_in.add(c.state)
                    if m.end is not None:
                        self.outcomes[m.end] = True
                        out.append(Edge(line, m.end, True, m.fired))
                        continue
                    nxt = Config(m.state, m.stall or m.stall_open, m.slot,
                                 tuple(m.flags[n] for n in self.flag_names))
                    out.append(Edge(line, nxt, True, m.fired))
                    if nxt not in self.edges:
                        if len(self.edges) >= limit:
                            self.complete = False
                            return
                        self.edges[nxt] = []
                        queue.append(nxt)
            # The clock always runs out in the end; patience only if it can before the clock.
            timed = "won" if c.slot else "no_decision"
            out.append(Edge("(time)", timed, False))
            self.outcomes.setdefault(timed, False)
            if self.patience_can_run_out:
                out.append(Edge("(patience)", "lost", False))
                self.outcomes.setdefault("lost", False)

    def _step(self, c: Config, line: str) -> Iterator[_Mind]:
        """Every way the engine can answer a line of this kind in this situation."""
        names = {line} if line in REP_MOVES else set()
        intent = line[len("intent:"):] if line.startswith("intent:") else None
        m = _Mind(c.state, c.stall_open, c.slot, dict(zip(self.flag_names, c.flags, strict=True)))
        was_open = m.stall_open
        if m.stall_open and names & {"confront_stall", "accept_stall"}:
            m.stall_open = False
        yield from self._transitions(m, names, intent, 0, was_open)

    def _transitions(self, m: _Mind, names: set[str], intent: str | None, start: int,
                     was_open: bool) -> Iterator[_Mind]:
        on = self.scenario.states[m.state].on
        for index in range(start, len(on)):
            t = on[index]
            if t.move is not None and t.move not in names:
                continue
            if t.intent is not None and t.intent != intent:
                continue
            holds = self._holds(t.when, m)
            if holds is False:
                continue
            fired = m.copy()
            self._fire(fired, t, (m.state, index))
            yield fired
            if holds is True:
                return
            # Unknown: the engine might also skip it and try the next ones.
        yield from self._builtin(m, names, was_open)

    def _fire(self, m: _Mind, t: Transition, where: tuple[str, int]) -> None:
        m.fired = where
        self._set(m, t.set)
        if t.goto is not None:
            self._enter(m, t.goto)
        if t.end is not None and m.end is None:
            m.end = t.end

    def _builtin(self, m: _Mind, names: set[str], was_open: bool) -> Iterator[_Mind]:
        sc = self.scenario
        if was_open and "accept_stall" in names:
            self._react(m, "stall_accepted")
            if m.end is None:
                m.end = "no_decision"
            yield m
            return
        if was_open and "confront_stall" in names:
            m.spoke = True
            if not sc.states[m.state].reveal:
                self._react(m, "stall_revealed")
        elif m.stall_open and names & _PUSHING:
            self._react(m, "stall_repeated")
            m.stall = True
            yield m
            return
        if m.end is not None:
            yield m
            return
        branches = [m]
        if "propose_time" in names:
            branches = []
            for reaction in ("slot_accepted", "slot_countered", "slot_unavailable", None):
                b = m.copy()
                if reaction == "slot_accepted":
                    b.slot = True
                if reaction is not None:
                    self._react(b, reaction)
                    b.spoke = True
                branches.append(b)
        for b in branches:
            yield from self._rest(b, names)

    def _rest(self, m: _Mind, names: set[str]) -> Iterator[_Mind]:
        sc = self.scenario
        if m.end is not None:
            yield m
            return
        if "assign_task" in names:
            ways = {"accept": ("task_accepted",), "refuse": ("task_refused",),
                    "push_back": ("task_refused", "task_accepted")}[sc.persona.tasks]
            for reaction in ways:
                b = m.copy()
                self._react(b, reaction)
                yield b
            return
        if "recap" in names:
            ways = ("recap_confirmed", "recap_corrected") if m.slot else ("recap_premature",)
            for reaction in ways:
                b = m.copy()
                self._react(b, reaction)
                if reaction == "recap_confirmed" and b.end is None:
                    b.end = "won"
                yield b
            return
        if m.spoke:
            yield m
            return
        if names & {"vague_time", "propose_time"}:
            self._react(m, "window_vague")
        elif "ask_next_step" in names:
            for reaction in ("next_step_proposed", "next_step_agreed"):
                b = m.copy()
                self._react(b, reaction)
                yield b
            return
        elif "tell_next_step" in names:
            if sc.persona.volunteered == "stall":
                self._react(m, "told_stall")
                m.stall = True
            else:
                self._react(m, "told_accepted")
        yield m

    def _react(self, m: _Mind, name: str) -> None:
        m.reactions.append(name)
        override = self.scenario.reactions.get(name)
        if override is None:
            return
        self._set(m, override.set)
        if override.goto is not None:
            self._enter(m, override.goto)
        if override.end is not None and m.end is None:
            m.end = override.end

    def _enter(self, m: _Mind, state: str) -> None:
        m.state = state
        if self.scenario.states[state].stall:
            m.stall = True
        else:
            m.stall_open = False

    # --- flags ---

    def _set(self, m: _Mind, effects: Mapping[str, Any]) -> None:
        for name, effect in effects.items():
            old = m.flags.get(name)
            if effect.relative:
                value = None if old is None else int(old) + int(effect.value)
            else:
                value = effect.value
            m.flags[name] = self._clip(name, value)

    def _clip(self, name: str, value: int | bool | None) -> int | bool | None:
        if value is None or isinstance(value, bool):
            return value
        low, high = self.bounds.get(name, (value, value))
        return value if low <= value <= high else None

    def _holds(self, conditions: tuple[Condition, ...], m: _Mind) -> bool | None:
        """True or False when the conditions are decided here; None when they may go
        either way."""
        result: bool | None = True
        for c in conditions:
            if c.name in m.flags:
                value = m.flags[c.name]
            elif c.name == "slot_agreed":
                value = m.slot
            elif c.name == "stall_open":
                value = m.stall_open
            else:
                value = None
            if value is None:
                result = None
                continue
            if not c.holds({c.name: value}):
                return False
        return result


def _bounds(scenario: Scenario) -> dict[str, tuple[int, int]]:
    """For each counter, the range of values worth telling apart: every number its
    conditions and effects name, its start, and one either side."""
    seen: dict[str, set[int]] = {}
    for name, start in scenario.flags.items():
        if not isinstance(start.value, bool):
            seen[name] = {int(start.value)}
    for state in scenario.states.values():
        for t in state.on:
            for c in t.when:
                if c.name in seen and not isinstance(c.value, bool):
                    seen[c.name].add(int(c.value))
            for name, e in t.set.items():
                if name in seen and not e.relative and not isinstance(e.value, bool):
                    seen[name].add(int(e.value))
    for r in (scenario.reactions.get(n) for n in _reaction_names(scenario)):
        if r is None:
            continue
        for name, e in r.set.items():
            if name in seen and not e.relative and not isinstance(e.value, bool):
                seen[name].add(int(e.value))
    return {n: (min(v) - 1, max(v) + 1) for n, v in seen.items()}


def _reaction_names(scenario: Scenario) -> list[str]:
    import dataclasses

    return [f.name for f in dataclasses.fields(scenario.reactions)]


def _patience_can_run_out(scenario: Scenario) -> bool:
    """Whether unproductive lines can end the meeting before the clock does."""
    clock = scenario.clock
    lines = math.ceil(clock.minutes / clock.per_turn - 1e-9)
    return scenario.patience.limit <= lines
