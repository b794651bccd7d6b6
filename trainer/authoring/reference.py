"""The key reference of the authoring guide, written from the model like the JSON Schema.

``docs/authoring.md`` holds the output between two markers; a test checks it is current.
Regenerate it with::

    python -m trainer.authoring.reference docs/authoring.md
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from trainer.scenario_build import field_types
from trainer.scenario_fields import FieldInfo, Scalar, is_model, model_fields, shorthand

START = "<!-- reference: written by trainer/authoring/reference.py; do not edit by hand -->"
END = "<!-- end of reference -->"


def reference() -> str:
    """Markdown: one table per part of a scenario, every key with its kind, default, use;
    each part's table is followed by those of the parts inside it."""
    from trainer.authoring.scenario_tests import TESTS_TYPE
    from trainer.scenario import Scenario

    sections: list[str] = []
    seen: set[type] = set()

    def walk(where: str, cls: type) -> None:
        if cls in seen:
            return
        seen.add(cls)
        rows, nested = _rows(cls, where)
        if cls is Scenario:
            rows.append("| `tests` | no | a list of mappings (below) | Scripted conversations "
                        "with expectations, run by `nextstep test`. |")
            nested.append(("tests[]", get_args(TESTS_TYPE)[0]))
        doc = _cell((cls.__doc__ or "").strip().split("\n\n")[0]).replace("``", "`")
        short = shorthand(cls)
        if short:
            doc += f" May be written as its `{short}` alone."
        sections.append(f"#### `{where}`\n\n{doc}\n\n| key | required | value | what it is |\n"
                        "|---|---|---|---|\n" + "\n".join(rows))
        for path, inner in nested:
            walk(path, inner)

    walk("(top level)", Scenario)
    return "\n\n".join(sections) + "\n"


def _rows(cls: type, where: str) -> tuple[list[str], list[tuple[str, type]]]:
    rows: list[str] = []
    nested: list[tuple[str, type]] = []
    types_ = field_types(cls)
    base = "" if where == "(top level)" else where + "."
    for f in model_fields(cls):
        if f.meta["from_key"]:
            continue
        tp = types_[f.name]
        rows.append(f"| `{f.key}` | {_required(f)} | {_kind(tp, f.meta)} | "
                    f"{_cell(f.doc)}{_example(f)} |")
        for inner in _models(tp):
            path = base + f.key + _suffix(tp)
            shared = sum(1 for g in model_fields(cls) if inner in _models(types_[g.name]))
            if shared > 1:  # one kind of mapping under every key: reactions.*, endings.*
                path = base.rstrip(".") + ".*" if base else "*"
            nested.append((path, inner))
    return rows, nested


def _required(f: FieldInfo) -> str:
    if f.required:
        return "yes"
    d = f.default
    if d is None or d == "" or d == () or (hasattr(d, "__len__") and not len(d)):
        return "no"
    if isinstance(d, bool):
        return f"no (`{str(d).lower()}`)"
    if isinstance(d, (int, float)):
        return f"no (`{d:g}`)"
    if isinstance(d, str):
        return f"no (`{d}`)"
    return "no"


def _kind(tp: Any, meta: Any) -> str:
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        return _kind(next(a for a in args if a is not type(None)), meta)
    if origin is Literal:
        return " or ".join(f"`{a}`" for a in args)
    if origin is tuple:
        need = meta.get("min_items") or 0
        inner = _kind(args[0], {})
        least = f", at least {need}" if need > 1 else ""
        return f"a list of mappings (below){least}" if is_model(args[0]) else \
            f"{inner}, or a list of them{least}"
    if origin is not None and args:
        key = "name" if not (isinstance(args[0], type) and issubclass(args[0], Scalar)) \
            else args[0].syntax.split(" like")[0]
        if meta.get("choices"):
            key = "/".join(f"`{c}`" for c in meta["choices"])
        return f"{key}: {_kind(args[1], {})}"
    if is_model(tp):
        short = shorthand(tp)
        return f"a mapping (below), or its `{short}` alone" if short else "a mapping (below)"
    if isinstance(tp, type) and issubclass(tp, Scalar):
        return tp.syntax.replace("|", "or")
    if tp in (int, float):
        word = "a whole number" if tp is int else "a number"
        low, high = meta.get("min"), meta.get("max")
        if low is not None and low == high:
            return f"`{_num(low)}`"
        if low is not None and high is not None:
            return f"{word}, {_num(low)} to {_num(high)}"
        return word
    if tp is bool:
        return "`true` or `false`"
    if meta.get("ref") == "move":
        return "a trainee move"
    if meta.get("ref"):
        article = "an" if meta["ref"][:1] in "aeiou" else "a"
        return f"the name of {article} {meta['ref']}"
    if meta.get("pattern_doc"):
        return f"text: {meta['pattern_doc']}"
    return "text"


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _models(tp: Any) -> list[type]:
    if is_model(tp):
        return [tp]
    return [m for a in get_args(tp) for m in _models(a)]


def _suffix(tp: Any) -> str:
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        return _suffix(next(a for a in args if a is not type(None)))
    if origin is tuple:
        return "[]"
    if origin is not None and args and not is_model(tp):
        return ".<name>" if not is_model(args[0]) else ""
    return ""


def _example(f: FieldInfo) -> str:
    ex = f.meta.get("example")
    return f" Example: `{ex}`." if ex else ""


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|")


def update(path: Path) -> bool:
    """Rewrite the reference between the markers of ``path``; True when it changed."""
    text = path.read_text("utf-8")
    start, end = text.index(START) + len(START), text.index(END)
    new = text[:start] + "\n\n" + reference() + "\n" + text[end:]
    if new != text:
        path.write_text(new, "utf-8")
    return new != text


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {'updated' if update(Path(name)) else 'already current'}")
