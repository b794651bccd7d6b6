"""Declarative field definitions for the scenario model.

Every model class is a frozen dataclass whose fields are made with :func:`spec`: the field's
YAML key, a plain-words description, whether it is required, its limits and an example sit
in the field's metadata. The loader walks these definitions to read YAML, and the same table
can be walked to write the authoring guide or a JSON Schema, so a field is defined once.

Values written as strings but held as richer things (a time range, a day list, a condition)
are :class:`Scalar` subclasses: each parses its text and describes its syntax.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, Self

MISSING: Any = dataclasses.MISSING


def spec(
    doc: str,
    *,
    default: Any = MISSING,
    factory: Callable[[], Any] | None = None,
    key: str | None = None,
    min: float | None = None,
    max: float | None = None,
    min_items: int | None = None,
    pattern: str | None = None,
    pattern_doc: str | None = None,
    choices: tuple[str, ...] | None = None,
    ref: str | None = None,
    from_key: bool = False,
    line: bool = False,
    placeholders: tuple[str, ...] = (),
    example: str | None = None,
) -> Any:
    """A model field with its documentation and the rules the loader checks.

    ``key`` is the YAML key when it differs from the attribute name (``if``); ``choices``
    limits the keys of a mapping; ``ref`` says what the value names (``state``, ``move``,
    ``intent``, ``flag``) for cross-reference checks; ``from_key`` fills the field from the
    mapping key the object sits under (a state's name). ``line`` marks text the prospect
    says, where ``{placeholders}`` are filled in; ``placeholders`` adds names to the ones
    every line may use, for this field and everything under it.
    """
    meta = {
        "doc": doc,
        "key": key,
        "min": min,
        "max": max,
        "min_items": min_items,
        "pattern": pattern,
        "pattern_doc": pattern_doc,
        "choices": choices,
        "ref": ref,
        "from_key": from_key,
        "line": line,
        "placeholders": placeholders,
        "example": example,
        "required": default is MISSING and factory is None and not from_key,
    }
    if from_key:
        return dataclasses.field(default="", metadata=meta)
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


@dataclasses.dataclass(frozen=True)
class FieldInfo:
    """One field of a model as the loader and documentation see it."""

    name: str
    key: str
    doc: str
    required: bool
    meta: dict[str, Any]
    default: Any


def model_fields(cls: type) -> Iterator[FieldInfo]:
    """The fields of a model class in declaration order."""
    for f in dataclasses.fields(cls):
        meta = dict(f.metadata)
        if "doc" not in meta:
            continue  # runtime-only fields are not part of the format
        default = f.default
        if f.default_factory is not MISSING:
            default = f.default_factory()  # type: ignore[operator]
        yield FieldInfo(
            name=f.name,
            key=meta.get("key") or f.name,
            doc=meta["doc"],
            required=bool(meta.get("required")),
            meta=meta,
            default=default,
        )


class Scalar:
    """A value written as one YAML scalar and parsed into something richer.

    Subclasses set ``syntax`` (how to write it, for messages and docs) and implement
    :meth:`parse`, raising ``ValueError`` with a sentence saying what was expected.
    """

    syntax: ClassVar[str] = ""
    json_type: ClassVar[str] = "string"
    #: YAML types the value must be written as ("bool", "int"); any when empty. A value
    #: that must be true, false or a number is refused as quoted text, as elsewhere.
    yaml_types: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def parse(cls, text: str) -> Self:
        raise NotImplementedError


def is_model(tp: Any) -> bool:
    """True for the dataclasses that make up the scenario model."""
    return isinstance(tp, type) and dataclasses.is_dataclass(tp) and not issubclass(tp, Scalar)


def shorthand(cls: type) -> str | None:
    """The field a bare scalar fills when it stands for a whole object (``patience: 3``)."""
    return getattr(cls, "_shorthand", None)
