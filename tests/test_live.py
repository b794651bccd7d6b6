"""Live mode: the trainer voices the prospect, with the engine's suggestions."""

from __future__ import annotations

import json

import pytest

from trainer.harness import load
from trainer.live import Live


@pytest.fixture
def live(tmp_path, monkeypatch):
    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path))
    return Live(load("polite-staller"), trainee="Sam", seed=1)


def test_the_engine_suggests_the_opening_and_an_empty_line_takes_it(live):
    suggestion = live.suggestion
    assert suggestion
    turn = live.prospect_says("")
    assert turn.text == suggestion and turn.role == "prospect"
    assert turn.has("stall")


def test_the_checklist_lights_up_as_the_rep_speaks(live):
    live.prospect_says("Let me think about it and I'll get back to you.")
    assert live.checklist()["confront_stall"] == "fail"
    live.rep("What specifically do you need to think over?")
    assert live.checklist()["confront_stall"] == "pass"
    assert live.suggestion  # the engine has an answer ready


def test_the_trainer_can_say_something_else(live):
    live.prospect_says("")
    live.rep("Are you free Tuesday at 10?")
    live.prospect_says("Tuesday at 10 works for me.")
    assert live.turns[-1].text == "Tuesday at 10 works for me."
    assert live.checklist()["secure_date"] == "pass"


def test_undo_takes_back_either_side(live):
    live.prospect_says("")
    live.rep("I'll send a proposal.")
    assert live.undo()
    assert [t.role for t in live.turns] == ["prospect"]
    assert live.undo() and live.turns == [] and live.suggestion
    assert not live.undo()


def test_every_line_is_saved_and_the_grade_at_the_end(live):
    live.prospect_says("")
    live.rep("Where do we go from here?")
    saved = json.loads(live.path.read_text("utf-8"))
    assert [t["role"] for t in saved["turns"]] == ["prospect", "rep"]
    card = live.finish()
    assert json.loads(live.path.read_text("utf-8"))["meta"]["score"] == card.score


def test_the_live_screen_through_pipe_input(tmp_path, monkeypatch):
    import io

    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.plain_text import PlainTextOutput

    from trainer.app.live_app import LiveApp

    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path))
    buf = io.StringIO()
    keys = ("\r"  # the trainer takes the suggested opening (a stall)
            "What specifically do you need to think over?\r"
            "Honestly, the price.\r"  # the trainer's own prospect line
            "/undo\r"
            "Mostly whether our finance director will buy it.\r"
            "Are you and she free Tuesday at 10?\r"
            "Tuesday at 10 works.\r"
            "/end\r")
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        app = LiveApp(trainee="Sam", seed=1, input=pipe, output=PlainTextOutput(buf),
                      unicode=True)
        live = Live(load("polite-staller"), trainee="Sam", seed=1)
        assert app.run_live(live) == 0
    screen = buf.getvalue()
    assert "Took back the last line." in screen
    texts = [t.text for t in live.turns]
    assert "Honestly, the price." not in texts
    assert texts[2] == "Mostly whether our finance director will buy it."
    assert "PASS    Secured a date" in screen and "PASS    Confronted stalls" in screen


def test_a_live_transcript_graded_later_is_not_kept_twice(tmp_path, monkeypatch):
    from trainer.cli import main
    from trainer.recording import StoreRecorder
    from trainer.store import Store

    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path))
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        run = Live(load("polite-staller"), trainee="Sam", seed=1, out=tmp_path / "live.json",
                   recorder_factory=lambda: StoreRecorder(store, trainee="Sam", kind="live"))
        run.prospect_says("")
        run.rep("What would you suggest as a next step?")
        run.finish()
    assert json.loads((tmp_path / "live.json").read_text("utf-8"))["meta"]["run_uid"]
    assert main(["grade", str(tmp_path / "live.json"), "--db", str(db)]) == 0
    with Store.open(db) as store:
        assert [r.kind for r in store.runs()] == ["live"]


def _to_the_task(live: Live) -> None:
    live.prospect_says("")
    for line in ("What specifically do you need to think over?",
                 "What would you suggest as a next step?",
                 "Are you free Friday 14 March at 11am?"):
        live.rep(line)
        live.prospect_says("")
    live.rep("Could you bring the overtime numbers to the meeting?")  # the script pushes back


RECAP = "So to confirm: Friday 14 March at 11am with Priya, and you bring the overtime numbers."


def test_the_suggestions_follow_what_the_trainer_said_not_the_script(live):
    _to_the_task(live)
    assert "snowed under" in live.suggestion
    live.prospect_says("Yes, I'll get those to you.")
    assert live.checklist()["prospect_task"] == "pass"
    live.rep(RECAP + " Right?")
    assert "never agreed" not in live.suggestion and "that's" in live.suggestion.lower()


def test_taking_the_script_again_after_undo_puts_its_line_back(live):
    _to_the_task(live)
    live.prospect_says("Yes, I'll get those to you.")
    assert live.undo()
    live.prospect_says("")  # the script's push-back after all
    live.rep(RECAP + " Right?")
    assert "never agreed" in live.suggestion or "didn't say I'd do that" in live.suggestion


def test_a_time_the_trainer_turns_down_is_not_booked(live):
    live.prospect_says("")
    live.rep("What specifically do you need to think over?")
    live.prospect_says("")
    live.rep("Are you free Friday 14 March at 11am?")
    assert "works" in live.suggestion
    live.prospect_says("No, Friday's no good for me, sorry.")
    live.rep("So to confirm, we'll meet with Priya. Right?")
    assert "agreed a time" in live.suggestion or "fixed a time" in live.suggestion


