"""Volume: the agent's speech level against a band, and clipping (docs/course.md §6.6; 003 不要大声回答问题)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import voice
from .base import Call, CheckResult, Finding, RuleInfo, Status, mmss
from .lexicon import agent_words_at

RULE = RuleInfo(
    id="volume",
    title="Do not speak too loudly; keep the voice clean",
    seeds=("003",),
    why="003: 通话过程中不要大声回答问题，不然将造成双方的疲劳. A voice that is too loud tires the caller and "
    "sounds angry; one that clips (hits full scale) is distorted and hard to understand; one that is too "
    "quiet makes the caller strain. Measured as the RMS level of the agent's speech in dBFS against the "
    "pack's band, and the share of the agent's speech at full scale.",
    example="Shouting into the headset: speech level -6 dBFS, peaks flattened at full scale.",
    instead="Speak at a normal level, headset microphone two fingers from the mouth (level about -30 to -15 dBFS).",
    check="volume",
    weight=4,
    labels={"zh": "音量", "en": "Volume"},
)


#: Magnitude counted as full scale at the signals rate (resampling spreads a clipped plateau a little below 1.0).
FULL_SCALE = 0.999
#: Shortest passage reported as loud on its own, seconds.
PASSAGE_S = 1.0
#: At most this many loud passages are listed.
MAX_PASSAGES = 3


@dataclass(frozen=True)
class AgentVoice:
    """The agent's signal, as summarised by the signals pass, and where the agent speaks in it.

    Attributes
    ----------
    frames : callcoach.voice.VoiceFrames
        Loudness and clipping per 10 ms of the agent channel (or the mix of a mono recording).
    pitch : (times_s, f0_hz)
        The pitch track of the same signal.
    spans : list of (start_s, end_s)
        The agent's speech, seconds.
    channel : {"agent", "mono-agent", "mix"}
        The agent channel of a stereo file; a mono file cut to the agent's turns; or a mono mix of both sides.
    """

    frames: voice.VoiceFrames
    pitch: tuple[np.ndarray, np.ndarray]
    spans: list[tuple[float, float]]
    channel: str

    @property
    def speech_s(self) -> float:
        return float(sum(b - a for a, b in self.spans))


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi > lo:
                out.append((lo, hi))
    return sorted(out)


def agent_voice(call: Call) -> AgentVoice | None:
    """The agent's voice for the signal rules, or None without audio or agent speech.

    Stereo: the agent channel inside its speech segments. Mono with a
    labelled transcript: the speech inside the agent's turns. Mono without
    speakers: all speech in the mix (both voices).
    """
    if call.audio is None:
        return None
    speech = [(s.start_s, s.end_s) for s in (call.agent_speech or [])]
    if call.audio.stereo:
        spans, channel = speech, "agent"
    elif call.speakers_known:
        turns = [(t.start_s, t.end_s) for t in call.agent_turns]
        spans, channel = (_intersect(speech, turns) if speech else turns), "mono-agent"
    else:
        spans, channel = speech, "mix"
    spans = [(a, b) for a, b in spans if b > a]
    if not spans:
        return None
    pitch = call.audio.agent_pitch if call.audio.agent_pitch is not None else (np.zeros(0), np.zeros(0))
    return AgentVoice(call.audio.agent_frames, pitch, spans, channel)


def clipping_over_speech(call: Call, v: AgentVoice) -> float:
    """Share of the agent's speech samples at full scale.

    Counted at the file's own rate when the scorecard stage passes the count
    (``call.audio.agent_clipped_samples`` and ``call.audio.native_samplerate``): resampling to 8 kHz
    lets a waveform limited just under full scale overshoot it (true-peak overs), and spreads a
    clipped plateau. Otherwise estimated on the 8 kHz signal's frames.
    """
    clipped = getattr(call.audio, "agent_clipped_samples", None)
    rate = getattr(call.audio, "native_samplerate", None)
    if clipped is not None and rate and v.speech_s > 0:
        return float(min(1.0, clipped / (v.speech_s * rate)))
    return v.frames.clipping_ratio(v.spans)


def check(call: Call) -> CheckResult:
    conf = call.pack["volume"]
    lo, hi, limit = conf["min_dbfs"], conf["max_dbfs"], conf["clip_ratio"]
    figures: dict = {
        "level_dbfs": None,
        "peak_dbfs": None,
        "clipping_ratio": None,
        "band_dbfs": [lo, hi],
        "clip_limit": limit,
        "channel": None,
        "speech_s": 0.0,
    }
    if call.audio is None:
        return CheckResult("n/a", figures, [Finding(RULE.id, "info", None, call.say(RULE.id, "no_audio"))])
    v = agent_voice(call)
    level = v.frames.level_dbfs(v.spans) if v is not None else None
    if v is None or level is None:
        frames = call.audio.agent_frames
        whole = frames.recording_clipping_ratio(call.audio.agent_clipped_samples, call.audio.native_samplerate)
        if whole > limit:  # distorted throughout (e.g. a full-scale square wave): no speech is found in it
            figures["clipping_ratio"] = round(whole, 5)
            first = frames.first_clip_s()
            message = call.say(RULE.id, "clipping_recording", ratio=whole, limit=limit)
            return CheckResult(
                "fail",
                figures,
                [Finding(RULE.id, "error", first if first is not None else 0.0, message, conf["tips"]["clipping"])],
            )
        return CheckResult("n/a", figures, [Finding(RULE.id, "info", None, call.say(RULE.id, "no_speech"))])
    ratio = clipping_over_speech(call, v)
    figures.update(
        level_dbfs=round(level, 1),
        peak_dbfs=round(v.frames.peak_dbfs(v.spans), 1),
        clipping_ratio=round(ratio, 5),
        channel=v.channel,
        speech_s=round(v.speech_s, 2),
    )
    tips = conf["tips"]
    findings: list[Finding] = []
    span_levels = [(a, b, v.frames.level_dbfs([(a, b)])) for a, b in v.spans]
    span_levels = [(a, b, lvl) for a, b, lvl in span_levels if lvl is not None]
    loud = [(a, lvl) for a, b, lvl in span_levels if lvl is not None and lvl > hi and b - a >= PASSAGE_S]
    status: Status = "pass"
    if level is not None and level > hi:
        at = loud[0][0] if loud else v.spans[0][0]
        message = call.say(RULE.id, "loud", level=level, lo=lo, hi=hi)
        findings.append(Finding(RULE.id, "warning", at, message, tips["loud"], heard=agent_words_at(call, at)))
        status = "warn"
    elif level is not None and level < lo:
        message = call.say(RULE.id, "quiet", level=level, lo=lo, hi=hi)
        findings.append(Finding(RULE.id, "warning", v.spans[0][0], message, tips["quiet"]))
        status = "warn"
    else:
        for at, lvl in loud[:MAX_PASSAGES]:
            message = call.say(RULE.id, "loud_passage", at=mmss(at), level=lvl, hi=hi)
            findings.append(Finding(RULE.id, "info", at, message, tips["loud"], heard=agent_words_at(call, at)))
    if ratio > limit:
        first = v.frames.first_clip_s(v.spans)
        at = first if first is not None else v.spans[0][0]
        findings.append(
            Finding(
                RULE.id,
                "error",
                at,
                call.say(RULE.id, "clipping", ratio=ratio, limit=limit),
                tips["clipping"],
                heard=agent_words_at(call, at),
            )
        )
        status = "fail"
    figures["loud_passages"] = [{"at_s": round(a, 2), "level_dbfs": round(lvl, 1)} for a, lvl in loud]
    return CheckResult(status, figures, findings)


def detail(figures: dict, language: str) -> str | None:
    """The scorecard's figures: the agent's level and clipping (None without a level)."""
    if figures.get("level_dbfs") is None:
        return None
    return f"{figures['level_dbfs']:.0f} dBFS" + (
        f", clip {figures['clipping_ratio']:.2%}" if figures.get("clipping_ratio") else ""
    )
