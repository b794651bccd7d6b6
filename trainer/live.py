"""Live roleplay without the UI: the trainer voices the prospect, the engine suggests lines.

The classic classroom roleplay: a trainer plays the prospect and types (or picks) the
prospect's lines while the rep speaks; the rubric checklist lights up as the rep makes moves.
The engine follows the rep's lines to suggest what its scripted prospect would say next; the
trainer can take the suggestion (an empty line) or say something else. The run is graded,
autosaved and recorded like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.rubric import Scorecard, grade
from trainer.transcript import Transcript, Turn

if TYPE_CHECKING:
    from trainer.recording import Recorder
    from trainer.scenario import Scenario


class Live:
    """One live roleplay: turns as they are said, with the engine's suggestions."""

    def __init__(self, scenario: Scenario, *, trainee: str = "Rep", seed: int = 0,
                 out: Path | None = None,
                 recorder_factory: Callable[[], Recorder] | None = None) -> None:
        from trainer.engine import Engine
        from trainer.practice import Checklist, autosave

        self.scenario = scenario
        self.trainee = trainee
        self.prospect = scenario.persona.name
        self.started = datetime.now(UTC)
        self.file = autosave(out, f"live-{scenario.id}", self.started)
        self._engine = Engine(scenario, seed=seed, rep_name=trainee)
        self.suggestion: str | None = self._engine.opening()
        self.turns: list[Turn] = []
        self._suggestions: list[str | None] = []  # what was suggested before each turn
        self.recorder = recorder_factory() if recorder_factory else None
        self._checklist = Checklist()

    # --- saying things ---

    def rep(self, text: str) -> Turn:
        """The rep's line: classified in context, and the engine's next suggestion computed."""
        turn = self._add("rep", self.trainee, text)
        if self._engine.ended:
            self.suggestion = None
        else:
            self.suggestion = self._engine.reply(text).line
        return turn

    def prospect_says(self, text: str | None = None) -> Turn:
        """The prospect's line: ``text``, or the engine's suggestion when ``text`` is empty."""
        line = (text or "").strip() or self.suggestion
        if not line:
            raise ValueError("there is no suggestion to use: type the prospect's line")
        if self.suggestion is not None and (not self.turns or self.turns[-1].role == "rep"):
            # the engine's scripted prospect follows what was really said
            self._engine.overrule(None if line == self.suggestion else line)
        turn = self._add("prospect", self.prospect, line)
        self.suggestion = None
        return turn

    def undo(self) -> bool:
        """Take back the last line (whoever said it)."""
        if not self.turns:
            return False
        last = self.turns.pop()
        self.suggestion = self._suggestions.pop()
        if last.role == "rep":
            self._engine.undo()
        self.save()
        return True

    def _add(self, role: str, speaker: str, text: str) -> Turn:
        from trainer.moves import classify

        previous = next((t for t in reversed(self.turns) if t.role != role), None)
        moves = classify(text, role=role, previous=previous.text if previous else None,
                         previous_moves=frozenset(m.name for m in previous.moves)
                         if previous else None)
        turn = Turn(speaker, role, text, moves)  # type: ignore[arg-type]
        self._suggestions.append(self.suggestion)
        self.turns.append(turn)
        self.save()
        return turn

    # --- what it adds up to ---

    @property
    def transcript(self) -> Transcript:
        """The run so far. While the scripted prospect has followed every line (the trainer
        took its suggestions or said something it overruled them with), it carries the
        engine's events and values, and is graded as a practice run is."""
        meta: dict[str, object] = {
            "scenario": self.scenario.id, "title": self.scenario.title,
            "trainee": self.trainee, "kind": "live", "started": self.started.isoformat()}
        if self.recorder is not None:
            meta["run_uid"] = self.recorder.uid  # the run kept in the results store
        followed = self._followed()
        if followed is None:
            return Transcript(tuple(self.turns), (), meta)
        events = tuple(e for e in followed.events if e.turn < len(self.turns))
        return Transcript(tuple(self.turns), events,
                          {**meta, "now": followed.meta["now"],
                           "values": followed.meta["values"]})

    def _followed(self) -> Transcript | None:
        """The engine's transcript when it holds every line said, in order (it may hold the
        suggestion not said yet); None once the run left the script (a side spoke twice)."""
        engine = self._engine.transcript
        said = [(t.role, t.text) for t in engine.turns[:len(self.turns)]]
        if said != [(t.role, t.text) for t in self.turns] or \
                len(engine.turns) > len(self.turns) + 1:
            return None
        return engine

    def scorecard(self) -> Scorecard:
        from trainer.harness import score_transcript

        t = self.transcript
        values = t.meta.get("values")
        if isinstance(values, dict):  # the script followed: its criteria hold too
            return score_transcript(self.scenario, t, values)
        return grade(t, weights=dict(self.scenario.rubric.weights))

    def checklist(self) -> dict[str, str]:
        return self._checklist.get(self.transcript, self.scorecard)

    @property
    def path(self) -> Path:
        """Where the transcript is saved."""
        return self.file.path

    def save(self) -> None:
        self.file.write(self.transcript)
        if self.recorder is not None:
            self.recorder.progress(self.transcript)

    def finish(self) -> Scorecard:
        card = self.scorecard()
        t = self.transcript
        self.file.write(replace(t, meta={**t.meta, "score": card.score}))
        if self.recorder is not None:
            self.recorder.finished(card)
        return card
