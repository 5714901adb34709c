"""Speakers stage, voice side: one vector per piece of speech that tells voices apart.

Two embedders share one interface (:class:`Embedder`): ``embed(signal,
samplerate, pieces)`` returns one row per piece, comparable by Euclidean
distance (rows of NaN for pieces that could not be embedded).

:class:`SpectralEmbedder`
    Model-free: the mean spectral envelope (12 mel-cepstral coefficients of
    the loudest frames, level removed) and the pitch (median and spread of
    the fundamental, in semitones) of each piece, standardised over the call,
    the pitch weighted up. Needs nothing installed; fast (about 1 % of real
    time). Limits: it hears the *channel* as much as the voice, so two people
    on the same handset with similar pitch are hard to tell apart, and a
    piece under about a second (a backchannel) has an unsteady pitch median.
:class:`VoskEmbedder`
    Kaldi x-vectors from Vosk's speaker model ``vosk-model-spk-0.4``
    (``vosk.SpkModel``; 8 kHz features, so telephone audio loses nothing).
    Vosk computes the vector inside a recogniser, over the frames its
    decoder judged to be speech, so it needs a loaded ASR model too and costs
    a decode of each piece (at most ``[xvector] max_s`` of it, through a
    small grammar: see ``data/speakers.toml``). The vectors are centred on the
    call's mean and scaled to unit length. Pieces whose decode found no words
    get no vector (:func:`callcoach.speakers.separate` places them by their
    spectral statistics, with less confidence).

Frame features (:func:`frame_features`) are also used by
:mod:`callcoach.speakers` to find changes of voice inside a piece.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .activity import Segment, require_mono
from .audio import to_pcm16
from .datafiles import load_toml_resource
from .errors import ModelError
from .models import SPEAKER_MODEL, is_speaker_model_dir
from .pitch import pitch_track

__all__ = ["FEATURE_RATE_HZ", "Embedder", "FrameFeatures", "SpectralEmbedder", "VoskEmbedder", "frame_features"]
#: Rate of the frame features and of the audio given to the embedders, Hz.
FEATURE_RATE_HZ = 8000
#: Hop between frames, seconds.
HOP_S = 0.01
#: Analysis window, samples at 8 kHz (32 ms).
_WINDOW = 256
#: Mel bands over the telephone band, and the cepstral coefficients kept (c1..c12; c0 is the level).
_MEL_BANDS = 24
_CEPSTRA = 12
_BAND_HZ = (100.0, 3800.0)
#: Frames more than this far under a piece's loudest frames are left out of its envelope, dB.
_LOUD_RANGE_DB = 25.0


class Embedder(Protocol):
    """What :func:`callcoach.speakers.separate` needs from an embedder."""

    name: str

    def embed(self, signal: np.ndarray, samplerate: int, pieces: Sequence[Segment]) -> np.ndarray:
        """One row per piece (NaN rows: could not embed), comparable by Euclidean distance."""
        ...


@dataclass(frozen=True)
class FrameFeatures:
    """Per-frame features of a whole signal, every :data:`HOP_S` seconds.

    Attributes
    ----------
    cepstra : np.ndarray, shape (frames, 12)
        Mel-cepstral coefficients c1..c12 (level-free spectral envelope).
    level_db : np.ndarray, shape (frames,)
        Frame power, dB.
    pitch_st : np.ndarray, shape (frames,)
        Fundamental in semitones over 100 Hz; NaN where unvoiced.
    """

    cepstra: np.ndarray
    level_db: np.ndarray
    pitch_st: np.ndarray

    def frames(self, start_s: float, end_s: float) -> slice:
        """The frames of ``[start_s, end_s)``."""
        return slice(max(0, round(start_s / HOP_S)), max(0, round(end_s / HOP_S)))


@lru_cache(maxsize=1)
def _mel_dct() -> tuple[np.ndarray, np.ndarray]:
    freqs = np.fft.rfftfreq(_WINDOW, 1.0 / FEATURE_RATE_HZ)

    def mel(f):
        return 2595.0 * np.log10(1.0 + np.asarray(f) / 700.0)

    edges = 700.0 * (10 ** (np.linspace(mel(_BAND_HZ[0]), mel(_BAND_HZ[1]), _MEL_BANDS + 2) / 2595.0) - 1.0)
    bank = np.zeros((_MEL_BANDS, len(freqs)))
    for i in range(_MEL_BANDS):
        lo, mid, hi = edges[i], edges[i + 1], edges[i + 2]
        bank[i] = np.clip(np.minimum((freqs - lo) / (mid - lo), (hi - freqs) / (hi - mid)), 0.0, None)
    n = np.arange(_MEL_BANDS)
    dct = np.cos(np.pi / _MEL_BANDS * (n[None, :] + 0.5) * np.arange(1, _CEPSTRA + 1)[:, None])
    return bank.T, dct.T


def frame_features(signal: np.ndarray, samplerate: int) -> FrameFeatures:
    """Spectral envelope, level and pitch of every 10 ms frame of a mono signal at 8 kHz.

    Raises
    ------
    AudioError
        Bad signal, or a sample rate other than :data:`FEATURE_RATE_HZ`.
    """
    samples = require_mono(signal, samplerate)
    if samplerate != FEATURE_RATE_HZ:
        from .errors import AudioError

        raise AudioError(f"speaker features need {FEATURE_RATE_HZ} Hz audio, got {samplerate} Hz")
    hop = round(HOP_S * FEATURE_RATE_HZ)
    n = len(samples) // hop
    if n == 0:
        return FrameFeatures(np.zeros((0, _CEPSTRA)), np.zeros(0), np.zeros(0))
    padded = np.concatenate([np.zeros(_WINDOW // 2, np.float32), samples, np.zeros(_WINDOW, np.float32)])
    frames = np.lib.stride_tricks.sliding_window_view(padded, _WINDOW)[::hop][:n]
    power = np.abs(np.fft.rfft(frames * np.hanning(_WINDOW).astype(np.float32), axis=1)) ** 2
    bank, dct = _mel_dct()
    log_mel = np.log(power @ bank + 1e-10)
    cepstra = log_mel @ dct
    level_db = 10 * np.log10(power.sum(axis=1) + 1e-12)
    _, f0 = pitch_track(samples, samplerate, 60.0, 400.0, hop_s=HOP_S)
    pitch = np.full(n, np.nan)
    m = min(n, len(f0))
    pitch[:m] = 12 * np.log2(f0[:m] / 100.0)
    return FrameFeatures(cepstra.astype(np.float64), level_db, pitch)


def _piece_stats(features: FrameFeatures, piece: Segment) -> np.ndarray:
    """Mean envelope of the loud frames, and pitch median and spread (NaN when unvoiced), of one piece."""
    sl = features.frames(piece.start_s, piece.end_s)
    cep, level, pitch = features.cepstra[sl], features.level_db[sl], features.pitch_st[sl]
    out = np.full(_CEPSTRA + 2, np.nan)
    if len(level) == 0:
        return out
    loud = level >= level.max() - _LOUD_RANGE_DB
    out[:_CEPSTRA] = cep[loud].mean(axis=0)
    voiced = pitch[np.isfinite(pitch)]
    if len(voiced) >= 5:
        out[_CEPSTRA] = np.median(voiced)
        out[_CEPSTRA + 1] = np.percentile(voiced, 75) - np.percentile(voiced, 25)
    return out


class SpectralEmbedder:
    """Model-free embedding: spectral envelope and pitch statistics per piece (see the module notes).

    Parameters
    ----------
    features : FrameFeatures, optional
        Frame features of the same signal, when already computed.
    """

    name = "spectral"

    def __init__(self, features: FrameFeatures | None = None):
        self._features = features

    def embed(self, signal: np.ndarray, samplerate: int, pieces: Sequence[Segment]) -> np.ndarray:
        features = self._features if self._features is not None else frame_features(signal, samplerate)
        raw = np.array([_piece_stats(features, p) for p in pieces]).reshape(len(pieces), _CEPSTRA + 2)
        if len(pieces) == 0:
            return raw
        weights = np.array([min(5.0, max(0.05, p.duration_s)) for p in pieces])
        out = np.empty_like(raw)
        for j in range(raw.shape[1]):
            col = raw[:, j]
            ok = np.isfinite(col)
            if not ok.any():
                out[:, j] = 0.0
                continue
            mean = np.average(col[ok], weights=weights[ok])
            std = np.sqrt(np.average((col[ok] - mean) ** 2, weights=weights[ok]))
            # an unvoiced piece sits at the call's mean pitch: it neither pulls nor pushes
            out[:, j] = np.where(ok, np.clip((col - mean) / max(std, 1e-6), -3.0, 3.0), 0.0)
        envelope_ok = np.isfinite(raw[:, :_CEPSTRA]).all(axis=1)
        conf = load_toml_resource("speakers.toml")["clusters"]
        out[:, :_CEPSTRA] *= float(conf["envelope_weight"]) / np.sqrt(_CEPSTRA)
        out[:, _CEPSTRA:] *= float(conf["pitch_weight"])
        out[~envelope_ok] = np.nan
        return out


@lru_cache(maxsize=2)
def _spk_model(path: str):
    import vosk

    vosk.SetLogLevel(-1)
    try:
        return vosk.SpkModel(path)
    except Exception as exc:  # noqa: BLE001 - vosk raises a bare Exception
        raise ModelError(f"Vosk could not load the speaker model: {exc}", path=path) from None


class VoskEmbedder:
    """Kaldi x-vectors through Vosk's speaker model (see the module notes).

    Parameters
    ----------
    speaker_model : Path
        A ``vosk-model-spk-0.4`` folder.
    asr_model : vosk.Model
        A loaded ASR model (any language): Vosk computes the x-vector over the
        frames its decoder finds to be speech.
    """

    name = SPEAKER_MODEL

    def __init__(self, speaker_model: Path, asr_model):
        path = Path(speaker_model)
        if not is_speaker_model_dir(path):
            raise ModelError(
                "not a Vosk speaker model folder (expected final.ext.raw, mean.vec, transform.mat, mfcc.conf)",
                path=path,
            )
        self.path = path
        self.name = path.name
        self._spk = _spk_model(str(path))
        self._model = asr_model
        self._rec: tuple[int, Any, bool] | None = None  # rate, recogniser, with grammar

    def _recognizer(self, samplerate: int, grammar: bool):
        import vosk

        if grammar:
            words = load_toml_resource("speakers.toml")["xvector"]["grammar"]
            rec = vosk.KaldiRecognizer(self._model, samplerate, json.dumps(words, ensure_ascii=False))
            rec.SetSpkModel(self._spk)
            return rec
        return vosk.KaldiRecognizer(self._model, samplerate, self._spk)

    def embed(self, signal: np.ndarray, samplerate: int, pieces: Sequence[Segment]) -> np.ndarray:
        samples = require_mono(signal, samplerate)
        conf = load_toml_resource("speakers.toml")["xvector"]
        max_s, min_s = float(conf["max_s"]), float(conf["min_s"])
        # the longest pieces first, at most per_minute of them per minute of call (x-vectors of short pieces
        # are unreliable, and each decode costs about as much to start as to run)
        call_min = max(1.0, len(samples) / samplerate / 60.0)
        budget = max(2, round(float(conf["per_minute"]) * call_min))
        longest = sorted(range(len(pieces)), key=lambda i: -pieces[i].duration_s)
        chosen = {i for i in longest[:budget] if pieces[i].duration_s >= min_s}
        if self._rec is None or self._rec[0] != samplerate:
            self._rec = (samplerate, self._recognizer(samplerate, grammar=True), True)
        rows: list[np.ndarray | None] = []
        for n, piece in enumerate(pieces):
            if n not in chosen:
                rows.append(None)  # not embedded: the frame models of [voice_models] place it
                continue
            a, b = round(piece.start_s * samplerate), round(piece.end_s * samplerate)
            extra = (b - a) - int(max_s * samplerate)
            if extra > 0:
                a, b = a + extra // 2, b - (extra - extra // 2)
            pcm = to_pcm16(samples[a:b], dither_at=a)
            rec = self._rec[1]
            rec.AcceptWaveform(pcm)
            vector = json.loads(rec.FinalResult()).get("spk")
            rows.append(np.asarray(vector, float) if vector else None)
        if rows and all(r is None for r in rows) and self._rec is not None and self._rec[2]:
            # no vector at all: the grammar's words are not in this model, or it takes no grammar
            self._rec = (samplerate, self._recognizer(samplerate, grammar=False), False)
            return self.embed(signal, samplerate, pieces)
        dim = next((len(r) for r in rows if r is not None), 1)
        out = np.array([r if r is not None else np.full(dim, np.nan) for r in rows]).reshape(len(pieces), dim)
        ok = np.isfinite(out).all(axis=1)
        if ok.any():
            weights = np.array([min(5.0, max(0.05, p.duration_s)) for p in pieces])[ok]
            out[ok] -= np.average(out[ok], axis=0, weights=weights)
            out[ok] /= np.maximum(np.linalg.norm(out[ok], axis=1, keepdims=True), 1e-9)
        return out
