"""The scenario model, format v1: what a scenario file holds once loaded.

A scenario is a scripted prospect: who they are, what the trainee knows, the prospect's
calendar, how long the meeting lasts, and a state machine of what the prospect says and how
they react. The classes here are frozen dataclasses whose fields are declared with
:func:`trainer.scenario_fields.spec`, so the loader (:mod:`trainer.scenario_load`), the
authoring guide and a JSON Schema all read one table. Loading and validation live in
:mod:`trainer.scenario_load`; the engine that runs a scenario in :mod:`trainer.engine`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, Literal

from trainer.calendar import Calendar
from trainer.regexguard import GuardedPattern, compile_guarded
from trainer.scenario_fields import Scalar, spec

FORMAT_VERSION = 1

Outcome = Literal["won", "lost", "no_decision"]
OUTCOMES: tuple[str, ...] = ("won", "lost", "no_decision")

#: Rubric criteria a scenario may re-weight (ids are a contract, see DESIGN.md).
CRITERIA: tuple[str, ...] = (
    "ask_next_step", "confront_stall", "secure_date", "prospect_task", "recap",
)

#: Values the engine keeps itself; conditions may read them, ``set:`` may not write them.
BUILTIN_VARS: Mapping[str, str] = MappingProxyType({
    "turns": "how many lines the trainee has said",
    "stall_open": "true while a stall has not been confronted or let pass",
    "stalls": "how many stall lines the prospect has said",
    "confronted": "how many stalls the trainee confronted",
    "next_step": "true once the prospect has proposed a next step",
    "slot_agreed": "true once the prospect agreed to a specific date and time",
    "tasks_asked": "how many tasks the trainee asked the prospect to do",
    "task_agreed": "true once the prospect agreed to do something",
    "recapped": "true once the prospect confirmed the trainee's recap",
    "clock_left": "whole minutes left in the meeting",
    "patience_left": "unproductive lines the prospect will still sit through",
})

#: The engine's values that are true or false; the others are counts.
BUILTIN_FLAGS: frozenset[str] = frozenset(
    {"stall_open", "next_step", "slot_agreed", "task_agreed", "recapped"})

#: Placeholders every line may use, filled from the persona and the engine.
LINE_PLACEHOLDERS: tuple[str, ...] = ("name", "role", "company", "slot")

_NAME = r"^[A-Za-z_][A-Za-z0-9_-]*$"
_NAME_DOC = "a name of the letters a-z, digits, _ and -, starting with a letter"
_ID = r"^[a-z0-9][a-z0-9-]*$"


# --- scalars -----------------------------------------------------------------------------


_COND = re.compile(
    r"^\s*(not\s+)?([A-Za-z_][A-Za-z0-9_-]*)\s*"
    r"(?:(==|!=|<=|>=|<|>)\s*(-?\d+|true|false))?\s*$"
)


@dataclass(frozen=True)
class Condition(Scalar):
    """A test on a flag or counter: ``asked_budget``, ``not slot_agreed``, ``pushes >= 2``."""

    syntax: ClassVar[str] = "a condition like `flag`, `not flag` or `counter >= 2`"
    name: str
    op: str  # "truthy", "falsy" or a comparison operator
    value: int | bool = True
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> Condition:
        m = _COND.match(text)
        if not m or (m.group(1) and m.group(3)):
            raise ValueError(f"expected {cls.syntax}, not {text!r}")
        negated, name, op, value = m.groups()
        if op is None:
            return cls(name, "falsy" if negated else "truthy", True, text.strip())
        parsed: int | bool = {"true": True, "false": False}.get(value, 0)
        if value not in ("true", "false"):
            parsed = int(value)
        return cls(name, op, parsed, text.strip())

    def holds(self, values: Mapping[str, int | bool]) -> bool:
        """Whether the condition is true for these flag and counter values."""
        have = values.get(self.name, False)
        if self.op == "truthy":
            return bool(have)
        if self.op == "falsy":
            return not have
        return {
            "==": have == self.value, "!=": have != self.value,
            "<": have < self.value, "<=": have <= self.value,
            ">": have > self.value, ">=": have >= self.value,
        }[self.op]


@dataclass(frozen=True)
class FlagValue(Scalar):
    """A flag's starting value: ``true``, ``false`` or a whole number."""

    syntax: ClassVar[str] = "true, false or a whole number"
    json_type: ClassVar[str] = "boolean|integer"
    yaml_types: ClassVar[tuple[str, ...]] = ("bool", "int")
    value: int | bool

    @classmethod
    def parse(cls, text: str) -> FlagValue:
        word = text.strip().lower()
        if word in ("true", "yes", "on"):
            return cls(True)
        if word in ("false", "no", "off"):
            return cls(False)
        if re.fullmatch(r"[+-]?\d+", word):
            return cls(int(word))
        raise ValueError(f"expected {cls.syntax}, not {text!r}")


