"""Signals stage: ringback tone — the ringing a caller hears — found by frequency and cadence.

docs/course.md §1 asks whether the agent answered within three rings. When
the recording holds the ringback tone, the rings can be counted from the
audio: :func:`detect_ringback` finds the tone bursts, checks them against the
regional cadences (:mod:`callcoach.cadences`, from ``callcoach/data/ringback.toml``)
and returns a :class:`RingbackResult` whose :meth:`~RingbackResult.rings_at`
converts any moment (e.g. the agent's first word) to rings elapsed.

How detection works
-------------------
1. The signal is resampled to 8 kHz (every ringback component is below
   500 Hz) and high-passed at 150 Hz (hum, DC).
2. Frames of 100 ms, every 10 ms, Hann-windowed. For every component frequency
   of every region, the power of the frame at that frequency is measured on a
   small grid covering the region's ``frequency_tolerance`` (a Goertzel-style
   projection, one matrix product per block of frames) and compared with the
   frame's total power. A frame belongs to a region when the region's
   components together hold at least :data:`MIN_TONE_SHARE` of the power, no
   component is more than 10 dB weaker than the strongest (so 400+450 Hz is
   not mistaken for 450 Hz alone), and no other region explains a larger share.
   100 ms windows resolve 440 from 480 Hz and 400 from 450 Hz; 440 and 450 Hz
   overlap, so China (450) and North America (440+480) are told apart by the
   480 Hz component and by the cadence.
3. Runs of a region's frames are bursts (gaps under 60 ms closed, runs under
   80 ms dropped); edges are good to about 10-20 ms.
4. Cadence: starting from each burst, a chain is grown while each next burst
   starts one off-period (or that plus one whole cycle, for a ring masked by
   speech) after the previous burst ended and lasts one on-period, both
   within ``tolerance_s``. The chain ends at the first burst that does not fit.

What counts as ringback (robustness choices)
--------------------------------------------
* A chain needs at least one *complete ring*: one burst of the full
  on-duration (China, North America), or for the UK the full double burst
  0.4 s + 0.2 s + 0.4 s. A single complete ring alone is accepted only when
  nothing else in that region's tone sounds within one off-period before or
  after it. So a lone 1 s burst of 450 Hz *is* a Chinese ring, by design —
  it cannot be told from one; shorter or longer beeps, other frequencies,
  one half of a UK double ring, and continuous or busy tones are not.
* The last burst of a chain may be shorter than the on-period: the call was
  answered mid-ring. It is kept (with its true, shorter end) once the bursts
  before it form a complete ring. A call answered during the very first burst
  has no complete ring and is not detected (it would be an early answer).
* The first burst may be cut by the start of the recording; it is kept when
  later bursts confirm the cadence, and the first onset is then extrapolated
  back (``end - on-period``, possibly before 0 s). Likewise when the first
  burst heard is the second half of a UK double ring, the onset is that of
  the ring it belongs to. When the recording starts
  in the silence between rings, rings are counted from the first burst
  heard: the true first ring is unknowable.
* Only the first ringing episode is reported (later ringing, e.g. during a
  transfer, is not the answer the rule measures).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import soxr

from .activity import require_mono
from .cadences import Cadence, cadence, cadences

__all__ = ["RingbackResult", "detect_ringback"]

#: Rate the detector works at, Hz.
WORK_RATE_HZ = 8000
#: Analysis frame and hop, seconds.
FRAME_S = 0.1
HOP_S = 0.01
#: Share of a frame's power the region's components must hold (0.5 = tone at least as strong as the rest).
MIN_TONE_SHARE = 0.5
#: Weakest component relative to the strongest of the same region, as a power ratio (-10 dB).
MIN_COMPONENT_BALANCE = 0.1
#: Frames quieter than this (mean square, dBFS) are never tone.
MIN_TONE_DBFS = -60.0
#: Gaps inside a burst closed, and bursts dropped, below these lengths (seconds).
BURST_GAP_S = 0.06
MIN_BURST_S = 0.08
#: A burst touching the start of the signal (within this many seconds) may be cut by the recording.
_EDGE_S = 0.06


# --------------------------------------------------------------------------- detection


@dataclass(frozen=True)
class RingbackResult:
    """Ringback found in a recording.

    Attributes
    ----------
    region : str
        Region whose tone and cadence matched.
    bursts : tuple of (start_s, end_s)
        The ringback bursts heard, seconds, in order (as measured; the first
        may be cut by the start of the recording, the last by the answer).
    first_onset_s : float
        Onset of the first ring, seconds; extrapolated (possibly negative)
        when the recording starts mid-burst.
    last_burst_end_s : float
        End of the last burst, seconds: ringing stopped here.
    cycle_s : float
        The region's ring cycle, seconds.
    last_burst_cut : bool
        The last burst is shorter than the on-period (answered mid-ring).
    """

    region: str
    bursts: tuple[tuple[float, float], ...]
    first_onset_s: float
    last_burst_end_s: float
    cycle_s: float
    last_burst_cut: bool = False

    def rings_at(self, t_s: float) -> float:
        """Rings elapsed at recording time ``t_s`` (seconds): ``(t_s - first_onset_s) / cycle_s``.

        0.0 at the first ring's onset, 1.0 when the second ring starts; the
        third ring is 2.0 <= rings < 3.0.
        """
        return (t_s - self.first_onset_s) / self.cycle_s

    @property
    def rings(self) -> float:
        """Rings elapsed when ringing stopped (at ``last_burst_end_s``)."""
        return self.rings_at(self.last_burst_end_s)

    def to_dict(self) -> dict:
        return {
            "region": self.region,
            "bursts": [[round(a, 3), round(b, 3)] for a, b in self.bursts],
            "first_onset_s": round(self.first_onset_s, 3),
            "last_burst_end_s": round(self.last_burst_end_s, 3),
            "cycle_s": self.cycle_s,
            "rings": round(self.rings, 2),
            "last_burst_cut": self.last_burst_cut,
        }


def _frames_power(x: np.ndarray, probes_hz: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Power at each probe frequency and total power per frame (mean-square units, 8 kHz input).

    Frame ``i`` is centred at ``i * HOP_S`` seconds.
    """
    win = int(round(FRAME_S * WORK_RATE_HZ))
    hop = int(round(HOP_S * WORK_RATE_HZ))
    window = np.hanning(win + 2)[1:-1]
    n_frames = len(x) // hop + 1
    padded = np.concatenate([np.zeros(win // 2), x, np.zeros(win)])
    n = np.arange(win)
    phase = 2 * np.pi * probes_hz[None, :] * n[:, None] / WORK_RATE_HZ
    basis = np.concatenate([window[:, None] * np.cos(phase), window[:, None] * np.sin(phase)], axis=1)
    # a sinusoid of power P gives (re^2 + im^2) = P/2 * (sum w)^2 at its frequency
    tone_scale = 2.0 / np.sum(window) ** 2
    total_scale = 1.0 / np.sum(window**2)
    k = len(probes_hz)
    tone = np.empty((n_frames, k))
    total = np.empty(n_frames)
    step = 4096
    for a in range(0, n_frames, step):  # blocks of frames bound memory
        b = min(n_frames, a + step)
        frames = np.lib.stride_tricks.sliding_window_view(padded[a * hop : (b - 1) * hop + win], win)[::hop]
        proj = frames @ basis
        tone[a:b] = (proj[:, :k] ** 2 + proj[:, k:] ** 2) * tone_scale
        total[a:b] = (frames**2) @ (window**2) * total_scale
    return tone, total


def _region_frames(x: np.ndarray, table: Mapping[str, Cadence], regions: list[str]) -> dict[str, np.ndarray]:
    """Boolean per-frame mask of each region's tone (frames are exclusive to one region)."""
    probes: list[float] = []
    index: dict[tuple[str, int], list[int]] = {}
    for code in regions:
        cad = table[code]
        for j, f in enumerate(cad.frequencies_hz):
            grid = f * (1.0 + cad.frequency_tolerance * np.linspace(-1.0, 1.0, 5))
            index[(code, j)] = list(range(len(probes), len(probes) + len(grid)))
            probes.extend(grid.tolist())
    tone, total = _frames_power(x, np.asarray(probes))
    loud = total > 10 ** (MIN_TONE_DBFS / 10)
    shares = []
    for code in regions:
        comps = np.stack(
            [tone[:, index[(code, j)]].max(axis=1) for j in range(len(table[code].frequencies_hz))], axis=1
        )
        share = comps.sum(axis=1) / np.maximum(total, 1e-20)
        balanced = comps.min(axis=1) >= MIN_COMPONENT_BALANCE * comps.max(axis=1)
        shares.append(np.where(loud & balanced & (share >= MIN_TONE_SHARE), share, 0.0))
    shares_arr = np.stack(shares, axis=1)
    best = np.argmax(shares_arr, axis=1)
    found = shares_arr.max(axis=1) > 0
    return {code: found & (best == i) for i, code in enumerate(regions)}


def _bursts(mask: np.ndarray) -> list[tuple[float, float]]:
    """Runs of tone frames as (start_s, end_s), small gaps closed and blips dropped."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))).reshape(-1, 2)
    if len(edges) == 0:
        return []
    # frame i is centred at i * HOP_S and stands for [i - 1/2, i + 1/2) * HOP_S
    starts, stops = (edges[:, 0] - 0.5) * HOP_S, (edges[:, 1] - 0.5) * HOP_S
    keep = np.concatenate([[True], (starts[1:] - stops[:-1]) >= BURST_GAP_S])
    starts = starts[keep]
    stops = stops[np.concatenate([keep[1:], [True]])]
    long_enough = (stops - starts) >= MIN_BURST_S
    return [(max(0.0, float(a)), float(b)) for a, b in zip(starts[long_enough], stops[long_enough])]


@dataclass(frozen=True)
class _Chain:
    region: str
    bursts: tuple[tuple[float, float], ...]
    slots: tuple[int, ...]
    kinds: tuple[str, ...]  # "full", "cut" (last, answered mid-ring) or "clipped" (first, recording began)

    @property
    def full(self) -> int:
        return self.kinds.count("full")


def _chain_from(bursts: list[tuple[float, float]], i: int, slot: int, cad: Cadence, clipped: bool) -> _Chain:
    """Grow a cadence chain from burst ``i`` in cycle position ``slot``."""
    tol, m = cad.tolerance_s, len(cad.on_s)
    chosen, slots, kinds = [bursts[i]], [slot], ["clipped" if clipped else "full"]
    for j in range(i + 1, len(bursts)):  # bursts, not samples
        prev_end, prev_slot = chosen[-1][1], slots[-1]
        nxt = (prev_slot + 1) % m
        start, end = bursts[j]
        due = prev_end + cad.off_s[prev_slot]
        if not any(abs(start - (due + skip * cad.cycle_s)) <= tol for skip in (0, 1)):
            break
        length = end - start
        if abs(length - cad.on_s[nxt]) <= tol:
            chosen.append(bursts[j])
            slots.append(nxt)
            kinds.append("full")
        elif length < cad.on_s[nxt] - tol:
            chosen.append(bursts[j])
            slots.append(nxt)
            kinds.append("cut")
            break
        else:
            break
    return _Chain(cad.region, tuple(chosen), tuple(slots), tuple(kinds))


def _complete_rings(chain: _Chain, cad: Cadence) -> int:
    """Number of complete rings (every burst of a cycle, full length, consecutive) in a chain."""
    m = len(cad.on_s)
    count, run = 0, 0
    for slot, kind in zip(chain.slots, chain.kinds):
        if kind == "full" and slot == run:
            run += 1
            if run == m:
                count, run = count + 1, 0
        else:
            run = 1 if (kind == "full" and slot == 0) else 0
            if run == m:
                count, run = count + 1, 0
    return count


def _isolated(chain: _Chain, bursts: list[tuple[float, float]], cad: Cadence) -> bool:
    """No other burst of the region within one off-period before or after the chain."""
    margin = max(cad.off_s)
    first, last = chain.bursts[0][0], chain.bursts[-1][1]
    members = set(chain.bursts)
    return not any(b not in members and b[1] > first - margin and b[0] < last + margin for b in bursts)


def _first_chain(bursts: list[tuple[float, float]], cad: Cadence) -> _Chain | None:
    """The earliest chain of ``bursts`` that holds a complete ring (and, if it holds only one, stands alone)."""
    tol = cad.tolerance_s
    for i, (start, end) in enumerate(bursts):
        length = end - start
        for slot, on in enumerate(cad.on_s):
            full = abs(length - on) <= tol
            clipped = not full and start <= _EDGE_S and length < on + tol
            if not (full or clipped):
                continue
            chain = _chain_from(bursts, i, slot, cad, clipped)
            rings = _complete_rings(chain, cad)
            if rings == 0:
                continue
            if clipped and chain.full == 0:
                continue
            if (
                rings == 1
                and chain.full == len(cad.on_s)
                and len(chain.bursts) == chain.full
                and not _isolated(chain, bursts, cad)
            ):
                continue
            return chain
    return None


def detect_ringback(
    signal: np.ndarray,
    samplerate: int,
    regions: Iterable[str] | None = None,
    *,
    table: Mapping[str, Cadence] | None = None,
) -> RingbackResult | None:
    """Find ringback tone in a mono recording and identify its region.

    Parameters
    ----------
    signal : np.ndarray
        Mono samples, 1-D float32 in [-1, 1] (the customer side of a stereo call,
        or the mix).
    samplerate : int
        Sample rate of ``signal``, Hz (8000 or more).
    regions : iterable of str, optional
        Region codes to consider; default all in ``table``.
    table : mapping of region code to Cadence, optional
        Cadences to use; default the bundled ones (see :func:`load_cadences`).

    Returns
    -------
    RingbackResult or None
        The first ringing episode whose tone and cadence match a region, or
        None when there is none (see the module docstring for what counts).
        When several regions match, the one with more full-length bursts wins,
        then the earlier one.

    Raises
    ------
    AudioError
        Bad signal or sample rate.
    ConfigError
        An unknown region code.
    """
    samples = require_mono(signal, samplerate)
    scanner = RingbackScanner(regions, table=table)
    if len(samples) < int(FRAME_S * samplerate):
        return None
    scanner.feed(
        samples if samplerate == WORK_RATE_HZ else soxr.resample(samples, int(samplerate), WORK_RATE_HZ, quality="HQ")
    )
    return scanner.result()


#: Chunk and margin of the streamed ringback analysis, seconds (see :class:`callcoach.audio.OverlapFrames`).
SCAN_CHUNK_S = 60.0
SCAN_MARGIN_S = 1.0


class RingbackScanner:
    """:func:`detect_ringback` over a stream of blocks, in memory that does not grow with the call.

    Feed mono blocks at :data:`WORK_RATE_HZ` in order, then call :meth:`result`.
    The signal is analysed in overlapping chunks (:class:`~callcoach.audio.OverlapFrames`);
    only the per-frame tone masks are kept (one byte per region per 10 ms:
    about 3 MB for a 3-hour call).

    Raises
    ------
    ConfigError
        An unknown region code.
    """

    def __init__(self, regions: Iterable[str] | None = None, *, table: Mapping[str, Cadence] | None = None):
        from .audio import OverlapFrames

        self.table = cadences() if table is None else table
        self.codes = list(self.table) if regions is None else list(dict.fromkeys(regions))
        for code in self.codes:
            cadence(code, self.table)
        hop = int(round(HOP_S * WORK_RATE_HZ))
        self._frames = OverlapFrames(
            self._analyse, hop, int(SCAN_MARGIN_S * WORK_RATE_HZ), int(SCAN_CHUNK_S * WORK_RATE_HZ)
        )

    def _analyse(self, x: np.ndarray) -> tuple[np.ndarray, ...]:
        from scipy import signal as sps  # on first use: a command that does not need it starts faster

        sos = sps.butter(4, 150.0, btype="highpass", fs=WORK_RATE_HZ, output="sos")
        masks = _region_frames(sps.sosfiltfilt(sos, x.astype(np.float64)), self.table, self.codes)
        return tuple(masks[code] for code in self.codes)

    def feed(self, block: np.ndarray) -> None:
        """Add the next mono samples (at :data:`WORK_RATE_HZ`)."""
        if self.codes:
            self._frames.feed(block)

    def result(self) -> RingbackResult | None:
        """The ringback found in everything fed (see :func:`detect_ringback`)."""
        if not self.codes or self._frames.samples < int(FRAME_S * WORK_RATE_HZ):
            return None
        table, codes = self.table, self.codes
        masks = dict(zip(codes, self._frames.finish()))
        best: _Chain | None = None
        for code in codes:
            chain = _first_chain(_bursts(masks[code]), table[code])
            if chain is None:
                continue
            if best is None or (chain.full, -chain.bursts[0][0]) > (best.full, -best.bursts[0][0]):
                best = chain
        if best is None:
            return None
        cad = table[best.region]
        first_start, first_end = best.bursts[0]
        # a burst at the very start of the recording may have begun before it: date it from its end
        onset = first_end - cad.on_s[best.slots[0]] if first_start <= _EDGE_S else first_start
        onset -= sum(cad.pattern_s[: 2 * best.slots[0]])  # heard from mid-ring (UK): the ring began earlier
        return RingbackResult(
            region=best.region,
            bursts=best.bursts,
            first_onset_s=float(onset),
            last_burst_end_s=float(best.bursts[-1][1]),
            cycle_s=cad.cycle_s,
            last_burst_cut=best.kinds[-1] == "cut",
        )
