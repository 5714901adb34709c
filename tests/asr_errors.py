"""Simulated speech-recognition errors for benchmarks (test code: never used by the product).

    from asr_errors import perturb, error_rate   # with tests/ on sys.path, as under pytest
    noisy = perturb(transcript, rate=0.2, seed=1)
    error_rate(transcript, noisy)   # ~0.20

:func:`perturb` turns a clean transcript into what a small offline recogniser
such as Vosk would plausibly print, at a chosen error rate — character error
rate (CER) for Mandarin, word error rate (WER) for English — counted against
the clean text with punctuation and spaces removed. Exactly
``round(rate * units)`` edits are made per call, at positions drawn without
replacement, each a substitution (60 %), deletion (25 %) or insertion (15 %).

Mandarin
    Substitutions are biased the way recognisers err: a character of the same
    syllable in another tone or spelling (55 %), a near-homophone (35 %: one
    change of initial zh/z, ch/c, sh/s, n/l, f/h, r/l, or of final -n/-ng,
    in/ing, e/a, i/ü, o/u, uo/o …), otherwise any common character. Candidates
    are the ~3,500 most frequent characters of jieba's dictionary (frequency
    of the words they occur in), read with pypinyin, and drawn by the square
    root of that frequency. Insertions are frequent short characters
    (的 了 是 一 啊 嗯 …). Output has no punctuation and jieba's word
    segmentation joined by spaces, as Vosk prints Mandarin.
English
    Lower case, no punctuation, numbers spelt out. Substitutions are words
    that sound alike: a table of common recogniser confusions ("i" -> "a",
    "good" -> "get", "to" -> "two") and neighbours in a vocabulary (a built-in
    list of common words plus the call's own words) whose rough sound key (a
    consonant skeleton, vowels merged) is at edit distance <= 1 — a cheap
    stand-in for a pronouncing dictionary, not a phonetic model. Insertions are
    short function words and fillers.

Speaker labels, turn times and the order of turns are kept; word timing is
dropped (as for an imported SRT). Output is deterministic per (seed, rate).
Limits: errors are independent of audio quality and speaking rate, spread
uniformly over the call (real errors cluster on names, numbers and noise),
and a substitution never crosses a word boundary.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import random
import re
from dataclasses import replace
from pathlib import Path

import jieba
from pypinyin import Style, lazy_pinyin
from rapidfuzz.distance import Levenshtein

from callcoach.textnorm import simplify
from callcoach.transcript import Transcript

__all__ = ["error_rate", "near_syllables", "perturb", "sound_key", "units"]

#: Share of edits of each kind.
EDIT_MIX = (("sub", 0.60), ("del", 0.25), ("ins", 0.15))
#: Within Mandarin substitutions: same syllable, near syllable, anything.
ZH_SUB_MIX = (("same", 0.55), ("near", 0.35), ("any", 0.10))
#: How many of jieba's most frequent characters are candidates.
ZH_CHARS = 3500

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
_INITIAL_PAIRS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"), ("r", "l"), ("w", "y"))
_FINAL_PAIRS = (
    ("an", "ang"),
    ("en", "eng"),
    ("in", "ing"),
    ("ian", "iang"),
    ("uan", "uang"),
    ("eng", "ong"),
    ("e", "a"),
    ("i", "v"),
    ("o", "u"),
    ("uo", "o"),
    ("in", "an"),
    ("e", "o"),
    ("ie", "ue"),
    ("ou", "u"),
    ("ai", "ei"),
    ("un", "ong"),
)
_ZH_INSERTS = "的了是一啊嗯这那就我你他在有个也不"
_HAN = re.compile(r"[\u3400-\u9fff]")
_ZH_UNIT = re.compile(r"[\u3400-\u9fff]|[A-Za-z0-9]+")
_EN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")

_EN_CONFUSIONS = {
    "i": ["a", "eye", "hi"],
    "a": ["the", "uh", "i"],
    "the": ["a", "that", "they"],
    "to": ["two", "too", "the"],
    "for": ["four", "far", "or"],
    "you": ["ya", "your", "yeah"],
    "your": ["you're", "you", "year"],
    "good": ["get", "could", "would"],
    "help": ["health", "held", "hell"],
    "can": ["can't", "and", "could"],
    "may": ["make", "my", "they"],
    "thank": ["think", "sank", "tank"],
    "thanks": ["things", "tanks"],
    "is": ["as", "his", "this"],
    "it's": ["its", "is", "it"],
    "this": ["these", "is", "the"],
    "how": ["who", "now"],
    "calling": ["call in", "colin", "coming"],
    "morning": ["mourning", "warning"],
    "name": ["game", "nay"],
    "speaking": ["seeking", "peaking"],
    "welcome": ["well come", "welcomed"],
    "anything": ["any thing", "everything"],
    "else": ["l's", "elsa"],
    "don't": ["dont", "do"],
    "know": ["no", "now"],
    "not": ["knot", "nod"],
    "hold": ["old", "hole"],
    "policy": ["polly see", "police"],
    "sure": ["shore", "sir"],
    "our": ["are", "hour"],
    "would": ["wood", "good"],
    "there": ["their", "they're"],
    "we'll": ["will", "wheel"],
    "i'm": ["um", "i"],
    "and": ["an", "in", "end"],
    "of": ["off", "have"],
    "in": ["and", "an"],
    "on": ["an", "own"],
}
_EN_INSERTS = ("a", "the", "uh", "and", "i", "it", "to", "um", "so", "of")
_EN_COMMON = re.findall(
    r"\S+",
    """
