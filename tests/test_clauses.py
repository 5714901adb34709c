"""A recogniser's turn has no punctuation: its clauses end at pauses and after opening words (callcoach.clauses).

Phrases that are improper only as a clause of their own (什么事？, "Name?", 没办法。) must be found in a
recogniser's turn as in a typed one, and not inside a longer clause (还有什么事, "the name on the account").
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from callcoach.clauses import ClauseBreaks, clause_of, word_spans
from callcoach.packs import load_pack
from callcoach.rules.base import CallSetup
from callcoach.scoring import score_call
from callcoach.transcript import Transcript, Turn, Word
from conftest import KOREAN_LINES, espeak, trim

OPENING = {
    "zh": ("您好 请 讲", "我 想 问 一下 订单"),
    "en": ("hello you're through to parts", "i want to order a part"),
}


def _turn(n: int, text: str, words: tuple[Word, ...] = ()) -> Turn:
    return Turn("agent" if n % 2 == 0 else "customer", n * 5.0, n * 5.0 + 4.0, text, words=words)


def _timed(n: int, *pieces: str | float) -> Turn:
    """A recogniser's turn: words of 0.3 s each, one after another; a number is a silence of that many seconds."""
    words, at = [], n * 5.0
    for piece in pieces:
        if isinstance(piece, float):
            at += piece
            continue
        words.append(Word(piece, at, at + 0.3, 1.0))
        at += 0.3
    return _turn(n, " ".join(w.text for w in words), tuple(words))


def _found(check: str, language: str, reply: Turn) -> list[str]:
    """The phrases ``check`` flags when the agent's third turn is ``reply``, after a recogniser's opening."""
    opening, question = OPENING[language]
    transcript = Transcript((_turn(0, opening), _turn(1, question), reply), language=language)
    card = score_call(transcript=transcript, setup=CallSetup(language=language)).to_dict()
    return [f["phrase"] for f in card["checks"][check]["found"]]


@pytest.mark.parametrize(
    "language, text, found",
    [
        ("zh", "嗯 对 什么 事", ["什么事"]),  # 嗯，对，什么事？
        ("zh", "对 对 对 你 说 什么", ["你说什么"]),  # an opener said three times is still one clause
        ("zh", "喂 嘛 事", ["啥事"]),  # Tianjin 嘛事 reads as 啥事
        ("zh", "还 有 什么 事", []),  # the close's 还有什么事: 还有 opens no clause of its own
        ("zh", "是 什么 事 情 让 您 不 满意", []),
        ("en", "yeah name", ["name"]),  # "Yeah? Name?"
        ("en", "right okay address", ["address"]),
        ("en", "right so address", ["address"]),  # "Right, so: address?"
        ("en", "so the address on the account", []),
        ("en", "yeah the name on the account", []),  # the name inside a longer clause is no demand
        ("en", "what name is it under", []),
    ],
)
def test_a_recognisers_turn_opens_with_a_clause_of_its_own(language, text, found):
    assert _found("wording", language, _turn(2, text)) == found


def test_a_pause_ends_a_clause_in_a_recognisers_turn():
    # 没办法。价钱是老板定的。 — a flat refusal said as a sentence of its own, then the reason
    said = ("没", "办法", 0.6, "价钱", "是", "老板", "定", "的")
    assert _found("forbidden", "zh", _timed(2, *said)) == ["没办法"]
    # the same words run together are one clause, and 没办法 is not all it says
    assert _found("forbidden", "zh", _timed(2, *(p for p in said if not isinstance(p, float)))) == []
    # "Name. I need it for the order." / "Name I need it for the order" without the stop
    assert _found("wording", "en", _timed(2, "name", 0.5, "i", "need", "it", "for", "the", "order")) == ["name"]
    assert _found("wording", "en", _timed(2, "name", "i", "need", "it", "for", "the", "order")) == []


def test_a_short_gap_between_words_is_no_clause_end():
    said = ("没", "办法", 0.1, "价钱", "是", "老板", "定", "的")
    assert _found("forbidden", "zh", _timed(2, *said)) == []


@pytest.mark.parametrize(
    "text, found",
    [
        # 信号肯定差啊，这没办法，你自己挪一挪。 — the particle ends one clause, the pronoun opens the next
        ("信号 肯定 差 啊 这 没 办法 你 自己 把 路由器 挪 一 挪", ["这没办法"]),
        ("你 说 什么 我 这边 吵", ["你说什么"]),  # 你说什么？我这边吵。
        ("等 着 我 翻 一下", ["等着"]),  # 等着，我翻一下。
        ("嗯 是 什么 事", ["什么事"]),  # 是 opens a turn as 对 does
        ("没 办法 上网", []),  # 没办法上网 describes the fault: one clause
        ("您 等 着 我 给 您 查", []),  # 您等着 is not the bare 等着
        ("您 还 有 什么 事 吗", []),
    ],
)
def test_a_particle_ends_and_a_pronoun_opens_a_clause_in_a_recognisers_turn(text, found):
    assert _found("wording", "zh", _turn(2, text)) + _found("forbidden", "zh", _turn(2, text)) == found


