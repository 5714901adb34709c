"""Signals stage: where the speech is (voice activity), in batch and while streaming.

The detector measures, frame by frame, the speech-band energy (100-3800 Hz)
that is *not* steady. A short-time power spectrum (32 ms Hann windows, one per
``frame_s``) is opened, bin by bin, along time with a 0.22 s structuring
element (a running minimum followed by a running maximum). The opening keeps
what stays put for at least 0.22 s in a frequency bin — ringback and dial
tones, hold-music notes, mains hum, the stationary part of the background
noise — and the remainder is the *changing* energy that speech is made of.
Frames whose changing energy rises ``threshold_db`` above an adaptive noise
floor (a low percentile of that energy over the surrounding seconds) are
speech; hysteresis (half the threshold to continue a run), a minimum segment
length and a minimum pause length (the hangover) turn frames into segments.

Limits, honestly:

* It is an energy detector, not a speech classifier: coughs, keyboard clicks,
  door slams and music with fast notes or percussion (notes shorter than
  about 0.22 s) are "speech" if they are loud enough. A steady hummed or
  sung note held for longer than 0.22 s is not.
* Speech over loud hold music is found only where the speech is louder than
  the music's own changes; pass the hold as ``exclude`` when it is known.
* Stationary noise is handled down to about 5 dB SNR; noise that changes
  like speech does (babble, a TV) is speech to this detector.
* Boundaries are good to a frame or two (20-40 ms) on clean onsets; a soft
  onset (a quiet fricative) may start a few frames late.

:func:`speech_segments` works on a whole signal with a centred noise floor;
:class:`ActivityTracker` gives the same decisions block by block with a
trailing (causal) noise floor, about 0.25 s behind the audio it was fed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

import numpy as np
from scipy import ndimage

from .errors import AudioError

__all__ = ["Segment", "ActivityTracker", "speech_segments", "silences", "require_mono", "MIN_SAMPLERATE_HZ"]

#: Lowest sample rate the signals stage accepts, in Hz (telephone narrow band).
MIN_SAMPLERATE_HZ = 8000
#: Highest sample rate accepted, in Hz.
MAX_SAMPLERATE_HZ = 384000

#: Analysis window of the short-time spectrum, seconds.
WINDOW_S = 0.1
#: Speech band measured, Hz.
BAND_HZ = (100.0, 3800.0)
#: Length of the structuring element that decides "steady", seconds.
STEADY_S = 0.22
#: Width of the sub-bands whose power is tested for steadiness, Hz.
GROUP_HZ = 80.0
#: Power within this factor of a bin's steady level counts as steady (2.0 = 3 dB).
STEADY_TOLERANCE = 2.0
#: Least share of a frame's speech-band energy that must be changing for speech, dB (-5 dB = 32 %).
MIN_CHANGING_SHARE_DB = -5.0
#: Length of the noise-floor blocks and of the span over which the floor is sought, seconds.
FLOOR_BLOCK_S = 1.0
FLOOR_SPAN_S = 10.0
#: Percentile of a block's frame energies taken as that block's floor.
FLOOR_PERCENTILE = 20.0
#: Frames quieter than this (changing speech-band energy, dBFS) are never speech.
MIN_SPEECH_DBFS = -65.0
#: Power added before taking logarithms (about -120 dBFS).
_TINY = 1e-12


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
        raise AudioError(f"expected a mono (1-D) signal, got shape {signal.shape}; "
                         "take one channel or the mix first (audio.channel / audio.mono)")
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
        raise AudioError(f"sample rate must be a whole number of Hz between {MIN_SAMPLERATE_HZ} and "
                         f"{MAX_SAMPLERATE_HZ}, got {samplerate!r}")
    return int(samplerate)


# --------------------------------------------------------------------------- frame features


class _ChangingEnergy:
    """Streams samples in, yields per-frame changing speech-band energy (dBFS) out.

    Frame ``i`` stands for recording time ``[i * hop_s, (i + 1) * hop_s)``; its
    32 ms window is centred on the middle of that span. Each frame's spectrum
    is opened along time, which needs ``_REACH`` frames of context on each
    side, so output lags input by about ``_REACH * hop_s + WINDOW_S / 2``.
    """

    _CHUNK_FRAMES = 4096

    def __init__(self, samplerate: int, frame_s: float):
        self.samplerate = samplerate
        self.hop = max(1, int(round(frame_s * samplerate)))
        self.hop_s = self.hop / samplerate
        self.win = max(self.hop, int(round(WINDOW_S * samplerate)))
        self.half = self.win // 2
        self.offset = self.hop // 2 - self.half  # first sample of frame 0's window
        steady = max(3, int(round(STEADY_S / self.hop_s)) | 1)
        self.steady = steady
        self.reach = steady - 1  # erosion then dilation: (steady // 2) * 2 frames each side
        freqs = np.fft.rfftfreq(self.win, 1.0 / samplerate)
        band = (freqs >= BAND_HZ[0]) & (freqs <= min(BAND_HZ[1], 0.45 * samplerate))
        self.lo, self.hi = int(np.argmax(band)), int(len(band) - np.argmax(band[::-1]))
        self.group = max(1, int(round(GROUP_HZ * self.win / samplerate)))  # bins summed into one sub-band
        self.n_groups = -(-(self.hi - self.lo) // self.group)
        window = np.hanning(self.win + 2)[1:-1].astype(np.float32)
        self.window = window
        # one-sided power of bin k -> contribution to the frame's mean square
        self.scale = 2.0 / (self.win * float(np.sum(window ** 2)))
        self._buf = np.zeros(max(0, -self.offset), np.float32)  # zeros before time 0
        self._buf_start = self.offset  # sample index of _buf[0]
        self._next_frame = 0           # next frame whose spectrum is computed
        self._rows = np.zeros((0, self.n_groups), np.float32)  # sub-band spectra not yet final
        self._rows_first = 0           # frame index of _rows[0]
        self._emitted = 0              # frames already output
        self.fed = 0                   # samples fed

    def feed(self, block: np.ndarray, final: bool = False) -> np.ndarray:
        """Add samples; return ``(n, 2)``: changing energy (dBFS) and its share of the band (dB) per new frame."""
        self.fed += len(block)
        self._buf = np.concatenate([self._buf, block]) if len(block) else self._buf
        if final:
            n_frames = -(-self.fed // self.hop)
            need = (n_frames - 1) * self.hop + self.offset + self.win - self._buf_start
            if need > len(self._buf):
                self._buf = np.concatenate([self._buf, np.zeros(need - len(self._buf), np.float32)])
        else:
            n_frames = max(0, (self._buf_start + len(self._buf) - self.offset - self.win) // self.hop + 1)
        if n_frames > self._next_frame:
            self._rows = np.concatenate([self._rows, self._spectra(self._next_frame, n_frames)])
            self._next_frame = n_frames
            first = self._next_frame * self.hop + self.offset - self._buf_start
            if first > 0:
                self._buf = self._buf[first:]
                self._buf_start += first
        return self._settle(final)

    def _spectra(self, first: int, stop: int) -> np.ndarray:
        """Band power spectra (mean-square units) of frames ``first .. stop-1``."""
        out = []
        for a in range(first, stop, self._CHUNK_FRAMES):
            b = min(stop, a + self._CHUNK_FRAMES)
            s0 = a * self.hop + self.offset - self._buf_start
            span = self._buf[s0: s0 + (b - a - 1) * self.hop + self.win]
            frames = np.lib.stride_tricks.sliding_window_view(span, self.win)[:: self.hop]
            spec = np.fft.rfft(frames * self.window, axis=1)[:, self.lo: self.hi]
            power = np.zeros((len(spec), self.n_groups * self.group), np.float32)
            power[:, : spec.shape[1]] = (spec.real ** 2 + spec.imag ** 2) * self.scale
            out.append(power.reshape(len(spec), self.n_groups, self.group).sum(axis=2))
        return np.concatenate(out) if out else np.zeros((0, self.n_groups), np.float32)

    def _settle(self, final: bool) -> np.ndarray:
        """Open the spectra of frames whose context is complete; return their changing energy, dBFS."""
        have = self._rows_first + len(self._rows)
        stop = have if final else have - self.reach
        if stop <= self._emitted:
            return np.zeros((0, 2))
        # rows before ``lo`` are context only; at the edges of the recording
        # ``mode="nearest"`` repeats the first / last spectrum
        lo = self._emitted - self._rows_first
        steady = ndimage.grey_opening(self._rows, size=(self.steady, 1), mode="nearest")
        sel = slice(lo, lo + stop - self._emitted)
        changing = np.maximum(self._rows[sel] - STEADY_TOLERANCE * steady[sel], 0.0).sum(axis=1)
        band = self._rows[sel].sum(axis=1)
        self._emitted = stop
        keep_from = max(0, stop - self.reach - self._rows_first)
        self._rows = self._rows[keep_from:]
        self._rows_first += keep_from
        changing_db = 10 * np.log10(changing + _TINY)
        return np.stack([changing_db, changing_db - 10 * np.log10(band + _TINY)], axis=1)


def _changing_db(samples: np.ndarray, samplerate: int, frame_s: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Per frame of a whole signal: changing speech-band energy (dBFS), whether it is speech-like, and the hop (s)."""
    analyser = _ChangingEnergy(samplerate, frame_s)
    parts = []
    step = analyser.hop * 20000
    for a in range(0, len(samples), step):
        parts.append(analyser.feed(samples[a: a + step]))
    parts.append(analyser.feed(np.zeros(0, np.float32), final=True))
    both = np.concatenate(parts)
    return both[:, 0], both[:, 1] >= MIN_CHANGING_SHARE_DB, analyser.hop_s


