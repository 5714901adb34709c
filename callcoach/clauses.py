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

Both apply only to a turn with no clause punctuation at all: a typed transcript's own marks are trusted. The
values live in each pack's ``[matching]`` table (``clause_pause_s``, ``clause_openers``, ``clause_closers``,
``clause_subjects``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from .textmatch import prepared_text
from .textnorm import simplify, tokens, words
from .transcript import Turn, Word

__all__ = ["CLAUSE_END", "ClauseBreaks", "clause_of", "word_spans"]

#: Punctuation that ends a clause.
CLAUSE_END = re.compile(r"[，。？！、；：,.?!;:…—]")


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
    """

    pause_s: float = 0.0
    openers: tuple[str, ...] = ()
    closers: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()

    @classmethod
    def from_pack(cls, matching: Mapping) -> ClauseBreaks:
        """From a pack's ``[matching]`` table (``clause_pause_s``, ``clause_openers``, ``clause_closers``,
        ``clause_subjects``)."""
        return cls(
            float(matching.get("clause_pause_s", 0.0)),
            tuple(matching.get("clause_openers", ())),
            tuple(matching.get("clause_closers", ())),
            tuple(matching.get("clause_subjects", ())),
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
        return tuple(sorted(out))

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
