"""The moves classifier: which next-step moves a line makes, and the words that show it.

One classifier serves the prospect engine (to choose a reaction) and the rubric (to grade).
It combines three sources, in this order of authority:

1. **Linguistic cues** (:mod:`trainer.cues`): patterns over normalised text that encode who
   acts (I / we / you), whether a sentence asks or tells, and negation ("i will not send"
   never reads as "i will send").
2. **Date and time mentions** (:mod:`trainer.when`): a specific slot in a proposal is
   ``propose_time``; a vague window in a scheduling sentence is ``vague_time``.
3. **Exemplar banks** (``trainer/data/exemplars.yaml``, extendable): rapidfuzz similarity of a
   whole sentence to example phrases catches paraphrases the cues miss. It follows the rules
   of :mod:`trainer.matching`: short inputs never fuzzy-match, a near-tie refuses to guess.

Context decides the rest: ``confront_stall`` and ``accept_stall`` exist only as replies to a
prospect stall, and a bare "sure" from the prospect is ``agree`` only when the rep had just
proposed something.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, NamedTuple

from trainer.regexcache import compile as _compile
from trainer.text import Segment, segments

REP_MOVES: tuple[str, ...] = (
    "ask_next_step",
    "tell_next_step",
    "propose_time",
    "vague_time",
    "assign_task",
    "confront_stall",
    "accept_stall",
    "recap",
)
PROSPECT_MOVES: tuple[str, ...] = ("stall", "agree", "objection", "decline")
ALL_MOVES: tuple[str, ...] = REP_MOVES + PROSPECT_MOVES

#: Longest line read, in characters (a three-minute monologue is about 3,000), and longest
#: sentence matched against the cues. Beyond them text is cut, so no input makes
#: classification slow.
MAX_CHARS = 8_000
MAX_SENTENCE = 1_200
#: A cue this confident is kept even when the learned layer doubts it.
SURE = 0.85
#: A prospect's answer this short ("Yes.", "sure, fine") agrees only to something offered.
BARE_ANSWER = 4

# Moves that a negation in or just before the matched words cancels.
_POSITIVE = frozenset({"ask_next_step", "tell_next_step", "assign_task", "propose_time",
                       "recap", "agree", "accept_stall"})
_NEGATORS = _compile(r"\b(?:not|never|cannot|no)\b")
# A clause that puts the next step off until something else is done: what it names is not
# asked for yet ("before we talk about what happens next, is there anything...").
_PUT_OFF = _compile(r"\s*(?:(?:so|and|but|okay|ok|now|well|um) )*(?:before|until) (?:we|i|you)\b")
_NEGATION_OK = _compile(r"\b(?:why (?:do )?not|do not forget|if not|not only|no rush|"
                        r"no problem|no worries|no pressure|no hurry|not a problem|no stress|"
                        r"would you not|could we not|can we not|is there not|no need to rush)\b")
# Rep moves that say something was put on the table, which a prospect's "sure" can agree to.
_OFFERS = frozenset({"ask_next_step", "tell_next_step", "propose_time", "vague_time",
                     "assign_task", "recap", "confront_stall"})
# Rep moves that a prospect's reply answers yes or no to.
_ANSWERABLE = frozenset({"ask_next_step", "propose_time", "vague_time", "assign_task", "recap"})
_SCHEDULING = _compile(
    r"\b(?:meet|meeting|call|talk|speak|chat|catch up|follow up|reconnect|regroup|touch base|"
    r"circle back|check in|get together|sit down|schedule|book|calendar|diary|demo|session|"
    r"connect|reach out|come back|get back|be in touch|revisit|pick (?:this|it) up|see you|"
    r"review|visit|ring|phone|continue|present|walk|workshop|kick off|start|pilot|trial|"
    r"send|follow|how about|what about|let us|shall we|can we|could we|free|available|works?|"
    r"suits?|ping|email|resume|reschedule|next step|next steps)\b")
_PERMISSION = _compile(
    r"\b(?:can i|could i|may i|is it (?:ok|okay|alright|all right|cool|fine) if i|would it be "
    r"(?:ok|okay|alright|all right|possible|cool|fine) (?:if i|for me to)|do you mind if i|"
    r"would you mind if i|"
    r"would you be (?:ok|okay|happy|open to) (?:if i|me|with me)|shall i|should i)\b[^?]{0,40}"
    r"\b(?:call|ring|phone|follow up|check in|check back|touch base|reach out|swing by|stop by|"
    r"drop by|come|pop|visit|book|schedule|set up|get back|circle back|buzz|bell|shout|called|"
    r"rang|phoned|came|popped|dropped by|followed up|checked in)\b")
_PERMISSION_VERB = _compile(
    r"\b(?:if i|for me to|can i|could i|may i|shall i|should i) (?:\w+ )?(?:call|ring|phone|"
    r"follow up|check in|check back|checked in|touch base|reach out|swing by|stop by|drop by|"
    r"come|pop|visit|book|schedule|set up|get back|circle back|followed up|called|rang|phoned|"
    r"came|popped|dropped by|(?:give|gave) you a (?:call|ring|buzz|bell|shout|tinkle))\b")
# A new step asked for: an indefinite meeting ("a call", "twenty minutes") or a verb of
# meeting. "The follow-up" names a step already agreed; giving it a slot is proposing a time.
_MEETING_ASK = _compile(
    r"\b(?:a|an|another|some|one more|quick|short|proper|\w+ minutes|half an hour|an hour)"
    r"(?: \w+){0,2} (?:meeting|call|follow ?up|session|demo|walk ?through|catch ?up|chat|"
    r"conversation|visit|review|workshop|presentation|pilot|trial)\b|\b(?:minutes|half an hour|"
    r"an hour) with\b|\b(?:meet|get together|sit down|catch up|reconnect|regroup|talk again|"
    r"speak again|go through|walk (?:you|them|your|him|her)|show (?:you|them|your))\b")
_REPLY_NO = _compile(
    r"^(?:\w+ ){0,3}not ,|^(?:\w+ ){0,2}(?:no|nope|nah|neither|not really|not quite|sorry)\b"
    r"(?! problem| worries| rush| pressure| stress|(?: ,)? (?:that is|it is|you|i think that|"
    r"that covers|all good|sounds|it was|perfect|fine|great))|\b(?:cannot|can not|"
    r"could not|will not|would not|not (?:able|possible|free|available|around|great|ideal|good)|"
    r"i doubt|doubt it|is out|are out|out of|afraid not|no good|no can do|not (?:that|this|"
    r"then|monday|tuesday|wednesday|thursday|friday)|not without|have not agreed)\b")
_AGREED_MEETING = _compile(r"\b(?:the|our|that|this) (?:next )?(?:meeting|session|call|demo|"
                           r"review|visit|workshop|kick ?off)\s+(?:on|next|this|in)?\s*$")
_DEADLINE = _compile(r"\b(?:by|before|until|till|ahead of|due|no later than)\s+(?:the\s+)?"
                     r"(?:end of\s+(?:the\s+)?)?(?:[\w']+\s+){0,3}$")
# Questions about how things work, not when to meet ("what happens when a driver calls in
# sick at 5am?").
_HYPOTHETICAL = _compile(r"\b(?:open|opening hours|closes|closed|runs from|putting it on|"
                         r"priced at|list it|what happens (?:when|if)|what if|how (?:does|do|"
                         r"would) (?:it|that|this|you|the \w+|your \w+) (?:work|handle|cope|"
                         r"deal|manage)|"
                         r"when does|what do you do|every|whenever|each time|usually|"
                         r"normally)\b")
# A sentence about sending or preparing work, with no meeting in it: its times are deadlines.
_WORK_ONLY = _compile(
    r"^(?!.*\b(?:meet|meeting|call|talk|speak|catch up|reconnect|regroup|follow up|check in|"
    r"touch base|get together|demo|session|visit|come (?:by|in|back)|swing by|pick this up|"
    r"circle back|revisit|ring|chat|review (?:it )?together|go through)\b).*\b(?:send|email|"
    r"draft|put together|prepare|get (?:a|the|you|it|them)|write|quote|sign|finalise|finalize|"
    r"set up|have (?:it|them|that))\b")
# A yes that only leads into a challenge: "sure, but...", "of course, but...".
_YES_BUT = _compile(r"(?:sure|of course|fair enough|no problem|ok|okay|understood|totally|"
                    r"absolutely|right|i hear you|i get (?:it|that))\s*,?\s*but\b")
# Housekeeping for a step already agreed ("I'll send you the calendar invite", "I'll pop the
# Teams link across"): no decision about what happens next.
_HOUSEKEEPING = _compile(
    r"^(?:(?:great|perfect|lovely|brilliant|super|cool|ok|okay|right|good|excellent|done|"
    r"and|so|then)\s*,?\s*)*(?:i will|let me|i can|i am going to|i shall) (?:just |quickly |also )?"
    r"(?:send|pop|forward|drop|share|email|shoot|get|put) (?:you |it |that |them |over |across "
    r"|through |out )*(?:the |a |an |our |my )?(?:calendar |teams |zoom |meeting |outlook |"
    r"google |video |webex |diary )?(?:invite|invitation|link|dial in|dial-in)\b"
    # "a link to a free trial", "a link to our pricing page" send something else
    r"(?! (?:for|to) (?:a|an|our|the|my)\b(?! (?:meeting|call|session|calendar|diary)\b))"
    # nothing else sent or done beside it ("...and hit you up after", "...plus the pricing
    # sheet"), while "to you and Priya", "and the dial-in" or "and we're all set" are still it
    r"(?!.*\b(?:plus|as well as|along with|then|with (?:a|an|the|our|my|some)|and (?:i|then|"
    r"also|a|an|our|my|some)|and we (?!are (?:all )?(?:set|good|done)\b)|and the (?!dial|"
    r"teams|zoom|meeting|calendar|link|invite|agenda)|and (?:hit|call|ring|follow|check|get|"
    r"put|book|set|send|email|pop|drop|share))\b)")
# Words a vague window is said with when no date or time is named ("once things settle",
# "touch base after the holidays", "grab 15 mins this wk").
_WINDOWISH = _compile(
    r"\b(?:sometime|some time|once|after|before|when|whenever|soon|later|again|back|follow|"
    r"touch base|circle|ring|call|wk|week|month|year|quarter|season|spring|summer|autumn|"
    r"fall|winter|christmas|holidays?|while|bit|couple|few|end of|beginning|start of|early|"
    r"mid|late|time|down the|eventually|ish|until|till|next|then)\b")
# Words without which no line asks for a next step: a question, or a request put softly
# ("why dont we set up a half hour", "i was hoping to book fifteen minutes").
_ASKING = _compile(
    r"\b(?:what|which|who|when|how|where|would|wud|could|can|shall|should|do you|does|is "
    r"there|is it|is that|are you|are we|will you|want to|let me know|tell me|wondering|"
    r"hoping|wanted to|up for|worth|why don t|why do not|why dont|why not|let s|lets|let us|"
    r"happy to|come and|open to|keen to|mind if|fancy|maybe we|we could|we can|i could|"
    r"question is)\b")
# Words without which no line tells a next step: a future, an offer, a day, an action to come.
_STEP_AHEAD = _compile(
    r"\b(?:will|going to|gonna|let me|let us|lets|shall|how about|what about|why don t|"
    r"why do not|why not|might|open to me|next|tomorrow|tonight|today|later|monday|tuesday|"
    r"wednesday|thursday|friday|weekend|week|month|send|sending|follow|plan|happy to|i can|"
    r"we can|i could|we could|i would|we would|want to|need to|pop|drop|swing|put together|"
    r"get you|get it|get that|get back|set up|book|arrange|reach out|call|ring|email|meet|"
    r"come|bring|leave it|if i|me to|worth me|could i|can i|may i|should i|shall i)\b")
# An hour and nothing else ("at one", "at 4"): a time only in a question or a sentence about
# meeting; elsewhere it is more often an amount.
_BARE_HOUR = _compile(r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                      r"twelve)$")
_PAST = _compile(r"\b(?:last|ago|was|were|did|had|used to|since|back in|founded|started|"
                 r"launched|went live)\b")


@dataclass(frozen=True)
class Move:
    """One move found in a line: its name, the span of text that shows it, a confidence."""

    name: str
    start: int
    end: int
    text: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "move": self.name,
            "span": [self.start, self.end],
            "text": self.text,
            "confidence": round(self.confidence, 3),
        }


@dataclass
class _Hit:
    name: str
    segment: Segment
    confidence: float
    nstart: int = 0
    nend: int = 0


def _load_exemplars() -> dict[str, list[str]]:
    from trainer.datafiles import yaml_data

    data = yaml_data("exemplars.yaml") or {}
    return {str(k): [str(p) for p in v] for k, v in data.items()}


class _CueIndex(NamedTuple):
    """A role's cues, and how a line finds the few worth running."""

    cues: list[tuple[str, Any, float]]  # (move, pattern, confidence)
    # every literal some cue requires, filed by its first three characters: a line is only
    # searched for the literals whose opening it contains
    literals: dict[str, tuple[str, ...]]
    cues_of: dict[str, frozenset[int]]  # the cues (by position) each literal lets through
    unfiltered: frozenset[int]  # the cues that need no literal


