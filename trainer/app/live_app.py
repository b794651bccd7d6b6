"""``nextstep live``: the trainer voices the prospect while the rep speaks.

The prompt says whose line comes next; on the prospect's turn the toolbar shows the engine's
suggestion, and an empty line (Enter) uses it. ``/swap`` lets the same side speak again,
``/undo`` takes back the last line, ``/end`` (or Ctrl-D) grades the run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prompt_toolkit.formatted_text import FormattedText

from trainer.app.practice_app import PracticeApp
from trainer.live import Live

LIVE_COMMANDS = {
    "/help": "what you can type",
    "/swap": "let the other side speak next (or the same side again)",
    "/undo": "take back the last line",
    "/rubric": "where each criterion stands so far",
    "/end": "end the roleplay and see the scorecard",
    "/quit": "leave without a scorecard (the transcript is kept)",
}


class LiveApp(PracticeApp):
    """The live roleplay screen: one prompt that alternates between prospect and rep."""

    def run_live(self, live: Live) -> int:
        self.live = live
        speaker = "prospect"
        self.note(f"{live.prospect} (the trainer) and {live.trainee} (the rep). On the "
                  "prospect's turn, Enter takes the suggested line. /help for commands.")
        while True:
            label = f"{live.prospect}: " if speaker == "prospect" else f"{live.trainee}: "
            style = "class:prospect" if speaker == "prospect" else "class:you"
            try:
                # Each line is printed once it is taken: the prospect's may be the suggestion
                # Enter took (no empty "Name:" line is left behind).
                text = self.line(label, style, bottom_toolbar=self.live_toolbar)
            except EOFError:
                break
            except KeyboardInterrupt:
                self.note(f"\nStopped. {live.file.summary()}")
                return 130
            text = text.strip()
            if text.startswith("/"):
                command = text.split()[0].lower()
                if command == "/swap":
                    speaker = "rep" if speaker == "prospect" else "prospect"
                elif command == "/undo":
                    taken = live.turns[-1].role if live.turns else None
                    if taken is not None and live.undo():
                        speaker = taken  # whoever said it gets to say it again
                        self.note("Took back the last line.")
                    else:
                        self.note("Nothing to undo yet.")
                elif command == "/rubric":
                    for c in live.scorecard().criteria:
                        self.note(f"{c.verdict:<8} {c.title}")
                elif command == "/end":
                    break
                elif command == "/quit":
                    self.note(f"Left without a scorecard. {live.file.summary()}")
                    return 0
                else:
                    for cmd, doc in LIVE_COMMANDS.items():
                        self.note(f"{cmd:<8} {doc}")
                continue
            if speaker == "prospect":
                if not text and not live.suggestion:
                    self.note("No suggestion here: type the prospect's line.")
                    continue
                turn = live.prospect_says(text)
                self.para(turn.text, label=label, label_style=style)
                for line in live.file.notices():
                    self.note(line)
                speaker = "rep"
            else:
                if not text:
                    continue
                live.rep(text)
                self.para(text, label=label, label_style=style)
                for line in live.file.notices():
                    self.note(line)
                speaker = "prospect"
        card = live.finish()
        self.show_card(card, live.scenario.title)
        self.note(live.file.summary())
        return 0

    def live_toolbar(self) -> FormattedText:
        live: Live = self.live
        parts = self.checklist_parts(live.checklist())
        if live.suggestion:
            room = max(20, self.width - 14)
            hint = live.suggestion if len(live.suggestion) <= room else \
                live.suggestion[: room - 3] + "..."
            parts.append(("", "\n"))
            parts.append(("class:note", f"suggested: {hint}"))
        return FormattedText(parts)


def run(scenario: Any, *, trainee: str, seed: int, out: Path | None, history: Path | None,
        recorder_factory: Any = None, **app_options: Any) -> int:
    """Start ``nextstep live`` for ``scenario``."""
    app = LiveApp(trainee=trainee, seed=seed, out=out, history=history, **app_options)
    live = Live(scenario, trainee=trainee, seed=seed, out=out, recorder_factory=recorder_factory)
    return app.run_live(live)
