"""Forbidden service phrases: 000 服务的禁言, 004's 我不知道 / 我不懂 / 我想 / 可能, and the company's own list.

Three sources of phrases, one check:

* the course's groups, ``[forbidden.groups.NAME]`` (phrases, suggestion, label, severity, by_pinyin);
* ``forbidden.phrases``, a plain list a trainer's pack can extend, reported with ``forbidden.suggestion``;
* the company's own tables, ``[custom.NAME]`` in a trainer's pack (phrases, optional suggestion, label,
  severity, by_pinyin), reported as ``custom.NAME``.

Phrases in ``forbidden.allow`` and every required phrase (``[required]``) mask a
forbidden phrase inside them, so a compliance sentence such as
本次通话可能会被录音 is not a hedge (可能).
"""

from __future__ import annotations

from dataclasses import replace

from ..clauses import ClauseBreaks
from . import improper
from .base import Call, CheckResult, RuleInfo, found_count
from .lexicon import Lexicon, PhraseGroup, Spotted, groups_from_tables, phrase_check

RULE = RuleInfo(
    id="forbidden",
    title="Never use the forbidden service phrases",
    seeds=("000", "004"),
    why="000 服务的禁言: 你好像不明白 / 你应该 / 我们不可能 / 这是我们公司的规定 / 我不知道 / 这不关我的事 … "
    "blame the customer, refuse, or pass the buck, and turn a complaint into an argument; 000 also warns "
    "against “这种事情通常不会发生” and “是的，但是”. 004: 客户提出的问题，不能使用“我不知道”，“我不懂”或"
    "“我想”，“可能”等词语去答复客户 — find out and give a definite answer. A company can add its own "
    "forbidden phrases in a rule pack ([custom.NAME] tables or forbidden.phrases).",
    example="这是我们公司的规定，我也不知道，可能明天吧。",
    instead="我理解您的心情。请您稍等，我帮您确认后给您明确的答复。",
    check="forbidden",
    weight=8,
    labels={"zh": "服务禁语", "en": "Forbidden phrases"},
)


def lexicon(call: Call) -> Lexicon:
    """The forbidden phrases of the call's pack: the course's groups, the extra list, the company's tables."""
    conf = call.pack["forbidden"]
    general = conf.get("suggestion")
    groups = groups_from_tables(conf.get("groups", {}))
    groups.append(PhraseGroup("extra", tuple(conf.get("phrases", ())), general))
    for group in groups_from_tables(call.pack.get("custom", {}) or {}, prefix="custom."):
        groups.append(group if group.suggestion else replace(group, suggestion=general))
    required = [p for phrases in (call.pack.get("required", {}) or {}).values() for p in phrases]
    return Lexicon(
        groups,
        call.language,
        allow=list(conf.get("allow", ())) + required,
        min_confidence=call.min_confidence("forbidden"),
        clauses=ClauseBreaks.from_pack(call.pack.get("matching") or {}),
    )


def _message(call: Call, group: PhraseGroup) -> str:
    if group.name.startswith("custom."):
        return call.say(RULE.id, "custom", label=group.label or group.name[len("custom.") :])
    if group.name == "extra":
        return call.say(RULE.id, "extra")
    return call.say(RULE.id, "course", label=group.label or group.name)


def check(call: Call) -> CheckResult:
    def custom(spotted: list[Spotted]) -> dict:
        return {"custom": sum(1 for s in spotted if s.group.name.startswith("custom."))}

    return phrase_check(
        call,
        RULE.id,
        improper.spotted(call, RULE.id),
        call.pack["forbidden"]["fail_count"],
        lambda group: _message(call, group),
        custom,
    )


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: phrases found."""
    return found_count(figures, language)
