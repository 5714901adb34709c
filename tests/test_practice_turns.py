"""Turn taking and the hold timer of a practice call, fed (time, speech?, silence, keys) directly."""

from __future__ import annotations

from callcoach.practice import Tick, TurnReply, TurnTaking
from callcoach.practice.turns import ENDPOINT_GAP_S, GOODBYE_WAIT_S, SILENCE_TIMER_S

STEP_S = 0.1


class Agent:
    """Drives a machine through time: the agent speaks in the given spans, the session answers turns."""

    def __init__(self, machine: TurnTaking, speech: list[tuple[float, float]], reply=None):
        self.m = machine
        self.speech = speech
        self.reply = reply or (lambda now: TurnReply(line=None))
        self.actions: list = []
        self.now = 0.0

    def speaking(self, t: float) -> bool:
        return any(a <= t < b for a, b in self.speech)

    def silence(self, t: float) -> float:
        ended = [b for a, b in self.speech if b <= t]
        return 0.0 if self.speaking(t) else t - max(ended, default=0.0)

    def run(self, until_s: float, **keys) -> list:
        while self.now < until_s - 1e-9:
            self.now = round(self.now + STEP_S, 6)
            started = [a for a, b in self.speech if a <= self.now < b]
            tick = Tick(
                now_s=self.now,
                speaking=self.speaking(self.now),
                silence_s=self.silence(self.now),
                speech_from_s=started[0] if started else None,
                **{k: v for k, v in keys.items() if v is not None and v <= self.now},
            )
            got = self.m.step(tick, self.reply)
            self.actions += got
            for a in got:
                if a.kind == "play":  # the line plays for 2 s
                    self.actions += self.m.line_started(a.at_s)
                    self._line_end = a.at_s + 2.0
            if getattr(self, "_line_end", None) is not None and self.now >= self._line_end:
                self.m.line_ended(self._line_end, goodbye=False, agent_speaking=self.speaking(self.now))
                self._line_end = None
        return self.actions

    def kinds(self) -> list[str]:
        return [a.kind for a in self.actions]


def _machine(**kw) -> TurnTaking:
    m = TurnTaking(hold_limit_s=7.0, ring_timeout_s=30.0, **kw)
    m.ring_started(0.5)
    return m


def test_voice_picks_up_where_the_speech_began_and_the_turn_ends_after_the_gap():
    m = _machine()
    asked = []
    agent = Agent(m, [(6.0, 8.0)], reply=lambda now: asked.append(now) or TurnReply(line=1, pause_s=0.3))
    agent.run(12.0)
    answered = [a for a in agent.actions if a.kind == "answered"]
    assert answered and answered[0].value == "voice" and answered[0].at_s == 6.0
    assert m.answer_s == 6.0 and m.phase == "call"
    assert len(asked) == 1 and abs(asked[0] - (8.0 + m.turn_gap_s)) < STEP_S + 1e-9  # 0.8 s after the speech
    play = [a for a in agent.actions if a.kind == "play"]
    assert play and play[0].value == 1 and abs(play[0].at_s - (asked[0] + 0.3)) < STEP_S + 1e-9


def test_the_endpointer_shortens_the_turn_gap():
    m = _machine()
    asked = []
    agent = Agent(m, [(2.0, 4.0)], reply=lambda now: asked.append(now) or TurnReply())
    agent.run(4.0)
    m.utterance_final()
    agent.run(6.0)
    assert abs(asked[0] - (4.0 + ENDPOINT_GAP_S)) < STEP_S + 1e-9


def test_a_key_picks_up_at_the_key_time_and_hang_up_ends_the_call():
    m = _machine()
    agent = Agent(m, [])
    agent.run(3.0)
    agent.run(4.0, answer_key_s=3.25)
    assert m.answered_by == "key" and m.answer_s == 3.25
    agent.run(6.0, answer_key_s=3.25, hang_up_key_s=5.5)
    assert m.ended_by == "agent" and m.ended_s == 5.5
    assert agent.kinds()[-1] == "end"
    assert m.step(Tick(now_s=7.0), agent.reply) == []  # nothing after the end


def test_nobody_answers_within_the_ring_timeout():
    m = _machine()
    agent = Agent(m, [])
    agent.run(31.0)
    assert m.ended_by == "no_answer" and 30.5 < m.ended_s <= 30.7


