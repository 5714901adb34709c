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
   this process, :class:`ThreadedProcessExecutor`, worker processes forked after
   this process loaded the Vosk model (one model per machine), each scoring
   several calls on threads that share it, or
   :class:`~callcoach.batch.cluster.DaskExecutor` on a Dask cluster. A backend
   only has to implement ``submit``/``shutdown``.

The library never prints: progress goes to a callback as :class:`BatchProgress`
events, and :func:`run_batch` returns a :class:`BatchSummary`. A bad file never
stops the batch: its error is recorded as that call's result.

The package, one module per concern: :mod:`.manifest` (the CSV and file-name
patterns), :mod:`.discovery` (finding calls and their transcripts),
:mod:`.store` (the results folder), :mod:`.worker` (one call),
:mod:`.executors` (where calls run), :mod:`.cluster` (Dask), :mod:`.plan` and
:mod:`.runner`.
"""

from ..storage import fingerprint, unchanged, write_atomic
from .discovery import SIBLING_SUFFIXES, find_calls, sibling_transcript
from .executors import (
    Executor,
    LocalPoolExecutor,
    SerialExecutor,
    ThreadedProcessExecutor,
    ThreadExecutor,
    WorkerDied,
    make_executor,
)
from .manifest import MANIFEST_COLUMNS, ManifestRow, NamePattern, read_manifest
from .plan import PlannedCall, plan_batch
from .runner import BatchProgress, BatchSummary, CallResult, run_batch
from .store import CALLS_DIR, ResultStore, result_key
from .worker import CallJob, CallScorer, failure_document

__all__ = [
    "MANIFEST_COLUMNS",
    "ManifestRow",
    "read_manifest",
    "NamePattern",
    "find_calls",
    "fingerprint",
    "unchanged",
    "write_atomic",
    "CallJob",
    "CallScorer",
    "failure_document",
    "Executor",
    "SerialExecutor",
    "LocalPoolExecutor",
    "make_executor",
    "PlannedCall",
    "plan_batch",
    "BatchProgress",
    "CallResult",
    "BatchSummary",
    "run_batch",
    "CALLS_DIR",
    "SIBLING_SUFFIXES",
    "sibling_transcript",
    "ResultStore",
    "result_key",
    "ThreadExecutor",
    "ThreadedProcessExecutor",
    "WorkerDied",
]
