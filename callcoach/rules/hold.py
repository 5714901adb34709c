"""Holds: announced, at most 7 seconds, acknowledged on return (docs/course.md §3)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import Call, CheckResult, Finding, RuleInfo, Status, mmss, no_agent_speech

RULE = RuleInfo(
    id="hold",
    title="Hold at most 7 seconds, announced and acknowledged",
    seeds=("003", "001"),
    why="003: 最多只能让来电者稍候7秒钟; a caller left in silence thinks the line is dead. "
    "Ask before the hold, and thank or apologise on return: 对不起，让您久等了.",
    example="你等着 … (12 s of silence) … 查到了。",
    instead="请您稍等一会儿，好吗？ … 对不起，让您久等了。",
    check="hold",
    weight=15,
    labels={"zh": "等待 (≤7秒)", "en": "Holds (≤7 s)"},
)


@dataclass
class Hold:
    start_s: float
    end_s: float
    announced: bool
    acknowledged: bool
    permission: bool
    kind: str  # "announced" or "dead_air"
    heard: str | None = None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def to_dict(self) -> dict:
        return {
            "start_s": round(self.start_s, 2),
            "end_s": round(self.end_s, 2),
            "duration_s": round(self.duration_s, 2),
            "announced": self.announced,
            "acknowledged": self.acknowledged,
            "permission_asked": self.permission,
            "kind": self.kind,
            "heard": self.heard,
        }


def _announced_holds(call: Call) -> list[Hold]:
    agent = call.agent_turns
    holds = []
    for i, turn in enumerate(agent):
        hits = call.find(turn, "hold", "announce")
        if not hits or i + 1 >= len(agent):
            continue
        back = agent[i + 1]
        # The hold runs from the end of the announcing turn (or of the customer's short
        # reply to it, e.g. 好的) to the agent's next turn.
        start = turn.end_s
        # a reply too unsure to label (mono call separated by voice) is still not the agent's
        for reply in (t for t in call.transcript.turns if t.speaker != "agent"):
            if turn.end_s - 0.2 <= reply.start_s and reply.end_s <= back.start_s and reply.start_s - start < 2.0:
                start = max(start, reply.end_s)
        if back.start_s - start <= 0.5:
            continue  # "let me check" said while carrying on talking: no wait
        holds.append(
            Hold(
                start_s=start,
                end_s=back.start_s,
                announced=True,
                acknowledged=bool(call.find(back, "hold", "acknowledge")),
                permission=bool(call.find(turn, "hold", "permission")),
                kind="announced",
                heard=turn.text,
            )
        )
    return holds


def _speech_spans(call: Call) -> list[tuple[float, float]]:
    spans = [(t.start_s, t.end_s) for t in call.transcript.turns]
    for segments in (call.agent_speech, call.customer_speech):
        if segments and call.audio is not None and call.audio.stereo:
            spans += [(s.start_s, s.end_s) for s in segments]
    return sorted(spans)


def _dead_air(call: Call, announced: list[Hold]) -> list[Hold]:
    """Silences in mid-call, longer than the limit, that nobody announced."""
    conf = call.pack["hold"]
    spans = _speech_spans(call)
    agent = call.agent_turns
    if not spans or not agent:
        return []
    call_start = agent[0].start_s  # mid-call begins when the agent answers
    call_end = max(t.end_s for t in call.transcript.turns)
    out = []
    reach = call_start
    for start, end in spans:
        if end <= call_start:
            continue
        if start - reach >= conf["dead_air_s"] and reach < call_end:
            covered = any(h.start_s - 1.0 <= reach and start <= h.end_s + 1.0 for h in announced)
            if not covered:
                back = next((t for t in agent if t.start_s >= start - 0.3), None)
                ack = bool(back and call.find(back, "hold", "acknowledge"))
                out.append(
                    Hold(
                        start_s=reach, end_s=start, announced=False, acknowledged=ack, permission=False, kind="dead_air"
                    )
                )
        reach = max(reach, end)
    return out


def check(call: Call) -> CheckResult:
    conf = call.pack["hold"]
    limit = conf["limit_s"]
    # nobody answered: there was no conversation to put on hold
    empty = no_agent_speech(call, RULE.id, {"holds": [], "limit_s": limit, "longest_s": 0.0})
    if empty is not None:
        return empty
    announced = _announced_holds(call)
    holds = sorted(announced + _dead_air(call, announced), key=lambda h: h.start_s)
    findings: list[Finding] = []
    for h in holds:
        over = h.duration_s > limit
        if not h.announced:
            findings.append(
                Finding(
                    RULE.id,
                    "error",
                    h.start_s,
                    call.say("hold", "dead_air", duration=h.duration_s, at=h.start_s, limit=limit),
                    call.say("hold", "dead_air_tip"),
                )
            )
        elif over:
            findings.append(
                Finding(
                    RULE.id,
                    "error",
                    h.start_s,
                    call.say("hold", "over_limit", duration=h.duration_s, at=h.start_s, limit=limit),
                    call.say("hold", "over_limit_tip"),
                    heard=h.heard,
                )
            )
        if h.announced and not h.permission:
            findings.append(
                Finding(
                    RULE.id,
                    "info",
                    h.start_s,
                    call.say("hold", "no_permission"),
                    call.say("hold", "no_permission_tip"),
                    heard=h.heard,
                )
            )
        if not h.acknowledged:
            findings.append(
                Finding(
                    RULE.id,
                    "warning",
                    h.end_s,
                    call.say("hold", "no_thanks", at=h.start_s),
                    call.say("hold", "no_thanks_tip"),
                )
            )
    if any(h.duration_s > limit for h in holds):
        status: Status = "fail"
    elif any(not (h.announced and h.acknowledged) for h in holds):
        status = "warn"
    else:
        status = "pass"
    figures = {
        "holds": [h.to_dict() for h in holds],
        "limit_s": limit,
        "longest_s": round(max((h.duration_s for h in holds), default=0.0), 2),
    }
    return CheckResult(status, figures, findings)


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: each hold's start and length, unannounced or not thanked."""
    zh = language == "zh"
    holds = figures.get("holds", [])
    if not holds:
        return "没有等待" if zh else "no holds"
    unannounced, no_thanks = ("未告知", "未致谢") if zh else ("unannounced", "no thanks")
    return "; ".join(
        f"{mmss(h['start_s'])} {h['duration_s']:.0f}s"
        + ("" if h["announced"] else f" {unannounced}")
        + ("" if h["acknowledged"] else f" {no_thanks}")
        for h in holds
    )
