"""Every lint rule: a scenario that triggers it, one that does not, and where it points."""

from __future__ import annotations

import textwrap

import pytest

from tests.scenario_text import STATES, TAIL, head
from trainer.authoring.diagnostics import LINT_CODES, Diagnostic
from trainer.authoring.lint import lint
from trainer.scenario_load import load_scenario_text

HEAD = head("lint-case", "Lint case") + TAIL


def doc(body: str = STATES, head: str = HEAD) -> str:
    return head + textwrap.dedent(body)


def warnings(text: str) -> list[Diagnostic]:
    return lint(load_scenario_text(text, file="case.yaml"), text, file="case.yaml")


def codes(text: str) -> set[str]:
    return {d.code for d in warnings(text)}


def only(text: str, code: str) -> list[Diagnostic]:
    return [d for d in warnings(text) if d.code == code]


def line_of(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based line and column where ``needle`` starts (its ``nth`` occurrence)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, column


def test_a_clean_scenario_has_no_warnings():
    assert warnings(doc()) == []


def test_every_code_has_a_meaning_and_a_rule():
    assert all(code.startswith("NS2") and meaning for code, meaning in LINT_CODES.items())


# --- flow ----------------------------------------------------------------------------------


def test_ns201_unreachable_state_points_at_its_name():
    text = doc(STATES + '  orphan:\n    say: "Nobody gets here."\n')
    [d] = only(text, "NS201")
    assert "`orphan` is never reached" in d.message
    assert (d.line, d.column) == line_of(text, "orphan:")
    assert d.path == "states.orphan"
    assert "NS201" not in codes(doc())


def test_ns201_says_which_ways_in_never_fire():
    text = doc(STATES + """\
    on:
      - {move: ask_next_step, if: [ready], goto: hidden}
  hidden:
    say: "You found me."
flags: {ready: false}
""")
    [d] = only(text, "NS201")
    assert "states.concern.on[0]" in d.message and "never fire" in d.message


DEAD_END = STATES + """\
    on:
      - {move: propose_time, say: "I can't commit to a time."}
      - {move: tell_next_step, say: "Sure, whatever."}
"""


def test_ns202_dead_end_and_ns203_no_way_to_win():
    text = doc(DEAD_END)
    [dead] = only(text, "NS202")
    assert "`concern` is a dead end" in dead.message
    assert (dead.line, dead.column) == line_of(text, "concern:")
    [nowin] = only(text, "NS203")
    assert (nowin.line, nowin.column) == line_of(text, "won:")
    assert not {"NS202", "NS203"} & codes(doc())


def test_a_state_left_by_a_transition_is_no_dead_end():
    text = doc(DEAD_END + "      - {move: ask_next_step, goto: thinking}\n")
    assert "NS202" not in codes(text)


def test_ns204_lost_never_reached_when_patience_outlasts_the_clock():
    text = doc(head=HEAD + "patience: 20\n")
    [d] = only(text, "NS204")
    assert "`lost` ending is never said" in d.message and "20" in d.message
    assert (d.line, d.column) == line_of(text, "lost:")
    assert "NS204" not in codes(doc(head=HEAD + "patience: 5\n"))
    ends_lost = STATES + "    on:\n      - {move: vague_time, end: lost}\n"
    assert "NS204" not in codes(doc(ends_lost, head=HEAD + "patience: 20\n"))


def test_ns205_a_transition_shadowed_by_an_earlier_one():
    text = doc(STATES + """\
    on:
      - {move: ask_next_step, say: "Let me check with finance."}
      - {move: ask_next_step, say: "Never said."}
""")
    [d] = only(text, "NS205")
    assert d.path == "states.concern.on[1]"
    assert "on[0]" in d.message and "always wins" in d.message
    assert (d.line, d.column) == line_of(text, "{move: ask_next_step", 1)


def test_ns205_conditions_that_never_hold():
    never = doc(STATES + """\
    on:
      - {move: ask_next_step, if: [approved], say: "Finance said yes."}
""" + "flags: {approved: false}\n")
    [d] = only(never, "NS205")
    assert "never hold" in d.message and "approved" in d.message
    earned = never.replace(
        "        goto: concern\n", "        goto: concern\n        set: {approved: true}\n")
    assert "NS205" not in codes(earned)


def test_ns205_counts_are_followed_to_the_value_a_condition_needs():
    text = doc(STATES + """\
    on:
      - {move: ask_next_step, if: ["asks >= 2"], say: "Fine, you win."}
      - {move: ask_next_step, set: {asks: +1}, say: "Not yet."}
""" + "flags: {asks: 0}\n")
    assert "NS205" not in codes(text)


def test_a_counter_that_climbs_to_a_million_is_followed_there_at_once():
    text = doc(STATES + """\
    on:
      - {move: ask_next_step, if: ["asks >= 1000000"], say: "Fine, you win."}
      - {move: ask_next_step, set: {asks: +1}, say: "Not yet."}
      - {move: assign_task, if: ["asks < 0"], say: "Never."}
""" + "flags: {asks: 0}\n")
    [d] = only(text, "NS205")  # only the one that needs the counter below zero
    assert d.path == "states.concern.on[2]"


def test_ns206_a_stall_that_confronting_never_gets_past():
    text = doc(STATES.replace("goto: concern", "goto: thinking") +
               "    on:\n      - {move: ask_next_step, goto: thinking}\n")
    [d] = only(text, "NS206")
    assert "cannot be confronted out of" in d.message
    assert (d.line, d.column) == line_of(text, "thinking:")
    assert "NS206" not in codes(doc())
    builtin = doc(STATES.replace("    on:\n      - move: confront_stall\n        goto: concern\n",
                                 "    reveal: \"It's the budget.\"\n"))
    assert "NS206" not in codes(builtin)



def test_ns214_a_reveal_that_a_plain_confront_transition_always_answers_first():
    text = doc(STATES.replace('    say: "Interesting. Let me think about it."\n',
                              '    say: "Interesting. Let me think about it."\n'
                              '    reveal: "We lost a week of billing last time."\n'))
    [d] = only(text, "NS214")
    assert "`reveal:` of `thinking` is never said" in d.message and "on[0]" in d.message
    assert (d.line, d.column) == line_of(text, '"We lost a week')
    guarded = text.replace("      - move: confront_stall\n",
                           "      - move: confront_stall\n        if: [asked]\n")
    guarded = guarded.replace("states:\n", "flags: {asked: false}\nstates:\n", 1)
    assert "NS214" not in codes(guarded)

# --- declarations --------------------------------------------------------------------------


INTENT = """\
intents:
  budget:
    examples: [how would this purchase get paid for]
"""


def test_ns207_an_intent_no_transition_uses():
    text = doc(STATES + INTENT)
    [d] = only(text, "NS207")
    assert (d.line, d.column) == line_of(text, "budget:")
    used = doc(STATES + "    on:\n      - {intent: budget, say: \"Finance pays.\"}\n" + INTENT)
    assert "NS207" not in codes(used)


def test_ns208_flags_never_read_or_never_changed():
    unread = doc(STATES.replace("goto: concern", "goto: concern\n        set: {heard: true}")
                 + "flags: {heard: false}\n")
    [d] = only(unread, "NS208")
    assert "never read" in d.message
    assert (d.line, d.column) == line_of(unread, "heard: false")
    unchanged = doc(STATES + "    on:\n      - {move: ask_next_step, if: [heard], "
                    "say: \"OK.\"}\n" + "flags: {heard: false}\n")
    assert any("never changed" in x.message for x in only(unchanged, "NS208"))
    rubric = unread + ("rubric:\n  criteria:\n    - {id: heard, title: Heard it, "
                       "passes_if: [heard]}\n")
    assert "NS208" not in codes(rubric)


# --- intents -------------------------------------------------------------------------------


def intents(block: str, transitions: str) -> str:
    return doc(STATES + "    on:\n" + textwrap.indent(textwrap.dedent(transitions), "      ")
               + textwrap.dedent(block))


def test_ns209_an_example_too_short_to_match():
    text = intents("""\
        intents:
          why:
            examples: [why not]
        """, "- {intent: why, say: \"Budget.\"}\n")
    [d] = only(text, "NS209")
    assert d.path == "intents.why.examples[0]"
    assert (d.line, d.column) == line_of(text, "why not")
    with_pattern = text.replace("examples: [why not]",
                                "examples: [why not]\n    patterns: ['\\bwhy\\b']")
    assert "NS209" not in codes(with_pattern)


TWO = """\
intents:
  budget:
    examples: [what is your budget for this project]
  spend:
    examples: [{spend}]
"""
TWO_USED = "- {intent: budget, say: \"Finance pays.\"}\n- {intent: spend, say: \"Not much.\"}\n"


def test_ns210_examples_of_two_intents_that_sound_alike():
    text = intents(TWO.format(spend="what is the budget for this project"), TWO_USED)
    [d] = only(text, "NS210")
    assert "what is your budget for this project" in d.message
    assert "what is the budget for this project" in d.message
    assert "% alike" in d.message
    assert (d.line, d.column) == line_of(text, "what is the budget")
    apart = intents(TWO.format(spend="how many trucks are in your fleet today"), TWO_USED)
    assert "NS210" not in codes(apart)


def test_ns211_an_example_like_a_built_in_moves_phrase():
    text = intents("""\
        intents:
          nudge:
            examples: [what would you suggest as a next step]
        """, "- {intent: nudge, say: \"A pilot.\"}\n")
    [d] = only(text, "NS211")
    assert "ask_next_step" in d.message and "What would you suggest as a next step?" in d.message
    unlike = text.replace("what would you suggest as a next step",
                          "what went wrong with the last vendor")
    assert "NS211" not in codes(unlike)


def test_ns212_an_example_taken_by_an_earlier_transition():
    block = """\
        intents:
          onward:
            examples: [so where do we go from here with all of this]
        """
    taken = intents(block, "- {move: ask_next_step, say: \"A call.\"}\n"
                           "- {intent: onward, say: \"A workshop.\"}\n")
    [d] = only(taken, "NS212")
    assert "in `concern`, on[0] (`move: ask_next_step`)" in d.message
    assert d.path == "intents.onward.examples[0]"
    first = intents(block, "- {intent: onward, say: \"A workshop.\"}\n"
                           "- {move: ask_next_step, say: \"A call.\"}\n")
    assert "NS212" not in codes(first)


# --- lines ---------------------------------------------------------------------------------


def test_ns213_the_same_line_twice_in_one_list_and_across_places():
    text = doc(STATES.replace('say: "Interesting. Let me think about it."',
                              'say: ["Interesting. Let me think about it.", '
                              '"Interesting, let me think about it!"]'))
    [d] = only(text, "NS213")
    assert "in the same list" in d.message
    assert d.path == "states.thinking.say[1]"
    assert (d.line, d.column) == line_of(text, '"Interesting, let me')
    across = doc(STATES + "    reveal: \"Sorry?\"\n")
    [x] = only(across, "NS213")
    assert "at fallback[0]" in x.message and x.path == "states.concern.reveal[0]"


def test_ns213_the_same_answer_to_the_same_question_in_two_states_is_fine():
    text = doc(STATES.replace("        goto: concern\n",
                              "        goto: concern\n      - {move: ask_next_step, "
                              "say: \"Talk to finance.\"}\n") +
               "    on:\n      - {move: ask_next_step, say: \"Talk to finance.\"}\n")
    assert "NS213" not in codes(text)


@pytest.mark.parametrize("path", ["scenarios/polite-staller.yaml"])
def test_the_default_scenario_lints_clean(path):
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    text = (root / path).read_text("utf-8")
    assert warnings(text) == []