# --------------------------------------------------------------------------- decisions


def _block_floors(db: np.ndarray, frames_per_block: int) -> np.ndarray:
    """The FLOOR_PERCENTILE of each whole or partial block of frames (NaN frames ignored)."""
    n_blocks = -(-len(db) // frames_per_block)
    padded = np.full(n_blocks * frames_per_block, np.nan)
    padded[: len(db)] = db
    blocks = padded.reshape(n_blocks, frames_per_block)
    with warnings.catch_warnings():  # all-NaN blocks (wholly excluded) give NaN, on purpose
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanpercentile(blocks, FLOOR_PERCENTILE, axis=1)


def _centred_floor(db: np.ndarray, hop_s: float) -> np.ndarray:
    """Noise floor per frame, dBFS: the lowest block floor within FLOOR_SPAN_S around it."""
    per_block = max(1, int(round(FLOOR_BLOCK_S / hop_s)))
    floors = _block_floors(db, per_block)
    floors = np.where(np.isnan(floors), np.inf, floors)
    span = max(1, int(round(FLOOR_SPAN_S / FLOOR_BLOCK_S)) | 1)
    low = ndimage.minimum_filter1d(floors, span, mode="nearest")
    if np.isinf(low).all():
        low[:] = MIN_SPEECH_DBFS
    return np.repeat(low, per_block)[: len(db)]


def _lines(floor_db, threshold_db: float):
    """Energy (dBFS) that starts speech and energy that keeps it going, given the noise floor."""
    return (np.maximum(floor_db + threshold_db, MIN_SPEECH_DBFS),
            np.maximum(floor_db + threshold_db / 2.0, MIN_SPEECH_DBFS))


def _candidate_runs(db: np.ndarray, speechlike: np.ndarray, floor_db, threshold_db: float) -> np.ndarray:
    """Runs of speech-like frames (``[first, stop)`` pairs) above the low line that reach the high line."""
    high_line, low_line = _lines(floor_db, threshold_db)
    with np.errstate(invalid="ignore"):
        low = (db > low_line) & speechlike
        high = (db > high_line) & speechlike
    labels, n = ndimage.label(low)
    if n == 0:
        return np.zeros((0, 2), int)
    keep = ndimage.maximum(high, labels, index=np.arange(1, n + 1)).astype(bool)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], low.astype(np.int8), [0]])))
    runs = edges.reshape(-1, 2)
    return runs[keep]


