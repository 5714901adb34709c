"""Signals stage: ring cadences — each region's ringback tone and on/off pattern, and the ringing they make.

docs/course.md §1 counts rings, so the length of a ring is the region's. The
cadences live in ``callcoach/data/ringback.toml``, one ``[regions.CODE]``
table per region (tone frequencies, on/off pattern, cycle, tolerances),
loaded and validated once by :func:`cadences`; :func:`load_cadences` reads a
company's own file in the same format and :func:`cadence` looks a region up.
:func:`ring_schedule` gives the bursts a caller hears from the first ring
until the answer and :func:`ringback_signal` synthesises them, for the
practice session's headset, the samples and tests. Finding ringback in a
recording is :mod:`callcoach.tones`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .datafiles import load_toml_file, load_toml_resource
from .errors import AudioError, ConfigError

__all__ = [
    "Cadence",
    "cadence",
    "cadences",
    "load_cadences",
    "ringback_signal",
    "ring_schedule",
    "DEFAULT_REGION",
]

#: Region assumed when none is known (docs/course.md §1: default China).
DEFAULT_REGION = "cn"

_DATA_NAME = "ringback.toml"
_DATA_LABEL = f"callcoach/data/{_DATA_NAME}"


# --------------------------------------------------------------------------- cadences


@dataclass(frozen=True)
class Cadence:
    """One region's ringback: tone frequencies and on/off pattern.

    Attributes
    ----------
    region : str
        Region code, e.g. ``"cn"``.
    name : str
        Readable name.
    frequencies_hz : tuple of float
        Tone components, Hz, played together.
    pattern_s : tuple of float
        On, off, on, off, ... durations of one ring cycle, seconds.
    cycle_s : float
        Ring cycle, seconds (``sum(pattern_s)``).
    tolerance_s : float
        Allowed error on each on/off duration when matching, seconds.
    frequency_tolerance : float
        Relative frequency deviation still recognised (0.015 = 1.5 %).
    """

    region: str
    name: str
    frequencies_hz: tuple[float, ...]
    pattern_s: tuple[float, ...]
    cycle_s: float
    tolerance_s: float
    frequency_tolerance: float

    @property
    def on_s(self) -> tuple[float, ...]:
        """Burst durations within one cycle, seconds."""
        return self.pattern_s[0::2]

    @property
    def off_s(self) -> tuple[float, ...]:
        """Pauses after each burst within one cycle, seconds."""
        return self.pattern_s[1::2]

    def to_dict(self) -> dict:
        return {
            "region": self.region,
            "name": self.name,
            "frequencies_hz": list(self.frequencies_hz),
            "pattern_s": list(self.pattern_s),
            "cycle_s": self.cycle_s,
            "tolerance_s": self.tolerance_s,
            "frequency_tolerance": self.frequency_tolerance,
        }


_REGION_KEYS = {"name", "frequencies_hz", "pattern_s", "cycle_s", "tolerance_s", "frequency_tolerance"}


def _number_list(value, key: str, where: str, path: str) -> tuple[float, ...]:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    ):
        raise ConfigError(f"{where}: {key} must be a non-empty list of numbers", path=path)
    return tuple(float(v) for v in value)


def _number(value, key: str, where: str, path: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ConfigError(f"{where}: {key} must be a number", path=path)
    return float(value)


def _validate(doc: dict, path: str) -> dict[str, Cadence]:
    """Check a parsed ringback file; return its cadences by region code."""
    unknown = set(doc) - {"regions"}
    if unknown:
        raise ConfigError(
            f"unknown top-level key(s): {', '.join(sorted(unknown))} (expected [regions.CODE])", path=path
        )
    regions = doc.get("regions")
    if not isinstance(regions, dict) or not regions:
        raise ConfigError("no [regions.CODE] tables: at least one region is needed", path=path)
    out: dict[str, Cadence] = {}
    for code, table in regions.items():
        where = f"[regions.{code}]"
        if not re.fullmatch(r"[a-z]{2,8}", code):
            raise ConfigError(f"{where}: region code must be 2-8 lowercase letters", path=path)
        if not isinstance(table, dict):
            raise ConfigError(f"{where} must be a table", path=path)
        missing = _REGION_KEYS - set(table)
        if missing:
            raise ConfigError(f"{where}: missing {', '.join(sorted(missing))}", path=path)
        extra = set(table) - _REGION_KEYS
        if extra:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(extra))}", path=path)
        if not isinstance(table["name"], str) or not table["name"].strip():
            raise ConfigError(f"{where}: name must be a non-empty string", path=path)
        freqs = _number_list(table["frequencies_hz"], "frequencies_hz", where, path)
        if not all(100.0 <= f <= 3000.0 for f in freqs) or len(set(freqs)) != len(freqs):
            raise ConfigError(f"{where}: frequencies_hz must be distinct values between 100 and 3000 Hz", path=path)
        pattern = _number_list(table["pattern_s"], "pattern_s", where, path)
        if len(pattern) % 2 or not all(0.05 <= p <= 60.0 for p in pattern):
            raise ConfigError(f"{where}: pattern_s must be on/off pairs (even length) of 0.05-60 s each", path=path)
        cycle = _number(table["cycle_s"], "cycle_s", where, path)
        if abs(cycle - sum(pattern)) > 1e-6:
            raise ConfigError(f"{where}: cycle_s is {cycle:g} but pattern_s adds up to {sum(pattern):g}", path=path)
        tol = _number(table["tolerance_s"], "tolerance_s", where, path)
        if not 0.0 < tol < min(pattern):
            raise ConfigError(
                f"{where}: tolerance_s must be above 0 and below the shortest pattern element ({min(pattern):g} s)",
                path=path,
            )
        ftol = _number(table["frequency_tolerance"], "frequency_tolerance", where, path)
        if not 0.0 <= ftol <= 0.05:
            raise ConfigError(f"{where}: frequency_tolerance must be between 0 and 0.05", path=path)
        out[code] = Cadence(code, table["name"].strip(), freqs, pattern, cycle, tol, ftol)
    return out


@lru_cache(maxsize=1)
def cadences() -> Mapping[str, Cadence]:
    """The bundled cadences (``callcoach/data/ringback.toml``), loaded and validated once.

    Raises
    ------
    ConfigError
        The bundled file is malformed (names the file and the problem).
    """
    return _validate(load_toml_resource(_DATA_NAME), _DATA_LABEL)


def load_cadences(path: str | Path) -> dict[str, Cadence]:
    """Read and validate a ringback file in the bundled file's format (e.g. a company's own regions).

    Raises
    ------
    ConfigError
        Missing, unreadable or malformed file; the message names it.
    """
    return _validate(load_toml_file(path), str(path))


def cadence(region: str, table: Mapping[str, Cadence] | None = None) -> Cadence:
    """The cadence of ``region`` (e.g. ``"cn"``) from ``table`` (default: the bundled cadences).

    Raises
    ------
    ConfigError
        Unknown region.
    """
    table = cadences() if table is None else table
    try:
        return table[region]
    except (KeyError, TypeError):
        raise ConfigError(
            f"unknown ringback region {region!r}; known: {', '.join(sorted(table))}",
            path=_DATA_LABEL if table is cadences() else None,
        ) from None


# --------------------------------------------------------------------------- synthesis


def ring_schedule(
    region: str, onset_s: float, until_s: float, table: Mapping[str, Cadence] | None = None
) -> list[tuple[float, float]]:
    """Times of the ringback bursts when ringing starts at ``onset_s`` and stops at ``until_s``.

    Parameters
    ----------
    region : str
        Region code.
    onset_s, until_s : float
        Start of the first ring and the moment ringing stops (the answer), seconds.

    Returns
    -------
    list of (start_s, end_s)
        Bursts in order; the last is cut at ``until_s`` if ringing stops mid-burst.
    """
    cad = cadence(region, table)
    out: list[tuple[float, float]] = []
    t = float(onset_s)
    k = 0
    while t < until_s:
        on, off = cad.on_s[k], cad.off_s[k]
        out.append((t, min(t + on, float(until_s))))
        t += on + off
        k = (k + 1) % len(cad.on_s)
    return out


def ringback_signal(
    region: str,
    duration_s: float,
    samplerate: int,
    *,
    onset_s: float = 0.0,
    stop_s: float | None = None,
    level_dbfs: float = -20.0,
    ramp_s: float = 0.005,
    table: Mapping[str, Cadence] | None = None,
) -> np.ndarray:
    """Synthesise a region's ringback tone.

    Parameters
    ----------
    region : str
        Region code (``"cn"``, ``"na"``, ``"uk"``, or one from ``table``).
    duration_s : float
        Length of the returned signal, seconds.
    samplerate : int
        Hz.
    onset_s : float
        Start of the first ring, seconds; silence before it.
    stop_s : float, optional
        Ringing stops here, seconds (mid-burst if it falls in one); default: rings to the end.
    level_dbfs : float
        RMS level of the tone during a burst, dBFS (components equal in amplitude).
    ramp_s : float
        Raised-cosine fade at each burst edge, seconds (no clicks).

    Returns
    -------
    np.ndarray
        Mono float32 samples, ``round(duration_s * samplerate)`` long.
    """
    cad = cadence(region, table)
    if duration_s < 0 or samplerate <= 0:
        raise AudioError(f"ringback_signal needs duration_s >= 0 and samplerate > 0, got {duration_s}, {samplerate}")
    n = int(round(duration_s * samplerate))
    t = np.arange(n) / samplerate
    amplitude = np.sqrt(2.0 / len(cad.frequencies_hz)) * 10 ** (level_dbfs / 20)
    wave = np.zeros(n)
    for f in cad.frequencies_hz:  # components, not samples
        wave += np.sin(2 * np.pi * f * t)
    gate = np.zeros(n)
    ramp = max(1, int(round(ramp_s * samplerate)))
    end_s = duration_s if stop_s is None else min(float(stop_s), duration_s)
    for start_s, stop in ring_schedule(region, onset_s, end_s, table):  # bursts, not samples
        a, b = max(0, int(round(start_s * samplerate))), min(n, int(round(stop * samplerate)))
        if b <= a:
            continue
        gate[a:b] = 1.0
        r = min(ramp, (b - a) // 2)
        if r > 0:
            fade = 0.5 - 0.5 * np.cos(np.pi * np.arange(r) / r)
            if start_s >= 0:
                gate[a : a + r] = fade
            gate[b - r : b] = fade[::-1]
    return (amplitude * wave * gate).astype(np.float32)
