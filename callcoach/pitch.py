"""Signals stage: the pitch of a voice — a YIN pitch track, and its spread in semitones (intonation).

docs/course.md §6.6 asks for a voice that is not monotone (003 抑扬顿挫,
000 音调要有变化). The measures here need no transcript.

Pitch is tracked with YIN (de Cheveigné & Kawahara 2002), vectorised over
frames: the cumulative-mean-normalised difference function of every frame is
computed at once with FFTs, and the first dip under the threshold is taken.
Intonation is the spread of voiced pitch in semitones, so it does not depend
on whether the voice is high or low. Rough guide for conversational speech:
under :data:`MONOTONE_SEMITONES` (10-90 % range) sounds flat; lively speech
spans about 4-10 semitones. Rule packs should own the threshold they enforce.
"""

from __future__ import annotations

import numpy as np
import soxr

from .activity import require_mono
from .errors import AudioError

__all__ = [
    "MONOTONE_SEMITONES",
    "WORK_RATE_HZ",
    "pitch_track",
    "pitch_variation_semitones",
    "PitchScanner",
    "to_work_rate",
]

#: A 10-90 % pitch range under this many semitones sounds monotone (guide; rule packs own the threshold).
MONOTONE_SEMITONES = 3.0
#: Rate the pitch tracker (and the syllable counter, :func:`callcoach.voice.syllable_nuclei`) work at, Hz.
WORK_RATE_HZ = 8000
#: YIN threshold on the normalised difference (lower = stricter voicing).
YIN_THRESHOLD = 0.15
#: Frames more than this far below the loud frames (dB) are unvoiced.
VOICING_RANGE_DB = 35.0


# --------------------------------------------------------------------------- pitch track


def to_work_rate(samples: np.ndarray, samplerate: int) -> np.ndarray:
    """The samples at :data:`WORK_RATE_HZ`, float64 (resampled when they are not already)."""
    if samplerate == WORK_RATE_HZ:
        return samples.astype(np.float64)
    return soxr.resample(samples, int(samplerate), WORK_RATE_HZ, quality="HQ").astype(np.float64)


