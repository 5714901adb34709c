"""Clauses of a turn: where a typed transcript's punctuation, or a recogniser's pauses and opening words, end one.

Some phrases are improper only as a clause of their own: 什么事？ is curt, 还有什么事吗 is the polite close; "Name?"
is curt, "the name on the account" is not. A typed transcript says where its clauses end (，。？！ …). A
recogniser writes no punctuation, so without more a whole turn reads as one clause and "嗯 对 什么 事" (said as
嗯，对，什么事？) has no clause that is only 什么事. Two things still mark the ends in a turn without punctuation:

* a **pause**: a silence of at least ``pause_s`` between two words the recogniser timed (Vosk's word times) —
  people stop between clauses, not inside them;
* an **opening word**: a word said as a clause of its own at the start of a turn (对, 好, 行; "yeah", "right"):
  "对 什么 事" is 对，什么事。 Repeated (对对对) or after fillers (嗯 对) it is still one;
* a **closing particle**: a Mandarin word ending in a sentence-final particle (吧, 啊, 呢, 嘛) ends its clause when
  more follows: "信号 肯定 差 啊 这 没 办法" is 信号肯定差啊，这没办法;
* a **subject**: a Mandarin personal pronoun after other words starts a clause: "这 没 办法 你 自己 挪 一 挪" is
  这没办法，你自己挪一挪. (English has no such list: a recogniser writes "your" as "you're" often enough that
  "for you're postcode" would read as two clauses.)

A Mandarin turn with no word timing (an imported recogniser transcript: no pause can be seen) has two more, from
jieba's part-of-speech tags, where two words do not make one word of jieba's dictionary (什么时候 is one):

* a **new start**: a time word or numeral (``clause_start_tags``: "没 办法 八百 已经 最低 了", "没 办法 平时 祠堂 锁
  着") or a demonstrative (``clause_start_words``: "你 说 什么 这边 吵") after other words starts a clause;
* a **noun after the phrase**: a noun right after a phrase that counts only as a clause of its own ends that
  clause (``clause_noun_tags``: "没 办法 价钱 是 老板 定 的" is 没办法，价钱是老板定的). Only after: a noun before a
  phrase is mostly the head of its noun phrase ("孩子 名字" is 孩子名字, not 孩子，名字？).

All apply only to a turn with no clause punctuation at all: a typed transcript's own marks are trusted. The
values live in each pack's ``[matching]`` table (``clause_pause_s``, ``clause_openers``, ``clause_closers``,
``clause_subjects``, ``clause_start_tags``, ``clause_start_words``, ``clause_noun_tags``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from .textmatch import prepared_text
from .textnorm import is_word, pos_tags, simplify, tokens, words
from .transcript import Turn, Word

__all__ = ["CLAUSE_END", "SENTENCE_END", "ClauseBreaks", "clause_of", "word_spans"]

#: Punctuation that ends a clause.
CLAUSE_END = re.compile(r"[，。？！、；：,.?!;:…—]")
#: Punctuation that ends a sentence.
SENTENCE_END = re.compile(r"[。！？.!?]")


def word_spans(turn: Turn, language: str) -> list[tuple[int, int, Word]]:
    """The turn's timed words with their offsets in ``turn.simplified``: (start, end, word), in order.

    Empty when the turn has no word timing or its words cannot all be found in its text in order.
    """
    text = turn.simplified
    hay = text if language == "zh" else text.lower()
    spans: list[tuple[int, int, Word]] = []
    cursor = 0
    for word in turn.words:
        piece = simplify(word.text.strip())
        piece = piece if language == "zh" else piece.lower()
        if not piece:
            continue
        at = hay.find(piece, cursor)
        if at < 0:
            return []
        spans.append((at, at + len(piece), word))
        cursor = at + len(piece)
    return spans


@dataclass(frozen=True)
class ClauseBreaks:
    """Where a turn without punctuation splits into clauses.

    Attributes
    ----------
    pause_s : float
        A silence at least this long between two timed words ends a clause. 0: off.
    openers : tuple of str
        Words said as a clause of their own at the start of a turn (Mandarin: as characters, 对 / 好的; English:
        words, "yeah" / "all right").
    closers : tuple of str
        Mandarin sentence-final particles: a word ending in one ends its clause when more follows.
    subjects : tuple of str
        Mandarin personal pronouns: one after other words starts a clause.
    start_tags, start_words : tuple of str
        Mandarin, a turn without word timing: a word with one of these jieba tags (time word, numeral), or one of
        these words (demonstratives), after other words starts a clause.
    noun_tags : tuple of str
        Mandarin, a turn without word timing: a word with one of these jieba tags right after a phrase ends the
        phrase's clause (:meth:`ends_after`).
    sentence_gap : int
        A turn without punctuation: two phrases with more than this many words between them are in different
        sentences (:meth:`same_sentence`). 0: the whole turn is one sentence.
    """

    pause_s: float = 0.0
    openers: tuple[str, ...] = ()
    closers: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    start_tags: tuple[str, ...] = ()
    start_words: tuple[str, ...] = ()
    noun_tags: tuple[str, ...] = ()
    sentence_gap: int = 0

    @classmethod
    def from_pack(cls, matching: Mapping) -> ClauseBreaks:
        """From a pack's ``[matching]`` table (``clause_pause_s``, ``clause_openers``, ``clause_closers``,
        ``clause_subjects``, ``clause_start_tags``, ``clause_start_words``, ``clause_noun_tags``,
        ``sentence_gap_words``)."""
        return cls(
            float(matching.get("clause_pause_s", 0.0)),
            tuple(matching.get("clause_openers", ())),
            tuple(matching.get("clause_closers", ())),
            tuple(matching.get("clause_subjects", ())),
            tuple(matching.get("clause_start_tags", ())),
            tuple(matching.get("clause_start_words", ())),
            tuple(matching.get("clause_noun_tags", ())),
            int(matching.get("sentence_gap_words", 0)),
        )

    def at(self, turn: Turn, language: str) -> tuple[int, ...]:
        """Offsets in ``turn.simplified`` where a clause ends though no punctuation says so, in order."""
        text = turn.simplified
        if not text or CLAUSE_END.search(text):
            return ()
        out = set()
        if self.pause_s > 0 and turn.words:
            spans = word_spans(turn, language)
            for (_, end, before), (_, _, after) in zip(spans, spans[1:]):
                if after.start_s - before.end_s >= self.pause_s:
                    out.add(end)
        opened = self._after_openers(text, language)
        if opened is not None:
            out.add(opened)
        if self.closers or self.subjects:
            out.update(self._between_words(text, language))
        if self._untimed_zh(turn, language) and (self.start_tags or self.start_words):
            out.update(
                start
                for _, (word, flag, start) in _tagged_pairs(text)
                if flag in self.start_tags or word in self.start_words
            )
        return tuple(sorted(out))

    def ends_after(self, turn: Turn, end: int, language: str) -> int | None:
        """Where a phrase ending at ``end`` in ``turn.simplified`` has its clause end because a noun follows it
        (``noun_tags``; a Mandarin turn without punctuation or word timing), else None."""
        if not self.noun_tags or not self._untimed_zh(turn, language):
            return None
        tagged = _tagged(turn.simplified)
        for (word, flag, start), (after, after_flag, after_start) in zip(tagged, tagged[1:]):
            if start + len(word) < end:
                continue
            # the phrase must end its word and not ask (什么 时候, 啥 型号: the noun is what it asks about), and the
            # two words must not be one (什么事 情)
            if start + len(word) > end or flag == "r" or _one_word(word, after) or after_flag not in self.noun_tags:
                return None
            return after_start
        return None

    def same_sentence(self, text: str, first: tuple[int, int], second: tuple[int, int], language: str) -> bool:
        """Whether two phrases of ``text`` (start, end), the first before the second, are in one sentence: no
        sentence punctuation between them, and in a turn without any punctuation (a recogniser's) at most
        ``sentence_gap`` words apart ("i think so maybe" is one; "i think the owner got a plumber in it'll
        probably be fine" two)."""
        if SENTENCE_END.search(text, first[1], second[0]):
            return False
        if not self.sentence_gap or CLAUSE_END.search(text):
            return True
        prepared = prepared_text(text, language)
        between = sum(
            1 for t, f in zip(prepared.toks, prepared.filler) if not f and first[1] <= t.start and t.end <= second[0]
        )
        return between <= self.sentence_gap

    @staticmethod
    def _untimed_zh(turn: Turn, language: str) -> bool:
        return language == "zh" and not turn.words and bool(turn.simplified) and not CLAUSE_END.search(turn.simplified)

    def _between_words(self, text: str, language: str) -> set[int]:
        """Offsets after a word ending in a closing particle and before a subject pronoun, with words either side."""
        words = _words(text, language)
        out = set()
        for (before, _, end), (after, start, _) in zip(words, words[1:]):
            if before[-1:] in self.closers:
                out.add(end)
            if after in self.subjects:
                out.add(start)
        return out

    def _after_openers(self, text: str, language: str) -> int | None:
        """The offset after the opening words a turn starts with (fillers among them), when more follows."""
        if not self.openers:
            return None
        prepared = prepared_text(text, language)
        units = list(zip(prepared.toks, prepared.filler))
        openers = _opener_units(self.openers, language)
        i, end = 0, None
        while i < len(units):
            if units[i][1]:
                i += 1
                continue
            said = next(
                (o for o in openers if o and tuple(t.text.lower() for t, _ in units[i : i + len(o)]) == o), None
            )
            if said is None:
                break
            i += len(said)
            end = units[i - 1][0].end
        if end is None or all(f for _, f in units[i:]):
            return None
        return end


def _tagged_pairs(text: str) -> list[tuple[tuple[str, str, int], tuple[str, str, int]]]:
    """Each two neighbouring Mandarin words of ``text`` (spaces aside) with jieba's tags, (word, flag, start), where
    they do not make one word of jieba's dictionary (什么 时候 is 什么时候: no clause starts at 时候)."""
    tagged = _tagged(text)
    return [(a, b) for a, b in zip(tagged, tagged[1:]) if not _one_word(a[0], b[0])]


def _tagged(text: str) -> list[tuple[str, str, int]]:
    """The Mandarin words of ``text`` with jieba's tags, (word, flag, start), a recogniser's spaces aside."""
    return [t for t in pos_tags(text) if t[0].strip()]


def _one_word(before: str, after: str) -> bool:
    """Whether two neighbouring words, or the first one's last character and the second, are one word of jieba's
    dictionary (a recogniser's spaces split words: 什么 事情, 没 办法)."""
    return is_word(before + after) or is_word(before[-1] + after)


def _words(text: str, language: str) -> list[tuple[str, int, int]]:
    """The words of ``text`` with their offsets (Mandarin: jieba's, which keeps a recogniser's spaces; English:
    lower case)."""
    if language == "zh":
        return words(text)
    return [(m.group().lower(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


@lru_cache(maxsize=8)
def _opener_units(openers: tuple[str, ...], language: str) -> tuple[tuple[str, ...], ...]:
    """Each opening word as its units (lower case), longest first, so 对的 is tried before 对."""
    return tuple(sorted((tuple(t.text.lower() for t in tokens(o, language)) for o in openers), key=len, reverse=True))


def clause_of(text: str, start: int, end: int, breaks: tuple[int, ...] = ()) -> tuple[int, int]:
    """The offsets of the clause of ``text`` holding ``text[start:end]``: between clause punctuation, ``breaks``
    (from :meth:`ClauseBreaks.at`) or the text's edges."""
    opens = max((m.end() for m in CLAUSE_END.finditer(text, 0, start)), default=0)
    opens = max([opens, *(b for b in breaks if b <= start)])
    found = CLAUSE_END.search(text, end)
    closes = found.start() if found else len(text)
    closes = min([closes, *(b for b in breaks if b >= end)])
    return opens, closes
