"""Properties of the moves classifier that hold for any input, not just the labelled corpus.

Any text classifies without raising and with spans that point into it; the way a line is typed
(case, spacing, trailing punctuation) never changes what it does; a pile of next-step keywords
is not a request for the next step; stall replies need a stall; huge lines stay fast.
"""

from __future__ import annotations

import random
import re
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from trainer.moves import PROSPECT_MOVES, REP_MOVES, Classifier, Move, classify

common = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROLES = ("rep", "prospect")

STALL = "Let me think about it and I'll get back to you."
# (role, the other party's line before it, the line): realistic lines that make each move, and
# a few that make none, typed the way people type them (some without final punctuation).
LINES: list[tuple[str, str | None, str]] = [
    ("rep", None, "What would you suggest as a next step?"),
    ("rep", None, "So where do we go from here"),
    ("rep", None, ("Given that Luis needs to be involved, what do you think the next step "
                   "should be?")),
    ("rep", None, "I'll send you a proposal and give you a call next week."),
    ("rep", None, "How about I put together a quote for you?"),
    ("rep", None, "What I'll do is email you the pricing tonight"),
    ("rep", None, "Are you free Tuesday at 10?"),
    ("rep", None, "Could the three of us meet Thursday at 2pm?"),
    ("rep", None, "Does Friday at 9:30 work for you and your IT manager?"),
    ("rep", None, "Can I call you in a few weeks to see where things are?"),
    ("rep", None, "Let's touch base sometime next month"),
    ("rep", None, "Could you bring last quarter's overtime numbers?"),
    ("rep", None, "Before Thursday, could you send me an export of your trial balance?"),
    ("rep", None, "Would you forward the invite to Luis so it's on his calendar too?"),
    ("rep", None, ("So, to confirm: you'll bring the numbers, I'll set up the board, and we "
                   "meet Tuesday at 10. Is that right?")),
    ("rep", None, ("Just to recap, you will loop in finance and we'll regroup Monday at 11, did "
                   "I get that right?")),
    ("rep", STALL, "It sounds like this isn't a priority right now, or is it never going to be?"),
    ("rep", STALL, ("When I hear 'let me think about it' it usually means something isn't "
                    "adding up. What's holding you back?")),
    ("rep", STALL, "Sure, take your time and get back to me whenever you're ready."),
    ("rep", STALL, "No pressure at all, I'll wait to hear from you"),
    ("rep", None, "That covers how the routing works for your team."),
    ("prospect", None, "Let me think about it and I'll get back to you."),
    ("prospect", None, "Send me something over and we'll be in touch"),
    ("prospect", None, "I need to run it past a couple of people first."),
    ("prospect", "Are you free Tuesday at 10?", "Tuesday at 10 works for both of us."),
    ("prospect", "Could you bring the budget numbers?", "Yes, I can pull those from payroll."),
    ("prospect", None, "Honestly, the price is way above what we budgeted for."),
    ("prospect", None, ("My worry is that I can't sign anything without our director seeing it "
                        "first.")),
    ("prospect", None, "We're not interested, we just signed with another vendor."),
    ("prospect", "So, to confirm: you'll send the numbers and we meet Monday at 11. Right?",
     "Yes, that's right."),
    ("prospect", None, "The reporting piece is what's killing us right now"),
]


def names(text: str, role: str = "rep", previous: str | None = None) -> frozenset[str]:
    return frozenset(m.name for m in classify(text, role=role, previous=previous))


def check_moves(text: str, role: str, moves: tuple[Move, ...]) -> None:
    allowed = REP_MOVES if role == "rep" else PROSPECT_MOVES
    assert len({m.name for m in moves}) == len(moves)  # each move once
    for m in moves:
        assert m.name in allowed
        assert 0 <= m.start <= m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.text.strip()
        assert 0 < m.confidence <= 1


# --- any text ----------------------------------------------------------------------------------

SALES_BITS = [line for _, _, line in LINES] + [
    "next step", "Tuesday at 10", "in a few weeks", "?", "!", "...", ",", " - ", "\n", "\t",
    "don't", "I'll", "you'll", "not", "never", "😀", "🗓️", "\x00", "\x1b[31m", "\r\n", "\u200b",
    "\u2019", "é", "日本語", "ﬁ", "İ", "ß",
]
messy_text = st.lists(st.sampled_from(SALES_BITS) | st.text(max_size=6), max_size=30).map(" ".join)
repeated = st.tuples(st.sampled_from(SALES_BITS) | st.text(min_size=1, max_size=20),
                     st.integers(1, 3000)).map(lambda t: t[0] * t[1])
any_text = st.text() | messy_text | repeated


@common
@given(any_text, st.sampled_from(ROLES), st.none() | any_text)
@example("\x00\x01\x02?", "rep", None)
@example("😀" * 5000, "prospect", "😀")
@example("next step " * 20_000, "rep", STALL)
def test_any_text_classifies_with_spans_inside_it(text: str, role: str,
                                                  previous: str | None) -> None:
    check_moves(text, role, classify(text, role=role, previous=previous))


@common
@given(any_text)
def test_stall_replies_need_a_stall_before_them(text: str) -> None:
    assert not names(text, "rep", None) & {"confront_stall", "accept_stall"}


@pytest.mark.parametrize("line", [line for role, prev, line in LINES if prev == STALL])
def test_stall_replies_without_the_stall_are_not_stall_replies(line: str) -> None:
    assert names(line, "rep", STALL) & {"confront_stall", "accept_stall"}  # with it: they are
    assert not names(line, "rep", None) & {"confront_stall", "accept_stall"}


