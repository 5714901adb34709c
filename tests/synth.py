"""Test signals made on the spot: tones, noise, hold music, voice-like sounds and espeak-ng speech.

Every function returns mono float32 samples in [-1, 1] (1-D numpy arrays) and
takes the sample rate (Hz) beside them, like the library. Levels are RMS in
dBFS with 0 dBFS = a full-scale square wave (a full-scale sine is -3.01 dBFS).
Random signals take a ``seed`` so every run hears the same audio.

Import from tests as ``from synth import ...`` (pytest puts ``tests/`` on the
path because the tests folder has no ``__init__.py``).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

__all__ = [
    "samples_of",
    "silence",
    "tone",
    "white_noise",
    "noise_like",
    "at_level",
    "rms_dbfs",
    "mix",
    "place",
    "hold_music",
    "harmonic_voice",
    "resample",
    "espeak",
    "trim_silence",
    "has_espeak",
    "audible_spans",
]


def samples_of(duration_s: float, samplerate: int) -> int:
    """Number of samples in ``duration_s`` seconds at ``samplerate`` Hz (rounded)."""
    return int(round(duration_s * samplerate))


def silence(duration_s: float, samplerate: int) -> np.ndarray:
    """Digital silence of ``duration_s`` seconds."""
    return np.zeros(samples_of(duration_s, samplerate), np.float32)


def _ramp(signal: np.ndarray, samplerate: int, ramp_s: float) -> np.ndarray:
    """Raised-cosine fade in and out over ``ramp_s`` seconds (avoids clicks)."""
    n = min(len(signal) // 2, samples_of(ramp_s, samplerate))
    if n > 0:
        fade = (0.5 - 0.5 * np.cos(np.pi * np.arange(n) / n)).astype(signal.dtype)
        signal[:n] *= fade
        signal[-n:] *= fade[::-1]
    return signal


def tone(
    frequencies_hz: float | Sequence[float],
    duration_s: float,
    samplerate: int,
    *,
    level_dbfs: float = -20.0,
    ramp_s: float = 0.005,
    phase_rad: float = 0.0,
) -> np.ndarray:
    """Sum of equal-amplitude sines at ``frequencies_hz`` (Hz), RMS ``level_dbfs``, faded at the ends."""
    freqs = np.atleast_1d(np.asarray(frequencies_hz, float))
    t = np.arange(samples_of(duration_s, samplerate)) / samplerate
    amplitude = np.sqrt(2.0 / len(freqs)) * 10 ** (level_dbfs / 20)
    wave = amplitude * np.sin(2 * np.pi * freqs[:, None] * t[None, :] + phase_rad).sum(axis=0)
    return _ramp(wave.astype(np.float32), samplerate, ramp_s)


def white_noise(duration_s: float, samplerate: int, *, level_dbfs: float = -40.0, seed: int = 0) -> np.ndarray:
    """Gaussian white noise with RMS ``level_dbfs`` over the full band 0 .. samplerate/2."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(samples_of(duration_s, samplerate)) * 10 ** (level_dbfs / 20)).astype(np.float32)


def noise_like(signal: np.ndarray, *, level_dbfs: float, seed: int = 0) -> np.ndarray:
    """``signal`` plus white noise at ``level_dbfs`` (RMS), same length; clipped to [-1, 1]."""
    noisy = signal + white_noise(len(signal), 1, level_dbfs=level_dbfs, seed=seed)
    return np.clip(noisy, -1.0, 1.0).astype(np.float32)


def rms_dbfs(signal: np.ndarray) -> float:
    """RMS level of all of ``signal`` in dBFS (-inf for digital silence)."""
    power = float(np.mean(np.square(signal, dtype=np.float64))) if len(signal) else 0.0
    return 10 * np.log10(power) if power > 0 else float("-inf")


def at_level(signal: np.ndarray, level_dbfs: float) -> np.ndarray:
    """``signal`` scaled so that its RMS (over all of it) is ``level_dbfs``."""
    current = rms_dbfs(signal)
    if not np.isfinite(current):
        return signal.astype(np.float32)
    return (signal * 10 ** ((level_dbfs - current) / 20)).astype(np.float32)


def mix(*signals: np.ndarray) -> np.ndarray:
    """Sum of signals aligned at sample 0; shorter ones are padded with silence."""
    out = np.zeros(max((len(s) for s in signals), default=0), np.float32)
    for s in signals:
        out[: len(s)] += s
    return out


