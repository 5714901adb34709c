"""Practice stage: a rehearsal call on a headset.

:class:`PracticeSession` rings the headset with the region's ring cadence until
the agent picks up (speaks into the microphone, or presses a key, see
:meth:`PracticeSession.answer`), then plays the caller's lines from a
:class:`~callcoach.scenarios.Scenario`, each one after the agent's turn has
ended. It keeps a live transcript (Vosk partial and final results on the
microphone), an elapsed-time clock and a hold timer, and reports them through
a callback so a front end (the CLI) can render them; nothing here prints.
:func:`score_session` scores the recording afterwards with the same
:func:`~callcoach.scoring.score_call` as ``callcoach score``.

Audio path
----------
Two PortAudio streams (through :mod:`sounddevice`): one input (the agent's
microphone) and one output (the headset). A duplex stream would be simpler,
but duplex ALSA streams through PulseAudio's ALSA plug-in stall, so the two
run separately and are aligned on PortAudio's stream clock. The microphone is
the master clock of the recording (its sample count is exact); the time of its
first sample is the earliest "callback time minus samples delivered" seen
(PortAudio's own ADC times are unreliable while a PulseAudio stream starts).
Every block sent to the headset carries the time it will be heard (PortAudio's
DAC time) and is placed on the recording's timeline there. The ring onset, the
pick-up and every caller line are therefore known in recording time; with a
headset looped back into the microphone, the ring on both channels lines up to
within a few hundredths of a second (tested).

The recording
-------------
A two-channel 16-bit WAV: left the agent's microphone, right everything
callcoach played (ring included). It is written block by block (every
:data:`BLOCK_S` seconds) with the standard library's :mod:`wave` writer, which
rewrites the RIFF and data sizes in the header after every block; so after
Ctrl-C, a crash or even ``kill -9`` the file is a valid WAV holding everything
captured up to the last block. (libsndfile, behind :mod:`soundfile`, writes the
sizes only when the file is closed: its own reader copes with that, other WAV
readers do not.)

Turn taking
-----------
The agent's turn has ended when the agent has spoken since the caller's last
line and either :data:`TURN_GAP_S` of silence followed (speech activity on the
microphone, :class:`~callcoach.activity.ActivityTracker`), or Vosk's endpointer
finalised an utterance and :data:`ENDPOINT_GAP_S` of silence followed. If that
turn announced a hold (the pack's ``hold.announce`` cues), the caller waits
for the agent's next turn instead of speaking.
"""

from __future__ import annotations

import queue
import threading
import time
import wave
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np
import soxr

from .activity import ActivityTracker
from .errors import AudioError, DeviceError
from .packs import RulePack, load_pack
from .rules.base import CallSetup
from .scenarios import Scenario, speak_line
from .textmatch import CueSet
from .tones import cadence, ringback_signal
from .transcribe import join_words
from .transcript import Transcript, Turn

__all__ = ["DeviceInfo", "list_devices", "PracticeOptions", "PracticeSession", "SessionEvent", "SessionState",
           "SessionResult", "RecordingWriter", "Playout", "score_session", "default_record_path", "BLOCK_S"]

#: Seconds per audio block (microphone, recording, recogniser).
BLOCK_S = 0.1
#: Seconds per headset block: what is handed to the device is committed, so a ring or a caller line
#: stops at most about two of these after the agent picks up or hangs up.
OUT_BLOCK_S = 0.05
#: Silence after the agent's speech that ends the agent's turn, seconds.
TURN_GAP_S = 0.8
#: Silence that ends the turn when Vosk's endpointer has already closed the utterance, seconds.
ENDPOINT_GAP_S = 0.5
#: The caller hangs up this long after saying goodbye when the agent says nothing more, seconds.
GOODBYE_WAIT_S = 6.0
#: Silence that starts the live silence timer (the agent "goes silent" while it is their turn), seconds.
SILENCE_TIMER_S = 1.5
#: No microphone audio for this long means the input device stopped, seconds.
INPUT_STALL_S = 3.0
#: Longest wait for the headset stream to run steadily before ringing anyway, seconds.
OUTPUT_WARMUP_S = 3.0
#: Microphone audio heard before the ring starts (settles the clock and the noise floor), seconds.
WARMUP_INPUT_S = 0.5
#: Fade at the end of a ring cut by the pick-up, seconds.
RING_CUT_FADE_S = 0.01


# --------------------------------------------------------------------------- devices


def _sounddevice():
    try:
        import sounddevice
    except OSError as exc:  # PortAudio library missing
        raise DeviceError(f"audio is not available: {exc} (install libportaudio2)") from None
    return sounddevice


@dataclass(frozen=True)
class DeviceInfo:
    """An audio device as PortAudio lists it."""

    index: int
    name: str
    hostapi: str
    inputs: int
    outputs: int
    default_samplerate_hz: float
    default_input: bool
    default_output: bool