@cache
def _cue_index(role: str) -> _CueIndex:
    from trainer.cues import COMPILED

    moves = REP_MOVES if role == "rep" else PROSPECT_MOVES
    mine = [(n, p, c, req) for n, p, c, req in COMPILED if n in moves]
    by_start: dict[str, list[str]] = {}
    for lit in sorted({lit for *_, req in mine if req for lit in req}):
        by_start.setdefault(lit[:3], []).append(lit)
    cues_of: dict[str, set[int]] = {}
    for i, (*_, req) in enumerate(mine):
        for lit in req or ():
            cues_of.setdefault(lit, set()).add(i)
    return _CueIndex([(n, p, c) for n, p, c, _ in mine],
                     {k: tuple(v) for k, v in by_start.items()},
                     {k: frozenset(v) for k, v in cues_of.items()},
                     frozenset(i for i, (*_, req) in enumerate(mine) if not req))


class Classifier:
    """Tags lines with moves. Extra exemplar phrases (per move) extend the shipped bank."""

    def __init__(self, extra_exemplars: Mapping[str, Iterable[str]] | None = None,
                 *, fuzzy_threshold: float = 84.0, model: Any = "shipped") -> None:
        from trainer.matching import PhraseBank
        from trainer.model import shipped_model

        # The learned layer (trainer.model); None classifies by the rules alone.
        self._model = shipped_model() if model == "shipped" else model

        bank = _load_exemplars()
        for move, phrases in (extra_exemplars or {}).items():
            if move not in ALL_MOVES:
                raise ValueError(f"unknown move {move!r} in extra exemplars")
            bank.setdefault(move, []).extend(phrases)
        self._bank = PhraseBank(bank, threshold=fuzzy_threshold)
        self.classify = lru_cache(maxsize=8192)(self._classify)  # type: ignore[method-assign]

    def classify(self, text: str, *, role: str = "rep", previous: str | None = None,
                 previous_moves: frozenset[str] | None = None,
                 now: datetime | None = None) -> tuple[Move, ...]:  # replaced per instance
        """The moves ``text`` makes when said by ``role``.

        ``previous`` is the other party's last line; when its moves are already known, pass
        their names as ``previous_moves`` instead and it is not classified again.
        """
        raise NotImplementedError

    def _classify(self, text: str, *, role: str = "rep", previous: str | None = None,
                  previous_moves: frozenset[str] | None = None,
                  now: datetime | None = None) -> tuple[Move, ...]:
        if role not in ("rep", "prospect"):
            raise ValueError(f"role must be 'rep' or 'prospect', not {role!r}")
        prev = previous_moves if previous_moves is not None else \
            self._previous_moves(previous, role)
        found = self.analyse(text, role=role, previous_moves=prev, now=now)
        if found is None:
            return ()
        segs, hits, evidence = found
        wanted = REP_MOVES if role == "rep" else PROSPECT_MOVES
        chosen = {name: h.confidence for name, h in hits.items()}
        if self._model is not None:
            from trainer.model import features

            probs = self._model.probabilities(features(evidence), wanted)
            cuts = self._model.meta.get("thresholds", {})
            chosen = {m: p for m, p in probs.items() if p >= cuts.get(m, 0.5)}
            if not any(_CLAUSE[role].search(seg.norm) for seg in segs):
                # A list of keywords asks for nothing, tells nothing, gives nobody work and
                # recaps nothing, whatever its words. Short replies without a clause are
                # still replies: "no rush at all", "friday at 3", "cheers".
                chosen = {m: p for m, p in chosen.items() if m not in _NEEDS_CLAUSE}
                if any(_PAST.search(seg.norm) for seg in segs):
                    chosen.pop("propose_time", None)  # "our last release: Tuesday at 10"
                    chosen.pop("vague_time", None)
            # The near-certain cues ("not interested", "what would you suggest as a next
            # step") stand whatever the words around them.
            for name, h in hits.items():
                if h.confidence >= SURE and name not in chosen:
                    chosen[name] = h.confidence
            chosen = _gate(chosen, prev, hits, segs, evidence.times)
        out = []
        whole = _Hit("", Segment(segs[0].start, segs[-1].end, text[segs[0].start:segs[-1].end],
                                 "", (), False), 0.0)
        for name in wanted:
            if name in chosen:
                h = hits.get(name) or whole
                out.append(Move(name, h.segment.start, h.segment.end, h.segment.raw,
                                round(min(chosen[name], 0.99), 3)))
        return tuple(sorted(out, key=lambda m: (m.start, ALL_MOVES.index(m.name))))

    def analyse(self, text: str, *, role: str, previous_moves: frozenset[str] | None,
                now: datetime | None = None) -> tuple[list[Segment], dict[str, _Hit], Any] | None:
        """The rules' view of a line: sentences, resolved hits, and the model's evidence."""
        from trainer.model import Evidence

        text = text[:MAX_CHARS]
        segs = segments(text)
        if not segs:
            return None
        wanted = REP_MOVES if role == "rep" else PROSPECT_MOVES
        hits = self._cue_hits(segs, wanted)
        times = self._time_hits(text, segs, hits, now, add=role == "rep")
        self._fuzzy_hits(segs, wanted, hits)
        raw = frozenset(hits)
        hits = _resolve(hits, role, previous_moves, segs)
        return segs, hits, Evidence(segs, raw, frozenset(hits), frozenset(times),
                                    previous_moves)

    def _previous_moves(self, previous: str | None, role: str) -> frozenset[str] | None:
        if previous is None:
            return None
        other = "prospect" if role == "rep" else "rep"
        return frozenset(m.name for m in self.classify(previous, role=other))

    def _cue_hits(self, segs: list[Segment], wanted: tuple[str, ...]) -> dict[str, _Hit]:
        """Run every cue once over the line's sentences, joined one per line (cues anchor
        with ``^``/``$`` per sentence), and keep the most confident hit per move."""
        hits: dict[str, _Hit] = {}
        role = "rep" if wanted is REP_MOVES else "prospect"
        index = _cue_index(role)
        # A list of keywords ("next step, calendar, demo!") makes no move.
        clause = _CLAUSE[role]
        usable = [seg for seg in segs if clause.search(seg.norm)]
        if not usable:
            return hits
        starts = []
        pos = 0
        for seg in usable:
            starts.append(pos)
            pos += min(len(seg.norm), MAX_SENTENCE) + 1
        joined = "\n".join(seg.norm[:MAX_SENTENCE] for seg in usable)
        by_start, cues_of = index.literals, index.cues_of
        # A cue runs only when one of the literals every match of it needs is in the line.
        active = set(index.unfiltered)
        for tri in {joined[i:i + 3] for i in range(len(joined) - 2)}:
            for lit in by_start.get(tri, ()):
                if lit in joined:
                    active.update(cues_of[lit])
        for position in sorted(active):
            name, pattern, conf = index.cues[position]
            if name in hits and hits[name].confidence >= conf:
                continue
            for m in pattern.finditer(joined):
                k = bisect_right(starts, m.start()) - 1
                seg, base = usable[k], starts[k]
                start, end = m.start() - base, m.end() - base
                if end > len(seg.norm) or _negated(name, seg.norm, start, end) \
                        or _quoted(seg, start, end):
                    continue  # crossed into the next sentence, negated, or someone quoted
                hits[name] = _Hit(name, seg, conf, start, end)
                break
        return hits

    def _time_hits(self, text: str, segs: list[Segment], hits: dict[str, _Hit],
                   now: datetime | None, *, add: bool = True) -> set[str]:
        """Add the time moves a rep line makes; return the kinds of time mentioned."""
        from trainer.when import find_times

        windows = []
        slots = []
        mentions = find_times(text, now or _REFERENCE_NOW)
        kinds = {"day" if m.day_only else m.kind for m in mentions}
        if not add:
            return kinds
        for mention in mentions:
            seg = next((s for s in segs if s.start <= mention.start < s.end), None)
            if seg is None or _PAST.search(seg.norm) or not _CLAUSE["rep"].search(seg.norm):
                continue
            if _NEGATORS.search(seg.norm) and not _NEGATION_OK.search(seg.norm):
                continue
            if _DEADLINE.search(text[max(0, mention.start - 30):mention.start].lower()):
                continue  # "by Friday" is when work is due, not when the next meeting is
            if mention.kind == "window":
                windows.append((mention, seg))
            elif _BARE_HOUR.match(mention.text.lower()) and not (
                    seg.question or _SCHEDULING.search(seg.norm)):
                continue  # "if you're still at one (million), ..." names no time
            elif not _HYPOTHETICAL.search(seg.norm):
                # Any future slot a rep names is a proposal: "the 3rd at 3 then" confirms one.
                slots.append((mention, seg))
                if hits.get("propose_time", _Hit("", seg, 0.0)).confidence < 0.9:
                    hits["propose_time"] = _Hit("propose_time", seg, 0.9)
        slot_segs = {id(seg) for m, seg in slots}
        prop = hits.get("propose_time")
        if prop is not None and prop.confidence < 0.9 and id(prop.segment) not in slot_segs \
                and any(seg is prop.segment for _, seg in windows):
            hits["vague_time"] = _Hit("vague_time", prop.segment, prop.confidence)
            hits.pop("propose_time")  # "find some time in the next few weeks" pins no slot
        if "propose_time" in hits:
            hits.pop("vague_time", None)
            return kinds  # a slot is on the table: other windows in the line are detail
        for mention, seg in windows:
            if _AGREED_MEETING.search(text[max(0, mention.start - 40):mention.start].lower()):
                continue  # "bring it to the meeting on Friday" names a meeting already agreed
            if (seg.question or _SCHEDULING.search(seg.norm)) and not _WORK_ONLY.search(seg.norm):
                hits.setdefault("vague_time", _Hit("vague_time", seg, 0.8))
                return kinds
        return kinds

    def _fuzzy_hits(self, segs: list[Segment], wanted: tuple[str, ...],
                    hits: dict[str, _Hit]) -> None:
        for seg in segs:
            if any(h.segment is seg for h in hits.values()):
                continue
            found = self._bank.match_normalised(seg.plain, labels=wanted)
            if found is not None and found.label not in hits:
                hits[found.label] = _Hit(found.label, seg, found.score / 100)


