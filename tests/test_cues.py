"""The cue table: required literals (the classifier's cheap pre-filter) and their cache."""

from __future__ import annotations

import json

import pytest

from trainer import cues, datafiles
from trainer.text import normalise


def test_the_shipped_literal_cache_is_current() -> None:
    # A stale cache is never wrong (unknown patterns are parsed at import), only slower;
    # this keeps the cold start fast: after editing the cues, run `python -m trainer.cues`.
    shipped = json.loads(datafiles.text(cues.LITERALS_FILE))
    assert shipped == cues.all_literals(), "run `python -m trainer.cues` to refresh it"


def test_every_cue_carries_the_literals_its_pattern_requires() -> None:
    by_source = {cue.source: lits for _, cue, _, lits in cues.COMPILED}
    for pattern, lits in by_source.items():
        assert lits == cues.literals_of(pattern)


@pytest.mark.parametrize("line", [
    "What would you suggest as a next step?",
    "could you bring the budget numbers, and shall we say tuesday at 10?",
    "I'll send the proposal over and call you next week",
    "Let me think about it and talk to some people.",
    "so to confirm, you'll send the data and I'll have the quote back by wednesday",
])
def test_a_cue_that_matches_a_line_finds_one_of_its_literals_in_it(line: str) -> None:
    norm = normalise(line)
    matched = 0
    for _, cue, _, lits in cues.COMPILED:
        if next(cue.finditer(norm), None) is not None:
            matched += 1
            assert lits is None or any(lit in norm for lit in lits), cue.source
    assert matched  # each line makes a move, so some cue matches it


def test_a_pattern_the_cache_does_not_know_is_parsed_instead(monkeypatch) -> None:
    monkeypatch.setattr(cues, "_cached_literals", lambda: {})
    rebuilt = cues._compiled()
    assert [lits for *_, lits in rebuilt] == [lits for *_, lits in cues.COMPILED]
