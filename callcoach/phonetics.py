"""How alike two heard units sound: Mandarin syllables and English words, as edit costs.

The phrase matcher (:mod:`callcoach.textmatch`) aligns a cue phrase with the
words a recogniser wrote, unit by unit (a Han character or an English word).
This module prices each step of that alignment, from the table in
``callcoach/data/confusions.toml``:

* Mandarin: the same character costs nothing; another character with the
  same toneless pinyin (an ASR homophone) almost nothing; a fold (zh/z, ch/c,
  sh/s, n/l, -ng/-n) a little (an initial and a final folded in one syllable
  as much as a near-homophone); a near-homophone from the table (an initial
  such as f/h or r/l, a final such as e/o/a or i/ü, a whole syllable such as
  me/ma, wo/wu, nin/nan) more; anything else a full edit (1.0).
* English: the same word costs nothing; the same phonetic key (a rough
  consonant skeleton: "get" and "good" are both ``KT``, "a" and "i" both
  ``A``) little; a long word spelled nearly alike (rapidfuzz ratio ≥ 80)
  more; anything else a full edit.
* Negations (不, 没, "not", "don't" ...) are never inserted, deleted or
  replaced (a homophone of 不 still counts), and persons (我/你/您/他,
  "i"/"you"/"we") never replaced by one another, whatever the budget:
  我知道 is not 我不知道, 你不知道 is not 我不知道, 您 is not 你 (the
  polite form is what the wording rules judge). A Mandarin person is heard
  only as a homophone, a -n/-ng fold or a listed whole-syllable confusion
  (您 as 宁 or 南, 我 as 五), not through an initial (里 is no 你).
* Filler words (嗯, 啊, 那个, "uh", "you know" ...) cost almost nothing when
  heard inside a phrase.

Limits: one fixed reading per character (pypinyin's most common), tones
ignored; the English key is a hand-made skeleton, not a real
grapheme-to-phoneme model, so it knows nothing of irregular spellings
("one"/"won" differ).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .datafiles import load_toml_resource

__all__ = [
    "FORBIDDEN",
    "Costs",
    "budget",
    "costs",
    "delete_cost",
    "edits_allowed",
    "english_key",
    "fillers",
    "final_partners",
    "fold",
    "insert_cost",
    "is_negation",
    "is_person",
    "is_second_person",
    "listed_pair",
    "persons_clash",
    "reading",
    "sound_key",
    "split_syllable",
    "swaps_final_only",
    "unit_cost",
]

#: Cost of a step that is never allowed (a negation added or dropped, one person for another).
FORBIDDEN = math.inf

_INITIALS = (
    "zh",
    "ch",
    "sh",
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
)


@dataclass(frozen=True)
class Costs:
    """Step costs of the alignment, in edits (see ``confusions.toml [costs]``)."""

    homophone: float
    fold: float
    near: float
    en_sound: float
    en_spelling: float
    en_function_word: float
    filler: float


@lru_cache(maxsize=1)
def _table() -> dict:
    return load_toml_resource("confusions.toml")


@lru_cache(maxsize=1)
def costs() -> Costs:
    """The step costs from the confusion table."""
    return Costs(**{k: float(v) for k, v in _table()["costs"].items()})


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=16384)
def reading(ch: str) -> str:
    """One fixed toneless pinyin reading of a Han character (its most common one; ü written ``v``)."""
    if not _is_han(ch):
        return ch
    from pypinyin import Style, pinyin

    got = pinyin(ch, style=Style.NORMAL, errors="ignore")
    return got[0][0] if got and got[0] else ch


def split_syllable(syllable: str) -> tuple[str, str]:
    """A pinyin syllable as (initial, final); the initial is empty for 啊 ``a``, 儿 ``er``."""
    for initial in _INITIALS:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial) :]
    return "", syllable


@lru_cache(maxsize=1)
def _zh_sets():
    zh = _table()["zh"]
    fold_i = {a: b for a, b in zh["fold_initials"]}
    fold_f = {a: b for a, b in zh["fold_finals"]}
    near_i = {frozenset(p) for p in zh["near_initials"]}
    near_f = {frozenset(p) for p in zh["near_finals"]}
    near_s = {frozenset(p) for p in zh["near_syllables"]}
    person = {ch: i for i, group in enumerate(zh["persons"]) for ch in group}
    return fold_i, fold_f, near_i, near_f, near_s, frozenset(zh["negations"]), person


@lru_cache(maxsize=16384)
def fold(syllable: str) -> str:
    """A syllable with the folded sounds merged (zh->z, ch->c, sh->s, l->n, -ang->-an, -eng->-en, -ing->-in)."""
    fold_i, fold_f, *_ = _zh_sets()
    initial, final = split_syllable(syllable)
    return fold_i.get(initial, initial) + fold_f.get(final, final)


def sound_key(unit: str, language: str) -> str:
    """The key a unit is searched by: its folded pinyin (Mandarin) or phonetic key (English).

    Units with the same key cost little to swap (homophones, folds, sound-alike
    words); any other step is one of the few "edits" a match may have
    (:func:`edits_allowed`). Candidate places are found by exact runs of keys
    (an Aho–Corasick automaton), then the alignment prices every step.
    """
    if language == "zh":
        return fold(reading(unit)) if _is_han(unit) else unit
    return english_key(unit)


@lru_cache(maxsize=65536)
def syllable_cost(a: str, b: str) -> float:
    """What swapping toneless syllable ``a`` for ``b`` costs: a homophone, a fold, a pair of the confusion table
    (``costs().near``), else 1.0."""
    if a == b:
        return costs().homophone
    fa, fb = fold(a), fold(b)
    if fa == fb:
        # one fold is an accent or a slip; the initial and the final both folded is a near-homophone at best
        # (六年 liu nian is not 流量 liu liang)
        (ia, ra), (ib, rb) = split_syllable(a), split_syllable(b)
        return costs().near if ia != ib and ra != rb else costs().fold
    _, _, near_i, near_f, near_s, *_ = _zh_sets()
    if frozenset((a, b)) in near_s or frozenset((fa, fb)) in near_s:
        return costs().near
    ia, ra = split_syllable(fa)
    ib, rb = split_syllable(fb)
    if ra == rb and frozenset((ia, ib)) in near_i:
        return costs().near
    # finals compared as said and as folded: 能 neng / 农 nong is the table's eng/ong, which folding would hide
    if ia == ib and (
        frozenset((ra, rb)) in near_f or frozenset((split_syllable(a)[1], split_syllable(b)[1])) in near_f
    ):
        return costs().near
    return 1.0


_EN_DIGRAPHS = (
    ("x", "ks"),
    ("ph", "f"),
    ("gh", ""),
    ("ng", "n"),
    ("ck", "k"),
    ("sh", "x"),
    ("ch", "x"),
    ("th", "s"),
    ("wh", "w"),
    ("qu", "kw"),
)
_EN_VOICED = str.maketrans({"b": "p", "d": "t", "g": "k", "v": "f", "z": "s", "j": "x", "c": "k", "q": "k"})


@lru_cache(maxsize=16384)
def english_key(word: str) -> str:
    """A rough phonetic key of an English word: its consonant skeleton, voicing ignored.

    Vowels drop out (a word that starts with one keeps ``A``), doubled letters
    collapse, w/h/y count only before a vowel at the start. "good" and "get"
    are ``KT``, "may" ``M``, "a" and "i" ``A``.
    """
    w = re.sub(r"[^a-z0-9]", "", word.lower())
    if not w:
        return ""
    if w.isdigit():
        return w
    for prefix, repl in (("kn", "n"), ("wr", "r"), ("ps", "s"), ("gn", "n")):
        if w.startswith(prefix):
            w = repl + w[len(prefix) :]
    w = re.sub(r"c(?=[eiy])", "s", w)
    w = w.replace("sure", "shure")  # "sure", "ensure", "measure": said with "sh" / "zh" ("I'm not there" is no "sure")
    for digraph, repl in _EN_DIGRAPHS:
        w = w.replace(digraph, repl)
    if not w:  # only silent letters ("gh", or "g" and "h" heard as two words)
        return "A"
    head = "A" if w[0] in "aeiou" else ""
    if w[0] in "why" and len(w) > 1 and w[1] in "aeiou":
        head = w[0].upper()
        w = w[1:]
    body = re.sub(r"[aeiouwhy]", "", w).translate(_EN_VOICED)
    body = re.sub(r"(.)\1+", r"\1", body)
    return (head + body.upper()) or "A"


@lru_cache(maxsize=16384)
def syllables(word: str) -> int:
    """A rough syllable count of an English word: its groups of vowels ("y" counts after a consonant), a final
    silent "e" aside. "wrong" 1, "running" 2: words of one sound key but not of one length are no sound-alikes."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if w.endswith("e") and not w.endswith(("le", "ee")) and len(w) > 2:
        w = w[:-1]
    # "doing", "going", "being": the "-ing" after a vowel is a syllable of its own
    extra = 1 if re.search(r"[aeiou]ing$", w) else 0
    return max(1, len(re.findall(r"[aeiou]+|(?<=[^aeiou])y", w)) + extra)


