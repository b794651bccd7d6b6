"""A practice run without the terminal: autosave, commands, checklist, coach."""

from __future__ import annotations

import json

import pytest

from trainer.formats import read
from trainer.harness import load
from trainer.practice import COMMANDS, Practice, best_scores


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def run(home):
    return Practice(load("polite-staller"), trainee="Dana", seed=1)


def saved(run):
    return json.loads(run.path.read_text("utf-8"))


def test_every_turn_is_saved_as_it_happens(run, home):
    run.opening()
    assert run.path.parent == home / "data" / "transcripts"
    assert len(saved(run)["turns"]) == 1
    run.send("What would you suggest as a next step?")
    data = saved(run)
    assert [t["role"] for t in data["turns"]] == ["prospect", "rep", "prospect"]
    assert data["meta"]["trainee"] == "Dana"
    assert data["meta"]["scenario"] == "polite-staller"
    # what was saved reads back as a transcript nextstep grade understands
    assert read(run.path).turns[1].text == "What would you suggest as a next step?"


def test_a_crash_mid_run_keeps_what_was_said(run):
    run.opening()
    run.send("What would you suggest as a next step?")
    path = run.path
    del run  # no finish(), no goodbye: the file is already complete
    assert len(json.loads(path.read_text("utf-8"))["turns"]) == 3


def test_checklist_fills_in_as_it_happens(run):
    run.opening()
    assert run.checklist()["ask_next_step"] == "fail"
    run.send("What would you suggest as a next step?")
    assert run.checklist()["ask_next_step"] == "pass"


def test_undo_takes_back_the_line_and_the_answer(run):
    run.opening()
    run.send("I'll send you a proposal tomorrow.")
    step = run.send("/undo")
    assert "Took back" in step.notes[0]
    assert len(saved(run)["turns"]) == 1
    assert "Nothing to undo" in run.send("/undo").notes[0]


def test_restart_starts_a_new_transcript_and_keeps_the_old(run):
    run.opening()
    run.send("Where do we go from here?")
    first = run.path
    step = run.send("/restart")
    assert step.restarted
    run.opening()
    assert run.path != first and first.exists()
    assert len(saved(run)["turns"]) == 1


def test_commands(run):
    run.opening()
    assert len(run.send("/help").notes) == len(COMMANDS) + 1
    assert run.send("/hint").notes[0].startswith("hint:")
    rubric = run.send("/rubric").notes
    assert any("Asked for the next step" in line for line in rubric)
    assert run.send("/end").ended
    assert run.send("/quit").quit
    assert "Did you mean `/hint`" in run.send("/hnit").notes[0]


def test_the_coach_whispers_a_better_phrasing_after_a_miss(home):
    run = Practice(load("polite-staller"), trainee="Dana", seed=1, coach=True)
    run.opening()
    step = run.send("Sure, take your time. I'll send you some information.")
    whisper = step.notes[-1]
    assert whisper.startswith("coach: heard")
    assert "letting the stall pass" in whisper or "telling the next step" in whisper
    assert "_" not in whisper.split(".")[0]  # words, not move ids
    assert "?" in whisper  # a phrasing to say instead


def test_the_coach_says_time_is_running_out_only_when_it_is(home):
    run = Practice(load("polite-staller"), trainee="Dana", seed=1, coach=True)
    run.opening()
    run.send("What specifically do you need to think over?")
    early = run.send("Our office dog is called Biscuit.").notes[-1]  # no move: a nudge
    assert "No next step is agreed yet" in early and "running out" not in early
    # on to seven minutes of a ten-minute meeting, with the prospect's warning at three left
    for _ in range(10):
        if run.engine.clock_left <= run.scenario.clock.warn_at + 1:
            break
        run.send("What would you suggest as a next step?")
    late = run.send("Our office dog is called Biscuit.").notes[-1]
    assert run.engine.clock_left <= run.scenario.clock.warn_at and not run.engine.ended
    assert "Time is running out. There is no date yet" in late


def test_the_coach_says_when_the_prospect_had_no_answer_for_a_line(home):
    run = Practice(load("polite-staller"), trainee="Dana", seed=1, coach=True)
    run.opening()
    run.send("What specifically do you need to think over?")
    step = run.send("The weather in Leeds has been lovely this week.")
    assert "has no answer written for that line" in step.notes[-1]
    step = run.send("What would you suggest as a next step?")
    assert "no answer written" not in step.notes[-1]


