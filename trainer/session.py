"""A trainer-led session without the UI: who plays which scenario, in what order.

A session plan comes from a roster file (one name per line, ``#`` comments) and scenario ids,
or from a plan file in YAML::

    name: New hires, week 1
    roster: [Ana, Ben, Chloe]
    scenarios: [polite-staller, info-deflector]
    rounds: 1        # how many times each trainee takes the hot seat

Trainees take turns at the keyboard in roster order; the scenarios rotate along the roster,
and each round moves everyone on one, so a class sees different prospects.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from trainer.errors import InputError, UsageError


@dataclass(frozen=True)
class Plan:
    """Who is in the session, which scenarios they play, and how many rounds."""

    name: str
    roster: tuple[str, ...]
    scenarios: tuple[str, ...]
    rounds: int = 1

    def queue(self) -> Iterator[tuple[str, str]]:
        """(trainee, scenario id) in the order they take the hot seat."""
        # Each round moves everyone on one scenario, so nobody plays the same one twice in a
        # row (with two trainees and two scenarios, counting turns would repeat them).
        for round_ in range(self.rounds):
            for i, trainee in enumerate(self.roster):
                yield trainee, self.scenarios[(i + round_) % len(self.scenarios)]


def _read_text(path: str | Path, what: str) -> str:
    """A plan's or roster's text, or an error that says why it cannot be had."""
    try:
        return Path(path).read_text("utf-8-sig")
    except OSError as error:
        raise UsageError(f"{path}: the {what} cannot be read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise InputError(f"the {what} is not UTF-8 text (bad byte at offset {error.start}); "
                         "save it as UTF-8", file=str(path)) from None


def read_roster(path: str | Path) -> tuple[str, ...]:
    """Names from a roster file: one per line; blank lines and ``#`` comments skipped."""
    text = _read_text(path, "roster")
    names = [" ".join(line.split("#", 1)[0].split()) for line in text.splitlines()]
    names = [n for n in names if n]
    if not names:
        raise InputError("the roster has no names: write one trainee per line", file=str(path))
    seen: set[str] = set()
    for n in names:
        if n.casefold() in seen:
            raise InputError(f"{n!r} is on the roster twice", file=str(path))
        seen.add(n.casefold())
    return tuple(names)


def read_plan(path: str | Path) -> Plan:
    """A session plan from YAML (see the module docstring), with errors that say where."""
    import yaml

    from trainer.yaml_errors import describe

    text = _read_text(path, "plan")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        problem = describe(error, text)
        raise InputError(problem.message, file=str(path), line=problem.line,
                         column=problem.column) from None
    if not isinstance(data, dict):
        raise InputError("a plan is a mapping with name, roster and scenarios", file=str(path))
    unknown = set(data) - {"name", "roster", "scenarios", "rounds"}
    if unknown:
        raise InputError(f"unknown key(s) {', '.join(sorted(unknown))}; a plan has name, "
                         "roster, scenarios and rounds", file=str(path))
    roster = data.get("roster")
    if isinstance(roster, str):  # a roster file next to the plan
        roster = read_roster(Path(path).parent / roster)
    return make_plan(str(data.get("name") or Path(path).stem), _strings(roster, "roster", path),
                     _strings(data.get("scenarios"), "scenarios", path),
                     data.get("rounds", 1), source=str(path))


def make_plan(name: str, roster: Sequence[str], scenarios: Sequence[str], rounds: object = 1,
              *, source: str | None = None) -> Plan:
    """A checked plan: everyone named, at least one scenario, every scenario found."""
    from trainer.harness import load

    if not roster:
        raise UsageError("a session needs trainees: --roster FILE or a plan with a roster")
    if not scenarios:
        raise UsageError("a session needs at least one scenario: --scenario ID")
    if not isinstance(rounds, int) or isinstance(rounds, bool) or not 1 <= rounds <= 20:
        if source is None:
            raise UsageError(f"--rounds is a whole number from 1 to 20, not {rounds!r}")
        raise InputError("rounds is a whole number from 1 to 20", file=source)
    ids = tuple(load(s).id for s in scenarios)  # unknown ids fail here, with "did you mean"
    return Plan(name, tuple(roster), ids, rounds)


def _strings(value: object, key: str, path: str | Path) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str | int) for v in value):
        raise InputError(f"{key} is a list of names", file=str(path))
    return [str(v).strip() for v in value if str(v).strip()]
