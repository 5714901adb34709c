"""Required phrases a trainer sets in a rule pack (e.g. a compliance sentence).

``[required]`` in a trainer's pack: each key is one requirement, its value the
accepted phrasings; the agent must say at least one of them somewhere in the
call. Without requirements the check is n/a and does not count in the score.
"""

from __future__ import annotations

from ..textmatch import cue_set
from .base import Call, CheckResult, Finding, RuleInfo, no_agent_speech
from .lexicon import heard_around, time_at

RULE = RuleInfo(
    id="required",
    title="Say the phrases the company requires",
    seeds=(),
    why="Companies add their own must-say sentences to the course — a recording notice, a data-protection "
    "statement, a survey invitation. A trainer lists them in a rule pack ([required] name = [phrasings]) "
    "and every call is checked for at least one phrasing of each.",
    example="(the call ends without the recording notice)",
    instead="本次通话可能会被录音，以便提升服务质量。 (whatever the company's pack requires)",
    check="required",
    weight=10,
    labels={"zh": "必说用语", "en": "Required phrases"},
)


def check(call: Call) -> CheckResult:
    wanted = {k: v for k, v in (call.pack.get("required", {}) or {}).items() if v}
    if not wanted:
        return CheckResult("n/a", {"required": {}, "missing": []})
    empty = no_agent_speech(call, RULE.id, {"required": {}, "missing": sorted(wanted)})
    if empty is not None:
        return empty
    said: dict[str, dict] = {}
    findings: list[Finding] = []
    for name, phrases in wanted.items():
        cues = cue_set(phrases, call.language, min_confidence=call.min_confidence("matching"))
        entry: dict = {"said": False, "at_s": None, "heard": None}
        for turn in call.agent_turns:
            hit = cues.search(turn.simplified)
            if hit:
                entry = {
                    "said": True,
                    "at_s": round(time_at(turn, hit.start, call.language), 2),
                    "heard": heard_around(turn, hit.start, hit.end, call.language),
                }
                break
        said[name] = entry
        if not entry["said"]:
            message = call.say(RULE.id, "missing", name=name)
            findings.append(Finding(RULE.id, "error", None, message, phrases[0]))
    missing = [name for name, entry in said.items() if not entry["said"]]
    return CheckResult("fail" if missing else "pass", {"required": said, "missing": missing}, findings)


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: the required phrases not said."""
    missing = figures.get("missing") or []
    return ("✗ " + ", ".join(missing)) if missing else "—"
