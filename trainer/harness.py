"""Play a list of trainee lines through a scenario: the test harness, shipped as API.

::

    from trainer.harness import play

    run = play("polite-staller", ["Where do we go from here?", "Tuesday at 10?"], seed=1)
    assert run.outcome == "won"
    print(run.scorecard.score)

``nextstep play``, the scenario ``tests:`` runner and NextStep's own tests all use it, so a
trainer can test a scenario the same way the project does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trainer.rubric import Criterion as Result
from trainer.rubric import Scorecard, grade
from trainer.transcript import Transcript

if TYPE_CHECKING:
    from trainer.engine import Engine, Reply
    from trainer.scenario import Scenario


@dataclass(frozen=True)
class Run:
    """A finished (or abandoned) run: what was said, what happened, and the grade."""

    scenario: Scenario
    transcript: Transcript
    scorecard: Scorecard
    replies: tuple[Reply, ...]
    unused: tuple[str, ...] = ()  # trainee lines left over after the meeting ended

    @property
    def outcome(self) -> str | None:
        """``won``, ``lost``, ``no_decision``, or ``None`` when the lines ran out first."""
        out: str | None = self.transcript.meta.get("outcome")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.id,
            "outcome": self.outcome,
            **self.scorecard.to_dict(),
            "events": self.transcript.to_dict()["events"],
            "unused": list(self.unused),
        }


def load(scenario: Scenario | str) -> Scenario:
    """A scenario object, given one or an id or path."""
    if isinstance(scenario, str):
        from trainer.paths import user_scenario_dirs
        from trainer.scenario_load import find_scenario

        return find_scenario(scenario, folders=user_scenario_dirs())
    return scenario


def score(scenario: Scenario, engine: Engine) -> Scorecard:
    """The scorecard of an engine's run: the standard criteria with the scenario's weights,
    and its extra criteria judged on the final flags and counters."""
    return score_transcript(scenario, engine.transcript, engine.values)


def score_transcript(scenario: Scenario, transcript: Transcript,
                     values: Mapping[str, int | bool]) -> Scorecard:
    """:func:`score` for a run already over: its transcript and final flags and counters."""
    card = grade(transcript, weights=dict(scenario.rubric.weights))
    extra = []
    for c in scenario.rubric.criteria:
        ok = all(cond.holds(values) for cond in c.passes_if)
        extra.append(Result(c.id, "pass" if ok else "fail", (), "" if ok else c.tip, c.weight,
                            title_text=c.title))
    if extra:
        card = Scorecard(card.criteria + tuple(extra), card.transcript, card.meta)
    return card


def regrade(transcript: Transcript, *,
            find: Callable[[str], Scenario] = load) -> Scorecard:
    """The scorecard a transcript earns. A saved practice run (NextStep JSON naming its
    scenario and final values) is graded as the practice app graded it, with its scenario's
    weights and extra criteria, when that scenario can still be found (by ``find``, given
    its id); anything else gets the standard rubric."""
    from trainer.errors import NextStepError

    sid, values = transcript.meta.get("scenario"), transcript.meta.get("values")
    if isinstance(sid, str) and isinstance(values, dict):
        try:
            return score_transcript(find(sid), transcript, values)
        except NextStepError:
            pass  # the scenario is gone or broken: the standard rubric still applies
    return grade(transcript)


def play(scenario: Scenario | str, lines: Iterable[str], *, seed: int = 0,
         rep_name: str = "Rep") -> Run:
    """Run ``lines`` through the scenario's prospect until they run out or the meeting ends.

    Blank lines and lines starting with ``#`` are skipped, so a replies file can be annotated.
    """
    from trainer.engine import Engine

    sc = load(scenario)
    engine = Engine(sc, seed=seed, rep_name=rep_name)
    engine.opening()
    replies: list[Reply] = []
    pending = [line.strip() for line in lines]
    pending = [line for line in pending if line and not line.startswith("#")]
    used = 0
    for line in pending:
        if engine.ended:
            break
        replies.append(engine.reply(line))
        used += 1
    return Run(sc, engine.transcript, score(sc, engine), tuple(replies), tuple(pending[used:]))
