"""Batch, the work of one call: a picklable :class:`CallJob` in, its result document out."""

from __future__ import annotations

import dataclasses
import os
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import CallcoachError
from ..packs import load_pack
from ..scoring import CallSetup, score_call
from ..storage import fingerprint
from ..transcript import Speaker, Transcript, Turn

__all__ = ["CallJob", "CallScorer", "failure_document"]


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
    return {
        "file": job.audio,
        "agent": job.setup.agent,
        "company": job.setup.company,
        "language": job.setup.language,
        "duration_s": None,
        "score": None,
        "error": error,
        "batch": {
            "key": job.key,
            "setup_digest": job.setup_digest,
            "setup": dataclasses.asdict(job.setup),
            "scored_at": _now(),
            "callcoach": __version__,
        },
    }


#: Two-turn calls scored by :meth:`CallScorer.warm_text` (every text table a real call uses gets loaded).
_WARM_CALLS: dict[str, tuple[tuple[Speaker, str], ...]] = {
    "zh": (("agent", "您好，美家电器，我是小王，请问有什么可以帮您？"), ("customer", "空调什么时候能来修，要多少钱？")),
    "en": (("agent", "Thank you for calling Acme, this is Sam, how can I help?"), ("customer", "When can you come?")),
}


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

    def __init__(
        self,
        rules: Sequence[str | Path] = (),
        preload: Sequence[str | Path] = (),
        decoder_chunk: int | None = None,
    ):
        self.rules = tuple(str(r) for r in rules)
        self.preload = tuple(str(m) for m in preload)
        #: The decoder's chunk in 10 ms frames for every model loaded (None: each model's own setting).
        self.decoder_chunk = decoder_chunk
        self._engines: dict[str, Any] = {}
        self._packs: dict[str, Any] = {}
        #: How many models this scorer has loaded (a model is loaded once per worker, or once per
        #: machine when the workers are forked from a loaded parent).
        self.engine_loads = 0
        #: The process that loaded the models (the batch process itself for forked workers).
        self.loaded_by_pid: int | None = None
        self._loaded = False

    def __getstate__(self) -> dict:
        return {"rules": self.rules, "preload": self.preload, "decoder_chunk": self.decoder_chunk}

    def __setstate__(self, state: dict) -> None:
        CallScorer.__init__(self, **state)

    def load(self) -> None:
        """Load the preloaded models now (worker start-up) rather than on the first call.

        A model that fails to load is not raised here: each call that needs it
        reports the error as its result. Loading twice does nothing.
        """
        if self._loaded:
            return
        self._loaded = True
        for model in self.preload:
            try:
                self.engine(model)
            except CallcoachError:
                pass

    def warm_up(self) -> None:
        """Load everything a call needs before workers are forked: the models and the text stage (:meth:`warm_text`).

        For a process that forks its workers after loading (the executors of
        :mod:`callcoach.batch.executors`), so the workers share what was loaded.
        Vosk's decoding-graph cache is not warmed here: a worker that inherits a
        warm cache copies every page of it it touches, and the serial warm-up
        cost more time than it saved (``benchmarks/bench_batch.py``, docs/scale.md).
        """
        # the text stage is Python and the model loads in C without the GIL: do both at once
        text = threading.Thread(target=self.warm_text, name="callcoach-warm-text")
        text.start()
        try:
            self.load()
        finally:
            text.join()

    def warm_text(self) -> None:
        """Load the text stage once: the rule packs' cue matchers, jieba's dictionary and tag table, pypinyin,
        OpenCC (scoring a two-turn call in each language). Forked workers then share these tables instead of
        each building its own copy on its first call (tens of MB and a second or two apiece)."""
        for language, turns in _WARM_CALLS.items():
            try:
                transcript = Transcript(
                    tuple(Turn(speaker, i * 3.0, i * 3.0 + 2.5, text) for i, (speaker, text) in enumerate(turns)),
                    language=language,
                    source="warm-up",
                )
                score_call(transcript=transcript, setup=CallSetup(language=language), pack=self._pack(language))
            except CallcoachError:
                pass  # a bad company pack: each call reports it

    def engine(self, model: str):
        """The worker's :class:`~callcoach.transcribe.Engine` for ``model``, loaded on first use.

        A model that failed to load is not tried again: its error is raised for every call.
        """
        if model not in self._engines:
            from ..transcribe import Engine

            self.engine_loads += 1
            self.loaded_by_pid = os.getpid()
            try:
                self._engines[model] = Engine(model, frames_per_chunk=self.decoder_chunk)
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
        started, cpu_started = (
            time.perf_counter(),
            time.thread_time(),
        )  # this call's thread: others may share the process
        batch: dict[str, Any] = {
            "key": job.key,
            "setup_digest": job.setup_digest,
            "audio": fingerprint(job.audio),
            "transcript_file": job.transcript,
            "transcript": fingerprint(job.transcript),
            "setup": dataclasses.asdict(job.setup),
            "callcoach": __version__,
        }
        try:
            engine = self.engine(job.model) if job.model and not job.transcript else None
            if engine is not None and self.decoder_chunk is not None:
                batch["decoder_chunk"] = self.decoder_chunk  # how the words were heard (the model's own when absent)
            card = score_call(
                job.audio,
                transcript_path=job.transcript,
                setup=job.setup,
                engine=engine,
                pack=self._pack(job.setup.language),
                extra_packs=self.rules,
            )
            doc = {**card.to_dict(), "batch": {}}
        except CallcoachError as exc:
            doc = failure_document(job, exc.one_line() if exc.path else f"{job.audio}: {exc.problem}")
        except Exception as exc:  # a bug must not stop a night's batch: record it with its traceback
            doc = failure_document(job, f"{job.audio}: internal error while scoring ({type(exc).__name__}: {exc})")
            batch["traceback"] = traceback.format_exc()
        batch.update(
            elapsed_s=round(time.perf_counter() - started, 3),
            cpu_s=round(time.thread_time() - cpu_started, 3),
            scored_at=_now(),
            worker={"pid": os.getpid(), "engine_loads": self.engine_loads, "model_loaded_by": self.loaded_by_pid},
        )
        doc["batch"] = {**doc["batch"], **batch}
        return doc
