"""The customer's questions, and what a question is about (003 5W2H法, 004: answer every question).

The unanswered-question rule asks two things of a customer turn that
:mod:`callcoach.topics` does not: which of its sentences are questions the
customer wants answered, and what each is about. A :class:`QuestionSpotter`
finds them from the pack's ``[unanswered]`` section:

* **topic questions**: phrases of ``[unanswered.questions]`` per 5W2H topic
  (多少钱, 什么时候, "how much", "when will"); ``not_questions`` claim their
  words (什么时候都行, 好几天, 能不着急吗, "when I", "how are you"); a
  phrase heard only by its sound (那家 for 哪家), or holding none of
  ``question_words`` (停车场), in a sentence that ends with a full stop is a
  statement (an unpunctuated recogniser's text keeps it); one heard only by
  its sound asks nothing either in a clause the sentence goes on after, or
  beside a question phrase heard as itself (那家具体在哪儿？ asks where);
* **yes/no questions** found by their form alone (:data:`YES_NO`): a
  Mandarin clause ending in 吗, holding an A-not-A form (管不管, 有没有,
  ``yes_no_forms``) or an elliptical 那…呢; an English sentence ending in ?
  with a clause that opens with an auxiliary or a question word with no
  topic cue ("And do you deliver?", "What about my sessions?"); one that
  opens with a question word asks an open question (:data:`OPEN`: "Um,
  what should we wear?"), answered by what is said, not by yes or no. A
  recogniser writes no punctuation: there a Mandarin clause runs to its 吗
  or 呢, and an English yes/no question starts where an auxiliary comes
  before its subject ("so can i get a refund": :meth:`QuestionSpotter.inverted`).

:func:`content_words` and :func:`mentions` say what a question is about and
whether a reply speaks of it: jieba's content words compared by toneless
pinyin (a recogniser's homophone still counts), English stems.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .textmatch import cue_set
from .textnorm import normalise, pos_tags, punctuated, simplify, syllables
from .topics import CLAUSE, TOPICS, TopicHit, asked_after, wh_ok

__all__ = [
    "OPEN",
    "SENTENCE_SPAN",
    "UNCUED",
    "YES_NO",
    "QuestionSpotter",
    "content_words",
    "mentions",
    "question_spotter",
]

#: The ``cue`` of a question found by its form alone (？, 吗, 能不能, "Can I …?"), not by a topic cue.
YES_NO = "yes/no question"
#: The cue of an English question opening with a question word but holding no topic cue ("What should we wear?",
#: ``wh_openers``): open, answered by what is said, not by yes or no.
OPEN = "open question"
#: The cues of questions found by their form, not by a topic cue.
UNCUED = frozenset({YES_NO, OPEN})

#: An A-not-A question: 管不管, 能不能, 可不可以, 有没有.
_A_NOT_A = re.compile(r"((?![了的吧吗呢啊啦呀嘛哦喔哈])[\u4e00-\u9fff])[不没]\1")
#: An A-not-A question with its object between (northern speech): 能给俺送到洛阳不能？ 还会再往上走不会？ 有现货没有？
#: — a modal or 有 / 是, a few words, then its negation ends the clause.
_SPLIT_A_NOT_A = re.compile(r"([能会要可是有])[\u4e00-\u9fff]{1,10}[不没]\1$")
#: Fillers and pauses a Mandarin clause may open with before its words (嗯……那开票呢？).
_LEAD_FILLERS = "嗯啊呃哦额唔…．.，, "
#: A denial said twice (没有没有, 不是不是, 不对不对): it holds 有没有 / 是不是 and asks nothing.
_DENIED_TWICE = re.compile(r"([不没])([\u4e00-\u9fff])\1\2")
#: An English sentence of a punctuated transcript, with the punctuation that ends it.
SENTENCE_SPAN = re.compile(r"[^.!?]+[.!?]*")
#: An unpunctuated Mandarin clause: up to a sentence-final 吗 or 呢.
_BARE_CLAUSE_ZH = re.compile(r"[^吗呢]+[吗呢]?")


#: Characters a recogniser's Mandarin turn must have to ask by a verb-negation ending alone (送到村里不).
BARE_TAIL_MIN = 5
#: A negation ending after one of these states (还没有, 也不, 都没): no question.
_STATED_BEFORE_TAIL = "还也都就并又再"


class QuestionSpotter:
    """The customer's questions: ``[unanswered.questions]`` per topic, less ``not_questions``.

    Stricter than :meth:`TopicSpotter.asked`: only interrogative phrases count, so a customer who *says*
    明天 or "tomorrow" asks nothing, and 什么时候都行 / "when I call" are no questions.
    """

    def __init__(self, section: Mapping[str, Any], language: str):
        phrases: dict[str, str] = {p: "" for p in section.get("not_questions", [])}
        for topic in TOPICS:
            for phrase in section.get("questions", {}).get(topic, []):
                phrases.setdefault(phrase, topic)
        self._phrases = phrases
        self._cues = cue_set(phrases, language)
        self.language = language
        self._yes_no_min = int(section.get("yes_no_min_chars", 0))
        self._min_confidence = float(section.get("min_confidence", 0.0))
        self._yes_no_forms = tuple(section.get("yes_no_forms", []))
        self._asked_tails = tuple(section.get("asked_tails", []))
        self._asked_forms = tuple(section.get("asked_forms", []))
        self._line_checks = frozenset(normalise(c, language) for c in section.get("line_checks", []))
        self._wh_openers = frozenset(section.get("wh_openers", []))
        self._openers = frozenset(section.get("yes_no_openers", [])) | self._wh_openers
        self._lead_ins = frozenset(section.get("yes_no_lead_ins", []))
        self._question_words = tuple(section.get("question_words", []))
        self._auxiliaries = frozenset(section.get("yes_no_openers", []))
        self._subjects = frozenset(section.get("yes_no_subjects", []))
        self._not_before = frozenset(section.get("not_before_inversion", []))
        indirect = section.get("yes_no_indirect", [])
        alternatives = "|".join(map(re.escape, indirect))
        self._indirect = re.compile(rf"\b(?:{alternatives})\b") if indirect else None
        self._tags = tuple(section.get("yes_no_tags", []))

    def _tagged(self, clause: str) -> bool:
        """English: whether a statement ends in a question tag (``yes_no_tags``): "you'll refund or what?", "it's
        under warranty, no?", "fifteen pence a minute, isn't it?" — a tag not opening with "or" after a comma."""
        said = clause.lower().rstrip("?!. ")
        for tag in self._tags:
            if said.endswith(" " + tag):
                head = said[: -len(tag)].rstrip()
                if tag.startswith("or ") or head.endswith(","):
                    return True
        return False

    def _opener(self, clause: str) -> str:
        """The first word of an English clause after lead-ins (and, so, um), lower case."""
        for word in clause.split():
            word = word.strip(",.!?;'\"").lower()
            if word and word not in self._lead_ins:
                return word
        return ""

    def _asking(self, phrase: str) -> bool:
        """Whether a question phrase holds a question word (``question_words``: 谁, 哪, 吗; "who", "how"); with
        no list, every phrase does."""
        if not self._question_words:
            return True
        if self.language == "zh":
            return any(w in phrase for w in self._question_words)
        return any(w in self._question_words for w in phrase.split())

    def _clauses(self, text: str) -> list[tuple[int, str, bool]]:
        """The clauses of a customer turn as ``(start, text, asks yes or no)``.

        A punctuated transcript is split at its punctuation (English: by sentence). A recogniser's text has none:
        a Mandarin clause then runs to a sentence-final 吗 or 呢 (还在卖吗 那运费呢), and an English yes/no
        question starts where an auxiliary comes before its subject (``yes_no_openers`` then
        ``yes_no_subjects``: "so can i get a refund", not "that is it") and runs to the next one.
        """
        if punctuated(text):
            units = CLAUSE if self.language == "zh" else SENTENCE_SPAN
            return [
                (m.start(), m.group().rstrip(), self._asks_yes_no(m.group().rstrip())) for m in units.finditer(text)
            ]
        if self.language == "zh":
            found = [(m.start(), m.group(), self._asks_yes_no(m.group())) for m in _BARE_CLAUSE_ZH.finditer(text)]
            if found and not found[-1][2] and self.asked_at_end(found[-1][1]):
                found[-1] = (found[-1][0], found[-1][1], True)
            return found
        starts = self.inverted(text)
        return [(a, text[a:b].rstrip(), True) for a, b in zip(starts, starts[1:] + [len(text)])]

    def inverted(self, text: str) -> list[int]:
        """English: offsets in ``text`` where an auxiliary comes before its subject (``yes_no_openers`` then
        ``yes_no_subjects``, not after a word of ``not_before_inversion``): "so can i get a refund" asks, "that
        is it" does not. The form of a yes/no question in a recogniser's text, which has no question marks."""
        words = list(re.finditer(r"[\w']+", text.lower()))
        return [
            w.start()
            for k, w in enumerate(words[:-1])
            if w.group() in self._auxiliaries
            and words[k + 1].group() in self._subjects
            and (k == 0 or words[k - 1].group() not in self._not_before)
        ]

    def _uninverted(self, text: str, m) -> str:
        """English: the topic of a question word that opens a question with its subject first, as Indian English
        asks ("When he is coming?", "When it will get repaired?"): a ``not_questions`` phrase of a question word
        and its subject ("when he") whose clause runs to a question mark with no comma, or after words that ask
        (:func:`callcoach.topics.asked_after`: "calling to see when I can come"); "When he comes, can you ask him?"
        asks by its second clause. Empty: none."""
        if self.language == "zh" or " " not in m.phrase:
            return ""
        first = m.phrase.split()[0]
        topic = self._phrases.get(first, "")
        if topic and asked_after(text, m.start):
            return topic  # "just calling to see when I can come get her"
        if not topic or not re.match(r"[^,.!?;]*\?", text[m.end :]):
            return ""
        return topic if wh_ok(text, m.start, m.start + len(first)) else ""

    def _claims(self, m, text: str, start: int) -> bool:
        """Whether cue match ``m`` claims the question clause starting at ``start``: a topic cue does (the clause is
        that question); a phrase of ``not_questions`` does when it is a tag (对吗, 好吧, 是…吗; starting a word of
        its own: not the 好 of 修好 in 能修好吗) or, in English, opens
        the clause ("Is this Acme?", "Right?") — "Is everything okay?" still asks."""
        if self._phrases.get(m.phrase):
            return self.language == "zh" or " " in m.phrase or wh_ok(text, m.start, m.end)
        if self.language == "zh":
            # a tag as words of its own: 送过去，好吗？ / 送过去好吗; not the 好 of 修好 (这个能修好吗 asks)
            tag = m.phrase.endswith(("吗", "吧", "呢", "么")) and any(at == m.start for _, _, at in pos_tags(text))
            return tag or "…" in m.phrase
        part = max(start, text.rfind(",", start, m.start) + 1)  # the comma-part holding the phrase
        return self._opener(text[part : m.end]) == m.phrase.split()[0]

    def _form(self, clause: str) -> str:
        """:data:`OPEN` for an English question clause that opens with a question word and no part with an
        auxiliary ("Um, what should we wear?"; not "I was wondering if …"), else :data:`YES_NO`."""
        if self.language == "zh" or (self._indirect is not None and self._indirect.search(clause.lower())):
            return YES_NO
        openers = [self._opener(part) for part in clause.split(",")]
        if any(o in self._wh_openers for o in openers) and not any(o in self._auxiliaries for o in openers):
            return OPEN
        return YES_NO

    def _asks_yes_no(self, clause: str) -> bool:
        """Whether a clause with no topic cue asks yes or no.

        Mandarin: it ends in 吗 (or a spoken 么), has an A-not-A form (管不管, 有没有; or one of ``yes_no_forms``: 能否; not
        a denial said twice: 没有没有，就这些), or is an
        elliptical 那…呢 (那打电话呢？); a statement said as a question (郑州？, 你让我去问快递？) or one ending in
        吧 or 呢 (我还要还款呢) asks nothing of its own. English: the sentence ends in ? and one of its clauses
        opens, after lead-ins (and, so, um: ``yes_no_lead_ins``), with an auxiliary (``yes_no_openers``: "And do
        you deliver?") or a question word with no topic cue (``wh_openers``: "What about my sessions?"), or asks
        indirectly (``yes_no_indirect``: "I was also wondering if we could taste anything?"); a statement said
        with a rising voice ("I think just mine?") answers the agent. A clause that only checks the line is
        still open (``line_checks``: 喂？还在吗？, "Hello? Are you still there?") asks nothing.
        """
        if normalise(clause, self.language) in self._line_checks:
            return False
        if self.language != "zh":
            if not clause.endswith("?"):
                return False
            if self._indirect is not None and self._indirect.search(clause.lower()):
                return True
            return self._tagged(clause) or any(self._opener(part) in self._openers for part in clause.split(","))
        bare = clause.replace(" ", "").rstrip("，。！？,.!? 啊呀")  # a recogniser spaces its words: 能 不能
        bare = _DENIED_TWICE.sub("", bare)  # 没有没有，就这些 / 不是不是 deny; they hold no 有没有 / 是不是
        # 么 as a spoken 吗 (能用医保卡刷么？), not the 么 of 什么 / 怎么 / 这么 / 那么 / 多么 / 要么, nor an exclaimed
        # 么 (north-western, for 嘛: 放到窖里了么！)
        ma = (
            bare.endswith("么")
            and not bare.endswith(("什么", "怎么", "这么", "那么", "多么", "要么", "干么"))
            and not clause.rstrip().endswith(("！", "!"))
        )
        if bare.endswith("吗") or ma or _A_NOT_A.search(bare) or any(form in bare for form in self._yes_no_forms):
            return True
        if _SPLIT_A_NOT_A.search(bare.rstrip("呢嘛哩嘞")):
            return True
        if clause.rstrip().endswith(("？", "?")) and self.asked_by_form(bare):
            return True
        return bare.endswith("呢") and bare.lstrip(_LEAD_FILLERS).startswith("那")

    def asked_at_end(self, clause: str) -> bool:
        """Mandarin, a recogniser's text (no ？): whether the turn's last clause ends with the negation of a
        verb-negation question (能 送到 村里 不, 印 了 没有): at least ``BARE_TAIL_MIN`` characters, one of
        ``asked_tails`` last, not after 还 / 也 / 都 … (快递 到现在 还 没有 says it has not come)."""
        bare = clause.replace(" ", "").rstrip("啊呀嘛")
        tail = next((t for t in sorted(self._asked_tails, key=len, reverse=True) if bare.endswith(t)), "")
        return (
            bool(tail)
            and len(bare) >= BARE_TAIL_MIN
            and not bare.startswith("是")
            and bare[-len(tail) - 1] not in _STATED_BEFORE_TAIL
        )

    def asked_by_form(self, clause: str) -> bool:
        """Mandarin: whether a clause the transcript ends with ？ (given without it) asks yes or no by its ending
        (``asked_tails``: 他能吃这玩意儿不 印了没有 要赔伐; not 是兴旺煤炭不, which checks the line) or a form
        (``asked_forms``: 是店里保还是厂家保, 给有停车的地方)."""
        bare = clause.replace(" ", "").rstrip("，。！？,.!? 啊呀")
        return (bare.endswith(self._asked_tails) and not bare.startswith("是")) or any(
            form in bare for form in self._asked_forms
        )

    def find(self, text: str) -> list[TopicHit]:
        """The questions in ``text``, in order of position: one hit per topic cue (the first), and each
        question clause with no cue (a yes/no question, topic ``what``; see
        :func:`callcoach.rules.unanswered.customer_questions` for its topic by content)."""
        if not text:
            return []
        if self.language == "zh":
            text = simplify(text)
        out: list[TopicHit] = []
        found = [m for m in self._cues.find(text) if getattr(m, "confidence", 1.0) >= self._min_confidence]
        for m in found:
            topic = self._phrases.get(m.phrase, "") or self._uninverted(text, m)
            if topic == "what" and any(
                self._phrases.get(o.phrase) not in ("", "what") and _same_clause(text, o.start, m.start) for o in found
            ):
                continue  # 过几天是什么意思: asks what 过几天 (when) means
            if self.language != "zh" and " " not in m.phrase and not wh_ok(text, m.start, m.end):
                continue
            if (m.by not in ("chars", "words") or not self._asking(m.phrase)) and _stated(text, m.end):
                continue  # 就万达广场那家。 (哪家 by sound), 从万达那个停车场出来。: a sentence ending in a full stop
            if m.by not in ("chars", "words") and (
                _clause_goes_on(text, m.end)
                or any(
                    o.by in ("chars", "words") and self._phrases.get(o.phrase) and _same_clause(text, o.start, m.start)
                    for o in found
                )
            ):
                # 我是在人民路那家送的，…那家具体在哪儿啊？: 哪家 by its sound in a clause that asks nothing, or in
                # the clause of a question phrase heard as itself (在哪): the place it asks about
                continue
            if topic and all(h.topic != topic for h in out):
                out.append(TopicHit(topic, True, m.start, m.end, m.matched_text, m.phrase))
        if self._yes_no_min:
            # "Is my card safe to keep using?": a question about the matter (English: by sentence, so that
            # "Are we in the same seats, though?" and "If it goes off, do you cover that, or?" ask)
            for start, body, asks in self._clauses(text):
                end = start + len(body)
                if not asks or any(start <= m.start < end and self._claims(m, text, start) for m in found):
                    continue
                size = len(body) if self.language == "zh" else len(body.split())
                if size >= self._yes_no_min:
                    out.append(TopicHit("what", True, start, end, body.strip(), self._form(body)))
        out.sort(key=lambda h: h.start)
        return out


