"""`nextstep grade` as users and scripts run it: output, JSON Lines, exit codes, errors, colour.

Most tests call :func:`trainer.cli.main` in-process (fast); a few run ``python -m trainer`` in a
real subprocess, where a traceback or a broken pipe would show as it does to a user.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from trainer.cli import main
from trainer.moves import ALL_MOVES
from trainer.rubric import CRITERIA, TITLES
from trainer.scoring import half_up

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
VERDICTS = {"pass", "partial", "fail", "n/a"}


def _readme_commands() -> list[list[str]]:
    """The `nextstep grade ...` lines of examples/README.md, as argument lists."""
    text = (EXAMPLES / "README.md").read_text("utf-8")
    out = []
    for line in text.splitlines():
        if line.startswith("nextstep grade "):
            argv = shlex.split(line)[1:]
            out.append([str(REPO / a) if a.startswith("examples/") else a for a in argv])
    return out


EXAMPLE_COMMANDS = _readme_commands()
# What the first grade of a call whose rep is only "Rep" says on stderr, once per database.
NAMELESS_NOTE = "nextstep: the rep is named only by a role"
EXAMPLE_IDS = [Path(argv[1]).name for argv in EXAMPLE_COMMANDS]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one in-process run of the command line."""
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse's --help and --version
        code = stop.code if isinstance(stop.code, int) else 0
    out, err = capsys.readouterr()
    return code, out, err


