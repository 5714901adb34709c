"""Transcript stage, ASR side: Vosk streaming recognition into a :class:`Transcript`.

One :class:`Engine` loads a Vosk model once and serves any number of calls
(the batch runner keeps one per worker process; the practice session keeps one
for the live transcript). Audio is streamed in blocks, resampled to the
model's rate, and fed to one recogniser per channel: a stereo call is split
into the agent and customer channels, each recognised separately.

When ``speech_only`` is on (the default), only what may be speech is decoded.
A first, cheap pass over the file runs the signals stage's speech-activity
tracker (:class:`callcoach.live_activity.ActivityTracker`) on each channel at 8 kHz;
it ignores silence, line noise and everything steady (ringback and other call
progress tones, slow hold music). The stretches it finds, padded and joined
across short pauses, are then the only audio fed to Vosk; each ends the
recogniser's utterance. A call is mostly ringing, holds, silence and the other
side talking, so this decodes a fraction of each channel (and nothing is
"heard" in a ring or in hold music). Word times stay exact: every fed stretch
records where it sits in the recording, and word times are mapped back
through that table. Every pass streams the file in blocks, so memory stays
flat however long the call.

Channels are decoded one after the other through one Kaldi recogniser, and an
engine keeps its recognisers from file to file: Vosk caches the decoding
graph it composes on the fly inside each recogniser, and a cold cache costs
several times the decoding itself (see :meth:`Engine._file_recognizer`).
"""

from __future__ import annotations

import bisect
import json
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import audio
from .errors import AudioError, ModelError
from .live_activity import ActivityTracker
from .models import model_samplerate, registry, resolve_speaker_model
from .speaker_embed import SpectralEmbedder, VoskEmbedder
from .speakers import label_turns, separate_file
from .transcript import Speaker, Transcript, Turn, Word, merge

#: Seconds of audio per block read from disk (and fed to Vosk).
BLOCK_S = 0.5

#: Sample rate of the speech-activity pass that decides what to decode, Hz.
GATE_RATE_HZ = 8000
#: Audio fed before each stretch of speech and after it, seconds (word onsets and endings stay whole).
PRE_ROLL_S = 0.35
POST_ROLL_S = 0.5
#: Pauses shorter than this between stretches are decoded too (one utterance), seconds.
JOIN_S = 0.6
#: A Kaldi recogniser is reused for files until it has decoded this much audio, seconds; then a fresh one
#: starts (its graph cache grows by a few MB per call at first, then more slowly: this bounds it).
RECOGNIZER_REUSE_S = 3600.0
#: The activity threshold of the gate, dB over the noise floor (lower than the signals stage's
#: 10 dB: decoding a little noise costs less than losing a quiet word).
GATE_THRESHOLD_DB = 7.0

#: Decoder chunk of a live session, in 10 ms input frames (Kaldi's ``--frames-per-chunk``; a multiple of the
#: models' frame subsampling of 3). Vosk's looped decoder waits for a whole chunk before it decodes any of it;
#: the models' own setting made the Korean test model's partial result trail speech by 0.52 s (median); 6
#: frames took it to 0.37 s and 3 frames to 0.35 s on a quiet machine (benchmarks/bench_live_latency.py, two
#: runs each), for more, smaller decoding steps at the same CPU per block. The model's look-ahead (~0.3 s)
#: is the floor.
LIVE_FRAMES_PER_CHUNK = 3

ProgressFn = Callable[[float, float], None]

#: How speakers are told apart (``--speakers``).
SPEAKER_MODES = ("auto", "channels", "voice", "none")


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
        if self.fed_starts and abs((real_start_s - fed_start_s) - (self.real_starts[-1] - self.fed_starts[-1])) < 1e-9:
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

    def __init__(
        self, engine: Engine, speaker: Speaker, *, partials: bool = True, _kaldi=None, _kaldi_samples: int = 0
    ):
        import vosk

        self.engine = engine
        self.speaker = speaker
        self.partials = partials
        if _kaldi is None:
            _kaldi = vosk.KaldiRecognizer(engine.model, engine.samplerate)
            _kaldi.SetWords(True)
        self._rec = _kaldi
        # A Kaldi recogniser reused from earlier calls (see Engine.transcribe) counts its word times
        # from its first sample ever: this stream starts that many samples in.
        self._base_s = _kaldi_samples / engine.samplerate
        self._samples = 0
        self._cut_fed_s = 0.0  # where the stream was last cut by end_utterance(), in fed time
        self._map = _FedMap()
        self._partial = ""

    @property
    def fed_s(self) -> float:
        """Seconds of audio decoded so far (less than elapsed time when silence is skipped)."""
        return self._samples / self.engine.samplerate

    def feed(self, block: np.ndarray, start_s: float) -> list[Turn]:
        """Decode one block; return the turns that the recogniser finalised."""
        self._map.add(self.fed_s, start_s)
        pcm = audio.to_pcm16(block, dither_at=self._samples)
        self._samples += len(block)
        if self._rec.AcceptWaveform(pcm):
            self._partial = ""
            return self._turns(self._rec.Result())
        if self.partials:
            self._partial = json.loads(self._rec.PartialResult()).get("partial", "")
        return []

    def end_utterance(self) -> list[Turn]:
        """Force the current utterance to finish (e.g. at a stretch of non-speech)."""
        self._partial = ""
        turns = self._turns(self._rec.FinalResult())
        self._cut_fed_s = self.fed_s
        return turns

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
        # Vosk may place a word a frame or two before the audio it was fed after a cut; such a
        # word belongs to the stretch after the cut, not to the end of the one before it
        floor, base = self._cut_fed_s, self._base_s
        words = tuple(
            Word(
                text=w["word"],
                start_s=self._map.real(max(floor, float(w["start"]) - base)),
                end_s=self._map.real(max(floor, float(w["end"]) - base)),
                confidence=float(w.get("conf", 1.0)),
            )
            for w in raw
        )
        text = join_words((w.text for w in words), self.engine.language)
        return [Turn(speaker=self.speaker, start_s=words[0].start_s, end_s=words[-1].end_s, text=text, words=words)]


