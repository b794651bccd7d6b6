"""`nextstep validate`: every problem at once, located, coded, with exit codes scripts rely on."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest

from tests.scenario_text import minimal
from trainer.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))

GOOD = minimal("good-one", "Good one")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, text: str, name: str = "good-one.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def place(text: str, needle: str) -> str:
    start = text.index(needle)
    line = text.count("\n", 0, start) + 1
    return f"{line}:{start - (text.rfind(chr(10), 0, start) + 1) + 1}"


def test_every_shipped_scenario_validates_without_errors_in_under_a_second(capsys):
    started = time.perf_counter()
    code, out, _ = run(["validate", str(ROOT / "scenarios")], capsys)
    elapsed = time.perf_counter() - started
    assert code == 0, out
    assert f"{len(SHIPPED)} files checked: 0 errors" in out
    assert elapsed < 1.0, f"validate took {elapsed:.2f}s"


def test_a_clean_file_is_ok(tmp_path, capsys):
    code, out, _ = run(["validate", str(write(tmp_path, GOOD))], capsys)
    assert code == 0
    assert out.splitlines()[0].endswith("good-one.yaml: ok")


BROKEN = GOOD.replace("goto: concern", "goto: concen").replace(
    "difficulty: 1", "difficulty: 9\ntitle: Again").replace(
    "    say: \"Honestly", "    sya: \"Honestly")


def test_every_error_at_once_with_place_code_path_and_did_you_mean(tmp_path, capsys):
    path = write(tmp_path, BROKEN)
    code, out, _ = run(["validate", str(path)], capsys)
    assert code == 2
    lines = [x for x in out.splitlines() if ": error NS" in x]
    assert len(lines) == 4, out  # "sya" is one error, at the typo, not also "say" missing
    expected = {
        "NS109": (place(BROKEN, "9\n"), "difficulty"),
        "NS102": (place(BROKEN, "title: Again"), "title"),
        "NS106": (place(BROKEN, "concen"), "states.thinking.on[0].goto"),
        "NS105": (place(BROKEN, "sya:"), "states.concern.sya"),
    }
    for code_, (where, doc_path) in expected.items():
        line = next(x for x in lines if f"error {code_}:" in x)
        assert line.startswith(f"{path}:{where}: error {code_}: "), line
        assert line.endswith(f"(at {doc_path})")
    assert "Did you mean `concern`?" in out
    assert "Did you mean `say`?" in out
    assert "1 file checked: 4 errors" in out


def test_the_source_line_is_shown_with_a_caret_under_the_column(tmp_path, capsys):
    path = write(tmp_path, BROKEN)
    _, out, _ = run(["validate", str(path)], capsys)
    lines = out.splitlines()
    i = next(k for k, x in enumerate(lines) if "NS106" in x)
    assert lines[i + 1].endswith("goto: concen")
    caret = lines[i + 2].index("^")
    assert lines[i + 1][caret:] == "concen"


def test_errors_in_the_tests_block_are_located_too(tmp_path, capsys):
    text = GOOD + textwrap.dedent("""\
        tests:
          - name: wins
            lines: [Is this a priority for you right now, or ever?]
            expect: {outcome: wonn, state: concen, criteria: {recapp: pass}}
        """)
    path = write(tmp_path, text)
    code, out, _ = run(["validate", str(path)], capsys)
    assert code == 2
    assert f"{path}:{place(text, 'wonn')}: error NS109" in out
    assert f"{path}:{place(text, 'concen')}: error NS106" in out
    assert f"{path}:{place(text, 'recapp')}: error NS105" in out
    assert "Did you mean `recap`?" in out


WARNED = GOOD.replace("fallback:", '  orphan:\n    say: "Nobody comes here."\nfallback:')


def test_warnings_alone_exit_0_and_fail_under_strict(tmp_path, capsys):
    path = write(tmp_path, WARNED)
    code, out, _ = run(["validate", str(path)], capsys)
    assert code == 0
    assert f"{path}:{place(WARNED, 'orphan:')}: warning NS201:" in out
    assert "0 errors, 1 warning" in out
    code, out, _ = run(["validate", "--strict", str(path)], capsys)
    assert code == 1
    assert ": error NS201:" in out and "1 error" in out


def test_json_lines_for_scripts(tmp_path, capsys):
    good = write(tmp_path, GOOD)
    bad = write(tmp_path, WARNED.replace("good-one", "bad-one"), "bad-one.yaml")
    code, out, _ = run(["validate", "--json", str(good), str(bad)], capsys)
    assert code == 0
    rows = [json.loads(x) for x in out.splitlines()]
    assert [r["file"] for r in rows] == [str(good), str(bad)]
    assert rows[0]["ok"] and rows[0]["diagnostics"] == []
    [d] = rows[1]["diagnostics"]
    assert d["code"] == "NS201" and d["severity"] == "warning" and d["path"] == "states.orphan"
    assert (d["line"], d["column"]) == tuple(map(int, place(WARNED, "orphan:").split(":")))


def test_the_summary_counts_ignored_warnings_beside_the_ones_shown(tmp_path, capsys):
    two = WARNED.replace('  orphan:\n', '  stray:\n    say: "Nor here."\n'
                         '  orphan:   # nextstep: ignore NS201\n')
    code, out, _ = run(["validate", str(write(tmp_path, two))], capsys)
    assert code == 0 and out.rstrip().endswith("1 file checked: 0 errors, 1 warning, "
                                                "1 warning ignored")


def test_a_warning_can_be_silenced_where_it_is_or_by_code(tmp_path, capsys):
    inline = WARNED.replace("  orphan:\n", "  orphan:   # nextstep: ignore NS201\n")
    code, out, _ = run(["validate", str(write(tmp_path, inline))], capsys)
    assert code == 0 and "ok (1 warning ignored)" in out
    above = WARNED.replace("  orphan:\n", "  # nextstep: ignore\n  orphan:\n")
    _, out, _ = run(["validate", "--strict", str(write(tmp_path, above))], capsys)
    assert "ok (1 warning ignored)" in out
    other = WARNED.replace("  orphan:\n", "  orphan:   # nextstep: ignore NS213\n")
    code, _, _ = run(["validate", "--strict", str(write(tmp_path, other))], capsys)
    assert code == 1
    whole = "# nextstep: ignore-file NS201\n" + WARNED
    code, _, _ = run(["validate", "--strict", str(write(tmp_path, whole))], capsys)
    assert code == 0
    code, _, _ = run(["validate", "--strict", "--ignore", "ns201",
                      str(write(tmp_path, WARNED))], capsys)
    assert code == 0


def test_errors_cannot_be_silenced(tmp_path, capsys):
    text = BROKEN.replace("goto: concen", "goto: concen   # nextstep: ignore")
    code, out, _ = run(["validate", str(write(tmp_path, text))], capsys)
    assert code == 2 and "NS106" in out
    code, _, err = run(["validate", "--ignore", "NS106,ns999", str(write(tmp_path, text))],
                       capsys)
    assert code == 2 and "NS106, NS999 are not one" in err and "NS213" in err


def test_no_lint_reports_only_the_loaders_errors(tmp_path, capsys):
    code, out, _ = run(["validate", "--no-lint", "--strict", str(write(tmp_path, WARNED))],
                       capsys)
    assert code == 0 and "ok" in out


def test_paths_may_be_folders_ids_or_missing_files(tmp_path, capsys):
    code, out, _ = run(["validate", "polite-staller"], capsys)
    assert code == 0 and "polite-staller.yaml: ok" in out
    write(tmp_path, GOOD)
    write(tmp_path, WARNED.replace("good-one", "two"), "two.yml")
    (tmp_path / "notes.txt").write_text("not a scenario")
    code, out, _ = run(["validate", str(tmp_path)], capsys)
    assert code == 0 and "2 files checked" in out
    missing = str(tmp_path / "nope.yaml")
    code, out, _ = run(["validate", missing, str(tmp_path / "good-one.yaml")], capsys)
    assert code == 2
    assert f"{missing}: error NS100: the file does not exist" in out
    assert "good-one.yaml: ok" in out  # the other file is still checked


def test_usage_errors_exit_2(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(["validate", str(empty)], capsys)
    assert code == 2 and "holds no .yaml files" in err
    code, _, err = run(["validate", "no-such-scenario-id"], capsys)
    assert code == 2 and "No scenario called" in err


def test_unreadable_yaml_is_one_located_error(tmp_path, capsys):
    text = GOOD.replace("title: Good one", "title: Good: one: two")
    code, out, _ = run(["validate", str(write(tmp_path, text))], capsys)
    assert code == 2
    assert ": error NS101: YAML syntax error" in out


def test_a_users_file_reusing_a_shipped_id_is_refused_everywhere_alike(
        tmp_path, monkeypatch, capsys):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    monkeypatch.setenv("NEXTSTEP_SCENARIOS", str(folder))
    shipped = (ROOT / "scenarios" / "polite-staller.yaml").read_text("utf-8")
    copy = folder / "mine.yaml"
    copy.write_text(shipped.replace("Morgan Ellis", "Mona Copy"), "utf-8")
    code, out, _ = run(["validate", str(copy)], capsys)
    line = next(i for i, text in enumerate(shipped.splitlines(), 1) if text.startswith("id:"))
    assert code == 2 and f"mine.yaml:{line}:1: error NS120" in out
    assert "already taken by a shipped scenario" in out
    second = folder / "mine-too.yaml"  # a user's clash names the file that came first
    second.write_text(shipped.replace("polite-staller", "my-copy"), "utf-8")
    (folder / "mine-again.yaml").write_text(shipped.replace("polite-staller", "my-copy"),
                                             "utf-8")
    code, out, _ = run(["validate", str(second)], capsys)
    assert f"already taken by {folder / 'mine-again.yaml'}" in out
    second.unlink()
    (folder / "mine-again.yaml").unlink()
    code, out, _ = run(["list", "--json"], capsys)
    mine = next(row for row in json.loads(out) if row.get("path") == str(copy))
    assert "NS120" in json.dumps(mine)
    # by id, the shipped scenario: the one `list` shows
    code, out, _ = run(["play", "polite-staller", "--no-store", "--json", "--replies",
                        str(write(tmp_path, "Where do we go from here?\n", "lines.txt"))], capsys)
    assert code in (0, 1) and "Morgan Ellis" in out and "Mona Copy" not in out
    # the same file kept elsewhere loads: it is only played by its path; warned of the id
    elsewhere = write(tmp_path, copy.read_text("utf-8"), "draft.yaml")
    code, out, _ = run(["validate", str(elsewhere)], capsys)
    assert code == 0 and f"draft.yaml:{line}:5: warning NS215" in out


def test_a_single_file_is_warned_of_an_id_a_shipped_scenario_has(tmp_path, capsys):
    # was "ok", while in the scenario folder `list` and validate refuse it (NS120)
    text = GOOD.replace("id: good-one", "id: polite-staller")
    path = write(tmp_path, text, "polite-staller.yaml")
    code, out, _ = run(["validate", str(path)], capsys)
    assert code == 0 and f"{path}:{place(text, 'polite-staller')}: warning NS215" in out
    assert "is a shipped scenario's" in out and "Give it its own id" in out
    assert "NS216" not in out and "0 errors, 1 warning" in out
    code, _, _ = run(["validate", "--strict", str(path)], capsys)
    assert code == 1
    # the shipped files themselves are not warned
    code, out, _ = run(["validate", str(ROOT / "scenarios" / "polite-staller.yaml")], capsys)
    assert code == 0 and "polite-staller.yaml: ok" in out


def test_a_file_not_named_after_its_id_is_warned(tmp_path, capsys):
    path = write(tmp_path, GOOD, "draft.yaml")
    code, out, _ = run(["validate", str(path)], capsys)
    assert code == 0 and f"{path}:{place(GOOD, 'good-one')}: warning NS216" in out
    assert "`draft.yaml`" in out and "rename it `good-one.yaml`" in out
    silenced = write(tmp_path, GOOD.replace("id: good-one", "id: good-one  "
                                            "# nextstep: ignore NS216"), "draft.yaml")
    assert "ok (1 warning ignored)" in run(["validate", str(silenced)], capsys)[1]


def test_a_tab_in_the_indentation_is_named_as_such(tmp_path, capsys):
    lines = GOOD.splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("  ") and ":" in line)
    lines[i] = "\t" + lines[i].lstrip()
    code, out, _ = run(["validate", str(write(tmp_path, "\n".join(lines) + "\n"))], capsys)
    assert code == 2 and f"good-one.yaml:{i + 1}:1: error NS101" in out
    assert "a tab character" in out and "spaces" in out and "may need quotes" not in out


def test_one_value_where_a_list_goes_says_so(tmp_path, capsys):
    text = GOOD.replace('fallback: ["Sorry?", "What do you mean?"]', "fallback: 42")
    code, out, _ = run(["validate", str(write(tmp_path, text))], capsys)
    assert code == 2 and "found one value, `42`; write a list" in out


def test_a_bad_verdict_does_not_hide_a_misspelt_criterion(tmp_path, capsys):
    text = GOOD + textwrap.dedent("""\
        tests:
          - name: both wrong
            lines: [Where do we go from here?]
            expect:
              criteria: {confront_stal: pass, secure_date: maybe}
        """)
    code, out, _ = run(["validate", str(write(tmp_path, text))], capsys)
    assert code == 2
    assert "no criterion `confront_stal`" in out and "'maybe' is not allowed here" in out


def test_a_folder_that_cannot_be_read_is_a_usage_error(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "locked"
    folder.mkdir()
    real_iterdir = Path.iterdir

    def iterdir(self):  # what chmod 000 does for anyone but root
        if self == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    for command in ("validate", "test"):
        assert main([command, str(folder)]) == 2
        err = capsys.readouterr().err
        assert "the folder cannot be read (Permission denied)" in err and "Traceback" not in err


def test_a_caret_far_along_a_long_line_still_shows_under_the_word():
    from trainer.authoring.diagnostics import snippet

    line = '    - {say: "' + "so " * 40 + '", expect: {state: raedy}}'
    column = line.index("raedy") + 1
    shown, caret = snippet("id: x\n" + line + "\n", 2, column)
    assert len(shown) <= len("   2 | ") + 100 and shown.startswith("   2 | ...")
    assert shown[caret.index("^"):].startswith("raedy")  # was cut off, with no caret at all
