"""The timed, speaker-labelled transcript: the record every later stage reads.

ASR output (:mod:`callcoach.transcribe`) and imported files
(:mod:`callcoach.transcript_files`) both produce a :class:`Transcript`, so the
rules never know where the words came from.

Times are seconds from the start of the recording.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal, get_args

from .textnorm import simplify

Speaker = Literal["agent", "customer", "unknown"]
SPEAKERS: tuple[Speaker, ...] = get_args(Speaker)

FORMAT_NAME = "callcoach-transcript"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Word:
    """One recognised (or imported) word.

    For Mandarin a "word" is whatever the recogniser emits (usually one to
    four characters); imported cues without word timing carry no words.
    """

    text: str
    start_s: float
    end_s: float
    confidence: float = 1.0

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class Turn:
    """A stretch of speech by one speaker.

    Attributes
    ----------
    speaker : {"agent", "customer", "unknown"}
    start_s, end_s : float
        Seconds from the start of the recording.
    text : str
        The text as heard or imported (traditional characters kept), for display.
    words : tuple of Word
        Word timing when known (ASR, callcoach JSON); empty for subtitle cues.
    simplified : str
        ``text`` as matched (:func:`callcoach.textnorm.simplify`, the same length): traditional and dialect
        characters as simplified Mandarin ones, an English dropped g put back ("workin'" as "working"). By
        default computed from ``text``.
    speaker_confidence : float or None
        How sure the speaker label is, 0-1, when it was inferred from the voice
        of a one-channel call (:mod:`callcoach.speakers`); None when it came
        from the channel or the transcript's own labels.
    """

    speaker: Speaker
    start_s: float
    end_s: float
    text: str
    words: tuple[Word, ...] = ()
    simplified: str = ""
    speaker_confidence: float | None = None

    def __post_init__(self) -> None:
        if not self.simplified:
            object.__setattr__(self, "simplified", simplify(self.text))

    @property
    def duration_s(self) -> float:
        return max(0.0, self.end_s - self.start_s)

    def to_dict(self) -> dict:
        out = {
            "speaker": self.speaker,
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "text": self.text,
            "words": [w.to_dict() for w in self.words],
        }
        if self.simplified != self.text:
            out["simplified"] = self.simplified
        if self.speaker_confidence is not None:
            out["speaker_confidence"] = round(self.speaker_confidence, 3)
        return out


@dataclass(frozen=True)
class Transcript:
    """All turns of one call, sorted by start time.

    Attributes
    ----------
    turns : tuple of Turn
    language : str
        ``"zh"`` or ``"en"`` (or another code for models of other languages).
    duration_s : float or None
        Length of the recording when known.
    source : str
        Where the text came from: ``"vosk:<model>"``, ``"srt"``, ``"vtt"``, ``"json"``.
    speakers : dict or None
        How the speakers were told apart, when callcoach did it: ``{"method": "channels"}``
        for a stereo split, or the voice-separation record of
        :func:`callcoach.speakers.label_turns` (``method`` ``"voice"``).
    """

    turns: tuple[Turn, ...]
    language: str = "zh"
    duration_s: float | None = None
    source: str = ""
    speakers: dict | None = None

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.turns, key=lambda t: (t.start_s, t.end_s)))
        object.__setattr__(self, "turns", ordered)

    def by(self, speaker: str) -> tuple[Turn, ...]:
        """The turns of one speaker, in time order."""
        return tuple(t for t in self.turns if t.speaker == speaker)

    def next_turn(self, after: int, *, agent: bool = True) -> int | None:
        """The index of the first turn after turn ``after`` that the agent speaks (``agent=False``: anyone else:
        the customer, or a voice not told apart), or None when there is none."""
        return next((i for i in range(after + 1, len(self.turns)) if (self.turns[i].speaker == "agent") == agent), None)

    def with_language(self, language: str) -> Transcript:
        return replace(self, language=language)

    def to_dict(self) -> dict:
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "language": self.language,
            "duration_s": None if self.duration_s is None else round(self.duration_s, 3),
            "source": self.source,
            **({"speakers": self.speakers} if self.speakers is not None else {}),
            "turns": [t.to_dict() for t in self.turns],
        }


def merge(parts: Iterable[Transcript], duration_s: float | None = None) -> Transcript:
    """Interleave the turns of several transcripts (e.g. the two channels of a call)."""
    parts = list(parts)
    if not parts:
        return Transcript(turns=(), duration_s=duration_s)
    turns = tuple(t for p in parts for t in p.turns)
    first = parts[0]
    return Transcript(
        turns=turns,
        language=first.language,
        duration_s=duration_s if duration_s is not None else first.duration_s,
        source=first.source,
        speakers=first.speakers,
    )
