"""Where a scenario can go: the prospect's state machine explored without playing it.

The engine's reply to a line depends on the line's moves, the state, the scenario's flags, and
a few things the engine keeps (is a stall open, is a time agreed). :class:`Flow` runs the same
rules on *kinds* of line instead of lines: each trainee move alone, each intent, and a line
that matches nothing. It follows every transition and built-in reaction the engine could take,
tracking true/false flags exactly and counters as ranges cut at the numbers their conditions
name, so a transition guarded by ``pushes >= 2`` fires only once something has pushed the
counter there, and a counter that climbs to a million costs no more than one that climbs to
three. Flags no condition reads are not tracked. Whatever the engine cannot decide from these
(the calendar, the engine's own counters) is taken both ways.

The result over-approximates: every path a real conversation can take is here, plus perhaps a
few it cannot. So "never reached" is trustworthy, which is what the linter needs.
"""

from __future__ import annotations

import dataclasses
import math
from bisect import bisect_right
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NamedTuple

from trainer.moves import REP_MOVES

if TYPE_CHECKING:
    from trainer.scenario import Condition, Scenario, Transition

#: Beyond this many explored situations the flow gives up (and lints that need it stay quiet).
MAX_CONFIGS = 20_000
_INF = float("inf")
Value = bool | tuple[float, float]  # a true/false flag, or a counter's (low, high) range

_PUSHING = frozenset({"ask_next_step", "propose_time", "vague_time", "assign_task", "recap"})
OTHER = "(anything else)"  # a line that makes no move and matches no intent


class Config(NamedTuple):
    """A situation of the meeting between two lines (a tuple: explored by the thousand)."""

    state: str
    stall_open: bool
    slot: bool  # a specific time is agreed
    flags: tuple[Value, ...]  # of the flags conditions read: a bool, or a counter's range


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
    flags: dict[str, Value]
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
        read = {c.name for st in scenario.states.values() for t in st.on for c in t.when}
        self.flag_names = tuple(n for n in scenario.flags if n in read)
        self.regions = _regions(scenario, self.flag_names)
        # A line matching an intent no transition of the state uses is, there, a line that
        # matches nothing: only the state's own intents are worth trying.
        self.inputs = {
            name: (*REP_MOVES,
                   *dict.fromkeys(f"intent:{t.intent}" for t in st.on if t.intent), OTHER)
            for name, st in scenario.states.items()}
        self.edges: dict[Config, list[Edge]] = {}
        self.fired: set[tuple[str, int]] = set()
        self.reactions: dict[str, set[str]] = {}  # reaction -> states it answers in
        self.booked_in: set[str] = set()  # states where a built-in reaction books a time
        self.outcomes: dict[str, bool] = {}  # outcome -> reached deliberately
        self.complete = True
        self._by_state: dict[str, set[Config]] | None = None
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
        """The situations in which the prospect is in ``state``."""
        if self._by_state is None:
            self._by_state = {}
            for c in self.edges:
                self._by_state.setdefault(c.state, set()).add(c)
        return self._by_state.get(state, set())

    def escapes(self, state: str) -> bool:
        """Whether something the trainee says in ``state`` can lead to another state or
        end the meeting (the clock and patience aside)."""
        starts = self.at(state)
        seen = set(starts)
        queue = deque(starts)
        while queue:
            for e in self.edges.get(queue.popleft(), ()):
                if not e.deliberate:
                    continue
                if isinstance(e.target, str) or e.target.state != state:
                    return True
                if e.target not in seen:
                    seen.add(e.target)
                    queue.append(e.target)
        return False

    # --- exploring ---

    def _opening(self) -> Config:
        start = self.scenario.start_state
        flags = tuple(self._value(n, self.scenario.flags[n].value) for n in self.flag_names)
        return Config(start, self.scenario.states[start].stall, False, flags)

    def _explore(self, limit: int) -> None:
        queue = deque([self.start])
        self.edges[self.start] = []
        while queue:
            c = queue.popleft()
            out = self.edges[c]
            for line in self.inputs[c.state]:
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
            declined = sc.reactions.get("slot_declined")
            if declined is not None and (declined.goto or declined.end):
                # The trainee's next line may turn the counter-proposal down; a reaction that
                # moves the meeting is drawn from here, as if said in the same step.
                b = branches[1].copy()
                self._react(b, "slot_declined")
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
            if m.slot and "task_refused" in m.reactions and "task_accepted" not in m.reactions:
                ways += ("recap_task_refused",)
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
            ways = ("slot_repeated",) if m.slot else ("next_step_proposed", "next_step_agreed")
            for reaction in ways:
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

    def _value(self, name: str, value: int | bool) -> Value:
        if isinstance(value, bool):
            return value
        return self._widen(name, value, value)

    def _widen(self, name: str, low: float, high: float) -> Value:
        """A counter's range, grown to the edges of the regions it touches."""
        cuts = self.regions[name]
        i = bisect_right(cuts, low) - 1
        j = bisect_right(cuts, high) - 1
        start = cuts[i] if i >= 0 else -_INF
        end = cuts[j + 1] - 1 if j + 1 < len(cuts) else _INF
        return (start, end)

    def _set(self, m: _Mind, effects: Mapping[str, Any]) -> None:
        for name, effect in effects.items():
            if name not in m.flags:
                continue  # no condition reads it
            old = m.flags[name]
            if isinstance(old, bool) or isinstance(effect.value, bool):
                m.flags[name] = effect.value if not effect.relative else old
            elif effect.relative:
                m.flags[name] = self._widen(name, old[0] + effect.value, old[1] + effect.value)
            else:
                m.flags[name] = self._value(name, int(effect.value))

    def _holds(self, conditions: tuple[Condition, ...], m: _Mind) -> bool | None:
        """True or False when the conditions are decided here; None when they may go
        either way."""
        result: bool | None = True
        for c in conditions:
            if c.name in m.flags:
                verdict = self._test(c, m.flags[c.name])
            elif c.name in ("slot_agreed", "stall_open"):
                verdict = c.holds({c.name: m.slot if c.name == "slot_agreed" else m.stall_open})
            else:
                verdict = None  # the engine's own counters: either way
            if verdict is False:
                return False
            if verdict is None:
                result = None
        return result

    def _test(self, c: Condition, value: Value) -> bool | None:
        if isinstance(value, bool):
            return c.holds({c.name: value})
        # Every region inside the range answers a condition one way (regions are cut at the
        # numbers conditions name), so one value from each tells.
        cuts = self.regions[c.name]
        low, high = value
        samples = [low if low > -_INF else (cuts[0] - 1 if cuts else 0)]
        samples += [x for x in cuts if low < x <= high]
        answers = {c.holds({c.name: int(x)}) for x in samples}
        return answers.pop() if len(answers) == 1 else None


