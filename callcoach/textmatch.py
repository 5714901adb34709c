"""Cue phrases found in recogniser output: fuzzy alignment by sound, gaps, alternatives, overlaps.

Vosk's small Mandarin model gets about one character in four wrong — mostly a
homophone (帮您 -> 帮宁), sometimes a near-homophone (么 -> 吗), a character
dropped (有什么可帮您) or added (我住不知道) — and writes no punctuation but
spaces between words; English comes out as lower-case words with sound-alike
mistakes ("how may a help you", "get afternoon"). A cue phrase from a pack is
therefore matched as a sequence of *units* (Mandarin: Han characters, read as
toneless pinyin; English: words, their 's left off but where it makes another word, as
:func:`callcoach.phonetics.match_unit` says; see :mod:`callcoach.textnorm`) and aligned
with the text by a weighted edit distance whose step costs come from
:mod:`callcoach.phonetics`:

* the same character or word costs 0 — a match with nothing else is "by
  characters" (``by="chars"``, English ``"words"``), confidence 1.0;
* a homophone (same pinyin) almost 0, a fold (zh/z, ch/c, sh/s, n/l,
  -ng/-n) 0.1 — only these: ``by="pinyin"``, confidence about 0.9;
* a near-homophone from the confusion table (f/h, r/l, e/o/a, i/ü, me/ma,
  wo/wu, nin/nan ...) 0.4, an English sound-alike word 0.3, a filler heard
  inside the phrase (嗯, 啊, 那个, "uh") 0.05, any other insertion, deletion
  or substitution 1.0 (English function words 0.6) — ``by="fuzzy"``;
* no phrase is heard by sound or with edits across the end of a sentence
  (a typed transcript's 。！？ or full stop: "suits you. Most people" says
  no "you must"; its own words still match across it: 什么？再说一遍！);
* a negation is never added, dropped or replaced (but for a homophone:
  不 written 部, "don't no" for "don't know"), nor one person for
  another (我知道 is not 我不知道; 你不知道 is not 我不知道), nor the 你 / "you"
  a phrase opens with dropped or replaced (您的注册手机号是多少 is not 你手机号多少,
  "they'll have to be" is not "you'll have to be").

A phrase of n units matches where the cheapest alignment costs at most
``phonetics.budget(n)`` and has at most ``phonetics.edits_allowed(n)`` steps
that are not same-sound swaps or fillers: one syllable or word matches only
itself (喂 is never the 为 of 因为; as the first word of a turn see
:func:`opening_word_by_sound`); two syllables allow homophones, folds, the table's
whole-syllable pairs (南好 is 您好, 几天 is not 几点) and a listed final with the initial
kept beside the other syllable heard as itself (咖能 is 可能; 仪器 is not 引起); three one
near-homophone; four or five one edit, six to nine two, ten or more three.
What is left must still say something (and, for an improper-phrase list,
``light_edges``: an English word lost, or replaced at a phrase's edge, must
be a function word or a pronoun): with a unit missing at least
:data:`callcoach.alignment.MIN_UNITS_LEFT` (English ``MIN_WORDS_LEFT``), with one replaced
one more, and at most one unit missing at the phrase's edges. Short matches
by sound (three syllables or fewer) must also start and end on word
boundaries (jieba's dictionary, :func:`callcoach.textnorm.word_bounds`), so
手机号码 does not contain 几号.

``confidence`` = 1.0 for the exact characters, else ``0.9 - 0.6 * cost / n``
(so a homophone match of any length is about 0.9 and the most a match may
differ lands near 0.65). Rules decide what they accept (``[matching]
min_confidence`` in the packs, default :data:`DEFAULT_MIN_CONFIDENCE`).

Where matches overlap, the one covering most phrase units (less its cost)
wins: 请问是什么原因 is "why" (什么原因), not "what" (是什么).

Phrase syntax in packs: ``…`` (or ``...``) is a gap of up to :data:`GAP_ZH`
Han characters / :data:`GAP_EN` English words; ``|`` separates alternatives
of one piece between gaps. ``还有…其他|别的|什么…帮|需要|问题|事`` matches
还有 then, within six characters, 其他, 别的 or 什么, then one of 帮, 需要,
问题, 事. Each alternative is matched (and fuzzily) on its own; a gapped
phrase's confidence is that of its weakest piece.

Candidate places are found with an Aho–Corasick automaton (pyahocorasick)
over runs of sound keys: a match with at most k edits keeps one of k + 1
pieces of the phrase intact, so only windows around such a piece are
aligned. Matching a 10-minute call with every rule's lists takes well under
a second (benchmarks/bench_matching.py).

Names (company, agent) are matched by :func:`callcoach.names.find_name`, more loosely still.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from . import phonetics
from .alignment import MIN_UNITS_LEFT, MIN_WORDS_LEFT
from .alignment import Hit as _Hit
from .alignment import align as _align
from .alignment import confidence as _confidence
from .textnorm import is_han, punctuated, simplify, tokens, word_bounds

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "GAP_EN",
    "GAP_ZH",
    "CueSet",
    "Match",
    "PreparedText",
    "after_added_word",
    "at_opening",
    "cue_set",
    "opening_word_by_sound",
    "prepared_text",
]

#: Longest gap ``…`` stands for: Han characters (Mandarin) / words (English).
GAP_ZH = 6
GAP_EN = 3
#: Confidence a rule accepts unless its pack says otherwise (every match within the budget passes it).
DEFAULT_MIN_CONFIDENCE = 0.5


#: A sentence ends inside a stretch of text (a typed transcript's 。！？ or a full stop before a space): no phrase
#: is heard across it by sound or with edits (its own words across it still count: 什么？再说一遍！).
_SENTENCE_END = re.compile(r"[。！？!?]|\.\s")
#: A clause ends inside a stretch of Mandarin text (a typed transcript's ，、；：): no phrase is heard across it with
#: edits (腱子炖着吃好，肋条 is no 这次听好了); by sound alone (homophones) or its own characters it still is.
_CLAUSE_MARK_ZH = re.compile(r"[，、；：]")
_GAP = re.compile(r"\s*(?:…+|\.\.\.)\s*")


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
        The words heard there, as written (may differ from ``phrase``).
    by : {"chars", "words", "pinyin", "fuzzy", "spelling", "pickup"}
        ``chars`` / ``words``: exactly the phrase's characters or words;
        ``pinyin``: the same sounds (homophones, folds); ``fuzzy``: near
        sounds, fillers or edits; ``spelling``: an English name spelled
        nearly alike (:func:`callcoach.names.find_name`); ``pickup``: the agent's one-word
        first turn, whatever the word (:func:`callcoach.rules.wording.pickup_word`).
    confidence : float
        1.0 for the exact phrase, lower the more the words heard differ (0..1).
    """

    phrase: str
    start: int
    end: int
    matched_text: str
    by: str
    confidence: float = 1.0


