"""Transcript readers: every format on good input, every error path, encodings, detection."""

from __future__ import annotations

import codecs
import json
import shlex
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from trainer import formats
from trainer.errors import TranscriptError
from trainer.formats import FORMATS, detect, parse, read
from trainer.moves import Move
from trainer.transcript import Event, Transcript, Turn

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def error(text: str | bytes, **kwargs: object) -> TranscriptError:
    with pytest.raises(TranscriptError) as caught:
        parse(text, **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_public_surface_is_pinned() -> None:
    assert formats.__all__ == ["FORMATS", "calls_in", "detect", "parse", "read"]
    assert FORMATS == ("text", "vtt", "srt", "gong", "json")


# -- plain text -------------------------------------------------------------------------------

PLAIN = """\
[00:05] Rep: Thanks for your time today.
[00:09] Rep: What would you suggest as a next step?

[01:02:03] Prospect: Let me think about it.
    I need to talk to my boss.
00:01:10 Rep: Is it not a priority now, or never?
Prospect: It is a priority.
"""


def test_plain_text_turns_speakers_roles_times_and_lines() -> None:
    t = parse(PLAIN, name="call.txt")
    assert [(x.speaker, x.role) for x in t.turns] == [
        ("Rep", "rep"), ("Prospect", "prospect"), ("Rep", "rep"), ("Prospect", "prospect")]
    # Consecutive lines by one speaker are one turn, joined with a space.
    assert t.turns[0].text == "Thanks for your time today. What would you suggest as a next step?"
    # An indented line continues the turn above.
    assert t.turns[1].text == "Let me think about it. I need to talk to my boss."
    assert [x.time for x in t.turns] == [5.0, 3723.0, 70.0, None]
    assert [x.line for x in t.turns] == [1, 4, 6, 7]
    assert t.meta == {"source": "call.txt", "format": "text"}


def test_plain_text_speaker_spelling_and_case_do_not_split_a_turn() -> None:
    t = parse("Rep: one\nREP:   two\nProspect: three\n")
    assert [(x.speaker, x.text) for x in t.turns] == [("Rep", "one two"), ("Prospect", "three")]


def test_header_lines_above_the_conversation_are_not_speakers() -> None:
    t = parse("Meeting: Acme / Globex follow-up\nDate: 14 May 2025, 10:00\n"
              "Attendees: Jane Smith, Jane Doe\n\nRep: What next?\nProspect: A demo.\n"
              "Rep: Date: the 14th then?\n")
    assert [x.speaker for x in t.turns] == ["Rep", "Prospect", "Rep"]
    assert t.turns[0].line == 5 and t.turns[2].text == "Date: the 14th then?"
    # a header's value may run on over indented lines
    t = parse("Attendees:\n  Dana Smith (Acme)\n  Jo Lee (Globex)\nAgenda: pricing,\n"
              "  then next steps\nRep: What next?\nProspect: A demo.\n")
    assert [x.speaker for x in t.turns] == ["Rep", "Prospect"]


def test_uniformly_indented_file_reads_like_an_unindented_one() -> None:
    indented = "".join(f"    {line}\n" for line in ("Rep: hi", "Prospect: hello", "Rep: bye"))
    assert [x.text for x in parse(indented).turns] == ["hi", "hello", "bye"]


def test_plain_line_without_speaker_is_an_error_naming_line_and_expectation() -> None:
    e = error("Rep: Shall we meet?\n\nSure, Tuesday works.\n", name="call.txt")
    assert (e.file, e.line) == ("call.txt", 3)
    assert "expected 'Speaker: text'" in str(e)
    assert "Sure, Tuesday works." in str(e)
    assert str(e).startswith("call.txt:3:")


def test_first_line_cannot_continue_a_turn() -> None:
    e = error("   just words\nRep: hello\n")
    assert e.line == 1 and "expected 'Speaker: text'" in e.message


@pytest.mark.parametrize("line", ["10:30 works for me.", "See https://example.com for more"])
def test_colons_in_times_and_links_do_not_make_a_speaker(line: str) -> None:
    assert error(f"Rep: when?\n{line}\n").line == 2


def test_impossible_timestamp_is_an_error() -> None:
    e = error("Rep: hi\n[00:75] Prospect: hello\n")
    assert e.line == 2 and "00:75" in e.message


# -- roles ------------------------------------------------------------------------------------

NAMED = "Dana Whitfield: What next?\nMarcus Bell: Let me think.\nAisha Khan: Me too.\n"


@pytest.mark.parametrize("rep", ["Dana Whitfield", "  dana   WHITFIELD ", "Dana", "dana w"])
def test_rep_by_name_first_name_or_prefix(rep: str) -> None:
    t = parse(NAMED, rep=rep)
    assert [x.role for x in t.turns] == ["rep", "prospect", "prospect"]


def test_unknown_rep_lists_speakers_and_suggests_the_closest() -> None:
    e = error(NAMED, rep="Dnaa", name="call.txt")
    assert e.file == "call.txt"
    for speaker in ("Dana Whitfield", "Marcus Bell", "Aisha Khan"):
        assert speaker in e.message
    assert 'Did you mean "Dana Whitfield"?' in e.message


def test_rep_prefix_shared_by_two_speakers_is_refused() -> None:
    e = error("Dana Whitfield: hi\nDana Moss: hello\n", rep="Dana")
    assert "several speakers" in e.message and "Dana Moss" in e.message


def test_without_rep_unknown_names_ask_for_rep() -> None:
    e = error(NAMED)
    assert "--rep" in e.message and "Marcus Bell" in e.message


@pytest.mark.parametrize(("known", "other_role"), [("Me", "prospect"), ("Customer", "rep")])
def test_two_speakers_one_known_gives_the_other_the_other_role(known: str,
                                                                 other_role: str) -> None:
    t = parse(f"{known}: hello\nJordan Lee: hi\n")
    assert t.turns[1].role == other_role and t.turns[0].role != other_role


def test_three_speakers_one_known_is_ambiguous() -> None:
    e = error("Rep: hello\nJordan: hi\nSam: hey\n")
    assert "Jordan" in e.message and "Sam" in e.message and "--rep" in e.message


# -- WebVTT -----------------------------------------------------------------------------------

ZOOM = """\
WEBVTT

1
00:00:01.500 --> 00:00:04.000
Dana Whitfield: What would you suggest

2
00:00:04.000 --> 00:00:06.000
Dana Whitfield: as a next step?

3
00:00:07.250 --> 00:00:09.000
Sam Ortiz: Let me think about it,
and talk to my team.

4
00:00:09.000 --> 00:00:10.000
mostly my team.
"""


def test_zoom_vtt_merges_cues_by_speaker_with_first_cue_time_and_line() -> None:
    t = parse(ZOOM, name="call.vtt", rep="Dana")
    assert [(x.speaker, x.role, x.time, x.line) for x in t.turns] == [
        ("Dana Whitfield", "rep", 1.5, 5), ("Sam Ortiz", "prospect", 7.25, 13)]
    assert t.turns[0].text == "What would you suggest as a next step?"
    # A cue without a name continues the speaker before it.
    assert t.turns[1].text == "Let me think about it, and talk to my team. mostly my team."
    assert t.meta == {"source": "call.vtt", "format": "vtt"}


TEAMS = """\
WEBVTT - exported
Kind: captions

NOTE
a note block
spanning lines

STYLE
::cue(v[voice="Dana"]) { color: teal }

a1b2/1-0
00:01:00.000 --> 00:01:02.000 align:start position:10%
<v Dana Whitfield>Shall we fix a time? Tom &amp; Jerry</v>

a1b2/2-0
00:01:02.500 --> 00:01:05.000
<v.loud Jo Park><i>Tuesday</i> works,
for me.</v>

00:01:05.000 --> 00:01:06.000
<v Dana Whitfield>Great.</v> <v Jo Park>Bye.</v>
"""


def test_teams_vtt_voice_tags_notes_styles_ids_and_settings() -> None:
    t = parse(TEAMS, rep="dana")
    assert [(x.speaker, x.text, x.time) for x in t.turns] == [
        ("Dana Whitfield", "Shall we fix a time? Tom & Jerry", 60.0),
        ("Jo Park", "Tuesday works, for me.", 62.5),
        ("Dana Whitfield", "Great.", 65.0),
        ("Jo Park", "Bye.", 65.0),
    ]
    assert [x.line for x in t.turns] == [13, 17, 21, 21]


def test_vtt_malformed_timing_names_its_line() -> None:
    bad = ZOOM.replace("00:00:04.000 --> 00:00:06.000", "00:00:04.000 -> 00:00:06")
    e = error(bad, name="call.vtt", rep="Dana")
    assert (e.file, e.line) == ("call.vtt", 8)
    assert "timing" in e.message


def test_vtt_impossible_time_is_malformed() -> None:
    e = error("WEBVTT\n\n00:00:61.000 --> 00:01:02.000\nRep: hi\n")
    assert e.line == 3 and "malformed cue timing" in e.message


def test_vtt_first_cue_without_speaker_is_an_error() -> None:
    e = error("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello there\n")
    assert e.line == 4 and "speaker" in e.message


def test_vtt_needs_its_header() -> None:
    e = error("00:00:01.000 --> 00:00:02.000\nRep: hi\n", format="vtt")
    assert e.line == 1 and "WEBVTT" in e.message


def test_vtt_text_outside_a_cue_is_an_error() -> None:
    e = error("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nRep: hi\n\nstray words\n")
    assert e.line == 6 and "timing" in e.message


# -- SRT --------------------------------------------------------------------------------------

SRT = """\
1
00:00:01,000 --> 00:00:03,000
Rep: Where would you like to take this?

2
00:00:03,000 --> 00:00:05,500
Rep: From here, I mean.

3
00:01:00,250 --> 00:01:02,000 X1:100 X2:200
Prospect: Friday at 9:30 works.
"""


def test_srt_cues_merge_by_speaker() -> None:
    t = parse(SRT, name="call.srt")
    assert [(x.speaker, x.role, x.time, x.line) for x in t.turns] == [
        ("Rep", "rep", 1.0, 3), ("Prospect", "prospect", 60.25, 11)]
    assert t.turns[0].text == "Where would you like to take this? From here, I mean."
    assert t.meta["format"] == "srt"


def test_srt_malformed_timing_names_its_line() -> None:
    e = error(SRT.replace("00:00:03,000 --> 00:00:05,500", "00:00:03 to 00:00:05"),
              name="call.srt")
    assert e.line == 6 and "00:00:01,000 --> 00:00:04,000" in e.message


def test_srt_number_without_timing_and_stray_text_are_errors() -> None:
    assert error("1\nRep: hi\n", format="srt").line == 2
    assert error(SRT + "\nwhat is this\n", format="srt").line == 13


# -- Gong -------------------------------------------------------------------------------------

def gong(*monologues: tuple[object, list[tuple[int, str]]], calls: int = 1) -> str:
    call = {"callId": "42", "transcript": [
        {"speakerId": who, "topic": None,
         "sentences": [{"start": s, "end": s + 1000, "text": text} for s, text in said]}
        for who, said in monologues]}
    return json.dumps({"requestId": "x", "callTranscripts": [call] * calls})


GONG = gong(("111", [(1500, "What next?"), (3000, "Any ideas?")]),
            ("111", [(5000, "Take your time.")]),
            ("222", [(9000, "Tuesday works.")]))


def test_gong_speakers_are_ids_and_rep_is_chosen_by_id() -> None:
    t = parse(GONG, name="call.json", rep="111")
    assert [(x.speaker, x.role, x.time) for x in t.turns] == [
        ("111", "rep", 1.5), ("222", "prospect", 9.0)]
    assert t.turns[0].text == "What next? Any ideas? Take your time."
    assert t.meta == {"source": "call.json", "format": "gong", "callId": "42"}


def test_gong_without_rep_lists_speaker_ids() -> None:
    e = error(GONG, name="call.json")
    assert "111" in e.message and "222" in e.message and "--rep" in e.message


def test_gong_rep_must_be_an_exact_id() -> None:
    assert "11" in error(GONG, rep="11").message


def test_gong_numeric_speaker_ids_are_read_as_text() -> None:
    t = parse(gong((111, [(0, "hi")]), (222, [(1000, "hello")])), rep="222")
    assert [x.speaker for x in t.turns] == ["111", "222"]


def test_gong_wrong_shape_names_the_field() -> None:
    doc = json.loads(GONG)
    doc["callTranscripts"][0]["transcript"][2]["sentences"][0]["start"] = "soon"
    e = error(json.dumps(doc), rep="111")
    assert "callTranscripts[0].transcript[2].sentences[0].start" in e.message
    assert "'soon'" in e.message


def test_gong_numbers_too_large_are_a_clean_error() -> None:
    doc = json.loads(GONG)
    doc["callTranscripts"][0]["transcript"][0]["sentences"][0]["start"] = 10 ** 400
    e = error(json.dumps(doc), rep="111")  # was an OverflowError
    assert "sentences[0].start' is a number of 401 digits, too large" in e.message
    e = error('{"callTranscripts": [{"transcript": [{"speakerId": ' + "7" * 5000 + "}]}]}")
    assert "thousands of digits" in e.message and "set_int_max_str_digits" not in e.message


def test_gong_with_several_calls_is_read_a_call_at_a_time(tmp_path: Path) -> None:
    assert "2 calls" in error(gong(("1", [(0, "hi")]), calls=2)).message  # which one?
    path = tmp_path / "export.json"
    doc = json.loads(gong(("1", [(0, "hi")]), ("2", [(900, "hello")]), calls=2))
    doc["callTranscripts"][1]["transcript"][0]["sentences"][0]["text"] = "second call"
    path.write_text(json.dumps(doc), "utf-8")
    assert formats.calls_in(path) == 2
    assert formats.calls_in(tmp_path / "missing.json") == 1
    second = formats.read(path, rep="1", call=2)
    assert second.turns[0].text == "second call"
    with pytest.raises(TranscriptError, match="there is no call 3"):
        formats.read(path, rep="1", call=3)
    assert "holds no call to grade" in error(gong(("1", [(0, "hi")]), calls=0)).message


# -- NextStep JSON ----------------------------------------------------------------------------

def sample() -> Transcript:
    ask = Move("ask_next_step", 0, 10, "What next?", 0.875)
    return Transcript(
        turns=(Turn("Rep", "rep", "What next? Shall we meet?", (ask,), time=1.5),
               Turn("Prospect", "prospect", "Let me think.", (Move("stall", 0, 13, "Let me think.",
                                                                 0.5),)),
               Turn("Rep", "rep", "Is it a priority?")),
        events=(Event(1, "stall", {"kind": "think"}), Event(2, "confronted")),
        meta={"scenario": "cold-lead", "seed": 7},
    )


def test_nextstep_json_round_trip() -> None:
    original = sample()
    back = parse(json.dumps(original.to_dict(), indent=2), name="run.json")
    assert back == replace(original, meta={**original.meta, "source": "run.json",
                                           "format": "json"})


def test_nextstep_json_ignores_rep_because_roles_are_stored() -> None:
    text = json.dumps(sample().to_dict())
    assert parse(text, rep="Prospect").turns == parse(text).turns


def test_invalid_json_reports_line_and_column() -> None:
    e = error('{\n  "format": "nextstep-transcript",\n  "turns": [,]\n}\n', name="run.json")
    assert (e.file, e.line, e.column) == ("run.json", 3, 13)
    assert str(e).startswith("run.json:3:13:")


@pytest.mark.parametrize(("path", "value", "named"), [
    (("turns", 1, "role"), "seller", "turns[1].role"),
    (("turns", 0, "moves", 0, "span"), [1], "turns[0].moves[0].span"),
    (("turns", 0, "moves", 0, "confidence"), "high", "turns[0].moves[0].confidence"),
    (("turns", 2, "text"), None, "turns[2].text"),
    (("events", 0, "turn"), "1", "events[0].turn"),
    (("events", 0, "turn"), 99, "events[0].turn"),  # no such turn (was an IndexError)
    (("events", 0, "turn"), -1, "events[0].turn"),  # was read as the last turn
    (("turns", 0, "time"), 10 ** 400, "turns[0].time"),  # was an OverflowError
    (("turns", 0, "moves", 0, "span"), [0, 10 ** 30], "turns[0].moves[0].span[1]"),
    (("turns",), {}, "turns"),
    (("format",), "other", "format"),
])
def test_wrong_json_shape_names_the_field(path: tuple[object, ...], value: object,
                                          named: str) -> None:
    doc = sample().to_dict()
    target: Any = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    e = error(json.dumps(doc), name="run.json")
    assert f"'{named}'" in e.message and e.file == "run.json"


def test_missing_field_and_unknown_move_are_explained() -> None:
    doc = sample().to_dict()
    del doc["turns"][0]["speaker"]
    assert "'turns[0].speaker' is missing" in error(json.dumps(doc)).message
    doc = sample().to_dict()
    doc["turns"][0]["moves"][0]["move"] = "ask_nextstep"
    assert "did you mean 'ask_next_step'" in error(json.dumps(doc)).message


def test_transcript_from_a_newer_nextstep_is_refused() -> None:
    doc = {**sample().to_dict(), "version": 99}
    assert "upgrade" in error(json.dumps(doc)).message


# -- decoding ---------------------------------------------------------------------------------

CAFE = "Rep: Un café, señor?\nProspect: Sí, gracias.\n"


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + CAFE.encode("utf-8"),
    codecs.BOM_UTF16_LE + CAFE.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + CAFE.encode("utf-16-be"),
    CAFE.encode("latin-1"),
])
def test_encodings(data: bytes) -> None:
    t = parse(data, name="call.txt")
    assert [x.text for x in t.turns] == ["Un café, señor?", "Sí, gracias."]
    assert t.turns[0].speaker == "Rep"  # no BOM glued to the first name


