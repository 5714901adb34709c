"""Audio stage: any supported file to float32 frames, whole or streamed in blocks.

Decoding goes through libsndfile (:mod:`soundfile`): WAV (PCM 16/24/32-bit and
float), FLAC and OGG/Vorbis. Resampling uses :mod:`soxr` (the SoX resampler,
"HQ" quality) in streaming mode, so a two-hour file is never held whole in
memory when it is read with :func:`blocks`.

Arrays are ``(frames, channels)`` float32 in [-1, 1]; the sample rate travels
beside them.
"""

from __future__ import annotations

import stat
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from .errors import AudioError

#: Sample rates callcoach accepts, in Hz (telephony narrow band to studio).
MIN_SAMPLERATE_HZ = 8000
MAX_SAMPLERATE_HZ = 48000

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga")


@dataclass(frozen=True)
class AudioInfo:
    """What the file header says."""

    path: str
    samplerate: int
    channels: int
    frames: int
    format: str
    subtype: str

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate if self.samplerate else 0.0


def _check_file(p: Path) -> None:
    """A clear error for what libsndfile would report as "System error." or hang on."""
    try:
        st = p.stat()
    except FileNotFoundError:
        raise AudioError("no such file", path=p) from None
    except OSError as exc:
        raise AudioError(f"cannot read: {exc.strerror or exc}", path=p) from None
    if stat.S_ISDIR(st.st_mode):
        raise AudioError("is a folder, not an audio file", path=p)
    if not stat.S_ISREG(st.st_mode):
        raise AudioError("not a regular file (a pipe, socket or device); give a recorded audio file", path=p)
    if st.st_size == 0:
        raise AudioError("file is empty", path=p)
    try:
        with open(p, "rb"):
            pass
    except PermissionError:
        raise AudioError("cannot read: permission denied", path=p) from None
    except OSError as exc:
        raise AudioError(f"cannot read: {exc.strerror or exc}", path=p) from None


#: Bytes per sample of the WAV subtypes (for the length a truncated header promises).
_SAMPLE_BYTES = {
    "PCM_U8": 1,
    "PCM_S8": 1,
    "ULAW": 1,
    "ALAW": 1,
    "PCM_16": 2,
    "PCM_24": 3,
    "PCM_32": 4,
    "FLOAT": 4,
    "DOUBLE": 8,
}


def _wav_truncation(p: Path) -> tuple[int, int] | None:
    """``(declared, present)`` bytes of a RIFF WAVE file's data chunk when the file is cut short, else None.

    Recorders that stream write a data size of 0 or 0xFFFFFFFF ("unknown"); those are not truncation.
    """
    try:
        with open(p, "rb") as f:
            head = f.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            size = p.stat().st_size
            while True:
                chunk = f.read(8)
                if len(chunk) < 8:
                    return None
                cid, length = chunk[:4], struct.unpack("<I", chunk[4:])[0]
                if cid == b"data":
                    present = size - f.tell()
                    if length in (0, 0xFFFFFFFF, 0x7FFFFFFF) or length <= present:
                        return None
                    return length, present
                f.seek(length + (length & 1), 1)
    except OSError:
        return None


def _open(path: str | Path) -> sf.SoundFile:
    p = Path(path)
    _check_file(p)
    try:
        return sf.SoundFile(str(p))
    except sf.LibsndfileError as exc:
        detail = str(exc).split(":", 1)[-1].strip() or "unreadable"
        raise AudioError(f"not a readable audio file ({detail}); callcoach reads WAV, FLAC and OGG", path=p) from None
    except (OSError, RuntimeError) as exc:
        raise AudioError(f"cannot open audio: {exc}", path=p) from None


