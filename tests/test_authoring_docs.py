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
