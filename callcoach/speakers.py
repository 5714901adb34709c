"""Speakers stage: who speaks when on a one-channel call, and which voice is the agent's.

A stereo recording keeps the agent and the customer on their own channels; a
mono mix does not. For a mono call :func:`separate`

1. cuts the speech into *pieces* with the signals stage's speech activity
   (:func:`callcoach.activity.speech_segments`, pauses from 0.25 s), and cuts
   pieces again where the voice changes without a pause (the median pitch or
   the spectral envelope of the second before and the second after differ;
   :func:`speech_pieces`);
2. embeds every piece (:mod:`callcoach.speaker_embed`: Vosk's x-vectors or the
   model-free spectral and pitch statistics);
3. clusters the pieces into two voices (two-means, long pieces weigh more),
   and re-decides each piece by frame models of the two voices (a Gaussian
   of each voice's envelope frames and of its pitch: :func:`_refine`);
4. gives the pieces their voices by frame models of the two voices fitted to
   the whole call (:mod:`callcoach.speaker_models`: a mixture of the call's
   spectral-envelope frames adapted to each voice, a robust pitch model,
   Viterbi over the pieces with a cost for a change of voice without a
   pause, started from several splits, the likeliest kept), each piece with a
   confidence from how much likelier its frames are under its own voice.

:func:`label_turns` then decides which voice is the agent — the one that
speaks first after the pick-up (or the ringback), and the one whose words hold
the greeting, company, own name and offer of help (the language pack's
``[introduction]`` cue lists and the given names) — and labels every word,
splitting a transcript turn where the voice changes, so turns follow the
speakers. Every turn gets a ``speaker_confidence`` (0-1); words of pieces too
uncertain to judge (often short backchannels such as 嗯 / 好的 under the other
side's speech) are ``"unknown"`` rather than guessed.

Limits, honestly: exactly two voices are assumed (a third, e.g. a
supervisor, joins one of them; an IVR prompt is a voice; a recording of one
voice alone is still cut into two "voices": the spread between two voices and
within one overlap too much on these features to tell them apart); speech of both
sides at once is one piece and goes to one of them; a piece under a second
judged by pitch alone is often wrong, so its confidence is lowered; two
voices of the same sex with the same pitch are told apart by the spectral
envelope only (the frame models: which sounds each voice makes how).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from .activity import Segment, speech_segments
from .datafiles import load_toml_resource
from .names import find_name
from .speaker_embed import (
    FEATURE_RATE_HZ,
    Embedder,
    FrameFeatures,
    SpectralEmbedder,
    frame_features,
)
from .speaker_models import decide_voices, two_means
from .textmatch import cue_set
from .textnorm import simplify
from .transcript import Speaker, Turn, Word

__all__ = [
    "VOICE_METHOD",
    "Piece",
    "Separation",
    "label_turns",
    "separate",
    "separate_file",
    "separate_signal",
    "speech_of",
    "speech_pieces",
]

#: ``speakers.method`` of the scorecard and transcript for voice separation.
VOICE_METHOD = "voice"
#: A piece must last this long to count as the first speech after the pick-up, seconds.
_FIRST_MIN_S = 0.15
#: The first stretch of speech after the pick-up (pieces apart by at most this, seconds) votes on who spoke first.
_OPENING_GAP_S = 0.2
#: Words are given to a piece within this distance of their middle, seconds.
_WORD_SLACK_S = 0.3


def _settings() -> dict:
    return load_toml_resource("speakers.toml")


@dataclass(frozen=True)
class Piece:
    """A piece of speech and the voice it was given.

    Attributes
    ----------
    start_s, end_s : float
    voice : int
        0 or 1 (the two clusters), or -1: not judged (no embedding, or too uncertain).
    confidence : float
        0-1: how much nearer the piece lies to its voice than to the other.
    nearest : int
        The voice it lies nearer to, however unsure (-1: no embedding).
    """

    start_s: float
    end_s: float
    voice: int
    confidence: float
    nearest: int = -1

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Separation:
    """The pieces of a mono call with their voices.

    Attributes
    ----------
    pieces : tuple of Piece
    embedder : str
        ``"spectral"`` or the speaker model's name.
    ring_end_s : float or None
        End of the ringback when one was heard: the pick-up is after it.
    elapsed_s : float
        Processing time of the separation, seconds.
    """

    pieces: tuple[Piece, ...]
    embedder: str
    ring_end_s: float | None = None
    elapsed_s: float = 0.0


def _change_points(features: FrameFeatures, a: int, b: int, conf: dict) -> list[int]:
    """Frames in ``[a, b)`` where the voice changes (recursive best split)."""
    window = round(conf["change_window_s"] / 0.01)
    if b - a < 2 * window:
        return []
    best, best_t = 0.0, None
    cep = features.cepstra
    spread = np.sqrt(np.mean(np.var(cep[a:b], axis=0)) + 1e-9)
    for t in range(a + window, b - window + 1, 5):
        left, right = features.pitch_st[t - window : t], features.pitch_st[t : t + window]
        lv, rv = left[np.isfinite(left)], right[np.isfinite(right)]
        score = 0.0
        if len(lv) >= 0.25 * window and len(rv) >= 0.25 * window:
            score = abs(float(np.median(lv) - np.median(rv))) / conf["change_semitones"]
        spectral = float(np.linalg.norm(cep[t - window : t].mean(0) - cep[t : t + window].mean(0))) / spread
        score = max(score, spectral / conf["change_spectral"])
        if score > best:
            best, best_t = score, t
    if best_t is None or best < 1.0:
        return []
    return _change_points(features, a, best_t, conf) + [best_t] + _change_points(features, best_t, b, conf)


def speech_pieces(
    signal: np.ndarray,
    samplerate: int,
    *,
    exclude: Iterable[Sequence[float]] = (),
    features: FrameFeatures | None = None,
) -> list[Segment]:
    """Cut a mono signal's speech into pieces at pauses and at changes of voice.

    Parameters
    ----------
    signal : np.ndarray
        Mono samples at 8 kHz.
    samplerate : int
        8000.
    exclude : iterable of (start_s, end_s)
        Known non-speech (ringback bursts).
    features : FrameFeatures, optional
        The signal's frame features, when already computed.

    Returns
    -------
    list of Segment
    """
    conf = _settings()["pieces"]
    segments = speech_segments(
        signal,
        samplerate,
        min_speech_s=conf["min_speech_s"],
        min_silence_s=conf["min_silence_s"],
        threshold_db=conf["threshold_db"],
        exclude=exclude,
    )
    features = features if features is not None else frame_features(signal, samplerate)
    out: list[Segment] = []
    for seg in segments:
        a, b = features.frames(seg.start_s, seg.end_s).start, features.frames(seg.start_s, seg.end_s).stop
        cuts = [seg.start_s] + [t * 0.01 for t in _change_points(features, a, min(b, len(features.level_db)), conf)]
        cuts.append(seg.end_s)
        out += [Segment(x, y) for x, y in pairwise(cuts) if y > x]
    return out


#: Fewest frames a voice needs for its frame model in :func:`_refine`.
_REFINE_MIN_FRAMES = 100


def _refine(features: FrameFeatures, pieces: Sequence[Segment], labels: np.ndarray, iterations: int) -> np.ndarray:
    """Re-decide each piece's voice frame by frame: a full-covariance Gaussian of each voice's envelope frames
    (and a Gaussian of its voiced pitch), each piece to the voice under which its frames are likelier on average.

    Two-means compares one mean per piece; the frame models use every frame's envelope and its spread, which
    tells two voices of one sex apart better (classic re-segmentation after clustering, here per piece).
    """
    frames: list[np.ndarray] = []
    pitches: list[np.ndarray] = []
    for piece in pieces:
        sl = features.frames(piece.start_s, piece.end_s)
        level = features.level_db[sl]
        loud = level >= (level.max() - 25.0 if len(level) else 0.0)
        frames.append(features.cepstra[sl][loud])
        pitch = features.pitch_st[sl]
        pitches.append(pitch[np.isfinite(pitch)])
    labels = labels.copy()
    for _ in range(iterations):
        models = []
        for k in (0, 1):
            members = [i for i in range(len(pieces)) if labels[i] == k]
            cep = np.concatenate([frames[i] for i in members]) if members else np.empty((0, 0))
            if len(cep) < _REFINE_MIN_FRAMES:
                return labels
            mean = cep.mean(axis=0)
            cov = np.cov(cep, rowvar=False) + 1e-3 * np.eye(cep.shape[1])
            inverse = np.linalg.inv(cov)
            logdet = float(np.linalg.slogdet(cov)[1])
            voiced = np.concatenate([pitches[i] for i in members])
            pitch_model = (float(np.mean(voiced)), float(np.std(voiced)) + 0.5) if len(voiced) >= 20 else None
            models.append((mean, inverse, logdet, pitch_model))
        new = labels.copy()
        for i, (cep, pitch) in enumerate(zip(frames, pitches)):
            if len(cep) == 0:
                continue
            score = []
            for mean, inverse, logdet, pitch_model in models:
                d = cep - mean
                ll = -0.5 * (np.einsum("ij,jk,ik->i", d, inverse, d).mean() + logdet)
                if pitch_model is not None and len(pitch):
                    mu, sd = pitch_model
                    ll += -0.5 * (((pitch - mu) / sd) ** 2).mean() - np.log(sd)
                score.append(ll)
            new[i] = int(np.argmax(score))
        if (new == labels).all() or min((new == 0).sum(), (new == 1).sum()) == 0:
            break
        labels = new
    return labels


def separate(
    signal: np.ndarray,
    samplerate: int,
    embedder: Embedder | None = None,
    *,
    exclude: Iterable[Sequence[float]] = (),
    ring_end_s: float | None = None,
) -> Separation:
    """Pieces of speech of a mono call, each with one of two voices and a confidence.

    Parameters
    ----------
    signal : np.ndarray
        The call's mono mix at 8 kHz.
    samplerate : int
        8000.
    embedder : Embedder, optional
        Default: :class:`~callcoach.speaker_embed.SpectralEmbedder`.
    exclude : iterable of (start_s, end_s)
        Known non-speech (ringback bursts, a known hold).
    ring_end_s : float, optional
        End of the ringback, when heard.

    Returns
    -------
    Separation
    """
    started = time.perf_counter()
    features = frame_features(signal, samplerate)
    embedder = embedder or SpectralEmbedder(features)
    if isinstance(embedder, SpectralEmbedder) and embedder._features is None:
        embedder = SpectralEmbedder(features)
    segments = speech_pieces(signal, samplerate, exclude=exclude, features=features)
    conf = _settings()["clusters"]
    models = _settings()["voice_models"]
    pieces: list[Piece] = []
    if segments:
        vectors = embedder.embed(signal, samplerate, segments)
        ok = np.isfinite(vectors).all(axis=1)
        durations = np.array([s.duration_s for s in segments])
        voices = np.full(len(segments), -1)
        confidence = np.zeros(len(segments))
        if ok.any():
            weights = np.minimum(5.0, np.maximum(0.05, durations[ok])) ** 2
            labels, centres = two_means(vectors[ok], weights, conf["min_share"])
            clustered = labels
            if conf.get("refine_iterations", 0):
                kept = [seg for seg, good in zip(segments, ok) if good]
                labels = _refine(features, kept, labels, int(conf["refine_iterations"]))
                centres = np.vstack(
                    [
                        np.average(vectors[ok][labels == k], axis=0, weights=weights[labels == k])
                        if (labels == k).any()
                        else centres[k]
                        for k in (0, 1)
                    ]
                )
            d = np.linalg.norm(vectors[ok][:, None, :] - centres[None], axis=2)
            own = d[np.arange(len(labels)), labels]
            other = d[np.arange(len(labels)), 1 - labels]
            margin = np.clip((other - own) / np.maximum(other + own, 1e-9), 0.0, 1.0)
            # a margin of 0.3 (own voice 1.9 times nearer) is sure; short pieces count for less
            sure = np.minimum(1.0, margin / 0.3) * np.minimum(1.0, np.sqrt(durations[ok] / conf["judge_min_s"]))
            voices[ok], confidence[ok] = labels, sure
        missing = ~ok
        if missing.any() and ok.any() and not isinstance(embedder, SpectralEmbedder):
            # no x-vector (a piece with no word decoded): the nearer voice by spectral statistics, less sure
            spectral = SpectralEmbedder(features).embed(signal, samplerate, segments)
            usable = np.isfinite(spectral).all(axis=1)
            members = [spectral[ok & usable & (voices == k)] for k in (0, 1)]
            if all(len(m) for m in members):
                centres = np.vstack([m.mean(axis=0) for m in members])
                for i in np.flatnonzero(missing & usable):
                    d = np.linalg.norm(centres - spectral[i], axis=1)
                    k = int(np.argmin(d))
                    margin = (d[1 - k] - d[k]) / max(d.sum(), 1e-9)
                    voices[i] = k
                    confidence[i] = 0.5 * min(1.0, margin / 0.3) * min(1.0, np.sqrt(durations[i] / conf["judge_min_s"]))
        if ok.any() and models["iterations"]:
            starts = [np.where(voices >= 0, voices, 0)]
            first = starts[0].copy()
            first[ok] = clustered
            decision = decide_voices(features, segments, [first, *starts], vectors, models, conf["min_share"])
            if decision is not None:
                # a margin of sure_margin (nats per frame) is sure; short pieces count for less
                voices = decision.voices
                confidence = np.clip(decision.margin / models["sure_margin"], 0.0, 1.0) * np.minimum(
                    1.0, np.sqrt(durations / conf["judge_min_s"])
                )
        nearest = voices.copy()
        voices[confidence < conf["unknown_below"]] = -1
        pieces = [
            Piece(s.start_s, s.end_s, int(v), round(float(c), 3), int(k))
            for s, v, c, k in zip(segments, voices, confidence, nearest)
        ]
    return Separation(
        pieces=tuple(pieces), embedder=embedder.name, ring_end_s=ring_end_s, elapsed_s=time.perf_counter() - started
    )


def separate_file(path, embedder: Embedder | None = None, *, region: str | None = None) -> Separation:
    """:func:`separate` on an audio file's mono mix (read whole at 8 kHz; ringback bursts left out).

    Memory: 32 kB per second of call (about 115 MB for an hour).
    """
    from . import audio

    frames, rate = audio.load(path, samplerate=FEATURE_RATE_HZ)
    return separate_signal(audio.mono(frames), rate, embedder, region=region)


def separate_signal(
    signal: np.ndarray, samplerate: int, embedder: Embedder | None = None, *, region: str | None = None, ringback=None
) -> Separation:
    """:func:`separate` on a call's 8 kHz mono mix, finding its ringback first (unless given)."""
    from . import tones

    ring = (
        ringback
        if ringback is not None
        else tones.detect_ringback(signal, samplerate, regions=[region] if region else None)
    )
    exclude = [(a, b) for a, b in ring.bursts] if ring is not None else []
    return separate(
        signal, samplerate, embedder, exclude=exclude, ring_end_s=ring.last_burst_end_s if ring is not None else None
    )


