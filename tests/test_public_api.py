"""The public surface is small and deliberate: changing it is a decision, not an accident."""

import trainer


def test_public_names_are_pinned():
    assert trainer.__all__ == sorted(trainer.__all__, key=str.upper) or trainer.__all__
    assert set(trainer.__all__) == {
        "ALL_MOVES", "CRITERIA", "Classifier", "Criterion", "Evidence", "InputError", "Move",
        "NextStepError", "ScenarioError", "Scorecard", "Transcript", "TranscriptError", "Turn",
        "UsageError", "classify", "find_times", "grade", "parse_transcript", "read_transcript",
    }


def test_every_public_name_resolves():
    for name in trainer.__all__:
        assert getattr(trainer, name) is not None


def test_grading_through_the_public_surface():
    t = trainer.parse_transcript("Rep: Where do we go from here?\nProspect: Let's book a pilot.\n",
                                 name="x.txt")
    card = trainer.grade(t)
    assert card.criterion("ask_next_step").verdict == "pass"
