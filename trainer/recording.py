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
    from trainer.transcript import Transcript


class Recorder(Protocol):
    """What a run tells whoever keeps it."""

    def progress(self, transcript: Transcript) -> None: ...

    def finished(self, scorecard: Scorecard) -> None: ...


class StoreRecorder:
    """Writes a run's new turns and events to the store as they happen, then its grade."""

    def __init__(self, store: Store, *, trainee: str, kind: str, scenario: Scenario | None = None,
                 session_id: int | None = None, source: str | None = None,
                 meta: dict[str, Any] | None = None) -> None:
        from trainer.store import scenario_hash

        self.store = store
        self.run_id = store.start_run(
            trainee=trainee, kind=kind, scenario_id=scenario.id if scenario else None,
            scenario_hash=scenario_hash(scenario) if scenario else None, source=source,
            session_id=session_id, meta=meta or {})
        self._stored = 0  # turns stored so far (a high-water mark: undo does not lower it)
        self._events = 0

    def progress(self, transcript: Transcript) -> None:
        """Store the turns and events said since the last call. After an undo, turns already
        stored at the same places are left until the grade rewrites them (the store keeps
        what was said; the final grade says what counts)."""
        turns = transcript.turns
        for i in range(self._stored, len(turns)):
            self.store.add_turn(self.run_id, turns[i], i)
        self._stored = max(self._stored, len(turns))
        if len(transcript.events) < self._events:  # an undo took events back too
            self._events = len(transcript.events)
            return
        for event in transcript.events[self._events:]:
            self.store.add_event(self.run_id, event)
        self._events = len(transcript.events)

    def finished(self, scorecard: Scorecard) -> None:
        self.store.finish_run(self.run_id, scorecard)
