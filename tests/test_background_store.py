"""The results store opens on a thread while the trainee reads the brief: nothing the main
thread does meanwhile may be disturbed by it."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import argparse, sysconfig, time
    fill = sysconfig._init_posix
    def slow_fill(config):  # widen the window in which another thread sees half the settings
        time.sleep(0.4)
        fill(config)
    sysconfig._init_posix = slow_fill

    from trainer.cli import _BackgroundStore
    store = _BackgroundStore(argparse.Namespace(db={db!r}, no_store=False))
    time.sleep(0.1)  # the store's thread is importing SQLAlchemy, which reads sysconfig
    from trainer.harness import load
    print(load("polite-staller").id)
    store.close()
""")


@pytest.mark.skipif(not hasattr(sysconfig, "_init_posix") or sys.platform == "win32",
                    reason="the race is in Python 3.11's lazy sysconfig on POSIX")
def test_loading_a_scenario_while_the_store_opens_finds_its_time_zone(tmp_path):
    # Before the fix, zoneinfo read an empty time-zone path from the half-filled settings and
    # polite-staller failed with "'Europe/London' is not a time zone name" (about 1 run in 7).
    code = SCRIPT.format(db=str(tmp_path / "results.db"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={"NEXTSTEP_HOME": str(tmp_path), "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "polite-staller"
