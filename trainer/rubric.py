"""The rubric: five criteria graded over a whole conversation, with evidence and a tip.

Criteria (ids are a contract): ``ask_next_step``, ``confront_stall``, ``secure_date``,
``prospect_task``, ``recap``. Each gets a verdict (``pass``, ``partial``, ``fail``, ``n/a``),
a score (1, 0.5, 0; ``n/a`` counts for nothing), the turns that earned it with the reason, and
one tip from the method (``trainer/data/tips.yaml``). The overall score is the weighted mean of
the applicable criteria, 0–100.

The same rubric grades a practice run and a real call. A practice run also carries the
engine's events (slot accepted, task accepted, recap confirmed); where they exist they are
the record of what the prospect agreed to, and the classifier fills in the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import Any

from trainer.cues import turns_down
from trainer.moves import Move, classify
from trainer.scoring import VERDICT_SCORES, weighted_score
from trainer.transcript import Transcript, Turn

CRITERIA: tuple[str, ...] = ("ask_next_step", "confront_stall", "secure_date",
                             "prospect_task", "recap")
TITLES: dict[str, str] = {
    "ask_next_step": "Asked for the next step",
    "confront_stall": "Confronted stalls",
    "secure_date": "Secured a date",
    "prospect_task": "Gave the prospect a task",
    "recap": "Recapped and confirmed",
}

Classify = Callable[..., tuple[Move, ...]]
_IMPLIED_YES = 0.6  # the confidence the classifier gives an answer that merely does not object


@dataclass(frozen=True)
class Evidence:
    """A line that earned (or cost) a verdict: turn number (from 1), who, what, why."""

    turn: int
    speaker: str
    text: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, "speaker": self.speaker, "text": self.text, "why": self.why}


@dataclass(frozen=True)
class Criterion:
    """One criterion's result."""

    id: str
    verdict: str
    evidence: tuple[Evidence, ...]
    tip: str
    weight: float = 1.0
    title_text: str = ""  # a scenario's own criteria bring their title

    @property
    def title(self) -> str:
        return self.title_text or TITLES.get(self.id, self.id.replace("_", " ").capitalize())

    @property
    def score(self) -> float | None:
        return VERDICT_SCORES.get(self.verdict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "verdict": self.verdict, "score": self.score,
                "weight": self.weight, "evidence": [e.to_dict() for e in self.evidence],
                "tip": self.tip}


@dataclass(frozen=True)
class Scorecard:
    """Criteria, the overall 0–100 score, and the transcript with every line's moves."""

    criteria: tuple[Criterion, ...]
    transcript: Transcript
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return weighted_score((c.score, c.weight) for c in self.criteria)

    def criterion(self, cid: str) -> Criterion:
        for c in self.criteria:
            if c.id == cid:
                return c
        raise KeyError(cid)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "criteria": [c.to_dict() for c in self.criteria],
            "turns": [{"speaker": t.speaker, "role": t.role, "text": t.text,
                       "moves": [m.to_dict() for m in t.moves]}
                      for t in self.transcript.turns],
        }


@lru_cache(maxsize=1)
def tips() -> dict[str, dict[str, str]]:
    """The shipped tips, by criterion and outcome."""
    from trainer.datafiles import yaml_data

    data: dict[str, dict[str, str]] = yaml_data("tips.yaml")
    return data


def annotate(transcript: Transcript, *, classify_fn: Classify | None = None) -> Transcript:
    """Tag every turn that has no moves yet, each with the other party's last line as context."""
    cls = classify_fn or classify
    turns: list[Turn] = []
    last: dict[str, Turn] = {}
    for turn in transcript.turns:
        other = last.get("prospect" if turn.role == "rep" else "rep")
        if not turn.moves:
            if other is None:
                moves = cls(turn.text, role=turn.role)
            else:  # the other party's moves are known: pass them rather than reclassify
                moves = cls(turn.text, role=turn.role, previous=other.text,
                            previous_moves=frozenset(m.name for m in other.moves))
            turn = replace(turn, moves=moves)
        turns.append(turn)
        last[turn.role] = turn
    return replace(transcript, turns=tuple(turns))


