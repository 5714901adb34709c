"""Privacy stage: mask customers' personal data in what callcoach writes out.

Call recordings hold phone numbers, ID-card and bank-card numbers and e-mail
addresses, often spoken: 一三八 一二三四 五六七八, 幺三八…, "five five five, one
two three four". Reports are passed around among trainers, so ``--redact``
(or ``[privacy] redact = true`` in a pack) masks them in the transcript, the
findings, and so in the JSON, CSV and HTML made from it.

Masking runs on the finished scorecard document, after every check, so the
checks' results never depend on it. It works on text only:

* **digit runs** (:mod:`callcoach.spoken_numbers`): Arabic digits (also full-width ０-９), Chinese numerals
  (零〇洞 一幺 二两 三 四 五 六 七拐 八 九, 两个零), English digit words ("oh" for
  zero, "double five", "triple two", "fifty-one" inside a number); groups may be separated by spaces,
  dashes, dots, commas, 、, brackets or a hesitation (呃, "uh"). A run is
  masked when it forms

  - ``id_card``: 18 characters with a valid GB 11643 check character (last may be X);
  - ``bank_card``: 16-19 digits passing the Luhn check; 15-19 digits that do not (a card number heard with a
    digit wrong) unless a cue of kind ``other`` comes before them (订单号…: an order number), as ``id_card`` when
    they are 18 with a date of birth where an ID-card number has it;
  - ``phone``: a Chinese mobile number (11 digits, ``1[3-9]…``, optional 86
    prefix), a landline with its area code (0 + 9-11 digits), a local
    number (7-8 digits not starting with 0 or 1, not a YYYYMMDD date; 7 in
    English words), or a North-American number (10 digits, optional leading
    1; not in Chinese numerals); a mobile number in spoken Chinese numerals
    cut off before its eleventh digit (一三九一七七五……) too, unless a cue of
    kind ``other`` comes before it;

  unless capital letters come just before it (YP3302…, "P G three three
  one", or two or three after a Mandarin pause: SY，八八四一零六七三): that is a
  parcel, order or booking code. A run of 4 or more digits (3 for a password)
  that forms none of these is still masked when a cue word of the pack's
  ``[privacy.cues]`` comes shortly before it (in the turn, or at the end of
  the turn before when the digits open the turn): 身份证号是三七零一零二一九八八…
  (cut off) as ``id_card``, 密码是八八六六二一 as ``password``, 学号二零二二一零三四五 as
  ``account`` (a member's, student's or customer's own number); the nearest
  cue wins, and cues of kind ``other`` (工号, 订单…) keep the number;

* ``email``: ``name@host.tld``, also spoken "name at host dot com";
* ``pattern``: a trainer's own regular expressions (``[privacy] patterns``).

A number masked once is masked wherever its digits are said again in the call (a read-back in other words), and so
is a run of five or more digits that is part of one; a false start before a repair or a pause is the same number's.

Limits: names and street addresses are not recognised (a pack pattern can
add known forms); numbers split across two turns or interrupted by other words
("一三八，你记一下，一二三四…") are not joined unless read back whole; amounts said with 千/百/万 are not
digit runs and are kept. A number under 7 digits is masked only after a cue.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .spoken_numbers import DigitRun, digit_runs, runs

__all__ = [
    "KINDS",
    "Redaction",
    "digit_runs",
    "find_personal_data",
    "mask_text",
    "redact_scorecard",
    "redact_transcript",
]

#: Kinds of personal data, as named in the JSON's ``redactions``.
KINDS = ("phone", "id_card", "bank_card", "email", "password", "account", "pattern")

_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
#: A number said in an e-mail's name part ("megan dot ruiz eighty-eight at …").
_SPOKEN_NUMBER = (
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|double|"
    r"triple)(?:-[a-z]+)?|\d+"
)
#: Mail services a spoken address may end with and no "dot com" ("gemma dot hollis at gmail").
_WEBMAIL = ("gmail", "googlemail", "hotmail", "outlook", "yahoo", "icloud", "btinternet", "aol", "qq", "foxmail")
_SPOKEN_EMAIL = re.compile(
    r"\b[A-Za-z0-9][A-Za-z0-9._-]*(?:\s+(?:dot|underscore|dash|hyphen)\s+[A-Za-z0-9_-]+)*"
    rf"(?:\s+(?:{_SPOKEN_NUMBER}))*"
    r"\s+at\s+(?:[A-Za-z0-9-]+(?:\s+dot\s+[A-Za-z0-9-]+)*"
    r"\s+dot\s+(?:com|cn|net|org|edu|gov|co|uk|io)\b"
    rf"|(?:{'|'.join(_WEBMAIL)})\b)",
    re.IGNORECASE,
)

#: Spoken Chinese numerals that open a mobile number (1[3-9]…) but stop short of its 11 digits, or say one too many
#: (一三九三四，零二七，六八一五): still a phone.
_MOBILE_START = re.compile(r"1[3-9]\d{5,8}|1[3-9]\d{10}")
#: A number said again or put right after a repair ("eight one two three, four five, uh sorry, four six five seven",
#: 一三九，零三五……不对不对，一三九三四…), or gone on with after a pause (幺三八，四七二幺，嗯，三三……三三零拐): a run of
#: at least :data:`CODE_MIN_DIGITS` digits this close after a masked number, with one of these words (or a pause written
#: as dots) between them and no sentence's end, is masked as that number.
_REPAIRS = re.compile(r"\b(?:sorry|i mean|no,? wait|wait,? no|hang on)\b|不对|不是|说错|错了|…|\.\.\.", re.I)
REPAIR_REACH = 32
#: Repairs that put the digits just said right ("wait, no"), not a pause or an apology going on with the number.
_CORRECTIONS = re.compile(r"\b(?:no,? wait|wait,? no|i mean)\b", re.I)
#: Lengths of a payment card number (Amex 15, most 16, some up to 19): a run of them with no cue of kind ``other``
#: (订单号, "order number") before it is masked as a card even when it fails the Luhn check, as a card number heard
#: with one digit wrong does.
_CARD_LENGTHS = (15, 19)
#: A run of at least this many digits is masked when a cue word (``[privacy.cues]``) comes shortly before it,
#: even if it forms no whole number (a partial ID-card number, a password, an account number).
CUE_MIN_DIGITS = 4
#: A run of at least this many digits that is part of a number masked elsewhere in the call is masked as that number:
#: "oh one eight two three, that's Taunton, then, um, double three, two, oh nine one" read back whole.
KNOWN_PART_DIGITS = 5
#: A run of at least KNOWN_PART_DIGITS digits whose first this many are the first of a longer number masked elsewhere in
#: the call is a false start of that number, masked as it.
KNOWN_START_DIGITS = 6
#: A password or a card's security code may be shorter: "the three numbers on the back are one one four".
CODE_MIN_DIGITS = 3
#: How far before the digits a cue word may end, in characters; a run that opens a turn may also take
#: its cue from the end of the turn before (客服：…身份证号码的后六位。 客户：幺二零零三叉。).
CUE_REACH = 12
_CUE_OPENS_TURN = 4
#: English digits may open a turn after a short lead and still answer the turn before ("May I have your mobile
#: number, please?" — "Ya, it's nine eight four five…"): characters.
_CUE_OPENS_TURN_EN = 12
#: A Mandarin sentence's end between a cue word and the digits: the cue was about something else.
_CUE_STOPS = re.compile("[。！？；]")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Redaction:
    """One masked span of a text: ``text[start:end]`` was personal data of ``kind``."""

    kind: str
    start: int
    end: int


def id_card_valid(number: str) -> bool:
    """GB 11643-1999 check character of an 18-character resident ID number."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_valid(number: str) -> bool:
    """The Luhn (mod 10) check of bank-card numbers."""
    if not number.isdigit():
        return False
    total = 0
    for i, d in enumerate(reversed(number)):
        n = int(d)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _date_like(digits: str) -> bool:
    """YYYYMMDD from 1900 to 2099: a date or a date-based order number, not a phone number."""
    return (
        len(digits) == 8 and digits[:2] in ("19", "20") and 1 <= int(digits[4:6]) <= 12 and 1 <= int(digits[6:8]) <= 31
    )


