"""Time and size of the batch report for many calls (default 10,000): calls.csv, agents.csv, the HTML pages.

    python benchmarks/bench_report.py [--calls 10000] [--agents 40] [--keep DIR]

Scores the bundled sample ``samples/zh_good_repair.wav`` once (with its
transcript), then writes its result document N times into a results folder as
a batch would (each with its own file name, key, agent and score), and times
``callcoach.report.write_report`` over them: reading every JSON, one HTML page
per call, the paged index and the agents' pages. Prints the time, the peak
memory of this process and the size of the largest HTML page. No assertions.
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=10000)
    ap.add_argument("--agents", type=int, default=40)
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()

    from callcoach.report import write_report
    from callcoach.scoring import CallSetup, score_call
    from callcoach.storage import read_json, write_atomic

    sample = REPO / "samples" / "zh_good_repair"
    card = score_call(
        sample.with_suffix(".wav"),
        transcript_path=sample.with_suffix(".srt"),
        setup=CallSetup(company="星河物业", agent="李明"),
    ).to_dict()
    out = args.keep or Path(tempfile.mkdtemp(prefix="bench-report-"))
    calls = out / "calls"
    calls.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    paths = []
    for i in range(args.calls):
        doc = copy.deepcopy(card)
        doc["file"] = f"/recordings/2024-05-01/agent{i % args.agents:02d}/call{i:05d}.wav"
        doc["agent"] = f"坐席{i % args.agents:02d}"
        doc["score"] = float(50 + (i * 37) % 51)
        doc["batch"] = {"key": f"call{i:05d}-{i:010x}"}
        path = calls / f"{doc['batch']['key']}.json"
        write_atomic(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        paths.append(path)
    made_s = time.perf_counter() - started
    json_mb = sum(p.stat().st_size for p in paths) / 2**20
    print(f"{args.calls} result documents ({json_mb:.0f} MB of JSON, {made_s:.0f} s to write) in {out}", flush=True)
    started, cpu_started = time.perf_counter(), time.process_time()
    files = write_report(out, (read_json(p) for p in paths))
    report_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    html = sorted(out.glob("*.html"), key=lambda p: p.stat().st_size)
    call_pages = list(calls.glob("*.html"))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"write_report: {report_s:.0f} s wall, {cpu_s:.0f} s CPU ({1000 * cpu_s / args.calls:.1f} ms of CPU a call), "
        f"peak memory {peak_mb:.0f} MB"
    )
    print(
        f"index.html {files.index.stat().st_size / 2**10:.0f} KB; {len(html)} index/agent/calls pages, largest "
        f"{html[-1].name} {html[-1].stat().st_size / 2**10:.0f} KB; {len(call_pages)} call pages "
        f"({sum(p.stat().st_size for p in call_pages) / 2**20:.0f} MB); calls.csv "
        f"{(out / 'calls.csv').stat().st_size / 2**20:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
