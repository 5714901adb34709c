"""Signals stage: where the speech is (voice activity), in batch and while streaming.

The detector measures, frame by frame, the speech-band energy (100-3800 Hz)
that is *not* steady. A short-time power spectrum (100 ms Hann windows, one
every ``frame_s``), summed into 80 Hz sub-bands, is opened along time with a
0.22 s structuring element (a running minimum followed by a running maximum).
The opening keeps what stays put for at least 0.22 s in a sub-band — ringback
and dial tones, hold-music notes, mains hum, the stationary part of the
background noise — and the remainder is the *changing* energy that speech is
made of. Frames whose changing energy rises ``threshold_db`` above an
adaptive noise floor (a low percentile of that energy over the surrounding
seconds) are speech; hysteresis (half the threshold to continue a run), a
minimum segment length and a minimum pause length (the hangover) turn frames
into segments.

The steadiness test also hides the steady parts of speech itself: a final
nasal or a long vowel on a level pitch (Mandarin tone 1, an English "please")
can stay put for 0.2 s. So each segment's edges are then carried outwards,
by at most :data:`EDGE_S`, over frames whose *total* speech-band energy is
still ``threshold_db / 2`` above its own noise floor. The edges therefore
follow the speech's audible energy, not only its changes.

Limits, honestly:

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
* Stationary noise is handled down to about 5 dB SNR; noise that changes
  like speech does (babble, a TV) is speech to this detector.
* Boundaries are good to a frame or three (20-60 ms) on clean onsets, about
  0.1 s in noise; a soft onset or ending (a quiet fricative, a breathy tail)
  below the noise is not heard.
* A noise floor below :data:`FLOOR_MIN_DBFS` (digital silence, dither) is
  taken as :data:`FLOOR_MIN_DBFS`, so ``threshold_db`` keeps its meaning on
  clean recordings.

:func:`speech_segments` works on a whole signal with a centred noise floor;
:class:`ActivityTracker` gives the same decisions block by block with a
trailing (causal) noise floor, about 0.25 s behind the audio it was fed.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import AudioError

__all__ = [
    "Segment",
    "ActivityTracker",
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
#: Lowest noise floor believed, dBFS; quieter floors are digital silence or dither. With the default
#: threshold (10 dB) the start line over this floor is MIN_SPEECH_DBFS.
FLOOR_MIN_DBFS = -75.0
#: Furthest a segment's edge is carried out over loud but steady frames, seconds.
EDGE_S = 0.3
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


# --------------------------------------------------------------------------- frame features


class _ChangingEnergy:
    """Streams samples in, yields per-frame speech-band energies (dBFS) out.

    Frame ``i`` stands for recording time ``[i * hop_s, (i + 1) * hop_s)``; its
    ``WINDOW_S`` window is centred on the middle of that span. Each frame's
    spectrum is opened along time, which needs ``reach`` frames of context on
    each side, so output lags input by about ``reach * hop_s + WINDOW_S / 2``.
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
        self.scale = 2.0 / (self.win * float(np.sum(window**2)))
        self._buf = np.zeros(max(0, -self.offset), np.float32)  # zeros before time 0
        self._buf_start = self.offset  # sample index of _buf[0]
        self._next_frame = 0  # next frame whose spectrum is computed
        self._rows = np.zeros((0, self.n_groups), np.float32)  # sub-band spectra not yet final
        self._rows_first = 0  # frame index of _rows[0]
        self._emitted = 0  # frames already output
        self.fed = 0  # samples fed

    def feed(self, block: np.ndarray, final: bool = False) -> np.ndarray:
        """Add samples; return ``(n, 3)`` per new frame, all dB: changing energy (dBFS), its share
        of the band energy, and the band energy (dBFS)."""
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
            span = self._buf[s0 : s0 + (b - a - 1) * self.hop + self.win]
            frames = np.lib.stride_tricks.sliding_window_view(span, self.win)[:: self.hop]
            spec = np.fft.rfft(frames * self.window, axis=1)[:, self.lo : self.hi]
            power = np.zeros((len(spec), self.n_groups * self.group), np.float32)
            power[:, : spec.shape[1]] = (spec.real**2 + spec.imag**2) * self.scale
            out.append(power.reshape(len(spec), self.n_groups, self.group).sum(axis=2))
        return np.concatenate(out) if out else np.zeros((0, self.n_groups), np.float32)

    def _settle(self, final: bool) -> np.ndarray:
        """Open the spectra of frames whose context is complete; return their energies, dB."""
        have = self._rows_first + len(self._rows)
        stop = have if final else have - self.reach
        if stop <= self._emitted:
            return np.zeros((0, 3))
        # rows before ``lo`` are context only; at the edges of the recording
        # ``mode="nearest"`` repeats the first / last spectrum
        lo = self._emitted - self._rows_first
        from scipy import ndimage  # on first use: a command that does not need it starts faster

        steady = ndimage.grey_opening(self._rows, size=(self.steady, 1), mode="nearest")
        sel = slice(lo, lo + stop - self._emitted)
        changing = np.maximum(self._rows[sel] - STEADY_TOLERANCE * steady[sel], 0.0).sum(axis=1)
        band = self._rows[sel].sum(axis=1)
        self._emitted = stop
        keep_from = max(0, stop - self.reach - self._rows_first)
        self._rows = self._rows[keep_from:]
        self._rows_first += keep_from
        changing_db = 10 * np.log10(changing + _TINY)
        band_db = 10 * np.log10(band + _TINY)
        return np.stack([changing_db, changing_db - band_db, band_db], axis=1)


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
    from scipy import ndimage

    low = ndimage.minimum_filter1d(floors, span, mode="nearest")
    if np.isinf(low).all():
        low[:] = MIN_SPEECH_DBFS
    return np.repeat(low, per_block)[: len(db)]