def _classify(run: DigitRun) -> str | None:
    """The kind of personal number a run forms, or None."""
    digits = run.digits
    if len(digits) == 18 and id_card_valid(digits):
        return "id_card"
    if not digits.isdigit():
        return None
    n = len(digits)
    if 16 <= n <= 19 and luhn_valid(digits):
        return "bank_card"
    if run.coded:
        return None
    if digits.startswith("86") and n == 13:
        digits, n = digits[2:], 11
    if n == 11 and re.match(r"1[3-9]", digits):
        return "phone"  # Chinese mobile
    if digits.startswith("0") and 10 <= n <= 12:
        return "phone"  # landline with its area code (also UK numbers)
    if digits[0] not in "01" and (n == 7 or n == 8 and not run.english and not _date_like(digits)):
        return "phone"  # a local number
    if not run.chinese and (
        n == 10 and digits[0] in "23456789" or n == 11 and digits.startswith("1") and digits[1] in "23456789"
    ):
        return "phone"  # North American, with or without the leading 1
    return None


def _paused_runs(text: str) -> Iterable[DigitRun]:
    """The runs of :func:`_digit_runs`; a run that forms no number is split where a pause is written (……) when what
    comes before the pause forms one: a number begun with a stutter, then said again (幺三八，四七二幺，嗯，三三……三三零拐)."""
    for run in runs(text):
        pause = text.find("…", run.start, run.end)
        if _classify(run) is not None or pause < 0:
            yield run
            continue
        head = [r for r in runs(text[:pause]) if r.end > run.start]
        if any(_classify(r) or (r.chinese and _MOBILE_START.fullmatch(r.digits)) for r in head):
            yield from head
            yield from (replace(r, start=r.start + pause, end=r.end + pause) for r in runs(text[pause : run.end]))
        else:
            yield run  # 我屋里电话是……六五……: one number, masked whole after its cue


