"""Practice stage: whether the computer keeps up with the sound card during a session.

:class:`KeepingUp` is told, from PortAudio's callbacks, of audio lost
(:meth:`callback_status`) and, from the session loop, of each wait for the
microphone and each sign of life (:meth:`waited`, :meth:`heard`,
:meth:`beat`). It answers two questions:

* has the *microphone* stopped (:attr:`device_stalled`)? Only time the loop
  spent waiting for audio counts, at most one wait's length each, so a
  process that was itself paused (stopped, suspended, starved of CPU) is
  never taken for a lost device;
* did the *computer* fall behind (:meth:`summary`)? PortAudio's input
  overflows and output underflows, and the longest time the loop did not run
  beyond its wait for audio.

Counters are updated from PortAudio's threads as single increments; the
summary is read once the streams are closed.
"""

from __future__ import annotations

import time
from collections import Counter

__all__ = ["KeepingUp", "INPUT_STALL_S", "INPUT_WAIT_S"]

#: No microphone audio for this long means the input device stopped, seconds.
INPUT_STALL_S = 3.0
#: The loop waits this long for microphone audio at a time, seconds.
INPUT_WAIT_S = 0.5


class KeepingUp:
    """Audio lost, stalls of the session loop, and a stopped microphone (see the module notes)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.longest_stall_s = 0.0
        self._starved_s = 0.0
        self._beat = time.monotonic()

    def callback_status(self, status) -> None:
        """A PortAudio callback's ``status`` flags (called from its thread)."""
        if status.input_overflow:
            self.counts["input_overflows"] += 1
        if status.output_underflow:
            self.counts["output_underflows"] += 1

    def beat(self) -> None:
        """The loop is alive: a longer gap since the last beat than one wait for audio is a stall of this process."""
        now = time.monotonic()
        self.longest_stall_s = max(self.longest_stall_s, now - self._beat - INPUT_WAIT_S)
        self._beat = now

    def waited(self, seconds: float) -> None:
        """A wait for microphone audio of ``seconds`` ended with none."""
        self.beat()
        self._starved_s += min(seconds, INPUT_WAIT_S)

    def heard(self) -> None:
        """Microphone audio arrived."""
        self.beat()
        self._starved_s = 0.0

    @property
    def device_stalled(self) -> bool:
        """No microphone audio for :data:`INPUT_STALL_S` of waiting."""
        return self._starved_s >= INPUT_STALL_S

    def summary(self) -> dict:
        """``input_overflows``, ``output_underflows`` and ``longest_stall_s`` (seconds)."""
        return {
            "input_overflows": self.counts["input_overflows"],
            "output_underflows": self.counts["output_underflows"],
            "longest_stall_s": round(max(0.0, self.longest_stall_s), 2),
        }
