"""Aligning a phrase with the words heard: a weighted, semi-global edit distance with guards.

:func:`align` finds where a phrase's units (Han characters or English words)
align with a stretch of a prepared text within a cost and an edit budget,
pricing each step with :mod:`callcoach.phonetics`, and traces each alignment
back to count edits, trim edge substitutions and refuse matches that say too
little (see :mod:`callcoach.textmatch` for the rules). Pure Python: it runs
only on the short candidate windows the Aho–Corasick search finds.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import phonetics
from .phonetics import FORBIDDEN

__all__ = ["MIN_UNITS_LEFT", "MIN_WORDS_LEFT", "Hit", "align", "confidence"]

#: A phrase may have units missing or replaced by another sound only if this many are still heard.
MIN_UNITS_LEFT = 4
#: The same for English words.
MIN_WORDS_LEFT = 3


@dataclass(frozen=True)
class Hit:
    first: int  # token index
    last: int
    cost: float
    edits: int
    by: str


def _other_said(units: tuple[str, ...] | list[str], i: int, have: list[str], j: int) -> bool:
    """Two syllables: whether the phrase's other syllable is heard as itself right beside text unit ``j - 1``."""
    if i == 1:
        return j < len(have) and have[j] == units[1]
    return j >= 2 and have[j - 2] == units[0]


