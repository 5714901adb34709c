"""Batch, the result store: one JSON per call in ``OUT/calls/``, written atomically, one writer at a time."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import IO

from ..errors import ConfigError
from ..storage import read_json, write_atomic

__all__ = ["CALLS_DIR", "ResultStore", "result_key"]

#: Sub-folder of the results folder holding one ``<key>.json`` per call.
CALLS_DIR = "calls"


def result_key(path: Path) -> str:
    """A result-file name for a recording: readable stem plus a digest of its full path."""
    stem = re.sub(r'[\x00-\x1f<>:"/\\|?*\s]+', "_", path.stem).strip("._")[:60] or "call"
    return f"{stem}-{hashlib.sha1(str(path.resolve()).encode('utf-8')).hexdigest()[:10]}"


class ResultStore:
    """The results folder of a batch: ``calls/<key>.json`` per call, plus the report files.

    Each result is written atomically (:func:`~callcoach.storage.write_atomic`)
    the moment its call ends, so a crash or ``kill -9`` loses only the calls
    still running. :meth:`open` takes the folder's lock (one batch writes to a
    folder at a time) and removes temporary files left by a run killed
    mid-write.
    """

    def __init__(self, out_dir: str | Path):
        self.out_dir = Path(out_dir)
        self.calls_dir = self.out_dir / CALLS_DIR
        self._lock_file: IO[str] | None = None

    def path(self, key: str) -> Path:
        return self.calls_dir / f"{key}.json"

    def read(self, key: str) -> dict | None:
        """The stored result of a call, or None."""
        return read_json(self.path(key))

    def write(self, key: str, doc: dict) -> Path:
        """Store a call's result document; returns its path."""
        path = self.path(key)
        write_atomic(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        return path

    def open(self) -> ResultStore:
        """Create the folder, take its lock, clear stale temporary files.

        Raises
        ------
        ConfigError
            The folder is a file or cannot be written; another batch holds the lock.
        """
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise ConfigError("is a file, not a folder; the results need a folder of their own", path=self.out_dir)
        try:
            self.calls_dir.mkdir(parents=True, exist_ok=True)
            self._lock_file = open(self.out_dir / ".batch.lock", "a+")
            probe = self.calls_dir / f".write-probe.{os.getpid()}.tmp"
            probe.write_bytes(b"")
            probe.unlink()
        except PermissionError:
            raise ConfigError(
                "cannot write results here (permission denied); choose another folder", path=self.out_dir
            ) from None
        except (FileExistsError, NotADirectoryError):
            raise ConfigError("cannot make the results folder: part of the path is a file", path=self.out_dir) from None
        except OSError as exc:
            raise ConfigError(f"cannot write results here: {exc.strerror or exc}", path=self.out_dir) from None
        lock_file = self._lock_file
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; go on unguarded
            pass
        else:
            try:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock_file.close()
                self._lock_file = None
                raise ConfigError(
                    "another callcoach batch is writing to this results folder", path=self.out_dir
                ) from None
        for stale in [*self.calls_dir.glob(".*.tmp"), *self.out_dir.glob(".*.tmp")]:  # from a run killed mid-write
            stale.unlink(missing_ok=True)
        return self

    def close(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def __enter__(self) -> ResultStore:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()
