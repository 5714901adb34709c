"""Accuracy on the bundled samples: what callcoach measures against what the generator knows.

    python benchmarks/bench_accuracy.py [--samples samples/] [--json OUT.json]

Scores every call in ``samples/manifest.csv`` the way ``callcoach batch
--manifest`` would (company, agent, ring time and layout from the manifest;
the sample's SRT as transcript) and prints, per sample, a table of each figure
— answer time, rings, ringback region, every hold's start and end, pace, the
introduction facts, the 5W2H topics and every check's status — with the truth
written by ``samples/make_samples.py``, the measured value, the error and
whether it is within issue 3's tolerance (answer and hold edges ±0.5 s, pace
±10 %, the rest exact). A summary line counts the figures out of tolerance.
It is a measurement, not a test: it always exits 0 (tests/test_samples.py
asserts the same tolerances).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from callcoach.batch import read_manifest  # noqa: E402
from callcoach.scoring import CallSetup, score_call  # noqa: E402

TIME_TOLERANCE_S = 0.5
PACE_TOLERANCE = 0.10
CHECKS = ("answer", "introduction", "hold", "pace", "5w2h")


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple, set)):
        return ",".join(str(v) for v in value) or "(none)"
    return str(value)


def compare(card: dict, truth: dict) -> list[tuple[str, object, object, str, bool]]:
    """Rows of (figure, truth, measured, error, within tolerance) for one call."""
    rows = []
    checks = card["checks"]

    def timed(label: str, want: float | None, got: float | None, tolerance: float, unit: str = "s") -> None:
        if want is None or got is None:
            rows.append((label, want, got, "", want is None and got is None))
        else:
            error = got - want
            rows.append((label, want, got, f"{error:+.2f} {unit}", abs(error) <= tolerance))

    def exact(label: str, want, got) -> None:
        rows.append((label, want, got, "" if want == got else "differs", want == got))

    answer = checks["answer"]
    timed("answer_s", truth["answer"]["answer_s"], answer["answer_s"], TIME_TOLERANCE_S)
    cycle = truth["answer"]["cycle_s"]
    timed(
        "rings",
        truth["answer"]["rings"],
        answer["rings"],
        TIME_TOLERANCE_S / cycle + 0.01 if cycle else 0.0,
        unit="rings",
    )
    exact("ringback", truth["answer"]["region"], answer["ringback"])
    found = checks["hold"]["holds"]
    exact("holds", len(truth["holds"]), len(found))
    for i, placed in enumerate(truth["holds"]):
        got = found[i] if i < len(found) else {}
        timed(f"hold {i + 1} start_s", placed["start_s"], got.get("start_s"), TIME_TOLERANCE_S)
        timed(f"hold {i + 1} end_s", placed["end_s"], got.get("end_s"), TIME_TOLERANCE_S)
        exact(f"hold {i + 1} announced", placed["announced"], got.get("announced"))
        exact(f"hold {i + 1} acknowledged", placed["acknowledged"], got.get("acknowledged"))
    want_rate, got_rate = truth["pace"]["rate"], checks["pace"]["rate"]
    if want_rate is None or got_rate is None:
        rows.append(("pace " + truth["pace"]["unit"], want_rate, got_rate, "", want_rate == got_rate))
    else:
        error = (got_rate - want_rate) / want_rate
        rows.append(
            (
                "pace " + truth["pace"]["unit"],
                want_rate,
                got_rate,
                f"{100 * error:+.1f} %",
                abs(error) <= PACE_TOLERANCE,
            )
        )
    for key, want in truth["introduction"].items():
        exact(f"intro {key}", want, checks["introduction"][key])
    exact("5w2h covered", sorted(truth["5w2h"]["covered"]), sorted(checks["5w2h"]["covered"]))
    for key in CHECKS:
        exact(f"status {key}", truth["expected"][key], checks[key]["status"])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measured vs. true figures on the bundled samples.")
    parser.add_argument("--samples", type=Path, default=ROOT / "samples", help="folder with manifest.csv")
    parser.add_argument("--json", type=Path, help="also write every row as JSON here")
    args = parser.parse_args(argv)
    manifest = read_manifest(args.samples / "manifest.csv")
    report = {}
    off_total = figures_total = 0
    for path, row in manifest.items():
        truth = json.loads((args.samples / f"{path.stem}.truth.json").read_text(encoding="utf-8"))
        card = score_call(path, transcript_path=row.transcript, setup=CallSetup(**row.facts)).to_dict()
        rows = compare(card, truth)
        off = [r for r in rows if not r[4]]
        off_total += len(off)
        figures_total += len(rows)
        report[path.stem] = [{"figure": r[0], "truth": r[1], "measured": r[2], "error": r[3], "ok": r[4]} for r in rows]
        print(
            f"\n{path.name}  ({truth['language']}, {truth['layout']}, {truth['samplerate']} Hz, "
            f"{truth['duration_s']:.1f} s)  {truth['note']}"
        )
        width = max(10, *(len(_fmt(r[1])) for r in rows), *(len(_fmt(r[2])) for r in rows))
        print(f"  {'figure':26s} {'truth':>{width}s} {'measured':>{width}s} {'error':>11s}  ok")
        for figure, want, got, error, ok in rows:
            print(f"  {figure:26s} {_fmt(want):>{width}s} {_fmt(got):>{width}s} {error:>11s}  {'ok' if ok else 'OFF'}")
    print(
        f"\n{len(manifest)} samples, {figures_total} figures, {off_total} out of tolerance "
        f"(answer/hold ±{TIME_TOLERANCE_S} s, pace ±{PACE_TOLERANCE:.0%}, the rest exact)"
    )
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