def test_windows_curly_quotes_decode_as_quotes() -> None:
    t = parse("Rep: It’s “fine”.\n".encode("cp1252"))
    assert t.turns[0].text == "It’s “fine”."


def test_bom_before_a_vtt_header_still_detects_vtt() -> None:
    t = parse(codecs.BOM_UTF8 + ZOOM.encode(), rep="Dana")
    assert t.meta["format"] == "vtt"


@pytest.mark.parametrize("data", [b"", b"   \n\n\t\n", codecs.BOM_UTF8, "  \n"])
def test_empty_input_is_a_clear_error(data: str | bytes) -> None:
    e = error(data, name="call.txt")
    assert "is empty" in e.message and e.file == "call.txt"


@pytest.mark.parametrize("data", [
    b"Rep: hi\x00\x00\x01\x02binary",
    bytes(range(1, 32)) * 40,
    CAFE.encode("utf-16-le"),  # UTF-16 without a byte-order mark
])
def test_binary_junk_is_not_a_transcript(data: bytes) -> None:
    assert "does not look like a transcript" in error(data, name="x.bin").message


def test_invalid_utf16_after_its_bom_is_an_error() -> None:
    assert "UTF-16" in error(codecs.BOM_UTF16_LE + "Rep: hi".encode("utf-16-le") + b"\x00").message


