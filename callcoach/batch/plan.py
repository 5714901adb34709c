"""Batch, planning: each call's setup, transcript, model, and whether an earlier result still stands."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, audio, models
from ..errors import CallcoachError
from ..packs import LANGUAGES, load_pack
from ..scoring import CallSetup
from ..storage import fingerprint, unchanged
from .discovery import find_calls, sibling_transcript
from .manifest import NamePattern, read_manifest
from .store import ResultStore, result_key
from .worker import CallJob

__all__ = ["PlannedCall", "plan_batch"]


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
        return CallJob(
            key=self.key,
            audio=str(self.file),
            transcript=None if self.transcript is None else str(self.transcript),
            setup=self.setup,
            model=self.model,
            setup_digest=self.setup_digest,
        )


def _options_digest(rules: Sequence[str | Path]) -> list:
    out = []
    for r in rules:
        fp = fingerprint(r) or {}
        out.append([str(r), fp.get("sha256")])
    return out


def _setup_digest(
    setup: CallSetup, transcript: Path | None, model: str | None, rules_digest: list, decoder_chunk: int | None = None
) -> str:
    state: dict[str, object] = {
        "setup": dataclasses.asdict(setup),
        "transcript": None if transcript is None else str(transcript),
        "model": model,
        "rules": rules_digest,
        "callcoach": __version__,
    }
    if decoder_chunk is not None and model is not None and transcript is None:
        state["decoder_chunk"] = decoder_chunk  # it changes the words heard; the model's own chunk keeps old results
    return hashlib.sha256(json.dumps(state, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _still_valid(previous: dict | None, call: PlannedCall) -> bool:
    if previous is None or previous.get("error"):
        return False  # failures are always tried again
    batch = previous.get("batch") or {}
    return (
        batch.get("setup_digest") == call.setup_digest
        and unchanged(batch.get("audio"), call.file)
        and unchanged(batch.get("transcript"), call.transcript)
    )


def plan_batch(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    *,
    manifest: str | Path | None = None,
    agent_from: str | None = None,
    defaults: CallSetup | None = None,
    rules: Sequence[str | Path] = (),
    model: str | Path | None = None,
    force: bool = False,
    decoder_chunk: int | None = None,
    sibling_transcripts: bool = True,
) -> list[PlannedCall]:
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
    store = ResultStore(out_dir)
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
                        "or score with --transcript FILE",
                        "or give the call a transcript (CALL.srt, .vtt or .json "
                        "beside the recording, or the manifest's transcript column)",
                    )
                else:
                    call_model = found
        key = result_key(file)
        call = PlannedCall(
            file=file,
            key=key,
            setup=setup,
            transcript=transcript,
            duration_s=None,
            setup_digest=_setup_digest(setup, transcript, call_model, rules_digest, decoder_chunk),
            model=call_model,
        )
        previous = None if force else store.read(key)
        if previous is not None and _still_valid(previous, call):
            call.previous, call.duration_s = previous, previous.get("duration_s")
        else:
            try:
                call.duration_s = audio.info(file).duration_s
            except CallcoachError as exc:  # the audio's own problem comes first
                listed = f" (listed in {manifest}, line {row.line})" if row is not None else ""
                call.error = exc.one_line() + listed
            else:
                call.error = model_error
        planned.append(call)
    return planned
