"""Improper vs. polite wording: every row of the 003 table (docs/course.md §6.1)."""

from __future__ import annotations

from ..textmatch import Match, prepared_text
from . import improper
from .base import Call, CheckResult, RuleInfo, found_count
from .lexicon import Lexicon, pairs_lexicon, pairs_message, phrase_check
from .opening_heard import one_word_pickup

#: A one-word pickup is judged by the turn's shape, not by its words: reported with this confidence.
PICKUP_CONFIDENCE = 0.5

RULE = RuleInfo(
    id="wording",
    title="Use the polite form, not the improper one (003 table)",
    seeds=("003",),
    why="003 售后服务的礼貌用语: the same request can sound like an order or like a service. "
    "对人要尊敬，多用“您”; 要用征求询问的语气，不能有命令、不耐烦的口气. Every row of the course's table "
    "(greet, own company, identity, name, surname, phone, purpose, wait, close, promise, didn't hear, "
    "not my area) is a pair in the pack's [wording.pairs] with the polite form as the suggestion.",
    example="你是谁？你电话是多少？你等着。这个不归我管。",
    instead="请问您是……？能留下您的联系方式吗？请您稍等一会儿。我可以帮您询问下。",
    check="wording",
    weight=8,
    labels={"zh": "礼貌用语", "en": "Polite wording"},
)


def lexicon(call: Call) -> Lexicon:
    """The improper phrases of ``[wording.pairs]``, and the agent's one-word pickup as ``pickup_pair``."""
    return pairs_lexicon(call, "wording", pickup=lambda text: pickup_word(call, text))


def check(call: Call) -> CheckResult:
    spotted = improper.spotted(call, RULE.id)
    return phrase_check(call, RULE.id, spotted, call.pack["wording"]["fail_count"], pairs_message(call, RULE.id))


def pickup_word(call: Call, text: str) -> Match | None:
    """The agent's first turn, when it is one word and no greeting (the introduction's one-word pickup,
    ``[introduction] bare_max_units``): the curt pickup of ``[wording] pickup_pair`` whatever word the
    recogniser made of it ("Yeah?" heard as "year" or "yet", "Hello?" as "help")."""
    if not one_word_pickup(call, text, call.cues("introduction", "greetings").find(text)):
        return None
    solid = prepared_text(text, call.language).solid
    start, end = solid[0].start, solid[-1].end
    return Match(text[start:end], start, end, text[start:end], "pickup", PICKUP_CONFIDENCE)


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: phrases found."""
    return found_count(figures, language)
