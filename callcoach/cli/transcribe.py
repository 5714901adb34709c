"""callcoach transcribe: a timed, speaker-labelled transcript of one call."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from .. import models
from ..errors import CallcoachError
from ..redact import redact_transcript
from ..transcribe import Engine
from ..transcript_files import parse_json, to_srt
from .options import add_audio_layout, add_decoder_chunk, add_model, add_redact, add_speakers, write_output


def add_parser(sub) -> None:
    p = sub.add_parser(
        "transcribe",
        help="transcribe a call with Vosk (offline)",
        description="Transcribe a call offline with Vosk into timed, speaker-labelled turns.",
    )
    p.add_argument("audio", metavar="CALL", help="audio file (WAV, FLAC or OGG; 8-48 kHz)")
    add_model(p)
    add_decoder_chunk(p)
    add_audio_layout(p)
    add_speakers(p)
    p.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language, used to pick the default model (default: zh)"
    )
    p.add_argument(
        "--all-audio", action="store_true", help="decode everything, including stretches with no speech (slower)"
    )
    add_redact(p)
    p.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="PACK.toml",
        help="a trainer's rule pack; only its [privacy] table is used here (redact, patterns, cues)",
    )
    p.add_argument(
        "-o", "--output", metavar="OUT", help="write .json (callcoach format) or .srt; default: JSON on standard output"
    )
    p.set_defaults(run=run)


def run(args, console) -> int:
    from ..packs import load_pack

    privacy = load_pack(args.lang, args.rules).section("privacy")  # a broken pack fails before the long ASR
    engine = Engine(models.resolve(args.model, language=args.lang), frames_per_chunk=args.decoder_chunk)
    with Progress(
        TextColumn("[bold]transcribing"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("asr", total=None)

        def progress(done_s: float, total_s: float) -> None:
            bar.update(task, completed=done_s, total=total_s)

        transcript = engine.transcribe(
            args.audio,
            layout=args.layout,
            agent_channel=args.agent_channel,
            speech_only=not args.all_audio,
            progress=progress,
            speakers=args.speakers,
            speaker_model=args.speaker_model,
        )
    doc = transcript.to_dict()
    if args.redact or privacy.get("redact"):
        doc, redactions, _ = redact_transcript(doc, privacy.get("patterns", ()), privacy.get("cues"))
        doc.update(redacted=True, redactions=redactions)
    text = json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    if not args.output:
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    if out.suffix.lower() == ".srt":
        body = to_srt(parse_json(text, path=out, language=transcript.language))
    else:
        body = text
    try:
        write_output(out, body)
    except CallcoachError:
        sys.stdout.write(text)  # the transcript took minutes to make: show it before the write error
        sys.stdout.flush()
        raise
    console.print(f"wrote {out} ({len(transcript.turns)} turns)", highlight=False)
    return 0
