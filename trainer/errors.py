"""Errors NextStep raises, all rooted at :class:`NextStepError`.

The tree::

    NextStepError                 exit code 2 unless a subclass says otherwise
    ├── UsageError                a command line that cannot be carried out
    └── InputError                a file or text that cannot be read (file, line, column)
        ├── TranscriptError       a transcript line that cannot be parsed
        └── ScenarioError         a scenario file that breaks the format (+ path, code)

Every error formats itself as a sentence with its cause and, where one is known, the fix.
The command line prints ``str(error)`` and exits with ``error.exit_code``; a traceback
reaching a user is a bug.
"""

from __future__ import annotations


class NextStepError(Exception):
    """Root of every error NextStep raises on purpose."""

    exit_code: int = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(NextStepError):
    """The command line asks for something that cannot be done (exit code 2)."""


class InputError(NextStepError):
    """A file or piece of text cannot be read.

    ``file``, ``line`` and ``column`` (1-based) locate the problem where known; the
    formatted message starts with ``file:line:col:`` like a compiler's.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column

    @property
    def location(self) -> str:
        """``file:line:col`` with the parts that are known."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class TranscriptError(InputError):
    """A transcript that cannot be parsed; says which line and what was expected."""


class ScenarioError(InputError):
    """A scenario file that breaks the format.

    ``path`` is the place in the document (``states.stall.on[2].goto``) and ``code`` a
    stable diagnostic code (``NS101``) that the authoring guide explains.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        code: str = "NS100",
    ) -> None:
        super().__init__(message, file=file, line=line, column=column)
        self.path = path
        self.code = code

    def __str__(self) -> str:
        where = f" (at {self.path})" if self.path else ""
        return f"{self.location}: {self.code}: {self.message}{where}"