def _negated(name: str, norm: str, start: int, end: int) -> bool:
    """True when a negation cancels a positive move matched at ``norm[start:end]``, or the
    match sits in a clause that puts it off ("before we talk about what happens next, ...")."""
    if name not in _POSITIVE:
        return False
    clause_start = max(norm.rfind(",", 0, start) + 1, 0)
    window = norm[clause_start:end]
    if name == "ask_next_step" and _PUT_OFF.match(window):
        return True
    before = norm[clause_start:start].split()[-3:]
    scope = " ".join(before) + " " + norm[start:end]
    if _NEGATION_OK.search(window):
        return False
    return bool(_NEGATORS.search(scope))


# Quoted speech: "...", “...”, and '...' or ‘...’ standing apart from words (an apostrophe
# inside, as in 'I'll call you', stays part of the quote).
_QUOTE = _compile("\"[^\"]+\"|\u201c[^\u201d]+\u201d"
                  "|\u2018(?:[^\u2018\u2019]|\u2019(?=\\w))+\u2019(?!\\w)"
                  "|(?<!\\w)'(?:[^']|'(?=\\w))+'(?!\\w)")


def _quoted(seg: Segment, start: int, end: int) -> bool:
    """True when ``seg.norm[start:end]`` was said inside quotation marks: the rep reporting
    what people say ("when I hear 'we'll get back to you'...") makes no move of its own."""
    if not any(mark in seg.raw for mark in ('"', "'", "\u201c", "\u2018")):
        return False
    raw_start, raw_end = seg.span_of(start, end)
    return any(q.start() + seg.start <= raw_start and raw_end <= q.end() + seg.start
               for q in _QUOTE.finditer(seg.raw))