class _CausalFloor:
    """Noise floor of a stream of frame energies, dBFS, frame by frame and without look-ahead.

    A frame's floor is the lowest FLOOR_PERCENTILE of the whole 1 s blocks
    within FLOOR_SPAN_S before its own block; the frames of the first block,
    which have none, wait for it and get its own. A frame's floor therefore
    does not depend on how the stream was cut into blocks.
    """

    def __init__(self, hop_s: float):
        self.per_block = max(1, int(round(FLOOR_BLOCK_S / hop_s)))
        self.span_blocks = max(1, int(round(FLOOR_SPAN_S / FLOOR_BLOCK_S)))
        self._done: list[float] = []  # floors of the latest whole blocks, oldest first
        self._partial = np.zeros(0)  # energies of the block being filled

    def feed(self, db: np.ndarray, final: bool) -> np.ndarray:
        """Add energies (dBFS); return the floor of every frame that has one now, oldest first."""
        out = []
        i = 0
        while i < len(db):  # one pass per 1 s block, not per frame
            piece = db[i : i + self.per_block - len(self._partial)]
            i += len(piece)
            if self._done:
                out.append(np.full(len(piece), min(self._done)))
            self._partial = np.concatenate([self._partial, piece])
            if len(self._partial) == self.per_block:
                floor = float(np.percentile(self._partial, FLOOR_PERCENTILE))
                if not self._done:  # the first block: its frames waited for this
                    out.append(np.full(self.per_block, floor))
                self._done = (self._done + [floor])[-self.span_blocks :]
                self._partial = self._partial[:0]
        if final and not self._done and len(self._partial):
            floor = float(np.percentile(self._partial, FLOOR_PERCENTILE))
            out.append(np.full(len(self._partial), floor))
            self._done = [floor]
        return np.concatenate(out) if out else np.zeros(0)