def sounds_near(said: str, cue: str) -> bool:
    """English: whether a word heard sounds like a cue word or nearly so, for a word standing in a known slot.

    The same sound key, or keys that differ by one consonant added, lost or changed when the longer has three or
    more ("hold" HLT or "half" HLF for "hello" HL, "seeking" SKN or "booking" PKN for "speaking" SPKN, "warning"
    for "morning"). Too loose for finding a phrase anywhere (:func:`unit_cost` does not use it); rules use it
    for one word in a place where only that word is expected (before the company, after the agent's name).
    """
    if said == cue:
        return True
    ka, kb = english_key(said), english_key(cue)
    if ka == kb:
        return True
    if max(len(ka), len(kb)) < 3 or abs(len(ka) - len(kb)) > 1:
        return False
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(ka, kb) == 1


@lru_cache(maxsize=1)
def _en_sets():
    en = _table()["en"]
    person = {w: i for i, group in enumerate(en["persons"]) for w in group}
    sounds = {w: i for i, group in enumerate(en.get("negation_homophones", [])) for w in group}
    return frozenset(en["negations"]), frozenset(en["function_words"]), person, sounds


@lru_cache(maxsize=1)
def _keeps_s() -> frozenset[str]:
    return frozenset(_table()["en"].get("keeps_s", ()))


