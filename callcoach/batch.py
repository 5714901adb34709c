"""Reports stage, batch side: score many calls in parallel, resumably.

A batch is planned, then run:

1. **Find the calls** (:func:`find_calls`): audio files in folders (recursively),
   glob patterns and named files; without paths, the manifest's rows.
2. **Work out each call's setup** (:class:`~callcoach.scoring.CallSetup`): a
   manifest row (:func:`read_manifest`) wins over facts read from the file name
   (:class:`NamePattern`, ``--agent-from``), which win over the batch defaults.
   A call's transcript is the manifest's ``transcript`` cell or, failing that,
   a sibling file with the recording's name and suffix ``.srt``, ``.vtt`` or
   ``.json`` (:func:`sibling_transcript`). A call with a transcript needs no
   speech model; only the others are transcribed with Vosk.
3. **Skip what is already scored**: each call's result is one JSON file in
   ``OUT/calls/``, written atomically the moment the call is scored, with a
   ``"batch"`` section recording the input's fingerprint (size, mtime and a
   SHA-256 of the audio and transcript files) and a digest of the setup, the
   rule packs, the model and the callcoach version. A rerun keeps every result
   whose inputs are unchanged; failures are always tried again.
4. **Score the rest** through an :class:`Executor`: :class:`SerialExecutor` in
   this process, or :class:`LocalPoolExecutor`, a process pool whose workers
   each load the Vosk model once. Another backend (a cluster) only has to
   implement ``submit``/``shutdown``.

The library never prints: progress goes to a callback as :class:`BatchProgress`
events, and :func:`run_batch` returns a :class:`BatchSummary`. A bad file never
stops the batch: its error is recorded as that call's result.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import csv
import dataclasses
import glob
import hashlib
import io
import json
import math
import multiprocessing
import os
import re
import secrets
import time
import traceback
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

from . import __version__, audio, models
from .errors import CallcoachError, ConfigError
from .packs import LANGUAGES, load_pack
from .scoring import CallSetup, score_call

__all__ = [
    "MANIFEST_COLUMNS", "ManifestRow", "read_manifest", "NamePattern", "find_calls", "fingerprint",
    "write_atomic", "CallJob", "CallScorer", "failure_document", "Executor", "SerialExecutor", "LocalPoolExecutor",
    "make_executor", "PlannedCall", "plan_batch", "BatchProgress", "CallResult", "BatchSummary",
    "run_batch", "CALLS_DIR", "SIBLING_SUFFIXES", "sibling_transcript",
]

#: Sub-folder of the results folder holding one ``<key>.json`` per call.
CALLS_DIR = "calls"

#: Manifest columns, in the order the README documents them. ``file`` is required.
MANIFEST_COLUMNS = ("file", "agent", "company", "lang", "region", "ring_s", "layout", "agent_channel",
                    "transcript")
_COLUMN_ALIASES = {"language": "lang"}

REGIONS = ("cn", "na", "uk")
LAYOUTS = ("stereo", "mono")
CHANNELS = ("left", "right")

#: Setup fields a manifest cell or a ``--agent-from`` field may set, by column name.
_SETUP_FIELDS = {"agent": "agent", "company": "company", "lang": "language", "region": "region",
                 "ring_s": "ring_s", "layout": "layout", "agent_channel": "agent_channel"}

#: Suffixes of a transcript beside its recording (``call.wav`` + ``call.srt``), in order of preference.
SIBLING_SUFFIXES = (".srt", ".vtt", ".json")

#: Bytes hashed from each end of a large file for its fingerprint.
_HASH_SPAN = 1 << 20


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
            value = float(raw)
        except ValueError:
            raise ConfigError(f"ring_s {raw!r} is not a number of seconds", path=path, line=line) from None
        if not math.isfinite(value) or value < 0:
            raise ConfigError(f"ring_s {raw!r} should be zero or more seconds", path=path, line=line)
        return value
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
        raise ConfigError("manifest is empty; the first line should name the columns (file, agent, ...)",
                          path=path, line=1) from None
    except csv.Error as exc:
        raise ConfigError(f"not valid CSV: {exc}", path=path, line=1) from None
    columns = []
    for name in header:
        key = name.strip().lower()
        key = _COLUMN_ALIASES.get(key, key)
        if key not in MANIFEST_COLUMNS:
            raise ConfigError(f"unknown column {name.strip()!r}; the columns are: {', '.join(MANIFEST_COLUMNS)}",
                              path=path, line=1)
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
                raise ConfigError(f"{len(cells)} cells but the header has {len(columns)} columns",
                                  path=path, line=line)
            row = {k: v.strip() for k, v in zip(columns, cells) if v.strip()}
            if "file" not in row:
                raise ConfigError("the file cell is empty", path=path, line=line)
            file = (base / row.pop("file")).resolve()
            if file in rows:
                raise ConfigError(f"{file.name} is listed twice (first on line {rows[file].line})",
                                  path=path, line=line)
            transcript = row.pop("transcript", None)
            facts = {_SETUP_FIELDS[k]: _setup_value(k, v, path, line) for k, v in row.items()}
            rows[file] = ManifestRow(file=file, line=line, facts=facts,
                                     transcript=None if transcript is None else (base / transcript).resolve())
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
                raise ConfigError(f"--agent-from {pattern!r}: {{{found.group(1)}}} is not a field name "
                                  "(use letters, digits and _)")
            if name in fields:
                raise ConfigError(f"--agent-from {pattern!r}: field {{{name}}} appears twice")
            fields.append(name)
            parts.append(self._literal(pattern[pos:found.start()]))
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
        subject = "/".join([*p.parent.parts[-(self._depth - 1):], name] if self._depth > 1 else [name])
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
        return {_SETUP_FIELDS[k]: _setup_value(k, v, path, None)
                for k, v in found.items() if k in _SETUP_FIELDS and v.strip()}


# --------------------------------------------------------------------------- discovery

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


# --------------------------------------------------------------------------- fingerprints and files

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


def _unchanged(stored: dict | None, path: str | Path | None) -> bool:
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


def _key(path: Path) -> str:
    """A result-file name for a recording: readable stem plus a digest of its full path."""
    stem = re.sub(r'[\x00-\x1f<>:"/\\|?*\s]+', "_", path.stem).strip("._")[:60] or "call"
    return f"{stem}-{hashlib.sha1(str(path.resolve()).encode('utf-8')).hexdigest()[:10]}"


def _read_json(path: Path) -> dict | None:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


# --------------------------------------------------------------------------- the work of one call

@dataclass(frozen=True)
class CallJob:
    """One call to score: everything a worker needs, picklable.

    Attributes
    ----------
    key : str
        Name of the call's result file (``OUT/calls/<key>.json``).
    audio : str
    transcript : str or None
        Imported transcript; when given, no ASR runs.
    setup : CallSetup
    model : str or None
        Vosk model folder for ASR (None when a transcript is given).
    setup_digest : str
        Digest of the setup, options and version; stored for resuming.
    """

    key: str
    audio: str
    transcript: str | None
    setup: CallSetup
    model: str | None
    setup_digest: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def failure_document(job: CallJob, error: str) -> dict:
    """The result document of a call that could not be scored (``error`` is ``FILE: problem``)."""
    return {"file": job.audio, "agent": job.setup.agent, "company": job.setup.company,
            "language": job.setup.language, "duration_s": None, "score": None, "error": error,
            "batch": {"key": job.key, "setup_digest": job.setup_digest,
                      "setup": dataclasses.asdict(job.setup), "scored_at": _now(), "callcoach": __version__}}


class CallScorer:
    """Scores one :class:`CallJob` into its result document; lives in each worker.

    Loaded once per worker (:meth:`load`): the Vosk models named in
    ``preload`` and the rule packs, kept for every call the worker scores.
    Pickling carries only the options, never a loaded model.

    The result document is the scorecard JSON (``Scorecard.to_dict()``) or,
    for a call that could not be scored, ``{"file", "agent", "company",
    "language", "error"}``; both with a ``"batch"`` section: the key, the
    input fingerprints, the setup, timings and the worker.
    """

    def __init__(self, rules: Sequence[str | Path] = (), preload: Sequence[str | Path] = ()):
        self.rules = tuple(str(r) for r in rules)
        self.preload = tuple(str(m) for m in preload)
        self._engines: dict[str, Any] = {}
        self._packs: dict[str, Any] = {}
        #: How many models this worker has loaded (a model is loaded once per worker).
        self.engine_loads = 0

    def __getstate__(self) -> dict:
        return {"rules": self.rules, "preload": self.preload}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)

    def load(self) -> None:
        """Load the preloaded models now (worker start-up) rather than on the first call.

        A model that fails to load is not raised here: each call that needs it
        reports the error as its result.
        """
        for model in self.preload:
            try:
                self.engine(model)
            except CallcoachError:
                pass

    def engine(self, model: str):
        """The worker's :class:`~callcoach.transcribe.Engine` for ``model``, loaded on first use.

        A model that failed to load is not tried again: its error is raised for every call.
        """
        if model not in self._engines:
            from .transcribe import Engine

            self.engine_loads += 1
            try:
                self._engines[model] = Engine(model)
            except CallcoachError as exc:
                self._engines[model] = exc
        found = self._engines[model]
        if isinstance(found, CallcoachError):
            raise found
        return found

    def _pack(self, language: str | None):
        if language is None:
            return None  # known only once the transcript is read: score_call loads it
        if language not in self._packs:
            self._packs[language] = load_pack(language, self.rules)
        return self._packs[language]

    def __call__(self, job: CallJob) -> dict:
        started, cpu_started = time.perf_counter(), time.process_time()
        batch: dict[str, Any] = {
            "key": job.key, "setup_digest": job.setup_digest,
            "audio": fingerprint(job.audio), "transcript_file": job.transcript,
            "transcript": fingerprint(job.transcript), "setup": dataclasses.asdict(job.setup),
            "callcoach": __version__,
        }
        try:
            engine = self.engine(job.model) if job.model and not job.transcript else None
            card = score_call(job.audio, transcript_path=job.transcript, setup=job.setup, engine=engine,
                              pack=self._pack(job.setup.language), extra_packs=self.rules)
            doc = {**card.to_dict(), "batch": {}}
        except CallcoachError as exc:
            doc = failure_document(job, exc.one_line() if exc.path else f"{job.audio}: {exc.problem}")
        except Exception as exc:  # a bug must not stop a night's batch: record it with its traceback
            doc = failure_document(job, f"{job.audio}: internal error while scoring ({type(exc).__name__}: {exc})")
            batch["traceback"] = traceback.format_exc()
        batch.update(elapsed_s=round(time.perf_counter() - started, 3),
                     cpu_s=round(time.process_time() - cpu_started, 3), scored_at=_now(),
                     worker={"pid": os.getpid(), "engine_loads": self.engine_loads})
        doc["batch"] = {**doc["batch"], **batch}
        return doc


# --------------------------------------------------------------------------- executors

class Executor(Protocol):
    """Where calls are scored. The batch runner needs only this.

    An executor is built around a task (a picklable callable with a ``load()``
    method, such as :class:`CallScorer`); it calls ``task.load()`` once per
    worker, then ``task(job)`` for each submitted job, and returns
    :class:`concurrent.futures.Future` objects. A cluster backend fits the
    same shape: Dask's ``Client.get_executor()`` or Ray's
    ``ray.util.multiprocessing`` pool already hand out such futures; the task's
    ``load`` becomes the worker set-up hook.

    Attributes
    ----------
    workers : int
        How many jobs run at once (the runner keeps about twice as many queued).
    """

    workers: int

    def submit(self, job: Any) -> cf.Future:
        """Queue one job; the future's result is ``task(job)``."""

    def shutdown(self, cancel: bool = False) -> None:
        """Release the workers. ``cancel``: drop queued jobs and stop running ones now."""