def test_finish_grades_and_remembers_the_best_score(run):
    run.opening()
    run.send("What would you suggest as a next step?")
    card = run.finish()
    assert saved(run)["meta"]["score"] == card.score
    assert best_scores("Dana") == {"polite-staller": card.score}
    assert best_scores("Someone else") == {}


def test_blank_input_does_nothing(run):
    run.opening()
    step = run.send("   ")
    assert step.prospect is None and not step.notes
    assert len(saved(run)["turns"]) == 1


def recorded(store):
    """A started practice run that records into ``store``."""
    from trainer.recording import StoreRecorder

    run = Practice(load("polite-staller"), trainee="Dana", seed=1,
                   recorder_factory=lambda: StoreRecorder(store, trainee="Dana", kind="practice"))
    run.opening()
    return run


def test_turns_taken_back_leave_the_store_at_once_when_the_run_is_never_graded(home):
    # /undo, a new line, then /quit: the store had kept the line taken back and lost the new
    # one, although the transcript file had both right.
    from trainer.store import Store

    with Store.open(home / "r.db") as store:
        run = recorded(store)
        run.send("How about Friday at 10am?")
        run.send("/undo")
        run.send("Is this a priority for you right now, or ever?")
        run.send("/quit")
        stored = store.run(run.recorder.run_id).transcript
    on_file = read(run.path)
    assert [t.text for t in stored.turns] == [t.text for t in on_file.turns]
    assert "How about Friday at 10am?" not in [t.text for t in stored.turns]
    assert [(e.turn, e.kind) for e in stored.events] == \
        [(e.turn, e.kind) for e in on_file.events]


def test_turns_taken_back_leave_the_store_when_the_run_is_graded(home):
    from trainer.store import Store

    with Store.open(home / "r.db") as store:
        run = recorded(store)
        run.send("I'll send you a proposal tomorrow.")
        assert len(store.run(run.recorder.run_id).transcript.turns) == 3  # kept as said
        run.send("/undo")
        run.send("What would you suggest as a next step?")
        run.finish()
        texts = [t.text for t in store.run(run.recorder.run_id).transcript.turns]
    assert "I'll send you a proposal tomorrow." not in texts
    assert texts[1] == "What would you suggest as a next step?"


def test_a_transcript_file_that_cannot_be_written_falls_back_and_the_run_goes_on(home):
    blocker = home / "a-file"
    blocker.write_text("", "utf-8")
    wanted = blocker / "run.json"  # its folder is a file: no one can write there
    run = Practice(load("polite-staller"), trainee="Dana", seed=1, out=wanted)
    run.opening()
    [notice] = run.file.notices()
    assert str(wanted) in notice and "saved to" in notice
    assert run.path.parent == home / "data" / "transcripts" and run.file.saved
    step = run.send("What would you suggest as a next step?")
    assert step.prospect and step.notes == []  # said once
    assert len(saved(run)["turns"]) == 3
    assert run.file.summary() == f"Transcript saved: {run.path}"


def test_when_no_file_can_be_written_the_run_goes_on_and_says_so_once(home):
    (home / "data").write_text("", "utf-8")  # the data folder is a file
    run = Practice(load("polite-staller"), trainee="Dana", seed=1)
    run.opening()
    [notice] = run.file.notices()
    assert "cannot be saved" in notice and "the run goes on" in notice
    step = run.send("What would you suggest as a next step?")
    assert step.prospect and step.notes == []
    card = run.finish()
    assert card.score >= 0 and not run.file.saved
    assert run.file.summary().startswith("The transcript could not be saved")


def test_hint_follows_the_meeting_instead_of_repeating_an_answered_one(home):
    run = Practice(load("polite-staller"), trainee="Dana", seed=1)
    run.opening()
    run.send("What specifically do you need to think over?")
    fresh = run.send("/hint").notes[0]
    assert "Ask Morgan what the next step should be" in fresh  # the revealed concern's hint
    run.send("What would you suggest as a next step?")
    run.send("Are you free Friday 14 March at 12pm?")
    later = run.send("/hint").notes[0]
    assert "next step should be" not in later and "something to do" in later