def _open_model(path: Path, frames_per_chunk: int | None):
    """Load a Vosk model without dither, with its decoder chunk set to ``frames_per_chunk`` input frames when given.

    Kaldi adds random noise to every frame before its features (``--dither``,
    1.0 by default, which a model's ``conf/mfcc.conf`` rarely sets), so the
    same audio decoded twice gave different words (on the Korean test model
    one to four of 21; vosk-api issue 868). Decoding is made repeatable by
    ``--dither=0``: a call scored again, or in another batch order, gets the
    same transcript. Vosk takes these options only from the model's ``conf``
    files, read while the model loads; it reads every file then and none later.
    So they are set through a stand-in folder made for the load: links to the
    model's own files, and copies of its ``mfcc.conf`` (``--dither=0``) and
    ``model.conf`` (``--frames-per-chunk``, when given) with the option added
    (the last value of an option wins). The model's folder is never written.
    Models of the older layout (no ``am/final.mdl``) have fixed options and
    load as they are.
    """
    import vosk

    overrides: dict[str, str] = {}
    if (path / "am" / "final.mdl").is_file():
        if (path / "conf" / "mfcc.conf").is_file():
            overrides["mfcc.conf"] = "--dither=0.0"
        if frames_per_chunk is not None and (path / "conf" / "model.conf").is_file():
            overrides["model.conf"] = f"--frames-per-chunk={int(frames_per_chunk)}"
    if not overrides:
        return vosk.Model(model_path=str(path))
    with tempfile.TemporaryDirectory(prefix="callcoach-model-") as folder:
        stand_in = Path(folder)
        try:
            (stand_in / "conf").mkdir()
            for entry in path.iterdir():
                if entry.name != "conf":
                    (stand_in / entry.name).symlink_to(entry.resolve())
            for entry in (path / "conf").iterdir():
                if entry.name in overrides:
                    options = entry.read_text(encoding="utf-8").rstrip("\n")
                    (stand_in / "conf" / entry.name).write_text(
                        f"{options}\n{overrides[entry.name]}\n", encoding="utf-8"
                    )
                else:
                    (stand_in / "conf" / entry.name).symlink_to(entry.resolve())
        except OSError:  # no links on this file system: the model's own options (dither, the chunk)
            return vosk.Model(model_path=str(path))
        return vosk.Model(model_path=str(stand_in))


