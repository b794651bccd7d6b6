"""Results from the command line: grades are kept, history and reports read them back."""

from __future__ import annotations

import json
import re
from pathlib import Path

from trainer.cli import main

EXAMPLES = ["examples/strong-call.txt", "examples/weak-call.txt"]


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_grades_are_kept_and_history_shows_them(capsys):
    assert run(["grade", *EXAMPLES, "--name", "Ana"], capsys)[0] == 0
    code, out, _ = run(["history", "--trainee", "Ana", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["trainee"] == "Ana"
    assert len(data["runs"]) == 2
    code, out, _ = run(["history", "--trainee", "Ana"], capsys)
    assert "Ana: 2 runs" in out and "Trend" in out


def test_no_store_keeps_nothing(capsys):
    run(["grade", EXAMPLES[0], "--name", "Ben", "--no-store"], capsys)
    code, out, err = run(["history", "--trainee", "Ben", "--json"], capsys)
    assert code == 2 and out == "" and "no runs stored for Ben" in err


def test_history_finds_a_trainee_by_first_name_and_says_who_else_there_is(tmp_path, capsys):
    run(["grade", "examples/zoom-export.vtt", "--rep", "Dana"], capsys)  # Dana Whitfield
    run(["grade", EXAMPLES[0], "--name", "Danny Rose"], capsys)
    code, out, _ = run(["history", "--trainee", "dana w", "--json"], capsys)
    assert code == 0 and json.loads(out)["trainee"] == "Dana Whitfield"
    code, _, err = run(["history", "--trainee", "Dan"], capsys)
    assert code == 2 and "'Dana Whitfield', 'Danny Rose'" in err
    code, _, err = run(["history", "--trainee", "Dona Whitfield"], capsys)
    assert code == 2 and "Did you mean 'Dana Whitfield'?" in err
    code, out, _ = run(["history"], capsys)  # everyone's: each run says whose it is
    assert code == 0 and "trainee" in out.splitlines()[1]
    assert any("Danny Rose" in line for line in out.splitlines()[2:])
    assert run(["report", "--trainee", "danny", "--out", str(tmp_path)], capsys)[0] == 0
    assert (tmp_path / "nextstep-report-danny-rose.html").is_file()


def test_override_and_comment_then_report(tmp_path, capsys):
    run(["grade", EXAMPLES[1], "--name", "Cy"], capsys)
    [first] = json.loads(run(["history", "--trainee", "Cy", "--json"], capsys)[1])["runs"]
    rid = str(first["id"])
    code, out, _ = run(["override", rid, "recap", "pass", "--reason", "recapped by email"],
                       capsys)
    assert code == 0 and "kept beside it" in out
    code, out, _ = run(["override", rid, "Secure_Date", "N/A", "--reason", "no calendar"],
                       capsys)  # written as a trainer types them
    assert code == 0 and "secure_date is now n/a" in out
    code, out, _ = run(["override", rid, "prospect_task", "na", "--reason", "no task"], capsys)
    assert code == 0 and "prospect_task is now n/a" in out  # "na" was refused
    assert run(["comment", rid, "Ask before you offer."], capsys)[0] == 0
    [again] = json.loads(run(["history", "--trainee", "Cy", "--json"], capsys)[1])["runs"]
    assert [(c["text"], c["by"]) for c in again["comments"]] == [
        ("Ask before you offer.", "trainer")]  # as a session's reviews are signed
    recap = next(c for c in again["criteria"] if c["id"] == "recap")
    assert recap["override"]["by"] == "trainer"
    code, out, _ = run(["report", "--trainee", "Cy", "--out", str(tmp_path)], capsys)
    assert code == 0
    html = next(tmp_path.glob("*.html")).read_text("utf-8")
    assert "Ask before you offer." in html and "recapped by email" in html
    assert next(tmp_path.glob("*.csv")).read_text("utf-8").count("\n") >= 2


def test_an_override_of_an_unknown_run_is_a_clean_error(capsys):
    code, _, err = run(["override", "999", "recap", "pass", "--reason", "x"], capsys)
    assert code == 2 and "no run 999" in err and "Traceback" not in err


def test_a_database_that_cannot_be_opened_loses_no_grade(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    code, out, err = run(["grade", "--json", *EXAMPLES, "--db", str(blocker / "results.db")],
                         capsys)
    assert code == 0
    assert [json.loads(line)["file"] for line in out.splitlines()] == EXAMPLES
    assert err.startswith("nextstep: results are not being kept:") and "Traceback" not in err


def test_history_fits_80_columns_and_names_scenarios_own_criteria_in_the_trend(
        tmp_path, capsys):
    lines = tmp_path / "lines.txt"
    lines.write_text("What would you suggest as a next step?\n", "utf-8")
    for scenario in ("polite-staller", "committee", "complex-sale"):
        assert run(["play", scenario, "--name", "Eva", "--replies", str(lines)],
                   capsys)[0] == 0
    code, out, _ = run(["history", "--trainee", "Eva"], capsys)
    assert code == 0
    # a column each for six own criteria made rows of 130 columns, mostly blank
    assert max(len(line) for line in out.splitlines()) <= 80
    assert out.splitlines()[1].split()[-5:] == ["ask", "stall", "date", "task", "recap"]
    # each is named whole in the trend, which says what it compares
    assert "Found out why the finance director is wary" in out
    assert "Trend: the last 3 finished runs (none before them to compare)" in out
    # a scenario's own criterion is counted over that scenario's runs, and says so
    assert re.search(r"Found out who decides .*new  \(1 run\)$", out, re.M)


def test_grading_the_same_call_again_does_not_count_it_twice(tmp_path, capsys):
    assert run(["grade", EXAMPLES[0], "--name", "Gus"], capsys)[0] == 0
    assert run(["grade", EXAMPLES[0], EXAMPLES[0], "--name", "Gus"], capsys)[0] == 0
    code, out, _ = run(["history", "--trainee", "Gus", "--json"], capsys)
    assert [r["source"] for r in json.loads(out)["runs"]] == [EXAMPLES[0]]
    # the same words in another file, or graded for someone else, are other runs
    copy = tmp_path / "copy.txt"
    copy.write_text(Path(EXAMPLES[0]).read_text("utf-8"), "utf-8")
    run(["grade", str(copy), "--name", "Gus"], capsys)
    run(["grade", EXAMPLES[0], "--name", "Hal"], capsys)
    code, out, _ = run(["history", "--json"], capsys)
    assert code == 0 and len(json.loads(out)["runs"]) == 3


def test_reports_of_names_in_any_script_get_files_of_their_own(tmp_path, capsys):
    # "王伟" and "李娜" both became nextstep-report.html, the all-trainees report's name
    for name, example in (("王伟", EXAMPLES[0]), ("李娜", EXAMPLES[1])):
        run(["grade", example, "--name", name], capsys)
        assert run(["report", "--trainee", name, "--out", str(tmp_path)], capsys)[0] == 0
    assert {p.name for p in tmp_path.glob("*.html")} == {"nextstep-report-王伟.html",
                                                          "nextstep-report-李娜.html"}


def test_report_out_that_is_a_file_is_a_usage_error(tmp_path, capsys):
    run(["grade", EXAMPLES[0], "--name", "Ana"], capsys)
    taken = tmp_path / "notes.txt"
    taken.write_text("mine", "utf-8")
    code, _, err = run(["report", "--out", str(taken)], capsys)
    assert code == 2 and "is a file" in err and taken.read_text("utf-8") == "mine"


def test_an_output_path_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path, capsys):
    replies = tmp_path / "lines.txt"
    replies.write_text("What would you suggest as a next step?\n", "utf-8")
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    code, _, err = run(["play", "polite-staller", "--replies", str(replies), "--no-store",
                        "--out", str(blocker / "t.json")], capsys)
    assert code == 2 and err.startswith("nextstep: ") and str(blocker) in err


def test_history_counts_the_runs_it_leaves_out_and_names_each_source_by_its_file(capsys):
    for example in (*EXAMPLES, "examples/call.srt"):
        run(["grade", example, "--name", "Ana"], capsys)
    code, out, _ = run(["history", "--trainee", "Ana", "--last", "2"], capsys)
    assert code == 0 and "1 earlier run " in out
    assert "weak-call.txt" in out and "call.srt" in out and "examples/" not in out
    code, _, err = run(["history", "--trainee", "Ana", "--last", "0"], capsys)
    assert code == 2 and "0 is not a whole number from 1" in err  # listed every run before


def test_a_mistyped_db_for_reading_is_an_error_not_a_new_empty_database(tmp_path, capsys):
    missing = tmp_path / "no" / "such.db"
    for argv in (["history"], ["leaderboard", "--list"], ["report", "--out", str(tmp_path)],
                 ["comment", "1", "x"]):
        code, _, err = run([*argv, "--db", str(missing)], capsys)
        assert code == 2 and "there is no results database at" in err, argv
    assert not missing.parent.exists()  # nothing created on the way
    code, _, err = run(["history", "--db", f"sqlite+pysqlite:///{missing}"], capsys)
    assert code == 2 and "there is no results database at" in err


def test_a_mistyped_nextstep_db_for_reading_is_an_error_too(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NEXTSTEP_DB", str(tmp_path / "typo" / "x.db"))
    code, _, err = run(["history"], capsys)
    assert code == 2 and "there is no results database at" in err
    assert not (tmp_path / "typo").exists()


def test_grading_a_saved_practice_transcript_does_not_keep_its_run_twice(tmp_path, capsys,
                                                                         monkeypatch):
    import io

    db = str(tmp_path / "r.db")
    replies = tmp_path / "r.txt"
    replies.write_text("What would you suggest as a next step?\n", "utf-8")
    played = tmp_path / "played.json"
    assert run(["play", "polite-staller", "--replies", str(replies), "--name", "Ana",
                "--db", db, "--out", str(played)], capsys)[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("What would you suggest as a next step?\n"))
    practised = tmp_path / "practised.json"
    assert run(["practice", "polite-staller", "--name", "Ana", "--db", db,
                "--out", str(practised)], capsys)[0] == 0
    assert run(["grade", str(played), str(practised), "--db", db], capsys)[0] == 0
    runs = json.loads(run(["history", "--json", "--db", db], capsys)[1])["runs"]
    assert [r["kind"] for r in runs] == ["play", "practice"]  # no "grade" copies
    # a copy edited since is a conversation of its own, and is kept as one
    doc = json.loads(played.read_text("utf-8"))
    doc["turns"][1]["text"] = "Let me send you a proposal."
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc), "utf-8")
    assert run(["grade", str(edited), "--db", db], capsys)[0] == 0
    runs = json.loads(run(["history", "--json", "--db", db], capsys)[1])["runs"]
    assert [r["kind"] for r in runs] == ["play", "practice", "grade"]


def test_a_call_whose_rep_is_only_rep_says_where_it_was_kept(capsys):
    code, _, err = run(["grade", EXAMPLES[1]], capsys)  # the speakers are Rep and Prospect
    assert code == 0 and "kept under the trainee 'unknown'; give --name" in err
    assert run(["grade", EXAMPLES[0]], capsys)[2] == ""  # said once per database
    code, _, err = run(["grade", EXAMPLES[1], "--name", "Sam"], capsys)
    assert code == 0 and "unknown" not in err
    assert "unknown" not in run(["grade", EXAMPLES[1], "--no-store"], capsys)[2]


def test_history_cuts_a_long_scenario_id_at_its_end_and_a_file_name_at_its_start(
        tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")  # the scenario column at its narrowest
    replies = tmp_path / "r.txt"
    replies.write_text("What would you suggest as a next step?\n", "utf-8")
    run(["play", "happy-with-supplier", "--replies", str(replies), "--name", "Ana"], capsys)
    long_file = tmp_path / "2026-12-05-discovery-call-with-acme.txt"
    long_file.write_text(Path(EXAMPLES[1]).read_text("utf-8"), "utf-8")
    run(["grade", str(long_file), "--name", "Ana"], capsys)
    out = run(["history", "--trainee", "Ana"], capsys)[1]
    assert "happy-with-" in out  # the id's start: "…ith-supplier" read as nothing
    assert "acme.txt" in out
