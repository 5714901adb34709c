"""Synthetic two-speaker calls with known truth, for the speaker-separation benchmark and tests.

The scripts are those of ``samples/make_samples.py`` (ring, introduction,
holds with and without music, dead air, 5W2H), rendered in stereo (the agent
and the customer on their own channels), so the same call can be scored as
its stereo recording and as the one-channel mix of it. What changes per
*condition* is who speaks (espeak-ng voice variants ``+f1``..``+m7`` and base
pitch ``-p``), the sample rate and band, the noise, and extra lines: short
backchannels (嗯 / 好的 / OK) and speech of both sides at once.

``make_call(script_name, condition)`` returns a :class:`SynthCall` with the
stereo frames, the mono mix, the truth utterances (speaker, start, end) and the
truth of make_samples (answer, holds, pace, introduction).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

ROOT = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def samples_module():
    """``samples/make_samples.py`` as a module."""
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "samples" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class VoiceVariant:
    """espeak-ng settings of one side: variant (``f3``, ``m1``...), pitch ``-p`` 0-99, speed ``-s``."""

    variant: str
    pitch: int
    speed: int


@dataclass(frozen=True)
class Condition:
    """How a script is rendered.

    Attributes
    ----------
    name : str
    agent, customer : VoiceVariant
    kind : str
        ``distinct`` (different sex), ``same`` (same sex) — the targets differ.
    samplerate : int, optional
        Override the script's rate (8000: telephone band).
    noise_dbfs : float, optional
        Steady noise on both sides.
    backchannels : bool
        Add short customer backchannels after agent lines.
    overlap_s : float
        Start customer replies this much before the agent's line ends (speech at once).
    """

    name: str
    agent: VoiceVariant
    customer: VoiceVariant
    kind: str
    samplerate: int | None = None
    noise_dbfs: float | None = None
    backchannels: bool = False
    overlap_s: float = 0.0


CONDITIONS = [
    Condition("distinct", VoiceVariant("f3", 60, 150), VoiceVariant("m3", 35, 165), "distinct"),
    Condition(
        "distinct-8k-noise",
        VoiceVariant("m1", 40, 150),
        VoiceVariant("f2", 65, 170),
        "distinct",
        samplerate=8000,
        noise_dbfs=-42.0,
    ),
    Condition("same-male", VoiceVariant("m1", 45, 150), VoiceVariant("m7", 30, 165), "same"),
    Condition("same-female", VoiceVariant("f1", 55, 150), VoiceVariant("f4", 70, 165), "same", samplerate=8000),
    Condition(
        "backchannel-overlap",
        VoiceVariant("f3", 60, 150),
        VoiceVariant("m3", 35, 165),
        "distinct",
        backchannels=True,
        overlap_s=0.4,
    ),
]


@dataclass
class SynthCall:
    name: str
    condition: Condition
    lang: str
    samplerate: int
    stereo: np.ndarray  # (frames, 2): agent left, customer right
    mono: np.ndarray  # (frames,)
    utterances: list[dict]  # speaker, start_s, end_s, transcript
    truth: dict
    agent: str
    company: str
    region: str | None
    ring_s: float | None


def _speak_variant(text, lang, voice, samplerate, level_dbfs):
    """make_samples' ``_speak`` with an espeak-ng voice variant."""
    ms = samples_module()
    said = ms._pinyin(text) if lang == "zh" else text
    name = ("cmn-latn-pinyin" if lang == "zh" else "en-us") + f"+{voice.variant}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "line.wav"
        subprocess.run(
            ["espeak-ng", "-v", name, "-p", str(voice.pitch), "-s", str(voice.speed), "-w", str(path), said],
            check=True,
            capture_output=True,
            timeout=60,
        )
        signal, sr = sf.read(path, dtype="float32")
    if signal.ndim > 1:
        signal = signal.mean(axis=1)
    loud = np.flatnonzero(np.abs(signal) > ms.TRIM_THRESHOLD)
    signal = signal[loud[0] : loud[-1] + 1]
    if sr != samplerate:
        signal = soxr.resample(signal, sr, samplerate, quality="HQ").astype(np.float32)
    if samplerate == 8000:  # telephone band: 300-3400 Hz
        from scipy import signal as sps

        sos = sps.butter(4, [300, 3400], btype="bandpass", fs=samplerate, output="sos")
        signal = sps.sosfilt(sos, signal).astype(np.float32)
    rms = float(np.sqrt(np.mean(np.square(signal, dtype=np.float64))))
    return (signal * (10 ** (level_dbfs / 20) / rms)).astype(np.float32)


BACKCHANNEL = {"zh": ["嗯。", "好的。"], "en": ["Okay.", "Mm-hmm."]}