def _cue_kind(
    text: str, start: int, cues: Mapping[str, Sequence[str]], context: str = "", english: bool = False
) -> str | None:
    """The kind named by a cue word shortly before ``start`` (身份证号是…, "my card number is…"; ``"other"``: 工号…,
    a number that is not personal), or None."""
    longest = max((len(w) for words in cues.values() for w in words), default=0)
    before = text[max(0, start - CUE_REACH - longest) : start].lower()
    reach = CUE_REACH
    turn_opens = 0  # where this turn's own words begin in ``before``
    if start <= (_CUE_OPENS_TURN_EN if english else _CUE_OPENS_TURN) and context:
        before = context[-2 * CUE_REACH - longest :].lower() + "\n" + before
        reach = 2 * CUE_REACH + 1 + start
        turn_opens = len(before) - start
    said: list[tuple[int, int, str]] = []  # (start, end, kind) of each cue said
    for kind, words in cues.items():
        for word in words:
            at = before.rfind(word.lower())
            # no sentence of this turn ending between (出发前先给您打电话；楼上1602的业主: a flat, not a phone)
            if at >= 0 and not _CUE_STOPS.search(before, max(at + len(word), turn_opens)):
                said.append((at, at + len(word), kind))
    # the nearest cue, if it ends within the reach ("my membership number is …": a long cue may start before it)
    nearest = max(said, key=lambda c: c[1], default=None)
    if nearest is None or len(before) - nearest[1] > reach:
        return None
    # Cues that overlap it are one phrase, named by its first words: "the order number is, um, Q-W, four-four…" is
    # an order number ("order number"), not a phone ("number is").
    phrase = [c for c in said if c[0] < nearest[1] and c[1] > nearest[0]]
    return min(phrase, key=lambda c: (c[0], -c[1]))[2]  # "other": a number that is not personal (工号…)


