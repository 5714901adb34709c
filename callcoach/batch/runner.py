"""Batch, running: plan, hand the calls to an executor, store each result as it ends, report progress."""

from __future__ import annotations

import concurrent.futures as cf
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from ..errors import CallcoachError
from ..scoring import CallSetup
from ..storage import read_json
from .executors import Executor, WorkerDied, make_executor
from .plan import PlannedCall, plan_batch
from .store import ResultStore
from .worker import CallScorer, failure_document

__all__ = ["CallResult", "BatchProgress", "BatchSummary", "run_batch"]


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
    def from_document(cls, doc: dict, json_path: Path, skipped: bool) -> CallResult:
        batch = doc.get("batch") or {}
        return cls(
            key=batch.get("key", json_path.stem),
            file=str(doc.get("file")),
            json_path=json_path,
            ok=not doc.get("error"),
            skipped=skipped,
            error=doc.get("error"),
            duration_s=doc.get("duration_s"),
            score=doc.get("score"),
            agent=doc.get("agent"),
            elapsed_s=None if skipped else batch.get("elapsed_s"),
        )


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
            doc = read_json(r.json_path)
            if doc is not None:
                yield doc


def run_batch(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    *,
    manifest: str | Path | None = None,
    agent_from: str | None = None,
    defaults: CallSetup | None = None,
    rules: Sequence[str | Path] = (),
    model: str | Path | None = None,
    workers: int = 1,
    force: bool = False,
    sibling_transcripts: bool = True,
    decoder_chunk: int | None = None,
    executor: Executor | None = None,
    cluster: str | None = None,
    progress: Callable[[BatchProgress], None] | None = None,
) -> BatchSummary:
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
    decoder_chunk : int, optional
        The decoder's chunk in 10 ms frames for the calls transcribed with
        Vosk (see :class:`~callcoach.transcribe.Engine`); default: the model's
        own. Larger is faster and may change some words; a result scored with
        another chunk is scored again.
    executor : Executor, optional
        Run the calls elsewhere; built around a :class:`CallScorer`.
    cluster : str, optional
        Address of a Dask scheduler (``tcp://HOST:8786``): the calls are scored
        on its workers (see :mod:`callcoach.batch.cluster`); ``workers`` is then
        ignored. Results are still written here, by this process.
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
    with ResultStore(out_dir) as store:
        plan = plan_batch(
            paths,
            out_dir,
            manifest=manifest,
            agent_from=agent_from,
            defaults=defaults,
            rules=rules,
            model=model,
            force=force,
            sibling_transcripts=sibling_transcripts,
            decoder_chunk=decoder_chunk,
        )
        results: dict[str, CallResult] = {}
        for call in plan:
            if call.skip and call.previous is not None:
                results[call.key] = CallResult.from_document(call.previous, store.path(call.key), True)
        todo = [c for c in plan if not c.skip]
        state = {"done": 0, "failed": 0, "audio_done_s": 0.0}
        audio_s = float(sum(c.duration_s or 0.0 for c in todo))

        def report(last: CallResult | None) -> None:
            if progress is not None:
                progress(
                    BatchProgress(
                        calls=len(plan),
                        skipped=len(plan) - len(todo),
                        to_score=len(todo),
                        done=int(state["done"]),
                        failed=int(state["failed"]),
                        audio_s=audio_s,
                        audio_done_s=state["audio_done_s"],
                        last=last,
                    )
                )

        def finish(call: PlannedCall, doc: dict) -> None:
            path = store.write(call.key, doc)
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
            pool = executor or make_executor(
                CallScorer(rules=rules, preload=preload, decoder_chunk=decoder_chunk),
                min(workers, len(runnable)),
                cluster=cluster,
            )
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
    return BatchSummary(out_dir=out_dir, results=ordered, workers=used_workers, elapsed_s=time.perf_counter() - started)


def _unlock(futures: Iterable[cf.Future]) -> None:
    """Release the futures' locks this thread still holds after an interrupted :func:`concurrent.futures.wait`.

    ``wait`` takes every future's lock in turn before it looks at them; a Ctrl-C between two of those takes
    leaves the ones already taken held by this thread for ever. The pool's own thread, marking a cancelled call
    failed, then waits on that lock, and shutting the pool down waits on that thread: the batch hangs instead
    of stopping.
    """
    for future in futures:
        condition = future._condition  # private, but the only handle on the lock wait() takes
        while condition._is_owned():  # type: ignore[attr-defined]
            condition.release()


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
        try:
            done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
        except BaseException:  # Ctrl-C
            _unlock(running)
            raise
        for future in done:
            call = running.pop(future)
            try:
                doc = future.result()
            except WorkerDied:  # a cluster already ran the call again elsewhere: it kills every worker
                doc = failure_document(
                    call.job(),
                    f"{call.file}: the worker process died while scoring this "
                    "call, on every worker that tried it (crash or out of memory)",
                )
            except BrokenProcessPool:
                if call.key not in alone:
                    suspects.append(call)
                    continue
                crashes_alone += 1
                if not finished_ok and crashes_alone >= 3:
                    raise CallcoachError(
                        "the worker processes die on start-up or on every call; run with -j 1 to see why"
                    ) from None
                doc = failure_document(
                    call.job(), f"{call.file}: the worker process died while scoring this call (crash or out of memory)"
                )
            except Exception as exc:  # the executor itself failed on this job
                doc = failure_document(call.job(), f"{call.file}: could not be scored ({type(exc).__name__}: {exc})")
            else:
                finished_ok += 1
            finish(call, doc)