def _gate(chosen: dict[str, float], prev: frozenset[str] | None,
          hits: Mapping[str, _Hit], segs: list[Segment],
          times: frozenset[str] = frozenset()) -> dict[str, float]:
    """Rules no model may break: stall replies exist only after a stall, and are one or
    the other; a bare yes agrees only to something that was offered ("Yes." to "do you use
    Excel?" agrees to nothing). A longer line may agree without an offer before it: prospects
    commit to steps of their own, and the offer may be one the rules missed. (Forcing every
    reply to a stall to be one of the two scored lower in cross-validation: the line before
    is itself only read as a stall, and sometimes wrongly.)"""
    if "agree" in chosen and "agree" not in hits and prev is not None \
            and not (prev & _OFFERS) \
            and sum(len(seg.plain.split()) for seg in segs) <= BARE_ANSWER:
        chosen.pop("agree")
    said = [seg for seg in segs if len(seg.plain.split()) > 2]  # not "Great." or "Lovely."
    if "recap" in chosen and "recap" not in hits and "assign_task" in chosen \
            and len(said) == 1 and said[0].question:
        # one question asking the prospect to do something ("could you send the floor plan
        # beforehand, so we bring the right selection?") asks; it summarises nothing
        chosen.pop("recap")
    if "recap" in chosen and "tell_next_step" in chosen:
        chosen.pop("tell_next_step")  # "so: you'll email the slots, I'll build the demo" recaps
    if "tell_next_step" in chosen and "tell_next_step" not in hits \
            and not any(_STEP_AHEAD.search(seg.norm) for seg in segs):
        # telling decides something still to come; a line with no word of a future or an
        # offer describes how things are ("we handle that conversation for you")
        chosen.pop("tell_next_step")
    if "tell_next_step" in chosen and any(_HOUSEKEEPING.match(seg.norm) for seg in segs) \
            and not any(_STEP_AHEAD.search(seg.norm) for seg in segs
                        if not _HOUSEKEEPING.match(seg.norm)):
        # "Great, I'll send you the calendar invite right after this call." sends what was
        # agreed; it decides nothing
        chosen.pop("tell_next_step")
    if "vague_time" in chosen and "vague_time" not in hits and not times \
            and not any(_WINDOWISH.search(seg.norm) for seg in segs):
        # a window needs a word of time: "I'll be quick. I know your routes come up for
        # renewal" names none, whatever the learned layer made of it
        chosen.pop("vague_time")
    if "ask_next_step" in chosen and "ask_next_step" not in hits \
            and not any(seg.question or _ASKING.search(seg.norm) for seg in segs):
        # asking needs a question or a request; "so that's the tour, coffee's free" asks
        # nothing, whatever its words
        chosen.pop("ask_next_step")
    if prev is not None and "stall" in prev and "accept_stall" in chosen \
            and _YES_BUT.match(segs[0].norm) and any(seg.question for seg in segs):
        # "Sure, but let me ask you straight: is it a problem you're fixing this year?"
        chosen.pop("accept_stall")
        chosen.setdefault("confront_stall", 0.7)
    if prev is None or "stall" not in prev:
        chosen.pop("confront_stall", None)
        chosen.pop("accept_stall", None)
    elif "confront_stall" in chosen and "accept_stall" in chosen:
        weaker = min(("confront_stall", "accept_stall"), key=lambda m: chosen[m])
        chosen.pop(weaker)
    return chosen