@dataclass(frozen=True)
class Effect(Scalar):
    """What ``set:`` does to a flag: ``true``/``false``, a number, or ``+1``/``-1`` to count."""

    syntax: ClassVar[str] = "true, false, a number, or +N / -N to add or take away"
    json_type: ClassVar[str] = "boolean|integer|string"
    value: int | bool
    relative: bool = False

    @classmethod
    def parse(cls, text: str) -> Effect:
        word = text.strip()
        if re.fullmatch(r"[+-]\d+", word):
            return cls(int(word), relative=True)
        return cls(FlagValue.parse(word).value)

    def apply(self, old: int | bool) -> int | bool:
        return int(old) + int(self.value) if self.relative else self.value


@dataclass(frozen=True)
class Pattern(Scalar):
    """A regular expression, searched case-insensitively; guarded against slow patterns."""

    syntax: ClassVar[str] = "a regular expression (Python syntax, case-insensitive)"
    error_code: ClassVar[str] = "NS108"
    guarded: GuardedPattern

    @classmethod
    def parse(cls, text: str) -> Pattern:
        if any(ch in text for ch in "\b\f\v\a\0"):
            # "\bword\b" in double quotes: YAML reads \b as a backspace, so it never matches
            raise ValueError("the pattern holds a control character: in double quotes YAML "
                             "reads \\b as a backspace; write the pattern in single quotes "
                             "('\\bword\\b')")
        return cls(compile_guarded(text))

    @property
    def source(self) -> str:
        return self.guarded.source

    def search(self, text: str) -> bool:
        return self.guarded.search(text) is not None


# --- the model ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Persona:
    """Who the prospect is and how they behave."""

    name: str = spec("The prospect's name; the speaker in transcripts.", example="Dana Reyes")
    role: str = spec("Their job title.", example="Head of Operations")
    company: str = spec("Their company.", example="Brightline Logistics")
    style: str = spec("How they talk and decide, for the trainee's brief.", default="")
    volunteered: Literal["stall", "accept"] = spec(
        "How they react when the trainee tells the next step or volunteers work "
        "(\"I'll send you a proposal\"): `stall` (\"Sure, send it and I'll have a look\") or "
        "`accept` passively (\"Sure, send it over\"). Either way no next step is secured.",
        default="stall",
    )
    tasks: Literal["accept", "push_back", "refuse"] = spec(
        "How they take a task before the next step: `accept`; `push_back` (refuse the first "
        "ask, accept the second); or `refuse` every time.",
        default="accept",
    )


@dataclass(frozen=True, kw_only=True)
class Clock:
    """The meeting clock: each exchange spends time, and the prospect warns before the end."""

    _shorthand: ClassVar[str] = "minutes"
    minutes: float = spec("How long the meeting has left when it starts.", default=30, min=1,
                          max=600)
    per_turn: float = spec("Minutes each exchange spends.", default=1.5, min=0.1, max=60)
    per_word: float = spec("Extra minutes per word the trainee says.", default=0.0, min=0,
                           max=5)
    warn_at: float = spec("Minutes left when the prospect warns that time is running out.",
                          default=5, min=0, max=600)
    warning: tuple[str, ...] = spec(
        "What the prospect adds when warning; `{minutes}` is the time left.",
        line=True, placeholders=("minutes",),
        factory=lambda: ("By the way, I've only got about {minutes} minutes left.",
                         "Just so you know, I need to wrap up in {minutes} minutes."),
        min_items=1,
    )


@dataclass(frozen=True, kw_only=True)
class Patience:
    """How many unproductive lines the prospect sits through before ending the meeting."""

    _shorthand: ClassVar[str] = "limit"
    limit: int = spec(
        "Unproductive lines (ones that match nothing, or transitions marked `unproductive`) "
        "before the prospect ends the meeting as lost.",
        default=3, min=1, max=50,
    )
    warning: tuple[str, ...] = spec(
        "What the prospect adds when one more unproductive line will end the meeting.",
        line=True,
        factory=lambda: ("I'm not sure where this is going.",
                         "Sorry, I'm struggling to see the point here."),
        min_items=1,
    )