def test_particles_and_pronouns_end_clauses_only_between_words():
    breaks = ClauseBreaks.from_pack(load_pack("zh")["matching"])
    assert "吧" in breaks.closers and "你" in breaks.subjects
    text = "差 啊 这 没 办法 你 自己 挪"
    # (这 opens a clause too: a demonstrative after other words, in a turn without word timing)
    assert breaks.at(_turn(2, text), "zh") == (text.index("啊") + 1, text.index("这"), text.index("你"))
    assert breaks.at(_turn(2, "你 自己 挪 吧"), "zh") == ()  # a pronoun opening the turn, a particle ending it
    assert breaks.at(_turn(2, "差啊，这没办法，你自己挪"), "zh") == ()  # punctuation is trusted
    assert ClauseBreaks.from_pack(load_pack("en")["matching"]).subjects == ()  # "you're postcode" is "your postcode"


def test_clause_ends_come_from_the_pack_and_only_for_a_turn_without_punctuation():
    breaks = ClauseBreaks.from_pack(load_pack("zh")["matching"])
    assert breaks.pause_s > 0 and "对" in breaks.openers
    assert breaks.at(_turn(2, "嗯 对 什么 事"), "zh") == (3,)  # after 对
    assert breaks.at(_turn(2, "对，什么事？"), "zh") == ()  # a typed transcript's punctuation is trusted
    assert breaks.at(_turn(2, "对 对"), "zh") == ()  # nothing after the openers
    assert breaks.at(_turn(2, "什么 事"), "zh") == ()
    timed = _timed(2, "没", "办法", 0.6, "价钱")
    assert breaks.at(timed, "zh") == (timed.simplified.index("办法") + 2,)
    assert ClauseBreaks().at(timed, "zh") == ()  # off: a pack without the keys


def test_clause_of_takes_the_nearest_end_either_side():
    text = "嗯 对 什么 事 我 这 边 忙"
    start = text.index("什么")
    assert clause_of(text, start, start + 4) == (0, len(text))
    assert clause_of(text, start, start + 4, breaks=(3, 8)) == (3, 8)
    assert clause_of("好，什么事？", 2, 5) == (2, 5)


def test_the_pauses_a_real_recogniser_times_end_clauses(engine, tmp_path):
    """Vosk's word times (the Korean test model) carry the pauses: two sentences said 0.45 s apart are two clauses,
    the same sentences run together (0.15 s) are one."""
    first, sr = espeak(KOREAN_LINES[2], "ko", tmp_path / "a.wav")
    second, _ = espeak(KOREAN_LINES[3], "ko", tmp_path / "b.wav")
    first, second = trim(first), trim(second)
    gap_at = 1.0 + len(first) / sr
    breaks = ClauseBreaks(pause_s=0.3)
    found = {}
    for gap in (0.15, 0.45):
        signal = np.concatenate([np.zeros(sr), first, np.zeros(int(gap * sr)), second, np.zeros(sr)])
        sf.write(tmp_path / f"{gap}.wav", signal.astype(np.float32), sr)
        (turn,) = engine.transcribe(tmp_path / f"{gap}.wav", speakers="none").turns  # one utterance: gap < JOIN_S
        ends = {end: word for _, end, word in word_spans(turn, "ko")}
        # a clause end at the gap: after the last word heard before the second sentence starts
        found[gap] = [b for b in breaks.at(turn, "ko") if abs(ends[b].end_s - gap_at) < 0.3]
    assert found[0.45] and not found[0.15]


@pytest.mark.parametrize(
    "text, found",
    [
        # an imported recogniser transcript: no punctuation, no word timing
        ("没 办法 价钱 是 老板 定 的", ["没办法"]),  # 没办法，价钱是老板定的。 — a noun after the phrase
        ("公司 规定 价钱 不变", ["公司规定"]),
        ("没 办法 八百 已经 最低 了", ["没办法"]),  # a numeral opens the next clause
        ("没 办法 平时 祠堂 锁 着", ["没办法"]),  # a time word
        ("你 说 什么 这边 吵 听不清", ["你说什么"]),  # a demonstrative
        ("没 办法 上网", []),  # a verb after it: 没办法上网 describes the fault
        ("你 说 什么 时候 来", []),  # 什么 asks about the noun: "when did you say"
        ("你 说 什么 型号", []),
        ("什么 事情 让 您 不 满意", []),  # 什么事 is not a word of its own here
        ("孩子 名字", []),  # a noun before the phrase is the head of its noun phrase
    ],
)
def test_an_untimed_recogniser_turn_splits_by_word_classes(text, found):
    assert _found("wording", "zh", _turn(2, text)) + _found("forbidden", "zh", _turn(2, text)) == found


def test_word_classes_split_only_an_untimed_turn_without_punctuation():
    breaks = ClauseBreaks.from_pack(load_pack("zh")["matching"])
    assert "t" in breaks.start_tags and "这边" in breaks.start_words and "n" in breaks.noun_tags
    text = "没 办法 八百 已经 最低 了"
    assert breaks.at(_turn(2, text), "zh") == (text.index("八百"),)
    assert breaks.ends_after(_turn(2, "没 办法 价钱 是"), 4, "zh") == 5  # where 价钱 starts
    assert breaks.ends_after(_turn(2, "没 办法 上网"), 4, "zh") is None
    # with word timing only a pause ends a clause: the words run together are one
    timed = _timed(2, "没", "办法", "八百", "已经", "最低", "了")
    assert breaks.at(timed, "zh") == () and breaks.ends_after(_timed(2, "没", "办法", "价钱"), 4, "zh") is None
    assert breaks.at(_turn(2, "没办法，八百已经最低了"), "zh") == ()  # punctuation is trusted
    assert breaks.at(_turn(2, "no way eight hundred"), "en") == ()
    assert ClauseBreaks().at(_turn(2, text), "zh") == ()  # off: a pack without the keys
