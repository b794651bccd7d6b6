"""``nextstep new``: a commented scenario to start from, which validates and passes its tests.

The file is written to the user's scenario folder (where ``nextstep list`` looks) unless a
folder is given, together with ``scenario.schema.json`` so an editor with the YAML language
server completes and checks keys as the author types.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from trainer.errors import UsageError

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

TEMPLATE = """\
{modeline}
#
# {title}: a NextStep scenario. Change anything, then check it:
#   nextstep validate {file}          every error and warning, with where it is
#   nextstep test {file}              plays the conversations under `tests:` (at the end)
#   nextstep practice {file} --watch  try it yourself; saving the file reloads it
# The authoring guide (docs/authoring.md) explains every key.

version: 1
id: {id}                    # short and unique; keep the file named <id>.yaml
title: {title}
difficulty: 2                 # 1 (gentle) to 5 (brutal)
tags: [stall, first-meeting]

# Who the trainee meets. Any line the prospect says may use {{name}}, {{role}}, {{company}}.
persona:
  name: Alex Morgan
  role: Operations Director
  company: Northwind Supplies
  style: Polite and busy; says "let me think about it" rather than no.
  volunteered: stall          # "I'll send you a proposal" only earns another stall
  tasks: accept               # how Alex takes a task: accept, push_back or refuse

# What the trainee reads before the meeting starts, and what they should achieve.
brief: >
  You have just shown Alex Morgan, Operations Director at Northwind Supplies, how your
  software plans deliveries. Alex liked it. There are ten minutes left in the meeting.
goal: >
  Confront the stall, hear the real concern, let Alex say what the next step is, book a
  date and time for it, give Alex a task before then, and recap who does what by when.

# The moment the meeting happens, so every run is the same, and Alex's week, so a time the
# trainee proposes is checked: a taken time gets the nearest free one instead.
calendar:
  now: {{date: {date}, time: "10:30", timezone: Europe/London}}
  working_hours: {{mon-fri: "09:00-17:30"}}
  busy:
    - {{every: wed, time: "09:00-12:00", what: "the weekly operations review"}}

clock: {{minutes: 10, per_turn: 1}}   # ten minutes left; each exchange takes about one
patience: 3                         # lines that go nowhere before Alex ends the meeting

# Your own true/false flags and counters; transitions test them (if:) and change them (set:).
flags:
  concern_heard: false

# Kinds of line this scenario cares about beyond the built-in moves (ask_next_step,
# propose_time, confront_stall...). A line matches an example when it is close enough to it
# as a whole phrase, or a pattern (a regular expression) when it is found anywhere in it.
intents:
  budget:
    examples:
      - who signs off the budget for something like this
      - how would a purchase like this get paid for
    patterns: ['\\bbudget\\b', '\\bsigns? off\\b']

# What Alex says and how Alex reacts. The meeting starts in the first state listed.
# Under `on:`, the first transition whose move or intent matches the trainee's line fires;
# lines no transition takes get the engine's built-in reactions (see the guide).
states:
  thinking:
    stall: true               # "let me think about it" is a stall, not a next step
    say:
      - "Thanks, that was really useful. Let me think about it and I'll get back to you."
      - "Great demo, thank you. I'll need to mull it over, and I'll be in touch."
    hints:
      - "\\"Let me think about it\\" is a stall. Name it: is this a priority now, or ever?"
    on:
      - move: confront_stall  # the trainee names the stall...
        set: {{concern_heard: true}}
        goto: concern         # ...and Alex says what is really holding things up

  concern:
    say:
      - >-
        Honestly? I like it, but our finance director signs off anything like this, and
        she'll want to see it working on our own routes first.
    hints:
      - "Ask Alex what the next step should be, then put a date and time on it."
    on:
      - intent: budget
        say: "Priya, our finance director. Anything over five thousand goes through her."

# What Alex says to a line nothing else answers; each one costs patience.
fallback:
  - "Sorry, I'm not sure I follow."
  - "Right. And what does that mean for us?"
  - "Hmm, OK."

# Your own lines for the built-in reactions (all optional).
reactions:
  next_step_proposed: "I suppose the next step is showing Priya, on our own routes."

# Alex's closing line for each way the meeting can end.
endings:
  won: "Great. I'll send Priya the invite. Speak on {{slot}}."
  lost: "Sorry, I need to jump on another call."
  no_decision: "Thanks for your time. I'll be in touch."