def _asks_for_meeting(hits: dict[str, _Hit], segs: list[Segment]) -> None:
    """A question that names a meeting and a time asks for the next step; so does asking
    permission to call or visit ("can I call you in a few weeks?"), which is not telling."""
    for seg in segs:
        if _PERMISSION.search(seg.norm) and _PERMISSION_VERB.search(seg.norm):
            hits.setdefault("ask_next_step", _Hit("ask_next_step", seg, 0.75))
            tell = hits.get("tell_next_step")
            if tell is not None and tell.segment is seg:
                hits.pop("tell_next_step")
            continue
        timed = any(h.segment is seg for k, h in hits.items()
                    if k in ("propose_time", "vague_time"))
        if timed and seg.question and _MEETING_ASK.search(seg.norm) \
                and "ask_next_step" not in hits:
            hits["ask_next_step"] = _Hit("ask_next_step", seg, 0.75)


_CONFIRM = _compile(r"(?:\b(?:right|ok|okay|correct|happy with that|sound (?:right|good)|"
                    r"does that work|fair|agreed|yes|yeah|all good|good|with me)\s*\??$|\bdid i "
                    r"(?:get|miss)|\bhave i (?:got|missed)|\bdoes (?:that|this) match|\bis "
                    r"(?:that|this) how you see|understanding \?|\bsame page)")
