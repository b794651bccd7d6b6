"""The HTML report in a real browser: headless Chromium parses, lays out and paints it.

Checked three ways: the DOM Chromium holds after loading the page (``--dump-dom``), questions
asked of the live page over the DevTools protocol (computed styles, SVG geometry, whether any
script ran), and a screenshot whose pixels are read back. Transcript text that looks like
markup must arrive as text: no element made from it, no script run.

Skipped when Chromium is not installed (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from trainer.report import write_report
from trainer.rubric import CRITERIA, Criterion, Evidence, Scorecard
from trainer.store import Store
from trainer.transcript import Transcript, Turn

CHROMIUM = next((p for name in ("chromium", "chromium-browser", "google-chrome")
                 if (p := shutil.which(name))), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install "
                             "chromium); the report is not checked in a browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage", "--hide-scrollbars"]
TIMEOUT = 60

SCRIPT_LINE = ("<script>window.NEXTSTEP_PWNED = 1; document.title = 'PWNED'; "
               "document.documentElement.setAttribute('data-pwned', '1')</script>")
IMG_LINE = '<img src=x onerror="window.NEXTSTEP_PWNED = 2"> sure, Tuesday'
NAME = 'Eve "><script>window.NEXTSTEP_PWNED = 3</script>'
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def card(verdicts: dict[str, str], turns: tuple[Turn, ...]) -> Scorecard:
    criteria = tuple(Criterion(cid, v, (Evidence(1, turns[0].speaker, turns[0].text,
                                                 "the line that counts"),), "a tip")
                     for cid, v in verdicts.items())
    return Scorecard(criteria, Transcript(turns), {})


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of two trainees: Ann improving over four runs, and Eve, whose name and lines
    are markup meant to run."""
    folder = tmp_path_factory.mktemp("report")
    turns = (Turn("Ann", "rep", "Where do we go from here?"),
             Turn("Prospect", "prospect", "Let me think about it."))
    evil = (Turn(NAME, "rep", SCRIPT_LINE), Turn("Prospect", "prospect", IMG_LINE))
    with Store.open(folder / "r.db") as store:
        for day, verdict in enumerate(["partial", "pass", "pass", "pass"]):
            store.record_graded("Ann", card(dict.fromkeys(CRITERIA, verdict), turns),
                                scenario_id="s1", started_at=T0 + timedelta(days=day))
        for day in range(2):
            run = store.record_graded(NAME, card(dict.fromkeys(CRITERIA, "fail"), evil),
                                      scenario_id=SCRIPT_LINE, source=IMG_LINE,
                                      started_at=T0 + timedelta(days=day))
        store.override(run, "recap", "pass", SCRIPT_LINE, by=NAME)
        store.comment(run, IMG_LINE, by=NAME)
        files = write_report(store, folder, title="Browser check")
    return files.html


def chromium(*args: str) -> subprocess.CompletedProcess[bytes]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={profile}",
                               *args], capture_output=True, timeout=TIMEOUT, check=True)


# -- the DOM after parsing ---------------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_dom_chromium_builds_holds_transcript_markup_as_text(report: Path) -> None:
    dom = chromium("--dump-dom", report.as_uri()).stdout.decode("utf-8")
    parsed = _Elements()
    parsed.feed(dom)
    tags = [tag for tag, _ in parsed.tags]
    assert "script" not in tags and "img" not in tags
    assert all("onerror" not in attrs for _, attrs in parsed.tags)
    assert all(attrs.get("data-pwned") is None for _, attrs in parsed.tags)
    text = "".join(parsed.text)
    assert text.count(SCRIPT_LINE) >= 4  # each run's line, the override reason
    assert IMG_LINE in text and NAME in text
    assert dom.count("<title>Browser check</title>") == 1  # no script retitled the page
    assert tags.count("details") == 6 and tags.count("svg") == 2


# -- the live page, over the DevTools protocol -----------------------------------------------


