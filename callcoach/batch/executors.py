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
    "ThreadedProcessExecutor",
    "make_executor",
    "default_start_method",
    "WorkerDied",
]


class Executor(Protocol):
    """Where calls are scored. The batch runner needs only this.

    An executor is built around a task (a picklable callable with a ``load()``
    method, such as :class:`CallScorer`); it calls ``task.load()`` once per
    worker (or, before forking workers, ``task.warm_up()`` when the task has
    one: it loads too), then ``task(job)`` for each submitted job, and returns
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


def _prepare(task: Any) -> None:
    """Before forking: ``task.warm_up()`` (which loads too, and may load more) when it has one, else ``task.load()``."""
    prepare = getattr(task, "warm_up", None) or getattr(task, "load", None)
    if prepare is not None:
        prepare()


def _forking(task: Any, workers: int, start_method: str | None):
    """Set-up shared by the process executors: ``(task, workers, start method, context)``.

    With ``fork`` the task is loaded here first (:func:`_prepare`), and the
    objects loaded so far are left out of garbage collection while the pool
    lives (workers are forked on submit and on a rebuild): the collector would
    otherwise touch, and so copy, every page holding them in every worker (the
    ``gc.freeze()`` recipe for forking servers). ``shutdown()`` undoes it.
    """
    if workers < 1:
        raise ConfigError(f"need at least one worker, not {workers}")
    method = start_method or default_start_method()
    if method == "fork":
        _prepare(task)
        gc.collect()
        gc.freeze()
    return task, workers, method, multiprocessing.get_context(method)


def default_start_method() -> str:
    """``fork`` where the system has it (Linux, other Unixes), else ``spawn`` (Windows, where it is the only one)."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" else "spawn"