a about after again all also am an and any are as ask at back be because been before being best better bill both
but buy by call called calling came can can't card case change charge check close come could day days did didn't
do does done don't down each else even every find first for free from get give go going good got great had has
have he hear hello help her here hi him his hold home how i i'll i'm if in into is it it's its just keep know last
let like line look made make many may me more most much my name need new next no not now number of off ok okay on
one only or order other our out over own pay people phone place please right said same say see send service set
she should so some sorry speak start still sure take tell than thank thanks that that's the their them then there
they thing think this those through time to today too two under up us use very wait want was way we we'll well
went were what when where which while who why will with within work would yeah year yes yet you you'll your
account address after afternoon again agent ago arrive back bank book booking broken called cancel care cost
credit date delivery detail email evening fee fine fix hour hours issue late lane later mail minute minutes money
month morning move nine night office online paid parcel plan price problem receive refund repair reply road room
send sent sign store street support team text ticket tomorrow week weekend weeks
""",
)
_ONES = re.findall(
    r"\S+",
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen",
)
_TENS = re.findall(r"\S+", "_ _ twenty thirty forty fifty sixty seventy eighty ninety")


def _number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + _number_words(rest))
    if n < 10000:
        rest = n % 1000
        return _number_words(n // 1000) + " thousand" + ("" if rest == 0 else " " + _number_words(rest))
    return " ".join(_ONES[int(d)] for d in str(n))


def units(text: str, language: str) -> list[str]:
    """The units an error rate counts: Han characters / letter-digit runs (zh), words (en, normalised)."""
    if language == "zh":
        return _ZH_UNIT.findall(simplify(text).lower())
    words = []
    for w in _EN_WORD.findall(text.lower().replace("’", "'")):
        words += _number_words(int(w)).split() if w.isdigit() else [w]
    return words


def error_rate(reference: Transcript, hypothesis: Transcript) -> float:
    """CER (zh) or WER (en) of ``hypothesis`` against ``reference``, turn by turn, by Levenshtein distance."""
    if len(reference.turns) != len(hypothesis.turns):
        raise ValueError("transcripts have a different number of turns")
    edits = total = 0
    for ref, hyp in zip(reference.turns, hypothesis.turns):
        a, b = units(ref.text, reference.language), units(hyp.text, reference.language)
        edits += Levenshtein.distance(a, b)
        total += len(a)
    return edits / total if total else 0.0


# ------------------------------------------------------------------------------------------------ Mandarin


def _syllable(ch: str) -> str:
    return lazy_pinyin(ch, style=Style.NORMAL, v_to_u=False)[0]


def _split(syllable: str) -> tuple[str, str]:
    for ini in _INITIALS:
        if syllable.startswith(ini) and len(syllable) > len(ini):
            return ini, syllable[len(ini) :]
    return "", syllable


def near_syllables(syllable: str) -> set[str]:
    """Syllables one confusion away: one initial pair (zh/z, n/l …) or one final pair (-n/-ng, e/a …)."""
    ini, fin = _split(syllable)
    out = set()
    for a, b in _INITIAL_PAIRS:
        for x, y in ((a, b), (b, a)):
            if ini == x:
                out.add(y + fin)
    for a, b in _FINAL_PAIRS:
        for x, y in ((a, b), (b, a)):
            if fin == x:
                out.add(ini + y)
            elif fin.endswith(x) and len(fin) > len(x) and x in ("n", "ng", "an", "ang", "en", "eng", "in", "ing"):
                out.add(ini + fin[: -len(x)] + y)
    out.discard(syllable)
    return out


@functools.lru_cache(maxsize=1)
def _zh_lexicon() -> tuple[tuple[str, ...], tuple[float, ...], dict[str, list[int]]]:
    """(characters, weights, syllable -> indices) over jieba's most frequent characters."""
    freq: dict[str, float] = {}
    path = Path(jieba.__file__).with_name("dict.txt")
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                continue
            for ch in parts[0]:
                if _HAN.match(ch):
                    freq[ch] = freq.get(ch, 0.0) + float(parts[1])
    chars = tuple(sorted(freq, key=lambda c: -freq[c])[:ZH_CHARS])
    weights = tuple(math.sqrt(freq[c]) for c in chars)
    by_syllable: dict[str, list[int]] = {}
    for i, ch in enumerate(chars):
        by_syllable.setdefault(_syllable(ch), []).append(i)
    return chars, weights, by_syllable


