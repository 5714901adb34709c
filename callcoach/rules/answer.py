"""Answer within three rings (docs/course.md §1)."""

from __future__ import annotations

from ..cadences import cadence
from .base import Call, CheckResult, Finding, RuleInfo

RULE = RuleInfo(
    id="answer",
    title="Answer within three rings",
    seeds=("003", "001"),
    why="A phone left ringing makes the caller anxious (急躁); one snatched up at the first ring "
    "startles them (惊慌). 003: 铃声响三声内要接起; 001: pick up after the second ring, before the third ends.",
    example="Picking up after the fourth ring, or before the first ring has finished.",
    instead="Answer after the second ring and within the third; if late, open with 对不起，让您久等了.",
    check="answer",
    weight=15,
    labels={"zh": "三声内接听", "en": "Answer within 3 rings"},
)


def _answer_onset(call: Call) -> float | None:
    """Onset of the agent's first speech: the first agent turn, sharpened by voice activity."""
    turns = call.agent_turns
    if not turns:
        return None
    start = turns[0].start_s
    if call.agent_speech:
        # On a mono mix the ring and the voice share the signal: activity that begins before the
        # ringback has stopped is the edge of a ring burst run into the first words, not their onset.
        ring_end = None
        if call.ringback is not None and call.audio is not None and not call.audio.stereo:
            ring_end = max((end for _, end in call.ringback.bursts), default=None)
        near = [
            s.start_s
            for s in call.agent_speech
            if start - 1.0 <= s.start_s <= start + 0.3 and (ring_end is None or s.start_s >= ring_end)
        ]
        if near:
            return min(near)
    return start


def check(call: Call) -> CheckResult:
    conf = call.pack["answer"]
    answer_s = call.setup.answer_s if call.setup.answer_s is not None else _answer_onset(call)
    ring = call.ringback
    region = ring.region if ring is not None else (call.setup.region or conf["default_region"])
    onset_s: float | None = None
    source = None
    if call.setup.ring_onset_s is not None:
        onset_s, source = call.setup.ring_onset_s, "session"
    elif ring is not None:
        onset_s, source = ring.first_onset_s, "ringback"
    elif call.setup.ring_s is not None:
        onset_s, source = -float(call.setup.ring_s), "metadata"
    figures = {
        "answer_s": None if answer_s is None else round(answer_s, 2),
        "rings": None,
        "ringback": ring.region if ring is not None else None,
        "ring_onset_s": None if onset_s is None else round(onset_s, 2),
        "ring_source": source,
        "cycle_s": None,
    }
    if onset_s is None:
        return CheckResult(
            "n/a",
            figures,
            [
                Finding(
                    RULE.id,
                    "info",
                    None,
                    call.say("answer", "not_measurable"),
                    call.say("answer", "not_measurable_tip"),
                )
            ],
        )
    cycle_s = cadence(region).cycle_s
    figures["cycle_s"] = cycle_s
    if answer_s is None:
        return CheckResult(
            "fail",
            figures,
            [Finding(RULE.id, "error", None, call.say("answer", "never_spoke"), call.say("answer", "late_tip"))],
        )
    rings = (answer_s - onset_s) / cycle_s
    figures["rings"] = round(rings, 2)
    waited = answer_s - onset_s
    if rings >= conf["max_rings"]:
        return CheckResult(
            "fail",
            figures,
            [
                Finding(
                    RULE.id,
                    "error",
                    answer_s,
                    call.say("answer", "late", rings=rings, waited=waited),
                    call.say("answer", "late_tip"),
                )
            ],
        )
    if rings < conf["early_rings"]:
        return CheckResult(
            "warn",
            figures,
            [
                Finding(
                    RULE.id,
                    "warning",
                    answer_s,
                    call.say("answer", "early", rings=rings, waited=waited, at=answer_s),
                    call.say("answer", "early_tip"),
                )
            ],
        )
    findings = []
    if rings < 2:
        findings.append(
            Finding(
                RULE.id,
                "info",
                answer_s,
                call.say("answer", "first_rings", ring=int(rings) + 1, rings=rings),
                call.say("answer", "first_rings_tip"),
            )
        )
    return CheckResult("pass", figures, findings)


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: answer time, rings and how they were measured."""
    if figures.get("answer_s") is None:
        return "—"
    rings = figures.get("rings")
    ring = f", {rings:.1f} {'声' if language == 'zh' else 'rings'}" if rings is not None else ""
    return f"{figures['answer_s']:.1f} s{ring}" + (f" ({figures['ringback']})" if figures.get("ringback") else "")