def grade(transcript: Transcript, *, weights: Mapping[str, float] | None = None,
          classify_fn: Classify | None = None) -> Scorecard:
    """Grade a whole conversation. ``weights`` re-weights criteria (0 drops one)."""
    cls = classify_fn or classify
    annotated = annotate(transcript, classify_fn=cls)
    convo = _Conversation(annotated, cls)
    weights = dict(weights or {})
    unknown = set(weights) - set(CRITERIA)
    if unknown:
        raise ValueError(f"unknown criteria in weights: {', '.join(sorted(unknown))}")
    results = []
    for cid, judge in _JUDGES.items():
        verdict, cause, evidence = judge(convo)
        tip = tips()[cid].get(cause) or tips()[cid].get(verdict, "")
        results.append(Criterion(cid, verdict, tuple(evidence), tip, weights.get(cid, 1.0)))
    return Scorecard(tuple(results), annotated, dict(transcript.meta))


_REQUEST = re.compile(r"\b(?:can|could|would|will) you\b|\bplease\b|\bi (?:would like|need|"
                      r"want) (?:you to|a|the|some)\b|\bsend (?:me|us|over)\b")


# A reply that puts the recap right ("make it February", "we'll see about the costs") or
# moves on to something else with a question ("anyway, did you say the backups are nightly?").
_CORRECTS = re.compile(r"\bmake it\b|\bnot promising\b|\bwe(?:'ll| will) see\b|"
                       r"\b(?:won't|will not) be (?:on|there|at|in|joining)\b|\binstead\b|"
                       # "Um, so actually the numbers, Priya has them", "might be Tuesday, mind"
                       r"^(?:(?:um|uh|er|oh|well|so|hmm|hm)[,.]?\s+)*actually,?\s+(?:the|it's|it "
                       r"is|he|she|they|we|i|my|our|his|her|no|not|that's not|that is not|make|"
                       r"can we|could we)\b|\bnot me\b|"
                       r"\bmight (?:be|have to be|end up being|end up) (?:on )?(?:monday|tuesday|"
                       r"wednesday|thursday|friday|next week|later|the week after|the following)"
                       r"\b|\bmore or less\b|"
                       r"\b(?:very much |really )?doubt (?:it|that)\s*(?:[.!,;]|$)")
# A reply that hedges instead of confirming ("Probably. I'll have a look when the invite
# comes through.")
_HEDGES = re.compile(r"\s*(?:(?:hm+|um+|uh+|er+|well)[.,]?\s+)?(?:probably|maybe|possibly|"
                     r"perhaps|i think so|i guess|i suppose|more or less|hopefully|"
                     r"should be|we(?:'ll| will) see|i(?:'ll| will|'d| would) have to see|"
                     r"not sure|let me see|i'm not sure|i am not sure)\b")
_YES = re.compile(r"\b(?:yes|yeah|yep|works|fine|good|sure|perfect|great)\b")


def _hedged(text: str) -> bool:
    """A reply that opens with a hedge and says no yes after it ("I'll have to see, he's on
    the road"; not "We'll see about the costs. But Friday at 11, yes.")."""
    low = text.lower()
    return bool(_HEDGES.match(low)) and not _YES.search(low)


_CHANGES_SUBJECT = re.compile(r"^(?!(?:yes|yeah|yep|yup|sure|right|correct|exactly|perfect|"
                              r"great|ok|okay|that|sounds|all good|spot on|brilliant|lovely|"
                              r"fine|agreed|absolutely|definitely|cool|works|good)\b)"
                              r"[^.!]*\?\s*$")


# A question that leaves the time to the prospect: "when would suit you?", "what day works?"
_WHEN = (r"\b(?:when|(?:what|which) (?:day|days|time|date|week))\b")
_CHOOSE_WHEN = re.compile(_WHEN + r"[^?.]*\b(?:suit|suits|work|works|good|best|free|available|"
                          r"convenient|easiest)\b[^?.]*\?", re.IGNORECASE)


# A question about when to meet ("when could you sit down with us?", "what day suits?").
# Not about the past ("when did you switch?").
_ASKS_WHEN = re.compile(_WHEN + r"(?![^?]*\b(?:did|was|were|had|used to)\b)[^?]*\?")


