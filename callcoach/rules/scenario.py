"""Practice sessions: find out what the scenario's caller needs (the scenario's 5W2H topics, docs/course.md §8)."""

from __future__ import annotations

from . import fivew2h
from .base import Call, CheckResult, Finding, RuleInfo

RULE = RuleInfo(
    id="scenario",
    title="Cover what this caller needs (practice scenarios)",
    seeds=("003",),
    why="003 电话服务技巧：5W2H法. Each practice scenario lists the 5W2H topics its caller's request cannot be "
    "handled without (e.g. the address and a time for an installation); a topic left open means a call-back. "
    "Judged in practice sessions (`callcoach practice`) from the scenario's expected_topics and the same "
    "5W2H cues as the `5w2h` check.",
    example="好的，我们会安排师傅上门。 (no address, no time agreed)",
    instead="请问您的地址是哪里？您什么时候方便？",
    section="",  # no pack settings
)


def check(call: Call) -> CheckResult:
    """n/a outside a practice session or before a pick-up; otherwise a warning listing the topics not covered."""
    session = call.session
    if session is None or session.get("answer_s") is None:
        return CheckResult("n/a")
    expected = list(session.get("expected_topics", ()))
    covered = set(fivew2h.check(call).figures.get("covered", []))
    missing = [t for t in expected if t not in covered]
    if not missing:
        return CheckResult("pass", {"expected": expected, "missing": []})
    names = ("、" if call.language == "zh" else ", ").join(call.say("5w2h", t) for t in missing)
    finding = Finding(
        RULE.id, "warning", None, call.say(RULE.id, "missing", missing=names), call.say(RULE.id, "missing_tip")
    )
    return CheckResult("warn", {"expected": expected, "missing": missing}, [finding])
