"""The prospect engine: built-in reactions, transitions, calendar, clock, patience, seeds.

Most tests drive the engine with a tiny explicit classifier (a dict from line to moves) and
time finder, so each reaction is tested on exactly the moves it reacts to; the last ones play
the shipped scenario with the real classifier and lines written as a trainee types them.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.engine import DEFAULT_REACTIONS, Engine, Reply
from trainer.errors import UsageError
from trainer.moves import REP_MOVES, Move
from trainer.scenario import Scenario
from trainer.scenario_load import find_scenario, load_scenario_text

LONDON = ZoneInfo("Europe/London")

BASE = """\
id: unit
title: Unit
difficulty: 1
persona: {name: Sam Reed, role: CFO, company: Acme, volunteered: stall, tasks: accept}
brief: b
goal: g
calendar:
  now: {date: 2025-03-11, time: "10:00", timezone: Europe/London}
  working_hours: {mon-fri: "09:00-17:00"}
  busy:
    - {date: 2025-03-12, time: "10:00-12:00", what: the board meeting}
clock: {minutes: 30, per_turn: 1, warn_at: 5}
patience: 3
states:
  talk:
    say: ["So, what now?", "Where do we go from here?"]
fallback: ["Sorry?", "Pardon?", "Come again?"]
endings:
  won: "See you then."
  lost: "I have to go."
  no_decision: "Let's be in touch."
"""


@dataclass(frozen=True)
class Mention:
    kind: str
    when: dt.datetime | None
    text: str
    time_only: bool = False
    day_only: bool = False


class Script:
    """A classifier and time finder that know exactly the lines a test uses."""

    def __init__(self, moves: dict[str, Iterable[str]] | None = None,
                 times: dict[str, Sequence[Mention]] | None = None) -> None:
        self.moves = {k: tuple(v) for k, v in (moves or {}).items()}
        self.times = dict(times or {})
        self.calls: list[tuple[str, str, str | None]] = []

    def classify(self, text: str, *, role: str = "rep", previous: str | None = None,
                 **_: object) -> tuple[Move, ...]:
        self.calls.append((text, role, previous))
        if role != "rep":
            return ()
        return tuple(Move(name, 0, len(text), text, 0.9) for name in self.moves.get(text, ()))

    def find_times(self, text: str, now: dt.datetime) -> tuple[Mention, ...]:
        return tuple(self.times.get(text, ()))


def at(day: int, hour: int, minute: int = 0, tz: ZoneInfo = LONDON) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=tz)


def scenario(*replace: tuple[str, str], extra: str = "") -> Scenario:
    text = BASE
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    return load_scenario_text(text + textwrap.dedent(extra))


def engine(s: Scenario | None = None, script: Script | None = None, seed: int = 0) -> Engine:
    script = script or Script()
    return Engine(s or scenario(), seed=seed, classify=script.classify,
                  find_times=script.find_times)


def kinds(reply: Reply) -> list[str]:
    return [e.kind for e in reply.events]


TALK = 'states:\n  talk:\n    say: ["So, what now?", "Where do we go from here?"]\n'
STALLING = """\
states:
  thinking:
    stall: true
    say: "Let me think about it."
    reveal: ["Honestly, the budget is frozen until July."]
  talk:
    say: ["So, what now?"]
