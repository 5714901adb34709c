"""Spoken and written numbers in a transcript's text: where each run of digits is and what it says.

A customer reads out a phone number, a card or an order code in many ways; this module finds each run of digits in a
text, whatever way it was said:

* Arabic digits (also full-width ０-９) and Chinese numerals (零〇洞 一幺 二两 三 四 五 六 七拐 八 九), a digit repeated
  by its count (两个零, 三个九);
* English digit words ("oh", "O" or "nought" for zero, Scots "wan", Caribbean and Irish "tree"), "double five",
  "triple two", and pairs inside a number ("nine-two-seven, fifty-one, oh-eight": a tens word after at least two
  digits; not a time, "two-thirty", and not a pair ending the number, so an amount or a date after one stays out);
* groups separated by spaces, dashes, dots, commas, 、, brackets, a pause written as dots or a hesitation (呃, "uh"),
  at most :data:`_GAP` such characters between two digits; a full stop before a capital ends a run ("…seven seven oh
  six. Oh nine twenty-seven" is a card, then its expiry).

Each run records whether Chinese numerals or English words were used and whether capital letters stand just before
it (YP3302…, "P G three three one": a parcel or order code). What a run is (a phone number, a card…) is
:mod:`callcoach.redact`'s to decide; the unanswered rule asks only whether a reply says a number
(:mod:`callcoach.rules.replies`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["DigitRun", "digit_runs", "runs"]

_CN_DIGITS = {
    "零": "0",
    "〇": "0",
    "○": "0",
    "洞": "0",
    "一": "1",
    "幺": "1",
    "壹": "1",
    "二": "2",
    "两": "2",
    "贰": "2",
    "三": "3",
    "叁": "3",
    "四": "4",
    "肆": "4",
    "五": "5",
    "伍": "5",
    "六": "6",
    "陆": "6",
    "七": "7",
    "拐": "7",
    "柒": "7",
    "八": "8",
    "捌": "8",
    "九": "9",
    "玖": "9",
}
_EN_DIGITS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    # Scots "wan" (one): "oh-seven-seven-oh-oh, nine-oh-oh, wan-two-three"
    "wan": "1",
    # Caribbean and Irish "tree" (three): "eight-seven-six, tree-oh-seven"; British "nought"
    "tree": "3",
    "nought": "0",
    "naught": "0",
}
#: Numbers said in pairs ("nine-two-seven, fifty-one, oh-eight"): a tens word is two digits, its unit joined by a
#: hyphen or a space ("fifty-one", "fifty one") or 0 ("twenty"). Only inside a number: not after a single digit (a
#: time, "two-thirty") and not ending one (an amount or a date after it: "…two-six-six, fifty pesos", "… oh six. Oh
#: nine twenty-seven").
#: A phone number's lengths, from a local number to one with its area code and a trunk 1 (North America 7 to 11): a
#: number whose trailing pairs make it one keeps them ("five-oh-four, eight-three-five, twelve, sixty" is 504 835 1260;
#: "two-seven-nine, forty-four, eighteen" 279 4418), one of a few digits does not ("two-six-six, fifty pesos").
_PHONE_WITH_PAIRS = (7, 11)
#: Teens said as a pair in a number ("…three-nine-two, seventy-one, fifteen"), under the same conditions as a tens word.
_EN_TEENS = {
    w: str(10 + i)
    for i, w in enumerate(
        ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
    )
}
_EN_TENS = {
    "twenty": "2",
    "thirty": "3",
    "forty": "4",
    "fifty": "5",
    "sixty": "6",
    "seventy": "7",
    "eighty": "8",
    "ninety": "9",
}
#: Mandarin says a digit repeated by its count: 两个零 (00), 三个九 (999), as English says "double", "triple".
_CN_COUNTS = {"两": 2, "二": 2, "三": 3, "四": 4}
_REPEAT = {"double": 2, "triple": 3}

#: Characters (and hesitations) allowed between two digits of one run, at most _GAP of them
#: (spaces not counted): "一三八，呃，零零一二" and "oh seven seven, uh, oh nine one" are one number, and so is one read
#: back with a pause written as an ellipsis (一三九五九……二八六七四一).
_SEPARATORS = set(" \t\u3000-–—－‐.,，、·()（）/…") | {"呃", "嗯", "额", "啊", "uh", "um", "er", "erm"}
_GAP = 4

_TOKEN = re.compile(r"[A-Za-z]+|.", re.DOTALL)
#: What follows a full stop that ends a sentence, not a pause inside a number ("one nine... nine seven"): a capital.
_SENTENCE_NEXT = re.compile(r"[ \t]+[A-Z]")
#: "oh" opening a run is a zero only when a digit word follows it with no pause: "oh seven seven…",
#: not "Oh, five five five…".
_DIGIT_WORD_NEXT = re.compile(r"[ \t-]+(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)\b", re.I)
#: "one" after one of these words is a pronoun, not a digit: "Call this one, zero seven one two, …" is a number of
#: ten digits, not eleven.
_ONE_AS_PRONOUN = re.compile(
    r"\b(?:this|that|the|which|each|every|any|no|another|other|little|big|new|old)[ \t]+$", re.I
)


def _digit(token: str) -> str | None:
    """The digit a one-character or one-word token stands for, else None."""
    if len(token) == 1:
        if token in _CN_DIGITS:
            return _CN_DIGITS[token]
        if token in "oO":
            return "0"  # the letter for zero: "O-five-four, double two…"
        if token.isdigit():
            try:
                return str(unicodedata.decimal(token))
            except ValueError:
                return None
        return None
    return _EN_DIGITS.get(token.lower())


@dataclass(frozen=True)
class DigitRun:
    """A run of digits in a text: where, which, and how they were written."""

    start: int
    end: int
    digits: str
    chinese: bool  # some digit was a Chinese numeral (一, 幺, 两…)
    english: bool  # some digit was an English word ("five", "oh")
    coded: bool  # right after a code's capital letters (YP3302…, "P G three three one"): a parcel or order code


#: Capital words that do not make the digits after them a code.
_NOT_CODES = {"I", "A", "OK", "ID"}
_CODE_BEFORE = re.compile(r"(?:^|[^A-Za-z])((?:[A-Z]{1,3}[ \t]?){1,2})$")
#: The same letters with a Mandarin pause before the digits (单号是 SY，八八四一…); two or three of them, not a
#: letter of a name spelt out ("P-E-A-R-C-E, 07700…" stays a phone number).
_CODE_PAUSED = re.compile(r"(?:^|[^A-Za-z-])([A-Z]{2,3})[ \t]?[，、][ \t]?$")


def _coded(text: str, start: int) -> bool:
    before = text[max(0, start - 8) : start]
    m = _CODE_BEFORE.search(before) or _CODE_PAUSED.search(before)
    return m is not None and not set(m.group(1).split()) <= _NOT_CODES


def runs(text: str) -> Iterable[DigitRun]:
    """Every run of spoken or written digits in ``text``."""
    run_start = -1
    digits: list[str] = []
    ends: list[int] = []  # where each of digits ends
    paired: list[int] = []  # indices in digits of the pairs said last (tens words)
    chinese = english = False
    gap = 0
    pending = 1  # "double"/"triple" before the next digit
    tens_at = -1  # where a tens word ("fifty") ended, its unit still to come ("-one")
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        value = _digit(token)
        lower = token.lower()
        if token not in ("-", " "):
            if value is not None and value != "0" and tens_at >= 0 and text[tens_at : m.start()] in ("-", " "):
                digits[-1] = digits[-1][0] + value  # "fifty-one": the unit of the tens word before
                tens_at, gap = -1, 0
                ends[-1] = m.end()
                continue
            tens_at = -1
            if value is None and lower in _EN_TENS and len("".join(digits)) >= 2 and pending == 1:
                value, tens_at = _EN_TENS[lower] + "0", m.end()
            elif value is None and lower in _EN_TEENS and len("".join(digits)) >= 2 and pending == 1:
                value, tens_at = _EN_TEENS[lower], m.end()
        if token == "个" and digits and pending == 1 and gap == 0 and text[m.start() - 1] in _CN_COUNTS:
            nxt = text[m.end() : m.end() + 1]
            if nxt and nxt in _CN_DIGITS:
                pending = _CN_COUNTS[text[m.start() - 1]]  # 三个九: the count before 个, not a digit
                digits[-1] = digits[-1][:-1]
                if not digits[-1]:
                    digits.pop()
                    ends.pop()
                continue
        if token.lower() in ("o", "oh") and not digits and not _DIGIT_WORD_NEXT.match(text, m.end()):
            value = None  # "Oh, five five five…" starts at the five
        if token.lower() == "one" and not digits and _ONE_AS_PRONOUN.search(text, max(0, m.start() - 12), m.start()):
            value = None  # "this one, zero seven…" starts at the zero
        if value is None and token.upper() in ("X", "叉") and len(digits) >= 5 and gap == 0:
            value = "X"  # the check character of an ID-card number (spoken 叉), or of its last six
        if value is not None:
            if run_start < 0:
                run_start = m.start()
            paired = paired + [len(digits)] if tens_at == m.end() else []  # the trailing pairs ("fifty-one")
            ends.append(m.end())
            digits.append(value * pending)
            chinese = chinese or token in _CN_DIGITS
            english = english or len(token) > 1 or token in "oO"
            pending, gap = 1, 0
            continue
        if token.lower() in _REPEAT and (digits or pending == 1):
            if run_start < 0:
                run_start = m.start()
            pending, gap, english = _REPEAT[token.lower()], 0, True
            continue
        if token == "." and text[m.start() - 1 : m.start()] != "." and _SENTENCE_NEXT.match(text, m.end()):
            pass  # a sentence ends: "…seven seven oh six. Oh nine twenty-seven." is a card, then its expiry date
        elif (digits or pending > 1) and token.lower() in _SEPARATORS and gap < _GAP:
            gap += not token.isspace()
            continue
        if digits:
            yield from _run(text, run_start, digits, ends, paired, chinese, english)
        run_start, digits, ends, paired, gap, pending, chinese, english = -1, [], [], [], 0, 1, False, False
    if digits:
        yield from _run(text, run_start, digits, ends, paired, chinese, english)


def _run(
    text: str, start: int, digits: list[str], ends: list[int], paired: list[int], chinese: bool, english: bool
) -> Iterable[DigitRun]:
    """The run of ``digits`` (each ending at ``ends``), without the pairs it ends with (:data:`_EN_TENS`) unless they
    make it a phone number's length (:data:`_PHONE_WITH_PAIRS`) it is short of without them."""
    if english and _PHONE_WITH_PAIRS[0] <= len("".join(digits)) <= _PHONE_WITH_PAIRS[1]:
        paired = []
    while paired and paired[-1] == len(digits) - 1:
        paired.pop()
        digits, ends = digits[:-1], ends[:-1]
    if digits:
        yield DigitRun(start, ends[-1], "".join(digits), chinese, english, _coded(text, start))


def digit_runs(text: str) -> list[str]:
    """The digits of every number ``text`` writes or reads out (028-86123456, 幺三八 一二三四, "oh-three, double
    five"), each as a string, in order."""
    return [run.digits for run in runs(text)]