def test_a_bad_role_is_refused() -> None:
    with pytest.raises(ValueError, match="role"):
        classify("What would you suggest as a next step?", role="manager")


# --- the way a line is typed -----------------------------------------------------------------

CASES = [str.upper, str.lower, str.title, str.swapcase, lambda s: s]
ENDINGS = ["", "!", "!!!", "...", "?!", " !!", " ...", "…"]
SPACE = st.text(alphabet=" \t\n\r", max_size=4)


@st.composite
def retyped(draw: st.DrawFn) -> tuple[int, str]:
    """One of LINES, typed differently: case, surrounding and inner spacing, trailing marks."""
    index = draw(st.integers(0, len(LINES) - 1))
    line = LINES[index][2]
    line = draw(st.sampled_from(CASES))(line)
    gaps = draw(st.sampled_from([" ", "  ", "   ", " \t"]))
    line = line.replace(" ", gaps)
    line = line + draw(st.sampled_from(ENDINGS))
    return index, draw(SPACE) + line + draw(SPACE)


@common
@given(retyped())
def test_case_spacing_and_trailing_punctuation_never_change_the_moves(
        case: tuple[int, str]) -> None:
    index, typed = case
    role, previous, line = LINES[index]
    assert names(typed, role, previous) == names(line, role, previous)


@pytest.mark.parametrize("role,previous,line", LINES, ids=[f"L{i}" for i in range(len(LINES))])
def test_collapsing_runs_of_spaces_never_changes_the_moves(role: str, previous: str | None,
                                                          line: str) -> None:
    spaced = re.sub(r" ", "  ", line)
    assert names(spaced, role, previous) == names(line, role, previous)
    assert names(" ".join(spaced.split()), role, previous) == names(line, role, previous)


def test_the_lines_cover_every_move() -> None:
    # Otherwise the invariance tests above would say little.
    seen = set().union(*(names(line, role, prev) for role, prev, line in LINES))
    assert seen == set(REP_MOVES) | set(PROSPECT_MOVES)


# Questions (from the labelled corpus) that only their final "?" marks as questions. "?!" and
# "?..." are typed as often as "?" and should read the same.
QUESTIONS = [
    ("Um, I'm not sure, I think we might need to wait and see.", "Wait and see on what, exactly?"),
    ("My calendar's pretty open on Wednesday.", "Wednesday at 10:30 then?"),
    (None, "Maybe we could reconnect sometime next quarter?"),
]


@pytest.mark.parametrize("ending", ["!", "!!!", "..."])
@pytest.mark.parametrize("previous,line", QUESTIONS, ids=["confront", "slot", "ask"])
def test_marks_after_a_question_mark_keep_it_a_question(previous: str | None, line: str,
                                                        ending: str) -> None:
    assert names(line + ending, "rep", previous) == names(line, "rep", previous)


# --- keyword stuffing --------------------------------------------------------------------------

# Words that sound like a next step, but no verb: a list of them does not ask for anything.
KEYWORDS = ["next step", "next steps", "calendar", "interested", "meeting", "follow-up",
            "timeline", "agenda", "proposal", "demo", "pilot", "budget", "decision maker",
            "priority", "Tuesday", "10am", "invite", "diary", "slot", "availability", "kickoff",
            "contract", "onboarding", "roadmap", "plan", "great", "perfect", "ready", "today",
            "this week", "awesome"]
JOINERS = [", ", " ", "; ", " - ", "! ", ". ", " and "]


@common
@given(st.lists(st.sampled_from(KEYWORDS), min_size=2, max_size=14),
       st.sampled_from(JOINERS), st.sampled_from(["", "!", ".", "!!!", "..."]))
@example(["next step", "calendar", "interested"], ", ", "!")
def test_keyword_stuffing_never_asks_for_the_next_step(words: list[str], joiner: str,
                                                       end: str) -> None:
    line = joiner.join(words) + end
    assert "ask_next_step" not in names(line, "rep"), line


def test_a_keyword_salad_with_a_cheer_is_not_an_ask() -> None:
    assert "ask_next_step" not in names("Ready? Let's go, next step, calendar, interested!")


def test_a_shuffled_salad_is_not_an_ask_either() -> None:
    rng = random.Random(7)
    for _ in range(50):
        words = rng.sample(KEYWORDS, rng.randint(3, 10))
        line = rng.choice(JOINERS).join(words) + rng.choice(["", "!", "."])
        assert "ask_next_step" not in names(line, "rep"), line


# --- size --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("unit", ["What would you suggest as a next step? ",
                                  "Tuesday at 10 works, ", "x", "😀 ", "no, "])
def test_a_200_kb_line_classifies_in_well_under_a_second(role: str, unit: str) -> None:
    line = (unit * (200_000 // len(unit) + 1))[:200_000]
    fresh = Classifier()  # no cache to flatter the time
    started = time.perf_counter()
    moves = fresh.classify(line, role=role, previous=line)
    assert time.perf_counter() - started < 5  # a hang detector; bench/ measures speed
    check_moves(line, role, moves)


FILLER = "So the dispatch board shows every crew and every job for the day. "


@pytest.mark.parametrize("sentences", [
    10,
    80,
])
def test_a_move_at_the_end_of_a_long_turn_is_found(sentences: int) -> None:
    line = FILLER * sentences + "What would you suggest as a next step?"
    assert "ask_next_step" in names(line, "rep")