def place(total_s: float, samplerate: int, parts: Iterable[tuple[float, np.ndarray]]) -> np.ndarray:
    """A signal of ``total_s`` seconds holding each ``(at_s, signal)`` part from ``at_s`` seconds on (summed).

    Parts running past the end are cut.
    """
    out = silence(total_s, samplerate)
    for at_s, part in parts:
        a = samples_of(at_s, samplerate)
        b = min(len(out), a + len(part))
        if b > a:
            out[a:b] += part[: b - a]
    return out


def hold_music(
    duration_s: float, samplerate: int, *, note_s: float = 0.5, level_dbfs: float = -20.0, seed: int = 0
) -> np.ndarray:
    """Hold music: chords of two or three sine notes (A3..A5, equal temperament) changing every ``note_s`` s.

    Every chord gets its own random notes (A4 = 440 Hz included among them), a
    10 ms attack and release, and the whole is scaled to ``level_dbfs`` RMS.
    """
    rng = np.random.default_rng(seed)
    n_notes = int(np.ceil(duration_s / note_s))
    pieces = []
    for _ in range(n_notes):
        semitones = rng.choice(np.arange(-12, 13), size=rng.integers(2, 4), replace=False)
        freqs = 440.0 * 2.0 ** (semitones / 12.0)
        pieces.append(tone(freqs, note_s, samplerate, level_dbfs=level_dbfs, ramp_s=0.01))
    music = np.concatenate(pieces)[: samples_of(duration_s, samplerate)]
    return at_level(music, level_dbfs)


def harmonic_voice(
    f0_hz: float | Sequence[float] | Callable[[np.ndarray], np.ndarray],
    duration_s: float,
    samplerate: int,
    *,
    level_dbfs: float = -20.0,
    tilt_db_per_octave: float = -9.0,
    syllable_hz: float | None = None,
    ramp_s: float = 0.02,
) -> np.ndarray:
    """A voice-like harmonic series (a smoothed pulse train) with a chosen pitch contour.

    Parameters
    ----------
    f0_hz : float, (start, end) pair, or callable
        Fundamental, Hz: constant; a glide from ``start`` to ``end`` that is
        linear in semitones; or a function of the time array (seconds) giving
        Hz per sample.
    duration_s : float
        Length, seconds.
    samplerate : int
        Hz.
    level_dbfs : float
        RMS level of the result.
    tilt_db_per_octave : float
        Spectral slope of the harmonics (a voice falls about 9-12 dB/octave).
    syllable_hz : float, optional
        If given, the amplitude is modulated (raised cosine) at this rate,
        giving syllable-like bursts, e.g. 4 Hz.
    ramp_s : float
        Fade in / out, seconds.
    """
    t = np.arange(samples_of(duration_s, samplerate)) / samplerate
    if callable(f0_hz):
        f0 = np.asarray(f0_hz(t), float)
    elif np.ndim(f0_hz) == 0:
        f0 = np.full_like(t, float(f0_hz))
    else:
        start, end = (float(v) for v in f0_hz)
        f0 = start * (end / start) ** (t / max(duration_s, 1e-9))
    phase = 2 * np.pi * np.cumsum(f0) / samplerate
    k_max = int(0.45 * samplerate / max(f0.max(), 1.0))
    wave = np.zeros_like(t)
    for k in range(1, max(k_max, 1) + 1):  # harmonics, not samples: a few dozen iterations
        amp = 10 ** (tilt_db_per_octave * np.log2(k) / 20)
        alias_free = (k * f0) < 0.45 * samplerate
        wave += np.where(alias_free, amp * np.sin(k * phase), 0.0)
    if syllable_hz:
        wave *= 0.5 - 0.5 * np.cos(2 * np.pi * syllable_hz * t)
    wave = _ramp(wave.astype(np.float32), samplerate, ramp_s)
    return at_level(wave, level_dbfs)


def resample(signal: np.ndarray, from_hz: int, to_hz: int) -> np.ndarray:
    """``signal`` at ``from_hz`` resampled to ``to_hz`` (soxr, high quality)."""
    if from_hz == to_hz:
        return signal.astype(np.float32)
    return soxr.resample(signal.astype(np.float32), from_hz, to_hz, quality="HQ").astype(np.float32)


