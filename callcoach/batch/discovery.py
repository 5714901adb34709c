"""Batch, finding the calls: audio files under folders and globs, and the transcript beside each."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .. import audio
from ..errors import ConfigError

__all__ = ["find_calls", "sibling_transcript", "SIBLING_SUFFIXES"]

#: Suffixes of a transcript beside its recording (``call.wav`` + ``call.srt``), in order of preference.
SIBLING_SUFFIXES = (".srt", ".vtt", ".json")


def _walk(folder: Path, skip: set[Path]) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (Path(root) / d).resolve() not in skip)
        for name in sorted(files):
            if not name.startswith(".") and audio.is_audio_path(name):
                yield Path(root) / name


def find_calls(paths: Iterable[str | Path], skip: Iterable[str | Path] = ()) -> list[Path]:
    """The audio files named by ``paths``: folders (searched recursively), globs, files.

    Folders and glob matches contribute only audio files (``.wav .flac .ogg
    .oga``), hidden files and folders excluded; a file named outright is taken
    whatever its suffix (so that a mis-named recording is reported, not
    skipped). Each file appears once, in the order found.

    Parameters
    ----------
    skip : paths
        Folders not to search (e.g. the results folder).

    Raises
    ------
    ConfigError
        A path that does not exist, or a glob that matches nothing.
    """
    skipped = {Path(s).resolve() for s in skip}
    found: dict[Path, Path] = {}

    def add(p: Path) -> None:
        found.setdefault(p.resolve(), p)

    for item in paths:
        text = str(item)
        if glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise ConfigError("no files match this pattern", path=text)
            for m in map(Path, matches):
                if m.is_dir():
                    for f in _walk(m, skipped):
                        add(f)
                elif audio.is_audio_path(m):
                    add(m)
            continue
        p = Path(text)
        if p.is_dir():
            for f in _walk(p, skipped):
                add(f)
        elif p.exists():
            add(p)
        else:
            raise ConfigError("no such file or folder", path=p)
    return list(found.values())


def sibling_transcript(recording: str | Path) -> Path | None:
    """The transcript beside a recording, if any: same folder and name, suffix ``.srt``, ``.vtt`` or ``.json``.

    The first of :data:`SIBLING_SUFFIXES` that exists wins (upper-case
    suffixes count too). A ``.json`` may be a callcoach transcript or a
    scorecard (``callcoach score -o``, the practice session), whose transcript
    is used.
    """
    p = Path(recording)
    for suffix in SIBLING_SUFFIXES:
        for candidate in (p.with_suffix(suffix), p.with_suffix(suffix.upper())):
            if candidate != p and candidate.is_file():
                return candidate
    return None
