"""The prospect's calendar: the scenario's "now", working hours, busy slots, free times.

A scenario fixes the date and time the meeting happens, so every run is reproducible, and
the prospect's week, so a proposed time is checked against a real calendar: a time outside
working hours, on a weekend or over another meeting gets a counter-proposal of the nearest
free slot instead of a yes.

Two time zones meet here. ``now.timezone`` is the trainee's: times the trainee types are
read in it and counter-proposals are said in it. ``timezone`` is the prospect's: working
hours and busy slots are written in it. All arithmetic happens in UTC.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar

from trainer.scenario_fields import Scalar, spec

_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAY_GROUPS = {
    "weekdays": frozenset(range(5)),
    "weekend": frozenset({5, 6}),
    "daily": frozenset(range(7)),
}
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_UTC = dt.UTC


# --- scalars -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Weekdays(Scalar):
    """A set of days: ``mon``, ``mon-fri``, ``mon,wed``, ``weekdays``, ``weekend``, ``daily``."""

    syntax: ClassVar[str] = "days like mon, mon-fri, mon,wed,fri, weekdays, weekend or daily"
    days: frozenset[int]
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> Weekdays:
        days: set[int] = set()
        for part in text.lower().replace(" ", "").split(","):
            if part in _DAY_GROUPS:
                days |= _DAY_GROUPS[part]
                continue
            ends = part.split("-")
            if len(ends) > 2 or not all(_day(e) is not None for e in ends):
                raise ValueError(f"expected {cls.syntax}, not {text!r}")
            first, last = _day(ends[0]), _day(ends[-1])
            assert first is not None and last is not None
            if last < first:
                raise ValueError(f"the day range {part!r} runs backwards; write it as mon-fri")
            days |= set(range(first, last + 1))
        if not days:
            raise ValueError(f"expected {cls.syntax}, not an empty value")
        return cls(frozenset(days), text)


def _day(word: str) -> int | None:
    """0 for "mon", "monday"; None for anything that is not a day."""
    if len(word) >= 3 and word[:3] in _DAY_NAMES:
        index = _DAY_NAMES.index(word[:3])
        if _DAY_WORDS[index].lower().startswith(word):
            return index
    return None


def _parse_clock(text: str, *, allow_24: bool = False) -> dt.time | None:
    m = _TIME.match(text)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2))
    if allow_24 and hour == 24 and minute == 0:
        return dt.time.max
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


@dataclass(frozen=True)
class TimeRange(Scalar):
    """Two clock times, ``09:00-17:30`` (24-hour; ``24:00`` ends at midnight)."""

    syntax: ClassVar[str] = "a time range like 09:00-17:30"
    start: dt.time
    end: dt.time

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        parts = re.split(r"\s*[-\u2013]\s*", text.strip())
        if len(parts) == 2:
            start = _parse_clock(parts[0])
            end = _parse_clock(parts[1], allow_24=True)
            if start is not None and end is not None:
                if end <= start:
                    raise ValueError(f"the range {text!r} ends before it starts")
                return cls(start, end)
        raise ValueError(f"expected {cls.syntax}, not {text!r}")


@dataclass(frozen=True)
class ClockTime(Scalar):
    """A clock time, ``14:30`` (24-hour; quote it in YAML: ``"14:30"``)."""

    syntax: ClassVar[str] = "a 24-hour time like 14:30"
    value: dt.time

    @classmethod
    def parse(cls, text: str) -> ClockTime:
        value = _parse_clock(text)
        if value is None:
            raise ValueError(f"expected {cls.syntax}, not {text!r}")
        return cls(value)


@dataclass(frozen=True)
class Date(Scalar):
    """A calendar date, ``2025-03-10``."""

    syntax: ClassVar[str] = "a date like 2025-03-10"
    value: dt.date

    @classmethod
    def parse(cls, text: str) -> Date:
        word = text.strip()
        try:
            return cls(dt.date.fromisoformat(word))
        except ValueError:
            pass
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", word)
        if m and int(m.group(1)) >= 1:  # written right, but no such day: 2026-02-30
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                raise ValueError(f"{word} is not a date: months go from 01 to 12")
            if int(m.group(3)) == 0:
                raise ValueError(f"{word} is not a date: days start at 01")
            days = monthrange(year, month)[1]
            raise ValueError(f"{word} is not a date: {_MONTHS[month - 1]} {year} has "
                             f"{days} days")
        raise ValueError(f"expected {cls.syntax}, not {text!r}")


@dataclass(frozen=True)
class Zone(Scalar):
    """An IANA time zone name, ``Europe/London``, ``America/New_York`` or ``UTC``."""

    syntax: ClassVar[str] = "an IANA time zone name like Europe/London"
    name: str

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.name)

    @classmethod
    def parse(cls, text: str) -> Zone:
        name = text.strip()
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            from rapidfuzz import process

            best = process.extractOne(name, sorted(zoneinfo.available_timezones()))
            hint = f"; did you mean {best[0]}?" if best and best[1] >= 70 else ""
            raise ValueError(f"{name!r} is not a time zone name{hint}") from None
        return cls(name)


# --- the model ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Now:
    """The moment the meeting starts, on the trainee's clock."""

    date: Date = spec("The date of the meeting.", example="2025-03-10")
    time: ClockTime = spec("The time the meeting starts, 24-hour.", example='"10:00"')
    timezone: Zone = spec(
        "The trainee's time zone: the times the trainee types are read in it.",
        example="Europe/London",
    )

    @property
    def moment(self) -> dt.datetime:
        return dt.datetime.combine(self.date.value, self.time.value, tzinfo=self.timezone.tz)


