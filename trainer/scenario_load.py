"""Reading scenario files: YAML to :class:`~trainer.scenario.Scenario`, with located errors.

Scenario files are data written by other people, so they are read with care:

- YAML is only *composed* (``yaml.compose`` with the safe loader): no object is ever built
  from a tag, and tags other than YAML's plain ones are refused;
- every value keeps its line and column, so an error says ``file:line:col``, the path in the
  document (``states.stall.on[2].goto``), what was expected and, for a misspelt name,
  "did you mean";
- duplicate keys are errors (PyYAML keeps the last one silently);
- nesting depth and the number of values read are capped, so neither a deep document nor
  aliases expanding into a huge one can exhaust the reader;
- author-written regex patterns go through :mod:`trainer.regexguard`.

:func:`check_scenario` collects every error it can find; :func:`load_scenario` raises the
first. The walk itself, driven by the model's field table, is :mod:`trainer.scenario_build`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, Union

import yaml

from trainer import scenario_build
from trainer.errors import ScenarioError, UsageError
from trainer.scenario import Scenario
from trainer.scenario_build import BAD, Builder, Names, TooBig, did_you_mean
from trainer.yaml_errors import describe as describe_yaml_error

__all__ = [
    "check_scenario",
    "check_scenario_text",
    "did_you_mean",
    "find_scenario",
    "load_scenario",
    "load_scenario_text",
    "shipped_scenarios",
]

MAX_BYTES = 2_000_000
MAX_DEPTH = 50
# libyaml when available (about ten times faster); both only compose, never construct.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PathLike = Union[str, "os.PathLike[str]", Traversable]


# --- entry points --------------------------------------------------------------------------


def load_scenario(path: PathLike) -> Scenario:
    """Load a scenario file, raising the first :class:`ScenarioError` found."""
    scenario, errors = check_scenario(path)
    if errors:
        raise errors[0]
    assert scenario is not None
    return scenario


def load_scenario_text(text: str, *, file: str = "<string>") -> Scenario:
    """Load a scenario from YAML text; ``file`` names it in errors."""
    scenario, errors = check_scenario_text(text, file=file)
    if errors:
        raise errors[0]
    assert scenario is not None
    return scenario


def check_scenario(path: PathLike) -> tuple[Scenario | None, list[ScenarioError]]:
    """Every error in a scenario file; the scenario itself when there are none."""
    name = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)
    try:
        data = path.read_bytes() if isinstance(path, Traversable) else Path(path).read_bytes()
    except FileNotFoundError:
        return None, [ScenarioError("the file does not exist; check the path",
                                    file=name, code="NS100")]
    except OSError as err:
        return None, [ScenarioError(f"the file cannot be read ({err.strerror or err})",
                                    file=name, code="NS100")]
    if len(data) > MAX_BYTES:
        return None, [ScenarioError(
            f"the file is {len(data):,} bytes; scenario files are limited to {MAX_BYTES:,}",
            file=name, code="NS100")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, [ScenarioError(
            f"the file is not UTF-8 text (bad byte at offset {err.start}); save it as UTF-8",
            file=name, code="NS100")]
    return check_scenario_text(text, file=name)


def check_scenario_text(text: str, *, file: str = "<string>"
                        ) -> tuple[Scenario | None, list[ScenarioError]]:
    """As :func:`check_scenario`, for YAML text."""
    try:
        too_deep = _too_deep(text)
        if too_deep is not None:
            return None, [_nests_too_deep(file, too_deep)]
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as err:
        if isinstance(err, yaml.MarkedYAMLError) and "nesting depth" in (err.problem or ""):
            # recent PyYAML stops very deep documents itself
            return None, [_nests_too_deep(file, err.problem_mark or err.context_mark)]
        problem = describe_yaml_error(err, text)
        return None, [ScenarioError(problem.message, file=file, line=problem.line,
                                    column=problem.column, code="NS101")]
    except RecursionError:
        return None, [ScenarioError("the YAML is nested too deeply to read", file=file,
                                    code="NS112")]
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value == ""
                        and root.tag == "tag:yaml.org,2002:null"):
        # nothing at all, or a document with nothing in it: only `---` and comments
        return None, [ScenarioError("the file is empty; a scenario is a mapping of keys like "
                                    "`id:`, `title:` and `states:`", file=file, line=1,
                                    column=1, code="NS103")]
    builder = Builder(file, Names.scan(root))
    try:
        scenario = builder.build(Scenario, root, "", {}, {})
    except TooBig:
        builder.errors.append(ScenarioError(
            f"the document holds more than {scenario_build.MAX_VALUES:,} values once its "
            "aliases are expanded; write it out plainly", file=file, code="NS112"))
        scenario = BAD
    errors = sorted(builder.errors, key=lambda e: (e.line or 0, e.column or 0))
    if errors or scenario is BAD:
        return None, errors
    return dataclasses.replace(scenario, source=file), []


def _nests_too_deep(file: str, mark: yaml.Mark | None) -> ScenarioError:
    return ScenarioError(
        f"the YAML nests more than {MAX_DEPTH} levels deep here; scenarios need far fewer",
        file=file, line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None, code="NS112")


def _too_deep(text: str) -> yaml.Mark | None:
    """Where the YAML first nests deeper than MAX_DEPTH, from its parse events: the parser
    keeps no call stack, but composing a very deep document could exhaust it."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark: yaml.Mark = event.start_mark
                return mark
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


