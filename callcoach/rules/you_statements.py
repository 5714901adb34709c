"""Accusing 你-statements where the course teaches a 我-form (docs/course.md §6.3, 003 善用“我”代替“你”)."""

from __future__ import annotations

from . import improper
from .base import Call, CheckResult, RuleInfo, found_count
from .lexicon import Lexicon, pairs_lexicon, pairs_message, phrase_check

RULE = RuleInfo(
    id="you_statements",
    title="Say 我 instead of an accusing 你",
    seeds=("003", "000", "002"),
    why="003: 尽量用“我”代替“你”，后者常会使人感到有根手指指向对方. 你必须 / 你错了 / 你没有弄明白 put the "
    "blame on the customer; the 我-form takes responsibility for the explanation and keeps the customer "
    "on your side.",
    example="你错了，不是那样的！你没有弄明白，这次听好了。",
    instead="对不起，我没说清楚……  也许我说得不够清楚，请允许我再解释一遍。",
    check="you_statements",
    weight=5,
    labels={"zh": "多用“我”少用“你”", "en": "'I' not 'you'"},
)


def lexicon(call: Call) -> Lexicon:
    """The improper phrases of ``[you_statements.pairs]``."""
    return pairs_lexicon(call, "you_statements")


def check(call: Call) -> CheckResult:
    spotted = improper.spotted(call, RULE.id)
    return phrase_check(call, RULE.id, spotted, call.pack["you_statements"]["fail_count"], pairs_message(call, RULE.id))


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: phrases found."""
    return found_count(figures, language)