def list_devices() -> list[DeviceInfo]:
    """The audio devices PortAudio can open.

    Raises
    ------
    DeviceError
        PortAudio is missing or cannot list devices.
    """
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        apis = sd.query_hostapis()
        default_in, default_out = sd.default.device
    except sd.PortAudioError as exc:
        raise DeviceError(f"cannot list audio devices: {exc}") from None
    out = []
    for d in devices:
        out.append(DeviceInfo(index=int(d["index"]), name=str(d["name"]),
                              hostapi=str(apis[d["hostapi"]]["name"]), inputs=int(d["max_input_channels"]),
                              outputs=int(d["max_output_channels"]),
                              default_samplerate_hz=float(d["default_samplerate"]),
                              default_input=int(d["index"]) == default_in,
                              default_output=int(d["index"]) == default_out))
    return out


def resolve_device(spec: str | int | None, kind: str) -> int:
    """The PortAudio index of an input or output device given by index or by (part of) its name.

    Raises
    ------
    DeviceError
        No such device, several match, or it has no channels of that kind.
    """
    sd = _sounddevice()
    if isinstance(spec, str) and spec.strip().isdigit():
        spec = int(spec)
    try:
        info = sd.query_devices(spec, kind)
    except ValueError as exc:
        text = str(exc)
        if spec is None:
            raise DeviceError(f"no default {kind} device ({text}); see `callcoach devices` and pass "
                              f"--{kind} DEVICE") from None
        if "Multiple" in text:
            raise DeviceError(f"several {kind} devices match {spec!r}; give the index from `callcoach devices`") \
                from None
        raise DeviceError(f"no {kind} device {spec!r} (see `callcoach devices`)") from None
    except sd.PortAudioError as exc:
        if spec is None:
            raise DeviceError(f"no default {kind} device ({exc}); is a sound server running? "
                              f"see `callcoach devices` and pass --{kind} DEVICE") from None
        raise DeviceError(f"no {kind} device {spec!r} ({exc}); see `callcoach devices`") from None
    channels = info["max_input_channels" if kind == "input" else "max_output_channels"]
    if channels < 1:
        raise DeviceError(f"device {info['name']!r} has no {kind} channels (see `callcoach devices`)")
    return int(info["index"])


# --------------------------------------------------------------------------- recording


class RecordingWriter:
    """A two-channel PCM-16 WAV written block by block, valid on disk after every block.

    Parameters
    ----------
    path : path
        The WAV to create (overwritten if it exists).
    samplerate : int
        Hz.

    Notes
    -----
    :meth:`wave.Wave_write.writeframes` rewrites the RIFF and data chunk sizes
    after every call when the frame count was not declared up front; the
    data is written before the sizes, so the header never claims more than
    the file holds. Each block reaches the operating system before
    :meth:`write` returns, so killing the process loses at most the block
    being written.
    """

    def __init__(self, path: str | Path, samplerate: int):
        self.path = Path(path)
        self.samplerate = int(samplerate)
        self.frames = 0
        try:
            self._file = open(self.path, "wb")
        except OSError as exc:
            raise AudioError(f"cannot write the recording: {exc.strerror}", path=self.path) from None
        self._wav = wave.open(self._file, "wb")
        self._wav.setnchannels(2)
        self._wav.setsampwidth(2)
        self._wav.setframerate(self.samplerate)
        self._wav.writeframes(b"")  # header on disk from the start: a valid, empty WAV

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate

    def write(self, left: np.ndarray, right: np.ndarray) -> None:
        """Append frames: ``left`` (agent) and ``right`` (what was played), mono float32 of equal length."""
        if self._wav is None:
            raise AudioError("recording already closed", path=self.path)
        both = np.stack([left, right], axis=1)
        pcm = (np.clip(both, -1.0, 1.0) * 32767.0).round().astype("<i2")
        try:
            self._wav.writeframes(pcm.tobytes())
            self._file.flush()
        except OSError as exc:
            raise AudioError(f"cannot write the recording: {exc.strerror}", path=self.path) from None
        self.frames += len(pcm)

    def close(self) -> None:
        if self._wav is None:
            return
        try:
            self._wav.close()
        finally:
            self._file.close()
            self._wav = None