class LocalPoolExecutor:
    """A pool of worker processes on this machine sharing one loaded model (:class:`ProcessPoolExecutor`).

    With ``fork`` (the default on Linux) this process runs ``task.load()``
    first (for :class:`CallScorer`: loads the Vosk model and the text stage),
    then forks the workers: they share
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
        self.task, self.workers, self.start_method, self._context = _forking(task, workers, start_method)
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


#: Calls one worker process of :class:`ThreadedProcessExecutor` scores at once, at most.
THREADS_PER_PROCESS = 4


def _threads_worker(task: Any, jobs, results, parent_pid: int, deathsig: bool, load: bool, threads: int) -> None:
    """Worker side of :class:`ThreadedProcessExecutor`: score jobs from ``jobs`` on ``threads`` threads.

    Each message on ``jobs`` is ``(key, job)``, or None to finish the jobs
    received and exit; each answer on ``results`` is ``(key, ok, value)``.
    """
    import pickle
    import signal

    _die_with_parent(parent_pid, deathsig)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch process handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # stopping the process ends it (not a handler inherited by fork)
    if load:
        getattr(task, "load", lambda: None)()
    sending = threading.Lock()

    def answer(key: int, ok: bool, value: Any) -> None:
        try:
            payload = pickle.dumps((key, ok, value))
        except Exception:  # noqa: BLE001 - an exception that does not pickle still reaches the batch
            payload = pickle.dumps((key, False, RuntimeError(f"{type(value).__name__}: {value}")))
        with sending:
            results.send_bytes(payload)

    def run(key: int, job: Any) -> None:
        try:
            value = task(job)
        except Exception as exc:  # noqa: BLE001 - the batch records it as this call's result
            answer(key, False, exc)
        else:
            answer(key, True, value)

    with cf.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="callcoach-call") as pool:
        while True:
            try:
                message = jobs.recv()
            except (EOFError, OSError):
                break
            if message is None:
                break
            pool.submit(run, *message)
    results.close()


class _WorkerProcess:
    """One worker process of :class:`ThreadedProcessExecutor`, its pipes and the futures it owes."""

    def __init__(self, context, task: Any, load: bool, threads: int):
        import pickle

        self.futures: dict[int, cf.Future] = {}
        self.lock = threading.Lock()
        jobs_reader, jobs_writer = context.Pipe(duplex=False)
        results_reader, results_writer = context.Pipe(duplex=False)
        deathsig = threading.current_thread() is threading.main_thread()
        with _sigint_held():
            self.process = context.Process(
                target=_threads_worker,
                args=(task, jobs_reader, results_writer, os.getpid(), deathsig, load, threads),
                name="callcoach-worker",
                daemon=True,
            )
            self.process.start()
        jobs_reader.close()  # the child's ends
        results_writer.close()
        self.jobs = jobs_writer
        self.alive = True

        def read() -> None:
            while True:
                try:
                    key, ok, value = pickle.loads(results_reader.recv_bytes())
                except (EOFError, OSError):
                    break
                with self.lock:
                    future = self.futures.pop(key, None)
                if future is not None:
                    future.set_result(value) if ok else future.set_exception(value)
            self.process.join()
            with self.lock:
                self.alive = False
                lost = list(self.futures.values())
                self.futures.clear()
            for future in lost:
                future.set_exception(
                    BrokenProcessPool(f"the worker process died (exit code {self.process.exitcode}) with this call")
                )
            results_reader.close()

        self.reader = threading.Thread(target=read, name="callcoach-results", daemon=True)
        self.reader.start()

    def submit(self, key: int, job: Any) -> cf.Future:
        future: cf.Future = cf.Future()
        with self.lock:
            if not self.alive:
                future.set_exception(BrokenProcessPool("the worker process died"))
                return future
            self.futures[key] = future
        try:
            self.jobs.send((key, job))
        except OSError:  # the process is gone; its reader fails the future (or already has)
            with self.lock:
                self.futures.pop(key, None)
            if not future.done():
                future.set_exception(BrokenProcessPool("the worker process died"))
        return future

    def finish(self, cancel: bool) -> None:
        if cancel:
            # the calls' results are no longer wanted, so the reader is never waited for long: a Ctrl-C can leave a
            # future's lock held by the thread cancelling (interrupted inside concurrent.futures.wait), and the
            # reader, failing that future, would wait for it for ever
            self.process.terminate()
            self.reader.join(timeout=CANCEL_WAIT_S)
            if self.reader.is_alive():
                self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.jobs.send(None)
            self.reader.join()
        self.jobs.close()


#: Seconds a cancelled batch waits for a worker process's results reader before leaving it (a daemon thread).
CANCEL_WAIT_S = 5.0


class ThreadedProcessExecutor:
    """Worker processes forked after loading, each scoring calls on several threads (the default on Linux).

    The threads of a worker process share its one model and one decoding-graph
    cache: Vosk's decoding releases the GIL, so they decode in parallel, and
    the Python part of scoring (about a tenth of the time) takes turns. A
    process runs at most :data:`THREADS_PER_PROCESS` calls at once; more
    workers get more processes. Like :class:`LocalPoolExecutor`, this process
    loads the task (model and text stage) before forking, so every process shares the
    model page for page, and a call that crashes the engine ends only its
    worker process: the futures of every call that process held fail with
    :class:`BrokenProcessPool` (the runner tries them again one at a time), and
    the next submit forks a fresh process. Measured against the other two in
    ``benchmarks/bench_batch.py``; see ``docs/scale.md``.
    """

    def __init__(self, task: Callable[[Any], Any], workers: int, start_method: str | None = None):
        self.task, self.workers, self.start_method, self._context = _forking(task, workers, start_method)
        processes = -(-workers // THREADS_PER_PROCESS)
        self._threads = [workers // processes + (1 if i < workers % processes else 0) for i in range(processes)]
        self._slots: list[_WorkerProcess | None] = [None] * processes
        self._lock = threading.Lock()
        self._next_key = 0

    def submit(self, job: Any) -> cf.Future:
        with self._lock:
            for i, slot in enumerate(self._slots):
                if slot is None or not slot.alive:
                    self._slots[i] = _WorkerProcess(
                        self._context, self.task, self.start_method != "fork", self._threads[i]
                    )
            # the process owing the fewest calls for its threads
            i = min(range(len(self._slots)), key=lambda k: len(self._slots[k].futures) / self._threads[k])  # type: ignore[union-attr]
            self._next_key += 1
            slot = self._slots[i]
            assert slot is not None
            return slot.submit(self._next_key, job)

    def shutdown(self, cancel: bool = False) -> None:
        with self._lock:
            slots = [s for s in self._slots if s is not None]
            self._slots = [None] * len(self._slots)
        for slot in slots:
            slot.finish(cancel)
        if self.start_method == "fork":
            gc.unfreeze()


class ThreadExecutor:
    """Threads of this process sharing one loaded task (one model, one pool of warmed recognisers).

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
    task: Callable[[Any], Any], workers: int, kind: str = "process-threads", cluster: str | None = None
) -> Executor:
    """The default executor: serial for one worker, else worker processes with threads (see below).

    ``kind``: ``"process-threads"`` (the default) :class:`ThreadedProcessExecutor`;
    ``"process"`` a :class:`LocalPoolExecutor` (a process per worker);
    ``"thread"`` a :class:`ThreadExecutor` (threads of this process).

    ``cluster``: the address of a Dask scheduler; the calls are scored there
    (:class:`~callcoach.batch.cluster.DaskExecutor`) and ``workers`` is ignored.
    """
    if cluster:
        from .cluster import DaskExecutor

        return DaskExecutor(task, cluster)
    if workers <= 1:
        return SerialExecutor(task)
    if kind == "thread":
        return ThreadExecutor(task, workers)
    if kind == "process":
        return LocalPoolExecutor(task, workers)
    if kind == "process-threads":
        return ThreadedProcessExecutor(task, workers)
    raise ConfigError(f"unknown executor kind {kind!r} (use process-threads, process or thread)")
