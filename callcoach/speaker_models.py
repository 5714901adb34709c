"""Speakers stage, frame side: models of the two voices over every frame of a call, and who says each piece.

Clustering one vector per piece (:mod:`callcoach.speaker_embed`) mixes what is
said with who says it: a piece's mean spectral envelope depends on its vowels
as much as on the voice, which is why two voices of one sex with the same
pitch are hard to tell apart that way. :func:`decide_voices` instead models the
frames (classic GMM-UBM speaker modelling, as in speaker verification and
diarization by re-segmentation):

1. a *background model* of the whole call: a Gaussian mixture (diagonal
   covariances, ``[voice_models] components``) of the loud frames' spectral
   envelopes (12 mel-cepstral coefficients, standardised over the call; every
   ``frame_step``-th 10 ms frame), so each component stands for one kind of
   sound (a vowel quality, a fricative);
2. a model of each voice: the background model with its component means moved
   towards that voice's frames (MAP adaptation with relevance factor
   ``relevance``: a component heard little stays near the call's), plus a
   robust Gaussian of the voice's pitch (median and spread of the voiced
   frames; a frame further than ``pitch_clip`` spreads away counts as that
   far: octave errors and unvoiced mistakes weigh no more than that);
3. each piece is scored by the log-likelihood of its frames under each voice,
   and the pieces are given voices by Viterbi over their sequence: a change of
   voice between two pieces cut *without a pause* (a change point inside one
   stretch of speech, often a change of intonation rather than of speaker)
   costs ``change_penalty`` (log-likelihood, nats); after a pause it is free;
4. the voice models are fitted again to the new split, until it no longer
   changes (at most ``iterations``).

The split that step 4 ends in depends on where it starts, so it starts from
several splits — the clustering of the piece vectors, the split along each of
the leading directions of the pieces' adapted means ("supervectors") and of
the piece vectors, and the two-means of the supervectors — and keeps the one
whose voice models explain the call best (highest total log-likelihood, less
the change penalties). Each piece's margin is how much worse (per frame) the
best split that gives it the other voice is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .activity import Segment
from .speaker_embed import FrameFeatures

__all__ = ["VoiceDecision", "decide_voices", "two_means"]

#: Frames more than this far under a piece's loudest frames are left out of its models, dB.
_LOUD_RANGE_DB = 25.0
#: Pieces this close (or overlapping) were cut without a pause, seconds.
_JOINED_S = 0.05
#: Frames at most used to fit the background model (every n-th frame of a longer call).
_UBM_MAX_FRAMES = 30000
#: Fewest voiced frames for a voice's pitch model.
_PITCH_MIN_FRAMES = 20
#: Least pitch spread, semitones (a monotone voice is not infinitely sure).
_PITCH_MIN_SPREAD_ST = 0.5
#: Leading directions of the supervectors and of the piece vectors whose splits are tried.
_DIRECTIONS = 3
#: The supervectors are clustered in this many leading directions.
_CLUSTER_DIMENSIONS = 8


@dataclass(frozen=True)
class VoiceDecision:
    """Voices of the pieces by the frame models.

    Attributes
    ----------
    voices : np.ndarray of int
        0 or 1 per piece.
    margin : np.ndarray of float
        Per piece, how much likelier its voice is than the other (best split either way), nats per frame;
        0 for pieces without loud frames.
    """

    voices: np.ndarray
    margin: np.ndarray


def _component_ll(x: np.ndarray, weights: np.ndarray, means: np.ndarray, variances: np.ndarray) -> np.ndarray:
    """Per frame and component, ``log(w_k N(x; mean_k, diag var_k))`` (frames x components)."""
    inverse = 1.0 / variances
    return (
        -0.5
        * (
            (x**2) @ inverse.T
            - 2.0 * x @ (means * inverse).T
            + (means**2 * inverse).sum(axis=1)[None]
            + np.log(variances).sum(axis=1)[None]
            + x.shape[1] * np.log(2.0 * np.pi)
        )
        + np.log(weights)[None]
    )


def _logsumexp(ll: np.ndarray) -> np.ndarray:
    top = ll.max(axis=1, keepdims=True)
    return (top + np.log(np.exp(ll - top).sum(axis=1, keepdims=True))).ravel()


def _fit_background(x: np.ndarray, components: int, iterations: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A diagonal Gaussian mixture of the frames by EM (started from frames picked with a fixed seed)."""
    n = len(x)
    rng = np.random.default_rng(0)
    means = x[rng.choice(n, components, replace=False)].copy()
    floor = 0.01 * x.var(axis=0)
    variances = np.tile(x.var(axis=0), (components, 1))
    weights = np.full(components, 1.0 / components)
    for _ in range(iterations):
        ll = _component_ll(x, weights, means, variances)
        post = np.exp(ll - _logsumexp(ll)[:, None])
        counts = post.sum(axis=0) + 1e-6
        weights = counts / n
        means = (post.T @ x) / counts[:, None]
        variances = np.maximum((post.T @ x**2) / counts[:, None] - means**2, floor)
    return weights, means, variances


