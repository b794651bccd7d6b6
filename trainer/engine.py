"""The prospect engine: a deterministic state machine that answers the trainee's lines.

Each trainee line is classified into moves (:func:`trainer.moves.classify`); the engine then

1. records what the trainee did (events such as ``stall_confronted`` or ``slot_proposed``);
2. fires the first transition of the current state whose move or intent matches and whose
   conditions hold, or else applies the built-in reactions for the moves in the line, or else
   answers with a fallback line (which costs the prospect's patience);
3. spends time on the meeting clock, warns when it runs low, and ends the meeting when time
   or patience runs out.

Built-in reactions (a scenario overrides their lines under ``reactions:``, or replaces them in
one state with a transition on the same move):

==================  =====================================================================
trainee's move      the prospect
==================  =====================================================================
accept_stall        takes the way out; the meeting ends with no decision
confront_stall      reveals the real concern (the state's ``reveal:`` lines)
(pushing on while   repeats the stall: asking, proposing times or tasks does not get past
 a stall is open)   an unconfronted "I'll think about it"
propose_time        accepts a free slot, or counter-proposes the nearest free one
assign_task         accepts, pushes back once, or refuses, by ``persona.tasks``
recap               confirms it (ending the meeting as won once a time is agreed), or
                    corrects it
vague_time          stays vague: "sure, sometime"
ask_next_step       proposes a next step, or agrees to one
tell_next_step      stalls or accepts passively, by ``persona.volunteered``
==================  =====================================================================

Line variants are picked by a hash of the seed, the turn number and the line's place in the
scenario, so the same seed and the same trainee lines give the same run, and no variant
is said twice in a row.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Any

from trainer.cues import TASK, turns_down
from trainer.errors import UsageError
from trainer.matching import PhraseBank
from trainer.moves import PROSPECT_MOVES, REP_MOVES, Move
from trainer.scenario import Reaction, Scenario, State, Transition, plain_sentences
from trainer.text import plain
from trainer.transcript import Event, Transcript, Turn

__all__ = ["DEFAULT_REACTIONS", "Engine", "Reply"]

Classify = Callable[..., Sequence[Move]]
FindTimes = Callable[[str, datetime], Sequence[Any]]

#: The built-in reactions' lines, used where a scenario does not override them.
DEFAULT_REACTIONS: Mapping[str, tuple[str, ...]] = {
    "next_step_proposed": (
        "Good question. I suppose the next step would be another call with my team to go "
        "through the details.",
        "Honestly, my team would need to see this before anything else. Another session "
        "with them, maybe?",
    ),
    "next_step_agreed": ("Yes, let's do that. When suits you?",
                         "Sure, that makes sense. When were you thinking?"),
    "told_stall": ("Sure, send it over and I'll have a look. I'll get back to you.",
                   "OK, send me something and I'll think about it."),
    "told_accepted": ("Sure, send it over.", "OK, sounds good, send it through."),
    "stall_revealed": ("Honestly? It's just not a priority right now. Maybe next quarter.",
                       "To be frank, I'm not sure we have the budget for this yet."),
    "stall_accepted": ("Great, thanks for understanding.", "Thanks, I appreciate that."),
    "stall_repeated": ("Like I said, I need to think it over first.",
                       "As I said, let me think about it and I'll get back to you."),
    "slot_accepted": ("{slot} works for me. I'll put it in my calendar.",
                      "Let's do {slot}. I'll send an invite."),
    "slot_countered": ("I can't do {proposed}: {reason}. How about {counter}?",
                       "{proposed} doesn't work, {reason}. Could we do {counter} instead?"),
    "slot_unavailable": ("I can't do {proposed}: {reason}, and my calendar is packed around "
                         "then.",
                         "{proposed} won't work, {reason}, and I've nothing free near it."),
    "slot_repeated": ("Yes, {slot}. It's in my diary.", "We've got {slot} in the diary."),
    "slot_declined": ("No problem. When would suit you instead?",
                      "OK, {counter} is out then. What works better for you?"),
    "window_vague": ("Sure, sometime {window} could work. Just drop me a line.",
                     "Yeah, sometime {window}, sure."),
    "task_accepted": ("Sure, I can do that before we meet.", "OK, I'll get that done."),
    "task_refused": ("I'm not sure I'll have time for that, to be honest.",
                     "Hmm, I'd rather not commit to that right now."),
    "recap_confirmed": ("Yes, that's right.", "Exactly, that's what we agreed."),
    "recap_corrected": ("Hang on, I thought we said {slot}, not {proposed}.",
                        "Wait, didn't we say {slot}?"),
    "recap_premature": ("Hang on, I don't think we've fixed a time yet.",
                        "We haven't actually agreed a time, have we?"),
    "recap_task_refused": ("Hang on, I didn't say I'd do that part. The time's fine, but I "
                           "can't take that on.",
                           "The time's right, but I never agreed to that, remember?"),
}

# A recap that gives the prospect a task: "you'll bring the numbers", "and you send the list".
_GIVES_TASK = re.compile(rf"\byou (?:will |are going to |are |to |would |can )?(?:just |also |"
                         rf"then )?{TASK}\b")

# A "yes" to a counter-proposal books it: a yes-word among the first words of the line, or a
# phrase of agreement, and no negation in its first clause.
_YES = frozenset({"yes", "yeah", "yep", "yup", "sure", "okay", "ok", "great", "perfect", "fine",
                  "deal", "good", "absolutely", "definitely", "brilliant", "excellent", "works",
                  "suits", "agreed", "lovely", "alright", "happy", "cool", "grand",
                  "absolutly"})
# ... or one to end the line: "9 your time, perfect", "Friday works"
_YES_LAST = frozenset({"works", "suits", "perfect", "great", "fine", "good", "lovely",
                       "brilliant"})
# ... said of a time ("9 your time, perfect"), not of anything ("our product is great")
_NAMES_A_TIME = re.compile(r"\d|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                           r"today|tomorrow)\b|^(?:that|this|it) ")
_YES_PHRASES = ("that works", "works for me", "sounds good", "let us do", "see you then",
                "book it", "lock it in", "put it in", "it is", "go with", "can do", "go for it",
                "of course", "why not")
# A yes that puts the decision off after all: "sounds good but I need to check".
_PUT_OFF = re.compile(r"\b(?:but|whatever|rather not|first|check (?:my|our|with|if|whether|"
                      r"the (?:calendar|diary)|availability|and)|get back|think (?:about|it over|"
                      r"on it)|let me (?:check|think|get back|see|look|confirm|ask)|not sure)\b")
# A question that takes the time up: "shall we say Friday at 12 then?"
_TAKES_UP = re.compile(r"\b(?:how about|what about|shall we|can we|could we|let us|say)\b")
_NO = frozenset({"no", "not", "nope", "cannot", "never", "neither", "nor", "nothing", "rarely",
                 "hardly"})
# Where a yes's first clause ends: "12 works, I won't keep you long".
_FIRST_CLAUSE = re.compile(r"[,.;!?]|\s[-\u2013\u2014]\s|\s+but\s")
# Said agreeing, for all their "no": "no problem, 12 works".
_NO_BUT_YES = re.compile(r"\b(?:no problem|no worries|not a problem|no bother|no stress|why not|"
                         r"(?:i )?(?:do not|cannot) see why not|not bad|"
                         r"can not wait|cannot wait|never mind|nothing wrong|not busy|"
                         r"no no|no,?(?= that is (?:perfect|great|fine)))\b")
# The word before a window that belongs to it: "in" the next fortnight, "within" a month.
_PREPOSITION = re.compile(r"\b(in|within|over|during|before|after|around)\s+$", re.IGNORECASE)
# ... which a window that is a bare noun phrase needs ("the next fortnight", "early July"),
# and one like "next week" or "over the summer" does not
_NOUN_WINDOW = re.compile(r"(?:the|a|an|early|mid|late|\d+|january|february|march|april|may|"
                          r"june|july|august|september|october|november|december)\b",
                          re.IGNORECASE)
# Another time offered with the no: "3 doesn't work, how about 4pm", "no, 4pm works better".
_OFFERS_ANOTHER = re.compile(r"\b(?:how about|what about|could we|can we|shall we|instead|"
                             r"better|prefer|rather)\b")
# A question about the offered time that looks for another: "is 12 the earliest you have?"
_SEEKS_OTHER = re.compile(r"\b(?:earliest|latest|earlier|later|other|else|instead|only|any)\b")
# An hour offered with no am or pm, on the day under discussion: "make it 11?"
_BARE_HOUR = re.compile(r"\b(?:make it|how about|what about|could we do|can we do|could you do|"
                        r"can you do|say|try)\s+(\d{1,2})(?::(\d\d))?(?:\s+instead)?\s*$")
# A time said on the prospect's clock: "Thursday at 9am your time".
_YOUR_TIME = re.compile(r"\s*[,(]?\s*(?:(?:your|ur|yr) (?:local )?(?:time|end|side)|"
                        r"in (?:your|ur) (?:local )?time ?zone|on your (?:side|end)|yours\b|"
                        r"for you\s*(?:[?.!)]|$))", re.IGNORECASE)
_PUSHING = frozenset({"ask_next_step", "propose_time", "vague_time", "assign_task", "recap"})


@dataclass(frozen=True)
class Reply:
    """The prospect's answer to one trainee line, and what it changed."""

    line: str
    moves: tuple[Move, ...]
    events: tuple[Event, ...]
    state: str
    ended: bool = False
    outcome: str | None = None
    intent: str | None = None
    understood: bool = True  # False: nothing in the scenario answered it (a fallback line)