def graded(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[dict]:
    """The JSON objects `grade --json` prints for ``argv`` (one per file)."""
    code, out, _ = run(["grade", "--json", *argv], capsys)
    assert code in (0, 2)
    return [json.loads(line) for line in out.splitlines()]


def columns(line: str) -> int:
    """Terminal columns a line takes: East Asian wide and fullwidth characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def fake_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the captured stdout claim to be an 80-column colour terminal.

    Called inside the test: capsys swaps in its stream only while the test runs.
    """
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so file names are short and the table never trims them."""
    monkeypatch.chdir(REPO)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- the examples -------------------------------------------------------------------------


def test_readme_grades_every_example_file() -> None:
    shown = {Path(argv[1]).name for argv in EXAMPLE_COMMANDS}
    shipped = {p.name for p in EXAMPLES.iterdir() if p.name != "README.md"}
    assert shown == shipped


@pytest.mark.parametrize("argv", EXAMPLE_COMMANDS, ids=EXAMPLE_IDS)
def test_each_example_grades_to_a_scorecard_naming_every_criterion(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert code == 0, err
    assert err == "" or err.startswith(NAMELESS_NOTE)  # the first call of a "Rep" is "unknown"
    assert re.search(r"score (\d+)/100", out.splitlines()[0])
    for cid in CRITERIA:
        assert TITLES[cid] in out
    assert "Tip:" in out


@pytest.mark.parametrize("argv", EXAMPLE_COMMANDS, ids=EXAMPLE_IDS)
def test_every_scorecard_line_fits_80_columns(argv: list[str],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(argv, capsys)
    assert out.strip()
    too_wide = [line for line in out.splitlines() if columns(line) > 80]
    assert too_wide == []


def test_a_long_file_name_and_an_unbroken_word_still_fit_80_columns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://example.com/" + "a" * 150
    name = write(tmp_path, "q" * 120 + ".txt",
                 f"Rep: What would you suggest as a next step? See {url}\n"
                 "Prospect: Let me think about it and get back to you.\n")
    code, out, _ = run(["grade", name], capsys)
    assert code == 0
    assert max(columns(line) for line in out.splitlines()) <= 80


def test_wide_characters_fit_80_columns(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    name = write(tmp_path, "cjk.txt",
                 "Rep: What would you suggest as a next step?\n"
                 "Prospect: Let me think about it and get back to you. "
                 "社内で検討してから改めてご連絡させていただきますので、少々お時間をいただけますでしょうか。\n")
    _, out, _ = run(["grade", name], capsys)
    assert max(columns(line) for line in out.splitlines()) <= 80


# --- JSON Lines -----------------------------------------------------------------------------


@pytest.mark.parametrize("argv", EXAMPLE_COMMANDS, ids=EXAMPLE_IDS)
def test_json_is_one_object_per_transcript_in_the_documented_shape(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*argv, "--json"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    assert doc["file"] == argv[1]
    assert isinstance(doc["score"], int) and not isinstance(doc["score"], bool)
    assert 0 <= doc["score"] <= 100

    turns = doc["turns"]
    assert turns
    for turn in turns:
        assert isinstance(turn["speaker"], str) and isinstance(turn["text"], str)
        for move in turn["moves"]:
            assert move["move"] in ALL_MOVES
            start, end = move["span"]
            assert turn["text"][start:end] == move["text"]

    assert [c["id"] for c in doc["criteria"]] == list(CRITERIA)
    total = weight = 0.0
    for c in doc["criteria"]:
        assert c["verdict"] in VERDICTS
        assert c["score"] == {"pass": 1, "partial": 0.5, "fail": 0, "n/a": None}[c["verdict"]]
        assert isinstance(c["tip"], str) and c["tip"]
        for ev in c["evidence"]:
            assert set(ev) == {"turn", "speaker", "text", "why"}
            quoted = turns[ev["turn"] - 1]  # turns are numbered from 1
            assert (ev["speaker"], ev["text"]) == (quoted["speaker"], quoted["text"])
            assert ev["why"]
        if c["score"] is not None:
            total += c["score"] * c.get("weight", 1)
            weight += c.get("weight", 1)
    # The overall score is the weighted mean of the applicable criteria.
    assert doc["score"] == (round(100 * total / weight) if weight else 0)


def test_several_files_with_json_print_one_line_per_file_in_order(
        capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(EXAMPLES / n) for n in ("weak-call.txt", "strong-call.txt", "call.srt")]
    docs = graded(files, capsys)
    assert [d["file"] for d in docs] == files
    assert all("score" in d for d in docs)


# --- several files: the summary table -----------------------------------------------------


def test_several_files_print_a_summary_table_instead_of_scorecards(
        in_repo: None, capsys: pytest.CaptureFixture[str]) -> None:
    files = ["examples/strong-call.txt", "examples/weak-call.txt"]
    scores = {d["file"]: d["score"] for d in graded(files, capsys)}
    code, out, err = run(["grade", *files], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["file", "score", "ask", "stall", "date", "task", "recap"]
    for name in files:
        row = next(line for line in lines if line.startswith(name))
        assert row.split()[1] == str(scores[name])
    mean = half_up(sum(scores.values()) / len(scores))
    assert f"2 graded, mean score {mean}/100" in out
    assert "Tip:" not in out  # the table, not full scorecards


# --- --min-score -----------------------------------------------------------------------------


def test_min_score_above_the_score_exits_1_and_at_or_below_exits_0(
        capsys: pytest.CaptureFixture[str]) -> None:
    weak = str(EXAMPLES / "weak-call.txt")
    score = graded([weak], capsys)[0]["score"]
    assert score < 100, "needs a transcript that does not score 100"
    code, out, _ = run(["grade", weak, "--min-score", str(score + 1)], capsys)
    assert code == 1
    assert f"score {score}/100" in out  # still graded and shown
    assert run(["grade", weak, "--min-score", str(score)], capsys)[0] == 0
    assert run(["grade", weak, "--min-score", "0"], capsys)[0] == 0


def test_min_score_fails_the_batch_when_any_file_is_below(
        capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(EXAMPLES / "strong-call.txt"), str(EXAMPLES / "weak-call.txt")]
    lowest = min(d["score"] for d in graded(files, capsys))
    code, out, _ = run(["grade", *files, "--min-score", str(lowest + 1)], capsys)
    assert code == 1
    assert out.rstrip().endswith(f"1 below --min-score {lowest + 1}: {files[1]}")
    code, out, _ = run(["grade", *files, "--min-score", str(lowest)], capsys)
    assert code == 0 and "below --min-score" not in out


@pytest.mark.parametrize("value", ["150", "101", "-1"])
def test_min_score_out_of_range_is_a_usage_error(value: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["grade", str(EXAMPLES / "strong-call.txt"), "--min-score", value],
                       capsys)
    assert code == 2
    assert "0 to 100" in err
    assert "Traceback" not in err


# --- bad input --------------------------------------------------------------------------------


def test_a_missing_file_exits_2_naming_it(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "no-such-call.txt")
    code, _, err = run(["grade", missing], capsys)
    assert code == 2
    assert missing in err
    assert "Traceback" not in err


def test_a_line_without_a_speaker_exits_2_naming_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, "bad.txt", "Rep: Where would you like to go from here?\n"
                                     "this line has no speaker\n")
    code, _, err = run(["grade", bad], capsys)
    assert code == 2
    assert f"{bad}:2" in err
    assert "Speaker: text" in err  # says what was expected
    assert "Traceback" not in err


def test_an_unknown_rep_exits_2_naming_the_file_and_the_speakers(
        capsys: pytest.CaptureFixture[str]) -> None:
    vtt = str(EXAMPLES / "zoom-export.vtt")
    code, _, err = run(["grade", vtt, "--rep", "Nobody"], capsys)
    assert code == 2
    assert vtt in err and "Nobody" in err
    assert "Dana Whitfield" in err  # the speakers it could have been
    assert "Traceback" not in err


def test_one_rep_name_for_a_mixed_batch_leaves_rep_and_prospect_files_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(EXAMPLES / "strong-call.txt"), str(EXAMPLES / "zoom-export.vtt"),
             str(EXAMPLES / "stall-handled.txt")]
    code, out, err = run(["grade", "--json", "--rep", "Dana", *files], capsys)
    assert code == 0, err
    assert [json.loads(line)["score"] > 0 for line in out.splitlines()] == [True] * 3
    alone = graded([files[0]], capsys)[0]
    assert json.loads(out.splitlines()[0])["score"] == alone["score"]


def test_a_rep_name_nobody_has_is_noted_when_role_names_decide(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["grade", str(EXAMPLES / "strong-call.txt"), "--rep", "Nobdoy"], capsys)
    assert code == 0
    assert '--rep "Nobdoy" names no speaker in the file' in err
    code, _, err = run(["grade", str(EXAMPLES / "strong-call.txt"),
                        str(EXAMPLES / "zoom-export.vtt"), "--rep", "Dana"], capsys)
    assert code == 0 and "names no speaker" not in err  # Dana speaks in one of them


def test_a_rep_name_given_as_a_start_of_a_name_says_whom_it_took(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "call.txt", "Dana: Where do we go from here?\nLee: Let me think.\n")
    code, _, err = run(["grade", path, "--rep", "D"], capsys)
    assert code == 0 and '--rep "D" was taken as "Dana"' in err
    code, _, err = run(["grade", path, "--rep", "dana"], capsys)
    assert code == 0 and "was taken as" not in err  # the name itself, in any case


def test_a_speaker_who_is_not_a_role_name_is_named_in_the_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "three.txt", "Rep: Hi\nDana: hello\nProspect: ok\n")
    code, _, err = run(["grade", path], capsys)
    assert code == 2
    assert '"Dana" is not a role name' in err and '--rep "Rep"' in err


def test_good_files_are_still_graded_when_one_is_bad(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, "bad.txt", "no speaker here\n")
    good = [str(EXAMPLES / "strong-call.txt"), str(EXAMPLES / "weak-call.txt")]
    code, out, err = run(["grade", bad, *good], capsys)
    assert code == 2
    assert f"{bad}:1" in err
    rows = out.splitlines()[1:4]  # in the order given; long names may be trimmed
    assert rows[0].split()[1] == "error"
    assert all(row.split()[1].isdigit() for row in rows[1:])
    assert "2 graded" in out and "1 unreadable" in out

    code, out, _ = run(["grade", "--json", bad, *good], capsys)
    docs = [json.loads(line) for line in out.splitlines()]
    assert code == 2
    assert [d["file"] for d in docs] == [bad, *good]
    assert "error" in docs[0] and "score" not in docs[0]
    assert all(isinstance(d["score"], int) for d in docs[1:])


# --- stdin ------------------------------------------------------------------------------------


def test_dash_reads_the_transcript_from_stdin(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "strong-call.txt"
    from_file = graded([str(path)], capsys)[0]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    from_stdin = graded(["-"], capsys)[0]
    assert from_stdin["file"] == "-"
    assert {k: v for k, v in from_stdin.items() if k != "file"} == \
        {k: v for k, v in from_file.items() if k != "file"}


def test_empty_stdin_is_bad_input(monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    code, _, err = run(["grade", "-"], capsys)
    assert code == 2
    assert "<stdin>" in err


# --- colour and progress ----------------------------------------------------------------------


STRONG = str(EXAMPLES / "strong-call.txt")


def test_a_terminal_gets_colour(monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    fake_tty(monkeypatch)
    assert ANSI.search(run(["grade", STRONG], capsys)[1])


def test_no_color_turns_colour_off_on_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    fake_tty(monkeypatch)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in run(["grade", STRONG], capsys)[1]


def test_color_never_and_term_dumb_turn_colour_off(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    fake_tty(monkeypatch)
    assert "\x1b" not in run(["grade", STRONG, "--color", "never"], capsys)[1]
    monkeypatch.setenv("TERM", "dumb")
    assert "\x1b" not in run(["grade", STRONG], capsys)[1]


def test_output_that_is_not_a_terminal_has_no_escapes(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    files = [STRONG, str(EXAMPLES / "weak-call.txt")]
    for argv in (["grade", STRONG], ["grade", *files], ["grade", "--json", *files]):
        _, out, err = run(argv, capsys)
        assert "\x1b" not in out + err


def test_color_always_colours_even_a_pipe(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = run(["grade", STRONG, "--color", "always"], capsys)[1]
    assert ANSI.search(out)
    # Colour changes nothing but the escapes.
    plain = run(["grade", STRONG, "--color", "never"], capsys)[1]
    assert ANSI.sub("", out) == plain


def test_progress_shows_on_a_terminal_stderr_and_is_wiped(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    files = [STRONG] * 20
    code, out, err = run(["grade", "--no-store", *files], capsys)
    assert code == 0 and err == ""  # not a terminal: no progress at all

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run(["grade", "--no-store", *files], capsys)
    assert code == 0
    assert "grading 1/20" in err
    assert err.endswith("\r") and err.rstrip("\r ").count("\r") >= 1
    assert "\r" not in out and "grading" not in out


# --- usage ------------------------------------------------------------------------------------


def test_a_mistyped_command_suggests_the_right_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["grdae", STRONG], capsys)
    assert code == 2
    assert "Did you mean 'grade'?" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [["grade", STRONG, "--bogus"], ["practice", "--bogus"]])
def test_an_unknown_option_shows_the_commands_own_usage(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert "unrecognized arguments: --bogus" in err
    assert f"usage: nextstep {argv[0]} [-h]" in err and f"nextstep {argv[0]} --help" in err


def test_an_unrelated_word_gets_no_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["xyzzy"], capsys)
    assert code == 2
    assert "not a nextstep command" in err and "Did you mean" not in err


def test_help_exits_0_and_explains_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    assert "grade" in out
    assert re.search(r"exit codes:.*\b0\b.*\b1\b.*\b2\b", out)


def test_grade_help_exits_0_and_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["grade", "--help"], capsys)
    assert code == 0
    for option in ("--json", "--rep", "--format", "--min-score", "--color"):
        assert option in out


def test_grade_help_explains_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(["grade", "--help"], capsys)[1]
    assert re.search(r"\b2\b[^\n]*(bad|unreadable|usage)", out)


def test_no_command_shows_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([], capsys)
    assert code == 2
    assert "grade" in out


@pytest.mark.parametrize("argv", [["grade"], ["grade", STRONG, "--format", "docx"],
                                  ["grade", STRONG, "--color", "maybe"],
                                  ["grade", STRONG, "--min-score", "high"]])
def test_bad_options_are_usage_errors(argv: list[str],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert "usage:" in err and "Traceback" not in err


# --- through a real process -------------------------------------------------------------------


def nextstep(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    """Run ``python -m trainer`` from a fresh interpreter, output not a terminal."""
    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(REPO), os.environ.get("PYTHONPATH")])), **(env or {})}
    full_env.pop("NO_COLOR", None)
    proc = subprocess.run([sys.executable, "-m", "trainer", *args], input=stdin,
                          check=False, capture_output=True, env=full_env, cwd=REPO, timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode,
                                       proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


def test_python_dash_m_trainer_grades_an_example() -> None:
    proc = nextstep("grade", "examples/strong-call.txt", "--name", "Ana", env={"PYTHONUTF8": "1"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "score " in proc.stdout and TITLES["secure_date"] in proc.stdout
    assert "\x1b" not in proc.stdout


def test_no_traceback_reaches_stderr_on_bad_input(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("Rep: hello\nno speaker on this line\n", "utf-8")
    cases = [
        (["grade", "missing.txt"], b""),
        (["grade", str(tmp_path / "bad.txt"), "examples/strong-call.txt"], b""),
        (["grade", "examples/zoom-export.vtt", "--rep", "Nobody"], b""),
        (["grade", "-"], bytes(range(256)) * 8),
        (["grade", "examples/strong-call.txt", "--min-score", "150"], b""),
        (["grdae", "examples/strong-call.txt"], b""),
    ]
    for argv, stdin in cases:
        proc = nextstep(*argv, stdin=stdin, env={"PYTHONUTF8": "1"})
        assert proc.returncode == 2, (argv, proc.stderr)
        assert proc.stderr.startswith("nextstep"), (argv, proc.stderr)
        assert "Traceback" not in proc.stderr, (argv, proc.stderr)


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUTF8": "1"}
    with subprocess.Popen([sys.executable, "-m", "trainer", "grade", "--json",
                           *["examples/strong-call.txt"] * 60],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                          env=env) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # like `| head -1`
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.wait(timeout=60)
    assert "Traceback" not in err and "Exception ignored" not in err


def test_an_output_encoding_without_the_quoted_characters_gets_no_traceback(
        tmp_path: Path) -> None:
    call = tmp_path / "accents.txt"
    call.write_text("Rep: What would you suggest as a next step, José?\n"
                    "Prospect: Let me think about it.\n", "utf-8")
    for extra in ([], ["--json"]):
        proc = nextstep("grade", str(call), *extra, env={"PYTHONIOENCODING": "ascii"})
        assert "Traceback" not in proc.stderr
        assert proc.returncode == 0


# --- batches on several cores -----------------------------------------------------------------


def _batch(tmp_path: Path, count: int) -> list[str]:
    """``count`` different transcripts: the examples' lines in a different order each time."""
    lines = (EXAMPLES / "strong-call.txt").read_text("utf-8").splitlines()
    lines += (EXAMPLES / "weak-call.txt").read_text("utf-8").splitlines()
    turns = [line for line in lines if re.match(r"^(?:Rep|Prospect|[A-Z]\w+):", line)]
    files = []
    for i in range(count):
        picked = turns[i % 7::2] + turns[: i % 5]
        files.append(write(tmp_path, f"call-{i:02d}.txt", "\n".join(picked) + "\n"))
    return files


def test_a_batch_in_two_processes_prints_exactly_what_one_process_prints(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = _batch(tmp_path, 24)
    files[5] = write(tmp_path, "bad.txt", "Rep: hello\nno speaker on this line\n")
    one = run(["grade", "--json", "--no-store", "--jobs", "1", *files], capsys)
    two = run(["grade", "--json", "--no-store", "--jobs", "2", *files], capsys)
    assert one == two
    code, out, err = two
    docs = [json.loads(line) for line in out.splitlines()]
    assert code == 2 and f"{files[5]}:2" in err
    assert [d["file"] for d in docs] == files  # the order given, not the order finished
    assert "error" in docs[5] and all("score" in d for i, d in enumerate(docs) if i != 5)
    assert len({d["score"] for d in docs if "score" in d}) > 1  # really different calls

    table_one = run(["grade", "--no-store", "--jobs", "1", *files], capsys)
    assert table_one == run(["grade", "--no-store", "--jobs", "2", *files], capsys)


def test_the_number_of_processes_follows_the_batch_and_the_option(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer import batch

    monkeypatch.setattr(batch, "usable_cores", lambda: 4)
    assert batch.workers_for(1, None) == 1  # one file: no workers to start
    assert batch.workers_for(15, None) == 1
    assert batch.workers_for(16, None) == 2  # at most one per 8 files
    assert batch.workers_for(500, None) == 4  # one per CPU
    assert batch.workers_for(500, 0) == 4
    assert batch.workers_for(500, 1) == 1
    assert batch.workers_for(500, 3) == 3
    assert batch.workers_for(5, 3) == 3  # asked for: only capped by the number of files
    assert batch.workers_for(2, 3) == 2
    assert batch.workers_for(1000, 1024) == 16  # never more than 4 per CPU (1000 forked)


def test_negative_jobs_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["grade", "--jobs", "-1", str(EXAMPLES / "strong-call.txt")], capsys)
    assert code == 2 and "--jobs" in err


def test_ctrl_c_during_a_parallel_batch_stops_cleanly_and_keeps_what_was_graded(
        tmp_path: Path) -> None:
    import signal
    import time

    files = _batch(tmp_path, 16) * 40  # long enough to still be running
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUTF8": "1", "NEXTSTEP_HOME":
           str(tmp_path / "home")}
    with subprocess.Popen([sys.executable, "-m", "trainer", "grade", "--json", "--name", "Ida",
                           "--jobs", "2", *files], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, cwd=REPO, env=env,
                          start_new_session=True) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert json.loads(proc.stdout.readline())["file"] == files[0]
        time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
        # read through the same buffered file as readline() (communicate() would skip what
        # it already buffered)
        out, err = proc.stdout.read(), proc.stderr.read()
        proc.wait(timeout=60)
    assert proc.returncode == 130, err
    assert err.decode().strip().endswith("nextstep: interrupted")
    assert b"Traceback" not in err
    lines = out.decode().split("\n")
    # Ctrl-C may cut the line being written (a full pipe blocks the write), never another
    printed = [files[0]] + [json.loads(line)["file"] for line in lines[:-1]]
    assert len(printed) < len(files)  # it stopped, rather than grading the rest
    history = subprocess.run([sys.executable, "-m", "trainer", "history", "--trainee", "Ida",
                              "--json"], capture_output=True, env=env, cwd=REPO, check=True)
    kept = {run["source"] for run in json.loads(history.stdout)["runs"]}
    assert set(printed) <= kept <= set(printed) | {files[len(printed)]}  # shown: kept, once


def test_a_big_batch_keeps_every_result(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    files = _batch(tmp_path, 60)
    code, out, _ = run(["grade", "--json", "--name", "Jo", *files], capsys)
    assert code == 0
    scores = [json.loads(line)["score"] for line in out.splitlines()]
    code, out, _ = run(["history", "--trainee", "Jo", "--json"], capsys)
    runs = json.loads(out)["runs"]
    assert [r["source"] for r in runs] == files
    assert [r["score"] for r in runs] == scores


def test_a_saved_practice_run_grades_as_the_practice_app_graded_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from trainer.harness import play
    from trainer.transcript import save

    lines = ["It sounds like this isn't a priority right now. Is it ever going to be?",
             "What would you suggest as a next step?",
             "Could we put it in the diary for Thursday at 2pm, the three of us?",
             "Friday 14 March at 8:30am works."]
    run_ = play("polite-staller", lines, seed=3)
    path = tmp_path / "run.json"
    save(run_.transcript, path)
    [doc] = graded([str(path)], capsys)
    assert doc["score"] == run_.scorecard.score
    assert [c["id"] for c in doc["criteria"]] == [c.id for c in run_.scorecard.criteria]
    assert len(doc["criteria"]) > len(CRITERIA)  # the scenario's own criteria came along
    # the same conversation as plain text gets the standard rubric
    text = tmp_path / "run.txt"
    text.write_text("".join(f"{'Rep' if t.role == 'rep' else 'Prospect'}: {t.text}\n"
                            for t in run_.transcript.turns), "utf-8")
    [plain] = graded([str(text)], capsys)
    assert [c["id"] for c in plain["criteria"]] == list(CRITERIA)
    # a run of a scenario this machine no longer has: the standard rubric, no error
    gone = json.loads(path.read_text("utf-8"))
    gone["meta"]["scenario"] = "no-such-prospect"
    path.write_text(json.dumps(gone), "utf-8")
    [doc] = graded([str(path)], capsys)
    assert [c["id"] for c in doc["criteria"]] == list(CRITERIA)


def test_every_option_and_argument_of_every_command_is_explained() -> None:
    import argparse

    from trainer.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    silent = [f"{name} {action.option_strings or action.dest}"
              for name, sub in commands.choices.items() for action in sub._actions
              if not action.help and not isinstance(action, argparse._HelpAction)]
    assert silent == []


def test_a_config_file_with_values_of_the_wrong_type_is_ignored_not_a_crash(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.json").write_text('{"scenarios": 7, "name": 5}', "utf-8")
    assert main(["list"]) == 0  # was: TypeError: 'int' object is not iterable
    assert "polite-staller" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["history", "--last", "0"], ["history", "--window", "-3"],
    ["override", "99999999999999999999999", "recap", "pass", "--reason", "x"],
    ["comment", "0", "hi"], ["report", "--session", "99999999999999999999"],
    ["grade", "--min-score", "101", "examples/strong-call.txt"],
    ["practice", "--seed", "-1", "polite-staller"],
])
def test_numbers_out_of_range_are_usage_errors(argv: list[str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(argv, capsys)  # ids beyond a database integer were tracebacks
    assert code == 2 and "is not a whole number from" in err and "Traceback" not in err


def test_a_store_that_refuses_every_batch_says_so_once_and_counts_the_loss(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from trainer.store import Store, StoreError

    def full(self: Store, *args: object, **kwargs: object) -> None:
        raise StoreError("database or disk is full")

    monkeypatch.setattr(Store, "record_graded_many", full)
    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path))
    text = (EXAMPLES / "strong-call.txt").read_text("utf-8")
    files = []
    for i in range(60):  # three batches of 25 and the rest
        (tmp_path / f"call{i:02}.txt").write_text(text, "utf-8")
        files.append(str(tmp_path / f"call{i:02}.txt"))
    code, out, err = run(["grade", "--jobs", "1", *files], capsys)
    assert code == 0 and out.count("call") >= 60  # every grade is shown
    assert err.count("results are not being kept") == 1  # was one warning per 25 files
    assert "60 of 60 results were not kept" in err


def test_piped_practice_says_on_stderr_when_its_transcript_goes_elsewhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path))
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO("What is holding you back?\n"))
    code, out, err = run(["practice", "polite-staller", "--name", "H", "--no-store",
                          "--out", str(blocker / "x" / "run.json")], capsys)
    assert code == 0  # the run went on, and said why it saved elsewhere (silent before)
    assert f"{blocker / 'x' / 'run.json'} cannot be written" in err
    assert "a file stands where a folder should be" in err
    saved = out.strip().splitlines()[-1].removeprefix("Transcript saved: ")
    assert Path(saved).parent == tmp_path / "data" / "transcripts" and Path(saved).is_file()