def trim_silence(signal: np.ndarray, threshold: float = 1e-3) -> np.ndarray:
    """Cut leading and trailing samples whose magnitude stays at or below ``threshold``."""
    loud = np.flatnonzero(np.abs(signal) > threshold)
    return signal[loud[0] : loud[-1] + 1] if len(loud) else signal[:0]


def audible_spans(
    signal: np.ndarray, samplerate: int, *, threshold_dbfs: float, frame_s: float = 0.01, bridge_s: float = 0.0
) -> list[tuple[float, float]]:
    """Where a (clean) signal is louder than ``threshold_dbfs``: the truth for speech-activity tests.

    Parameters
    ----------
    signal : np.ndarray
        Mono samples, e.g. placed espeak-ng speech before any noise is added.
    samplerate : int
        Hz.
    threshold_dbfs : float
        A frame counts when its RMS level (dBFS) is above this.
    frame_s : float
        Frame length, seconds.
    bridge_s : float
        Quiet gaps shorter than this (seconds) inside the audible stretches are
        bridged (e.g. the closure of a stop consonant).

    Returns
    -------
    list of (start_s, end_s)
        Audible stretches in time order, seconds, on the frame grid.
    """
    hop = max(1, samples_of(frame_s, samplerate))
    n = len(signal) // hop
    power = np.mean(np.square(signal[: n * hop].reshape(n, hop), dtype=np.float64), axis=1)
    loud = 10 * np.log10(power + 1e-20) > threshold_dbfs
    edges = np.flatnonzero(np.diff(np.concatenate([[0], loud.astype(np.int8), [0]]))).reshape(-1, 2)
    if len(edges) > 1:
        keep_gap = (edges[1:, 0] - edges[:-1, 1]) * hop / samplerate >= bridge_s
        starts = edges[np.concatenate([[True], keep_gap]), 0]
        stops = edges[np.concatenate([keep_gap, [True]]), 1]
        edges = np.stack([starts, stops], axis=1)
    return [(a * hop / samplerate, b * hop / samplerate) for a, b in edges.tolist()]


def has_espeak() -> bool:
    """True if the espeak-ng program is on PATH."""
    return shutil.which("espeak-ng") is not None


@functools.lru_cache(maxsize=64)
def _espeak_cached(text: str, voice: str, speed_wpm: int, pitch: int, extra: tuple[str, ...]) -> tuple[bytes, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "speech.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed_wpm), "-p", str(pitch), *extra, "-w", str(path), text],
            check=True,
            capture_output=True,
            timeout=60,
        )
        signal, sr = sf.read(path, dtype="float32")
    if signal.ndim > 1:
        signal = signal.mean(axis=1)
    return signal.tobytes(), sr


def espeak(
    text: str,
    *,
    voice: str = "en",
    speed_wpm: int = 150,
    pitch: int = 50,
    samplerate: int | None = None,
    trim: bool = True,
    extra_args: Sequence[str] = (),
) -> tuple[np.ndarray, int]:
    """Speak ``text`` with espeak-ng; return ``(signal, samplerate)``.

    Parameters
    ----------
    text : str
        What to say. For Mandarin use ``voice="cmn-latn-pinyin"`` with tone-numbered
        pinyin ("nin2 hao3"): the Debian espeak-ng data lacks most Han
        characters for the ``cmn`` voice and reads unknown ones as digits.
    voice : str
        espeak-ng voice (``-v``), e.g. "en", "en-us", "cmn-latn-pinyin".
    speed_wpm : int
        Speed (``-s``), words per minute (espeak's unit; about syllables/min x 0.8 for Mandarin).
    pitch : int
        Base pitch (``-p``), 0-99.
    samplerate : int, optional
        Resample to this rate (Hz); default espeak-ng's own (22050 Hz).
    trim : bool
        Cut espeak-ng's leading and trailing silence.
    extra_args : sequence of str
        More espeak-ng options, e.g. ``("-m",)`` for SSML input.

    Skips the calling test if espeak-ng is not installed. Results are cached
    per arguments; each call returns a fresh array.
    """
    if not has_espeak():
        from conftest import unavailable

        unavailable("espeak-ng is not installed (apt-get install espeak-ng)")
    raw, sr = _espeak_cached(text, voice, int(speed_wpm), int(pitch), tuple(extra_args))
    signal = np.frombuffer(raw, np.float32).copy()
    if trim:
        signal = trim_silence(signal)
    if samplerate is not None and samplerate != sr:
        signal, sr = resample(signal, sr, samplerate), samplerate
    return signal, sr
