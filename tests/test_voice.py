"""Voice measures (callcoach/voice.py) on signals whose level, clipping and syllable rate are known (pitch: test_pitch.py)."""

from __future__ import annotations

import numpy as np
import pytest

from callcoach import voice
from callcoach.activity import Segment
from callcoach.errors import AudioError
from synth import espeak, harmonic_voice, place, silence, tone, white_noise

SR = 8000


# --------------------------------------------------------------------------- level and clipping


def test_rms_reference_full_scale_square_is_zero_and_sine_is_minus_three():
    t = np.arange(SR) / SR
    assert voice.rms_dbfs(np.sign(np.sin(2 * np.pi * 100 * t) + 1e-9).astype(np.float32)) == pytest.approx(0, abs=0.01)
    assert voice.rms_dbfs(np.sin(2 * np.pi * 100 * t).astype(np.float32)) == pytest.approx(-3.01, abs=0.01)
    assert voice.rms_dbfs(np.zeros(100, np.float32)) == voice.MIN_DBFS
    assert voice.rms_dbfs(np.zeros(0, np.float32)) == voice.MIN_DBFS


def test_level_is_measured_over_the_speech_segments_only():
    signal = place(4.0, SR, [(1.0, tone(300.0, 1.0, SR, level_dbfs=-20.0))])
    assert voice.level_dbfs(signal, SR, [(1.0, 2.0)]) == pytest.approx(-20.0, abs=0.1)
    assert voice.level_dbfs(signal, SR, [Segment(1.0, 2.0)]) == pytest.approx(-20.0, abs=0.1)
    # over four seconds of which one holds the tone: 10 log10(1/4) lower
    assert voice.level_dbfs(signal, SR, [(0.0, 4.0)]) == pytest.approx(-20.0 - 6.02, abs=0.1)
    assert voice.level_dbfs(signal, SR, []) is None
    assert voice.level_dbfs(signal, SR, [(10.0, 12.0)]) is None  # outside the signal


def test_level_with_detected_speech_on_a_voice_like_signal():
    speech = harmonic_voice(150.0, 2.0, SR, level_dbfs=-25.0, syllable_hz=4.0)
    signal = place(5.0, SR, [(1.5, speech)]) + white_noise(5.0, SR, level_dbfs=-70.0)
    level = voice.level_dbfs(signal, SR)
    assert level == pytest.approx(-25.0, abs=2.0)  # speech segments cover roughly the 2 s of voice


def test_peak_and_clipping():
    x = tone(200.0, 1.0, SR, level_dbfs=-20.0)
    assert voice.peak_dbfs(0.5 * np.ones(10, np.float32)) == pytest.approx(-6.02, abs=0.01)
    assert voice.peak_dbfs(np.zeros(10, np.float32)) == voice.MIN_DBFS
    assert voice.clipping_ratio(x) == 0.0
    clipped = np.clip(x * 40.0, -1.0, 1.0)  # a sine driven 20x past full scale: mostly at the rails
    ratio = voice.clipping_ratio(clipped)
    assert 0.8 < ratio < 1.0
    assert voice.clipping_ratio(clipped, threshold=0.5) >= ratio
    with pytest.raises(AudioError):
        voice.clipping_ratio(x, threshold=1.5)


def test_clipped_runs_find_plateaus_not_single_loud_samples():
    x = np.zeros(SR, np.float32)
    x[1000:1010] = 1.0  # 10 samples at full scale: a clipped plateau
    x[4000:4003] = -1.0  # 3 samples: the shortest run reported
    x[6000] = 1.0  # a lone sample: not clipping
    runs = voice.clipped_runs(x, SR)
    assert [(round(r.start_s * SR), round(r.end_s * SR)) for r in runs] == [(1000, 1010), (4000, 4003)]
    assert voice.clipped_runs(x, SR, min_samples=5) == [runs[0]]
    with pytest.raises(AudioError):
        voice.clipped_runs(x, SR, threshold=0.0)


# --------------------------------------------------------------------------- syllable rate


@pytest.mark.parametrize("syllable_hz", [3.0, 4.0, 5.0])
def test_syllable_rate_of_a_voice_with_known_syllables(syllable_hz):
    voice_like = harmonic_voice(150.0, 6.0, SR, syllable_hz=syllable_hz)
    rate = voice.syllable_rate(voice_like, SR, [(0.0, 6.0)])
    assert rate == pytest.approx(60.0 * syllable_hz, rel=0.1)


def test_syllable_rate_counts_speech_time_not_pauses():
    burst = harmonic_voice(150.0, 2.0, SR, syllable_hz=4.0)
    signal = place(8.0, SR, [(1.0, burst), (5.0, burst)])
    rate = voice.syllable_rate(signal, SR, [(1.0, 3.0), (5.0, 7.0)])
    assert rate == pytest.approx(240.0, rel=0.1)
    assert voice.syllable_rate(signal, SR, [(1.0, 1.2)]) is None  # under half a second of speech


def test_syllable_rate_of_synthesised_english():
    text = "Thank you for calling Acme support, this is Anna, how may I help you today?"
    syllables = 20
    speech, sr = espeak(text, voice="en-us", samplerate=SR)
    duration = len(speech) / sr
    rate = voice.syllable_rate(speech, sr, [(0.0, duration)])
    assert rate == pytest.approx(60.0 * syllables / duration, rel=0.25)


# --------------------------------------------------------------------------- all at once


def test_measure_voice_reports_every_measure():
    speech = harmonic_voice(
        lambda t: 150.0 * 2 ** (2 * np.sin(2 * np.pi * 0.5 * t) / 12), 4.0, SR, level_dbfs=-24.0, syllable_hz=4.0
    )
    signal = place(6.0, SR, [(1.0, speech)])
    m = voice.measure_voice(signal, SR, [(1.0, 5.0)])
    assert m.speech_s == pytest.approx(4.0)
    assert m.level_dbfs == pytest.approx(-24.0, abs=0.2)
    assert m.clipping_ratio == 0.0 and m.peak_dbfs < -10.0
    assert m.pitch_median_hz == pytest.approx(150.0, rel=0.03)
    assert m.pitch_variation_semitones == pytest.approx(2 * 2 * np.sin(0.4 * np.pi), abs=0.6)
    assert m.syllables_per_min == pytest.approx(240.0, rel=0.1)
    d = m.to_dict()
    assert set(d) == {
        "speech_s",
        "level_dbfs",
        "peak_dbfs",
        "clipping_ratio",
        "pitch_median_hz",
        "pitch_variation_semitones",
        "syllables_per_min",
    }
    empty = voice.measure_voice(silence(2.0, SR), SR, [])
    assert empty.level_dbfs is None and empty.pitch_median_hz is None and empty.syllables_per_min is None
