"""Rule packs: the phrases, cue words, thresholds and weights of one language.

The bundled packs (``callcoach/data/zh.toml``, ``en.toml``) define every key a
pack may have. A trainer's pack (``--rules company.toml``) is merged on top:
lists are extended, numbers and strings replaced, and new tables may only be
those the bundled pack allows to grow (marked ``OPEN_TABLES``). Anything else —
an unknown key, a wrong type — is rejected with the file, line and problem.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .datafiles import load_toml_file, load_toml_resource
from .errors import ConfigError

LANGUAGES = ("zh", "en")

#: Tables whose keys a trainer may freely add (e.g. new phrase lists).
OPEN_TABLES = ("required", "custom")


@dataclass
class RulePack:
    """A validated, merged pack. Read it like the TOML: ``pack["hold"]["limit_s"]``."""

    language: str
    data: dict
    sources: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def section(self, key: str) -> dict:
        return self.data.get(key, {})


def _line_of(text: str, key: str, after: int = 0) -> int | None:
    """1-based line of ``key = ...`` or of a table header naming ``key``, searching from line ``after`` on."""
    pattern = re.compile(rf'^[ \t]*("?{re.escape(key)}"?)[ \t]*=|^[ \t]*\[+[ \t]*[^\]\n]*\b{re.escape(key)}\b', re.M)
    skip = sum(len(line) for line in text.splitlines(keepends=True)[: max(0, after - 1)])
    found = pattern.search(text, skip)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _merge(base: dict, extra: dict, where: str, path: Path, text: str) -> None:
    for key, value in extra.items():
        name = f"{where}.{key}" if where else key
        line = _line_of(text, key)
        if key not in base and key == "min_confidence" and where and "." not in where and where not in OPEN_TABLES:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ConfigError(f"{name} should be a number from 0 to 1", path=path, line=line)
            base[key] = value  # any section may set the match confidence its rule accepts
            continue
        if key not in base:
            top = name.split(".")[0]
            if top in OPEN_TABLES or where.split(".")[0] in OPEN_TABLES:
                base[key] = copy.deepcopy(value)
                continue
            raise ConfigError(f"unknown setting {name!r}", path=path, line=line)
        current = base[key]
        if _kind(current) != _kind(value):
            raise ConfigError(f"{name} should be {_kind(current)}, not {_kind(value)}", path=path, line=line)
        if isinstance(current, dict):
            _merge(current, value, name, path, text)
        elif isinstance(current, list):
            if not all(isinstance(v, str) and v.strip() for v in value):
                raise ConfigError(f"{name} should be a list of non-empty strings", path=path, line=line)
            base[key] = current + [v for v in value if v not in current]
        elif isinstance(current, (int, float)) and not isinstance(current, bool):
            if not math.isfinite(value):
                raise ConfigError(f"{name} should be a finite number, not {value}", path=path, line=line)
            if abs(value) > MAX_NUMBER:
                raise ConfigError(f"{name} = {value:g} is out of range (at most {MAX_NUMBER:g})", path=path, line=line)
            if value < 0 and not key.endswith("_dbfs"):  # levels in dBFS are negative
                raise ConfigError(f"{name} should not be negative", path=path, line=line)
            base[key] = value
        else:
            base[key] = value


def _check_open_tables(data: dict, path: Path, text: str) -> None:
    required = data.get("required", {})
    for key, value in required.items():
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ConfigError(f"required.{key} should be a list of phrases", path=path, line=_line_of(text, key))


#: Settings a ``[custom.NAME]`` table may have (the company's own forbidden phrases, see rules/forbidden.py).
CUSTOM_KEYS = {"phrases": list, "suggestion": str, "label": str, "severity": str, "by_pinyin": bool}
SEVERITIES = ("info", "warning", "error")


def _check_custom(user: dict, path: Path, text: str) -> None:
    """Validate the ``[custom.NAME]`` tables of one trainer's pack (before it is merged)."""
    custom = user.get("custom", {})
    if not isinstance(custom, dict):
        raise ConfigError(
            "custom should be tables: [custom.NAME] with phrases = [...]", path=path, line=_line_of(text, "custom")
        )
    for name, table in custom.items():
        header = _line_of(text, name)
        if not isinstance(table, dict):
            raise ConfigError(
                f"custom.{name} should be a table: [custom.{name}] with phrases = [...]", path=path, line=header
            )
        for key, value in table.items():
            line = _line_of(text, key, after=header or 0) or header
            want = CUSTOM_KEYS.get(key)
            if want is None:
                raise ConfigError(
                    f"unknown setting custom.{name}.{key} (have: {', '.join(CUSTOM_KEYS)})", path=path, line=line
                )
            if not isinstance(value, want):
                raise ConfigError(
                    f"custom.{name}.{key} should be {_kind(want())}, not {_kind(value)}", path=path, line=line
                )
        phrases = table.get("phrases")
        if not phrases or not all(isinstance(v, str) and v.strip() for v in phrases):
            line = (_line_of(text, "phrases", after=header or 0) if "phrases" in table else None) or header
            raise ConfigError(f"custom.{name}.phrases should be a non-empty list of phrases", path=path, line=line)
        if table.get("severity", "warning") not in SEVERITIES:
            raise ConfigError(
                f"custom.{name}.severity should be one of {', '.join(SEVERITIES)}",
                path=path,
                line=_line_of(text, "severity", after=header or 0) or header,
            )