# A prospect committing to do something themselves (not "I'll get back to you", a stall).
_OWN_TASK = re.compile(
    r"\bi(?:'ll|ll| will| can| am going to|'m going to|’ll)\s+(?:also\s+|just\s+|then\s+|"
    r"happily\s+|definitely\s+)?(?:send|give|bring|share|forward|pull|dig (?:out|up)|email|"
    r"book|invite|loop in|ask|check|run (?:it|this|that) (?:by|past)|put together|prepare|"
    r"sort out|set up|arrange|confirm|export|upload|compile|gather|collect|fill (?:in|out)|"
    r"complete|draft|write up|jot down|list|print|find|get (?:you|the|our|my|him|her|them|a|"
    r"an|those|that|it) (?!back\b)|(?:get|have) (?!to\b)(?:our |my |the )?[a-z]+(?: [a-z]+)?"
    r"(?: from [a-z]+)? (?:to )?(?:send|sit in|join|come|bring|call|email|pull|share|forward|"
    r"export|upload|compile|gather|prepare|put together|find|dig out|print|fill)|"
    # "I'll have the final guest numbers from the couple by then"
    r"have (?:the |our |my |those |that |it |them |everything |all )"
    r"(?!(?:my |our )?(?:decision|answer|response|thoughts|verdict|mind)\b)[^.?!]{0,50}?"
    r"(?:by then|ready|for you|before then|by (?:monday|tuesday|wednesday|thursday|friday|"
    r"the weekend|tomorrow|tonight)))")


# "I'll send you an email if anything changes": a promise on a condition is a brush-off.
_CONDITIONAL = re.compile(r"\bif (?:anything|something|things|that) (?:changes?|comes? up)\b|"
                          r"\bif (?:we|i) (?:decide|are|am|want|need|go ahead|change|get)\b|"
                          r"\bif (?:it is|it's|its|this is|this's) of interest\b|\bunless\b|"
                          r"\bshould (?:anything|something|things) change\b")


# A prospect line that puts its own time forward (a counter-proposal), not one that refuses.
_OFFERS_TIME = re.compile(r"\?|\b(?:how about|what about|could we|can we|shall we|would|"
                          r"instead|i can do|i could do|i am free|i'm free|works for me|"
                          r"suits me|let's say|let us say|say|if you (?:can |could |want to )?"
                          r"(?:come|join|present|pop))\b")


class _Conversation:
    """Indexes over an annotated transcript that the judges share."""

    def __init__(self, transcript: Transcript, cls: Classify) -> None:
        self.t = transcript
        self.turns = transcript.turns
        self.cls = cls
        self.events: dict[str, list[int]] = {}
        for e in transcript.events:
            self.events.setdefault(e.kind, []).append(e.turn)
        # A practice run's engine knows what the prospect agreed to and when it stalled;
        # its events are the record, and the classifier's reading of the prospect only fills
        # in where the engine has no say (a real call, a live roleplay).
        self.engine_run = "values" in transcript.meta
        self._times: dict[int, tuple[tuple[str, Any], ...]] = {}  # (kind, when) per turn

    def names(self, kind: str, i: int) -> bool:
        """Whether turn ``i`` names a time of ``kind`` ("slot" or "window")."""
        return any(k == kind for k, _ in self._read_times(i))

    def slots(self, i: int) -> set[Any]:
        """The specific times turn ``i`` names."""
        return {when for k, when in self._read_times(i) if k == "slot" and when is not None}

    def _read_times(self, i: int) -> tuple[tuple[str, Any], ...]:
        """Turn ``i``'s time mentions; each turn is read once, however many judges ask."""
        found = self._times.get(i)
        if found is None:
            from trainer.when import find_times

            found = self._times[i] = tuple(
                (m.kind, m.when) for m in find_times(self.turns[i].text, _now(self)))
        return found

    def ev(self, i: int, why: str) -> Evidence:
        t = self.turns[i]
        return Evidence(i + 1, t.speaker, t.text, why)

    def with_move(self, role: str, move: str) -> list[int]:
        return [i for i, t in enumerate(self.turns) if t.role == role and t.has(move)]

    def replying_to(self, i: int) -> int | None:
        """Index of the other party's last turn before turn ``i``: what ``i`` answers."""
        role = self.turns[i].role
        for j in range(i - 1, -1, -1):
            if self.turns[j].role != role:
                return j
        return None

    def reply_to(self, i: int) -> int | None:
        """Index of the other party's next turn after turn ``i``."""
        role = self.turns[i].role
        for j in range(i + 1, len(self.turns)):
            if self.turns[j].role != role:
                return j
        return None

    def prospect_agrees(self, i: int) -> int | None:
        """The prospect's reply to rep turn ``i`` if it agrees (and does not decline)."""
        j = self.reply_to(i)
        if j is None:
            return None
        t = self.turns[j]
        agree = next((m for m in t.moves if m.name == "agree"), None)
        # The classifier's weakest "agree" only means "answered without objecting"; what the
        # prospect commits to needs an explicit yes.
        if agree and agree.confidence > _IMPLIED_YES and not t.has("decline") \
                and not t.has("stall") and not _hedged(t.text):
            return j
        return None

    def rep_accepts(self, i: int) -> int | None:
        """The rep's reply to prospect turn ``i`` if it accepts what the prospect offered."""
        j = self.reply_to(i)
        if j is None:
            return None
        as_prospect = self.cls(self.turns[j].text, role="prospect", previous=self.turns[i].text)
        names = {m.name for m in as_prospect}
        if ("agree" in names and "decline" not in names) or self.turns[j].has("propose_time"):
            return j
        return None