def plain_sentences(text: str) -> list[str]:
    """Each sentence of ``text`` as :func:`trainer.text.plain` gives it, ending in ``?`` when
    it is a question ("whats up?" is "what is up?"), so a pattern that tells a question from a
    statement does so in this form too."""
    from trainer.text import segments

    return [seg.plain + ("?" if seg.question else "") for seg in segments(text)]


@dataclass(frozen=True, kw_only=True)
class Intent:
    """A scenario-defined kind of line, recognised by example phrases or patterns."""

    name: str = spec("The intent's name (its key under `intents:`).", from_key=True)
    examples: tuple[str, ...] = spec(
        "Phrases the trainee might say; a line matches when it is similar enough to one "
        "(see `threshold`).",
        factory=tuple,
    )
    patterns: tuple[Pattern, ...] = spec(
        "Regular expressions; a line matches when any is found in it as typed or normalised "
        "(lower case, contractions spelt out: \"whats\" is \"what is\").", factory=tuple,
    )
    threshold: float = spec(
        "How similar (0-100) a line must be to an example.", default=80, min=50, max=100,
    )

    def pattern_in(self, text: str, sentences: Sequence[str] | None = None) -> bool:
        """Whether a pattern is found in ``text`` as typed, or in one of its sentences
        normalised (``sentences``, :func:`plain_sentences`): "what is" also finds "whats" and
        "what's", and a pattern never reaches across a sentence end."""
        if not self.patterns:
            return False
        if any(p.search(text) for p in self.patterns):
            return True
        said = plain_sentences(text) if sentences is None else sentences
        return any(p.search(one) for one in said for p in self.patterns)

    def _validate(self) -> list[tuple[str | None, str, str]]:
        if not self.examples and not self.patterns:
            return [(None, "NS103", f"the intent `{self.name}` has neither `examples:` nor "
                     "`patterns:`; give it at least one of them")]
        return []


@dataclass(frozen=True, kw_only=True)
class Transition:
    """How the prospect reacts, in one state, to a move or an intent."""

    move: str | None = spec(
        "A move of the trainee's line that triggers this transition.", default=None, ref="move",
    )
    intent: str | None = spec(
        "An intent (from `intents:`) that triggers this transition.", default=None, ref="intent",
    )
    when: tuple[Condition, ...] = spec(
        "Conditions that must all hold, on flags and counters.", key="if", factory=tuple,
        example='["not asked_budget", "pushes < 2"]',
    )
    set: Mapping[str, Effect] = spec(
        "Flags to change when it fires.", factory=lambda: MappingProxyType({}), ref="flag",
        example="{asked_budget: true, pushes: +1}",
    )
    say: tuple[str, ...] = spec(
        "What the prospect says (one line is picked); the new state's lines when left out.",
        factory=tuple, line=True,
    )
    goto: str | None = spec("The state to move to.", default=None, ref="state")
    end: Outcome | None = spec("End the meeting with this outcome.", default=None)
    unproductive: bool = spec("Counts against the prospect's patience.", default=False)

    def _validate(self) -> list[tuple[str | None, str, str]]:
        out: list[tuple[str | None, str, str]] = []
        if self.move is None and self.intent is None:
            out.append((None, "NS103", "a transition needs `move:` or `intent:` to say what "
                        "triggers it"))
        elif self.move is not None and self.intent is not None:
            out.append(("intent", "NS113", "give a transition `move:` or `intent:`, not both; "
                        "write two transitions to react to either"))
        if self.goto is not None and self.end is not None:
            out.append(("end", "NS113", "a transition cannot both `goto:` a state and `end:` "
                        "the meeting; keep one"))
        if not self.say and self.goto is None and self.end is None:
            out.append((None, "NS103", "a transition needs `say:`, `goto:` or `end:`, or the "
                        "prospect has nothing to say"))
        return out

    @property
    def trigger(self) -> str:
        return self.move or self.intent or ""


