"""The linter: warnings (``NS2xx``) about a scenario that loads but will not behave as meant.

Each rule is a function over a :class:`Context` (the loaded scenario, its source, where each
part is written, and its :class:`~trainer.authoring.flow.Flow`) that yields
:class:`~trainer.authoring.diagnostics.Diagnostic` s. The rules and their codes:

- flow (from :mod:`trainer.authoring.flow`): NS201 unreachable state, NS202 dead end,
  NS203 no way to win, NS204 an ending never reached, NS205 a transition that never fires,
  NS206 a stall confronting never gets past, NS214 a reveal never said;
- declarations: NS207 an unused intent, NS208 a flag never read or never changed;
- intents, whose examples double as tests: NS209 too short to match, NS210 confusable with
  another intent's, NS211 confusable with a built-in move's phrase, NS212 taken by another
  transition before its own;
- lines: NS213 the same line written twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from trainer.authoring.diagnostics import Diagnostic
from trainer.authoring.flow import Flow
from trainer.authoring.locate import Locator, split_path
from trainer.matching import MIN_CHARS, MIN_WORDS, PhraseBank
from trainer.moves import REP_MOVES
from trainer.text import plain

if TYPE_CHECKING:
    from trainer.scenario import Scenario, Transition

#: What the classifier's exemplar matching needs to call two phrases alike (see moves.py).
MOVE_SIMILARITY = 84.0


@dataclass
class Context:
    """Everything a rule may look at for one file."""

    scenario: Scenario
    source: str
    file: str
    locator: Locator

    @cached_property
    def flow(self) -> Flow:
        return Flow(self.scenario)

    def warn(self, code: str, message: str, path: str, *, key: bool = False) -> Diagnostic:
        place = self.locator.place(path, key=key)
        return Diagnostic(code, "warning", message, self.file,
                          place.line if place else None, place.column if place else None, path)

    def line_of(self, path: str) -> str:
        place = self.locator.place(path)
        return f"line {place.line}" if place else path


Rule = Callable[[Context], Iterator[Diagnostic]]


def lint(scenario: Scenario, source: str, *, file: str = "<string>",
         locator: Locator | None = None) -> list[Diagnostic]:
    """Every lint warning for a loaded scenario, in the order of the file."""
    ctx = Context(scenario, source, file, locator or Locator.from_text(source))
    found = [d for rule in RULES for d in rule(ctx)]
    return sorted(found, key=lambda d: (d.line or 0, d.column or 0, d.code))


# --- the flow rules ------------------------------------------------------------------------


def unreachable_states(ctx: Context) -> Iterator[Diagnostic]:
    flow = ctx.flow
    if not flow.complete:
        return
    gotos = _gotos(ctx.scenario)
    for name in ctx.scenario.states:
        if name in flow.states:
            continue
        into = gotos.get(name, [])
        if into:
            why = (f"the only ways in ({', '.join(into[:3])}) never fire on a path from the "
                   "opening")
        else:
            why = "no transition or reaction has `goto: " + name + "`"
        yield ctx.warn("NS201", f"the state `{name}` is never reached: {why}. Lead to it with "
                       "a `goto:` where the conversation should get there, or delete it.",
                       f"states.{name}", key=True)


def dead_ends(ctx: Context) -> Iterator[Diagnostic]:
    flow = ctx.flow
    if not flow.complete:
        return
    for name in ctx.scenario.states:
        if not flow.at(name) or flow.escapes(name):
            continue
        yield ctx.warn(
            "NS202", f"`{name}` is a dead end: nothing the trainee says leads out of it or "
            "ends the meeting, so only the prospect's patience or the clock can. Add a "
            "transition with `goto:` or `end:`, or let the built-in reactions book a time "
            "here (a transition on `propose_time` or `recap` replaces them).",
            f"states.{name}", key=True)


def no_way_to_win(ctx: Context) -> Iterator[Diagnostic]:
    flow = ctx.flow
    if not flow.complete or "won" in flow.outcomes:
        return
    yield ctx.warn(
        "NS203", "no conversation can win this meeting: on no path from the opening is a time "
        "booked (the built-in reaction to `propose_time` once a stall is dealt with) or a "
        "transition or reaction reached with `end: won`. Check the transitions out of the "
        "stall states.", "endings.won", key=True)


def endings_never_reached(ctx: Context) -> Iterator[Diagnostic]:
    flow = ctx.flow
    if not flow.complete:
        return
    sc = ctx.scenario
    for outcome in ("lost", "no_decision"):
        if outcome in flow.outcomes:
            continue
        if outcome == "lost":
            lines = max(1, round(sc.clock.minutes / sc.clock.per_turn))
            why = (f"patience ({sc.patience.limit} unproductive lines) outlasts the clock "
                   f"(about {lines} lines), and no transition or reaction has `end: lost`")
        else:
            why = "every path ends otherwise"
        yield ctx.warn("NS204", f"the `{outcome}` ending is never said: {why}.",
                       f"endings.{outcome}", key=True)


def transitions_never_fire(ctx: Context) -> Iterator[Diagnostic]:
    flow = ctx.flow
    if not flow.complete:
        return
    for name, state in ctx.scenario.states.items():
        if name not in flow.states:
            continue  # NS201 says it
        for index, t in enumerate(state.on):
            if (name, index) in flow.fired:
                continue
            path = f"states.{name}.on[{index}]"
            shadow = next((j for j in range(index) if _same_trigger(state.on[j], t)
                           and not state.on[j].when), None)
            if shadow is not None:
                why = (f"on[{shadow}] ({ctx.line_of(f'states.{name}.on[{shadow}]')}) reacts "
                       f"to the same {_trigger(t)} first and has no `if:`, so it always wins. "
                       "Put this one first, or give the other conditions")
            elif t.when:
                conds = ", ".join(c.text for c in t.when)
                why = (f"its conditions ({conds}) never hold whenever it could fire. Check "
                       "which transitions `set:` those flags, and where")
            else:
                why = "an earlier transition always takes its lines"
            yield ctx.warn("NS205", f"this transition on {_trigger(t)} never fires: {why}.",
                           path)


def stalls_without_confront_path(ctx: Context) -> Iterator[Diagnostic]:
    flow = ctx.flow
    if not flow.complete:
        return
    for name, state in ctx.scenario.states.items():
        if not state.stall:
            continue
        starts = {c for c in flow.at(name) if c.stall_open}
        if not starts:
            continue
        seen, outcomes = flow.reaches(starts, only="confront_stall")
        if "won" in outcomes or any(not c.stall_open for c in seen):
            continue
        first = next((i for i, t in enumerate(state.on) if t.move == "confront_stall"), None)
        if first is not None:
            t = state.on[first]
            did = (f"`goto: {t.goto}`, another stall" if t.goto else
                   f"`end: {t.end}`" if t.end else "staying in the stall")
            what = (f"its transition on confront_stall (on[{first}]) answers with {did}, "
                    "and from there confronting again never gets past it")
        else:
            what = "confronting it leads back into a stall each time"
        yield ctx.warn(
            "NS206", f"the stall in `{name}` cannot be confronted out of: {what}. The method "
            "says to name a stall to hear the real concern; let `confront_stall` lead to a "
            "state that is not a stall (or leave it to the built-in reaction, which reveals "
            "the state's `reveal:` line).", f"states.{name}", key=True)


def reveals_never_shown(ctx: Context) -> Iterator[Diagnostic]:
    """A state's ``reveal:`` is the built-in answer to confronting its stall; a transition
    on ``confront_stall`` with no ``if:`` and no intent answers first, every time."""
    for name, state in ctx.scenario.states.items():
        if not state.reveal:
            continue
        first = next((i for i, t in enumerate(state.on) if t.move == "confront_stall"
                      and t.intent is None and not t.when), None)
        if first is None:
            continue
        yield ctx.warn(
            "NS214", f"the `reveal:` of `{name}` is never said: its transition on "
            f"confront_stall (on[{first}], {ctx.line_of(f'states.{name}.on[{first}]')}) has no "
            "`if:`, so it answers every confrontation first. Say the reveal in that "
            "transition's `say:`, give it conditions, or drop it.", f"states.{name}.reveal")


# --- declarations --------------------------------------------------------------------------


def unused_intents(ctx: Context) -> Iterator[Diagnostic]:
    used = {t.intent for s in ctx.scenario.states.values() for t in s.on if t.intent}
    for name in ctx.scenario.intents:
        if name not in used:
            yield ctx.warn("NS207", f"the intent `{name}` is declared but no transition uses it "
                           f"(`intent: {name}` under a state's `on:`), so lines matching it "
                           "change nothing. Use it, or delete it.", f"intents.{name}", key=True)


def unused_flags(ctx: Context) -> Iterator[Diagnostic]:
    sc = ctx.scenario
    read: set[str] = set()
    changed: set[str] = set()
    for state in sc.states.values():
        for t in state.on:
            read.update(c.name for c in t.when)
            changed.update(t.set)
    for f in dataclasses.fields(sc.reactions):
        r = sc.reactions.get(f.name)
        if r is not None:
            changed.update(r.set)
    for c in sc.rubric.criteria:
        read.update(x.name for x in c.passes_if)
    for name, start in sc.flags.items():
        if name not in read:
            yield ctx.warn("NS208", f"the flag `{name}` is never read: no `if:` and no rubric "
                           "`passes_if:` tests it, so setting it changes nothing. Test it, or "
                           "delete it.", f"flags.{name}", key=True)
        elif name not in changed:
            shown = str(start.value).lower() if isinstance(start.value, bool) else start.value
            yield ctx.warn("NS208", f"the flag `{name}` is tested but never changed: no "
                           f"transition or reaction `set:`s it, so it is always {shown}. Set "
                           "it where the conversation earns it.", f"flags.{name}", key=True)


# --- intents -------------------------------------------------------------------------------


def _matchable(example: str) -> bool:
    norm = plain(example)
    return len(norm) >= MIN_CHARS and norm.count(" ") + 1 >= MIN_WORDS


def short_examples(ctx: Context) -> Iterator[Diagnostic]:
    for name, intent in ctx.scenario.intents.items():
        for i, example in enumerate(intent.examples):
            if _matchable(example) or intent.pattern_in(example):
                continue
            yield ctx.warn(
                "NS209", f"the example {example!r} of `{name}` can never match: lines shorter "
                f"than {MIN_WORDS} words or {MIN_CHARS} characters are not compared with "
                "examples (they say too little to tell apart). Write a whole phrase, or add a "
                "pattern for a short cue.", f"intents.{name}.examples[{i}]")


def confusable_intents(ctx: Context) -> Iterator[Diagnostic]:
    """One warning per pair of intents, for their two most alike examples."""
    intents = ctx.scenario.intents
    if len(intents) < 2:
        return
    items = [(name, k, example, plain(example)) for name, i in intents.items()
             for k, example in enumerate(i.examples) if _matchable(example)]
    norms = [x[3] for x in items]
    low = min(i.threshold for i in intents.values())
    best: dict[tuple[str, str], tuple[float, int, int]] = {}
    for i, (name, _, _, norm) in enumerate(items):
        for _, score, j in process.extract(norm, norms, scorer=fuzz.ratio, score_cutoff=low,
                                           limit=None):
            other = items[j][0]
            if j <= i or other == name:
                continue
            if score < min(intents[name].threshold, intents[other].threshold):
                continue
            pair = (name, other)
            if pair not in best or score > best[pair][0]:
                best[pair] = (score, i, j)
    for (a, b), (score, i, j) in best.items():
        ea, eb = items[i][2], items[j][2]
        pa, pb = f"intents.{a}.examples[{items[i][1]}]", f"intents.{b}.examples[{items[j][1]}]"
        yield ctx.warn(
            "NS210", f"{ea!r} (intent `{a}`, {ctx.line_of(pa)}) and {eb!r} (intent `{b}`) are "
            f"{score:.0f}% alike: a line like either matches both intents, and whichever "
            "transition is listed first takes it. Reword one, or raise the intents' "
            "`threshold:`.", pb)


@cache
def _exemplars() -> tuple[tuple[str, str, str], ...]:
    """The classifier's example phrases for the trainee's moves: (move, phrase, normalised)."""
    import yaml

    text = resources.files("trainer").joinpath("data/exemplars.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return tuple((str(move), str(p), plain(str(p))) for move, phrases in data.items()
                 if move in REP_MOVES for p in phrases)


def intents_like_moves(ctx: Context) -> Iterator[Diagnostic]:
    bank = _exemplars()
    if not bank:
        return
    norms = [n for _, _, n in bank]
    for name, intent in ctx.scenario.intents.items():
        for i, example in enumerate(intent.examples):
            if not _matchable(example):
                continue
            best = process.extractOne(plain(example), norms, scorer=fuzz.ratio,
                                      score_cutoff=min(MOVE_SIMILARITY, intent.threshold))
            if best is None:
                continue
            move, phrase, _ = bank[best[2]]
            yield ctx.warn(
                "NS211", f"the example {example!r} of `{name}` is {best[1]:.0f}% like "
                f"{phrase!r}, a phrase of the built-in move `{move}`: a line like it is also "
                f"heard as `{move}`, and a transition on `{move}` listed before the intent's "
                "takes it. Reword the example so it says what is special about the intent.",
                f"intents.{name}.examples[{i}]")


def examples_taken_first(ctx: Context) -> Iterator[Diagnostic]:
    """Each example is a line the author expects to fire its intent's transitions: play it
    against every state that has one and see which transition really takes it."""
    from trainer.moves import classify

    sc = ctx.scenario
    banks = {n: PhraseBank({n: i.examples}, threshold=i.threshold)
             for n, i in sc.intents.items() if i.examples}
    reached = ctx.flow.states if ctx.flow.complete else set(sc.states)
    for name, intent in sc.intents.items():
        for i, example in enumerate(intent.examples):
            if not _matchable(example):
                continue
            taken: list[str] = []
            for sname, state in sc.states.items():
                own = next((k for k, t in enumerate(state.on) if t.intent == name), None)
                if own is None or sname not in reached:
                    continue
                moves: set[str] | None = None
                for k in range(own):
                    t = state.on[k]
                    if t.when:
                        continue  # it may or may not fire: only sure captures are reported
                    if t.move is not None:
                        if moves is None:
                            moves = {m.name for m in classify(example, role="rep",
                                                              previous=state.say[0])}
                        hit = t.move in moves
                    else:
                        other = sc.intents[t.intent or ""]
                        bank = banks.get(t.intent or "")
                        hit = other.pattern_in(example) or (
                            bank is not None and bank.match(example) is not None)
                    if hit:
                        taken.append(f"in `{sname}`, on[{k}] ({_trigger(t)})")
                        break
            if taken:
                yield ctx.warn(
                    "NS212", f"the example {example!r} of `{name}` does not reach its own "
                    f"transition: {'; '.join(taken)} comes first and takes it. Move the "
                    "intent's transition above it, or reword the example (examples double as "
                    "tests of the intent).", f"intents.{name}.examples[{i}]")


# --- lines ---------------------------------------------------------------------------------


def duplicate_lines(ctx: Context) -> Iterator[Diagnostic]:
    seen: dict[str, str] = {}

    def place(item: tuple[str, str]) -> tuple[int, int]:
        p = ctx.locator.place(item[0])
        return (p.line, p.column) if p else (0, 0)

    # In the order of the file, so the warning falls on the later copy.
    for path, text in sorted(_lines(ctx), key=place):
        norm = plain(text)
        if not norm:
            continue
        first = seen.get(norm)
        if first is None:
            seen[norm] = path
            continue
        if _same_answer(ctx, first, path):
            continue  # the same question answered the same way in two states is deliberate
        group = path.rsplit("[", 1)[0]
        same = first.rsplit("[", 1)[0] == group
        where = "in the same list" if same else f"at {first}"
        fix = ("Variants are picked at random, so a repeat only makes one more likely; "
               "delete it or write a new variant." if same else
               "Say something different here, so the trainee can tell the moments apart.")
        yield ctx.warn("NS213", f"the line {text!r} is already written {where} "
                       f"({ctx.line_of(first)}). {fix}", path)


def _same_answer(ctx: Context, a: str, b: str) -> bool:
    ta, tb = _transition_at(ctx, a), _transition_at(ctx, b)
    return ta is not None and tb is not None and _same_trigger(ta, tb)


def _transition_at(ctx: Context, path: str) -> Transition | None:
    parts = split_path(path)
    if len(parts) >= 4 and parts[0] == "states" and parts[2] == "on":
        state = ctx.scenario.states.get(str(parts[1]))
        if state is not None and isinstance(parts[3], int) and parts[3] < len(state.on):
            return state.on[parts[3]]
    return None


def _lines(ctx: Context) -> Iterator[tuple[str, str]]:
    """Every line the prospect says that the file writes out, with its path (as the
    loader's: ``endings.won[0]`` for the shorthand ``won: "..."``)."""
    sc = ctx.scenario
    groups: list[tuple[str, tuple[str, ...]]] = []
    for name, state in sc.states.items():
        groups += [(f"states.{name}.say", state.say), (f"states.{name}.reveal", state.reveal)]
        groups += [(f"states.{name}.on[{k}].say", t.say) for k, t in enumerate(state.on)]
    for f in dataclasses.fields(sc.reactions):
        r = sc.reactions.get(f.name)
        if r is not None:
            groups += [(f"reactions.{f.name}.say", r.say), (f"reactions.{f.name}", r.say)]
    groups.append(("fallback", sc.fallback))
    for outcome in ("won", "lost", "no_decision"):
        say = sc.endings.get(outcome).say
        groups += [(f"endings.{outcome}.say", say), (f"endings.{outcome}", say)]
    groups += [(f"intents.{n}.examples", i.examples) for n, i in sc.intents.items()]
    for path, lines in groups:
        if lines and ctx.locator.written(f"{path}[0]") and not _shorthand_shadow(ctx, path):
            for i, text in enumerate(lines):
                yield f"{path}[{i}]", text


def _shorthand_shadow(ctx: Context, path: str) -> bool:
    """``endings.won`` written as a mapping is read through its ``say:``, not as a list."""
    return path.count(".") == 1 and path.split(".")[0] in ("reactions", "endings") and \
        ctx.locator.written(f"{path}.say")


# --- helpers -------------------------------------------------------------------------------


def _trigger(t: Transition) -> str:
    return f"`move: {t.move}`" if t.move else f"`intent: {t.intent}`"


def _same_trigger(a: Transition, b: Transition) -> bool:
    return (a.move, a.intent) == (b.move, b.intent)


def _gotos(scenario: Scenario) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, state in scenario.states.items():
        for k, t in enumerate(state.on):
            if t.goto:
                out.setdefault(t.goto, []).append(f"states.{name}.on[{k}]")
    for f in dataclasses.fields(scenario.reactions):
        r = scenario.reactions.get(f.name)
        if r is not None and r.goto:
            out.setdefault(r.goto, []).append(f"reactions.{f.name}")
    return out


RULES: tuple[Rule, ...] = (
    unreachable_states, dead_ends, no_way_to_win, endings_never_reached,
    transitions_never_fire, stalls_without_confront_path, reveals_never_shown, unused_intents,
    unused_flags,
    short_examples, confusable_intents, intents_like_moves, examples_taken_first,
    duplicate_lines,
)