# --------------------------------------------------------------------------------------------------------------
# Symbols: every distinct unit and sound key of a compiled phrase gets one character (Unicode's private planes),
# so runs of them are plain strings for the Aho-Corasick automaton. A text's units that no phrase has share one
# symbol that matches nothing, so the table grows with the packs, not with every word ever heard.

_SYMBOLS: dict[str, str] = {}
_UNKNOWN = "\x00"


def _symbol(name: str) -> str:
    got = _SYMBOLS.get(name)
    if got is None:
        got = _SYMBOLS[name] = chr(0xF0000 + len(_SYMBOLS))
    return got


class PreparedText:
    """A text prepared for matching: its tokens, filler marks, and symbol strings for candidate search."""

    def __init__(self, text: str, language: str):
        self.text = text
        self.language = language
        self.toks = tokens(text, language)
        self.units = [phonetics.match_unit(t.text, language) for t in self.toks]
        self.filler = _filler_marks(self.units, language)
        seen = _SYMBOLS.get
        self.exact = "".join(seen("u:" + u, _UNKNOWN) for u in self.units)
        keep = [i for i, f in enumerate(self.filler) if not f]
        self.keys = "".join(seen("k:" + phonetics.sound_key(self.units[i], language), _UNKNOWN) for i in keep)
        self.key_token = keep
        self._bounds: set[int] | None = None

    @property
    def solid(self) -> list:
        """The tokens that are no filler (嗯, 那个, "uh"), in order."""
        return [self.toks[i] for i in self.key_token]

    @property
    def bounds(self) -> set[int]:
        if self._bounds is None:
            self._bounds = word_bounds(self.text)
        return self._bounds


