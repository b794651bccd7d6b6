"""The authoring commands of ``nextstep``: validate, test, graph, schema, new.

Registered into the main parser by :func:`add_commands`; each command imports what it needs
when it runs.
"""

from __future__ import annotations

from typing import Any


def add_commands(sub: Any) -> None:
    """Add the authoring subcommands to ``nextstep``'s subparsers."""
    del sub  # the authoring toolkit registers its commands here


__all__ = ["add_commands"]