Verdict = tuple[str, str, list[Evidence]]


def _ask(c: _Conversation) -> Verdict:
    # asking the prospect to choose when ("which day would suit you?") asks for the step too
    asks = sorted(set(c.with_move("rep", "ask_next_step")) | {
        i for i in c.with_move("rep", "propose_time") if _CHOOSE_WHEN.search(c.turns[i].text)})
    tells = []
    for i in c.with_move("rep", "tell_next_step"):
        prev = c.replying_to(i)
        requested = prev is not None and not c.turns[prev].has("stall") and (
            bool(_REQUEST.search(c.turns[prev].text.lower()))
            # "Could we do Wednesday at 4:30 instead?" - "Let's do Wednesday at 4:30 then."
            or (c.turns[i].has("propose_time") and c.turns[prev].role == "prospect"
                and bool(_OFFERS_TIME.search(c.turns[prev].text.lower()))
                and c.names("slot", prev)))
        if not requested:  # doing what the prospect asked for is not volunteering
            tells.append(i)
    evidence = [c.ev(i, "asked the prospect for the next step") for i in asks]
    evidence += [c.ev(i, "decided or volunteered the next step instead of asking")
                 for i in tells]
    evidence.sort(key=lambda e: e.turn)
    if asks and not tells:
        return "pass", "pass", evidence
    if asks:
        return "partial", "partial", evidence
    if tells:
        return "fail", "told", evidence
    return "fail", "missing", evidence


def _confront(c: _Conversation) -> Verdict:
    raised = set(c.events.get("stall_raised", []))
    stalls = sorted(raised if c.engine_run else set(c.with_move("prospect", "stall")) | raised)
    stalls = [i for i in stalls if c.turns[i].role == "prospect"]
    if not stalls:
        return "n/a", "na", []
    evidence: list[Evidence] = []
    confronted = named = 0
    for i in stalls:
        evidence.append(c.ev(i, "the prospect stalled"))
        j = c.reply_to(i)
        if j is not None and (c.turns[j].has("confront_stall")
                              or j in c.events.get("stall_confronted", [])):
            confronted += 1
            named += 1
            evidence.append(c.ev(j, "confronted the stall"))
        elif j is not None and _presses(c.turns[j]):
            # "Finance owns the budget." - "Then let's bring finance in: Tuesday at 10?"
            confronted += 1
            evidence.append(c.ev(j, "pressed for a concrete step instead of letting the "
                                    "stall stand"))
        elif j is not None:
            why = ("accepted the stall" if c.turns[j].has("accept_stall")
                   else "moved on without confronting the stall")
            evidence.append(c.ev(j, why))
    if confronted == len(stalls):
        return "pass", ("pass" if named else "pressed"), evidence
    return ("partial" if confronted else "fail"), ("partial" if confronted else "fail"), evidence


