"""``nextstep graph``: a scenario's states and transitions as a Mermaid or Graphviz diagram.

Stall states are marked, endings are coloured by outcome, and what the engine does on its own
is drawn dashed: letting a stall pass ends the meeting with no decision, confronting a stall
with no transition for it reveals the concern, and a time booked then recapped wins. States no
path reaches are drawn faded. Running out of patience (lost) or time is possible from every
state, so it is left out to keep the branches readable.

Mermaid renders on GitHub inside a ```` ```mermaid ```` block; Graphviz with ``dot -Tsvg``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from trainer.authoring.flow import Flow

if TYPE_CHECKING:
    from trainer.scenario import Scenario, Transition

Format = Literal["mermaid", "dot"]
FORMATS: tuple[str, ...] = ("mermaid", "dot")
OUTCOMES: tuple[str, ...] = ("won", "lost", "no_decision")
_COLOURS = {"won": ("#d4edda", "#2e7d32"), "lost": ("#f8d7da", "#c62828"),
            "no_decision": ("#e2e3e5", "#555555"), "stall": ("#fff3cd", "#b8860b")}


@dataclass(frozen=True)
class Node:
    id: str  # a state's name, or "ending:<outcome>"
    label: str
    kind: str  # "state", "stall" or an outcome
    reached: bool = True


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    label: str
    builtin: bool = False


@dataclass(frozen=True)
class Diagram:
    """The parts of a scenario's graph, before they are written in one format."""

    title: str
    start: str
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]


def diagram(scenario: Scenario, *, builtin: bool = True) -> Diagram:
    """The states, endings and arrows of a scenario (built-in behaviour when ``builtin``)."""
    flow = Flow(scenario)
    reached = flow.states if flow.complete else set(scenario.states)
    nodes = [Node(name, name, "stall" if s.stall else "state", name in reached)
             for name, s in scenario.states.items()]
    arrows: list[Arrow] = []
    ends: set[str] = set()
    for name, state in scenario.states.items():
        for t in state.on:
            target = f"ending:{t.end}" if t.end else (t.goto or name)
            if t.end:
                ends.add(t.end)
            arrows.append(Arrow(name, target, _label(t)))
    for f in dataclasses.fields(scenario.reactions):
        r = scenario.reactions.get(f.name)
        if r is None or (r.goto is None and r.end is None):
            continue
        target = f"ending:{r.end}" if r.end else str(r.goto)
        if r.end:
            ends.add(r.end)
        for source in sorted(flow.reactions.get(f.name, ())):
            if source != target:
                arrows.append(Arrow(source, target, f.name.replace("_", " "), builtin=True))
    if builtin:
        for name, state in scenario.states.items():
            if name not in reached:
                continue
            if state.stall:
                if not any(t.move == "confront_stall" for t in state.on):
                    arrows.append(Arrow(name, name, "confront_stall: reveals", builtin=True))
                if not any(t.move == "accept_stall" for t in state.on):
                    arrows.append(Arrow(name, "ending:no_decision", "accept_stall",
                                        builtin=True))
                    ends.add("no_decision")
            if name in flow.booked_in:
                arrows.append(Arrow(name, "ending:won", "time booked, then recap",
                                    builtin=True))
                ends.add("won")
    for outcome in OUTCOMES:
        if outcome in ends:
            nodes.append(Node(f"ending:{outcome}", outcome.replace("_", " "), outcome,
                              outcome in flow.outcomes))
    return Diagram(f"{scenario.id}: {scenario.title}", scenario.start_state, tuple(nodes),
                   tuple(arrows))


def render(scenario: Scenario, fmt: Format = "mermaid", *, builtin: bool = True) -> str:
    """The diagram of ``scenario`` in ``fmt`` (``mermaid`` or ``dot``)."""
    d = diagram(scenario, builtin=builtin)
    return mermaid(d) if fmt == "mermaid" else dot(d)


def _label(t: Transition) -> str:
    out = t.move or f"intent: {t.intent}"
    if t.when:
        out += " if " + " and ".join(c.text for c in t.when)
    if t.unproductive:
        out += " (unproductive)"
    return out


# --- Mermaid -------------------------------------------------------------------------------


def mermaid(d: Diagram) -> str:
    ids = _ids(d)

    def text(s: str) -> str:
        return '"' + s.replace('"', "#quot;") + '"'

    lines = ["flowchart TD", f"  %% {d.title}", "  start__((start))"]
    for n in d.nodes:
        nid = ids[n.id]
        if n.kind == "stall":
            lines.append(f"  {nid}{{{{{text(n.label + ' (stall)')}}}}}")
        elif n.kind == "state":
            lines.append(f"  {nid}[{text(n.label)}]")
        else:
            lines.append(f"  {nid}([{text(n.label)}])")
    lines.append(f"  start__ --> {ids[d.start]}")
    for a in d.arrows:
        arrow = "-.->" if a.builtin else "-->"
        lines.append(f"  {ids[a.source]} {arrow}|{text(a.label)}| {ids[a.target]}")
    for kind, (fill, stroke) in _COLOURS.items():
        lines.append(f"  classDef {kind} fill:{fill},stroke:{stroke}")
    lines.append("  classDef unreached stroke-dasharray:4 4,color:#888888")
    for kind in _COLOURS:
        members = [ids[n.id] for n in d.nodes if n.kind == kind]
        if members:
            lines.append(f"  class {','.join(members)} {kind}")
    faded = [ids[n.id] for n in d.nodes if not n.reached]
    if faded:
        lines.append(f"  class {','.join(faded)} unreached")
    return "\n".join(lines) + "\n"


def _ids(d: Diagram) -> dict[str, str]:
    """Mermaid node ids: safe words that never collide with its keywords (``end``)."""
    out: dict[str, str] = {}
    for n in d.nodes:
        if n.id.startswith("ending:"):
            out[n.id] = "ending__" + n.id.split(":", 1)[1]
        else:
            out[n.id] = "s_" + re.sub(r"[^A-Za-z0-9_]", "_", n.id)
    used: dict[str, int] = {}
    for key, value in list(out.items()):
        count = used.get(value, 0)
        used[value] = count + 1
        if count:
            out[key] = f"{value}_{count}"  # "a-b" and "a_b" are different states
    return out


# --- Graphviz ------------------------------------------------------------------------------


def dot(d: Diagram) -> str:
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [f"digraph {q(d.title)} {{", "  rankdir=TB;",
             '  node [fontname="Helvetica"]; edge [fontname="Helvetica", fontsize=10];',
             '  "start__" [shape=point, width=0.15];']
    for n in d.nodes:
        attrs = [f"label={q(n.label + (' (stall)' if n.kind == 'stall' else ''))}"]
        if n.kind == "stall":
            attrs += ["shape=hexagon", "style=filled", f'fillcolor="{_COLOURS["stall"][0]}"']
        elif n.kind == "state":
            attrs += ["shape=box", "style=rounded"]
        else:
            fill, stroke = _COLOURS[n.kind]
            attrs += ["shape=doubleoctagon", "style=filled", f'fillcolor="{fill}"',
                      f'color="{stroke}"']
        if not n.reached:
            attrs += ['fontcolor="#888888"', 'color="#888888"']
            attrs = [a for a in attrs if not a.startswith("style=")] + ['style="dashed"']
        lines.append(f"  {q(n.id)} [{', '.join(attrs)}];")
    lines.append(f'  "start__" -> {q(d.start)};')
    for a in d.arrows:
        style = ", style=dashed" if a.builtin else ""
        lines.append(f"  {q(a.source)} -> {q(a.target)} [label={q(a.label)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
