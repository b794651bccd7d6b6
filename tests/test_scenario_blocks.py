"""Every shipped scenario's own ``tests:`` block passes, through the helper authors use."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.testing import scenario_cases

SHIPPED = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("case", scenario_cases(*SHIPPED))
def test_shipped_scenario_cases(case):
    case.check()