def test_junk_behind_a_utf16_bom_is_not_read_as_text() -> None:
    # it decodes (as CJK), but none of its line breaks do: the error says so, not a
    # garbled "expected 'Speaker: text' but found '最牡慢敧'"
    e = error(codecs.BOM_UTF16_LE + b"\x00garbage\x00\n", name="x.txt")
    assert "does not read as UTF-16 text" in e.message
    ok = parse(codecs.BOM_UTF16_LE + "Rep: hi\nProspect: hello\n".encode("utf-16-le"),
               name="x.txt")
    assert [t.text for t in ok.turns] == ["hi", "hello"]


# -- detection and read() ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "name", "expected"), [
    (PLAIN, "call.txt", "text"),
    (PLAIN, "<stdin>", "text"),
    (ZOOM, "call.vtt", "vtt"),
    (ZOOM, "call.txt", "vtt"),  # the header beats the extension
    (ZOOM, "<stdin>", "vtt"),
    (SRT, "call.srt", "srt"),
    (SRT, "call.txt", "srt"),
    (SRT, "<stdin>", "srt"),
    (GONG, "call.json", "gong"),
    (GONG, "<stdin>", "gong"),
    (json.dumps(sample().to_dict()), "run.json", "json"),
    (json.dumps(sample().to_dict()), "<stdin>", "json"),
    ("Rep: hi", "call.vtt", "vtt"),  # the extension decides when content says nothing
    ("Rep: hi", "CALL.SRT", "srt"),
])
def test_detect(text: str, name: str, expected: str) -> None:
    assert detect(text, name) == expected


