"""What the store gives back: stored runs, summaries, history with trends, leaderboards.

Plain frozen data with no database in it, so reports and screens can be built and tested on
records made by hand. A criterion's *machine* verdict is the rubric's; a trainer's override
sits beside it, and the *effective* verdict is the latest override if any, else the machine's.
Effective scores use the rubric's own formula (pass 1, partial 0.5, fail 0, ``n/a`` left out,
weighted mean, 0-100).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from trainer.errors import NextStepError, UsageError
from trainer.scoring import VERDICT_SCORES, half_up, weighted_score
from trainer.transcript import Transcript

if TYPE_CHECKING:
    from trainer.rubric import Scorecard

KINDS: tuple[str, ...] = ("practice", "play", "grade", "session", "live")
VERDICTS: tuple[str, ...] = ("pass", "partial", "fail", "n/a")
_TREND_STEP = 0.1  # a change of at least 10 points in a rate is a trend, less is noise


class StoreError(NextStepError):
    """The results database cannot be opened or used, or holds no such run (exit code 2)."""


@dataclass(frozen=True)
class Override:
    """A trainer's verdict on one criterion of one run, with the reason for it."""

    id: int
    run_id: int
    criterion: str
    verdict: str
    reason: str
    by: str | None
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "verdict": self.verdict, "reason": self.reason,
                "by": self.by, "at": self.at.isoformat()}


@dataclass(frozen=True)
class Comment:
    """A trainer's note on a run."""

    id: int
    run_id: int
    text: str
    by: str | None
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "by": self.by, "at": self.at.isoformat()}


@dataclass(frozen=True)
class Result:
    """One criterion of a graded run: the machine's verdict and the override beside it."""

    criterion: str
    title: str
    machine: str
    weight: float = 1.0
    override: Override | None = None

    @property
    def verdict(self) -> str:
        """The effective verdict: the trainer's if they overrode it, else the machine's."""
        return self.override.verdict if self.override else self.machine

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.criterion, "title": self.title, "verdict": self.verdict,
                "machine": self.machine, "weight": self.weight,
                "override": self.override.to_dict() if self.override else None}


def score_of(results: Iterable[Result], *, effective: bool = True) -> int | None:
    """The 0-100 score of ``results`` (``None`` when there are none), as the rubric computes it."""
    results = list(results)
    if not results:
        return None
    return weighted_score((VERDICT_SCORES.get(r.verdict if effective else r.machine), r.weight)
                          for r in results)


class _Graded:
    """What runs and summaries share: status, verdicts and scores from ``results``."""

    results: tuple[Result, ...]
    finished_at: datetime | None

    @property
    def status(self) -> str:
        """``finished``, or ``interrupted`` for a run that never got its grade (a crash, Ctrl-C,
        or a run still going on elsewhere)."""
        return "finished" if self.finished_at is not None else "interrupted"

    @property
    def verdicts(self) -> dict[str, str]:
        """Effective verdict per criterion."""
        return {r.criterion: r.verdict for r in self.results}

    @property
    def machine_verdicts(self) -> dict[str, str]:
        return {r.criterion: r.machine for r in self.results}

    @property
    def score(self) -> int | None:
        """The machine's score; ``None`` for an interrupted run."""
        return score_of(self.results, effective=False) if self.finished_at else None

    @property
    def effective_score(self) -> int | None:
        """The score with the trainer's overrides applied; ``None`` for an interrupted run."""
        return score_of(self.results) if self.finished_at else None

    @property
    def overridden(self) -> tuple[str, ...]:
        return tuple(r.criterion for r in self.results if r.override is not None)

    def result(self, criterion: str) -> Result | None:
        return next((r for r in self.results if r.criterion == criterion), None)


