"""Transcript files: import SRT, WebVTT and callcoach JSON; export JSON and SRT.

Trainers often already have transcripts (from a call-recording system or a
human). An imported file becomes the same :class:`~callcoach.transcript.Transcript`
as ASR output, so every later stage treats both alike.

* **SRT**: each cue's text starts with a speaker label, ``客服：您好…`` or
  ``Agent: Hello…`` (full-width or ASCII colon; ``[客服]`` also works). A cue
  may hold several labelled lines; its time is then shared out by length.
* **WebVTT**: ``<v Agent>Hello</v>`` voice tags (or labels as in SRT).
* **JSON**: callcoach's own format (``callcoach transcribe -o call.json``), or a
  callcoach scorecard, whose ``transcript`` is used.

Labels are looked up in ``callcoach/data/labels.toml`` plus the caller's own
(``labels={"小王": "agent"}``). Lines with no known label are ``unknown``.
Traditional characters are kept in ``Turn.text`` for display and converted in
``Turn.simplified`` for matching. Every parse error names the file and line.
"""

from __future__ import annotations

import json
import math
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import cast

from .datafiles import load_toml_resource
from .errors import TranscriptError
from .textnorm import simplify
from .transcript import FORMAT_NAME, SPEAKERS, Speaker, Transcript, Turn, Word

__all__ = [
    "load_transcript",
    "parse_srt",
    "parse_vtt",
    "parse_json",
    "save_transcript",
    "to_srt",
    "to_vtt",
    "default_labels",
    "guess_language",
    "TRANSCRIPT_SUFFIXES",
]

TRANSCRIPT_SUFFIXES = (".srt", ".vtt", ".json")

#: Largest transcript file read (a 10-hour call's subtitles are far smaller).
MAX_BYTES = 50 * 1024 * 1024

#: Latest time a transcript may reach (seconds): past it the times are wrong, not a long call.
MAX_CALL_S = 24 * 3600.0

_SRT_TIME = re.compile(
    r"^\s*(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})\s*-->\s*(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})\s*$"
)
_VTT_TIME = re.compile(
    r"^\s*(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})\.(\d{1,3})\s*-->\s*(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})\.(\d{1,3})(?:\s+.*)?$"
)
_LABEL = re.compile(r"^\s*(?:[-–—]\s*)?(?:\[([^\]\n]{1,24})\]|([^:：\n]{1,24}?)\s*[:：])\s*")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def default_labels() -> dict[str, str]:
    """Bundled speaker labels, lower-cased label -> speaker."""
    data = load_toml_resource("labels.toml")
    return {label.strip().lower(): speaker for speaker in ("agent", "customer") for label in data.get(speaker, [])}


def _labels(extra: Mapping[str, str] | None) -> dict[str, str]:
    table = default_labels()
    for label, speaker in (extra or {}).items():
        if speaker not in SPEAKERS:
            raise TranscriptError(f"speaker label {label!r} maps to {speaker!r}; use agent, customer or unknown")
        table[label.strip().lower()] = speaker
    return table


def guess_language(text: str) -> str:
    """``"zh"`` when a fair share of the letters are Han characters, else ``"en"``."""
    letters = sum(1 for c in text if c.isalpha())
    han = len(_HAN.findall(text))
    return "zh" if letters and han / letters > 0.3 else "en"


