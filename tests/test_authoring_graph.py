"""`nextstep graph`: states, transitions, stalls and endings as Mermaid and Graphviz."""

from __future__ import annotations

import re

import pytest

from trainer.authoring.graph import diagram, render
from trainer.cli import main
from trainer.scenario_load import find_scenario, load_scenario_text

SCENARIO = """\
version: 1
id: drawn
title: Drawn
difficulty: 1
persona: {name: Sam Reed, role: CFO, company: Acme}
brief: b
goal: g
calendar:
  now: {date: 2025-03-11, time: "10:00", timezone: Europe/London}
flags: {heard: false}
states:
  end:
    stall: true
    say: "Let me think about it."
    on:
      - {move: confront_stall, set: {heard: true}, goto: the-concern}
  the-concern:
    say: "The budget is frozen."
    on:
      - {move: ask_next_step, if: [heard], say: "Talk to \\"finance\\"."}
      - {move: vague_time, end: lost}
  the_concern:
    say: "Nobody comes here."
fallback: ["Sorry?", "What?"]
reactions:
  slot_accepted: {say: "{slot} works.", goto: the_concern}
endings: {won: Bye., lost: Bye., no_decision: Bye.}
"""


@pytest.fixture(scope="module")
def sc():
    return load_scenario_text(SCENARIO)


def test_the_parts_of_the_diagram(sc):
    d = diagram(sc)
    kinds = {n.id: n.kind for n in d.nodes}
    assert kinds == {"end": "stall", "the-concern": "state", "the_concern": "state",
                     "ending:no_decision": "no_decision", "ending:lost": "lost",
                     "ending:won": "won"}
    arrows = {(a.source, a.target, a.label, a.builtin) for a in d.arrows}
    assert ("end", "the-concern", "confront_stall", False) in arrows
    assert ("the-concern", "the-concern", "ask_next_step if heard", False) in arrows
    assert ("the-concern", "ending:lost", "vague_time", False) in arrows
    assert ("end", "ending:no_decision", "accept_stall", True) in arrows
    assert ("the-concern", "the_concern", "slot accepted", True) in arrows  # the override
    assert d.start == "end"


def test_turning_a_counter_proposal_down_is_drawn_where_its_reaction_moves_the_meeting():
    text = SCENARIO.replace('reactions:\n', 'reactions:\n  slot_declined: {say: "Forget it.", '
                            'end: lost}\n')
    arrows = {(a.source, a.target, a.label) for a in diagram(load_scenario_text(text)).arrows}
    # a time can be proposed in the-concern (the stall state only repeats the stall)
    assert ("the-concern", "ending:lost", "slot declined") in arrows
    assert ("end", "ending:lost", "slot declined") not in arrows


def test_mermaid_marks_stalls_endings_and_builtins_with_safe_ids(sc):
    text = render(sc, "mermaid")
    assert text.startswith("flowchart TD\n")
    assert 's_end{{"end (stall)"}}' in text  # `end` is a Mermaid keyword: never a bare id
    assert 's_the_concern["the-concern"]' in text
    assert 's_the_concern_1["the_concern"]' in text  # a different state, a different id
    assert "start__ --> s_end" in text
    assert 's_end -->|"confront_stall"| s_the_concern\n' in text
    assert 's_end -.->|"accept_stall"| ending__no_decision' in text
    assert "class s_end stall" in text
    assert "class ending__lost lost" in text
    for line in text.splitlines()[1:]:
        assert line.startswith("  ")
        assert '"' not in re.sub(r'"[^"]*"', "", line)  # quotes are balanced


def test_dot_is_a_digraph_with_shapes_and_dashes(sc):
    text = render(sc, "dot")
    assert text.startswith('digraph "drawn: Drawn" {')
    assert '"end" [label="end (stall)", shape=hexagon' in text
    assert '"end" -> "ending:no_decision" [label="accept_stall", style=dashed];' in text
    assert '"the-concern" -> "ending:lost" [label="vague_time"];' in text
    assert text.rstrip().endswith("}")


def test_built_in_behaviour_can_be_left_out(sc):
    text = render(sc, "mermaid", builtin=False)
    assert "accept_stall" not in text and "recap" not in text
    assert "confront_stall" in text


def test_unreached_states_are_faded():
    text = SCENARIO.replace("slot_accepted: {say: \"{slot} works.\", goto: the_concern}",
                            "slot_accepted: \"{slot} works.\"")
    d = diagram(load_scenario_text(text))
    assert {n.id for n in d.nodes if not n.reached} == {"the_concern"}
    assert "class s_the_concern_1 unreached" in render(load_scenario_text(text))


def test_the_shipped_default_scenario(capsys):
    assert main(["graph", "polite-staller", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("```mermaid\nflowchart TD\n") and out.endswith("```\n")
    assert 's_thinking -->|"confront_stall"| s_concern' in out
    assert 's_concern -.->|"time booked, then recap"| ending__won' in out
    scenario = find_scenario("polite-staller")
    assert render(scenario, "dot").count("->") >= 4


def test_graph_usage_errors(capsys):
    assert main(["graph", "polite-staller", "--format", "dot", "--markdown"]) == 2
    assert "--markdown wraps Mermaid" in capsys.readouterr().err
    assert main(["graph", "no-such-id"]) == 2