def _draw(rng: random.Random, indices: list[int], weights: tuple[float, ...], chars, avoid: str) -> str | None:
    pool = [i for i in indices if chars[i] != avoid]
    if not pool:
        return None
    return chars[rng.choices(pool, weights=[weights[i] for i in pool])[0]]


def _zh_substitute(rng: random.Random, ch: str) -> str:
    chars, weights, by_syllable = _zh_lexicon()
    if not _HAN.match(ch):
        return ch[::-1] if len(ch) > 1 else rng.choice("abcdefghijklmnopqrstuvwxyz0123456789".replace(ch, ""))
    syllable = _syllable(ch)
    kind = rng.choices([k for k, _ in ZH_SUB_MIX], weights=[w for _, w in ZH_SUB_MIX])[0]
    if kind == "same":
        got = _draw(rng, by_syllable.get(syllable, []), weights, chars, ch)
        if got:
            return got
        kind = "near"
    if kind == "near":
        near = [i for s in sorted(near_syllables(syllable)) for i in by_syllable.get(s, [])]
        got = _draw(rng, near, weights, chars, ch)
        if got:
            return got
    return _draw(rng, list(range(len(chars))), weights, chars, ch) or ch


@functools.lru_cache(maxsize=1)
def _jieba() -> jieba.Tokenizer:
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


# ------------------------------------------------------------------------------------------------ English