class SerialExecutor:
    """Runs jobs one by one in this process (``-j 1``); the task is loaded on the first job."""

    workers = 1

    def __init__(self, task: Callable[[Any], Any]):
        self.task = task
        self._loaded = False

    def submit(self, job: Any) -> cf.Future:
        if not self._loaded:
            getattr(self.task, "load", lambda: None)()
            self._loaded = True
        future: cf.Future = cf.Future()
        try:
            future.set_result(self.task(job))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def shutdown(self, cancel: bool = False) -> None:
        pass


_WORKER_TASK: Any = None


def _start_worker(task: Any) -> None:
    """Pool initializer: ignore Ctrl-C (the parent handles it) and load the task once."""
    import signal

    global _WORKER_TASK
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_TASK = task
    getattr(task, "load", lambda: None)()


def _run_in_worker(job: Any) -> Any:
    return _WORKER_TASK(job)


@contextlib.contextmanager
def _sigint_held():
    """Hold Ctrl-C back while worker processes may be started.

    A worker inherits the blocked signal, so a Ctrl-C while it is still
    importing (before :func:`_start_worker` ignores SIGINT) cannot kill it with
    a traceback; this process gets the held Ctrl-C as soon as the block ends.
    """
    import signal
    import threading

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class LocalPoolExecutor:
    """A pool of worker processes on this machine (:class:`ProcessPoolExecutor`).

    Each worker is started fresh (``spawn``), runs ``task.load()`` once (for
    :class:`CallScorer`: loads the Vosk model) and then scores calls. If a
    worker dies (crash, out of memory), the pool is rebuilt on the next submit;
    the futures that were running on it raise :class:`BrokenProcessPool`.
    """

    def __init__(self, task: Callable[[Any], Any], workers: int, start_method: str = "spawn"):
        if workers < 1:
            raise ConfigError(f"need at least one worker, not {workers}")
        self.task = task
        self.workers = workers
        self._context = multiprocessing.get_context(start_method)
        self._pool = self._new_pool()

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=self._context,
                                      initializer=_start_worker, initargs=(self.task,))

    def submit(self, job: Any) -> cf.Future:
        with _sigint_held():  # the pool starts its workers on submit
            try:
                return self._pool.submit(_run_in_worker, job)
            except BrokenProcessPool:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                return self._pool.submit(_run_in_worker, job)

    def shutdown(self, cancel: bool = False) -> None:
        if cancel:
            # Running calls are abandoned (their results were never written); stop them now.
            for process in list(getattr(self._pool, "_processes", {}).values()):
                if process.is_alive():
                    process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=cancel)