def default_record_path(scenario: Scenario, folder: str | Path = ".") -> Path:
    """``practice-<scenario>-<YYYYmmdd-HHMMSS>.wav`` in ``folder`` (default: the current folder)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return Path(folder) / f"practice-{scenario.name}-{stamp}.wav"


# --------------------------------------------------------------------------- playout


class Playout:
    """What the headset plays, pulled block by block by the output stream.

    The session asks for ringing or a caller line; the output callback pulls
    samples with :meth:`pull`, which also reports *marks*: where in the block
    the ring started or stopped and where a caller line started or ended.
    Thread-safe.

    Parameters
    ----------
    samplerate : int
        Hz.
    ring_cycle : np.ndarray
        One cycle of the ringback tone (mono float32), played in a loop.
    """

    def __init__(self, samplerate: int, ring_cycle: np.ndarray):
        self.samplerate = samplerate
        self._ring = ring_cycle.astype(np.float32)
        self._lock = threading.Lock()
        self._ringing = False
        self._ring_pos = 0
        self._ring_started = False
        self._clip: np.ndarray | None = None
        self._clip_tag = None
        self._clip_pos = 0
        self._pending_marks: list[tuple[str, object]] = []

    def start_ring(self) -> None:
        with self._lock:
            if not self._ringing:
                self._ringing, self._ring_pos, self._ring_started = True, 0, False

    def stop_ring(self) -> None:
        with self._lock:
            if not self._ringing:
                return
            self._ringing = False
            if not self._ring_started:
                return
            n = max(1, int(RING_CUT_FADE_S * self.samplerate))
            idx = (self._ring_pos + np.arange(n)) % len(self._ring)
            tail = self._ring[idx] * np.linspace(1.0, 0.0, n, dtype=np.float32)
            self._pending_marks.append(("ring_stop", None))
            if self._clip is None:  # the fade plays as a tiny clip without marks of its own
                self._clip, self._clip_tag, self._clip_pos = tail, None, 0

    def play(self, clip: np.ndarray, tag) -> None:
        """Play ``clip`` (mono float32) now; marks ``line_start``/``line_end`` carry ``tag``."""
        with self._lock:
            self._clip, self._clip_tag, self._clip_pos = clip.astype(np.float32), tag, 0

    def cancel_clip(self) -> None:
        with self._lock:
            if self._clip is not None and self._clip_tag is not None and self._clip_pos > 0:
                self._pending_marks.append(("line_end", self._clip_tag))
            self._clip = None

    @property
    def busy(self) -> bool:
        """True while a caller line is playing."""
        with self._lock:
            return self._clip is not None and self._clip_tag is not None

    def pull(self, n: int) -> tuple[np.ndarray, list[tuple[int, str, object]]]:
        """The next ``n`` samples and the marks ``(offset, kind, tag)`` inside them."""
        out = np.zeros(n, np.float32)
        marks: list[tuple[int, str, object]] = []
        with self._lock:
            marks += [(0, kind, tag) for kind, tag in self._pending_marks]
            self._pending_marks.clear()
            if self._ringing:
                if not self._ring_started:
                    marks.append((0, "ring_start", None))
                    self._ring_started = True
                idx = (self._ring_pos + np.arange(n)) % len(self._ring)
                out += self._ring[idx]
                self._ring_pos = int((self._ring_pos + n) % len(self._ring))
            if self._clip is not None:
                if self._clip_pos == 0 and self._clip_tag is not None:
                    marks.append((0, "line_start", self._clip_tag))
                take = self._clip[self._clip_pos: self._clip_pos + n]
                out[: len(take)] += take
                self._clip_pos += len(take)
                if self._clip_pos >= len(self._clip):
                    if self._clip_tag is not None:
                        marks.append((len(take), "line_end", self._clip_tag))
                    self._clip = None
        return out, marks


class _PlayedTrack:
    """What was played, placed on the recording's timeline (sample positions)."""

    def __init__(self):
        self._chunks: deque[tuple[int, np.ndarray]] = deque()

    def add(self, position: int, samples: np.ndarray) -> None:
        self._chunks.append((position, samples))

    def take(self, position: int, n: int) -> np.ndarray:
        out = np.zeros(n, np.float32)
        end = position + n
        for start, samples in self._chunks:
            a, b = max(position, start), min(end, start + len(samples))
            if b > a:
                out[a - position: b - position] = samples[a - start: b - start]
        while self._chunks and self._chunks[0][0] + len(self._chunks[0][1]) <= end:
            self._chunks.popleft()
        return out


# --------------------------------------------------------------------------- session records


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
    (text = "announced" or "silence"), ``hold_over`` (past the limit),
    ``hold_end``, ``ended`` (text = who ended it), ``tick`` (state refresh).
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

    def to_dict(self) -> dict:
        r2 = lambda v: None if v is None else round(v, 2)  # noqa: E731
        return {"scenario": self.scenario.name, "scenario_file": None if self.scenario.path is None
                else str(self.scenario.path), "samplerate": self.samplerate, "duration_s": r2(self.duration_s),
                "ring_onset_s": r2(self.ring_onset_s), "answer_s": r2(self.answer_s),
                "answered_by": self.answered_by, "ended_by": self.ended_by, "ended_s": r2(self.ended_s),
                "caller_said_goodbye": self.caller_said_goodbye,
                "lines": [{"number": n, "start_s": r2(a), "end_s": r2(b)} for n, a, b in self.lines],
                "live_holds": [{"start_s": r2(a), "end_s": r2(b), "kind": k} for a, b, k in self.holds]}


EventFn = Callable[[SessionEvent, SessionState], None]


# --------------------------------------------------------------------------- the session


