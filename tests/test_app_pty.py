"""End to end in a real pseudo-terminal: a trainee types a whole winning conversation."""

from __future__ import annotations

import os
import sys

import pytest

pexpect = pytest.importorskip("pexpect")

from tests.test_app import WIN  # noqa: E402  (the same winning lines as the pipe tests)


def spawn(home, *args):
    env = dict(os.environ, NEXTSTEP_HOME=str(home), TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1")
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "trainer", "practice", *args], env=env,
                          dimensions=(24, 80), encoding="utf-8", timeout=20)
    return child


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


def test_ctrl_c_in_a_real_terminal_keeps_the_transcript(tmp_path):
    child = spawn(tmp_path, "polite-staller", "--name", "Dana")
    child.expect("Press Enter to start")
    child.sendline("")
    child.expect("Dana:")
    child.sendline("Where do we go from here?")
    child.expect("Morgan Ellis:")
    child.expect("Dana:")
    child.sendintr()
    child.expect("Your transcript is saved")
    child.expect(pexpect.EOF)
    [saved] = (tmp_path / "data" / "transcripts").glob("*.json")
    assert "Where do we go from here?" in saved.read_text("utf-8")


def test_json_at_a_terminal_says_where_json_comes_from(tmp_path):
    child = spawn(tmp_path, "polite-staller", "--json", "--name", "Dana")
    child.expect("--json prints a headless run")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2


def test_the_trainers_questions_after_a_run_have_no_meeting_status_bar(tmp_path):
    """Drawn by a real terminal (tmux): the status bar shows during the meeting only."""
    import shlex
    import shutil
    import subprocess
    import time

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    roster = tmp_path / "team.txt"
    roster.write_text("Ana\nBo\n", "utf-8")
    name = f"nextstep-{os.getpid()}"
    command = " ".join(shlex.quote(a) for a in [
        "env", f"NEXTSTEP_HOME={tmp_path}", "TERM=xterm-256color", sys.executable, "-m",
        "trainer", "session", "--roster", str(roster), "--scenario", "polite-staller",
        "--seed", "1"])

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True,
                              cwd=os.getcwd()).stdout

    def wait_for(text: str) -> str:
        for _ in range(100):
            screen = tmux("capture-pane", "-p", "-t", name)
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never showed:\n{screen}")

    tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", command + "; sleep 30")
    try:
        wait_for("Enter to start")
        tmux("send-keys", "-t", name, "Enter")
        wait_for("Press Enter to start")
        tmux("send-keys", "-t", name, "Enter")
        assert "min left" in wait_for("Ana:")  # the status bar, in the meeting
        tmux("send-keys", "-t", name, "No rush, take your time.", "Enter")
        assert "min left" not in wait_for("Trainer's comment")
        tmux("send-keys", "-t", name, "Enter")
        assert "min left" not in wait_for("Override a verdict")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)
