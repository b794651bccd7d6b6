"""``nextstep session``: the hot seat on a shared, projector-friendly screen.

Trainees take turns at the keyboard. Between runs the trainer sees the scorecard, can add a
comment and override any verdict with a reason (kept beside the machine's verdict); at the end
a leaderboard. Every run is stored as it happens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trainer.app.practice_app import PracticeApp
from trainer.session import Plan


class SessionApp(PracticeApp):
    """The hot seat: one PracticeApp run per trainee turn, with a review in between."""

    def run_session(self, plan: Plan, store: Any) -> int:
        from trainer.harness import load
        from trainer.recording import StoreRecorder

        session_id = store.start_session(plan.name, plan.roster, plan.scenarios)
        self.say(("class:title", f"Session {session_id}: {plan.name}"))
        self.note(f"{len(plan.roster)} trainee(s): {', '.join(plan.roster)}")
        self.note("Scenarios: " + ", ".join(plan.scenarios))
        try:
            for trainee, scenario_id in plan.queue():
                scenario = load(scenario_id)
                self.say(("", ""))
                self.say(("class:title", f"Next in the hot seat: {trainee}"),
                         ("", f"  ({scenario.title})"))
                answer = self.start_prompt()
                if answer == "quit":
                    break
                if answer == "skip":
                    continue
                self.trainee = trainee

                def recorder(trainee: str = trainee, scenario: Any = scenario) -> StoreRecorder:
                    return StoreRecorder(store, trainee=trainee, kind="session",
                                         scenario=scenario, session_id=session_id)

                self.recorder_factory = recorder
                if not self.brief(scenario):
                    continue
                self.run(scenario)
                if self.practice is not None and self.practice.finished is not None:
                    self.review(store, self.practice.recorder.run_id)  # type: ignore[union-attr]
        except KeyboardInterrupt:  # Ctrl-C between runs ends the session, with its leaderboard
            self.note("\nSession ended.")
        store.end_session(session_id)
        self.leaderboard(store, session_id)
        self.note(f"Kept as session {session_id}: 'nextstep leaderboard --session {session_id}' "
                  f"shows this again, 'nextstep report --session {session_id}' writes its "
                  "report.")
        return 0

    def start_prompt(self) -> str:
        """"start", "skip" or "quit" (Ctrl-D and Ctrl-C end the session too)."""
        while True:
            try:
                answer = self.ask("Enter to start, s to skip, q to end the session: ")
            except EOFError:  # Ctrl-D: the end of the session, as Ctrl-C
                self.note("Session ended.")
                return "quit"
            answer = answer.strip().lower()
            if answer in ("", "start"):
                return "start"
            if answer in ("s", "skip"):
                return "skip"
            if answer in ("q", "quit", "/quit", "end"):
                return "quit"
            self.note(f"{answer!r}? Press Enter to start, s to skip this turn, q to end.")

    def review(self, store: Any, run_id: int) -> None:
        """The trainer's comment and overrides for the run just finished (Ctrl-D or an empty
        answer moves on)."""
        from trainer.errors import NextStepError
        from trainer.store.records import VERDICTS, verdict_of

        overridden = False
        try:
            while True:
                comment = self.ask("Trainer's comment (Enter to skip): ").strip()
                if not comment.startswith("/"):
                    break
                self.note("Commands do not work here: type a comment, or press Enter to skip.")
            if comment:
                store.comment(run_id, comment, by="trainer")
            while True:
                text = self.ask(
                    "Override a verdict: CRITERION VERDICT REASON (Enter when done): ").strip()
                if not text:
                    break
                parts = text.split(None, 2)
                if len(parts) >= 2 and verdict_of(parts[1]) not in VERDICTS:
                    self.note(f"{parts[1]!r} is not a verdict. Write the criterion as one word "
                              "(secure_date, prospect_task...), then pass, partial, fail or "
                              "n/a, then why.")
                    continue
                if len(parts) < 3:
                    self.note("Write the criterion, the verdict and why, e.g. "
                              "'recap pass the recap was there, the prospect nodded'.")
                    continue
                try:
                    done = store.override(run_id, parts[0], parts[1], parts[2], by="trainer")
                except NextStepError as error:
                    self.note(str(error))
                    continue
                self.note(f"Recorded: {done.criterion} is {done.verdict} (the machine's verdict "
                          "is kept beside it).")
                overridden = True
        except EOFError:
            pass
        if overridden:
            score = store.run(run_id).effective_score
            self.note(f"With the trainer's verdicts this run scores {score}/100.")

    def leaderboard(self, store: Any, session_id: int) -> None:
        from trainer.render import Style
        from trainer.report import format_leaderboard

        board = store.leaderboard(session_id)
        self.say(("", ""))
        if not any(s.rank is not None for s in board):
            self.say(("class:title", "Leaderboard"))
            self.note("Nobody finished a run.")
            return
        text = format_leaderboard(store.session(session_id), board, Style(False, self.unicode))
        title, *rows = text.splitlines()
        self.say(("class:title", title))
        for line in rows:
            self.say(("", line))


def run(plan: Plan, store: Any, *, seed: int, history: Path | None,
        **app_options: Any) -> int:
    app = SessionApp(trainee=plan.roster[0], seed=seed, history=history, **app_options)
    return app.run_session(plan, store)