def find_personal_data(
    text: str,
    patterns: Iterable[str | re.Pattern] = (),
    cues: Mapping[str, Sequence[str]] | None = None,
    context: str = "",
    known: Mapping[str, str] | None = None,
) -> list[Redaction]:
    """Spans of personal data in ``text``, in order, not overlapping.

    Parameters
    ----------
    text : str
    patterns : regular expressions, optional
        A trainer's own forms (kind ``"pattern"``).
    cues : mapping, optional
        Kind -> cue words (the pack's ``[privacy.cues]``; kind ``"other"``
        names numbers that are not personal, 工号, 订单号…): a run of at least
        :data:`CUE_MIN_DIGITS` digits within :data:`CUE_REACH` characters after
        one of them is masked as that kind even when it forms no whole number
        (身份证号是三七零一零二一九八八…, cut off; 密码是八八六六二一).
    context : str
        The text said just before (the previous turn), searched for a cue
        when the digits open ``text``.
    known : mapping, optional
        Digits -> kind of numbers masked elsewhere in the same call: the same
        digits said again are masked as that kind, whatever they form (an
        eleven-digit number read back: "eight-seven-six, three-oh-seven…").
    """
    found: list[Redaction] = []
    started: list[DigitRun] = []  # runs of digits left in the clear, each perhaps the false start of a number put right
    for regex, kind in ((_EMAIL, "email"), (_SPOKEN_EMAIL, "email")):
        found += [Redaction(kind, m.start(), m.end()) for m in regex.finditer(text)]
    for run in _paused_runs(text):
        number_kind = _classify(run)
        cue = (
            _cue_kind(text, run.start, cues, context, run.english)
            if cues and len(run.digits) >= CODE_MIN_DIGITS
            else None
        )
        if len(run.digits) < CUE_MIN_DIGITS and cue != "password":
            cue = None  # 120 after 电话 is the ambulance
        if number_kind is None and cue != "other":
            number_kind = cue
        if number_kind is None and cue is None and run.chinese and _MOBILE_START.fullmatch(run.digits):
            number_kind = "phone"  # 一三九一七七五……后面是多少？ a mobile number cut off
        if (
            number_kind is None
            and cue is None
            and not run.coded
            and run.digits.isdigit()
            and _CARD_LENGTHS[0] <= len(run.digits) <= _CARD_LENGTHS[1]
        ):
            # a card's length (one digit misheard fails the Luhn check), or an ID-card number with its date of
            # birth whose check character was misheard
            number_kind = "id_card" if len(run.digits) == 18 and _date_like(run.digits[6:14]) else "bank_card"
        if number_kind is None and known and len(run.digits) >= CUE_MIN_DIGITS:
            number_kind = known.get(run.digits)
            if number_kind is None and len(run.digits) >= KNOWN_PART_DIGITS:
                # part of it, or a false start of it ("Six-oh-two, five-five-five, oh-one, no…" before 602 555 1038)
                start = run.digits[:KNOWN_START_DIGITS] if len(run.digits) >= KNOWN_START_DIGITS else None
                number_kind = next(
                    (
                        kind
                        for digits, kind in known.items()
                        if run.digits in digits
                        or (start is not None and len(digits) > len(start) and digits.startswith(start))
                    ),
                    None,
                )
        if number_kind is None and len(run.digits) >= CODE_MIN_DIGITS:
            number_kind = _repaired(text, run.start, found)
        if number_kind is not None:
            found.append(Redaction(number_kind, run.start, run.end))
        elif len(run.digits) >= CODE_MIN_DIGITS:
            started.append(run)
    # a number begun, then put right after a repair (电话是一三九……零二九，不对不对，一三九二九一七四四八六): the false
    # start is the same number's digits
    for run in started:
        after = next((r for r in found if r.start >= run.end and r.kind != "email"), None)
        if after is not None and _repaired(text, after.start, [Redaction(after.kind, run.start, run.end)]):
            found.append(Redaction(after.kind, run.start, run.end))
    # a card read in pieces and put right on the way ("four-one-two-seven, eight-eight-three-oh, wait, no,
    # eight-eight-three-one, sorry, six-six-oh-two, nine-one-four-five"), no piece a card alone: the digits meant (a
    # shorter piece after "wait, no" puts right the end of the one before) are a card's
    masked = {(r.start, r.end) for r in found}
    chain: list[DigitRun] = []
    pieces = [r for r in started if (r.start, r.end) not in masked]
    for piece in [*pieces, None]:
        if piece is not None and chain and _repair_between(text, chain[-1].end, piece.start):
            chain.append(piece)
            continue
        if _meant_card(text, chain):
            found += [Redaction("bank_card", r.start, r.end) for r in chain]
        chain = [] if piece is None else [piece]
    for pattern in patterns:
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        found += [Redaction("pattern", m.start(), m.end()) for m in regex.finditer(text) if m.end() > m.start()]
    found.sort(key=lambda r: (r.start, -r.end))
    out: list[Redaction] = []
    for r in found:
        if out and r.start < out[-1].end:  # overlapping: keep the wider span
            last = out[-1]
            if r.end > last.end:
                out[-1] = Redaction(last.kind, last.start, r.end)
            continue
        out.append(r)
    return out


