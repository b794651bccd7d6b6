"""Keeping runs in the results store as they happen.

A :class:`Recorder` is told about a run's turns as they are said and about its grade at the
end; :class:`StoreRecorder` writes them to the store (each turn committed at once, so a crash
or Ctrl-C keeps what was said). Practice, play, live and session runs all record through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from trainer.rubric import Scorecard
    from trainer.scenario import Scenario
    from trainer.store import Store
    from trainer.transcript import Event, Transcript


class Recorder(Protocol):
    """What a run tells whoever keeps it."""

    #: The run's unique id, written into its transcript file too, so grading that file
    #: later finds the run already kept instead of counting the conversation twice.
    uid: str

    def progress(self, transcript: Transcript) -> None: ...

    def finished(self, scorecard: Scorecard) -> None: ...


class StoreRecorder:
    """Writes a run's new turns and events to the store as they happen, then its grade."""

    def __init__(self, store: Store, *, trainee: str, kind: str, scenario: Scenario | None = None,
                 session_id: int | None = None, source: str | None = None,
                 meta: dict[str, Any] | None = None) -> None:
        from uuid import uuid4

        from trainer.store import scenario_hash

        self.store = store
        self.uid = uuid4().hex
        self.run_id = store.start_run(
            trainee=trainee, kind=kind, scenario_id=scenario.id if scenario else None,
            scenario_hash=scenario_hash(scenario) if scenario else None, source=source,
            session_id=session_id, meta={**(meta or {}), "uid": self.uid})
        self._turns: list[tuple[str, str, str]] = []  # the turns stored, as said
        self._events: list[Event] = []  # the events stored

    def progress(self, transcript: Transcript) -> None:
        """Store what was said and decided since the last call. Lines an /undo took back are
        taken back from the store too, so a run that ends without a grade (Ctrl-C, /quit, a
        closed terminal) is stored as it stood."""
        said: list[tuple[str, str, str]] = [(t.speaker, t.role, t.text) for t in transcript.turns]
        kept = 0
        while kept < min(len(said), len(self._turns)) and said[kept] == self._turns[kept]:
            kept += 1
        if kept < len(self._turns):
            self.store.take_back(self.run_id, kept)
            self._events = [e for e in self._events if e.turn < kept]
        for i in range(kept, len(said)):
            self.store.add_turn(self.run_id, transcript.turns[i], i)
        self._turns = said
        for event in transcript.events[len(self._events):]:
            self.store.add_event(self.run_id, event)
        self._events = list(transcript.events)

    def finished(self, scorecard: Scorecard) -> None:
        self.store.finish_run(self.run_id, scorecard)
