"""callcoach score: score one call against the course."""

from __future__ import annotations

import json
import sys

from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from ..render import scorecard_view
from ..scoring import CallSetup, score_call
from .options import (
    add_audio_layout,
    add_decoder_chunk,
    add_model,
    add_redact,
    add_speakers,
    add_transcript_labels,
    seconds,
    write_output,
)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "score",
        help="score one call (answer, introduction, holds, pace, 5W2H, course rules)",
        description="Score one call against the telephone-etiquette course.",
    )
    p.add_argument(
        "audio", metavar="CALL", nargs="?", help="the recording (WAV/FLAC/OGG); may be omitted with --transcript"
    )
    p.add_argument("--transcript", metavar="FILE", help="use this transcript (.srt, .vtt, .json) instead of ASR")
    add_transcript_labels(p)
    p.add_argument("--company", help="company or department name to expect in the greeting")
    p.add_argument("--agent", help="the agent's name to expect in the greeting")
    p.add_argument("--lang", choices=("zh", "en"), help="call language (default: from the transcript, else zh)")
    p.add_argument("--region", choices=("cn", "na", "uk"), help="ringback region (default: detected from the tone)")
    p.add_argument(
        "--ring-s",
        type=seconds,
        metavar="SECONDS",
        help="how long it rang before the recording starts (from the recording system)",
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
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("-o", "--output", metavar="OUT.json", help="also write the JSON scorecard here")
    p.set_defaults(run=run, parser=p)


def run(args, console) -> int:
    if not args.audio and not args.transcript:
        args.parser.error("give a CALL audio file, --transcript FILE, or both")
    engine = None
    if not args.transcript:
        from .. import models
        from ..transcribe import Engine

        engine = Engine(
            models.resolve(args.model, language=args.lang or "zh"),
            language=args.lang,
            frames_per_chunk=args.decoder_chunk,
        )
    setup = CallSetup(
        company=args.company,
        agent=args.agent,
        language=args.lang,
        region=args.region,
        ring_s=args.ring_s,
        layout=args.layout,
        agent_channel=args.agent_channel,
        redact=bool(args.redact),
        speakers=args.speakers,
        speaker_model=args.speaker_model,
    )
    with Progress(
        TextColumn("[bold]transcribing"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=engine is None or not console.is_terminal,
    ) as bar:
        task = bar.add_task("asr", total=None)

        def progress(done_s: float, total_s: float) -> None:
            bar.update(task, completed=done_s, total=total_s)

        card = score_call(
            args.audio,
            transcript_path=args.transcript,
            setup=setup,
            engine=engine,
            extra_packs=args.rules,
            labels=dict(args.label),
            progress=progress,
        ).to_dict()
    text = json.dumps(card, ensure_ascii=False, indent=1, allow_nan=False)
    if args.format == "json":
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    else:
        console.print(scorecard_view(card))
    if args.output:  # after the scorecard is shown: a bad -o path must not lose it
        write_output(args.output, text + "\n")
    return 0
