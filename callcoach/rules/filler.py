"""Filler words per minute of the agent's speech (docs/course.md §6.7: 嗯, 那个, 就是说, um, uh)."""

from __future__ import annotations

import re
from collections import Counter

from .base import Call, CheckResult, Finding, RuleInfo, Status, mmss
from .lexicon import Lexicon, PhraseGroup, time_at

RULE = RuleInfo(
    id="filler",
    title="Few filler words",
    seeds=("003", "000"),
    why="003: 简单明了、言简意赅; 说话流畅. Fillers (嗯、呃、那个、就是说, um, uh) make the agent sound unsure and "
    "the call longer. Counted per minute of the agent's own speech time; 那个 and 'you know' count only where "
    "they are fillers (at the start of a turn or clause, or next to another filler).",
    example="嗯……那个……就是说，您那个……嗯，地址是哪里？",
    instead="请问您的地址是哪里？ (pause briefly instead of filling the silence)",
    check="filler",
    weight=3,
    labels={"zh": "口头禅", "en": "Filler words"},
)


_CLAUSE = re.compile(r"[，。？！、；：,.?!;:…\-—]\s*$")


def _counted(text: str, hits, lead: int) -> list:
    """The hits that are fillers: every ``words`` hit; ``openers`` only at a turn or clause start or next to a filler."""
    out = []
    for i, (group, m) in enumerate(hits):
        if group.name == "words":
            out.append(m)
            continue
        before = text[: m.start]
        neighbour = any(
            abs(o.end - m.start) <= 1 or abs(m.end - o.start) <= 1 for j, (_, o) in enumerate(hits) if j != i
        )
        if m.start <= lead or _CLAUSE.search(before) or neighbour:
            out.append(m)
    return out


def check(call: Call) -> CheckResult:
    conf = call.pack["filler"]
    turns = [t for t in call.agent_turns if t.duration_s > 0]
    speech_s = sum(t.duration_s for t in turns)
    figures: dict = {"count": 0, "per_min": None, "speech_s": round(speech_s, 2), "counts": {}, "at_s": []}
    if speech_s < 1.0:
        return CheckResult("n/a", figures, [Finding(RULE.id, "info", None, call.say(RULE.id, "no_agent"))])
    lexicon = Lexicon(
        [PhraseGroup("words", tuple(conf["words"])), PhraseGroup("openers", tuple(conf["openers"]))],
        call.language,
        min_confidence=call.min_confidence("filler"),
    )
    counts: Counter = Counter()
    times: list[float] = []
    for turn in turns:
        text = turn.simplified
        hits = lexicon.find_text(text)
        first = next((i for i, ch in enumerate(text) if ch.isalnum()), 0)
        for m in _counted(text, hits, first):
            counts[m.phrase] += 1
            times.append(time_at(turn, m.start, call.language))
    count = sum(counts.values())
    rate = count / (speech_s / 60.0)
    figures.update(
        count=count, per_min=round(rate, 2), counts=dict(counts.most_common()), at_s=[round(t, 2) for t in times]
    )
    if count < conf["min_count"] or rate < conf["warn_per_min"]:
        status: Status = "pass"
    elif rate < conf["fail_per_min"]:
        status = "warn"
    else:
        status = "fail"
    findings = []
    if status != "pass":
        heard = ", ".join(f"{word} ×{n}" for word, n in counts.most_common())
        findings.append(
            Finding(
                RULE.id,
                "warning" if status == "warn" else "error",
                min(times),
                call.say(RULE.id, "rate", count=count, speech=mmss(speech_s), rate=rate, warn=conf["warn_per_min"]),
                conf["tips"]["filler"],
                heard=heard,
            )
        )
    return CheckResult(status, figures, findings)


def detail(figures: dict, language: str) -> str | None:
    """The scorecard's figures: filler words counted and per minute (None without a rate)."""
    if figures.get("per_min") is None:
        return None
    return f"{figures.get('count', 0)}, {figures['per_min']:.1f} {'次/分钟' if language == 'zh' else 'per min'}"
