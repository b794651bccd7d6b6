"""``nextstep practice FILE --watch`` and ``/reload``: edit a scenario and carry on talking.

When the scenario file is saved, the practice run reloads it and replays the lines the trainee
has typed so far against the new version, so the author is back at the same point of the
conversation without retyping, and sees where the prospect now answers differently. A file
that no longer loads is reported and the last good version stays in play.

Everything here works without a terminal: :func:`replay` and :func:`reload_practice` on plain
objects, :class:`FileWatcher` by polling (a daemon thread, or :meth:`FileWatcher.poll`
called by hand), so the practice app only has to turn a change into a ``/reload``.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trainer.engine import Engine
    from trainer.practice import Practice, Step
    from trainer.scenario import Scenario
    from trainer.transcript import Transcript


@dataclass(frozen=True)
class Replayed:
    """A new engine brought to where an old run was, and how far it got."""

    engine: Engine
    replayed: int  # trainee lines said again
    dropped: tuple[str, ...]  # lines not said: the new version ended the meeting first
    changed_at: int | None  # the first trainee line (from 1) answered differently; None: none

    @property
    def last_line(self) -> str:
        return self.engine.transcript.turns[-1].text


def trainee_lines(transcript: Transcript) -> list[str]:
    """What the trainee said in a run, in order."""
    return [t.text for t in transcript.turns if t.role == "rep"]


def prospect_lines(transcript: Transcript) -> list[str]:
    """The prospect's answers in a run, in order (the opening first)."""
    return [t.text for t in transcript.turns if t.role == "prospect"]


def replay(scenario: Scenario, lines: Sequence[str], *, seed: int = 0, rep_name: str = "Rep",
           before: Sequence[str] = (), engine_factory: Callable[..., Engine] | None = None
           ) -> Replayed:
    """A new engine for ``scenario`` that has heard ``lines``, as far as the meeting lasts.

    ``before`` are the prospect's lines of the old run (opening first): the first line whose
    answer differs is reported as ``changed_at`` (0 when the opening itself changed).
    """
    if engine_factory is None:
        from trainer.engine import Engine

        engine_factory = Engine
    engine = engine_factory(scenario, seed=seed, rep_name=rep_name)
    said = [engine.opening()]
    used = 0
    for line in lines:
        if engine.ended:
            break
        said.append(engine.reply(line).line)
        used += 1
    changed = None
    if before:
        for i, (old, new) in enumerate(zip(before, said, strict=False)):
            if old != new:
                changed = i
                break
        else:
            if len(said) != len(before):
                changed = min(len(said), len(before))
    return Replayed(engine, used, tuple(lines[used:]), changed)


def reload_practice(practice: Practice) -> Step:
    """Reload a practice run's scenario from its file and replay the trainee's lines.

    The answer to ``/reload``: the run goes on with the new version, its transcript rewritten
    to match; when the file does not load, the errors are shown and nothing changes.
    """
    from trainer.authoring.diagnostics import plural
    from trainer.practice import Step
    from trainer.scenario_load import check_scenario

    source = practice.scenario.source
    if not source:
        return Step(notes=["This scenario was not loaded from a file, so there is nothing "
                           "to reload."])
    scenario, errors = check_scenario(source)
    if scenario is None:
        shown = [str(e) for e in errors[:5]]
        more = [f"... and {len(errors) - 5} more"] if len(errors) > 5 else []
        return Step(notes=[f"Not reloaded: {Path(source).name} has "
                           f"{plural(len(errors), 'error')}; the last version that loaded "
                           "stays in play. Fix it and save again.", *shown, *more])
    old = practice.engine.transcript
    # lines an earlier version ended the meeting before are replayed again: restoring the
    # file brings the whole conversation back
    lines = trainee_lines(old) + practice.unreplayed
    result = replay(scenario, lines, seed=practice.seed, rep_name=practice.trainee,
                    before=prospect_lines(old))
    practice.scenario = scenario
    practice.engine = result.engine
    practice.unreplayed = list(result.dropped)
    practice.save()
    notes = [f"Reloaded {Path(source).name}; replayed {plural(result.replayed, 'line')}."]
    if result.changed_at is None:
        notes[0] += " The prospect answers as before."
    elif result.changed_at == 0:
        notes.append("The opening line has changed.")
    else:
        notes.append(f"The prospect answers differently from your line {result.changed_at} "
                     "on.")
    if result.dropped:
        notes.append(f"This version ends the meeting after line {result.replayed}; "
                     f"{plural(len(result.dropped), 'later line')} not replayed (replayed "
                     "again when a saved version lets the meeting go on). /undo to go back, "
                     "/end for the scorecard.")
    prospect = result.last_line if result.changed_at is not None else None
    return Step(prospect=prospect, notes=notes)


class FileWatcher:
    """Calls ``on_change`` when a file's content changes, by polling it.

    A change is reported once the file has stayed the same for one poll, so an editor that
    writes in several steps triggers one reload, and saving unchanged content none.
    """

    def __init__(self, path: str | os.PathLike[str], on_change: Callable[[], Any], *,
                 interval: float = 0.3) -> None:
        self.path = Path(path)
        self.on_change = on_change
        self.interval = interval
        self._last = self._digest()
        self._reported = self._last
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _digest(self) -> bytes | None:
        try:
            return hashlib.blake2b(self.path.read_bytes(), digest_size=16).digest()
        except OSError:
            return None  # being replaced, or gone: wait for it to settle

    def poll(self) -> bool:
        """Look once; True (and ``on_change`` called) when a settled change is seen."""
        now = self._digest()
        settled = now == self._last
        self._last = now
        if not settled or now is None or now == self._reported:
            return False
        self._reported = now
        self.on_change()
        return True

    def start(self) -> FileWatcher:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="nextstep-watch",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
        self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll()
            except Exception:  # a failing callback must not end the watch
                continue

    def __enter__(self) -> FileWatcher:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