#: Largest magnitude of a number in a pack (weights, thresholds): beyond it sums overflow to inf/nan.
MAX_NUMBER = 1e9


def _check_privacy(data: dict, path: Path, text: str) -> None:
    """``[privacy] patterns`` must be regular expressions that compile and cannot match empty text."""
    for pattern in data.get("privacy", {}).get("patterns", []):
        line = _line_of(text, "patterns")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ConfigError(
                f"privacy.patterns: {pattern!r} is not a valid regular expression ({exc})", path=path, line=line
            ) from None
        if compiled.fullmatch(""):
            raise ConfigError(f"privacy.patterns: {pattern!r} matches empty text", path=path, line=line)


def _check_pickup(data: dict, path: Path, text: str) -> None:
    """``[wording] pickup_pair`` must name one of the ``[wording.pairs]`` (or be empty: off)."""
    wording = data.get("wording", {})
    pair = wording.get("pickup_pair", "")
    if pair and pair not in wording.get("pairs", {}):
        raise ConfigError(
            f"wording.pickup_pair: {pair!r} is not one of the wording pairs ({', '.join(sorted(wording['pairs']))})",
            path=path,
            line=_line_of(text, "pickup_pair"),
        )


def _merge_user_pack(data: dict, user: dict, path: Path, text: str) -> None:
    _check_custom(user, path, text)
    _merge(data, user, "", path, text)
    _check_open_tables(data, path, text)
    _check_privacy(data, path, text)
    _check_pickup(data, path, text)


def _bundled(language: str) -> dict:
    """A copy of the bundled pack, its ``[weights]`` filled with the rules' default weights."""
    from .rules import default_weights  # the rules read packs: imported when a pack is loaded

    data = copy.deepcopy(load_toml_resource(f"{language}.toml"))
    data.setdefault("required", {})
    data["weights"] = {**default_weights(), **data.get("weights", {})}
    return data


def load_pack(language: str, extra: Iterable[str | Path] = ()) -> RulePack:
    """The bundled pack for ``language`` with trainers' packs merged on top, in order.

    Raises
    ------
    ConfigError
        Unknown language, unreadable or malformed extra pack (file, line, problem).
    """
    if language not in LANGUAGES:
        raise ConfigError(f"no rule pack for language {language!r} (have: {', '.join(LANGUAGES)})")
    data = _bundled(language)
    sources = [f"callcoach/data/{language}.toml"]
    for item in extra:
        path = Path(item)
        user = load_toml_file(path)
        text = path.read_text(encoding="utf-8-sig")
        declared = user.pop("language", language)
        if declared not in LANGUAGES:
            raise ConfigError(
                f"language should be one of {', '.join(repr(x) for x in LANGUAGES)}, not {declared!r}",
                path=path,
                line=_line_of(text, "language"),
            )
        name = user.pop("name", "")
        if not isinstance(name, str):
            raise ConfigError(f"name should be a string, not {_kind(name)}", path=path, line=_line_of(text, "name"))
        if declared != language:
            # A pack for the other language is not this call's, but it is still checked: a mistake in it
            # must not wait for the first call in that language.
            other = _bundled(declared)
            _merge_user_pack(other, user, path, text)
            continue
        _merge_user_pack(data, user, path, text)
        sources.append(str(path))
    return RulePack(language=language, data=data, sources=sources)