class PracticeSession:
    """One rehearsal call.

    Parameters
    ----------
    scenario : Scenario
    engine : callcoach.transcribe.Engine
        A loaded Vosk model for the live transcript.
    options : PracticeOptions
    pack : RulePack, optional
        Hold cues and limit; default: the bundled pack of the call's language.

    Notes
    -----
    :meth:`run` blocks until the call ends; :meth:`answer`, :meth:`hang_up`
    and :meth:`stop` may be called from any thread (e.g. a key reader).
    """

    def __init__(self, scenario: Scenario, engine, options: PracticeOptions, pack: RulePack | None = None):
        self.scenario = scenario
        self.engine = engine
        self.options = options
        self.language = options.language or scenario.language
        self.region = options.region or scenario.region
        self.pack = pack or load_pack(self.language)
        self.hold_limit_s = float(self.pack["hold"]["limit_s"])
        self._hold_cues = CueSet(self.pack["hold"]["announce"], self.language)
        self._answer_key = threading.Event()
        self._hangup_key = threading.Event()
        self._stop = threading.Event()
        self._key_times: dict[str, float] = {}
        self._clips: dict[int, np.ndarray] = {}
        self._clips_rate: int | None = None

    # -- controls (any thread)

    def answer(self) -> None:
        """The agent picks up (a key press)."""
        self._key_times.setdefault("answer", time.monotonic())
        self._answer_key.set()

    def hang_up(self) -> None:
        """The agent ends the call (a key press)."""
        self._key_times.setdefault("hang_up", time.monotonic())
        self._hangup_key.set()

    def stop(self) -> None:
        """End the session now (e.g. the front end is closing)."""
        self._stop.set()

    # -- preparation

    def prepare(self, samplerate: int) -> None:
        """Synthesise or load every caller line at ``samplerate`` (Hz) before the call starts.

        Raises
        ------
        ConfigError
            A line cannot be spoken (espeak-ng missing or failing) or its WAV read.
        """
        if self._clips_rate == samplerate:
            return
        self._clips = {line.number: speak_line(line, samplerate, scenario_path=self.scenario.path)
                       for line in self.scenario.lines}
        self._clips_rate = samplerate

    def _choose_rate(self, sd, in_dev: int, out_dev: int) -> int:
        """The engine's rate when both devices take it, else the input device's default rate (Hz)."""
        rate = int(self.engine.samplerate)
        try:
            sd.check_input_settings(device=in_dev, channels=1, dtype="float32", samplerate=rate)
            sd.check_output_settings(device=out_dev, channels=1, dtype="float32", samplerate=rate)
        except sd.PortAudioError:
            rate = int(sd.query_devices(in_dev, "input")["default_samplerate"])
        return rate

    def _open_streams(self, sd, in_dev: int, out_dev: int, rate: int, on_input, on_output) -> list:
        out_channels = min(2, int(sd.query_devices(out_dev, "output")["max_output_channels"]))
        block = int(round(BLOCK_S * rate))
        streams: list = []
        try:
            streams.append(sd.InputStream(device=in_dev, channels=1, samplerate=rate, blocksize=block,
                                          dtype="float32", latency="low", callback=on_input))
            streams.append(sd.OutputStream(device=out_dev, channels=out_channels, samplerate=rate,
                                           blocksize=int(round(OUT_BLOCK_S * rate)),
                                           dtype="float32", latency="low", callback=on_output))
            for stream in streams:
                stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            for stream in streams:
                stream.close()
            which, dev = ("input", in_dev) if len(streams) == 0 else ("output", out_dev)
            raise DeviceError(f"cannot open the {which} device {sd.query_devices(dev)['name']!r}: {exc} "
                              "(busy or unplugged? see `callcoach devices`)") from None
        return streams

    # -- the call

    def run(self, on_event: EventFn | None = None) -> SessionResult:
        """Ring, answer, play the scenario, record; return when the call ends.

        Ctrl-C (KeyboardInterrupt) ends the call like a hang-up with
        ``ended_by="interrupted"``; the recording stays valid.

        Raises
        ------
        DeviceError
            A device is missing, busy, or stops delivering audio.
        ConfigError
            A caller line cannot be spoken.
        AudioError
            The recording cannot be written.
        """
        sd = _sounddevice()
        notify = on_event or (lambda event, state: None)
        in_dev = resolve_device(self.options.input_device, "input")
        out_dev = resolve_device(self.options.output_device, "output")
        rate = self._choose_rate(sd, in_dev, out_dev)
        self.prepare(rate)
        playout = Playout(rate, ringback_signal(self.region, cadence(self.region).cycle_s, rate))
        in_q: queue.Queue = queue.Queue()
        out_q: queue.Queue = queue.Queue()

        def on_input(indata, frames, t, status):  # PortAudio thread
            in_q.put((t.currentTime, time.monotonic(), indata[:, 0].copy()))

        def on_output(outdata, frames, t, status):  # PortAudio thread
            samples, marks = playout.pull(frames)
            outdata[:] = samples[:, None]
            out_q.put((t.currentTime, t.outputBufferDacTime, time.monotonic(), samples, marks))

        writer = RecordingWriter(self.options.record_path, rate)
        try:
            try:
                streams = self._open_streams(sd, in_dev, out_dev, rate, on_input, on_output)
            except DeviceError:
                writer.close()
                writer.path.unlink(missing_ok=True)  # nothing was recorded
                raise
            try:
                return _Call(self, playout, writer, rate, notify).run(in_q, out_q)
            finally:
                for stream in streams:
                    try:
                        stream.abort()
                        stream.close()
                    except Exception:  # noqa: BLE001 - closing a failed device must not hide the real error
                        pass
        finally:
            writer.close()