def align(
    units: tuple[str, ...],
    text,
    lo: int,
    hi: int,
    language: str,
    limit: float,
    max_edits: int,
    *,
    no_deletes: bool = False,
    no_substitutes: bool = False,
    min_left: int = MIN_UNITS_LEFT,
    max_edge_drops: int = 1,
    edge_penalty: int | None = None,
    light_edges: bool = False,
) -> list[Hit]:
    """Places in ``text.units[lo:hi]`` where ``units`` align within ``limit`` cost and ``max_edits`` edits.

    ``text`` is a prepared text (``units``: its tokens' texts, ``filler``: one flag per unit).

    Semi-global weighted edit distance (the phrase whole, the text any
    stretch), with a traceback to count edits and trim edge substitutions.
    ``light_edges``: English, a word missing anywhere in the phrase, or
    replaced at its edges, must be a light one (:func:`callcoach.phonetics.is_light`).
    """
    n = hi - lo
    m = len(units)
    if n <= 0:
        return []
    have = text.units[lo:hi]
    fill = text.filler[lo:hi]
    key_of = phonetics.sound_key
    cost_of = phonetics.unit_cost
    clash = phonetics.persons_clash
    # a short English phrase swaps only longer words for sound-alikes: "get afternoon", not "see what" for "say what"
    short_words = language == "en" and m <= 3
    # two syllables swap one only for a listed whole-syllable confusion (南好 is 您好, but 几天 is not 几点: d/t) or
    # for a listed final beside the other said as itself (咖能 is 可能; 仪器 is not 引起)
    two_syllables = language == "zh" and m == 2
    near = phonetics.costs().near
    split = language == "en"
    if edge_penalty is None:
        # Mandarin: a unit lost at the edge of a phrase leaves a common tail (号为您服务 less 号 is 为您服务, said
        # in every 很高兴为您服务), so it needs one unit more left; English: "now may i help" is still the offer
        edge_penalty = 1 if language == "zh" else 0
    ins = [phonetics.insert_cost(u, language, f) for u, f in zip(have, fill)]
    # rows: D[i][j] cost of phrase[:i] ending at text j; B[i][j] backpointer 0 diag, 1 up (delete), 2 left (insert),
    # 3 two text words for one phrase word
    prev = [0.0] * (n + 1)
    rows_b = [[2] * (n + 1)]
    for i in range(1, m + 1):
        a = units[i - 1]
        # a phrase that opens with 你 / "you" is about the listener: without it, it is another phrase (你手机号多少
        # is rude, 您的手机号是多少 is not)
        opens_you = i == 1 and m >= 2 and phonetics.is_second_person(a, language)
        dele = FORBIDDEN if no_deletes or opens_you else phonetics.delete_cost(a, language)
        guarded = phonetics.is_person(a, language)  # not dropped next to another person: 你不知道 is not 我不知道
        cur = [prev[0] + dele] + [0.0] * n
        back = [1] + [0] * n
        for j in range(1, n + 1):
            sub = cost_of(a, have[j - 1], language)
            if (
                (no_substitutes and sub >= 1.0)
                or (sub > 0 and short_words and len(a) < 4 and not phonetics.negation_homophones(a, have[j - 1]))
                or (
                    two_syllables
                    and near <= sub < 1.0
                    and not phonetics.listed_pair(a, have[j - 1])
                    and not (phonetics.swaps_final_only(a, have[j - 1]) and _other_said(units, i, have, j))
                )
            ):
                sub = FORBIDDEN
            best, how = prev[j - 1] + sub, 0
            left = cur[j - 1] + ins[j - 1]
            if left < best or (left == best and sub >= 1.0):  # keep the phrase's words heard: 我住不知道
                best, how = left, 2
            if split and j >= 2:  # "call in" heard for "calling": one word as two
                two = cost_of(a, have[j - 2] + have[j - 1], language)
                if two < 1.0 and prev[j - 2] + two < best:
                    best, how = prev[j - 2] + two, 3
            up = prev[j] + dele
            if up < best and not (
                guarded and (clash(a, have[j - 1], language) or (j < n and clash(a, have[j], language)))
            ):
                best, how = up, 1
            cur[j] = best
            back[j] = how
        rows_b.append(back)
        prev = cur
        if min(cur) > limit:
            return []
    ends = sorted((c, j) for j, c in enumerate(prev) if j > 0 and c <= limit)
    hits: list[Hit] = []
    used: list[tuple[int, int]] = []
    for cost, j in ends:
        # trace back, collecting the steps in phrase order: ("s", first text index, cost, last text index) for a
        # unit heard (as one word or, in English, two), ("d",) for a unit not heard
        i, k, edits, exact, sound = m, j, 0, True, True
        ops: list[tuple] = []
        while i > 0:
            how = rows_b[i][k]
            if how in (0, 3):
                width = 1 if how == 0 else 2
                a, b = units[i - 1], "".join(have[k - width : k])
                c = cost_of(a, b, language)
                ops.append(("s", k - width, c, k - 1))
                if c > 0 or width > 1:
                    exact = False
                if c >= 1.0 or (c > 0 and language == "zh" and key_of(a, language) != key_of(b, language)):
                    edits += 1  # English words sounding or spelled alike ("tanks" for "thanks") are no edit
                    sound = False
                elif c > 0 and key_of(a, language) != key_of(b, language):
                    sound = False
                i, k = i - 1, k - width
            elif how == 1:
                ops.append(("d",))
                edits += 1
                exact = sound = False
                i -= 1
            else:
                if not fill[k - 1]:
                    edits += 1
                    sound = False
                exact = False
                k -= 1
        if edits > max_edits:
            continue
        ops.reverse()
        # an edge substitution by another sound is a unit not heard there: the words heard start and end on the
        # phrase's own; at most one unit may be missing at the edges (这是我们公司的 is not 这是我们公司的规定),
        # and with units missing what is left must still say something: four units at least (由于什么 less 于
        # is 有什么), five when one was replaced by another sound (你说错了 with 错 replaced is 你说完了,
        # 公司规定的 with 规 replaced is 公司指定的)
        kept = [n for n, op in enumerate(ops) if op[0] == "s" and op[2] < 1.0]
        if not kept:
            continue
        if kept[0] and m >= 2 and phonetics.is_second_person(units[0], language):
            continue  # the 你 / "you" a phrase opens with is never lost ("they'll have to be" is no "you'll have to be")
        edge = kept[0] + (len(ops) - 1 - kept[-1])
        inner = ops[kept[0] : kept[-1] + 1]
        replaced = sum(1 for op in inner if op[0] == "s" and op[2] >= 1.0)
        lost = edge + replaced + sum(1 for op in inner if op[0] == "d")
        # one unit dropped inside a Mandarin phrase whose negation was heard still says the negative: 我 不道 is
        # 我不知道 (the edges and 不 heard), where 由于什么 less 于 (no negation) is the everyday 有什么
        negative_kept = (
            language == "zh"
            and lost == 1
            and not edge
            and not replaced
            and m - 1 >= min_left - 1
            and any(phonetics.is_negation(units[n], language) for n in kept)
        )
        # English: a word missing, or replaced at an edge, must be a light one ("how may i help" for "how may i
        # help you"); a content word lost leaves another phrase ("that's not my department" is not "that's not my
        # job", "do you want me to" is not "what do you want", "that doesn't happen" not "… usually happen")
        heavy_edge = light_edges and any(
            not phonetics.is_light(units[n], language)
            for n in (*range(kept[0]), *range(kept[-1] + 1, m), *(k for k, op in enumerate(ops) if op[0] == "d"))
        )
        if (
            heavy_edge
            or edge > max_edge_drops
            or (lost and m - lost < min_left and not negative_kept)
            or (replaced and m - lost < min_left + 1)
            or (edge and m - lost < min_left + edge_penalty)
        ):
            continue
        first, last = lo + ops[kept[0]][1], lo + ops[kept[-1]][3]
        if any(not (last < a or first > b) for a, b in used):
            continue
        used.append((first, last))
        by = (
            ("chars" if language == "zh" else "words")
            if exact
            else ("pinyin" if sound and language == "zh" else "fuzzy")
        )
        hits.append(Hit(first, last, 0.0 if exact else max(cost, 0.001), edits, by))
    return hits


def confidence(cost: float, units: int) -> float:
    if cost <= 0:
        return 1.0
    return round(max(0.0, 0.9 - 0.6 * cost / max(1, units)), 3)