def _filler_marks(units: list[str], language: str) -> list[bool]:
    marks = [False] * len(units)
    fillers = phonetics.fillers(language)
    for i in range(len(units)):
        for filler in fillers:
            if tuple(units[i : i + len(filler)]) == filler:
                for j in range(i, i + len(filler)):
                    marks[j] = True
    return marks


@lru_cache(maxsize=4096)
def _prepare(text: str, language: str, symbols: int = 0) -> PreparedText:
    """The prepared text, cached; ``symbols`` (the size of the symbol table) renews it when new phrases compile."""
    return PreparedText(text, language)


def prepared_text(text: str, language: str) -> PreparedText:
    """``text`` prepared for matching (tokens, fillers, sound keys), cached while no new phrase compiles."""
    return _prepare(text, language, len(_SYMBOLS))


# --------------------------------------------------------------------------------------------------------------
# Compiled phrases


@dataclass(frozen=True)
class _Atom:
    """One alternative of one piece of a phrase: a run of units matched as a whole."""

    units: tuple[str, ...]
    fuzzy: bool
    limit: float
    max_edits: int


def _atom(text: str, language: str, by_sound: bool) -> _Atom | None:
    units = tuple(phonetics.match_unit(t.text, language) for t in tokens(text, language))
    if not units:
        return None
    n = len(units)
    solid = [u for u, f in zip(units, _filler_marks(list(units), language)) if not f]
    fuzzy = by_sound and n >= 2 and bool(solid)
    return _Atom(
        units,
        fuzzy,
        phonetics.budget(n, language) if fuzzy else 0.0,
        phonetics.edits_allowed(n, language) if fuzzy else 0,
    )


def _seeds(atom: _Atom, language: str) -> list[tuple[str, int, int]]:
    """Runs of the atom's sound keys (fillers left out), one of which any match keeps intact: (keys, offset, length)."""
    marks = _filler_marks(list(atom.units), language)
    solid = [(i, u) for i, (u, f) in enumerate(zip(atom.units, marks)) if not f]
    if language == "zh" and len(atom.units) == 2 and len(solid) == 2:
        # two syllables swap one only for a listed whole-syllable partner or final: seed the pair and its variants
        # rather than each syllable alone (far fewer places to align)
        keys = [
            [phonetics.sound_key(u, language)]
            + [phonetics.fold(p) for p in phonetics.listed_partners(u)]
            + list(phonetics.final_partners(u))
            for _, u in solid
        ]
        variants = {(a, keys[1][0]) for a in keys[0]} | {(keys[0][0], b) for b in keys[1]}
        span = solid[1][0] - solid[0][0] + 1
        return [("".join(_symbol("k:" + k) for k in pair), solid[0][0], span) for pair in sorted(variants)]
    pieces = min(len(solid), atom.max_edits + 1)
    out: list[tuple[str, int, int]] = []
    size, extra = divmod(len(solid), pieces)
    at = 0
    for p in range(pieces):
        length = size + (1 if p < extra else 0)
        run = solid[at : at + length]
        sound = "".join(_symbol("k:" + phonetics.sound_key(u, language)) for _, u in run)
        out.append((sound, run[0][0], run[-1][0] - run[0][0] + 1))
        at += length
    return out


