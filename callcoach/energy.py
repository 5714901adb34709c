"""Signals stage: the changing speech-band energy that speech activity is decided on, and its noise floors.

The speech detector (:mod:`callcoach.activity`) judges each frame by the
speech-band energy (100-3800 Hz) that is *not* steady. A short-time power
spectrum (100 ms Hann windows, one every ``frame_s``), summed into 80 Hz
sub-bands, is opened along time with a 0.22 s structuring element (a running
minimum followed by a running maximum). The opening keeps what stays put for
at least 0.22 s in a sub-band — ringback and dial tones, hold-music notes,
mains hum, the stationary part of the background noise — and the remainder is
the *changing* energy that speech is made of (:class:`ChangingEnergy`). Each
frame also carries the changing share of its band energy and the band energy
itself, which the detector uses to carry a segment's edges out.

A frame is compared with an adaptive noise floor: a low percentile
(:data:`FLOOR_PERCENTILE`) of the energy over the surrounding seconds. For a
whole signal the floor is centred on the frame (:func:`centred_floor`); for a
stream it trails it (:class:`CausalFloor`). :func:`frame_flags` turns a frame's
energies and floors into the three flags the detector's decisions are made of.

Limits, honestly:

* Stationary noise is handled down to about 5 dB SNR; noise that changes
  like speech does (babble, a TV) is speech to this detector.
* A noise floor below :data:`FLOOR_MIN_DBFS` (digital silence, dither) is
  taken as :data:`FLOOR_MIN_DBFS`, so ``threshold_db`` keeps its meaning on
  clean recordings.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["ChangingEnergy", "CausalFloor", "centred_floor", "frame_flags"]

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
#: Power added before taking logarithms (about -120 dBFS).
_TINY = 1e-12


# --------------------------------------------------------------------------- the changing energy


class ChangingEnergy:
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


# --------------------------------------------------------------------------- noise floors and flags


def _block_floors(db: np.ndarray, frames_per_block: int) -> np.ndarray:
    """The FLOOR_PERCENTILE of each whole or partial block of frames (NaN frames ignored)."""
    n_blocks = -(-len(db) // frames_per_block)
    padded = np.full(n_blocks * frames_per_block, np.nan)
    padded[: len(db)] = db
    blocks = padded.reshape(n_blocks, frames_per_block)
    with warnings.catch_warnings():  # all-NaN blocks (wholly excluded) give NaN, on purpose
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanpercentile(blocks, FLOOR_PERCENTILE, axis=1)


def centred_floor(db: np.ndarray, hop_s: float) -> np.ndarray:
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


class CausalFloor:
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


def frame_flags(energies: np.ndarray, floor_db, band_floor_db, threshold_db: float):
    """Per frame: above the low (continue) line, above the high (start) line, and loud enough for an edge.

    ``energies`` is ``(n, 3)`` as from :meth:`ChangingEnergy.feed` (NaN rows are
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
