"""Which 5W2H topics a text asks about or states (003: 5W2H法).

The 5W2H rule, the unanswered-question rule and the practice session's caller
all ask the same thing of a turn: does it ask about, or state, why / what /
where / when / who / how / how much? A :class:`TopicSpotter` answers it from
three kinds of evidence, all configured in the pack's ``[fivew2h]`` section:

* **questions** (``[fivew2h.ask]``): cue phrases that ask about a topic
  (什么时候, 地址是哪里, "what time", "how much");
* **statement cues** (``[fivew2h.state]``): words that state or confirm one
  (维修师傅, 通过手机应用, 免费, "a technician", "via the app", "because");
* **taggers** for concrete answers, made for the job rather than cue lists:
  a Chinese numeral or digits followed by a unit (``[fivew2h.units]``: 六十元 and
  一百兆 are how much, 五个工作日 and 十点 are when, 三栋 and 八号 after a road
  are where; cn2an reads the numeral's value), a price per period with no
  currency word (``[fivew2h] rate_periods``: 两千八一个月, 一天十五, "forty nine
  a month"), jieba's part-of-speech tags for
  time words (``t``: 明天, 周六, 上个月) and place names (``ns``: 黑龙江省,
  朝阳区) less the pack's stop lists, and regular expressions for English
  clock times, weekdays, dates, durations, currency, quantities and street
  addresses (number words are read too: "two o'clock", "forty two Maple
  Street").

Cue phrases go through :func:`callcoach.textmatch.cue_set` (so ASR homophones
still match); phrases in ``[fivew2h] ignore`` claim their words and cover
nothing ("how may I help you" is not a *how* question, 一下 is not a quantity).

Limits: the taggers read characters, so a unit the recogniser wrote as a
homophone (六十园) is missed; jieba's tags are statistical (it tags 上门 a
place, hence the stop lists); "asked" versus "stated" is judged from question
cues, a question mark or a sentence-final 吗/呢, and is only reported, never
scored. Spotting one turn takes well under a millisecond once the pack is
compiled (once per process: see :func:`topic_spotter`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from .textmatch import cue_set
from .textnorm import plain_latin, pos_tags, simplify

__all__ = [
    "TOPICS",
    "TopicHit",
    "TopicSpotter",
    "numeral_value",
    "says_number",
    "topic_spotter",
]

#: The seven topics in the order the course lists them.
TOPICS = ("why", "what", "where", "when", "who", "how", "how_much")

_ZH_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿0-9０-９]+(?:[.点][零〇一二三四五六七八九0-9]+)?")
_ZH_WEEKDAY = re.compile(r"(?:上|下|这|本)?(?:个)?(?:周|星期|礼拜)[一二三四五六日天末]")
_QUESTION_END = re.compile(r"[吗么呢][\s，,]*$|[？?]")
#: A fee named and its amount without a unit: 挂号费五十, 服务费是二十.
_ZH_FEE = re.compile(rf"费(?:是|要|大概|一共|共|就)?(?P<num>{_ZH_NUMERAL.pattern})")
#: A sum with no unit, read as money or a count (how much): 四十七万左右, 准备五十五万, 三百多, 一千八。 — it starts
#: with a digit (千万别 is "by all means don't", 万达 a brand) and ends in 万, or in 百 / 千 (一千八) before 左右 / 多
#: or the clause's end (三百六十五天 is a time, tagged by its unit).
_ZH_SUM = re.compile(
    r"(?P<num>[一二两三四五六七八九十0-9][零〇一二两三四五六七八九十百千0-9]*万[一二两三四五六七八九]?)"
    r"|(?P<num2>[一二两三四五六七八九十0-9][零〇一二两三四五六七八九十0-9]*[百千][一二两三四五六七八九]?)"
    r"(?=左右|多|上下|[，。！？,.!?；;]|$)"
)
#: A clause: up to and with its punctuation (，。！？ …).
CLAUSE = re.compile(r"[^，。！？,.!?；;]+[，。！？,.!?；;]*")

_EN_NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundred|thousand"
)
_EN_NUMBER = rf"(?:\d+(?:[.,]\d+)?|(?:(?:{_EN_NUMBER_WORDS})(?:[\s-]+(?:and\s+)?(?:{_EN_NUMBER_WORDS}))*))"
_EN_ORDINALS = (
    r"(?:(?:twenty|thirty)[\s-]?)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|"
    r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
    r"twentieth|thirtieth"
)
_EN_PLACE_NAME = re.compile(
    r"\b(?:in|from)\s+(?P<x>(?!I\b|January|February|March|April|May|June|July|August|"
    r"September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
)
#: Money words after a number ("at ten pounds" is a price, not an hour).
_EN_MONEY = r"(?:pounds?|quid|euros?|dollars?|bucks|cents?|pence|grand)"
_EN_WEEKDAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)s?"
_EN_MONTHS = r"(?:january|february|march|april|june|july|august|september|october|november|december)"


@dataclass(frozen=True)
class TopicHit:
    """One piece of evidence that a text asks about or states a topic.

    Attributes
    ----------
    topic : str
        One of :data:`TOPICS`.
    asked : bool
        True when it is asked (a question cue, or a clause ending in a question), False when stated.
    start, end : int
        Character offsets in the (simplified) text given to the spotter.
    words : str
        The text at ``start:end``.
    cue : str
        The pack phrase that matched, or the tagger that found it (``time``, ``amount``, ``place``...).
    value : float or None
        The number read from a numeral (cn2an for Chinese numerals), when there is one.
    """

    topic: str
    asked: bool
    start: int
    end: int
    words: str
    cue: str
    value: float | None = None

    def to_dict(self) -> dict:
        out = {"topic": self.topic, "asked": self.asked, "words": self.words, "cue": self.cue}
        if self.value is not None:
            out["value"] = self.value
        return out


def numeral_value(numeral: str) -> float | None:
    """The value of a numeral written in Chinese characters or digits (cn2an), or None if unreadable.

    A digit string read digit by digit (一三九零零 in a phone number, 五零一 a room) comes out as its digits.
    """
    import cn2an

    text = numeral.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def _alternation(words: list[str]) -> str:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words) if words else r"(?!x)x"


class TopicSpotter:
    """The compiled cues and taggers of one pack's ``[fivew2h]`` section.

    Parameters
    ----------
    section : mapping
        The pack's ``[fivew2h]`` table (``ask``, ``state``, ``units``, ``ignore``, stop lists).
    language : {"zh", "en"}
    """

    def __init__(self, section: Mapping[str, Any], language: str):
        self.language = language
        self._seen: dict[str, tuple[TopicHit, ...]] = {}  # turn text -> hits (the rules ask about a turn often)
        phrases: dict[str, tuple[str, bool]] = {}
        for phrase in section.get("ignore", []):
            phrases[phrase] = ("", False)
        for kind, asked in (("state", False), ("ask", True)):
            for topic in TOPICS:
                for phrase in section.get(kind, {}).get(topic, []):
                    phrases.setdefault(phrase, (topic, asked))
        self._phrases = phrases
        self._cues = cue_set(phrases, language)
        units = section.get("units", {})
        self._vague_times = set(section.get("vague_times", []))
        self._not_places = set(section.get("not_places", []))
        if language == "zh":
            # 几 asks a number: 几把, 几栋 ask how many / where (几天 is left out: 过几天 names no time).
            self._unit_res = [
                (
                    topic,
                    re.compile(
                        rf"(?P<num>{_ZH_NUMERAL.pattern}{'|几' if topic != 'when' else ''})"
                        rf"(?P<unit>{_alternation(units.get(topic, []))})"
                    ),
                )
                for topic in ("when", "how_much", "where")
            ]
            self._road = re.compile(
                rf"(?:(?![哪几什么啥这那的在是个您我你他她它])[\u4e00-\u9fff]){{2,4}}(?:(?:{_alternation(section.get('roads', []))})(?:{_ZH_NUMERAL.pattern}号)"
                rf"|(?:{_alternation(section.get('estates', []))}))"
            )
            self._single_ok = tuple(section.get("single_units", []))
            self._number_places = tuple(section.get("number_places", []))
            self._rates = _zh_rates(section.get("rate_periods", []))
        else:
            self._en = _english_taggers(units, section.get("roads", []), section.get("rate_periods", []))
            named = [r.capitalize() for r in section.get("named_roads", [])]
            # a capitalised name before a road word, no house number: "Leyton High Road", "Carver Street" (a
            # typed transcript; a recogniser's lower-case "cross the road" names no place)
            self._named_road = (
                re.compile(rf"\b(?P<x>(?:[A-Z][a-z]+\s+)+(?:{_alternation(named)}))\b") if named else None
            )

    # ------------------------------------------------------------------ public

    def spot(self, text: str) -> list[TopicHit]:
        """Every topic asked about or stated in ``text``, in order of position (overlaps resolved).

        Offsets refer to ``text`` after traditional -> simplified conversion, or English accents made plain (same
        length).
        """
        if not text:
            return []
        text = simplify(text) if self.language == "zh" else plain_latin(text)
        cached = self._seen.get(text)
        if cached is not None:
            return list(cached)
        if len(self._seen) > 4096:
            self._seen.clear()
        # Cue hits (ignore phrases too: they claim words) and tagger hits; the longest claims the words, a cue
        # before a tag of the same length — unless the cue was heard only by its sound (酒店 for the time 九点).
        candidates: list[tuple[int, int, TopicHit | None]] = []
        by_sound: set[int] = set()
        for m in self._cues.find(text):
            topic, asked = self._phrases.get(m.phrase, ("", False))
            # a question word alone (when, where, who) asks only where it opens a question; "postcode" is no such word
            wh = m.phrase.startswith(("wh", "how"))
            if asked and self.language != "zh" and wh and " " not in m.phrase and not wh_ok(text, m.start, m.end, True):
                topic = ""
            hit = (
                TopicHit(topic, asked or self._in_question(text, m.end), m.start, m.end, m.matched_text, m.phrase)
                if topic
                else None
            )
            if m.by not in ("chars", "words"):
                by_sound.add(len(candidates))
            candidates.append((m.start, m.end, hit))
        tagged = self._tag_zh(text) if self.language == "zh" else self._tag_en(text)
        candidates += [(h.start, h.end, h) for h in tagged]
        order = sorted(range(len(candidates)), key=lambda i: (candidates[i][0] - candidates[i][1], i in by_sound, i))
        claimed: list[tuple[int, int]] = []
        hits: list[TopicHit] = []
        for i in order:
            start, end, hit = candidates[i]
            if any(a < end and start < b for a, b in claimed):
                continue
            claimed.append((start, end))
            if hit is not None:
                hits.append(hit)
        hits.sort(key=lambda h: (h.start, h.end))
        self._seen[text] = tuple(hits)
        return hits

    def asked(self, text: str) -> list[TopicHit]:
        """Only the hits of ``text`` that ask (question cues, or a clause ending in a question)."""
        return [h for h in self.spot(text) if h.asked]

    def asks_only(self, hit: TopicHit) -> bool:
        """Whether ``hit`` is a question cue (什么时候, "what time") rather than a stated fact: a time, a place
        or an amount proposed as a question (明天上午十点可以吗？) still states it."""
        return self._phrases.get(hit.cue, ("", False))[1]

    # ------------------------------------------------------------------ helpers

    def _in_question(self, text: str, end: int) -> bool:
        """Whether the clause holding offset ``end`` ends as a question (？, or a final 吗/呢 in Mandarin)."""
        for m in CLAUSE.finditer(text):
            if m.start() <= end <= m.end() or m.start() >= end:
                clause = m.group()
                if "?" in clause or "？" in clause:
                    return True
                if self.language == "zh":
                    return bool(_QUESTION_END.search(clause.rstrip("，。！,.! ")))
                return False
        return False

    def _hit(self, text: str, topic: str, start: int, end: int, cue: str, value: float | None = None) -> TopicHit:
        return TopicHit(topic, self._in_question(text, end), start, end, text[start:end], cue, value)

    def _tag_zh(self, text: str) -> list[TopicHit]:
        out: list[TopicHit] = []
        taken: list[tuple[int, int]] = []

        def add(hit: TopicHit) -> None:
            if not any(a < hit.end and hit.start < b for a, b in taken):
                taken.append((hit.start, hit.end))
                out.append(hit)

        for m in self._road.finditer(text):
            start = m.start()
            for word, flag, at in pos_tags(text):  # 送到幸福路八号: the address starts after the verb
                if at >= m.end() - 1:
                    break
                if at + len(word) > start and flag[:1] in ("v", "p", "d", "r", "c", "u") and at + len(word) < m.end():
                    start = at + len(word)
            if m.end() - start >= 3:
                add(self._hit(text, "where", start, m.end(), "address"))
        for pattern in self._rates:  # 两千八一个月, 一天十五: a price per period, no 元 said
            for m in pattern.finditer(text):
                amount = (m.group("num") or m.group("num2")) if "num2" in pattern.groupindex else m.group("num3")
                add(self._hit(text, "how_much", m.start(), m.end(), "amount", numeral_value(amount)))
        for topic, pattern in self._unit_res:
            for m in pattern.finditer(text):
                num, unit = m.group("num"), m.group("unit")
                if num != "几" and not _numeral_counts(num, unit, text, m.start(), self._single_ok):
                    continue
                if text[max(0, m.start() - 1) : m.start()] == "每":  # 每月, 每米: a rate, part of a price
                    continue
                if (
                    topic == "when"
                    and unit == "号"
                    and (_after_road(text, m.start()) or text.startswith(self._number_places, m.end()))
                ):
                    topic_here = "where"
                else:
                    topic_here = topic
                hit = self._hit(
                    text,
                    topic_here,
                    m.start(),
                    m.end(),
                    {"when": "time", "how_much": "amount", "where": "place"}[topic_here],
                    None if num == "几" else numeral_value(num),
                )
                add(replace(hit, asked=True) if num == "几" else hit)
        for m in _ZH_FEE.finditer(text):  # 挂号费五十，拍片一百八: a fee and its amount, no 元 said
            add(self._hit(text, "how_much", m.start(), m.end(), "amount", numeral_value(m.group("num"))))
        for m in _ZH_SUM.finditer(text):
            amount = m.group("num") or m.group("num2")
            add(self._hit(text, "how_much", m.start(), m.end(), "amount", numeral_value(amount)))
        for m in _ZH_WEEKDAY.finditer(text):
            add(self._hit(text, "when", m.start(), m.end(), "time"))
        for word, flag, start in pos_tags(text):
            end = start + len(word)
            if flag == "t" and word not in self._vague_times and not _is_numeral(word):
                if word.endswith("点") and _decimal_point(text, start, end):
                    continue  # 百分之二点七
                add(self._hit(text, "when", start, end, "time"))
            elif flag == "ns" and len(word) >= 2 and word not in self._not_places:
                add(self._hit(text, "where", start, end, "place"))
        return out

    def _tag_en(self, text: str) -> list[TopicHit]:
        lowered = text.lower().replace("’", "'")
        out: list[TopicHit] = []
        taken: list[tuple[int, int]] = []
        for m in _EN_PLACE_NAME.finditer(text):  # "in Canada", "from Boston": a capitalised name after in / from
            taken.append(m.span("x"))
            out.append(self._hit(text, "where", *m.span("x"), "place"))
        for topic, cue, pattern in self._en:
            for m in pattern.finditer(lowered):
                start, end = m.span("x") if "x" in pattern.groupindex else m.span()
                if any(a < end and start < b for a, b in taken):
                    continue
                taken.append((start, end))
                out.append(self._hit(text, topic, start, end, cue))
        for m in self._named_road.finditer(text) if self._named_road else ():
            if not any(a < m.end("x") and m.start("x") < b for a, b in taken):
                out.append(self._hit(text, "where", *m.span("x"), "address"))
        return out


def _zh_rates(periods: list[str]) -> list[re.Pattern]:
    """Prices per period without a currency word: 两千八一个月 / 三百一晚 (the amount, then 一 + period) and
    一天十五 / 一个月三十九 (一 + period, then the amount ending its clause). The amount before 一 must end in a
    magnitude (百, 千, 万), an abbreviated one (两千八, 一百五) or digits, or be followed by 块 / 元, so that
    二十一天 (21 days) and 十一月 (November) stay what they are; the amount after must end the clause (一天三次
    counts times, 一年十二个月 months)."""
    if not periods:
        return []
    num = _ZH_NUMERAL.pattern
    per = rf"一(?:个)?(?:{_alternation(periods)})"
    before = (
        rf"(?P<num>(?:[零〇一二两三四五六七八九十百千万]*[百千万][一二两三四五六七八九]?|[0-9]+))"
        rf"(?:块钱|块|元)?{per}"
        rf"|(?P<num2>{num})(?:块钱|块|元){per}"
    )
    after = rf"(?<![零〇一二两三四五六七八九十百千万0-9]){per}(?:是|要|收|大概|差不多|就)?(?P<num3>(?!一(?:[，。！？,.!?；;\\s]|$)){num})(?:块钱|块|元)?(?=[，。！？,.!?；;\s]|$)"
    return [re.compile(before), re.compile(after)]


def _english_taggers(
    units: Mapping[str, list[str]], roads: list[str], rate_periods: Sequence[str] = ()
) -> list[tuple[str, str, re.Pattern]]:
    n = _EN_NUMBER
    b = r"\b"
    when_units = _alternation(units.get("when", []))
    amount_units = _alternation(units.get("how_much", []))
    place_units = _alternation(units.get("where", []))
    road = _alternation(roads)
    rates = (
        # "forty nine a month", "eighty per hour": a price per period with no currency word
        [
            (
                "how_much",
                "amount",
                re.compile(
                    rf"(?P<x>(?:[$£€]\s?|{b})(?:{n})\s+(?:a|an|per|each)\s+(?:{_alternation(list(rate_periods))})){b}"
                ),
            )
        ]
        if rate_periods
        else []
    )
    # "a flat sixty-five for the visit", "a flat fee of forty": a price, not flat 4B
    flat = [("how_much", "amount", re.compile(rf"{b}a\s+flat\s+(?:(?:fee|rate|charge)\s+of\s+)?(?:{n}){b}"))]
    return (
        rates
        + flat
        + [
            ("how_much", "amount", re.compile(r"[$£€]\s?\d+(?:[.,]\d+)*(?:\s?(?:k|m|million|thousand))?")),
            ("how_much", "amount", re.compile(rf"{b}(?:{n})\s?%|{b}(?:{n})\s+percent{b}")),
            (
                "when",
                "time",
                re.compile(
                    rf"{b}(?:{n})(?::\d\d)?\s*(?:a\.?\s?m\.?|p\.?\s?m\.?|o'clock){b}"
                    rf"|{b}(?:at|by|around|after|before|until|till)\s+(?:{n})(?::\d\d)?(?=\s|$|[,.?!])"
                    # "we cap the class at six per teacher", "at twenty each", "at ten pounds": no hour
                    rf"(?!\s+(?:per|each|a|an|percent|people|kids|children|adults|students|max|maximum|{_EN_MONEY})\b)"
                    rf"|{b}(?:noon|midnight){b}"
                ),
            ),
            (
                "when",
                "time",
                re.compile(
                    rf"{b}(?:(?:this|next|last|on|by|until|before|after)\s+)?{_EN_WEEKDAYS}{b}"
                    rf"|{b}{_EN_MONTHS}(?:\s+(?:{n}|\d+(?:st|nd|rd|th)))?{b}"
                    rf"|{b}may\s+(?:{n}|\d+(?:st|nd|rd|th)){b}"
                    rf"|{b}(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|tenth|fifteenth"
                    rf"|twentieth)\s+of\s+(?:the\s+)?(?:month|{_EN_MONTHS}){b}"
                    rf"|{b}(?:tomorrow|tonight|yesterday)(?:\s+(?:morning|afternoon|evening))?{b}"
                    rf"|{b}(?:later|by|until|before|end of)\s+today{b}|{b}today\s+(?:at|by|before|after){b}"
                    rf"|{b}(?:this|next|last|later this|early next)\s+(?:morning|afternoon|evening|week"
                    rf"|month|year|weekend){b}"
                    rf"|{b}end\s+of\s+(?:the\s+)?(?:day|week|month|year){b}"
                    rf"|{b}within\s+(?:the\s+)?(?:next\s+)?(?:{n}\s+)?(?:{when_units}){b}"
                ),
            ),
            ("when", "date", re.compile(rf"{b}the\s+(?:\d+(?:st|nd|rd|th)|{_EN_ORDINALS}){b}")),
            (
                "when",
                "duration",
                re.compile(
                    rf"(?<!\bper )(?<!\bevery )(?<!\ba )"
                    rf"{b}(?P<x>(?:{n}|a few|several)\s+(?:{when_units})){b}"
                ),
            ),
            (
                "where",
                "address",
                re.compile(
                    rf"{b}(?:{n})\s+(?:[a-z]+\s+){{1,3}}(?:{road}){b}"
                    rf"|{b}(?:{place_units})\s+(?:{n}|[a-z]?\d+[a-z]?){b}"
                ),
            ),
            (
                "how_much",
                "amount",
                re.compile(
                    rf"(?<!\bper )(?<!\bevery )"
                    rf"{b}(?P<x>(?:{n})\s+(?:{amount_units})){b}"
                ),
            ),
        ]
    )


_EN_AUX = re.compile(
    r"\s+(?:will|would|can|could|should|shall|is|are|was|were|do|does|did|has|have|had|am|may|might"
    r"|must|'s|'re|'ll|'d|is|exactly|much|many|long|soon|else)\b|'s\b|'ll\b|'re\b"
)
_EN_CLAUSE_LEAD = re.compile(
    r"(?:^|[,.!?;:]\s*|\b(?:and|so|but|ok|okay|then|well|um|uh|oh|right|alright|yes|yeah|no|"
    r"sorry|hi|hello)\s+)$"
)
_EN_EMBEDDED_LEAD = re.compile(r"\b(?:know|tell me|ask|wondering|idea|sure|remember|confirm)\s+$")
#: Words that make what follows a question whatever the sentence ends with: "I was wondering why it's so low."
_EN_ASKING_LEAD = re.compile(
    r"\b(?:wondering|find out|figure out|work out|want to know|wanted to know|need to know|like to know|curious|"
    # "I was just calling to see when I can come get her"
    r"(?:calling|ringing|phoning) to (?:see|check|ask))"
    r"(?:\s+(?:about|as to))?\s+$"
)


def asked_after(text: str, start: int) -> bool:
    """Whether words before offset ``start`` make what follows a question whatever the sentence ends with ("I was
    wondering", "I'm calling to see")."""
    return bool(_EN_ASKING_LEAD.search(text[:start].lower()))


def wh_ok(text: str, start: int, end: int, embedded: bool = False) -> bool:
    """An English one-word question cue (when, where, who, why) asks before an auxiliary ("when will it
    come"), or opens a clause that ends in a question mark ("Where's the modem?"); with ``embedded``, also
    after "do you know", "can you tell me" in such a clause; after "I was wondering", "I need to find out"
    whatever the sentence ends with. "It drops when I use the microwave" and "When the freezer works, ..." ask
    nothing."""
    lowered = text.lower()
    if _EN_AUX.match(lowered, end) or _EN_ASKING_LEAD.search(lowered[:start]):
        return True
    clause_end = re.search(r"[.!?;]", lowered[end:])
    if not clause_end or clause_end.group() != "?":
        return False
    head = lowered[:start]
    return bool(_EN_CLAUSE_LEAD.search(head) or (embedded and _EN_EMBEDDED_LEAD.search(head)))


def _is_numeral(word: str) -> bool:
    return bool(_ZH_NUMERAL.fullmatch(word))


def _decimal_point(text: str, start: int, end: int) -> bool:
    """Whether the number ``text[start:end]`` ending in 点 is the whole part of a decimal, not an hour: 百分之二点七,
    二点七 (2.7: digits after 点 with no 十, 分 or 刻 of a time; 两点三十 and 两点零五分 are times)."""
    return text[max(0, start - 3) : start] == "百分之" or bool(_ZH_DECIMALS.match(text, end))


#: Digits after a decimal point: single digits, not followed by what an hour's minutes end with.
_ZH_DECIMALS = re.compile(r"[零〇一二三四五六七八九0-9]+(?![十分刻钟半零〇一二三四五六七八九0-9])")


def _numeral_counts(num: str, unit: str, text: str, start: int, single_ok: tuple[str, ...]) -> bool:
    """Whether ``num`` + ``unit`` is a real figure: 一下, 一点 (a little), 一个 are words, not amounts or times."""
    if unit == "点" and _decimal_point(text, start, start + len(num) + 1):
        return False  # 二点七 is 2.7
    if num not in ("一", "1"):
        return True
    if unit.startswith("点"):  # 一点: a clock time only as 一点钟 / 一点半 / 一点十分 or after 下午, 凌晨 ...
        after = text[start + len(num) :]
        before = text[max(0, start - 2) : start]
        return bool(
            re.match(r"点(?:钟|半|[零一二三四五六七八九十\d]+分)", after)
            or before in ("上午", "下午", "中午", "晚上", "凌晨", "早上", "夜里", "半夜")
        )
    return unit in single_ok


def _after_road(text: str, start: int) -> bool:
    """Whether a 号 number follows a road or building word (幸福路八号 is an address, 十五号 a date)."""
    return bool(re.search(r"(?:路|街|道|巷|弄|胡同|里|村|楼|号院)$", text[max(0, start - 3) : start]))


def says_number(text: str, language: str, not_numbers: Iterable[str] = ()) -> bool:
    """Whether ``text`` says a number (两百六, 四十五, 75; "seventy-five"), a lone 一 / "one" aside (一下, "the
    one"), and words of ``not_numbers`` (万一 "in case", 十分 "very") too."""
    if language == "zh":
        idioms = set(not_numbers)
        return any(
            (len(m.group()) >= 2 or m.group()[0].isdigit()) and m.group() not in idioms
            for m in _ZH_NUMERAL.finditer(simplify(text))
        )
    return any(m.group().lower() != "one" for m in re.finditer(rf"\b{_EN_NUMBER}\b", text, re.IGNORECASE))


@lru_cache(maxsize=32)
def _spotter(frozen: str, language: str) -> TopicSpotter:
    return TopicSpotter(json.loads(frozen), language)


def topic_spotter(pack) -> TopicSpotter:
    """The :class:`TopicSpotter` of a pack (``pack["fivew2h"]``), compiled once per process for the same settings.

    Parameters
    ----------
    pack : RulePack
    """
    cached = pack.__dict__.get("_topic_spotter")
    if cached is None:
        cached = _spotter(json.dumps(pack["fivew2h"], sort_keys=True, ensure_ascii=False), pack.language)
        pack.__dict__["_topic_spotter"] = cached
    return cached
