"""``nextstep practice``: the prompt-toolkit front end of a practice run.

Everything a trainee can do is decided by :class:`trainer.practice.Practice`; this module
draws it: the scenario picker, the brief, the conversation with the prospect's name, the
bottom toolbar (meeting clock and the rubric checklist filling in), slash-command completion,
input history kept across runs, and the scorecard at the end.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.completion import Completer, Completion, WordCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.styles import Style as PtStyle

from trainer.practice import CHECKLIST_LABELS, CHECKLIST_SHORT, COMMANDS, Practice, best_scores

STYLE = PtStyle.from_dict({
    "prospect": "bold ansicyan",
    "you": "bold",
    "note": "ansibrightblack italic",
    "title": "bold",
    "pass": "ansigreen",
    "partial": "ansiyellow",
    "fail": "",
    "bottom-toolbar": "noreverse",
    "toolbar": "bg:ansiblue ansiwhite",
})


class SlashCompleter(Completer):
    """Completes slash commands; ordinary lines get no completion (they are free speech)."""

    def get_completions(self, document: Document, complete_event: Any) -> Iterable[Completion]:
        text = document.text_before_cursor
        if not text.startswith("/") or " " in text:
            return
        for cmd, doc in COMMANDS.items():
            if cmd.startswith(text.lower()):
                yield Completion(cmd, start_position=-len(text), display_meta=doc)


def _hanging(width: int, line: int, wrap: int) -> str:
    return " " * width


class PracticeApp:
    """The terminal app. ``input``/``output`` are prompt-toolkit's, so tests can drive it."""

    def __init__(self, *, trainee: str, seed: int = 0, coach: bool = False, vi: bool = False,
                 out: Path | None = None, history: Path | None = None,
                 unicode: bool | None = None, input: Any = None, output: Any = None,
                 watch: bool = False) -> None:
        self.trainee = trainee
        self.watch = watch  # reload the scenario file when it is saved
        self._typed = ""  # what was on the prompt when a save interrupted it
        self._saved = False  # the prompt was answered by a save of the scenario file
        self.seed = seed
        self.coach = coach
        self.out = out
        self.input = input
        self.output = output
        if unicode is None:
            encoding = getattr(sys.stdout, "encoding", None) or "ascii"
            try:
                "✓✗·│⏱".encode(encoding)
                unicode = True
            except (UnicodeEncodeError, LookupError):
                unicode = False
        self.unicode = unicode
        hist: Any = InMemoryHistory()
        if history is not None:
            try:
                history.parent.mkdir(parents=True, exist_ok=True)
                hist = FileHistory(str(history))
            except OSError:
                pass  # a read-only home still lets people practise
        self.session: PromptSession[str] = PromptSession(
            history=hist, vi_mode=vi, style=STYLE, input=input, output=output,
            enable_history_search=True)
        self.practice: Practice | None = None
        self.recorder_factory: Any = None  # keeps runs in the results store when set

    def ask(self, message: str, **options: Any) -> str:
        """A plain question, without the meeting's status bar: a prompt's settings stay on
        the session, and ``bottom_toolbar=None`` means "keep the last one", not "none"."""
        self.session.bottom_toolbar = None
        return self.session.prompt(message, **options)

    def line(self, label: str, style: str, **options: Any) -> str:
        """A line typed after a speaker's name. While it is typed, a long line wraps under
        the text, not under the name; once sent, the prompt is erased and the caller prints
        the line once, wrapped at word boundaries like every other line (or not at all:
        a command, an empty Enter)."""
        self.session.app.erase_when_done = True
        try:
            return self.session.prompt([(style, label)], prompt_continuation=_hanging,
                                       **options)
        finally:
            self.session.app.erase_when_done = False

    # --- output ---

    def say(self, *parts: tuple[str, str]) -> None:
        print_formatted_text(FormattedText(list(parts)), style=STYLE, output=self.output)

    def para(self, text: str, style: str = "", *, label: str = "", label_style: str = "") -> None:
        """A paragraph wrapped to the terminal, with an optional label ("Morgan: ") hanging."""
        from trainer.render import columns, wrap

        indent = " " * columns(label) if label else ""
        lines = wrap(text, self.width, indent, indent) or [indent]
        first = lines[0][len(indent):]
        self.say((label_style, label), (style, first))
        for line in lines[1:]:
            self.say((style, line))

    def note(self, text: str) -> None:
        from trainer.render import columns

        if columns(text) <= self.width:  # short lines keep their spacing (tables)
            self.say(("class:note", text))
            return
        # "coach: ..." and "hint: ..." wrap under their text, like a speaker's line
        label = next((x for x in ("coach: ", "hint: ") if text.startswith(x)), "")
        self.para(text[len(label):], "class:note", label=label, label_style="class:note")

    @property
    def width(self) -> int:
        try:
            return max(40, min(100, self.session.output.get_size().columns))
        except Exception:  # a dummy output has no size
            return 80

    # --- screens ---

    def pick(self, entries: list[Any], default: str | None = None) -> Any:
        """The scenario picker: a numbered list; Enter takes the default scenario (the one
        ``nextstep practice`` names in its help), else the first."""
        usable = [e.scenario for e in entries if e.scenario is not None]
        first = next((i for i, s in enumerate(usable) if s.id == default), 0)
        best = best_scores(self.trainee)
        self.say(("class:title", "Pick a prospect to practise with:"))
        for i, sc in enumerate(usable, 1):
            stars = ("★" if self.unicode else "*") * sc.difficulty
            mark = f"  best {best[sc.id]}" if sc.id in best else ""
            mark += "  (default)" if i - 1 == first else ""
            self.say(("", f"{i:>2}. "), ("class:title", sc.title), ("", f"  {stars}{mark}"))
            who = f"{sc.persona.name}, {sc.persona.role}, {sc.persona.company}"
            self.say(("class:note", f"    {_clip(who, 74)}"))
        words = [str(i) for i in range(1, len(usable) + 1)] + [s.id for s in usable]
        while True:
            try:
                answer = self.ask(f"Number or id (Enter for {first + 1}): ",
                                  completer=WordCompleter(words)).strip()
            except EOFError:  # Ctrl-D: none of them, as /quit
                return None
            if answer in ("/quit", "q", "quit"):
                return None
            if not answer:
                return usable[first]
            if answer.isdigit() and 1 <= int(answer) <= len(usable):
                return usable[int(answer) - 1]
            chosen = next((s for s in usable if s.id == answer), None)
            if chosen is not None:
                return chosen
            self.note(f"No scenario {answer!r}: type a number from 1 to {len(usable)}.")

    def brief(self, scenario: Any) -> bool:
        """Who the prospect is and what the meeting is about; Enter to start."""
        p = scenario.persona
        self.say(("class:title", f"\n{scenario.title}"))
        self.para(f"You are meeting {p.name}, {p.role} at {p.company}.")
        if p.style:
            self.note(" ".join(p.style.split()))
        self.say(("", ""))
        self.para(" ".join(scenario.brief.split()))
        self.say(("", ""))
        self.para(" ".join(scenario.goal.split()), label="Your goal: ", label_style="class:title")
        self.note(f"The meeting lasts {scenario.clock.minutes:g} minutes. "
                  "Type /help for commands, Ctrl-D to end.")
        try:
            answer = self.ask("Press Enter to start. ")
        except EOFError:  # Ctrl-D: not this one (Ctrl-C leaves, as anywhere)
            self.note("Not started.")
            return False
        answer = answer.strip()
        if answer in ("/quit", "q", "quit"):
            return False
        if answer:  # said before the meeting started: it waits on the first prompt, to send
            self._typed = answer
        return True

    def toolbar(self) -> FormattedText:
        pr = self.practice
        if pr is None:
            return FormattedText([])
        sep = " │ " if self.unicode else " | "
        narrow = self.width < 72
        clock = f"{pr.engine.clock_left:.0f}m" if narrow else \
            f"{'⏱ ' if self.unicode else ''}{pr.engine.clock_left:.0f} min left"
        parts: list[tuple[str, str]] = [("class:toolbar", f" {clock}{sep}")]
        parts += self.checklist_parts(pr.checklist())
        return FormattedText(parts)

    def checklist_parts(self, checklist: dict[str, str]) -> list[tuple[str, str]]:
        """The criteria and their marks for a status bar; short labels in a narrow terminal,
        so that every criterion shows."""
        narrow = self.width < 72
        labels = CHECKLIST_SHORT if narrow else CHECKLIST_LABELS
        gap = " " if narrow else "  "
        marks = {"pass": "✓", "partial": "~", "fail": "✗", "n/a": "·"} if self.unicode else \
            {"pass": "x", "partial": "~", "fail": " ", "n/a": "-"}
        mark_gap = "" if narrow else " "
        return [("class:toolbar", f"{labels[cid]}{mark_gap}{marks[v]}{gap}" if self.unicode
                 else f"[{marks[v]}] {labels[cid]}{gap}") for cid, v in checklist.items()]

    # --- the run ---

    def run(self, scenario: Any) -> int:
        if not (self.watch and scenario.source):
            return self._run(scenario)
        from trainer.authoring.watch import FileWatcher

        self.note(f"Watching {scenario.source}: save it to reload, or type /reload.")
        with FileWatcher(scenario.source, self._file_saved):
            return self._run(scenario)

    def _file_saved(self) -> None:
        """The scenario file was saved (called from the watcher's thread): answer the
        prompt with /reload, and keep what was typed for the next prompt."""
        app = self.session.app
        loop = app.loop
        if not app.is_running or loop is None:
            return
        self._typed = app.current_buffer.text

        def reload() -> None:
            if app.is_running and not app.is_done:
                self._saved = True  # the trainee did not type it: it is not shown as said
                app.exit(result="/reload")

        loop.call_soon_threadsafe(reload)

    def _run(self, scenario: Any) -> int:
        self.practice = pr = Practice(scenario, trainee=self.trainee, seed=self.seed,
                                      out=self.out, coach=self.coach,
                                      recorder_factory=self.recorder_factory)
        name = scenario.persona.name
        self.para(pr.opening(), label=f"{name}: ", label_style="class:prospect")
        for line in pr.file.notices():
            self.note(line)
        while True:
            typed, self._typed = self._typed, ""
            label = f"{self.trainee}: "
            try:
                text = self.line(label, "class:you", bottom_toolbar=self.toolbar,
                                 completer=SlashCompleter(), complete_while_typing=True,
                                 default=typed)
            except EOFError:  # Ctrl-D: end the meeting and grade it
                how = "Ctrl-D"
                break
            except KeyboardInterrupt:  # Ctrl-C: leave; the transcript is already saved
                self.note(f"\nStopped. {pr.file.summary()}")
                return 130
            if not self._saved:
                self.para(text, label=label, label_style="class:you")
            self._saved = False
            step = pr.send(text)
            if step.prospect is not None:
                self.para(step.prospect, label=f"{name}: ", label_style="class:prospect")
            for line in step.notes:
                self.note(line)
            if step.quit:
                self.note(f"Left without a scorecard. {pr.file.summary()}")
                return 0
            if step.restarted:
                self.para(pr.opening(), label=f"{name}: ", label_style="class:prospect")
            if step.ended:
                how = "/end"
                break
        self.scorecard(how)
        return 0

    def scorecard(self, how: str) -> None:
        """The outcome and scorecard; ``how`` the trainee ended the meeting, if the prospect
        did not ("/end", "Ctrl-D")."""
        pr = self.practice
        assert pr is not None
        before = best_scores(self.trainee).get(pr.scenario.id)
        card = pr.finish()
        outcome = pr.engine.outcome
        said = outcome.replace("_", " ") if outcome else f"you ended the meeting ({how})"
        self.say(("class:title", f"\nOutcome: {said}"))
        self.say(("", ""))
        self.show_card(card, pr.scenario.title)
        if before is None:
            self.note(f"Your first finished run of this scenario: {card.score}/100.")
        elif card.score > before:
            self.note(f"New best: {card.score}/100 (previous best {before}).")
        else:
            self.note(f"This run: {card.score}/100; your best is {before}.")
        if pr.file.saved:
            self.note(f"Transcript saved: {pr.path}  (its scorecard again: nextstep grade "
                      f"--no-store {pr.path})")
        else:
            self.note(pr.file.summary())

    def show_card(self, card: Any, title: str) -> None:
        """The scorecard, each verdict line in its colour."""
        from trainer.render import Style, scorecard

        style = Style(colour=False, unicode=self.unicode, width=max(60, self.width))
        text = scorecard(card, style, title=title)
        for line in text.splitlines():
            verdict = next((v for v in ("pass", "partial", "fail")
                            if line.strip().upper().startswith(("✓ " + v.upper(),
                                                                 "◐ " + v.upper(),
                                                                 "✗ " + v.upper(),
                                                                 "+ " + v.upper(),
                                                                 "~ " + v.upper(),
                                                                 "x " + v.upper()))), None)
            self.say((f"class:{verdict}" if verdict else "", line))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
