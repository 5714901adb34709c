"""Batch, per-call facts: the manifest CSV and facts read from file names (``--agent-from``)."""

from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..packs import LANGUAGES

__all__ = ["MANIFEST_COLUMNS", "ManifestRow", "read_manifest", "NamePattern"]

#: Manifest columns, in the order the README documents them. ``file`` is required.
MANIFEST_COLUMNS = ("file", "agent", "company", "lang", "region", "ring_s", "layout", "agent_channel", "transcript")
_COLUMN_ALIASES = {"language": "lang"}

REGIONS = ("cn", "na", "uk")
LAYOUTS = ("stereo", "mono")
CHANNELS = ("left", "right")

#: Setup fields a manifest cell or a ``--agent-from`` field may set, by column name.
_SETUP_FIELDS = {
    "agent": "agent",
    "company": "company",
    "lang": "language",
    "region": "region",
    "ring_s": "ring_s",
    "layout": "layout",
    "agent_channel": "agent_channel",
}


# --------------------------------------------------------------------------- setup values


def _setup_value(column: str, raw: str, path: str | Path, line: int | None) -> Any:
    """Validate and convert one manifest cell or file-name field (already stripped, non-empty)."""
    if column in ("agent", "company"):
        return raw
    choices = {"lang": LANGUAGES, "region": REGIONS, "layout": LAYOUTS, "agent_channel": CHANNELS}
    if column in choices:
        value = raw.lower()
        if value not in choices[column]:
            raise ConfigError(f"{column} {raw!r} is not one of {', '.join(choices[column])}", path=path, line=line)
        return value
    if column == "ring_s":
        try:
            seconds = float(raw)
        except ValueError:
            raise ConfigError(f"ring_s {raw!r} is not a number of seconds", path=path, line=line) from None
        if not math.isfinite(seconds) or seconds < 0:
            raise ConfigError(f"ring_s {raw!r} should be zero or more seconds", path=path, line=line)
        return seconds
    raise ConfigError(f"unknown setting {column!r}", path=path, line=line)


# --------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class ManifestRow:
    """One call's facts from the manifest.

    Attributes
    ----------
    file : Path
        The recording, resolved against the manifest's folder.
    line : int
        Line of the row in the manifest (for messages).
    facts : dict
        Setup fields given in the row, by :class:`CallSetup` field name
        (``agent``, ``company``, ``language``, ``region``, ``ring_s``, ``layout``,
        ``agent_channel``); empty cells are left out.
    transcript : Path or None
        An imported transcript (.srt, .vtt, .json) to use instead of ASR.
    """

    file: Path
    line: int
    facts: dict[str, Any]
    transcript: Path | None = None


def _manifest_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("no such file", path=path) from None
    except IsADirectoryError:
        raise ConfigError("is a folder, not a CSV file", path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=path) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # Excel on Chinese Windows saves "CSV" in the ANSI code page (GBK)
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 (or GBK) text; save the manifest as CSV UTF-8", path=path) from None


