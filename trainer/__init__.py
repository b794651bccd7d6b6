"""NextStep: practise and grade the end of a sales meeting, where the next step is agreed.

The public surface, importable from ``trainer``::

    from trainer import classify, grade, read_transcript

    card = grade(read_transcript("call.vtt", rep="Dana"))
    print(card.score, [(c.id, c.verdict) for c in card.criteria])

Names load on first use, so ``import trainer`` stays cheap for the command line.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "ALL_MOVES",
    "CRITERIA",
    "Classifier",
    "Criterion",
    "Evidence",
    "InputError",
    "Move",
    "NextStepError",
    "ScenarioError",
    "Scorecard",
    "Transcript",
    "TranscriptError",
    "Turn",
    "UsageError",
    "classify",
    "find_times",
    "grade",
    "parse_transcript",
    "read_transcript",
]

_WHERE: dict[str, tuple[str, str]] = {
    "ALL_MOVES": ("trainer.moves", "ALL_MOVES"),
    "Classifier": ("trainer.moves", "Classifier"),
    "Move": ("trainer.moves", "Move"),
    "classify": ("trainer.moves", "classify"),
    "CRITERIA": ("trainer.rubric", "CRITERIA"),
    "Criterion": ("trainer.rubric", "Criterion"),
    "Evidence": ("trainer.rubric", "Evidence"),
    "Scorecard": ("trainer.rubric", "Scorecard"),
    "grade": ("trainer.rubric", "grade"),
    "Transcript": ("trainer.transcript", "Transcript"),
    "Turn": ("trainer.transcript", "Turn"),
    "read_transcript": ("trainer.formats", "read"),
    "parse_transcript": ("trainer.formats", "parse"),
    "find_times": ("trainer.when", "find_times"),
    "NextStepError": ("trainer.errors", "NextStepError"),
    "UsageError": ("trainer.errors", "UsageError"),
    "InputError": ("trainer.errors", "InputError"),
    "TranscriptError": ("trainer.errors", "TranscriptError"),
    "ScenarioError": ("trainer.errors", "ScenarioError"),
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'trainer' has no attribute {name!r}")
    module, attr = _WHERE[name]
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
