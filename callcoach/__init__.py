"""callcoach: offline telephone-etiquette coaching.

The pipeline, one module per stage, data flowing forward only::

    audio -> signals (cadences, tones, energy, activity, live_activity, pitch, voice)
          -> transcript (transcribe / imported) -> rules -> scorecard -> reports

The library never prints and never exits; :mod:`callcoach.cli` is the only edge
that talks to a terminal.

The public API is this module's ``__all__``::

    import callcoach

    card = callcoach.score("call.wav", transcript="call.srt", company="星河物业", agent="李明")
    card.score, card.checks["hold"].status, card.to_dict()

The names are imported on first use, so ``import callcoach`` (and the CLI's
start-up) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import AudioError, CallcoachError, ConfigError, DeviceError, ModelError, TranscriptError
    from .rules.base import CheckResult, Finding, Severity, Status
    from .scoring import CallSetup, Scorecard, score
    from .transcribe import Engine
    from .transcript import Speaker, Transcript, Turn, Word
    from .transcript_files import load_transcript

#: Public name -> the module that defines it.
_HOME = {
    "score": "scoring",
    "Scorecard": "scoring",
    "CallSetup": "scoring",
    "CheckResult": "rules.base",
    "Finding": "rules.base",
    "Status": "rules.base",
    "Severity": "rules.base",
    "Transcript": "transcript",
    "Turn": "transcript",
    "Word": "transcript",
    "Speaker": "transcript",
    "load_transcript": "transcript_files",
    "Engine": "transcribe",
    "CallcoachError": "errors",
    "AudioError": "errors",
    "TranscriptError": "errors",
    "ModelError": "errors",
    "ConfigError": "errors",
    "DeviceError": "errors",
}

__all__ = [
    "__version__",
    "score",
    "Scorecard",
    "CallSetup",
    "CheckResult",
    "Finding",
    "Status",
    "Severity",
    "Transcript",
    "Turn",
    "Word",
    "Speaker",
    "load_transcript",
    "Engine",
    "CallcoachError",
    "AudioError",
    "TranscriptError",
    "ModelError",
    "ConfigError",
    "DeviceError",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'callcoach' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