@dataclass(frozen=True)
class RunSummary(_Graded):
    """A run as lists and histories show it: who, what, when, and the verdicts."""

    id: int
    kind: str
    trainee: str
    started_at: datetime
    finished_at: datetime | None
    results: tuple[Result, ...] = ()
    scenario_id: str | None = None
    scenario_hash: str | None = None
    source: str | None = None
    session_id: int | None = None
    outcome: str | None = None
    turns: int = 0
    comments: tuple[Comment, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "trainee": self.trainee,
                "scenario": self.scenario_id, "scenario_hash": self.scenario_hash,
                "source": self.source, "session": self.session_id, "status": self.status,
                "started": self.started_at.isoformat(),
                "finished": self.finished_at.isoformat() if self.finished_at else None,
                "outcome": self.outcome, "turns": self.turns, "score": self.score,
                "effective_score": self.effective_score,
                "criteria": [r.to_dict() for r in self.results],
                "comments": [c.to_dict() for c in self.comments]}


@dataclass(frozen=True)
class StoredRun(_Graded):
    """A whole stored run: transcript with moves and events, the scorecard as graded (with
    evidence and tips), overrides, comments and timestamps."""

    id: int
    kind: str
    trainee: str
    started_at: datetime
    finished_at: datetime | None
    transcript: Transcript
    scorecard: Mapping[str, Any] | None = None  # Scorecard.to_dict() without its turns
    results: tuple[Result, ...] = ()
    overrides: tuple[Override, ...] = ()  # all of them, oldest first; results hold the latest
    comments: tuple[Comment, ...] = ()
    scenario_id: str | None = None
    scenario_hash: str | None = None
    source: str | None = None
    session_id: int | None = None
    outcome: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def summary(self) -> RunSummary:
        return RunSummary(self.id, self.kind, self.trainee, self.started_at, self.finished_at,
                          self.results, self.scenario_id, self.scenario_hash, self.source,
                          self.session_id, self.outcome, len(self.transcript.turns),
                          self.comments)

    def criterion(self, cid: str) -> Mapping[str, Any]:
        """The scorecard's entry for a criterion (verdict, evidence, tip)."""
        for c in (self.scorecard or {}).get("criteria", []):
            if c["id"] == cid:
                return dict(c)
        raise KeyError(cid)

    def to_scorecard(self) -> Scorecard:
        """The machine's scorecard as a :class:`~trainer.rubric.Scorecard` (no overrides)."""
        from trainer.rubric import Criterion, Evidence, Scorecard

        if self.scorecard is None:
            raise StoreError(f"run {self.id} was interrupted before it was graded, so it has "
                             "no scorecard; grade its transcript with `nextstep grade`")
        criteria = tuple(
            Criterion(c["id"], c["verdict"],
                      tuple(Evidence(e["turn"], e["speaker"], e["text"], e["why"])
                            for e in c.get("evidence", [])),
                      c.get("tip", ""), c.get("weight", 1.0), title_text=c.get("title", ""))
            for c in self.scorecard.get("criteria", []))
        return Scorecard(criteria, self.transcript, dict(self.transcript.meta))

    def to_dict(self) -> dict[str, Any]:
        out = self.summary().to_dict()
        by_id = {c["id"]: c for c in (self.scorecard or {}).get("criteria", [])}
        for c in out["criteria"]:
            graded = by_id.get(c["id"], {})
            c["evidence"] = graded.get("evidence", [])
            c["tip"] = graded.get("tip", "")
        out["overrides"] = [o.to_dict() for o in self.overrides]
        out["comments"] = [c.to_dict() for c in self.comments]
        out["meta"] = dict(self.meta)
        out["transcript"] = self.transcript.to_dict()
        return out


