"""Practice sessions: let the caller hang up first (docs/course.md §8; 003 由对方先挂电话)."""

from __future__ import annotations

from .base import Call, CheckResult, Finding, RuleInfo

RULE = RuleInfo(
    id="hangup",
    title="Let the caller hang up first (practice sessions)",
    seeds=("003",),
    why="003: 结束谈话时问“您还有其他事吗？”……由对方先挂电话. Hanging up before the caller has said goodbye "
    "cuts off a last question and tells the caller the agent is in a hurry. Judged in practice sessions "
    "(`callcoach practice`), where callcoach knows who ended the call; a recording alone does not say it.",
    example="好了，就这样吧。（客服先挂断）",
    instead="您还有其他事吗？……感谢您的来电，再见。（等客户先挂机）",
    section="",  # no pack settings
)


def check(call: Call) -> CheckResult:
    """n/a outside a practice session; otherwise an error when the agent ended the call before the goodbye."""
    session = call.session
    if session is None:
        return CheckResult("n/a")
    if session.get("ended_by") == "agent" and not session.get("caller_said_goodbye"):
        finding = Finding(
            RULE.id, "error", session.get("ended_s"), call.say(RULE.id, "first"), call.say(RULE.id, "first_tip")
        )
        return CheckResult("fail", {}, [finding])
    return CheckResult("pass")
