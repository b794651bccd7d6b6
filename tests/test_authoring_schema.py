"""The JSON Schema: generated from the model, committed as is, true to what the loader takes."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import yaml

from trainer.authoring.scaffold import render as scaffold
from trainer.authoring.schema import node_value, scalar_schema, scenario_schema, validate_value
from trainer.cli import main
from trainer.scenario import Scenario
from trainer.scenario_build import field_types
from trainer.scenario_fields import Scalar, is_model, model_fields
from trainer.scenario_load import check_scenario_text

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "scenarios" / "scenario.schema.json"
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
SCHEMA = scenario_schema()


def data(text: str) -> Any:
    return node_value(yaml.compose(text, Loader=yaml.SafeLoader))


def problems(text: str) -> list[str]:
    return validate_value(data(text), SCHEMA)


def test_the_committed_schema_is_the_generated_one():
    assert COMMITTED.read_text("utf-8") == json.dumps(SCHEMA, indent=2, ensure_ascii=False) \
        + "\n", "run: nextstep schema > scenarios/scenario.schema.json"


def test_the_schema_command_prints_it_and_writes_it(tmp_path, capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == SCHEMA
    out = tmp_path / "s.json"
    assert main(["schema", "--out", str(out)]) == 0
    assert out.read_text("utf-8") == COMMITTED.read_text("utf-8")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_scenario_fits_the_schema(path):
    assert problems(path.read_text("utf-8")) == []


def test_a_new_scenario_fits_the_schema():
    assert problems(scaffold("fresh")) == []


def _models(cls: type, seen: set[type]) -> None:
    """Every model class reachable from ``cls``."""
    if cls in seen:
        return
    seen.add(cls)
    stack = list(field_types(cls).values())
    while stack:
        tp = stack.pop()
        if is_model(tp):
            _models(tp, seen)
        elif get_origin(tp) is not None:
            stack += get_args(tp)


def test_every_key_of_every_model_is_in_the_schema():
    seen: set[type] = set()
    _models(Scenario, seen)
    defs = SCHEMA["$defs"]
    for cls in seen:
        body = SCHEMA if cls is Scenario else defs[cls.__name__]
        objects = [body] if "properties" in body else [b for b in body["anyOf"]
                                                       if "properties" in b]
        keys = {f.key for f in model_fields(cls) if not f.meta["from_key"]}
        assert keys <= set(objects[0]["properties"]), cls.__name__
        required = {f.key for f in model_fields(cls) if f.required}
        assert required == set(objects[0].get("required", ())), cls.__name__
    assert "tests" in SCHEMA["properties"]


BROKEN = {
    "unknown key": ("title: Mine", "title: Mine\ntitel: Mine"),
    "missing key": ("goal: Book it.\n", ""),
    "number out of range": ("difficulty: 1", "difficulty: 6"),
    "not a choice": ("volunteered: stall", "volunteered: sometimes"),
    "bad time": ('time: "10:00"', 'time: "25:00"'),
    "bad day": ('mon-fri: "09:00-17:00"', 'mon-fry: "09:00-17:00"'),
    "unknown move": ("move: confront_stall", "move: confront"),
    "bad condition": ("if: [not heard]", "if: [not heard >= 2]"),
    "too few fallback lines": ('fallback: ["Sorry?", "Hmm?"]', 'fallback: ["Sorry?"]'),
    "a test case without lines": ('lines: ["Where do we go from here?"]', "lines: []"),
    "a test expecting a bad outcome": ("outcome: won", "outcome: victory"),
    "a flag starting as quoted text": ("flags: {heard: false}", 'flags: {heard: "false"}'),
}

MINIMAL = """\
version: 1
id: mine
title: Mine
difficulty: 1
persona: {name: Sam, role: CFO, company: Acme, volunteered: stall}
brief: You have shown Sam the product.
goal: Book it.
calendar:
  now: {date: 2025-03-11, time: "10:00", timezone: Europe/London}
  working_hours: {mon-fri: "09:00-17:00"}