def make_executor(task: Callable[[Any], Any], workers: int) -> Executor:
    """The default executor: serial for one worker, a local process pool for more."""
    return SerialExecutor(task) if workers <= 1 else LocalPoolExecutor(task, workers)


# --------------------------------------------------------------------------- planning

@dataclass
class PlannedCall:
    """One call of the batch, before it runs.

    Attributes
    ----------
    file : Path
    key : str
    setup : CallSetup
    transcript : Path or None
    duration_s : float or None
        From the audio header (None when the header cannot be read).
    previous : dict or None
        The result document of an earlier run, when it is still valid (then the
        call is skipped).
    model : str or None
        Model folder for ASR.
    error : str or None
        A problem found while planning (e.g. no model for the call's language):
        recorded as the call's result without running it.
    """

    file: Path
    key: str
    setup: CallSetup
    transcript: Path | None
    duration_s: float | None
    setup_digest: str
    previous: dict | None = None
    model: str | None = None
    error: str | None = None

    @property
    def skip(self) -> bool:
        return self.previous is not None

    def job(self) -> CallJob:
        return CallJob(key=self.key, audio=str(self.file), transcript=None if self.transcript is None
                       else str(self.transcript), setup=self.setup, model=self.model,
                       setup_digest=self.setup_digest)