@dataclass(frozen=True, kw_only=True)
class Busy:
    """A time the prospect is not free: once on a date, or every week on some days."""

    date: Date | None = spec("The date of a one-off busy time.", default=None)
    every: Weekdays | None = spec("Days of a weekly busy time (mon, tue-thu…).", default=None)
    time: TimeRange | None = spec(
        "The hours it takes, in the prospect's time zone; the whole day when left out.",
        default=None,
        example="09:00-12:00",
    )
    what: str = spec(
        "What it is, as the prospect would say it (\"the board meeting\").", default=""
    )

    def _validate(self) -> list[tuple[str | None, str, str]]:
        if (self.date is None) == (self.every is None):
            return [(None, "NS113", "give a busy time either `date:` (once) or `every:` "
                     "(weekly), not both or neither")]
        return []

    def applies(self, day: dt.date) -> bool:
        if self.date is not None:
            return self.date.value == day
        return self.every is not None and day.weekday() in self.every.days


def _default_hours() -> Mapping[Weekdays, tuple[TimeRange, ...]]:
    return MappingProxyType({Weekdays.parse("mon-fri"): (TimeRange.parse("09:00-17:00"),)})


@dataclass(frozen=True)
class Availability:
    """Whether a proposed time is free, and if not, why, in the prospect's words."""

    free: bool
    code: str = "free"  # free | past | too_soon | day_off | off_hours | busy
    what: str = ""
    weekday: str = ""

    @property
    def reason(self) -> str:
        return {
            "free": "that works",
            "past": "that time has already gone",
            "too_soon": "that's too short notice",
            "day_off": f"I don't work on {self.weekday}s",
            "off_hours": "that's outside my working hours",
            "busy": f"I've got {self.what} then" if self.what else "I'm busy then",
        }[self.code]


