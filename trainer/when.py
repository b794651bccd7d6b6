"""Dates and times in a line: a specific slot, a vague window, or nothing to schedule.

``find_times(text, now)`` returns the scheduling mentions in ``text``; ``resolve_slot`` gives the
first slot's datetime. Hand-written regexes find the parts (day, time of day, day part, window
phrase), adjacent parts join into one mention, and small pure functions resolve it relative to
``now``. No date library: on the labelled set in ``tests/data/when.jsonl`` both parsedatetime
and dateparser found far fewer slots, read non-dates ("we", "may", "in 2019", phone numbers) as
dates, and cost more per call and at import (figures: ``bench/when_eval.py``).

Decisions, each a rule users can rely on:

- **Kinds.** ``slot`` is a day and a time of day ("Tuesday at 10", "the 17th at 1pm",
  "4 tomorrow") or a time alone, which implies a day (below); "in 20 minutes" and "in an hour"
  are slots too. Everything else is a ``window``. A specific day without a time ("on Tuesday",
  "the 17th", "first thing Monday") is a window with ``day_only=True`` and ``when`` that day at
  00:00: the method asks for a time on the calendar, so a day alone earns partial credit like
  any window, and two kinds keep the consumers' "slot or not" test simple while ``day_only``
  keeps the extra information.
- **Time alone.** "at 10" means today at 10 if that is still ahead of ``now``, else tomorrow.
  A bare number is a time only after "at"/"@" or next to a day ("Tuesday 10", "4 tomorrow");
  "10am", "10:30", "noon", "half past two" and "ten o'clock" are times anywhere. "10.30"
  needs "at" or a day (it is often a price or a version); British "half ten" is 10:30; "3ish"
  is 3. A range ("between 2 and 4", "2-3pm") is a slot at its start; a bound ("after 3pm",
  "Tuesday before noon") pins nothing, so it is a window.
- **am/pm.** Said explicitly it wins; otherwise "morning" means am and "afternoon", "evening",
  "tonight" mean pm; otherwise business hours: 7 to 11 are am, 12 is noon, 1 to 6 are pm.
  Times with a hour above 12 ("14:30") are 24-hour.
- **Weekdays.** "Friday" and "this Friday" are the first Friday after today (said on a Friday,
  a week ahead: people say "today" for today). "next Friday" is the Friday of next calendar
  week (weeks start on Monday): said on a Monday it is 11 days ahead, said on a Thursday 8.
- **Dates.** "the 17th" is this month's 17th unless it has passed, then next month's (months
  without that day are skipped); "March 3rd" and "3/14" (US order, month first) are this year's
  unless passed, then next year's. A date with a year in the past is a past reference.
- **Not scheduling.** Past references ("last Tuesday", "yesterday", "since Monday", a dated
  past day, a sentence told in the past tense that does not also look ahead: "we had a call
  on Monday"), recurring ones ("every Monday", "on Tuesdays"), years alone, quantities ("10
  users", "at 3 percent", "a 10-minute call"), money, versions, phone numbers, street numbers,
  "24/7", "3/4 of", "the 17th floor", "today" alone ("how are you today?"), idioms ("in a
  minute", "at the end of the day") and "this month/quarter/year" without a word that makes it
  a plan ("later this quarter") yield nothing. "sat" and "sun" are days only next to a clock
  time or after "on"/"next" ("sat 3pm", not "the sun at 10").
- **Time zones.** "10am ET" (also EST/EDT/Eastern; EST in summer is taken to mean New York
  time, as people say it), PT, CT, MT, GMT/UTC, BST, CET, IST (India), AEST and a few more are
  converted into ``now``'s time zone. With a naive ``now`` there is nothing to convert into:
  the spoken wall time is returned, naive.
- **Spans.** A mention's text starts at the first word that carries meaning: modifiers stay
  ("next Friday", "in a few weeks"), a leading "at"/"on"/"by" does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import cache
from typing import Literal

from trainer.regexcache import compile as _compile

__all__ = ["TimeMention", "find_times", "resolve_slot"]


@dataclass(frozen=True)
class TimeMention:
    """One scheduling mention in a line: its kind, span, text and, when known, the datetime."""

    kind: Literal["slot", "window"]
    start: int
    end: int
    text: str
    when: datetime | None
    day_only: bool = False
    time_only: bool = False  # a slot that names a time and no day ("12pm works")


def find_times(text: str, now: datetime) -> tuple[TimeMention, ...]:
    """The scheduling mentions in ``text``, in order, resolved relative to ``now``."""
    if not isinstance(now, datetime):
        raise TypeError(
            f"find_times needs `now` as a datetime, got {type(now).__name__}; "
            "pass datetime.now() or the time the line was said."
        )
    look = _Look.of(text)
    if not look.digits and look.words.isdisjoint(_K_ANY):
        return ()
    atoms = _drop_overlaps(sorted(_atoms(text, now, look),
                                  key=lambda a: (a.start, a.start - a.end)))
    # Sentences told in the past, looked at only when the line has a past-tense verb.
    past: dict[tuple[int, int], bool] | None = {} if look.has(_PAST_VERBS) else None
    out = []
    for chain in _chains(text, atoms):
        mention = _mention(text, chain, now)
        if mention is not None and (past is None or not _told_in_past(text, mention, past)):
            out.append(mention)
    return tuple(out)


def resolve_slot(text: str, now: datetime) -> datetime | None:
    """The datetime of the first slot in ``text``, or ``None`` when it pins none."""
    return next((m.when for m in find_times(text, now) if m.kind == "slot"), None)


# --- words ---------------------------------------------------------------------------------

_WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2,
    "wed": 2, "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
    # misspellings common enough in typed chat and notes to be worth reading
    "tuseday": 1, "tusday": 1, "wensday": 2, "wendsday": 2, "wednsday": 2, "thrusday": 3,
    "thurday": 3, "saterday": 5,
}
_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_HOUR_WORDS: dict[str, int] = {w: i for i, w in enumerate((*_ONES, "ten", "eleven", "twelve"), 1)}
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_ORD_ONES = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_ORDINAL_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(_ORD_ONES, 1)},
    **{w: i for i, w in enumerate(("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
                                    "fifteenth", "sixteenth", "seventeenth", "eighteenth",
                                    "nineteenth", "twentieth"), 10)},
    **{f"twenty {w}": 20 + i for i, w in enumerate(_ORD_ONES, 1)},
    "thirtieth": 30, "thirty first": 31,
}
_AMPM = r"[ap]\.\s?m\b\.?|[ap]m\b"
_MINUTE_WORDS = (
    rf"o[h']?[\s-]?(?:{'|'.join(_ONES)})|(?:{'|'.join(_TENS)})(?:[\s-]?(?:{'|'.join(_ONES)}))?|"
    + "|".join(_TEENS)
)


def _minute_value(words: str) -> int:
    """Minutes said in words: "oh five" 5, "fifteen" 15, "forty five" 45."""
    parts = words.replace("oh", "o").replace("o'", "o").split()
    if parts and parts[0] == "o":
        parts = parts[1:]
    total = 0
    for p in parts:
        if p in _TENS:
            total += _TENS[p]
        elif p in _TEENS:
            total += 10 + _TEENS.index(p)
        elif p in _ONES:
            total += _ONES.index(p) + 1
    return total


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Words that make a number a quantity, not a time: "10 users", "at 3 percent", "the 17th floor".
_NOUNS = _words(
    "percent percentage pct k m mm bn mil million billion thousand grand hundred dozen x times "
    "people person persons folks staff team user seat license dollar buck usd eur euro pound gbp "
    "year yr month mo week wk day hour hr minute min mins second sec location site office store "
    "rep customer client employee account country city region kid child children deal call "
    "meeting point of out per floor century percentile quarter street st road rd avenue ave lane "
    "drive dr blvd place unit item order ticket agent member project feature step stage time page "
    "slide question idea thing more less plus extra other others new version release grade row "
    "line round edition anniversary birthday best most party option choice priority attempt try "
    "one ones inch feet ft mile km kg lb gb tb mb tier level hole inning"
)
# Words ending in "s" that are not plural nouns ("Tuesday at 10 works").
_S_WORDS = _words(
    "works suits sounds looks does fits gets makes means seems helps goes is has was thanks this "
    "us yes as its his hers ours yours theirs always perhaps unless pls plus whereas"
)
_STREET = _compile(
    r"(?:\s+[a-z]+){0,2}\s+(?:street|st|road|rd|avenue|ave|boulevard|blvd|lane|ln|drive|way|"
    r"place|plaza|square|sq|court|ct|suite|floor)\b",
    re.IGNORECASE,
)
_NEXT_WORD = _compile(r"\s*(?:(%)|-\s*([a-z]+)|([a-z]+)(?:['’][a-z]+)?)?", re.IGNORECASE)


def _stopped_by_noun(text: str, end: int, *, ordinal: bool = False) -> bool:
    """True when the word after ``text[:end]`` makes the number before it a quantity."""
    m = _NEXT_WORD.match(text, end)
    assert m is not None      # every group is optional
    if m.group(1) or m.group(2):
        return True           # "10%", "a 10-minute call"
    word = (m.group(3) or "").lower()
    if not word:
        return False
    if word in _NOUNS or (ordinal and word.endswith("est")):
        return True           # "the 2nd largest"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss") and \
            word not in _S_WORDS:
        return True           # "10 users", "2 locations"
    return _STREET.match(text, end) is not None   # "at 10 Main Street"


_ZONES: dict[str, tuple[str, float]] = {
    **dict.fromkeys(("et", "est", "edt", "eastern", "new york", "nyc"), ("America/New_York", -5)),
    **dict.fromkeys(("ct", "cst", "cdt", "central"), ("America/Chicago", -6)),
    **dict.fromkeys(("mt", "mst", "mdt", "mountain"), ("America/Denver", -7)),
    **dict.fromkeys(("pt", "pst", "pdt", "pacific"), ("America/Los_Angeles", -8)),
    **dict.fromkeys(("gmt", "utc"), ("UTC", 0)),
    **dict.fromkeys(("bst", "uk", "london"), ("Europe/London", 0)),
    **dict.fromkeys(("cet", "cest"), ("Europe/Paris", 1)),
    "ist": ("Asia/Kolkata", 5.5),
    **dict.fromkeys(("aest", "aedt"), ("Australia/Sydney", 10)),
    "sgt": ("Asia/Singapore", 8),
    "jst": ("Asia/Tokyo", 9),
}


@cache
def _zone(name: str) -> tzinfo:
    """The time zone a spoken name means; a fixed standard offset without a tz database."""
    key, hours = _ZONES[name]
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(key)
    except (ImportError, LookupError, OSError):   # no tz database (Windows without tzdata)
        return timezone(timedelta(hours=hours), name.upper())


# --- parts -------------------------------------------------------------------------------

@dataclass
class _Atom:
    """One part of a mention: a day, a time of day, a day part, a window or a relative slot."""

    role: Literal["day", "time", "part", "window", "rel"]
    start: int
    end: int
    prep: str = ""                 # the preposition just before ("at", "on", "after", ...)
    day: date | None = None
    weekday_only: bool = False     # a day named only by its weekday (a date may refine it)
    weak: bool = False             # needs support: a bare "10", "ten", "mon", "10.30"
    shy: bool = False              # "sat", "sun": a day only with "on"/"next" or a clock time
    dead: bool = False             # past or recurring ("last Tuesday", "every Monday")
    hour: int = 0
    minute: int = 0
    ampm: str = ""
    tz: str = ""
    part: str = ""                 # morning / afternoon / evening / first / eod
    day_only: bool = False         # for windows that name one day ("later today")
    delta: timedelta = field(default_factory=timedelta)


_W = re.IGNORECASE
_WD = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_MON = "|".join(sorted(_MONTHS, key=len, reverse=True))
_HW = "|".join(sorted(_HOUR_WORDS, key=len, reverse=True))
_OW = "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
_NOT_NUM_BEFORE = r"(?<![\w$£€#.,/:+-])"
_NOT_NUM_AFTER = r"(?![\w%/:]|[.,]\d|-[a-z])"
_TOM = r"tomorrow|tmrw|tmr|tmw|tomorow|tommorow|tommorrow|2moro|2morrow"

_PREP_BEFORE = _compile(
    r"(?:^|[\s,(])(at|on|by|until|till|til|before|after|from|since|for|around|about|between|"
    r"in)(?:\s+(?:like|um|uh|er|erm|say))?\s*$|(@)\s*$",
    _W,
)
_BOUND = frozenset({"before", "after", "until", "till", "til"})

_DAY_WEEKDAY = _compile(
    r"\b(?:(?P<mod>this\s+coming|this\s+past|this|next|coming|the\s+following|following|last|"
    rf"past|previous|every(?:\s+other)?)\s+)?(?P<wd>{_WD})\b\.?",
    _W,
)
_DAY_RELATIVE = _compile(
    rf"\b(?:(?P<dat>(?:the\s+)?day\s+after\s+(?:{_TOM}))|(?P<tom>{_TOM})|(?P<tod>today)|"
    r"(?P<tonight>tonight|tonite)|this\s+(?P<part>morning|afternoon|evening)|(?P<yest>yesterday))\b",
    _W,
)
_DAY_WEEK_FROM = _compile(
    rf"\b(?P<n>a|one|two|three|[1-4])\s+weeks?\s+from\s+(?P<base>today|{_TOM}|{_WD})\b", _W
)
_DAY_ORDINAL = _compile(
    r"\b(?P<the>the\s+)?(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)\b"
    rf"(?:\s+of\s+(?P<mon>{_MON})\b\.?)?",
    _W,
)
_DAY_MONTH_FIRST = _compile(
    rf"\b(?P<mon>{_MON})\.?\s+(?:the\s+)?(?:(?P<d>3[01]|[12]\d|0?[1-9])(?P<suf>st|nd|rd|th)?|"
    rf"(?P<dw>{_OW}))\b(?!\s*[:.]\d)(?:,?\s+(?P<y>\d{{4}})\b)?",
    _W,
)
_DAY_DAY_FIRST = _compile(
    rf"\b(?:the\s+)?(?:(?P<d>3[01]|[12]\d|0?[1-9])(?P<suf>st|nd|rd|th)?|(?P<dw>{_OW}))"
    rf"(?P<of>\s+of)?\s+(?P<mon>{_MON})\b\.?(?:,?\s+(?P<y>\d{{4}})\b)?",
    _W,
)
_DAY_NUMERIC = _compile(
    rf"{_NOT_NUM_BEFORE}(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])"
    rf"(?:/(?P<y>\d{{4}}|\d{{2}}))?(?![\w/%]|[.,]\d)",
    _W,
)
_AFTER_WEEKDAY = _compile(rf"\b(?:{_WD})\b\.?,?\s+$", _W)
# "the fourth", "the twenty second": a day of the month spelled out, as transcripts write it.
_DAY_ORDINAL_WORD = _compile(rf"\bthe\s+(?P<dw>{_OW})\b(?!\s+(?:of\s+)?(?:{_MON})\b)", _W)
_AT_NEXT = _compile(r"\s*,?\s*(?:at|@)\b", _W)
# What may follow a day-first date whose month is also a word ("18 March at 10am").
_DATE_TAIL = _compile(r"\s*(?:at\b|,|\.)")
_DAY_PREPS = frozenset(("on", "by", "until", "till", "before", "after"))
_OF = _compile(r"\s+of\b", _W)
_DAY_ISO = _compile(r"\b(?P<y>20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")

_ISH = r"(?:-?ish\b)?"     # "3ish", "10-ish": still a time, said loosely
_TIME_CLOCK = _compile(
    rf"{_NOT_NUM_BEFORE}(?P<h>[01]?\d|2[0-3])(?P<sep>[:.])(?P<m>[0-5]\d)(?![\d%]|[.,:]\d)"
    rf"(?:\s*(?P<ap>{_AMPM}))?{_ISH}",
    _W,
)
_TIME_AMPM = _compile(
    rf"{_NOT_NUM_BEFORE}(?P<h>1[0-2]|0?[1-9])(?P<m>[0-5]\d)?\s*(?P<ap>{_AMPM}){_ISH}", _W
)
_TIME_OCLOCK = _compile(
    rf"{_NOT_NUM_BEFORE}(?P<h>1[0-2]|0?[1-9]|\b(?:{_HW}))\s*o['’]?\s?clock\b", _W
)
_TIME_NOON = _compile(r"\b(?:12\s*)?(?P<w>noon|midday|midnight)\b", _W)
_TIME_PAST = _compile(
    r"\b(?P<q>half|quarter|twenty[\s-]?five|twenty|ten|five)\s+(?:(?P<rel>past|after|to|till|of)\s+)?"
    rf"(?P<h>1[0-2]|[1-9]|{_HW})\b",
    _W,
)
_TIME_WORDS = _compile(
    rf"\b(?P<h>{_HW})(?:[\s-]+(?P<m>{_MINUTE_WORDS}))?\b(?:\s*(?P<ap>{_AMPM}))?", _W
)
_TIME_BARE = _compile(rf"{_NOT_NUM_BEFORE}(?P<h>1[0-2]|0?[1-9]){_ISH}{_NOT_NUM_AFTER}", _W)
_T1 = rf"(?:1[0-2]|0?[1-9])(?::[0-5]\d)?(?:\s*(?:{_AMPM}))?"
_TIME_RANGE = _compile(
    rf"{_NOT_NUM_BEFORE}(?:(?P<btw>between|from)\s+)?(?P<t1>{_T1})\s*(?P<sep>-|–|to|till|until|and)"
    rf"\s*(?P<t2>{_T1}){_NOT_NUM_AFTER}",
    _W,
)
_T1_PARTS = _compile(rf"(?P<h>\d+)(?::(?P<m>\d\d))?\s*(?P<ap>{_AMPM})?", _W)
_TZ_AFTER = _compile(
    r"\s*\(?(?P<tz>e[sd]?t|eastern|c[sd]?t|central|m[sd]?t|mountain|p[sd]?t|pacific|gmt|utc|bst|"
    r"cest|cet|ist|aest|aedt|sgt|jst|uk|london|new\s+york|nyc)\)?(?:\s+time)?\b",
    _W,
)
_TZ_NEEDS_TIME_WORD = frozenset({"uk", "london", "new york", "nyc"})

_PART = _compile(
    r"\b(?:(?:in|during)\s+the\s+)?(?P<p>morning|afternoon|evening|night)\b|"
    r"\b(?P<first>first\s+thing)\b|"
    r"\b(?P<eod>eod|cob|(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|business)|"
    r"close\s+of\s+(?:the\s+)?business)\b|"
    rf"\b(?P<endof>(?:the\s+)?end\s+of)\s+(?=(?:{_TOM}|today|{_WD})\b)",
    _W,
)

_UNIT = r"(?P<unit>week|fortnight|month|quarter|year|weekend|spring|summer|autumn|winter)"
_WINDOWS = _compile(
    # The lookahead names every word a branch can start with, and turns the other places
    # away before the branches are tried (same matches, the search about 3x faster than
    # without it). A new branch must add its first word here.
    r"(?=\b(?:early|late|later|sometime|some|mid|middle|by|the|end|beginning|start|this|next|"
    r"coming|in|within|over|during|a|one|two|three|four|after|before|until|till|eo[wmqy]|for|"
    r"around|come|week|first|second|last|final|[1-9])\b)(?:"
    r"\b(?:(?P<q>early|late|later|sometime|some\s+time|mid|middle\s+of|(?:by\s+)?(?:the\s+)?end\s+of|"
    r"beginning\s+of|start\s+of)[\s-]+)?"
    rf"(?P<rel>this|next|the\s+following|the\s+next|the\s+coming|coming)\s+{_UNIT}\b(?!['’]s)|"
    r"\b(?P<inn>in|within|over|during)\s+(?P<next>the\s+next\s+|the\s+coming\s+)?"
    r"(?P<n>a\s+few|a\s+couple(?:\s+of)?|couple(?:\s+of)?|half\s+an|a|an|one|two|three|four|five|"
    r"six|seven|eight|nine|ten|twenty|thirty|forty|several|few|[1-9]\d?)\s+"
    r"(?P<u2>days?|weeks?|fortnights?|months?|minutes?|mins?|hours?|hrs?)\b"
    r"(?:\s+or\s+(?:so|two|three))?|"
    r"\b(?:a|one|two|three|four|[1-9]|a\s+couple\s+of|a\s+few)\s+(?:days?|weeks?|months?)"
    r"\s+from\s+now\b|"
    r"\b(?:in|after|before|over|during|until|till)\s+the\s+(?:new\s+year|holidays?|holiday\s+season|"
    r"summer\s+break|break)\b|"
    r"\b(?:after|before|until|till)\s+(?:thanksgiving|christmas|xmas|easter|new\s+year['’]?s?|"
    r"labou?r\s+day|memorial\s+day)\b|"
    r"\b(?:by\s+)?(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:the\s+|this\s+|next\s+)?"
    r"(?P<u3>week|month|quarter|year)\b|\beo[wmqy]\b|"
    r"\b(?P<qp>in|during|by|before|after|until|till|early|late|mid|end\s+of|beginning\s+of|"
    r"start\s+of|sometime\s+in)[\s-]+q[1-4]\b|"
    r"\b(?P<mp>in|by|until|till|before|after|for|around|come|early|late|mid|end\s+of|"
    rf"beginning\s+of|start\s+of|middle\s+of|sometime\s+in)[\s-]+(?:{_MON})\b(?!\.?\s*\d)|"
    r"\b(?:the\s+)?(?:first|second|third|last|final)\s+(?:week|fortnight|two\s+weeks|"
    rf"couple\s+of\s+weeks|few\s+days|half|days)\s+(?:of|in)\s+(?:{_MON})\b(?!\.?\s*\d)|"
    r"\b(?P<later>later\s+(?:today|tonight))\b|"
    rf"\b(?:the\s+)?week\s+of\s+(?:the\s+)?(?:(?:{_MON})\.?\s+)?(?:3[01]|[12]\d|0?[1-9])"
    rf"(?:st|nd|rd|th)?\b(?:\s+of\s+(?:{_MON})\b)?|"
    r"\bover\s+the\s+weekend\b|"
    r"\b(?:in|over|during|after|before|by|until|till|early|late|mid|end\s+of|beginning\s+of|"
    r"start\s+of|sometime\s+in)[\s-]+(?:the\s+)?(?:spring|summer|autumn|winter)\b|"
    r"\b(?:in|over|during|after|before|by|until|till)\s+the\s+fall\b)",
    _W,
)
_SLOT_UNITS = ("min", "hour", "hr")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "thirty": 30, "forty": 40,
}

# Before a mention, these make it a past reference; "ago" does after it.
_PAST_BEFORE = _compile(r"\b(?:since|earlier)\s*$", _W)
_PAST_AFTER = _compile(r"^\s*ago\b", _W)
# A clause told in the past ("we had a call on Monday") schedules nothing, unless it also
# looks ahead ("I was hoping we could meet on Monday").
_SENTENCE_END = _compile(r"[.!?;]\s")
_PAST_VERBS = _words(
    "was were had did met spoke talked joined signed sent went started launched tried happened "
    "visited called emailed shipped closed lost won"
)
_PAST_VERB = _compile(rf"\b(?:{'|'.join(sorted(_PAST_VERBS))})\b", _W)
_LOOKS_AHEAD = _compile(
    r"\b(?:will|shall|can|could|would|should|let's|let['’]?s|let\s+us|going\s+to|gonna|"
    r"want\s+to|wanna|how\s+about|what\s+about|are\s+you|free|available|works?|suits?|plan|"
    r"planning|hoping|hope|next|book|schedule|once|maybe|perhaps)\b|['’]ll\b",
    _W,
)
_GLUE = _compile(
    r"(?:\s|,|@|-|–|\b(?:at|on|around|about|approximately|say|maybe|perhaps|like|um|uh|er|erm|"
    r"by|from|for|before|"
    r"after|until|till|between)\b)*",
    _W,
)
_MAX_GAP = 30
_MOMENTS = frozenset(("first", "eod"))


@dataclass(frozen=True)
class _Look:
    """The words of a line and whether it has digits, found once, so that each pattern runs
    only on lines where it can match: most lines skip most patterns."""

    words: frozenset[str]
    digits: bool

    @classmethod
    def of(cls, text: str) -> _Look:
        return cls(frozenset(_WORD.findall(text.lower())), _DIGIT.search(text) is not None)

    def has(self, keys: frozenset[str]) -> bool:
        return not self.words.isdisjoint(keys)


_WORD = _compile(r"[a-z0-9]+")
_DIGIT = _compile(r"\d")
_K_WEEKDAY = frozenset(_WEEKDAYS)
_K_RELATIVE = frozenset(_TOM.split("|")) | _words(
    "today tonight tonite morning afternoon evening yesterday"
)
_K_MONTH = frozenset(_MONTHS)
_K_ORDINAL = frozenset(w for k in _ORDINAL_WORDS for w in k.split() if w not in _TENS)
_K_HOUR = frozenset(_HOUR_WORDS)
_K_NOON = frozenset(("noon", "midday", "midnight"))
_K_CLOCK = frozenset(("clock", "oclock"))
_K_PART = _words("morning afternoon evening night first eod cob end close")
_K_WINDOW = _K_MONTH | _words(
    "week weeks weekend month months quarter year day days minute minutes min mins hour hours hr "
    "hrs holiday holidays break thanksgiving christmas xmas easter labor labour memorial eow eom "
    "eoq eoy q1 q2 q3 q4 today tonight fortnight fortnights spring summer autumn fall winter"
)
_K_ANY = (_K_WEEKDAY | _K_RELATIVE | _K_HOUR | _K_NOON | _K_CLOCK | _K_PART | _K_WINDOW
          | _K_ORDINAL)


def _atoms(text: str, now: datetime, look: _Look) -> Iterator[_Atom]:
    today = now.date()
    yield from _day_atoms(text, today, look)
    yield from _time_atoms(text, look)
    if look.has(_K_PART):
        yield from _part_atoms(text, today)
    if look.has(_K_WINDOW) or look.digits:
        yield from _window_atoms(text, today)


def _each(rx: re.Pattern[str], text: str, run: bool) -> Iterator[re.Match[str]]:
    return rx.finditer(text) if run else iter(())


def _prep(text: str, start: int) -> str:
    m = _PREP_BEFORE.search(text, max(0, start - 12), start)
    if m is None:
        return ""
    return re.sub(r"\s+", " ", (m.group(1) or m.group(2)).lower())


def _prep_start(text: str, start: int) -> int:
    m = _PREP_BEFORE.search(text, max(0, start - 12), start)
    return start if m is None else m.start(1) if m.group(1) else m.start(2)


def _day_atoms(text: str, today: date, look: _Look) -> Iterator[_Atom]:
    if look.has(_K_WEEKDAY) or "from" in look.words:
        yield from _weekday_atoms(text, today, look)
    if look.has(_K_RELATIVE):
        yield from _relative_atoms(text, today)
    if look.digits or look.has(_K_MONTH | _K_ORDINAL):
        yield from _date_atoms(text, today, look)


def _weekday_atoms(text: str, today: date, look: _Look) -> Iterator[_Atom]:
    for m in _each(_DAY_WEEKDAY, text, look.has(_K_WEEKDAY)):
        wd_raw = m.group("wd").lower()
        mod = _space(m.group("mod") or "")
        dead = mod in ("last", "this past", "past", "previous") or mod.startswith("every")
        weak = wd_raw in ("mon", "wed", "sat", "sun") and not mod
        yield _Atom("day", m.start(), m.end("wd"), prep=_prep(text, m.start()),
                    day=_weekday(today, _WEEKDAYS[wd_raw], mod), weekday_only=True, weak=weak,
                    shy=weak and wd_raw in ("sat", "sun"), dead=dead)
    for m in _each(_DAY_WEEK_FROM, text, "from" in look.words):
        n = _NUMBER_WORDS.get(m.group("n").lower()) or int(m.group("n"))
        base_raw = m.group("base").lower()
        if base_raw == "today":
            base = today
        elif base_raw in _WEEKDAYS:
            base = _weekday(today, _WEEKDAYS[base_raw], "")
        else:
            base = today + timedelta(days=1)
        yield _Atom("day", m.start(), m.end(), prep=_prep(text, m.start()),
                    day=base + timedelta(weeks=n))


def _relative_atoms(text: str, today: date) -> Iterator[_Atom]:
    for m in _DAY_RELATIVE.finditer(text):
        part = ""
        if m.group("dat"):
            day = today + timedelta(days=2)
        elif m.group("tom"):
            day = today + timedelta(days=1)
        elif m.group("yest"):
            yield _Atom("day", m.start(), m.end(), day=today - timedelta(days=1), dead=True)
            continue
        else:
            day = today
            part = "today" if m.group("tod") else "evening" if m.group("tonight") else \
                m.group("part").lower()
        yield _Atom("day", m.start(), m.end(), prep=_prep(text, m.start()), day=day, part=part)


def _date_atoms(text: str, today: date, look: _Look) -> Iterator[_Atom]:
    """Days named by date: "the 17th", "March 3rd", "3rd of March", "3/14", "2025-03-14"."""
    found: list[tuple[re.Match[str], date | None]] = []
    for m in _each(_DAY_ORDINAL, text, look.digits):
        prep = _prep(text, m.start())
        if m.group("mon"):
            found.append((m, _month_day(today, _MONTHS[m.group("mon").lower()],
                                         int(m.group("d")), None)))
        elif (m.group("the") or prep in _DAY_PREPS or
              _AFTER_WEEKDAY.search(text, max(0, m.start() - 12), m.start())) and \
                not _stopped_by_noun(text, m.end(), ordinal=True):
            found.append((m, _day_of_month(today, int(m.group("d")))))
    for m in _each(_DAY_ORDINAL_WORD, text, look.has(_K_ORDINAL)):
        # Only where it is plainly a date: "on the fourth", "Monday the twenty second",
        # "the fourth at ten"; never "the second option".
        if (_prep(text, m.start()) in _DAY_PREPS or _AT_NEXT.match(text, m.end())
                or _AFTER_WEEKDAY.search(text, max(0, m.start() - 12), m.start())) and \
                not _stopped_by_noun(text, m.end(), ordinal=True):
            found.append((m, _day_of_month(today, _ORDINAL_WORDS[_space(m.group("dw"))])))
    for rx in (_DAY_MONTH_FIRST, _DAY_DAY_FIRST):
        for m in _each(rx, text, look.has(_K_MONTH)):
            mon_raw = m.group("mon").lower()
            if rx is _DAY_DAY_FIRST and mon_raw in ("may", "march", "mar") and not (
                    m.group("suf") or m.group("of") or m.group("dw")
                    or _AFTER_WEEKDAY.search(text, max(0, m.start() - 12), m.start())
                    or _DATE_TAIL.match(text, m.end())):
                continue      # "3 may need", "2 march" (but "Tuesday 18 March", "18 March at 10")
            if m.group("d") and not m.group("suf") and _stopped_by_noun(text, m.end()):
                continue      # "in March 10 people joined"
            d = int(m.group("d")) if m.group("d") else _ORDINAL_WORDS[_space(m.group("dw"))]
            year = int(m.group("y")) if m.group("y") else None
            found.append((m, _month_day(today, _MONTHS[mon_raw], d, year)))
    for m in _each(_DAY_NUMERIC, text, look.digits and "/" in text):
        if _OF.match(text, m.end()) or _stopped_by_noun(text, m.end()):
            continue          # "3/4 of the team", "1/2 hour"
        y = m.group("y")
        year = None if y is None else (int(y) + 2000 if len(y) == 2 else int(y))
        found.append((m, _month_day(today, int(m.group("m")), int(m.group("d")), year)))
    for m in _each(_DAY_ISO, text, look.digits and "-" in text):
        found.append((m, _month_day(today, int(m.group("m")), int(m.group("d")),
                                    int(m.group("y")))))
    for m, day in found:
        if day is not None:   # a date with a year in the past is a past reference
            yield _Atom("day", m.start(), m.end(), prep=_prep(text, m.start()), day=day,
                        dead=day < today)


def _time_atoms(text: str, look: _Look) -> Iterator[_Atom]:
    return (a for a in _time_candidates(text, look) if a is not None)


def _time_candidates(text: str, look: _Look) -> Iterator[_Atom | None]:
    for m in _each(_TIME_CLOCK, text, look.digits):
        ap = _ap(m.group("ap"))
        weak = m.group("sep") == "." and not ap
        yield _time(text, m.start(), m.end(), int(m.group("h")), int(m.group("m")), ap, weak)
    for m in _each(_TIME_AMPM, text, look.digits):
        yield _time(text, m.start(), m.end(), int(m.group("h")), int(m.group("m") or 0),
                    _ap(m.group("ap")), False)
    for m in _each(_TIME_OCLOCK, text, look.has(_K_CLOCK)):
        yield _time(text, m.start(), m.end(), _hour(m.group("h")), 0, "", False)
    for m in _each(_TIME_NOON, text, look.has(_K_NOON)):
        yield _time(text, m.start(), m.end(), 0 if m.group("w").lower() == "midnight" else 12,
                    0, "24h", False)
    for m in _each(_TIME_PAST, text, look.has(_K_HOUR) or look.digits):
        q = _space(m.group("q"))
        mins = {"half": 30, "quarter": 15, "twenty five": 25}.get(q)
        mins = mins if mins is not None else _minute_value(q)
        h = _hour(m.group("h"))
        if not m.group("rel"):
            if q != "half":
                continue      # "ten two" is no time; "half ten" is British for 10:30
            yield _time(text, m.start(), m.end(), h, 30, "", True)
            continue
        if m.group("rel").lower() in ("to", "till", "of"):
            if q == "half":
                continue
            h, mins = (h - 1) or 12, 60 - mins
        yield _time(text, m.start(), m.end(), h, mins, "", q not in ("half", "quarter"))
    for m in _each(_TIME_WORDS, text, look.has(_K_HOUR)):
        mins = _minute_value(_space(m.group("m"))) if m.group("m") else 0
        ap = _ap(m.group("ap"))
        yield _time(text, m.start(), m.end(), _hour(m.group("h")), mins, ap, not ap)
    for m in _each(_TIME_BARE, text, look.digits):
        yield _time(text, m.start(), m.end(), int(m.group("h")), 0, "", True)
    for m in _each(_TIME_RANGE, text, look.digits):
        sep = m.group("sep").lower()
        if (sep == "and") != (m.group("btw") or "").lower().startswith("between"):
            continue
        a, b = _T1_PARTS.match(m.group("t1")), _T1_PARTS.match(m.group("t2"))
        assert a is not None and b is not None
        ap1, ap2 = _ap(a.group("ap")), _ap(b.group("ap"))
        h1, h2 = int(a.group("h")), int(b.group("h"))
        if not ap1 and ap2 and h1 % 12 <= h2 % 12:
            ap1 = ap2             # "2-3pm": both afternoon
        weak = not (ap1 or ap2 or m.group("btw"))
        atom = _time(text, m.start(), m.end(), h1, int(a.group("m") or 0), ap1, weak)
        if atom is not None and m.group("btw"):
            atom.prep = "at"      # "between 2 and 4" stands alone like "at 2"
        yield atom


def _time(text: str, start: int, end: int, h: int, mins: int, ap: str,
          weak: bool) -> _Atom | None:
    """A time of day ending at ``end``, with a zone said after it; None for a quantity."""
    tz = ""
    z = _TZ_AFTER.match(text, end)
    if z is not None:
        name = re.sub(r"\s+", " ", z.group("tz").lower())
        if name not in _TZ_NEEDS_TIME_WORD or z.group(0).lower().endswith("time"):
            tz, end, weak = name, z.end(), False
    if weak and _stopped_by_noun(text, end):
        return None                                   # "10 users", "at 3 percent"
    return _Atom("time", start, end, prep=_prep(text, start), hour=h, minute=mins, ampm=ap,
                 tz=tz, weak=weak)


def _part_atoms(text: str, today: date) -> Iterator[_Atom]:
    for m in _PART.finditer(text):
        prep = _prep(text, m.start())
        if m.group("p"):
            yield _Atom("part", m.start(), m.end(), prep=prep, part=m.group("p").lower())
        elif m.group("first"):
            yield _Atom("part", m.start(), m.end(), prep=prep, part="first")
        elif m.group("eod"):
            eod = m.group("eod").lower()
            if "the" in eod.split() and prep not in ("by", "before", "until", "till"):
                continue          # "at the end of the day" is an idiom, not a deadline
            yield _Atom("part", m.start(), m.end(), prep=prep, part="eod", day=today)
        else:
            yield _Atom("part", m.start(), m.end(), prep=prep, part="eod")


def _window_atoms(text: str, today: date) -> Iterator[_Atom]:
    for m in _WINDOWS.finditer(text):
        if m.group("rel") and m.group("rel").lower() == "this" and not m.group("q") and \
                m.group("unit").lower() in ("month", "quarter", "year"):
            continue              # "we closed 3 deals this quarter" describes, not plans
        if m.group("inn"):
            unit, n = m.group("u2").lower(), _space(m.group("n"))
            if m.group("inn").lower() == "within" and not m.group("next"):
                continue          # "paid back within 9 months" is a duration
            if n in ("a", "an", "one") and unit == "day" and not m.group(0).endswith(("two", "so")):
                continue      # "24 hours in a day" counts, "in a day or two" plans
            if unit.startswith(_SLOT_UNITS):
                if n in ("a", "an") and unit.startswith("min"):
                    continue      # "in a minute" is an idiom
                count = 0.5 if n == "half an" else _NUMBER_WORDS.get(n) or (
                    int(n) if n.isdigit() else 0)
                if count:
                    per = timedelta(minutes=1) if unit.startswith("min") else timedelta(hours=1)
                    yield _Atom("rel", m.start(), m.end(), delta=per * count)
                    continue
        if m.group("later"):
            yield _Atom("window", m.start(), m.end(), day=today, day_only=True)
            continue
        start = m.start()
        if text[start:start + 3].lower() == "by ":
            start += 3
        yield _Atom("window", start, m.end())


# --- joining parts into mentions ----------------------------------------------------------

def _drop_overlaps(atoms: list[_Atom]) -> list[_Atom]:
    """Keep, left to right, the longest part at each place; parts never overlap after this."""
    kept: list[_Atom] = []
    for a in atoms:
        if kept and a.start < kept[-1].end:
            continue
        kept.append(a)
    return kept


def _chains(text: str, atoms: list[_Atom]) -> Iterator[list[_Atom]]:
    chain: list[_Atom] = []
    for a in atoms:
        if chain and _joins(text, chain, a):
            chain.append(a)
            continue
        if chain:
            yield chain
        chain = [a]
    if chain:
        yield chain


def _joins(text: str, chain: list[_Atom], a: _Atom) -> bool:
    last = chain[-1]
    if a.role in ("window", "rel") or last.role in ("window", "rel"):
        return False
    gap = text[last.end:a.start]
    if len(gap) > _MAX_GAP or _GLUE.fullmatch(gap) is None:
        return False
    roles = [c.role for c in chain]
    if a.role == "day" and "day" in roles:
        first = next(c for c in chain if c.role == "day")
        # "Friday the 14th", "Tuesday, March 3rd": a weekday refined by a date, once.
        return roles.count("day") == 1 and first.weekday_only and not a.weekday_only
    if a.role == "part" and "part" in roles:
        # "first thing tomorrow morning": a moment of the day and a part of it, once each
        other = {c.part for c in chain if c.role == "part"}
        return len(other) == 1 and a.part not in other and bool((other | {a.part}) & _MOMENTS)
    return a.role not in roles or a.role == "day"


def _mention(text: str, chain: list[_Atom], now: datetime) -> TimeMention | None:
    first, last = chain[0], chain[-1]
    if any(a.dead for a in chain):
        return None
    if _PAST_BEFORE.search(text, max(0, first.start - 10), first.start) or \
            _PAST_AFTER.match(text[last.end:last.end + 6]):
        return None
    if first.prep == "since":
        return None
    start, end = first.start, last.end
    span = text[start:end]
    if first.role == "rel":
        return TimeMention("slot", start, end, span, now + first.delta)
    if first.role == "window":
        when = datetime.combine(first.day, datetime.min.time(), now.tzinfo) if first.day else None
        return TimeMention("window", start, end, span, when, day_only=first.day_only)

    days = [a for a in chain if a.role == "day"]
    day_atom = next((a for a in days if not a.weekday_only), days[0] if days else None)
    time_atom = next((a for a in chain if a.role == "time"), None)
    parts = [a for a in chain if a.role == "part"]
    part_atom = parts[0] if parts else None
    part = next((a.part for a in parts if a.part not in _MOMENTS), "") or (
        day_atom.part if day_atom else "")
    day = day_atom.day if day_atom else next((a.day for a in parts if a.day), None)
    if day is not None and day_atom is not None and days[0].weekday_only \
            and days[0] is not day_atom and days[0].day is not None and day.year > now.year:
        day = _agreeing_year(day, days[0].day.weekday())

    if days and days[0].weak and not days[0].prep:
        # "wed", "mon", "sat", "sun" are often plain words: a day only next to a time
        # (or a part of the day); "sat" and "sun" only next to a clock time ("sat 3pm").
        if days[0].shy and (time_atom is None or time_atom.weak):
            return None
        if time_atom is None and part_atom is None:
            return None
    if time_atom is not None and time_atom.weak and day_atom is None and part_atom is None and \
            time_atom.prep not in ("at", "@"):
        return None               # "version 10", "10 users": a bare number is not a time
    if time_atom is not None and time_atom.prep in _BOUND and time_atom is first:
        start = _prep_start(text, start)          # "after 3pm" keeps its "after"
        span = text[start:end]
    if time_atom is None or time_atom.prep in _BOUND:
        if day is None:
            if time_atom is not None:     # "after 3": an open-ended window
                return TimeMention("window", start, end, span, None)
            return None
        if day_atom is not None and day_atom.part == "today" and part_atom is None:
            return None           # "how are you today?" names no plan
        when = datetime.combine(day, datetime.min.time(), now.tzinfo)
        return TimeMention("window", start, end, span, when, day_only=True)
    when = _resolve(day, time_atom, part, now)
    return TimeMention("slot", start, end, span, when, time_only=day is None)


def _told_in_past(text: str, mention: TimeMention, seen: dict[tuple[int, int], bool]) -> bool:
    """True when the sentence around ``mention`` tells of the past and plans nothing.

    A sentence is cut at 200-300 characters each side of the mention when no full stop comes
    sooner; the cut snaps to a 100-character grid so that neighbouring mentions share the
    entry in ``seen`` and a long line costs linear time.
    """
    reach = 200
    lo = max(0, (mention.start - reach) // 100 * 100)
    cut = [m.end() for m in _SENTENCE_END.finditer(text, lo, mention.start)]
    left = cut[-1] if cut else lo
    hi = min(len(text), -(-(mention.end + reach) // 100) * 100)
    after = _SENTENCE_END.search(text, mention.end, hi)
    right = after.start() if after else hi
    if (left, right) not in seen:
        sentence = text[left:right]
        seen[left, right] = _PAST_VERB.search(sentence) is not None and \
            _LOOKS_AHEAD.search(sentence) is None
    return seen[left, right]


# --- resolution ---------------------------------------------------------------------------

def _resolve(day: date | None, t: _Atom, part: str, now: datetime) -> datetime:
    hour = _hour24(t.hour, t.ampm, part)
    tzinfo = now.tzinfo
    spoken = _zone(t.tz) if t.tz and tzinfo is not None else None
    base_tz = spoken or tzinfo
    if day is None:
        local_now = now.astimezone(spoken) if spoken is not None else now
        candidate = datetime.combine(local_now.date(), datetime.min.time(), base_tz).replace(
            hour=hour, minute=t.minute)
        if _as(candidate, tzinfo) <= now:
            candidate = datetime.combine(local_now.date() + timedelta(days=1),
                                         datetime.min.time(), base_tz).replace(hour=hour,
                                                                              minute=t.minute)
        return _as(candidate, tzinfo)
    at = datetime(day.year, day.month, day.day, hour, t.minute, tzinfo=base_tz)
    return _as(at, tzinfo)


def _as(dt: datetime, tzinfo: object) -> datetime:
    if tzinfo is None or dt.tzinfo is None:
        return dt
    return dt.astimezone(tzinfo)  # type: ignore[arg-type]


def _hour24(h: int, ap: str, part: str) -> int:
    if ap == "24h" or h > 12 or h == 0:
        return h % 24
    if ap == "am":
        return 0 if h == 12 else h
    if ap == "pm":
        return 12 if h == 12 else h + 12
    if part in ("afternoon", "evening", "night"):
        return 12 if h == 12 else h + 12
    if part == "morning":
        return h
    return h + 12 if 1 <= h <= 6 else h


def _weekday(today: date, wd: int, mod: str) -> date:
    if mod in ("next", "the following", "following"):
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=wd)
    if mod in ("last", "this past", "past", "previous"):
        return today - timedelta(days=(today.weekday() - wd) % 7 or 7)
    return today + timedelta(days=(wd - today.weekday()) % 7 or 7)


def _day_of_month(today: date, d: int) -> date | None:
    y, m = today.year, today.month
    for _ in range(13):
        try:
            candidate = date(y, m, d)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return None


def _agreeing_year(day: date, weekday: int) -> date:
    """``day``, which passed this year and was read as next year's, moved back when only this
    year's falls on the weekday said with it: "Wednesday 12 March" said in April is the one
    just gone (the calendar will say so), not a Thursday eleven months away. A date still to
    come this year is never moved: a weekday one off is a slip ("Tuesday 12 March")."""
    if day.weekday() == weekday:
        return day
    try:
        before = day.replace(year=day.year - 1)
    except ValueError:
        return day
    return before if before.weekday() == weekday else day


def _month_day(today: date, month: int, d: int, year: int | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, d)
        candidate = date(today.year, month, d)
        return candidate if candidate >= today else date(today.year + 1, month, d)
    except ValueError:
        return None


def _ap(raw: str | None) -> str:
    if not raw:
        return ""
    return "am" if raw.lower().startswith("a") else "pm"


def _hour(raw: str) -> int:
    return int(raw) if raw.isdigit() else _HOUR_WORDS[raw.lower()]


def _space(raw: str) -> str:
    return re.sub(r"[\s-]+", " ", raw.lower()).strip()