# Grading beyond the five standard criteria.
rubric:
  criteria:
    - id: concern
      title: Heard the real concern
      passes_if: [concern_heard]
      tip: Name the stall; the answer tells you what the next meeting must show.

# Conversations that must keep working as you edit: `nextstep test {file}` plays them.
tests:
  - name: confronting the stall, then booking, wins
    lines:
      - {{say: "Is this a priority for you right now, or is it never going to be?",
         expect: {{state: concern}}}}
      - What would you suggest as a next step?
      - Are you free {day} at 10am?
      - Could you bring last month's delivery figures to that meeting?
      - So to confirm, {day} at 10am with Priya, and you'll bring the figures. Right?
    expect:
      outcome: won
      criteria: {{confront_stall: pass, secure_date: pass, concern: pass}}

  - name: letting the stall pass ends with no decision
    lines:
      - Sure, take your time and get back to me whenever suits you.
    expect:
      outcome: no_decision
      criteria: {{confront_stall: fail}}
"""


@dataclass(frozen=True)
class Created:
    """What ``new`` wrote."""

    path: Path
    schema: Path | None  # the schema file, when it was written or updated


# Letters that Unicode does not decompose into a plain letter and an accent.
_PLAIN = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d",
                        "ð": "d", "þ": "th", "ı": "i"})


def scenario_id(name: str) -> str:
    """``My New Prospect`` as ``my-new-prospect``, ``Zoë's Prospect`` as ``zoe-s-prospect``;
    refuses names that leave nothing."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name.strip().lower().translate(_PLAIN))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    words = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if not words or not _ID.match(words):
        raise UsageError(f"{name!r} cannot be a scenario id: an id uses the letters a-z and "
                         "digits (the title inside the file can be anything), e.g. "
                         "`nextstep new price-shopper`")
    return words


def render(name: str, *, file: str | None = None, today: dt.date | None = None) -> str:
    """The text of a new scenario called ``name``."""
    from trainer.authoring.schema import MODELINE

    sid = scenario_id(name)
    title = name.strip() if not _ID.match(name.strip()) else sid.replace("-", " ").capitalize()
    day = _next_tuesday(today or dt.date.today())
    meeting = day + dt.timedelta(days=2)  # the Thursday after: free in the calendar above
    return TEMPLATE.format(modeline=MODELINE, id=sid, title=title, file=file or f"{sid}.yaml",
                           date=day.isoformat(),
                           day=f"{meeting:%A} {meeting.day} {meeting:%B}")


def _next_tuesday(today: dt.date) -> dt.date:
    """The meeting happens on a Tuesday, so the week ahead has room to book."""
    return today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)


def default_folder() -> Path:
    """Where ``new`` writes: the first ``NEXTSTEP_SCENARIOS`` folder, else the data folder's
    ``scenarios/``; both are listed by ``nextstep list``."""
    from trainer.paths import data_dir

    extra = [p for p in os.environ.get("NEXTSTEP_SCENARIOS", "").split(os.pathsep) if p]
    return Path(extra[0]) if extra else data_dir() / "scenarios"


def create(name: str, *, folder: Path | None = None, force: bool = False,
           today: dt.date | None = None) -> Created:
    """Write a new scenario (and the schema beside it); refuse to overwrite unless ``force``."""
    from trainer.authoring.schema import FILE_NAME, schema_text
    from trainer.scenario_load import shipped_files

    sid = scenario_id(name)
    # Shipped files are named after their ids, so the names say which ids are taken.
    if sid in {f.name.rsplit(".", 1)[0] for f in shipped_files()}:
        raise UsageError(f"`{sid}` is the id of a shipped scenario; choose another name, e.g. "
                         f"`nextstep new my-{sid}`")
    folder = folder or default_folder()
    path = folder / f"{sid}.yaml"
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; open it, choose another name, or add "
                         "--force to replace it")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(render(name, file=str(path), today=today), encoding="utf-8")
        schema = folder / FILE_NAME
        text = schema_text()
        wrote: Path | None = None
        if not schema.exists() or schema.read_text("utf-8") != text:
            schema.write_text(text, encoding="utf-8")
            wrote = schema
    except OSError as err:
        raise UsageError(f"cannot write to {folder}: {err.strerror or err}; give another "
                         "folder with --dir") from None
    return Created(path, wrote)
