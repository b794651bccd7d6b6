"""The practice app driven for real through prompt-toolkit's pipe input."""

from __future__ import annotations

import io
import json

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput

from trainer.app.practice_app import PracticeApp, SlashCompleter
from trainer.catalog import entries
from trainer.harness import load

WIN = [
    "Thanks. What would you suggest as a next step?",
    "What happened with the last system?",
    "Are you and Priya free Friday at 8:30?",
    "Could you bring last quarter's overtime numbers?",
    # the prospect pushes back once; a recap that gave the task back would be corrected
    "I understand. Could you just bring the overtime totals? Priya will want real figures.",
    "So to confirm: you'll bring the overtime numbers, I'll prepare a board, and we meet "
    "Friday at 8:30 with Priya. Did I get that right?",
]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path))
    return tmp_path


def drive(keys: str, **kwargs):
    """Run the app on ``keys`` typed into a pipe; return (exit code, screen text, app)."""
    buf = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        app = PracticeApp(trainee="Dana", seed=1, input=pipe,
                          output=PlainTextOutput(buf), unicode=True, **kwargs)
        scenario = load("polite-staller")
        code = app.brief(scenario) and app.run(scenario)
    return code, buf.getvalue(), app


def test_a_winning_conversation_ends_with_the_scorecard(home):
    code, screen, app = drive("\r" + "".join(line + "\r" for line in WIN) + "\x04")
    assert code == 0
    assert "You are meeting Morgan Ellis" in screen  # the brief
    assert "Morgan Ellis:" in screen  # the prospect speaks by name
    assert "Outcome: won" in screen
    assert "PASS    Asked for the next step" in screen
    assert "Transcript saved:" in screen
    saved = json.loads(app.practice.path.read_text("utf-8"))
    assert saved["meta"]["outcome"] == "won"
    verdicts = {c.id: c.verdict for c in app.practice.finished.criteria}
    assert verdicts["ask_next_step"] == verdicts["secure_date"] == verdicts["recap"] == "pass"
    assert f"score {saved['meta']['score']}/100" in screen


def test_ctrl_c_stops_and_keeps_the_transcript(home):
    code, screen, app = drive("\rWhere do we go from here?\r\x03")
    assert code == 130
    assert "Stopped. Transcript saved:" in screen
    turns = json.loads(app.practice.path.read_text("utf-8"))["turns"]
    assert turns[1]["text"] == "Where do we go from here?"


def test_ctrl_d_mid_meeting_says_so_and_grades_it(home):
    code, screen, _ = drive("\rWhere do we go from here?\r\x04")
    assert code == 0
    assert "Outcome: you ended the meeting (Ctrl-D)\r\n\r\n" in screen  # a blank line, then
    assert "score " in screen.split("Outcome: you ended the meeting")[1]


def test_a_line_typed_at_press_enter_to_start_waits_on_the_first_prompt(home):
    code, _, app = drive("What's really stopping you?\r\r\x04")
    assert code == 0
    turns = json.loads(app.practice.path.read_text("utf-8"))["turns"]
    assert [t["text"] for t in turns[1:2]] == ["What's really stopping you?"]


def test_end_mid_meeting_is_said_as_end_not_ctrl_d(home):
    code, screen, _ = drive("\rWhere do we go from here?\r/end\r")
    assert code == 0
    assert "Outcome: you ended the meeting (/end)" in screen and "Ctrl-D)" not in screen


def test_a_long_coach_line_wraps_under_its_text(home):
    _, screen, _ = drive("\rSure, take your time. I'll send you some information.\r/quit\r",
                         coach=True)
    lines = screen.replace("\r", "").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("coach: heard"))
    assert lines[at + 1].startswith(" " * len("coach: ")) and lines[at + 1].strip()


def test_ctrl_d_at_press_enter_to_start_starts_nothing(home):
    code, screen, app = drive("\x04")  # an EOFError traceback before
    assert code is False and "Not started." in screen and app.practice is None


def test_slash_commands_in_the_app(home):
    code, screen, _ = drive("\r/rubric\r/undo\r/quit\r")
    assert code == 0
    assert "fail     Secured a date" in screen
    assert "Nothing to undo yet." in screen
    assert "Left without a scorecard" in screen


def test_the_toolbar_shows_clock_and_checklist(home):
    _, _, app = drive("\rWhat would you suggest as a next step?\r/quit\r")
    bar = "".join(text for _, text in app.toolbar())
    assert "min left" in bar
    assert "asked ✓" in bar and "date ✗" in bar


def test_the_toolbar_without_unicode_is_ascii(home):
    buf = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text("\r/quit\r")
        app = PracticeApp(trainee="Dana", input=pipe, output=PlainTextOutput(buf), unicode=False)
        sc = load("polite-staller")
        app.brief(sc)
        app.run(sc)
    bar = "".join(text for _, text in app.toolbar())
    assert bar.isascii() and "[ ] asked" in bar


def test_picker_enter_takes_the_default_and_numbers_work(home):
    with create_pipe_input() as pipe:
        pipe.send_text("\r")
        app = PracticeApp(trainee="Dana", input=pipe, output=PlainTextOutput(io.StringIO()))
        first = app.pick(entries(), "polite-staller")
    assert first.id == "polite-staller"  # Enter takes the default, wherever it is listed
    with create_pipe_input() as pipe:
        pipe.send_text("99\r1\r")
        buf = io.StringIO()
        app = PracticeApp(trainee="Dana", input=pipe, output=PlainTextOutput(buf))
        assert app.pick(entries()).id == entries()[0].scenario.id
    assert "No scenario '99'" in buf.getvalue()


def test_ctrl_d_at_the_picker_picks_nothing(home):
    with create_pipe_input() as pipe:
        pipe.send_text("99\r\x04")  # an EOFError traceback before
        app = PracticeApp(trainee="Dana", input=pipe, output=PlainTextOutput(io.StringIO()))
        assert app.pick(entries()) is None


def test_input_history_is_kept_across_runs(home):
    history = home / "history"
    with create_pipe_input() as pipe:
        pipe.send_text("\rWhere do we go from here?\r/quit\r")
        app = PracticeApp(trainee="Dana", input=pipe, output=PlainTextOutput(io.StringIO()),
                          history=history)
        sc = load("polite-staller")
        app.brief(sc)
        app.run(sc)
    assert "Where do we go from here?" in history.read_text("utf-8")


def test_slash_completion_offers_commands_only():
    from prompt_toolkit.document import Document

    got = [c.text for c in SlashCompleter().get_completions(Document("/re"), None)]
    assert set(got) == {"/restart", "/reload"}
    assert list(SlashCompleter().get_completions(Document("hello"), None)) == []


@pytest.mark.parametrize("width", [40, 100])
def test_the_status_bar_shows_every_criterion_at_any_width(home, monkeypatch, width):
    from trainer.practice import Practice
    from trainer.render import columns

    monkeypatch.setattr(PracticeApp, "width", property(lambda self: width))
    app = PracticeApp(trainee="Dana", seed=1, unicode=True)
    app.practice = Practice(load("polite-staller"), trainee="Dana", seed=1)
    app.practice.opening()
    bar = "".join(text for _, text in app.toolbar())
    assert columns(bar.rstrip()) <= width  # at 40 columns it was cut at "stall confronte"
    for label in ("ask", "stall", "date", "task", "recap"):
        assert label in bar