@dataclass(frozen=True, kw_only=True)
class State:
    """One situation of the prospect's: what they say in it and how they react."""

    name: str = spec("The state's name (its key under `states:`).", from_key=True)
    say: tuple[str, ...] = spec(
        "What the prospect says on entering the state; one variant is picked.", min_items=1,
        line=True,
    )
    stall: bool = spec(
        "True when the prospect is stalling here (\"I'll think about it\"): entering raises a "
        "stall the trainee should confront.",
        default=False,
    )
    reveal: tuple[str, ...] = spec(
        "What the prospect admits when this stall is confronted (the real concern).",
        factory=tuple, line=True,
    )
    hints: tuple[str, ...] = spec("Tips the practice app can show the trainee here.",
                                  factory=tuple)
    on: tuple[Transition, ...] = spec(
        "Transitions, checked in order; the first that matches fires. Built-in reactions "
        "answer what none of them matches.",
        factory=tuple,
    )


@dataclass(frozen=True, kw_only=True)
class Reaction:
    """A built-in reaction's lines and, optionally, what it does next."""

    _shorthand: ClassVar[str] = "say"
    say: tuple[str, ...] = spec("What the prospect says; replaces the built-in lines.",
                                factory=tuple, line=True)
    goto: str | None = spec("The state to move to afterwards.", default=None, ref="state")
    set: Mapping[str, Effect] = spec("Flags to change.", factory=lambda: MappingProxyType({}),
                                     ref="flag")
    end: Outcome | None = spec("End the meeting with this outcome.", default=None)

    def _validate(self) -> list[tuple[str | None, str, str]]:
        if self.goto is not None and self.end is not None:
            return [("end", "NS113", "a reaction cannot both `goto:` a state and `end:` the "
                     "meeting; keep one")]
        return []


def _reaction(doc: str, *extra: str) -> Any:
    return spec(doc, default=None, placeholders=extra)


@dataclass(frozen=True, kw_only=True)
class Reactions:
    """Overrides for the engine's built-in reactions (see the authoring guide)."""

    next_step_proposed: Reaction | None = _reaction(
        "Asked for the next step the first time: the prospect proposes one.")
    next_step_agreed: Reaction | None = _reaction(
        "Asked again before a time is agreed: the prospect agrees to a next step.")
    told_stall: Reaction | None = _reaction(
        "Told the next step or offered work, with `persona.volunteered: stall` (a stall).")
    told_accepted: Reaction | None = _reaction(
        "Told the next step or offered work, with `persona.volunteered: accept`.")
    stall_revealed: Reaction | None = _reaction(
        "A stall was confronted in a state without `reveal:` lines.")
    stall_accepted: Reaction | None = _reaction(
        "The trainee let a stall pass; the meeting ends with no decision.")
    stall_repeated: Reaction | None = _reaction(
        "The trainee pushed on (asked, proposed a time…) without dealing with the stall.")
    slot_accepted: Reaction | None = _reaction("A proposed time is free.", "slot")
    slot_countered: Reaction | None = _reaction(
        "A proposed time is not free; the prospect offers the nearest free one.",
        "proposed", "reason", "counter")
    slot_unavailable: Reaction | None = _reaction(
        "A proposed time is not free and nothing near it is.", "proposed", "reason")
    slot_repeated: Reaction | None = _reaction(
        "The trainee said the booked time again, or asked for a next step once one is booked.",
        "slot")
    slot_declined: Reaction | None = _reaction(
        "The trainee turned down the prospect's counter-proposal and named no other time.",
        "counter")
    window_vague: Reaction | None = _reaction(
        "The trainee offered a vague window (\"in a few weeks\").", "window")
    task_accepted: Reaction | None = _reaction("The prospect takes on a task.")
    task_refused: Reaction | None = _reaction("The prospect pushes back on a task.")
    recap_confirmed: Reaction | None = _reaction(
        "The recap matches what was agreed; with a time agreed the meeting ends as won.",
        "slot")
    recap_corrected: Reaction | None = _reaction(
        "The recap names a different time from the agreed one.", "slot", "proposed")
    recap_premature: Reaction | None = _reaction(
        "A recap before any time was agreed.")
    recap_task_refused: Reaction | None = _reaction(
        "The recap gives the prospect a task they turned down.")

    def get(self, name: str) -> Reaction | None:
        value: Reaction | None = getattr(self, name)
        return value


