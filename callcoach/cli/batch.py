"""callcoach batch: score many calls in parallel into CSV files and an HTML report."""

from __future__ import annotations

import argparse
import os
import signal
import time
from contextlib import contextmanager
from pathlib import Path

from rich.markup import escape
from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
from rich.text import Text

from ..batch import BatchProgress, run_batch
from ..errors import ConfigError
from ..report import mmss, write_report
from ..scoring import CallSetup
from .options import add_audio_layout, add_decoder_chunk, add_model, add_redact, add_speakers


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers") from None
    if n < 1:
        raise argparse.ArgumentTypeError("need at least one worker")
    return n


def add_parser(sub) -> None:
    p = sub.add_parser(
        "batch",
        help="score many calls in parallel; resumable; CSV and HTML report",
        description="Score every call found under PATH (folders recursively, globs, files), or every call "
        "in the manifest when no PATH is given. A call's transcript is the manifest's transcript "
        "column or a file beside the recording with its name and suffix .srt, .vtt or .json; "
        "calls with a transcript need no speech model, the others are transcribed with Vosk. "
        "Each call's JSON is written as soon as it is scored; a rerun (after Ctrl-C or a crash) "
        "skips calls already scored unless --force or the input changed. Writes calls.csv, "
        "agents.csv and an HTML report (index.html) to the results folder. Exit status: 0 when "
        "every call was scored, 1 when any could not be, 2 for a bad option, path or manifest.",
    )
    p.add_argument(
        "paths",
        metavar="PATH",
        nargs="*",
        help="audio files, folders, or glob patterns ('calls/**/*.wav'); none: the manifest's files",
    )
    p.add_argument("--out", metavar="RESULTS", required=True, help="results folder (created if needed)")
    p.add_argument(
        "-j",
        "--jobs",
        type=_workers,
        default=_cores(),
        metavar="N",
        help=f"calls scored at once, sharing one loaded model (default: the cores, {_cores()}); ignored with --cluster",
    )
    p.add_argument(
        "--cluster",
        metavar="tcp://SCHEDULER:8786",
        help="score on a Dask cluster instead of here (pip install 'callcoach[cluster]'); the calls, "
        "transcripts, packs and model must be at the same paths on every worker (shared storage); "
        "results are written to --out by this command",
    )
    p.add_argument(
        "--manifest",
        metavar="CALLS.csv",
        help="CSV of per-call facts: file, agent, company, lang, region, ring_s, layout, "
        "agent_channel, transcript (only file is required)",
    )
    p.add_argument(
        "--agent-from",
        metavar="PATTERN",
        help="read the agent (or other fields) from file names, e.g. '{agent}_{date}_{n}.wav' "
        "or '{agent}/*.wav'; the manifest wins where it has a value",
    )
    p.add_argument("--force", action="store_true", help="score every call again, even if already scored")
    p.add_argument(
        "--sibling-transcripts",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="use CALL.srt/.vtt/.json found beside CALL.wav when the manifest names no transcript "
        "(default: yes; --no-sibling-transcripts transcribes those calls with Vosk)",
    )
    p.add_argument("--company", help="company or department name for calls whose manifest row gives none")
    p.add_argument("--lang", choices=("zh", "en"), help="default call language (default: from the transcript, else zh)")
    p.add_argument("--region", choices=("cn", "na", "uk"), help="default ringback region (default: detected)")
    p.add_argument("--ring-s", type=float, metavar="SECONDS", help="default ring time before the recording starts")
    p.add_argument(
        "--db",
        metavar="FILE.sqlite",
        type=Path,
        help="also record every scored call in this progress database (see `callcoach progress`)",
    )
    p.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="PACK.toml",
        help="a trainer's rule pack merged over the bundled one (repeatable)",
    )
    add_model(p)
    add_decoder_chunk(p)
    add_audio_layout(p)
    add_speakers(p)
    add_redact(p)
    p.set_defaults(run=run)


class _AudioColumn(ProgressColumn):
    """Files done and audio hours done."""

    def render(self, task) -> Text:
        f = task.fields
        text = (
            f"{f['files_done']}/{f['files']} calls · {task.completed / 3600:.2f}/{(task.total or 0) / 3600:.2f} h audio"
        )
        if f["failed"]:
            text += f" · {f['failed']} failed"
        return Text(text)


