"""Signals stage: where the speech is (voice activity) in a whole recording, as segments of time.

The detector judges each frame by its *changing* speech-band energy: what is
left of the 100-3800 Hz energy once everything that stays put for 0.22 s in
an 80 Hz sub-band (tones, hold-music notes, hum, steady noise) is taken away
(:mod:`callcoach.energy`, which also gives the noise floors). Frames whose
changing energy rises ``threshold_db`` above an adaptive noise floor (a low
percentile of that energy over the surrounding seconds) are speech;
hysteresis (half the threshold to continue a run), a minimum segment length
and a minimum pause length (the hangover) turn frames into segments.

The steadiness test also hides the steady parts of speech itself: a final
nasal or a long vowel on a level pitch (Mandarin tone 1, an English "please")
can stay put for 0.2 s. So each segment's edges are then carried outwards,
by at most :data:`EDGE_S`, over frames whose *total* speech-band energy is
still ``threshold_db / 2`` above its own noise floor. The edges therefore
follow the speech's audible energy, not only its changes.

Limits, honestly (and those of the energy feature and its noise floor, in
:mod:`callcoach.energy`):

* It is an energy detector, not a speech classifier: coughs, keyboard clicks,
  door slams and music with fast notes or percussion (notes shorter than
  about 0.22 s) are "speech" if they are loud enough. A steady hummed or
  sung note held for longer than 0.22 s is not.
* Hold music: slow music (notes of 0.25 s or more) is not speech; fast,
  percussive or sung music is. On the *customer* channel of a recording that
  means hold music may show up as customer activity; it is harmless for
  interruptions (the agent is not talking over music on purpose) but hides
  dead air from a check that takes any activity as "not silent". Pass a known
  hold as ``exclude`` when it must not count.
* Speech over loud hold music is found only where the speech is louder than
  the music's own changes; the edge extension may run up to :data:`EDGE_S`
  into music or a tone that follows speech without a pause.
* Boundaries are good to a frame or three (20-60 ms) on clean onsets, about
  0.1 s in noise; a soft onset or ending (a quiet fricative, a breathy tail)
  below the noise is not heard.

:func:`speech_segments` works on a whole signal with a centred noise floor;
:class:`callcoach.live_activity.ActivityTracker` gives the same decisions
block by block with a trailing (causal) noise floor, about 0.25 s behind the
audio it was fed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .energy import ChangingEnergy, centred_floor, frame_flags
from .errors import AudioError

__all__ = [
    "Segment",
    "SpeechScanner",
    "speech_segments",
    "silences",
    "require_mono",
    "check_samplerate",
    "MIN_SAMPLERATE_HZ",
]

#: Lowest sample rate the signals stage accepts, in Hz (telephone narrow band).
MIN_SAMPLERATE_HZ = 8000
#: Highest sample rate accepted, in Hz.
MAX_SAMPLERATE_HZ = 384000

#: Furthest a segment's edge is carried out over loud but steady frames, seconds.
EDGE_S = 0.3


@dataclass(frozen=True)
class Segment:
    """A stretch of time in the recording.

    Attributes
    ----------
    start_s, end_s : float
        Start and end in seconds of recording time, ``start_s <= end_s``.

    A segment unpacks like a tuple: ``start_s, end_s = segment``.
    """

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return self.end_s - self.start_s

    def __iter__(self) -> Iterator[float]:
        yield self.start_s
        yield self.end_s

    def to_dict(self) -> dict:
        return {"start_s": round(self.start_s, 3), "end_s": round(self.end_s, 3)}


def require_mono(signal: np.ndarray, samplerate: int) -> np.ndarray:
    """Check a mono signal and its sample rate; return the samples as contiguous float32.

    Parameters
    ----------
    signal : np.ndarray
        1-D float samples in [-1, 1].
    samplerate : int
        Samples per second, Hz, between :data:`MIN_SAMPLERATE_HZ` and :data:`MAX_SAMPLERATE_HZ`.

    Returns
    -------
    np.ndarray
        The same samples, float32, C-contiguous (no copy when already so).

    Raises
    ------
    AudioError
        Not an array, not 1-D, not floating point, not finite, or a bad sample rate.
    """
    if not isinstance(signal, np.ndarray):
        raise AudioError(f"expected a numpy array of samples, got {type(signal).__name__}")
    if signal.ndim != 1:
        raise AudioError(
            f"expected a mono (1-D) signal, got shape {signal.shape}; "
            "take one channel or the mix first (audio.channel / audio.mono)"
        )
    if not np.issubdtype(signal.dtype, np.floating):
        raise AudioError(f"expected float samples in [-1, 1], got dtype {signal.dtype}")
    check_samplerate(samplerate)
    samples = np.ascontiguousarray(signal, dtype=np.float32)
    if not np.isfinite(samples).all():
        raise AudioError("signal contains NaN or infinite samples")
    return samples


def check_samplerate(samplerate: int) -> int:
    """Return ``samplerate`` as an int, or raise AudioError if it is not a usable rate in Hz."""
    ok = isinstance(samplerate, (int, float, np.integer, np.floating)) and not isinstance(samplerate, bool)
    if not ok or not float(samplerate).is_integer() or not MIN_SAMPLERATE_HZ <= samplerate <= MAX_SAMPLERATE_HZ:
        raise AudioError(
            f"sample rate must be a whole number of Hz between {MIN_SAMPLERATE_HZ} and "
            f"{MAX_SAMPLERATE_HZ}, got {samplerate!r}"
        )
    return int(samplerate)


# --------------------------------------------------------------------------- decisions


def _runs_of(mask: np.ndarray) -> np.ndarray:
    """``[first, stop)`` pairs of the runs of True in ``mask``."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return edges.reshape(-1, 2)