def test_silence_after_the_caller_starts_the_hold_timer_with_countdown_and_over_limit():
    m = _machine()
    agent = Agent(m, [(2.0, 3.0), (13.5, 15.0)], reply=lambda now: TurnReply(line=1, pause_s=0.0))
    agent.run(19.0)  # the second line ends at 17.8: its silence timer would start at 19.3
    play = next(a for a in agent.actions if a.kind == "play")
    assert 3.0 + m.turn_gap_s - 1e-9 <= play.at_s <= 3.0 + m.turn_gap_s + 2 * STEP_S + 1e-9
    line_end = play.at_s + 2.0  # the line plays 2 s
    start = [a for a in agent.actions if a.kind == "hold_start"]
    assert len(start) == 1 and start[0].value == "silence" and abs(start[0].at_s - line_end) < STEP_S + 1e-9
    warn = next(a for a in agent.actions if a.kind == "hold_warn")
    over = next(a for a in agent.actions if a.kind == "hold_over")
    assert abs(warn.at_s - (line_end + 5.0)) < STEP_S + 1e-9  # the countdown from 5 s
    assert 0 < over.at_s - (line_end + 7.0) <= STEP_S + 1e-9  # past 7 s
    end = next(a for a in agent.actions if a.kind == "hold_end")
    assert end.at_s == 13.5  # the agent's voice ends it
    assert [(round(h.start_s, 1), h.end_s, h.kind) for h in m.holds] == [(round(line_end, 1), 13.5, "silence")]


def test_an_announced_hold_waits_for_the_agent_and_the_caller_does_not_speak():
    m = _machine()
    replies = iter([TurnReply(hold=True), TurnReply(line=2)])
    agent = Agent(m, [(2.0, 3.0), (8.0, 9.0)], reply=lambda now: next(replies))
    agent.run(7.9)
    assert m.hold_kind == "announced" and abs(m.hold_from_s - 3.0) < STEP_S + 1e-9
    assert "play" not in agent.kinds() and "hold_warn" not in agent.kinds()
    assert abs(m.hold_s - 4.9) < STEP_S + 1e-9
    agent.run(11.0)
    assert m.holds[0].kind == "announced" and abs(m.holds[0].duration_s - 5.0) < STEP_S + 1e-9
    assert agent.kinds().count("play") == 1  # after the return, the caller goes on


def test_the_agent_going_on_talking_cancels_the_callers_pending_line():
    m = _machine()
    agent = Agent(m, [(2.0, 3.0), (4.0, 5.0)], reply=lambda now: TurnReply(line=1, pause_s=1.0))
    agent.run(4.5)
    assert m.pending_line is None and "play" not in agent.kinds()  # 3.8 + 1.0 > 4.0: the agent spoke first
    agent.run(7.5)
    assert agent.kinds().count("play") == 1


def test_after_the_goodbye_the_caller_hangs_up_when_the_agent_is_done_or_silent():
    m = _machine()
    agent = Agent(m, [(1.0, 2.0)])
    agent.run(2.0)
    m.line_ended(2.5, goodbye=True, agent_speaking=False)
    agent.speech.append((3.0, 4.0))
    agent.run(5.0)
    assert m.ended_by == "caller" and abs(m.ended_s - (4.0 + m.turn_gap_s)) < STEP_S + 1e-9

    silent = _machine()
    agent = Agent(silent, [(1.0, 2.0)])
    agent.run(2.0)
    silent.line_ended(2.5, goodbye=True, agent_speaking=False)
    agent.run(2.5 + GOODBYE_WAIT_S + 0.5)
    assert silent.ended_by == "caller" and silent.ended_s > 2.5 + GOODBYE_WAIT_S


def test_the_silence_timer_needs_its_own_delay_and_a_caller_line_ends_the_hold():
    m = _machine()
    agent = Agent(m, [(1.0, 2.0)])
    agent.run(2.0)
    m.line_ended(2.0, goodbye=False, agent_speaking=False)
    agent.run(2.0 + SILENCE_TIMER_S - 0.2)
    assert m.hold_kind is None
    agent.run(2.0 + SILENCE_TIMER_S + 0.1)
    assert m.hold_kind == "silence"
    ended = m.line_started(5.0)
    assert [a.kind for a in ended] == ["hold_end"] and m.holds[-1].end_s == 5.0
