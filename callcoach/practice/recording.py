"""Practice stage: the crash-safe two-channel recording and the played track placed on its timeline.

A two-channel 16-bit WAV: left the agent's microphone, right everything
callcoach played (ring included). It is written block by block with the
standard library's :mod:`wave` writer, which rewrites the RIFF and data sizes
in the header after every block; so after Ctrl-C, a crash or even ``kill -9``
the file is a valid WAV holding everything captured up to the last block.
(libsndfile, behind :mod:`soundfile`, writes the sizes only when the file is
closed: its own reader copes with that, other WAV readers do not.)
"""

from __future__ import annotations

import time
import wave
from collections import deque
from pathlib import Path

import numpy as np

from ..errors import AudioError
from ..scenarios import Scenario

__all__ = ["RecordingWriter", "PlayedTrack", "default_record_path"]


class RecordingWriter:
    """A two-channel PCM-16 WAV written block by block, valid on disk after every block.

    Parameters
    ----------
    path : path
        The WAV to create (overwritten if it exists).
    samplerate : int
        Hz.

    Notes
    -----
    :meth:`wave.Wave_write.writeframes` rewrites the RIFF and data chunk sizes
    after every call when the frame count was not declared up front; the
    data is written before the sizes, so the header never claims more than
    the file holds. Each block reaches the operating system before
    :meth:`write` returns, so killing the process loses at most the block
    being written.
    """

    def __init__(self, path: str | Path, samplerate: int):
        self.path = Path(path)
        self.samplerate = int(samplerate)
        self.frames = 0
        try:
            self._file = open(self.path, "wb")
        except OSError as exc:
            raise AudioError(f"cannot write the recording: {exc.strerror}", path=self.path) from None
        self._wav: wave.Wave_write | None = wave.open(self._file, "wb")
        self._wav.setnchannels(2)
        self._wav.setsampwidth(2)
        self._wav.setframerate(self.samplerate)
        self._wav.writeframes(b"")  # header on disk from the start: a valid, empty WAV

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate

    def write(self, left: np.ndarray, right: np.ndarray) -> None:
        """Append frames: ``left`` (agent) and ``right`` (what was played), mono float32 of equal length."""
        if self._wav is None:
            raise AudioError("recording already closed", path=self.path)
        both = np.stack([left, right], axis=1)
        pcm = (np.clip(both, -1.0, 1.0) * 32767.0).round().astype("<i2")
        try:
            self._wav.writeframes(pcm.tobytes())
            self._file.flush()
        except OSError as exc:
            raise AudioError(f"cannot write the recording: {exc.strerror}", path=self.path) from None
        self.frames += len(pcm)

    def close(self) -> None:
        if self._wav is None:
            return
        try:
            self._wav.close()
        finally:
            self._file.close()
            self._wav = None


def default_record_path(scenario: Scenario, folder: str | Path = ".") -> Path:
    """``practice-<scenario>-<YYYYmmdd-HHMMSS>.wav`` in ``folder`` (default: the current folder)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return Path(folder) / f"practice-{scenario.name}-{stamp}.wav"


class PlayedTrack:
    """What was played, placed on the recording's timeline (sample positions)."""

    def __init__(self):
        self._chunks: deque[tuple[int, np.ndarray]] = deque()

    def add(self, position: int, samples: np.ndarray) -> None:
        self._chunks.append((position, samples))

    def take(self, position: int, n: int) -> np.ndarray:
        out = np.zeros(n, np.float32)
        end = position + n
        for start, samples in self._chunks:
            a, b = max(position, start), min(end, start + len(samples))
            if b > a:
                out[a - position : b - position] = samples[a - start : b - start]
        while self._chunks and self._chunks[0][0] + len(self._chunks[0][1]) <= end:
            self._chunks.popleft()
        return out
