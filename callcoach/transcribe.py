"""Transcript stage, ASR side: Vosk streaming recognition into a :class:`Transcript`.

One :class:`Engine` loads a Vosk model once and serves any number of calls
(the batch runner keeps one per worker process; the practice session keeps one
for the live transcript). Audio is streamed in blocks, resampled to the
model's rate, and fed to one recogniser per channel: a stereo call is split
into the agent and customer channels, each recognised separately.

When ``speech_only`` is on, stretches that the speech-activity tracker is sure
hold no speech (ringing, holds, silence) are not decoded. Word times stay exact:
every fed stretch records where it sits in the recording, and word times are
mapped back through that table.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from . import audio
from .errors import AudioError, ModelError
from .models import model_samplerate, registry
from .transcript import Transcript, Turn, Word, merge

#: Seconds of audio per block read from disk (and fed to Vosk).
BLOCK_S = 0.5

ProgressFn = Callable[[float, float], None]


def _quiet_vosk() -> None:
    import vosk

    vosk.SetLogLevel(-1)


def join_words(words: Iterable[str], language: str) -> str:
    """Mandarin words join without spaces; other languages with one space."""
    return ("" if language in ("zh", "ja") else " ").join(w for w in words if w)


@dataclass
class _FedMap:
    """Maps time in the stream fed to Vosk back to time in the recording."""

    fed_starts: list[float] = field(default_factory=list)
    real_starts: list[float] = field(default_factory=list)

    def add(self, fed_start_s: float, real_start_s: float) -> None:
        if self.fed_starts and abs((real_start_s - fed_start_s)
                                   - (self.real_starts[-1] - self.fed_starts[-1])) < 1e-9:
            return  # contiguous with the previous stretch
        self.fed_starts.append(fed_start_s)
        self.real_starts.append(real_start_s)

    def real(self, fed_s: float) -> float:
        i = bisect.bisect_right(self.fed_starts, fed_s) - 1
        if i < 0:
            return fed_s
        return self.real_starts[i] + (fed_s - self.fed_starts[i])


class StreamingRecognizer:
    """One channel of live or file recognition.

    Feed float32 mono blocks at the engine's rate with the recording time of
    their first sample; collect finished :class:`Turn` objects and read the
    partial (not yet final) text for a live display.
    """

    def __init__(self, engine: "Engine", speaker: str):
        import vosk

        self.engine = engine
        self.speaker = speaker
        self._rec = vosk.KaldiRecognizer(engine.model, engine.samplerate)
        self._rec.SetWords(True)
        self._fed_s = 0.0
        self._map = _FedMap()
        self._partial = ""

    @property
    def fed_s(self) -> float:
        """Seconds of audio decoded so far (less than elapsed time when silence is skipped)."""
        return self._fed_s

    def feed(self, block: np.ndarray, start_s: float) -> list[Turn]:
        """Decode one block; return the turns that the recogniser finalised."""
        self._map.add(self._fed_s, start_s)
        self._fed_s += len(block) / self.engine.samplerate
        if self._rec.AcceptWaveform(audio.to_pcm16(block)):
            self._partial = ""
            return self._turns(self._rec.Result())
        self._partial = json.loads(self._rec.PartialResult()).get("partial", "")
        return []

    def end_utterance(self) -> list[Turn]:
        """Force the current utterance to finish (e.g. at a stretch of non-speech)."""
        self._partial = ""
        return self._turns(self._rec.FinalResult())

    finish = end_utterance

    @property
    def partial(self) -> str:
        """Text of the utterance in progress, for a live transcript."""
        if self.engine.language in ("zh", "ja"):
            return self._partial.replace(" ", "")
        return self._partial

    def _turns(self, result_json: str) -> list[Turn]:
        result = json.loads(result_json)
        raw = result.get("result") or []
        if not raw:
            return []
        words = tuple(
            Word(text=w["word"], start_s=self._map.real(float(w["start"])),
                 end_s=self._map.real(float(w["end"])), confidence=float(w.get("conf", 1.0)))
            for w in raw
        )
        text = join_words((w.text for w in words), self.engine.language)
        return [Turn(speaker=self.speaker, start_s=words[0].start_s, end_s=words[-1].end_s,
                     text=text, words=words)]


class Engine:
    """A loaded Vosk model.

    Parameters
    ----------
    model_path : Path
        A Vosk model folder (see :func:`callcoach.models.resolve`).
    language : str, optional
        Language of the model's output; looked up in the registry by folder
        name when not given, else ``"zh"``.
    """

    def __init__(self, model_path: str | Path, language: str | None = None):
        path = Path(model_path)
        _quiet_vosk()
        import vosk

        try:
            self.model = vosk.Model(model_path=str(path))
        except Exception as exc:  # vosk raises a bare Exception
            raise ModelError(f"Vosk could not load the model: {exc}", path=path) from None
        self.path = path
        self.samplerate = model_samplerate(path)
        if language is None:
            _, specs = registry()
            spec = specs.get(path.name) or next(
                (s for s in specs.values() if s.python_package and s.python_package in path.parts), None)
            language = spec.language if spec else "zh"
        self.language = language

    def recognizer(self, speaker: str = "unknown") -> StreamingRecognizer:
        return StreamingRecognizer(self, speaker)

    def transcribe(self, path: str | Path, *, layout: str | None = None, agent_channel: str = "left",
                   speech_only: bool = True, progress: ProgressFn | None = None) -> Transcript:
        """Recognise a whole call.

        Parameters
        ----------
        layout : {"stereo", "mono"}, optional
            ``stereo`` splits the channels into agent and customer; default:
            stereo for two-channel files, else mono (one mixed channel, speaker
            ``"unknown"``).
        agent_channel : {"left", "right"}
        speech_only : bool
            Skip stretches with no speech (exact timestamps are kept).
        progress : callable, optional
            ``progress(seconds_done, seconds_total)``.
        """
        meta = audio.info(path)
        layout = layout or ("stereo" if meta.channels == 2 else "mono")
        if layout not in ("stereo", "mono"):
            raise AudioError(f"unknown layout {layout!r} (use stereo or mono)", path=path)
        if layout == "stereo" and meta.channels != 2:
            raise AudioError(f"--layout stereo needs a two-channel file; this one has {meta.channels}", path=path)
        if agent_channel not in ("left", "right"):
            raise AudioError(f"unknown agent channel {agent_channel!r} (use left or right)", path=path)
        if layout == "stereo":
            customer_channel = "right" if agent_channel == "left" else "left"
            lanes = [("agent", agent_channel), ("customer", customer_channel)]
        else:
            lanes = [("unknown", None)]
        gates = [_SpeechGate(self.samplerate) if speech_only else None for _ in lanes]
        recs = [self.recognizer(speaker) for speaker, _ in lanes]
        turns: list[Turn] = []
        for start_s, frames in audio.blocks(path, block_s=BLOCK_S, samplerate=self.samplerate):
            for (speaker, side), gate, rec in zip(lanes, gates, recs):
                signal = audio.channel(frames, side) if side else audio.mono(frames)
                if gate is None:
                    turns += rec.feed(signal, start_s)
                    continue
                for piece_start_s, piece, speech_over in gate.admit(signal, start_s):
                    if piece is not None:
                        turns += rec.feed(piece, piece_start_s)
                    if speech_over:
                        turns += rec.end_utterance()
            if progress:
                progress(start_s + len(frames) / self.samplerate, meta.duration_s)
        for rec in recs:
            turns += rec.finish()
        source = f"vosk:{self.path.name}"
        parts = [Transcript(turns=tuple(turns), language=self.language, duration_s=meta.duration_s, source=source)]
        return merge(parts, duration_s=meta.duration_s)


class _SpeechGate:
    """Decides which blocks are worth decoding.

    A block is admitted when it, or one of its neighbours, holds energy above
    the adaptive noise floor; a run of quiet blocks longer than
    ``HANGOVER_S`` ends the utterance and the rest of the quiet run is skipped.
    The padding keeps word onsets and endings intact.
    """

    HANGOVER_S = 0.6
    MARGIN_DB = 9.0
    FLOOR_DBFS = -55.0

    def __init__(self, samplerate: int):
        self.samplerate = samplerate
        self._held: tuple[float, np.ndarray] | None = None
        self._quiet_s = 0.0
        self._floor_db: float | None = None
        self._in_speech = False

    def _is_active(self, block: np.ndarray) -> bool:
        frame = max(1, self.samplerate // 50)
        n = len(block) // frame
        if n == 0:
            return False
        energy = np.mean(block[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12
        db = 10 * np.log10(energy)
        quiet = float(np.percentile(db, 10))
        self._floor_db = quiet if self._floor_db is None else min(self._floor_db + 0.5, quiet)
        threshold = max(self.FLOOR_DBFS, self._floor_db + self.MARGIN_DB)
        return bool(np.count_nonzero(db > threshold) >= 3)

    def admit(self, block: np.ndarray, start_s: float):
        """Yield ``(start_s, block_or_None, utterance_over)`` for this block."""
        active = self._is_active(block)
        held, self._held = self._held, (start_s, block)
        if active:
            self._quiet_s = 0.0
            if not self._in_speech and held is not None:
                yield held[0], held[1], False  # pre-roll: the quiet block before speech
            self._in_speech = True
            yield start_s, block, False
            self._held = None
            return
        if self._in_speech:
            self._quiet_s += len(block) / self.samplerate
            if self._quiet_s <= self.HANGOVER_S:
                yield start_s, block, False
                self._held = None
                return
            self._in_speech = False
            yield start_s, None, True
