"""A practice run, without the UI: the engine, the autosaved transcript, slash commands,
the live checklist and the coach.

The terminal app (:mod:`trainer.app`) draws what this module decides, so everything a
trainee can do is testable here without a terminal. The transcript is saved after every
turn (atomically), so Ctrl-C, a closed terminal or a crash loses nothing already said.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer.autosave import Autosave
from trainer.rubric import CRITERIA, Scorecard

if TYPE_CHECKING:
    from trainer.engine import Engine
    from trainer.recording import Recorder
    from trainer.scenario import Scenario
    from trainer.transcript import Transcript

COMMANDS: dict[str, str] = {
    "/help": "what you can type",
    "/hint": "a hint for this moment of the meeting",
    "/rubric": "where each criterion stands so far",
    "/undo": "take back your last line and the prospect's answer",
    "/restart": "start this scenario again (this run's transcript is kept)",
    "/reload": "reload the scenario file and replay your lines to where you were",
    "/end": "end the meeting now and see the scorecard",
    "/quit": "leave without a scorecard (the transcript is kept)",
}
CHECKLIST_LABELS = {"ask_next_step": "asked", "confront_stall": "stall confronted",
                    "secure_date": "date", "prospect_task": "task", "recap": "recap"}
#: The same in a narrow terminal (under 72 columns), so that every criterion still shows.
CHECKLIST_SHORT = {"ask_next_step": "ask", "confront_stall": "stall", "secure_date": "date",
                   "prospect_task": "task", "recap": "recap"}


class Checklist:
    """The rubric checklist, drawn on every keystroke by the toolbar: the conversation is
    graded again only when it has changed."""

    def __init__(self) -> None:
        self._key: object = None
        self._verdicts: dict[str, str] = {}

    def get(self, transcript: Transcript, grade: Callable[[], Scorecard]) -> dict[str, str]:
        key = (transcript.turns, transcript.events)
        if key != self._key:
            self._key = key
            self._verdicts = {c.id: c.verdict for c in grade().criteria if c.id in CRITERIA}
        return self._verdicts


@dataclass
class Step:
    """What happened after the trainee typed something: lines to show, and whether it ended."""

    prospect: str | None = None  # the prospect's answer, if the line went to the prospect
    notes: list[str] = field(default_factory=list)  # command output, coach whispers
    ended: bool = False  # the meeting is over: show the scorecard
    quit: bool = False  # leave now, no scorecard
    restarted: bool = False


# What the coach says it heard, in words rather than move ids.
HEARD = {"ask_next_step": "you asking for the next step",
         "tell_next_step": "you telling the next step", "propose_time": "a specific time",
         "vague_time": "a vague window", "assign_task": "a task for the prospect",
         "confront_stall": "you confronting the stall",
         "accept_stall": "you letting the stall pass", "recap": "a recap"}


@lru_cache(maxsize=1)
def _coach_lines() -> dict[str, dict[str, str]]:
    from trainer.datafiles import yaml_data

    data: dict[str, dict[str, str]] = yaml_data("coach.yaml")
    return data


class Practice:
    """One trainee practising one scenario."""

    def __init__(self, scenario: Scenario, *, trainee: str = "Rep", seed: int = 0,
                 out: Path | None = None, coach: bool = False,
                 engine_factory: Callable[..., Engine] | None = None,
                 recorder_factory: Callable[[], Recorder] | None = None) -> None:
        self.scenario = scenario
        self.trainee = trainee
        self.seed = seed
        self.coach = coach
        self._out = out
        self._factory = engine_factory
        self.started = datetime.now(UTC)
        self.file = autosave(out, scenario.id, self.started)
        self.engine = self._new_engine()
        self.finished: Scorecard | None = None
        # lines a reloaded version of the scenario ended the meeting before (--watch); they
        # are replayed at the next reload, until the trainee says or takes back a line
        self.unreplayed: list[str] = []
        self._checklist = Checklist()
        self._recorder_factory = recorder_factory
        self.recorder = recorder_factory() if recorder_factory else None

    def _new_engine(self) -> Engine:
        if self._factory is not None:
            return self._factory(self.scenario, seed=self.seed, rep_name=self.trainee)
        from trainer.engine import Engine

        return Engine(self.scenario, seed=self.seed, rep_name=self.trainee)

    # --- the conversation ---

    def opening(self) -> str:
        line = self.engine.opening()
        self.save()
        return line

    def send(self, text: str) -> Step:
        """Handle one thing the trainee typed: a slash command or a line to the prospect."""
        text = text.strip()
        if not text:
            return Step()
        if text.startswith("/"):
            return self._command(text)
        if self.engine.ended:
            return Step(notes=["The meeting is over. /undo to take back your last line, "
                               "/restart to try again, /end for the scorecard."])
        self.unreplayed = []
        reply = self.engine.reply(text)
        self.save()
        step = Step(prospect=reply.line, notes=self.file.notices(), ended=reply.ended)
        if self.coach:
            step.notes.append(self.whisper(understood=reply.understood))
        return step

    def scorecard(self) -> Scorecard:
        from trainer.harness import score

        return score(self.scenario, self.engine)

    def finish(self) -> Scorecard:
        """Grade the run and save the transcript with its score."""
        self.finished = self.scorecard()
        self.save(score=self.finished.score)
        if self.recorder is not None:
            self.recorder.finished(self.finished)
        return self.finished

    @property
    def path(self) -> Path:
        """Where the transcript is saved."""
        return self.file.path

    def save(self, *, score: int | None = None) -> None:
        """Save the transcript file and tell the recorder (the results store) what is new."""
        t = self.engine.transcript
        if self.recorder is not None and score is None:
            self.recorder.progress(t)
        meta = dict(t.meta)
        meta.update({"trainee": self.trainee, "started": self.started.isoformat(),
                     "kind": "practice"})
        if self.recorder is not None:
            meta["run_uid"] = self.recorder.uid  # the run kept in the results store
        if score is not None:
            meta["score"] = score
        self.file.write(type(t)(t.turns, t.events, meta))

    # --- what the app shows ---

    def checklist(self) -> dict[str, str]:
        """Each criterion's verdict so far (``n/a`` until a stall happens)."""
        return self._checklist.get(self.engine.transcript, self.scorecard)

    def whisper(self, *, understood: bool = True) -> str:
        """The coach's one line after a reply: what the grader heard, and a better phrasing;
        when nothing in the scenario answered the line, that is said too, so a fallback
        ("Sorry, I'm not with you") is not taken for a bad line."""
        turns = self.engine.transcript.turns
        rep = next((t for t in reversed(turns) if t.role == "rep"), None)
        if rep is None:
            return ""
        coach = _coach_lines()
        heard = ", ".join(HEARD.get(m.name, m.name) for m in rep.moves) or "no next-step move"
        if not understood:
            heard += " (the prospect has no answer written for that line: try saying it " \
                     "another way)"
        advice = next((coach["missed"][m.name] for m in rep.moves
                       if m.name in coach["missed"]), None)
        if advice is None:
            advice = next((coach["good"][m.name] for m in rep.moves
                           if m.name in coach["good"]), None)
        if advice is None:
            advice = self._nudge(coach["missed"])
        return f"coach: heard {heard}. {advice}".strip()

    def _nudge(self, missed: dict[str, str]) -> str:
        status = self.checklist()
        last = self.engine.transcript.turns[-1]
        if last.role == "prospect" and last.has("stall"):
            return missed["stall_open"]
        late = self.engine.clock_left <= self.scenario.clock.warn_at
        for cid, key in (("ask_next_step", "no_ask"), ("secure_date", "no_date"),
                         ("prospect_task", "no_task"), ("recap", "no_recap")):
            if status.get(cid) != "pass":
                return f"{missed['late']} {missed[key]}" if late else missed[key]
        return ""

    # --- slash commands ---

    def _command(self, text: str) -> Step:
        name = text.split()[0].lower()
        if name not in COMMANDS:
            from trainer.scenario_load import did_you_mean

            hint = did_you_mean(name, COMMANDS)
            return Step(notes=[f"No command {name}.{hint} Type /help for the list."])
        if name == "/help":
            return Step(notes=[f"{cmd:<9} {doc}" for cmd, doc in COMMANDS.items()]
                        + ["Anything else you type is said to the prospect."])
        if name == "/hint":
            # the scenario's hint for this moment; once the trainee has answered it, what the
            # checklist still misses (a hint about the step already asked for is stale)
            hints = self.engine.hints
            nudge = self._nudge(_coach_lines()["missed"])
            said = hints[0] if hints and (self.engine.state_is_new or not nudge) else nudge
            return Step(notes=["hint: " + (said or "Keep going: you're on track.")])
        if name == "/rubric":
            card = self.scorecard()
            return Step(notes=[f"{c.verdict:<8} {c.title}" for c in card.criteria])
        if name == "/undo":
            self.unreplayed = []
            if self.engine.undo():
                self.save()
                return Step(notes=["Took back your last line and the prospect's answer."])
            return Step(notes=["Nothing to undo yet."])
        if name == "/restart":
            self.unreplayed = []
            self.started = datetime.now(UTC)
            self.file = autosave(self._out, self.scenario.id, self.started)
            self.engine = self._new_engine()
            if self._recorder_factory is not None:
                self.recorder = self._recorder_factory()  # a new run; the old one is kept
            return Step(notes=["Starting again."], restarted=True)
        if name == "/reload":
            from trainer.authoring.watch import reload_practice

            return reload_practice(self)
        if name == "/end":
            return Step(ended=True)
        return Step(quit=True)


