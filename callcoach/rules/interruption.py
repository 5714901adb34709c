"""Interruptions: the agent starts speaking while the customer is still speaking (docs/course.md §6.5; 004, 002)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from .base import Call, CheckResult, Finding, RuleInfo, Status, mmss
from .lexicon import agent_words_at

RULE = RuleInfo(
    id="interruption",
    title="Let the customer finish",
    seeds=("004", "002"),
    why="004: 客户投诉时首先要耐心倾听，让客户把话讲完，这样做会使客户的情绪自然平静下来; 在客户未讲完之前不要急于辩解. "
    "002 lists 打断客户 among the common errors. Talking over the customer tells them they are not heard. "
    "Measured on two-channel recordings (agent and customer apart) or a transcript with speakers; a short "
    "嗯/好的 while listening is not an interruption.",
    example="Customer: 我上周就报修了，到现在还没人来，我… — Agent (cutting in): 那个我们这边查不到。",
    instead="Wait until the customer has finished, then: 非常抱歉让您久等了，我马上帮您查。",
    check="interruption",
    weight=5,
    labels={"zh": "不打断客户", "en": "No interrupting"},
)


@dataclass(frozen=True)
class Interruption:
    """The agent cut in at ``at_s`` (seconds) and both spoke for ``overlap_s`` seconds."""

    at_s: float
    overlap_s: float
    customer_start_s: float

    def to_dict(self) -> dict:
        return {
            "at_s": round(self.at_s, 2),
            "overlap_s": round(self.overlap_s, 2),
            "customer_start_s": round(self.customer_start_s, 2),
        }


def interruptions(
    agent: list[tuple[float, float]], customer: list[tuple[float, float]], *, lead_s: float, min_overlap_s: float
) -> list[Interruption]:
    """Agent spans that start inside a customer span (at least ``lead_s`` after it began) and overlap it long enough.

    Parameters
    ----------
    agent, customer : list of (start_s, end_s)
        Speech spans of each side, seconds.
    lead_s : float
        How long the customer must already have been speaking, seconds.
    min_overlap_s : float
        Shortest talking-over that counts, seconds.
    """
    out = []
    customer = sorted(customer)
    starts = [c0 for c0, _ in customer]
    reach = list(accumulate((c1 for _, c1 in customer), max))  # latest end among spans up to each index
    for a0, a1 in sorted(agent):
        j = bisect_right(starts, a0 - lead_s) - 1  # last customer span that began lead_s before a0
        while j >= 0 and reach[j] > a0:  # walk back only while an earlier span may still be running at a0
            c0, c1 = customer[j]
            overlap = min(a1, c1) - a0
            if c1 > a0 and overlap >= min_overlap_s:
                out.append(Interruption(a0, overlap, c0))
                break
            j -= 1
    return out


def _sides(call: Call) -> tuple[str, list, list] | None:
    if (
        call.audio is not None
        and call.audio.stereo
        and call.agent_speech is not None
        and call.customer_speech is not None
    ):
        return (
            "audio",
            [(s.start_s, s.end_s) for s in call.agent_speech],
            [(s.start_s, s.end_s) for s in call.customer_speech],
        )
    if call.speakers_known and call.customer_turns and call.agent_turns:
        return (
            "transcript",
            [(t.start_s, t.end_s) for t in call.agent_turns],
            [(t.start_s, t.end_s) for t in call.customer_turns],
        )
    return None


def check(call: Call) -> CheckResult:
    conf = call.pack["interruption"]
    sides = _sides(call)
    figures: dict = {"count": 0, "interruptions": [], "source": None, "min_overlap_s": conf["min_overlap_s"]}
    if sides is None:
        return CheckResult("n/a", figures, [Finding(RULE.id, "info", None, call.say(RULE.id, "no_sides"))])
    source, agent, customer = sides
    found = interruptions(agent, customer, lead_s=conf["lead_s"], min_overlap_s=conf["min_overlap_s"])
    findings = []
    for cut in found:
        findings.append(
            Finding(
                RULE.id,
                "warning",
                cut.at_s,
                call.say(RULE.id, "interrupt", at=mmss(cut.at_s), overlap=cut.overlap_s),
                conf["tips"]["interrupt"],
                heard=agent_words_at(call, cut.at_s),
            )
        )
    figures.update(count=len(found), interruptions=[c.to_dict() for c in found], source=source)
    if not found:
        status: Status = "pass"
    else:
        status = "fail" if len(found) >= conf["fail_count"] else "warn"
    return CheckResult(status, figures, findings)


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: how many times the agent cut in."""
    return f"{figures.get('count', 0)} {'次打断' if language == 'zh' else 'interruptions'}"