def _join(runs: np.ndarray, min_gap: int, min_len: int) -> np.ndarray:
    """Merge runs separated by fewer than ``min_gap`` frames; drop results shorter than ``min_len``."""
    if len(runs) == 0:
        return runs
    gaps = runs[1:, 0] - runs[:-1, 1]
    new = np.concatenate([[True], gaps >= min_gap])
    starts = runs[new, 0]
    stops = runs[np.concatenate([new[1:], [True]]), 1]
    merged = np.stack([starts, stops], axis=1)
    return merged[(merged[:, 1] - merged[:, 0]) >= min_len]


def _mask_excluded(db: np.ndarray, hop_s: float, start_s: float, exclude: Iterable) -> np.ndarray:
    """Set frames overlapping any excluded ``(start_s, end_s)`` interval to NaN (never speech)."""
    spans = list(exclude or ())
    if not spans:
        return db
    db = db.copy()
    for span in spans:
        try:
            a_s, b_s = (float(v) for v in span)
        except (TypeError, ValueError):
            raise AudioError(f"exclude intervals must be (start_s, end_s) pairs, got {span!r}") from None
        a = max(0, int(np.floor((a_s - start_s) / hop_s)))
        b = min(len(db), int(np.ceil((b_s - start_s) / hop_s)))
        if b > a:
            db[a:b] = np.nan
    return db