@dataclass
class _Mind:
    """Everything a reply changes. A reply works on a copy, so undo is a pop."""

    state: str
    flags: dict[str, int | bool]
    turns: list[Turn] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    last: dict[str, str] = field(default_factory=dict)
    clock_used: float = 0.0
    unproductive: int = 0
    fallbacks: int = 0
    stall_open: bool = False
    stalls: int = 0
    confronted: int = 0
    next_step: bool = False
    slot: datetime | None = None
    counter: datetime | None = None
    tasks_asked: int = 0
    tasks_refused: int = 0
    task_agreed: bool = False
    recapped: bool = False
    warned_clock: bool = False
    warned_patience: bool = False
    outcome: str | None = None

    def copy(self) -> _Mind:
        return dataclasses.replace(self, flags=dict(self.flags), turns=list(self.turns),
                                   events=list(self.events), last=dict(self.last))


@dataclass
class _Out:
    """What the prospect is about to say and do in this reply."""

    lines: list[str] = field(default_factory=list)
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # prospect's
    stall: bool = False
    end: str | None = None
    reason: str = ""
    intent: str | None = None
    productive: bool = True


class Engine:
    """Plays the prospect of one scenario.

    ``seed`` picks among line variants; ``classify`` and ``find_times`` default to
    :func:`trainer.moves.classify` and :func:`trainer.when.find_times` and may be replaced
    (tests, other languages). ``rep_name`` is the trainee's name in the transcript.
    """

    def __init__(self, scenario: Scenario, *, seed: int = 0, classify: Classify | None = None,
                 find_times: FindTimes | None = None, rep_name: str = "Rep") -> None:
        if classify is None:
            from trainer.moves import classify as default_classify
            classify = default_classify
        if find_times is None:
            from trainer.when import find_times as default_find_times
            find_times = default_find_times
        self.scenario = scenario
        self.seed = seed
        self.rep_name = rep_name
        self._classify: Classify = classify
        self._takes_moves = _accepts(classify, "previous_moves")
        self._find_times: FindTimes = find_times
        self._banks = {name: PhraseBank({name: i.examples}, threshold=i.threshold)
                       for name, i in scenario.intents.items() if i.examples}
        self._history: list[_Mind] = []
        # each step as the engine played it, where a trainer's line overruled it (live)
        self._said: list[_Mind | None] = []

    # --- the conversation ---

    def opening(self) -> str:
        """The prospect's first line (said once; later calls return it again)."""
        if not self._history:
            m = _Mind(self.scenario.start_state,
                      {k: v.value for k, v in self.scenario.flags.items()})
            out = _Out()
            out.lines.append(self._enter(m, out, m.state, speak=True))
            self._prospect_turn(m, out, previous=None)
            self._history.append(m)
            self._said.append(None)
        return self._history[0].turns[0].text

    def reply(self, text: str) -> Reply:
        """The prospect's answer to the trainee's line ``text``."""
        self.opening()
        prev = self._history[-1]
        if prev.outcome is not None:
            raise UsageError(f"The meeting has ended ({prev.outcome.replace('_', ' ')}); start "
                             "a new run, or undo the last line to carry on from before it.")
        m = prev.copy()
        previous = m.turns[-1].text
        moves = tuple(x for x in self._moves(text, "rep", previous, m.turns[-1].moves)
                      if x.name in REP_MOVES)
        names = {x.name for x in moves}
        if "tell_next_step" in names:
            # Volunteering work is the way out of a stall, not a confrontation of it; the
            # turn keeps the moves as the prospect took them (a test's trace shows them).
            names.discard("confront_stall")
            moves = tuple(x for x in moves if x.name != "confront_stall")
            last = next((t for t in reversed(m.turns) if t.role == "rep"), None)
            if m.stall_open and not names & _PUSHING and last is not None and \
                    any(x.name == "tell_next_step" for x in last.moves):
                # Volunteered work met a stall ("sure, send it over"); volunteering again
                # ("lovely, I'll have it over by Friday") lets that stall stand, however the
                # classifier weighed the reply.
                names.add("accept_stall")
        rep_i = len(m.turns)
        m.turns.append(Turn(self.rep_name, "rep", text, moves, time=m.clock_used * 60))
        out = _Out()
        counter, m.counter = m.counter, None  # a counter-proposal waits one line for a yes
        slot, window = self._times(text, names, counter, counter or m.slot)
        was_open = m.stall_open
        self._facts(m, rep_i, names, slot, window)
        fired = self._transition(m, out, text, names)
        if not fired:
            self._builtin(m, out, text, names, slot, window, was_open, counter)
        elif fired.say == () and out.intent is not None and out.end is None and not out.stall \
                and slot is not None and "propose_time" in names:
            # "can we book Tuesday at 9 with the committee?": an intent that only moves the
            # meeting on leaves the time in the same line to be booked, not said again
            self._slot(m, out, text, names, slot, counter)
        understood = bool(out.lines) or out.end is not None
        if not understood:
            out.lines.append(self._fallback(m))
            out.productive = False
        if not out.productive:
            m.unproductive += 1
        self._spend(m, out, text)
        if out.end is not None:
            self._finish(m, out)
        self._prospect_turn(m, out, previous=text)
        self._history.append(m)
        self._said.append(None)
        first_new = len(prev.events)
        return Reply(line=m.turns[-1].text, moves=moves, events=tuple(m.events[first_new:]),
                     state=m.state, ended=m.outcome is not None, outcome=m.outcome,
                     intent=out.intent, understood=understood)

    def undo(self) -> bool:
        """Take back the last trainee line and the prospect's answer; False at the start."""
        if len(self._history) <= 1:
            return False
        self._history.pop()
        self._said.pop()
        return True

    def overrule(self, text: str | None) -> None:
        """The prospect's last line was in fact ``text``: a trainer voicing the prospect said
        something else than the engine's line. The line replaces the engine's, and the engine
        follows what it settles, so later suggestions agree with it: a task or a time it
        takes up or turns down, a time of its own it offers, a stall it raises or drops, a
        recap it does not confirm, a meeting it does not end. ``None`` puts the engine's own
        line back."""
        self.opening()
        base = self._said[-1] or self._history[-1]
        if text is None:
            self._history[-1], self._said[-1] = base, None
            return
        before = self._history[-2] if len(self._history) > 1 else None
        m = base.copy()
        rep = m.turns[-2] if len(m.turns) > 1 else None
        moves = tuple(x for x in self._moves(text, "prospect", rep.text if rep else None,
                                              rep.moves if rep else ())
                      if x.name in PROSPECT_MOVES)
        names = {x.name for x in moves}
        yes = "agree" in names and not names & {"decline", "stall"}
        no = (bool(names & {"decline", "objection", "stall"}) or turns_down(text)) \
            and "agree" not in names
        index = len(m.turns) - 1
        kinds = {e.kind for e in m.events if e.turn == index}
        drop: set[str] = set()
        added: list[Event] = []
        if before is not None and rep is not None:
            if self._follow_time(m, before, text, yes=yes, no=no, drop=drop, added=added):
                yes = False  # "Almost. Can we make it 11?" confirms nothing
            asked = rep.has("assign_task") or (m.tasks_asked > 0 and not m.task_agreed)
            if asked and yes and "task_accepted" not in kinds:
                m.task_agreed, m.tasks_refused = True, before.tasks_refused
                drop.add("task_refused")
                added.append(Event(index, "task_accepted", {}))
            elif rep.has("assign_task") and no and "task_accepted" in kinds:
                m.task_agreed, m.tasks_refused = before.task_agreed, before.tasks_refused + 1
                drop.add("task_accepted")
                added.append(Event(index, "task_refused", {}))
            if rep.has("recap") and yes and "recap_confirmed" not in kinds:
                m.recapped = True  # confirmed, though the script would not have
                drop.add("recap_corrected")
                added.append(Event(index, "recap_confirmed", {}))
        if "stall" in names and not m.stall_open:
            m.stall_open, m.stalls = True, m.stalls + 1
        elif "stall" not in names and "stall_raised" in kinds:
            m.stall_open, m.stalls = False, m.stalls - 1
            drop.add("stall_raised")
        if m.outcome is not None and not (yes and "recap_confirmed" in kinds):
            # the trainer said something else than the scripted ending: the meeting goes on
            m.outcome = None
            m.recapped = m.recapped and "recap_confirmed" not in kinds
            drop |= {"recap_confirmed", "ending"}
        m.events = [e for e in m.events if not (e.turn == index and e.kind in drop)] + added
        m.turns[-1] = dataclasses.replace(m.turns[-1], text=text, moves=moves)
        self._history[-1] = m
        self._said[-1] = base

    def _follow_time(self, m: _Mind, before: _Mind, text: str, *, yes: bool, no: bool,
                     drop: set[str], added: list[Event]) -> bool:
        """:meth:`overrule` for the time on the table: the prospect's line ``text`` takes up
        or turns down the trainee's time, restates the script's counter-offer, or offers
        one of its own (then True)."""
        index = len(m.turns) - 1
        kinds = {e.kind for e in m.events if e.turn == index}
        offered = next((datetime.fromisoformat(e.detail["when"]) for e in m.events
                        if e.turn == index - 1 and e.kind == "slot_proposed"), None)
        named = self._named_slots(text, offered or before.counter or before.slot)
        theirs = [t for t in named if t != offered]
        if m.counter is not None and m.counter in named:
            return False  # the script's own counter-proposal, in other words
        if theirs and theirs[0] != m.slot:
            # "10 is tricky. Make it 11?": the prospect's own counter-proposal
            m.slot, m.counter = before.slot, theirs[0]
            drop |= {"slot_accepted", "slot_countered"}
            added.append(Event(index, "slot_countered", {
                "proposed": offered.isoformat() if offered else "",
                "counter": theirs[0].isoformat()}))
            return True
        if no and "slot_accepted" in kinds:
            m.slot = before.slot
            drop.add("slot_accepted")
        elif yes and offered is not None and m.slot != offered:
            # "Friday at 2 is fine" where the script offered another time, or repeated its
            # stall
            m.slot, m.counter = offered, None
            drop.add("slot_countered")
            added.append(Event(index, "slot_accepted", {"when": offered.isoformat()}))
        return False

    def _named_slots(self, text: str, day: datetime | None) -> list[datetime]:
        """The specific times ``text`` names; a time with no day is on ``day``, and so is an
        hour offered alone ("make it 11?")."""
        cal = self.scenario.calendar
        named = [self._on_day(cal.localize(m.when), m, day)
                 for m in self._find_times(text, cal.moment)
                 if m.kind == "slot" and m.when is not None]
        bare = _BARE_HOUR.search(plain(text)) if day is not None and not named else None
        if day is None or bare is None or not 1 <= int(bare[1]) <= 12:
            return named
        hour = int(bare[1]) + (12 if int(bare[1]) < 8 else 0)  # "make it 3": 3pm
        return [day.replace(hour=hour, minute=int(bare[2] or 0), second=0, microsecond=0)]

    @staticmethod
    def _on_day(slot: datetime, mention: Any, day: datetime | None) -> datetime:
        """A time said with no day ("12pm works") is on ``day``, the day under discussion."""
        if getattr(mention, "time_only", False) and day is not None:
            return day.replace(hour=slot.hour, minute=slot.minute, second=0, microsecond=0)
        return slot

    # --- what the practice app reads ---

    @property
    def state(self) -> str:
        return self._mind.state

    @property
    def ended(self) -> bool:
        return self._mind.outcome is not None

    @property
    def outcome(self) -> str | None:
        return self._mind.outcome

    @property
    def clock_left(self) -> float:
        """Minutes left in the meeting."""
        return max(0.0, self.scenario.clock.minutes - self._mind.clock_used)

    @property
    def patience_left(self) -> int:
        return max(0, self.scenario.patience.limit - self._mind.unproductive)

    @property
    def hints(self) -> tuple[str, ...]:
        """Tips for the trainee in the current state."""
        return self.scenario.states[self.state].hints

    @property
    def state_is_new(self) -> bool:
        """True at the start and right after a reply that moved to another state: the state's
        hints speak to this moment, not to one the trainee has already answered."""
        return len(self._history) < 2 or self._history[-2].state != self._history[-1].state

    @property
    def values(self) -> dict[str, int | bool]:
        """The scenario's flags and the engine's counters, as conditions see them."""
        return self._values(self._mind)

    @property
    def transcript(self) -> Transcript:
        m = self._mind
        meta = {
            "scenario": self.scenario.id,
            "title": self.scenario.title,
            "seed": self.seed,
            "now": self.scenario.calendar.moment.isoformat(),
            "outcome": m.outcome,
            "state": m.state,
            "values": self._values(m),
        }
        if m.slot is not None:
            meta["slot"] = m.slot.isoformat()
        return Transcript(turns=tuple(m.turns), events=tuple(m.events), meta=meta)

    @property
    def _mind(self) -> _Mind:
        self.opening()
        return self._history[-1]

    # --- steps of a reply ---

    def _times(self, text: str, names: set[str], counter: datetime | None,
               day: datetime | None) -> tuple[datetime | None, str | None]:
        """The first specific slot and the first vague window the line mentions. A time with
        no day ("yes, 12pm works") is on ``day``, the day under discussion (the prospect's
        counter-proposal, else the booked meeting), not today."""
        if not (names & {"propose_time", "vague_time", "recap"} or counter is not None):
            return None, None
        cal = self.scenario.calendar
        slot: datetime | None = None
        window: str | None = None
        on_counter_day = False
        for mention in self._find_times(text, cal.moment):
            if mention.kind == "slot" and mention.when is not None and slot is None:
                slot = self._on_day(cal.localize(mention.when), mention, day)
                wall = slot.astimezone(cal.rep_zone).replace(tzinfo=None)
                theirs = wall.replace(tzinfo=cal.prospect_zone).astimezone(cal.rep_zone)
                if _YOUR_TIME.match(text, getattr(mention, "end", len(text))) or (
                        counter is not None and slot != counter and theirs == counter):
                    # "9am your time", or "9am works" for the prospect's "2pm your time
                    # (9am for me)": the prospect's clock, not the trainee's
                    slot = theirs
            elif mention.kind == "window" and window is None:
                window = _with_preposition(text, mention)
                on_counter_day = counter is not None and mention.when is not None and \
                    getattr(mention, "day_only", False) and mention.when.date() == counter.date()
        if counter is not None and slot is None and (on_counter_day or window is None) \
                and _says_yes(text, counter, cal.prospect_zone):
            slot = counter  # "Friday works.", "yes, let's do that": the counter-proposal
        return slot, window

    def _facts(self, m: _Mind, rep_i: int, names: set[str], slot: datetime | None,
               window: str | None) -> None:
        """Events about what the trainee did, whatever the prospect makes of it."""
        def add(kind: str, **detail: Any) -> None:
            m.events.append(Event(rep_i, kind, detail))

        if m.stall_open and "confront_stall" in names:
            add("stall_confronted", state=m.state)
            m.confronted += 1
            m.stall_open = False
        elif m.stall_open and "accept_stall" in names:
            add("stall_accepted", state=m.state)
            m.stall_open = False
        if "propose_time" in names and slot is not None:
            add("slot_proposed", when=slot.isoformat())
        elif names & {"vague_time", "propose_time"}:
            add("window_proposed", text=window or "")
        if "assign_task" in names:
            add("task_assigned")
            m.tasks_asked += 1

    def _transition(self, m: _Mind, out: _Out, text: str, names: set[str]
                    ) -> Transition | None:
        """The scenario's transition that answers the line, fired; None when none does."""
        state = self.scenario.states[m.state]
        values = self._values(m)
        norm: str | None = None
        for index, t in enumerate(state.on):
            if t.move is not None and t.move not in names:
                continue
            if t.intent is not None:
                if norm is None:
                    norm = plain(text)
                if not self._intent(t.intent, text, norm):
                    continue
                out.intent = t.intent
            if not all(c.holds(values) for c in t.when):
                out.intent = None
                continue
            self._fire(m, out, t, f"t:{m.state}:{index}")
            return t
        return None

    def _fire(self, m: _Mind, out: _Out, t: Transition, group: str) -> None:
        self._set(m, t.set)
        if t.unproductive:
            out.productive = False
        if t.say:
            out.lines.append(self._say(m, group, t.say))
        if t.goto is not None:
            line = self._enter(m, out, t.goto, speak=not t.say)
            if line:
                out.lines.append(line)
        if t.end is not None:
            self._end(out, t.end, "transition")

    def _builtin(self, m: _Mind, out: _Out, text: str, names: set[str],
                 slot: datetime | None, window: str | None, was_open: bool,
                 counter: datetime | None) -> None:
        state = self.scenario.states[m.state]
        if was_open and "accept_stall" in names:
            self._react(m, out, "stall_accepted")
            if out.end is None:
                self._end(out, "no_decision", "stall accepted")
            return
        if was_open and "confront_stall" in names:
            if state.reveal:
                out.lines.append(self._say(m, f"reveal:{m.state}", state.reveal))
            else:
                self._react(m, out, "stall_revealed")
        elif m.stall_open and names & _PUSHING:
            self._react(m, out, "stall_repeated")
            out.stall = True
            return
        if out.end is not None:
            return
        major = bool(out.lines)
        booked = self._slot(m, out, text, names, slot, counter)
        major = major or booked is not None
        if booked is None and counter is not None and turns_down(text) \
                and not names & {"tell_next_step", "assign_task"}:
            # "No, 12pm doesn't work", "can't do Friday": no time of the trainee's own, so the
            # prospect asks for one rather than hearing a vague window.
            major = True
            self._react(m, out, "slot_declined", event="slot_declined",
                        counter=self.scenario.calendar.describe(counter))
        if "assign_task" in names:
            major = True
            persona = self.scenario.persona
            if persona.tasks == "accept" or (persona.tasks == "push_back" and m.tasks_refused):
                m.task_agreed = True
                self._react(m, out, "task_accepted", event="task_accepted")
            else:
                m.tasks_refused += 1
                self._react(m, out, "task_refused", event="task_refused")
        if "recap" in names and booked is not False and out.end is None:
            major = True
            self._recap(m, out, slot, text)
        if major or out.end is not None:
            return
        if "tell_next_step" in names and "ask_next_step" not in names:
            # Telling is the bigger mistake: "I'll send a proposal and call you next week"
            # meets the volunteered-work reaction, not the vague-window one.
            if self.scenario.persona.volunteered == "stall":
                self._react(m, out, "told_stall")
                out.stall = True
            else:
                self._react(m, out, "told_accepted")
        elif names & {"vague_time", "propose_time"}:
            self._react(m, out, "window_vague", window=_proper(_SOMETIME.sub("", window or "")
                                                               or "soon"))
        elif "ask_next_step" in names:
            if m.slot is not None:  # "where do we go from here?" once a time is booked
                self._react(m, out, "slot_repeated")
            elif m.next_step:
                self._react(m, out, "next_step_agreed")
            else:
                m.next_step = True
                self._react(m, out, "next_step_proposed")

    def _slot(self, m: _Mind, out: _Out, text: str, names: set[str],
              slot: datetime | None, counter: datetime | None) -> bool | None:
        """Check a proposed (or accepted counter-proposed) time: True booked, False not,
        None when the line offered no time."""
        cal = self.scenario.calendar
        if slot is None or ("propose_time" not in names and slot != counter):
            return None
        yes = counter is not None and _says_yes(text, counter, cal.prospect_zone)
        if counter is not None and not yes and turns_down(text) and (
                slot == counter or not _OFFERS_ANOTHER.search(plain(text))):
            return None  # "8:30 is too early", "no, 12 doesn't work": no time is taken up
        if slot == counter:
            # taken up by a yes, by naming it ("Friday at 12 then", "would Priya be free at
            # 12?") or by summing it up
            named = "propose_time" in names and not turns_down(text) and not (
                "?" in text and _SEEKS_OTHER.search(plain(text)))
            if not (yes or named or "recap" in names):
                return None  # "No, 12pm doesn't work", "I'm busy at 12": turned down
            # else taken up, or summed up as agreed ("so to confirm, Friday at 12?"): book it
        elif m.slot is not None and "recap" in names:
            return None  # a recap's time is checked against the agreed one, not booked
        elif m.slot is not None and slot == m.slot:
            self._react(m, out, "slot_repeated")  # repeating the booked time: "see you then"
            return True
        check = cal.check(slot)
        if check.free:
            m.slot, m.counter = slot, None
            self._react(m, out, "slot_accepted", event="slot_accepted",
                        detail={"when": slot.isoformat()})
            return True
        counter = cal.nearest_free(slot)
        if counter is None:
            m.counter = None
            self._react(m, out, "slot_unavailable", proposed=cal.describe(slot),
                        reason=check.reason)
            return False
        m.counter = counter
        self._react(m, out, "slot_countered", event="slot_countered",
                    detail={"proposed": slot.isoformat(), "counter": counter.isoformat()},
                    proposed=cal.describe(slot), reason=check.reason,
                    counter=cal.describe(counter))
        return False

    def _recap(self, m: _Mind, out: _Out, said: datetime | None, text: str) -> None:
        other_day = None if m.slot is None or said is not None else self._other_day(text, m.slot)
        if m.slot is None:
            self._react(m, out, "recap_premature")
        elif said is not None and said != m.slot:
            self._react(m, out, "recap_corrected", event="recap_corrected",
                        proposed=self.scenario.calendar.describe(said))
        elif other_day is not None:  # "So to confirm, Thursday with Priya" for Friday at 12
            self._react(m, out, "recap_corrected", event="recap_corrected", proposed=other_day)
        elif m.tasks_refused and not m.task_agreed and _GIVES_TASK.search(plain(text)):
            # "...and you'll bring the overtime numbers. Right?" after "I'm snowed under"
            self._react(m, out, "recap_task_refused", event="recap_corrected")
        else:
            m.recapped = True
            self._react(m, out, "recap_confirmed", event="recap_confirmed")
            if out.end is None:
                self._end(out, "won", "recap confirmed")

    def _other_day(self, text: str, booked: datetime) -> str | None:
        """A day the line names (with no time) that is not the booked meeting's, as said."""
        for mention in self._find_times(text, self.scenario.calendar.moment):
            when = getattr(mention, "when", None)
            if mention.kind == "window" and getattr(mention, "day_only", False) and \
                    when is not None and when.date() != booked.date():
                return _proper(mention.text)
        return None

    def _react(self, m: _Mind, out: _Out, name: str, *, event: str | None = None,
               detail: dict[str, Any] | None = None, **extra: str) -> None:
        """Say a built-in reaction's line (or the scenario's override) and apply it."""
        override: Reaction | None = self.scenario.reactions.get(name)
        lines = override.say if override is not None and override.say else \
            DEFAULT_REACTIONS[name]
        out.lines.append(self._say(m, f"r:{name}", lines, **extra))
        if event is not None:
            out.events.append((event, detail or {}))
        if override is not None:
            self._set(m, override.set)
            if override.goto is not None:
                self._enter(m, out, override.goto, speak=False)
            if override.end is not None:
                self._end(out, override.end, name.replace("_", " "))

    def _spend(self, m: _Mind, out: _Out, text: str) -> None:
        """Spend time and patience; warn, or end the meeting, when either runs out."""
        clock, patience = self.scenario.clock, self.scenario.patience
        m.clock_used += clock.per_turn + clock.per_word * len(text.split())
        left = clock.minutes - m.clock_used
        if out.end is not None:
            return
        if m.unproductive >= patience.limit:
            self._end(out, "lost", "patience")
        elif left <= 0:
            self._end(out, "won" if m.slot is not None else "no_decision", "time")
        elif not out.productive and m.unproductive == patience.limit - 1 \
                and not m.warned_patience:
            m.warned_patience = True
            out.lines.append(self._say(m, "patience", patience.warning))
        if out.end is None and left <= clock.warn_at and not m.warned_clock:
            m.warned_clock = True
            minutes = max(1, round(left))
            out.lines.append(self._say(m, "clock", clock.warning, minutes=str(minutes)))
            out.events.append(("clock_warning", {"minutes_left": minutes}))

    def _end(self, out: _Out, outcome: str, reason: str) -> None:
        out.end, out.reason = outcome, reason

    def _finish(self, m: _Mind, out: _Out) -> None:
        assert out.end is not None
        m.outcome = out.end
        out.lines.append(self._say(m, f"end:{out.end}", self.scenario.endings.get(out.end).say))
        out.events.append(("ending", {"outcome": out.end, "reason": out.reason}))

    def _prospect_turn(self, m: _Mind, out: _Out, previous: str | None) -> None:
        line = " ".join(x.strip() for x in out.lines if x.strip())
        index = len(m.turns)
        if out.stall:
            m.stall_open = True
            m.stalls += 1
            out.events.insert(0, ("stall_raised", {"state": m.state}))
        said = m.turns[-1].moves if previous is not None else ()
        moves = [x for x in self._moves(line, "prospect", previous, said)
                 if x.name in PROSPECT_MOVES]
        if out.stall:
            # The engine is the record: a line it says as a stall stalls, whatever else the
            # classifier hears in it ("Oh, totally, send me a quote! I'll take a look." agrees
            # to nothing), so the trainee's reply is read as a reply to a stall.
            moves = [x for x in moves if x.name != "agree"]
            if not any(x.name == "stall" for x in moves):
                moves.insert(0, Move("stall", 0, len(line), line, 1.0))
        speaker = self.scenario.persona.name
        m.turns.append(Turn(speaker, "prospect", line, tuple(moves), time=m.clock_used * 60))
        m.events.extend(Event(index, kind, detail) for kind, detail in out.events)

    # --- helpers ---

    def _enter(self, m: _Mind, out: _Out, name: str, *, speak: bool) -> str:
        """Move to state ``name``; its line when ``speak``. A stall state raises a stall."""
        m.state = name
        state: State = self.scenario.states[name]
        if state.stall:
            out.stall = True
        else:
            m.stall_open = False
        return self._say(m, f"state:{name}", state.say) if speak else ""

    def _moves(self, text: str, role: str, previous: str | None,
               previous_moves: Sequence[Move]) -> Sequence[Move]:
        """Classify a line, telling the classifier the moves of the line it answers when it
        takes them: the engine knows them (a stall line is a stall), and it saves work."""
        if self._takes_moves and previous is not None:
            return self._classify(text, role=role, previous=previous,
                                  previous_moves=frozenset(x.name for x in previous_moves))
        return self._classify(text, role=role, previous=previous)

    def _intent(self, name: str, text: str, norm: str) -> bool:
        intent = self.scenario.intents[name]
        if intent.pattern_in(text, self._sentences(text)):
            return True
        bank = self._banks.get(name)
        return bank is not None and bank.match_normalised(norm) is not None

    @staticmethod
    @lru_cache(maxsize=8)
    def _sentences(text: str) -> tuple[str, ...]:
        """The line's sentences normalised, for intent patterns (read once per line)."""
        return tuple(plain_sentences(text))

    def _set(self, m: _Mind, effects: Mapping[str, Any]) -> None:
        for name, effect in effects.items():
            m.flags[name] = effect.apply(m.flags.get(name, 0))

    def _values(self, m: _Mind) -> dict[str, int | bool]:
        return {
            **m.flags,
            "turns": sum(1 for t in m.turns if t.role == "rep"),
            "stall_open": m.stall_open,
            "stalls": m.stalls,
            "confronted": m.confronted,
            "next_step": m.next_step,
            "slot_agreed": m.slot is not None,
            "tasks_asked": m.tasks_asked,
            "task_agreed": m.task_agreed,
            "recapped": m.recapped,
            "clock_left": max(0, int(self.scenario.clock.minutes - m.clock_used)),
            "patience_left": max(0, self.scenario.patience.limit - m.unproductive),
        }

    def _fallback(self, m: _Mind) -> str:
        """Fallback lines in a seeded rotation: every one is used before any repeats, and
        the last of one round is never the first of the next."""
        lines = self.scenario.fallback
        order = sorted(range(len(lines)), key=lambda i: _hash(self.seed, "fallback", i))
        line = lines[order[m.fallbacks % len(lines)]]
        m.fallbacks += 1
        return self._fill(m, line)

    def _say(self, m: _Mind, group: str, options: Sequence[str], **extra: str) -> str:
        """One of ``options``, picked by the seed, never the one this group said last."""
        index = _hash(self.seed, group, len(m.turns)) % len(options)
        if len(options) > 1 and options[index] == m.last.get(group):
            index = (index + 1) % len(options)
        m.last[group] = options[index]
        return self._fill(m, options[index], **extra)

    def _fill(self, m: _Mind, line: str, **extra: str) -> str:
        p = self.scenario.persona
        slot = self.scenario.calendar.describe(m.slot) if m.slot is not None else ""
        return line.format_map({"name": p.name, "role": p.role, "company": p.company,
                                "slot": slot, **extra})


