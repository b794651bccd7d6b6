"""Reloading a scenario mid-practice: replay to the same point, report changes, keep going."""

from __future__ import annotations

import inspect
import io
import threading
import time
from pathlib import Path

import pytest

from tests.scenario_text import minimal
from trainer.authoring.watch import FileWatcher, reload_practice, replay, trainee_lines
from trainer.practice import Practice
from trainer.scenario_load import load_scenario

SCENARIO = minimal("watched", "Watched")

LINES = ["Is this a priority for you right now, or is it never going to be?",
         "What would you suggest as a next step?"]


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "watched.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.fixture
def practice(scenario_file: Path, tmp_path: Path) -> Practice:
    run = Practice(load_scenario(scenario_file), trainee="Dana", seed=2,
                   out=tmp_path / "run.json")
    run.opening()
    for line in LINES:
        run.send(line)
    return run


def test_replay_reaches_the_same_point_with_the_same_answers(scenario_file):
    scenario = load_scenario(scenario_file)
    first = replay(scenario, LINES, seed=2)
    again = replay(scenario, LINES, seed=2,
                   before=[t.text for t in first.engine.transcript.turns if t.role == "prospect"])
    assert again.replayed == 2 and again.dropped == () and again.changed_at is None
    assert again.engine.state == "concern"
    assert trainee_lines(again.engine.transcript) == LINES


def test_reload_picks_up_an_edit_and_says_where_answers_changed(practice, scenario_file):
    scenario_file.write_text(SCENARIO.replace("the budget is frozen until July",
                                              "our finance director is sceptical"), "utf-8")
    step = practice.send("/reload") if "/reload" in _commands() else reload_practice(practice)
    assert practice.engine.state == "concern"
    assert trainee_lines(practice.engine.transcript) == LINES
    assert "finance director is sceptical" in practice.engine.transcript.turns[2].text
    assert step.notes[0].startswith("Reloaded watched.yaml; replayed 2 lines.")
    assert "differently from your line 1 on" in step.notes[1]
    assert step.prospect == practice.engine.transcript.turns[-1].text
    saved = (practice.path).read_text("utf-8")
    assert "sceptical" in saved  # the transcript on disk matches the run
    assert practice.engine.undo()  # the replayed run can be taken back line by line
    assert practice.engine.state == "concern"


def test_reload_of_an_unchanged_file_says_nothing_changed(practice):
    step = reload_practice(practice)
    assert step.notes == ["Reloaded watched.yaml; replayed 2 lines. The prospect answers as "
                          "before."]
    assert step.prospect is None


def test_lines_past_a_new_ending_are_not_replayed(practice, scenario_file):
    scenario_file.write_text(SCENARIO.replace("        goto: concern\n", "        end: lost\n"),
                             "utf-8")
    step = reload_practice(practice)
    assert practice.engine.ended and practice.engine.outcome == "lost"
    assert trainee_lines(practice.engine.transcript) == LINES[:1]
    assert any("ends the meeting after line 1; 1 later line not replayed" in n
               for n in step.notes)
    assert not step.ended  # the run stays open: the author can /undo or edit again
    scenario_file.write_text(SCENARIO, "utf-8")  # put back: the whole conversation returns
    step = reload_practice(practice)
    assert trainee_lines(practice.engine.transcript) == LINES  # the dropped line was lost
    assert step.notes[0].startswith("Reloaded watched.yaml; replayed 2 lines.")


def test_a_broken_file_keeps_the_last_good_version(practice, scenario_file):
    before = practice.engine
    scenario_file.write_text(SCENARIO.replace("goto: concern", "goto: concen"), "utf-8")
    step = reload_practice(practice)
    assert practice.engine is before
    assert step.notes[0].startswith("Not reloaded: watched.yaml has 1 error;")
    assert "NS106" in step.notes[1] and "Did you mean `concern`?" in step.notes[1]


def test_the_watcher_reports_a_settled_change_once(scenario_file):
    seen: list[int] = []
    watcher = FileWatcher(scenario_file, lambda: seen.append(1))
    assert not watcher.poll()  # nothing changed
    scenario_file.write_text(SCENARIO + "# edited\n", "utf-8")
    assert not watcher.poll()  # just changed: wait for it to settle
    assert watcher.poll() and seen == [1]
    assert not watcher.poll()
    scenario_file.write_text(SCENARIO + "# edited\n", "utf-8")  # saved again, same content
    assert not watcher.poll() and not watcher.poll()
    scenario_file.unlink()  # an editor replacing the file
    assert not watcher.poll() and not watcher.poll()
    scenario_file.write_text(SCENARIO, "utf-8")
    watcher.poll()
    assert watcher.poll() and seen == [1, 1]


def test_the_watcher_thread_calls_back_on_save(scenario_file):
    saved = threading.Event()
    with FileWatcher(scenario_file, saved.set, interval=0.02):
        time.sleep(0.05)
        scenario_file.write_text(SCENARIO + "# saved\n", "utf-8")
        assert saved.wait(3)


def _commands() -> dict[str, str]:
    from trainer.practice import COMMANDS

    return COMMANDS


def _wired() -> bool:
    from trainer.app.practice_app import PracticeApp

    return "watch" in inspect.signature(PracticeApp).parameters


@pytest.mark.skipif(not _wired(), reason="the practice app has no --watch yet")
def test_the_app_reloads_on_save_and_keeps_what_was_typed(scenario_file, tmp_path, monkeypatch):
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.plain_text import PlainTextOutput

    from trainer.app.practice_app import PracticeApp

    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path / "home"))
    screen = io.StringIO()
    done: dict[str, int] = {}
    with create_pipe_input() as pipe:
        app = PracticeApp(trainee="Dana", seed=2, input=pipe, output=PlainTextOutput(screen),
                          unicode=True, out=tmp_path / "run.json", watch=True)
        runner = threading.Thread(target=lambda: done.update(code=app.run(
            load_scenario(scenario_file))), daemon=True)
        runner.start()
        pipe.send_text(LINES[0] + "\r")
        _wait(lambda: app.practice is not None and app.practice.engine.state == "concern")
        pipe.send_text("half a th")  # typed, not sent, when the file is saved
        time.sleep(0.2)
        scenario_file.write_text(SCENARIO.replace("frozen until July", "frozen until May"),
                                 "utf-8")
        _wait(lambda: "until May" in app.practice.engine.transcript.turns[-1].text)
        pipe.send_text("ought\r/quit\r")
        runner.join(5)
    assert done.get("code") == 0
    text = screen.getvalue()
    assert "Watching" in text and "Reloaded watched.yaml; replayed 1 line." in text
    assert "Dana: /reload" not in text  # the save answered the prompt; Dana said nothing
    turns = app.practice.engine.transcript.turns
    assert turns[-2].text == "half a thought"  # the interrupted line survived the reload


def _wait(condition, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)