class DevTools:
    """A minimal DevTools protocol client over ``--remote-debugging-pipe`` (file descriptors
    3 and 4, messages ending in NUL), so the test needs nothing beyond the standard library."""

    def __init__(self, profile: str) -> None:
        to_browser, self._write_end = os.pipe()
        self._read_end, from_browser = os.pipe()

        def as_fds_3_and_4() -> None:  # in the child, before exec: Chromium reads 3, writes 4
            high_in = fcntl.fcntl(to_browser, fcntl.F_DUPFD, 10)  # out of 3 and 4's way
            high_out = fcntl.fcntl(from_browser, fcntl.F_DUPFD, 10)
            os.dup2(high_in, 3)
            os.dup2(high_out, 4)

        self._proc = subprocess.Popen(
            [CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={profile}",
             "--remote-debugging-pipe", "about:blank"],
            pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=as_fds_3_and_4)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self.session: str | None = None

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if self.session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        os.write(self._write_end, json.dumps(message).encode() + b"\0")
        reply = self.wait(lambda m: m.get("id") == self._next)
        assert "error" not in reply, reply
        result: dict[str, Any] = reply.get("result", {})
        return result

    def wait(self, matches: Any) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            while b"\0" in self._buffer:
                raw, _, self._buffer = self._buffer.partition(b"\0")
                message: dict[str, Any] = json.loads(raw)
                if matches(message):
                    return message
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._read_end], [], [], max(0.0, remaining))
            if not ready:
                raise TimeoutError("Chromium did not answer over the DevTools pipe")
            chunk = os.read(self._read_end, 1 << 16)
            if not chunk:
                raise EOFError("Chromium closed the DevTools pipe")
            self._buffer += chunk

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable")
        self.send("Page.navigate", {"url": url})
        self.wait(lambda m: m.get("method") == "Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True})
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self._proc.wait(timeout=10)
        except (OSError, TimeoutError, EOFError, subprocess.TimeoutExpired):
            self._proc.kill()
            self._proc.wait()
        finally:
            os.close(self._write_end)
            os.close(self._read_end)


@pytest.fixture(scope="module")
def browser(report: Path) -> Iterator[DevTools]:
    with tempfile.TemporaryDirectory() as profile:
        tools = DevTools(profile)
        try:
            tools.open(report.as_uri())
            yield tools
        finally:
            tools.close()


def test_no_script_runs_and_hostile_lines_read_as_written(browser: DevTools) -> None:
    facts = browser.evaluate("""({
        scripts: document.scripts.length,
        images: document.images.length,
        marker: typeof window.NEXTSTEP_PWNED,
        title: document.title,
        pwned: document.documentElement.hasAttribute('data-pwned'),
        lines: Array.from(document.querySelectorAll('li.turn .said'),
                          e => e.firstChild ? e.firstChild.textContent : ''),
        speakers: Array.from(document.querySelectorAll('li.turn .who'), e => e.textContent),
    })""")
    assert (facts["scripts"], facts["images"], facts["marker"]) == (0, 0, "undefined")
    assert facts["title"] == "Browser check" and not facts["pwned"]
    assert SCRIPT_LINE in facts["lines"] and IMG_LINE in facts["lines"]
    assert NAME in facts["speakers"]


def test_evidence_lines_are_painted_apart_from_the_others(browser: DevTools) -> None:
    facts = browser.evaluate("""(() => {
        const style = e => getComputedStyle(e).backgroundColor;
        const ev = document.querySelector('li.turn.evidence');
        const plain = document.querySelector('li.turn:not(.evidence)');
        const box = ev.getBoundingClientRect();
        return {evidence: style(ev), plain: style(plain), height: box.height,
                width: box.width, why: ev.querySelector('.why').textContent};
    })()""")
    assert facts["evidence"] != facts["plain"]
    assert facts["evidence"] not in ("rgba(0, 0, 0, 0)", "transparent")
    assert facts["height"] > 10 and facts["width"] > 200  # laid out and visible
    assert "the line that counts" in facts["why"]


def test_the_table_and_the_charts_are_laid_out(browser: DevTools) -> None:
    facts = browser.evaluate("""(() => {
        const cells = Array.from(document.querySelectorAll('table.matrix td.v'));
        const figures = Array.from(document.querySelectorAll('figure.chart'), f => ({
            trainee: f.dataset.trainee,
            lines: Array.from(f.querySelectorAll('polyline.series'), p => {
                const b = p.getBBox();
                return {series: p.dataset.series, width: b.width, height: b.height};
            }),
        }));
        return {cells: cells.map(c => ({criterion: c.dataset.criterion,
                                         colour: getComputedStyle(c).backgroundColor,
                                         text: c.innerText})),
                rows: document.querySelectorAll('table.matrix tbody tr').length,
                figures};
    })()""")
    assert facts["rows"] == 2 and len(facts["cells"]) == 2 * len(CRITERIA)
    assert len({c["colour"] for c in facts["cells"]}) >= 2  # Ann's and Eve's rates differ
    ann = next(f for f in facts["figures"] if f["trainee"] == "Ann")
    assert {line["series"] for line in ann["lines"]} == {"score", *CRITERIA}
    for line in ann["lines"]:
        assert line["width"] > 100 and line["height"] > 10  # Ann improved: lines climb


# -- the painted page ----------------------------------------------------------------------------


def read_png(data: bytes) -> tuple[int, int, list[bytes], int]:
    """Width, height, rows of pixels and bytes per pixel of an 8-bit RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks = 8, []
    width = height = depth = colour = bpp = 0
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        pos += 12 + size
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour)
            bpp = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            chunks.append(body)
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + (left + prev[i]) // 2) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def test_a_screenshot_shows_the_page_in_colour(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium("--window-size=1000,1400", f"--screenshot={shot}", report.as_uri())
    width, height, rows, bpp = read_png(shot.read_bytes())
    assert (width, height) == (1000, 1400)
    colours: dict[tuple[int, ...], int] = {}
    for row in rows[::2]:  # every other row is plenty to count colours
        for i in range(0, len(row), bpp * 2):
            pixel = tuple(row[i:i + 3])
            colours[pixel] = colours.get(pixel, 0) + 1
    sampled = sum(colours.values())
    white = colours.get((255, 255, 255), 0)
    assert 0.02 < 1 - white / sampled < 0.9, "the page is blank (or all ink)"

    def near(rgb: str) -> int:
        want = tuple(int(rgb[i:i + 2], 16) for i in (1, 3, 5))
        return sum(n for c, n in colours.items()
                   if all(abs(a - b) <= 3 for a, b in zip(c, want, strict=True)))

    # The table's verdict colours and the chart's lines are painted, not just written down.
    assert near("#dcf3e2") > 200, "no pass-green cell"
    assert near("#fde4e1") > 200, "no fail-red cell"
    assert near("#0072B2") > 50, "no score line in the trend chart"
