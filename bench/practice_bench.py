"""Time from `nextstep practice SCENARIO` to the first prompt, in a real pseudo-terminal.

Run by hand:  python bench/practice_bench.py [--runs 10] [--scenario polite-staller]

Prints the median and worst time until the brief's "Press Enter to start" prompt is on screen
(the first prompt), and until the prospect's opening line is shown and the trainee can type.
Target: first prompt within 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

import pexpect


def once(scenario: str) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, NEXTSTEP_HOME=home, TERM="xterm-256color",
                   PROMPT_TOOLKIT_NO_CPR="1")
        started = time.perf_counter()
        child = pexpect.spawn(sys.executable, ["-m", "trainer", "practice", scenario, "--name",
                                               "Bench", "--seed", "1"],
                              env=env, dimensions=(24, 80), encoding="utf-8", timeout=30)
        child.expect("Press Enter to start")
        first = time.perf_counter() - started
        child.sendline("")
        child.expect("Bench:")
        typing = time.perf_counter() - started
        child.sendline("/quit")
        child.expect(pexpect.EOF)
        return first, typing


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--scenario", default="polite-staller")
    args = ap.parse_args()
    once(args.scenario)  # warm the file cache, as a user's second run would be
    results = [once(args.scenario) for _ in range(args.runs)]
    firsts = [r[0] for r in results]
    typing = [r[1] for r in results]
    print(f"nextstep practice {args.scenario}: {args.runs} runs in a 80x24 pseudo-terminal")
    print(f"  first prompt (the brief):  median {statistics.median(firsts):.3f} s, "
          f"worst {max(firsts):.3f} s   (target <= 0.5 s)")
    print(f"  opening line, ready to type: median {statistics.median(typing):.3f} s, "
          f"worst {max(typing):.3f} s (includes the scripted Enter)")


if __name__ == "__main__":
    main()
