"""The JSON Schema of the scenario format, generated from the model the loader reads.

Every key, type, range, choice, required flag, description and example comes from the field
table of :mod:`trainer.scenario` (declared with :func:`trainer.scenario_fields.spec`), so
the schema cannot drift from the loader. Editors use it for completion and checking::

    # yaml-language-server: $schema=scenario.schema.json

The schema checks the shape of a file (draft 2020-12); ``nextstep validate`` checks the rest
(that a `goto:` names a state, that a time range does not end before it starts...).

:func:`validate_value` is a small validator for the subset of JSON Schema used here, so the
project's tests can check files against the schema without another dependency.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Mapping
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trainer.scenario_build import field_types
from trainer.scenario_fields import FieldInfo, Scalar, is_model, model_fields, shorthand

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FILE_NAME = "scenario.schema.json"
MODELINE = f"# yaml-language-server: $schema={FILE_NAME}"
_NAME = "^[A-Za-z_][A-Za-z0-9_-]*$"
_TEXT = ["string", "number", "boolean"]  # the loader reads any scalar as text where text goes
_YAML = "tag:yaml.org,2002:"


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file, as a JSON-ready dict."""
    from trainer.scenario import FORMAT_VERSION, LINE_PLACEHOLDERS, Scenario

    gen = _Generator(LINE_PLACEHOLDERS)
    body = gen.model_body(Scenario)
    return {
        "$schema": DIALECT,
        "title": f"NextStep scenario (format v{FORMAT_VERSION})",
        "description": "A scripted prospect for NextStep's sales-roleplay trainer. Written "
                       "from trainer/scenario.py; see docs/authoring.md for every key.",
        **body,
        "$defs": dict(sorted(gen.defs.items())),
    }


def schema_text() -> str:
    """The schema as the committed ``scenarios/scenario.schema.json`` holds it."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"


def _extensions() -> dict[str, tuple[Any, str]]:
    """Keys the loader leaves to other parts of NextStep (``_ignored`` in the model)."""
    from trainer.authoring.scenario_tests import TESTS_DOC, TESTS_TYPE

    return {"tests": (TESTS_TYPE, TESTS_DOC)}


class _Generator:
    def __init__(self, placeholders: tuple[str, ...]) -> None:
        self.defs: dict[str, Any] = {}
        self.placeholders = placeholders

    def model_body(self, cls: type, extra: tuple[str, ...] = ()) -> dict[str, Any]:
        props: dict[str, Any] = {}
        required: list[str] = []
        types_ = field_types(cls)
        for f in model_fields(cls):
            if f.meta["from_key"]:
                continue
            props[f.key] = self.field(f, types_[f.name], extra)
            if f.required:
                required.append(f.key)
        extensions = _extensions()
        for key in getattr(cls, "_ignored", ()):
            if key not in extensions:
                raise LookupError(f"the schema has no definition for `{key}`; add it to "
                                  "trainer.authoring.schema._extensions")
            tp, doc = extensions[key]
            props[key] = {**self.of(tp, {}), "description": doc}
        body: dict[str, Any] = {"type": "object", "properties": props}
        if required:
            body["required"] = required
        body["additionalProperties"] = False
        return body

    def field(self, f: FieldInfo, tp: Any, extra: tuple[str, ...]) -> dict[str, Any]:
        meta = f.meta
        extra = (*extra, *meta.get("placeholders", ()))
        out = self.of(tp, meta)
        doc = f.doc
        if meta.get("line"):
            names = ", ".join("{" + p + "}" for p in (*self.placeholders, *extra))
            doc += f" Placeholders: {names}."
        elif meta.get("placeholders") and _is_model(tp):
            doc += " Its lines may also use " + ", ".join(
                "{" + p + "}" for p in meta["placeholders"]) + "."
        out = {"description": doc, **out}
        default = _json_default(f.default)
        if default is not None and not f.required:
            out["default"] = default
        if meta.get("example"):
            out["examples"] = [_yaml_value(meta["example"])]
        return out

    def of(self, tp: Any, meta: Mapping[str, Any]) -> dict[str, Any]:
        origin, args = get_origin(tp), get_args(tp)
        if origin in (Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            return {"anyOf": [self.of(inner[0], meta), {"type": "null"}]}
        if origin is Literal:
            return {"enum": list(args)}
        if origin is tuple:
            item = self.of(args[0], {k: v for k, v in meta.items() if k != "min_items"})
            need = meta.get("min_items") or 0
            array: dict[str, Any] = {"type": "array", "items": item}
            if need:
                array["minItems"] = need
            if is_model(args[0]) or need > 1:
                return array
            return {"anyOf": [item, array]}  # one value stands for a list of one
        if origin in (Mapping, dict):
            return self.mapping(args[0], args[1], meta)
        if is_model(tp):
            return {"$ref": f"#/$defs/{self.define(tp)}"}
        if isinstance(tp, type) and issubclass(tp, Scalar):
            return scalar_schema(tp)
        if tp is str:
            if meta.get("ref") == "move":
                from trainer.moves import REP_MOVES

                return {"enum": list(REP_MOVES)}  # the one kind of name known in advance
            if meta.get("pattern"):
                return {"type": "string", "pattern": meta["pattern"]}
            self.defs["text"] = {
                "description": "Text. Quote it when it contains ': ' or starts with one of "
                               "- { [ * & ! # or a quote.", "type": list(_TEXT)}
            return {"$ref": "#/$defs/text"}
        if tp is bool:
            return {"type": "boolean"}
        if tp in (int, float):
            out: dict[str, Any] = {"type": "integer" if tp is int else "number"}
            if meta.get("min") is not None:
                out["minimum"] = _num(meta["min"])
            if meta.get("max") is not None:
                out["maximum"] = _num(meta["max"])
            return out
        raise TypeError(f"no JSON Schema for {tp!r}")

    def mapping(self, ktp: Any, vtp: Any, meta: Mapping[str, Any]) -> dict[str, Any]:
        inner = {k: v for k, v in meta.items() if k not in ("min_items", "ref", "choices")}
        value = self.of(vtp, inner)
        out: dict[str, Any] = {"type": "object"}
        if meta.get("choices"):
            out["properties"] = {c: value for c in meta["choices"]}
            out["additionalProperties"] = False
        else:
            if isinstance(ktp, type) and issubclass(ktp, Scalar):
                names = scalar_schema(ktp)
                text = next(x for x in [names, *names.get("anyOf", ())] if "pattern" in x)
                out["propertyNames"] = {"pattern": text["pattern"]}  # keys are always text
            else:
                out["propertyNames"] = {"pattern": _NAME}
            out["additionalProperties"] = value
        if meta.get("min_items"):
            out["minProperties"] = meta["min_items"]
        return out

    def define(self, cls: type) -> str:
        name = cls.__name__
        if name in self.defs:
            return name
        self.defs[name] = {}  # placeholder against recursion
        body = self.model_body(cls)
        doc = (cls.__doc__ or "").strip().split("\n\n")[0]
        short = shorthand(cls)
        if short:
            f = next(x for x in model_fields(cls) if x.name == short)
            alt = self.of(field_types(cls)[f.name], f.meta)
            self.defs[name] = {"description": f"{doc} Written as a mapping, or as its "
                               f"`{f.key}` alone.", "anyOf": [body, alt]}
        else:
            self.defs[name] = {"description": doc, **body}
        return name


def _is_model(tp: Any) -> bool:
    if get_origin(tp) in (Union, types.UnionType):
        return any(is_model(a) for a in get_args(tp))
    return is_model(tp)


# --- scalars written as text ---------------------------------------------------------------


def _ci(word: str) -> str:
    """``mon`` as ``[mM][oO][nN]``: JSON Schema patterns have no case-insensitive flag."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


