"""Batch, where calls are scored: in this process, or in a pool of worker processes."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import gc
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from ..errors import ConfigError

__all__ = [
    "Executor",
    "SerialExecutor",
    "LocalPoolExecutor",
    "ThreadExecutor",
    "make_executor",
    "default_start_method",
    "WorkerDied",
]


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


class WorkerDied(RuntimeError):
    """The process scoring a job died (a crash, the out-of-memory killer, a lost cluster machine)."""


_WORKER_TASK: Any = None

#: Seconds between a worker's checks that the batch process is still there.
PARENT_WATCH_S = 1.0


def _die_with_parent(parent_pid: int, deathsig: bool) -> None:
    """Worker side: end this process when the batch process ends, even by ``kill -9``.

    On Linux the kernel sends SIGKILL the moment the parent goes
    (``PR_SET_PDEATHSIG``, set with ctypes; only when the pool was started from
    the parent's main thread, since the signal follows the thread that forked).
    Everywhere, a daemon thread checks every :data:`PARENT_WATCH_S` seconds
    that the parent is still this process's parent, and exits when not.
    """
    import signal
    import threading

    if deathsig and sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_WATCH_S)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="callcoach-parent-watch", daemon=True).start()


def _start_worker(task: Any, parent_pid: int, deathsig: bool, load: bool) -> None:
    """Pool initializer: die with the parent, ignore Ctrl-C (the parent handles it), load the task once.

    ``load`` is False for a forked worker: it inherits the task the parent loaded.
    """
    import signal

    global _WORKER_TASK
    _die_with_parent(parent_pid, deathsig)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_TASK = task
    if load:
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

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def default_start_method() -> str:
    """``fork`` where the system has it (Linux, other Unixes), else ``spawn`` (Windows, where it is the only one)."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" else "spawn"


class LocalPoolExecutor:
    """A pool of worker processes on this machine sharing one loaded model (:class:`ProcessPoolExecutor`).

    With ``fork`` (the default on Linux) this process runs ``task.load()``
    first (for :class:`CallScorer`: loads the Vosk model and warms its decoding
    graph cache on the batch's own audio), then forks the workers: they share
    the model's memory page for page (copy-on-write; Vosk never writes to a
    loaded model), so N workers cost one model plus N recognisers. With
    ``spawn`` (macOS, Windows) each worker starts fresh and loads its own copy.

    Each worker is its own process, so a call that crashes the engine or
    exhausts memory kills only its worker: the pool is rebuilt (forked again
    from the loaded parent) on the next submit, and the futures that were
    running on it raise :class:`BrokenProcessPool`. Workers die with this
    process, ``kill -9`` included (see :func:`_die_with_parent`).
    """

    def __init__(self, task: Callable[[Any], Any], workers: int, start_method: str | None = None):
        if workers < 1:
            raise ConfigError(f"need at least one worker, not {workers}")
        self.task = task
        self.workers = workers
        self.start_method = start_method or default_start_method()
        self._context = multiprocessing.get_context(self.start_method)
        if self.start_method == "fork":
            getattr(task, "load", lambda: None)()
            getattr(task, "warm_up", lambda: None)()
            # Objects loaded so far are left out of garbage collection while the pool lives (workers are forked
            # on submit and on a rebuild): the collector would otherwise touch, and so copy, every page holding
            # them in every worker (the gc.freeze() recipe for forking servers). shutdown() undoes it.
            gc.collect()
            gc.freeze()
        self._pool = self._new_pool()

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        deathsig = threading.current_thread() is threading.main_thread()
        return cf.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._context,
            initializer=_start_worker,
            initargs=(self.task, os.getpid(), deathsig, self.start_method != "fork"),
        )

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
        if self.start_method == "fork":
            gc.unfreeze()


class ThreadExecutor:
    """Threads of this process sharing one loaded task (one model, one graph cache).

    Vosk's decoding releases the GIL, so threads decode in parallel; the
    Python parts of scoring (signals, rules) take turns. There is no crash
    isolation: an engine crash ends the whole batch (results already written
    are kept). Measured against :class:`LocalPoolExecutor` in
    ``benchmarks/bench_batch.py``; see ``docs/scale.md`` for the choice.
    """

    def __init__(self, task: Callable[[Any], Any], workers: int):
        if workers < 1:
            raise ConfigError(f"need at least one worker, not {workers}")
        self.task = task
        self.workers = workers
        getattr(task, "load", lambda: None)()
        self._pool = cf.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="callcoach-call")

    def submit(self, job: Any) -> cf.Future:
        return self._pool.submit(self.task, job)

    def shutdown(self, cancel: bool = False) -> None:
        self._pool.shutdown(wait=True, cancel_futures=cancel)


def make_executor(
    task: Callable[[Any], Any], workers: int, kind: str = "process", cluster: str | None = None
) -> Executor:
    """The default executor: serial for one worker, else a local process pool (``kind="thread"``: threads).

    ``cluster``: the address of a Dask scheduler; the calls are scored there
    (:class:`~callcoach.batch.cluster.DaskExecutor`) and ``workers`` is ignored.
    """
    if cluster:
        from .cluster import DaskExecutor

        return DaskExecutor(task, cluster)
    if workers <= 1:
        return SerialExecutor(task)
    return ThreadExecutor(task, workers) if kind == "thread" else LocalPoolExecutor(task, workers)
