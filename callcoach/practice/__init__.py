"""Practice stage: a rehearsal call on a headset.

:class:`PracticeSession` rings the headset with the region's ring cadence until
the agent picks up (speaks into the microphone, or presses a key), then plays
the caller's lines from a :class:`~callcoach.scenarios.Scenario`, each one after
the agent's turn has ended, chosen by a caller that listens to what the agent
said. It keeps a live transcript (Vosk partial and final results on the
microphone), an elapsed-time clock, a hold timer and live hints from the
scorecard's rules, and reports them through a callback so a front end (the CLI)
can render them; nothing here prints. :func:`score_session` scores the recording
afterwards with the same :func:`~callcoach.scoring.score_call` as
``callcoach score``.

Modules
-------
devices     the audio devices PortAudio can open
recording   the crash-safe two-channel WAV and the played track on its timeline
playout     what the headset plays (ring, caller lines) and where things start
clock       the stream clock: microphone and headset blocks on the recording's timeline
turns       turn taking and the hold timer: a pure state machine
caller      the listening caller: which line follows the agent's turn
coach       live hints from the scorecard's rules on the growing call
records     options, events, live state and the session's result
session     the session loop: streams, the stream clock, listening
review      the scorecard of a finished session
"""

from __future__ import annotations

from .caller import Caller, TurnFacts
from .coach import Hint, LiveCoach
from .devices import DeviceInfo, list_devices, resolve_device
from .playout import Playout
from .recording import PlayedTrack, RecordingWriter, default_record_path
from .records import PracticeOptions, SessionEvent, SessionResult, SessionState
from .review import score_session
from .session import BLOCK_S, PracticeSession
from .turns import Action, Tick, TurnReply, TurnTaking

__all__ = [
    "DeviceInfo",
    "list_devices",
    "resolve_device",
    "PracticeOptions",
    "PracticeSession",
    "SessionEvent",
    "SessionState",
    "SessionResult",
    "RecordingWriter",
    "PlayedTrack",
    "Playout",
    "score_session",
    "default_record_path",
    "BLOCK_S",
    "TurnTaking",
    "Tick",
    "Action",
    "TurnReply",
    "Caller",
    "TurnFacts",
    "LiveCoach",
    "Hint",
]
