"""Where a run's transcript is kept while it happens, and what happens when it cannot be.

A practice or live run saves its transcript after every line. When the chosen file cannot be
written (a read-only folder, a full disk), the run goes on: the transcript is saved to the
default place in the user's data folder instead, or, when that fails too, kept only in the
results database and in memory, and the trainee is told once, with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.transcript import Transcript


class Autosave:
    """Saves a transcript to ``path``, or to ``fallback`` when ``path`` cannot be written."""

    def __init__(self, path: Path, fallback: Path) -> None:
        self.path = path
        self.fallback = fallback
        self.saved = False  # the file at ``path`` holds the latest transcript
        self.problem: str | None = None  # why the latest save failed
        self._notices: list[str] = []

    def write(self, transcript: Transcript) -> None:
        from trainer.transcript import save

        try:
            save(transcript, self.path)
        except OSError as error:
            reason = error.strerror or str(error)
        else:
            self.saved, self.problem = True, None
            return
        if self.path != self.fallback:
            try:
                save(transcript, self.fallback)
            except OSError as error:  # say why neither place would do
                reason += f"; nor to {self.fallback}: {error.strerror or error}"
            else:
                self._notices.append(f"{self.path} cannot be written ({reason}); the "
                                     f"transcript is saved to {self.fallback} instead.")
                self.path, self.saved, self.problem = self.fallback, True, None
                return
        if self.problem is None:
            self._notices.append(f"The transcript cannot be saved to {self.path} ({reason}); "
                                 "the run goes on.")
        self.saved, self.problem = False, reason

    def notices(self) -> list[str]:
        """What went wrong with saving since the last call (each said once)."""
        out, self._notices = self._notices, []
        return out

    def summary(self) -> str:
        """One line for the end of a run: where the transcript is, or why it is nowhere."""
        if self.saved:
            return f"Transcript saved: {self.path}"
        return f"The transcript could not be saved to {self.path} ({self.problem})."