def _options_digest(rules: Sequence[str | Path]) -> list:
    out = []
    for r in rules:
        fp = fingerprint(r) or {}
        out.append([str(r), fp.get("sha256")])
    return out


def _setup_digest(setup: CallSetup, transcript: Path | None, model: str | None, rules_digest: list) -> str:
    state = {"setup": dataclasses.asdict(setup), "transcript": None if transcript is None else str(transcript),
             "model": model, "rules": rules_digest, "callcoach": __version__}
    return hashlib.sha256(json.dumps(state, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _still_valid(previous: dict | None, call: PlannedCall) -> bool:
    if previous is None or previous.get("error"):
        return False  # failures are always tried again
    batch = previous.get("batch") or {}
    return (batch.get("setup_digest") == call.setup_digest
            and _unchanged(batch.get("audio"), call.file)
            and _unchanged(batch.get("transcript"), call.transcript))


def plan_batch(paths: Iterable[str | Path], out_dir: str | Path, *, manifest: str | Path | None = None,
               agent_from: str | None = None, defaults: CallSetup | None = None,
               rules: Sequence[str | Path] = (), model: str | Path | None = None,
               force: bool = False, sibling_transcripts: bool = True) -> list[PlannedCall]:
    """Every call of the batch with its setup, model, and whether an earlier result stands.

    The calls are the audio files found under ``paths`` or, when no path is
    given, the manifest's rows. See :func:`run_batch` for the parameters.

    Raises
    ------
    ConfigError
        A path that does not exist, a bad manifest, pattern or rule pack.
    ModelError
        ``model`` was given but cannot be found.
    """
    out_dir = Path(out_dir)
    defaults = defaults or CallSetup()
    rows = read_manifest(manifest) if manifest is not None else {}
    pattern = NamePattern(agent_from) if agent_from else None
    for language in LANGUAGES:
        load_pack(language, rules)  # a broken rule pack is one error now, not one per call
    rules_digest = _options_digest(rules)
    paths = list(paths)
    files = find_calls(paths, skip=[out_dir]) if paths else list(rows)
    explicit_model = None if model is None else str(models.resolve(model))
    model_for: dict[str, str | CallcoachError] = {}
    planned = []
    for file in files:
        row = rows.get(file.resolve())
        facts = dict(pattern.facts(file) if pattern else {})
        if row is not None:
            facts.update(row.facts)
        setup = dataclasses.replace(defaults, **facts)
        transcript = row.transcript if row is not None else None
        if transcript is None and sibling_transcripts:
            transcript = sibling_transcript(file)
        call_model, model_error = None, None
        if transcript is None:
            if explicit_model is not None:
                call_model = explicit_model
            else:
                language = setup.language or "zh"
                if language not in model_for:
                    try:
                        model_for[language] = str(models.resolve(None, language=language))
                    except CallcoachError as exc:
                        model_for[language] = exc
                found = model_for[language]
                if isinstance(found, CallcoachError):  # the hint for `score` does not fit a batch
                    model_error = f"{file}: " + found.problem.replace(
                        "or score with --transcript FILE", "or give the call a transcript (CALL.srt, .vtt or .json "
                        "beside the recording, or the manifest's transcript column)")
                else:
                    call_model = found
        key = _key(file)
        call = PlannedCall(file=file, key=key, setup=setup, transcript=transcript, duration_s=None,
                           setup_digest=_setup_digest(setup, transcript, call_model, rules_digest),
                           model=call_model)
        previous = None if force else _read_json(out_dir / CALLS_DIR / f"{key}.json")
        if _still_valid(previous, call):
            call.previous, call.duration_s = previous, previous.get("duration_s")
        else:
            try:
                call.duration_s = audio.info(file).duration_s
            except CallcoachError as exc:  # the audio's own problem comes first
                call.error = exc.one_line()
            else:
                call.error = model_error
        planned.append(call)
    return planned


# --------------------------------------------------------------------------- running

@dataclass(frozen=True)
class CallResult:
    """How one call of the batch ended (its full result is the JSON at ``json_path``)."""

    key: str
    file: str
    json_path: Path
    ok: bool
    skipped: bool
    error: str | None
    duration_s: float | None
    score: float | None
    agent: str | None
    elapsed_s: float | None

    @classmethod
    def from_document(cls, doc: dict, json_path: Path, skipped: bool) -> "CallResult":
        batch = doc.get("batch") or {}
        return cls(key=batch.get("key", json_path.stem), file=str(doc.get("file")), json_path=json_path,
                   ok=not doc.get("error"), skipped=skipped, error=doc.get("error"),
                   duration_s=doc.get("duration_s"), score=doc.get("score"), agent=doc.get("agent"),
                   elapsed_s=None if skipped else batch.get("elapsed_s"))


@dataclass(frozen=True)
class BatchProgress:
    """A progress event, sent after planning and after each call.

    Attributes
    ----------
    calls : int
        Calls in the batch.
    skipped : int
        Calls already scored by an earlier run (not counted in ``to_score``).
    to_score : int
        Calls this run scores.
    done : int
        Of those, how many have finished (scored or failed).
    failed : int
    audio_s, audio_done_s : float
        Seconds of audio this run scores, and how many of them are done.
    last : CallResult or None
        The call that just finished.
    """

    calls: int
    skipped: int
    to_score: int
    done: int
    failed: int
    audio_s: float
    audio_done_s: float
    last: CallResult | None = None


@dataclass
class BatchSummary:
    """What a batch run did. ``results`` are in batch order; ``workers``: how many scored calls (0: none ran)."""

    out_dir: Path
    results: list[CallResult]
    workers: int
    elapsed_s: float

    @property
    def scored(self) -> list[CallResult]:
        return [r for r in self.results if r.ok and not r.skipped]

    @property
    def skipped(self) -> list[CallResult]:
        return [r for r in self.results if r.skipped]

    @property
    def failed(self) -> list[CallResult]:
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def audio_s(self) -> float:
        """Seconds of audio in the batch's scored calls (this run's and earlier ones')."""
        return float(sum(r.duration_s or 0.0 for r in self.results if r.ok))

    def documents(self) -> Iterator[dict]:
        """The calls' result documents, read one at a time from ``OUT/calls/``."""
        for r in self.results:
            doc = _read_json(r.json_path)
            if doc is not None:
                yield doc


class _Lock:
    """Only one batch writes to a results folder at a time."""

    def __init__(self, folder: Path):
        self.path = folder / ".batch.lock"
        self._file = None

    def __enter__(self) -> "_Lock":
        self._file = open(self.path, "a+")
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; go on unguarded
            return self
        try:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._file.close()
            raise ConfigError("another callcoach batch is writing to this results folder", path=self.path.parent)
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()


def run_batch(paths: Iterable[str | Path], out_dir: str | Path, *, manifest: str | Path | None = None,
              agent_from: str | None = None, defaults: CallSetup | None = None,
              rules: Sequence[str | Path] = (), model: str | Path | None = None, workers: int = 1,
              force: bool = False, sibling_transcripts: bool = True, executor: Executor | None = None,
              progress: Callable[[BatchProgress], None] | None = None) -> BatchSummary:
    """Score every call found under ``paths`` (and listed in ``manifest``) into ``out_dir``.

    Parameters
    ----------
    paths : paths
        Audio files, folders (searched recursively) and glob patterns. Empty:
        score the manifest's rows.
    out_dir : path
        Results folder; each call's JSON goes to ``out_dir/calls/<key>.json``
        as soon as it is scored.
    manifest : path, optional
        CSV of per-call facts (see :func:`read_manifest`) for the calls it
        lists; rows for files outside ``paths`` are not scored.
    agent_from : str, optional
        A :class:`NamePattern` reading setup fields from file names.
    defaults : CallSetup, optional
        Setup for what neither the manifest nor the pattern says.
    rules : paths
        Trainers' rule packs merged over the bundled ones.
    model : path or name, optional
        Vosk model for every call that needs ASR; default: the installed model
        for each call's language.
    workers : int
        Calls scored at once (default executor: serial for 1, else a process pool).
    force : bool
        Score every call again, even when an earlier result stands.
    sibling_transcripts : bool
        Use a transcript found beside a recording (``call.srt``, ``.vtt``,
        ``.json``; see :func:`sibling_transcript`) when the manifest names
        none. False: such calls are transcribed with Vosk.
    executor : Executor, optional
        Run the calls elsewhere; built around a :class:`CallScorer`.
    progress : callable, optional
        Called with a :class:`BatchProgress` after planning and after each call.

    Raises
    ------
    CallcoachError
        Bad paths, manifest, pattern, rule packs or ``model`` (nothing is scored).
    KeyboardInterrupt
        Passed on after stopping the workers; every call finished before it is kept.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    calls_dir = out_dir / CALLS_DIR
    calls_dir.mkdir(parents=True, exist_ok=True)
    with _Lock(out_dir):
        for stale in [*calls_dir.glob(".*.tmp"), *out_dir.glob(".*.tmp")]:  # from a run killed mid-write
            stale.unlink(missing_ok=True)
        plan = plan_batch(paths, out_dir, manifest=manifest, agent_from=agent_from, defaults=defaults,
                          rules=rules, model=model, force=force, sibling_transcripts=sibling_transcripts)
        results: dict[str, CallResult] = {}
        for call in plan:
            if call.skip:
                results[call.key] = CallResult.from_document(call.previous, calls_dir / f"{call.key}.json", True)
        todo = [c for c in plan if not c.skip]
        state = {"done": 0, "failed": 0, "audio_done_s": 0.0}
        audio_s = float(sum(c.duration_s or 0.0 for c in todo))

        def report(last: CallResult | None) -> None:
            if progress is not None:
                progress(BatchProgress(calls=len(plan), skipped=len(plan) - len(todo), to_score=len(todo),
                                       done=state["done"], failed=state["failed"], audio_s=audio_s,
                                       audio_done_s=state["audio_done_s"], last=last))

        def finish(call: PlannedCall, doc: dict) -> None:
            path = calls_dir / f"{call.key}.json"
            write_atomic(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
            result = CallResult.from_document(doc, path, False)
            results[call.key] = result
            state["done"] += 1
            state["failed"] += 0 if result.ok else 1
            state["audio_done_s"] += call.duration_s or 0.0
            report(result)

        report(None)
        runnable = []
        used_workers = 0
        for call in todo:
            if call.error is not None:
                finish(call, failure_document(call.job(), call.error))
            else:
                runnable.append(call)
        if runnable:
            preload = sorted({c.model for c in runnable if c.model and c.transcript is None})
            own = executor is None
            pool = executor or make_executor(CallScorer(rules=rules, preload=preload),
                                              min(workers, len(runnable)))
            used_workers = pool.workers
            try:
                _drive(pool, runnable, finish)
            except BaseException:
                pool.shutdown(cancel=True)
                raise
            else:
                if own:
                    pool.shutdown()
        ordered = [results[c.key] for c in plan]
    return BatchSummary(out_dir=out_dir, results=ordered, workers=used_workers,
                        elapsed_s=time.perf_counter() - started)


def _drive(executor: Executor, calls: list[PlannedCall], finish: Callable[[PlannedCall, dict], None]) -> None:
    """Keep the executor busy; hand each finished call to ``finish`` in the order they end.

    Longest calls go first so that workers end together. When a worker dies
    (a crash, the out-of-memory killer), every call it shared the pool with
    fails with it; those calls are run again one at a time, so only the call
    that kills its worker on its own is recorded as failed.
    """
    queue = sorted(calls, key=lambda c: -(c.duration_s or 0.0)) if executor.workers > 1 else list(calls)
    queue.reverse()  # pop() from the end
    window = max(1, 2 * executor.workers) if executor.workers > 1 else 1
    running: dict[cf.Future, PlannedCall] = {}
    suspects: list[PlannedCall] = []
    alone: set[str] = set()
    finished_ok = crashes_alone = 0
    while queue or running or suspects:
        if suspects:
            if not running:
                call = suspects.pop()
                alone.add(call.key)
                running[executor.submit(call.job())] = call
        else:
            while queue and len(running) < window:
                call = queue.pop()
                running[executor.submit(call.job())] = call
        done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
        for future in done:
            call = running.pop(future)
            try:
                doc = future.result()
            except BrokenProcessPool:
                if call.key not in alone:
                    suspects.append(call)
                    continue
                crashes_alone += 1
                if not finished_ok and crashes_alone >= 3:
                    raise CallcoachError("the worker processes die on start-up or on every call; "
                                         "run with -j 1 to see why") from None
                doc = failure_document(call.job(), f"{call.file}: the worker process died while scoring this "
                                                   "call (crash or out of memory)")
            except Exception as exc:  # the executor itself failed on this job
                doc = failure_document(call.job(), f"{call.file}: could not be scored ({type(exc).__name__}: {exc})")
            else:
                finished_ok += 1
            finish(call, doc)
