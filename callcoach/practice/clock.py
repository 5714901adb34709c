"""Practice stage: the stream clock — where microphone and headset blocks sit on the recording's timeline.

The microphone is the master clock of the recording (its sample count is
exact); the time of its first sample is the earliest "callback time minus
samples delivered" seen. Every block sent to the headset carries the time it
will be heard (PortAudio's DAC time) and is placed on the recording's timeline
there. Key presses, taken on the monotonic clock, are mapped through the
offset between PortAudio's stream time and :func:`time.monotonic`.
"""

from __future__ import annotations

__all__ = ["StreamClock"]


class StreamClock:
    """Places the microphone's and the headset's blocks on the recording's timeline."""

    def __init__(self, rate: int, out_block_s: float):
        self.rate = rate
        self.out_block_s = out_block_s
        self.t0: float | None = None  # stream time of the first recorded sample
        self.pa_offset: float | None = None  # PortAudio stream time minus time.monotonic()
        self.out_steady = 0
        self.last_out_call: float | None = None
        self.out_latencies: list[float] = []  # seconds from each headset callback to when its block is heard

    def stream_time(self, pa_time: float, mono: float) -> float:
        """A callback's PortAudio stream time (or, where the host API gives none, its monotonic time)."""
        if pa_time:
            if self.pa_offset is None or pa_time - mono > self.pa_offset:
                self.pa_offset = pa_time - mono  # the least-delayed callback tells the offset best
            return pa_time
        return mono + (self.pa_offset or 0.0)

    def place_input(self, recorded: int, batch) -> bool:
        """Update the first sample's time from a batch of microphone blocks; True when it was first set.

        A block is handed over once its last sample is captured, never before:
        the earliest ``callback time - end of block`` seen so far is the time
        of the first recorded sample. (PortAudio's ADC times through
        PulseAudio's ALSA plug-in are off by tenths of a second while the
        stream starts; the sample count is exact.) Callback times are
        PortAudio's, taken before the callback waits for Python's GIL.
        """
        end, first_set = recorded, False
        for pa_now, mono, block in batch:
            end += len(block)
            first = self.stream_time(pa_now, mono) - end / self.rate
            if self.t0 is None or first < self.t0:
                first_set = first_set or self.t0 is None
                self.t0 = first
        return first_set

    def place_output(self, pa_now: float, dac: float, mono: float, n: int) -> int | None:
        """Sample position in the recording where an output block is heard (None before the clock is set)."""
        called = self.stream_time(pa_now, mono)
        heard = dac if (pa_now and dac) else called + self.out_block_s
        if len(self.out_latencies) < 100_000:
            self.out_latencies.append(heard - called)
        expected = n / self.rate
        if self.last_out_call is not None:
            self.out_steady = self.out_steady + 1 if called - self.last_out_call >= 0.5 * expected else 0
        self.last_out_call = called
        if self.t0 is None:
            return None
        return int(round((heard - self.t0) * self.rate))

    @property
    def output_latency_s(self) -> float | None:
        """Median seconds from a headset callback to when its block is heard (None before any block)."""
        if not self.out_latencies:
            return None
        ordered = sorted(self.out_latencies)
        return ordered[len(ordered) // 2]

    def key_time(self, mono: float | None, now_s: float) -> float | None:
        """Recording time of a key press taken on the monotonic clock."""
        if mono is None:
            return None
        if self.t0 is None:
            return now_s
        return min(now_s, max(0.0, mono + (self.pa_offset or 0.0) - self.t0))
