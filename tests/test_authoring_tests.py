"""`nextstep test` and the pytest helper: cases pass, fail with a diff, and errors are located."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from trainer.authoring.scenario_tests import read_cases, run_case
from trainer.cli import main
from trainer.scenario_load import load_scenario_text
from trainer.testing import ScenarioTestFailure, check_scenario_tests, scenario_cases

ROOT = Path(__file__).resolve().parent.parent

SCENARIO = """\
version: 1
id: tested
title: Tested
difficulty: 1
persona: {name: Sam Reed, role: CFO, company: Acme}
brief: You have just shown Sam the product.
goal: Confront the stall and book the next meeting.
calendar:
  now: {date: 2025-03-11, time: "10:00", timezone: Europe/London}
clock: 10
flags: {heard: false}
states:
  thinking:
    stall: true
    say: "Interesting. Let me think about it."
    on:
      - move: confront_stall
        set: {heard: true}
        goto: concern
  concern:
    say: "Honestly, the budget is frozen until July."
fallback: ["Sorry?", "What do you mean?"]
endings:
  won: "See you then."
  lost: "I have to go."
  no_decision: "Let's stay in touch."
rubric:
  criteria:
    - {id: heard, title: Heard the concern, passes_if: [heard]}
"""

CONFRONT = "Is this a priority for you right now, or is it never going to be?"
BOOK = "Are you free Thursday 13 March at 10am?"
RECAP = "So to confirm, Thursday 13 March at 10am. Does that sound right?"

PASSING = f"""\
tests:
  - name: confronting then booking wins
    lines:
      - {{say: "{CONFRONT}", expect: {{state: concern, moves: [confront_stall],
                                      flags: {{heard: true}}, says: [budget, july],
                                      outcome: unfinished}}}}
      - {BOOK}
      - {{say: "{RECAP}", expect: {{outcome: won}}}}
    expect:
      outcome: won
      state: concern
      says: see you then
      moves: {{1: confront_stall, last: recap, all: [not tell_next_step, propose_time]}}
      flags: {{slot_agreed: true, heard: true}}
      criteria: {{confront_stall: pass, secure_date: pass, heard: pass, prospect_task: fail}}
      min_score: 50
  - name: letting the stall pass ends it
    seed: 3
    lines: ["Sure, take your time and get back to me whenever suits you."]
    expect: {{outcome: no_decision, criteria: {{confront_stall: fail}}}}
"""

FAILING = f"""\
tests:
  - name: expects the wrong things
    lines:
      - {{say: "{CONFRONT}", expect: {{state: thinking}}}}
      - {BOOK}
    expect:
      outcome: won
      moves: {{2: recap}}
      criteria: {{secure_date: fail}}
  - name: talks past the end
    lines:
      - "Sure, take your time and get back to me whenever suits you."
      - {BOOK}
    expect: {{outcome: no_decision}}