class _Call:
    """The state of one running call (used by :meth:`PracticeSession.run`)."""

    def __init__(self, session: PracticeSession, playout: Playout, writer: RecordingWriter, rate: int,
                 notify: EventFn):
        self.s = session
        self.scenario = session.scenario
        self.playout = playout
        self.writer = writer
        self.rate = rate
        self.notify = notify
        engine = session.engine
        self.asr_rate = int(engine.samplerate)
        self.resampler = None if rate == self.asr_rate else soxr.ResampleStream(rate, self.asr_rate, 1,
                                                                                 dtype="float32")
        self.recogniser = engine.recognizer("agent")
        self.tracker = ActivityTracker(rate)
        self.track = _PlayedTrack()
        self.t0: float | None = None          # stream time of the first recorded sample
        self.pa_offset: float | None = None   # PortAudio stream time minus time.monotonic()
        self.pos = 0                          # samples recorded
        self.done = 0                         # samples listened to (recognised, tracked)
        self.phase = "starting"
        self.ring_onset_s: float | None = None
        self.answer_s: float | None = None
        self.answer_refined = False
        self.answered_by: str | None = None
        self.ended_by: str | None = None
        self.ended_s = 0.0
        self.agent_turns: list[Turn] = []
        self.turn_start_index = 0             # first agent turn of the current agent turn-taking unit
        self.entries: list[tuple[str, float, str]] = []
        self.line_index = 0                   # next line to play (0-based)
        self.lines_played: list[tuple[int, float, float]] = []
        self.line_started: dict[int, float] = {}
        self.pending_line: tuple[float, int] | None = None
        self.caller_speaking = False
        self.agent_spoke = False
        self.endpoint_seen = False
        self.on_hold_since: float | None = None
        self.quiet_since: float | None = None   # the caller finished, waiting for the agent
        self.goodbye_at: float | None = None
        self.said_goodbye = False
        self.hold_kind: str | None = None
        self.hold_from = 0.0
        self.hold_over_sent = False
        self.holds: list[tuple[float, float, str]] = []
        self.out_steady = 0
        self.last_out_call: float | None = None
        self.started_mono = time.monotonic()
        self.mic_dbfs = -120.0
        self.partial = ""

    # -- time

    @property
    def now_s(self) -> float:
        """Recording time up to which the microphone has been listened to, seconds."""
        return self.done / self.rate

    # -- the loop

    def run(self, in_q: queue.Queue, out_q: queue.Queue) -> SessionResult:
        last_input = time.monotonic()
        try:
            while self.ended_by is None:
                try:
                    batch = [in_q.get(timeout=0.5)]
                except queue.Empty:
                    if time.monotonic() - last_input > INPUT_STALL_S:
                        raise DeviceError("no audio from the input device for "
                                          f"{INPUT_STALL_S:g} s (unplugged or used by another program?)") from None
                    self._drain_output(out_q)
                    continue
                while True:  # everything that arrived meanwhile: recorded first, recognised after
                    try:
                        batch.append(in_q.get_nowait())
                    except queue.Empty:
                        break
                last_input = time.monotonic()
                self._clock(batch)
                self._drain_output(out_q)
                for *_, block in batch:
                    self._record(block)
                for *_, block in batch:
                    self._listen(block)
                    self._step()
                    if self.s._stop.is_set():
                        self._end("stopped")
                    if self.ended_by is not None:
                        break
                self._emit("tick")
        except KeyboardInterrupt:
            self._end("interrupted")
        self._finish()
        return self._result()

    def _stream_time(self, pa_time: float, mono: float) -> float:
        """A callback's PortAudio stream time (or, where the host API gives none, its monotonic time)."""
        if pa_time:
            if self.pa_offset is None or pa_time - mono > self.pa_offset:
                self.pa_offset = pa_time - mono  # the least-delayed callback tells the offset best
            return pa_time
        return mono + (self.pa_offset or 0.0)

    def _clock(self, batch: list[tuple[float, float, np.ndarray]]) -> None:
        """Place the recording on the stream clock.

        A block is handed over once its last sample is captured, never before:
        the earliest ``callback time - end of block`` seen so far is the time
        of the first recorded sample. (PortAudio's ADC times through
        PulseAudio's ALSA plug-in are off by tenths of a second while the
        stream starts; the sample count is exact.) Callback times are
        PortAudio's, taken before the callback waits for Python's GIL.
        """
        end = self.pos
        for pa_now, mono, block in batch:
            end += len(block)
            first = self._stream_time(pa_now, mono) - end / self.rate
            if self.t0 is None or first < self.t0:
                new = self.t0 is None
                self.t0 = first
                if new:
                    self._emit("recording", str(self.writer.path), at_s=0.0)

    def _drain_output(self, out_q: queue.Queue) -> None:
        while True:
            try:
                pa_now, dac, mono, samples, marks = out_q.get_nowait()
            except queue.Empty:
                return
            called = self._stream_time(pa_now, mono)
            heard = dac if (pa_now and dac) else called + OUT_BLOCK_S
            expected = len(samples) / self.rate
            if self.last_out_call is not None and called - self.last_out_call >= 0.5 * expected:
                self.out_steady += 1
            elif self.last_out_call is not None:
                self.out_steady = 0
            self.last_out_call = called
            if self.t0 is None:
                continue
            position = int(round((heard - self.t0) * self.rate))
            self.track.add(position, samples)
            for offset, kind, tag in marks:
                self._mark((position + offset) / self.rate, kind, tag)

    def _record(self, block: np.ndarray) -> None:
        right = self.track.take(self.pos, len(block))
        self.writer.write(block, right)
        self.pos += len(block)

    def _listen(self, block: np.ndarray) -> None:
        start_s = self.done / self.rate
        self.done += len(block)
        energy = float(np.mean(block.astype(np.float64) ** 2)) if len(block) else 0.0
        self.mic_dbfs = 10 * np.log10(energy + 1e-12)
        for seg in self.tracker.feed(block):
            self._segment(seg)
        signal = block if self.resampler is None else self.resampler.resample_chunk(block)
        if len(signal):
            turns = self.recogniser.feed(signal, start_s)
            if turns:
                self._agent_turns(turns)
                self.endpoint_seen = True
        self.partial = self.recogniser.partial

    def _segment(self, seg) -> None:
        """A finished stretch of the agent's speech: the first one after ringing is the exact pick-up."""
        if self.answered_by == "voice" and not self.answer_refined and self.ring_onset_s is not None:
            if seg.end_s >= self.ring_onset_s and self.answer_s - 1.5 <= seg.start_s <= self.answer_s + 0.5:
                self.answer_s = max(self.ring_onset_s, seg.start_s)
                self.answer_refined = True

    def _agent_turns(self, turns: list[Turn]) -> None:
        for turn in turns:
            if not turn.text.strip():
                continue
            self.agent_turns.append(turn)
            self.entries.append(("agent", turn.start_s, turn.text))
            self._emit("agent_turn", turn.text)

    # -- marks from the headset

    def _mark(self, at_s: float, kind: str, tag) -> None:
        if kind == "ring_start":
            self.ring_onset_s = at_s
            self.phase = "ringing"
            self._emit("ringing", at_s=at_s)
        elif kind == "line_start":
            self.line_started[tag] = at_s
            self.caller_speaking = True
            line = self.scenario.lines[tag - 1]
            self.entries.append(("customer", at_s, line.text or f"(line {tag})"))
            self._emit("caller_line", line.text or f"(line {tag})", at_s=at_s)
            self._end_hold(at_s)
        elif kind == "line_end":
            start = self.line_started.get(tag, at_s)
            self.lines_played.append((tag, start, at_s))
            self.caller_speaking = False
            self.agent_spoke = self.tracker.in_speech
            self.endpoint_seen = False
            self.turn_start_index = len(self.agent_turns)
            self.quiet_since = at_s
            if self.scenario.lines[tag - 1].goodbye:
                self.said_goodbye = True
                self.goodbye_at = at_s
            self._emit("caller_done", at_s=at_s)

    # -- decisions, once per block

    def _step(self) -> None:
        s, now = self.s, self.now_s
        if s._hangup_key.is_set() and self.phase in ("ringing", "call"):
            at = self._key_time("hang_up")
            self._end("agent", at)
            return
        if s.options.max_seconds is not None and now >= s.options.max_seconds:
            self._end("time_limit")
            return
        if self.phase == "starting":
            steady = self.out_steady >= 3 or time.monotonic() - self.started_mono > OUTPUT_WARMUP_S
            steady = steady and now >= WARMUP_INPUT_S
            if steady and not self.playout.busy:
                self.playout.start_ring()
                self.phase = "ringing_requested"
            return
        if self.phase == "ringing_requested":
            return  # waiting for the ring_start mark from the headset
        if self.phase == "ringing":
            self._ringing(now)
            return
        if self.phase == "call":
            self._talk(now)

    def _key_time(self, key: str) -> float:
        """Recording time of a key press (taken on the monotonic clock)."""
        mono = self.s._key_times.get(key)
        if mono is None or self.t0 is None:
            return self.now_s
        return min(self.now_s, max(0.0, mono + (self.pa_offset or 0.0) - self.t0))

    def _ringing(self, now: float) -> None:
        onset = self.ring_onset_s or 0.0
        if self.s._answer_key.is_set():
            self._pick_up("key", max(onset, self._key_time("answer")))
        elif self.tracker.in_speech:
            # decisions trail the audio: the speech began about where the tracker's undecided frames begin
            self._pick_up("voice", max(onset, min(now, self.tracker.decided_s)))
        elif now - onset > self.scenario.ring_timeout_s:
            self._end("no_answer")

    def _pick_up(self, how: str, at_s: float) -> None:
        self.playout.stop_ring()
        self.phase = "call"
        self.answered_by = how
        self.answer_s = at_s
        self.agent_spoke = how == "voice"
        self.quiet_since = at_s
        self.turn_start_index = len(self.agent_turns)
        self._emit("answered", how, at_s=at_s)

    def _talk(self, now: float) -> None:
        tracker = self.tracker
        speaking = tracker.in_speech
        if speaking:
            self.agent_spoke = True
            self.quiet_since = None
            if self.pending_line is not None:  # the agent went on talking: not the caller's turn yet
                self.pending_line = None
            self._end_hold(max(self.hold_from, min(now, tracker.decided_s)))
        if self.caller_speaking:
            return
        # the caller has said goodbye: hang up once the agent has answered it (or stayed silent)
        if self.said_goodbye:
            if self._turn_ended(now) or (not self.agent_spoke and now - (self.goodbye_at or now) > GOODBYE_WAIT_S):
                self._end("caller")
            return
        if self.pending_line is not None:
            start_at, index = self.pending_line
            if now >= start_at:
                self.pending_line = None
                line = self.scenario.lines[index]
                self.line_index = index + 1
                self.playout.play(self.s._clips[line.number], line.number)
                self.caller_speaking = True  # until the line_end mark
            return
        if self._turn_ended(now):
            heard = self._turn_text()
            self.agent_spoke = False
            self.endpoint_seen = False
            self.turn_start_index = len(self.agent_turns)
            if heard and self.s._hold_cues.find(heard):
                self.on_hold_since = now - tracker.silence_s
                self._start_hold("announced", self.on_hold_since)
                return
            self.on_hold_since = None
            if self.line_index < len(self.scenario.lines):
                line = self.scenario.lines[self.line_index]
                self.pending_line = (now + line.pause_s, self.line_index)
            return
        self._update_silence(now)

    def _turn_ended(self, now: float) -> bool:
        if not self.agent_spoke or self.tracker.in_speech:
            return False
        quiet = self.tracker.silence_s
        if quiet >= self.s.options.turn_gap_s:
            return True
        return self.endpoint_seen and quiet >= ENDPOINT_GAP_S

    def _turn_text(self) -> str:
        self._agent_turns(self.recogniser.end_utterance())
        texts = [t.text for t in self.agent_turns[self.turn_start_index:]]
        return join_words(texts, self.s.engine.language)

    # -- holds

    def _update_silence(self, now: float) -> None:
        if self.hold_kind == "announced":
            self._check_hold_over(now)
            return
        if self.quiet_since is not None and not self.agent_spoke and now - self.quiet_since >= SILENCE_TIMER_S:
            if self.hold_kind is None:
                self._start_hold("silence", self.quiet_since)
            self._check_hold_over(now)

    def _start_hold(self, kind: str, since: float) -> None:
        self.hold_kind, self.hold_from, self.hold_over_sent = kind, since, False
        self._emit("hold_start", kind, at_s=since)

    def _check_hold_over(self, now: float) -> None:
        if not self.hold_over_sent and now - self.hold_from > self.s.hold_limit_s:
            self.hold_over_sent = True
            self._emit("hold_over", self.hold_kind, at_s=now)

    def _end_hold(self, at_s: float) -> None:
        if self.hold_kind is None:
            return
        self.holds.append((self.hold_from, max(self.hold_from, at_s), self.hold_kind))
        kind, self.hold_kind = self.hold_kind, None
        self._emit("hold_end", kind, at_s=at_s)

    # -- ending

    def _end(self, who: str, at_s: float | None = None) -> None:
        if self.ended_by is not None:
            return
        self.ended_by = who
        self.ended_s = self.now_s if at_s is None else at_s
        self.playout.stop_ring()
        self.playout.cancel_clip()
        self.phase = "ended"

    def _finish(self) -> None:
        if self.ended_by is None:
            self._end("error")
        self._end_hold(self.now_s)
        for seg in self.tracker.flush():
            self._segment(seg)
        self._agent_turns(self.recogniser.finish())
        for number, start in self.line_started.items():  # a line cut by the hang-up
            if all(n != number for n, _, _ in self.lines_played):
                self.lines_played.append((number, start, min(self.now_s, self.ended_s)))
        self._emit("ended", self.ended_by)

    def _setup(self) -> CallSetup:
        s, sc = self.s, self.scenario
        return CallSetup(company=s.options.company or sc.company, agent=s.options.agent or sc.agent,
                         language=s.language, region=s.region, layout="stereo", agent_channel="left",
                         ring_onset_s=self.ring_onset_s)

    def _result(self) -> SessionResult:
        turns = list(self.agent_turns)
        for number, start, end in sorted(self.lines_played, key=lambda x: x[1]):
            text = self.scenario.lines[number - 1].text
            if text:
                turns.append(Turn(speaker="customer", start_s=start, end_s=max(start, end), text=text))
        transcript = Transcript(turns=tuple(turns), language=self.s.language, duration_s=self.writer.duration_s,
                                source=f"practice:vosk:{Path(str(self.s.engine.path)).name}")
        return SessionResult(record_path=self.writer.path, samplerate=self.rate, duration_s=self.writer.duration_s,
                             scenario=self.scenario, setup=self._setup(), ring_onset_s=self.ring_onset_s,
                             answer_s=self.answer_s, answered_by=self.answered_by, ended_by=self.ended_by,
                             ended_s=self.ended_s, caller_said_goodbye=self.said_goodbye, transcript=transcript,
                             lines=sorted(self.lines_played, key=lambda x: x[1]), holds=list(self.holds))

    # -- reporting

    def _state(self) -> SessionState:
        now = self.now_s
        rings = None
        if self.ring_onset_s is not None:
            until = self.answer_s if self.answer_s is not None else now
            rings = max(0.0, until - self.ring_onset_s) / cadence(self.s.region).cycle_s
        return SessionState(phase="ringing" if self.phase == "ringing_requested" else self.phase, elapsed_s=now,
                            rings=rings, answer_s=self.answer_s, partial=self.partial,
                            transcript=tuple(self.entries), caller_speaking=self.caller_speaking,
                            line_number=self.line_index, lines_total=len(self.scenario.lines),
                            hold_kind=self.hold_kind, hold_s=max(0.0, now - self.hold_from) if self.hold_kind else 0.0,
                            hold_limit_s=self.s.hold_limit_s, mic_dbfs=self.mic_dbfs)

    def _emit(self, kind: str, text: str | None = None, *, at_s: float | None = None) -> None:
        self.notify(SessionEvent(kind, self.now_s if at_s is None else at_s, text), self._state())