def _flags(energies: np.ndarray, floor_db, band_floor_db, threshold_db: float):
    """Per frame: above the low (continue) line, above the high (start) line, and loud enough for an edge.

    ``energies`` is ``(n, 3)`` as from :meth:`_ChangingEnergy.feed` (NaN rows are
    never speech); the floors, dBFS, are scalars or per-frame arrays.
    """
    db, share_db, band_db = energies[:, 0], energies[:, 1], energies[:, 2]
    floor = np.maximum(floor_db, FLOOR_MIN_DBFS)
    band_floor = np.maximum(band_floor_db, FLOOR_MIN_DBFS)
    with np.errstate(invalid="ignore"):
        like = share_db >= MIN_CHANGING_SHARE_DB
        low = (db > np.maximum(floor + threshold_db / 2.0, MIN_SPEECH_DBFS)) & like
        high = (db > np.maximum(floor + threshold_db, MIN_SPEECH_DBFS)) & like
        loud = band_db > np.maximum(band_floor + threshold_db / 2.0, MIN_SPEECH_DBFS)
    return low, high, loud


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


def _segment_frames(
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


def _check_settings(frame_s: float, min_speech_s: float, min_silence_s: float, threshold_db: float) -> None:
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


def _frames_of(seconds: float, hop_s: float) -> int:
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
        :class:`ActivityTracker`).
    threshold_db : float
        How far above the adaptive noise floor (dB) the changing speech-band
        energy must rise to start speech; half of it keeps speech going and
        carries the edges out (see the module notes). Floors below
        :data:`FLOOR_MIN_DBFS` count as that.
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
    energy is measured as the blocks arrive (:class:`_ChangingEnergy`); only
    three numbers per frame are kept (about 13 MB for a 3-hour call at the
    default 20 ms frame), and the decisions, which need the centred noise
    floor, are taken at the end: the segments are exactly those of
    :func:`speech_segments` on the whole signal. ``exclude`` is given at the end
    too, so a ringback found in the same pass can be left out.

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
        _check_settings(frame_s, min_speech_s, min_silence_s, threshold_db)
        self.samplerate = check_samplerate(samplerate)
        self.min_speech_s, self.min_silence_s, self.threshold_db = min_speech_s, min_silence_s, threshold_db
        self._analyser = _ChangingEnergy(self.samplerate, frame_s)
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
        floor = _centred_floor(energies[:, 0], hop_s)
        band_floor = _centred_floor(energies[:, 2], hop_s)
        low, high, loud = _flags(energies, floor, band_floor, self.threshold_db)
        runs, _ = _segment_frames(
            low,
            high,
            loud,
            _frames_of(self.min_silence_s, hop_s),
            _frames_of(self.min_speech_s, hop_s),
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
    second). After that a frame's floor is the lowest 1 s block floor of the
    10 s before its own block, so it needs no look-ahead; each frame is judged
    once, and the results do not depend on the block sizes fed.

    Segments are returned once ``min_silence_s`` of pause has followed them
    (up to :data:`EDGE_S` more while the audio after the pause stays loud, as
    a later segment's edge could still reach back); :meth:`flush` returns the
    last one at the end of the stream. Timestamps are recording time: the
    count of samples fed divided by the sample rate, plus ``start_s``.

    For the end of a speaker's turn (a live practice call) watch
    :attr:`silence_s`: a turn has ended when it reaches 0.6-1.0 s. It counts
    from the end of the speech actually heard, so it is exact once the
    decisions have caught up (0.25 s after the speech stopped), and pauses
    inside a sentence (0.2-0.5 s) never reach it. :attr:`in_speech` turns
    False after the shorter ``min_silence_s``.
    """

    def __init__(
        self,
        samplerate: int,
        *,
        start_s: float = 0.0,
        frame_s: float = 0.02,
        min_speech_s: float = 0.12,
        min_silence_s: float = 0.4,
        threshold_db: float = 10.0,
    ):
        self.samplerate = check_samplerate(samplerate)
        _check_settings(frame_s, min_speech_s, min_silence_s, threshold_db)
        self.start_s = float(start_s)
        self.threshold_db = float(threshold_db)
        self._energy = _ChangingEnergy(self.samplerate, frame_s)
        self.hop_s = self._energy.hop_s
        self._min_gap = _frames_of(min_silence_s, self.hop_s)
        self._min_len = _frames_of(min_speech_s, self.hop_s)
        self._edge = int(round(EDGE_S / self.hop_s))
        self._floor = _CausalFloor(self.hop_s)  # of the changing energy
        self._band_floor = _CausalFloor(self.hop_s)  # of the band energy
        self._waiting = np.zeros((0, 3))  # energies of frames whose floor is not known yet
        # flags of the frames still needed (see _decide), from frame index _base on
        self._low = np.zeros(0, bool)
        self._high = np.zeros(0, bool)
        self._loud = np.zeros(0, bool)
        self._base = 0
        self._decided = 0  # frame index where the undecided frames begin
        self._emitted_stop = 0  # stop frame of the last segment returned
        self._heard_stop: int | None = None  # stop frame of the latest speech heard
        self._speaking = False  # the undecided frames at the end already hold speech
        self._finished = False

    # -- public state

    @property
    def time_s(self) -> float:
        """Recording time up to which audio has been fed, seconds."""
        return self.start_s + self._energy.fed / self.samplerate

    @property
    def decided_s(self) -> float:
        """Recording time up to which speech / non-speech is decided, seconds."""
        return self.start_s + self._decided * self.hop_s

    @property
    def in_speech(self) -> bool:
        """True from the onset of speech until ``min_silence_s`` of pause has followed it."""
        if self._speaking:
            return True
        return self._heard_stop is not None and self._decided - self._heard_stop < self._min_gap

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

    def _decide(self, energies: np.ndarray, final: bool) -> list[Segment]:
        floor = self._floor.feed(energies[:, 0], final)
        band_floor = self._band_floor.feed(energies[:, 2], final)
        self._waiting = np.concatenate([self._waiting, energies])
        if not len(floor) and not final:
            return []  # no frame judged since the last call: nothing can have changed
        if len(floor):
            low, high, loud = _flags(self._waiting[: len(floor)], floor, band_floor, self.threshold_db)
            self._low = np.concatenate([self._low, low])
            self._high = np.concatenate([self._high, high])
            self._loud = np.concatenate([self._loud, loud])
            self._waiting = self._waiting[len(floor) :]
        low, high, loud = self._low, self._high, self._loud
        n = len(low)
        if n == 0:
            return []
        # a run above the low line that reaches the newest frame may still grow: leave it undecided
        undecided = 0 if final or not low[-1] else (n if low.all() else n - 1 - int(np.flatnonzero(~low)[-1]))
        u = n - undecided
        self._speaking = bool(high[u:].any())
        runs, groups = _segment_frames(low[:u], high[:u], loud, self._min_gap, self._min_len, self._edge)
        # a later segment's edge reaches back at most to here: segments a pause before it are final
        if final:
            n_final = len(runs)
        else:
            reach = u
            if u > 0 and loud[u - 1]:
                quiet = np.flatnonzero(~loud[:u])
                reach = max(u - self._edge, int(quiet[-1]) + 1 if len(quiet) else 0)
            n_final = int(np.count_nonzero(reach - runs[:, 1] >= self._min_gap))
        out = [
            Segment(
                self.start_s + (self._base + a) * self.hop_s,
                min(self.start_s + (self._base + b) * self.hop_s, self.time_s),
            )
            for a, b in runs[:n_final].tolist()
        ]
        if len(runs):
            stop = self._base + int(runs[-1, 1])
            self._heard_stop = stop if self._heard_stop is None else max(self._heard_stop, stop)
        if n_final:
            self._emitted_stop = self._base + int(runs[n_final - 1, 1])
        self._decided = self._base + u
        # keep what a later decision can still need: undecided frames, segments not yet returned and core
        # runs a later one could join, each with an edge's worth of frames before it
        need = [u]
        if n_final < len(runs):
            need.append(int(runs[n_final, 0]))
        joinable = groups[groups[:, 1] > u - self._min_gap]
        if len(joinable):
            need.append(int(joinable[0, 0]))
        keep_from = max(0, min(need) - self._edge - 1, self._emitted_stop - self._base)
        if keep_from:
            self._low, self._high, self._loud = low[keep_from:], high[keep_from:], loud[keep_from:]
            self._base += keep_from
        return out