@contextmanager
def _sigterm_as_interrupt():
    """``kill PID`` stops the batch like Ctrl-C: finished calls are kept, workers are stopped."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _interrupt_after():
    """A Ctrl-C or ``kill PID`` during the block takes effect when it ends.

    Around printing a progress line: a console interrupted inside its own print keeps later output in its buffer
    (rich counts nested prints and writes only at the outermost one's end), which would swallow the "Stopped."
    line; and a line is never cut in half.
    """
    caught: list[int] = []

    def later(signum, frame):
        caught.append(signum)

    try:
        previous = {sig: signal.signal(sig, later) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if caught:
            raise KeyboardInterrupt


def _eta(event: BatchProgress, elapsed_s: float) -> str:
    if not event.audio_done_s or event.audio_done_s >= event.audio_s:
        return ""
    return f", about {mmss(elapsed_s * (event.audio_s - event.audio_done_s) / event.audio_done_s)} left"


def run(args, console) -> int:
    if not args.paths and not args.manifest:
        raise ConfigError("give at least one PATH (file, folder or glob) or --manifest CALLS.csv")
    out = Path(args.out)
    defaults = CallSetup(
        company=args.company,
        language=args.lang,
        region=args.region,
        ring_s=args.ring_s,
        layout=args.layout,
        agent_channel=args.agent_channel,
        redact=bool(args.redact),
        speakers=args.speakers,
        speaker_model=args.speaker_model,
    )
    live = console.is_terminal
    started = time.monotonic()
    with Progress(
        TextColumn("[bold]scoring"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        _AudioColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not live,
    ) as bar:
        task = bar.add_task("batch", total=None, files=0, files_done=0, failed=0)

        def progress(event: BatchProgress) -> None:
            with _interrupt_after():
                _show(event)

        def _show(event: BatchProgress) -> None:
            bar.update(
                task,
                total=max(event.audio_s, 1e-9),
                completed=event.audio_done_s,
                files=event.to_score,
                files_done=event.done,
                failed=event.failed,
            )
            last = event.last
            if last is None:
                bar.console.print(
                    f"{event.calls} calls: {event.skipped} already scored, {event.to_score} to score "
                    f"({event.audio_s / 3600:.2f} h of audio)",
                    highlight=False,
                    soft_wrap=True,
                )
            elif not last.ok:
                bar.console.print(f"[red]failed[/red] {escape(last.error or '')}", highlight=False, soft_wrap=True)
            elif not live:  # a log file or a pipe: one line per call instead of the bar
                score = "–" if last.score is None else f"{last.score:.0f}"
                bar.console.print(
                    f"[{event.done}/{event.to_score}] {escape(Path(last.file).name)}: score {score} · "
                    f"{event.audio_done_s / 3600:.2f}/{event.audio_s / 3600:.2f} h audio"
                    f"{_eta(event, time.monotonic() - started)}",
                    highlight=False,
                    soft_wrap=True,
                )

        try:
            with _sigterm_as_interrupt():
                summary = run_batch(
                    args.paths,
                    out,
                    manifest=args.manifest,
                    agent_from=args.agent_from,
                    defaults=defaults,
                    rules=args.rules,
                    model=args.model,
                    workers=args.jobs,
                    force=args.force,
                    sibling_transcripts=args.sibling_transcripts,
                    decoder_chunk=args.decoder_chunk,
                    cluster=args.cluster,
                    progress=progress,
                )
        except KeyboardInterrupt:
            bar.stop()
            console.print(
                f"Stopped. Every call finished so far is kept in {escape(str(out))}; "
                "run the same command again to continue.",
                highlight=False,
                soft_wrap=True,
            )
            raise
    files = write_report(out, summary.documents())
    if args.db is not None:
        _record_progress(args.db, summary, console)
    scored, skipped, failed = len(summary.scored), len(summary.skipped), len(summary.failed)
    rate = ""
    this_run_s = sum(r.duration_s or 0.0 for r in summary.scored)
    if this_run_s and summary.elapsed_s > 0:
        rate = f", {this_run_s / summary.elapsed_s:.1f}× real time"
    workers = f" with {summary.workers} worker{'s' if summary.workers != 1 else ''}{rate}" if summary.workers else ""
    console.print(
        f"{scored} calls scored, {skipped} already scored, {failed} failed "
        f"({summary.audio_s / 3600:.2f} h of audio; {summary.elapsed_s:.0f} s{workers})",
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"report: {escape(str(files.index))}\ntables: {escape(str(files.calls_csv))}, {escape(str(files.agents_csv))}",
        highlight=False,
        soft_wrap=True,
    )
    return 1 if failed else 0


def _record_progress(path: Path, summary, console) -> None:
    """``--db``: every scored call of the results folder into the progress database."""
    from ..progress import open_db, record_documents

    db = open_db(path)
    try:
        count = record_documents(db, summary.documents(), kind="batch")
    finally:
        db.close()
    console.print(f"{count} calls recorded in {escape(str(path))}", highlight=False, soft_wrap=True)