def _presses(reply: Turn) -> bool:
    """A reply to a stall that asks for a step or names a slot, without letting the stall
    stand, does not accept it: it pushes past it, which is what confronting is for."""
    # a recap restates the plan around the stall ("fair enough. So to sum up: ..."): it lets
    # the stall stand
    return not reply.has("accept_stall") and not reply.has("recap") and (
        reply.has("ask_next_step") or reply.has("propose_time"))


def _date(c: _Conversation) -> Verdict:
    for i in c.events.get("slot_accepted", []):
        if 0 <= i < len(c.turns):
            return "pass", "pass", [c.ev(i, "the prospect accepted the proposed time")]
    proposals = [i for i in c.with_move("rep", "propose_time") if not _turned_down(c, i)]
    if c.engine_run:
        return _undated(c, proposals)
    names_slot = partial(c.names, "slot")
    for i in proposals:
        j = c.prospect_agrees(i)
        # a "yes" to "can we pin down a day and time?" is no date until one is named
        if j is not None and names_slot(i):
            k = c.replying_to(i)
            if k is not None and _OFFERS_TIME.search(c.turns[k].text.lower()) \
                    and c.slots(i) & c.slots(k):  # "Let's say Wednesday at 3." - "3 it is."
                return "pass", "pass", [c.ev(k, "the prospect proposed a specific time"),
                                        c.ev(i, "the rep accepted it")]
            return "pass", "pass", [c.ev(i, "proposed a specific time"),
                                    c.ev(j, "the prospect agreed to it")]
        if j is not None and names_slot(j):  # "What day works?" - "Tuesday at 10."
            return "pass", "pass", [c.ev(i, "asked for a time"),
                                    c.ev(j, "the prospect named a specific time")]
    # The prospect's counter-proposal, accepted by the rep, secures a date too.
    for i, t in enumerate(c.turns):
        if t.role == "prospect" and _OFFERS_TIME.search(t.text.lower()) and names_slot(i):
            j = c.rep_accepts(i)
            if j is not None:
                return "pass", "pass", [c.ev(i, "the prospect proposed a specific time"),
                                        c.ev(j, "the rep accepted it")]
    return _undated(c, proposals)


def _turned_down(c: _Conversation, i: int) -> bool:
    """Whether rep turn ``i`` turns down a time the prospect just offered ("Thursday at 2?" -
    "No, Thursday's out for me"): it proposes no time and offers no window."""
    j = c.replying_to(i)
    return j is not None and _OFFERS_TIME.search(c.turns[j].text.lower()) is not None and \
        (c.names("slot", j) or c.names("window", j)) and turns_down(c.turns[i].text)


def _undated(c: _Conversation, proposals: list[int]) -> Verdict:
    """No slot was agreed: partial for a vague window (offered by either side), else fail,
    with what was tried."""
    evidence = [c.ev(i, "proposed a specific time, but the prospect did not agree")
                for i in proposals]
    vague = [i for i in c.with_move("rep", "vague_time") if not _turned_down(c, i)]
    theirs = [] if c.engine_run else _prospect_windows(c)
    if vague or theirs:
        evidence += [c.ev(i, "offered only a vague window, no slot") for i in vague]
        evidence += [c.ev(i, "the prospect named only a window, no slot") for i in theirs]
        evidence.sort(key=lambda e: e.turn)
        return "partial", "partial", evidence
    if proposals:
        return "fail", "unconfirmed", evidence
    return "fail", "fail", evidence


def _prospect_windows(c: _Conversation) -> list[int]:
    """Prospect turns that put forward a window for the next step ("let's touch base next
    quarter", "mid-November, sometime"): a stall, or an answer to the rep's asking for a step
    or a time, that would be a vague time said by the rep (the same filters: not a deadline
    for work, not the past, about meeting)."""
    asked = ("ask_next_step", "propose_time", "vague_time", "confront_stall")
    out = []
    for j, t in enumerate(c.turns):
        if t.role != "prospect" or t.has("decline"):
            continue
        i = c.replying_to(j)
        in_reply = i is not None and any(c.turns[i].has(m) for m in asked)
        if (t.has("stall") or in_reply) and any(
                m.name == "vague_time" for m in c.cls(t.text, role="rep")):
            out.append(j)
        elif in_reply and i is not None and _ASKS_WHEN.search(c.turns[i].text.lower()) \
                and c.names("window", j):
            out.append(j)  # "when could you sit down with us?" - "the first fortnight of March"
    return out