@dataclass(frozen=True)
class Trend:
    """How one criterion (or the overall score) moves: the mean over the latest ``window``
    graded runs against the ``window`` runs before them, each a rate from 0 to 1 (a pass
    counts 1, a partial 0.5, ``n/a`` is left out)."""

    criterion: str
    title: str
    recent: float | None
    previous: float | None
    recent_runs: int = 0
    previous_runs: int = 0

    @property
    def change(self) -> float | None:
        if self.recent is None or self.previous is None:
            return None
        return self.recent - self.previous

    @property
    def direction(self) -> str:
        """``up``, ``down`` or ``flat``; ``new`` with too few runs to compare, ``none`` with
        no graded run at all."""
        if self.recent is None:
            return "none"
        change = self.change
        if change is None:
            return "new"
        if change >= _TREND_STEP - 1e-9:
            return "up"
        return "down" if change <= -_TREND_STEP + 1e-9 else "flat"

    def to_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "title": self.title, "recent": self.recent,
                "previous": self.previous, "recent_runs": self.recent_runs,
                "previous_runs": self.previous_runs, "direction": self.direction}


@dataclass(frozen=True)
class History:
    """A trainee's runs in time order, and the trend of each criterion and of the score."""

    trainee: str | None
    runs: tuple[RunSummary, ...]
    trends: tuple[Trend, ...]
    score: Trend
    window: int = 5

    def trend(self, criterion: str) -> Trend:
        for t in self.trends:
            if t.criterion == criterion:
                return t
        raise KeyError(criterion)

    def to_dict(self) -> dict[str, Any]:
        return {"trainee": self.trainee, "window": self.window,
                "runs": [r.to_dict() for r in self.runs],
                "trends": [t.to_dict() for t in self.trends], "score": self.score.to_dict()}


def history_of(trainee: str | None, runs: Sequence[RunSummary], *, window: int = 5) -> History:
    """The history of ``runs`` (already in time order); interrupted runs are listed but not
    counted in trends."""
    if window < 1:
        raise UsageError(f"the trend window must be at least 1 run, not {window}")
    graded = [r for r in runs if r.finished_at is not None]
    titles: dict[str, str] = {}
    for r in graded:
        for res in r.results:
            titles.setdefault(res.criterion, res.title)
    trends = []
    for cid, title in titles.items():
        values = [VERDICT_SCORES[found.verdict] for r in graded
                  if (found := r.result(cid)) is not None and found.verdict in VERDICT_SCORES]
        trends.append(_trend(cid, title, values, window))
    scores = [s / 100 for r in graded if (s := r.effective_score) is not None]
    return History(trainee, tuple(runs), tuple(trends), _trend("score", "Score", scores, window),
                   window)


def _trend(cid: str, title: str, values: Sequence[float], window: int) -> Trend:
    recent = values[-window:]
    previous = values[-2 * window:-window] if len(values) > window else []
    return Trend(cid, title, _mean(recent), _mean(previous), len(recent), len(previous))


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class SessionInfo:
    """A trainer-led session: its roster of trainees and the scenarios they play."""

    id: int
    name: str
    roster: tuple[str, ...]
    scenarios: tuple[str, ...]
    started_at: datetime
    ended_at: datetime | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "roster": list(self.roster),
                "scenarios": list(self.scenarios), "started": self.started_at.isoformat(),
                "ended": self.ended_at.isoformat() if self.ended_at else None,
                "meta": dict(self.meta)}


@dataclass(frozen=True)
class Standing:
    """One trainee's line on a session's leaderboard."""

    rank: int | None  # None: no graded run yet, listed last
    trainee: str
    total: int  # mean of the best effective score per scenario played, 0-100
    best: Mapping[str, int | None]  # scenario id -> best effective score (None: not played)
    runs: int
    last_at: datetime | None

    @property
    def played(self) -> int:
        """How many scenarios have a graded run."""
        return sum(score is not None for score in self.best.values())

    def to_dict(self) -> dict[str, Any]:
        # no graded run: no total either (0 would read as a real score)
        total = None if self.rank is None else self.total
        return {"rank": self.rank, "trainee": self.trainee, "total": total,
                "played": self.played, "best": dict(self.best), "runs": self.runs,
                "last": self.last_at.isoformat() if self.last_at else None}