@dataclass(frozen=True, kw_only=True)
class Ending:
    """How the meeting ends with one outcome: the prospect's closing line."""

    _shorthand: ClassVar[str] = "say"
    say: tuple[str, ...] = spec("The prospect's closing line; one variant is picked.",
                                min_items=1, line=True)


@dataclass(frozen=True, kw_only=True)
class Endings:
    """The three ways a meeting ends."""

    won: Ending = spec("A next step is secured: a specific time is agreed.")
    lost: Ending = spec("The prospect ends the meeting (patience ran out, or a transition).")
    no_decision: Ending = spec(
        "The meeting ends with nothing agreed: a stall let pass, or time ran out.")

    def get(self, outcome: str) -> Ending:
        value: Ending = getattr(self, outcome)
        return value


@dataclass(frozen=True, kw_only=True)
class Criterion:
    """An extra rubric criterion for this scenario."""

    id: str = spec("The criterion's id in scorecards.", pattern=_ID,
                   pattern_doc="lowercase letters, digits and -")
    title: str = spec("What it checks, in a few words.")
    passes_if: tuple[Condition, ...] = spec(
        "Conditions on the final flags and counters that must all hold to pass.", min_items=1,
    )
    tip: str = spec("Advice shown when it fails.", default="")
    weight: float = spec("Its weight in the score.", default=1.0, min=0, max=10)


@dataclass(frozen=True, kw_only=True)
class Rubric:
    """Scenario-specific grading: re-weighted criteria and extra ones."""

    weights: Mapping[str, float] = spec(
        "Weights for the standard criteria (1 when left out; 0 drops one).",
        factory=lambda: MappingProxyType({}), choices=CRITERIA,
    )
    criteria: tuple[Criterion, ...] = spec("Extra criteria.", factory=tuple)

    def _validate(self) -> list[tuple[str | None, str, str]]:
        out: list[tuple[str | None, str, str]] = []
        seen: set[str] = set()
        for c in self.criteria:
            if c.id in CRITERIA:
                out.append(("criteria", "NS122", f"the extra criterion `{c.id}` has the id of a "
                            "standard one; give it its own id (re-weight a standard criterion "
                            "under `weights:`)"))
            elif c.id in seen:
                out.append(("criteria", "NS122", f"two extra criteria have the id `{c.id}`; "
                            "give each its own"))
            seen.add(c.id)
        return out


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """A whole scenario file."""

    _ignored: ClassVar[tuple[str, ...]] = ("tests",)

    version: int = spec("The format version; 1.", default=FORMAT_VERSION, min=1, max=1)
    id: str = spec("A short unique id, used to pick the scenario.", pattern=_ID,
                   pattern_doc="lowercase letters, digits and -", example="polite-staller")
    title: str = spec("The scenario's title.")
    difficulty: int = spec("How hard it is, 1 (gentle) to 5 (brutal).", min=1, max=5)
    tags: tuple[str, ...] = spec("Words to find it by.", factory=tuple)
    persona: Persona = spec("Who the prospect is.")
    brief: str = spec("What the trainee knows before the meeting.")
    goal: str = spec("What the trainee should achieve.")
    calendar: Calendar = spec("The prospect's calendar and the scenario's now.")
    clock: Clock = spec("The meeting clock.", factory=Clock)
    patience: Patience = spec("The prospect's patience.", factory=Patience)
    flags: Mapping[str, FlagValue] = spec(
        "The scenario's own flags and counters with their starting values.",
        factory=lambda: MappingProxyType({}),
    )
    intents: Mapping[str, Intent] = spec("Scenario-defined kinds of line.",
                                         factory=lambda: MappingProxyType({}))
    start: str | None = spec("The first state; the first one listed when left out.",
                             default=None, ref="state")
    states: Mapping[str, State] = spec("The prospect's states.", min_items=1)
    fallback: tuple[str, ...] = spec(
        "What the prospect says to a line that matches nothing; rotated, never the same "
        "twice in a row.",
        min_items=2, line=True,
    )
    reactions: Reactions = spec("Overrides for built-in reactions.", factory=Reactions)
    endings: Endings = spec("The prospect's closing lines for each outcome.")
    rubric: Rubric = spec("Scenario-specific grading.", factory=Rubric)

    # Runtime-only: where the scenario was loaded from (not part of the format).
    source: str = ""

    @property
    def start_state(self) -> str:
        """The state the meeting starts in."""
        return self.start or next(iter(self.states))