"""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def scenario_file(tmp_path: Path, tests: str, name: str = "tested.yaml") -> Path:
    path = tmp_path / name
    path.write_text(SCENARIO + textwrap.dedent(tests), encoding="utf-8")
    return path


def test_passing_cases_print_like_a_test_runner(tmp_path, capsys):
    path = scenario_file(tmp_path, PASSING)
    code, out, _ = run(["test", str(path)], capsys)
    assert code == 0, out
    assert "✓ confronting then booking wins" in out
    assert "✓ letting the stall pass ends it" in out
    assert out.rstrip().splitlines()[-1].startswith("2 passed in ")


def test_a_failure_shows_expected_against_actual_and_the_conversation(tmp_path, capsys):
    path = scenario_file(tmp_path, FAILING)
    code, out, _ = run(["test", str(path)], capsys)
    assert code == 1
    text = SCENARIO + FAILING
    line = text[: text.index("- name: expects")].count("\n") + 1
    assert f"FAILED {path}:{line}:5: expects the wrong things" in out
    block = out[out.index("FAILED"):]
    assert "after line 1, state:\n    - thinking\n    + concern" in block
    assert "at the end, outcome:\n    - won\n    + unfinished" in block
    assert "at the end, moves of line 2:\n    - recap\n    + propose_time" in block
    assert "at the end, criterion secure_date:\n    - fail\n    + pass" in block
    assert f"1 Rep: {CONFRONT}" in block and "(heard: confront_stall)" in block
    assert "(state: concern)" in block
    assert "after line 2, the meeting:" in out and "had ended after line 1 (no decision)" in out
    assert out.rstrip().splitlines()[-1].startswith("2 failed, 0 passed")


def test_json_lines_carry_every_failure(tmp_path, capsys):
    path = scenario_file(tmp_path, FAILING)
    code, out, _ = run(["test", "--json", str(path)], capsys)
    assert code == 1
    [row] = [json.loads(x) for x in out.splitlines()]
    assert (row["scenario"], row["passed"], row["failed"]) == ("tested", 0, 2)
    first = row["cases"][0]
    assert {"where": "line 1", "what": "state", "expected": "thinking", "actual": "concern"} \
        in first["failures"]
    assert first["conversation"][1] == {"speaker": "Rep", "role": "rep", "text": CONFRONT,
                                        "moves": ["confront_stall"], "state": None}


def test_k_selects_cases_by_name(tmp_path, capsys):
    path = scenario_file(tmp_path, FAILING)
    code, out, _ = run(["test", str(path), "-k", "PAST THE"], capsys)
    assert code == 1 and "talks past the end" in out and "expects the wrong" not in out
    code, out, err = run(["test", str(path), "-k", "nothing like this"], capsys)
    assert code == 2 and "no case name contains" in err
    assert "2 tests here, none with that name" in out and "add a `tests:` block" not in out


def test_a_broken_tests_block_exits_2_with_located_errors(tmp_path, capsys):
    path = scenario_file(tmp_path, """\
        tests:
          - name: typo
            lines: [hello there, how are you doing]
            expect: {outcome: won, moves: {1: confront_stal}}
        """)
    code, out, _ = run(["test", str(path)], capsys)
    assert code == 2
    assert "cannot run: 1 error" in out
    assert f"{path}:" in out and "NS107" in out and "Did you mean `confront_stall`?" in out


def test_a_file_without_tests_says_so(tmp_path, capsys):
    path = scenario_file(tmp_path, "")
    code, out, _ = run(["test", str(path)], capsys)
    assert code == 0 and "no tests: add a `tests:` block" in out


def test_cases_named_twice_are_an_error(tmp_path):
    text = SCENARIO + textwrap.dedent("""\
        tests:
          - {name: same, lines: [hello there friend], expect: {outcome: unfinished}}
          - {name: same, lines: [hello there friend], expect: {outcome: unfinished}}
        """)
    _, errors = read_cases(text, scenario=load_scenario_text(text))
    assert [e.code for e in errors] == ["NS121"]
    assert errors[0].path == "tests[1].name"


def test_a_line_with_an_unquoted_colon_says_to_quote_it(tmp_path):
    # was "the key `say` is missing" and "unknown key `Next step`. Keys allowed here: ..."
    text = SCENARIO + textwrap.dedent("""\
        tests:
          - name: asks
            lines:
              - Next step: what would you suggest?
            expect: {outcome: unfinished}
        """)
    _, errors = read_cases(text, scenario=load_scenario_text(text))
    assert [e.code for e in errors] == ["NS104"], [str(e) for e in errors]
    assert errors[0].path == "tests[0].lines[0]"
    assert "Text with ': ' in it must be quoted" in errors[0].message
    assert "`Next step: what would you suggest?`" in errors[0].message


def test_run_case_reports_missing_lines_for_moves():
    text = SCENARIO + "tests:\n  - {name: x, lines: [hello there friend], " \
                      "expect: {moves: {3: recap}}}\n"
    sc = load_scenario_text(text)
    [case], _ = read_cases(text, scenario=sc)
    result = run_case(sc, case)
    assert not result.passed
    assert result.failures[0].actual == "there is no line 3: 1 were said"


# --- from pytest ---------------------------------------------------------------------------


def test_scenario_cases_parametrize_with_readable_ids(tmp_path):
    path = scenario_file(tmp_path, PASSING)
    params = scenario_cases(path)
    assert [p.id for p in params] == ["tested: confronting then booking wins",
                                      "tested: letting the stall pass ends it"]
    for p in params:
        [case] = p.values
        assert case.check().passed


def test_a_failing_case_raises_with_the_report(tmp_path):
    path = scenario_file(tmp_path, FAILING)
    [wrong, _] = [p.values[0] for p in scenario_cases(path)]
    with pytest.raises(ScenarioTestFailure) as failure:
        wrong.check()
    assert "after line 1, state:\n    - thinking\n    + concern" in str(failure.value)
    with pytest.raises(ScenarioTestFailure, match="talks past the end"):
        check_scenario_tests(path)


def test_the_pytest_plugin_collects_scenario_files(tmp_path):
    scenario_file(tmp_path, PASSING, "good.yaml")
    scenario_file(tmp_path, FAILING.replace("tested", "other"), "bad.yaml")
    (tmp_path / "other.yaml").write_text("just: data\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "trainer.testing", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert "2 failed, 2 passed" in proc.stdout, proc.stdout + proc.stderr
    assert "after line 1, state:" in proc.stdout