class Engine:
    """A loaded Vosk model.

    Parameters
    ----------
    model_path : Path
        A Vosk model folder (see :func:`callcoach.models.resolve`).
    language : str, optional
        Language of the model's output; looked up in the registry by folder
        name when not given, else ``"zh"``.
    frames_per_chunk : int, optional
        The decoder's chunk in 10 ms input frames (see :func:`_open_model`):
        smaller chunks make partial results follow the speech sooner, at some
        CPU cost. Default: the model's own setting. Live sessions use
        :data:`LIVE_FRAMES_PER_CHUNK`.

    Notes
    -----
    Creating an engine sets Vosk's log level to -1 (silent) for the whole
    process: Vosk's log level is process-wide and cannot be read back to be
    restored. Call ``vosk.SetLogLevel(0)`` afterwards to see Vosk's log again.
    """

    def __init__(self, model_path: str | Path, language: str | None = None, *, frames_per_chunk: int | None = None):
        path = Path(model_path)
        _quiet_vosk()
        try:
            self.model = _open_model(path, frames_per_chunk)
        except Exception as exc:  # vosk raises a bare Exception
            raise ModelError(f"Vosk could not load the model: {exc}", path=path) from None
        self.path = path
        self.samplerate = model_samplerate(path)
        if language is None:
            _, specs = registry()
            spec = specs.get(path.name) or next(
                (s for s in specs.values() if s.python_package and s.python_package in path.parts), None
            )
            language = spec.language if spec else "zh"
        self.language = language
        # Kaldi recognisers of finished files, with the samples each has decoded (see transcribe)
        self._spare: list[tuple[object, int]] = []
        self._spare_lock = threading.Lock()

    def recognizer(self, speaker: Speaker = "unknown") -> StreamingRecognizer:
        """A new recogniser for live audio (partial results on)."""
        return StreamingRecognizer(self, speaker)

    def _file_recognizer(self, speaker: Speaker) -> StreamingRecognizer:
        """A recogniser for a file: an idle one from an earlier file when there is one.

        Vosk composes its decoding graph on the fly and caches what it has
        expanded inside each recogniser; a fresh recogniser pays for that
        expansion again, which costs several times the decoding itself on the
        first minute of speech. Reusing recognisers across the calls of a batch
        worker keeps the cache warm. Each file still starts a new utterance
        with a fresh feature pipeline, so no adaptation carries over.
        """
        with self._spare_lock:
            spare = self._spare.pop() if self._spare else None
        if spare is None:
            return StreamingRecognizer(self, speaker, partials=False)
        return StreamingRecognizer(self, speaker, partials=False, _kaldi=spare[0], _kaldi_samples=spare[1])

    def _release(self, rec: StreamingRecognizer) -> None:
        """Keep a finished file recogniser for the next file (at most four, each for RECOGNIZER_REUSE_S)."""
        samples = int(round(rec._base_s * self.samplerate)) + rec._samples
        if samples > RECOGNIZER_REUSE_S * self.samplerate:
            return  # retire it: its cache has grown enough
        with self._spare_lock:
            if len(self._spare) < 4:
                self._spare.append((rec._rec, samples))

    def transcribe(
        self,
        path: str | Path,
        *,
        layout: str | None = None,
        agent_channel: str = "left",
        speech_only: bool = True,
        progress: ProgressFn | None = None,
        speakers: str = "auto",
        speaker_model: str | Path | None = None,
        names: tuple[str | None, ...] = (),
    ) -> Transcript:
        """Recognise a whole call.

        Parameters
        ----------
        layout : {"stereo", "mono"}, optional
            ``stereo`` splits the channels into agent and customer; default:
            stereo for two-channel files, else mono (one mixed channel).
        agent_channel : {"left", "right"}
        speech_only : bool
            Skip stretches with no speech (exact timestamps are kept).
        progress : callable, optional
            ``progress(seconds_done, seconds_total)``.
        speakers : {"auto", "channels", "voice", "none"}
            How the agent is told from the customer: ``channels`` (the stereo
            split; needs two channels), ``voice`` (separation by voice of the
            mixed signal, :mod:`callcoach.speakers`), ``none`` (a mono call's
            turns stay ``"unknown"``); ``auto``: channels for stereo, voice for mono.
        speaker_model : path or str, optional
            The embedder for ``voice``: a Vosk speaker-model folder or name,
            ``"spectral"`` for the model-free one; default: the installed
            ``vosk-model-spk-0.4``, else the model-free one (see
            :func:`callcoach.models.resolve_speaker_model`).
        names : tuple of str
            Company and agent names, evidence for which voice is the agent's.
        """
        meta = audio.info(path)
        if speakers not in SPEAKER_MODES:
            raise AudioError(f"unknown speakers mode {speakers!r} (use {', '.join(SPEAKER_MODES)})", path=path)
        if speakers == "channels":
            if meta.channels != 2 or layout == "mono":
                raise AudioError("--speakers channels needs a two-channel (stereo) recording", path=path)
            layout = "stereo"
        elif speakers == "voice":
            layout = "mono"
        layout = layout or ("stereo" if meta.channels == 2 else "mono")
        if layout not in ("stereo", "mono"):
            raise AudioError(f"unknown layout {layout!r} (use stereo or mono)", path=path)
        if layout == "stereo" and meta.channels != 2:
            raise AudioError(f"--layout stereo needs a two-channel file; this one has {meta.channels}", path=path)
        if agent_channel not in ("left", "right"):
            raise AudioError(f"unknown agent channel {agent_channel!r} (use left or right)", path=path)
        if layout == "stereo":
            customer_channel = "right" if agent_channel == "left" else "left"
            lanes: list[tuple[Speaker, str | None]] = [("agent", agent_channel), ("customer", customer_channel)]
        else:
            lanes = [("unknown", None)]
        duration_s = meta.duration_s
        plans = _speech_stretches(path, lanes, duration_s) if speech_only else [None] * len(lanes)
        turns: list[Turn] = []
        # One channel after the other through one recogniser (its graph cache serves both; see
        # _file_recognizer); reading the file again costs little next to decoding it.
        for lane, ((speaker, side), plan) in enumerate(zip(lanes, plans)):
            done_s = lane * duration_s
            if plan is not None and not plan.spans:
                continue  # nothing on this channel may be speech
            rec = self._file_recognizer(speaker)
            for start_s, frames in audio.blocks(path, block_s=BLOCK_S, samplerate=self.samplerate):
                end_s = start_s + len(frames) / self.samplerate
                if plan is None:
                    turns += rec.feed(audio.channel(frames, side) if side else audio.mono(frames), start_s)
                elif plan.wants(start_s, end_s):
                    signal = audio.channel(frames, side) if side else audio.mono(frames)
                    for piece_start_s, piece, stretch_over in plan.cut(signal, start_s, self.samplerate):
                        if len(piece):
                            turns += rec.feed(piece, piece_start_s)
                        if stretch_over:
                            turns += rec.end_utterance()
                if progress:
                    progress((done_s + end_s) / len(lanes), duration_s)
                if plan is not None and plan.done:
                    break  # the rest of this channel holds no speech
            turns += rec.finish()
            self._release(rec)  # only after a whole channel: a failed file's recogniser is dropped
        if progress:
            progress(duration_s, duration_s)
        source = f"vosk:{self.path.name}"
        info = {"method": "channels", "agent_channel": agent_channel} if layout == "stereo" else None
        if layout == "mono" and speakers != "none":
            separation = separate_file(path, self.embedder(speaker_model))
            labelled, info = label_turns(sorted(turns, key=lambda t: t.start_s), separation, self.language, names)
            turns = list(labelled)
        parts = [
            Transcript(
                turns=tuple(turns), language=self.language, duration_s=meta.duration_s, source=source, speakers=info
            )
        ]
        return merge(parts, duration_s=meta.duration_s)

    def embedder(self, speaker_model: str | Path | None = None):
        """The voice embedder for ``speaker_model`` (see :meth:`transcribe`), x-vectors through this engine's model."""
        path = resolve_speaker_model(speaker_model)
        if path is None:
            return SpectralEmbedder()
        return VoskEmbedder(path, self.model)


