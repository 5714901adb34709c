"""Batch, on a Dask cluster: the executor interface over ``distributed``, each Dask worker loading the model once.

Only the scoring moves: planning, the result store (atomic writes, resume, the
lock) and progress stay in the batch process, which receives each call's
result document from the cluster and writes it to ``--out`` exactly as a
local batch does. The Dask workers read the recordings, transcripts, rule
packs and the model at the paths the batch process planned with, so those
must be on storage every machine mounts at the same path (NFS, SMB, a
cluster file system); ``--out`` needs to be on the batch process's machine
only.

Needs the optional extra ``cluster`` (``pip install 'callcoach[cluster]'``,
which brings ``dask[distributed]``).
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
from collections.abc import Callable
from typing import Any

from ..errors import ConfigError
from .executors import WorkerDied

try:
    from distributed import WorkerPlugin as _PluginBase
except ImportError:  # without the extra: DaskExecutor says what to install
    _PluginBase = object  # type: ignore[assignment,misc]

__all__ = ["DaskExecutor"]


def _plugin_name(task: Any) -> str:
    state = task.__getstate__() if hasattr(task, "__getstate__") else repr(task)
    digest = hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:12]
    return f"callcoach-scorer-{digest}"


class _ScorerPlugin(_PluginBase):
    """Dask worker plugin: load the task (the Vosk model) once when the worker starts or joins.

    The task is pickled with its options only, never a loaded model.
    """

    def __init__(self, task: Any, name: str):
        self.task = task
        self.name = name

    def setup(self, worker) -> None:
        getattr(self.task, "load", lambda: None)()


def _score_on_worker(job: Any, plugin: str) -> Any:
    """Run on a Dask worker: the call through that worker's loaded task."""
    from distributed import get_worker

    found = get_worker().plugins.get(plugin)
    if not isinstance(found, _ScorerPlugin):  # a worker that joined before the plugin reached it
        raise RuntimeError(f"the callcoach worker plugin {plugin} is not loaded on this worker")
    return found.task(job)


class DaskExecutor:
    """Scores calls on a Dask cluster (``callcoach batch --cluster tcp://SCHEDULER:8786``).

    Each Dask worker loads the task once (a worker plugin, also run on workers
    that join later); its threads share the loaded model. A worker that dies
    mid-call (killed, out of memory, a crashed machine) has its calls run again
    on other workers by the Dask scheduler; a call that kills every worker it
    is given (Dask's ``allowed-failures``, 3 by default) fails alone
    (:class:`~callcoach.batch.executors.WorkerDied`).

    Parameters
    ----------
    task : callable
        Picklable, with an optional ``load()``: a
        :class:`~callcoach.batch.worker.CallScorer`.
    address : str
        The scheduler, e.g. ``tcp://10.0.0.5:8786``.
    timeout_s : float
        How long to wait for the scheduler and for a first worker.

    Raises
    ------
    ConfigError
        ``distributed`` is not installed, the scheduler cannot be reached, or
        it has no workers within ``timeout_s``.
    """

    def __init__(self, task: Callable[[Any], Any], address: str, timeout_s: float = 30.0):
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError("--cluster needs Dask: pip install 'callcoach[cluster]'") from None
        self.task = task
        self.address = address
        try:
            self.client = Client(address, timeout=timeout_s, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler ({exc})", path=address) from None
        try:
            self.client.wait_for_workers(1, timeout=timeout_s)
        except (OSError, TimeoutError):
            self.client.close()
            raise ConfigError(f"the Dask scheduler has no workers (waited {timeout_s:.0f} s)", path=address) from None
        self.plugin = _plugin_name(task)
        self.client.register_plugin(_ScorerPlugin(task, self.plugin), name=self.plugin)
        threads = self.client.nthreads()
        #: Calls the cluster scores at once (its worker threads when the batch started).
        self.workers = max(1, sum(threads.values()))
        self._futures: list[Any] = []

    def submit(self, job: Any) -> cf.Future:
        from distributed import KilledWorker

        remote = self.client.submit(_score_on_worker, job, self.plugin, pure=False)
        self._futures.append(remote)
        local: cf.Future = cf.Future()

        def relay(done) -> None:
            if local.done():
                return
            try:
                if done.cancelled():
                    local.cancel()
                    return
                local.set_result(done.result())
            except KilledWorker as exc:
                local.set_exception(WorkerDied(str(exc)))
            except BaseException as exc:  # the task's own exception, relayed to the runner
                local.set_exception(exc)

        remote.add_done_callback(relay)
        return local

    def shutdown(self, cancel: bool = False) -> None:
        try:
            if cancel and self._futures:
                self.client.cancel(self._futures, force=True)
        finally:
            self._futures = []
            self.client.close()
