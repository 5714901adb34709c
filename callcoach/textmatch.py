"""Text matching that survives ASR: normalisation, pinyin, cue lists and names.

Vosk's small Mandarin model gets about one character in four wrong, mostly by
writing a homophone (帮您 -> 帮宁, 李明 -> 黎明). So a cue phrase matches a
transcript in two ways:

* by characters, after traditional -> simplified conversion and with
  punctuation and spaces dropped (ASR output has none; imported files do);
* by pronunciation: each Han character is read as its toneless pinyin
  syllable (one fixed reading per character, so a phrase and the text are
  always read alike), with sounds that ASR and speakers confuse folded
  together (zh/z, ch/c, sh/s, n/l, -ng/-n), for phrases of two or more
  syllables (every piece of a gapped phrase), and only where the match
  starts and ends on word boundaries (jieba's dictionary), so 手机号码 does
  not contain 几号.

Where cues overlap, the longest wins: 请问是什么原因 is "why" (什么原因), not
"what" (是什么).

Names (company, agent) are matched more loosely still: a name of three or
more syllables may have one syllable wrong.

English is matched word by word, case-insensitive; names allow a small edit
distance.

Phrase syntax in packs: plain text, where ``…`` (or ``...``) stands for a gap of
up to :data:`GAP_ZH` Han characters / :data:`GAP_EN` English words, e.g.
``你…必须``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

__all__ = ["Match", "CueSet", "cue_set", "simplify", "normalise", "syllables", "find_name", "tokens", "GAP_ZH", "GAP_EN"]

#: Longest gap ``…`` stands for: Han characters (Mandarin) / words (English).
GAP_ZH = 6
GAP_EN = 3

_GAP = re.compile(r"\s*(?:…+|\.\.\.)\s*")
_EN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    """Traditional Chinese characters converted to simplified; other text unchanged."""
    if not text or not any(_is_han(c) for c in text):
        return text
    return _t2s().convert(text)


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _is_wordchar(ch: str) -> bool:
    return unicodedata.category(ch)[0] in ("L", "N")


@lru_cache(maxsize=8192)
def _reading(ch: str) -> str:
    """One fixed toneless pinyin reading of a Han character (its most common one)."""
    from pypinyin import Style, pinyin

    got = pinyin(ch, style=Style.NORMAL, errors="ignore")
    return got[0][0] if got and got[0] else ch


def syllables(text: str) -> list[str]:
    """Toneless pinyin of each Han character in ``text`` (other characters are skipped)."""
    return [_reading(c) for c in simplify(text) if _is_han(c)]


def _fold(syllable: str) -> str:
    """A syllable with commonly confused initials and finals folded together."""
    for long, short in _FUZZY_INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long):]
            break
    for long, short in _FUZZY_FINALS:
        if syllable.endswith(long):
            syllable = syllable[: -len(long)] + short
            break
    return syllable


@dataclass(frozen=True)
class Token:
    """One unit of matched text: a Han character, or a word, with its span in the original text."""

    text: str
    start: int
    end: int


def tokens(text: str, language: str) -> list[Token]:
    """Split ``text`` into matching units: Han characters and alphanumeric runs (zh), words (en).

    Punctuation and spaces are dropped; offsets refer to ``text`` itself.
    """
    out: list[Token] = []
    if language == "zh":
        simple = simplify(text)
        i = 0
        n = len(simple)
        while i < n:
            ch = simple[i]
            if _is_han(ch):
                out.append(Token(ch, i, i + 1))
                i += 1
            elif _is_wordchar(ch):
                j = i
                while j < n and _is_wordchar(simple[j]) and not _is_han(simple[j]):
                    j += 1
                out.append(Token(simple[i:j].lower(), i, j))
                i = j
            else:
                i += 1
        return out
    lowered = text.lower().replace("’", "'")
    return [Token(m.group(), m.start(), m.end()) for m in _EN_WORD.finditer(lowered)]


def normalise(text: str, language: str) -> str:
    """The text as matching sees it: simplified, no punctuation or spaces (zh); lowercase words (en)."""
    joiner = "" if language == "zh" else " "
    return joiner.join(t.text for t in tokens(text, language))


@dataclass(frozen=True)
class Match:
    """A cue phrase found in a text.

    Attributes
    ----------
    phrase : str
        The phrase from the pack.
    start, end : int
        Character offsets of the matched words in the text given to ``find``.
    matched_text : str
        The text as written there (may differ from ``phrase`` when matched by pinyin).
    by : {"chars", "pinyin", "words"}
    """

    phrase: str
    start: int
    end: int
    matched_text: str
    by: str


class _Rendered:
    """Tokens rendered as one string for regex search, with a map back to token indices."""

    def __init__(self, units: list[str], spaced: bool):
        self.spaced = spaced
        if spaced:
            pieces, starts, pos = [" "], [], 1
            for u in units:
                starts.append(pos)
                pieces.append(u + " ")
                pos += len(u) + 1
            self.string = "".join(pieces)
        else:
            starts, pos = [], 0
            for u in units:
                starts.append(pos)
                pos += len(u)
            self.string = "".join(units)
        self._index = {s: i for i, s in enumerate(starts)}
        self._ends = {s + len(u) + (1 if spaced else 0): i for i, (s, u) in enumerate(zip(starts, units))}

    def token_span(self, start: int, end: int) -> tuple[int, int] | None:
        first = self._index.get(start)
        last = self._ends.get(end)
        if first is None or last is None or last < first:
            return None
        return first, last


def _pattern(parts: list[list[str]], spaced: bool, gap: int) -> re.Pattern:
    if spaced:
        body = [" ".join(re.escape(u) for u in part) + " " for part in parts]
        between = rf"(?:[^ ]+ ){{0,{gap}}}"
        return re.compile(r"(?<= )" + between.join(body))
    body = ["".join(re.escape(u) for u in part) for part in parts]
    return re.compile(f".{{0,{gap}}}?".join(body))


class CueSet:
    """A compiled list of cue phrases for one language.

    Parameters
    ----------
    phrases : iterable of str
        Phrases as written in a pack; ``…`` marks a short gap.
    language : {"zh", "en"}
    by_pinyin : bool
        Mandarin only: also match phrases of two or more syllables by pronunciation.
    """

    def __init__(self, phrases: Iterable[str], language: str, by_pinyin: bool = True):
        self.language = language
        self.phrases = [p for p in dict.fromkeys(phrases) if p and p.strip()]
        self._char_patterns: list[tuple[str, re.Pattern]] = []
        self._pinyin_patterns: list[tuple[str, re.Pattern]] = []
        zh = language == "zh"
        for phrase in self.phrases:
            parts = [[t.text for t in tokens(piece, language)] for piece in _GAP.split(phrase)]
            parts = [p for p in parts if p]
            if not parts:
                continue
            if zh:
                self._char_patterns.append((phrase, _pattern(parts, False, GAP_ZH)))
                readings = [[_fold(_reading(u)) if len(u) == 1 and _is_han(u) else u for u in part] for part in parts]
                # One syllable alone has too many homophones: every piece needs two or more.
                if by_pinyin and all(len(p) >= 2 for p in readings):
                    self._pinyin_patterns.append((phrase, _pattern(readings, True, GAP_ZH)))
            else:
                self._char_patterns.append((phrase, _pattern(parts, True, GAP_EN)))

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def find(self, text: str) -> list[Match]:
        """Every phrase found in ``text``: sorted by position, longest first, not overlapping."""
        if not text or not self.phrases:
            return []
        zh = self.language == "zh"
        if zh:
            simple = simplify(text)
            text = simple if len(simple) == len(text) else text
        toks = tokens(text, self.language)
        if not toks:
            return []
        candidates: list[tuple[int, int, str, str]] = []  # (first token, last token, phrase, by)
        plain = _Rendered([t.text for t in toks], spaced=not zh)
        for phrase, pattern in self._char_patterns:
            for m in pattern.finditer(plain.string):
                span = plain.token_span(m.start(), m.end())
                if span:
                    candidates.append((span[0], span[1], phrase, "chars" if zh else "words"))
        if zh and self._pinyin_patterns:
            spoken = _Rendered([_fold(_reading(t.text)) if _is_han(t.text) else t.text for t in toks], spaced=True)
            for phrase, pattern in self._pinyin_patterns:
                for m in pattern.finditer(spoken.string):
                    span = spoken.token_span(m.start(), m.end())
                    if span:
                        candidates.append((span[0], span[1], phrase, "pinyin"))
        if zh and any(c[3] == "pinyin" for c in candidates):
            bounds = _word_bounds(text)
            candidates = [c for c in candidates if c[3] != "pinyin"
                          or (toks[c[0]].start in bounds and toks[c[1]].end in bounds)]
        # Longest first, characters before pinyin, then leftmost: "什么原因" (why) claims its
        # characters before "是什么" (what) can, and "几号楼" (where) before "几号" (when).
        candidates.sort(key=lambda c: (-(toks[c[1]].end - toks[c[0]].start), c[3] == "pinyin", c[0]))
        taken = [False] * len(toks)
        chosen: list[Match] = []
        for first, last, phrase, by in candidates:
            if any(taken[first:last + 1]):
                continue
            taken[first:last + 1] = [True] * (last + 1 - first)
            start, end = toks[first].start, toks[last].end
            chosen.append(Match(phrase, start, end, text[start:end], by))
        chosen.sort(key=lambda m: m.start)
        return chosen

    def search(self, text: str) -> Match | None:
        """The first match in ``text``, or None."""
        found = self.find(text)
        return found[0] if found else None


@lru_cache(maxsize=1)
def _segmenter():
    import logging

    import jieba

    log = logging.getLogger("jieba")  # it reports loading its dictionary on stderr: quiet it for that only
    level = log.level
    log.setLevel(logging.WARNING)
    try:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
    finally:
        log.setLevel(level)
    return tokenizer


def _word_bounds(text: str) -> set[int]:
    """Offsets in ``text`` where a Mandarin word starts or ends (jieba's dictionary segmentation).

    A match by sound must start and end on these: 手机号码 is 手机|号码, so its
    机号 (ji hao) is not the cue 几号 (ji hao, "which day").
    """
    bounds = {0, len(text)}
    for _, start, end in _segmenter().tokenize(text):
        bounds.add(start)
        bounds.add(end)
    return bounds


@lru_cache(maxsize=1024)
def _cue_set(phrases: tuple[str, ...], language: str, by_pinyin: bool) -> "CueSet":
    return CueSet(phrases, language, by_pinyin)


def cue_set(phrases: Iterable[str], language: str, by_pinyin: bool = True) -> CueSet:
    """A :class:`CueSet`, compiled once per process for the same phrases (packs are reused call after call)."""
    return _cue_set(tuple(phrases), language, by_pinyin)


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def find_name(text: str, name: str | None, language: str) -> Match | None:
    """Where a person's or company's name is said in ``text``, allowing for ASR misspellings.

    Mandarin: by characters, else by pinyin with confusable sounds folded; a
    name of three or more syllables may have one syllable wrong. English: word
    by word with an edit distance of one per five letters.
    """
    if not name or not name.strip() or not text:
        return None
    toks = tokens(text, language)
    want = tokens(name, language)
    if not toks or not want:
        return None
    n = len(want)
    if language == "zh":
        exact = cue_set([name], "zh", by_pinyin=False).search(text)
        if exact:
            return exact
        want_syll = [_fold(_reading(t.text)) if _is_han(t.text) else t.text for t in want]
        have_syll = [_fold(_reading(t.text)) if _is_han(t.text) else t.text for t in toks]
        slack = 1 if n >= 3 else 0
        best = None
        for i in range(0, len(toks) - n + 1):
            wrong = sum(a != b for a, b in zip(have_syll[i:i + n], want_syll))
            if wrong <= slack and (best is None or wrong < best[0]):
                best = (wrong, i)
                if wrong == 0:
                    break
        if best is None:
            return None
        i = best[1]
        start, end = toks[i].start, toks[i + n - 1].end
        return Match(name, start, end, text[start:end], "pinyin")
    names = [t.text for t in want]
    for i in range(0, len(toks) - n + 1):
        said = [t.text for t in toks[i:i + n]]
        if all(_edit_distance(a, b) <= (len(b) // 4 if len(b) >= 4 else 0) for a, b in zip(said, names)):
            start, end = toks[i].start, toks[i + n - 1].end
            exact = said == names
            return Match(name, start, end, text[start:end], "words" if exact else "spelling")
    target = "".join(names)
    allowed = max(0, len(target) // 5)
    best = None
    for width in {max(1, n - 1), n, n + 1}:
        for i in range(0, len(toks) - width + 1):
            joined = "".join(t.text for t in toks[i:i + width])
            if abs(len(joined) - len(target)) > allowed:
                continue
            d = _edit_distance(joined, target)
            if d <= allowed and (best is None or d < best[0]):
                best = (d, i, width)
    if best is None:
        return None
    _, i, width = best
    start, end = toks[i].start, toks[i + width - 1].end
    return Match(name, start, end, text[start:end], "words" if best[0] == 0 else "spelling")