def _accepts(function: Callable[..., Any], name: str) -> bool:
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def _hash(*parts: object) -> int:
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


_NAMED_DAYS = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                         r"january|february|march|april|may|june|july|august|september|"
                         r"october|november|december)\b", re.IGNORECASE)


_SOMETIME = re.compile(r"^\s*some ?time\s+", re.IGNORECASE)  # the lines say "sometime" already


def _with_preposition(text: str, mention: Any) -> str:
    """A window as said back, with the preposition said right before it when it needs one:
    "sometime in the next fortnight", not "sometime the next fortnight"."""
    said = _PREPOSITION.search(text, 0, getattr(mention, "start", 0))
    if said and _NOUN_WINDOW.match(mention.text):
        return f"{said[1]} {mention.text}"
    return str(mention.text)


def _proper(window: str) -> str:
    """The trainee's window as the prospect says it back: days and months capitalised
    ("sometime tuesday october 7th" -> "sometime Tuesday October 7th")."""
    return _NAMED_DAYS.sub(lambda m: m.group().capitalize(), window)


def _negated(norm: str) -> bool:
    return bool(set(_NO_BUT_YES.sub(" ", norm).split()) & _NO)


def _says_yes(text: str, to: datetime | None = None, zone: tzinfo | None = None) -> bool:
    """A yes, to the counter-proposal ``to`` if given: a yes-word or a phrase of agreement, no
    negation in its first clause, no putting it off ("sounds good but I need to check"), not
    a question unless it takes the time up ("shall we say 12 then?"), and no other hour ("11
    works" when 12 was offered, on either side's clock: ``zone`` is the prospect's)."""
    norm = plain(text)
    if not _NO_BUT_YES.match(norm) and _negated(plain(_FIRST_CLAUSE.split(text, 1)[0])):
        return False  # "no, 12 doesn't work"; not "12 works, I won't keep you long"
    if "?" in text:
        return bool(_TAKES_UP.search(norm))
    kept = _NO_BUT_YES.sub(" ", norm)  # "no problem, 12 works": "12 works"
    if _PUT_OFF.search(kept):
        return False
    if to is not None:
        said = re.match(r"\s*(?:(?:yes|yeah|ok|okay|sure|great|lovely|alright)\s+)?(\d{1,2})"
                        r"(?::\d\d)?\s*(?:am|pm)?\b", kept)
        hours = {to.hour} | ({to.astimezone(zone).hour} if zone is not None else set())
        if said and int(said[1]) not in hours | {h % 12 or 12 for h in hours}:
            return False  # "11 works" when 12 was offered (on either side's clock)
    words = kept.split()
    ends_yes = bool(words) and words[-1] in _YES_LAST and (
        words[-1] in ("works", "suits") or bool(_NAMES_A_TIME.search(kept)))
    return bool(set(words[:3]) & _YES) or ends_yes \
        or any(p in kept for p in _YES_PHRASES) or bool(_NO_BUT_YES.match(norm))