def _yin(x: np.ndarray, fmin_hz: float, fmax_hz: float, hop: int, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """YIN over all frames of ``x`` (at WORK_RATE_HZ); frame ``i`` is centred at sample ``i * hop``.

    Returns the period in samples (NaN where unvoiced) and each frame's mean-square power.
    """
    from scipy import fft as sfft  # on first use, like scipy.signal below

    sr = WORK_RATE_HZ
    tau_min = max(2, int(np.floor(sr / fmax_hz)))
    tau_max = int(np.ceil(sr / fmin_hz))
    w = max(int(np.ceil(1.5 * sr / fmin_hz)), int(0.025 * sr))  # integration window
    length = w + tau_max + 1
    # r[tau] for tau <= tau_max + 1 reads whole[j + tau] with j + tau < length: a circular correlation
    # of length >= length + 1 has no wrap-around there
    n_fft = sfft.next_fast_len(length + 1, real=True)
    n_frames = len(x) // hop + 1
    padded = np.concatenate([np.zeros(length // 2), x, np.zeros(length)])
    period = np.full(n_frames, np.nan)
    power = np.zeros(n_frames)
    taus = np.arange(tau_max + 2)
    step = 2048
    for a in range(0, n_frames, step):  # blocks of frames bound memory
        b = min(n_frames, a + step)
        frames = np.lib.stride_tricks.sliding_window_view(padded[a * hop : (b - 1) * hop + length], length)[::hop]
        head = sfft.rfft(frames[:, :w], n_fft, axis=1)
        whole = sfft.rfft(frames, n_fft, axis=1)
        r = sfft.irfft(np.conj(head) * whole, n_fft, axis=1)[:, : tau_max + 2]
        cs = np.concatenate([np.zeros((len(frames), 1)), np.cumsum(frames**2, axis=1)], axis=1)
        e0 = cs[:, w]
        e_tau = cs[:, taus + w] - cs[:, taus]
        d = np.maximum(e0[:, None] + e_tau - 2 * r, 0.0)
        d[:, 0] = 0.0
        running = np.cumsum(d[:, 1:], axis=1)
        dn = np.ones_like(d)
        dn[:, 1:] = d[:, 1:] * taus[1:] / np.maximum(running, 1e-20)
        band = dn[:, tau_min : tau_max + 1]
        below = band < threshold
        voiced = below.any(axis=1)
        first = np.argmax(below, axis=1)
        # walk from the first dip under the threshold down to its local minimum
        rising = np.concatenate([band[:, 1:] > band[:, :-1], np.ones((len(band), 1), bool)], axis=1)
        after = np.arange(band.shape[1])[None, :] >= first[:, None]
        best = np.argmax(rising & after, axis=1) + tau_min
        # parabolic interpolation of the dip
        rows = np.arange(len(best))
        left = dn[rows, np.maximum(best - 1, 1)]
        mid = dn[rows, best]
        right = dn[rows, np.minimum(best + 1, tau_max + 1)]
        denom = left - 2 * mid + right
        shift = np.where(np.abs(denom) > 1e-12, 0.5 * (left - right) / np.where(denom == 0, 1, denom), 0.0)
        period[a:b] = np.where(voiced, best + np.clip(shift, -1.0, 1.0), np.nan)
        power[a:b] = e0 / w
    return period, power


def pitch_track(
    signal: np.ndarray,
    samplerate: int,
    fmin_hz: float = 60.0,
    fmax_hz: float = 400.0,
    *,
    hop_s: float = 0.01,
    threshold: float = YIN_THRESHOLD,
) -> tuple[np.ndarray, np.ndarray]:
    """Fundamental frequency over time (YIN).

    Parameters
    ----------
    signal : np.ndarray
        Mono float32 samples in [-1, 1].
    samplerate : int
        Hz.
    fmin_hz, fmax_hz : float
        Search range, Hz (40 <= fmin < fmax <= 1000).
    hop_s : float
        Time between pitch estimates, seconds.
    threshold : float
        YIN voicing threshold on the normalised difference function.

    Returns
    -------
    times_s : np.ndarray
        Frame centres, seconds.
    f0_hz : np.ndarray
        Fundamental, Hz; NaN where the frame is unvoiced or too quiet
        (below -60 dBFS, or more than 35 dB under the loudest frames).
    """
    samples = require_mono(signal, samplerate)
    if not 40.0 <= fmin_hz < fmax_hz <= 1000.0:
        raise AudioError(f"pitch range must satisfy 40 <= fmin_hz < fmax_hz <= 1000, got {fmin_hz}, {fmax_hz}")
    if not 0.001 <= hop_s <= 0.1:
        raise AudioError(f"hop_s must be between 0.001 and 0.1 s, got {hop_s!r}")
    scanner = PitchScanner(fmin_hz, fmax_hz, hop_s=hop_s, threshold=threshold)
    scanner.feed(to_work_rate(samples, int(samplerate)))
    return scanner.track()


#: Chunk and margin of the streamed pitch tracker, seconds (see :class:`callcoach.audio.OverlapFrames`).
PITCH_CHUNK_S = 30.0
PITCH_MARGIN_S = 0.5


class PitchScanner:
    """:func:`pitch_track` over a stream of blocks, in memory that does not grow with the call.

    Feed mono blocks at :data:`WORK_RATE_HZ` in order, then call :meth:`track`.
    The signal is low-passed and tracked in overlapping chunks
    (:class:`~callcoach.audio.OverlapFrames`); two numbers per frame are kept
    (period and power: about 17 MB for 3 hours at 10 ms), and the loudness
    gate, relative to the loudest frames of the whole signal, is applied at
    the end.
    """

    def __init__(
        self, fmin_hz: float = 60.0, fmax_hz: float = 400.0, *, hop_s: float = 0.01, threshold: float = YIN_THRESHOLD
    ):
        from .audio import OverlapFrames

        if not 40.0 <= fmin_hz < fmax_hz <= 1000.0:
            raise AudioError(f"pitch range must satisfy 40 <= fmin_hz < fmax_hz <= 1000, got {fmin_hz}, {fmax_hz}")
        if not 0.001 <= hop_s <= 0.1:
            raise AudioError(f"hop_s must be between 0.001 and 0.1 s, got {hop_s!r}")
        self.fmin_hz, self.fmax_hz, self.threshold = fmin_hz, fmax_hz, threshold
        self.hop = max(1, int(round(hop_s * WORK_RATE_HZ)))
        margin = -(-int(PITCH_MARGIN_S * WORK_RATE_HZ) // self.hop) * self.hop
        chunk = -(-int(PITCH_CHUNK_S * WORK_RATE_HZ) // self.hop) * self.hop
        self._frames = OverlapFrames(self._analyse, self.hop, margin, chunk)

    def _analyse(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        from scipy import signal as sps  # on first use: a command that does not need it starts faster

        sos = sps.butter(4, min(1000.0, 0.45 * WORK_RATE_HZ), btype="lowpass", fs=WORK_RATE_HZ, output="sos")
        x = sps.sosfiltfilt(sos, x) if len(x) > 30 else x
        return _yin(x, self.fmin_hz, self.fmax_hz, self.hop, self.threshold)

    def feed(self, block: np.ndarray) -> None:
        """Add the next mono samples (at :data:`WORK_RATE_HZ`)."""
        self._frames.feed(block)

    def track(self) -> tuple[np.ndarray, np.ndarray]:
        """Frame times (s) and fundamental (Hz, NaN where unvoiced) of everything fed; see :func:`pitch_track`."""
        if self._frames.samples == 0:
            return np.zeros(0), np.zeros(0)
        period, power = self._frames.finish()
        loud_db = 10 * np.log10(np.percentile(power, 95) + 1e-20)
        gate = 10 ** (max(-60.0, loud_db - VOICING_RANGE_DB) / 10)
        with np.errstate(invalid="ignore", divide="ignore"):
            f0 = np.where(power >= gate, WORK_RATE_HZ / period, np.nan)
        f0[(f0 < self.fmin_hz * 0.97) | (f0 > self.fmax_hz * 1.03)] = np.nan
        times = np.arange(len(f0)) * self.hop / WORK_RATE_HZ
        return times, f0


# --------------------------------------------------------------------------- intonation


def pitch_variation_semitones(
    f0_hz: np.ndarray, *, low_pct: float = 10.0, high_pct: float = 90.0, min_voiced: int = 20
) -> float | None:
    """Spread of the voiced pitch, semitones: the ``low_pct``..``high_pct`` percentile range.

    Parameters
    ----------
    f0_hz : np.ndarray
        Pitch track, Hz, NaN for unvoiced frames (as from :func:`pitch_track`).
    low_pct, high_pct : float
        Percentiles bounding the range (10-90 ignores stray octave errors).
    min_voiced : int
        Fewest voiced frames needed (20 frames = 0.2 s at the default hop).

    Returns
    -------
    float or None
        ``12 * log2(f0[high_pct] / f0[low_pct])``; None with too little voicing.
        Flat (monotone) speech is under about :data:`MONOTONE_SEMITONES`.
    """
    f0 = np.asarray(f0_hz, dtype=float)
    voiced = f0[np.isfinite(f0) & (f0 > 0)]
    if len(voiced) < max(2, min_voiced):
        return None
    lo, hi = np.percentile(voiced, [low_pct, high_pct])
    return float(12.0 * np.log2(hi / lo))
