"""The authoring guide is true: its finished scenario works, its reference and codes are current."""

from __future__ import annotations

import re
from pathlib import Path

from trainer.authoring.diagnostics import LINT_CODES
from trainer.authoring.reference import END, START, reference
from trainer.authoring.scenario_tests import run_file
from trainer.authoring.validate import check_file

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "authoring.md").read_text("utf-8")
FORMAT = (ROOT / "docs" / "scenario-format.md").read_text("utf-8")


def test_the_tutorials_finished_scenario_is_clean_and_passes_its_tests(tmp_path):
    block = GUIDE.split("<!-- tutorial: the finished scenario", 1)[1]
    text = block.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "month-end.yaml"
    path.write_text(text, encoding="utf-8")
    report = check_file(path)
    assert report.diagnostics == (), [str(d) for d in report.diagnostics]
    result = run_file(str(path))
    assert result.errors == () and result.failed == 0 and result.passed == 2


def test_the_key_reference_is_current():
    written = GUIDE.split(START, 1)[1].split(END, 1)[0].strip()
    assert written == reference().strip(), \
        "run: python -m trainer.authoring.reference docs/authoring.md"


def test_every_warning_code_is_explained_in_both_guides():
    for code in LINT_CODES:
        assert re.search(rf"^\| `{code}` \|", GUIDE, re.MULTILINE), code
        assert re.search(rf"^\| `{code}` \| \(warning\)", FORMAT, re.MULTILINE), code
    assert "| `NS121` |" in FORMAT


def test_the_tutorials_two_findings_still_happen(tmp_path, capsys):
    """Step 6 shows what `nextstep test` says of a first draft; the draft is the finished file
    with step 6's tests and the first pattern. Both findings must still be what happens."""
    from trainer.cli import main

    block = GUIDE.split("<!-- tutorial: the finished scenario", 1)[1]
    finished = block.split("```yaml\n", 1)[1].split("```", 1)[0]
    step6 = GUIDE.split("### 6. Tests", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    first = r"'\baudit(or)?s?\b'"
    assert first in GUIDE
    draft = finished.split("tests:", 1)[0].replace(
        r"'\bauditors?\b.{0,30}\b(find|found|flag|flagged)\b'", first) + step6
    path = tmp_path / "month-end.yaml"
    path.write_text(draft, encoding="utf-8")
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Is month end the real reason?\n           (heard: no move)" in out
    path.write_text(draft.replace("Is month end the real reason?",
                                  "I get the feeling month end isn't the real issue. What's "
                                  "really holding you back?"), encoding="utf-8")
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out
    assert "+ unfinished" in out
    # the recap of line 5 is answered by the auditors transition (the pattern is too broad)
    assert ("(heard: propose_time, recap)\n      Jordan Price: They found it couldn't export"
            in out)