_YOU_WILL = _compile(r"\byou(?:r team| guys| all)? (?:will |are going to |are |re going to |"
                     r"can |then )?(?!know|see|mean|think|said|say|get it)[a-z]{3,}\b")
_I_WILL = _compile(r"\b(?:i|we) (?:will |am going to |are going to |am |are |then )?"
                   r"(?!think|know|mean|said|say|guess|hope)[a-z]{3,}\b")
# A recap is about next actions: a marker alone ("to sum up, our platform...") recaps nothing.
_NEXT_ACTIONS = _compile(r"\b(?:you will|i will|we will|you are going|i am going|we are "
                         r"going|next|meet|call|speak|send|bring|by|on the|monday|tuesday|"
                         r"wednesday|thursday|friday|tomorrow|week|booked|invite|calendar)\b")
# Words a real clause has and a stuffed keyword list does not.
_CLAUSE_WORDS = (r"i|you|we|us|me|they|he|she|it|let|can|could|would|will|shall|should|is|are|"
                 r"am|was|do|does|how|what|when|where|who|which|why|please|see|send|call|bring|"
                 r"book|meet|talk|get|give|take|try|check|make|to confirm")
# The moves a line can only make with a clause (the keyword-stuffing guard).
_NEEDS_CLAUSE = frozenset(("ask_next_step", "tell_next_step", "assign_task", "recap",
                           "confront_stall"))