def _task(c: _Conversation) -> Verdict:
    for i in c.events.get("task_accepted", []):
        if 0 <= i < len(c.turns):
            return "pass", "pass", [c.ev(i, "the prospect accepted a task")]
    tasks = c.with_move("rep", "assign_task")
    refused: list[Evidence] = []
    for i in tasks:
        j = None if c.engine_run else c.prospect_agrees(i)
        if j is not None:
            return "pass", "pass", [c.ev(i, "gave the prospect a task"),
                                    c.ev(j, "the prospect accepted it")]
        k = c.reply_to(i)
        if k is not None and (c.turns[k].has("decline") or c.turns[k].has("objection")
                              or c.turns[k].has("stall")):
            refused += [c.ev(i, "gave the prospect a task"), c.ev(k, "the prospect pushed back")]
    own = None if c.engine_run else next(
        (i for i, t in enumerate(c.turns) if t.role == "prospect"
         and not t.has("stall") and not t.has("decline") and not t.has("objection")
         and _OWN_TASK.search(t.text.lower()) and not _CONDITIONAL.search(t.text.lower())),
        None)
    if own is not None:  # "I'll send you our handbook before then": invested all the same
        return "pass", "pass", [c.ev(own, "the prospect took on a task of their own")]
    if refused:
        return "fail", "refused", refused
    if tasks:
        return "fail", "unconfirmed", [c.ev(i, "gave a task, but no acceptance followed")
                                       for i in tasks]
    return "fail", "fail", []


def _recap(c: _Conversation) -> Verdict:
    for i in c.events.get("recap_confirmed", []):
        if 0 <= i < len(c.turns):
            return "pass", "pass", [c.ev(i, "the prospect confirmed the recap")]
    recaps = c.with_move("rep", "recap")
    corrected = c.events.get("recap_corrected", [])
    if corrected:
        return "partial", "partial", [c.ev(i, "the prospect corrected the recap")
                                      for i in corrected if 0 <= i < len(c.turns)]
    for i in recaps:
        k = None if c.engine_run else c.reply_to(i)
        if k is not None and _CORRECTS.search(c.turns[k].text.lower()):
            return "partial", "partial", [c.ev(i, "summarised who does what by when"),
                                          c.ev(k, "the prospect corrected the recap")]
        if k is not None and (c.turns[k].has("decline") or c.turns[k].has("objection")):
            return "partial", "partial", [c.ev(i, "summarised who does what by when"),
                                          c.ev(k, "the prospect did not confirm it")]
        if k is not None and _hedged(c.turns[k].text):
            return "partial", "partial", [c.ev(i, "summarised who does what by when"),
                                          c.ev(k, "the prospect did not commit to it")]
        j = None if c.engine_run else c.prospect_agrees(i)
        if j is not None and not _CHANGES_SUBJECT.search(c.turns[j].text.lower()):
            return "pass", "pass", [c.ev(i, "summarised who does what by when"),
                                    c.ev(j, "the prospect confirmed it")]
    if recaps:
        return "partial", "partial", [c.ev(i, "summarised, but got no confirmation")
                                      for i in recaps]
    return "fail", "fail", []


def _now(c: _Conversation) -> Any:
    from datetime import datetime

    started = c.t.meta.get("started") or c.t.meta.get("now")
    if isinstance(started, str):
        try:
            return datetime.fromisoformat(started)
        except ValueError:
            pass
    return datetime(2026, 1, 5, 9, 0)


_JUDGES: dict[str, Callable[[_Conversation], Verdict]] = {
    "ask_next_step": _ask,
    "confront_stall": _confront,
    "secure_date": _date,
    "prospect_task": _task,
    "recap": _recap,
}
