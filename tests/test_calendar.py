"""The prospect's calendar: working hours, busy times, time zones, the nearest free slot."""

from __future__ import annotations

import datetime as dt
import textwrap
from zoneinfo import ZoneInfo

import pytest

from trainer.calendar import Calendar, ClockTime, Date, TimeRange, Weekdays, Zone
from trainer.scenario_load import load_scenario_text

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def calendar(block: str) -> Calendar:
    """A calendar read from YAML the way a scenario file holds it."""
    text = textwrap.dedent("""\
        id: cal
        title: Calendar
        difficulty: 1
        persona: {name: Sam, role: CFO, company: Acme}
        brief: b
        goal: g
        states: {open: {say: hi}}
        fallback: [a, b]
        endings: {won: w, lost: l, no_decision: n}
        calendar:
        """) + textwrap.indent(textwrap.dedent(block), "  ")
    return load_scenario_text(text).calendar


# Tuesday 11 March 2025, 10:00 in London. Working days Mon-Fri 09:00-17:00.
BASIC = """\
    now: {date: 2025-03-11, time: "10:00", timezone: Europe/London}
    working_hours: {mon-fri: "09:00-17:00"}
    meeting_minutes: 30
    notice_minutes: 60
    busy:
      - {date: 2025-03-12, time: "10:00-12:00", what: the board meeting}
      - {every: thu, time: "14:00-15:00", what: the team sync}
      - {date: 2025-03-14, what: a day of training}
    """


def at(day: int, hour: int, minute: int = 0, tz: ZoneInfo = LONDON) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=tz)


# --- scalars -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "days"), [
    ("mon-fri", {0, 1, 2, 3, 4}),
    ("mon,wed,fri", {0, 2, 4}),
    ("Tue - Thu", {1, 2, 3}),
    ("weekend", {5, 6}),
    ("weekdays", {0, 1, 2, 3, 4}),
    ("daily", set(range(7))),
    ("sat", {5}),
    ("Monday-Thursday", {0, 1, 2, 3}),
    ("tues,thurs", {1, 3}),
])
def test_weekdays_parse(text: str, days: set[int]) -> None:
    assert Weekdays.parse(text).days == days


@pytest.mark.parametrize("text", ["fri-mon", "funday", "mon-tue-wed", "", "monk", "mon,"])
def test_weekdays_reject(text: str) -> None:
    with pytest.raises(ValueError, match="day"):
        Weekdays.parse(text)


def test_time_range_parse_and_reject() -> None:
    r = TimeRange.parse("08:30-17:30")
    assert (r.start, r.end) == (dt.time(8, 30), dt.time(17, 30))
    assert TimeRange.parse("18:00-24:00").end == dt.time.max
    with pytest.raises(ValueError, match="ends before it starts"):
        TimeRange.parse("17:00-09:00")
    with pytest.raises(ValueError, match="09:00-17:30"):
        TimeRange.parse("9-5")


def test_clock_date_and_zone_parse() -> None:
    assert ClockTime.parse("14:30").value == dt.time(14, 30)
    assert Date.parse("2025-03-11").value == dt.date(2025, 3, 11)
    for bad in ("25:00", "7pm"):
        with pytest.raises(ValueError):
            ClockTime.parse(bad)
    with pytest.raises(ValueError, match="did you mean Europe/Paris"):
        Zone.parse("Europe/Pariss")


# --- checking a proposed time --------------------------------------------------------------


def test_free_time_is_accepted() -> None:
    cal = calendar(BASIC)
    assert cal.check(at(11, 14)).free
    assert cal.check(at(12, 12)).free  # right after the board meeting
    assert cal.check(at(13, 15)).free  # right after the weekly sync


@pytest.mark.parametrize(("when", "code", "reason"), [
    (at(15, 10), "day_off", "I don't work on Saturdays"),
    (at(16, 10), "day_off", "I don't work on Sundays"),
    (at(12, 8), "off_hours", "outside my working hours"),
    (at(11, 16, 45), "off_hours", "outside my working hours"),  # would run past 17:00
    (at(11, 17), "off_hours", "outside my working hours"),
    (at(12, 11), "busy", "I've got the board meeting then"),
    (at(12, 9, 45), "busy", "the board meeting"),  # overlaps its start
    (at(20, 14, 30), "busy", "I've got the team sync then"),  # weekly, the next Thursday
    (at(14, 11), "busy", "a day of training"),  # a whole-day busy time
    (at(10, 11), "past", "already gone"),
    (at(11, 10, 30), "too_soon", "short notice"),  # within the 60-minute notice
])
def test_unavailable_times_say_why(when: dt.datetime, code: str, reason: str) -> None:
    check = calendar(BASIC).check(when)
    assert not check.free
    assert check.code == code
    assert reason in check.reason


def test_naive_times_are_the_trainees() -> None:
    cal = calendar(BASIC)
    assert cal.check(dt.datetime(2025, 3, 11, 14, 0)).free
    assert not cal.check(dt.datetime(2025, 3, 11, 8, 0)).free


