"""Practice stage: what a session is given, what it reports while running, and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..datafiles import load_toml_resource
from ..rules.base import CallSetup
from ..scenarios import Scenario
from ..transcript import Transcript
from .turns import TURN_GAP_S

__all__ = ["PracticeOptions", "SessionEvent", "SessionState", "SessionResult", "EventFn"]


@dataclass(frozen=True)
class PracticeOptions:
    """How a session runs.

    Attributes
    ----------
    record_path : Path
        The two-channel WAV to write.
    company, agent, language, region : str, optional
        Override the scenario's defaults.
    input_device, output_device : str or int, optional
        PortAudio device (index or part of the name); default: the system's default.
    max_seconds : float, optional
        End the call after this many seconds of recording.
    turn_gap_s : float
        Silence that ends the agent's turn, seconds.
    """

    record_path: Path
    company: str | None = None
    agent: str | None = None
    language: str | None = None
    region: str | None = None
    input_device: str | int | None = None
    output_device: str | int | None = None
    max_seconds: float | None = None
    turn_gap_s: float = TURN_GAP_S


@dataclass(frozen=True)
class SessionEvent:
    """Something that happened, at ``at_s`` seconds of recording.

    ``kind`` is one of: ``recording`` (streams open, text = path), ``ringing``,
    ``answered`` (text = "voice" or "key"), ``caller_line`` (text = the line),
    ``caller_done``, ``agent_turn`` (text = what Vosk heard), ``hold_start``
    (text = "announced" or "silence"), ``hold_warn`` (the countdown to the limit
    starts), ``hold_over`` (past the limit), ``hold_end``, ``hint`` (text = the
    live hint now on screen), ``ended`` (text = who ended it), ``tick`` (state refresh).
    """

    kind: str
    at_s: float
    text: str | None = None


@dataclass(frozen=True)
class SessionState:
    """A snapshot for a live display.

    Attributes
    ----------
    phase : {"starting", "ringing", "call", "ended"}
    elapsed_s : float
        Seconds of recording.
    rings : float or None
        Rings so far (ringing) or at the pick-up.
    answer_s : float or None
    partial : str
        The agent's utterance in progress (Vosk partial result).
    transcript : tuple of (speaker, start_s, text)
        Finished agent turns and the caller's lines so far.
    caller_speaking : bool
    line_number, lines_total : int
        Caller lines played so far / in the scenario.
    hold_kind : {"announced", "silence"} or None
        What the hold timer is timing.
    hold_s : float
        Seconds on the hold timer.
    hold_limit_s : float
        The pack's hold limit; past it the timer is over.
    mic_dbfs : float
        Level of the last microphone block, dBFS.
    hint : str or None
        The live hint on screen (at most one), in the call's language.
    hint_severity : {"info", "warning", "error"} or None
    language : {"zh", "en"}
        The call's language (the live view speaks it).
    """

    phase: str
    elapsed_s: float
    rings: float | None
    answer_s: float | None
    partial: str
    transcript: tuple[tuple[str, float, str], ...]
    caller_speaking: bool
    line_number: int
    lines_total: int
    hold_kind: str | None
    hold_s: float
    hold_limit_s: float
    mic_dbfs: float
    hint: str | None = None
    hint_severity: str | None = None
    language: str = "en"

    @property
    def hold_over(self) -> bool:
        return self.hold_kind is not None and self.hold_s > self.hold_limit_s


@dataclass
class SessionResult:
    """How the session went; everything :func:`score_session` needs.

    Attributes
    ----------
    record_path : Path
    samplerate : int
    duration_s : float
        Seconds recorded.
    scenario : Scenario
    setup : CallSetup
        Company, agent, language, region, stereo layout and the exact ring onset.
    ring_onset_s, answer_s : float or None
        First ring and pick-up, seconds of recording.
    answered_by : {"voice", "key"} or None
    ended_by : {"caller", "agent", "time_limit", "no_answer", "interrupted", "stopped", "error"}
    ended_s : float
    caller_said_goodbye : bool
    transcript : Transcript
        The live transcript: the agent's turns (Vosk) and the caller's lines.
    lines : list of (number, start_s, end_s)
        Caller lines as played.
    holds : list of (start_s, end_s, kind)
        Holds and silences seen live (the scorecard measures them again from the recording).
    hints : list of dict
        Every live hint shown: ``at_s`` (shown), ``event_s`` (the words or event), ``rule``, ``kind``
        (``hold_warn``, ``hold_over``, ``no_thanks`` or the rule id), ``severity``, ``text``.
    caller_turns : list of dict
        Each of the agent's turns as the listening caller saw it (heard text, 5W2H topics asked, rude
        wording, closing, long hold) and the line the caller chose (``line``, ``because``).
    dropouts : dict
        How well the computer kept up: PortAudio's reports of lost audio, ``input_overflows`` (microphone audio
        not taken in time) and ``output_underflows`` (the headset ran dry), and ``longest_stall_s``, the longest
        time the session's loop did not run beyond its wait for audio (a busy or paused computer).
    output_latency_s : float or None
        Median seconds from handing a block to the headset to its being heard (PortAudio's DAC time).
    """

    record_path: Path
    samplerate: int
    duration_s: float
    scenario: Scenario
    setup: CallSetup
    ring_onset_s: float | None
    answer_s: float | None
    answered_by: str | None
    ended_by: str
    ended_s: float
    caller_said_goodbye: bool
    transcript: Transcript
    lines: list[tuple[int, float, float]] = field(default_factory=list)
    holds: list[tuple[float, float, str]] = field(default_factory=list)
    hints: list[dict] = field(default_factory=list)
    caller_turns: list[dict] = field(default_factory=list)
    dropouts: dict = field(default_factory=dict)
    output_latency_s: float | None = None

    @property
    def fell_behind(self) -> bool:
        """The computer did not keep up: audio lost, or the loop stalled ``[devices] stall_s`` or longer."""
        limit = float(load_toml_resource("practice.toml")["devices"]["stall_s"])
        d = self.dropouts
        return bool(d.get("input_overflows") or d.get("output_underflows") or d.get("longest_stall_s", 0.0) >= limit)

    @property
    def slow_headset(self) -> bool:
        """The headset played late enough for the caller to feel slow (``[devices] slow_headset_s``)."""
        limit = float(load_toml_resource("practice.toml")["devices"]["slow_headset_s"])
        return self.output_latency_s is not None and self.output_latency_s >= limit

    def to_dict(self) -> dict:
        r2 = lambda v: None if v is None else round(v, 2)  # noqa: E731
        return {
            "scenario": self.scenario.name,
            "scenario_file": None if self.scenario.path is None else str(self.scenario.path),
            "samplerate": self.samplerate,
            "duration_s": r2(self.duration_s),
            "ring_onset_s": r2(self.ring_onset_s),
            "answer_s": r2(self.answer_s),
            "answered_by": self.answered_by,
            "ended_by": self.ended_by,
            "ended_s": r2(self.ended_s),
            "caller_said_goodbye": self.caller_said_goodbye,
            "lines": [{"number": n, "start_s": r2(a), "end_s": r2(b)} for n, a, b in self.lines],
            "live_holds": [{"start_s": r2(a), "end_s": r2(b), "kind": k} for a, b, k in self.holds],
            "live_hints": list(self.hints),
            "caller_turns": list(self.caller_turns),
            "dropouts": dict(self.dropouts),
            "output_latency_s": r2(self.output_latency_s),
        }


EventFn = Callable[[SessionEvent, SessionState], None]