_CLAUSE_MARK = re.compile(r"[，。！？,.!?；;、]")


def _clause_goes_on(text: str, at: int) -> bool:
    """Whether the clause holding offset ``at`` ends with a comma (or a semicolon) and the sentence goes on: a
    clause before the one that asks."""
    end = _CLAUSE_MARK.search(text, at)
    return end is not None and end.group() in "，,；;、" and bool(text[end.end() :].strip())


def _stated(text: str, at: int) -> bool:
    """Whether the sentence holding offset ``at`` ends with a full stop or an exclamation mark, not a question
    mark: a punctuated transcript says it is a statement (a recogniser's unpunctuated text says nothing)."""
    end = re.search(r"[。！？.!?]", text[at:])
    return end is not None and end.group() not in "？?"


def _same_clause(text: str, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return not re.search(r"[，。！？,.!?；;]", text[lo:hi])


@lru_cache(maxsize=32)
def _question_spotter(frozen: str, language: str) -> QuestionSpotter:
    return QuestionSpotter(json.loads(frozen), language)


def question_spotter(pack) -> QuestionSpotter:
    """The :class:`QuestionSpotter` of a pack (``pack["unanswered"]``), compiled once per process."""
    cached = pack.__dict__.get("_question_spotter")
    if cached is not None:
        return cached
    section = pack["unanswered"]
    frozen = json.dumps(
        {
            "questions": section.get("questions", {}),
            "not_questions": section.get("not_questions", []),
            "yes_no_min_chars": section.get("yes_no_min_chars", 0),
            "min_confidence": section.get("min_confidence", 0.0),
            "yes_no_forms": section.get("yes_no_forms", []),
            "asked_tails": section.get("asked_tails", []),
            "asked_forms": section.get("asked_forms", []),
            "line_checks": section.get("line_checks", []),
            "yes_no_openers": section.get("yes_no_openers", []),
            "yes_no_lead_ins": section.get("yes_no_lead_ins", []),
            "wh_openers": section.get("wh_openers", []),
            "question_words": section.get("question_words", []),
            "yes_no_subjects": section.get("yes_no_subjects", []),
            "not_before_inversion": section.get("not_before_inversion", []),
            "yes_no_indirect": section.get("yes_no_indirect", []),
            "yes_no_tags": section.get("yes_no_tags", []),
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    cached = pack.__dict__["_question_spotter"] = _question_spotter(frozen, pack.language)
    return cached


_EN_CONTENT = re.compile(r"[a-z][a-z']+")
_CLITIC = re.compile(r"(?:n't|'(?:s|re|ll|ve|d|m)?)$")
#: jieba tags of words that carry a question's matter: nouns, verbs, adjectives, numerals, time and place words.
_CONTENT_TAGS = ("n", "v", "a", "m", "t", "s", "eng")


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"  # deliveries -> delivery
    if word.endswith("ss"):
        return word  # mattress, address: no plural
    if word.endswith("sses"):
        return word[:-2]  # mattresses -> mattress
    if word.endswith(("ction", "ctions")) and len(word) >= 8:
        return word[: word.rindex("ion")]  # collection(s) -> collect, instructions -> instruct
    for suffix in ("able", "ing", "ed", "s"):  # fixable, fixing, fixed -> fix
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str, language: str, generic: frozenset[str] = frozenset()) -> list[str]:
    """The words of ``text`` that carry its matter (停车场, 定金, "deposit", "bikes"), less ``generic`` ones.

    Mandarin: jieba's nouns, verbs, adjectives, numerals, time and place words; English: words of three or more
    letters, stemmed (bikes -> bike).
    """
    if language == "zh":
        text = simplify(text)
        return [w for w, flag, _ in pos_tags(text) if flag.startswith(_CONTENT_TAGS) and w not in generic]
    # "card's" is "card", "he'll" is "he": contractions and possessives end no matter word
    # a two-letter word in capitals is an initialism with a matter of its own ("ID", "TV", "DJ")
    initialisms = {w.lower() for w in re.findall(r"\b[A-Z]{2}\b", text)}
    found = (_CLITIC.sub("", w) for w in _EN_CONTENT.findall(text.lower()))
    words = [_stem(w) for w in found if (len(w) >= 3 or w in initialisms) and w not in generic]
    return [w for w in words if w not in generic]


def mentions(text: str, words: list[str], language: str) -> bool:
    """Whether ``text`` says one of ``words`` (:func:`content_words` of another text): Mandarin words of two or
    more characters by toneless pinyin (a recogniser's homophone still counts), one character by itself (一 is no
    移); English by stem."""
    if not words:
        return False
    if language == "zh":
        # one character by itself, two or more also by sound: 一 is no 移, but 机收 heard as 鸡收 still counts
        if any(len(w) == 1 and w in text for w in words):
            return True
        heard = " " + " ".join(syllables(text)) + " "
        readings = (" ".join(syllables(w)) for w in words if len(w) > 1)
        return any(f" {reading} " in heard for reading in readings if reading)
    said = {_stem(w) for w in _EN_CONTENT.findall(text.lower())}
    return any(w in said for w in words)
