"""The flow the linter reasons on over-approximates the engine: whatever a real conversation
does, the flow has it, so "never reached" warnings can be trusted."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.authoring.flow import Flow
from trainer.engine import Engine
from trainer.scenario import Scenario
from trainer.scenario_load import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))

LINES = [
    "It sounds like this isn't a priority right now. Is it ever going to be?",
    "What's really holding you back?",
    "Sure, take your time and get back to me.",
    "What would you suggest as a next step?",
    "I'll send you a proposal and call you next week.",
    "Are you free Thursday at 10am?",
    "How about Friday at 8:30?",
    "Yes, that works.",
    "Can I call you in a few weeks?",
    "Could you bring last quarter's numbers to that meeting?",
    "So to confirm, we meet Thursday at 10am and you'll bring the numbers. Right?",
    "Our product has great reviews.",
    "Who else would need to be involved in the decision?",
    "What went wrong with the last system?",
]


@cache
def scenario(path: Path) -> Scenario:
    return load_scenario(path)


@cache
def flow(path: Path) -> Flow:
    return Flow(scenario(path))


def pool(sc: Scenario) -> list[str]:
    return LINES + [e for i in sc.intents.values() for e in i.examples]


@settings(max_examples=40, deadline=None)
@given(which=st.sampled_from(SHIPPED), picks=st.lists(st.integers(0, 10_000), max_size=8),
       seed=st.integers(0, 5))
def test_every_situation_and_ending_a_conversation_reaches_is_in_the_flow(which, picks, seed):
    sc, f = scenario(which), flow(which)
    assert f.complete
    lines = pool(sc)
    engine = Engine(sc, seed=seed)
    engine.opening()
    assert covered(f, engine)
    for pick in picks:
        if engine.ended:
            break
        engine.reply(lines[pick % len(lines)])
        assert engine.ended or covered(f, engine), (engine.state, engine.values)
    if engine.ended:
        assert engine.outcome in f.outcomes


def covered(f: Flow, engine: Engine) -> bool:
    """Whether the flow has a situation matching the engine's: the same state, stall and
    booking, each flag it tracks equal (or, for a counter, within its range)."""
    values = engine.values
    for c in f.at(engine.state):
        if (c.stall_open, c.slot) != (values["stall_open"], values["slot_agreed"]):
            continue
        if all(_within(values[name], have) for name, have in zip(f.flag_names, c.flags,
                                                                 strict=True)):
            return True
    return False


def _within(value: int | bool, have: object) -> bool:
    if isinstance(have, bool):
        return value == have
    low, high = have  # type: ignore[misc]
    return low <= value <= high


def test_the_opening_situation():
    path = ROOT / "scenarios" / "polite-staller.yaml"
    start = flow(path).start
    assert (start.state, start.stall_open, start.slot) == ("thinking", True, False)
