"""The phrase matcher's rules: short lines never match, near-ties refuse, thresholds hold, and
the way a line is typed (case, punctuation, apostrophes) never changes the answer."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from trainer.matching import MIN_CHARS, MIN_WORDS, TIE_MARGIN, PhraseBank
from trainer.text import plain

common = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BANK = {
    "ask_next_step": ["what would you suggest as a next step",
                      "where do we go from here in your view"],
    "stall": ["let me think about it and get back to you",
              "i need to run it past a few people first"],
    "agree": ["yes that works for both of us", "sounds good, let us do that"],
    "propose_time": ["are you free on tuesday at ten"],
}


@pytest.fixture(scope="module")
def bank() -> PhraseBank:
    return PhraseBank(BANK)


def too_short(text: str) -> bool:
    norm = plain(text)
    return len(norm) < MIN_CHARS or len(norm.split()) < MIN_WORDS


# --- short inputs --------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["sounds good", "next step?", "sure thing", "I'll call",
                                  "Tuesday, 10", "yes", "", "   ", "?!?!", "a b c d"])
def test_short_lines_never_match_even_when_they_are_examples(line: str) -> None:
    assert too_short(line)
    assert PhraseBank({"agree": [line]}, threshold=10).match(line) is None


@common
@given(st.text(max_size=30))
@example("a b")  # three characters, two words
@example("abcdefghijklmnopqrstuvwxyz yes")  # long, but two words
@example("a b c d")  # four words, seven characters
def test_any_short_input_never_matches(text: str) -> None:
    assume(too_short(text))
    same = PhraseBank({"x": [text, text + " and a few more words"]}, threshold=10)
    assert same.match(text) is None
    assert same.match_normalised(plain(text), threshold=10) is None


def test_a_long_enough_line_can_match_at_the_minimum_length() -> None:
    line = "ab cd efghij"  # 12 characters, 3 words: just long enough
    assert not too_short(line)
    assert PhraseBank({"x": [line]}).match(line) is not None


# --- exact matches and thresholds -------------------------------------------------------------


@pytest.mark.parametrize("label,phrase",
                         [(label, p) for label, phrases in BANK.items() for p in phrases])
def test_each_example_matches_its_own_label(bank: PhraseBank, label: str, phrase: str) -> None:
    found = bank.match(phrase)
    assert found is not None
    assert (found.label, found.score, found.example) == (label, 100, phrase)


def test_an_unrelated_line_matches_nothing(bank: PhraseBank) -> None:
    assert bank.match("our warehouse in Leeds ships about four hundred pallets a day") is None


WORDS = ["we", "could", "meet", "on", "tuesday", "send", "the", "numbers", "think", "about",
         "it", "next", "step", "what", "would", "you", "suggest", "works", "for", "me"]
sentences = st.lists(st.sampled_from(WORDS), min_size=3, max_size=10).map(" ".join)


@common
@given(st.lists(sentences, min_size=1, max_size=6), sentences,
       st.floats(min_value=TIE_MARGIN, max_value=100))
def test_a_match_clears_the_threshold_and_a_refusal_does_not(examples: list[str], line: str,
                                                            threshold: float) -> None:
    # One label, so no tie can intervene: the answer is the threshold's alone.
    assume(not too_short(line))
    bank = PhraseBank({"only": examples}, threshold=threshold)
    best = max(fuzz.ratio(plain(line), plain(e)) for e in examples)
    found = bank.match(line)
    if best >= threshold:
        assert found is not None
        assert found.score == pytest.approx(best)
        assert fuzz.ratio(plain(line), plain(found.example)) == pytest.approx(best)
    else:
        assert found is None


def test_a_per_call_threshold_overrides_the_banks() -> None:
    bank = PhraseBank({"stall": ["let me think about it and get back to you"]}, threshold=95)
    line = "let me think about it and come back to you"
    score = fuzz.ratio(plain(line), plain("let me think about it and get back to you"))
    assert 80 <= score < 95
    assert bank.match(line) is None
    assert bank.match(line, threshold=80) is not None


@pytest.mark.parametrize("threshold", [0, 3.5])
def test_a_threshold_near_zero_matches_the_best_example(threshold: float) -> None:
    bank = PhraseBank({"stall": ["let me think about it and get back to you"]},
                      threshold=threshold)
    assert bank.match("our warehouse ships four hundred pallets a day") is not None


def test_labels_restrict_the_answer(bank: PhraseBank) -> None:
    line = "what would you suggest as a next step"
    assert bank.match(line, labels=["ask_next_step", "stall"]) is not None
    assert bank.match(line, labels=["stall", "agree"]) is None


# --- near-ties --------------------------------------------------------------------------------


def test_a_line_equally_close_to_two_labels_is_refused() -> None:
    bank = PhraseBank({"a": ["could we meet on tuesday morning"],
                       "b": ["could we meet on thursday morning"]})
    line = "could we meet on t morning"
    a, b = (fuzz.ratio(plain(line), plain(e)) for e in ("could we meet on tuesday morning",
                                                        "could we meet on thursday morning"))
    assert min(a, b) >= bank.threshold and abs(a - b) < TIE_MARGIN  # the premise
    assert bank.match(line) is None


def test_a_clear_winner_beyond_the_tie_margin_is_chosen() -> None:
    bank = PhraseBank({"a": ["could we meet on tuesday morning"],
                       "b": ["could we meet on thursday morning"]})
    found = bank.match("Could we meet on Tuesday morning?")
    assert found is not None and found.label == "a"


@common
@given(sentences, sentences)
def test_the_same_example_under_two_labels_never_picks_one(example_text: str,
                                                          line: str) -> None:
    bank = PhraseBank({"a": [example_text], "b": [example_text]}, threshold=10)
    assert bank.match(line) is None
    assert bank.match(example_text) is None


# Eight examples of one label fill rapidfuzz's candidate list, so the other label is never seen.
CROWD = [f"could we meet on tuesday morning {w}" for w in "abcdefgh"]


def test_labels_filter_before_the_candidate_limit() -> None:
    bank = PhraseBank({"x": CROWD, "y": ["could we meet tuesday morning then"]})
    line = "could we meet on tuesday morning"
    assert PhraseBank({"y": ["could we meet tuesday morning then"]}).match(line) is not None
    assert bank.match(line, labels=["y"]) is not None


def test_a_tie_is_refused_however_many_examples_a_label_has() -> None:
    rival = "could we meet on a tuesday morning"
    line = "could we meet on tuesday morning"
    assert fuzz.ratio(line, plain(rival)) == fuzz.ratio(line, plain(CROWD[0]))  # a dead heat
    assert PhraseBank({"x": CROWD[:1], "y": [rival]}).match(line) is None
    assert PhraseBank({"x": CROWD, "y": [rival]}).match(line) is None


# --- normalisation ----------------------------------------------------------------------------

# Contractions whose apostrophe-less spelling is not another word, so dropping it is a typo.
CONTRACTIONS = ["don't", "can't", "won't", "isn't", "doesn't", "didn't", "couldn't", "wouldn't",
                "i'm", "you're", "that's", "what's", "i've", "you'll", "they're", "haven't"]
PLAIN_WORDS = ["we", "could", "meet", "tuesday", "send", "numbers", "think", "about", "next",
               "step", "suggest", "works", "budget", "team", "get", "back", "to", "you"]
MARKS = ["", "", "", ".", ",", "!", "?", "...", ";", ":", " -", "!!!", '"', "(", ")"]


@st.composite
def typed_pair(draw: st.DrawFn) -> tuple[str, str]:
    """A plain line and the same words typed differently: case, marks and apostrophes."""
    words = draw(st.lists(st.sampled_from(PLAIN_WORDS + CONTRACTIONS), min_size=3, max_size=12))
    out = []
    for word in words:
        how = draw(st.sampled_from(["keep", "upper", "title", "curly", "bare"]))
        if how == "upper":
            word = word.upper()
        elif how == "title":
            word = word.title()
        elif how == "curly":
            word = word.replace("'", draw(st.sampled_from(["\u2019", "\u2018", "\u02bc", "`"])))
        elif how == "bare":
            word = word.replace("'", "")
        out.append(word + draw(st.sampled_from(MARKS)))
    return " ".join(words), " ".join(out)


@common
@given(typed_pair())
@example(("i'm not sure what's next", "IM not sure... WHATS next?!"))
def test_case_marks_and_apostrophes_never_change_a_match(pair: tuple[str, str]) -> None:
    line, typed = pair
    assert plain(typed) == plain(line)
    bank = PhraseBank({"mine": [line], "other": ["something else entirely, nothing alike"]},
                      threshold=10)
    assert bank.match(typed) == bank.match(line)


@common
@given(st.text())
def test_curly_apostrophes_and_trailing_marks_never_change_normalised_text(text: str) -> None:
    base = plain(text)
    assert plain(text.replace("'", "\u2019")) == base
    assert plain(text + " !!!") == base and plain(text + " ...") == base


ASCII_NO_DIGITS = st.characters(max_codepoint=127, exclude_categories=["Nd"])


@common
@given(st.text(alphabet=ASCII_NO_DIGITS))
def test_ascii_case_never_changes_normalised_text(text: str) -> None:
    assert plain(text.upper()) == plain(text.lower()) == plain(text)


@pytest.mark.parametrize("line", ["Are you free Tuesday at 10AM", "Could we meet at 2PM",
                                  "How about the 3RD of March"])
def test_upper_case_times_and_dates_normalise_like_lower_case(line: str) -> None:
    assert plain(line.upper()) == plain(line.lower())


@pytest.mark.parametrize(("text", "norm"), [
    ("the invite & a proposal", "the invite and a proposal"), ("you &me", "you me"),
    ("our R&D team", "our r d team"),
])
def test_an_ampersand_standing_alone_is_and(text: str, norm: str) -> None:
    assert plain(text) == norm


@pytest.mark.parametrize(("text", "norm"), [
    ("who'll sign it off?", "who will sign it off"), ("that'd work", "that would work"),
    ("there'll be five of us", "there will be five of us"),
])
def test_more_contractions_are_spelt_out(text: str, norm: str) -> None:
    assert plain(text) == norm


def test_normalised_text_is_single_spaced_and_lower_case() -> None:
    norm = plain("  Don\u2019t   WORRY,\twe\u2019ll...\n It's FINE!  ")
    assert norm == "do not worry we will it is fine"
    assert not re.search(r"\s{2}", norm)