class CueSet:
    """A compiled list of cue phrases for one language.

    Parameters
    ----------
    phrases : iterable of str
        Phrases as written in a pack; ``…`` marks a short gap, ``|`` separates alternatives.
    language : {"zh", "en"}
    by_pinyin : bool
        Also match phrases of two or more units by sound and with small edits
        (Mandarin pinyin, English sound-alike words). False: exact characters
        or words only (for short phrases whose homophones are ordinary words).
    min_confidence : float
        Matches below this confidence are not reported (nor do they mask others).
    light_edges : bool
        English: a word missing anywhere in a phrase, or replaced at its edges,
        must be a function word or a pronoun — "do you want me to" is not "what
        do you want", "that's not my department" not "that's not my job", "that
        doesn't happen" not "that doesn't usually happen". For lists whose false
        match accuses the agent (improper phrases).
    """

    def __init__(
        self,
        phrases: Iterable[str],
        language: str,
        by_pinyin: bool = True,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        *,
        light_edges: bool = False,
    ):
        import ahocorasick

        self.language = language
        self.min_confidence = float(min_confidence)
        self.light_edges = light_edges and language != "zh"
        self.phrases = [p for p in dict.fromkeys(phrases) if p and p.strip()]
        self._atoms: list[_Atom] = []
        atom_index: dict[_Atom, int] = {}
        self._compiled: list[tuple[str, list[list[int]], int]] = []  # phrase, pieces of atom ids, units
        for phrase in self.phrases:
            pieces = []
            for piece in _GAP.split(phrase):
                alternatives = []
                for alt in piece.split("|"):
                    # a phrase reads as the text does (textnorm.simplify: 我哪晓得 is 我哪知道), and as said, for a
                    # dialect word the recogniser heard with an error, which the text keeps (啥 子 四 for 啥子事)
                    forms = dict.fromkeys([alt, simplify(alt)] if language == "zh" else [alt])
                    for form in forms:
                        atom = _atom(form, language, by_pinyin)
                        if atom is None:
                            continue
                        if atom not in atom_index:
                            atom_index[atom] = len(self._atoms)
                            self._atoms.append(atom)
                        alternatives.append(atom_index[atom])
                if alternatives:
                    pieces.append(alternatives)
            if pieces:
                units = sum(min(len(self._atoms[a].units) for a in piece) for piece in pieces)
                self._compiled.append((phrase, pieces, units))
        self._exact = ahocorasick.Automaton()
        self._fuzzy = ahocorasick.Automaton()
        exact_keys: dict[str, list[int]] = {}
        seed_keys: dict[str, list[tuple[int, int, int]]] = {}
        for i, atom in enumerate(self._atoms):
            if atom.fuzzy:
                for keys, offset, length in _seeds(atom, language):
                    seed_keys.setdefault(keys, []).append((i, offset, length))
            else:
                exact_keys.setdefault("".join(_symbol("u:" + u) for u in atom.units), []).append(i)
        for key, ids in exact_keys.items():
            self._exact.add_word(key, (len(key), ids))
        for key, seeds in seed_keys.items():
            self._fuzzy.add_word(key, (len(key), seeds))
        self._has_exact = bool(exact_keys)
        self._has_fuzzy = bool(seed_keys)
        if self._has_exact:
            self._exact.make_automaton()
        if self._has_fuzzy:
            self._fuzzy.make_automaton()

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def _atom_hits(self, text: PreparedText) -> dict[int, list[_Hit]]:
        found: dict[int, list[_Hit]] = {}
        exact_by = "chars" if self.language == "zh" else "words"
        if self._has_exact:
            for end, (length, ids) in self._exact.iter(text.exact):
                for i in ids:
                    found.setdefault(i, []).append(_Hit(end - length + 1, end, 0.0, 0, exact_by))
        if not self._has_fuzzy:
            return found
        windows: dict[int, list[tuple[int, int]]] = {}
        count = len(text.units)
        for end, (length, seeds) in self._fuzzy.iter(text.keys):
            first_tok = text.key_token[end - length + 1]
            last_tok = text.key_token[end]
            for i, offset, span in seeds:
                atom = self._atoms[i]
                slack = atom.max_edits + 2
                lo = max(0, first_tok - offset - slack)
                hi = min(count, last_tok + (len(atom.units) - offset - span) + slack + 1)
                windows.setdefault(i, []).append((lo, hi))
        for i, spans in windows.items():
            atom = self._atoms[i]
            spans.sort()
            merged = [list(spans[0])]
            for lo, hi in spans[1:]:
                if lo <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], hi)
                else:
                    merged.append([lo, hi])
            for lo, hi in merged:
                for hit in _align(
                    atom.units,
                    text,
                    lo,
                    hi,
                    self.language,
                    atom.limit,
                    atom.max_edits,
                    min_left=MIN_UNITS_LEFT if self.language == "zh" else MIN_WORDS_LEFT,
                    light_edges=self.light_edges,
                ):
                    # heard on three syllables or fewer (我 不道 for 我不知道 too): on jieba's word boundaries
                    short_by_sound = (
                        self.language == "zh"
                        and hit.by != "chars"
                        and min(len(atom.units), hit.last - hit.first + 1) <= 3
                    )
                    if short_by_sound and (
                        text.toks[hit.first].start not in text.bounds or text.toks[hit.last].end not in text.bounds
                    ):
                        continue
                    found.setdefault(i, []).append(hit)
        return found

    def find(self, text: str) -> list[Match]:
        """Every phrase found in ``text`` at or above ``min_confidence``: sorted by position, not overlapping."""
        if not text or not self.phrases:
            return []
        if self.language == "zh":
            simple = simplify(text)
            text = simple if len(simple) == len(text) else text
        prepared = prepared_text(text, self.language)
        if not prepared.toks:
            return []
        hits = self._atom_hits(prepared)
        if not hits:
            return []
        gap = GAP_ZH if self.language == "zh" else GAP_EN
        candidates: list[tuple[float, float, int, int, str, str]] = []  # score, confidence, first, last, phrase, by
        for phrase, pieces, units in self._compiled:
            for first, last, conf, by in _chain(pieces, hits, self._atoms, gap):
                if conf >= self.min_confidence:
                    candidates.append((units * conf, conf, first, last, phrase, by))
        # Most phrase units (weighed by confidence) first, then the more certain, then leftmost: 什么原因 (why)
        # claims its characters before 是什么 (what) can, and 几号楼 (where) before 几号 (when).
        candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
        taken = [False] * len(prepared.toks)
        chosen: list[Match] = []
        toks = prepared.toks
        for _, conf, first, last, phrase, by in candidates:
            span = (toks[first].start, toks[last].end)
            if (
                any(taken[first : last + 1])
                or (by not in ("chars", "words") and _SENTENCE_END.search(text, *span))
                or (by == "fuzzy" and self.language == "zh" and _CLAUSE_MARK_ZH.search(text, *span))
                or (_GAP.search(phrase) and _SENTENCE_END.search(text, *span))
            ):
                # "whichever way suits you. Most people …" says no "you must"; "什么？再说一遍！" is itself; a gap
                # stays inside its sentence (你那个单子。单子号多少 says no 你…号多少)
                continue
            taken[first : last + 1] = [True] * (last + 1 - first)
            start, end = toks[first].start, toks[last].end
            chosen.append(Match(phrase, start, end, text[start:end], by, conf))
        chosen.sort(key=lambda m: m.start)
        return chosen

    def search(self, text: str) -> Match | None:
        """The first match in ``text``, or None."""
        found = self.find(text)
        return found[0] if found else None


