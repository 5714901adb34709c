"""Typed errors raised by the library.

Every error carries the file it concerns (when there is one) and a one-line
problem statement, so that the CLI and the batch runner can report
``FILE: problem`` without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class CallcoachError(Exception):
    """Base class: a problem the user can act on.

    Parameters
    ----------
    problem : str
        One line saying what is wrong and, where possible, what to do.
    path : str or Path, optional
        The file the problem concerns.
    line : int, optional
        1-based line number inside ``path``.
    """

    def __init__(self, problem: str, path: str | Path | None = None, line: int | None = None):
        self.problem = problem
        self.path = None if path is None else str(path)
        self.line = line
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{where}{self.problem}"


class AudioError(CallcoachError):
    """An audio file is missing, empty, corrupt, not audio, or unsupported."""


class TranscriptError(CallcoachError):
    """A transcript file does not parse."""


class ModelError(CallcoachError):
    """A speech model cannot be found, downloaded, verified or loaded."""


class ConfigError(CallcoachError):
    """A rule pack, scenario, manifest or other configuration file is invalid."""


class DeviceError(CallcoachError):
    """An audio device is missing, busy or cannot be opened."""


class OutputError(CallcoachError):
    """An output file cannot be written (missing folder, a folder in its place, no permission)."""