def _candidate_runs(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Runs of ``low`` frames (``[first, stop)`` pairs) that hold at least one ``high`` frame."""
    runs = _runs_of(low)
    if len(runs) == 0:
        return runs
    counts = np.concatenate([[0], np.cumsum(high, dtype=np.int64)])
    inside = counts[runs[:, 1]] - counts[runs[:, 0]]  # high frames within each run
    return runs[inside > 0]


def _join(runs: np.ndarray, min_gap: int, min_len: int) -> np.ndarray:
    """Merge runs (sorted by start) less than ``min_gap`` frames apart; drop results shorter than ``min_len``."""
    if len(runs) == 0:
        return runs
    gaps = runs[1:, 0] - np.maximum.accumulate(runs[:, 1])[:-1]
    new = np.flatnonzero(np.concatenate([[True], gaps >= min_gap]))
    merged = np.stack([runs[new, 0], np.maximum.reduceat(runs[:, 1], new)], axis=1)
    return merged[(merged[:, 1] - merged[:, 0]) >= min_len]


def _extend(runs: np.ndarray, loud: np.ndarray, edge: int) -> np.ndarray:
    """Carry each run's edges out over adjacent ``loud`` frames, by at most ``edge`` frames each side."""
    n = len(loud)
    if len(runs) == 0 or n == 0 or edge <= 0:
        return runs
    idx = np.arange(n)
    run_start = np.maximum.accumulate(np.where(loud, -1, idx)) + 1  # loud i: first frame of its run
    run_stop = np.minimum.accumulate(np.where(loud, n, idx)[::-1])[::-1]  # loud i: stop of its run
    a, b = runs[:, 0], runs[:, 1]
    before = np.clip(a - 1, 0, n - 1)
    after = np.clip(b, 0, n - 1)
    new_a = np.where(a > 0, np.minimum(a, np.maximum(run_start[before], a - edge)), a)
    new_b = np.where(b < n, np.maximum(b, np.minimum(run_stop[after], b + edge)), b)
    return np.stack([new_a, new_b], axis=1)


def segment_frames(
    low: np.ndarray, high: np.ndarray, loud: np.ndarray, min_gap: int, min_len: int, edge: int
) -> tuple[np.ndarray, np.ndarray]:
    """Speech segments ``[first, stop)`` (frames) from the flags, and the groups of core runs behind them.

    Core runs (``low`` runs reaching ``high``) closer than ``min_gap`` are
    grouped; groups shorter than ``min_len`` are dropped; the rest have their
    edges carried over ``loud`` frames (``loud`` may be longer than ``low``)
    and are joined again where the pause left between them is under ``min_gap``.
    """
    groups = _join(_candidate_runs(low, high), min_gap, 0)
    kept = groups[(groups[:, 1] - groups[:, 0]) >= min_len]
    return _join(_extend(kept, loud, edge), min_gap, 0), groups


def _excluded_frames(n: int, hop_s: float, exclude: Iterable) -> np.ndarray:
    """Frames overlapping any excluded ``(start_s, end_s)`` interval."""
    mask = np.zeros(n, bool)
    for span in list(exclude or ()):
        try:
            a_s, b_s = (float(v) for v in span)
        except (TypeError, ValueError):
            raise AudioError(f"exclude intervals must be (start_s, end_s) pairs, got {span!r}") from None
        a = max(0, int(np.floor(a_s / hop_s)))
        b = min(n, int(np.ceil(b_s / hop_s)))
        if b > a:
            mask[a:b] = True
    return mask


def check_settings(frame_s: float, min_speech_s: float, min_silence_s: float, threshold_db: float) -> None:
    """Raise AudioError unless the detector's settings (as in :func:`speech_segments`) are usable."""
    for name, value, low in (
        ("frame_s", frame_s, 0.005),
        ("min_speech_s", min_speech_s, 0.0),
        ("min_silence_s", min_silence_s, 0.0),
        ("threshold_db", threshold_db, 0.5),
    ):
        if not isinstance(value, (int, float)) or not np.isfinite(value) or value < low:
            raise AudioError(f"{name} must be a number >= {low}, got {value!r}")
    if frame_s > 0.1:
        raise AudioError(f"frame_s must be at most 0.1 s, got {frame_s!r}")


def frames_of(seconds: float, hop_s: float) -> int:
    """Whole frames covering ``seconds`` (rounded up)."""
    return int(np.ceil(seconds / hop_s - 1e-9))


def speech_segments(
    signal: np.ndarray,
    samplerate: int,
    *,
    frame_s: float = 0.02,
    min_speech_s: float = 0.12,
    min_silence_s: float = 0.4,
    threshold_db: float = 10.0,
    exclude: Iterable[Sequence[float]] = (),
) -> list[Segment]:
    """Find the speech in a mono signal.

    Parameters
    ----------
    signal : np.ndarray
        Mono samples, 1-D float32 in [-1, 1].
    samplerate : int
        Sample rate of ``signal``, Hz (8000 or more).
    frame_s : float
        Decision frame, seconds; boundaries are multiples of it.
    min_speech_s : float
        Speech shorter than this (seconds, before the edges are carried out)
        is dropped (clicks, bumps).
    min_silence_s : float
        Pauses shorter than this (seconds) do not end a segment: the hangover.
        The default (0.4 s) splits at sentence pauses; for the end of a
        speaker's turn wait for a longer silence (0.6-1.0 s, see
        :class:`~callcoach.live_activity.ActivityTracker`).
    threshold_db : float
        How far above the adaptive noise floor (dB) the changing speech-band
        energy must rise to start speech; half of it keeps speech going and
        carries the edges out (see the module notes). Floors below
        :data:`callcoach.energy.FLOOR_MIN_DBFS` count as that.
    exclude : iterable of (start_s, end_s)
        Intervals (seconds) known not to be speech, e.g. ringback bursts or a
        hold; they are never speech, edges are not carried into them, and they
        do not count towards the noise floor.

    Returns
    -------
    list of Segment
        Speech segments in time order, seconds from the start of ``signal``.

    Raises
    ------
    AudioError
        Bad signal, sample rate, settings or exclude intervals.

    Notes
    -----
    See the module docstring for the method and its limits. The noise floor
    is the lowest 20th-percentile energy of the 1 s blocks within 10 s of a
    frame, so it follows slowly changing noise; a call that is speech from
    end to end with no pause at all leaves no floor to find.
    """
    samples = require_mono(signal, samplerate)
    scanner = SpeechScanner(
        int(samplerate),
        frame_s=frame_s,
        min_speech_s=min_speech_s,
        min_silence_s=min_silence_s,
        threshold_db=threshold_db,
    )
    step = scanner.hop * 20000
    for a in range(0, len(samples), step):
        scanner.feed(samples[a : a + step])
    return scanner.segments(exclude)


class SpeechScanner:
    """:func:`speech_segments` over a stream of blocks, in memory that does not grow with the call.

    Feed mono blocks in order, then call :meth:`segments`. The changing
    energy is measured as the blocks arrive
    (:class:`~callcoach.energy.ChangingEnergy`); only three numbers per frame
    are kept (about 13 MB for a 3-hour call at the default 20 ms frame), and
    the decisions, which need the centred noise floor, are taken at the end:
    the segments are exactly those of :func:`speech_segments` on the whole
    signal. ``exclude`` is given at the end too, so a ringback found in the
    same pass can be left out.

    Raises
    ------
    AudioError
        Bad sample rate or settings.
    """

    def __init__(
        self,
        samplerate: int,
        *,
        frame_s: float = 0.02,
        min_speech_s: float = 0.12,
        min_silence_s: float = 0.4,
        threshold_db: float = 10.0,
    ):
        check_settings(frame_s, min_speech_s, min_silence_s, threshold_db)
        self.samplerate = check_samplerate(samplerate)
        self.min_speech_s, self.min_silence_s, self.threshold_db = min_speech_s, min_silence_s, threshold_db
        self._analyser = ChangingEnergy(self.samplerate, frame_s)
        self.hop, self.hop_s = self._analyser.hop, self._analyser.hop_s
        self._parts: list[np.ndarray] = []

    def feed(self, block: np.ndarray) -> None:
        """Add the next mono samples (1-D float32)."""
        if len(block):
            self._parts.append(self._analyser.feed(np.asarray(block, np.float32)))

    def segments(self, exclude: Iterable[Sequence[float]] = ()) -> list[Segment]:
        """The speech in everything fed; call once, at the end (see :func:`speech_segments` for ``exclude``)."""
        fed = self._analyser.fed
        if fed == 0:
            return []
        energies = np.concatenate([*self._parts, self._analyser.feed(np.zeros(0, np.float32), final=True)])
        self._parts = []
        hop_s = self.hop_s
        excluded = _excluded_frames(len(energies), hop_s, exclude)
        if excluded.any():
            energies = energies.copy()
            energies[excluded] = np.nan
        floor = centred_floor(energies[:, 0], hop_s)
        band_floor = centred_floor(energies[:, 2], hop_s)
        low, high, loud = frame_flags(energies, floor, band_floor, self.threshold_db)
        runs, _ = segment_frames(
            low,
            high,
            loud,
            frames_of(self.min_silence_s, hop_s),
            frames_of(self.min_speech_s, hop_s),
            int(round(EDGE_S / hop_s)),
        )
        duration_s = fed / self.samplerate
        return [Segment(float(a * hop_s), float(min(b * hop_s, duration_s))) for a, b in runs.tolist()]


def silences(
    segments: Iterable[Segment | Sequence[float]], start_s: float, end_s: float, min_s: float = 0.0
) -> list[Segment]:
    """The gaps between speech segments within ``[start_s, end_s]`` that last at least ``min_s``.

    Parameters
    ----------
    segments : iterable of Segment or (start_s, end_s)
        Speech, seconds; any order, may overlap (e.g. both channels of a call).
    start_s, end_s : float
        The window considered, seconds (e.g. 0 and the call's duration).
    min_s : float
        Shortest gap reported, seconds.

    Returns
    -------
    list of Segment
        Silences in time order, clipped to the window.
    """
    if end_s < start_s:
        raise AudioError(f"silences: end_s ({end_s}) is before start_s ({start_s})")
    spans = sorted((float(a), float(b)) for a, b in segments)
    out: list[Segment] = []
    cursor = float(start_s)
    for a, b in spans:
        if b <= cursor:
            continue
        if a >= end_s:
            break
        if a - cursor >= min_s and a > cursor:
            out.append(Segment(cursor, a))
        cursor = max(cursor, b)
    if end_s - cursor >= min_s and end_s > cursor:
        out.append(Segment(cursor, float(end_s)))
    return out
