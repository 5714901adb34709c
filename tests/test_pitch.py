"""Pitch and intonation (callcoach/pitch.py) on voices whose fundamental is known."""

from __future__ import annotations

import numpy as np
import pytest

from callcoach import pitch
from callcoach.errors import AudioError
from synth import harmonic_voice, resample, silence, white_noise

SR = 8000


@pytest.mark.parametrize("f0", [90.0, 150.0, 260.0])
def test_pitch_of_a_steady_voice(f0):
    times, track = pitch.pitch_track(harmonic_voice(f0, 1.5, SR), SR)
    voiced = track[np.isfinite(track)]
    assert len(voiced) > 0.8 * len(track)
    assert np.median(voiced) == pytest.approx(f0, rel=0.01)
    assert times[1] - times[0] == pytest.approx(0.01)


def test_pitch_follows_a_glide_and_is_the_same_at_any_sample_rate():
    glide = harmonic_voice((100.0, 200.0), 2.0, 16000)
    times, track = pitch.pitch_track(glide, 16000)
    mid = track[(times > 0.95) & (times < 1.05)]
    assert np.nanmedian(mid) == pytest.approx(100.0 * 2**0.5, rel=0.03)  # halfway in semitones: 141 Hz
    early, late = np.nanmedian(track[times < 0.3]), np.nanmedian(track[times > 1.7])
    assert early < 115.0 and late > 175.0
    _, track8 = pitch.pitch_track(resample(glide, 16000, SR), SR)
    n = min(len(track), len(track8))
    both = np.isfinite(track[:n]) & np.isfinite(track8[:n])
    assert np.median(np.abs(track[:n][both] - track8[:n][both])) < 1.0


def test_noise_and_silence_have_no_pitch():
    _, noise = pitch.pitch_track(white_noise(1.0, SR, level_dbfs=-20.0), SR)
    assert np.isfinite(noise).mean() < 0.1
    _, quiet = pitch.pitch_track(silence(1.0, SR), SR)
    assert not np.isfinite(quiet).any()


def test_pitch_variation_flat_vs_varied():
    _, flat = pitch.pitch_track(harmonic_voice(140.0, 3.0, SR, syllable_hz=4.0), SR)
    assert pitch.pitch_variation_semitones(flat) < 0.3
    depth = 3.0  # +-3 semitones: the 10-90 % range of a sine is 2 * 3 * sin(0.4 pi) = 5.7 semitones
    varied = harmonic_voice(lambda t: 140.0 * 2 ** (depth * np.sin(2 * np.pi * 0.5 * t) / 12), 4.0, SR, syllable_hz=4.0)
    _, track = pitch.pitch_track(varied, SR)
    assert pitch.pitch_variation_semitones(track) == pytest.approx(2 * depth * np.sin(0.4 * np.pi), abs=0.6)


def test_pitch_variation_ignores_stray_octave_errors_and_needs_enough_voicing():
    track = np.full(200, 150.0)
    track[::25] = 300.0  # 4 % octave jumps
    assert pitch.pitch_variation_semitones(track) == pytest.approx(0.0, abs=0.01)
    assert pitch.pitch_variation_semitones(np.array([150.0, 160.0, np.nan])) is None
    assert pitch.pitch_variation_semitones(np.full(50, np.nan)) is None


def test_pitch_range_and_hop_are_checked():
    x = harmonic_voice(150.0, 0.5, SR)
    with pytest.raises(AudioError):
        pitch.pitch_track(x, SR, fmin_hz=300.0, fmax_hz=200.0)
    with pytest.raises(AudioError):
        pitch.pitch_track(x, SR, hop_s=0.5)
    with pytest.raises(AudioError):
        pitch.pitch_track(np.zeros((100, 2), np.float32), SR)  # stereo: take a channel first
