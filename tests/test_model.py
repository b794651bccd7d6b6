"""The learned layer: deterministic training, punctuation-blind features, rules it cannot break."""

from __future__ import annotations

from trainer.model import Evidence, features, shipped_model, train
from trainer.moves import Classifier
from trainer.text import segments


def ev(text: str, previous=None, raw=(), resolved=()) -> Evidence:
    return Evidence(segments(text), frozenset(raw), frozenset(resolved), frozenset(), previous)


def test_features_ignore_case_and_punctuation():
    a = set(features(ev("Could you bring the numbers")))
    b = set(features(ev("COULD YOU BRING THE NUMBERS?!")))
    assert a == b


def test_negation_is_marked_in_word_features():
    f = set(features(ev("we do not need a demo")))
    assert "w:~need" in f and "w:need" not in f


def test_context_features_cross_the_previous_stall():
    f = set(features(ev("what specifically", previous=frozenset({"stall"}), raw={"confront_stall"})))
    assert {"prev:stall", "stall&cue:confront_stall"} <= f


def test_training_is_deterministic_and_learns_a_separable_signal():
    data = [(["w:quote", "cue:tell_next_step"], {"tell_next_step"}),
            (["w:next", "cue:ask_next_step"], {"ask_next_step"})] * 20
    a = train(data, ["tell_next_step", "ask_next_step"], seed=3, min_count=1)
    b = train(data, ["tell_next_step", "ask_next_step"], seed=3, min_count=1)
    assert a.to_json() == b.to_json()
    p = a.probabilities(["w:quote", "cue:tell_next_step"], ["tell_next_step", "ask_next_step"])
    assert p["tell_next_step"] > 0.9 > 0.1 > p["ask_next_step"]


def test_stall_replies_learn_only_from_replies_to_a_stall():
    # "great, I'll send it over" is common after an offer, where no line is a stall reply:
    # those lines must not teach accept_stall that "great" counts against it.
    data = [(["w:great", "prev:ask_next_step"], {"tell_next_step"})] * 40 + \
           [(["w:sure", "prev:stall"], {"accept_stall"})] * 10 + \
           [(["w:why", "prev:stall"], {"confront_stall"})] * 10
    moves = ["accept_stall", "confront_stall", "tell_next_step"]
    model = train(data, moves, seed=1, min_count=1)
    assert "w:great" not in model.weights["accept_stall"]
    assert "w:great" not in model.weights["confront_stall"]
    assert model.weights["tell_next_step"]["w:great"] > 0
    p = model.probabilities(["w:sure", "prev:stall"], moves)
    assert p["accept_stall"] > 0.8 and p["confront_stall"] < 0.2


def test_the_shipped_model_covers_every_move():
    from trainer.moves import ALL_MOVES

    model = shipped_model()
    assert model is not None
    assert set(model.weights) == set(ALL_MOVES)


def test_the_model_cannot_invent_stall_replies_or_moves_from_keyword_lists():
    c = Classifier()
    assert not {m.name for m in c.classify("Sure, take your time.")} & {"accept_stall"}
    assert c.classify("next step, next step, calendar, demo, interested") == ()


def test_rules_alone_still_classify():
    c = Classifier(model=None)
    assert {m.name for m in c.classify("What would you suggest as a next step?")} == {
        "ask_next_step"}
