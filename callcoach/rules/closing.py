"""Closing the call: anything else?, recap, next step, thanks, own name (docs/course.md §6.4; 003, 000 step 6)."""

from __future__ import annotations

from ..names import find_name
from ..topics import topic_spotter
from .base import Call, CheckResult, Finding, RuleInfo, Severity, checklist, graded, no_agent_speech
from .lexicon import fill, heard_around, time_at
from .opening_heard import name_part_heard

RULE = RuleInfo(
    id="closing",
    title="Close the call: anything else, recap, next step, thanks, your name",
    seeds=("003", "000"),
    why="003: 结束谈话时问“您还有其他事吗？”，重复说明此次通话内容、要点，由对方先挂电话. 000 step 6 (最后确定): "
    "向顾客核实细节，告知下一步会怎样，告诉他们你很高兴能帮他们解决问题，重复一下你自己的姓名. A clear close "
    "leaves the customer sure of what was agreed, what happens next and whom to ask.",
    example="好了，就这样吧。（挂断）",
    instead="跟您确认一下：明天上午十点工程师上门装机，地址是……。出发前会先给您打电话。您还有其他事吗？"
    "我是小王，感谢您的来电，再见。",
    check="closing",
    weight=10,
    labels={"zh": "结束通话", "en": "Closing and recap"},
)

#: The parts of a good close, in the order a finding lists them.
PARTS = ("anything_else", "recap", "next_step", "thanks", "own_name")

SEVERITY: dict[str, Severity] = {"own_name": "info"}


def closing_span(call: Call) -> tuple[tuple, float]:
    """The closing's turns and when it starts: the turns starting in the last ``window_s`` of the agent's speech
    (at least the last ``min_turns``), heard whole, and the end of the turn before them: from ``window_s`` before
    the agent's last word, or from the recap it starts ("Right, so just to recap: … Anything else I can help you
    with today?": a recap that began earlier, ending less than ``window_s`` before that, is the close). The
    agent's first turn (the introduction) is never part of it unless it is the only one."""
    conf = call.pack["closing"]
    agent = call.agent_turns
    if not agent:
        return (), 0.0
    since = agent[-1].end_s - conf["window_s"]
    first = next(i for i, t in enumerate(agent) if t.start_s >= since or i == len(agent) - 1)
    first = min(first, max(0, len(agent) - int(conf["min_turns"])))
    since = min(since, agent[first].start_s)
    before = agent[first - 1] if first > 0 else None
    recaps = call.cues("closing", "cues", "recap").find(before.simplified) if before else []
    if before and (before.end_s > since or (recaps and before.end_s > since - conf["window_s"])):
        first -= 1  # heard from `since` on, or from a recap it starts ("So just to recap: …")
        if recaps:
            since = min(since, time_at(agent[first], recaps[0].start, call.language))
    if len(agent) > 1 and first == 0:
        first = 1
        since = max(since, agent[1].start_s)
    return tuple(agent[first:]), since


def _first_hit(call: Call, turns, since: float, *keys: str):
    """The first match of the cues ``keys`` said after ``since``."""
    for turn in turns:
        for hit in call.cues(*keys).find(turn.simplified):
            if _heard_after(call, turn, hit.start, since):
                return turn, hit
    return None


def _heard_after(call: Call, turn, start: int, since: float) -> bool:
    return turn.start_s >= since or time_at(turn, start, call.language) >= since


def check(call: Call) -> CheckResult:
    conf = call.pack["closing"]
    empty = no_agent_speech(call, RULE.id, {**{p: False for p in PARTS}, "said": 0, "evidence": {}})
    if empty is not None:
        return empty
    turns, since = closing_span(call)
    evidence: dict[str, dict] = {}

    def note(part, turn, start, end):
        evidence[part] = {
            "at_s": round(time_at(turn, start, call.language), 2),
            "heard": heard_around(turn, start, end, call.language),
        }

    for part in ("anything_else", "recap", "next_step", "thanks"):
        found = _first_hit(call, turns, since, "closing", "cues", part)
        if found:
            turn, hit = found
            note(part, turn, hit.start, hit.end)
    if "recap" not in evidence:
        # restating the agreed time, place, cost ... is a recap too (5W2H topics stated, see callcoach.topics); how it
        # will be done ("I'll email you the quote") is the next step, not a recap (recap_skips)
        topics: dict[str, tuple] = {}
        for turn in turns:
            for hit in topic_spotter(call.pack).spot(turn.simplified):
                if (
                    not hit.asked
                    and hit.topic not in conf["recap_skips"]
                    and _heard_after(call, turn, hit.start, since)
                ):
                    topics.setdefault(hit.topic, (turn, hit))
        if len(topics) >= conf["recap_topics"]:
            turn, hit = min(topics.values(), key=lambda th: (th[0].start_s, th[1].start))
            note("recap", turn, hit.start, hit.end)
            evidence["recap"]["topics"] = sorted(topics)
    if call.setup.agent:
        for turn in turns:
            # the name whole, or part of it right after 我是 (我 是 林雨 for 我是林雨欣: a character lost)
            hit = find_name(turn.simplified, call.setup.agent, call.language) or name_part_heard(call, turn.simplified)
            if hit and _heard_after(call, turn, hit.start, since):
                note("own_name", turn, hit.start, hit.end)
                break
    else:
        found = _first_hit(call, turns, since, "closing", "cues", "own_name")
        if found:
            note("own_name", found[0], found[1].start, found[1].end)
    said = [p for p in PARTS if p in evidence]
    at = since
    findings = [
        Finding(
            RULE.id,
            SEVERITY.get(p, "warning"),
            at,
            call.say(RULE.id, p),
            fill(conf["tips"][p], call.setup, call.language),
        )
        for p in PARTS
        if p not in evidence
    ]
    status = graded(len(said), conf["pass_min"], conf["warn_min"])
    figures = {
        **{p: p in evidence for p in PARTS},
        "said": len(said),
        "evidence": evidence,
        "window_start_s": round(at, 2),
    }
    return CheckResult(status, figures, findings)


#: The closing's parts as the scorecard names them.
PART_NAMES = {
    "zh": {
        "anything_else": "其他需要",
        "recap": "复述要点",
        "next_step": "下一步",
        "thanks": "致谢",
        "own_name": "报名字",
    },
    "en": {
        "anything_else": "anything else",
        "recap": "recap",
        "next_step": "next step",
        "thanks": "thanks",
        "own_name": "own name",
    },
}


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: each part of the closing said or not."""
    return checklist(figures, PART_NAMES[language])