def test_a_folder_grades_the_transcripts_in_it(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    calls = tmp_path / "calls"
    (calls / "older").mkdir(parents=True)
    for name in ("b.txt", "a.txt"):
        (calls / name).write_text((EXAMPLES / "weak-call.txt").read_text("utf-8"), "utf-8")
    (calls / "notes.md").write_text("# not a transcript", "utf-8")
    (calls / "._a.txt").write_bytes(b"\x00\x05\x16\x07")  # a macOS resource fork
    code, out, _ = run(["grade", "--json", "--no-store", str(calls)], capsys)
    assert code == 0
    assert [json.loads(x)["file"] for x in out.splitlines()] == [
        str(calls / "a.txt"), str(calls / "b.txt")]  # sorted; not notes.md, not older/
    code, _, err = run(["grade", "--no-store", str(calls / "older")], capsys)
    assert code == 2 and "a folder with no transcripts in it" in err


def test_play_with_an_out_that_cannot_be_written_still_shows_the_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replies = write(tmp_path, "r.txt", "What would you suggest as a next step?\n")
    blocker = write(tmp_path, "a-file", "not a folder")
    target = str(Path(blocker) / "run.json")
    code, out, err = run(["play", "polite-staller", "--replies", replies, "--no-store",
                          "--out", target], capsys)
    assert code == 2 and "Asked for the next step" in out  # the run is shown all the same
    assert err.startswith(f"nextstep: {target}: cannot be written") and ".tmp" not in err


def test_a_gong_export_of_several_calls_grades_each_call(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    call = {"callId": "1", "transcript": [
        {"speakerId": "7", "sentences": [{"start": 0, "text": "What would you suggest as a next step?"}]},
        {"speakerId": "8", "sentences": [{"start": 900, "text": "A demo for the team."}]}]}
    export = write(tmp_path, "export.json", json.dumps({"callTranscripts": [call, call]}))
    code, out, _ = run(["grade", "--json", "--no-store", "--rep", "7", export], capsys)
    assert code == 0
    assert [json.loads(x)["file"] for x in out.splitlines()] == [f"{export}#1", f"{export}#2"]