def standings(session: SessionInfo, runs: Sequence[RunSummary]) -> tuple[Standing, ...]:
    """Rank the roster (and anyone else who ran in the session) by their best scores.

    A trainee's total is the mean of their best effective score on each scenario they
    played: a session that rotates prospects gives people different scenarios, and one not
    yet played is not a zero. Equal totals go to whoever played more scenarios, then share a
    rank (1, 1, 3) and are listed by name. Trainees with no graded run are listed last,
    unranked.
    """
    # names as the runs keep them (the first spelling ever stored), the roster's for the rest;
    # in the roster's order
    stored = {trainee_key(r.trainee): r.trainee for r in reversed(runs)}
    names: dict[str, str] = {}
    for name in session.roster:
        names.setdefault(trainee_key(name), stored.get(trainee_key(name), name))
    for r in runs:
        names.setdefault(trainee_key(r.trainee), r.trainee)
    rows = []
    for key, name in names.items():
        mine = [r for r in runs if trainee_key(r.trainee) == key]
        best: dict[str, int | None] = {sid: None for sid in session.scenarios}
        for r in mine:
            s = r.effective_score
            sid = r.scenario_id or r.source or f"run {r.id}"
            if s is not None and (best.get(sid) is None or s > (best[sid] or 0)):
                best[sid] = s
        counted = [s for s in best.values() if s is not None]
        total = half_up(sum(counted) / len(counted)) if counted else 0
        last = max((r.finished_at or r.started_at for r in mine), default=None)
        rows.append((total, len(counted), name, best, len(mine), last))
    rows.sort(key=lambda row: (not row[1], -row[0], -row[1], row[2].casefold()))
    out: list[Standing] = []
    for i, (total, played, name, best, count, last) in enumerate(rows):
        rank: int | None = None
        if played:
            prev = out[-1] if out else None
            same = prev is not None and (prev.total, prev.played) == (total, played)
            rank = prev.rank if same and prev is not None else i + 1
        out.append(Standing(rank, name, total, best, count, last))
    return tuple(out)


def trainee_key(name: str) -> str:
    """How trainee names are matched: case, surrounding and repeated spaces do not matter."""
    return " ".join(name.split()).casefold()


_RELATIVE = re.compile(r"^(\d+)\s*(m|min|h|d|w)$", re.IGNORECASE)
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def verdict_of(text: str) -> str:
    """A verdict as a trainer types it: any case, and "na" for "n/a"."""
    word = text.strip().lower()
    return {"na": "n/a", "n.a.": "n/a", "n.a": "n/a"}.get(word, word)


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """A point in time from ``--since``: an ISO date or date-time (local time unless it says),
    ``today``, ``yesterday``, or an age like ``7d``, ``2w``, ``12h``, ``30m``."""
    value = text.strip()
    now = now or datetime.now(UTC)
    lowered = value.lower()
    if lowered in ("today", "yesterday"):
        day = now.astimezone().date() - timedelta(days=lowered == "yesterday")
        return datetime.combine(day, datetime.min.time()).astimezone()
    match = _RELATIVE.match(value)
    if match:
        amount, unit = int(match.group(1)), _UNITS[match.group(2).lower()]
        try:
            return now - timedelta(**{unit: amount})
        except (OverflowError, ValueError):
            raise UsageError(f"--since {text!r} reaches back before year 1; give a shorter "
                             "age or a date") from None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            raise UsageError(f"--since {text!r} is not a date or an age; give a date like "
                             "2026-01-31, a date-time like 2026-01-31T09:00, 'today', "
                             "'yesterday', or an age like 7d, 2w or 12h") from None
    try:
        return parsed if parsed.tzinfo else parsed.astimezone()
    except (OverflowError, ValueError):  # 0001-01-01 in a zone east of UTC is year 0
        return parsed.replace(tzinfo=UTC)