flags: {heard: false}
states:
  thinking:
    stall: true
    say: Let me think about it.
    on:
      - move: confront_stall
        if: [not heard]
        set: {heard: true}
        goto: concern
  concern:
    say: The budget is frozen.
fallback: ["Sorry?", "Hmm?"]
endings: {won: Bye., lost: Bye., no_decision: Bye.}
tests:
  - name: asks
    lines: ["Where do we go from here?"]
    expect: {outcome: won}
"""


def test_the_minimal_scenario_fits_and_loads():
    assert problems(MINIMAL) == []
    assert check_scenario_text(MINIMAL)[1] == []


@pytest.mark.parametrize("case", sorted(BROKEN), ids=str)
def test_broken_scenarios_are_rejected_by_schema_and_loader(case, tmp_path):
    from trainer.authoring.validate import check_file

    old, new = BROKEN[case]
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    assert problems(text), f"the schema accepts {case}"
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    assert check_file(path).errors, f"the loader accepts {case}"


# Values written as one scalar: the schema's pattern and the loader's parser must agree.
SAMPLES = {
    "Condition": (["heard", "not heard", "pushes >= 2", " asks==-1 ", "x != true"],
                  ["not heard >= 2", "2 >= pushes", "heard and asked", ""]),
    "Weekdays": (["mon", "mon-fri", "Mon - Thu", "tues,thursday", "weekdays", "weekend, sat"],
                 ["monx", "funday", "mon-", "mon--fri"]),
    "TimeRange": (["09:00-17:30", "8:30 - 12:00", "13:00-24:00"],
                  ["9-5", "25:00-26:00", "09:00"]),
    "ClockTime": (["10:00", "7:05", "23:59"], ["24:00", "10", "10:60", "10am"]),
    # as text, only what an editor's YAML 1.2 reads as text: true and 3 are written plain
    "FlagValue": (["yes", "No", "off", "ON"], ["maybe", "2.5", ""]),
    "Effect": (["+1", "-3", "true", "0"], ["++1", "one"]),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_scalar_patterns_agree_with_the_loaders_parsers(name):
    import trainer.calendar
    import trainer.scenario

    tp: type[Scalar] = getattr(trainer.scenario, name, None) or getattr(trainer.calendar, name)
    schema = scalar_schema(tp)
    good, bad = SAMPLES[name]
    for text in good:
        tp.parse(text)
        assert validate_value(text, schema) == [], text
    for text in bad:
        with pytest.raises(ValueError):
            tp.parse(text)
        assert validate_value(text, schema), text


def test_the_schema_is_valid_draft_2020_12_when_jsonschema_is_installed():
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for path in SHIPPED:
        assert list(validator.iter_errors(data(path.read_text("utf-8")))) == []
    broken = MINIMAL.replace("difficulty: 1", "difficulty: 9")
    assert list(validator.iter_errors(data(broken)))


def test_descriptions_come_from_the_model():
    props = SCHEMA["properties"]
    assert props["difficulty"]["description"] == "How hard it is, 1 (gentle) to 5 (brutal)."
    assert props["difficulty"]["minimum"] == 1 and props["difficulty"]["maximum"] == 5
    say = SCHEMA["$defs"]["State"]["properties"]["say"]
    assert "{name}, {role}, {company}, {slot}" in say["description"]
    countered = SCHEMA["$defs"]["Reactions"]["properties"]["slot_countered"]
    assert "{proposed}, {reason}, {counter}" in countered["description"]
    assert SCHEMA["$defs"]["Transition"]["properties"]["move"]["anyOf"][0]["enum"][0] == \
        "ask_next_step"


def test_an_editor_reads_unquoted_times_and_on_keys_as_text():
    value = data(textwrap.dedent("""\
        on: 1
        time: 10:30
        date: 2025-03-11
        """))
    assert value == {"on": 1, "time": "10:30", "date": "2025-03-11"}
