"""Batch, where calls are scored: in this process, or in a pool of worker processes."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Protocol

from ..errors import ConfigError

__all__ = ["Executor", "SerialExecutor", "LocalPoolExecutor", "make_executor"]


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

