"""Find where a document path (``states.thinking.on[2].goto``) is written in a YAML file.

The loaded model keeps no positions, so the linter composes the YAML again (nodes only, as the
loader does) and walks the same paths the loader's errors use. A path that runs past what is
written (``endings.won.say[0]`` for ``won: "Bye."``, the shorthand) stops at the deepest node
that exists, which is where the author wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


@dataclass(frozen=True)
class Place:
    """A 1-based line and column."""

    line: int
    column: int


def split_path(path: str) -> list[str | int]:
    """``states.a.on[2].goto`` as ``["states", "a", "on", 2, "goto"]``."""
    out: list[str | int] = []
    for index, key in _PART.findall(path):
        out.append(int(index) if index else key)
    return out


class Locator:
    """Positions of the nodes of one YAML document."""

    def __init__(self, root: Node | None) -> None:
        self.root = root
        self._keys: dict[int, dict[str, tuple[Node, Node]]] = {}  # mapping node -> its keys

    def _pair(self, node: MappingNode, key: str) -> tuple[Node, Node] | None:
        keys = self._keys.get(id(node))
        if keys is None:
            keys = {}
            for k, v in node.value:
                if isinstance(k, ScalarNode):
                    keys.setdefault(k.value, (k, v))
            self._keys[id(node)] = keys
        return keys.get(key)

    @classmethod
    def from_text(cls, text: str) -> Locator:
        try:
            return cls(yaml.compose(text, Loader=_LOADER))
        except (yaml.YAMLError, RecursionError):
            return cls(None)

    def node(self, path: str, *, key: bool = False, exact: bool = False) -> Node | None:
        """The node at ``path`` (the deepest one written); its key node when ``key``.

        With ``exact``, None unless the whole path is written (a scalar standing for a list
        of one counts as its item 0).
        """
        node = self.root
        if node is None:
            return None
        found_key: Node | None = None
        for part in split_path(path):
            found_key = None
            if isinstance(part, int):
                if isinstance(node, SequenceNode) and part < len(node.value):
                    node = node.value[part]
                    continue
                if isinstance(node, ScalarNode) and part == 0:
                    continue  # a scalar standing for a list of one: the scalar is the place
                if exact:
                    return None
                break
            nxt = self._pair(node, part) if isinstance(node, MappingNode) else None
            if nxt is None:
                if exact:
                    return None
                break
            found_key, node = nxt
        if key and found_key is not None:
            return found_key
        return node

    def written(self, path: str) -> bool:
        """Whether the file writes ``path`` out (rather than leaving it to its default)."""
        return self.node(path, exact=True) is not None

    def place(self, path: str, *, key: bool = False) -> Place | None:
        node = self.node(path, key=key)
        if node is None:
            return None
        mark = node.start_mark
        return Place(mark.line + 1, mark.column + 1)

    def child(self, path: str, name: str) -> Node | None:
        """The value node of key ``name`` directly under ``path`` (None if not written)."""
        parent = self.node(path) if path else self.root
        if not isinstance(parent, MappingNode):
            return None
        pair = self._pair(parent, name)
        return pair[1] if pair else None
