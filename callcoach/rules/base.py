"""What every rule sees and returns.

A rule is one module in :mod:`callcoach.rules` holding ``RULE`` (a
:class:`RuleInfo`: id, title, seeds, why, improper example, what to say
instead, pack section, default weight, scorecard labels in both languages),
``check(call) -> CheckResult`` and, for a scored check, ``detail(figures,
language) -> str`` (the scorecard table's figures column). Its finding
messages are the ``[zh.ID]`` and ``[en.ID]`` tables of ``data/messages.toml``.
``callcoach rules``, ``docs/rules.md``, the scorecard's table and the default
weights all read this metadata; :mod:`callcoach.rules` checks it at import
(see docs/design.md, "Adding a rule").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, get_args

import numpy as np

from ..datafiles import load_toml_resource
from ..packs import RulePack
from ..textmatch import DEFAULT_MIN_CONFIDENCE, CueSet, Match, cue_set
from ..transcript import Transcript, Turn

#: A check's verdict; ``n/a``: the check does not apply to this call (left out of the score).
Status = Literal["pass", "warn", "fail", "n/a"]
#: How much a finding matters.
Severity = Literal["info", "warning", "error"]
STATUSES: tuple[Status, ...] = get_args(Status)
SEVERITIES: tuple[Severity, ...] = get_args(Severity)


@dataclass(frozen=True)
class RuleInfo:
    """Self-description of a rule (ruff style).

    Attributes
    ----------
    id : str
        Stable identifier used in findings and ``callcoach rules ID``.
    title : str
    seeds : tuple of str
        Training documents it enforces (``000``..``004``), see docs/course.md (Sources).
    why : str
        Why it matters to the caller.
    example : str
        Improper wording or behaviour.
    instead : str
        What to say or do instead (the polite form).
    check : str or None
        Key in the scorecard's ``checks`` object, if the rule reports a status.
    how : str
        How the rule decides, in a paragraph (shown by ``callcoach rules ID``), when its settings need it.
    section : str or None
        Pack section (``[name]`` in ``data/zh.toml`` and ``data/en.toml``) holding its settings and phrases;
        ``None`` (the default) means the section named like the id, ``""`` a rule without settings.
    weight : float or None
        Default weight of its check in the 0-100 score (a pack's ``[weights]`` overrides it); required with
        ``check``.
    labels : mapping of str to str
        The check's name in the scorecard table per language (``{"zh": ..., "en": ...}``); required with
        ``check``.
    """

    id: str
    title: str
    seeds: tuple[str, ...]
    why: str
    example: str
    instead: str
    check: str | None = None
    how: str = ""
    section: str | None = None
    weight: float | None = None
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def pack_section(self) -> str | None:
        """The pack section holding the rule's settings, or None for a rule without settings."""
        if self.section is None:
            return self.id
        return self.section or None

    def messages(self, language: str) -> dict[str, str]:
        """The rule's finding messages and tips in ``language`` (its ``[LANGUAGE.ID]`` table of messages.toml)."""
        return dict(load_toml_resource("messages.toml").get(language, {}).get(self.id, {}))


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    at_s: float | None
    message: str
    suggestion: str | None = None
    heard: str | None = None
    #: The other side's words the finding is about, where it helps to judge it: the agent's reply to a question
    #: left unanswered (so a trainer sees at once whether it answered).
    reply: str | None = None

    def to_dict(self) -> dict:
        out = {
            "rule": self.rule,
            "severity": self.severity,
            "at_s": None if self.at_s is None else round(self.at_s, 2),
            "message": self.message,
            "suggestion": self.suggestion,
        }
        if self.heard is not None:
            out["heard"] = self.heard
        if self.reply is not None:
            out["reply"] = self.reply
        return out


@dataclass
class CheckResult:
    """A rule's verdict: a status, its figures, and findings."""

    status: Status
    figures: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")


@dataclass(frozen=True)
class CallSetup:
    """Per-call facts given by the user, the manifest or the practice session.

    Attributes
    ----------
    company, agent : str, optional
        Names to look for in the introduction (matched by pronunciation).
    language : {"zh", "en"}, optional
        Default: the transcript's language.
    region : {"cn", "na", "uk"}, optional
        Restricts ringback detection; also the cadence used with ``ring_s``.
    ring_s : float, optional
        Seconds it rang before the recording starts (from call-recording metadata).
    layout : {"stereo", "mono"}, optional
    agent_channel : {"left", "right"}
    ring_onset_s : float, optional
        Exact time of the first ring's onset in the recording (practice sessions).
    answer_s : float, optional
        Exact time the agent picked up (practice sessions: first speech or key press).
    speakers : {"auto", "channels", "voice", "none"}
        How the agent is told from the customer (see :meth:`callcoach.transcribe.Engine.transcribe`);
        ``auto``: the channels of a stereo file, the voices of a mono one, a transcript's own labels.
    speaker_model : str, optional
        The voice embedder: a Vosk speaker-model folder or name, or ``"spectral"``; default:
        the installed speaker model, else the model-free embedder.
    redact : bool
        Mask personal data in the scorecard's outputs (see :mod:`callcoach.redact`); never read by a rule.
    """

    company: str | None = None
    agent: str | None = None
    language: str | None = None
    region: str | None = None
    ring_s: float | None = None
    layout: str | None = None
    agent_channel: str = "left"
    ring_onset_s: float | None = None
    answer_s: float | None = None
    speakers: str = "auto"
    speaker_model: str | None = None
    redact: bool = False


@dataclass
class CallAudio:
    """What the rules may read of the call's audio, gathered in one streamed pass (memory flat in its length).

    The samples themselves are not kept: the agent's signal (its channel, or
    the mix of a mono call) is summarised per 10 ms frame for loudness and
    clipping (``agent_frames``, a :class:`callcoach.voice.VoiceFrames`) and
    pitch-tracked (``agent_pitch``: frame times in s and f0 in Hz, NaN where
    unvoiced, every :data:`PITCH_HOP_S`).
    """

    samplerate: int
    stereo: bool
    agent_frames: Any = None
    agent_pitch: tuple[np.ndarray, np.ndarray] | None = None
    #: Samples of the agent's channel at full scale, counted at the file's own rate (None: not counted).
    agent_clipped_samples: int | None = None
    #: The file's own sample rate, Hz.
    native_samplerate: int | None = None


#: Time between the agent's pitch estimates in :class:`CallAudio`, seconds.
PITCH_HOP_S = 0.01


@dataclass
class Call:
    """Everything the rules may read about one call. Built by :mod:`callcoach.scoring`."""

    transcript: Transcript
    language: str
    pack: RulePack
    setup: CallSetup
    duration_s: float
    audio: CallAudio | None = None
    ringback: Any = None  # tones.RingbackResult or None
    agent_speech: list | None = None  # activity.Segment list on the agent channel
    customer_speech: list | None = None
    notes: list[Finding] = field(default_factory=list)
    #: Facts of a practice session (ended_by, caller_said_goodbye, ended_s, answer_s, expected_topics), else None.
    session: dict | None = None

    @cached_property
    def speakers_known(self) -> bool:
        return any(t.speaker in ("agent", "customer") for t in self.transcript.turns)

    @cached_property
    def agent_turns(self) -> tuple[Turn, ...]:
        """The agent's turns; in an unlabelled call (``--speakers none``), every turn.

        When some turns are labelled, ``"unknown"`` turns (a voice too uncertain to
        judge on a mono call) are left out rather than guessed.
        """
        if self.speakers_known:
            return self.transcript.by("agent")
        return self.transcript.turns

    @cached_property
    def customer_turns(self) -> tuple[Turn, ...]:
        return self.transcript.by("customer")

    def cues(self, *keys: str, by_pinyin: bool = True) -> CueSet:
        """A compiled matcher for the phrase list at ``pack[keys[0]][keys[1]]...`` (cached).

        It reports matches at or above :meth:`min_confidence` of section ``keys[0]``.
        """
        cache = self.__dict__.setdefault("_cue_cache", {})
        entry = (keys, by_pinyin)  # the same list matched by sound and by words only are two matchers
        if entry not in cache:
            node: Any = self.pack.data
            for key in keys:
                node = node[key]
            cache[entry] = cue_set(
                node, self.language, by_pinyin=by_pinyin, min_confidence=self.min_confidence(keys[0])
            )
        return cache[entry]

    def min_confidence(self, section: str) -> float:
        """Lowest match confidence the rule reading pack section ``section`` accepts.

        ``min_confidence`` in that section when set, else ``[matching] min_confidence``.
        """
        own = (self.pack.get(section) or {}).get("min_confidence")
        if own is None:
            own = (self.pack.get("matching") or {}).get("min_confidence", DEFAULT_MIN_CONFIDENCE)
        return float(own)

    def find(self, turn: Turn, *keys: str) -> list[Match]:
        return self.cues(*keys).find(turn.simplified)

    def say(self, rule: str, key: str, **params: Any) -> str:
        """A finding message or tip in the call's language (see :func:`say`)."""
        return say(self.language, rule, key, **params)


def say(language: str, rule: str, key: str, **params: Any) -> str:
    """The message ``key`` of ``rule`` from ``data/messages.toml`` in ``language``, formatted.

    Every rule's table is checked at import to have the same keys in both languages
    (:func:`callcoach.rules.validate`). ``at`` params given as seconds are shown as ``m:ss``.

    Raises
    ------
    KeyError
        No such message.
    """
    template = load_toml_resource("messages.toml").get(language, {}).get(rule, {}).get(key)
    if template is None:
        raise KeyError(f"no message {rule}.{key} in {language}")
    if isinstance(params.get("at"), (int, float)):
        params["at"] = mmss(params["at"])
    return template.format(**params)


def no_agent_speech(
    call: Call, rule: str, figures: dict[str, Any], message: str | None = "no_agent"
) -> CheckResult | None:
    """The ``n/a`` result of a rule that judges what the agent said, when the agent said nothing; else None.

    Parameters
    ----------
    call : Call
    rule : str
        The rule's id; its messages table gives the finding's text.
    figures : dict
        The rule's figures for a call without agent speech.
    message : str or None
        Key of the ``info`` finding that says so; None for no finding.
    """
    if call.agent_turns:
        return None
    findings = [] if message is None else [Finding(rule, "info", None, call.say(rule, message))]
    return CheckResult("n/a", figures, findings)


def checklist(figures: dict[str, Any], names: Mapping[str, str]) -> str:
    """A scorecard cell ticking off parts said (``✓greeting ✗company``): ``names`` maps figure keys to words."""
    return " ".join(("✓" if figures.get(key) else "✗") + name for key, name in names.items())


def found_count(figures: dict[str, Any], language: str) -> str:
    """A scorecard cell counting the phrases a phrase rule found."""
    return f"{figures.get('count', 0)} {'处' if language == 'zh' else 'found'}"


def graded(count: int, pass_min: int, warn_min: int) -> Status:
    """Status of a checklist rule: ``pass`` with at least ``pass_min`` items done, ``warn`` with at least
    ``warn_min``, else ``fail`` (closing parts said, 5W2H topics covered)."""
    if count >= pass_min:
        return "pass"
    return "warn" if count >= warn_min else "fail"


def mmss(seconds: float | None) -> str:
    """Seconds as ``m:ss`` (``h:mm:ss`` from an hour, ``-`` before a negative time, ``–`` for none).

    Whole seconds are truncated, so a time reads the same in finding messages,
    the text scorecard and the HTML report (the one time format of callcoach).
    """
    if seconds is None or not math.isfinite(seconds):
        return "–"
    whole = int(abs(seconds))
    sign = "-" if seconds < 0 and whole else ""
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{sign}{h}:{m:02d}:{s:02d}" if h else f"{sign}{m}:{s:02d}"
