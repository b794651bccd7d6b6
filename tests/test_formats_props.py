"""Properties of the transcript readers: any input gives a Transcript or a TranscriptError."""

from __future__ import annotations

import itertools
import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.errors import TranscriptError
from trainer.formats import FORMATS, parse
from trainer.moves import ALL_MOVES, Move
from trainer.transcript import Event, Transcript, Turn

NAMES = ["call.txt", "call.vtt", "call.srt", "call.json", "<stdin>"]
# Pieces of every format, so random text reaches deep into each reader, not just line one.
FRAGMENTS = ["WEBVTT", "\n", "\n\n", "-->", " --> ", "00:00:01.000", "00:01,5", "1", ":", ": ",
             "Rep", "Prospect", "Dana", "<v Dana>", "</v>", "<", ">", "&amp;", "NOTE", "[00:05]",
             "    ", "\t", "{", "}", '"callTranscripts"', '"nextstep-transcript"', "[", "]",
             '"turns":', ",", "\r", "\ufeff", "\x00", "é"]
fuzzy_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=40).map("".join)
common = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(text: str | bytes, **kwargs: object) -> Transcript | TranscriptError:
    try:
        return parse(text, **kwargs)  # type: ignore[arg-type]
    except TranscriptError as error:
        return error


@common
@given(st.text() | fuzzy_text, st.sampled_from(NAMES),
       st.sampled_from((None, *FORMATS)), st.none() | st.sampled_from(["Dana", "rep", "1"]))
def test_any_text_is_a_transcript_or_a_transcript_error(text: str, name: str,
                                                        fmt: str | None, rep: str | None) -> None:
    result = outcome(text, name=name, format=fmt, rep=rep)
    if isinstance(result, Transcript):
        assert result.turns and {t.role for t in result.turns} <= {"rep", "prospect"}
    else:
        assert result.file == name and (result.line is None or result.line >= 1)


@common
@given(st.binary(max_size=300) | fuzzy_text.map(lambda s: s.encode("utf-8")),
       st.sampled_from(NAMES), st.sampled_from((None, *FORMATS)))
def test_any_bytes_are_a_transcript_or_a_transcript_error(data: bytes, name: str,
                                                          fmt: str | None) -> None:
    outcome(data, name=name, format=fmt)


speaker = st.sampled_from(["Rep", "Prospect", "rep", "PROSPECT"])
words = st.text(st.sampled_from("abc xyz.,?!'"), min_size=1, max_size=20).filter(str.strip)


@common
@given(st.lists(st.tuples(speaker, words), min_size=1, max_size=12))
def test_plain_text_turns_follow_speaker_changes(lines: list[tuple[str, str]]) -> None:
    text = "\n".join(f"{who}: {said}" for who, said in lines)
    turns = parse(text).turns
    changes = [i for i, (who, _) in enumerate(lines)
               if i == 0 or who.lower() != lines[i - 1][0].lower()]
    assert [t.line for t in turns] == [i + 1 for i in changes]
    bounds = [*changes, len(lines)]
    assert [t.text for t in turns] == [
        " ".join(said.strip() for _, said in lines[a:b]) for a, b in itertools.pairwise(bounds)]


name_part = st.text(st.sampled_from("abcdefghij"), min_size=2, max_size=8)


@common
@given(name_part, name_part, st.sampled_from([str.upper, str.lower, str.title]),
       st.sampled_from(["", " ", "  \t"]))
def test_case_and_whitespace_never_change_who_the_rep_is(first: str, last: str, case: object,
                                                         pad: str) -> None:
    rep, other = f"{first} {last}", f"Zz{first}"
    text = f"{rep}: hello\n{other}: hi\n"
    spelled = f"{pad}{case(rep).replace(' ', pad or ' ')}{pad}"  # type: ignore[operator]
    assert [t.role for t in parse(text, rep=spelled).turns] == ["rep", "prospect"]


finite = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
move = st.builds(Move, st.sampled_from(ALL_MOVES), st.integers(0, 50), st.integers(0, 50),
                 st.text(max_size=10), st.integers(0, 1000).map(lambda n: n / 1000))
turn = st.builds(Turn, st.text(min_size=1, max_size=12).filter(str.strip),
                 st.sampled_from(["rep", "prospect"]), st.text(max_size=30),
                 st.lists(move, max_size=3).map(tuple), st.none() | finite)
event = st.builds(Event, st.integers(0, 20), st.text(max_size=8),
                  st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5),
                                  max_size=2))


@common
@given(st.lists(turn, max_size=6).map(tuple), st.lists(event, max_size=3).map(tuple),
       st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=3))
def test_nextstep_json_round_trips(turns: tuple[Turn, ...], events: tuple[Event, ...],
                                   meta: dict[str, str]) -> None:
    # an event belongs to a turn of the conversation
    events = tuple(Event(e.turn % len(turns), e.kind, e.detail) for e in events) if turns else ()
    original = Transcript(turns, events, {**meta, "source": "run.json", "format": "json"})
    assert parse(json.dumps(original.to_dict()), name="run.json") == original


MB = 1_000_000
HUGE = {
    "plain words": "a" * MB,
    "one long turn": "Rep: " + "so " * (MB // 3),
    "colons": ":" * MB,
    "digits and colons": "1:" * (MB // 2),
    "brackets": "[" * MB,
    "unclosed tags in a cue": "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nRep: " + "<v" * (MB // 2),
    "long timing": "WEBVTT\n\n" + "0" * MB + " --> 00:00:02.000\nRep: hi",
    "entities": "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nRep: " + "&amp" * (MB // 4),
    "deep JSON": "[" * MB,
    "long JSON string": json.dumps({"format": "nextstep-transcript", "turns": [
        {"speaker": "Rep", "role": "rep", "text": "x" * MB}]}),
    "spaces": "Rep:" + " " * MB + "x",
}


@pytest.mark.parametrize("label", sorted(HUGE))
@pytest.mark.parametrize("fmt", [None, *FORMATS])
def test_a_huge_line_parses_or_errors_fast(label: str, fmt: str | None) -> None:
    started = time.perf_counter()
    outcome(HUGE[label], name="huge", format=fmt)
    # A hang detector, not a benchmark (bench/ measures speed): quadratic work on a
    # megabyte would take minutes, linear work takes milliseconds.
    assert time.perf_counter() - started < 5
