"""Argument groups shared by several commands."""

from __future__ import annotations

import argparse


def add_audio_layout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--layout", choices=("stereo", "mono"),
                        help="stereo: agent and customer on separate channels; mono: one mixed channel "
                             "(default: from the file's channel count)")
    parser.add_argument("--agent-channel", choices=("left", "right"), default="left",
                        help="which stereo channel is the agent's (default: left)")


def add_speakers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--speakers", choices=("auto", "channels", "voice", "none"), default="auto",
                        help="how the agent is told from the customer: channels (stereo split), voice "
                             "(separate the voices of a one-channel call), none (mono turns stay unknown); "
                             "default auto: channels for stereo, voice for mono, an imported transcript's labels")
    parser.add_argument("--speaker-model", metavar="PATH_OR_NAME",
                        help="voice embedder: a Vosk speaker-model folder or name, or 'spectral' for the "
                             "model-free one (default: vosk-model-spk-0.4 when installed, else spectral)")


def add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="PATH_OR_NAME",
                        help="Vosk model folder or registry name (default: the installed model "
                             "for the call's language; see `callcoach models list`)")


def speaker_label(text: str) -> tuple[str, str]:
    """``NAME=agent`` -> (NAME, "agent"), for --label."""
    name, sep, speaker = text.rpartition("=")
    if not sep or not name.strip() or speaker not in ("agent", "customer"):
        raise argparse.ArgumentTypeError(f"expected NAME=agent or NAME=customer, got {text!r}")
    return name.strip(), speaker


def add_transcript_labels(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--label", action="append", type=speaker_label, default=[], metavar="NAME=agent|customer",
                        help="an extra speaker label used in imported transcripts, e.g. --label 小王=agent "
                             "(built in: 客服/坐席/Agent…, 客户/顾客/Customer…); repeatable")