def _check_settings(frame_s: float, min_speech_s: float, min_silence_s: float, threshold_db: float) -> None:
    for name, value, low in (("frame_s", frame_s, 0.005), ("min_speech_s", min_speech_s, 0.0),
                             ("min_silence_s", min_silence_s, 0.0), ("threshold_db", threshold_db, 0.5)):
        if not isinstance(value, (int, float)) or not np.isfinite(value) or value < low:
            raise AudioError(f"{name} must be a number >= {low}, got {value!r}")
    if frame_s > 0.1:
        raise AudioError(f"frame_s must be at most 0.1 s, got {frame_s!r}")


def speech_segments(signal: np.ndarray, samplerate: int, *, frame_s: float = 0.02, min_speech_s: float = 0.12,
                    min_silence_s: float = 0.4, threshold_db: float = 10.0,
                    exclude: Iterable[Sequence[float]] = ()) -> list[Segment]:
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
        Speech segments shorter than this (seconds) are dropped (clicks, bumps).
    min_silence_s : float
        Pauses shorter than this (seconds) do not end a segment: the hangover.
    threshold_db : float
        How far above the adaptive noise floor (dB) the changing speech-band
        energy must rise to start speech; half of it keeps speech going.
    exclude : iterable of (start_s, end_s)
        Intervals (seconds) known not to be speech, e.g. ringback bursts or a
        hold; they are never speech and do not count towards the noise floor.

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
    _check_settings(frame_s, min_speech_s, min_silence_s, threshold_db)
    if len(samples) == 0:
        return []
    db, speechlike, hop_s = _changing_db(samples, int(samplerate), frame_s)
    db = _mask_excluded(db, hop_s, 0.0, exclude)
    floor = _centred_floor(db, hop_s)
    runs = _candidate_runs(db, speechlike, floor, threshold_db)
    runs = _join(runs, int(np.ceil(min_silence_s / hop_s - 1e-9)), int(np.ceil(min_speech_s / hop_s - 1e-9)))
    duration_s = len(samples) / samplerate
    return [Segment(float(a * hop_s), float(min(b * hop_s, duration_s))) for a, b in runs]


def silences(segments: Iterable[Segment | Sequence[float]], start_s: float, end_s: float,
             min_s: float = 0.0) -> list[Segment]:
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


# --------------------------------------------------------------------------- streaming