_BY_RANK = {"chars": 0, "words": 0, "pinyin": 1, "fuzzy": 2}


def _chain(pieces: list[list[int]], hits: dict[int, list[_Hit]], atoms: list[_Atom], gap: int):
    """Matches of a phrase: one hit of each piece in order, each within ``gap`` units of the one before."""
    per_piece = []
    for piece in pieces:
        got = sorted(
            (h.first, h.last, _confidence(h.cost, len(atoms[a].units)), h.by) for a in piece for h in hits.get(a, ())
        )
        if not got:
            return []
        per_piece.append(got)
    out = []
    for first, last, conf, by in per_piece[0]:
        end, worst, how = last, conf, by
        for got in per_piece[1:]:
            nxt = next((g for g in got if end < g[0] <= end + gap + 1), None)
            if nxt is None:
                break
            end, worst = nxt[1], min(worst, nxt[2])
            how = max(how, nxt[3], key=_BY_RANK.__getitem__)
        else:
            out.append((first, end, worst, how))
    return out


@lru_cache(maxsize=1024)
def _cue_set(
    phrases: tuple[str, ...], language: str, by_pinyin: bool, min_confidence: float, light_edges: bool
) -> CueSet:
    return CueSet(phrases, language, by_pinyin, min_confidence, light_edges=light_edges)