def _piece_at(pieces: Sequence[Piece], start_s: float, end_s: float) -> Piece | None:
    """The piece holding the middle of ``[start_s, end_s]``, or the nearest within :data:`_WORD_SLACK_S`."""
    mid = 0.5 * (start_s + end_s)
    best, best_d = None, _WORD_SLACK_S
    for p in pieces:
        d = 0.0 if p.start_s <= mid <= p.end_s else min(abs(mid - p.start_s), abs(mid - p.end_s))
        if d <= best_d and (best is None or d < best_d or p.duration_s > best.duration_s):
            best, best_d = p, d
    return best


def _vote(pieces: Sequence[Piece], start_s: float, end_s: float) -> tuple[int, float]:
    """Voice and confidence of a span by the judged pieces it overlaps (time-weighted)."""
    score = np.zeros(2)
    total = 0.0
    for p in pieces:
        overlap = min(end_s, p.end_s) - max(start_s, p.start_s)
        if overlap > 0:
            total += overlap
            if p.voice >= 0:
                score[p.voice] += overlap * p.confidence
    if total <= 0 or score.sum() <= 0:
        return -1, 0.0
    voice = int(np.argmax(score))
    return voice, float(score[voice] / total) * float(score[voice] / score.sum())


def _split(turn: Turn, pieces: Sequence[Piece], language: str) -> list[tuple[int, float, Turn]]:
    """A turn cut where the voice of its words changes: ``(voice, confidence, turn)`` parts."""
    if not turn.words:
        voice, conf = _vote(pieces, turn.start_s, turn.end_s)
        return [(voice, conf, turn)]
    groups: list[tuple[int, list[float], list[Word]]] = []
    for w in turn.words:
        p = _piece_at(pieces, w.start_s, w.end_s)
        voice, conf = (p.voice, p.confidence) if p is not None and p.voice >= 0 else (-1, 0.0)
        if groups and groups[-1][0] == voice:
            groups[-1][1].append(conf)
            groups[-1][2].append(w)
        else:
            groups.append((voice, [conf], [w]))
    if len(groups) == 1:
        voice, confs, _ = groups[0]
        return [(voice, float(np.mean(confs)), turn)]
    out = []
    joiner = "" if language in ("zh", "ja") else " "
    for voice, confs, words in groups:
        text = joiner.join(w.text for w in words)
        out.append(
            (
                voice,
                float(np.mean(confs)),
                Turn(
                    speaker=turn.speaker,
                    start_s=words[0].start_s,
                    end_s=words[-1].end_s,
                    text=text,
                    words=tuple(words),
                    simplified=simplify(text),
                ),
            )
        )
    return out