def _meant_card(text: str, chain: list[DigitRun]) -> bool:
    """Whether runs of digits joined by repairs, one of them a correction (:data:`_CORRECTIONS`), mean a card's digits."""
    if len(chain) < 2:
        return False
    meant, corrected = chain[0].digits, False
    for before, run in zip(chain, chain[1:]):
        if _CORRECTIONS.search(text[before.end : run.start]) and len(run.digits) < len(before.digits):
            meant, corrected = meant[: len(meant) - len(run.digits)] + run.digits, True
        else:
            meant += run.digits
    return corrected and meant.isdigit() and _CARD_LENGTHS[0] <= len(meant) <= _CARD_LENGTHS[1]


def _repair_between(text: str, end: int, start: int) -> bool:
    """Whether the text between two runs of digits is a repair (:data:`_REPAIRS`) within :data:`REPAIR_REACH`
    characters and the same sentence."""
    between = text[end:start]
    if start - end > REPAIR_REACH or re.search(r"[。！？.!?]", re.sub(r"\.{2,}|…", "", between)):
        return False
    return bool(_REPAIRS.search(between))


def _repaired(text: str, start: int, found: list[Redaction]) -> str | None:
    """The kind of the masked number that the digits at ``start`` put right or go on with after a repair
    (:data:`_REPAIRS`), within :data:`REPAIR_REACH` characters and the same sentence; None when they follow none."""
    before = next((r for r in reversed(found) if r.end <= start and r.kind != "email"), None)
    return before.kind if before is not None and _repair_between(text, before.end, start) else None


def mask_text(text: str, spans: Iterable[Redaction]) -> str:
    """``text`` with each span replaced by ``[kind]`` (``[phone]``, ``[id_card]``…)."""
    out, last = [], 0
    for r in sorted(spans, key=lambda r: r.start):
        out += [text[last : r.start], f"[{r.kind}]"]
        last = r.end
    out.append(text[last:])
    return "".join(out)


#: Characters of a masked piece a cut quote must hold to be masked as that piece.
MIN_CUT = 2


def _redact_string(text: str, seen: list[tuple[str, str]], patterns, cues=None) -> str:
    """Mask what the transcript's masking found (``seen``: text, kind) wherever it is quoted, then any new find."""
    marks = {}
    for i, (piece, kind) in enumerate(seen):
        if not piece:
            continue
        mark = chr(0xE000 + i % 6000)  # a private-use character stands in while the rest is searched
        if piece in text:
            marks[mark] = f"[{kind}]"
            text = text.replace(piece, mark)
            continue
        # a quote cut inside the piece (the words heard around a finding: 您的电话是幺三八): the end of the quote
        # that starts the piece, or the start that ends it, is masked too
        for n in range(len(piece) - 1, MIN_CUT - 1, -1):
            if text.endswith(piece[:n]):
                marks[mark] = f"[{kind}]"
                text = text[:-n] + mark
                break
        for n in range(len(piece) - 1, MIN_CUT - 1, -1):
            if text.startswith(piece[-n:]):
                marks[mark] = f"[{kind}]"
                text = mark + text[n:]
                break
    text = mask_text(text, find_personal_data(text, patterns, cues))
    for mark, label in marks.items():
        text = text.replace(mark, label)
    return text


def _walk_strings(value, fix):
    if isinstance(value, str):
        return fix(value)
    if isinstance(value, list):
        return [_walk_strings(v, fix) for v in value]
    if isinstance(value, dict):
        return {k: _walk_strings(v, fix) for k, v in value.items()}
    return value


def _word_offsets(text: str, words: list[dict]) -> list[tuple[int, int] | None]:
    """Where each word's text sits in the turn's text (None if it cannot be found in order)."""
    out: list[tuple[int, int] | None] = []
    at = 0
    for w in words:
        piece = str(w.get("text", ""))
        found = text.find(piece, at) if piece else -1
        if found < 0:
            out.append(None)
            continue
        out.append((found, found + len(piece)))
        at = found + len(piece)
    return out