def test_a_time_the_script_countered_can_be_taken_by_the_trainer(live):
    live.prospect_says("")
    live.rep("What specifically do you need to think over?")
    live.prospect_says("")
    live.rep("Are you free Friday 14 March at 2pm?")  # outside the script's working hours
    assert "doesn't work" in live.suggestion or "can't do" in live.suggestion
    live.prospect_says("Actually, Friday at 2pm is fine.")
    live.rep("So to confirm, Friday 14 March at 2pm with Priya. Right?")
    assert "that's what we agreed" in live.suggestion.lower() or \
        "that's right" in live.suggestion.lower()
    assert "working hours" not in live.suggestion


def test_an_opening_the_trainer_says_without_a_stall_leaves_no_stall_to_repeat(live):
    live.prospect_says("That was great. What would you suggest we do next?")
    live.rep("Are you free Friday 14 March at 11am?")
    assert "think" not in live.suggestion.lower() and "works" in live.suggestion


def _to_a_time(live: Live, time: str = "Wednesday 12 March at 10am") -> None:
    live.prospect_says("")
    live.rep("What specifically do you need to think over?")
    live.prospect_says("")
    live.rep(f"How about {time}?")


def test_a_time_the_trainer_turns_down_in_other_words_is_not_booked(live):
    _to_a_time(live)
    assert "works" in live.suggestion
    live.prospect_says("No, Wednesday morning is no good for me.")
    live.rep("So to recap, we'll meet with Priya, right?")
    assert "agreed a time" in live.suggestion or "fixed a time" in live.suggestion


def test_the_trainers_own_time_is_a_counter_proposal_the_rep_can_take(live):
    _to_a_time(live)
    live.prospect_says("Hmm, 10 is tricky. Make it 11?")
    live.rep("Sure, 11 it is.")
    assert "Wednesday 12 March at 11am" in live.suggestion
    assert "sometime" not in live.suggestion.lower()


def test_undo_back_past_a_line_the_trainer_changed_then_enter_takes_the_scripts_line(live):
    _to_the_task(live)
    live.prospect_says("Yes, I'll get those to you.")
    live.rep("Great.")
    assert live.undo() and live.undo()  # the rep's line, then the trainer's
    live.prospect_says("")  # the script's push-back
    live.rep(RECAP + " Right?")
    assert "never agreed" in live.suggestion or "didn't say I'd do that" in live.suggestion


def test_the_meeting_goes_on_when_the_trainer_does_not_end_it_as_the_script_would(live):
    live.prospect_says("")
    live.rep("OK, no problem, take your time.")  # the script lets the meeting end here
    live.prospect_says("Actually, wait, let's book something now.")
    live.rep("How about Wednesday 12 March at 10am?")
    assert live.suggestion and "works" in live.suggestion


@pytest.mark.parametrize(("scenario", "lines"), [
    ("polite-staller", ["What specifically do you need to think over?",
                        "What would you suggest as a next step?",
                        "How about Wednesday 12 March at 10am?",
                        "Could you bring the fuel figures?"]),  # the script refuses the task
    ("drifting-renewal", ["What's really holding the renewal up?",  # its opening stalls
                          "What would you suggest as a next step?"]),
])
def test_taking_every_suggestion_is_graded_as_the_same_run_played(tmp_path, monkeypatch,
                                                                  scenario, lines):
    from trainer.harness import play

    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path))
    live = Live(load(scenario), trainee="Sam", seed=0)
    live.prospect_says("")
    for line in lines:
        live.rep(line)
        if live.suggestion:
            live.prospect_says("")
    played = play(scenario, lines, seed=0).scorecard
    assert {c.id: c.verdict for c in live.scorecard().criteria} == \
        {c.id: c.verdict for c in played.criteria}


@pytest.mark.parametrize("said", ["Not at 2, sorry. Friday at 12pm would work though.",
                                  "Sure, Friday works, let's do 12pm."])
def test_the_trainer_restating_the_scripts_counter_offer_keeps_it_on_the_table(live, said):
    _to_a_time(live, "Friday 14 March at 2pm")  # outside the script's hours: 12pm offered
    assert "12pm" in live.suggestion
    live.prospect_says(said)
    live.rep("So to confirm, Friday 14 March at 12pm with Priya. Right?")
    assert "at 12pm works" in live.suggestion and " 2pm" not in live.suggestion
    assert "Hang on" not in live.suggestion


def test_a_correction_to_a_recap_is_no_confirmation_and_its_time_can_be_taken(live):
    _to_a_time(live, "Friday 14 March at 12pm")
    live.prospect_says("")  # booked
    live.rep("So to confirm, Friday 14 March at 12pm with Priya. Right?")
    assert "agreed" in live.suggestion.lower() or "right" in live.suggestion.lower()
    live.prospect_says("Almost. Priya can't do 12 after all, can we make it 11?")
    assert live.checklist()["recap"] != "pass"
    live.rep("Sure, Friday at 11 it is.")
    assert live.suggestion and "11am" in live.suggestion


def test_a_task_taken_on_a_line_after_it_was_pushed_back_counts(live):
    _to_the_task(live)
    live.prospect_says("")  # the script pushes back
    live.rep("I know you're swamped, even last month's fuel bill would help Priya.")
    live.prospect_says("Fine, I'll dig out last month's fuel bill.")
    assert live.checklist()["prospect_task"] == "pass"
