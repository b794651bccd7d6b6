"""Grading many transcripts at once, on every core the machine lets us use.

Grading is pure Python and holds the interpreter's lock, so threads would not help: a batch
is split over worker processes, each grading whole files. Results come back in the order the
files were given, so the output of ``nextstep grade calls/*.vtt`` is the same whatever the
number of workers, only sooner.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from trainer.errors import NextStepError

# Below this many files a batch is graded in the calling process: starting workers costs
# more than it saves.
MIN_FILES_PER_WORKER = 8


class Outcome(NamedTuple):
    """One file's result: its scorecard and the rep's speaker name, or why it failed."""

    name: str
    card: Any  # trainer.rubric.Scorecard, or None when the file could not be read
    rep_name: str
    error: str | None


_CALL = re.compile(r"(.+)#([1-9]\d*)")


def grade_file(name: str, *, format: str | None = None, rep: str | None = None) -> Outcome:
    """Read and grade one transcript; ``-`` reads standard input."""
    from trainer.formats import parse, read
    from trainer.harness import regrade

    try:
        if name == "-":
            transcript = parse(sys.stdin.buffer.read(), name="<stdin>", format=format, rep=rep)
        elif (one := _CALL.fullmatch(name)) and not os.path.exists(name):
            # "export.json#2": the second call of a Gong export of several
            transcript = read(one[1], format=format, rep=rep, call=int(one[2]))
        else:
            transcript = read(name, format=format, rep=rep)
        card = regrade(transcript, find=_scenario)
    except NextStepError as error:
        return Outcome(name, None, "", str(error))
    rep_name = next((t.speaker for t in transcript.turns if t.role == "rep"), "")
    return Outcome(name, card, rep_name, None)


@lru_cache(maxsize=32)
def _scenario(scenario_id: str) -> Any:
    """A scenario by id, loaded once per batch however many of its runs are graded."""
    from trainer.harness import load

    return load(scenario_id)


def usable_cores() -> int:
    """The CPUs this process may run on (its affinity, not the machine's total)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def workers_for(files: int, jobs: int | None) -> int:
    """How many processes grade ``files`` files: ``jobs`` if given (never more than one per
    file, nor than four per usable CPU: grading keeps a CPU busy, so more only cost memory),
    else one per usable CPU but no more than one per :data:`MIN_FILES_PER_WORKER`."""
    if jobs:
        return max(1, min(jobs, files, 4 * usable_cores()))
    return max(1, min(usable_cores(), files // MIN_FILES_PER_WORKER))


def grade_files(names: Sequence[str], *, format: str | None = None, rep: str | None = None,
                workers: int = 1) -> Iterator[Outcome]:
    """Grade ``names`` in order, in ``workers`` processes; yields each file's outcome.
    Standard input (``-``) is only read by the calling process, so it grades alone."""
    if workers <= 1 or "-" in names:
        for name in names:
            yield grade_file(name, format=format, rep=rep)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    # On Linux a forked worker starts with the patterns and the model this process has
    # loaded; elsewhere (where forking is unsafe or missing) each worker loads its own.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    _warm()
    chunk = max(1, min(16, len(names) // (workers * 4)))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_worker_start)
    try:
        yield from pool.map(partial(grade_file, format=format, rep=rep), names,
                            chunksize=chunk)
    finally:
        # Ctrl-C or a closed pipe: drop what has not started rather than grade it unseen.
        pool.shutdown(wait=True, cancel_futures=True)


def _warm() -> None:
    from trainer.moves import classify

    classify("Could we put Tuesday at 10 in the diary?", role="rep",
             previous="I'll think about it.")


def _worker_start() -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent stops the batch and
    # reports it; a worker printing its own traceback would only add noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm()
