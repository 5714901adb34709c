"""Signals stage: speech activity block by block, for live audio and streamed files.

:class:`ActivityTracker` takes the decisions of
:func:`callcoach.activity.speech_segments` — the same changing energy,
thresholds, hysteresis, hangover and edges — on a stream, as the blocks
arrive. Where the batch detector's noise floor is centred on each frame, the
tracker's trails it (:class:`callcoach.energy.CausalFloor`), so it needs no
look-ahead and its decisions are about 0.25 s behind the audio it was fed.
The practice session watches it for the end of the trainee's turn; the
transcriber runs it over each channel to feed the recogniser speech only.
"""

from __future__ import annotations

import numpy as np

from .activity import EDGE_S, Segment, check_samplerate, check_settings, frames_of, require_mono, segment_frames
from .energy import CausalFloor, ChangingEnergy, frame_flags
from .errors import AudioError

__all__ = ["ActivityTracker"]


class ActivityTracker:
    """Speech activity block by block, for live audio and streamed files.

    Parameters
    ----------
    samplerate : int
        Sample rate of the blocks, Hz.
    start_s : float
        Recording time of the first sample fed, seconds.
    frame_s, min_speech_s, min_silence_s, threshold_db
        As in :func:`callcoach.activity.speech_segments`.

    Notes
    -----
    Decisions trail the audio by about 0.25 s (the 0.22 s steadiness test
    needs context on both sides), and for the first second of a stream, while
    there is no noise floor yet, they wait for one (floor from the first
    second). After that a frame's floor is the lowest 1 s block floor of the
    10 s before its own block, so it needs no look-ahead; each frame is judged
    once, and the results do not depend on the block sizes fed.

    Segments are returned once ``min_silence_s`` of pause has followed them
    (up to :data:`~callcoach.activity.EDGE_S` more while the audio after the
    pause stays loud, as a later segment's edge could still reach back);
    :meth:`flush` returns the last one at the end of the stream. Timestamps are recording time: the
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
        check_settings(frame_s, min_speech_s, min_silence_s, threshold_db)
        self.start_s = float(start_s)
        self.threshold_db = float(threshold_db)
        self._energy = ChangingEnergy(self.samplerate, frame_s)
        self.hop_s = self._energy.hop_s
        self._min_gap = frames_of(min_silence_s, self.hop_s)
        self._min_len = frames_of(min_speech_s, self.hop_s)
        self._edge = int(round(EDGE_S / self.hop_s))
        self._floor = CausalFloor(self.hop_s)  # of the changing energy
        self._band_floor = CausalFloor(self.hop_s)  # of the band energy
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
        """True from ``min_speech_s`` into speech until ``min_silence_s`` of pause has followed it.

        A stretch shorter than ``min_speech_s`` (a click, the edge of a ring burst) is never speech:
        it turns this True no more than it makes a segment. :attr:`decided_s` still marks the onset.
        """
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
            low, high, loud = frame_flags(self._waiting[: len(floor)], floor, band_floor, self.threshold_db)
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
        # speech only once the run is as long as a segment must be: a tone's edge, heard back through a
        # headset, gives a run a frame or two long that a segment would never keep
        self._speaking = undecided >= self._min_len and bool(high[u:].any())
        runs, groups = segment_frames(low[:u], high[:u], loud, self._min_gap, self._min_len, self._edge)
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