def info(path: str | Path) -> AudioInfo:
    """Read the header of an audio file and check it is usable.

    Raises
    ------
    AudioError
        Missing, empty, not audio, no frames, or a sample rate outside 8–48 kHz.
    """
    with _open(path) as f:
        result = AudioInfo(
            path=str(path),
            samplerate=int(f.samplerate),
            channels=int(f.channels),
            frames=int(f.frames),
            format=f.format,
            subtype=f.subtype,
        )
    if result.frames <= 0:
        raise AudioError("audio has no samples", path=path)
    if not MIN_SAMPLERATE_HZ <= result.samplerate <= MAX_SAMPLERATE_HZ:
        raise AudioError(
            f"sample rate {result.samplerate} Hz is outside the supported {MIN_SAMPLERATE_HZ}-{MAX_SAMPLERATE_HZ} Hz",
            path=path,
        )
    if result.channels > 2:
        raise AudioError(f"{result.channels} channels; callcoach reads mono or stereo calls", path=path)
    cut = _wav_truncation(Path(path)) if result.format == "WAV" else None
    if cut is not None:
        declared, present = cut
        width = _SAMPLE_BYTES.get(result.subtype) or max(1, round(present / (result.frames * result.channels)))
        per_s = result.samplerate * result.channels * width
        raise AudioError(
            f"truncated: the WAV header promises {declared / per_s:.1f} s of audio but the file "
            f"holds {result.duration_s:.1f} s (a copy cut short or a recorder that crashed)",
            path=path,
        )
    return result


def blocks(path: str | Path, block_s: float = 1.0, samplerate: int | None = None) -> Iterator[tuple[float, np.ndarray]]:
    """Stream a file as consecutive blocks.

    Parameters
    ----------
    path : str or Path
    block_s : float
        Block length in seconds (of the output rate).
    samplerate : int, optional
        Resample to this rate (Hz) with a streaming SoX resampler. ``None`` keeps
        the file's rate.

    Yields
    ------
    start_s : float
        Time of the block's first frame, seconds from the start of the file.
    frames : ndarray, shape (n, channels), float32

    Raises
    ------
    AudioError
        If the file cannot be opened, or is truncated/corrupt mid-stream.
    """
    meta = info(path)
    out_sr = samplerate or meta.samplerate
    in_block = max(1, int(round(block_s * meta.samplerate)))
    stream = None
    if out_sr != meta.samplerate:
        stream = soxr.ResampleStream(meta.samplerate, out_sr, meta.channels, dtype="float32", quality="HQ")
    emitted = 0
    with _open(path) as f:
        while True:
            try:
                chunk = f.read(in_block, dtype="float32", always_2d=True)
            except (sf.LibsndfileError, RuntimeError) as exc:
                raise AudioError(f"audio is corrupt after {emitted / out_sr:.1f} s: {exc}", path=path) from None
            last = len(chunk) < in_block
            if not np.isfinite(chunk).all():
                bad = int(np.flatnonzero(~np.isfinite(chunk).all(axis=1))[0])
                at_s = emitted / out_sr + bad / meta.samplerate
                raise AudioError(f"NaN or infinite samples at {at_s:.2f} s: a corrupt float recording", path=path)
            if stream is not None:
                chunk = stream.resample_chunk(chunk, last=last)
            if len(chunk):
                yield emitted / out_sr, chunk
                emitted += len(chunk)
            if last:
                break


def load(path: str | Path, samplerate: int | None = None) -> tuple[np.ndarray, int]:
    """Read a whole file into memory.

    Use for signal analysis of a call; use :func:`blocks` when the file may be long
    and only a streaming pass is needed.

    Returns
    -------
    frames : ndarray, shape (n, channels), float32
    samplerate : int
        The output rate (Hz): ``samplerate`` if given, else the file's.
    """
    meta = info(path)
    parts = [chunk for _, chunk in blocks(path, block_s=30.0, samplerate=samplerate)]
    frames = np.concatenate(parts) if parts else np.zeros((0, meta.channels), np.float32)
    return frames, samplerate or meta.samplerate


def mono(frames: np.ndarray) -> np.ndarray:
    """Mix ``(frames, channels)`` down to a 1-D float32 signal."""
    if frames.ndim == 1:
        return frames.astype(np.float32, copy=False)
    return frames.mean(axis=1, dtype=np.float32)


def channel(frames: np.ndarray, which: str) -> np.ndarray:
    """Pick ``"left"`` or ``"right"`` from stereo frames as a 1-D signal."""
    if frames.ndim == 1 or frames.shape[1] == 1:
        return frames.reshape(-1).astype(np.float32, copy=False)
    index = {"left": 0, "right": 1}[which]
    return np.ascontiguousarray(frames[:, index], dtype=np.float32)