class _Stretches:
    """The stretches of one channel worth decoding, consumed block by block in time order."""

    def __init__(self, spans: list[tuple[float, float]]):
        self.spans = spans
        self._k = 0  # first stretch not yet finished

    @property
    def done(self) -> bool:
        """Every stretch has been cut out."""
        return self._k >= len(self.spans)

    def wants(self, start_s: float, end_s: float) -> bool:
        """Whether the block ``[start_s, end_s)`` overlaps a stretch still to decode."""
        return self._k < len(self.spans) and self.spans[self._k][0] < end_s

    def cut(self, signal: np.ndarray, start_s: float, samplerate: int):
        """Yield ``(piece_start_s, piece, stretch_over)`` for the parts of this block inside stretches."""
        n = len(signal)
        end_s = start_s + n / samplerate
        while self._k < len(self.spans) and self.spans[self._k][0] < end_s:
            a_s, b_s = self.spans[self._k]
            a = min(n, max(0, int(round((a_s - start_s) * samplerate))))
            b = min(n, max(0, int(round((b_s - start_s) * samplerate))))
            over = b_s <= end_s
            yield start_s + a / samplerate, signal[a:b], over
            if not over:
                return
            self._k += 1


def _speech_stretches(path: str | Path, lanes: list[tuple[Speaker, str | None]], duration_s: float) -> list[_Stretches]:
    """First pass: per lane, the padded and joined stretches of possible speech (seconds).

    Streams the file at :data:`GATE_RATE_HZ` through one
    :class:`~callcoach.live_activity.ActivityTracker` per lane.
    """
    trackers = [ActivityTracker(GATE_RATE_HZ, threshold_db=GATE_THRESHOLD_DB) for _ in lanes]
    found: list[list] = [[] for _ in lanes]
    for _, frames in audio.blocks(path, block_s=10.0, samplerate=GATE_RATE_HZ):
        for (_, side), tracker, segments in zip(lanes, trackers, found):
            segments += tracker.feed(audio.channel(frames, side) if side else audio.mono(frames))
    plans = []
    for tracker, segments in zip(trackers, found):
        segments += tracker.flush()
        spans: list[tuple[float, float]] = []
        for seg in segments:
            a, b = max(0.0, seg.start_s - PRE_ROLL_S), min(duration_s, seg.end_s + POST_ROLL_S)
            if spans and a - spans[-1][1] < JOIN_S:
                spans[-1] = (spans[-1][0], max(spans[-1][1], b))
            elif b > a:
                spans.append((a, b))
        plans.append(_Stretches(spans))
    return plans
