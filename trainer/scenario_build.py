"""The walk from composed YAML nodes to the scenario model, with located errors.

:class:`Builder` reads one node as one type of the model, driven by the field table of
:mod:`trainer.scenario_fields`: it checks types, ranges, names, duplicate keys and unknown
keys, and the references between parts (states, moves, intents, flags, placeholders), and
records every problem as a :class:`~trainer.errors.ScenarioError` with its line, column and
document path. A value that cannot be read becomes :data:`BAD`, so the walk goes on and
reports what else is wrong. :mod:`trainer.scenario_load` reads files and calls it.
"""

from __future__ import annotations

import dataclasses
import math
import re
import string
import types
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import yaml
from rapidfuzz import fuzz, process
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trainer.errors import ScenarioError
from trainer.moves import PROSPECT_MOVES, REP_MOVES
from trainer.regexguard import UnsafePattern
from trainer.scenario import (
    BUILTIN_FLAGS,
    BUILTIN_VARS,
    LINE_PLACEHOLDERS,
    Condition,
    Effect,
    FlagValue,
)
from trainer.scenario_fields import FieldInfo, Scalar, is_model, model_fields, shorthand

#: The most values a document may hold once its aliases are expanded.
MAX_VALUES = 200_000

_YAML = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(
    _YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
_NAME_CHARS = frozenset(string.ascii_letters + string.digits + "_-")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` Did you mean `x`?`` for the closest of ``choices``, or an empty string."""
    best = process.extractOne(word, list(choices), scorer=fuzz.ratio,
                              processor=str.lower, score_cutoff=60)
    return f" Did you mean `{best[0]}`?" if best else ""



class _Bad:
    """A value that could not be read (its error is already recorded)."""

    def __repr__(self) -> str:
        return "<bad>"


BAD: Any = _Bad()


class TooBig(Exception):
    """The document expands to more than MAX_VALUES values."""


@dataclasses.dataclass(frozen=True)
class Names:
    """Names declared in the document, read before the walk so references can be checked
    even when other parts of the file are broken."""

    states: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    flags: Mapping[str, type] = dataclasses.field(default_factory=dict)

    @classmethod
    def scan(cls, root: Node) -> Names:
        def keys(name: str) -> list[tuple[str, Node]]:
            if not isinstance(root, MappingNode):
                return []
            for k, v in root.value:
                if isinstance(k, ScalarNode) and k.value == name and isinstance(v, MappingNode):
                    return [(kk.value, vv) for kk, vv in v.value if isinstance(kk, ScalarNode)]
            return []

        flags: dict[str, type] = {}
        for name, node in keys("flags"):
            try:
                value = FlagValue.parse(node.value).value if isinstance(node, ScalarNode) else 0
            except ValueError:
                value = 0
            flags[name] = bool if isinstance(value, bool) else int
        return cls(tuple(k for k, _ in keys("states")), tuple(k for k, _ in keys("intents")),
                   flags)


@cache
def field_types(cls: type) -> dict[str, Any]:
    """The resolved type of each field of a model class."""
    return get_type_hints(cls)


@cache
def _fields(cls: type) -> dict[str, FieldInfo]:
    return {f.key: f for f in model_fields(cls)}


def _describe(tp: Any) -> str:
    """What a type looks like in YAML, for "expected …" messages."""
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        return " or ".join(_describe(a) for a in args if a is not type(None))
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is tuple:
        item = args[0]
        if is_model(item):  # "a list of mappings, each with keys `say`, `expect`"
            return "a list of mappings, each" + _describe(item).removeprefix("a mapping")
        if get_origin(item) in (Mapping, dict):
            return "a list of mappings (`key: value` lines)"
        if item is str:
            return "a list of lines of text"
        inner = _describe(item)
        head, sep, tail = inner.partition(" (")
        if not sep:
            head, sep, tail = inner.partition(" like ")
        if head.startswith(("a ", "an ")) and " or " not in head:
            # "a list of whole numbers", "a list of conditions like `flag`..."
            return f"a list of {head.split(' ', 1)[1]}s{sep}{tail}"
        return f"a list, each item {inner}"
    if origin in (Mapping, dict):
        return "a mapping (`key: value` lines)"
    if is_model(tp):
        keys = [f.key for f in model_fields(tp) if not f.meta["from_key"]]
        keys += getattr(tp, "_ignored", ())  # read by other parts of NextStep ("tests")
        return "a mapping with keys " + ", ".join(f"`{k}`" for k in keys)
    if isinstance(tp, type) and issubclass(tp, Scalar):
        return tp.syntax
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false"}.get(
        tp, str(tp))


def _found(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _YAML + "null":
        return "nothing (an empty value)"
    if node.tag in (_YAML + "int", _YAML + "float"):
        return f"the number {node.value}"
    if node.tag == _YAML + "bool":
        return f"the value {node.value}"
    return f"the text {node.value!r}"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class Builder:
    def __init__(self, file: str, names: Names) -> None:
        self.file = file
        self.names = names
        self.errors: list[ScenarioError] = []
        self.values = 0
        self._ctor = yaml.constructor.SafeConstructor()

    def error(self, node: Node | None, path: str, code: str, message: str) -> None:
        mark = node.start_mark if node is not None else None
        self.errors.append(ScenarioError(
            message, file=self.file, line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None, path=path or None, code=code))

    # The dispatcher: one YAML node read as one type.
    def build(self, tp: Any, node: Node, path: str, meta: Mapping[str, Any],
              ctx: Mapping[str, Any], key: str | None = None) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise TooBig
        if node.tag not in _PLAIN_TAGS:
            self.error(node, path, "NS112",
                       f"the tag {node.tag.replace(_YAML, '!!')} is not allowed; scenario "
                       "files are plain data, so drop the tag")
            return BAD
        origin, args = get_origin(tp), get_args(tp)
        null = isinstance(node, ScalarNode) and node.tag == _YAML + "null"
        if origin in (Union, types.UnionType):
            if null:
                return None
            inner = next(a for a in args if a is not type(None))
            return self.build(inner, node, path, meta, ctx, key)
        if null:
            return self.expected(tp, node, path)
        if origin is Literal:
            return self.literal(args, node, path)
        if origin is tuple:
            return self.sequence(args[0], node, path, meta, ctx)
        if origin in (Mapping, dict):
            return self.mapping(args[0], args[1], node, path, meta, ctx)
        if is_model(tp):
            return self.model(tp, node, path, ctx, key)
        if not isinstance(node, ScalarNode):
            return self.expected(tp, node, path)
        if isinstance(tp, type) and issubclass(tp, Scalar):
            return self.scalar(tp, node, path)
        return self.plain(tp, node, path, meta, ctx)

    def expected(self, tp: Any, node: Node, path: str) -> Any:
        hint = ""
        if tp is str and isinstance(node, MappingNode):
            hint = " Text with ': ' in it must be quoted."
        self.error(node, path, "NS104", f"expected {_describe(tp)}, found {_found(node)}.{hint}")
        return BAD

    def literal(self, choices: tuple[str, ...], node: Node, path: str) -> Any:
        value = node.value if isinstance(node, ScalarNode) else None
        if value in choices:
            return value
        if value is None:
            return self.expected(Literal[choices], node, path)
        self.error(node, path, "NS109",
                   f"{value!r} is not allowed here; expected one of "
                   f"{', '.join(choices)}.{did_you_mean(value, choices)}")
        return BAD

    def plain(self, tp: Any, node: ScalarNode, path: str, meta: Mapping[str, Any],
              ctx: Mapping[str, Any]) -> Any:
        if tp is str:
            value: Any = node.value
            if meta.get("pattern") and not _matches(meta["pattern"], value):
                self.error(node, path, "NS109",
                           f"{value!r} is not valid here; use {meta['pattern_doc']}.")
                return BAD
            if meta.get("line"):
                self.placeholders(value, node, path, ctx)
            if meta.get("ref"):
                self.reference(meta["ref"], value, node, path)
            return value
        ok = {bool: (_YAML + "bool",), int: (_YAML + "int",),
              float: (_YAML + "int", _YAML + "float")}[tp]
        if node.tag not in ok:
            return self.expected(tp, node, path)
        value = self._ctor.construct_object(node)
        if tp is float:
            value = float(value)
            if not math.isfinite(value):
                self.error(node, path, "NS109", "expected a finite number.")
                return BAD
        if tp is not bool:
            low, high = meta.get("min"), meta.get("max")
            if (low is not None and value < low) or (high is not None and value > high):
                self.error(node, path, "NS109",
                           f"{value} is out of range; use a value from {_num(low)} to "
                           f"{_num(high)}.")
                return BAD
        return value

    def scalar(self, tp: type[Scalar], node: ScalarNode, path: str) -> Any:
        try:
            value = tp.parse(node.value)
        except (ValueError, UnsafePattern) as err:
            code = getattr(tp, "error_code", "NS109")
            self.error(node, path, code, _sentence(str(err)))
            return BAD
        if tp.yaml_types and node.tag not in {_YAML + t for t in tp.yaml_types}:
            # flags: {heard: "false"}: text, where `stall: "yes"` is refused too
            quoted = " Write it without quotes." if node.style in ("'", '"') else ""
            self.error(node, path, "NS104",
                       f"expected {tp.syntax}, found the text {node.value!r}.{quoted}")
            return BAD
        if isinstance(value, Condition):
            self.reference("var", value.name, node, path)
            self.compared(value, node, path)
        return value

    def compared(self, c: Condition, node: Node, path: str) -> None:
        """``burned_heard > 2`` on a true/false flag: a comparison with a number."""
        flag = self.names.flags.get(c.name) is bool or c.name in BUILTIN_FLAGS
        if flag and c.op not in ("truthy", "falsy") and not isinstance(c.value, bool):
            # a true/false flag compares as 0 or 1: `heard == 0` tells them apart, and loads;
            # `heard > 2` never holds, `heard < 5` always does
            outcomes = {c.holds({c.name: b}) for b in (False, True)}
            if len(outcomes) == 2:
                return
            declared = c.name in self.names.flags
            fix = (f" If it counts something, declare it as a counter: `{c.name}: 0` under "
                   "`flags:`." if declared else "")
            self.error(node, path, "NS110",
                       f"`{c.name}` is a true/false flag, so `{c.text}` is "
                       f"{'always' if True in outcomes else 'never'} true; test it as "
                       f"`{c.name}` or `not {c.name}`.{fix}")

    def sequence(self, item: Any, node: Node, path: str, meta: Mapping[str, Any],
                 ctx: Mapping[str, Any]) -> Any:
        if isinstance(node, ScalarNode) and not is_model(item):
            nodes: list[Node] = [node]  # one value stands for a list of one
            paths = [path]
        elif isinstance(node, SequenceNode):
            nodes = list(node.value)
            paths = [f"{path}[{i}]" for i in range(len(nodes))]
        else:
            return self.expected(tuple[item, ...], node, path)
        inner = {k: v for k, v in meta.items() if k != "min_items"}
        out = [self.build(item, n, p, inner, ctx) for n, p in zip(nodes, paths, strict=True)]
        need = meta.get("min_items")
        if need and len(out) < need:
            found = f"found {len(out)}."
            if isinstance(node, ScalarNode):  # "fallback: 42": one value where a list goes
                found = (f"found one value, `{node.value}`; write a list, one `- ` entry "
                         "per line.")
            self.error(node, path, "NS109", f"give at least {need} entr"
                       f"{'y' if need == 1 else 'ies'} here; {found}")
            return BAD
        return BAD if any(x is BAD for x in out) else tuple(out)

    def pairs(self, node: MappingNode, path: str) -> list[tuple[str, Node, Node]]:
        seen: dict[str, Node] = {}
        out = []
        for k, v in node.value:
            if k.tag == _YAML + "merge":
                self.error(k, path, "NS112", "merge keys (`<<:`) are not supported; write "
                           "the keys out in full")
                continue
            if not isinstance(k, ScalarNode) or k.tag == _YAML + "null":
                self.error(k, path, "NS104", "keys must be plain names, not lists, mappings "
                           "or empty values")
                continue
            if k.value in seen:
                first = seen[k.value].start_mark.line + 1
                self.error(k, _join(path, k.value), "NS102",
                           f"the key `{k.value}` appears twice in this mapping (first on line "
                           f"{first}); YAML would silently keep only the last, so merge them "
                           "or rename one")
                continue
            seen[k.value] = k
            out.append((k.value, k, v))
        return out

    def mapping(self, ktp: Any, vtp: Any, node: Node, path: str, meta: Mapping[str, Any],
                ctx: Mapping[str, Any]) -> Any:
        if not isinstance(node, MappingNode):
            return self.expected(Mapping[ktp, vtp], node, path)
        out: dict[Any, Any] = {}
        bad = False
        inner = {k: v for k, v in meta.items() if k not in ("min_items", "ref", "choices")}
        for name, knode, vnode in self.pairs(node, path):
            sub = _join(path, name)
            key: Any = name
            if isinstance(ktp, type) and issubclass(ktp, Scalar):
                key = self.scalar(ktp, knode, sub)
            elif meta.get("choices") and name not in meta["choices"]:
                self.error(knode, sub, "NS105",
                           f"unknown key `{name}`.{did_you_mean(name, meta['choices'])} "
                           f"Keys allowed here: {', '.join(meta['choices'])}.")
                key = BAD
            elif meta.get("ref"):
                self.reference(meta["ref"], name, knode, sub)
            elif not set(name) <= _NAME_CHARS or name[:1].isdigit() or name[:1] == "-":
                self.error(knode, sub, "NS109", f"`{name}` is not a usable name; use the "
                           "letters a-z, digits, _ and -, starting with a letter")
                key = BAD
            value = self.build(vtp, vnode, sub, inner, ctx, key=name)
            if meta.get("ref") == "flag" and isinstance(value, Effect):
                self.effect(name, value, vnode, sub)
            bad = bad or key is BAD or value is BAD
            out[key] = value
        if bad:
            return BAD
        need = meta.get("min_items")
        if need and len(out) < need:
            self.error(node, path, "NS109", f"give at least {need} entr"
                       f"{'y' if need == 1 else 'ies'} here.")
            return BAD
        return types.MappingProxyType(out)

    def model(self, cls: type, node: Node, path: str, ctx: Mapping[str, Any],
              key: str | None) -> Any:
        fields = _fields(cls)
        short = shorthand(cls)
        if short and (isinstance(node, ScalarNode)
                      or (isinstance(node, SequenceNode) and _is_list(field_types(cls)[short]))):
            sf = fields[short]
            value = self.field(cls, sf, node, path, ctx)
            return BAD if value is BAD else cls(**{sf.name: value})
        if not isinstance(node, MappingNode):
            return self.expected(cls, node, path)
        if path.endswith("]") and self.prose_item(cls, node, path):
            return BAD
        values: dict[str, Any] = {}
        nodes: dict[str, Node] = {}
        bad = partial = False
        ignored = getattr(cls, "_ignored", ())
        misspelt: set[str] = set()  # keys an unknown key was probably meant to be
        for name, knode, vnode in self.pairs(node, path):
            f = fields.get(name)
            if name in ignored:
                continue
            if f is None or f.meta["from_key"]:
                # keys read elsewhere ("tests", checked by `nextstep test`) are allowed too
                allowed = [k for k, x in fields.items() if not x.meta["from_key"]] + \
                    list(ignored)
                guess = did_you_mean(name, allowed)
                self.error(knode, _join(path, name), "NS105",
                           f"unknown key `{name}`.{guess} Keys allowed here: "
                           f"{', '.join(allowed)}.")
                if guess:
                    misspelt.add(guess.split("`")[1])
                continue
            nodes[f.key] = knode
            value = self.field(cls, f, vnode, _join(path, name), ctx)
            if value is BAD:
                bad = bad or f.required
                partial = True
            else:
                values[f.name] = value
        for f in fields.values():
            if f.meta["from_key"]:
                values[f.name] = key or ""
            elif f.required and f.key not in nodes:
                if f.key not in misspelt:  # a misspelt key ("fallbak") is reported once,
                    self.error(node, path, "NS103",  # where it is, not also as missing
                               f"the key `{f.key}` is missing; add it: {f.doc[:1].lower()}"
                               f"{f.doc[1:]}")
                bad = True
        if bad:
            return BAD
        obj = cls(**values)
        if partial:
            return obj  # rules across fields would only repeat what is already reported
        for fkey, code, message in getattr(obj, "_validate", list)():
            where = nodes.get(fkey, node) if fkey else node
            self.error(where, _join(path, fkey) if fkey else path, code, message)
        return obj

    def prose_item(self, cls: type, node: MappingNode, path: str) -> bool:
        """``- Next step: what would you suggest?`` as a list item: unquoted text whose
        ': ' makes it a mapping of one key that reads like prose. Said as that, once,
        rather than as an unknown key and the keys missing."""
        if len(node.value) != 1:
            return False
        knode, vnode = node.value[0]
        fields = _fields(cls)
        name = knode.value if isinstance(knode, ScalarNode) else None
        if not isinstance(name, str) or name in fields or \
                (set(name) <= _NAME_CHARS and " " not in name) or \
                did_you_mean(name, list(fields)):
            return False
        written = name
        if isinstance(vnode, ScalarNode) and vnode.value:
            written = f"{name}: {vnode.value}"
        if len(written) > 60:
            written = written[:57] + "..."
        short = shorthand(cls)
        text = "text or " if short and field_types(cls)[short] in (str, tuple[str, ...]) \
            else ""
        self.error(node, path, "NS104",
                   f"expected {text}{_describe(cls)}, found `{written}`: the ': ' makes YAML "
                   f"read it as the key `{name}` and its value. Text with ': ' in it must be "
                   "quoted.")
        return True

    def field(self, cls: type, f: FieldInfo, node: Node, path: str,
              ctx: Mapping[str, Any]) -> Any:
        if f.meta.get("placeholders"):
            ctx = {**ctx, "placeholders": tuple(ctx.get("placeholders", ())) +
                   tuple(f.meta["placeholders"])}
        return self.build(field_types(cls)[f.name], node, path, f.meta, ctx)

    # --- cross-references ---

    def reference(self, kind: str, name: str, node: Node, path: str) -> None:
        n = self.names
        if kind == "state" and name not in n.states:
            self.error(node, path, "NS106",
                       f"there is no state `{name}`.{did_you_mean(name, n.states)} States: "
                       f"{_listing(n.states)}.")
        elif kind == "move" and name not in REP_MOVES:
            if name in PROSPECT_MOVES:
                why = f" `{name}` is a prospect move; transitions react to the trainee's moves."
            elif name in n.intents:
                why = f" `{name}` is an intent: write `intent: {name}`."
            else:
                why = did_you_mean(name, REP_MOVES)
            self.error(node, path, "NS107",
                       f"there is no move `{name}`.{why} Moves: {', '.join(REP_MOVES)}.")
        elif kind == "intent" and name not in n.intents:
            why = (f" `{name}` is a move: write `move: {name}`." if name in REP_MOVES
                   else did_you_mean(name, n.intents))
            self.error(node, path, "NS107",
                       f"there is no intent `{name}`.{why} Intents: {_listing(n.intents)}.")
        elif kind == "var" and name not in n.flags and name not in BUILTIN_VARS:
            known = [*n.flags, *BUILTIN_VARS]
            self.error(node, path, "NS110",
                       f"there is no flag or counter `{name}`.{did_you_mean(name, known)} "
                       "Declare your own under `flags:`; built-in ones are "
                       f"{', '.join(BUILTIN_VARS)}.")
        elif kind == "flag" and name not in n.flags:
            if name in BUILTIN_VARS:
                self.error(node, path, "NS110",
                           f"`{name}` is kept by the engine and cannot be set; declare a flag "
                           "of your own under `flags:`")
            else:
                self.error(node, path, "NS110",
                           f"there is no flag `{name}`.{did_you_mean(name, n.flags)} Declare it "
                           f"under `flags:` with its starting value, e.g. `{name}: false`.")

    def effect(self, name: str, effect: Effect, node: Node, path: str) -> None:
        kind = self.names.flags.get(name)
        if kind is bool and (effect.relative or not isinstance(effect.value, bool)):
            self.error(node, path, "NS110",
                       f"`{name}` is a true/false flag; set it to true or false")
        elif kind is int and isinstance(effect.value, bool):
            self.error(node, path, "NS110",
                       f"`{name}` is a counter; set it to a number or change it by +N / -N")

    def placeholders(self, line: str, node: Node, path: str, ctx: Mapping[str, Any]) -> None:
        allowed = (*LINE_PLACEHOLDERS, *ctx.get("placeholders", ()))
        try:
            parts = list(string.Formatter().parse(line))
        except ValueError as err:
            self.error(node, path, "NS111",
                       f"the line has a stray brace ({err}); write {{{{ and }}}} for literal "
                       "braces")
            return
        for _, field, spec_, conv in parts:
            if field is None:
                continue
            if field not in allowed or spec_ or conv:
                written = field + (f"!{conv}" if conv else "") + (f":{spec_}" if spec_ else "")
                self.error(node, path, "NS111",
                           f"`{{{written}}}` is not a placeholder this line can use."
                           f"{did_you_mean(field, allowed)} Available here: "
                           f"{', '.join('{' + a + '}' for a in allowed)}.")


def _is_list(tp: Any) -> bool:
    return get_origin(tp) is tuple


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def _matches(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern.strip("^$"), value) is not None


def _num(value: float | None) -> str:
    if value is None:
        return "any"
    return str(int(value)) if float(value).is_integer() else str(value)


def _listing(names: Iterable[str]) -> str:
    names = list(dict.fromkeys(names))  # a key written twice is named once
    shown = ", ".join(names[:12])
    return (shown + ", …") if len(names) > 12 else (shown or "none")