# A clause has a pronoun, an auxiliary or a verb; a prospect's one-word answers count too,
# and so does a rep's taking a slot ("Friday 14 March at 8:30am works", "the 3rd at 3 then").
_CLAUSE = {
    "rep": _compile(rf"\b(?:{_CLAUSE_WORDS}|works?|suits?|then)\b"),
    "prospect": _compile(rf"\b(?:{_CLAUSE_WORDS}|that|this|your|our|my|their|then|s|there|"
                         r"here|yes|yeah|yep|yup|no|nope|sure|okay|ok|maybe|"
                         r"not|works?|sounds?|fine|great|perfect|thanks|thank|right|correct|"
                         r"exactly|absolutely|definitely|certainly|indeed|agreed|deal|done|"
                         r"alright|course|spot|bang|mm|mhm|huh)\b"),
}
# A summary sentence: opens with "so", names a day or a time, and says what both sides do;
# unless it opens a plan of the rep's own ("so what I'll do is...", "so next step is I'll...").
_SO_START = _compile(r"(?:(?:great|perfect|lovely|noted|okay|ok|right|brilliant|cool|excellent|"
                     r"good|fantastic|wonderful|super|awesome|and)\s*,?\s*)*so\s*[,:]?\s")
_ON_A_DAY = _compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|"
                     r"\d{1,2}(?::\d\d)?\s*(?:am|pm)|at \d|the \d+(?:st|nd|rd|th))\b")
_DECIDING = _compile(r"\b(?:what (?:i|we) (?:will|am going to|are going to) do|next (?:step|"
                     r"thing) (?:is|,)|let me|how about|what if|rather than|before we|i have "
                     r"sent|i sent)\b")
_WH_START = _compile(r"^(?:(?:okay|ok|so|and|sure|right|understood|of course|totally|fair|"
                     r"makes sense|got it|i see|fine)\s*,?\s*)*(?:what|which|who|whom|when|"
                     r"why|how|where)\b(?! about| if)")
_WH = _compile(r"\b(?:what(?! about| if)|which|who|whom|when|why|how(?! about)|where|is it|"
               r"is that|is this|are they|"
               r"would you|do you|did you|could we|can we|shall we|will you|is there|what s)\b")


def _listed(segs: list[Segment], k: int) -> list[Segment]:
    """Sentence ``k`` and the ones a semicolon joins to it, as in a list of actions."""
    out = [segs[k]]
    for seg in segs[k + 1:]:
        if not out[-1].raw.rstrip().endswith(";"):
            break
        out.append(seg)
    return out


def _answer_stall(hits: dict[str, _Hit], segs: list[Segment]) -> None:
    """After a stall, a reply either confronts it (names it, probes it, pushes for a concrete
    step) or lets it pass; there is no third way."""
    if "confront_stall" not in hits:
        # A recap restates the plan; it neither confronts a stall nor lets it pass.
        pushes = set() if "recap" in hits else hits.keys() & {"ask_next_step", "propose_time"}
        acts = [h.segment for k, h in hits.items() if k in ("assign_task", "tell_next_step")]
        probe = next((s for s in segs if s.question and (
            _WH_START.search(s.norm)
            or (_WH.search(s.norm) and not any(seg is s for seg in acts)))), None)
        if pushes:
            hit = hits[sorted(pushes)[0]]
            hits["confront_stall"] = _Hit("confront_stall", hit.segment, 0.7)
        elif probe is not None:
            hits["confront_stall"] = _Hit("confront_stall", probe, 0.65)
    if "confront_stall" in hits:
        hits.pop("accept_stall", None)
    elif "accept_stall" not in hits:
        hits["accept_stall"] = _Hit("accept_stall", segs[0], 0.6)