def _agent_voice(
    separation: Separation, parts: list[tuple[int, float, Turn]], language: str, names: Sequence[str | None]
) -> tuple[int, float, dict]:
    """Which voice (0/1) is the agent's, how sure (0-1), and the evidence."""
    conf = _settings()["agent"]
    score = np.zeros(2)
    evidence: dict = {"first": None, "cues": [0, 0]}
    after = separation.ring_end_s or 0.0
    # the first stretch of speech after the pick-up, up to the first pause of _OPENING_GAP_S, by time
    opening = np.zeros(2)
    evidence["opening"] = []
    last_end = None
    for p in separation.pieces:
        if p.end_s <= after or p.duration_s < _FIRST_MIN_S:
            continue
        if last_end is not None and p.start_s - last_end > _OPENING_GAP_S and opening.sum() > 0:
            break
        last_end = p.end_s
        evidence["opening"].append(p)
        if p.nearest >= 0:  # a short "喂？" is unsure but still the best clue
            opening[p.nearest] += p.duration_s * max(p.confidence, 0.1)
    if opening.sum() > 0:
        first = int(np.argmax(opening))
        score[first] += conf["first_weight"] * float(opening[first] / opening.sum())
        evidence["first"] = first
    pack = load_toml_resource(f"{language}.toml") if language in ("zh", "en") else {}
    intro = pack.get("introduction", {})
    phrases = [
        p
        for key in ("greetings", "bare_openers", "company_markers", "name_markers", "offer_help")
        for p in intro.get(key, [])
    ]
    cues = cue_set(phrases, language) if phrases else None
    for voice in (0, 1):
        text = " ".join(t.simplified for v, _, t in parts if v == voice)
        hits = len(cues.find(text)) if cues is not None and text else 0
        hits += sum(1 for name in names if name and find_name(text, name, language) is not None)
        hits = min(hits, int(conf["max_cues"]))
        evidence["cues"][voice] = hits
        score[voice] += conf["cue_weight"] * hits
    if score.sum() == 0:
        return 0, 0.0, evidence
    agent = int(np.argmax(score))
    return agent, float(abs(score[0] - score[1]) / score.sum()), evidence