def test_split_working_day_and_busy_day_names() -> None:
    cal = calendar("""\
        now: {date: 2025-03-11, time: "10:00", timezone: Europe/London}
        working_hours:
          mon-thu: ["09:00-12:00", "13:00-17:00"]
          fri: "09:00-12:00"
        """)
    assert not cal.check(at(11, 12, 15)).free  # lunch
    assert cal.check(at(11, 13)).free
    assert not cal.check(at(14, 14)).free  # Friday afternoon off
    assert cal.check(at(14, 11)).free


# --- counter-proposals ---------------------------------------------------------------------


def test_nearest_free_after_a_busy_slot() -> None:
    cal = calendar(BASIC)
    assert cal.nearest_free(at(12, 11)) == at(12, 12)  # the board meeting ends at noon
    assert cal.nearest_free(at(13, 14, 40)) == at(13, 15)  # the sync ends at three
    assert cal.nearest_free(at(13, 14, 10)) == at(13, 13, 30)  # or end just as it starts


def test_nearest_free_goes_back_when_that_is_nearer() -> None:
    cal = calendar(BASIC)
    # 19:00 on Tuesday: 16:30 the same day is nearer than 09:00 on Wednesday.
    assert cal.nearest_free(at(11, 19)) == at(11, 16, 30)
    # 07:00 on Wednesday: 09:00 that morning beats 16:30 the evening before.
    assert cal.nearest_free(at(12, 7)) == at(12, 9)


def test_nearest_free_from_a_weekend() -> None:
    cal = calendar(BASIC)
    # Friday is a training day: Saturday 10:00 is nearer Thursday 16:30 than Monday 09:00...
    assert cal.nearest_free(at(15, 10)) == at(13, 16, 30)
    # ...and Saturday 23:00 nearer Monday morning.
    assert cal.nearest_free(at(15, 23)) == at(17, 9)


def test_nearest_free_respects_notice_and_the_grid() -> None:
    cal = calendar(BASIC)
    # Too soon now: the first start after an hour's notice, on the half-hour grid.
    assert cal.nearest_free(at(11, 10, 15)) == at(11, 11)
    # A free odd time is fine as proposed, but counter-proposals sit on the grid.
    assert cal.check(at(11, 14, 10)).free
    assert cal.nearest_free(at(12, 9, 50)) == at(12, 9, 30)  # ends as the board meeting starts


def test_ties_go_to_the_later_slot() -> None:
    cal = calendar("""\
        now: {date: 2025-03-11, time: "08:00", timezone: Europe/London}
        working_hours: {mon-fri: "09:00-17:00"}
        meeting_minutes: 60
        busy:
          - {date: 2025-03-12, time: "10:00-12:00"}
        """)
    # 10:30 for an hour: 09:00 and 12:00 are both 90 minutes away.
    assert cal.nearest_free(at(12, 10, 30)) == at(12, 12)


def test_no_free_slot_within_the_horizon() -> None:
    cal = calendar("""\
        now: {date: 2025-03-11, time: "10:00", timezone: Europe/London}
        working_hours: {mon-fri: "09:00-17:00"}
        horizon_days: 3
        busy:
          - {every: weekdays, what: a secondment}
        """)
    assert cal.nearest_free(at(12, 10)) is None


# --- time zones ----------------------------------------------------------------------------


ACROSS = """\
    now: {date: 2025-03-11, time: "10:00", timezone: Europe/London}
    timezone: America/New_York
    working_hours: {mon-fri: "09:00-17:00"}
    """


def test_working_hours_are_in_the_prospects_zone() -> None:
    cal = calendar(ACROSS)
    # New York moved its clocks on 9 March, London not until the 30th: four hours apart.
    assert not cal.check(at(11, 12)).free  # 08:00 in New York
    assert cal.check(at(11, 13)).free  # 09:00 in New York
    assert cal.check(at(11, 20, 30)).free  # 16:30 in New York
    assert not cal.check(at(11, 21, 30)).free


def test_counter_proposal_is_said_in_both_zones() -> None:
    cal = calendar(ACROSS)
    counter = cal.nearest_free(at(12, 10))  # 06:00 in New York
    assert counter == at(12, 9, tz=NEW_YORK)
    assert counter is not None and counter.tzinfo == LONDON
    assert cal.describe(counter) == "Wednesday 12 March at 1pm your time (9am for me)"


def test_weekday_is_the_prospects() -> None:
    cal = calendar("""\
        now: {date: 2025-03-11, time: "10:00", timezone: Pacific/Auckland}
        timezone: Europe/London
        working_hours: {mon-fri: "09:00-17:00"}
        """)
    # Saturday 08:00 in Auckland is still Friday 19:00 in London: after hours, not a day off.
    check = cal.check(dt.datetime(2025, 3, 15, 8, 0, tzinfo=ZoneInfo("Pacific/Auckland")))
    assert check.code == "off_hours"
    # Saturday 22:00 in Auckland is Saturday 09:00 in London: a day off.
    check = cal.check(dt.datetime(2025, 3, 15, 22, 0, tzinfo=ZoneInfo("Pacific/Auckland")))
    assert check.code == "day_off"


def test_describe_in_one_zone() -> None:
    cal = calendar(BASIC)
    assert cal.describe(at(18, 14, 30)) == "Tuesday 18 March at 2:30pm"
    assert cal.describe(at(18, 0)) == "Tuesday 18 March at 12am"
    assert cal.describe(at(18, 12)) == "Tuesday 18 March at 12pm"