class ActivityTracker:
    """Speech activity block by block, for live audio and streamed files.

    Parameters
    ----------
    samplerate : int
        Sample rate of the blocks, Hz.
    start_s : float
        Recording time of the first sample fed, seconds.
    frame_s, min_speech_s, min_silence_s, threshold_db
        As in :func:`speech_segments`.

    Notes
    -----
    Decisions trail the audio by about 0.25 s (the 0.22 s steadiness test
    needs context on both sides), and for the first second of a stream, while
    there is no noise floor yet, they wait for one (floor from the first
    second). After that the floor is the lowest 1 s block floor of the last
    10 s, so it needs no look-ahead. Segments are returned once
    ``min_silence_s`` of pause has followed them; :meth:`flush` returns the
    last one at the end of the stream. Timestamps are recording time: the
    count of samples fed divided by the sample rate, plus ``start_s``.
    """

    def __init__(self, samplerate: int, *, start_s: float = 0.0, frame_s: float = 0.02,
                 min_speech_s: float = 0.12, min_silence_s: float = 0.4, threshold_db: float = 10.0):
        self.samplerate = check_samplerate(samplerate)
        _check_settings(frame_s, min_speech_s, min_silence_s, threshold_db)
        self.start_s = float(start_s)
        self.threshold_db = float(threshold_db)
        self._energy = _ChangingEnergy(self.samplerate, frame_s)
        self.hop_s = self._energy.hop_s
        self._min_gap = int(np.ceil(min_silence_s / self.hop_s - 1e-9))
        self._min_len = int(np.ceil(min_speech_s / self.hop_s - 1e-9))
        self._per_block = max(1, int(round(FLOOR_BLOCK_S / self.hop_s)))
        self._span_blocks = max(1, int(round(FLOOR_SPAN_S / FLOOR_BLOCK_S)))
        self._block_floors: list[float] = []
        self._unfloored = np.zeros(0)   # energies, dB, of the floor block being filled
        self._pending = np.zeros(0)     # energies, dB, of frames not yet decided
        self._pending_like = np.zeros(0, bool)  # and whether each is speech-like
        self._pending_first = 0         # frame index of _pending[0]
        self._open: tuple[int, int] | None = None  # merged speech [first, stop) not yet followed by a long pause
        self._heard_stop: int | None = None        # stop frame of the latest speech long enough to count
        self._speaking = False          # the undecided frames at the end already hold speech
        self._finished = False

    # -- public state

    @property
    def time_s(self) -> float:
        """Recording time up to which audio has been fed, seconds."""
        return self.start_s + self._energy.fed / self.samplerate

    @property
    def decided_s(self) -> float:
        """Recording time up to which speech / non-speech is decided, seconds."""
        return self.start_s + self._pending_first * self.hop_s

    @property
    def in_speech(self) -> bool:
        """True from the onset of speech until ``min_silence_s`` of pause has followed it."""
        return self._speaking or self._open is not None

    @property
    def silence_s(self) -> float:
        """Seconds since speech was last heard (since the stream began if none was yet); 0.0 while heard."""
        if self._speaking:
            return 0.0
        last_s = self.start_s if self._heard_stop is None else self.start_s + self._heard_stop * self.hop_s
        return max(0.0, self.time_s - last_s)

    # -- feeding

    def feed(self, block: np.ndarray) -> list[Segment]:
        """Add a block of mono samples; return the speech segments completed by it.

        Parameters
        ----------
        block : np.ndarray
            1-D float32 samples in [-1, 1], following the previous block.

        Returns
        -------
        list of Segment
            Segments (recording time, seconds) now final, in time order. They
            unpack as ``(start_s, end_s)``.
        """
        if self._finished:
            raise AudioError("ActivityTracker.feed after flush(); start a new tracker")
        samples = require_mono(block, self.samplerate)
        return self._decide(self._energy.feed(samples), final=False)

    def flush(self) -> list[Segment]:
        """End of stream: decide the remaining frames and return the segments they complete."""
        if self._finished:
            return []
        self._finished = True
        return self._decide(self._energy.feed(np.zeros(0, np.float32), final=True), final=True)

    # -- internals

    def _update_floor(self, db: np.ndarray, final: bool) -> float | None:
        """Causal noise floor, dBFS: the lowest block floor of the last FLOOR_SPAN_S."""
        self._unfloored = np.concatenate([self._unfloored, db])
        n = len(self._unfloored) // self._per_block
        if n:
            whole = self._unfloored[: n * self._per_block].reshape(n, self._per_block)
            self._block_floors += np.percentile(whole, FLOOR_PERCENTILE, axis=1).tolist()
            self._block_floors = self._block_floors[-self._span_blocks:]
            self._unfloored = self._unfloored[n * self._per_block:]
        if final and not self._block_floors and len(self._unfloored):
            self._block_floors.append(float(np.percentile(self._unfloored, FLOOR_PERCENTILE)))
        return min(self._block_floors) if self._block_floors else None

    def _decide(self, both: np.ndarray, final: bool) -> list[Segment]:
        db = both[:, 0]
        floor = self._update_floor(db, final)
        self._pending = np.concatenate([self._pending, db])
        self._pending_like = np.concatenate([self._pending_like, both[:, 1] >= MIN_CHANGING_SHARE_DB])
        if floor is None or len(self._pending) == 0:
            return self._close() if final and self._open is not None else []
        pending, like = self._pending, self._pending_like
        # a run above the low line that reaches the newest frame may still grow: leave it undecided
        decided = len(pending)
        self._speaking = False
        if not final:
            high_line, low_line = _lines(floor, self.threshold_db)
            low = (pending > low_line) & like
            if low[-1]:
                decided = len(low) - int(np.argmin(low[::-1])) if not low.all() else 0
                self._speaking = bool(np.any(pending[decided:] > high_line))
        runs = _candidate_runs(pending[:decided], like[:decided], floor, self.threshold_db) + self._pending_first
        out: list[Segment] = []
        for a, b in runs.tolist():
            if self._open is not None and a - self._open[1] >= self._min_gap:
                out += self._close()
            self._open = (a, b) if self._open is None else (self._open[0], b)
            if b - self._open[0] >= self._min_len:
                self._heard_stop = b
        self._pending, self._pending_like = pending[decided:], like[decided:]
        self._pending_first += decided
        if self._open is not None and (final or self._pending_first - self._open[1] >= self._min_gap):
            out += self._close()
        return out

    def _close(self) -> list[Segment]:
        a, b = self._open
        self._open = None
        if b - a < self._min_len:
            return []
        return [Segment(self.start_s + a * self.hop_s, min(self.start_s + b * self.hop_s, self.time_s))]
