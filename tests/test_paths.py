"""Writing files safely: whole or not at all, and never replacing what a path points to."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from trainer.paths import write_atomic


def test_a_file_is_written_whole_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "out.json"
    write_atomic(target, "new")
    write_atomic(target, "newer")
    assert target.read_text("utf-8") == "newer"
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]


def test_a_symbolic_link_keeps_pointing_at_its_target_which_is_written(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old", "utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text("utf-8") == "new"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_written_to_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "through the pipe")
    reader.join(10)
    assert got == [b"through the pipe"]
    assert not fifo.is_file()  # still a FIFO


def test_a_file_where_a_folder_should_be_is_named(tmp_path):
    blocker = tmp_path / "notes"
    blocker.write_text("mine", "utf-8")
    with pytest.raises(NotADirectoryError) as caught:
        write_atomic(blocker / "sub" / "out.json", "x")  # was "File exists", naming nothing
    assert caught.value.filename == str(blocker)
    assert blocker.read_text("utf-8") == "mine"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc, where no file can be made")
def test_a_failed_atomic_write_names_the_file_asked_for_not_its_temporary():
    with pytest.raises(OSError) as failed:
        write_atomic(Path("/proc/nextstep-run.json"), "{}")
    assert failed.value.filename == "/proc/nextstep-run.json"
