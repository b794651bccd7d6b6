"""End to end in a real pseudo-terminal: a trainee types a whole winning conversation."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time

import pytest

pexpect = pytest.importorskip("pexpect")

from tests.test_app import WIN  # noqa: E402  (the same winning lines as the pipe tests)


def spawn(home, *args, command="practice"):
    env = dict(os.environ, NEXTSTEP_HOME=str(home), TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1")
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "trainer", command, *args], env=env,
                          dimensions=(24, 80), encoding="utf-8", timeout=20)
    return child


def test_live_asks_the_reps_name_every_time_and_remembers_none(tmp_path):
    # it used to ask once and file every later roleplay (and practice run) under that rep
    for name in ("Łukasz Wójcik", "Ana"):
        child = spawn(tmp_path, "polite-staller", "--no-store", command="live")
        child.expect("The rep's name")
        child.sendline(name)
        child.expect(f"{name} \\(the rep\\)")
        child.sendline("/quit")
        child.expect(pexpect.EOF)
    assert not (tmp_path / "config" / "config.json").exists()


def test_ctrl_d_at_the_name_question_is_rep_for_this_run_only(tmp_path):
    child = spawn(tmp_path, "polite-staller", "--no-store")
    child.expect("Your name")
    child.sendeof()
    child.expect("Press Enter to start")
    child.sendline("")
    child.expect("Rep:")
    child.sendline("/quit")
    child.expect(pexpect.EOF)
    assert not (tmp_path / "config" / "config.json").exists()  # asked again next time


def test_a_whole_winning_conversation_in_a_real_terminal(tmp_path):
    child = spawn(tmp_path, "polite-staller", "--seed", "1", "--name", "Dana")
    child.expect("Press Enter to start")
    child.sendline("")
    child.expect("Morgan Ellis:")
    for line in WIN:
        child.expect("Dana:")
        child.sendline(line)
        child.expect("Morgan Ellis:")
    # the recap is confirmed and the meeting ends on its own, straight into the scorecard
    child.expect("Outcome: won")
    child.expect(r"score (\d+)/100")
    score = int(child.match.group(1))
    child.expect("Transcript saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert 0 < score <= 100
    saved = list((tmp_path / "data" / "transcripts").glob("*.json"))
    assert len(saved) == 1


@pytest.mark.parametrize("stop", ["ctrl-c", "terminate"])
def test_stopping_a_run_in_a_real_terminal_keeps_the_transcript_and_says_where(tmp_path,
                                                                              stop):
    # a terminate signal (kill, a closing session manager) used to end with no word at all
    import signal

    child = spawn(tmp_path, "polite-staller", "--name", "Dana")
    child.expect("Press Enter to start")
    child.sendline("")
    child.expect("Dana:")
    child.sendline("Where do we go from here?")
    child.expect("Morgan Ellis:")
    child.expect("Dana:")
    if stop == "ctrl-c":
        child.sendintr()
    else:
        child.kill(signal.SIGTERM)
    child.expect("Stopped. Transcript saved:")
    child.expect(pexpect.EOF)
    [saved] = (tmp_path / "data" / "transcripts").glob("*.json")
    assert "Where do we go from here?" in saved.read_text("utf-8")


def test_json_at_a_terminal_says_where_json_comes_from(tmp_path):
    child = spawn(tmp_path, "polite-staller", "--json", "--name", "Dana")
    child.expect("--json prints a headless run")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2


class Tmux:
    """A command in a real terminal drawn by tmux, read back as the screen shows it."""

    def __init__(self, home, *args: str, width: int = 100) -> None:
        if shutil.which("tmux") is None:
            pytest.skip("tmux is not installed")
        self.name = f"nextstep-{os.getpid()}-{id(self)}"
        command = " ".join(shlex.quote(a) for a in [
            "env", f"NEXTSTEP_HOME={home}", "TERM=xterm-256color", sys.executable, "-m",
            "trainer", *args])
        self.run("new-session", "-d", "-s", self.name, "-x", str(width), "-y", "30",
                 command + "; sleep 30")

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True,
                              cwd=os.getcwd()).stdout

    def send(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def wait_for(self, text: str) -> str:
        """The screen once ``text`` is on it and the screen has stopped changing (a capture
        taken in the middle of a redraw can show half of it)."""
        for _ in range(100):
            screen = self.run("capture-pane", "-p", "-t", self.name)
            if text in screen:
                for _ in range(25):
                    time.sleep(0.2)
                    again = self.run("capture-pane", "-p", "-t", self.name)
                    if again == screen:
                        break
                    screen = again
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never showed:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True,
                       check=False)


@pytest.fixture
def tmux_run(tmp_path):
    started: list[Tmux] = []

    def start(*args: str, width: int = 100) -> Tmux:
        started.append(Tmux(tmp_path, *args, width=width))
        return started[-1]

    yield start
    for t in started:
        t.close()


def test_the_trainers_questions_after_a_run_have_no_meeting_status_bar(tmp_path, tmux_run):
    """Drawn by a real terminal (tmux): the status bar shows during the meeting only."""
    roster = tmp_path / "team.txt"
    roster.write_text("Ana\nBo\n", "utf-8")
    term = tmux_run("session", "--roster", str(roster), "--scenario", "polite-staller",
                    "--seed", "1")
    term.wait_for("Enter to start")
    term.send("Enter")
    term.wait_for("Press Enter to start")
    term.send("Enter")
    assert "min left" in term.wait_for("Ana:")  # the status bar, in the meeting
    term.send("No rush, take your time.", "Enter")
    assert "min left" not in term.wait_for("Trainer's comment")
    term.send("Enter")
    assert "min left" not in term.wait_for("Override a verdict")


@pytest.mark.parametrize("command", ["practice", "live"])
def test_a_long_line_of_the_trainee_wraps_under_the_text_not_the_name(tmux_run, command):
    """Sent, the trainee's line is wrapped at word boundaries with the name hanging, as the
    prospect's lines are; before, the terminal cut it mid-word back at the left margin."""
    term = tmux_run(command, "polite-staller", "--seed", "1", "--name", "Dana Lee",
                    width=60)
    if command == "practice":
        term.wait_for("Press Enter to start")
    else:  # the trainer takes the scripted prospect's suggested opening line
        term.wait_for("suggested:")
    term.send("Enter")
    term.wait_for("Dana Lee:")
    line = ("Thanks Morgan, that was a really useful conversation and I appreciate your "
            "time. What would you like the next step to be, and who else should be there?")
    term.send(line, "Enter")
    after = "Morgan Ellis: To be" if command == "practice" else "Morgan Ellis:\n"
    screen = term.wait_for(after)
    mine = screen[screen.index("Dana Lee: Thanks"):screen.index(after)]
    rows = mine.rstrip("\n").split("\n")
    assert len(rows) >= 3, screen
    assert all(row.startswith(" " * len("Dana Lee: ")) and row[10] != " " for row in rows[1:]), \
        screen
    assert " ".join(row.strip() for row in rows).removeprefix("Dana Lee: ") == line, screen