def sound_key(word: str) -> str:
    """A rough sound skeleton of an English word: digraphs folded, like consonants merged, vowel runs as one 'a'."""
    w = word.lower().replace("'", "")
    for a, b in (
        ("ph", "f"),
        ("ck", "k"),
        ("gh", ""),
        ("th", "t"),
        ("sh", "s"),
        ("ch", "k"),
        ("wh", "w"),
        ("kn", "n"),
        ("wr", "r"),
        ("qu", "kw"),
        ("x", "ks"),
        ("z", "s"),
        ("q", "k"),
        ("v", "f"),
        ("d", "t"),
        ("b", "p"),
        ("g", "k"),
    ):
        w = w.replace(a, b)
    w = re.sub(r"c(?=[eiy])", "s", w).replace("c", "k")
    if len(w) > 2 and w.endswith("e"):
        w = w[:-1]
    w = re.sub(r"(?<=[aeiou])w(?![aeiou])", "", w)
    w = re.sub(r"(?<=.)y", "a", w)
    w = re.sub(r"[aeiou]+", "a", w)
    return "".join(k for k, _ in itertools.groupby(w))


@functools.lru_cache(maxsize=64)
def _en_vocabulary(extra: frozenset[str]) -> tuple[tuple[str, ...], dict[str, list[str]]]:
    words = tuple(sorted(set(_EN_COMMON) | extra))
    by_key: dict[str, list[str]] = {}
    for w in words:
        by_key.setdefault(sound_key(w), []).append(w)
    return words, by_key


def _en_substitute(rng: random.Random, word: str, vocabulary: frozenset[str]) -> str:
    table = _EN_CONFUSIONS.get(word)
    if table and rng.random() < 0.7:
        return rng.choice(table)
    words, by_key = _en_vocabulary(vocabulary)
    key = sound_key(word)
    keys = sorted(by_key)
    # Words whose sound key is within edit distance 1 of this word's key.
    near = [w for k in keys if Levenshtein.distance(k, key) <= 1 for w in by_key[k] if w != word]
    close = [w for w in near if abs(len(w) - len(word)) <= 2]
    if close:
        return rng.choice(close)
    if table:
        return rng.choice(table)
    start = bisect.bisect_left(words, word)
    return words[min(len(words) - 1, max(0, start + rng.choice((-1, 1))))]


# ------------------------------------------------------------------------------------------------ perturb


def perturb(transcript: Transcript, rate: float, seed: int = 0) -> Transcript:
    """The transcript as a recogniser with error rate ``rate`` (0..1) might print it.

    Parameters
    ----------
    transcript : Transcript
        Clean transcript (``language`` "zh" or "en").
    rate : float
        Target character (zh) / word (en) error rate; exactly ``round(rate * units)`` edits are made.
    seed : int
        Same seed, rate and transcript give the same output.

    Returns
    -------
    Transcript
        Same turns, speakers and times; text lower-cased, without punctuation, Mandarin segmented by
        jieba with spaces between words; ``source`` is ``"simulated-asr"``.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be within 0..1, not {rate}")
    zh = transcript.language == "zh"
    rng = random.Random(f"asr-errors:{seed}:{rate:.4f}:{transcript.language}")
    per_turn = [units(t.text, transcript.language) for t in transcript.turns]
    flat = [(i, j) for i, us in enumerate(per_turn) for j in range(len(us))]
    count = min(len(flat), round(rate * len(flat)))
    edits = {
        pos: rng.choices([k for k, _ in EDIT_MIX], weights=[w for _, w in EDIT_MIX])[0]
        for pos in rng.sample(flat, count)
    }
    vocabulary = frozenset(w for us in per_turn for w in us) if not zh else frozenset()
    turns = []
    for i, (turn, us) in enumerate(zip(transcript.turns, per_turn)):
        out: list[str] = []
        for j, unit in enumerate(us):
            kind = edits.get((i, j))
            if kind == "del":
                continue
            if kind == "ins":
                out.append(rng.choice(_ZH_INSERTS) if zh else rng.choice(_EN_INSERTS))
                out.append(unit)
            elif kind == "sub":
                out.append(_zh_substitute(rng, unit) if zh else _en_substitute(rng, unit, vocabulary))
            else:
                out.append(unit)
        if zh:
            text = " ".join(w for w in _jieba().lcut("".join(out), HMM=True) if w.strip())
        else:
            text = " ".join(out)
        turns.append(replace(turn, text=text, simplified=text, words=()))
    return replace(transcript, turns=tuple(turns), source="simulated-asr")