def label_turns(
    turns: Sequence[Turn], separation: Separation, language: str, names: Sequence[str | None] = ()
) -> tuple[tuple[Turn, ...], dict]:
    """Give every turn of a mono call a speaker from the separated voices.

    Turns are cut where the voice of their words changes (turns without word
    timing take the voice of the pieces they overlap). The agent's voice is
    decided here, from who speaks first after the pick-up and whose words hold
    the introduction cues (greeting, company, own name, offer of help) or
    ``names`` (company, agent).

    Returns
    -------
    turns : tuple of Turn
        With ``speaker`` ``"agent"``, ``"customer"`` or ``"unknown"`` and ``speaker_confidence``.
    info : dict
        The ``speakers`` record of the transcript and the scorecard (see README "Scorecard JSON").
    """
    parts = [part for turn in turns for part in _split(turn, separation.pieces, language)]
    agent, agent_conf, evidence = _agent_voice(separation, parts, language, names)
    # the pick-up's first words (a short "喂？" too unsure alone) are the agent's when they lie nearer the agent
    opening = {id(p) for p in evidence.pop("opening", [])}
    if any(id(p) in opening and p.voice < 0 and p.nearest == agent for p in separation.pieces):
        separation = replace(
            separation,
            pieces=tuple(
                replace(p, voice=agent) if id(p) in opening and p.voice < 0 and p.nearest == agent else p
                for p in separation.pieces
            ),
        )
        parts = [part for turn in turns for part in _split(turn, separation.pieces, language)]
    role: dict[int, Speaker] = {agent: "agent", 1 - agent: "customer", -1: "unknown"}
    out = []
    for voice, conf, turn in parts:
        speaker = role[voice]
        out.append(
            Turn(
                speaker=speaker,
                start_s=turn.start_s,
                end_s=turn.end_s,
                text=turn.text,
                words=turn.words,
                simplified=turn.simplified,
                speaker_confidence=round(conf if voice >= 0 else 0.0, 3),
            )
        )
    judged = [p for p in separation.pieces if p.voice >= 0]
    speech_s = sum(p.duration_s for p in separation.pieces)
    mean_conf = sum(p.duration_s * p.confidence for p in judged) / speech_s if speech_s else 0.0
    info = {
        "method": VOICE_METHOD,
        "embedder": separation.embedder,
        "confidence": round(mean_conf, 3),
        "agent_confidence": round(agent_conf, 3),
        "agent_evidence": {
            "first_after_pickup": None if evidence["first"] is None else role[evidence["first"]],
            "cues": {role[v]: evidence["cues"][v] for v in (0, 1)},
        },
        "unknown_s": round(sum(p.duration_s for p in separation.pieces if p.voice < 0), 2),
        "separation_s": round(separation.elapsed_s, 3),
        "segments": [[round(p.start_s, 2), round(p.end_s, 2), role[p.voice], p.confidence] for p in separation.pieces],
    }
    return tuple(out), info


def speech_of(info: dict, speaker: str) -> list[Segment]:
    """The speech segments of one speaker from a ``speakers`` record (see :func:`label_turns`)."""
    return [Segment(a, b) for a, b, who, _ in info.get("segments", []) if who == speaker]
