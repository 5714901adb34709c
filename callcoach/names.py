"""Names said in a call — the agent's own, the company's (brand) — allowing for ASR misspellings.

The introduction and closing rules ask whether the agent said their own name
and the company's; mono-call speaker separation counts who said them. A name
is often a word the recogniser has never seen, so :func:`find_name` matches it
more loosely than a cue phrase (:mod:`callcoach.textmatch`): by pinyin with
a character inserted or a syllable wrong (Mandarin), by spelling or by its
words heard in part (English) — a name of three or more words also by its
first word alone when that is a brand of at least :data:`BRAND_MIN_LETTERS`
letters.
"""

from __future__ import annotations

from . import phonetics
from .alignment import align as _align
from .alignment import confidence as _confidence
from .textmatch import Match, cue_set, prepared_text
from .textnorm import Token, tokens

__all__ = ["BRAND_MIN_LETTERS", "find_name", "name_word_heard"]

#: Letters the first word of a three-word English name needs to stand for the whole name when heard alone.
BRAND_MIN_LETTERS = 5


def find_name(text: str, name: str | None, language: str) -> Match | None:
    """Where a person's or company's name is said in ``text``, allowing for ASR misspellings.

    Mandarin: by characters, else by pinyin with homophones, folds and
    near-homophones; a two-syllable name may have one character inserted
    inside (李的娜), a name of three or more syllables one syllable wrong,
    missing or added. English: word by word with an edit distance of one per
    four letters, else the words run together within one edit per five
    letters, else (names of two or more words) at least half the words heard
    in order (:func:`_name_in_part`).
    """
    if not name or not name.strip() or not text:
        return None
    toks = tokens(text, language)
    want = tokens(name, language)
    if not toks or not want:
        return None
    n = len(want)
    if language == "zh":
        by_chars = cue_set([name], "zh", by_pinyin=False).search(text)
        if by_chars:
            return by_chars
        prepared = prepared_text(text, "zh")
        units = tuple(t.text for t in want)
        short = n <= 2
        hits = _align(
            units,
            prepared,
            0,
            len(prepared.units),
            "zh",
            1.05 if short else 1.5,
            1,
            no_deletes=short,
            no_substitutes=short,
            min_left=2,
        )
        if not hits:
            return None
        hit = min(hits, key=lambda h: (h.cost, h.first))
        start, end = toks[hit.first].start, toks[hit.last].end
        return Match(name, start, end, text[start:end], "pinyin", _confidence(hit.cost, n))
    from rapidfuzz.distance import Levenshtein

    names = [t.text for t in want]
    for i in range(len(toks) - n + 1):
        said = [t.text for t in toks[i : i + n]]
        if all(Levenshtein.distance(a, b) <= (len(b) // 4 if len(b) >= 4 else 0) for a, b in zip(said, names)):
            start, end = toks[i].start, toks[i + n - 1].end
            exact = said == names
            return Match(name, start, end, text[start:end], "words" if exact else "spelling", 1.0 if exact else 0.8)
    target = "".join(names)
    allowed = max(0, len(target) // 5)
    best: tuple[int, int, int] | None = None
    for width in {max(1, n - 1), n, n + 1}:
        for i in range(len(toks) - width + 1):
            joined = "".join(t.text for t in toks[i : i + width])
            if abs(len(joined) - len(target)) > allowed:
                continue
            d = Levenshtein.distance(joined, target, score_cutoff=allowed)
            if d <= allowed and (best is None or d < best[0]):
                best = (d, i, width)
    if best is None:
        return _name_in_part(text, toks, name, names)
    d, i, width = best
    start, end = toks[i].start, toks[i + width - 1].end
    return Match(name, start, end, text[start:end], "words" if d == 0 else "spelling", 1.0 if d == 0 else 0.8)


def name_word_heard(said: str, want: str) -> bool:
    """Whether an English word heard is a name's word: as spelled; four letters or more also by sound key or spelling."""
    from rapidfuzz.distance import Levenshtein

    if said == want:
        return True
    if len(want) < 4:
        return False
    return (
        phonetics.english_key(said) == phonetics.english_key(want)
        or Levenshtein.normalized_similarity(said, want) >= 0.75
    )


def _name_in_part(text: str, toks: list[Token], name: str, names: list[str]) -> Match | None:
    """An English name of two or more words heard in part: at least half its words, in order, close together.

    One of them must be a word of four letters or more heard nearly as spelled
    ("bramble he store", "family clinic", "northwind" for Northwind Broadband).
    A name of three or more words is also heard by its first word alone when
    that has at least ``BRAND_MIN_LETTERS`` letters ("riverside fee close" for
    Riverside Family Clinic): the brand, not a common word like "home".
    The confidence is the share of words heard, times 0.8.
    """
    n = len(names)
    if n < 2:
        return None
    need = (n + 1) // 2
    best = None
    for i in range(len(toks)):
        got, at, last = 0, i, None
        long_word = brand = False
        for w, want in enumerate(names):
            hit = next((k for k in range(at, min(len(toks), at + 2)) if name_word_heard(toks[k].text, want)), None)
            if hit is None:
                continue
            if last is None and hit != i:
                break  # the stretch starts on a word of the name
            got, at, last = got + 1, hit + 1, hit
            long_word = long_word or len(want) >= 4
            brand = brand or (w == 0 and n >= 3 and len(want) >= BRAND_MIN_LETTERS)
        if last is not None and (got >= need and long_word or brand) and (best is None or got > best[0]):
            best = (got, i, last)
    if best is None:
        return None
    got, i, last = best
    start, end = toks[i].start, toks[last].end
    return Match(name, start, end, text[start:end], "spelling", round(0.8 * got / n, 3))