"""


def stalling(**persona: str) -> Scenario:
    pairs = [(TALK, STALLING)]
    for key, value in persona.items():
        pairs.append((f"{key}: {'stall' if key == 'volunteered' else 'accept'}",
                      f"{key}: {value}"))
    return scenario(*pairs)


# --- opening -------------------------------------------------------------------------------


def test_opening_is_the_start_states_line_and_raises_its_stall() -> None:
    e = engine(stalling())
    assert e.opening() == "Let me think about it."
    assert e.opening() == "Let me think about it."  # said once
    t = e.transcript
    assert len(t.turns) == 1 and t.turns[0].role == "prospect"
    assert t.turns[0].speaker == "Sam Reed" and t.turns[0].has("stall")
    assert [(ev.turn, ev.kind, ev.detail) for ev in t.events] == [
        (0, "stall_raised", {"state": "thinking"})]
    assert e.values["stall_open"] is True


def test_reply_opens_the_meeting_when_needed() -> None:
    script = Script({"Hi": ()})
    e = engine(script=script)
    e.reply("Hi")
    assert [t.role for t in e.transcript.turns] == ["prospect", "rep", "prospect"]
    # The classifier is told the prospect's previous line, for stall answers.
    assert ("Hi", "rep", e.transcript.turns[0].text) in script.calls


# --- built-in reactions --------------------------------------------------------------------


def test_ask_next_step_proposes_one_then_agrees() -> None:
    e = engine(script=Script({"What's next?": ["ask_next_step"],
                              "So what should we do?": ["ask_next_step"]}))
    first = e.reply("What's next?")
    assert first.line in DEFAULT_REACTIONS["next_step_proposed"]
    assert e.values["next_step"] is True
    second = e.reply("So what should we do?")
    assert second.line in DEFAULT_REACTIONS["next_step_agreed"]


@pytest.mark.parametrize("line", ["Great, see you Friday at 11 then.", "where do we go from here?"])
def test_once_a_time_is_booked_the_prospect_does_not_ask_when_again(line: str) -> None:
    e = staller()
    e.reply("Is this a priority for you right now, or ever?")
    e.reply("Are you free Friday 14 March at 11am?")
    assert e.values["slot_agreed"]
    said = e.reply(line).line
    assert said in {x.format(slot="Friday 14 March at 11am")
                    for x in DEFAULT_REACTIONS["slot_repeated"]}
    assert "when" not in said.lower()


def test_volunteered_work_stalls_by_default() -> None:
    e = engine(script=Script({"I'll send a proposal.": ["tell_next_step"]}))
    r = e.reply("I'll send a proposal.")
    assert r.line in DEFAULT_REACTIONS["told_stall"]
    assert kinds(r) == ["stall_raised"]
    assert e.transcript.turns[-1].has("stall") and e.values["stall_open"]


def test_volunteered_work_is_accepted_passively_by_some() -> None:
    e = engine(scenario(("volunteered: stall", "volunteered: accept")),
               Script({"I'll send a proposal.": ["tell_next_step"]}))
    r = e.reply("I'll send a proposal.")
    assert r.line in DEFAULT_REACTIONS["told_accepted"]
    assert kinds(r) == [] and not e.values["slot_agreed"] and not r.ended


def test_confronted_stall_reveals_the_real_concern() -> None:
    e = engine(stalling(), Script({"Is this a priority?": ["confront_stall"]}))
    e.opening()
    r = e.reply("Is this a priority?")
    assert r.line == "Honestly, the budget is frozen until July."
    assert [(ev.turn, ev.kind) for ev in r.events] == [(1, "stall_confronted")]
    assert e.values["stall_open"] is False and e.values["confronted"] == 1


def test_confronted_stall_without_reveal_lines_uses_the_built_in() -> None:
    s = load_scenario_text(BASE.replace(
        TALK, STALLING.replace('    reveal: ["Honestly, the budget is frozen until July."]\n', "")))
    e = engine(s, Script({"Is this a priority?": ["confront_stall"]}))
    assert e.reply("Is this a priority?").line in DEFAULT_REACTIONS["stall_revealed"]


def test_pushing_past_an_open_stall_gets_the_stall_again() -> None:
    e = engine(stalling(), Script({"Tuesday at 2?": ["propose_time"],
                                   "What's next?": ["ask_next_step"]},
                                  {"Tuesday at 2?": [Mention("slot", at(18, 14), "Tuesday at 2")]}))
    r = e.reply("Tuesday at 2?")
    assert r.line in DEFAULT_REACTIONS["stall_repeated"]
    assert kinds(r) == ["slot_proposed", "stall_raised"]
    assert not e.values["slot_agreed"]
    assert kinds(e.reply("What's next?")) == ["stall_raised"]
    assert e.values["stalls"] == 3


def test_accepting_a_stall_ends_with_no_decision() -> None:
    e = engine(stalling(), Script({"Sure, take your time.": ["accept_stall"]}))
    r = e.reply("Sure, take your time.")
    assert r.ended and r.outcome == "no_decision"
    assert r.line.endswith("Let's be in touch.")
    assert [(ev.kind, ev.detail) for ev in r.events] == [
        ("stall_accepted", {"state": "thinking"}),
        ("ending", {"outcome": "no_decision", "reason": "stall accepted"})]
    with pytest.raises(UsageError, match="has ended"):
        e.reply("Wait!")


def test_volunteering_work_is_not_a_confrontation() -> None:
    # A classifier may read "how about I send a quote?" after a stall as probing it; the
    # engine treats volunteered work as the way out it is.
    e = engine(stalling(), Script({"How about I get you a quote?":
                                   ["tell_next_step", "confront_stall"]}))
    r = e.reply("How about I get you a quote?")
    assert r.line in DEFAULT_REACTIONS["told_stall"]
    assert kinds(r) == ["stall_raised"]


def test_volunteering_again_after_the_stall_it_met_lets_it_stand() -> None:
    # Whatever the classifier makes of the second offer, it answers the stall that the first
    # offer met by leaving it open: the method's accepted stall.
    first, second = "How about I get you a quote?", "Lovely, I'll have it over by Friday."
    e = engine(stalling(), Script({first: ["tell_next_step"], second: ["tell_next_step"]}))
    assert kinds(e.reply(first)) == ["stall_raised"]
    r = e.reply(second)
    assert r.outcome == "no_decision"
    assert "stall_accepted" in kinds(r)


def test_a_free_time_is_accepted() -> None:
    line = "Are you free Thursday at 2pm?"
    e = engine(script=Script({line: ["propose_time"]},
                             {line: [Mention("slot", at(13, 14), "Thursday at 2pm")]}))
    r = e.reply(line)
    assert r.line in {x.format(slot="Thursday 13 March at 2pm")
                      for x in DEFAULT_REACTIONS["slot_accepted"]}
    assert [(ev.turn, ev.kind, ev.detail) for ev in r.events] == [
        (1, "slot_proposed", {"when": at(13, 14).isoformat()}),
        (2, "slot_accepted", {"when": at(13, 14).isoformat()})]
    assert e.values["slot_agreed"] and e.transcript.meta["slot"] == at(13, 14).isoformat()


@pytest.mark.parametrize(("when", "reason", "counter"), [
    (at(12, 11), "I've got the board meeting then", at(12, 12)),
    (at(15, 11), "I don't work on Saturdays", at(14, 16, 30)),
    (at(12, 7), "that's outside my working hours", at(12, 9)),
])
def test_a_taken_time_gets_the_nearest_free_one(when: dt.datetime, reason: str,
                                                counter: dt.datetime) -> None:
    e = engine(script=Script({"How about then?": ["propose_time"]},
                             {"How about then?": [Mention("slot", when, "then")]}))
    r = e.reply("How about then?")
    cal = e.scenario.calendar
    assert reason in r.line and cal.describe(counter) in r.line
    assert r.events[-1].kind == "slot_countered"
    assert r.events[-1].detail == {"proposed": when.isoformat(), "counter": counter.isoformat()}
    assert not e.values["slot_agreed"]


def test_a_taken_time_with_nothing_free_near_it() -> None:
    s = scenario(("    - {date: 2025-03-12, time: \"10:00-12:00\", what: the board meeting}",
                  "    - {every: weekdays, what: a secondment}\n  horizon_days: 5"))
    line = "Wednesday at 11?"
    e = engine(s, Script({line: ["propose_time"]},
                         {line: [Mention("slot", at(12, 11), "Wednesday at 11")]}))
    r = e.reply(line)
    assert r.line in {x.format(proposed="Wednesday 12 March at 11am",
                               reason="I've got a secondment then")
                      for x in DEFAULT_REACTIONS["slot_unavailable"]}
    assert kinds(r) == ["slot_proposed"] and not e.values["slot_agreed"]


def test_a_yes_books_the_counter_proposal_but_only_right_away() -> None:
    script = Script({"Wednesday at 11?": ["propose_time"], "Great, that works.": [],
                     "Our product is great.": []},
                    {"Wednesday at 11?": [Mention("slot", at(12, 11), "Wednesday at 11")]})
    e = engine(script=script)
    e.reply("Wednesday at 11?")
    r = e.reply("Great, that works.")
    assert kinds(r) == ["slot_accepted"] and r.events[0].detail["when"] == at(12, 12).isoformat()
    e.undo()
    e.reply("Our product is great.")  # the counter-proposal lapses
    assert not kinds(e.reply("Great, that works."))
    assert not e.values["slot_agreed"]


@pytest.mark.parametrize("taking", ["12pm works.", "Yes, 12 works for me."])
def test_a_time_without_a_day_takes_the_counter_proposals_day(taking: str) -> None:
    # "12pm works" after "How about Wednesday at 12?" is that Wednesday, not today at 12
    script = Script({"Wednesday at 11?": ["propose_time"], taking: ["propose_time"]},
                    {"Wednesday at 11?": [Mention("slot", at(12, 11), "Wednesday at 11")],
                     taking: [Mention("slot", at(11, 12), "12pm", time_only=True)]})
    e = engine(script=script)
    e.reply("Wednesday at 11?")
    r = e.reply(taking)
    assert kinds(r)[-1] == "slot_accepted"
    assert e.transcript.meta["slot"] == at(12, 12).isoformat()


@pytest.mark.parametrize(("taking", "mention", "booked"), [
    ("Wednesday works.", Mention("window", at(12, 0), "Wednesday", day_only=True), True),
    ("12 works", None, True),  # a bare number is no time mention, but it says yes
    ("Thursday works.", Mention("window", at(13, 0), "Thursday", day_only=True), False),
])
def test_taking_up_the_counter_proposal_by_its_day_or_a_yes(
        taking: str, mention: Mention | None, booked: bool) -> None:
    script = Script({"Wednesday at 11?": ["propose_time"], taking: ["vague_time"]},
                    {"Wednesday at 11?": [Mention("slot", at(12, 11), "Wednesday at 11")],
                     taking: [mention] if mention else []})
    e = engine(script=script)
    e.reply("Wednesday at 11?")  # countered with Wednesday at 12
    r = e.reply(taking)
    assert ("slot_accepted" in kinds(r)) is booked
    assert (e.transcript.meta.get("slot") == at(12, 12).isoformat()) is booked


@pytest.mark.parametrize(("hour", "confirmed"), [(14, True), (15, False)])
def test_a_recap_with_a_time_but_no_day_is_checked_against_the_booked_day(
        hour: int, confirmed: bool) -> None:
    book, recap = "Thursday at 2?", "So: you bring the numbers, we meet at the time."
    e = engine(script=Script({book: ["propose_time"], recap: ["recap", "propose_time"]},
                             {book: [Mention("slot", at(13, 14), "Thursday at 2")],
                              recap: [Mention("slot", at(11, hour), "at", time_only=True)]}))
    e.reply(book)
    r = e.reply(recap)
    assert ("recap_confirmed" in kinds(r)) is confirmed
    assert ("recap_corrected" in kinds(r)) is not confirmed


def test_times_are_checked_across_time_zones() -> None:
    s = scenario(("  working_hours:", "  timezone: America/New_York\n  working_hours:"))
    line = "Wednesday at 10?"
    e = engine(s, Script({line: ["propose_time"]},
                         {line: [Mention("slot", at(12, 10), "Wednesday at 10")]}))
    r = e.reply(line)  # 06:00 in New York
    assert "outside my working hours" in r.line
    assert "Wednesday 12 March at 1pm your time (9am for me)" in r.line


@pytest.mark.parametrize(("line", "booked"), [
    ("Are you free Thursday 13 March at 10am your time?", at(13, 14)),  # New York's 10am
    ("Are you free Thursday 13 March at 2pm?", at(13, 14)),  # the trainee's own clock
    ("Could we do Thursday 13 March at 10am, your time zone?", at(13, 14)),
    ("thursday 13 march 10am ur time?", at(13, 14)), ("Thursday 13 March at 10am for you?",
                                                     at(13, 14)),
    ("Thursday 13 March at 10am (your local time)?", at(13, 14)),
])
def test_a_time_said_on_the_prospects_clock_is_read_on_it(line: str, booked: dt.datetime) -> None:
    s = scenario(("  working_hours:", "  timezone: America/New_York\n  working_hours:"))
    e = Engine(s, seed=0)
    r = e.reply(line)
    assert e.transcript.meta.get("slot") == booked.isoformat(), r.line
    assert "Thursday 13 March at 2pm your time (10am for me)" in r.line


def test_a_vague_window_stays_vague() -> None:
    line = "Can I call you in a few weeks?"
    e = engine(script=Script({line: ["vague_time", "ask_next_step"]},
                             {line: [Mention("window", None, "in a few weeks")]}))
    r = e.reply(line)
    assert "sometime in a few weeks" in r.line
    assert [(ev.kind, ev.detail) for ev in r.events] == [
        ("window_proposed", {"text": "in a few weeks"})]
    assert not e.values["slot_agreed"]


def test_the_prospect_says_a_window_back_with_its_days_and_months_capitalised() -> None:
    line = "could we talk tuesday october 7th?"
    e = engine(script=Script({line: ["vague_time"]},
                             {line: [Mention("window", None, "tuesday october 7th")]}))
    assert "sometime Tuesday October 7th" in e.reply(line).line


@pytest.mark.parametrize(("line", "said"), [
    ("maybe sometime in the next fortnight?", "sometime in the next fortnight"),
    ("could we talk within the next month?", "sometime within the next month"),
    ("Can we get something in over the summer?", "sometime over the summer could"),
    ("Are you in next week?", "sometime next week could"),
])
def test_a_window_is_said_back_with_its_preposition(line: str, said: str) -> None:
    assert said in Engine(scenario(), seed=0).reply(line).line


@pytest.mark.parametrize("window", ["sometime next week", "some time in April"])
def test_a_window_said_with_sometime_is_not_said_back_with_it_twice(window: str) -> None:
    line = f"maybe {window}?"
    e = engine(script=Script({line: ["vague_time"]}, {line: [Mention("window", None, window)]}))
    said = e.reply(line).line.lower()
    assert said.count("some") == 1 and window.split(" ", 1)[1].lower() in said


@pytest.mark.parametrize(("attitude", "first", "second"), [
    ("accept", "task_accepted", "task_accepted"),
    ("push_back", "task_refused", "task_accepted"),
    ("refuse", "task_refused", "task_refused"),
])
def test_tasks_follow_the_persona(attitude: str, first: str, second: str) -> None:
    e = engine(scenario(("tasks: accept", f"tasks: {attitude}")),
               Script({"Could you bring the numbers?": ["assign_task"],
                       "Could you bring them anyway?": ["assign_task"]}))
    r1 = e.reply("Could you bring the numbers?")
    r2 = e.reply("Could you bring them anyway?")
    assert kinds(r1) == ["task_assigned", first] and r1.line in DEFAULT_REACTIONS[first]
    assert kinds(r2) == ["task_assigned", second]
    assert e.values["task_agreed"] == (second == "task_accepted")
    assert e.values["tasks_asked"] == 2


def test_recap_is_confirmed_once_a_time_is_agreed() -> None:
    book, recap = "Thursday at 2?", "So: you bring the numbers, we meet Thursday at 2."
    slot = [Mention("slot", at(13, 14), "Thursday at 2")]
    e = engine(script=Script({book: ["propose_time"], recap: ["recap", "propose_time"]},
                             {book: slot, recap: slot}))
    e.reply(book)
    r = e.reply(recap)
    assert kinds(r) == ["slot_proposed", "recap_confirmed", "ending"]
    assert r.ended and r.outcome == "won" and e.values["recapped"]
    assert r.events[-1].detail == {"outcome": "won", "reason": "recap confirmed"}
    assert r.line.endswith("See you then.")


def test_a_recap_that_names_a_free_time_books_it_and_is_confirmed() -> None:
    recap = "So, to confirm: we meet Thursday at 2."
    e = engine(script=Script({recap: ["recap", "propose_time"]},
                             {recap: [Mention("slot", at(13, 14), "Thursday at 2")]}))
    r = e.reply(recap)
    assert kinds(r) == ["slot_proposed", "slot_accepted", "recap_confirmed", "ending"]


def test_recap_before_anything_is_agreed_is_corrected() -> None:
    e = engine(script=Script({"So, to recap, you'll think about it.": ["recap"]}))
    r = e.reply("So, to recap, you'll think about it.")
    assert r.line in DEFAULT_REACTIONS["recap_premature"] and not r.ended


def test_recap_with_the_wrong_time_is_corrected() -> None:
    book, recap = "Thursday at 2?", "So we meet Friday at 3."
    e = engine(script=Script({book: ["propose_time"], recap: ["recap", "propose_time"]},
                             {book: [Mention("slot", at(13, 14), "Thursday at 2")],
                              recap: [Mention("slot", at(14, 15), "Friday at 3")]}))
    e.reply(book)
    r = e.reply(recap)
    assert kinds(r) == ["slot_proposed", "recap_corrected"]
    assert "Thursday 13 March at 2pm" in r.line and not r.ended
    assert e.transcript.meta["slot"] == at(13, 14).isoformat()  # not moved by the recap


def test_a_recap_giving_back_a_task_the_prospect_turned_down_is_corrected() -> None:
    book, task = "Thursday at 2?", "Could you bring the overtime numbers?"
    recap = "So to confirm, Thursday at 2, and you'll bring the overtime numbers. Right?"
    honest = "So to confirm, Thursday at 2, and I'll send the figures. Right?"
    slot = [Mention("slot", at(13, 14), "Thursday at 2")]
    script = Script({book: ["propose_time"], task: ["assign_task"],
                     recap: ["recap", "propose_time"], honest: ["recap", "propose_time"]},
                    {book: slot, recap: slot, honest: slot})
    e = engine(scenario(("tasks: accept", "tasks: refuse")), script)
    e.reply(book)
    assert kinds(e.reply(task)) == ["task_assigned", "task_refused"]
    r = e.reply(recap)
    assert r.line in DEFAULT_REACTIONS["recap_task_refused"] and not r.ended
    assert kinds(r) == ["slot_proposed", "recap_corrected"] and not e.values["recapped"]
    r = e.reply(honest)  # the plan as it really stands
    assert kinds(r)[-2:] == ["recap_confirmed", "ending"] and r.outcome == "won"


# --- scenario transitions and overrides ----------------------------------------------------


RULES = """\
flags: {asked_budget: false, pushes: 0}
intents:
  budget:
    examples: [what budget do you have for this]
    patterns: ['\\bhow much\\b']