def _lines(script, condition: Condition) -> list:
    ms = samples_module()
    out = []
    k = 0
    for item in script.lines:
        if (
            isinstance(item, ms.Line)
            and item.speaker == "customer"
            and condition.overlap_s
            and out
            and isinstance(out[-1], ms.Line)
            and out[-1].speaker == "agent"
            and k % 2 == 0
        ):
            item = dataclasses.replace(item, gap_s=-condition.overlap_s)
        out.append(item)
        if condition.backchannels and isinstance(item, ms.Line) and item.speaker == "agent" and k % 3 == 1:
            out.append(ms.C(BACKCHANNEL[script.lang][k % 2], gap_s=0.3))
        if isinstance(item, ms.Line):
            k += 1
    # a wait must end with the agent's line: drop a backchannel placed just before a wait's end
    fixed = []
    for item in out:
        if (
            isinstance(item, ms.Wait)
            and fixed
            and isinstance(fixed[-1], ms.Line)
            and fixed[-1].text in BACKCHANNEL[script.lang]
        ):
            fixed.pop()
        fixed.append(item)
    return fixed


def script_names() -> list[str]:
    return [c.name for c in samples_module().CALLS]


def make_call(script_name: str, condition: Condition, seed: int = 0) -> SynthCall:
    """Render one script under one condition (see the module notes)."""
    ms = samples_module()
    script = next(c for c in ms.CALLS if c.name == script_name)
    script = dataclasses.replace(
        script,
        layout="stereo",
        agent_channel="left",
        agent_voice=condition.agent,
        customer_voice=condition.customer,
        samplerate=condition.samplerate or script.samplerate,
        noise_dbfs=condition.noise_dbfs if condition.noise_dbfs is not None else script.noise_dbfs,
        lines=_lines(script, condition),
    )
    original = ms._speak
    ms._speak = _speak_variant
    try:
        frames, _srt, truth = ms.render(script, seed)
    finally:
        ms._speak = original
    utterances = [
        {"speaker": u["speaker"], "start_s": u["start_s"], "end_s": u["end_s"], "transcript": u["transcript"]}
        for u in truth["utterances"]
    ]
    mono = np.clip(frames[:, 0] + frames[:, 1], -1.0, 1.0).astype(np.float32)
    return SynthCall(
        name=f"{script_name}/{condition.name}",
        condition=condition,
        lang=script.lang,
        samplerate=script.samplerate,
        stereo=frames,
        mono=mono,
        utterances=utterances,
        truth=truth,
        agent=script.agent,
        company=script.company,
        region=script.region,
        ring_s=script.ring_s,
    )


def transcript_json(call: SynthCall, labelled: bool) -> dict:
    """The call's script as a callcoach JSON transcript (speakers given or all ``unknown``)."""
    turns = [
        {
            "speaker": u["speaker"] if labelled else "unknown",
            "start_s": u["start_s"],
            "end_s": u["end_s"],
            "text": u["transcript"],
            "words": [],
        }
        for u in call.utterances
    ]
    return {
        "format": "callcoach-transcript",
        "version": 1,
        "language": call.lang,
        "duration_s": len(call.mono) / call.samplerate,
        "source": "json",
        "turns": turns,
    }


def speaker_accuracy(segments: list, utterances: list[dict], step_s: float = 0.01) -> dict:
    """Share of the truth's speech time given the right speaker, and a diarization error rate.

    ``segments`` are ``[start_s, end_s, speaker, confidence]`` (the ``speakers.segments`` record).
    Speech time is the truth's utterance time (where only one side speaks; overlap is scored
    against either side). DER = (missed + false alarm + confusion) / truth speech time, on a
    10 ms grid, no collar.
    """
    end_s = max([u["end_s"] for u in utterances] + [s[1] for s in segments] + [0.0])
    n = int(np.ceil(end_s / step_s)) + 1
    truth = np.zeros((n, 2), bool)
    for u in utterances:
        truth[int(u["start_s"] / step_s) : int(u["end_s"] / step_s), 0 if u["speaker"] == "agent" else 1] = True
    said = np.full(n, -2)  # -2 no speech, -1 unknown, 0 agent, 1 customer
    for a, b, who, _ in segments:
        said[int(a / step_s) : int(b / step_s)] = {"agent": 0, "customer": 1}.get(who, -1)
    speech = truth.any(axis=1)
    right = speech & (((said == 0) & truth[:, 0]) | ((said == 1) & truth[:, 1]))
    missed = speech & (said == -2)
    false_alarm = ~speech & (said != -2)
    confusion = speech & (said != -2) & ~right
    total = max(1, int(speech.sum()))
    return {
        "right": float(right.sum() / total),
        "der": float((missed.sum() + false_alarm.sum() + confusion.sum()) / total),
        "speech_s": total * step_s,
    }
