"""5W2H coverage: why, what, where, when, who, how, how much (docs/course.md §5)."""

from __future__ import annotations

from ..textmatch import CueSet, cue_set
from .base import Call, CheckResult, Finding, RuleInfo, graded

NAMES = ("why", "what", "where", "when", "who", "how", "how_much")

RULE = RuleInfo(
    id="5w2h",
    title="Cover the 5W2H of the request",
    seeds=("003",),
    why="003 电话服务技巧：5W2H法. Asking why, what, where, when, who, how and how much gets everything "
        "needed to act in one call, so nobody has to call back.",
    example="好的，我们会派人过去。 (no address, time, contact or cost agreed)",
    instead="请问是什么原因…？ 地址是哪里？ 您什么时候方便？ 联系人是谁？ 需要准备…，费用是…元。",
    check="5w2h",
)


def _topic_cues(call: Call) -> tuple[CueSet, dict[str, list[str]]]:
    """One matcher over every topic's cues, so the longest cue claims the words:
    请问是什么原因 is "why" (什么原因), not also "what" (是什么)."""
    cache = call.__dict__.setdefault("_cue_cache", {})
    if "5w2h-all" not in cache:
        topics: dict[str, list[str]] = {}
        for name in NAMES:
            for phrase in call.pack["fivew2h"]["cues"][name]:
                topics.setdefault(phrase, []).append(name)
        cache["5w2h-all"] = (cue_set(topics, call.language), topics)
    return cache["5w2h-all"]


def check(call: Call) -> CheckResult:
    conf = call.pack["fivew2h"]
    cues, topics = _topic_cues(call)
    evidence: dict[str, dict] = {}
    for turn in call.agent_turns:
        for hit in cues.find(turn.simplified):
            for name in topics[hit.phrase]:
                if name not in evidence:
                    evidence[name] = {"at_s": round(turn.start_s, 2), "words": hit.matched_text,
                                      "cue": hit.phrase, "turn": turn.text}
    covered = [n for n in NAMES if n in evidence]
    missing = [n for n in NAMES if n not in evidence]
    figures = {"covered": covered, "missing": missing, "evidence": evidence}
    if not call.agent_turns:
        return CheckResult("n/a", figures, [])
    status = graded(len(covered), conf["pass_min"], conf["warn_min"])
    findings = []
    if missing:
        findings.append(Finding(RULE.id, "warning" if status == "warn" else ("error" if status == "fail" else "info"),
                                None, call.say("5w2h", "missing", missing=("、" if call.language == "zh" else ", ").join(
                                    call.say("5w2h", n) for n in missing)), call.say("5w2h", "missing_tip")))
    return CheckResult(status, figures, findings)
