"""Practice stage: live hints from the same rules as the scorecard.

:class:`LiveCoach` is fed the call as it grows — the agent's utterances
(partial and final, with their times), the caller's lines, the agent's speech
activity and the hold timer's events — and runs the scorecard's own rules on
it: the phrase rules (:mod:`~callcoach.rules.wording`,
:mod:`~callcoach.rules.forbidden`, :mod:`~callcoach.rules.you_statements`) on
each utterance as it is recognised, the introduction rule on the opening (a bare
喂), :mod:`~callcoach.rules.pace` over the last ``pace_window_s`` of speech,
:mod:`~callcoach.rules.filler` over the last ``filler_window_s``,
:mod:`~callcoach.rules.hold` on the agent's return from a hold (no
acknowledgement), and :func:`callcoach.rules.interruption.interruptions` on the
live speech spans of both sides. Each rule is evaluated on a
:class:`~callcoach.rules.base.Call` built from the transcript so far, so a hint
says what the scorecard will say, in the call's language, with the pack's polite
form.

New findings become :class:`Hint` records. At most one hint is on screen: the
most severe waiting hint is shown as soon as the screen is free — a hint stays
at least ``min_show_s`` unless a more severe one arrives — and a hint that could
not be shown within ``stale_s`` of its words or event is dropped. Each finding is
hinted once. Limits: partial results can be revised by the recogniser, so a hint
from words still being recognised may name words that the final transcript
spells differently; pace and fillers are judged on final utterances only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..datafiles import load_toml_resource
from ..packs import RulePack
from ..rules import filler, forbidden, hold, interruption, introduction, pace, wording, you_statements
from ..rules.base import Call, CallSetup, Finding, say
from ..rules.lexicon import groups_from_tables
from ..textmatch import cue_set
from ..topics import topic_spotter
from ..transcript import Transcript, Turn
from .caller import TurnFacts

__all__ = ["LiveCoach", "Hint", "RUDE_RULES"]

#: Rules whose findings in a turn make the turn rude (the listening caller reacts).
RUDE_RULES = (wording, forbidden, you_statements)
#: Seconds of the agent's first utterance heard (or its final result) before the opening is judged: a partial
#: result of one syllable ("good", 您) is the start of a greeting as often as a bare pickup.
OPENER_JUDGED_S = 1.5
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
#: Among hints of one severity, which goes first.
_RULE_RANK = {
    "hold": 0,
    "forbidden": 1,
    "introduction": 2,
    "you_statements": 3,
    "wording": 4,
    "interruption": 5,
    "pace": 6,
    "filler": 7,
}


@dataclass(frozen=True)
class Hint:
    """A live hint: ``text`` about ``rule``, for words or an event at ``event_s``, shown at ``at_s`` (seconds)."""

    rule: str
    severity: str
    text: str
    event_s: float
    at_s: float = 0.0
    key: tuple = ()

    @property
    def rank(self) -> tuple:
        return (_SEVERITY_RANK.get(self.severity, 3), _RULE_RANK.get(self.rule, 9))

    def to_dict(self) -> dict:
        return {
            "at_s": round(self.at_s, 2),
            "event_s": round(self.event_s, 2),
            "rule": self.rule,
            "kind": self.kind,
            "severity": self.severity,
            "text": self.text,
        }

    @property
    def kind(self) -> str:
        """What the hint is about within its rule: ``hold_warn``, ``hold_over``, ``no_thanks``, or the rule id."""
        return str(self.key[0]) if self.key and self.key[0] != "introduction" else self.rule


def practice_texts(language: str, table: str) -> dict:
    """The ``[LANG.table]`` texts of ``data/practice.toml`` (English where the language lacks one)."""
    data = load_toml_resource("practice.toml")
    return {**data["en"][table], **data.get(language, {}).get(table, {})}


@dataclass
class LiveCoach:
    """Turns the growing call into hints (see the module notes).

    Parameters
    ----------
    pack : RulePack
    language : {"zh", "en"}
    setup : CallSetup
        Company and agent (the suggestions name them).
    """

    pack: RulePack
    language: str
    setup: CallSetup
    shown: list[Hint] = field(default_factory=list)
    on_screen: Hint | None = None
    answer_s: float | None = None
    _finals: list[Turn] = field(default_factory=list)
    _lines: dict[int, tuple[float, float | None, str]] = field(default_factory=dict)
    _agent_spans: list[tuple[float, float]] = field(default_factory=list)
    _open_span: tuple[float, float] | None = None
    _pending: list[Hint] = field(default_factory=list)
    _seen: set = field(default_factory=set)
    _hold_end_s: float | None = None

    def __post_init__(self) -> None:
        conf = load_toml_resource("practice.toml")["coach"]
        self.min_show_s = float(conf["min_show_s"])
        self.stale_s = float(conf["stale_s"])
        self.pace_window_s = float(conf["pace_window_s"])
        self.pace_min_speech_s = float(conf["pace_min_speech_s"])
        self.filler_window_s = float(conf["filler_window_s"])
        self.texts = practice_texts(self.language, "hint")
        closing = (
            list(self.pack["closing"]["cues"]["anything_else"]) + practice_texts(self.language, "caller")["closing"]
        )
        self._closing = cue_set(closing, self.language)
        self._openers = cue_set(self.pack["introduction"]["bare_openers"], self.language, by_pinyin=False)
        self._topics = topic_spotter(self.pack)
        # the phrase groups of the rude rules, read as the rules read them (groups_from_tables)
        groups = {
            "wording": groups_from_tables(self.pack["wording"].get("pairs", {}), phrases_key="improper"),
            "you_statements": groups_from_tables(self.pack["you_statements"].get("pairs", {}), phrases_key="improper"),
            "forbidden": groups_from_tables(self.pack["forbidden"].get("groups", {}))
            + groups_from_tables(self.pack.get("custom", {}) or {}, prefix="custom."),
        }
        self._alone = {(rule, g.name) for rule, found in groups.items() for g in found if g.alone}

    def _waits(self, rule, spotted: dict) -> bool:
        """Whether a phrase rule's finding counts only by what follows the phrase (``alone`` groups)."""
        return (rule.RULE.id, spotted.get("group")) in self._alone

    def warm_up(self) -> None:
        """Load what the rules load on first use (word segmentation, pinyin tables: seconds) before the call."""
        probe = LiveCoach(self.pack, self.language, self.setup)
        sample = "您好，我是小王，请问地址是哪里？" if self.language == "zh" else "Hello, this is Anna, how can I help?"
        probe.utterance(sample, 0.0, 2.0, final=True, now_s=2.0)
        probe.turn_facts(2.0, sample, 0.0)

    # -- the call so far

    def _call(self, agent: list[Turn], *, customers: bool = False, now_s: float = 0.0) -> Call:
        turns = list(agent)
        if customers:
            turns += [Turn("customer", a, now_s if b is None else b, text) for a, b, text in self._lines.values()]
        turns.sort(key=lambda t: t.start_s)
        transcript = Transcript(turns=tuple(turns), language=self.language)
        return Call(
            transcript=transcript,
            language=self.language,
            pack=self.pack,
            setup=self.setup,
            duration_s=max((t.end_s for t in turns), default=0.0),
        )

    def answered(self, at_s: float) -> None:
        self.answer_s = at_s

    def caller_line(self, number: int, start_s: float, end_s: float | None, text: str) -> None:
        """A caller line started (``end_s`` None) or ended."""
        self._lines[number] = (start_s, end_s, text)

    def agent_speech(self, start_s: float, end_s: float | None, *, now_s: float | None = None) -> None:
        """The agent's speech activity: a finished span, or (``end_s`` None) one still going on at ``now_s``."""
        if end_s is None:
            self._open_span = (start_s, now_s if now_s is not None else start_s)
        else:
            self._open_span = None
            self._agent_spans.append((start_s, end_s))
        self._interruptions()

    def utterance(self, text: str, start_s: float, end_s: float, *, final: bool, now_s: float) -> None:
        """The agent's words: a partial result (still being recognised) or a final utterance."""
        if not text.strip():
            return
        turn = Turn("agent", start_s, max(start_s, end_s), text)
        first = not self._finals
        context = [turn] if first else [self._finals[0], turn]
        call = self._call(context)
        found: list[Finding] = []
        # the opener is judged once it is more than a syllable: a partial "good" or 您 is no one-word pickup
        opener_heard = not first or final or end_s - start_s >= OPENER_JUDGED_S
        if first and opener_heard:
            found += [f for f in introduction.check(call).findings if f.heard is not None]
        for rule in RUDE_RULES if opener_heard else ():
            result = rule.check(call)
            for f, spotted in zip(result.findings, result.figures.get("found", []), strict=True):
                # a phrase that counts only as all its clause ("your name", 没办法) waits for the final result: the
                # partial "your name" may go on "… is on the list"
                if f.at_s is not None and f.at_s >= start_s - 0.05 and (final or not self._waits(rule, spotted)):
                    found.append(f)
        for f in found:
            opener = (
                first
                and f.rule != "introduction"
                and f.at_s is not None
                and f.at_s - start_s < 0.3
                and bool(self._openers.find(turn.simplified[:4]))
            )
            self._add_finding(f, now_s, opener=opener)
        if final:
            self._finals.append(turn)
            self._after_final(now_s)

    def _add_finding(self, f: Finding, now_s: float, *, opener: bool = False) -> None:
        """``opener``: a phrase rule's finding on the bare opener (喂) itself: one hint with the introduction's."""
        if opener:
            text = self.texts["phrase"].format(heard=f.heard, instead=f.suggestion or f.message)
            key: tuple = ("introduction", "opener")
        elif f.rule == "introduction":
            text = self.texts["bare_opener"].format(instead=f.suggestion or f.message)
            key = ("introduction", "opener")
        elif f.suggestion and f.heard:
            text = self.texts["phrase"].format(heard=f.heard, instead=f.suggestion)
            key = (f.rule, f.message, f.suggestion)
        else:
            text, key = f.message, (f.rule, f.message)
        severity = f.severity if f.severity in _SEVERITY_RANK else "warning"
        self._offer(Hint(f.rule, severity, text, f.at_s if f.at_s is not None else now_s, key=key), now_s)

    def _after_final(self, now_s: float) -> None:
        end = self._finals[-1].end_s
        recent = [t for t in self._finals if t.end_s >= end - self.pace_window_s]
        if sum(t.duration_s for t in recent) >= self.pace_min_speech_s:
            result = pace.check(self._call(recent))
            rate, band = result.figures.get("rate"), result.figures.get("band")
            if rate is not None and band and rate > band[1]:
                text = self.texts["pace"].format(rate=rate, window=self.pace_window_s)
                self._offer(Hint("pace", "warning", text, end, key=("pace",)), now_s)
        burst = [t for t in self._finals if t.end_s >= end - self.filler_window_s]
        result = filler.check(self._call(burst))
        if result.status in ("warn", "fail") and result.findings:
            f = result.findings[0]
            text = self.texts["filler"].format(heard=f.heard or "")
            self._offer(Hint("filler", f.severity, text, end, key=("filler",)), now_s)
        if self._hold_end_s is not None and self._finals[-1].start_s >= self._hold_end_s - 1.0:
            back_from = self._hold_end_s
            self._hold_end_s = None
            tip = say(self.language, "hold", "no_thanks_tip")
            for f in hold.check(self._call(self._finals, customers=True, now_s=now_s)).findings:
                if f.suggestion == tip and f.at_s is not None and f.at_s >= back_from - 1.5:
                    text = self.texts["no_thanks"].format(instead=tip)
                    self._offer(
                        Hint("hold", "warning", text, self._finals[-1].start_s, key=("no_thanks", back_from)), now_s
                    )

    def hold(self, kind: str, at_s: float, hold_kind: str, held_s: float, limit_s: float) -> None:
        """An event of the hold timer: ``hold_start``, ``hold_warn``, ``hold_over`` or ``hold_end``."""
        if kind == "hold_start":
            self._hold_start = at_s
        elif kind == "hold_warn":
            key = "hold_warn_announced" if hold_kind == "announced" else "hold_warn"
            text = self.texts[key].format(held=held_s, left=max(0.0, limit_s - held_s))
            self._offer(Hint("hold", "warning", text, at_s, key=("hold_warn", round(at_s - held_s, 2))), at_s)
        elif kind == "hold_over":
            text = self.texts["hold_over"].format(limit=limit_s)
            self._offer(Hint("hold", "error", text, at_s, key=("hold_over", round(at_s - held_s, 2))), at_s)
        elif kind == "hold_end":
            self._pending = [h for h in self._pending if h.key[:1] not in (("hold_warn",), ("hold_over",))]
            if self.on_screen is not None and self.on_screen.key[:1] in (("hold_warn",), ("hold_over",)):
                self.on_screen = None
            if held_s >= 1.0 or hold_kind == "announced":
                self._hold_end_s = at_s

    def _interruptions(self) -> None:
        conf = self.pack["interruption"]
        agent = self._agent_spans + ([self._open_span] if self._open_span else [])
        if not agent or not self._lines:
            return
        now = max(b for _, b in agent)
        customer = [(a, now if b is None else b) for a, b, _ in self._lines.values()]
        recent = [s for s in agent if s[1] >= now - 10.0]
        for cut in interruption.interruptions(
            recent, customer, lead_s=conf["lead_s"], min_overlap_s=conf["min_overlap_s"]
        ):
            text = self.texts["interruption"].format(instead=conf["tips"]["interrupt"])
            self._offer(
                Hint(
                    "interruption",
                    "warning",
                    text,
                    cut.at_s + conf["min_overlap_s"],
                    key=("interruption", round(cut.customer_start_s, 1)),
                ),
                now,
            )

    # -- the agent's turn, for the listening caller

    def turn_facts(self, at_s: float, heard: str, start_s: float, *, long_hold: bool = False) -> TurnFacts:
        """What the agent's finished turn contained: 5W2H topics asked and covered (the scorecard's
        :func:`~callcoach.topics.topic_spotter`), rude wording (the phrase rules), closing."""
        turn = Turn("agent", start_s, max(start_s, at_s), heard)
        text = turn.simplified
        hits = self._topics.spot(text)
        topics = frozenset(h.topic for h in hits if h.asked)
        call = self._call([turn])
        rude = tuple(
            rule.RULE.id
            for rule in RUDE_RULES
            if any(f.severity != "info" and f.at_s is not None for f in rule.check(call).findings)
        )
        return TurnFacts(
            at_s=at_s,
            heard=heard,
            topics=topics,
            covered=frozenset(h.topic for h in hits),
            rude=rude,
            closing=bool(self._closing.find(text)),
            long_hold=long_hold,
        )

    # -- the screen

    def _offer(self, hint: Hint, now_s: float) -> None:
        if hint.key in self._seen:
            return
        self._seen.add(hint.key)
        self._pending.append(hint)

    def step(self, now_s: float) -> Hint | None:
        """Update the screen at ``now_s``; return the hint newly put on screen, if any."""
        self._pending = [h for h in self._pending if now_s - h.event_s <= self.stale_s]
        current = self.on_screen
        if current is not None and now_s - current.at_s >= self.stale_s:
            self.on_screen = current = None
        if not self._pending:
            return None
        best = min(self._pending, key=lambda h: (h.rank, h.event_s))
        free = current is None or now_s - current.at_s >= self.min_show_s
        if not (free or best.rank < current.rank):  # type: ignore[union-attr]
            return None
        self._pending.remove(best)
        shown = Hint(best.rule, best.severity, best.text, best.event_s, at_s=max(now_s, best.event_s), key=best.key)
        self.on_screen = shown
        self.shown.append(shown)
        return shown
