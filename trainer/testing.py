"""Run a scenario's ``tests:`` from your own pytest suite.

One line per scenario file, each case its own test::

    import pytest
    from trainer.testing import scenario_cases

    @pytest.mark.parametrize("case", scenario_cases("scenarios/my-prospect.yaml"))
    def test_my_prospect(case):
        case.check()

A failing case fails with the same report as ``nextstep test``: each expectation that did not
hold, expected and actual, and the conversation as it went.

Or let pytest find them: ``pytest -p trainer.testing scenarios/`` collects every ``.yaml``
file with a ``tests:`` block given on the command line or found under it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer.errors import ScenarioError

if TYPE_CHECKING:
    from trainer.authoring.scenario_tests import CaseResult, LocatedCase
    from trainer.scenario import Scenario

__all__ = ["ScenarioCase", "ScenarioTestFailure", "check_scenario_tests", "scenario_cases"]


class ScenarioTestFailure(AssertionError):
    """A scenario test case whose expectations did not hold; the message shows why."""


@dataclass(frozen=True)
class ScenarioCase:
    """One case of a scenario's ``tests:`` block, ready to run."""

    file: str
    scenario: Scenario
    located: LocatedCase

    @property
    def name(self) -> str:
        return self.located.case.name

    @property
    def id(self) -> str:
        """``scenario-id: case name``, as pytest shows it."""
        return f"{self.scenario.id}: {self.name}"

    def run(self) -> CaseResult:
        from trainer.authoring.scenario_tests import run_case

        return run_case(self.scenario, self.located)

    def check(self) -> CaseResult:
        """Run the case; raise :class:`ScenarioTestFailure` with the report if it fails."""
        result = self.run()
        if not result.passed:
            from trainer.authoring.report import failure_lines
            from trainer.render import Style

            text = "\n".join(failure_lines(self.file, result, Style(False, True, 100)))
            raise ScenarioTestFailure(text)
        return result

    def __repr__(self) -> str:
        return f"ScenarioCase({self.id!r})"


def load_cases(path: str | os.PathLike[str]) -> list[ScenarioCase]:
    """Every case in one scenario file. Raises :class:`~trainer.errors.ScenarioError` (the
    first error) when the file or its ``tests:`` block is broken."""
    from trainer.authoring.scenario_tests import read_cases
    from trainer.scenario_load import load_scenario

    name = os.fspath(path)
    scenario = load_scenario(name)
    cases, errors = read_cases(Path(name).read_text("utf-8-sig"), file=name, scenario=scenario)
    if errors:
        raise errors[0]
    return [ScenarioCase(name, scenario, c) for c in cases]


def scenario_cases(*paths: str | os.PathLike[str]) -> list[Any]:
    """The cases of scenario files, for ``pytest.mark.parametrize`` (each with its name as
    the test id). Without pytest installed, the :class:`ScenarioCase` objects themselves."""
    cases = [c for p in paths for c in load_cases(p)]
    try:
        import pytest
    except ImportError:
        return cases
    return [pytest.param(c, id=c.id) for c in cases]


def check_scenario_tests(path: str | os.PathLike[str]) -> None:
    """Run every case of a scenario file; raise one failure naming every case that failed."""
    reports = []
    for case in load_cases(path):
        try:
            case.check()
        except ScenarioTestFailure as failure:
            reports.append(str(failure))
    if reports:
        raise ScenarioTestFailure("\n\n".join(reports))


# --- the pytest plugin (`pytest -p trainer.testing`) ----------------------------------------

_HAS_TESTS = re.compile(r"^tests\s*:", re.MULTILINE)


def pytest_collect_file(file_path: Path, parent: Any) -> Any:
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    try:
        text = file_path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if not _HAS_TESTS.search(text) or not re.search(r"^states\s*:", text, re.MULTILINE):
        return None  # not a scenario with tests
    file_cls = _plugin_classes()[0]
    return file_cls.from_parent(parent, path=file_path)  # type: ignore[attr-defined]


@cache
def _plugin_classes() -> tuple[type, type]:
    """The pytest node classes, made on first use so that importing this module for
    :func:`scenario_cases` never needs pytest's collection machinery."""
    import pytest

    class ScenarioFile(pytest.File):
        def collect(self) -> Iterator[pytest.Item]:
            for case in load_cases(self.path):
                yield ScenarioItem.from_parent(self, name=case.name, case=case)

    class ScenarioItem(pytest.Item):
        def __init__(self, *, case: ScenarioCase, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.case = case

        def runtest(self) -> None:
            self.case.check()

        def repr_failure(self, excinfo: Any, style: Any = None) -> str:
            if isinstance(excinfo.value, (ScenarioTestFailure, ScenarioError)):
                return str(excinfo.value)
            return str(super().repr_failure(excinfo))

        def reportinfo(self) -> tuple[Path, int | None, str]:
            line = self.case.located.line
            return self.path, (line - 1) if line else None, f"{self.case.id}"

    return ScenarioFile, ScenarioItem