def read_manifest(path: str | Path) -> dict[Path, ManifestRow]:
    """Read a manifest CSV: one row per call, a header naming the columns.

    Columns (case-insensitive, any order; only ``file`` is required):
    ``file, agent, company, lang, region, ring_s, layout, agent_channel,
    transcript``. Relative paths are relative to the manifest's folder.
    Comma, semicolon or tab separated; UTF-8 (with or without BOM) or GBK.

    Returns
    -------
    dict
        Resolved recording path -> :class:`ManifestRow`, in file order.

    Raises
    ------
    ConfigError
        Unknown or missing columns, bad values, a file listed twice: the
        message names the manifest and the line.
    """
    path = Path(path)
    text = _manifest_text(path)
    first = text.split("\n", 1)[0]
    delimiter = "," if "," in first else ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ConfigError(
            "manifest is empty; the first line should name the columns (file, agent, ...)", path=path, line=1
        ) from None
    except csv.Error as exc:
        raise ConfigError(f"not valid CSV: {exc}", path=path, line=1) from None
    columns = []
    for name in header:
        key = name.strip().lower()
        key = _COLUMN_ALIASES.get(key, key)
        if key not in MANIFEST_COLUMNS:
            raise ConfigError(
                f"unknown column {name.strip()!r}; the columns are: {', '.join(MANIFEST_COLUMNS)}", path=path, line=1
            )
        if key in columns:
            raise ConfigError(f"column {key!r} appears twice", path=path, line=1)
        columns.append(key)
    if "file" not in columns:
        raise ConfigError("no 'file' column: each row must name its recording", path=path, line=1)
    base = path.parent
    rows: dict[Path, ManifestRow] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(columns):
                raise ConfigError(f"{len(cells)} cells but the header has {len(columns)} columns", path=path, line=line)
            row = {k: v.strip() for k, v in zip(columns, cells) if v.strip()}
            if "file" not in row:
                raise ConfigError("the file cell is empty", path=path, line=line)
            file = (base / row.pop("file")).resolve()
            if file in rows:
                raise ConfigError(
                    f"{file.name} is listed twice (first on line {rows[file].line})", path=path, line=line
                )
            transcript = row.pop("transcript", None)
            facts = {_SETUP_FIELDS[k]: _setup_value(k, v, path, line) for k, v in row.items()}
            rows[file] = ManifestRow(
                file=file,
                line=line,
                facts=facts,
                transcript=None if transcript is None else (base / transcript).resolve(),
            )
    except csv.Error as exc:
        raise ConfigError(f"not valid CSV: {exc}", path=path, line=reader.line_num) from None
    return rows


# --------------------------------------------------------------------------- file-name pattern


class NamePattern:
    """Facts read from a recording's name, e.g. ``{agent}_{date}_{n}.wav``.

    ``{field}`` matches one or more characters other than ``/``; ``*`` matches
    anything. Fields named like manifest columns (``agent``, ``company``,
    ``lang``, ``region``, ``ring_s``, ``layout``, ``agent_channel``) set the
    call's setup; other fields (``{date}``, ``{n}``) only have to match. A
    pattern with ``/`` matches the last folders too (``{agent}/*.wav``). A
    pattern without a suffix matches the name without its suffix.

    Raises
    ------
    ConfigError
        A pattern without fields, with an empty or repeated field.
    """

    _FIELD = re.compile(r"\{([^{}]*)\}")

    def __init__(self, pattern: str):
        self.pattern = pattern
        parts, fields, pos = [], [], 0
        for found in self._FIELD.finditer(pattern):
            name = found.group(1).strip()
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise ConfigError(
                    f"--agent-from {pattern!r}: {{{found.group(1)}}} is not a field name (use letters, digits and _)"
                )
            if name in fields:
                raise ConfigError(f"--agent-from {pattern!r}: field {{{name}}} appears twice")
            fields.append(name)
            parts.append(self._literal(pattern[pos : found.start()]))
            parts.append(f"(?P<{name}>[^/]+?)")
            pos = found.end()
        parts.append(self._literal(pattern[pos:]))
        if not fields:
            raise ConfigError(f"--agent-from {pattern!r} has no {{field}}; e.g. '{{agent}}_{{date}}_{{n}}.wav'")
        self.fields = tuple(fields)
        self._regex = re.compile("".join(parts), re.IGNORECASE if os.name == "nt" else 0)
        self._depth = pattern.count("/") + 1
        self._with_suffix = bool(re.search(r"\.[A-Za-z0-9]+$", pattern))

    @staticmethod
    def _literal(text: str) -> str:
        return ".*?".join(re.escape(piece) for piece in text.split("*"))

    def match(self, path: str | Path) -> dict[str, str] | None:
        """All fields of the pattern for ``path`` (None when it does not match)."""
        p = Path(path)
        name = p.name if self._with_suffix else p.stem
        subject = "/".join([*p.parent.parts[-(self._depth - 1) :], name] if self._depth > 1 else [name])
        found = self._regex.fullmatch(subject)
        return None if found is None else found.groupdict()

    def facts(self, path: str | Path) -> dict[str, Any]:
        """The setup fields this pattern gives for ``path`` (empty when it does not match).

        Raises
        ------
        ConfigError
            A field value that is not valid for its setting (e.g. ``{lang}`` = ``fr``).
        """
        found = self.match(path) or {}
        return {
            _SETUP_FIELDS[k]: _setup_value(k, v, path, None)
            for k, v in found.items()
            if k in _SETUP_FIELDS and v.strip()
        }
