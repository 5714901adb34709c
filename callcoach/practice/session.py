"""Practice stage: the session loop — streams, the stream clock, listening, and the call's record.

:class:`PracticeSession` opens two PortAudio streams (through :mod:`sounddevice`):
one input (the agent's microphone) and one output (the headset). A duplex
stream would be simpler, but duplex ALSA streams through PulseAudio's ALSA
plug-in stall, so the two run separately and are aligned on PortAudio's stream
clock. The microphone is the master clock of the recording (its sample count is
exact); the time of its first sample is the earliest "callback time minus
samples delivered" seen (PortAudio's own ADC times are unreliable while a
PulseAudio stream starts). Every block sent to the headset carries the time it
will be heard (PortAudio's DAC time) and is placed on the recording's timeline
there. The ring onset, the pick-up and every caller line are therefore known in
recording time; with a headset looped back into the microphone, the ring on both
channels lines up to within a few hundredths of a second (tested).

Every microphone block is recorded, fed to speech activity and the recogniser,
and then one step of :class:`~callcoach.practice.turns.TurnTaking` decides what
happens; :class:`~callcoach.practice.caller.Caller` chooses the caller's lines
and :class:`~callcoach.practice.coach.LiveCoach` the hints on screen. The
headset's marks (ring start, a caller line starting or ending) are applied when
listening reaches their recording time, not when the output stream reports
them: on a busy CPU listening falls behind the recording, and the state machine
must see a caller's line end after the agent's speech heard before it.
:class:`~callcoach.practice.keepup.KeepingUp` tells a stopped microphone from a
paused computer and counts the audio lost.
"""

from __future__ import annotations

import heapq
import itertools
import queue
import threading
import time
from collections import deque
from pathlib import Path

import numpy as np
import soxr

from ..cadences import cadence, ringback_signal
from ..errors import DeviceError
from ..live_activity import ActivityTracker
from ..packs import RulePack, load_pack
from ..rules.base import CallSetup
from ..scenarios import Scenario, speak_line
from ..textmatch import CueSet
from ..transcribe import join_words
from ..transcript import Transcript, Turn
from .caller import Caller
from .clock import StreamClock
from .coach import LiveCoach
from .devices import resolve_device, sounddevice_module
from .keepup import INPUT_STALL_S, INPUT_WAIT_S, KeepingUp
from .playout import Playout
from .recording import PlayedTrack, RecordingWriter
from .records import EventFn, PracticeOptions, SessionEvent, SessionResult, SessionState
from .turns import Action, Tick, TurnReply, TurnTaking

__all__ = ["PracticeSession", "BLOCK_S", "OUT_BLOCK_S"]

#: Seconds per audio block (microphone, recording, recogniser): a word waits on average half a block
#: before the recogniser sees it (0.1 -> 0.05 s: about 0.025 s less lag, benchmarks/bench_live_latency.py).
BLOCK_S = 0.05
#: Seconds of microphone audio per step of speech activity: the tracker's live decisions are made on
#: 0.1 s steps (with shorter steps it takes the ring's tone, heard back through a headset, for speech).
ACTIVITY_BLOCK_S = 0.1
#: Seconds per headset block: what is handed to the device is committed, so a ring or a caller line
#: stops at most about two of these after the agent picks up or hangs up.
OUT_BLOCK_S = 0.05
#: Longest wait for the headset stream to run steadily before ringing anyway, seconds.
OUTPUT_WARMUP_S = 3.0
#: Microphone audio heard before the ring starts (settles the clock and the noise floor), seconds.
WARMUP_INPUT_S = 0.5