def cue_set(
    phrases: Iterable[str],
    language: str,
    by_pinyin: bool = True,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    light_edges: bool = False,
) -> CueSet:
    """A :class:`CueSet`, compiled once per process for the same phrases (packs are reused call after call)."""
    return _cue_set(tuple(phrases), language, by_pinyin, float(min_confidence), light_edges)


def at_opening(text: str, offset: int, language: str) -> bool:
    """Whether only filler words, punctuation and spaces come before ``offset`` in ``text``.

    嗯，喂？ and "uh, hello?" open with 喂 / "hello": a rule that wants a cue at
    the very start of a turn accepts it after fillers.
    """
    prepared = prepared_text(text, language)
    return all(f for t, f in zip(prepared.toks, prepared.filler) if t.start < offset)


def after_added_word(text: str, language: str, max_words: int) -> int | None:
    """Where the second word of an English recogniser's turn starts, when the turn is unpunctuated, has two to
    ``max_words`` words (fillers aside) and its first is a function word or pronoun — one the recogniser may
    have added before the opening ("i yep" for "Yep?"); else None (always for Mandarin, or ``max_words`` 0)."""
    if language != "en" or max_words < 2 or punctuated(text):
        return None
    words = prepared_text(text, "en").solid
    if not 2 <= len(words) <= max_words or not phonetics.is_light(words[0].text.lower(), "en"):
        return None
    return words[1].start


def opening_word_by_sound(text: str, phrases: Iterable[str], language: str) -> Match | None:
    """A one-syllable cue (喂) heard as another character of its sound, standing as a word at the opening.

    One syllable alone never matches by sound inside a turn (为 is not 喂 in 因为), but the first word of
    an agent's first turn is a different place: 维 什么 or 位？ there is 喂 misheard. Mandarin only; the
    word must be the first after fillers, one character on jieba's word boundaries (维修 is no 喂), sound
    like the cue (a homophone or fold: ``by="pinyin"``; a near-homophone of the confusion table:
    ``"fuzzy"``), and not be followed by a person (为您服务 opens many good greetings) other than in a
    greeting (位 你好 is 喂 before the greeting). English short
    words share sound keys too often ("hell", "hole", "hall" for "hello") and are not matched this way.
    """
    if language != "zh" or not text:
        return None
    singles = [p for p in phrases if len(p) == 1 and is_han(p)]
    if not singles:
        return None
    prepared = prepared_text(text, language)
    solid = [i for i, f in enumerate(prepared.filler) if not f]
    if not solid:
        return None
    tok = prepared.toks[solid[0]]
    if not is_han(tok.text) or tok.start not in prepared.bounds or tok.end not in prepared.bounds:
        return None
    after = [prepared.units[i] for i in solid[1:3]]
    if after and phonetics.is_person(after[0], language) and after[1:] != ["好"]:
        return None  # 为您服务, 为你办理; 位 你好 is still 喂 before the greeting
    cost, phrase = min((phonetics.unit_cost(p, tok.text, language), p) for p in singles)
    if cost > phonetics.costs().near:
        return None
    by = "chars" if cost == 0 else ("pinyin" if cost <= phonetics.costs().fold else "fuzzy")
    return Match(phrase, tok.start, tok.end, text[tok.start : tok.end], by, _confidence(cost, 1))