def _pitch_model(voiced: np.ndarray) -> tuple[float, float] | None:
    """Median and robust spread (1.4826 x MAD) of a voice's pitch, semitones."""
    if len(voiced) < _PITCH_MIN_FRAMES:
        return None
    median = float(np.median(voiced))
    return median, 1.4826 * float(np.median(np.abs(voiced - median))) + _PITCH_MIN_SPREAD_ST


def _viterbi(scores: np.ndarray, joined: np.ndarray, penalty: float) -> tuple[np.ndarray, float, np.ndarray]:
    """Best voice sequence of the pieces, its total score, and each piece's max-marginal margin.

    ``scores`` (pieces x 2) are log-likelihoods; a change of voice between pieces ``i`` and ``i + 1`` costs
    ``penalty`` where ``joined[i]``. The margin of piece ``i`` is the best total with its voice minus the best
    total with the other voice.
    """
    n = len(scores)
    cost = np.where(joined, penalty, 0.0)
    forward = np.zeros((n, 2))
    back = np.zeros((n, 2), int)
    forward[0] = scores[0]
    for i in range(1, n):
        stay, switch = forward[i - 1], forward[i - 1][::-1] - cost[i - 1]
        back[i] = np.where(stay >= switch, [0, 1], [1, 0])
        forward[i] = np.maximum(stay, switch) + scores[i]
    backward = np.zeros((n, 2))
    for i in range(n - 2, -1, -1):
        nxt = backward[i + 1] + scores[i + 1]
        backward[i] = np.maximum(nxt, nxt[::-1] - cost[i])
    voices = np.zeros(n, int)
    voices[-1] = int(np.argmax(forward[-1]))
    for i in range(n - 1, 0, -1):
        voices[i - 1] = back[i, voices[i]]
    best = forward + backward
    rows = np.arange(n)
    return voices, float(best[-1].max()), best[rows, voices] - best[rows, 1 - voices]


def _median_splits(x: np.ndarray, weights: np.ndarray) -> list[np.ndarray]:
    """Splits of the rows at the weighted median along each of the leading principal directions."""
    centred = x - np.average(x, axis=0, weights=weights)
    directions = np.linalg.svd(centred * np.sqrt(weights)[:, None], full_matrices=False)[2]
    out = []
    for d in directions[:_DIRECTIONS]:
        p = centred @ d
        order = np.argsort(p)
        cut = p[order][min(len(p) - 1, int(np.searchsorted(np.cumsum(weights[order]), 0.5 * weights.sum())))]
        out.append((p > cut).astype(int))
    return out