def _numbers_masked(turns: list[dict], patterns, cues) -> tuple[dict[str, str], list[list[Redaction]]]:
    """Digits -> kind of every number the turns' texts mask on their own (a number read back elsewhere in the call, in
    other words or with another pause, is masked there too), and each turn's spans so found."""
    known: dict[str, str] = {}
    spans: list[list[Redaction]] = []
    previous = ""
    for turn in turns:
        text = str(turn.get("text", ""))
        spans.append(find_personal_data(text, patterns, cues, context=previous))
        for r in spans[-1]:
            digits = "".join(digit_runs(text[r.start : r.end]))
            if len(digits) >= CUE_MIN_DIGITS:
                known.setdefault(digits, r.kind)
        previous = text
    return known, spans


def redact_transcript(
    transcript: dict,
    patterns: Iterable[str | re.Pattern] = (),
    cues: Mapping[str, Sequence[str]] | None = None,
) -> tuple[dict, list[dict], list[tuple[str, str]]]:
    """Mask a transcript document (``Transcript.to_dict()``).

    Returns
    -------
    transcript : dict
        A masked copy: ``text``, ``simplified`` and the overlapping ``words``.
    redactions : list of dict
        ``{"kind", "turn", "at_s"}`` for each masked span; ``turn`` is the
        0-based index in ``turns``, ``at_s`` the time the span starts (from its
        words, else interpolated over the turn).
    masked : list of (str, str)
        The original texts masked and their kinds, to mask them wherever else they are quoted.
    """
    compiled = [re.compile(p) for p in patterns]
    doc = copy.deepcopy(transcript)
    redactions: list[dict] = []
    masked: list[tuple[str, str]] = []
    known, alone = _numbers_masked(doc.get("turns") or [], compiled, cues)
    previous = ""
    for index, turn in enumerate(doc.get("turns") or []):
        text = str(turn.get("text", ""))
        context, previous = previous, text
        # the numbers said elsewhere change a turn's spans only when there are some
        spans = find_personal_data(text, compiled, cues, context=context, known=known) if known else alone[index]
        if not spans:
            continue
        words = turn.get("words") or []
        offsets = _word_offsets(text, words)
        start_s, end_s = float(turn.get("start_s") or 0.0), float(turn.get("end_s") or 0.0)
        for r in spans:
            masked.append((text[r.start : r.end], r.kind))
            hit = [i for i, o in enumerate(offsets) if o is not None and o[0] < r.end and o[1] > r.start]
            if hit:
                at_s = float(words[hit[0]].get("start_s", start_s))
            else:
                at_s = start_s + (end_s - start_s) * r.start / max(1, len(text))
            for i in hit:
                words[i]["text"] = f"[{r.kind}]"
            redactions.append({"kind": r.kind, "turn": index, "at_s": round(at_s, 2)})
        turn["text"] = mask_text(text, spans)
        if "simplified" in turn:
            turn["simplified"] = mask_text(
                turn["simplified"], find_personal_data(turn["simplified"], compiled, cues, context, known)
            )
    for turn in doc.get("turns") or []:  # a word list that did not line up with the text: mask its numbers too
        for w in turn.get("words") or []:
            w["text"] = _redact_string(str(w.get("text", "")), masked, compiled, cues)
    masked.sort(key=lambda item: len(item[0]), reverse=True)
    return doc, redactions, masked


#: Scorecard keys never masked: names the user typed in, file paths, numbers.
_KEEP = ("file", "agent", "company", "language", "duration_s", "score", "weights", "signals", "batch")


def redact_scorecard(
    card: dict, patterns: Iterable[str | re.Pattern] = (), cues: Mapping[str, Sequence[str]] | None = None
) -> dict:
    """A masked copy of a scorecard document (``Scorecard.to_dict()``).

    The transcript is masked turn by turn; every other text (findings'
    ``message``, ``heard`` and ``suggestion``, checks' quoted figures) has the
    same pieces masked wherever they are quoted, and is searched itself too.
    Adds ``"redacted": true`` and ``"redactions": [{"kind", "turn", "at_s"}]``.
    """
    compiled = [re.compile(p) for p in patterns]
    out = dict(card)
    transcript, redactions, masked = redact_transcript(card.get("transcript") or {"turns": []}, compiled, cues)
    if "transcript" in card:
        out["transcript"] = transcript
    for key, value in card.items():
        if key in _KEEP or key == "transcript":
            continue
        out[key] = _walk_strings(copy.deepcopy(value), lambda s: _redact_string(s, masked, compiled, cues))
    out["redacted"] = True
    out["redactions"] = redactions
    return out