def _read_text(path: Path) -> str:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise TranscriptError("no such file", path=path) from None
    except OSError as exc:
        raise TranscriptError(f"cannot read: {exc.strerror}", path=path) from None
    if stat.S_ISDIR(st.st_mode):
        raise TranscriptError("is a folder, not a transcript file", path=path)
    if not stat.S_ISREG(st.st_mode):
        raise TranscriptError("not a regular file (a pipe, socket or device); give a transcript file", path=path)
    if st.st_size == 0:
        raise TranscriptError("empty file", path=path)
    if st.st_size > MAX_BYTES:
        raise TranscriptError(f"too large for a transcript ({st.st_size / 1e6:.0f} MB)", path=path)
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise TranscriptError("cannot read: permission denied", path=path) from None
    except OSError as exc:
        raise TranscriptError(f"cannot read: {exc.strerror or exc}", path=path) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise TranscriptError("not valid UTF-16 text", path=path) from None
    if b"\x00" in raw[:4096]:
        text = _utf16_without_bom(raw)
        if text is None:
            raise TranscriptError("binary data, not a text transcript", path=path)
        return text
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")  # Chinese Windows exports
    except UnicodeDecodeError:
        raise TranscriptError("not text in UTF-8, UTF-16 or GB18030", path=path) from None


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark (its ASCII characters leave NULs on one side), or None."""
    head = raw[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    # ASCII (times, digits, line ends) leaves a NUL in every other byte; a few CJK characters have one too.
    if len(raw) % 2 or max(even, odd) < len(head) // 10 or min(even, odd) * 4 > max(even, odd):
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for c in text[:2000] if ord(c) < 32 and c not in "\r\n\t")
    return text if not controls else None


def _seconds(h, m, s, ms, *, path=None, line: int | None = None) -> float:
    if int(m) >= 60 or int(s) >= 60:
        stamp = f"{int(h or 0):02d}:{int(m):02d}:{int(s):02d}"
        raise TranscriptError(f"time {stamp} is not a time: minutes and seconds must be below 60", path=path, line=line)
    ms_text = (ms or "0").ljust(3, "0")
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms_text) / 1000.0


def _split_label(line: str, labels: dict[str, str]) -> tuple[str | None, str]:
    """(speaker, rest) if the line starts with a known label, else (None, line)."""
    m = _LABEL.match(line)
    if m:
        label = simplify((m.group(1) or m.group(2) or "").strip()).lower()
        if label in labels:
            return labels[label], line[m.end() :].strip()
    return None, line.strip()


def _cue_turns(
    lines: list[str], start_s: float, end_s: float, labels: dict[str, str], voice: str | None = None
) -> list[Turn]:
    """Turns from one cue: one per run of lines with the same speaker, time shared by length."""
    pieces: list[tuple[str, str]] = []
    for line in lines:
        speaker, text = _split_label(line, labels)
        if speaker is None:
            speaker = voice or (pieces[-1][0] if pieces else "unknown")
        if not text:
            continue
        if pieces and pieces[-1][0] == speaker:
            pieces[-1] = (speaker, pieces[-1][1] + (" " if not _HAN.search(text[:1]) else "") + text)
        else:
            pieces.append((speaker, text))
    if not pieces:
        return []
    total = sum(len(t) for _, t in pieces) or 1
    turns, t = [], start_s
    for speaker, text in pieces:
        share = (end_s - start_s) * len(text) / total
        # labels.toml and --label only ever name agent or customer (validated when loaded)
        role = cast(Speaker, speaker)
        turns.append(Turn(speaker=role, start_s=t, end_s=t + share, text=text, simplified=simplify(text)))
        t += share
    return turns


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks with the 1-based line number of their first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if not current:
                first = number
            current.append(line.rstrip())
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def _check_times(start_s: float, end_s: float, path, line: int) -> None:
    if end_s < start_s:
        raise TranscriptError(f"cue ends ({end_s:.3f} s) before it starts ({start_s:.3f} s)", path=path, line=line)


def parse_srt(
    text: str, path: str | Path | None = None, labels: Mapping[str, str] | None = None, language: str | None = None
) -> Transcript:
    """Parse SRT text. Raises TranscriptError with the line of a malformed cue."""
    table = _labels(labels)
    turns: list[Turn] = []
    for first, block in _blocks(text):
        i = 0
        if block[0].strip().isdigit():
            i = 1
        if i >= len(block):
            raise TranscriptError(f"cue {block[0].strip()} has no timing line", path=path, line=first)
        m = _SRT_TIME.match(block[i])
        if not m:
            raise TranscriptError(
                f"expected a timing line like '00:00:01,000 --> 00:00:03,500', got {block[i].strip()[:40]!r}",
                path=path,
                line=first + i,
            )
        start_s = _seconds(*m.group(1, 2, 3, 4), path=path, line=first + i)
        end_s = _seconds(*m.group(5, 6, 7, 8), path=path, line=first + i)
        _check_times(start_s, end_s, path, first + i)
        lines = [_TAG.sub("", line) for line in block[i + 1 :]]
        turns.extend(_cue_turns(lines, start_s, end_s, table))
    return _finish(turns, "srt", path, language)


def parse_vtt(
    text: str, path: str | Path | None = None, labels: Mapping[str, str] | None = None, language: str | None = None
) -> Transcript:
    """Parse WebVTT text; ``<v Speaker>`` voices name the speaker."""
    table = _labels(labels)
    blocks = _blocks(text)
    if not blocks or not blocks[0][1][0].lstrip("\ufeff").startswith("WEBVTT"):
        raise TranscriptError("not a WebVTT file: the first line must be 'WEBVTT'", path=path, line=1)
    turns: list[Turn] = []
    for first, block in blocks[1:]:
        head = block[0].strip()
        if head.startswith(("NOTE", "STYLE", "REGION")):
            continue
        i = 0 if "-->" in block[0] else 1
        if i >= len(block) or "-->" not in block[i]:
            raise TranscriptError(
                f"expected a timing line like '00:01.000 --> 00:03.500', got {head[:40]!r}", path=path, line=first
            )
        m = _VTT_TIME.match(block[i])
        if not m:
            raise TranscriptError(f"malformed timing line {block[i].strip()[:50]!r}", path=path, line=first + i)
        start_s = _seconds(*m.group(1, 2, 3, 4), path=path, line=first + i)
        end_s = _seconds(*m.group(5, 6, 7, 8), path=path, line=first + i)
        _check_times(start_s, end_s, path, first + i)
        lines: list[str] = []
        voice = None
        for raw in block[i + 1 :]:
            v = _VOICE.search(raw)
            if v:
                name = simplify(v.group(1).strip())
                voice = table.get(name.lower(), "unknown")
            lines.append(_TAG.sub("", raw))
        turns.extend(_cue_turns(lines, start_s, end_s, table, voice=voice))
    return _finish(turns, "vtt", path, language)


def _json_line(text: str, needle: str) -> int | None:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def parse_json(text: str, path: str | Path | None = None, language: str | None = None) -> Transcript:
    """Parse callcoach's transcript JSON (or a scorecard JSON holding one)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    except RecursionError:
        raise TranscriptError("invalid transcript: JSON nested too deeply", path=path) from None
    if isinstance(doc, dict) and isinstance(doc.get("transcript"), dict):
        doc = doc["transcript"]
    if not isinstance(doc, dict) or not isinstance(doc.get("turns"), list):
        raise TranscriptError(
            f'not a callcoach transcript: expected an object with "format": "{FORMAT_NAME}" and a "turns" list',
            path=path,
        )
    turns = []
    for n, item in enumerate(doc["turns"], 1):
        where = f"turn {n}"
        if not isinstance(item, dict):
            raise TranscriptError(f"{where} is not an object", path=path, line=_json_line(text, '"turns"'))
        speaker = item.get("speaker", "unknown")
        if speaker not in SPEAKERS:
            raise TranscriptError(f"{where}: speaker {speaker!r} is not one of {', '.join(SPEAKERS)}", path=path)
        start_s, end_s = _json_seconds(item, "start_s", where, path), _json_seconds(item, "end_s", where, path)
        if end_s < start_s:
            raise TranscriptError(f"{where}: times {start_s}..{end_s} are not a forward interval", path=path)
        text_value = item.get("text", "")
        if not isinstance(text_value, str):
            raise TranscriptError(f"{where}: text should be a string, not {_json_kind(text_value)}", path=path)
        raw_words = item.get("words", [])
        if not isinstance(raw_words, list):
            raise TranscriptError(
                f"{where}: words should be a list of objects with text, start_s and end_s, not {_json_kind(raw_words)}",
                path=path,
            )
        words = []
        for k, w in enumerate(raw_words, 1):
            at = f"{where}, word {k}"
            if not isinstance(w, dict) or not isinstance(w.get("text"), str):
                raise TranscriptError(
                    f"{at} should be an object with a text string, start_s and end_s, not {_json_kind(w)}", path=path
                )
            confidence = _json_seconds(w, "confidence", at, path, default=1.0)
            words.append(
                Word(w["text"], _json_seconds(w, "start_s", at, path), _json_seconds(w, "end_s", at, path), confidence)
            )
        turns.append(
            Turn(
                speaker=speaker,
                start_s=start_s,
                end_s=end_s,
                text=text_value,
                words=tuple(words),
                simplified=simplify(text_value),
            )
        )
    duration = doc.get("duration_s")
    lang = language or doc.get("language")
    out = _finish(turns, "json", path, lang)
    if duration is not None:
        if not _is_number(duration) or not math.isfinite(duration) or duration <= 0:
            raise TranscriptError(f"duration_s should be a positive number of seconds, not {duration!r}", path=path)
        out = Transcript(turns=out.turns, language=out.language, duration_s=float(duration), source=out.source)
    return out


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _json_kind(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if _is_number(value):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


def _json_seconds(item: dict, key: str, where: str, path, default: float | None = None) -> float:
    """A finite, non-negative number from a JSON object (seconds or a confidence)."""
    if key not in item:
        if default is not None:
            return default
        raise TranscriptError(f"{where} has no {key!r}", path=path)
    value = item[key]
    if not _is_number(value):
        raise TranscriptError(f"{where}: {key} should be a number, not {_json_kind(value)}", path=path)
    if not math.isfinite(value) or value < 0:
        raise TranscriptError(f"{where}: {key} should be a finite number of zero or more, not {value!r}", path=path)
    return float(value)


def _finish(turns: list[Turn], kind: str, path, language: str | None) -> Transcript:
    if language is None:
        language = guess_language(" ".join(t.text for t in turns))
    end = max((t.end_s for t in turns), default=None)
    if end is not None and end > MAX_CALL_S:
        raise TranscriptError(
            f"times run to {end / 3600:.1f} h; a call's transcript should end within {MAX_CALL_S / 3600:.0f} h",
            path=path,
        )
    source = f"{kind}:{Path(path).name}" if path is not None else kind
    return Transcript(turns=tuple(turns), language=language, duration_s=end, source=source)


def load_transcript(
    path: str | Path, language: str | None = None, labels: Mapping[str, str] | None = None
) -> Transcript:
    """Read a transcript file: ``.srt``, ``.vtt`` or callcoach ``.json`` (by suffix, else by content).

    Parameters
    ----------
    path : path
    language : {"zh", "en"}, optional
        Default: guessed from the text (Han characters -> zh).
    labels : mapping, optional
        Extra speaker labels, label -> ``"agent"`` / ``"customer"``.

    Raises
    ------
    TranscriptError
        Missing, empty, binary or malformed file: the message names the file and line.
    """
    p = Path(path)
    text = _read_text(p)
    suffix = p.suffix.lower()
    head = text.lstrip("\ufeff \r\n\t")[:10]
    if suffix == ".vtt" or head.startswith("WEBVTT"):
        result = parse_vtt(text, p, labels, language)
    elif suffix == ".json" or head.startswith("{"):
        result = parse_json(text, p, language)
    elif suffix == ".srt" or "-->" in text[:2000]:
        result = parse_srt(text, p, labels, language)
    else:
        raise TranscriptError(f"unknown transcript type {suffix or '(no suffix)'}; use .srt, .vtt or .json", path=p)
    if not result.turns:
        raise TranscriptError("no cues with text in this transcript", path=p)
    return result


def save_transcript(transcript: Transcript, path: str | Path) -> None:
    """Write callcoach transcript JSON (UTF-8, Chinese kept readable)."""
    Path(path).write_text(json.dumps(transcript.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


_LABEL_OUT = {"zh": {"agent": "客服", "customer": "客户"}, "en": {"agent": "Agent", "customer": "Customer"}}


def _stamp(seconds: float, sep: str) -> str:
    ms = int(round(max(0.0, seconds) * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _labelled(turn: Turn, language: str) -> str:
    names = _LABEL_OUT.get(language, _LABEL_OUT["en"])
    label = names.get(turn.speaker)
    colon = "：" if language == "zh" else ": "
    return f"{label}{colon}{turn.text}" if label else turn.text


def to_srt(transcript: Transcript) -> str:
    """The transcript as SRT with speaker labels (re-importable with :func:`load_transcript`)."""
    cues = []
    for n, turn in enumerate(transcript.turns, 1):
        cues.append(
            f"{n}\n{_stamp(turn.start_s, ',')} --> {_stamp(turn.end_s, ',')}\n{_labelled(turn, transcript.language)}\n"
        )
    return "\n".join(cues)


def to_vtt(transcript: Transcript) -> str:
    """The transcript as WebVTT with ``<v Agent>``/``<v Customer>`` voices."""
    out = ["WEBVTT", ""]
    for turn in transcript.turns:
        voice = {"agent": "Agent", "customer": "Customer"}.get(turn.speaker)
        body = f"<v {voice}>{turn.text}" if voice else turn.text
        out += [f"{_stamp(turn.start_s, '.')} --> {_stamp(turn.end_s, '.')}", body, ""]
    return "\n".join(out)