def _regions(scenario: Scenario, names: tuple[str, ...]) -> dict[str, list[int]]:
    """Where each counter's regions start. Every number a counter's conditions or absolute
    ``set:`` name, its start, and the numbers either side of them are regions of their own;
    the stretches between them, and beyond, are one region each."""
    points: dict[str, set[int]] = {n: set() for n in names
                                   if not isinstance(scenario.flags[n].value, bool)}
    for name in points:
        points[name].add(int(scenario.flags[name].value))
    effects: list[Mapping[str, Any]] = []
    for state in scenario.states.values():
        for t in state.on:
            for c in t.when:
                if c.name in points and not isinstance(c.value, bool):
                    points[c.name].add(int(c.value))
            effects.append(t.set)
    for f in dataclasses.fields(scenario.reactions):
        r = scenario.reactions.get(f.name)
        if r is not None:
            effects.append(r.set)
    for sets in effects:
        for name, e in sets.items():
            if name in points and not e.relative and not isinstance(e.value, bool):
                points[name].add(int(e.value))
    out: dict[str, list[int]] = {}
    for name, values in points.items():
        singles = sorted({v + d for v in values for d in (-1, 0, 1)})
        cuts: list[int] = []
        for v in singles:
            cuts.append(v)  # a region of its own...
            if v + 1 not in singles:
                cuts.append(v + 1)  # ...then the stretch up to the next one
        out[name] = cuts
    return out


def _patience_can_run_out(scenario: Scenario) -> bool:
    """Whether unproductive lines can end the meeting before the clock does."""
    clock = scenario.clock
    lines = math.ceil(clock.minutes / clock.per_turn - 1e-9)
    return scenario.patience.limit <= lines