# --------------------------------------------------------------------------- scoring


def score_session(result: SessionResult, *, engine=None, pack: RulePack | None = None, extra_packs=(),
                  retranscribe: bool = False):
    """Score a finished session like ``callcoach score`` scores a call.

    The recording is scored with :func:`callcoach.scoring.score_call` and the
    live transcript (or a fresh transcript of the recording when
    ``retranscribe``), with the exact ring onset. Adds findings for hanging up
    before the caller said goodbye and for 5W2H topics the scenario expected
    but the agent did not cover, and the session facts under
    ``signals["practice"]``.

    Returns
    -------
    callcoach.scoring.Scorecard

    Raises
    ------
    AudioError
        Nothing was recorded.
    """
    from .scoring import score_call

    if result.duration_s <= 0:
        raise AudioError("nothing was recorded", path=result.record_path)
    setup = result.setup
    if result.answer_s is not None:
        setup = replace(setup, answer_s=result.answer_s)  # the exact pick-up
    card = score_call(result.record_path, transcript=None if retranscribe else result.transcript, setup=setup,
                      pack=pack, engine=engine, extra_packs=extra_packs)
    zh = card.language == "zh"
    if result.ended_by == "agent" and not result.caller_said_goodbye:
        card.add_finding("hangup", "error", result.ended_s,
                         "You hung up before the caller said goodbye.",
                         "让客户先挂电话：先问“您还有其他事吗？”，道别后等对方挂机。" if zh else
                         "Ask \"Is there anything else I can help you with?\", say goodbye, "
                         "and let the caller hang up first.")
    if result.ended_by == "no_answer":
        card.add_finding("answer", "error", result.ended_s,
                         f"Nobody answered: the caller gave up after {result.ended_s - (result.ring_onset_s or 0):.0f} s.",
                         "Answer within three rings.")
    covered = set(card.checks["5w2h"].figures.get("covered", [])) if "5w2h" in card.checks else set()
    missing = [t for t in result.scenario.expected_topics if t not in covered]
    if missing and result.answer_s is not None:
        card.add_finding("scenario", "warning", None,
                         f"This scenario needs you to ask about or confirm: {', '.join(missing)} (5W2H).",
                         "按5W2H逐项问清：原因、事项、地点、时间、人员、方式、费用。" if zh else
                         "Work through 5W2H: why, what, where, when, who, how, how much.")
    card.signals["practice"] = result.to_dict()
    return card
