"""Practice stage: scenarios — who calls, what they say, what the agent should find out.

A scenario is a TOML file (bundled ones live in ``callcoach/data/scenarios/``;
the format, with a worked example, is in ``docs/scenarios.md``)::

    title = "预约上门安装"
    language = "zh"                 # zh or en: the rule pack and speech model
    region = "cn"                   # ring cadence (cn, na, uk)
    company = "美家电器售后服务中心"   # default --company for the greeting check
    agent = "小王"                   # default --agent: the role the trainee plays
    brief = "你是{company}的客服{agent}。……"   # shown before the call, names filled in
    expected_topics = ["why", "where", "when", "how_much"]   # 5W2H the agent should cover

    [[lines]]                       # the caller's script, in order
    text = "你好，我想预约安装空调。"
    [[lines]]
    text = "我家在朝阳区……"
    answers = ["where"]             # said as soon as the agent asks where
    [[lines]]
    text = "那师傅哪天能来？"
    needs = ["when"]                # followed up by an "unanswered" reaction if not covered
    [[lines]]
    text = "好的，谢谢，再见。"
    goodbye = true                  # the caller says goodbye (default: the last line)

    [[reactions]]                   # said instead of the script when the agent's turn calls for it
    on = "rude"                     # rude | long_hold | unanswered (with topic = "...")
    text = "你这是什么态度？"

Which line follows which turn is decided by :mod:`callcoach.practice.caller`.
Text lines are spoken with espeak-ng. The Debian espeak-ng ``cmn`` voice has no
dictionary for most Han characters, so Mandarin text is converted to
tone-numbered pinyin (pypinyin) and spoken with ``cmn-latn-pinyin``.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from . import audio
from .datafiles import data_path, load_toml_file, parse_toml
from .errors import AudioError, ConfigError

__all__ = [
    "CallerLine",
    "Scenario",
    "load_scenario",
    "scenario_names",
    "speak_line",
    "has_espeak",
    "TOPICS",
    "DEFAULT_VOICES",
]

#: The 5W2H topic names used by the scorecard.
TOPICS = ("why", "what", "where", "when", "who", "how", "how_much")

#: espeak-ng voice per scenario language when the scenario names none.
DEFAULT_VOICES = {"zh": "cmn", "en": "en-us"}

#: Mandarin voices whose text is turned into pinyin first, and the voice that speaks it.
_PINYIN_VOICES = {"cmn", "zh", "cmn-latn-pinyin", "zh-cmn"}
_PINYIN_VOICE = "cmn-latn-pinyin"

_TOP_KEYS = {
    "name",
    "title",
    "language",
    "region",
    "company",
    "agent",
    "brief",
    "expected_topics",
    "voice",
    "speed_wpm",
    "ring_timeout_s",
    "lines",
    "reactions",
}
_LINE_KEYS = {"text", "wav", "voice", "speed_wpm", "pause_s", "goodbye", "answers", "needs"}
_REACTION_KEYS = {"text", "wav", "voice", "speed_wpm", "pause_s", "goodbye", "on", "topic"}
#: What a ``[[reactions]]`` entry can react to (see :mod:`callcoach.practice.caller`).
TRIGGERS = ("rude", "long_hold", "unanswered")

#: Peak level caller lines are played at (linear, full scale = 1).
LINE_PEAK = 0.5


@dataclass(frozen=True)
class CallerLine:
    """One thing the caller says.

    Attributes
    ----------
    number : int
        1-based position in the scenario.
    text : str or None
        What the caller says (spoken with espeak-ng unless ``wav`` is given).
    wav : Path or None
        A recording of the line, played instead of synthesised speech.
    voice : str
        espeak-ng voice for a text line.
    speed_wpm : int
        espeak-ng speed, words per minute.
    pause_s : float
        Extra pause after the agent's turn ends before the line starts, seconds.
    goodbye : bool
        The caller says goodbye with this line (hanging up before it is a finding).
    source_line : int or None
        Line of the ``[[lines]]`` header in the scenario file.
    answers : tuple of str
        5W2H topics this line answers: said as soon as the agent asks about one of them.
    needs : tuple of str
        5W2H topics the caller expects the agent to cover in reply to this line (else a follow-up).
    on : {"rude", "long_hold", "unanswered"} or None
        A reaction's trigger (None: a line of the script).
    topic : str or None
        An ``unanswered`` reaction's topic (None: any).
    """

    number: int
    text: str | None
    wav: Path | None
    voice: str
    speed_wpm: int
    pause_s: float
    goodbye: bool
    source_line: int | None = None
    answers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    on: str | None = None
    topic: str | None = None


@dataclass(frozen=True)
class Scenario:
    """A practice call: the caller's lines and what the agent should do.

    Attributes
    ----------
    name : str
        Short name (the file stem of a bundled scenario).
    title, brief : str
        Shown to the agent before the call.
    language : {"zh", "en"}
    region : str
        Ring cadence region.
    company, agent : str or None
        Defaults for the introduction check (``--company``/``--agent`` win).
    expected_topics : tuple of str
        5W2H topics the agent should cover; missing ones become findings.
    ring_timeout_s : float
        The caller gives up when nobody answers within this many seconds.
    lines : tuple of CallerLine
        The caller's script.
    path : Path or None
        The scenario file.
    reactions : tuple of CallerLine
        Lines said instead of the script when the agent's turn calls for them (``on``).
    """

    name: str
    title: str
    brief: str
    language: str
    region: str
    company: str | None
    agent: str | None
    expected_topics: tuple[str, ...]
    ring_timeout_s: float
    lines: tuple[CallerLine, ...]
    path: Path | None = None
    reactions: tuple[CallerLine, ...] = ()

    def line(self, number: int) -> CallerLine:
        """The script line or reaction with this number (reactions are numbered after the script)."""
        everything = self.lines + self.reactions
        return everything[number - 1]

    def briefing(self, company: str | None = None, agent: str | None = None) -> str:
        """The brief with ``{company}``/``{agent}`` (or the scenario's own names) replaced by the given ones."""
        text = self.brief
        for given, default, key in ((company, self.company, "company"), (agent, self.agent, "agent")):
            value = given or default or ""
            if given and default:
                text = text.replace(default, given)
            text = text.replace("{" + key + "}", value)
        return text

    @property
    def goodbye_number(self) -> int:
        """Number of the first line in which the caller says goodbye."""
        return next(line.number for line in self.lines if line.goodbye)


# --------------------------------------------------------------------------- loading


def scenarios_dir() -> Path:
    """Folder of the bundled scenarios."""
    return data_path("scenarios")


def scenario_names() -> list[str]:
    """Names of the bundled scenarios (file stems), sorted."""
    folder = scenarios_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load and validate a scenario by bundled name or file path.

    Raises
    ------
    ConfigError
        Unknown name, missing file, invalid TOML or an invalid setting (with the
        file and, where known, the line).
    """
    text = str(name_or_path)
    candidate = Path(text).expanduser()
    if not candidate.exists() and not text.endswith(".toml") and "/" not in text and "\\" not in text:
        bundled = scenarios_dir() / f"{text}.toml"
        if not bundled.is_file():
            raise ConfigError(
                f"no such scenario; bundled scenarios: {', '.join(scenario_names()) or 'none'} (or give a .toml file)",
                path=text,
            )
        candidate = bundled
    doc = load_toml_file(candidate)
    source = candidate.read_text(encoding="utf-8-sig")
    return _validate(doc, candidate, source)


def parse_scenario(text: str, path: str | Path) -> Scenario:
    """Validate scenario TOML given as text (``path`` names it in errors and anchors relative wav paths)."""
    return _validate(parse_toml(text, path), Path(path), text)


def _key_line(source: str, key: str, start_line: int = 1) -> int | None:
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=', re.M)
    lines = source.splitlines()
    for i in range(max(0, start_line - 1), len(lines)):
        if pattern.match(lines[i]):
            return i + 1
        if i >= start_line and lines[i].lstrip().startswith("["):
            break
    return None


def _table_lines(source: str, name: str) -> list[int]:
    pattern = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(name)}[ \t]*\]\]", re.M)
    return [source.count("\n", 0, m.start()) + 1 for m in pattern.finditer(source)]


def _number(value, name: str, low: float, high: float, path: Path, line: int | None) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"{name} must be a number from {low:g} to {high:g}, not {value!r}", path=path, line=line)
    return float(value)


def _string(value, name: str, path: Path, line: int | None, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{name} must be a non-empty string", path=path, line=line)
    return value.strip()


def _validate(doc: dict, path: Path, source: str) -> Scenario:
    from .cadences import cadences

    def where(key: str) -> int | None:
        return _key_line(source, key)

    unknown = sorted(set(doc) - _TOP_KEYS)
    if unknown:
        raise ConfigError(
            f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(_TOP_KEYS))})", path=path, line=where(unknown[0])
        )
    language = doc.get("language", "zh")
    if language not in DEFAULT_VOICES:
        raise ConfigError(
            f"language must be one of {', '.join(DEFAULT_VOICES)}, not {language!r}", path=path, line=where("language")
        )
    region = doc.get("region", "cn")
    if region not in cadences():
        raise ConfigError(
            f"unknown region {region!r}; known: {', '.join(sorted(cadences()))}", path=path, line=where("region")
        )
    topics = doc.get("expected_topics", [])
    if not isinstance(topics, list) or any(t not in TOPICS for t in topics):
        raise ConfigError(
            f"expected_topics must be a list of 5W2H names ({', '.join(TOPICS)})",
            path=path,
            line=where("expected_topics"),
        )
    voice = _string(doc.get("voice"), "voice", path, where("voice")) or DEFAULT_VOICES[language]
    speed = int(_number(doc.get("speed_wpm", 150), "speed_wpm", 80, 400, path, where("speed_wpm")))
    ring_timeout = _number(doc.get("ring_timeout_s", 60.0), "ring_timeout_s", 5, 600, path, where("ring_timeout_s"))
    raw_lines = doc.get("lines")
    headers = _table_lines(source, "lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise ConfigError("a scenario needs at least one [[lines]] table (the caller's lines)", path=path)
    lines = [
        _line(table, i, i + 1, headers, path, source, voice, speed, "lines", _LINE_KEYS)
        for i, table in enumerate(raw_lines)
    ]
    raw_reactions = doc.get("reactions", [])
    if not isinstance(raw_reactions, list):
        raise ConfigError("reactions must be [[reactions]] tables", path=path, line=where("reactions"))
    reaction_headers = _table_lines(source, "reactions")
    reactions = tuple(
        _line(table, i, len(lines) + i + 1, reaction_headers, path, source, voice, speed, "reactions", _REACTION_KEYS)
        for i, table in enumerate(raw_reactions)
    )
    if not any(line.goodbye for line in lines):
        last = lines[-1]
        lines[-1] = replace(last, goodbye=True)
    name = _string(doc.get("name"), "name", path, where("name")) or path.stem
    return Scenario(
        name=name,
        title=_string(doc.get("title"), "title", path, where("title")) or name,
        brief=_string(doc.get("brief"), "brief", path, where("brief")) or "",
        language=language,
        region=region,
        company=_string(doc.get("company"), "company", path, where("company")),
        agent=_string(doc.get("agent"), "agent", path, where("agent")),
        expected_topics=tuple(dict.fromkeys(topics)),
        ring_timeout_s=ring_timeout,
        lines=tuple(lines),
        path=path,
        reactions=reactions,
    )


def _topics(value, what: str, path: Path, line: int | None) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or any(t not in TOPICS for t in value):
        raise ConfigError(f"{what} must be 5W2H names ({', '.join(TOPICS)})", path=path, line=line)
    return tuple(value)


def _line(
    table,
    i: int,
    number: int,
    headers: list[int],
    path: Path,
    source: str,
    voice: str,
    speed: int,
    kind: str,
    keys: set[str],
) -> CallerLine:
    """One ``[[lines]]`` or ``[[reactions]]`` table, validated."""
    header = headers[i] if i < len(headers) else None
    what = f"caller line {i + 1}" if kind == "lines" else f"reaction {i + 1}"
    if not isinstance(table, dict):
        raise ConfigError(f"{what} must be a [[{kind}]] table", path=path, line=header)

    def at(key: str) -> int | None:
        return (_key_line(source, key, header) if header else None) or header

    extra = sorted(set(table) - keys)
    if extra:
        raise ConfigError(
            f"{what}: unknown setting {extra[0]!r} (known: {', '.join(sorted(keys))})", path=path, line=at(extra[0])
        )
    text = _string(table.get("text"), f"{what}: text", path, at("text"))
    wav = None
    if table.get("wav") is not None:
        name = _string(table.get("wav"), f"{what}: wav", path, at("wav")) or ""
        wav = Path(name) if Path(name).is_absolute() else path.parent / name
        try:
            audio.info(wav)
        except AudioError as exc:
            raise ConfigError(f"{what}: wav {wav}: {exc.problem}", path=path, line=at("wav")) from None
    if text is None and wav is None:
        raise ConfigError(f'{what} needs text = "..." or wav = "FILE.wav"', path=path, line=header)
    goodbye = table.get("goodbye", False)
    if not isinstance(goodbye, bool):
        raise ConfigError(f"{what}: goodbye must be true or false", path=path, line=at("goodbye"))
    on = table.get("on")
    if kind == "reactions" and on not in TRIGGERS:
        raise ConfigError(f"{what}: on must be one of {', '.join(TRIGGERS)}, not {on!r}", path=path, line=at("on"))
    topic = table.get("topic")
    if topic is not None:
        topic = _topics(topic, f"{what}: topic", path, at("topic"))[0]
    return CallerLine(
        number=number,
        text=text,
        wav=wav,
        voice=_string(table.get("voice"), f"{what}: voice", path, at("voice")) or voice,
        speed_wpm=int(_number(table.get("speed_wpm", speed), f"{what}: speed_wpm", 80, 400, path, at("speed_wpm"))),
        pause_s=_number(table.get("pause_s", 0.3), f"{what}: pause_s", 0, 30, path, at("pause_s")),
        goodbye=goodbye,
        source_line=header,
        answers=_topics(table.get("answers", []), f"{what}: answers", path, at("answers")),
        needs=_topics(table.get("needs", []), f"{what}: needs", path, at("needs")),
        on=on,
        topic=topic,
    )


# --------------------------------------------------------------------------- speaking


def has_espeak() -> bool:
    """True when the espeak-ng program is on PATH."""
    return shutil.which("espeak-ng") is not None


def pinyin_text(text: str) -> str:
    """Han characters as tone-numbered pinyin for espeak-ng's ``cmn-latn-pinyin`` voice.

    Punctuation becomes ``,`` or ``.`` (pauses); digits are left for espeak-ng,
    which reads them in Mandarin.
    """
    from pypinyin import Style, lazy_pinyin

    text = re.sub(r"[，、；：,;:]", ", ", text)
    text = re.sub(r"[。！？!?…]+", ". ", text)
    spoken = " ".join(lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True))
    return re.sub(r"\s+([,.])", r"\1", re.sub(r"\s+", " ", spoken)).strip()


def speak_line(line: CallerLine, samplerate: int, *, scenario_path: Path | None = None) -> np.ndarray:
    """The audio of one caller line: its WAV, or its text spoken by espeak-ng.

    Parameters
    ----------
    line : CallerLine
    samplerate : int
        Rate of the returned signal, Hz.
    scenario_path : Path, optional
        Named in errors.

    Returns
    -------
    np.ndarray
        Mono float32 samples at ``samplerate``, peak at :data:`LINE_PEAK`.

    Raises
    ------
    ConfigError
        A text line with espeak-ng not installed, or espeak-ng failing
        (unknown voice), with the scenario file and line.
    """
    if line.wav is not None:
        frames, _ = audio.load(line.wav, samplerate=samplerate)
        signal = audio.mono(frames)
    else:
        signal = _espeak(line, samplerate, scenario_path)
    loud = np.flatnonzero(np.abs(signal) > 1e-3)
    if len(loud):
        pad = int(0.05 * samplerate)
        signal = signal[max(0, loud[0] - pad) : loud[-1] + pad]
    peak = float(np.abs(signal).max()) if len(signal) else 0.0
    if peak > 0:
        signal = signal * (LINE_PEAK / peak)
    return signal.astype(np.float32)


def _espeak(line: CallerLine, samplerate: int, scenario_path: Path | None) -> np.ndarray:
    if not has_espeak():
        raise ConfigError(
            f"caller line {line.number} is text, which needs espeak-ng to be spoken: install it "
            '(apt-get install espeak-ng) or record the line and give wav = "FILE.wav"',
            path=scenario_path,
            line=line.source_line,
        )
    voice, text = line.voice, line.text or ""
    if voice in _PINYIN_VOICES and re.search(r"[\u3400-\u9fff]", text):
        voice, text = _PINYIN_VOICE, pinyin_text(text)
    try:
        done = subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(line.speed_wpm), "--stdout", text], capture_output=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(
            f"caller line {line.number}: espeak-ng failed: {exc}", path=scenario_path, line=line.source_line
        ) from None
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConfigError(
            f"caller line {line.number}: espeak-ng failed with voice {voice!r}: {detail[-1] if detail else 'no audio'}",
            path=scenario_path,
            line=line.source_line,
        )
    signal, rate = sf.read(io.BytesIO(done.stdout), dtype="float32")
    if signal.ndim > 1:
        signal = signal.mean(axis=1)
    if rate != samplerate:
        signal = soxr.resample(signal, rate, samplerate, quality="HQ").astype(np.float32)
    return signal