def run_path(scenario_id: str, started: datetime) -> Path:
    from trainer.paths import transcripts_dir

    stamp = started.strftime("%Y%m%d-%H%M%S-%f")
    return transcripts_dir() / f"{stamp}-{scenario_id}.json"


def best_score(scenario_id: str, trainee: str) -> int | None:
    """The trainee's best finished score on a scenario, from their saved runs."""
    return best_scores(trainee).get(scenario_id)


def best_scores(trainee: str) -> dict[str, int]:
    """Best finished score per scenario id, from the trainee's saved practice transcripts."""
    from trainer.paths import transcripts_dir

    best: dict[str, int] = {}
    folder = transcripts_dir()
    if not folder.is_dir():
        return best
    for path in folder.glob("*.json"):
        try:
            meta: dict[str, Any] = json.loads(path.read_text("utf-8")).get("meta", {})
        except (OSError, ValueError, AttributeError):
            continue
        sid, score = meta.get("scenario"), meta.get("score")
        if meta.get("trainee") == trainee and isinstance(sid, str) and isinstance(score, int):
            best[sid] = max(score, best.get(sid, score))
    return best


def autosave(out: Path | None, name: str, started: datetime) -> Autosave:
    """The chosen file, else the default one, which is also where a failed save goes."""
    default = run_path(name, started)
    return Autosave(out or default, default)