def _day() -> str:
    """A day as the calendar reads it: its first three letters, then more of its name."""
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return "(?:" + "|".join(_ci(d[:3]) + _rest(d[3:]) for d in days) + ")"


def _rest(letters: str) -> str:
    """``day`` as ``(?:d(?:a(?:y)?)?)?``: any beginning of the rest of a name."""
    out = ""
    for c in reversed(letters):
        out = f"(?:{_ci(c)}{out})?"
    return out


def _days_pattern() -> str:
    group = "(?:" + "|".join(_ci(g) for g in ("weekdays", "weekend", "daily")) + ")"
    one = f"(?:{group}|{_day()}(?: *- *{_day()})?)"
    return f"^ *{one}(?: *, *{one})* *$"


_HOUR = "(?:[01]?[0-9]|2[0-3]):[0-5][0-9]"
_END_HOUR = f"(?:{_HOUR}|24:00)"
_FLAG_WORDS = "|".join(_ci(w) for w in ("true", "false", "yes", "no", "on", "off"))


def scalar_schema(tp: type[Scalar]) -> dict[str, Any]:
    """How a value written as one scalar and parsed into something richer looks in JSON."""
    from trainer.authoring.scenario_tests import LineRef, MoveCheck
    from trainer.calendar import ClockTime, Date, TimeRange, Weekdays, Zone
    from trainer.moves import REP_MOVES
    from trainer.regexguard import MAX_PATTERN
    from trainer.scenario import Condition, Effect, FlagValue, Pattern

    name = "[A-Za-z_][A-Za-z0-9_-]*"
    value = "(?:-?[0-9]+|true|false)"
    strings: dict[type, dict[str, Any]] = {
        Condition: {"pattern": f"^ *(?:not +{name}|{name}(?: *(?:==|!=|<=|>=|<|>) *{value})?)"
                               " *$"},
        # quoted text is refused; as text, only the words YAML 1.1 reads as true or false
        # and an editor's YAML 1.2 reads as text (`yes`, `off`)
        FlagValue: {"pattern": "^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$"},
        Effect: {"pattern": f"^ *(?:{_FLAG_WORDS}|[+-]?[0-9]+) *$"},
        Pattern: {"format": "regex", "maxLength": MAX_PATTERN},
        Weekdays: {"pattern": _days_pattern()},
        TimeRange: {"pattern": f"^ *{_HOUR} *[-\u2013] *{_END_HOUR} *$"},
        ClockTime: {"pattern": f"^ *{_HOUR} *$"},
        Date: {"pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "format": "date"},
        Zone: {"pattern": "^[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*$"},
        LineRef: {"pattern": f"^ *(?:[1-9][0-9]*|{_ci('all')}|{_ci('any')}|{_ci('last')}) *$"},
    }
    doc = tp.syntax[:1].upper() + tp.syntax[1:] + "."
    if tp is MoveCheck:
        return {"enum": [*REP_MOVES, *(f"not {m}" for m in REP_MOVES)], "description": doc}
    if tp not in strings:
        raise LookupError(f"no JSON Schema for the scalar {tp.__name__}; add it to "
                          "trainer.authoring.schema.scalar_schema")
    kinds = tp.json_type.split("|")
    text = {"type": "string", **strings[tp]}
    if kinds == ["string"]:
        return {**text, "description": doc}
    others = [k for k in kinds if k != "string"]
    return {"anyOf": [{"type": others[0] if len(others) == 1 else others}, text],
            "description": doc}


# --- values --------------------------------------------------------------------------------


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _json_default(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value if isinstance(value, bool) else None
    if isinstance(value, (int, float)):
        return _num(value)
    if isinstance(value, str):
        return value or None
    if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _yaml_value(text: str) -> Any:
    """A YAML snippet as JSON data, reading scalars as the loader's YAML does but keeping
    dates and times as the text written."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    node = yaml.compose(text, Loader=loader)
    return node_value(node) if node is not None else None


def node_value(node: Node) -> Any:
    """A composed YAML node as JSON data (what an editor's schema check sees)."""
    if isinstance(node, MappingNode):
        # Keys are the text written: YAML 1.1 would read `on:` as true, editors and the
        # loader read the word.
        return {k.value if isinstance(k, ScalarNode) else str(node_value(k)): node_value(v)
                for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [node_value(v) for v in node.value]
    assert isinstance(node, ScalarNode)
    tag, text = node.tag, node.value
    if tag == _YAML + "null":
        return None
    if tag in (_YAML + "int", _YAML + "float") and ":" in text:
        return text  # YAML 1.1 reads 10:30 as a number in base 60; editors see the text
    if tag in (_YAML + "bool", _YAML + "int", _YAML + "float"):
        return yaml.constructor.SafeConstructor().construct_object(node)
    return text


# --- a validator for the subset used -------------------------------------------------------


def validate_value(value: Any, schema: Mapping[str, Any], *,
                   root: Mapping[str, Any] | None = None, path: str = "") -> list[str]:
    """Where ``value`` breaks ``schema``: a list of ``path: problem`` (empty when it fits).

    Covers what :func:`scenario_schema` uses: ``type``, ``enum``, ``pattern``, ``minimum``,
    ``maximum``, ``maxLength``, ``minItems``, ``minProperties``, ``properties``,
    ``required``, ``additionalProperties``, ``propertyNames``, ``items``, ``anyOf`` and
    local ``$ref``.
    """
    root = root if root is not None else schema
    where = path or "(top)"
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return validate_value(value, target, root=root, path=path)
    if "anyOf" in schema:
        tries = [validate_value(value, s, root=root, path=path) for s in schema["anyOf"]]
        if not all(tries):
            return []
        # The form of the right kind says most: skip those that fail on the type alone.
        close = [t for t in tries if not t[0].startswith(f"{where}: expected ")] or tries
        return min(close, key=len)
    problems: list[str] = []
    if "type" in schema and not _is_type(value, schema["type"]):
        return [f"{where}: expected {schema['type']}, found {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} is not one of {schema['enum']}"]
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{where}: {value!r} does not match {schema['pattern']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            problems.append(f"{where}: longer than {schema['maxLength']} characters")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{where}: {value} is below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{where}: {value} is above {schema['maximum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            problems.append(f"{where}: needs at least {schema['minItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                problems += validate_value(item, schema["items"], root=root,
                                           path=f"{path}[{i}]")
    if isinstance(value, dict):
        if len(value) < schema.get("minProperties", 0):
            problems.append(f"{where}: needs at least {schema['minProperties']} keys")
        for key in schema.get("required", ()):
            if key not in value:
                problems.append(f"{where}: the key {key!r} is missing")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        names = schema.get("propertyNames")
        for key, item in value.items():
            sub = f"{path}.{key}" if path else key
            if names is not None:
                problems += validate_value(key, names, root=root, path=sub)
            if key in props:
                problems += validate_value(item, props[key], root=root, path=sub)
            elif extra is False:
                problems.append(f"{sub}: unknown key")
            elif isinstance(extra, dict):
                problems += validate_value(item, extra, root=root, path=sub)
    return problems


def _is_type(value: Any, kind: str | list[str]) -> bool:
    if isinstance(kind, list):
        return any(_is_type(value, k) for k in kind)
    return {
        "string": isinstance(value, str),
        "boolean": isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "null": value is None,
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
    }[kind]