def test_format_overrides_detection() -> None:
    e = error(ZOOM, name="call.vtt", format="text")
    assert e.line == 1 and "expected 'Speaker: text'" in e.message
    assert parse("Rep: hi\nProspect: hello\n", name="x.vtt", format="TEXT").meta["format"] == "text"


def test_unknown_format_name_suggests_one() -> None:
    e = error("Rep: hi", format="vttt")
    assert "Did you mean 'vtt'?" in e.message and "text, vtt, srt, gong, json" in e.message


def test_read_files_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "call.srt"
    path.write_bytes(codecs.BOM_UTF8 + SRT.replace("\n", "\r\n").encode())
    t = read(path)
    assert t.meta == {"source": str(path), "format": "srt"}
    assert [x.line for x in t.turns] == [3, 11]  # CRLF counts as one line break
    with pytest.raises(TranscriptError) as caught:
        read(tmp_path / "nope.txt")
    assert caught.value.file == str(tmp_path / "nope.txt")
    with pytest.raises(TranscriptError):
        read(tmp_path)


# -- examples ---------------------------------------------------------------------------------

def documented_commands() -> dict[str, str | None]:
    """``examples/README.md``'s grade commands: file name -> the ``--rep`` they pass."""
    commands: dict[str, str | None] = {}
    for line in (EXAMPLES / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("nextstep grade "):
            words = shlex.split(line)
            rep = words[words.index("--rep") + 1] if "--rep" in words else None
            commands[Path(words[2]).name] = rep
    return commands


def test_every_example_has_a_documented_grade_command() -> None:
    shipped = {p.name for p in EXAMPLES.iterdir() if p.name != "README.md"}
    assert {"strong-call.txt", "weak-call.txt", "stall-handled.txt", "zoom-export.vtt",
            "teams-export.vtt", "call.srt", "gong-export.json"} <= shipped
    assert set(documented_commands()) == shipped


@pytest.mark.parametrize("name", sorted(documented_commands()))
def test_example_reads_as_documented(name: str) -> None:
    t = read(EXAMPLES / name, rep=documented_commands()[name])
    assert {x.role for x in t.turns} == {"rep", "prospect"}
    assert all(a.speaker != b.speaker for a, b in zip(t.turns, t.turns[1:], strict=False))
    assert all(x.text for x in t.turns)
    assert t.meta["format"] == detect((EXAMPLES / name).read_text(encoding="utf-8"), name)