def match_unit(word: str, language: str) -> str:
    """The unit matching sees for a word: English drops a possessive or contracted 's (``keeps_s`` aside):
    "parking's" -> "parking", "it's" stays."""
    if language == "en" and word.endswith("'s") and len(word) > 3 and word[:-2] not in _keeps_s():
        return word[:-2]
    return word


def is_negation(unit: str, language: str) -> bool:
    """Whether a unit negates: 不, 没 ...; "not", "never", any word ending in n't."""
    if language == "zh":
        return unit in _zh_sets()[5]
    return unit in _en_sets()[0] or unit.endswith("n't")


def negation_homophones(a: str, b: str) -> bool:
    """English: whether two words sound exactly alike and one negates (``negation_homophones``: "know" / "no")."""
    same = _en_sets()[3]
    return a != b and a in same and same.get(a) == same.get(b)


def _person(unit: str, language: str) -> int | None:
    return (_zh_sets()[6] if language == "zh" else _en_sets()[2]).get(unit)


def listed_pair(a: str, b: str) -> bool:
    """Whether two Han characters read as a whole-syllable pair of the confusion table (您/南: nin/nan)."""
    return frozenset((reading(a), reading(b))) in _zh_sets()[4]


def swaps_final_only(a: str, b: str) -> bool:
    """Whether two Han characters' readings share their initial and both finals end nasal or both do not
    (可 ke / 卡 ka; not 机 ji / 进 jin)."""
    if not (_is_han(a) and _is_han(b)):
        return False
    (ia, fa), (ib, fb) = split_syllable(reading(a)), split_syllable(reading(b))
    return ia == ib and fa.endswith(("n", "ng")) == fb.endswith(("n", "ng"))


@lru_cache(maxsize=4096)
def final_partners(unit: str) -> tuple[str, ...]:
    """Folded keys of the syllables with a Han character's initial and a final the table pairs with its own."""
    if not _is_han(unit):
        return ()
    initial, final = split_syllable(reading(unit))
    near_f = _zh_sets()[3]
    out: set[str] = set()
    for pair in near_f:
        for f in (final, split_syllable(fold(reading(unit)))[1]):
            if f in pair:
                out.update(fold(initial + x) for x in pair if x != f)
    return tuple(sorted(out))


@lru_cache(maxsize=4096)
def listed_partners(unit: str) -> tuple[str, ...]:
    """Syllables the confusion table pairs with a Han character's reading as a whole (您 -> nan, lin)."""
    if not _is_han(unit):
        return ()
    own = reading(unit)
    return tuple(sorted(x for pair in _zh_sets()[4] if own in pair for x in pair if x != own))


def is_second_person(unit: str, language: str) -> bool:
    """Whether a unit addresses the listener (你, 您; "you", "your" ...)."""
    person = _person(unit, language)
    return person is not None and person in {
        _person(u, language) for u in (("你", "您") if language == "zh" else ("you",))
    }


def is_light(unit: str, language: str) -> bool:
    """English: whether a word carries little of a phrase's sense: a function word ("the", "to") or a pronoun
    ("you"). Mandarin: never (every syllable counts)."""
    return language != "zh" and (unit in _en_sets()[1] or _person(unit, language) is not None)