def _resolve(hits: dict[str, _Hit], role: str, prev: frozenset[str] | None,
             segs: list[Segment]) -> dict[str, _Hit]:
    """Apply the context rules that single patterns cannot see."""
    if role == "rep":
        _asks_for_meeting(hits, segs)
        after_stall = prev is not None and "stall" in prev
        if not after_stall:
            hits.pop("confront_stall", None)
            hits.pop("accept_stall", None)
        else:
            _answer_stall(hits, segs)
        if "recap" not in hits and _CONFIRM.search(segs[-1].norm) and len(segs) >= 2 and \
                _YOU_WILL.search(" ".join(s.norm for s in segs)) and \
                _I_WILL.search(" ".join(s.norm for s in segs)):
            hits["recap"] = _Hit("recap", segs[0], 0.7)
        if "recap" not in hits or hits["recap"].confidence < SURE:
            for k, seg in enumerate(segs):
                # "so, Tuesday the 4th at 8am, you'll send the plan, I bring...", in one
                # sentence or in a list of them ("...; before then you'll get...; and you...")
                rest = " ".join(s.norm for s in _listed(segs, k))
                if not seg.question and _SO_START.match(seg.norm) and _ON_A_DAY.search(seg.norm) \
                        and _YOU_WILL.search(rest) and _I_WILL.search(rest) \
                        and not _DECIDING.search(rest):
                    hits["recap"] = _Hit("recap", seg, SURE)
                    break
        if "recap" in hits and not _NEXT_ACTIONS.search(" ".join(s.norm for s in segs)):
            hits.pop("recap")
        if "recap" in hits:
            # A recap restates who does what; it decides and assigns nothing new.
            hits.pop("tell_next_step", None)
            hits.pop("assign_task", None)
        tell, ask = hits.get("tell_next_step"), hits.get("ask_next_step")
        if tell and ask and tell.segment is ask.segment and tell.nstart <= ask.nstart < tell.nend:
            hits.pop("ask_next_step")  # "how about I set up a call" volunteers, it does not ask
        return hits
    offered = prev is not None and bool(prev & _ANSWERABLE)
    strong_stall = "stall" in hits and hits["stall"].confidence >= 0.85
    if offered and "decline" not in hits and not strong_stall:
        first = segs[0]
        if _REPLY_NO.search(first.norm) and not (hits.get("agree") and
                                                 hits["agree"].confidence >= 0.8):
            hits["decline"] = _Hit("decline", first, 0.7)
            hits.pop("agree", None)
            hits.pop("stall", None)  # "sorry, I can't, we're stretched" says no, not later
        elif "agree" not in hits and "objection" not in hits and "stall" not in hits:
            hits["agree"] = _Hit("agree", first, 0.6)
    if "stall" in hits and "agree" in hits and (
            hits["agree"].confidence >= 0.85 >= hits["stall"].confidence
            or (hits["stall"].confidence < 0.85 and (offered or hits["agree"].confidence >= 0.8))):
        hits.pop("stall")  # "sure, I'll check with Dana" answers yes; the check is a detail
    stall, decline = hits.get("stall"), hits.get("decline")
    if stall is not None and decline is not None:
        if decline.confidence > stall.confidence or (offered and
                                                     decline.confidence == stall.confidence):
            hits.pop("stall")
        else:
            hits.pop("decline")
    stall = hits.get("stall")
    if offered and stall is not None and stall.confidence < 0.8 and "decline" not in hits:
        hits.pop("stall")  # a hedged answer to a concrete offer ("tight, but I'll try") is a yes
        hits.setdefault("agree", _Hit("agree", stall.segment, 0.6))
    objection = hits.get("objection")
    if objection is not None and objection.confidence < 0.85 and (
            "stall" in hits or "decline" in hits):
        hits.pop("objection")  # the weaker reading of a line that already stalls or declines
    agree = hits.get("agree")
    if agree is not None and agree.confidence < 0.75:
        # A weak yes ("sure", "sounds good") needs something to agree to and nothing against
        # it: "yeah, the reporting is what's killing us" agrees to nothing.
        nothing_offered = prev is not None and not (prev & _OFFERS)
        long_without_context = prev is None and (
            len(segs) > 1 or len(agree.segment.norm.split()) > 6)
        if "stall" in hits or "decline" in hits or nothing_offered or long_without_context:
            hits.pop("agree")
    if "decline" in hits and hits["decline"].confidence < 0.7 and prev is not None \
            and not (prev & _OFFERS):
        hits.pop("decline")
    return hits


# A fixed reference time for lines graded without one: only used to tell future from past
# and slot from window, never shown to users.
_REFERENCE_NOW = datetime(2026, 1, 5, 9, 0)


@lru_cache(maxsize=1)
def default_classifier() -> Classifier:
    """The shared classifier with the shipped exemplar bank."""
    return Classifier()


def classify(text: str, *, role: str = "rep", previous: str | None = None,
             previous_moves: frozenset[str] | None = None,
             now: datetime | None = None) -> tuple[Move, ...]:
    """The moves ``text`` makes when said by ``role``; ``previous`` is the other party's line
    (or ``previous_moves``, the names of its moves when they are already known)."""
    return default_classifier().classify(text, role=role, previous=previous,
                                         previous_moves=previous_moves, now=now)
