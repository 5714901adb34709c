"""Speech rate: characters per minute (Mandarin) or words per minute (English) (docs/course.md §4)."""

from __future__ import annotations

import re

from .base import Call, CheckResult, Finding, RuleInfo, Status

RULE = RuleInfo(
    id="pace",
    title="Speak at a measured pace",
    seeds=("003", "000"),
    why="003: 说话速度恰当、抑扬顿挫、流畅，不可太快. A rushed agent is hard to follow and sounds impatient; "
    "000: nervous speakers speed up, tired ones slow down.",
    example="Reading the whole policy at 260 characters a minute.",
    instead="Keep to about 120-200 characters a minute (English 120-170 words), slower for numbers and addresses.",
    check="pace",
    weight=10,
    labels={"zh": "语速", "en": "Speech rate"},
)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def count_units(text: str, language: str) -> int:
    """Characters (Mandarin: Han characters, one syllable each) or words (English) in ``text``."""
    if language == "zh":
        return len(_HAN.findall(text))
    return len(_WORD.findall(text))


def check(call: Call) -> CheckResult:
    conf = call.pack["pace"]
    unit = conf["unit"]
    turns = [t for t in call.agent_turns if t.duration_s > 0]
    total_units = sum(count_units(t.simplified, call.language) for t in turns)
    total_s = sum(t.duration_s for t in turns)
    figures: dict = {
        "rate": None,
        "unit": unit,
        "turns": [],
        "speech_s": round(total_s, 2),
        "units": total_units,
        "band": [conf["min"], conf["max"]],
    }
    if total_units == 0 or total_s < 1.0:
        return CheckResult("n/a", figures, [Finding(RULE.id, "info", None, call.say("pace", "too_little"))])
    rate = total_units / total_s * 60.0
    figures["rate"] = round(rate, 1)
    findings: list[Finding] = []
    lo, hi, margin = conf["min"], conf["max"], conf["turn_margin"]
    for t in turns:
        units = count_units(t.simplified, call.language)
        if t.duration_s < conf["min_turn_s"] or units == 0:
            continue
        turn_rate = units / t.duration_s * 60.0
        figures["turns"].append(
            {"start_s": round(t.start_s, 2), "end_s": round(t.end_s, 2), "rate": round(turn_rate, 1), "units": units}
        )
        if turn_rate > hi * (1 + margin):
            findings.append(
                Finding(
                    RULE.id,
                    "info",
                    t.start_s,
                    call.say("pace", "rushed", at=t.start_s, rate=turn_rate),
                    call.say("pace", "rushed_tip"),
                    heard=t.text,
                )
            )
        elif turn_rate < lo * (1 - margin):
            findings.append(
                Finding(
                    RULE.id,
                    "info",
                    t.start_s,
                    call.say("pace", "slow", at=t.start_s, rate=turn_rate),
                    call.say("pace", "slow_tip"),
                    heard=t.text,
                )
            )
    if rate > hi:
        findings.insert(
            0,
            Finding(
                RULE.id,
                "warning",
                None,
                call.say("pace", "too_fast", rate=rate, low=lo, high=hi),
                call.say("pace", "too_fast_tip"),
            ),
        )
        status: Status = "warn"
    elif rate < lo:
        findings.insert(
            0,
            Finding(
                RULE.id,
                "warning",
                None,
                call.say("pace", "too_slow", rate=rate, low=lo, high=hi),
                call.say("pace", "too_slow_tip"),
            ),
        )
        status = "warn"
    else:
        status = "pass"
    return CheckResult(status, figures, findings)


#: Units of the speech rate as the scorecard shows them.
UNITS = {"zh": {"chars/min": "字/分钟", "words/min": "词/分钟"}, "en": {}}


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: the agent's speech rate."""
    if figures.get("rate") is None:
        return "—"
    return f"{figures['rate']:.0f} {UNITS[language].get(figures['unit'], figures['unit'])}"
