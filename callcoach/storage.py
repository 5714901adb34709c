"""Files that must survive a crash: atomic writes and content fingerprints.

Neutral ground for every stage that keeps results on disk (the batch's result
store, the HTML report, saved scorecards): a write is seen whole or not at all,
and a fingerprint tells whether an input changed since a result was made.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path

__all__ = ["fingerprint", "unchanged", "write_atomic", "read_json"]

#: Bytes hashed from each end of a large file for its fingerprint.
_HASH_SPAN = 1 << 20


def fingerprint(path: str | Path | None) -> dict | None:
    """What identifies a file's content: size, mtime and a SHA-256.

    Files up to 2 MiB are hashed whole, larger ones over their first and last
    MiB (recordings change at the ends when they change at all; a full hash of
    a thousand calls would read them all twice). Returns None for no path;
    ``{"missing": True}`` or ``{"error": ...}`` when the file cannot be read.
    """
    if path is None:
        return None
    try:
        st = os.stat(path)
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            if st.st_size <= 2 * _HASH_SPAN:
                digest.update(f.read())
            else:
                digest.update(f.read(_HASH_SPAN))
                f.seek(-_HASH_SPAN, os.SEEK_END)
                digest.update(f.read(_HASH_SPAN))
    except FileNotFoundError:
        return {"missing": True}
    except OSError as exc:
        return {"error": exc.strerror or str(exc)}
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest.hexdigest()}


def unchanged(stored: dict | None, path: str | Path | None) -> bool:
    """Whether ``path`` still has the content ``stored`` (a :func:`fingerprint`) describes.

    Size and mtime equal: unchanged without reading the file. Same size, other
    mtime (a copy): compare the hash.
    """
    if path is None or stored is None:
        return path is None and stored is None
    if "sha256" not in stored:
        return False
    try:
        st = os.stat(path)
    except OSError:
        return False
    if st.st_size != stored.get("size"):
        return False
    if st.st_mtime_ns == stored.get("mtime_ns"):
        return True
    return (fingerprint(path) or {}).get("sha256") == stored["sha256"]


def write_atomic(path: str | Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write a file so that readers (and a rerun after a crash) see the old or the new content, never half.

    The data goes to a temporary file in the same folder, is flushed to disk,
    and is renamed over ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode(encoding) if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_json(path: str | Path) -> dict | None:
    """A JSON object from ``path``; None when the file is missing, unreadable or not a JSON object."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None
