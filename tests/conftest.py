"""Shared fixtures: tiny inline conversations, parsed the way users' files are."""

from __future__ import annotations

import textwrap

import pytest

from trainer.formats import parse
from trainer.transcript import Transcript


def convo(text: str) -> Transcript:
    """A transcript from an inline ``Speaker: text`` block."""
    return parse(textwrap.dedent(text).strip() + "\n", name="inline.txt")


@pytest.fixture
def make_convo():
    return convo
