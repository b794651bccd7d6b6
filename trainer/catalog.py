"""The scenarios a user can practise: the shipped ones and those in the user's folders.

A broken file in a user's folder never hides the others: it is listed with its errors, so
``nextstep list`` can say what is wrong and ``nextstep validate`` can say more.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.errors import ScenarioError

if TYPE_CHECKING:
    from trainer.scenario import Scenario


@dataclass(frozen=True)
class Entry:
    """One scenario file: loaded, or the errors that stopped it."""

    path: str
    origin: str  # "shipped" or "user"
    scenario: Scenario | None
    errors: tuple[ScenarioError, ...] = ()


def entries() -> list[Entry]:
    """Every scenario available, shipped first (easiest first), then the user's by file name."""
    from trainer.paths import user_scenario_dirs
    from trainer.scenario_load import check_scenario, shipped_scenarios

    out = [Entry(s.source, "shipped", s) for s in shipped_scenarios()]
    # whose each id is: "the shipped scenario", or the user's file that took it first
    seen = {e.scenario.id: "a shipped scenario" for e in out if e.scenario}
    for folder in user_scenario_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(Path(folder).glob("*.y*ml")):
            scenario, errors = check_scenario(path)
            if scenario is not None and scenario.id in seen:
                errors = [ScenarioError(
                    f"id {scenario.id!r} is already taken by {seen[scenario.id]}; give this "
                    "one its own id",
                    file=str(path), code="NS120", path="id")]
                scenario = None
            out.append(Entry(str(path), "user", scenario, tuple(errors)))
            if scenario is not None:
                seen[scenario.id] = str(path)
    return out


def default_scenario_id() -> str:
    """The scenario ``nextstep practice`` starts with when none is named."""
    return "polite-staller"
