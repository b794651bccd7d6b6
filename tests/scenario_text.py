"""The smallest useful scenario, as YAML text, for tests of the loader and authoring tools.

One prospect who stalls ("let me think about it") and, once the stall is confronted, names
the real concern. Tests vary it with ``str.replace`` so line numbers stay predictable.
"""

from __future__ import annotations

HEAD = """\
version: 1
id: {id}
title: {title}
difficulty: 1
persona: {{name: Sam Reed, role: CFO, company: Acme}}
brief: You have just shown Sam the product.
goal: Confront the stall and book the next meeting.
calendar:
  now: {{date: 2025-03-11, time: "10:00", timezone: Europe/London}}
clock: 10
"""

STATES = """\
states:
  thinking:
    stall: true
    say: "Interesting. Let me think about it."
    on:
      - move: confront_stall
        goto: concern
  concern:
    say: "Honestly, the budget is frozen until July."
"""

TAIL = """\
fallback: ["Sorry?", "What do you mean?"]
endings:
  won: "See you then."
  lost: "I have to go."
  no_decision: "Let's stay in touch."
"""


def head(id: str, title: str) -> str:
    """The scenario's framing: id, title, persona, brief, goal, calendar, clock."""
    return HEAD.format(id=id, title=title)


def minimal(id: str, title: str) -> str:
    """A whole valid scenario: the framing, the two states, fallback lines and endings."""
    return head(id, title) + STATES + TAIL
