"""Phrase spotting for the wording rules: groups of phrases from a pack, found in turns, with times.

The wording, forbidden, 你-statement, filler, closing and required rules all
look for phrases the pack lists in groups, each group with its own suggestion
(the polite form). A :class:`Lexicon` compiles those groups once per check
with :class:`callcoach.textmatch.CueSet` — so characters, pinyin homophones,
near-homophones, a dropped or added character, fillers inside a phrase,
missing punctuation and stray spaces are all handled there, each match with a
confidence the rule's pack section accepts or not (``min_confidence``) — and
adds what the rules share:

* an *allow* list: phrases that contain a flagged one but are fine (尽可能
  contains 可能; 请你再说一遍 contains 你再说一遍). Where an allowed phrase
  and a flagged one overlap, the longer wins, so an allowed phrase masks the
  flagged phrase inside it — if heard with edits, only a flagged phrase heard
  no better (孩子 叫 嗯 什马 名字 is still allowed; a fuzzy "i don't know if"
  hides no "i don't know" heard as "i don't now");
* overlaps between groups are resolved longest first, so 我们不可能 is one
  finding, not also 可能;
* groups whose short phrases must not be matched by sound (我想 would match
  我先/我现 by pinyin) set ``by_pinyin = false``;
* the time of a match: from word timing when the turn has it, otherwise
  interpolated over the turn by character position.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..clauses import CLAUSE_END, SENTENCE_END, ClauseBreaks, clause_of, word_spans
from ..textmatch import (
    DEFAULT_MIN_CONFIDENCE,
    Match,
    after_added_word,
    at_opening,
    cue_set,
    opening_word_by_sound,
    prepared_text,
)
from ..textnorm import tokens
from ..transcript import Turn
from .base import CheckResult, Finding, Severity, Status, no_agent_speech

#: Longest stretch of the turn shown either side of a match as "heard", characters (zh) / words (en).
CONTEXT_ZH = 4
CONTEXT_EN = 3


@dataclass(frozen=True)
class PhraseGroup:
    """A named list of phrases with what to say instead.

    Attributes
    ----------
    name : str
        Key of the group in the pack (e.g. ``"ask_wait"``), or ``"custom.NAME"``.
    phrases : tuple of str
        Phrases as written in the pack (``…`` is a short gap).
    suggestion : str or None
        What to say instead (the polite form), in the call's language.
    severity : {"info", "warning", "error"}
    by_pinyin : bool
        Also match by pronunciation (Mandarin, two or more syllables).
    opening : bool
        Counts only when it opens the agent's first turn (e.g. a bare 喂).
    label : str or None
        Human label for messages (the 003 table's situation, the custom table name).
    alone : {"", "turn", "clause", "any_clause"}
        Counts only when it is all the turn says, fillers aside (``alone = true`` in a pack: a bare "Hello?";
        "Hello, thanks for calling" greets), or all its clause says (``alone = "clause"``: "Name and
        postcode."; a clause inside a statement, one item of a list, is none), or all of any clause
        (``alone = "any clause"``: 信号肯定差，这没办法，你挪一挪。; or it ends a recogniser's unpunctuated turn: 规定就是这么定的
        没办法); empty: anywhere.
    sentence_start : bool
        Counts only when it opens a sentence, fillers aside: "Yes, but that's with the fee." (``sentence_start =
        true``; "There was, yeah, but one of them was withdrawn" confirms, then explains). In a turn without
        sentence punctuation (a recogniser's), the turn's opening or a clause break (:class:`ClauseBreaks`:
        a pause) starts one.
    """

    name: str
    phrases: tuple[str, ...]
    suggestion: str | None = None
    severity: Severity = "warning"
    by_pinyin: bool = True
    opening: bool = False
    label: str | None = None
    alone: str = ""
    sentence_start: bool = False

    @property
    def placed(self) -> bool:
        """Whether it counts only where it stands (``opening``, ``alone``, ``sentence_start``)."""
        return bool(self.opening or self.alone or self.sentence_start)


@dataclass(frozen=True)
class Spotted:
    """A phrase of a group heard in a turn.

    Attributes
    ----------
    group : PhraseGroup
    match : Match
        Offsets into ``turn.simplified``.
    turn : Turn
    at_s : float
        When the phrase starts, seconds from the start of the recording.
    heard : str
        The words heard: the match with a little of its clause around it, as written in the turn.
    """

    group: PhraseGroup
    match: Match
    turn: Turn
    at_s: float
    heard: str


def _alone_mode(value: object) -> str:
    """A pack's ``alone`` (true, false, "clause" or "any clause") as :attr:`PhraseGroup.alone`."""
    if value == "clause":
        return "clause"
    if value == "any clause":
        return "any_clause"
    if isinstance(value, bool):
        return "turn" if value else ""
    raise ValueError(f'alone must be true, false, "clause" or "any clause", not {value!r}')


def groups_from_tables(
    tables: Mapping[str, dict], *, phrases_key: str = "phrases", suggestion_key: str = "suggestion", prefix: str = ""
) -> list[PhraseGroup]:
    """Phrase groups from pack tables such as ``[wording.pairs.ask_wait]``.

    Parameters
    ----------
    tables : mapping of str to dict
        Group name -> table with a phrase list under ``phrases_key`` and optional
        ``suggestion_key``, ``severity``, ``by_pinyin``, ``opening``, ``alone``, ``sentence_start``, ``situation``.
    phrases_key, suggestion_key : str
        Field names (the wording tables use ``improper`` / ``polite``).
    prefix : str
        Put before each group name (``"custom."``).
    """
    out = []
    for name, table in tables.items():
        if not isinstance(table, dict):
            continue
        out.append(
            PhraseGroup(
                name=prefix + name,
                phrases=tuple(table.get(phrases_key, ())),
                suggestion=table.get(suggestion_key),
                severity=table.get("severity", "warning"),
                by_pinyin=bool(table.get("by_pinyin", True)),
                opening=bool(table.get("opening", False)),
                alone=_alone_mode(table.get("alone", False)),
                sentence_start=bool(table.get("sentence_start", False)),
                label=table.get("situation") or table.get("label"),
            )
        )
    return out


class Lexicon:
    """Compiled phrase groups for one language, with an allow list.

    Parameters
    ----------
    groups : iterable of PhraseGroup
        Earlier groups win when two list the same phrase.
    language : {"zh", "en"}
    allow : iterable of str
        Phrases that are fine even though they contain a flagged phrase.
    opening_lead_max : int
        English: in a recogniser's unpunctuated first turn of at most this many words, an ``opening`` phrase may
        be the second word, after one function word or pronoun the recogniser added ("i yeah hedley's" for
        "Yeah? Hedley's."; "i hello" for "Hello?"). 0: off.
    pickup : callable, optional
        The agent's first turn's text -> the one word it picked up with, when the turn is that word and no
        greeting (``Match`` with ``by="pickup"``): reported as the group named ``pickup_group`` when no other
        phrase was heard there ("Name?" is ``bare_name``; "Yeah?" heard as "year" is the pickup).
    pickup_group : str
    clauses : ClauseBreaks, optional
        Where a recogniser's unpunctuated turn splits into clauses, for groups that count only as a clause of
        their own (``alone = "clause"``). None: its whole turn is one clause.
    """

    def __init__(
        self,
        groups: Iterable[PhraseGroup],
        language: str,
        allow: Iterable[str] = (),
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        opening_lead_max: int = 0,
        pickup: Callable[[str], Match | None] | None = None,
        pickup_group: str = "",
        clauses: ClauseBreaks | None = None,
    ):
        groups = list(groups)
        self.clauses = clauses
        self.language = language
        self.pickup = pickup
        self.pickup_group = next((g for g in groups if g.name == pickup_group), None) if pickup else None
        self.min_confidence = float(min_confidence)
        self.opening_lead_max = int(opening_lead_max)
        self.groups = [g for g in groups if g.phrases]
        if pickup and pickup_group and self.pickup_group is None:
            raise ValueError(f"pickup group {pickup_group!r} is not one of the pack's groups")
        self._owner: dict[str, PhraseGroup] = {}
        for group in self.groups:
            for phrase in group.phrases:
                self._owner.setdefault(phrase, group)
        # an allowed phrase stays allowed where it is also flagged only as it stands (不可能 as a clause of its own
        # refuses; 不可能这么快 is still no hedge 可能)
        placed_only = {p for p, g in self._owner.items() if g.placed}
        self._allow = set(a for a in allow if a and a.strip()) - (set(self._owner) - placed_only)
        # phrases that count only where they stand (``placed``) are a set of their own, so one that does
        # not count there cannot hide another it overlaps (这个没办法 followed by 保证 leaves 没办法保证)
        sound = [p for p, g in self._owner.items() if g.by_pinyin and not g.placed]
        placed = [p for p, g in self._owner.items() if g.by_pinyin and g.placed]
        letters = [p for p, g in self._owner.items() if not g.by_pinyin]
        # an improper phrase found where the agent said something else accuses the agent: English phrases keep
        # their content words at the edges (textmatch.CueSet's light_edges)
        self._sets = [
            cue_set(words, language, by_pinyin=True, min_confidence=min_confidence, light_edges=True)
            for words in (sound, placed)
            if words
        ]
        if letters:
            self._sets.append(cue_set(letters, language, by_pinyin=False, min_confidence=min_confidence))
        self._allow_cues = cue_set(sorted(self._allow), language, by_pinyin=True) if self._allow else None

    def __bool__(self) -> bool:
        return bool(self._owner)

    def find_text(
        self, text: str, accept: Callable[[PhraseGroup, Match], bool] | None = None
    ) -> list[tuple[PhraseGroup, Match]]:
        """Flagged phrases in ``text`` (offsets into ``text``), in order, not overlapping, allowed ones dropped.

        ``accept`` (group, match) -> whether a flagged match may count where it is, judged before overlapping
        matches are resolved: 这个没办法 that does not stand alone leaves the 没办法保证 it overlaps.
        """
        if not text or not self._owner:
            return []
        flagged = [m for cues in self._sets for m in cues.find(text)]
        if accept is not None:
            flagged = [m for m in flagged if accept(self._owner[m.phrase], m)]
        # an allowed phrase heard with edits masks only a flagged one it overlaps that was heard no better: a fuzzy
        # "i don't know if" must not hide the "i don't know" in "i don't now they ...", but 孩子 叫 嗯 什马 名字 is
        # still the allowed 孩子叫什么名字 (its flagged 叫什么名字 heard with the same mistake)
        allowed = [
            m
            for m in (self._allow_cues.find(text) if self._allow_cues is not None else [])
            if m.by in ("chars", "words", "pinyin")
            or not any(f.start < m.end and m.start < f.end and f.confidence > m.confidence for f in flagged)
        ]
        # longest first at each place; a tie goes to the more certain match (by characters), then to the flagged one
        found = [(m, True) for m in flagged] + [(m, False) for m in allowed]
        found.sort(key=lambda pair: (pair[0].start, -(pair[0].end - pair[0].start), -pair[0].confidence, not pair[1]))
        chosen: list[tuple[Match, bool]] = []
        reach = -1
        for m, is_flagged in found:
            if m.start < reach:
                continue
            chosen.append((m, is_flagged))
            reach = m.end
        return [(self._owner[m.phrase], m) for m, is_flagged in chosen if is_flagged]

    def find(self, turn: Turn, *, first_turn: bool = False) -> list[Spotted]:
        """Flagged phrases in one turn, with their times and the words heard.

        ``first_turn`` says whether this is the agent's first turn (for ``opening`` groups).
        """
        out: list[Spotted] = []
        text = turn.simplified
        lead = after_added_word(text, self.language, self.opening_lead_max) if first_turn else None
        breaks: list[tuple[int, ...]] = []  # the turn's clause ends, found once and only if a clause is asked about

        def clause_ends(after: int) -> tuple[int, ...]:
            """The turn's clause ends, and where a noun ends the clause of a phrase ending at ``after``."""
            if self.clauses is None:
                return ()
            if not breaks:
                breaks.append(self.clauses.at(turn, self.language))
            noun = self.clauses.ends_after(turn, after, self.language)
            return breaks[0] if noun is None else tuple(sorted({*breaks[0], noun}))

        def where_it_counts(group: PhraseGroup, match: Match) -> bool:
            after_lead = lead is not None and group.opening and match.start == lead
            if group.opening and not (first_turn and (at_opening(text, match.start, self.language) or after_lead)):
                return False
            if group.sentence_start and not _opens_sentence(text, match.start, self.language, clause_ends(match.end)):
                return False
            return not group.alone or _alone(
                text,
                match,
                self.language,
                clause=group.alone in ("clause", "any_clause"),
                ignore_before=match.start if after_lead else 0,
                anywhere=group.alone == "any_clause",
                breaks=clause_ends(match.end) if group.alone in ("clause", "any_clause") else (),
                closers=self.clauses.closers if self.clauses is not None else (),
            )

        for group, match in self.find_text(text, where_it_counts):
            if any(_repeats(s, group, match) and self._same_sentence(text, s.match, match) for s in out):
                continue  # "Maybe, maybe not." / "I think you're probably fine": one finding a sentence
            out.append(self._spotted(group, match, turn))
        if first_turn:
            # a one-syllable opener (喂) heard as another character of its sound, as the turn's first word
            for group in self.groups:
                if not (group.opening and group.by_pinyin) or any(s.group is group for s in out):
                    continue
                heard = opening_word_by_sound(text, group.phrases, self.language)
                if heard is None or heard.confidence < self.min_confidence:
                    continue
                if not any(s.match.start < heard.end and heard.start < s.match.end for s in out):
                    out.append(self._spotted(group, heard, turn))
            # a one-word pickup, whatever word the recogniser made of it ("Yeah?" heard as "year")
            if self.pickup_group is not None and self.pickup is not None and not out:
                word = self.pickup(text)
                if word is not None:
                    out.append(self._spotted(self.pickup_group, word, turn))
            out.sort(key=lambda s: s.match.start)
        return out

    def _same_sentence(self, text: str, a: Match, b: Match) -> bool:
        """Whether no sentence ends between two matches (:meth:`ClauseBreaks.same_sentence`; without clause breaks,
        a recogniser's unpunctuated turn is one sentence)."""
        first, second = sorted((a, b), key=lambda m: m.start)
        clauses = self.clauses or ClauseBreaks()
        return clauses.same_sentence(text, (first.start, first.end), (second.start, second.end), self.language)

    def _spotted(self, group: PhraseGroup, match: Match, turn: Turn) -> Spotted:
        return Spotted(
            group,
            match,
            turn,
            time_at(turn, match.start, self.language),
            heard_around(turn, match.start, match.end, self.language),
        )


#: Words (Han characters) a sentence may say before a clause that stands alone (``alone = "clause"``).
CLAUSE_LEAD_UNITS = 3


def _repeats(found: Spotted, group: PhraseGroup, match: Match) -> bool:
    """Whether ``match`` says again what ``found`` said: the same phrase, or another hedge (info severity)."""
    return found.match.phrase == match.phrase or (found.group.severity == "info" and group.severity == "info")


def _alone(
    text: str,
    match: Match,
    language: str,
    clause: bool = False,
    ignore_before: int = 0,
    anywhere: bool = False,
    breaks: tuple[int, ...] = (),
    closers: tuple[str, ...] = (),
) -> bool:
    """Whether ``match`` is all that ``text`` says (``clause``: all its clause says, up to the clause's
    punctuation: "Name and postcode." / 行，叫什么，电话多少。): only fillers, punctuation and spaces around it,
    the words before ``ignore_before`` (a word the recogniser added before an opening: "i hello") and Mandarin
    sentence-final particles right after it (``closers``: 啥子事嘛？ is 啥子事？).

    A clause stands alone when it ends its sentence (明德公证处，什么事？) or opens it after at most
    :data:`CLAUSE_LEAD_UNITS` words (Han characters) ("Right, address, I haven't got all day."); one item of a
    list inside a statement is none ("… go out by text the night before, name, car and reg."), unless
    ``anywhere``. ``breaks``: where else a clause ends (a recogniser's pauses, :class:`ClauseBreaks`); they end
    clauses, not sentences."""
    start, end = clause_of(text, match.start, match.end, breaks) if clause else (0, len(text))
    prepared = prepared_text(text, language)
    words = [(t, f) for t, f in zip(prepared.toks, prepared.filler) if not f and t.start >= ignore_before]
    if closers:
        after = [t for t, _ in words if t.start >= match.end]
        particles = 0
        while particles < len(after) and text[after[particles].start : after[particles].end] in closers:
            particles += 1
        closing = {id(t) for t in after[:particles]}
        words = [(t, f) for t, f in words if id(t) not in closing]
    if anywhere and not CLAUSE_END.search(text) and not any(t.start >= match.end for t, _ in words):
        return True  # a recogniser's turn ending in it: 规定就是这么定的 没办法
    if any(start <= t.start and t.end <= end and (t.end <= match.start or t.start >= match.end) for t, _ in words):
        return False
    if not clause or anywhere:
        return True
    opens = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    lead = sum(1 for t, _ in words if opens <= t.start and t.end <= start)
    return lead <= CLAUSE_LEAD_UNITS or not text[end:].strip() or bool(SENTENCE_END.match(text, end))


def _opens_sentence(text: str, start: int, language: str, breaks: tuple[int, ...] = ()) -> bool:
    """Whether only fillers stand between the start of ``start``'s sentence and ``start``: after the turn's
    opening, a sentence's end mark, or (a turn without sentence marks) one of ``breaks``."""
    opens = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    if not SENTENCE_END.search(text):
        opens = max([opens, *(b for b in breaks if b <= start)])
    return at_opening(text[opens:], start - opens, language)


def time_at(turn: Turn, offset: int, language: str) -> float:
    """When the character at ``offset`` of ``turn.simplified`` was said, seconds.

    Uses the turn's word timing when the words can be found in the text in
    order; otherwise spreads the turn's time evenly over its characters
    (Mandarin) or words (English).
    """
    text = turn.simplified
    spans = word_spans(turn, language) if turn.words else []
    for a, b, word in spans:
        if offset < b:
            share = max(0, offset - a) / max(1, b - a)
            return word.start_s + share * max(0.0, word.end_s - word.start_s)
    if spans:
        return spans[-1][2].end_s
    toks = tokens(text, language)
    if not toks or turn.duration_s <= 0:
        return turn.start_s
    before = sum(1 for t in toks if t.start < offset)
    return turn.start_s + turn.duration_s * before / len(toks)


def heard_around(turn: Turn, start: int, end: int, language: str) -> str:
    """The words at ``start:end`` of the turn with a little of their clause either side, as written."""
    shown = turn.text if len(turn.text) == len(turn.simplified) else turn.simplified
    if language == "zh":
        left = max(0, start - CONTEXT_ZH)
        right = min(len(shown), end + CONTEXT_ZH)
    else:
        words = [m.start() for m in re.finditer(r"\S+", shown)]
        before = [w for w in words if w < start]
        left = before[-CONTEXT_EN] if len(before) >= CONTEXT_EN else 0
        after = [m.end() for m in re.finditer(r"\S+", shown) if m.end() > end]
        right = after[CONTEXT_EN - 1] if len(after) >= CONTEXT_EN else len(shown)
    head = shown[left:start]
    cut = [m.end() for m in CLAUSE_END.finditer(head)]
    if cut:
        head = head[cut[-1] :]
    tail = shown[end:right]
    stop = CLAUSE_END.search(tail)
    if stop:
        tail = tail[: stop.start()]
    return (head + shown[start:end] + tail).strip()


def fill(text: str | None, setup, language: str) -> str | None:
    """A suggestion with ``{company}`` and ``{agent}`` filled from the call's setup (placeholders otherwise)."""
    if text is None:
        return None
    company = setup.company or ("**公司" if language == "zh" else "<company>")
    agent = setup.agent or ("XXX" if language == "zh" else "<your name>")
    return text.replace("{company}", company).replace("{agent}", agent)


def status_from(findings, fail_count: int) -> Status:
    """Status of a phrase rule: pass with no findings; fail with ``fail_count`` or more warnings/errors; else warn.

    Info findings alone (e.g. hedges like 可能) can make a call warn, never fail.
    """
    if not findings:
        return "pass"
    serious = sum(1 for f in findings if f.severity in ("warning", "error"))
    return "fail" if serious >= max(1, int(fail_count)) else "warn"


def agent_words_at(call, at_s: float, slack_s: float = 0.5) -> str | None:
    """What the agent was saying at ``at_s`` (the text of the agent turn around that time), if known."""
    turn = next((t for t in call.agent_turns if t.start_s - slack_s <= at_s <= t.end_s + slack_s), None)
    return turn.text if turn is not None else None


def agent_spotted(call, lexicon: Lexicon) -> list[Spotted]:
    """Every flagged phrase in the agent's turns, in time order."""
    out: list[Spotted] = []
    for i, turn in enumerate(call.agent_turns):
        out.extend(lexicon.find(turn, first_turn=i == 0))
    return out


def spotted_figures(spotted: list[Spotted], suggestions: list[str | None]) -> list[dict]:
    """The ``found`` list of a phrase rule's figures."""
    return [
        {
            "at_s": round(s.at_s, 2),
            "group": s.group.name,
            "phrase": s.match.phrase,
            "heard": s.heard,
            "by": s.match.by,
            "confidence": s.match.confidence,
            "suggestion": suggestion,
        }
        for s, suggestion in zip(spotted, suggestions)
    ]


def phrase_check(
    call,
    rule_id: str,
    spotted: list[Spotted],
    fail_count: int,
    message: Callable[[PhraseGroup], str],
    extra: Callable[[list[Spotted]], dict] | None = None,
) -> CheckResult:
    """A check that flags the phrases the agent said (wording, 你-statements, forbidden).

    Parameters
    ----------
    call : Call
    rule_id : str
        The rule's id, put on its findings; its ``no_agent`` message is the n/a finding when the agent said
        nothing.
    spotted : list of Spotted
        The rule's phrases heard in the agent's turns, in time order (:func:`callcoach.rules.improper.spotted`).
    fail_count : int
        Warnings or errors that make the check fail (see :func:`status_from`).
    message : callable
        The finding's text for a phrase of a group.
    extra : callable, optional
        More figures from the phrases spotted, shown between ``found`` and ``fail_count``.
    """
    empty = no_agent_speech(call, rule_id, {"count": 0, "found": []})
    if empty is not None:
        return empty
    suggestions = [fill(s.group.suggestion, call.setup, call.language) for s in spotted]
    findings = [
        Finding(rule_id, s.group.severity, s.at_s, message(s.group), suggestion, heard=s.heard)
        for s, suggestion in zip(spotted, suggestions, strict=True)
    ]
    figures = {
        "count": len(spotted),
        "found": spotted_figures(spotted, suggestions),
        **(extra(spotted) if extra else {}),
        "fail_count": fail_count,
    }
    return CheckResult(status_from(findings, fail_count), figures, findings)


def pairs_lexicon(call, section: str, pickup: Callable[[str], Match | None] | None = None) -> Lexicon:
    """The improper phrases of a pack section of improper/polite pairs (``[SECTION.pairs.NAME]``), each pair's
    polite form its suggestion.

    Parameters
    ----------
    call : Call
    section : str
        Pack section with ``pairs`` and ``allow``; its ``pickup_pair`` (empty: off) names the pair a one-word
        pickup is reported as.
    pickup : callable, optional
        See :class:`Lexicon`.
    """
    conf = call.pack[section]
    groups = groups_from_tables(conf.get("pairs", {}), phrases_key="improper", suggestion_key="polite")
    return Lexicon(
        groups,
        call.language,
        allow=conf.get("allow", ()),
        min_confidence=call.min_confidence(section),
        opening_lead_max=int(conf.get("opening_lead_max", 0)),
        pickup=pickup if conf.get("pickup_pair") else None,
        pickup_group=str(conf.get("pickup_pair") or ""),
        clauses=ClauseBreaks.from_pack(call.pack.get("matching") or {}),
    )


def pairs_message(call, rule_id: str) -> Callable[[PhraseGroup], str]:
    """A pairs rule's finding text: its ``found`` message, ``{label}`` the pair's situation."""
    return lambda group: call.say(rule_id, "found", label=group.label or group.name)
