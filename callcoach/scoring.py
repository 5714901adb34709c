"""Scorecard stage: one call in, a :class:`Scorecard` out.

``score_call`` gathers what the rules need — the transcript (imported or from
Vosk), the call's signals (ringback, speech activity) — runs every rule in
:data:`callcoach.rules.ALL`, and weighs their statuses into a 0-100 score. The
CLI, the batch runner and the practice session all call it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import soxr
from threadpoolctl import threadpool_limits

from . import activity, audio, pitch, tones, voice
from . import rules as registry
from .errors import AudioError, ConfigError, TranscriptError
from .packs import LANGUAGES, RulePack, load_pack
from .redact import redact_scorecard
from .rules.base import PITCH_HOP_S, Call, CallAudio, CallSetup, CheckResult, Finding, Severity
from .transcript import Transcript
from .transcript_files import load_transcript

if TYPE_CHECKING:
    from .transcribe import Engine

__all__ = ["CallSetup", "Scorecard", "score", "score_call", "STATUS_POINTS", "json_safe"]

PathLike = str | Path

#: Samples per second of the signals stage (ringback <= 480 Hz, voice pitch, activity).
SIGNAL_RATE_HZ = 8000

#: Points a status earns towards the score; n/a checks are left out.
STATUS_POINTS = {"pass": 1.0, "warn": 0.5, "fail": 0.0}

ProgressFn = Callable[[float, float], None]

#: An imported transcript may run this far past the end of its recording (seconds, or this share of it).
TRANSCRIPT_OVERRUN_S = 2.0
TRANSCRIPT_OVERRUN_SHARE = 0.05


def json_safe(value):
    """``value`` with every NaN or infinite float replaced by None (strict JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


@dataclass
class Scorecard:
    """The verdict on one call. ``to_dict()`` is the public JSON (see README)."""

    file: str | None
    duration_s: float
    language: str
    setup: CallSetup
    checks: dict[str, CheckResult]
    findings: list[Finding]
    transcript: Transcript
    signals: dict = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    #: The pack's ``[privacy]`` table: ``redact`` (bool), ``patterns`` (regular expressions), ``cues`` (kind -> words).
    privacy: dict = field(default_factory=dict)

    @property
    def score(self) -> float | None:
        """Weighted share of points over the checks that apply, 0-100 (None if none apply)."""
        usable = {k: float(w) for k, w in self.weights.items() if math.isfinite(float(w)) and float(w) > 0}
        top = max(usable.values(), default=0.0)
        total = earned = 0.0
        for key, result in self.checks.items():
            weight = usable.get(key, 0.0) / top if top else 0.0  # scaled to at most 1: huge weights cannot overflow
            if result.status in STATUS_POINTS and weight > 0:
                total += weight
                earned += weight * STATUS_POINTS[result.status]
        return round(100.0 * earned / total, 1) if total else None

    @property
    def redacting(self) -> bool:
        """Whether :meth:`to_dict` masks personal data (``setup.redact`` or the pack's ``[privacy] redact``)."""
        return bool(self.setup.redact or self.privacy.get("redact"))

    def add_finding(
        self, rule: str, severity: Severity, at_s: float | None, message: str, suggestion: str | None = None
    ) -> None:
        """Add a finding from outside the rules (e.g. the practice session)."""
        self.findings.append(Finding(rule, severity, at_s, message, suggestion))
        self.findings.sort(key=_finding_order)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON (``docs/scorecard.schema.json``): strict (no NaN), and masked when :attr:`redacting` (see :mod:`callcoach.redact`)."""
        doc = json_safe(self._document())
        if self.redacting:
            doc = redact_scorecard(doc, self.privacy.get("patterns", ()), self.privacy.get("cues"))
        return doc

    def _document(self) -> dict:
        return {
            "file": self.file,
            "duration_s": round(self.duration_s, 2),
            "language": self.language,
            "agent": self.setup.agent,
            "company": self.setup.company,
            "score": self.score,
            "checks": {key: {"status": r.status, **r.figures} for key, r in self.checks.items()},
            "findings": [f.to_dict() for f in self.findings],
            "weights": self.weights,
            "signals": self.signals,
            "transcript": self.transcript.to_dict(),
        }


def _finding_order(f: Finding) -> tuple:
    return (f.at_s is None, f.at_s or 0.0, f.rule)


#: Seconds of the file read per block by the signals pass.
SIGNAL_BLOCK_S = 10.0


def _gather_signals(path: str | Path, setup: CallSetup) -> tuple[CallAudio, dict, object, list, list | None]:
    """One streamed pass over the file: everything the rules read of the audio, in memory flat in its length.

    Per block: clipping at the file's own rate, then at 8 kHz the ringback
    scanners (customer channel, and the agent's as a fall-back), the speech
    activity of each side, the agent's loudness frames and pitch. Nothing
    holds the whole signal: a 3-hour call keeps a few numbers per 10 ms frame.
    """
    meta = audio.info(path)
    layout = setup.layout or ("stereo" if meta.channels == 2 else "mono")
    if layout == "stereo" and meta.channels != 2:
        raise AudioError(f"layout stereo needs a two-channel file; this one has {meta.channels}", path=path)
    stereo = layout == "stereo"
    other = "right" if setup.agent_channel == "left" else "left"
    index = {"left": 0, "right": 1}
    agent_i, customer_i = (index[setup.agent_channel], index[other]) if stereo else (0, 0)
    regions = [setup.region] if setup.region else None
    ring_customer = tones.RingbackScanner(regions)
    ring_agent = tones.RingbackScanner(regions) if stereo else None
    speech_agent = activity.SpeechScanner(SIGNAL_RATE_HZ)
    speech_customer = activity.SpeechScanner(SIGNAL_RATE_HZ) if stereo else None
    frames_agent = voice.VoiceFrames(SIGNAL_RATE_HZ)
    pitch_agent = pitch.PitchScanner(hop_s=PITCH_HOP_S)
    stream = soxr.ResampleStream(meta.samplerate, SIGNAL_RATE_HZ, meta.channels, dtype="float32", quality="HQ")
    clipped, peak = np.zeros(meta.channels), np.zeros(meta.channels)

    def take(frames: np.ndarray) -> None:
        if not len(frames):
            return
        if ring_agent is not None and speech_customer is not None:  # stereo
            agent_signal = audio.channel(frames, setup.agent_channel)
            customer_signal = audio.channel(frames, other)
            ring_agent.feed(agent_signal)
            speech_customer.feed(customer_signal)
        else:
            agent_signal = customer_signal = audio.mono(frames)
        ring_customer.feed(customer_signal)
        speech_agent.feed(agent_signal)
        frames_agent.feed(agent_signal)
        pitch_agent.feed(agent_signal)

    for _, block in audio.blocks(path, block_s=SIGNAL_BLOCK_S):
        clipped += np.count_nonzero(np.abs(block) >= 0.999, axis=0)
        peak = np.maximum(peak, np.abs(block).max(axis=0))
        take(stream.resample_chunk(block))
    take(stream.resample_chunk(np.zeros((0, meta.channels), np.float32), last=True))
    ring = ring_customer.result()
    if ring is None and ring_agent is not None:
        ring = ring_agent.result()
    exclude = [(b[0], b[1]) for b in ring.bursts] if ring is not None else []
    agent_speech = speech_agent.segments(exclude)
    customer_speech = speech_customer.segments(exclude) if speech_customer is not None else None
    stats = {
        "samplerate": meta.samplerate,
        "channels": meta.channels,
        "layout": layout,
        "agent_clipped_ratio": float(clipped[agent_i] / max(1, meta.frames)),
        "agent_peak": float(peak[agent_i]),
        "customer_peak": float(peak[customer_i]),
    }
    call_audio = CallAudio(
        samplerate=SIGNAL_RATE_HZ,
        stereo=stereo,
        agent_frames=frames_agent,
        agent_pitch=pitch_agent.track(),
        agent_clipped_samples=int(clipped[agent_i]),
        native_samplerate=meta.samplerate,
    )
    return call_audio, stats, ring, agent_speech, customer_speech


def _wants_voice_separation(transcript: Transcript, call_audio: CallAudio, setup: CallSetup) -> bool:
    """An imported transcript without speaker labels, on a mono call (or ``--speakers voice``)."""
    if transcript.speakers is not None or any(t.speaker in ("agent", "customer") for t in transcript.turns):
        return False
    if not transcript.turns or setup.speakers in ("none", "channels"):
        return False
    return setup.speakers == "voice" or not call_audio.stereo


def _separate_imported(
    transcript: Transcript, call: Call, setup: CallSetup, engine, audio_path: str | Path
) -> Transcript:
    """Speakers for an unlabelled imported transcript from the call's audio (the mono mix at 8 kHz).

    The x-vector embedder needs a loaded ASR model: the given engine's, else
    the installed model of the call's language; without one the model-free
    embedder is used (the record says which).
    """
    from . import models, speakers
    from .speaker_embed import SpectralEmbedder, VoskEmbedder

    assert call.audio is not None  # only called with audio
    # The separation needs the whole mix at once: read here, only for this case (not flat in the call's length).
    frames, _ = audio.load(audio_path, samplerate=call.audio.samplerate)
    mix = audio.mono(frames)
    del frames
    path = models.resolve_speaker_model(setup.speaker_model)
    embedder: SpectralEmbedder | VoskEmbedder = SpectralEmbedder()
    if path is not None:
        if engine is None:
            from .errors import ModelError
            from .transcribe import Engine

            try:
                engine = Engine(models.resolve(None, language=call.language))
            except ModelError:
                engine = None
        if engine is not None:
            embedder = VoskEmbedder(path, engine.model)
    separation = speakers.separate_signal(
        mix.astype(np.float32), call.audio.samplerate, embedder, ringback=call.ringback
    )
    if separation.ring_end_s is None and call.ringback is not None:
        separation = replace(separation, ring_end_s=call.ringback.last_burst_end_s)
    turns, info = speakers.label_turns(transcript.turns, separation, call.language, (setup.company, setup.agent))
    return replace(transcript, turns=turns, speakers=info)


def _speakers_record(transcript: Transcript, call: Call) -> dict:
    """How the speakers were determined (the scorecard's ``signals.speakers``)."""
    if transcript.speakers is not None:
        record = dict(transcript.speakers)
        record.pop("segments", None)  # in the transcript's own record
        return record
    if call.speakers_known:
        return {"method": "transcript labels"}
    return {"method": "none"}


def score_call(
    audio_path: str | Path | None = None,
    *,
    transcript: Transcript | None = None,
    transcript_path: str | Path | None = None,
    setup: CallSetup | None = None,
    pack: RulePack | None = None,
    engine=None,
    extra_packs=(),
    progress: ProgressFn | None = None,
    labels: dict[str, str] | None = None,
    session: dict | None = None,
) -> Scorecard:
    """Score one call.

    Parameters
    ----------
    audio_path : path, optional
        The recording. Without it only the transcript-based checks can run
        (answer time then needs ``setup.ring_s``).
    transcript : Transcript, optional
        Already in memory (e.g. the practice session's live transcript).
    transcript_path : path, optional
        An imported transcript (.srt, .vtt, callcoach .json) instead of ASR.
    setup : CallSetup
        Company, agent, language, region, ring time, layout.
    pack : RulePack, optional
        Default: the bundled pack of the call's language plus ``extra_packs``.
    engine : callcoach.transcribe.Engine, optional
        A loaded model for ASR; loaded on demand when needed and not given.
    progress : callable, optional
        ``progress(seconds_done, seconds_total)`` during ASR.
    labels : mapping, optional
        Extra speaker labels for an imported transcript (label -> "agent"/"customer").
    session : dict, optional
        Facts of a practice session for the practice-only rules (see ``Call.session``).

    Raises
    ------
    CallcoachError
        Bad audio, transcript, model or pack: the message names the file.
    """
    # One call is one thread of work: BLAS's own threads only spin on this pipeline's small matrix
    # products (a quarter slower alone, worse beside other workers); batch parallelism is per call.
    with threadpool_limits(limits=1, user_api="blas"):
        return _score_call(
            audio_path,
            transcript,
            transcript_path,
            setup or CallSetup(),
            pack,
            engine,
            extra_packs,
            progress,
            labels,
            session,
        )


def _score_call(
    audio_path, transcript, transcript_path, setup, pack, engine, extra_packs, progress, labels, session=None
) -> Scorecard:
    if audio_path is None and transcript is None and transcript_path is None:
        raise AudioError("nothing to score: give an audio file or a transcript")
    if setup.ring_s is not None and not (math.isfinite(setup.ring_s) and setup.ring_s >= 0):
        raise ConfigError(f"ring time {setup.ring_s} should be zero or more seconds")
    meta = audio.info(audio_path) if audio_path is not None else None
    if transcript is None and transcript_path is not None:
        transcript = load_transcript(transcript_path, language=setup.language, labels=labels)
        if meta is not None:
            _check_transcript_fits(transcript, meta.duration_s, transcript_path, audio_path)
    if transcript is None:
        if engine is None:
            from . import models
            from .transcribe import Engine

            engine = Engine(models.resolve(None, language=setup.language or "zh"))
        transcript = engine.transcribe(
            audio_path,
            layout=setup.layout,
            agent_channel=setup.agent_channel,
            progress=progress,
            speakers=setup.speakers,
            speaker_model=setup.speaker_model,
            names=(setup.company, setup.agent),
        )
    language = setup.language or transcript.language
    if language not in LANGUAGES:
        packs = ", ".join(LANGUAGES)
        problem = (
            f"no rule pack for language {language!r} (have: {packs})"
            if setup.language
            else f"the transcript's language is {language!r} ({transcript.source or 'in memory'}); rule packs "
            f"exist for {packs} only: give the call's language (--lang, or language= in the API)"
        )
        raise ConfigError(problem, path=transcript_path if transcript_path is not None else audio_path)
    pack = pack or load_pack(language, extra_packs)
    duration_s = (
        meta.duration_s if meta else (transcript.duration_s or max((t.end_s for t in transcript.turns), default=0.0))
    )
    call = Call(
        transcript=transcript, language=language, pack=pack, setup=setup, duration_s=duration_s, session=session
    )
    signals: dict = {}
    if audio_path is not None:
        (call.audio, signals["audio"], call.ringback, call.agent_speech, call.customer_speech) = _gather_signals(
            audio_path, setup
        )
        if setup.speakers == "channels" and not call.audio.stereo:
            raise AudioError("--speakers channels needs a two-channel (stereo) recording", path=audio_path)
        signals["ringback"] = call.ringback.to_dict() if call.ringback is not None else None
        if _wants_voice_separation(transcript, call.audio, setup):
            transcript = _separate_imported(transcript, call, setup, engine, audio_path)
            call = replace(call, transcript=transcript)
        signals["agent_speech"] = [[round(s.start_s, 2), round(s.end_s, 2)] for s in call.agent_speech or []]
        if call.customer_speech is not None:
            signals["customer_speech"] = [[round(s.start_s, 2), round(s.end_s, 2)] for s in call.customer_speech]
    signals["speakers"] = _speakers_record(transcript, call)
    findings: list[Finding] = []
    record = signals["speakers"]
    if record.get("method") == "voice":
        findings.append(
            Finding(
                "speakers",
                "info",
                None,
                call.say(
                    "speakers",
                    "by_voice",
                    embedder=record["embedder"],
                    confidence=record["confidence"],
                    unknown_s=record["unknown_s"],
                ),
                call.say("speakers", "by_voice_tip"),
            )
        )
    if transcript.turns and not call.speakers_known:
        findings.append(
            Finding(
                "speakers", "info", None, call.say("speakers", "unlabelled"), call.say("speakers", "unlabelled_tip")
            )
        )
    checks: dict[str, CheckResult] = {}
    for rule in registry.ALL:
        result = rule.check(call)
        if rule.RULE.check:
            checks[rule.RULE.check] = result
        findings.extend(result.findings)
    findings.sort(key=_finding_order)
    weights = {k: float(v) for k, v in pack.get("weights", {}).items() if k in checks}
    return Scorecard(
        file=None if audio_path is None else str(audio_path),
        duration_s=duration_s,
        language=language,
        setup=setup,
        checks=checks,
        findings=findings,
        transcript=transcript,
        signals=signals,
        weights=weights,
        privacy=dict(pack.get("privacy", {})),
    )


def _check_transcript_fits(transcript: Transcript, audio_s: float, transcript_path, audio_path) -> None:
    """An imported transcript must not run past its recording (the transcript of another call, or wrong times)."""
    end_s = max((t.end_s for t in transcript.turns), default=0.0)
    allowed_s = audio_s + max(TRANSCRIPT_OVERRUN_S, TRANSCRIPT_OVERRUN_SHARE * audio_s)
    if end_s > allowed_s:
        raise TranscriptError(
            f"runs to {end_s:.1f} s but the recording {Path(audio_path).name} is "
            f"{audio_s:.1f} s long: the transcript of another call, or wrongly timed",
            path=transcript_path,
        )


def score(
    audio: PathLike | None = None,
    *,
    transcript: Transcript | PathLike | None = None,
    setup: CallSetup | None = None,
    company: str | None = None,
    agent: str | None = None,
    language: str | None = None,
    region: str | None = None,
    ring_s: float | None = None,
    layout: str | None = None,
    agent_channel: str | None = None,
    rules: Iterable[PathLike] = (),
    engine: Engine | None = None,
    model: PathLike | None = None,
    labels: Mapping[str, str] | None = None,
    progress: ProgressFn | None = None,
) -> Scorecard:
    """Score one call: the library's entry point (``callcoach.score``).

    Parameters
    ----------
    audio : path, optional
        The recording (WAV, FLAC, OGG). Without it only the transcript-based
        checks run, and the answer time needs ``ring_s``.
    transcript : Transcript or path, optional
        A transcript in memory, or a file to import (.srt, .vtt, callcoach
        .json). Without one, the audio is transcribed with Vosk.
    setup : CallSetup, optional
        The call's facts as one record; the keywords below override its fields.
    company, agent : str, optional
        Names to expect in the introduction (matched by pronunciation).
    language : {"zh", "en"}, optional
        Default: the transcript's language. Any other raises ConfigError.
    region : {"cn", "na", "uk"}, optional
        Ringback region (default: detected from the tone).
    ring_s : float, optional
        Seconds it rang before the recording started.
    layout : {"stereo", "mono"}, optional
        Default: stereo for two-channel files.
    agent_channel : {"left", "right"}, optional
        The agent's channel of a stereo file (default left).
    rules : paths of rule packs
        A company's own packs merged over the bundled one (``--rules``).
    engine : Engine, optional
        A loaded speech model, reused across calls; else one is loaded when
        the audio must be transcribed (``model``, or the first installed
        model of the call's language).
    model : path or name, optional
        The Vosk model to load when no ``engine`` is given.
    labels : mapping, optional
        Extra speaker labels for an imported transcript (label -> "agent"/"customer").
    progress : callable, optional
        ``progress(seconds_done, seconds_total)`` while transcribing.

    Returns
    -------
    Scorecard
        ``.score`` (0-100 or None), ``.checks``, ``.findings``; ``.to_dict()``
        is the scorecard JSON.

    Raises
    ------
    CallcoachError
        AudioError, TranscriptError, ModelError or ConfigError: one line naming
        the file and the problem.

    Notes
    -----
    Scoring leaves no process-wide setting changed: BLAS is held to one
    thread only while the call is scored. Loading a Vosk model (a new
    ``Engine``) silences Vosk's own log for the rest of the process, as Vosk
    has no way to scope it.
    """
    given: dict[str, Any] = {
        key: value
        for key, value in (
            ("company", company),
            ("agent", agent),
            ("language", language),
            ("region", region),
            ("ring_s", ring_s),
            ("layout", layout),
            ("agent_channel", agent_channel),
        )
        if value is not None
    }
    setup = replace(setup or CallSetup(), **given)
    if setup.language is not None and setup.language not in LANGUAGES:
        raise ConfigError(f"unknown language {setup.language!r} (have: {', '.join(LANGUAGES)})")
    in_memory: Transcript | None = None
    transcript_path: PathLike | None = None
    if isinstance(transcript, Transcript):
        in_memory = transcript
    else:
        transcript_path = transcript
    if engine is None and model is not None and in_memory is None and transcript_path is None:
        from . import models
        from .transcribe import Engine

        engine = Engine(models.resolve(model, language=setup.language or "zh"))
    return score_call(
        audio,
        transcript=in_memory,
        transcript_path=transcript_path,
        setup=setup,
        engine=engine,
        extra_packs=tuple(rules),
        progress=progress,
        labels=dict(labels) if labels is not None else None,
    )
