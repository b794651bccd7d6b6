"""The data files NextStep ships in ``trainer/data/``: exemplar phrases, tips, coach lines,
the learned layer's weights, the report's stylesheet.

They are read once per process. YAML goes through the C loader when PyYAML has one, and
always through a safe loader.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any


@cache
def text(name: str) -> str:
    """The text of ``trainer/data/<name>``."""
    return resources.files("trainer").joinpath("data", name).read_text("utf-8")


@cache
def yaml_data(name: str) -> Any:
    """The parsed content of ``trainer/data/<name>`` (a YAML file)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text(name), Loader=loader)