#: Kaldi's dither, made repeatable: Gaussian noise of one 16-bit step, a fixed table read from the stream's sample
#: index (see :func:`to_pcm16`). 2**16 samples: a period of 4 s at 16 kHz, far longer than a feature window.
_DITHER = np.random.default_rng(20261129).standard_normal(1 << 16).astype(np.float32)


def to_pcm16(signal: np.ndarray, dither_at: int | None = None) -> bytes:
    """Float samples in [-1, 1] to little-endian 16-bit PCM bytes (what Vosk eats).

    ``dither_at``: the index of the first sample in its stream; Gaussian noise of one 16-bit step is added, the
    same for the same sample of the same stream however the stream is cut into blocks. Kaldi would add such noise
    itself (``--dither``), at random, so the same audio decoded twice gave different words; the engine turns
    Kaldi's off (:func:`callcoach.transcribe._open_model`) and feeds this instead: digital silence still decodes
    as silence, and every decode is repeatable.
    """
    scaled = np.clip(signal, -1.0, 1.0) * 32767.0
    if dither_at is not None and len(scaled):
        index = (dither_at + np.arange(len(scaled))) % len(_DITHER)
        scaled = np.clip(scaled + _DITHER[index], -32768.0, 32767.0)
    return scaled.astype("<i2").tobytes()


def is_audio_path(path: str | Path) -> bool:
    """True if the name has an audio suffix callcoach reads."""
    return Path(path).suffix.lower() in AUDIO_SUFFIXES


class OverlapFrames:
    """Frame-wise analysis of a stream, chunk by chunk, as if of the whole signal at once.

    ``analyse(x)`` returns per-frame arrays for a piece ``x`` of the signal,
    frame ``j`` centred at ``x[j * hop]`` (``len(x) // hop + 1`` frames, as
    the signals stage's frame analyses do). The stream is cut into chunks of
    ``chunk`` samples, each analysed with ``margin`` samples of the signal on
    either side; only the chunk's own frames are kept, so filters and windows
    see real context at every cut. Memory is one chunk plus its margins,
    whatever the length of the stream; the results are the per-frame arrays
    (a few numbers per frame).

    Limits: a piece's own edge handling (zero padding, a zero-phase filter's
    edge transient) reaches into the margin only; ``margin`` must exceed the
    analysis window and the filter's settling time. The first and last pieces
    keep the whole-signal edge handling.
    """

    def __init__(self, analyse, hop: int, margin: int, chunk: int):
        if hop < 1 or margin % hop or chunk % hop or chunk < hop:
            raise ValueError("margin and chunk must be whole multiples of hop")
        self.analyse, self.hop, self.margin, self.chunk = analyse, hop, margin, chunk
        self._buf = np.zeros(0, np.float64)
        self._buf_start = 0  # sample index of _buf[0]
        self._next = 0  # first frame not yet produced
        self._parts: list[tuple[np.ndarray, ...]] = []
        self.samples = 0

    def feed(self, block: np.ndarray) -> None:
        """Add the next samples (1-D)."""
        block = np.asarray(block, np.float64).reshape(-1)
        self.samples += len(block)
        self._buf = np.concatenate([self._buf, block]) if len(self._buf) else block.copy()
        while self._buf_start + len(self._buf) >= self._next * self.hop + self.chunk + self.margin:
            self._run(self._next + self.chunk // self.hop)

    def _run(self, stop: int | None) -> None:
        first = max(0, self._next * self.hop - self.margin)
        end = None if stop is None else stop * self.hop + self.margin
        x = self._buf[first - self._buf_start : None if end is None else end - self._buf_start]
        out = self.analyse(x)
        lo = self._next - first // self.hop
        hi = None if stop is None else lo + (stop - self._next)
        self._parts.append(tuple(np.asarray(a)[lo:hi] for a in out))
        if stop is not None:
            self._next = stop
            drop = self._next * self.hop - self.margin - self._buf_start
            if drop > 0:
                self._buf = self._buf[drop:]
                self._buf_start += drop

    def finish(self) -> tuple[np.ndarray, ...]:
        """Analyse what is left; return each per-frame array for the whole stream."""
        if self.samples:
            self._run(None)
        if not self._parts:
            return ()
        return tuple(np.concatenate(arrays) for arrays in zip(*self._parts))
