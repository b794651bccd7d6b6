"""Trainer-led sessions: plans, rosters, and the hot seat driven through pipe input."""

from __future__ import annotations

import io
import json

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput

from trainer.errors import InputError, UsageError
from trainer.session import make_plan, read_plan, read_roster


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path))
    return tmp_path


def test_roster_file_skips_blanks_and_comments(tmp_path):
    roster = tmp_path / "team.txt"
    roster.write_text("# week 1\nAna\n\nBen   Okafor  # joined late\n", "utf-8")
    assert read_roster(roster) == ("Ana", "Ben Okafor")


def test_roster_errors_say_what_is_wrong(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nobody yet\n", "utf-8")
    with pytest.raises(InputError, match="no names"):
        read_roster(empty)
    twice = tmp_path / "twice.txt"
    twice.write_text("Ana\nana\n", "utf-8")
    with pytest.raises(InputError, match="twice"):
        read_roster(twice)


def test_each_round_gives_every_trainee_another_scenario():
    # two trainees, two scenarios: counting turns gave each the same one every round
    plan = make_plan("w1", ["Carl", "Dee"], ["polite-staller", "committee"], rounds=2)
    played: dict[str, list[str]] = {}
    for trainee, scenario in plan.queue():
        played.setdefault(trainee, []).append(scenario)
    assert played == {"Carl": ["polite-staller", "committee"],
                      "Dee": ["committee", "polite-staller"]}


def test_rounds_out_of_range_on_the_command_line_names_the_option():
    with pytest.raises(UsageError, match="--rounds is a whole number from 1 to 20, not 0"):
        make_plan("w1", ["Ana"], ["polite-staller"], rounds=0)


def test_the_queue_rotates_scenarios_across_trainees():
    plan = make_plan("w1", ["Ana", "Ben", "Cy"], ["polite-staller"], rounds=2)
    assert list(plan.queue())[:3] == [("Ana", "polite-staller"), ("Ben", "polite-staller"),
                                      ("Cy", "polite-staller")]
    assert len(list(plan.queue())) == 6


def test_a_plan_names_an_unknown_scenario_with_a_suggestion(tmp_path):
    with pytest.raises(UsageError, match="Did you mean `polite-staller`"):
        make_plan("w1", ["Ana"], ["polite-staler"])


def test_a_broken_plan_file_says_file_and_line(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("name: week 1\nroster: [Ana, Ben\nscenarios: [polite-staller]\n", "utf-8")
    with pytest.raises(InputError) as caught:
        read_plan(plan)
    assert caught.value.file == str(plan) and (caught.value.line, caught.value.column) == (2, 9)
    assert "'[' opens is not closed" in caught.value.message


@pytest.mark.parametrize("reader", [read_plan, read_roster])
def test_a_plan_or_roster_that_is_not_utf8_is_a_clear_error(tmp_path, reader):
    path = tmp_path / "week1.yaml"
    path.write_bytes(b"\xff\xfe\x00n\x00a")
    with pytest.raises(InputError, match="not UTF-8 text") as caught:
        reader(path)
    assert caught.value.file == str(path)


def test_a_plan_can_name_a_roster_file_beside_it(tmp_path):
    (tmp_path / "team.txt").write_text("Carl\nDee\n", "utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text("name: P\nroster: team.txt\nscenarios: [polite-staller]\n", "utf-8")
    assert read_plan(plan).roster == ("Carl", "Dee")


def test_a_plan_file(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("name: Week 1\nroster: [Ana, Ben]\nscenarios: [polite-staller]\n", "utf-8")
    p = read_plan(plan)
    assert p.name == "Week 1" and p.roster == ("Ana", "Ben") and p.rounds == 1


def test_the_hot_seat_records_runs_comments_and_overrides(home):
    from trainer.app.session_app import SessionApp
    from trainer.store import Store

    plan = make_plan("Week 1", ["Ana", "Ben"], ["polite-staller"])
    keys = ("\r"  # Ana: start
            "\r"  # brief: start
            "What would you suggest as a next step?\r"
            "/end\r"
            "/undo\r"  # a command is no comment
            "Good instinct to ask early.\r"  # comment
            "Secure Date pass she booked it\r"  # two words: says how to write it
            "Recap PASS she summarised out loud before the call\r"  # override, as typed
            "\r"  # done reviewing
            "s\r")  # skip Ben
    buf = io.StringIO()
    with Store.open(home / "results.db") as store, create_pipe_input() as pipe:
        pipe.send_text(keys)
        app = SessionApp(trainee="Ana", seed=1, input=pipe, output=PlainTextOutput(buf))
        assert app.run_session(plan, store) == 0
        [summary] = store.runs(trainee="Ana")
        run = store.run(summary.id)
        assert store.runs(trainee="Ben") == []
        board = store.leaderboard(store.sessions()[0].id)
    screen = buf.getvalue()
    assert "Next in the hot seat: Ana" in screen and "Leaderboard" in screen
    assert "'Date' is not a verdict. Write the criterion as one word" in screen
    assert [c.text for c in run.comments] == ["Good instinct to ask early."]
    assert "Commands do not work here" in screen
    assert f"With the trainer's verdicts this run scores {run.effective_score}/100." in screen
    assert run.verdicts["recap"] == "pass"  # the trainer's verdict is the effective one
    assert run.machine_verdicts["recap"] == "fail"  # and the machine's is kept beside it
    assert next(s.trainee for s in board) == "Ana"


def _session(home, keys: str, roster=("Ana", "Ben")) -> tuple[int, str, list]:
    from trainer.app.session_app import SessionApp
    from trainer.store import Store

    plan = make_plan("Week 1", list(roster), ["polite-staller"])
    buf = io.StringIO()
    with Store.open(home / "results.db") as store, create_pipe_input() as pipe:
        pipe.send_text(keys)
        app = SessionApp(trainee=roster[0], seed=1, input=pipe, output=PlainTextOutput(buf))
        code = app.run_session(plan, store)
        sessions = store.sessions()
    return code, buf.getvalue(), sessions


@pytest.mark.parametrize("key", ["\x04", "\x03"])  # Ctrl-D, Ctrl-C
def test_ctrl_d_or_ctrl_c_between_runs_ends_the_session_with_its_leaderboard(home, key):
    keys = ("\r\rWhat would you suggest as a next step?\r/end\r"  # Ana's run
            f"{key}")  # at the trainer's comment
    if key == "\x04":  # Ctrl-D skips the review; Ben is next, and Ctrl-D ends it there
        keys += "\x04"
    code, screen, [session] = _session(home, keys)
    assert code == 0 and "Leaderboard" in screen and "Ana" in screen
    assert session.ended_at is not None
    assert f"nextstep report --session {session.id}" in screen
    assert f"Session {session.id}: Week 1" in screen


def test_the_start_prompt_asks_again_for_an_answer_it_does_not_know(home):
    code, screen, _ = _session(home, "quite\rq\r")
    assert code == 0 and "'quite'? Press Enter to start" in screen
    assert "Your name" not in screen and "Press Enter to start" not in screen.split("'quite'")[0]


def test_a_past_sessions_leaderboard_shows_again_in_the_terminal(home, capsys):
    from trainer.cli import main

    _session(home, "\r\rWhat would you suggest as a next step?\r/end\r\r\rs\r")  # Ana; skip Ben
    db = str(home / "results.db")
    assert main(["leaderboard", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Leaderboard: Week 1 (session 1)" in out and "Ana" in out
    assert main(["leaderboard", "--list", "--db", db]) == 0
    assert "Week 1" in capsys.readouterr().out
    assert main(["leaderboard", "--session", "1", "--json", "--db", db]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["session"]["name"] == "Week 1"
    assert data["standings"][0]["trainee"] == "Ana"
    assert main(["leaderboard", "--session", "9", "--db", db]) == 2  # no such session
    ben = next(s for s in data["standings"] if s["trainee"] == "Ben")
    assert ben["rank"] is None and ben["total"] is None  # skipped: no score, not 0


def test_ctrl_d_at_press_enter_to_start_skips_that_turn(home):
    # an EOFError traceback before; the session went on unended
    code, screen, [session] = _session(home, "\r\x04" "\x04")  # Ana: start, Ctrl-D; Ben: end
    assert code == 0 and "Not started." in screen and "Session ended." in screen
    assert session.ended_at is not None and "Leaderboard" in screen
