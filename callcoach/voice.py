"""Signals stage: how the agent sounds — loudness, clipping and pace (pitch: :mod:`callcoach.pitch`).

docs/course.md §6.6 asks for a voice that is not too loud (003 不要大声回答问题)
and not monotone (003 抑扬顿挫, 000 音调要有变化: the pitch measures are in
:mod:`callcoach.pitch`); section 4 wants a pace estimate from the audio alone
that cross-checks the transcript's characters or words per minute. All
measures here need no transcript; :func:`measure_voice` takes them all at
once, pitch included.

Levels are RMS in dBFS with 0 dBFS = a full-scale square wave (a full-scale
sine is -3.01 dBFS), floored at :data:`MIN_DBFS`.

Pace is counted from syllable nuclei: peaks of the 300-3000 Hz energy
envelope that stand out by at least 2 dB from the dips beside them, are at
least 0.1 s apart, are no more than 25 dB below the speech level, and are
voiced (YIN finds a pitch there). In Mandarin every character is one
syllable, so the rate is comparable with characters per minute; in English
words average about 1.3-1.5 syllables. Syllables joined without an energy dip
(vowel + vowel, glides at fast speed) count as one, so fast speech is
underestimated a little more than slow speech.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .activity import Segment, require_mono, speech_segments
from .errors import AudioError
from .pitch import WORK_RATE_HZ, pitch_track, pitch_variation_semitones, to_work_rate

__all__ = [
    "VoiceMeasures",
    "MIN_DBFS",
    "rms_dbfs",
    "level_dbfs",
    "peak_dbfs",
    "clipping_ratio",
    "recording_clipping_ratio",
    "clipped_runs",
    "syllable_nuclei",
    "syllable_rate",
    "measure_voice",
    "VoiceFrames",
]

#: Lowest level reported, dBFS (digital silence).
MIN_DBFS = -120.0


def _db(power: float) -> float:
    return float(max(MIN_DBFS, 10 * np.log10(power))) if power > 0 else MIN_DBFS


def _spans(
    segments: Iterable[Segment | Sequence[float]] | None, samples: np.ndarray, samplerate: int
) -> list[tuple[int, int]]:
    """Sample index ranges of ``segments`` (seconds) within the signal; detected speech when None."""
    if segments is None:
        segments = speech_segments(samples, samplerate)
    n = len(samples)
    out = []
    for seg in segments:
        try:
            a_s, b_s = (float(v) for v in seg)
        except (TypeError, ValueError):
            raise AudioError(f"segments must be (start_s, end_s) pairs, got {seg!r}") from None
        a, b = max(0, int(round(a_s * samplerate))), min(n, int(round(b_s * samplerate)))
        if b > a:
            out.append((a, b))
    return out


# --------------------------------------------------------------------------- loudness and clipping


def rms_dbfs(signal: np.ndarray) -> float:
    """RMS level of the whole signal, dBFS (:data:`MIN_DBFS` for silence or an empty signal)."""
    x = np.asarray(signal, dtype=np.float64)
    return _db(float(np.mean(x * x))) if x.size else MIN_DBFS


def level_dbfs(
    signal: np.ndarray, samplerate: int, segments: Iterable[Segment | Sequence[float]] | None = None
) -> float | None:
    """Speech level: RMS over the speech only, dBFS.

    Parameters
    ----------
    signal : np.ndarray
        Mono float32 samples in [-1, 1].
    samplerate : int
        Hz.
    segments : iterable of Segment or (start_s, end_s), optional
        Where the speech is, seconds; default :func:`callcoach.activity.speech_segments`.

    Returns
    -------
    float or None
        RMS of the samples inside the segments, dBFS; None when there is no speech.
    """
    samples = require_mono(signal, samplerate)
    spans = _spans(segments, samples, int(samplerate))
    if not spans:
        return None
    energy = sum(float(np.dot(samples[a:b].astype(np.float64), samples[a:b])) for a, b in spans)
    count = sum(b - a for a, b in spans)
    return _db(energy / count)


def peak_dbfs(signal: np.ndarray) -> float:
    """Largest absolute sample value, dBFS (0.0 at full scale; :data:`MIN_DBFS` for silence)."""
    x = np.asarray(signal)
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    return float(max(MIN_DBFS, 20 * np.log10(peak))) if peak > 0 else MIN_DBFS


def clipping_ratio(signal: np.ndarray, threshold: float = 0.999) -> float:
    """Fraction (0-1) of samples whose magnitude is at or above ``threshold`` (full scale = 1.0)."""
    x = np.asarray(signal)
    if not 0.0 < threshold <= 1.0:
        raise AudioError(f"clipping threshold must be in (0, 1], got {threshold!r}")
    return float(np.count_nonzero(np.abs(x) >= threshold) / x.size) if x.size else 0.0


def recording_clipping_ratio(
    signal: np.ndarray,
    samplerate: int,
    native_clipped: int | None = None,
    native_samplerate: int | None = None,
    threshold: float = 0.999,
) -> float:
    """Fraction (0-1) of a whole channel's samples at full scale, speech or not.

    Parameters
    ----------
    signal : np.ndarray
        The channel at ``samplerate`` (used when the file's own count is not given).
    native_clipped, native_samplerate : int, optional
        Full-scale samples counted at the file's own rate, and that rate. Preferred:
        resampling rings around a clipped plateau (Gibbs), so a full-scale square
        wave at 8 kHz has only about half its samples above ``threshold``.

    Limits: counts samples at full scale only; a waveform clipped below full
    scale (by an analogue stage) is not seen.
    """
    x = np.asarray(signal)
    if native_clipped is not None and native_samplerate and x.size:
        native_frames = x.size * native_samplerate / samplerate
        return float(min(1.0, native_clipped / native_frames))
    return clipping_ratio(x, threshold)


def clipped_runs(signal: np.ndarray, samplerate: int, threshold: float = 0.999, min_samples: int = 3) -> list[Segment]:
    """Stretches where the waveform sits at full scale: clipping, as opposed to a lone loud sample.

    Parameters
    ----------
    signal : np.ndarray
        Mono float32 samples in [-1, 1].
    samplerate : int
        Hz.
    threshold : float
        Magnitude counted as full scale.
    min_samples : int
        Shortest run of consecutive full-scale samples reported.

    Returns
    -------
    list of Segment
        Runs, seconds, in time order.
    """
    samples = require_mono(signal, samplerate)
    if not 0.0 < threshold <= 1.0:
        raise AudioError(f"clipping threshold must be in (0, 1], got {threshold!r}")
    hot = np.abs(samples) >= threshold
    edges = np.flatnonzero(np.diff(np.concatenate([[0], hot.astype(np.int8), [0]]))).reshape(-1, 2)
    edges = edges[(edges[:, 1] - edges[:, 0]) >= max(1, int(min_samples))]
    return [Segment(a / samplerate, b / samplerate) for a, b in edges.tolist()]


#: Frame of :class:`VoiceFrames`, seconds.
LEVEL_FRAME_S = 0.01


class VoiceFrames:
    """Loudness and clipping of one speaker's signal per 10 ms frame, gathered from a stream.

    What the volume check needs, without keeping the samples: per frame the
    sum of squares, the peak magnitude and the count of samples at or above
    ``clip_threshold``. Speech levels over any spans are then sums over
    frames; span edges fall on the 10 ms grid (a level differs from the
    sample-exact one by far less than 0.1 dB on speech). About 13 MB for a
    3-hour call.
    """

    def __init__(self, samplerate: int, clip_threshold: float = 0.999):
        self.samplerate = int(samplerate)
        self.frame = max(1, int(round(LEVEL_FRAME_S * samplerate)))
        self.clip_threshold = clip_threshold
        self._rest = np.zeros(0, np.float32)
        self._sumsq: list[np.ndarray] = []
        self._peak: list[np.ndarray] = []
        self._clips: list[np.ndarray] = []
        self._final: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        #: Samples fed.
        self.samples = 0

    def _add(self, x: np.ndarray) -> None:
        rows = x.reshape(-1, self.frame) if len(x) % self.frame == 0 else None
        if rows is None:  # the last, partial frame
            rows = np.zeros((1, self.frame), np.float32)
            rows[0, : len(x)] = x
        x64 = rows.astype(np.float64)
        self._sumsq.append(np.einsum("ij,ij->i", x64, x64))
        mag = np.abs(rows)
        self._peak.append(mag.max(axis=1))
        self._clips.append(np.count_nonzero(mag >= self.clip_threshold, axis=1).astype(np.int32))

    def feed(self, block: np.ndarray) -> None:
        """Add the next mono samples."""
        x = np.concatenate([self._rest, np.asarray(block, np.float32).reshape(-1)])
        self.samples += len(x) - len(self._rest)
        whole = len(x) - len(x) % self.frame
        if whole:
            self._add(x[:whole])
        self._rest = x[whole:]

    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._final is None:
            if len(self._rest):
                self._add(self._rest)
                self._rest = self._rest[:0]
            join = lambda parts, dtype: np.concatenate(parts) if parts else np.zeros(0, dtype)  # noqa: E731
            self._final = (join(self._sumsq, np.float64), join(self._peak, np.float32), join(self._clips, np.int32))
            self._sumsq, self._peak, self._clips = [], [], []
        return self._final

    def _frames_in(self, spans: Iterable[Sequence[float]]) -> np.ndarray:
        sumsq, _, _ = self._arrays()
        n = len(sumsq)
        mask = np.zeros(n, bool)
        for a_s, b_s in spans:
            a = max(0, int(round(a_s / LEVEL_FRAME_S)))
            b = min(n, int(round(b_s / LEVEL_FRAME_S)))
            if b > a:
                mask[a:b] = True
        return mask

    def level_dbfs(self, spans: Iterable[Sequence[float]]) -> float | None:
        """RMS over the spans (seconds), dBFS; None when they hold no samples."""
        mask = self._frames_in(spans)
        if not mask.any():
            return None
        return _db(float(self._arrays()[0][mask].sum()) / (int(mask.sum()) * self.frame))

    def peak_dbfs(self, spans: Iterable[Sequence[float]]) -> float:
        """Largest sample magnitude within the spans, dBFS."""
        mask = self._frames_in(spans)
        peak = float(self._arrays()[1][mask].max()) if mask.any() else 0.0
        return float(max(MIN_DBFS, 20 * np.log10(peak))) if peak > 0 else MIN_DBFS

    def clipping_ratio(self, spans: Iterable[Sequence[float]]) -> float:
        """Share of the spans' samples at or above the clip threshold."""
        mask = self._frames_in(spans)
        return float(self._arrays()[2][mask].sum() / (int(mask.sum()) * self.frame)) if mask.any() else 0.0

    def first_clip_s(self, spans: Iterable[Sequence[float]] | None = None) -> float | None:
        """Start of the first 10 ms frame (within the spans, if given) that holds a clipped sample (None: none does)."""
        clips = self._arrays()[2] > 0
        hot = np.flatnonzero(clips if spans is None else self._frames_in(spans) & clips)
        return float(hot[0] * LEVEL_FRAME_S) if len(hot) else None

    def recording_clipping_ratio(
        self, native_clipped: int | None = None, native_samplerate: int | None = None
    ) -> float:
        """Share of the whole channel's samples at full scale, speech or not (see :func:`recording_clipping_ratio`).

        ``native_clipped`` and ``native_samplerate``: the count at the file's own rate, preferred.
        """
        if self.samples == 0:
            return 0.0
        if native_clipped is not None and native_samplerate:
            return float(min(1.0, native_clipped / (self.samples * native_samplerate / self.samplerate)))
        return float(self._arrays()[2].sum() / self.samples)


# --------------------------------------------------------------------------- pace


def syllable_nuclei(
    signal: np.ndarray, samplerate: int, segments: Iterable[Segment | Sequence[float]] | None = None
) -> np.ndarray:
    """Times of syllable nuclei (vowel energy peaks), seconds, within the speech segments.

    Parameters
    ----------
    signal : np.ndarray
        Mono float32 samples in [-1, 1].
    samplerate : int
        Hz.
    segments : iterable of Segment or (start_s, end_s), optional
        Where to count, seconds; default :func:`callcoach.activity.speech_segments`.

    Returns
    -------
    np.ndarray
        Peak times, seconds, ascending. See the module docstring for the method.
    """
    samples = require_mono(signal, samplerate)
    spans = _spans(segments, samples, int(samplerate))
    if not spans or len(samples) < samplerate * 0.05:
        return np.zeros(0)
    x = to_work_rate(samples, int(samplerate))
    from scipy import signal as sps

    sos = sps.butter(4, [300.0, 3000.0], btype="bandpass", fs=WORK_RATE_HZ, output="sos")
    band = sps.sosfiltfilt(sos, x)
    hop = int(0.01 * WORK_RATE_HZ)
    win = int(0.03 * WORK_RATE_HZ)
    n_frames = len(band) // hop + 1
    padded = np.concatenate([np.zeros(win // 2), band, np.zeros(win)])
    frames = np.lib.stride_tricks.sliding_window_view(padded[: (n_frames - 1) * hop + win], win)[::hop]
    window = np.hanning(win + 2)[1:-1]
    energy = (frames**2) @ (window**2) / np.sum(window**2)
    env_db = 10 * np.log10(energy + 1e-12)
    env_db = np.convolve(env_db, np.ones(5) / 5, mode="same")  # 50 ms smoothing
    times = np.arange(n_frames) * hop / WORK_RATE_HZ
    inside = np.zeros(n_frames, bool)
    for a, b in spans:  # segments, not samples
        inside[int(a / samplerate / 0.01) : int(np.ceil(b / samplerate / 0.01)) + 1] = True
    inside = inside[:n_frames]
    if not inside.any():
        return np.zeros(0)
    speech_db = np.percentile(env_db[inside], 90)
    peaks, _ = sps.find_peaks(np.where(inside, env_db, -200.0), height=speech_db - 25.0, prominence=2.0, distance=10)
    _, f0 = pitch_track(x.astype(np.float32), WORK_RATE_HZ, hop_s=0.01)
    voiced = np.isfinite(f0)
    # a nucleus is voiced if YIN finds pitch within 20 ms of the peak
    near = np.convolve(voiced.astype(float), np.ones(5), mode="same") > 0
    near = np.concatenate([near, np.zeros(max(0, n_frames - len(near)), bool)])[:n_frames]
    return times[peaks[near[peaks]]]


def syllable_rate(
    signal: np.ndarray, samplerate: int, segments: Iterable[Segment | Sequence[float]] | None = None
) -> float | None:
    """Speaking rate from the audio alone: syllables per minute of speech time.

    Parameters
    ----------
    signal : np.ndarray
        Mono float32 samples in [-1, 1] (one speaker, e.g. the agent channel).
    samplerate : int
        Hz.
    segments : iterable of Segment or (start_s, end_s), optional
        The speech, seconds; default :func:`callcoach.activity.speech_segments`.
        Speech time is their total length, so pauses between them do not slow the rate.

    Returns
    -------
    float or None
        Syllables per minute (Mandarin: about characters per minute); None
        when there is less than 0.5 s of speech.
    """
    samples = require_mono(signal, samplerate)
    segs = list(speech_segments(samples, samplerate) if segments is None else segments)
    spans = _spans(segs, samples, int(samplerate))
    speech_s = sum(b - a for a, b in spans) / samplerate
    if speech_s < 0.5:
        return None
    nuclei = syllable_nuclei(samples, samplerate, [(a / samplerate, b / samplerate) for a, b in spans])
    return 60.0 * len(nuclei) / speech_s


# --------------------------------------------------------------------------- all at once


@dataclass(frozen=True)
class VoiceMeasures:
    """The voice measures of one speaker's signal.

    Attributes
    ----------
    speech_s : float
        Speech time measured over, seconds.
    level_dbfs : float or None
        RMS over the speech, dBFS.
    peak_dbfs : float
        Largest sample, dBFS.
    clipping_ratio : float
        Fraction of samples at full scale (whole signal).
    pitch_median_hz : float or None
        Median voiced pitch, Hz.
    pitch_variation_semitones : float or None
        10-90 % range of the voiced pitch, semitones.
    syllables_per_min : float or None
        Syllable nuclei per minute of speech time.
    """

    speech_s: float
    level_dbfs: float | None
    peak_dbfs: float
    clipping_ratio: float
    pitch_median_hz: float | None
    pitch_variation_semitones: float | None
    syllables_per_min: float | None

    def to_dict(self) -> dict:
        def r(v, nd):
            return None if v is None else round(float(v), nd)

        return {
            "speech_s": r(self.speech_s, 2),
            "level_dbfs": r(self.level_dbfs, 1),
            "peak_dbfs": r(self.peak_dbfs, 1),
            "clipping_ratio": r(self.clipping_ratio, 5),
            "pitch_median_hz": r(self.pitch_median_hz, 1),
            "pitch_variation_semitones": r(self.pitch_variation_semitones, 2),
            "syllables_per_min": r(self.syllables_per_min, 1),
        }


def measure_voice(
    signal: np.ndarray, samplerate: int, segments: Iterable[Segment | Sequence[float]] | None = None
) -> VoiceMeasures:
    """Level, peak, clipping, pitch and pace of one speaker's mono signal.

    Parameters
    ----------
    signal : np.ndarray
        Mono float32 samples in [-1, 1].
    samplerate : int
        Hz.
    segments : iterable of Segment or (start_s, end_s), optional
        The speaker's speech, seconds; default detected with
        :func:`callcoach.activity.speech_segments`. Pitch is taken inside them.
    """
    samples = require_mono(signal, samplerate)
    segs = list(speech_segments(samples, samplerate) if segments is None else segments)
    spans = _spans(segs, samples, int(samplerate))
    speech_s = sum(b - a for a, b in spans) / samplerate
    times, f0 = pitch_track(samples, samplerate)
    inside = np.zeros(len(times), bool)
    for a, b in spans:  # segments, not samples
        inside |= (times >= a / samplerate) & (times < b / samplerate)
    voiced = f0[inside & np.isfinite(f0)]
    return VoiceMeasures(
        speech_s=speech_s,
        level_dbfs=level_dbfs(samples, samplerate, segs),
        peak_dbfs=peak_dbfs(samples),
        clipping_ratio=clipping_ratio(samples),
        pitch_median_hz=float(np.median(voiced)) if len(voiced) else None,
        pitch_variation_semitones=pitch_variation_semitones(voiced),
        syllables_per_min=syllable_rate(samples, samplerate, segs),
    )