def is_person(unit: str, language: str) -> bool:
    """Whether a unit is a personal pronoun (我, 你, 您 ...; "i", "you", "we" ...)."""
    return _person(unit, language) is not None


def persons_clash(a: str, b: str, language: str) -> bool:
    """Whether ``a`` and ``b`` are pronouns of different persons (我 / 你, "i" / "you")."""
    pa, pb = _person(a, language), _person(b, language)
    return pa is not None and pb is not None and pa != pb


@lru_cache(maxsize=131072)
def unit_cost(a: str, b: str, language: str) -> float:
    """Cost of hearing unit ``b`` where a phrase has unit ``a`` (0 when they are the same)."""
    if a == b:
        return 0.0
    pa, pb = _person(a, language), _person(b, language)
    if pa is not None and pb is not None and pa != pb:
        return FORBIDDEN
    negation = is_negation(a, language), is_negation(b, language)
    if language == "zh":
        if not (_is_han(a) and _is_han(b)):
            return 1.0
        ra, rb = reading(a), reading(b)
        if any(negation):
            return costs().homophone if ra == rb else FORBIDDEN  # 不 written 部 is still 不
        if pa is not None or pb is not None:
            # a person only as a homophone, a final fold or a listed whole-syllable confusion: 您 heard 宁 or
            # 南 (nin/nan), 我 heard 五 (wo/wu) are still the person, but 里 is no 你 (an n/l fold)
            if ra == rb:
                return costs().homophone
            if split_syllable(ra)[0] == split_syllable(rb)[0] and fold(ra) == fold(rb):
                return costs().fold  # 您 heard 宁 (-n/-ng)
            return costs().near if frozenset((ra, rb)) in _zh_sets()[4] else FORBIDDEN
        return syllable_cost(ra, rb)
    if negation[0] != negation[1]:
        return costs().en_sound if negation_homophones(a, b) else FORBIDDEN
    if english_key(a) == english_key(b) and syllables(a) == syllables(b):
        return costs().en_sound
    if min(len(a), len(b)) >= 5:
        from rapidfuzz.distance import Levenshtein

        if Levenshtein.normalized_similarity(a, b) >= 0.8:
            return costs().en_spelling
    return 1.0


def _extra_cost(unit: str, language: str) -> float:
    if is_negation(unit, language):
        return FORBIDDEN
    if language == "en" and unit in _en_sets()[1]:
        return costs().en_function_word
    return 1.0


def insert_cost(unit: str, language: str, filler: bool = False) -> float:
    """Cost of a unit heard inside a phrase that the phrase does not have."""
    return costs().filler if filler else _extra_cost(unit, language)


def delete_cost(unit: str, language: str) -> float:
    """Cost of a phrase unit not heard."""
    return _extra_cost(unit, language)


def budget(units: int, language: str) -> float:
    """The largest total cost a match of a phrase of ``units`` units may have.

    Mandarin: one syllable matches only itself; two may be homophones or
    folds or have one listed whole-syllable confusion (南好 for 您好, not 几天
    for 几点) or one listed final beside the other syllable said as itself (咖能
    for 可能: :func:`callcoach.alignment.align`); three one near-homophone of any kind; four or
    five one full edit, six to nine two, ten or more three. English: one word
    matches only itself; two or three may have sound-alike words; four to seven
    one full edit, eight or more two.
    """
    if units <= 1:
        return 0.0
    if language == "zh":
        return {2: 0.45, 3: 0.5}.get(units, 1.5 if units <= 5 else (2.5 if units <= 9 else 3.5))
    return {2: 0.35, 3: 0.65}.get(units, 1.35 if units < 8 else 2.35)


def edits_allowed(units: int, language: str) -> int:
    """How many steps of a match may be edits (insertions, deletions, substitutions by another sound).

    Mandarin: one up to five syllables (up to three only a near-homophone
    fits the budget), two for six to nine, three for ten or more. English: none up to three words, one for four to seven, two for more.
    """
    if language == "zh":
        return 1 if units <= 5 else (2 if units <= 9 else 3)
    return 0 if units <= 3 else (1 if units < 8 else 2)


@lru_cache(maxsize=2)
def fillers(language: str) -> tuple[tuple[str, ...], ...]:
    """The filler words of a language, each as its matching units (那个 -> ("那", "个"))."""
    words = _table()[language]["fillers"]
    if language == "zh":
        return tuple(tuple(w) for w in words)
    return tuple(tuple(w.split()) for w in words)
