"""Intonation: a monotone voice (docs/course.md §6.6; 003 抑扬顿挫, 000 音调要有变化)."""

from __future__ import annotations

import numpy as np

from ..pitch import pitch_variation_semitones
from .base import PITCH_HOP_S, Call, CheckResult, Finding, RuleInfo, Status
from .volume import agent_voice

RULE = RuleInfo(
    id="intonation",
    title="Vary your tone (no monotone)",
    seeds=("003", "000"),
    why="003: 说话的语调尽量做到抑扬顿挫和流畅，给人舒服的感觉; 000: 打电话时要微笑，音调要有变化. A flat voice "
    "sounds bored or reading from a script. Measured as the spread of the agent's voice pitch (10-90 % "
    "range, in semitones, so high and low voices compare alike) against the pack's thresholds (by default "
    "only clearly flat delivery is flagged).",
    example="Reading every sentence on one note: pitch range 1.5 semitones.",
    instead="Let the voice rise and fall with the meaning; smile while speaking (range of 5 semitones or more).",
    check="intonation",
    weight=3,
    labels={"zh": "语调", "en": "Intonation"},
)


#: Time between pitch estimates, seconds.
HOP_S = PITCH_HOP_S


def check(call: Call) -> CheckResult:
    conf = call.pack["intonation"]
    figures: dict = {
        "variation_semitones": None,
        "pitch_median_hz": None,
        "voiced_s": 0.0,
        "channel": None,
        "thresholds_semitones": {"warn": conf["warn_semitones"], "fail": conf["fail_semitones"]},
    }
    if call.audio is None:
        return CheckResult("n/a", figures, [Finding(RULE.id, "info", None, call.say(RULE.id, "no_audio"))])
    v = agent_voice(call)
    if v is None:
        return CheckResult("n/a", figures, [Finding(RULE.id, "info", None, call.say(RULE.id, "too_little"))])
    times, f0 = v.pitch  # tracked every HOP_S by the signals pass
    inside = np.zeros(len(times), bool)
    for a, b in v.spans:
        inside |= (times >= a) & (times < b)
    voiced = f0[inside & np.isfinite(f0)]
    figures.update(voiced_s=round(len(voiced) * HOP_S, 2), channel=v.channel)
    variation = pitch_variation_semitones(voiced, min_voiced=int(conf["min_voiced_s"] / HOP_S))
    if variation is None:
        return CheckResult("n/a", figures, [Finding(RULE.id, "info", None, call.say(RULE.id, "too_little"))])
    figures.update(variation_semitones=round(variation, 2), pitch_median_hz=round(float(np.median(voiced)), 1))
    findings = []
    if variation < conf["fail_semitones"]:
        status: Status = "fail"
    elif variation < conf["warn_semitones"]:
        status = "warn"
    else:
        status = "pass"
    if status != "pass":
        findings.append(
            Finding(
                RULE.id,
                "warning",
                v.spans[0][0],
                call.say(RULE.id, "monotone", range=variation, warn=conf["warn_semitones"]),
                conf["tips"]["monotone"],
            )
        )
    return CheckResult(status, figures, findings)


def detail(figures: dict, language: str) -> str | None:
    """The scorecard's figures: the agent's pitch range (None without one)."""
    if figures.get("variation_semitones") is None:
        return None
    return f"{figures['variation_semitones']:.1f} {'半音' if language == 'zh' else 'semitones'}"
