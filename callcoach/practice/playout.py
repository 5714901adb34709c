"""Practice stage: what the headset plays (the ring and the caller's lines), with marks of where things start."""

from __future__ import annotations

import threading

import numpy as np

__all__ = ["Playout", "RING_CUT_FADE_S"]

#: Fade at the end of a ring cut by the pick-up, seconds.
RING_CUT_FADE_S = 0.01


class Playout:
    """What the headset plays, pulled block by block by the output stream.

    The session asks for ringing or a caller line; the output callback pulls
    samples with :meth:`pull`, which also reports *marks*: where in the block
    the ring started or stopped and where a caller line started or ended.
    Thread-safe.

    Parameters
    ----------
    samplerate : int
        Hz.
    ring_cycle : np.ndarray
        One cycle of the ringback tone (mono float32), played in a loop.
    """

    def __init__(self, samplerate: int, ring_cycle: np.ndarray):
        self.samplerate = samplerate
        self._ring = ring_cycle.astype(np.float32)
        self._lock = threading.Lock()
        self._ringing = False
        self._ring_pos = 0
        self._ring_started = False
        self._clip: np.ndarray | None = None
        self._clip_tag = None
        self._clip_pos = 0
        self._pending_marks: list[tuple[str, object]] = []

    def start_ring(self) -> None:
        with self._lock:
            if not self._ringing:
                self._ringing, self._ring_pos, self._ring_started = True, 0, False

    def stop_ring(self) -> None:
        with self._lock:
            if not self._ringing:
                return
            self._ringing = False
            if not self._ring_started:
                return
            n = max(1, int(RING_CUT_FADE_S * self.samplerate))
            idx = (self._ring_pos + np.arange(n)) % len(self._ring)
            tail = self._ring[idx] * np.linspace(1.0, 0.0, n, dtype=np.float32)
            self._pending_marks.append(("ring_stop", None))
            if self._clip is None:  # the fade plays as a tiny clip without marks of its own
                self._clip, self._clip_tag, self._clip_pos = tail, None, 0

    def play(self, clip: np.ndarray, tag) -> None:
        """Play ``clip`` (mono float32) now; marks ``line_start``/``line_end`` carry ``tag``."""
        with self._lock:
            self._clip, self._clip_tag, self._clip_pos = clip.astype(np.float32), tag, 0

    def cancel_clip(self) -> None:
        with self._lock:
            if self._clip is not None and self._clip_tag is not None and self._clip_pos > 0:
                self._pending_marks.append(("line_end", self._clip_tag))
            self._clip = None

    @property
    def busy(self) -> bool:
        """True while a caller line is playing."""
        with self._lock:
            return self._clip is not None and self._clip_tag is not None

    def pull(self, n: int) -> tuple[np.ndarray, list[tuple[int, str, object]]]:
        """The next ``n`` samples and the marks ``(offset, kind, tag)`` inside them."""
        out = np.zeros(n, np.float32)
        marks: list[tuple[int, str, object]] = []
        with self._lock:
            marks += [(0, kind, tag) for kind, tag in self._pending_marks]
            self._pending_marks.clear()
            if self._ringing:
                if not self._ring_started:
                    marks.append((0, "ring_start", None))
                    self._ring_started = True
                idx = (self._ring_pos + np.arange(n)) % len(self._ring)
                out += self._ring[idx]
                self._ring_pos = int((self._ring_pos + n) % len(self._ring))
            if self._clip is not None:
                if self._clip_pos == 0 and self._clip_tag is not None:
                    marks.append((0, "line_start", self._clip_tag))
                take = self._clip[self._clip_pos : self._clip_pos + n]
                out[: len(take)] += take
                self._clip_pos += len(take)
                if self._clip_pos >= len(self._clip):
                    if self._clip_tag is not None:
                        marks.append((len(take), "line_end", self._clip_tag))
                    self._clip = None
        return out, marks
