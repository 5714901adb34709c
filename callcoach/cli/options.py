"""Argument groups shared by several commands."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from ..errors import OutputError


def add_audio_layout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--layout",
        choices=("stereo", "mono"),
        help="stereo: agent and customer on separate channels; mono: one mixed channel "
        "(default: from the file's channel count)",
    )
    parser.add_argument(
        "--agent-channel",
        choices=("left", "right"),
        default="left",
        help="which stereo channel is the agent's (default: left)",
    )


def add_speakers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--speakers",
        choices=("auto", "channels", "voice", "none"),
        default="auto",
        help="how the agent is told from the customer: channels (stereo split), voice "
        "(separate the voices of a one-channel call), none (mono turns stay unknown); "
        "default auto: channels for stereo, voice for mono, an imported transcript's labels",
    )
    parser.add_argument(
        "--speaker-model",
        metavar="PATH_OR_NAME",
        help="voice embedder: a Vosk speaker-model folder or name, or 'spectral' for the "
        "model-free one (default: vosk-model-spk-0.4 when installed, else spectral)",
    )


def seconds(text: str) -> float:
    """``--ring-s``: a finite number of seconds, zero or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} should be zero or more seconds")
    return value


def add_redact(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--redact",
        action="store_true",
        default=None,
        help="mask personal data (phone, ID-card and bank-card numbers, e-mail addresses; in "
        "digits, Chinese numerals or English words) in every output; the checks run first, "
        "so results are unchanged (default: the rule pack's [privacy] redact)",
    )


def write_output(path: str | Path, text: str) -> None:
    """Write an output file the user named with ``-o``; one clear error if it cannot be written.

    Raises
    ------
    OutputError
        The folder is missing, the path is a folder, or it is not writable.
    """
    out = Path(path)
    if out.is_dir():
        raise OutputError("is a folder; give a file name for the output", path=out)
    parent = out.parent
    if not parent.exists():
        raise OutputError(f"cannot write: the folder {parent} does not exist", path=out)
    if not parent.is_dir():
        raise OutputError(f"cannot write: {parent} is a file, not a folder", path=out)
    try:
        out.write_text(text, encoding="utf-8")
    except PermissionError:
        raise OutputError("cannot write: permission denied", path=out) from None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=out) from None


def pack_says_redact(language: str, rules: list[str]) -> bool:
    """The ``[privacy] redact`` default of the rule packs for ``language``."""
    from ..packs import load_pack

    return bool(load_pack(language, rules).section("privacy").get("redact"))


def add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        metavar="PATH_OR_NAME",
        help="Vosk model folder or registry name (default: the installed model "
        "for the call's language; see `callcoach models list`)",
    )


def decoder_chunk(text: str) -> int:
    """``--decoder-chunk``: a whole number of 10 ms frames, 1 to :data:`MAX_DECODER_CHUNK`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of frames") from None
    if not 1 <= value <= MAX_DECODER_CHUNK:
        raise argparse.ArgumentTypeError(f"{text!r} should be 1 to {MAX_DECODER_CHUNK} frames")
    return value


#: The largest ``--decoder-chunk``: 10 s of frames (Vosk holds a chunk's network outputs at once).
MAX_DECODER_CHUNK = 1000


def add_decoder_chunk(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--decoder-chunk",
        type=decoder_chunk,
        metavar="FRAMES",
        help="10 ms frames the speech model evaluates at once (default: the model's own setting); "
        "larger decodes faster (150: about 15 %% less CPU) but may change some words: check on your "
        "own calls first (README: 'Faster decoding')",
    )


def speaker_label(text: str) -> tuple[str, str]:
    """``NAME=agent`` -> (NAME, "agent"), for --label."""
    name, sep, speaker = text.rpartition("=")
    if not sep or not name.strip() or speaker not in ("agent", "customer"):
        raise argparse.ArgumentTypeError(f"expected NAME=agent or NAME=customer, got {text!r}")
    return name.strip(), speaker


def add_transcript_labels(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--label",
        action="append",
        type=speaker_label,
        default=[],
        metavar="NAME=agent|customer",
        help="an extra speaker label used in imported transcripts, e.g. --label 小王=agent "
        "(built in: 客服/坐席/Agent…, 客户/顾客/Customer…); repeatable",
    )