reactions:
  slot_accepted: {say: "Done, {slot} it is.", goto: booked}
"""


def ruled(transitions: str) -> Scenario:
    return scenario((TALK,
                     "states:\n  talk:\n    say: \"So, what now?\"\n    on:\n"
                     + textwrap.indent(textwrap.dedent(transitions), "      ")
                     + "  booked:\n    say: Booked.\n"), extra=RULES)


def test_transition_replaces_the_built_in_reaction() -> None:
    s = ruled("""\
        - move: propose_time
          say: "I'm not booking anything until I've spoken to my boss."
        """)
    line = "Thursday at 2?"
    e = engine(s, Script({line: ["propose_time"]},
                         {line: [Mention("slot", at(13, 14), "Thursday at 2")]}))
    r = e.reply(line)
    assert r.line == "I'm not booking anything until I've spoken to my boss."
    assert kinds(r) == ["slot_proposed"]  # the trainee's move is still on record
    assert not e.values["slot_agreed"]


def test_intents_match_examples_and_patterns_with_conditions_and_effects() -> None:
    s = ruled("""\
        - intent: budget
          if: [not asked_budget]
          set: {asked_budget: true, pushes: +1}
          say: "About fifty thousand."
        - intent: budget
          say: "I told you already."
          unproductive: true
        """)
    e = engine(s)
    r = e.reply("So what budget do you have for this?")
    assert r.line == "About fifty thousand." and r.intent == "budget"
    assert e.values["asked_budget"] is True and e.values["pushes"] == 1
    r = e.reply("How much again?")
    assert r.line == "I told you already." and e.patience_left == 2
    assert e.reply("Nice weather today").intent is None


@pytest.mark.parametrize("line", ["What is the biggest headache?", "whats the biggest headache",
                                  "What’s the biggest headache?", "WHAT'S THE BIGGEST HEADACHE"])
def test_a_pattern_in_plain_words_finds_every_spelling(line: str) -> None:
    s = scenario((TALK, "states:\n  talk:\n    say: \"So?\"\n    on:\n"
                  "      - {intent: pain, say: Invoices.}\n"),
                 extra="intents:\n  pain:\n    patterns: ['\\bwhat is the biggest\\b']\n")
    assert engine(s).reply(line).line == "Invoices."


@pytest.mark.parametrize(("transition", "booked"), [
    ("- {intent: budget, goto: booked}", True),  # moves on: the time in the line is booked
    ("- {intent: budget, say: Not yet.}", False),  # its own answer replaces the built-in ones
])
def test_a_time_in_a_line_an_intent_answers(transition: str, booked: bool) -> None:
    line = "How much would Thursday at 2 cost us?"
    e = engine(ruled(transition + "\n"), Script({line: ["propose_time"]},
                                         {line: [Mention("slot", at(13, 14), "Thursday at 2")]}))
    r = e.reply(line)
    assert r.intent == "budget"
    assert e.values["slot_agreed"] is booked
    assert ("Thursday 13 March at 2pm" in r.line) is booked


@pytest.mark.parametrize(("line", "heard"), [
    ("Could you send it to your boss?", True), ("Couldnt u send it 2 ur boss", True),
    ("I will send it. Your boss is away, right?", False),  # not across a sentence end
])
def test_a_pattern_is_searched_one_sentence_at_a_time_in_either_form(line: str,
                                                                      heard: bool) -> None:
    s = scenario((TALK, "states:\n  talk:\n    say: \"So?\"\n    on:\n"
                  "      - {intent: boss, say: Fine.}\n"),
                 extra="intents:\n  boss:\n    patterns: ['\\bsend it\\b.{0,12}\\byour boss\\b']\n")
    assert (engine(s).reply(line).line == "Fine.") is heard


@pytest.mark.parametrize(("line", "heard"), [
    ("It expires at the end of June.", True), ("Do you know when it expires?", False),
    ("Do you know when its expiring?", False),  # the normalised form keeps the "?" too
])
def test_a_pattern_can_tell_a_question_in_either_form(line: str, heard: bool) -> None:
    s = scenario((TALK, "states:\n  talk:\n    say: \"So?\"\n    on:\n"
                  "      - {intent: named, say: Noted.}\n"),
                 extra="intents:\n  named:\n    patterns: ['\\b(?:it is )?expir\\w+\\b(?![^?]*\\?)']\n")
    assert (engine(s).reply(line).line == "Noted.") is heard


def test_transition_goto_speaks_the_new_state_and_can_end() -> None:
    s = ruled("""\
        - {move: ask_next_step, goto: booked}
        - {move: accept_stall, end: lost, say: "Then we're done."}
        """)
    e = engine(s, Script({"Next?": ["ask_next_step"], "Fine, bye.": ["accept_stall"]}))
    r = e.reply("Next?")
    assert (r.line, r.state) == ("Booked.", "booked")
    e.undo()
    r = e.reply("Fine, bye.")
    assert r.outcome == "lost" and r.line == "Then we're done. I have to go."
    assert r.events[-1].detail == {"outcome": "lost", "reason": "transition"}


def test_reaction_overrides_change_lines_and_state() -> None:
    line = "Thursday at 2?"
    e = engine(ruled("- {move: recap, say: ok}\n"),
               Script({line: ["propose_time"]},
                      {line: [Mention("slot", at(13, 14), "Thursday at 2")]}))
    r = e.reply(line)
    assert r.line == "Done, Thursday 13 March at 2pm it is." and r.state == "booked"


# --- clock and patience --------------------------------------------------------------------


def test_clock_warns_once_then_ends_the_meeting() -> None:
    e = engine(scenario(("clock: {minutes: 30, per_turn: 1, warn_at: 5}",
                         "clock: {minutes: 4, per_turn: 1, warn_at: 2}"),
                        ("patience: 3", "patience: 10")))
    replies = [e.reply(f"Filler {i}.") for i in range(4)]
    warned = [r for r in replies if "clock_warning" in kinds(r)]
    assert len(warned) == 1 and warned[0] is replies[1]
    assert warned[0].events[-1].detail == {"minutes_left": 2}
    assert "2 minutes" in warned[0].line
    assert [r.ended for r in replies] == [False, False, False, True]
    assert replies[-1].outcome == "no_decision"
    assert replies[-1].events[-1].detail["reason"] == "time"
    assert e.clock_left == 0


def test_time_running_out_after_booking_is_still_won() -> None:
    line = "Thursday at 2?"
    e = engine(scenario(("clock: {minutes: 30, per_turn: 1, warn_at: 5}",
                         "clock: {minutes: 2, per_turn: 1, warn_at: 0}")),
               Script({line: ["propose_time"]},
                      {line: [Mention("slot", at(13, 14), "Thursday at 2")]}))
    e.reply(line)
    r = e.reply("Anything else?")
    assert r.outcome == "won" and r.events[-1].detail["reason"] == "time"


def test_patience_runs_out_on_unproductive_lines() -> None:
    e = engine()
    r1, r2, r3 = (e.reply(x) for x in ("Blah.", "Blah blah.", "More blah."))
    assert not r1.ended and not r2.ended and r3.outcome == "lost"
    assert any(w in r2.line for w in ("not sure where this is going", "struggling"))
    assert r3.events[-1].detail == {"outcome": "lost", "reason": "patience"}
    assert r3.line.endswith("I have to go.")


def test_fallback_rotates_and_never_repeats() -> None:
    e = engine(scenario(("patience: 3", "patience: 50")), seed=7)
    lines = [e.reply(f"Filler {i}.").line.split(" By the way")[0] for i in range(9)]
    assert all(a != b for a, b in pairwise(lines))
    assert set(lines[:3]) == {"Sorry?", "Pardon?", "Come again?"}  # all before any repeats
    assert lines[:3] == lines[3:6]


# --- determinism and undo ------------------------------------------------------------------


LINES = ["What's next?", "Thursday at 2?", "Could you bring the numbers?", "Blah.",
         "So, to confirm, Thursday at 2."]


def play(seed: int) -> dict[str, object]:
    slot = [Mention("slot", at(13, 14), "Thursday at 2")]
    script = Script({"What's next?": ["ask_next_step"], "Thursday at 2?": ["propose_time"],
                     "Could you bring the numbers?": ["assign_task"],
                     "So, to confirm, Thursday at 2.": ["recap"]},
                    {"Thursday at 2?": slot, "So, to confirm, Thursday at 2.": slot})
    e = engine(script=script, seed=seed)
    for line in LINES:
        e.reply(line)
    return e.transcript.to_dict()


def test_same_seed_same_run_and_seeds_vary_lines() -> None:
    assert play(3) == play(3)
    runs = {str([t["text"] for t in play(seed)["turns"]]) for seed in range(8)}  # type: ignore[index]
    assert len(runs) > 1
    assert play(5)["meta"]["seed"] == 5  # type: ignore[index]


def test_variants_never_repeat_back_to_back() -> None:
    s = ruled("- {move: ask_next_step, goto: talk}\n")
    e = engine(s, Script({"Again?": ["ask_next_step"]}))
    # Re-entering "talk" says one of its variants; with one variant it must repeat.
    assert len({e.reply("Again?").line for _ in range(3)}) == 1
    e = engine(scenario(("volunteered: stall", "volunteered: accept"),
                        ("patience: 3", "patience: 20"),
                        extra="reactions: {told_accepted: [One., Two., Three.]}\n"),
               Script({"I'll send it.": ["tell_next_step"]}))
    said = [e.reply("I'll send it.").line.split(" By the way")[0] for _ in range(10)]
    assert all(a != b for a, b in pairwise(said))


def test_undo_takes_back_a_line_and_its_answer() -> None:
    e = engine(stalling(), Script({"Sure, take your time.": ["accept_stall"],
                                   "Is this a priority?": ["confront_stall"]}))
    assert e.undo() is False  # nothing to take back
    e.reply("Sure, take your time.")
    assert e.ended
    assert e.undo() is True
    assert not e.ended and len(e.transcript.turns) == 1 and e.values["stall_open"]
    r = e.reply("Is this a priority?")
    assert kinds(r) == ["stall_confronted"]


def test_transcript_records_turns_moves_and_where_events_happened() -> None:
    t = play(0)
    turns = t["turns"]
    assert [x["role"] for x in turns] == ["prospect", "rep"] * len(LINES) + ["prospect"]  # type: ignore[union-attr]
    rep_kinds = {"slot_proposed", "window_proposed", "task_assigned", "stall_confronted",
                 "stall_accepted"}
    for ev in t["events"]:  # type: ignore[union-attr]
        role = turns[ev["turn"]]["role"]  # type: ignore[index]
        assert role == ("rep" if ev["kind"] in rep_kinds else "prospect"), ev
    assert turns[3]["moves"][0]["move"] == "propose_time"  # type: ignore[index]
    assert t["meta"]["outcome"] == "won"  # type: ignore[index]
    assert t["meta"]["now"] == at(11, 10).isoformat()  # type: ignore[index]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sets(st.sampled_from(REP_MOVES), max_size=3), max_size=12),
       st.integers(0, 1000))
def test_any_conversation_runs_and_replays(moves: list[set[str]], seed: int) -> None:
    lines = [f"line {i}" for i in range(len(moves))]
    slot = [Mention("slot", at(12 + i % 5, 9 + i % 9), "then") for i in range(1)]
    script = Script(dict(zip(lines, (sorted(m) for m in moves), strict=True)),
                    {line: slot for line in lines})
    runs = []
    for _ in range(2):
        e = engine(stalling(tasks="push_back"), script, seed=seed)
        e.opening()
        for line in lines:
            if e.ended:
                break
            e.reply(line)
        runs.append(e.transcript.to_dict())
        roles = [t.role for t in e.transcript.turns]
        assert roles[0] == "prospect" and all(a != b for a, b in pairwise(roles))
        assert sum(ev.kind == "ending" for ev in e.transcript.events) == (1 if e.ended else 0)
    assert runs[0] == runs[1]


# --- the shipped scenario, real classifier -------------------------------------------------


WIN = [
    "It sounds like this might not be a priority for you right now. Or is it never going to be?",
    "What went wrong with the last system?",
    "That makes sense. What do you think the next step should be?",
    "Great. Are you and Priya free on Thursday at 2pm?",
    "OK, how about Tuesday the 18th at 10am then?",
    "Could you bring last quarter's fuel and overtime costs so Priya can see the real numbers?",
    "I understand. Even rough figures would help Priya a lot. Could you pull those together?",
    "So to confirm: you'll bring the fuel and overtime figures, I'll prepare the ROI model, "
    "and we meet with Priya on Tuesday the 18th at 10am. Is that right?",
]


def staller(seed: int = 0) -> Engine:
    return Engine(find_scenario("polite-staller"), seed=seed)


def countered() -> Engine:
    """polite-staller with its counter-offer of Friday 14 March at 12pm waiting for an answer."""
    e = staller()
    e.reply("Is this a priority for you right now, or ever?")
    e.reply("Are you free Friday 14 March at 2pm?")  # outside the hours: 12pm offered
    return e


def test_polite_staller_can_be_won() -> None:
    e = staller()
    opening = e.opening()
    assert "think" in opening and e.hints
    replies = [e.reply(line) for line in WIN]
    assert replies[-1].outcome == "won"
    happened = [ev.kind for ev in e.transcript.events]
    for kind in ("stall_raised", "stall_confronted", "slot_countered", "slot_accepted",
                 "task_refused", "task_accepted", "recap_confirmed"):
        assert kind in happened, kind
    assert "depot visit" in replies[3].line  # Thursday 13th is taken
    assert e.values["history_heard"] is True
    assert e.transcript.meta["slot"] == at(18, 10).isoformat()
    assert "Tuesday 18 March at 10am" in replies[-1].line


def test_polite_staller_lost_by_accepting_the_stall() -> None:
    e = staller()
    r = e.reply("Of course, no rush at all. Take your time and get back to me whenever "
                "you're ready.")
    assert r.ended and r.outcome == "no_decision"
    assert [ev.kind for ev in r.events] == ["stall_accepted", "ending"]


def test_polite_staller_lost_by_bailing_out_with_work() -> None:
    e = staller()
    r = e.reply("How about I put together a proposal with some numbers and send it over "
                "this afternoon?")
    assert "stall_raised" in kinds(r)  # volunteering work just gets another stall
    r = e.reply("Great, I'll get that over to you tonight then.")
    assert r.outcome == "no_decision"


def test_polite_staller_lost_by_rambling() -> None:
    e = staller()
    e.reply("Is this just not a priority right now?")
    for line in ("Our platform also integrates with most telematics providers.",
                 "We have customers all over Europe.", "It has a lovely dashboard too."):
        r = e.reply(line)
    assert r.outcome == "lost" and r.events[-1].detail["reason"] == "patience"


def test_the_classifier_is_told_the_moves_of_the_line_it_answers() -> None:
    seen: list[tuple[str, str, frozenset[str] | None]] = []

    def classify(text: str, *, role: str = "rep", previous: str | None = None,
                 previous_moves: frozenset[str] | None = None) -> tuple[Move, ...]:
        seen.append((text, role, previous_moves))
        return (Move("ask_next_step", 0, len(text), text, 0.9),) if role == "rep" else ()

    e = Engine(stalling(), classify=classify, find_times=Script().find_times)
    e.reply("What's next?")
    # The opening was a stall line, so the trainee's answer is classified as answering one.
    assert ("What's next?", "rep", frozenset({"stall"})) in seen
    assert seen[-1][1:] == ("prospect", frozenset({"ask_next_step"}))


def test_telling_the_next_step_with_a_window_meets_the_volunteered_reaction():
    from trainer.harness import play

    run = play("polite-staller", ["What specifically do you need to think over?",
                                  "I'll send you a proposal tomorrow and call you next week."],
               seed=1)
    last = run.transcript.events[-1]
    assert last.kind == "stall_raised" and last.turn == len(run.transcript.turns) - 1


@pytest.mark.parametrize("taking", ["Yes, 12pm works.", "12pm works for me."])
def test_taking_the_counter_proposal_by_its_time_books_its_day(taking: str) -> None:
    # the prospect had answered "Tuesday 11 March at 12pm works": today, not the Friday offered
    e = staller()
    e.reply("Is this a priority for you right now, or ever?")
    offer = e.reply("Are you free Friday 14 March at 2pm?")
    assert "How about Friday 14 March at 12pm?" in offer.line
    e.reply(taking)
    assert e.transcript.meta["slot"] == at(14, 12).isoformat()


def test_a_recap_with_another_time_is_questioned_not_booked() -> None:
    e = staller()
    e.reply("I get the feeling something is holding you back. What's really stopping you?")
    e.reply("Are you and Priya free Wednesday 12 March at 11am?")
    booked = e.transcript.meta["slot"]
    r = e.reply("So to confirm, Thursday 13 March at 2pm with Priya. Right?")
    assert "didn't we say" in r.line and e.transcript.meta["slot"] == booked


def test_a_line_that_volunteers_work_is_kept_without_a_confrontation_it_did_not_count_as():
    # a test's trace showed "heard: tell_next_step, confront_stall" for a confrontation the
    # prospect never took as one
    def classify(text: str, *, role: str = "rep", previous: str | None = None,
                 previous_moves: frozenset[str] | None = None) -> tuple[Move, ...]:
        names = ("tell_next_step", "confront_stall") if role == "rep" else ()
        return tuple(Move(n, 0, len(text), text, 0.9) for n in names)

    e = Engine(stalling(), classify=classify, find_times=Script().find_times)
    e.reply("Is it the budget? I'll send you our pricing anyway.")
    said = e.transcript.turns[-2]
    assert [m.name for m in said.moves] == ["tell_next_step"]
    assert "stall_confronted" not in [ev.kind for ev in e.transcript.events]


@pytest.mark.parametrize("refusal", [
    "Friday doesn't work for me.", "Can't do Friday.", "Friday is no good, sorry.",
    "No, 12pm doesn't work.", "Friday at 12 won't work for Priya.", "Nothing works.",
    "What works for Priya?", "11 works",  # a question; another hour than the 12 offered
    "I'm busy at 12.", "12pm would be hard.", "Is 12pm the earliest you have?",
    "12 is too early for me.", "nah, Friday's out", "That's a bit tight for me",
    "12 is bad for me", "I'd rather not do Friday", "Not Friday, I'm afraid",
    "Sadly not, I have a client call at 12", "i have the dentist at 12",
    "ive got something on at 12", "12 isnt ideal", "sadly no", "id prefer not",
    "Sounds good but I need to check.", "Great, I'll check my calendar.", "Fine, whatever.",
])
def test_turning_down_or_questioning_the_counter_proposal_books_nothing(refusal: str) -> None:
    e = countered()
    r = e.reply(refusal)
    assert "slot" not in e.transcript.meta
    # A plain no is answered: the prospect asks what suits instead, and does not agree to
    # "sometime Friday". A question, a put-off or another hour is not turned down.
    declined = "?" not in refusal and refusal not in (
        "11 works", "Sounds good but I need to check.", "Great, I'll check my calendar.",
        "Fine, whatever.")
    assert ("slot_declined" in [ev.kind for ev in r.events]) == declined
    if declined:
        assert r.line in {x.format(counter="Friday 14 March at 12pm")
                          for x in DEFAULT_REACTIONS["slot_declined"]}
        assert "sometime" not in r.line.lower()


@pytest.mark.parametrize("line", ["12 doesnt work, how about 11am", "no, 11am works better for me",
                                  "cant do 12, could we do 11am"])
def test_turning_the_counter_offer_down_for_another_time_proposes_that_time(line: str) -> None:
    e = countered()
    e.reply(line)
    assert e.transcript.meta["slot"] == at(14, 11).isoformat()


@pytest.mark.parametrize("line", ["12 is not bad.", "12, nothing else on, works for me.",
                                  "Sounds good. I'll make sure I'm not late.",
                                  "Great. I'll send over an agenda, nothing fancy."])
def test_a_no_that_is_not_about_the_time_turns_nothing_down(line: str) -> None:
    e = countered()
    assert "slot_declined" not in [ev.kind for ev in e.reply(line).events]


def test_a_yes_to_the_counter_proposal_on_the_prospects_clock_books_it() -> None:
    s = scenario(("  working_hours:", "  timezone: America/New_York\n  working_hours:"))
    e = Engine(s, seed=0)
    r = e.reply("Are you free Thursday 13 March at 12pm?")  # 8am in New York: countered
    assert "slot_countered" in [ev.kind for ev in r.events]
    counter = next(ev.detail["counter"] for ev in r.events if ev.kind == "slot_countered")
    hour = dt.datetime.fromisoformat(counter).astimezone(ZoneInfo("America/New_York")).hour
    said = f"{hour % 12 or 12}{'am' if hour < 12 else 'pm'}"
    e.reply(f"Yes, {said} your time works.")
    assert e.transcript.meta.get("slot") == counter
    e.undo()
    e.reply(f"{said} works")  # the hour the prospect said for themselves
    assert e.transcript.meta.get("slot") == counter


@pytest.mark.parametrize("taking", ["No problem, 12 works.", "No worries, Friday works.",
                                    "Yes, that works, I'll send the invite out.",
                                    "Yes, Friday 14 March works.", "Friday at 12 works.",
                                    "12 it is.", "Let's go with 12.", "Agreed.",
                                    "No, that's perfect.", "Shall we say Friday at 12 then?",
                                    # a no later in the line is not about the time
                                    "sounds good, I'll make sure I'm not late",
                                    "12 works. Nothing heavy, just a walkthrough",
                                    "12 it is, I'll not keep you long", "no problem at all",
                                    "I don't see why not", "Friday at 12pm then",
                                    "Great, I'll send over an agenda, nothing fancy",
                                    "sounds good, let me send you the invite",
                                    "12 works, i think priya will like it",
                                    "great, ill check the room is free", "cool",
                                    "would priya be free at 12?"])
def test_no_problem_is_still_a_yes_to_the_counter_proposal(taking: str) -> None:
    e = countered()
    e.reply(taking)
    assert e.transcript.meta["slot"] == at(14, 12).isoformat()


@pytest.mark.parametrize(("recap", "won"), [
    ("So to confirm, Friday with Priya. Right?", True),
    ("So to confirm, Thursday with Priya. Right?", False),  # the wrong day, no time
])
def test_a_recap_naming_only_a_day_is_checked_against_the_booked_one(recap: str,
                                                                     won: bool) -> None:
    e = staller()
    e.reply("Is this a priority for you right now, or ever?")
    e.reply("Are you free Friday 14 March at 2pm?")
    e.reply("Yes, 12pm works.")
    r = e.reply(recap)
    assert (r.outcome == "won") is won
    assert ("didn't we say Friday 14 March at 12pm" in r.line) is not won