def two_means(x: np.ndarray, weights: np.ndarray, min_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Labels (0/1) and centroids of a weighted two-means, the best of several starts.

    Starts: the farthest pair, each long piece with the piece farthest from it, and a split at
    the weighted median of every coordinate. Solutions whose smaller voice holds less than
    ``min_share`` of the weight (an outlier on its own) lose to balanced ones.
    """
    n = len(x)
    if n == 1:
        return np.zeros(1, int), np.vstack([x[0], x[0]])
    mean = np.average(x, axis=0, weights=weights)
    starts: list[np.ndarray] = []
    far = int(np.argmax(np.linalg.norm(x - mean, axis=1)))
    for i in [far] + list(np.argsort(-weights)[: min(n, 6)]):
        j = int(np.argmax(np.linalg.norm(x - x[i], axis=1)))
        if i != j:
            starts.append(np.vstack([x[i], x[j]]))
    for k in range(x.shape[1]):
        col = x[:, k]
        order = np.argsort(col)
        cut = col[order][np.searchsorted(np.cumsum(weights[order]), 0.5 * weights.sum())]
        low, high = col <= cut, col > cut
        if low.any() and high.any():
            starts.append(
                np.vstack(
                    [
                        np.average(x[low], axis=0, weights=weights[low]),
                        np.average(x[high], axis=0, weights=weights[high]),
                    ]
                )
            )
    best = None
    for centres in starts:
        centres = centres.copy()
        labels = np.full(n, -1)
        for _ in range(50):
            new = np.argmin(np.linalg.norm(x[:, None, :] - centres[None], axis=2), axis=1)
            if (new == labels).all():
                break
            labels = new
            for k in (0, 1):
                if (labels == k).any():
                    centres[k] = np.average(x[labels == k], axis=0, weights=weights[labels == k])
        inertia = float(np.sum(weights * np.min(np.linalg.norm(x[:, None, :] - centres[None], axis=2), axis=1) ** 2))
        share = min(weights[labels == 0].sum(), weights[labels == 1].sum()) / weights.sum()
        key = (share < min_share, inertia)
        if best is None or key < best[0]:
            best = (key, labels.copy(), centres.copy())
    if best is None:
        return np.zeros(n, int), np.vstack([x[0], x[0]])
    return best[1], best[2]


def decide_voices(
    features: FrameFeatures,
    pieces: Sequence[Segment],
    starts: Sequence[np.ndarray],
    vectors: np.ndarray | None,
    conf: dict,
    min_share: float,
) -> VoiceDecision | None:
    """Voices of the pieces by frame models of the two voices (see the module notes).

    Parameters
    ----------
    features : FrameFeatures
        The call's frame features.
    pieces : sequence of Segment
        In time order.
    starts : sequence of np.ndarray
        Splits (0/1 per piece) to start from, e.g. the clustering of the piece vectors.
    vectors : np.ndarray, optional
        The piece vectors (rows of NaN allowed): their leading directions give more starts.
    conf : dict
        The ``[voice_models]`` table of ``data/speakers.toml``.
    min_share : float
        The smaller voice's least share of the weight in :func:`two_means` (``[clusters] min_share``).

    Returns
    -------
    VoiceDecision or None
        None when the call has too few loud frames for the models (fewer than ``min_frames``).
    """
    n = len(pieces)
    if n < 2:
        return None
    blocks: list[np.ndarray] = []
    pitches: list[np.ndarray] = []
    step = int(conf["frame_step"])
    for piece in pieces:
        sl = features.frames(piece.start_s, piece.end_s)
        level = features.level_db[sl]
        loud = level >= level.max() - _LOUD_RANGE_DB if len(level) else np.zeros(0, bool)
        blocks.append(features.cepstra[sl][loud][::step])
        pitch = features.pitch_st[sl][::step]
        pitches.append(pitch[np.isfinite(pitch)])
    bounds = np.cumsum([0] + [len(b) for b in blocks])
    if bounds[-1] < int(conf["min_frames"]):
        return None
    frames = np.vstack(blocks)
    frames = (frames - frames.mean(axis=0)) / np.maximum(frames.std(axis=0), 1e-9)
    components = int(conf["components"])
    every = max(1, len(frames) // _UBM_MAX_FRAMES)
    weights, means, variances = _fit_background(frames[::every], components, int(conf["background_iterations"]))
    component_ll = _component_ll(frames, weights, means, variances)
    total_ll = _logsumexp(component_ll)
    post = np.exp(component_ll - total_ll[:, None])
    counts = np.zeros((n, components))
    firsts = np.zeros((n, components, frames.shape[1]))
    for i, (a, b) in enumerate(pairwise(bounds)):
        counts[i] = post[a:b].sum(axis=0)
        firsts[i] = post[a:b].T @ frames[a:b]
    empty = bounds[:-1] == bounds[1:]
    relevance = float(conf["relevance"])
    pitch_all = np.concatenate(pitches)
    pitch_bounds = np.cumsum([0] + [len(p) for p in pitches])
    pitch_weight = float(conf["pitch_weight"])
    clip = float(conf["pitch_clip"])

    def piece_sums(per_frame: np.ndarray, where: np.ndarray) -> np.ndarray:
        sums = np.concatenate([[0.0], np.cumsum(per_frame)])
        return sums[where[1:]] - sums[where[:-1]]

    def scores(labels: np.ndarray) -> np.ndarray:
        out = np.zeros((n, 2))
        models = []
        for k in (0, 1):
            count = counts[labels == k].sum(axis=0)
            first = firsts[labels == k].sum(axis=0)
            alpha = (count / (count + relevance))[:, None]
            adapted = alpha * first / np.maximum(count, 1e-9)[:, None] + (1.0 - alpha) * means
            shift = (adapted - means) / variances
            ll = component_ll + frames @ shift.T - 0.5 * ((adapted**2 - means**2) / variances).sum(axis=1)[None]
            out[:, k] = piece_sums(_logsumexp(ll) - total_ll, bounds)
            members = [pitches[i] for i in np.flatnonzero(labels == k)]
            models.append(_pitch_model(np.concatenate(members)) if members else None)
        if pitch_weight > 0 and all(m is not None for m in models):
            for k, model in enumerate(models):
                assert model is not None
                centre, spread = model
                per_frame = -0.5 * np.minimum(((pitch_all - centre) / spread) ** 2, clip**2) - np.log(spread)
                out[:, k] += pitch_weight * piece_sums(per_frame, pitch_bounds)
        return out

    joined = np.array([pieces[i + 1].start_s - pieces[i].end_s < _JOINED_S for i in range(n - 1)], bool)
    penalty = float(conf["change_penalty"])
    # more starts: the supervectors (each piece's adapted means, scaled by the background's spread and weight)
    alpha = (counts / (counts + relevance))[:, :, None]
    offsets = alpha * (firsts / np.maximum(counts, 1e-9)[:, :, None] - means[None])
    supervectors = (offsets / np.sqrt(variances)[None] * np.sqrt(weights)[None, :, None]).reshape(n, -1)
    durations = np.array([p.duration_s for p in pieces])
    piece_weights = np.minimum(5.0, np.maximum(0.05, durations))
    centred = supervectors - np.average(supervectors, axis=0, weights=piece_weights)
    leading = np.linalg.svd(centred * piece_weights[:, None], full_matrices=False)[2][:_CLUSTER_DIMENSIONS]
    by_supervector = two_means(centred @ leading.T, piece_weights**2, min_share)[0]
    candidates = [*starts, by_supervector, *_median_splits(supervectors, piece_weights)]
    if vectors is not None:
        ok = np.isfinite(vectors).all(axis=1)
        if ok.sum() > _DIRECTIONS:
            for split in _median_splits(vectors[ok], piece_weights[ok]):
                full = by_supervector.copy()  # pieces without a vector start where their supervector puts them
                full[ok] = split
                candidates.append(full)
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    seen: set[bytes] = set()
    for start in candidates:
        labels = np.asarray(start, int).copy()
        if labels.min() == labels.max():
            continue
        key = (labels if labels[0] == 0 else 1 - labels).astype(np.int8).tobytes()
        if key in seen:
            continue
        seen.add(key)
        total, margin = -np.inf, np.zeros(n)
        for _ in range(int(conf["iterations"])):
            new, total, margin = _viterbi(scores(labels), joined, penalty)
            if new.min() == new.max():
                total = -np.inf  # one voice alone: not a split
                break
            if (new == labels).all():
                break
            labels = new
        else:
            labels, total, margin = _viterbi(scores(labels), joined, penalty)
        if labels.min() == labels.max() or not np.isfinite(total):
            continue
        if best is None or total > best[0]:
            best = (total, labels, margin)
    if best is None:
        return None
    frames_per_piece = np.maximum(1, np.diff(bounds))
    margin = np.where(empty, 0.0, best[2] / frames_per_piece)
    return VoiceDecision(voices=best[1], margin=margin)