@dataclass(frozen=True, kw_only=True)
class Calendar:
    """The prospect's calendar, as a scenario writes it under ``calendar:``."""

    now: Now = spec("When the meeting happens: `date`, `time` and the trainee's `timezone`.")
    timezone: Zone | None = spec(
        "The prospect's time zone, for working hours and busy times; the trainee's when "
        "left out.",
        default=None,
    )
    working_hours: Mapping[Weekdays, tuple[TimeRange, ...]] = spec(
        "Days and hours the prospect takes meetings, e.g. `mon-thu: 09:00-17:30` and "
        "`fri: [09:00-12:00, 13:00-15:00]`. Days not named are days off.",
        factory=_default_hours,
    )
    busy: tuple[Busy, ...] = spec("Times the prospect is taken.", factory=tuple)
    meeting_minutes: int = spec(
        "How long the next meeting being booked lasts; it must fit in a free stretch.",
        default=30, min=5, max=480,
    )
    notice_minutes: int = spec(
        "The least notice the prospect accepts for a meeting, from now.",
        default=60, min=0, max=60 * 24 * 14,
    )
    step_minutes: int = spec(
        "Counter-proposals start on this grid (30: on the hour or half past).",
        default=30, min=5, max=120,
    )
    horizon_days: int = spec(
        "How many days around a proposed time the prospect looks for a free slot.",
        default=28, min=1, max=366,
    )

    def _validate(self) -> list[tuple[str | None, str, str]]:
        seen: dict[int, str] = {}
        for days in self.working_hours:
            for d in sorted(days.days):
                if d in seen:
                    return [("working_hours", "NS109",
                             f"{_DAY_WORDS[d]} is named by both `{seen[d]}` and `{days.text}`; "
                             "name each day once")]
                seen[d] = days.text
        return []

    # --- queries ---

    @property
    def moment(self) -> dt.datetime:
        """The scenario's now, in the trainee's time zone."""
        return self.now.moment

    @property
    def rep_zone(self) -> zoneinfo.ZoneInfo:
        return self.now.timezone.tz

    @property
    def prospect_zone(self) -> zoneinfo.ZoneInfo:
        return (self.timezone or self.now.timezone).tz

    def localize(self, when: dt.datetime) -> dt.datetime:
        """A time the trainee mentioned, made time-zone aware (naive means the trainee's)."""
        return when.replace(tzinfo=self.rep_zone) if when.tzinfo is None else when

    def check(self, start: dt.datetime) -> Availability:
        """Whether a meeting starting at ``start`` fits the prospect's calendar."""
        start = self.localize(start).astimezone(_UTC)
        end = start + dt.timedelta(minutes=self.meeting_minutes)
        if start < self.moment.astimezone(_UTC):
            return Availability(False, "past")
        if start < self._earliest():
            return Availability(False, "too_soon")
        day = start.astimezone(self.prospect_zone).date()
        hours = self._hours(day)
        if not hours:
            return Availability(False, "day_off", weekday=_DAY_WORDS[day.weekday()])
        if not any(s <= start and end <= e for s, e in hours):
            return Availability(False, "off_hours")
        for s, e, what in self._busy(day):
            if s < end and start < e:
                return Availability(False, "busy", what=what)
        return Availability(True)

    def nearest_free(self, target: dt.datetime) -> dt.datetime | None:
        """The free start nearest to ``target`` (ties go to the later one), or None.

        Starts sit on the ``step_minutes`` grid of the prospect's day, come after the
        notice period, and leave room for ``meeting_minutes`` before the next busy time.
        """
        target = self.localize(target).astimezone(_UTC)
        earliest = self._earliest()
        first_day = earliest.astimezone(self.prospect_zone).date()
        center = max(target, earliest).astimezone(self.prospect_zone).date()
        length = dt.timedelta(minutes=self.meeting_minutes)
        best: dt.datetime | None = None
        for offset in range(self.horizon_days + 1):
            if best is not None and abs(best - target) < dt.timedelta(days=offset - 1):
                break
            for day in {center + dt.timedelta(days=offset), center - dt.timedelta(days=offset)}:
                if day < first_day:
                    continue
                for lo, hi in self._free(day):
                    lo, hi = max(lo, earliest), hi - length
                    for cand in self._grid_near(target, lo, hi):
                        if best is None or (abs(cand - target), -cand.timestamp()) < (
                            abs(best - target), -best.timestamp()
                        ):
                            best = cand
        return best.astimezone(self.rep_zone) if best is not None else None

    def describe(self, when: dt.datetime) -> str:
        """A time as the prospect says it to the trainee: "Tuesday 11 March at 2pm".

        When the two time zones differ, the prospect adds their own clock.
        """
        rep = self.localize(when).astimezone(self.rep_zone)
        text = f"{_DAY_WORDS[rep.weekday()]} {rep.day} {_MONTHS[rep.month - 1]} at {_clock(rep)}"
        mine = rep.astimezone(self.prospect_zone)
        if mine.utcoffset() != rep.utcoffset():
            text += f" your time ({_clock(mine)} for me)"
        return text

    # --- internals ---

    def _earliest(self) -> dt.datetime:
        return self.moment.astimezone(_UTC) + dt.timedelta(minutes=self.notice_minutes)

    def _at(self, day: dt.date, t: dt.time) -> dt.datetime:
        if t == dt.time.max:
            return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0),
                                       tzinfo=self.prospect_zone).astimezone(_UTC)
        return dt.datetime.combine(day, t, tzinfo=self.prospect_zone).astimezone(_UTC)

    def _hours(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        for days, ranges in self.working_hours.items():
            if day.weekday() in days.days:
                return [(self._at(day, r.start), self._at(day, r.end)) for r in ranges]
        return []

    def _busy(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime, str]]:
        out = []
        for b in self.busy:
            if b.applies(day):
                if b.time is None:
                    out.append((self._at(day, dt.time(0)), self._at(day, dt.time.max), b.what))
                else:
                    out.append((self._at(day, b.time.start), self._at(day, b.time.end), b.what))
        return out

    def _free(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """Working stretches of ``day`` with the busy times cut out."""
        free = self._hours(day)
        for bs, be, _ in self._busy(day):
            cut: list[tuple[dt.datetime, dt.datetime]] = []
            for s, e in free:
                if be <= s or e <= bs:
                    cut.append((s, e))
                    continue
                if s < bs:
                    cut.append((s, bs))
                if be < e:
                    cut.append((be, e))
            free = cut
        return free

    def _grid_near(self, target: dt.datetime, lo: dt.datetime,
                   hi: dt.datetime) -> list[dt.datetime]:
        """Grid starts in [lo, hi] on either side of ``target`` clamped into that stretch."""
        if hi < lo:
            return []
        t = min(max(target, lo), hi).astimezone(self.prospect_zone)
        step = self.step_minutes
        minutes = t.hour * 60 + t.minute
        down = t.replace(second=0, microsecond=0) - dt.timedelta(minutes=minutes % step)
        up = down if down == t else down + dt.timedelta(minutes=step)
        return [c.astimezone(_UTC) for c in (down, up)
                if lo <= c.astimezone(_UTC) <= hi]


def _clock(when: dt.datetime) -> str:
    hour = when.hour % 12 or 12
    suffix = "am" if when.hour < 12 else "pm"
    if when.minute:
        return f"{hour}:{when.minute:02d}{suffix}"
    return f"{hour}{suffix}"
