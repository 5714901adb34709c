"""Practice stage: turn taking and the hold timer, as a pure state machine.

:class:`TurnTaking` knows nothing of audio devices, threads or clocks: it is fed
what the session observes — recording time, whether the agent is speaking, the
silence since the agent's last speech, key presses, the ring and the caller's
lines starting and ending — and answers with :class:`Action` records (pick up,
play a line, start or end a hold, end the call). The session loop
(:mod:`callcoach.practice.session`) turns audio into these observations and the
actions into sound; the unit tests feed them directly.

Rules
-----
* Ringing: a key press or the agent's voice picks up (at the key's time, or
  where the speech began); nobody answering within the scenario's ring timeout
  ends the call (``no_answer``).
* The agent's turn has ended when the agent has spoken since the caller's last
  line and either ``turn_gap_s`` of silence followed, or the recogniser
  finalised an utterance (:meth:`TurnTaking.utterance_final`) and
  :data:`ENDPOINT_GAP_S` of silence followed. The session is then asked what
  the turn meant (a :class:`TurnReply`): a hold announcement starts the hold
  timer and the caller waits; otherwise the caller's chosen line plays after its
  pause (unless the agent starts speaking again first).
* Silence: when the caller has finished and the agent says nothing for
  :data:`SILENCE_TIMER_S`, an unannounced hold (``silence``) is timed from the
  end of the caller's line. Speech by the agent, or a caller line, ends a hold.
  :data:`HOLD_COUNTDOWN_S` before the limit the machine says ``hold_warn``,
  past the limit ``hold_over``.
* After the caller's goodbye line the caller hangs up once the agent's turn
  ends, or after :data:`GOODBYE_WAIT_S` if the agent stays silent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "TurnTaking",
    "Tick",
    "Action",
    "TurnReply",
    "Hold",
    "TURN_GAP_S",
    "ENDPOINT_GAP_S",
    "GOODBYE_WAIT_S",
    "SILENCE_TIMER_S",
    "HOLD_COUNTDOWN_S",
]

#: Silence after the agent's speech that ends the agent's turn, seconds.
TURN_GAP_S = 0.8
#: Silence that ends the turn when the recogniser's endpointer has already closed the utterance, seconds.
ENDPOINT_GAP_S = 0.5
#: The caller hangs up this long after saying goodbye when the agent says nothing more, seconds.
GOODBYE_WAIT_S = 6.0
#: Silence that starts the live silence timer (the agent "goes silent" while it is their turn), seconds.
SILENCE_TIMER_S = 1.5
#: The hold countdown starts this many seconds before the hold limit (5 s into a 7 s limit).
HOLD_COUNTDOWN_S = 2.0


@dataclass(frozen=True)
class Tick:
    """What the session observed up to ``now_s`` (seconds of recording).

    Attributes
    ----------
    now_s : float
    speaking : bool
        The agent's voice is active now (speech activity on the microphone).
    silence_s : float
        Seconds since the agent's speech last ended (0 while speaking).
    speech_from_s : float
        Where the agent's current speech began as far as activity has decided, seconds.
    answer_key_s, hang_up_key_s : float or None
        Recording time of a pick-up or hang-up key press, if one was pressed.
    """

    now_s: float
    speaking: bool = False
    silence_s: float = 0.0
    speech_from_s: float | None = None
    answer_key_s: float | None = None
    hang_up_key_s: float | None = None


@dataclass(frozen=True)
class Action:
    """What the machine decided, at ``at_s`` seconds of recording.

    ``kind`` is one of ``answered`` (value: "voice" or "key"), ``turn_end``,
    ``play`` (value: the caller line's number), ``hold_start`` (value:
    "announced" or "silence"), ``hold_warn``, ``hold_over``, ``hold_end``,
    ``end`` (value: who ended the call).
    """

    kind: str
    at_s: float
    value: object = None


@dataclass(frozen=True)
class TurnReply:
    """What the agent's finished turn leads to: a hold, or the caller's next line (or nothing: the caller waits)."""

    hold: bool = False
    line: int | None = None
    pause_s: float = 0.3


@dataclass(frozen=True)
class Hold:
    start_s: float
    end_s: float
    kind: str  # "announced" or "silence"

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


ReplyFn = Callable[[float], TurnReply]


@dataclass
class TurnTaking:
    """Turn taking and the hold timer of one call (see the module notes).

    Parameters
    ----------
    hold_limit_s : float
        The pack's hold limit, seconds.
    ring_timeout_s : float
        The caller gives up ringing after this long, seconds.
    turn_gap_s : float
        Silence that ends the agent's turn, seconds.
    """

    hold_limit_s: float
    ring_timeout_s: float = 60.0
    turn_gap_s: float = TURN_GAP_S
    phase: str = "waiting"  # waiting | ringing | call | ended
    ring_onset_s: float | None = None
    answer_s: float | None = None
    answered_by: str | None = None
    ended_by: str | None = None
    ended_s: float = 0.0
    caller_speaking: bool = False
    said_goodbye: bool = False
    goodbye_at_s: float | None = None
    hold_kind: str | None = None
    hold_from_s: float = 0.0
    holds: list[Hold] = field(default_factory=list)
    pending_line: tuple[float, int] | None = None
    agent_spoke: bool = False
    _endpoint: bool = False
    _quiet_since: float | None = None
    _warned: bool = False
    _over: bool = False

    # -- events from the session

    def ring_started(self, at_s: float) -> None:
        self.ring_onset_s = at_s
        if self.phase == "waiting":
            self.phase = "ringing"

    def utterance_final(self) -> None:
        """The recogniser closed an utterance of the agent (its endpointer)."""
        self._endpoint = True

    def line_started(self, at_s: float) -> list[Action]:
        self.caller_speaking = True
        return self._end_hold(at_s)

    def line_ended(self, at_s: float, *, goodbye: bool, agent_speaking: bool) -> None:
        self.caller_speaking = False
        self.agent_spoke = agent_speaking
        self._endpoint = False
        self._quiet_since = at_s
        if goodbye:
            self.said_goodbye = True
            self.goodbye_at_s = at_s

    def end(self, who: str, at_s: float) -> list[Action]:
        if self.ended_by is not None:
            return []
        self.ended_by, self.ended_s, self.phase = who, at_s, "ended"
        return [Action("end", at_s, who)]

    def finish(self, at_s: float) -> list[Action]:
        """The session is over: close an open hold."""
        return self._end_hold(at_s)

    @property
    def hold_s(self) -> float:
        """Seconds on the hold timer (0 when no hold is timed), as of the last step."""
        return max(0.0, self._now - self.hold_from_s) if self.hold_kind else 0.0

    _now: float = 0.0

    # -- one step

    def step(self, tick: Tick, reply: ReplyFn) -> list[Action]:
        """Advance to ``tick.now_s``; ``reply(now_s)`` is asked what a finished agent turn leads to."""
        self._now = tick.now_s
        if self.phase == "ended":
            return []
        if tick.hang_up_key_s is not None and self.phase in ("ringing", "call"):
            return self.end("agent", tick.hang_up_key_s)
        if self.phase == "ringing":
            return self._ringing(tick)
        if self.phase == "call":
            return self._talk(tick, reply)
        return []

    def _ringing(self, tick: Tick) -> list[Action]:
        onset = self.ring_onset_s or 0.0
        if tick.answer_key_s is not None:
            return self._pick_up("key", max(onset, tick.answer_key_s), False)
        if tick.speaking:
            # decisions trail the audio: the speech began about where the activity's undecided frames begin
            began = tick.now_s if tick.speech_from_s is None else min(tick.now_s, tick.speech_from_s)
            return self._pick_up("voice", max(onset, began), True)
        if tick.now_s - onset > self.ring_timeout_s:
            return self.end("no_answer", tick.now_s)
        return []

    def _pick_up(self, how: str, at_s: float, spoke: bool) -> list[Action]:
        self.phase, self.answered_by, self.answer_s = "call", how, at_s
        self.agent_spoke = spoke
        self._quiet_since = at_s
        return [Action("answered", at_s, how)]

    def _talk(self, tick: Tick, reply: ReplyFn) -> list[Action]:
        now = tick.now_s
        out: list[Action] = []
        if tick.speaking:
            self.agent_spoke = True
            self._quiet_since = None
            self.pending_line = None  # the agent went on talking: not the caller's turn yet
            began = now if tick.speech_from_s is None else min(now, tick.speech_from_s)
            out += self._end_hold(max(self.hold_from_s, began))
        if self.caller_speaking:
            return out
        if self.said_goodbye:  # hang up once the agent has answered the goodbye (or stayed silent)
            silent_too_long = not self.agent_spoke and now - (self.goodbye_at_s or now) > GOODBYE_WAIT_S
            if self._turn_ended(tick) or silent_too_long:
                out += self.end("caller", now)
            return out
        if self.pending_line is not None:
            start_at, number = self.pending_line
            if now >= start_at:
                self.pending_line = None
                self.caller_speaking = True  # until line_ended
                out.append(Action("play", now, number))
            return out
        if self._turn_ended(tick):
            self.agent_spoke = False
            self._endpoint = False
            out.append(Action("turn_end", now))
            answer = reply(now)
            if answer.hold:
                out += self._start_hold("announced", now - tick.silence_s)
                return out
            if answer.line is not None:
                self.pending_line = (now + answer.pause_s, answer.line)
            return out
        out += self._silence(now)
        return out

    def _turn_ended(self, tick: Tick) -> bool:
        if not self.agent_spoke or tick.speaking:
            return False
        if tick.silence_s >= self.turn_gap_s:
            return True
        return self._endpoint and tick.silence_s >= ENDPOINT_GAP_S

    # -- holds

    def _silence(self, now: float) -> list[Action]:
        if self.hold_kind == "announced":
            return self._check_hold(now)
        if self._quiet_since is not None and not self.agent_spoke and now - self._quiet_since >= SILENCE_TIMER_S:
            out = self._start_hold("silence", self._quiet_since) if self.hold_kind is None else []
            return out + self._check_hold(now)
        return []

    def _start_hold(self, kind: str, since: float) -> list[Action]:
        self.hold_kind, self.hold_from_s, self._warned, self._over = kind, since, False, False
        return [Action("hold_start", since, kind)]

    def _check_hold(self, now: float) -> list[Action]:
        held = now - self.hold_from_s
        out = []
        if not self._warned and held >= self.hold_limit_s - HOLD_COUNTDOWN_S:
            self._warned = True
            out.append(Action("hold_warn", now, self.hold_kind))
        if not self._over and held > self.hold_limit_s:
            self._over = True
            out.append(Action("hold_over", now, self.hold_kind))
        return out

    def _end_hold(self, at_s: float) -> list[Action]:
        if self.hold_kind is None:
            return []
        self.holds.append(Hold(self.hold_from_s, max(self.hold_from_s, at_s), self.hold_kind))
        kind, self.hold_kind = self.hold_kind, None
        return [Action("hold_end", at_s, kind)]
