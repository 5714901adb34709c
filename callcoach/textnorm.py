"""The text as matching sees it: simplified characters, toneless pinyin, units, word boundaries.

Every matcher (:mod:`callcoach.textmatch` for cue phrases, :mod:`callcoach.names`
for names, :mod:`callcoach.topics` for 5W2H taggers) reads a text the same way:

* traditional characters are converted to simplified (OpenCC ``t2s``) before
  anything else, so 幫您 is 帮您, and a dialect's character for a Mandarin one
  read as that one (``confusions.toml [zh] dialect_chars``: 冇 is 没);
* the text is split into *units* (:func:`tokens`) — Mandarin: each Han
  character, and any run of letters or digits as one lower-case unit; English:
  lower-case words (``’`` read as ``'``) — with punctuation and spaces (Vosk
  writes spaces between words) dropped and each unit's offsets kept in the
  text given, so a match can quote the words as written;
* a Han character's sound is its toneless pinyin (:func:`syllables`, from
  :func:`callcoach.phonetics.reading`);
* Mandarin word boundaries come from jieba's dictionary segmentation
  (:func:`word_bounds`): a short match by sound must start and end on them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .phonetics import reading

__all__ = [
    "Token",
    "initialized_jieba",
    "is_word",
    "normalise",
    "pos_tags",
    "punctuated",
    "simplify",
    "syllables",
    "tokens",
    "word_bounds",
    "words",
]

_EN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_PUNCTUATION = re.compile(r"[，。！？,.!?；;]")


def punctuated(text: str) -> bool:
    """Whether ``text`` holds any punctuation: an imported transcript does, a recogniser's text has none (so a
    question there has no question mark, and a clause no comma)."""
    return bool(_PUNCTUATION.search(text))


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _dialect_chars() -> dict[int, str]:
    from .datafiles import load_toml_resource

    pairs = load_toml_resource("confusions.toml")["zh"].get("dialect_chars") or []
    return str.maketrans({dialect: mandarin for dialect, mandarin in pairs})


@lru_cache(maxsize=2)
def _dialect_words(language: str = "zh") -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """The dialect words of ``confusions.toml`` (each as its Mandarin word of the same length) as one pattern,
    longest first, and the word for each. An entry's third item lists characters the dialect word is not read
    after: there it is the end of a Mandarin word (Shaanxi 额也 is 我也, not in 金额也不对)."""
    from .datafiles import load_toml_resource

    entries = load_toml_resource("confusions.toml")[language].get("dialect_words") or []
    words = {entry[0]: entry[1] for entry in entries if len(entry) in (2, 3) and len(entry[0]) == len(entry[1])}
    if len(words) != len(entries):
        raise ValueError("confusions.toml: each dialect word must be as long as its Mandarin word")
    if not words:
        return None, {}
    not_after = {entry[0]: entry[2] for entry in entries if len(entry) == 3}

    def piece(word: str) -> str:
        if language != "zh":  # an English word as a whole word, in any case
            return rf"(?i:\b{re.escape(word)}\b)"
        # a recogniser may space a word's characters (啥 子): a space between them is kept where it is
        body = " ?".join(map(re.escape, word))
        if word not in not_after:
            return body
        chars = re.escape(not_after[word])
        return f"(?<![{chars}])(?<![{chars}] ){body}"

    pattern = re.compile("|".join(piece(w) for w in sorted(words, key=len, reverse=True)))
    return pattern, words


def simplify(text: str) -> str:
    """Traditional Chinese characters converted to simplified, and a dialect's characters and words to the Mandarin
    ones of the same length (冇得办法 -> 没得办法, 我知不道 -> 我不知道, 俺 -> 我); in text with no Han character, a dropped g written as an apostrophe put back
    ("three workin' days" -> "three working days", "who's payin'" -> "who's paying") and a dialect's words read as
    the English words of the same length (``confusions.toml [en] dialect_words``: "Ye didnae read" -> "Ye didn't
    read"), so offsets hold; other text unchanged."""
    if not text:
        return text
    if not any(is_han(c) for c in text):
        text = _G_DROPPED.sub(r"\1ing", text) if "in'" in text else text
        pattern, words = _dialect_words("en")
        if pattern is None:
            return text
        return pattern.sub(lambda m: _cased(words[m.group().lower()], m.group()), text)
    text = _t2s().convert(text).translate(_dialect_chars())
    pattern, words = _dialect_words()
    return (
        text
        if pattern is None
        else pattern.sub(lambda m: _respaced(words[m.group().replace(" ", "")], m.group()), text)
    )


def _cased(word: str, heard: str) -> str:
    """``word`` written with ``heard``'s capital first letter (Whit -> What)."""
    return word[:1].upper() + word[1:] if heard[:1].isupper() else word


def _respaced(word: str, heard: str) -> str:
    """``word`` with the spaces of ``heard`` (the same characters less spaces) put where they were."""
    chars = iter(word)
    return "".join(" " if c == " " else next(chars) for c in heard)


#: An English word written with its final g dropped (speakin', nothin'), not a quotation closing after "in".
_G_DROPPED = re.compile(r"\b([A-Za-z]*[aeiouy][A-Za-z]*?)in'(?![A-Za-z'])")


@lru_cache(maxsize=1)
def _latin_plain() -> dict[int, str]:
    """Latin letters with a diacritic -> the plain ASCII letter (ō -> o, É -> E), one character for one."""
    out = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base.isascii() and base.isalpha():
            out[code] = base
    return out


def plain_latin(text: str) -> str:
    """English text with its accented Latin letters plain (Kōwhai Road -> Kowhai Road, café -> cafe), the same
    length, so offsets hold: patterns of ASCII letters (capitalised names) read it as they read the rest."""
    return text if text.isascii() else text.translate(_latin_plain())


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _is_wordchar(ch: str) -> bool:
    return unicodedata.category(ch)[0] in ("L", "N")


def syllables(text: str) -> list[str]:
    """Toneless pinyin of each Han character in ``text`` (other characters are skipped)."""
    return [reading(c) for c in simplify(text) if is_han(c)]


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
            if is_han(ch):
                out.append(Token(ch, i, i + 1))
                i += 1
            elif _is_wordchar(ch):
                j = i
                while j < n and _is_wordchar(simple[j]) and not is_han(simple[j]):
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


def initialized_jieba(tokenizer):
    """Initialise a jieba tokenizer (``jieba.Tokenizer()`` or the global ``jieba.dt``) with its cache in the
    user's own cache folder, quietly; returns it.

    jieba's default cache, ``/tmp/jieba.cache``, belongs to whichever user ran jieba first: every other
    user's run then logged "Dump cache file failed" with a traceback.
    """
    import logging

    from .datafiles import user_cache_dir

    cache = user_cache_dir()
    if cache is not None:
        tokenizer.tmp_dir = str(cache)
    # Quiet: with no writable cache jieba logs the failed dump with a traceback and goes on without one; its own
    # level is restored after, so that no process-wide setting outlives the call.
    log = logging.getLogger("jieba")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        tokenizer.initialize()
    finally:
        log.setLevel(level)
    return tokenizer


@lru_cache(maxsize=1)
def _segmenter():
    import jieba

    return initialized_jieba(jieba.Tokenizer())


def words(text: str) -> list[tuple[str, int, int]]:
    """The Mandarin words of ``text`` (jieba's dictionary segmentation) with their offsets: (word, start, end);
    spaces are no word."""
    return [(w, start, end) for w, start, end in _segmenter().tokenize(text) if w.strip()]


def is_word(text: str) -> bool:
    """Whether ``text`` is a word of jieba's dictionary (什么时候, 事情; not 什么型号)."""
    return bool(_segmenter().FREQ.get(text))


def word_bounds(text: str) -> set[int]:
    """Offsets in ``text`` where a Mandarin word starts or ends (jieba's dictionary segmentation).

    A match by sound must start and end on these: 手机号码 is 手机|号码, so its
    机号 (ji hao) is not the cue 几号 (ji hao, "which day").
    """
    bounds = {0, len(text)}
    for _, start, end in _segmenter().tokenize(text):
        bounds.add(start)
        bounds.add(end)
    return bounds


@lru_cache(maxsize=1)
def _posseg():
    """jieba's default part-of-speech tokenizer (importing jieba.posseg loads its tag table once)."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    initialized_jieba(jieba.dt)  # its cache in the user's own folder, not /tmp/jieba.cache
    return jieba.posseg.dt


@lru_cache(maxsize=4096)
def pos_tags(text: str) -> tuple[tuple[str, str, int], ...]:
    """jieba part-of-speech tags of ``text``: (word, flag, start offset)."""
    out = []
    at = 0
    for pair in _posseg().cut(text):
        start = text.find(pair.word, at)
        if start < 0:
            continue
        out.append((pair.word, pair.flag, start))
        at = start + len(pair.word)
    return tuple(out)
