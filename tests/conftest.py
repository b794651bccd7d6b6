"""Shared fixtures: tiny inline conversations, parsed the way users' files are."""

from __future__ import annotations

import os
import textwrap

import pytest
from hypothesis import settings

# Modules compile their patterns when imported, before any fixture runs: keep the compiled-
# pattern cache (trainer.regexcache) out of the user's cache directory. Its own tests turn it on.
os.environ["NEXTSTEP_NO_REGEX_CACHE"] = "1"

from trainer.formats import parse
from trainer.transcript import Transcript

# Property tests draw the same examples on every run, so a red run can be run again and a
# green one means the same thing everywhere; HYPOTHESIS_PROFILE=explore draws new ones (run
# it by hand now and then: that is how the regex guard's last hole was found).
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def convo(text: str) -> Transcript:
    """A transcript from an inline ``Speaker: text`` block."""
    return parse(textwrap.dedent(text).strip() + "\n", name="inline.txt")


@pytest.fixture
def make_convo():
    return convo


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    """Every test gets its own NextStep home: no test writes to the user's data or results."""
    home = tmp_path_factory.mktemp("nextstep-home")
    monkeypatch.setenv("NEXTSTEP_HOME", str(home))
    monkeypatch.delenv("NEXTSTEP_DB", raising=False)
    monkeypatch.delenv("NEXTSTEP_SCENARIOS", raising=False)
    return home