# --- shipped and user scenarios ------------------------------------------------------------


def shipped_folder() -> Traversable:
    """Where the shipped scenarios are: the ``trainer.scenarios`` package when installed."""
    try:
        return resources.files("trainer.scenarios")
    except ModuleNotFoundError:  # running from a source checkout
        return Path(__file__).resolve().parent.parent / "scenarios"


def _yaml_files(folder: Traversable) -> list[Traversable]:
    try:
        items = list(folder.iterdir())
    except OSError:
        return []
    return sorted((f for f in items if f.name.endswith((".yaml", ".yml")) and f.is_file()),
                  key=lambda f: f.name)


def shipped_files() -> list[Traversable]:
    """The shipped scenario files; each is named after its scenario's id."""
    return _yaml_files(shipped_folder())


def shipped_scenarios() -> tuple[Scenario, ...]:
    """The scenarios NextStep ships, easiest first."""
    found = [load_scenario(f) for f in shipped_files()]
    return tuple(sorted(found, key=lambda s: (s.difficulty, s.id)))


def find_scenario(name_or_path: str, *, folders: Iterable[PathLike] = ()) -> Scenario:
    """A scenario by id (shipped, or in ``folders``) or by file path.

    Raises :class:`~trainer.errors.UsageError` with "did you mean" for an unknown id, and
    :class:`~trainer.errors.ScenarioError` for a file that breaks the format.
    """
    looks_like_path = name_or_path.endswith((".yaml", ".yml")) or any(
        sep in name_or_path for sep in ("/", os.sep))
    if looks_like_path or Path(name_or_path).is_file():
        return load_scenario(name_or_path)
    # The shipped scenarios come first, as in `nextstep list`: a user's file that reuses a
    # shipped id is refused there (NS120), so it must not be played here by that id either.
    places: list[Traversable] = [shipped_folder()]
    places += [Path(os.fspath(f)) if isinstance(f, (str, os.PathLike)) else f for f in folders]
    ids: list[str] = []
    for folder in places:
        for file in _yaml_files(folder):
            if file.name.rsplit(".", 1)[0] == name_or_path:
                return load_scenario(file)
    for folder in places:
        for file in _yaml_files(folder):
            scenario, _ = check_scenario(file)
            if scenario is None:
                continue  # a broken file is reported when it is asked for by path
            if scenario.id == name_or_path:
                return scenario
            ids.append(scenario.id)
    listed = ", ".join(sorted(set(ids))) or "none"
    raise UsageError(
        f"No scenario called {name_or_path!r}.{did_you_mean(name_or_path, ids)} "
        f"Available: {listed}. Give a scenario id (see `nextstep list`) or the path of a "
        ".yaml file."
    )