class PracticeSession:
    """One rehearsal call.

    Parameters
    ----------
    scenario : Scenario
    engine : callcoach.transcribe.Engine
        A loaded Vosk model for the live transcript.
    options : PracticeOptions
    pack : RulePack, optional
        Hold cues and limit, the rules behind the live hints; default: the bundled pack of the call's language.

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
        self.hold_cues = CueSet(self.pack["hold"]["announce"], self.language)
        self._answer_key = threading.Event()
        self._hangup_key = threading.Event()
        self._stop = threading.Event()
        self._key_times: dict[str, float] = {}
        self.clips: dict[int, np.ndarray] = {}
        self._clips_rate: int | None = None

    @property
    def setup(self) -> CallSetup:
        """Company, agent, language and region of the call (the options win over the scenario)."""
        sc = self.scenario
        return CallSetup(
            company=self.options.company or sc.company,
            agent=self.options.agent or sc.agent,
            language=self.language,
            region=self.region,
            layout="stereo",
            agent_channel="left",
        )

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

    def key_time(self, key: str) -> float | None:
        """Monotonic time of a key press, or None."""
        return (
            self._key_times.get(key) if (self._answer_key if key == "answer" else self._hangup_key).is_set() else None
        )

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    # -- preparation

    def prepare(self, samplerate: int) -> None:
        """Synthesise or load every caller line and reaction at ``samplerate`` (Hz) before the call starts.

        Raises
        ------
        ConfigError
            A line cannot be spoken (espeak-ng missing or failing) or its WAV read.
        """
        if self._clips_rate == samplerate:
            return
        LiveCoach(self.pack, self.language, self.setup).warm_up()
        self.clips = {
            line.number: speak_line(line, samplerate, scenario_path=self.scenario.path)
            for line in self.scenario.lines + self.scenario.reactions
        }
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
            streams.append(
                sd.InputStream(
                    device=in_dev,
                    channels=1,
                    samplerate=rate,
                    blocksize=block,
                    dtype="float32",
                    latency="low",
                    callback=on_input,
                )
            )
            streams.append(
                sd.OutputStream(
                    device=out_dev,
                    channels=out_channels,
                    samplerate=rate,
                    blocksize=int(round(OUT_BLOCK_S * rate)),
                    dtype="float32",
                    latency="low",
                    callback=on_output,
                )
            )
            for stream in streams:
                stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            for stream in streams:
                stream.close()
            which, dev = ("input", in_dev) if len(streams) == 0 else ("output", out_dev)
            raise DeviceError(
                f"cannot open the {which} device {sd.query_devices(dev)['name']!r}: {exc} "
                "(busy or unplugged? see `callcoach devices`)"
            ) from None
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
        sd = sounddevice_module()
        notify = on_event or (lambda event, state: None)
        in_dev = resolve_device(self.options.input_device, "input")
        out_dev = resolve_device(self.options.output_device, "output")
        rate = self._choose_rate(sd, in_dev, out_dev)
        self.prepare(rate)
        playout = Playout(rate, ringback_signal(self.region, cadence(self.region).cycle_s, rate))
        in_q: queue.Queue = queue.Queue()
        out_q: queue.Queue = queue.Queue()
        keeping_up = KeepingUp()

        def on_input(indata, frames, t, status):  # PortAudio thread
            keeping_up.callback_status(status)
            in_q.put((t.currentTime, time.monotonic(), indata[:, 0].copy()))

        def on_output(outdata, frames, t, status):  # PortAudio thread
            keeping_up.callback_status(status)
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
                return _Call(self, playout, writer, rate, notify, keeping_up).run(in_q, out_q)
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
    """One running call: audio in and out, the live transcript, and the decisions (see the module notes)."""

    def __init__(
        self,
        session: PracticeSession,
        playout: Playout,
        writer: RecordingWriter,
        rate: int,
        notify: EventFn,
        keeping_up: KeepingUp | None = None,
    ):
        self.s = session
        self.keeping_up = KeepingUp() if keeping_up is None else keeping_up  # also told by the PortAudio callbacks
        self.scenario = session.scenario
        self.playout, self.writer, self.rate, self.notify = playout, writer, rate, notify
        engine = session.engine
        self.asr_rate = int(engine.samplerate)
        self.resampler = None if rate == self.asr_rate else soxr.ResampleStream(rate, self.asr_rate, 1, dtype="float32")
        self.recogniser = engine.recognizer("agent")
        self.tracker = ActivityTracker(rate)
        self._activity: list[np.ndarray] = []  # microphone blocks not yet given to the activity tracker
        self.track = PlayedTrack()
        self.clock = StreamClock(rate, OUT_BLOCK_S)
        self.turns = TurnTaking(
            hold_limit_s=session.hold_limit_s,
            ring_timeout_s=self.scenario.ring_timeout_s,
            turn_gap_s=session.options.turn_gap_s,
        )
        self.caller = Caller(self.scenario)
        self.coach = LiveCoach(session.pack, session.language, session.setup)
        self.pos = 0  # samples recorded
        self.done = 0  # samples listened to (recognised, tracked)
        self.starting = "starting"  # starting | ring_requested | done
        self.answer_refined = False
        self.agent_turns: list[Turn] = []
        self.turn_start_index = 0  # first agent utterance of the agent's current turn
        self.entries: list[tuple[str, float, str]] = []
        self.lines_played: list[tuple[int, float, float]] = []
        self.line_started: dict[int, float] = {}
        self.started_mono = time.monotonic()
        self.mic_dbfs = -120.0
        self.partial = ""
        self.utterance_from_s: float | None = None
        self.speech_from_s: float | None = None  # the agent's ongoing speech (for interruptions)
        self._marks: list[tuple[float, int, str, object]] = []  # headset marks not yet listened to (a heap)
        self._mark_order = itertools.count()  # ties keep the order the headset reported them in

    @property
    def now_s(self) -> float:
        """Recording time up to which the microphone has been listened to, seconds."""
        return self.done / self.rate

    # -- the loop

    def run(self, in_q: queue.Queue, out_q: queue.Queue) -> SessionResult:
        backlog: deque[np.ndarray] = deque()  # recorded, not yet listened to
        alive = self.keeping_up
        alive.beat()
        try:
            while self.turns.ended_by is None:
                began = time.monotonic()
                try:
                    batch = [in_q.get(timeout=INPUT_WAIT_S)]
                except queue.Empty:
                    alive.waited(time.monotonic() - began)
                    if alive.device_stalled:
                        raise DeviceError(
                            "no audio from the input device for "
                            f"{INPUT_STALL_S:g} s (unplugged or used by another program?)"
                        ) from None
                    self._drain_output(out_q)
                    continue
                alive.heard()
                self._arrived(batch, in_q, out_q, backlog)
                while backlog and self.turns.ended_by is None:
                    self._listen(backlog.popleft())
                    alive.beat()
                    self._due_marks(self.now_s)
                    self._step()
                    if self.s.stopped:
                        self._apply(self.turns.end("stopped", self.now_s))
                    # what arrived while listening is recorded at once: on a busy CPU the live transcript
                    # may fall behind, the recording does not
                    self._arrived([], in_q, out_q, backlog)
                self._emit("tick")
        except KeyboardInterrupt:
            self._apply(self.turns.end("interrupted", self.now_s))
        self._finish()
        return self._result()

    def _arrived(self, batch: list, in_q: queue.Queue, out_q: queue.Queue, backlog: deque) -> None:
        """Record every microphone block that has arrived (placing the clock first); queue it for listening."""
        while True:
            try:
                batch.append(in_q.get_nowait())
            except queue.Empty:
                break
        if not batch:
            return
        if self.clock.place_input(self.pos, batch):
            self._emit("recording", str(self.writer.path), at_s=0.0)
        self._drain_output(out_q)
        for *_, block in batch:
            self._record(block)
            backlog.append(block)

    def _drain_output(self, out_q: queue.Queue) -> None:
        while True:
            try:
                pa_now, dac, mono, samples, marks = out_q.get_nowait()
            except queue.Empty:
                return
            position = self.clock.place_output(pa_now, dac, mono, len(samples))
            if position is None:
                continue
            self.track.add(position, samples)
            for offset, kind, tag in marks:
                heapq.heappush(self._marks, ((position + offset) / self.rate, next(self._mark_order), kind, tag))

    def _due_marks(self, until_s: float) -> None:
        """Apply the headset's marks up to ``until_s`` (recording time listened to), in time order."""
        while self._marks and self._marks[0][0] <= until_s:
            at_s, _, kind, tag = heapq.heappop(self._marks)
            self._mark(at_s, kind, tag)

    def _record(self, block: np.ndarray) -> None:
        right = self.track.take(self.pos, len(block))
        self.writer.write(block, right)
        self.pos += len(block)

    def _listen(self, block: np.ndarray) -> None:
        start_s = self.done / self.rate
        self.done += len(block)
        energy = float(np.mean(block.astype(np.float64) ** 2)) if len(block) else 0.0
        self.mic_dbfs = 10 * np.log10(energy + 1e-12)
        self._activity.append(block)
        if sum(len(b) for b in self._activity) >= int(round(ACTIVITY_BLOCK_S * self.rate)):
            for seg in self.tracker.feed(np.concatenate(self._activity)):
                self._segment(seg)
            self._activity.clear()
        self._speech_span()
        signal = block if self.resampler is None else self.resampler.resample_chunk(block)
        if len(signal):
            turns = self.recogniser.feed(signal, start_s)
            if turns:
                self._agent_turns(turns)
                self.turns.utterance_final()
        partial = self.recogniser.partial
        if partial and not self.partial:
            self.utterance_from_s = min(self.now_s, self.speech_from_s or self.now_s)
        if partial and partial != self.partial and self.turns.phase == "call":
            self.coach.utterance(
                partial, self.utterance_from_s or self.now_s, self.now_s, final=False, now_s=self.now_s
            )
        self.partial = partial

    def _speech_span(self) -> None:
        """The agent's speech as the activity tracker sees it, for the interruption hint."""
        speaking = self.tracker.in_speech
        if speaking and self.speech_from_s is None:
            self.speech_from_s = min(self.now_s, self.tracker.decided_s)
        elif not speaking and self.speech_from_s is not None:
            self.coach.agent_speech(self.speech_from_s, max(self.speech_from_s, self.now_s - self.tracker.silence_s))
            self.speech_from_s = None
        if self.speech_from_s is not None:
            self.coach.agent_speech(self.speech_from_s, None, now_s=self.now_s)

    def _segment(self, seg) -> None:
        """A finished stretch of the agent's speech: the first one after ringing is the exact pick-up."""
        t = self.turns
        if t.answered_by != "voice" or self.answer_refined or t.ring_onset_s is None or t.answer_s is None:
            return
        if seg.end_s >= t.ring_onset_s and t.answer_s - 1.5 <= seg.start_s <= t.answer_s + 0.5:
            t.answer_s = max(t.ring_onset_s, seg.start_s)
            self.answer_refined = True

    def _agent_turns(self, turns: list[Turn]) -> None:
        for turn in turns:
            if not turn.text.strip():
                continue
            self.agent_turns.append(turn)
            self.entries.append(("agent", turn.start_s, turn.text))
            if self.turns.phase in ("call", "ended"):
                self.coach.utterance(turn.text, turn.start_s, turn.end_s, final=True, now_s=self.now_s)
            self._emit("agent_turn", turn.text)
        self.utterance_from_s = None

    # -- marks from the headset

    def _mark(self, at_s: float, kind: str, tag) -> None:
        if kind == "ring_start":
            self.turns.ring_started(at_s)
            self.starting = "done"
            self._emit("ringing", at_s=at_s)
        elif kind == "line_start":
            self.line_started[tag] = at_s
            line = self.scenario.line(tag)
            text = line.text or f"(line {tag})"
            self.entries.append(("customer", at_s, text))
            self.coach.caller_line(tag, at_s, None, text)
            self._emit("caller_line", text, at_s=at_s)
            self._apply(self.turns.line_started(at_s))
        elif kind == "line_end":
            start = self.line_started.get(tag, at_s)
            self.lines_played.append((tag, start, at_s))
            line = self.scenario.line(tag)
            self.coach.caller_line(tag, start, at_s, line.text or "")
            self.turns.line_ended(at_s, goodbye=line.goodbye, agent_speaking=self.tracker.in_speech)
            self.turn_start_index = len(self.agent_turns)
            self._emit("caller_done", at_s=at_s)

    # -- decisions, once per block

    def _step(self) -> None:
        now = self.now_s
        if self.s.options.max_seconds is not None and now >= self.s.options.max_seconds:
            self._apply(self.turns.end("time_limit", now))
            return
        if self.starting == "starting":
            steady = self.clock.out_steady >= 3 or time.monotonic() - self.started_mono > OUTPUT_WARMUP_S
            if steady and now >= WARMUP_INPUT_S and not self.playout.busy:
                self.playout.start_ring()
                self.starting = "ring_requested"
            return
        if self.starting == "ring_requested":
            return  # waiting for the ring_start mark from the headset
        tick = Tick(
            now_s=now,
            speaking=self.tracker.in_speech,
            silence_s=self.tracker.silence_s,
            speech_from_s=self.tracker.decided_s,
            answer_key_s=self.clock.key_time(self.s.key_time("answer"), now),
            hang_up_key_s=self.clock.key_time(self.s.key_time("hang_up"), now),
        )
        self._apply(self.turns.step(tick, self._reply))
        self._coach(now)

    def _coach(self, now: float) -> None:
        hint = self.coach.step(now)
        if hint is not None:
            self._emit("hint", hint.text, at_s=hint.at_s)

    def _reply(self, now: float) -> TurnReply:
        """The agent's turn has ended: a hold announcement, or the caller's reply to it."""
        self._agent_turns(self.recogniser.end_utterance())
        this_turn = self.agent_turns[self.turn_start_index :]
        self.turn_start_index = len(self.agent_turns)
        heard = join_words([t.text for t in this_turn], self.s.language)
        if heard and self.s.hold_cues.find(heard):
            return TurnReply(hold=True)
        start_s = this_turn[0].start_s if this_turn else now
        holds = self.turns.holds
        long_hold = bool(holds) and holds[-1].end_s >= start_s - 1.0 and holds[-1].duration_s > self.s.hold_limit_s
        facts = self.coach.turn_facts(now, heard, start_s, long_hold=long_hold)
        line = self.caller.next_line(facts)
        return TurnReply(line=None if line is None else line.number, pause_s=0.3 if line is None else line.pause_s)

    def _apply(self, actions: list[Action]) -> None:
        for action in actions:
            if action.kind == "answered":
                self.playout.stop_ring()
                self.turn_start_index = len(self.agent_turns)
                self.coach.answered(action.at_s)
                self._emit("answered", str(action.value), at_s=action.at_s)
            elif action.kind == "play":
                number = int(action.value)  # type: ignore[call-overload]
                self.caller.played(number)
                self.playout.play(self.s.clips[number], number)
            elif action.kind == "end":
                self.playout.stop_ring()
                self.playout.cancel_clip()
            elif action.kind.startswith("hold_"):
                held = max(0.0, action.at_s - self.turns.hold_from_s)
                self.coach.hold(action.kind, action.at_s, str(action.value), held, self.s.hold_limit_s)
                self._emit(action.kind, str(action.value), at_s=action.at_s)

    # -- ending

    def _finish(self) -> None:
        self._due_marks(self.now_s)
        if self.turns.ended_by is None:
            self._apply(self.turns.end("error", self.now_s))
        self._apply(self.turns.finish(self.now_s))
        if self._activity:
            for seg in self.tracker.feed(np.concatenate(self._activity)):
                self._segment(seg)
            self._activity.clear()
        for seg in self.tracker.flush():
            self._segment(seg)
        self._agent_turns(self.recogniser.finish())
        self._coach(self.now_s)
        for number, start in self.line_started.items():  # a line cut by the hang-up
            if all(n != number for n, _, _ in self.lines_played):
                self.lines_played.append((number, start, max(start, min(self.now_s, self.turns.ended_s))))
        self._emit("ended", self.turns.ended_by)

    def _result(self) -> SessionResult:
        t = self.turns
        turns = list(self.agent_turns)
        for number, start, end in sorted(self.lines_played, key=lambda x: x[1]):
            text = self.scenario.line(number).text
            if text:
                turns.append(Turn(speaker="customer", start_s=start, end_s=max(start, end), text=text))
        transcript = Transcript(
            turns=tuple(turns),
            language=self.s.language,
            duration_s=self.writer.duration_s,
            source=f"practice:vosk:{Path(str(self.s.engine.path)).name}",
        )
        setup = CallSetup(**{**self.s.setup.__dict__, "ring_onset_s": t.ring_onset_s})
        return SessionResult(
            record_path=self.writer.path,
            samplerate=self.rate,
            duration_s=self.writer.duration_s,
            scenario=self.scenario,
            setup=setup,
            ring_onset_s=t.ring_onset_s,
            answer_s=t.answer_s,
            answered_by=t.answered_by,
            ended_by=t.ended_by or "error",
            ended_s=t.ended_s,
            caller_said_goodbye=t.said_goodbye,
            transcript=transcript,
            lines=sorted(self.lines_played, key=lambda x: x[1]),
            holds=[(h.start_s, h.end_s, h.kind) for h in t.holds],
            hints=[h.to_dict() for h in self.coach.shown],
            caller_turns=list(self.caller.decisions),
            dropouts=self.keeping_up.summary(),
            output_latency_s=self.clock.output_latency_s,
        )

    # -- reporting

    def _state(self) -> SessionState:
        now, t = self.now_s, self.turns
        rings = None
        if t.ring_onset_s is not None:
            until = t.answer_s if t.answer_s is not None else now
            rings = max(0.0, until - t.ring_onset_s) / cadence(self.s.region).cycle_s
        phase = t.phase if self.starting == "done" else "starting"
        if phase == "waiting":
            phase = "ringing"
        hint = self.coach.on_screen
        return SessionState(
            phase=phase,
            elapsed_s=now,
            rings=rings,
            answer_s=t.answer_s,
            partial=self.partial,
            transcript=tuple(self.entries),
            caller_speaking=t.caller_speaking,
            line_number=len(self.caller.said),
            lines_total=len(self.scenario.lines),
            hold_kind=t.hold_kind,
            hold_s=max(0.0, now - t.hold_from_s) if t.hold_kind else 0.0,
            hold_limit_s=self.s.hold_limit_s,
            mic_dbfs=self.mic_dbfs,
            hint=None if hint is None else hint.text,
            hint_severity=None if hint is None else hint.severity,
            language=self.s.language,
        )

    def _emit(self, kind: str, text: str | None = None, *, at_s: float | None = None) -> None:
        self.notify(SessionEvent(kind, self.now_s if at_s is None else at_s, text), self._state())
